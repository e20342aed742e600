"""Reading NRML source models (0.4 and 0.5) into typology objects, with validation.

Every error names the file and the line: unknown typologies, negative rates, dips out
of range, missing elements, inconsistent MFDs.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.source import mfd as mfds
from oqcore.hazard.source.scaling import msr_from_text
from oqcore.hazard.source.typology import (AreaSource, CharacteristicFaultSource,
                                           ComplexFaultSource, NodalPlane, PointSource,
                                           SimpleFaultSource)
from oqcore.nrml import reader

KNOWN_BUT_UNSUPPORTED = ("multiPointSource", "nonParametricSeismicSource",
                         "kiteFaultSource", "multiFaultSource")


class SourceConverter:
    """Turns source nodes into typology objects.

    :param width_of_mfd_bin: bin width of truncated GR MFDs
    :param area_source_discretization: grid step in km for area sources
    :param rupture_mesh_spacing: km, for simple faults and characteristic surfaces
    :param complex_fault_mesh_spacing: km, for complex faults
    """

    def __init__(self, width_of_mfd_bin=None, area_source_discretization=None,
                 rupture_mesh_spacing=5.0, complex_fault_mesh_spacing=None):
        self.width_of_mfd_bin = width_of_mfd_bin or 1.0
        self.area_source_discretization = area_source_discretization or 10.0
        self.rupture_mesh_spacing = rupture_mesh_spacing
        self.complex_fault_mesh_spacing = complex_fault_mesh_spacing or rupture_mesh_spacing

    # ------------------------------------------------------------ pieces
    def convert_mfd(self, node):
        """The MFD of a source node."""
        for tag in ("truncGutenbergRichterMFD", "incrementalMFD", "arbitraryMFD",
                    "YoungsCoppersmithMFD", "alternativeCharacteristicMFD"):
            m = node.find(tag)
            if m is not None:
                break
        else:
            raise node.error("source %r has no supported MFD" % node.get("id"))
        try:
            if tag == "truncGutenbergRichterMFD":
                # with slipRate the a-value comes from the fault area (see convert)
                a_val = m.attr("aValue", float, 0.0 if "slipRate" in m.attrib else
                               InvalidInput)
                obj = mfds.TruncatedGRMFD(m.attr("minMag", float), m.attr("maxMag", float),
                                          self.width_of_mfd_bin, a_val,
                                          m.attr("bValue", float))
            elif tag == "incrementalMFD":
                rates = m.child("occurRates").floats()
                obj = mfds.EvenlyDiscretizedMFD(m.attr("minMag", float),
                                                m.attr("binWidth", float), rates)
            elif tag == "arbitraryMFD":
                obj = mfds.ArbitraryMFD(m.child("magnitudes").floats(),
                                        m.child("occurRates").floats())
            elif tag == "alternativeCharacteristicMFD":
                from oqcore.hazard.source import mfd_ac
                obj = mfd_ac.from_node(m, self.width_of_mfd_bin)
            else:
                obj = mfds.YoungsCoppersmith1985MFD(
                    m.attr("minMag", float), m.attr("bValue", float),
                    m.attr("characteristicMag", float),
                    m.attr("characteristicRate", float, None), m.attr("binWidth", float),
                    m.attr("totalMomentRate", float, None))
            obj.check()
        except InvalidInput:
            raise
        except ValueError as exc:
            raise m.error("invalid %s: %s" % (tag, exc))
        return obj

    def convert_msr(self, node):
        """The magnitude-scaling relation."""
        n = node.child("magScaleRel")
        try:
            return msr_from_text(n.text)
        except InvalidInput as exc:
            raise n.error(exc.msg)

    def _float(self, node, tag, lo=None, hi=None):
        n = node.child(tag)
        x = n.float_text()
        if lo is not None and x < lo or hi is not None and x > hi:
            raise n.error("<%s> %s is out of range [%s, %s]" % (tag, x, lo, hi))
        return x

    def _depths(self, geom):
        usd = self._float(geom, "upperSeismoDepth")  # may be negative (above sea level)
        lsd = self._float(geom, "lowerSeismoDepth")
        if lsd <= usd:
            raise geom.error("lowerSeismoDepth %s must be deeper than upperSeismoDepth %s" % (
                lsd, usd))
        return usd, lsd

    def _plane_and_depth_distributions(self, node, usd, lsd):
        # (<nodalPlaneDist>, <hypoDepthDist>) as [(probability, NodalPlane)] and
        # [(probability, depth)], each checked to sum to 1
        npd = []
        for n in node.child("nodalPlaneDist").findall("nodalPlane"):
            prob = n.attr("probability", float)
            strike = n.attr("strike", float)
            dip = n.attr("dip", float)
            rake = n.attr("rake", float)
            if not 0 < dip <= 90:
                raise n.error("dip %s is out of range (0, 90]" % dip)
            if not 0 <= strike <= 360:
                raise n.error("strike %s is out of range [0, 360]" % strike)
            if not -180 <= rake <= 180:
                raise n.error("rake %s is out of range [-180, 180]" % rake)
            npd.append((prob, NodalPlane(strike, dip, rake)))
        hdd = []
        for n in node.child("hypoDepthDist").findall("hypoDepth"):
            depth = n.attr("depth", float)
            if not usd <= depth <= lsd:
                raise n.error("hypocentral depth %s is outside the seismogenic layer "
                              "[%s, %s]" % (depth, usd, lsd))
            hdd.append((n.attr("probability", float), depth))
        for what, pmf, nd in (("nodalPlaneDist", npd, node.child("nodalPlaneDist")),
                              ("hypoDepthDist", hdd, node.child("hypoDepthDist"))):
            if not pmf:
                raise nd.error("empty <%s>" % what)
            total = sum(p for p, _ in pmf)
            if abs(total - 1) > 1e-6:
                raise nd.error("the probabilities of <%s> sum to %s, not 1" % (what, total))
        return npd, hdd

    def _aspect(self, node):
        return self._float(node, "ruptAspectRatio", 0)

    def _rake(self, node):
        r = self._float(node, "rake", -180, 180)
        return r

    # ------------------------------------------------------------ typologies
    def convert(self, node, trt_default=None):
        """One source node -> typology object (dispatched on the node's tag through
        :data:`CONVERTERS`)."""
        tag = node.tag
        sid = node.attr("id")
        trt = node.get("tectonicRegion", trt_default)
        if trt is None:
            raise node.error("source %r has no tectonicRegion" % sid)
        if tag not in CONVERTERS:
            if tag in KNOWN_BUT_UNSUPPORTED:
                raise node.error("the typology %s is not supported yet" % tag)
            raise node.error("unknown source typology <%s>" % tag)
        common = dict(source_id=sid, name=node.get("name", sid), trt=trt, mfd=None,
                      lineno=node.lineno, fname=node.fname or "")
        src = CONVERTERS[tag](self, node, common)
        src.mfd = self.convert_mfd(node)
        gr = node.find("truncGutenbergRichterMFD")
        if gr is not None and "slipRate" in gr.attrib:
            src.mfd = self._mfd_from_slip(src, gr)
        return src

    def _mfd_from_slip(self, src, node):
        """A truncated GR MFD given by slipRate (mm/yr) and rigidity (GPa): the moment
        rate slip × rigidity × fault area (see :mod:`oqcore.hazard.source.modify`)."""
        from oqcore.hazard.source.modify import fault_surface_area
        slip, rigidity = node.attr("slipRate", float), node.attr("rigidity", float)
        if src.CODE not in "SCX":
            raise node.error("slipRate needs a fault source, not a %s" % type(src).__name__)
        area = fault_surface_area(src)
        old = src.mfd
        return mfds.TruncatedGRMFD.from_moment(
            old.min_mag, old.max_mag, old.bin_width, old.b_val,
            slip * 1e-3 * rigidity * 1e9 * area * 1e6,
            9.1)  # OpenQuake 3.26 uses log10 M0 = 1.5 M + 9.1 here

    def point_source(self, node, common: dict) -> PointSource:
        """A <pointSource> node -> :class:`PointSource`."""
        geom = node.child("pointGeometry")
        lon, lat = geom.child("Point").child("pos").floats()[:2]
        _check_lonlat(geom, lon, lat)
        usd, lsd = self._depths(geom)
        planes, depths = self._plane_and_depth_distributions(node, usd, lsd)
        return PointSource(**common, lon=lon, lat=lat, upper_seismogenic_depth=usd,
                           lower_seismogenic_depth=lsd, msr=self.convert_msr(node),
                           rupture_aspect_ratio=self._aspect(node), nodal_planes=planes,
                           hypo_depths=depths)

    def area_source(self, node, common: dict) -> AreaSource:
        """An <areaSource> node -> :class:`AreaSource`."""
        geom = node.child("areaGeometry")
        pos = geom.child("Polygon").child("exterior").child("LinearRing").child("posList")
        coo = pos.floats()
        if len(coo) % 2 or len(coo) < 6:
            raise pos.error("a polygon needs at least 3 lon, lat pairs")
        lons, lats = np.array(coo[::2]), np.array(coo[1::2])
        usd, lsd = self._depths(geom)
        planes, depths = self._plane_and_depth_distributions(node, usd, lsd)
        return AreaSource(**common, polygon_lons=lons, polygon_lats=lats,
                          upper_seismogenic_depth=usd, lower_seismogenic_depth=lsd,
                          msr=self.convert_msr(node), rupture_aspect_ratio=self._aspect(node),
                          nodal_planes=planes, hypo_depths=depths,
                          discretization=geom.attr("discretization", float,
                                                   self.area_source_discretization))

    def simple_fault_source(self, node, common: dict) -> SimpleFaultSource:
        """A <simpleFaultSource> node -> :class:`SimpleFaultSource`."""
        geom = node.child("simpleFaultGeometry")
        trace, usd, lsd, dip = self._simple_geometry(geom)
        hypos, slips = self._hypo_slip_lists(node)
        return SimpleFaultSource(**common, trace=trace, upper_seismogenic_depth=usd,
                                 lower_seismogenic_depth=lsd, dip=dip,
                                 rake=self._rake(node), msr=self.convert_msr(node),
                                 rupture_aspect_ratio=self._aspect(node),
                                 hypo_list=hypos, slip_list=slips,
                                 mesh_spacing=self.rupture_mesh_spacing,
                                 hypo_depths=self._fault_hypo_depths(node, usd, lsd))

    def complex_fault_source(self, node, common: dict) -> ComplexFaultSource:
        """A <complexFaultSource> node -> :class:`ComplexFaultSource`."""
        geom = node.child("complexFaultGeometry")
        return ComplexFaultSource(**common, edges=self._complex_edges(geom),
                                  rake=self._rake(node), msr=self.convert_msr(node),
                                  rupture_aspect_ratio=self._aspect(node),
                                  mesh_spacing=self.complex_fault_mesh_spacing)

    def characteristic_fault_source(self, node, common: dict
                                    ) -> CharacteristicFaultSource:
        """A <characteristicFaultSource> node -> :class:`CharacteristicFaultSource`
        (OpenQuake 3.26 uses only the first simple or complex geometry of the
        surface, and all of its planar surfaces)."""
        surf = node.child("surface")
        if not list(surf):
            raise surf.error("empty <surface>")
        g = surf.nodes[0]
        if g.tag == "simpleFaultGeometry":
            kind, data = "simple", [self._simple_geometry(g)]
            spacing = self.rupture_mesh_spacing
        elif g.tag == "complexFaultGeometry":
            kind, data = "complex", [self._complex_edges(g)]
            spacing = self.complex_fault_mesh_spacing
        elif g.tag == "planarSurface":
            kind, data = "planar", [self._planar(n) for n in surf]
            spacing = self.rupture_mesh_spacing
        else:
            raise g.error("unknown surface %r" % g.tag)
        return CharacteristicFaultSource(**common, surface_kind=kind, surface_data=data,
                                         rake=self._rake(node), mesh_spacing=spacing)

    def _simple_geometry(self, geom):
        pos = geom.child("LineString").child("posList")
        coo = pos.floats()
        if len(coo) % 2 or len(coo) < 4:
            raise pos.error("a fault trace needs at least 2 lon, lat pairs")
        trace = np.array(coo).reshape(-1, 2)
        for lon, lat in trace:
            _check_lonlat(pos, lon, lat)
        dip = self._float(geom, "dip")
        if not 0 < dip <= 90:
            raise geom.child("dip").error("dip %s is out of range (0, 90]" % dip)
        usd, lsd = self._depths(geom)
        return trace, usd, lsd, dip

    def _complex_edges(self, geom):
        edges = []
        for n in geom:
            if n.tag in ("faultTopEdge", "intermediateEdge", "faultBottomEdge"):
                pos = n.child("LineString").child("posList")
                coo = pos.floats()
                if len(coo) % 3 or len(coo) < 6:
                    raise pos.error("an edge needs at least 2 lon, lat, depth triples")
                edges.append(np.array(coo).reshape(-1, 3))
        if len(edges) < 2:
            raise geom.error("a complex fault needs a top and a bottom edge")
        return edges

    def _planar(self, n):
        pts = []
        for tag in ("topLeft", "topRight", "bottomLeft", "bottomRight"):
            c = n.child(tag)
            pts.append((c.attr("lon", float), c.attr("lat", float), c.attr("depth", float)))
        return dict(strike=n.attr("strike", float), dip=n.attr("dip", float),
                    corners=np.array(pts))

    def _fault_hypo_depths(self, node, usd, lsd):
        # optional <hypoDepthDist> of a simple fault: [(prob, depth, fixedDipFrac)]
        hd = node.find("hypoDepthDist")
        if hd is None:
            return []
        out = []
        for n in hd.findall("hypoDepth"):
            depth = n.attr("depth", float)
            if not usd <= depth <= lsd:
                raise n.error("hypocentral depth %s is outside the seismogenic layer "
                              "[%s, %s]" % (depth, usd, lsd))
            fdf = n.get("fixedDipFrac")
            if fdf is not None:
                fdf = float(fdf)
                if not 0 < fdf <= 1:
                    raise n.error("fixedDipFrac %s is out of range (0, 1]" % fdf)
            out.append((n.attr("probability", float), depth, fdf))
        return out

    def _hypo_slip_lists(self, node):
        hypos, slips = [], []
        hl = node.find("hypoList")
        if hl is not None:
            for h in hl.findall("hypo"):
                hypos.append((h.attr("weight", float), h.attr("alongStrike", float),
                              h.attr("downDip", float)))
        sl = node.find("slipList")
        if sl is not None:
            for s in sl.findall("slip"):
                slips.append((s.attr("weight", float), s.float_text()))
        return hypos, slips


#: source typology tag -> converter (a :class:`SourceConverter` method)
CONVERTERS = {
    "pointSource": SourceConverter.point_source,
    "areaSource": SourceConverter.area_source,
    "simpleFaultSource": SourceConverter.simple_fault_source,
    "complexFaultSource": SourceConverter.complex_fault_source,
    "characteristicFaultSource": SourceConverter.characteristic_fault_source,
}
#: the supported source typologies (NRML tags)
TYPOLOGIES = tuple(CONVERTERS)


def _check_lonlat(node, lon, lat):
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise node.error("invalid coordinates lon=%s, lat=%s" % (lon, lat))


def read_source_model(fname: str, converter: SourceConverter) -> list:
    """All the sources of an NRML source model file (0.4 flat or 0.5 with groups)."""
    root = reader.parse(fname)
    if root.tag != "sourceModel":
        raise root.error("expected <sourceModel>, got <%s>" % root.tag)
    out = []
    ids = set()
    for child in root:
        if child.tag == "sourceGroup":
            for attr in ("cluster", "rup_interdep", "src_interdep"):
                if child.get(attr, "false" if attr == "cluster" else "indep") not in (
                        "false", "indep"):
                    raise child.error("source groups with %s=%r are not supported yet" % (
                        attr, child.get(attr)))
            if child.get("tom", "PoissonTOM") != "PoissonTOM":
                raise child.error("the temporal occurrence model %r is not supported yet" %
                                  child.get("tom"))
            trt = child.get("tectonicRegion")
            nodes = [(n, trt) for n in child]
        else:
            nodes = [(child, None)]
        for n, trt in nodes:
            src = converter.convert(n, trt)
            if src.source_id in ids:
                raise n.error("duplicated source ID %r" % src.source_id)
            ids.add(src.source_id)
            out.append(src)
    return out
