"""Reading NRML source models (0.4 and 0.5) into typology objects, with validation.

Every error names the file and the line: unknown typologies, negative rates, dips out
of range, missing elements, inconsistent MFDs.
"""
from __future__ import annotations

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.source import mfd as mfds
from oqcore.hazard.source.groups import SourceGroup
from oqcore.hazard.source.kite import read_kite_profiles
from oqcore.hazard.source.kite_fault import (KiteFaultSource, kite_fault_surface,
                                             profiles_from_simple_fault)
from oqcore.hazard.source.multi_fault import (MultiFaultSource, attach_sections,
                                              read_geometry_model, read_multi_fault)
from oqcore.hazard.source.nonparametric import read_nonparametric
from oqcore.hazard.source.scaling import msr_from_text
from oqcore.hazard.source.typology import (AreaSource, CharacteristicFaultSource,
                                           ComplexFaultSource,
                                           MagDependentAspectRatio, MultiPointSource,
                                           NodalPlane, PointSource, SimpleFaultSource)
from oqcore.nrml import reader

KNOWN_BUT_UNSUPPORTED: tuple = ()
#: the MFD elements read, in the order they are looked for
MFD_TAGS = ("truncGutenbergRichterMFD", "incrementalMFD", "arbitraryMFD",
            "YoungsCoppersmithMFD", "taperedGutenbergRichterMFD", "multiMFD",
            "alternativeCharacteristicMFD")


