"""Logic-tree modifications of sources: what each source-model uncertainty type of
OpenQuake 3.26 does to one source (its MFD, geometry, depths, scaling relation...).

:func:`apply_uncertainty` is the one entry point; the MFD types are delegated to the
MFD's own ``modify`` method, the others are handled here. A type that does not fit the
source (a dip on an area source, a slip rate on a non-GR MFD) is an
:class:`~oqcore.errors.InvalidInput` naming the source.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.source import mfd as mfds
from oqcore.hazard.source.model import SourceConverter

#: uncertainty types that change the MFD only (its ``modify`` method does the work)
MFD_UNCERTAINTIES = {
    "maxMagGRRelative", "maxMagGRRelativeNoMoBalance", "maxMagGRAbsolute",
    "bGRRelative", "bGRAbsolute", "abGRAbsolute", "abMaxMagAbsolute",
    "bACRelative", "bACAbsolute",
    "maxMagAndDeltaMagACRelative", "maxMagAndDeltaMagACRelativeNoMoBalance",
    "incrementalMFDAbsolute",
}


def _fail(src, utype: str, why: str):
    raise InvalidInput("cannot apply %s to source %r: %s" % (utype, src.source_id, why),
                       fname=src.fname or None, lineno=src.lineno or None)


def _require(src, utype: str, attr: str) -> None:
    if not hasattr(src, attr):
        _fail(src, utype, "a %s has no %s" % (type(src).__name__, attr.replace("_", " ")))


def _check_simple_fault(src, utype, usd, lsd, dip) -> None:
    from oqcore.hazard.geo.line import as_line
    from oqcore.hazard.geo.surface import SimpleFaultSurface
    try:
        SimpleFaultSurface.check_fault_data(as_line(np.asarray(src.trace, float)), usd,
                                            lsd, dip, src.mesh_spacing)
    except ValueError as exc:
        _fail(src, utype, str(exc))


def _set_depth(src, utype: str, which: str, value: float, relative: bool) -> None:
    """Upper or lower seismogenic depth (km), absolute or by an increment."""
    attr = which + "_seismogenic_depth"
    if src.CODE not in "PAMS" or (src.CODE == "S" and which == "upper"):
        _fail(src, utype, "it applies to point, area, multi-point sources%s" % (
            "" if which == "upper" else " and simple faults"))
    new = getattr(src, attr) + value if relative else value
    usd = new if which == "upper" else src.upper_seismogenic_depth
    lsd = new if which == "lower" else src.lower_seismogenic_depth
    if src.CODE == "S":
        _check_simple_fault(src, utype, usd, lsd, src.dip)
    elif not lsd > usd:
        _fail(src, utype, "the lower seismogenic depth %s km would not be below the "
              "upper one %s km" % (lsd, usd))
    setattr(src, attr, new)  # hypocentral depths stay as given, as in OpenQuake


def _set_dip(src, utype: str, dip: float) -> None:
    if src.CODE != "S":
        _fail(src, utype, "it applies to simple fault sources only")
    _check_simple_fault(src, utype, src.upper_seismogenic_depth,
                        src.lower_seismogenic_depth, dip)
    src.dip = dip


def _set_aspect_ratio(src, utype: str, value: float, relative: bool) -> None:
    _require(src, utype, "rupture_aspect_ratio")
    old = src.rupture_aspect_ratio
    if not isinstance(old, (int, float)):
        _fail(src, utype, "its aspect ratio is magnitude dependent")
    new = old + value if relative else value
    if not new > 0:
        _fail(src, utype, "the rupture aspect ratio would be %s, not positive" % new)
    src.rupture_aspect_ratio = new


def _set_msr(src, utype: str, msr) -> None:
    _require(src, utype, "msr")
    src.msr = msr


def _set_area_polygon(src, utype: str, value) -> None:
    """areaSourceGeometryAbsolute: the polygon is replaced; as in OpenQuake 3.26 the
    seismogenic depths given with it are not used."""
    if src.CODE != "A":
        _fail(src, utype, "it applies to area sources only")
    src.polygon_lons, src.polygon_lats = np.array(value[0]), np.array(value[1])


def fault_surface_area(src, utype: str = "") -> float:
    """The area (km²) of the whole surface of a fault source, on the mesh OpenQuake
    uses for it: 1 km for simple faults, 2 km for complex faults, the source's own
    spacing for characteristic surfaces."""
    from oqcore.hazard.geo.surface import ComplexFaultSurface, SimpleFaultSurface
    from oqcore.hazard.source import fault_ruptures as fr
    if src.CODE == "S":
        return SimpleFaultSurface.from_fault_data(
            np.asarray(src.trace, float), src.upper_seismogenic_depth,
            src.lower_seismogenic_depth, src.dip, 1.0).get_area()
    if src.CODE == "C":
        return ComplexFaultSurface.from_fault_data(
            [np.asarray(e, float) for e in src.edges], 2.0).get_area()
    if src.CODE == "X":
        return sum(s.get_area() for s in fr.characteristic_surfaces(src))
    _fail(src, utype, "it needs a fault source (simple, complex or characteristic)")


def _recompute_mmax(src, utype: str, epsilon: float) -> None:
    """recomputeMmax: the maximum magnitude from the scaling relation and the fault
    area, ``epsilon`` standard deviations above the median."""
    _require(src, utype, "msr")
    if not hasattr(src.mfd, "max_mag"):
        _fail(src, utype, "its MFD has no maximum magnitude")
    area = fault_surface_area(src, utype)
    mag = src.msr.get_median_mag(area, src.rake)
    std = src.msr.get_std_dev_mag(area, src.rake)
    src.mfd.max_mag = mag + epsilon * std


def _mfd_from_slip(src, utype: str, value) -> None:
    """truncatedGRFromSlipAbsolute: a truncated GR MFD (same magnitudes and b-value)
    releasing the moment rate slip rate (mm/yr) × rigidity (GPa) × fault area."""
    slip_rate, rigidity, d_val = value
    if not isinstance(src.mfd, mfds.TruncatedGRMFD):
        _fail(src, utype, "its MFD is not a truncated Gutenberg-Richter one")
    area = fault_surface_area(src, utype)
    moment_rate = (slip_rate * 1e-3) * (rigidity * 1e9) * (area * 1e6)
    old = src.mfd
    src.mfd = mfds.TruncatedGRMFD.from_moment(old.min_mag, old.max_mag, old.bin_width,
                                              old.b_val, moment_rate, d_val)


def _set_fault_geometry(src, utype: str, node) -> None:
    """Replace the geometry of a fault source with the one of an uncertainty-model
    node; the ``spacing`` attribute of the geometry sets the mesh spacing (km)."""
    conv = SourceConverter()
    expected = {"simpleFaultGeometryAbsolute": "S", "complexFaultGeometryAbsolute": "C",
                "characteristicFaultGeometryAbsolute": "X"}[utype]
    if src.CODE != expected:
        _fail(src, utype, "the source is a %s" % type(src).__name__)

    def spacing(geom):
        value = geom.get("spacing")
        return src.mesh_spacing if value is None else float(value)

    if utype == "simpleFaultGeometryAbsolute":
        geom = node.find("simpleFaultGeometry")
        geom = node if geom is None else geom
        src.trace, src.upper_seismogenic_depth, src.lower_seismogenic_depth, src.dip = \
            conv._simple_geometry(geom)
        src.mesh_spacing = spacing(geom)
    elif utype == "complexFaultGeometryAbsolute":
        geom = node.find("complexFaultGeometry")
        geom = node if geom is None else geom
        src.edges = conv._complex_edges(geom)
        src.mesh_spacing = spacing(geom)
    else:  # characteristic: every geometry of the surface (a multi surface if many)
        surf = node.child("surface")
        geoms = list(surf)
        if not geoms:
            raise surf.error("empty <surface>")
        kinds = {g.tag for g in geoms}
        if len(kinds) > 1:
            raise surf.error("mixed surface geometries %s are not supported" % kinds)
        tag = geoms[0].tag
        if tag == "simpleFaultGeometry":
            src.surface_kind = "simple"
            src.surface_data = [conv._simple_geometry(g) for g in geoms]
        elif tag == "complexFaultGeometry":
            src.surface_kind = "complex"
            src.surface_data = [conv._complex_edges(g) for g in geoms]
        elif tag == "planarSurface":
            src.surface_kind = "planar"
            src.surface_data = [conv._planar(g) for g in geoms]
        else:
            raise geoms[0].error("unknown surface %r" % tag)
        src.mesh_spacing = spacing(geoms[0])


#: source-level uncertainty type -> function(source, utype, value)
SOURCE_MODIFIERS: dict[str, Callable[[Any, str, Any], None]] = {
    "simpleFaultDipRelative": lambda s, u, v: _set_dip(s, u, getattr(s, "dip", 0) + v),
    "simpleFaultDipAbsolute": _set_dip,
    "simpleFaultGeometryAbsolute": _set_fault_geometry,
    "complexFaultGeometryAbsolute": _set_fault_geometry,
    "characteristicFaultGeometryAbsolute": _set_fault_geometry,
    "areaSourceGeometryAbsolute": _set_area_polygon,
    "setMSRAbsolute": _set_msr,
    "setAspectRatioAbsolute": lambda s, u, v: _set_aspect_ratio(s, u, v, False),
    "setAspectRatioRelative": lambda s, u, v: _set_aspect_ratio(s, u, v, True),
    "setLowerSeismDepthAbsolute": lambda s, u, v: _set_depth(s, u, "lower", v, False),
    "setLowerSeismDepthRelative": lambda s, u, v: _set_depth(s, u, "lower", v, True),
    "setUpperSeismDepthAbsolute": lambda s, u, v: _set_depth(s, u, "upper", v, False),
    "setUpperSeismDepthRelative": lambda s, u, v: _set_depth(s, u, "upper", v, True),
    "recomputeMmax": _recompute_mmax,
    "truncatedGRFromSlipAbsolute": _mfd_from_slip,
}


#: the typologies (source codes) each source-level type applies to, as in OpenQuake
#: 3.26: P point, M multi-point, A area, S simple, C complex, X characteristic, K kite
SOURCE_KINDS = {
    "simpleFaultDipRelative": "S", "simpleFaultDipAbsolute": "S",
    "simpleFaultGeometryAbsolute": "S", "complexFaultGeometryAbsolute": "C",
    "characteristicFaultGeometryAbsolute": "X", "areaSourceGeometryAbsolute": "A",
    "setMSRAbsolute": "PMASCK", "setAspectRatioAbsolute": "PMASCK",
    "setAspectRatioRelative": "PMASCK",
    "setLowerSeismDepthAbsolute": "PMAS", "setLowerSeismDepthRelative": "PMAS",
    "setUpperSeismDepthAbsolute": "PMA", "setUpperSeismDepthRelative": "PMA",
    "recomputeMmax": "S", "truncatedGRFromSlipAbsolute": "SCXK",
}
_KIND_NAMES = {"P": "point", "M": "multi-point", "A": "area", "S": "simple fault",
               "C": "complex fault", "X": "characteristic fault", "K": "kite fault"}


def apply_uncertainty(src, utype: str, value) -> None:
    """Modify ``src`` in place with the value of a logic-tree branch of type ``utype``.

    :raises InvalidInput: for a type that does not fit the source or its MFD, or a
        value that makes the source invalid
    """
    if utype in MFD_UNCERTAINTIES:
        try:
            src.mfd.modify(utype, value)
        except InvalidInput as exc:
            _fail(src, utype, exc.msg)
        except ValueError as exc:
            _fail(src, utype, str(exc))
    elif utype in SOURCE_MODIFIERS:
        kinds = SOURCE_KINDS[utype]
        if src.CODE not in kinds:
            _fail(src, utype, "it applies to %s sources only, not to a %s" % (
                ", ".join(_KIND_NAMES[k] for k in kinds), type(src).__name__))
        SOURCE_MODIFIERS[utype](src, utype, value)
    else:
        raise InvalidInput("the uncertainty %s does not modify sources" % utype)