class SourceConverter:
    """Turns source nodes into typology objects.

    :param width_of_mfd_bin: bin width of truncated GR MFDs
    :param area_source_discretization: grid step in km for area sources
    :param rupture_mesh_spacing: km, for simple faults and characteristic surfaces
    :param complex_fault_mesh_spacing: km, for complex faults
    """

    def __init__(self, width_of_mfd_bin=None, area_source_discretization=None,
                 rupture_mesh_spacing=5.0, complex_fault_mesh_spacing=None,
                 infer_occur_rates=False, floating_x_step=0.0, floating_y_step=0.0):
        self.width_of_mfd_bin = width_of_mfd_bin or 1.0
        self.area_source_discretization = area_source_discretization or 10.0
        self.rupture_mesh_spacing = rupture_mesh_spacing
        self.complex_fault_mesh_spacing = complex_fault_mesh_spacing or rupture_mesh_spacing
        self.infer_occur_rates = infer_occur_rates
        self.floating_x_step = floating_x_step or 0.0
        self.floating_y_step = floating_y_step or 0.0

    # ------------------------------------------------------------ pieces
    def convert_mfd(self, node):
        """The MFD of a source node (a :class:`~oqcore.hazard.source.mfd.SlipRateGRSpec`
        for a truncated GR given by slip rate, resolved by :meth:`convert`)."""
        for tag in MFD_TAGS:
            m = node.find(tag)
            if m is not None:
                break
        else:
            found = [n.tag for n in node if n.tag.endswith("MFD")]
            if found:
                raise node.error("source %r: the MFD <%s> is not supported (known: %s)" % (
                    node.get("id"), found[0], ", ".join(MFD_TAGS)))
            raise node.error("source %r has no MFD" % node.get("id"))
        try:
            obj = self._mfd(tag, m)
            obj.check()
        except InvalidInput:
            raise
        except ValueError as exc:
            raise m.error("invalid %s: %s" % (tag, exc))
        return obj

    def _mfd(self, tag, m):
        if tag == "truncGutenbergRichterMFD":
            if m.get("slipRate") is not None:
                return mfds.SlipRateGRSpec(
                    m.attr("minMag", float), m.attr("maxMag", float),
                    self.width_of_mfd_bin, m.attr("bValue", float),
                    m.attr("slipRate", float), m.attr("rigidity", float))
            return mfds.TruncatedGRMFD(m.attr("minMag", float), m.attr("maxMag", float),
                                       self.width_of_mfd_bin, m.attr("aValue", float),
                                       m.attr("bValue", float))
        if tag == "taperedGutenbergRichterMFD":
            return mfds.TaperedGRMFD(m.attr("minMag", float), m.attr("maxMag", float),
                                     m.attr("cornerMag", float), self.width_of_mfd_bin,
                                     m.attr("aValue", float), m.attr("bValue", float))
        if tag == "incrementalMFD":
            rates = m.child("occurRates").floats()
            return mfds.EvenlyDiscretizedMFD(m.attr("minMag", float),
                                             m.attr("binWidth", float), rates)
        if tag == "arbitraryMFD":
            return mfds.ArbitraryMFD(m.child("magnitudes").floats(),
                                     m.child("occurRates").floats())
        if tag == "alternativeCharacteristicMFD":
            from oqcore.hazard.source import mfd_ac
            return mfd_ac.from_node(m, self.width_of_mfd_bin)
        if tag == "multiMFD":
            fields = {n.tag: n.floats() for n in m if n.tag != "lengths"}
            lengths = m.find("lengths")
            return mfds.multi_mfd(m.attr("kind"), m.attr("size", int), fields,
                                  None if lengths is None else lengths.floats(),
                                  self.width_of_mfd_bin)
        return mfds.YoungsCoppersmith1985MFD(
            m.attr("minMag", float), m.attr("bValue", float),
            m.attr("characteristicMag", float),
            m.attr("characteristicRate", float, None), m.attr("binWidth", float),
            m.attr("totalMomentRate", float, None))

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
        # [(probability, depth)], each checked to sum to 1, and the fixedDipFrac of
        # the depths (None when no depth has one)
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
        hdd, fracs = [], []
        for n in node.child("hypoDepthDist").findall("hypoDepth"):
            depth = n.attr("depth", float)
            if not usd <= depth <= lsd:
                raise n.error("hypocentral depth %s is outside the seismogenic layer "
                              "[%s, %s]" % (depth, usd, lsd))
            hdd.append((n.attr("probability", float), depth))
            fdf = n.get("fixedDipFrac")
            if fdf is not None:
                try:
                    fdf = float(fdf)
                except ValueError:
                    raise n.error("fixedDipFrac %r is not a number" % fdf) from None
                if not 0 <= fdf <= 1:
                    raise n.error("fixedDipFrac %s is out of range [0, 1]" % fdf)
            fracs.append(fdf)
        for what, pmf, nd in (("nodalPlaneDist", npd, node.child("nodalPlaneDist")),
                              ("hypoDepthDist", hdd, node.child("hypoDepthDist"))):
            if not pmf:
                raise nd.error("empty <%s>" % what)
            total = sum(p for p, _ in pmf)
            if abs(total - 1) > 1e-6:
                raise nd.error("the probabilities of <%s> sum to %s, not 1" % (what, total))
        fracs = None if all(f is None for f in fracs) else [
            0.5 if f is None else f for f in fracs]
        return npd, hdd, fracs

    def _aspect(self, node):
        """<ruptAspectRatio> (a number) or <aspectRatioFunction> (a
        MagDependentAspectRatio); one of them, not both."""
        arf = node.find("aspectRatioFunction")
        if arf is None:
            return self._float(node, "ruptAspectRatio", 0)
        if node.find("ruptAspectRatio") is not None:
            raise node.error("source %r has both <ruptAspectRatio> and "
                             "<aspectRatioFunction>" % node.get("id"))
        kind = arf.child("type").text.strip()
        if kind != "linear_piecewise":
            raise arf.error("unsupported aspectRatioFunction type %r (known: "
                            "linear_piecewise)" % kind)
        points = [(p.attr("mag", float), p.attr("aratio", float))
                  for p in arf.child("mag_points").findall("mag_point")]
        if len(points) != 2:
            raise arf.error("a linear_piecewise aspectRatioFunction needs two "
                            "<mag_point>, got %d" % len(points))
        (m1, a1), (m2, a2) = points
        if m1 <= 0 or not m1 < m2:
            raise arf.error("the magnitudes of the aspectRatioFunction must be positive "
                            "and increasing, got %s, %s" % (m1, m2))
        if a1 <= 0 or a2 <= 0:
            raise arf.error("aspect ratios must be positive, got %s, %s" % (a1, a2))
        return MagDependentAspectRatio((m1, m2), (a1, a2))

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
        if tag in WITHOUT_MFD:
            return src
        src.mfd = self.convert_mfd(node)
        if isinstance(src.mfd, mfds.SlipRateGRSpec):
            from oqcore.hazard.source.modify import fault_surface_area
            if src.CODE not in "SCX":
                raise node.error("source %r: an MFD given by slip rate needs a fault source"
                                 % sid)
            src.mfd = src.mfd.resolve(fault_surface_area(src))
        n_points = len(getattr(src, "lons", ()))
        if isinstance(src, MultiPointSource) != isinstance(src.mfd, mfds.MultiMFD):
            raise node.error("source %r: a multiPointSource needs a <multiMFD> and a "
                             "<multiMFD> needs a multiPointSource" % sid)
        if isinstance(src.mfd, mfds.MultiMFD) and len(src.mfd) != n_points:
            raise node.error("source %r: the multiMFD has size %d but there are %d "
                             "points" % (sid, len(src.mfd), n_points))
        return src

    def point_source(self, node, common: dict) -> PointSource:
        """A <pointSource> node -> :class:`PointSource`."""
        geom = node.child("pointGeometry")
        lon, lat = geom.child("Point").child("pos").floats()[:2]
        _check_lonlat(geom, lon, lat)
        usd, lsd = self._depths(geom)
        planes, depths, fracs = self._plane_and_depth_distributions(node, usd, lsd)
        return PointSource(**common, lon=lon, lat=lat, upper_seismogenic_depth=usd,
                           lower_seismogenic_depth=lsd, msr=self.convert_msr(node),
                           rupture_aspect_ratio=self._aspect(node), nodal_planes=planes,
                           hypo_depths=depths, hypo_dip_fracs=fracs)

    def multi_point_source(self, node, common: dict) -> MultiPointSource:
        """A <multiPointSource> node -> :class:`MultiPointSource` (coordinates in
        single precision, as OpenQuake stores them)."""
        geom = node.child("multiPointGeometry")
        pos = geom.child("posList")
        coo = pos.floats()
        if len(coo) % 2 or not coo:
            raise pos.error("a multiPointGeometry needs lon, lat pairs")
        lons = np.array(coo[::2], np.float32).astype(float)
        lats = np.array(coo[1::2], np.float32).astype(float)
        for lon, lat in zip(lons, lats):
            _check_lonlat(pos, lon, lat)
        usd, lsd = self._depths(geom)
        planes, depths, fracs = self._plane_and_depth_distributions(node, usd, lsd)
        return MultiPointSource(**common, lons=lons, lats=lats,
                                upper_seismogenic_depth=usd, lower_seismogenic_depth=lsd,
                                msr=self.convert_msr(node),
                                rupture_aspect_ratio=self._aspect(node),
                                nodal_planes=planes, hypo_depths=depths,
                                hypo_dip_fracs=fracs)

    def nonparametric_source(self, node, common: dict):
        """A <nonParametricSeismicSource> node -> its NonParametricSource."""
        return read_nonparametric(node, common, self.rupture_mesh_spacing,
                                  self.complex_fault_mesh_spacing)

    def multi_fault_source(self, node, common: dict):
        """A <multiFaultSource> node -> its MultiFaultSource (sections attached by
        :func:`read_source_model`)."""
        return read_multi_fault(node, common, self.infer_occur_rates)

    def kite_fault_source(self, node, common: dict) -> KiteFaultSource:
        """A <kiteFaultSource> node (profiles of a <kiteSurface>, or a
        <simpleFaultGeometry>) -> :class:`KiteFaultSource`."""
        aspect = self._aspect(node)
        if isinstance(aspect, MagDependentAspectRatio):
            raise node.error("source %r: aspectRatioFunction is not supported for a "
                             "kiteFaultSource" % common["source_id"])
        geom = node.find("simpleFaultGeometry")
        if geom is not None:
            trace, usd, lsd, dip = self._simple_geometry(geom)
            profiles = profiles_from_simple_fault(trace, usd, lsd, dip,
                                                  self.rupture_mesh_spacing)
        else:
            profiles = read_kite_profiles(node.child("kiteSurface"))
        src = KiteFaultSource(**common, profiles=profiles, rake=self._rake(node),
                              msr=self.convert_msr(node), rupture_aspect_ratio=aspect,
                              mesh_spacing=self.rupture_mesh_spacing,
                              floating_x_step=self.floating_x_step,
                              floating_y_step=self.floating_y_step)
        try:
            kite_fault_surface(src)
        except ValueError as exc:
            raise node.error("source %r: %s" % (common["source_id"], exc)) from None
        return src

    def area_source(self, node, common: dict) -> AreaSource:
        """An <areaSource> node -> :class:`AreaSource`."""
        geom = node.child("areaGeometry")
        pos = geom.child("Polygon").child("exterior").child("LinearRing").child("posList")
        coo = pos.floats()
        if len(coo) % 2 or len(coo) < 6:
            raise pos.error("a polygon needs at least 3 lon, lat pairs")
        lons, lats = np.array(coo[::2]), np.array(coo[1::2])
        usd, lsd = self._depths(geom)
        planes, depths, fracs = self._plane_and_depth_distributions(node, usd, lsd)
        return AreaSource(**common, polygon_lons=lons, polygon_lats=lats,
                          upper_seismogenic_depth=usd, lower_seismogenic_depth=lsd,
                          msr=self.convert_msr(node), rupture_aspect_ratio=self._aspect(node),
                          nodal_planes=planes, hypo_depths=depths,
                          hypo_dip_fracs=fracs,
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
        # strike and dip are optional: the surfaces take them from the corners
        strike, dip = n.get("strike"), n.get("dip")
        return dict(strike=None if strike is None else n.attr("strike", float),
                    dip=None if dip is None else n.attr("dip", float),
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
    "multiPointSource": SourceConverter.multi_point_source,
    "nonParametricSeismicSource": SourceConverter.nonparametric_source,
    "multiFaultSource": SourceConverter.multi_fault_source,
    "kiteFaultSource": SourceConverter.kite_fault_source,
    "simpleFaultSource": SourceConverter.simple_fault_source,
    "complexFaultSource": SourceConverter.complex_fault_source,
    "characteristicFaultSource": SourceConverter.characteristic_fault_source,
}
#: the typologies without an MFD (their ruptures carry their own occurrence)
WITHOUT_MFD = ("nonParametricSeismicSource", "multiFaultSource")
#: the supported source typologies (NRML tags)
TYPOLOGIES = tuple(CONVERTERS)


def _check_lonlat(node, lon, lat):
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise node.error("invalid coordinates lon=%s, lat=%s" % (lon, lat))


def read_group_attributes(node, fname: str, ordinal: int) -> SourceGroup:
    """The combination attributes of a <sourceGroup> (see
    :class:`~oqcore.hazard.source.groups.SourceGroup`), checked."""
    def choice(name, default, allowed):
        value = node.get(name, default)
        if value not in allowed:
            raise node.error("%s=%r is not one of %s" % (name, value, ", ".join(allowed)))
        return value

    def number(name, default=None, positive=False):
        value = node.get(name)
        if value is None:
            return default
        try:
            x = float(value)
        except ValueError:
            raise node.error("%s=%r is not a number" % (name, value)) from None
        if positive and not x > 0:
            raise node.error("%s=%s must be positive" % (name, x))
        return x

    src_interdep = choice("src_interdep", "indep", ("indep", "mutex"))
    rup_interdep = choice("rup_interdep", "indep", ("indep", "mutex"))
    cluster = choice("cluster", "false", ("true", "false")) == "true"
    tom = choice("tom", "PoissonTOM", ("PoissonTOM", "NegativeBinomialTOM"))
    weights = None
    if src_interdep == "mutex":
        text = node.get("srcs_weights")
        if text is None:
            raise node.error("a group with src_interdep='mutex' needs srcs_weights")
        try:
            weights = [float(w) for w in text.split()]
        except ValueError:
            raise node.error("srcs_weights must be numbers, got %r" % text) from None
        if abs(sum(weights) - 1) > 5e-6:
            raise node.error("srcs_weights sum to %s, not 1" % sum(weights))
    group = SourceGroup(
        name=node.get("name", ""), src_interdep=src_interdep, rup_interdep=rup_interdep,
        srcs_weights=weights, cluster=cluster, tom=tom,
        occurrence_rate=number("occurrence_rate", positive=True),
        mu=number("mu", positive=True), alpha=number("alpha", positive=True),
        grp_probability=number("grp_probability", 1.0), lineno=node.lineno,
        key=(fname, ordinal))
    if cluster and group.occurrence_rate is None:
        raise node.error("a cluster group needs tom='PoissonTOM' and an occurrence_rate")
    if tom == "NegativeBinomialTOM" and (group.mu is None or group.alpha is None):
        raise node.error("the NegativeBinomialTOM needs mu and alpha")
    if not 0 <= group.grp_probability <= 1:
        raise node.error("grp_probability=%s is out of range [0, 1]" % group.grp_probability)
    return group


def read_geometry_file(fname: str, converter: SourceConverter):
    """The :class:`~oqcore.hazard.source.multi_fault.GeometryModel` of a
    <geometryModel> file, or None when the file holds something else."""
    root = reader.parse(fname)
    if root.tag != "geometryModel":
        return None
    return read_geometry_model(root, converter.rupture_mesh_spacing)


def read_source_model(fname: str, converter: SourceConverter, geometry=None,
                      require_sections: bool = True) -> list:
    """All the sources of an NRML source model file (0.4 flat or 0.5 with groups).

    :param geometry: the GeometryModel of the multi-fault sources (from the
        sections file of the same logic-tree branch); a <geometryModel> file itself
        holds no sources (an empty list)
    :param require_sections: False to read multi-fault sources without their
        sections (checking a file alone)
    """
    root = reader.parse(fname)
    if root.tag == "geometryModel":
        return []
    if root.tag != "sourceModel":
        raise root.error("expected <sourceModel>, got <%s>" % root.tag)
    out = []
    ids = set()
    for ordinal, child in enumerate(root):
        group = None
        if child.tag == "sourceGroup":
            group = read_group_attributes(child, fname, ordinal)
            trt = child.get("tectonicRegion")
            nodes = [(n, trt) for n in child]
            if group.src_interdep == "mutex" and group.srcs_weights is not None and \
                    len(group.srcs_weights) != len(nodes):
                raise child.error("%d srcs_weights for %d sources" % (
                    len(group.srcs_weights), len(nodes)))
        else:
            nodes = [(child, None)]
        for n, trt in nodes:
            src = converter.convert(n, trt)
            src.group = group
            if n.get("tom") is not None:  # a temporal occurrence model of its own
                own = read_group_attributes(n, fname, ordinal)
                src.group = attrs.evolve(group or own, tom=own.tom, mu=own.mu,
                                         alpha=own.alpha,
                                         key=(fname, ordinal, src.source_id))
            if isinstance(src, MultiFaultSource) and (geometry or require_sections):
                attach_sections(src, geometry)
            if src.source_id in ids:
                raise n.error("duplicated source ID %r" % src.source_id)
            ids.add(src.source_id)
            out.append(src)
    return out
