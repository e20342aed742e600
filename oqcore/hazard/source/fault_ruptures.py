"""Rupture-site contexts of fault sources (simple, complex, characteristic), built as
OpenQuake 3.26 builds their ruptures.

* **Simple and complex faults** float ruptures over the fault mesh (built with the
  rupture mesh spacing, resp. the complex fault mesh spacing). For each MFD magnitude
  the rupture area comes from the magnitude scaling relation (``msr.get_median_area(
  mag, rake)``) and the rupture shape from the aspect ratio; the positions are those
  of :mod:`oqcore.hazard.geo.ruptures`, in OpenQuake's order. Every position has the
  rate of the magnitude divided by the number of positions. The hypocentre is the
  middle point of the sub-mesh; simple faults with a ``hypoList`` *and* a
  ``slipList`` give one rupture per (hypocentre, slip) pair at every position, with
  the rate times both weights; simple faults with a ``hypoDepthDist`` one rupture per
  distinct down-dip fraction (see
  :func:`oqcore.hazard.geo.ruptures.simple_fault_floating`).
* **Characteristic faults** give one rupture per magnitude on the whole surface, its
  hypocentre the middle point of the surface. A surface made of several elements
  (several planes, or several geometries from a logic-tree branch) is their union,
  OpenQuake's ``MultiSurface``: rrup and rjb are the minimum over the elements; ztor,
  dip, width and strike the area-weighted means of the elements' values (a circular
  mean for strike) in single precision; rx and ry0 come from the generalised
  coordinates (GC2) of the elements' top edges; the hypocentre is the middle point of
  the element closest to the centre of the bounding box (GC2: :mod:`oqcore.hazard.geo.gc2`).

Rupture fields, as OpenQuake's context maker sets them: ``mag`` rounded to 3 decimals
(by :meth:`ContextMaker.finish`, for every source typology), ``ztor`` the minimum
depth of the top edge (km), ``dip`` and ``strike`` the mean inclination and azimuth of
the rupture mesh (top row of cells for simple faults, degrees), ``width`` the mean
width (km), ``hypo_*`` the hypocentre. A rupture-site pair is kept where ``rrup <=
max_dist(mag)``; ``minimum_distance`` is applied afterwards by
:meth:`ContextMaker.finish`.

Speed: the sites are first filtered with their distance to the whole fault mesh (a
lower bound of the distance to any rupture on it); distances are computed by the
numba kernels (:func:`oqcore.hazard.geo.surface.mesh_distances`,
:func:`oqcore.hazard.geo.planar.planar_distances`) for all the ruptures of a
magnitude at once, the projected rjb polygons only when some site is closer than
40 km, and the contexts are assembled with array operations.
"""
from __future__ import annotations

import math
from typing import Iterator, Sequence

import numpy as np

from oqcore.hazard.geo import gc2, geodetic
from oqcore.hazard.geo.closest import mesh_closest_points
from oqcore.hazard.geo.mesh import RectangularMesh
from oqcore.hazard.geo.planar import PlanarSurface, planar_distances
from oqcore.hazard.geo.ruptures import (complex_fault_rupture_slices,
                                        simple_fault_floating,
                                        simple_fault_rupture_slices)
from oqcore.hazard.geo.surface import (BaseSurface, ComplexFaultSurface,
                                       SimpleFaultSurface, mesh_distances, mesh_windows,
                                       pack_meshes, simple_window_params,
                                       window_distances, window_middle_points)
from oqcore.hazard.contexts import rupture_param_fields, surface_points
from oqcore.hazard.source.ruptures import mag_rates, rupture_context
from oqcore.hazard.source.typology import (CharacteristicFaultSource,
                                           ComplexFaultSource, SimpleFaultSource,
                                           aspect_ratio_at)


class Sites:
    """A minimal site collection: ``lons``, ``lats`` (degrees), ``depths`` (km),
    arrays (N,)."""

    def __init__(self, lons: np.ndarray, lats: np.ndarray, depths: np.ndarray):
        self.lons = np.ascontiguousarray(lons, float)
        self.lats = np.ascontiguousarray(lats, float)
        self.depths = np.ascontiguousarray(depths, float)

    def __len__(self) -> int:
        return len(self.lons)

    @classmethod
    def of(cls, sitecol, sids: np.ndarray | None = None) -> "Sites":
        """The sites ``sids`` (all when None) of a site collection."""
        if sids is None:
            return cls(sitecol.lons, sitecol.lats, sitecol.depths)
        return cls(np.asarray(sitecol.lons)[sids], np.asarray(sitecol.lats)[sids],
                   np.asarray(sitecol.depths)[sids])


# ---------------------------------------------------------------------------
# rupture sets: the positions of one magnitude and the ruptures on them
# ---------------------------------------------------------------------------

class RuptureSet:
    """The ruptures of one magnitude: P surfaces (positions) and U >= P ruptures.

    :ivar mesh: the whole fault mesh (None for a single planar or multi-element
        surface)
    :ivar windows: (P, 4) the surfaces as windows (r0, r1, c0, c1) of ``mesh``
    :ivar pos: (U,) index of the surface of each rupture
    :ivar hypos: (U, 3) hypocentres: lon, lat (degrees), depth (km)
    :ivar weights: (U,) fraction of the magnitude's rate of each rupture
    :ivar strike, dip, width, ztor: (P,) surface parameters (degrees, km)
    """

    def __init__(self, mesh, windows, pos, hypos, weights, strike, dip, width, ztor):
        self.mesh = mesh
        self.windows = np.asarray(windows, np.int64).reshape(-1, 4)
        self.pos = np.asarray(pos, np.int64)
        self.hypos = np.asarray(hypos, float).reshape(-1, 3)
        self.weights = np.asarray(weights, float)
        self.strike = np.asarray(strike, float)
        self.dip = np.asarray(dip, float)
        self.width = np.asarray(width, float)
        self.ztor = np.asarray(ztor, float)
        #: (lons, lats) of the surface nodes when there is no whole mesh
        self.points = None

    def footprints(self) -> list:
        """(lons, lats) of the nodes (degrees) of each of the P surfaces."""
        if self.mesh is None:
            return [self.points] * len(self.windows)
        return [(m.lons, m.lats) for m in self.meshes]

    def __len__(self) -> int:
        return len(self.pos)

    @property
    def meshes(self) -> list:
        """The P surfaces as sub-meshes (None without a whole mesh)."""
        if self.mesh is None:
            return [None] * len(self.windows)
        return [self.mesh[r0:r1, c0:c1] for r0, r1, c0, c1 in self.windows]


def _surface_params(mesh: RectangularMesh, simple: bool) -> tuple:
    """(strike, dip, width, ztor) of a rupture mesh as OpenQuake's Simple/Complex
    fault surfaces compute them (degrees, km)."""
    if simple:
        dip, strike = mesh[0:2].get_mean_inclination_and_azimuth()
        width = mesh[:, 0:2].get_mean_width()
    else:
        dip, strike = mesh.get_mean_inclination_and_azimuth()
        width = mesh.get_mean_width()
    return strike, dip, width, float(mesh.depths[0].min())


def simple_fault_surface(src: SimpleFaultSource) -> SimpleFaultSurface:
    """The whole-fault surface of a simple fault source (rupture mesh spacing)."""
    return SimpleFaultSurface.from_fault_data(
        np.asarray(src.trace, float), src.upper_seismogenic_depth,
        src.lower_seismogenic_depth, src.dip, src.mesh_spacing)


def complex_fault_surface(src: ComplexFaultSource) -> ComplexFaultSurface:
    """The whole-fault surface of a complex fault source (complex fault mesh
    spacing)."""
    return ComplexFaultSurface.from_fault_data(
        [np.asarray(e, float) for e in src.edges], src.mesh_spacing)


def simple_fault_rupture_set(src: SimpleFaultSource, mesh: RectangularMesh,
                             area: float, mag: float = 0.0) -> RuptureSet:
    """The floating ruptures of a simple fault for one rupture area (km²).

    :param mesh: the whole fault mesh
    :param mag: the magnitude (for a magnitude-dependent aspect ratio)
    """
    spacing = src.mesh_spacing
    aspect = aspect_ratio_at(src.rupture_aspect_ratio, mag)
    hypo_depths = getattr(src, "hypo_depths", None) or None
    if src.hypo_list and src.slip_list and not hypo_depths:
        slices = simple_fault_rupture_slices(mesh.shape, spacing, area, aspect)
        windows = mesh_windows(mesh.shape, slices)
        pos, hypos, weights = [], [], []
        for p, s in enumerate(slices):
            surf = BaseSurface(mesh[s])
            for hw, along, down in src.hypo_list:
                hypo = surf.get_hypo_location(spacing, (along, down))
                for sw, _slip in src.slip_list:
                    pos.append(p)
                    hypos.append(hypo)
                    weights.append(hw * sw / len(slices))
    elif hypo_depths:
        rups = simple_fault_floating(mesh, spacing, area, aspect,
                                     src.upper_seismogenic_depth, src.dip, hypo_depths)
        keys: dict = {}
        slices, pos, hypos, weights = [], [], [], []
        for sl, hypo, w in rups:
            key = (sl[0].start, sl[1].start)
            if key not in keys:
                keys[key] = len(slices)
                slices.append(sl)
            pos.append(keys[key])
            hypos.append(hypo)
            weights.append(w)
        windows = mesh_windows(mesh.shape, slices)
        weights = np.array(weights) / len(slices)
    else:  # one rupture per position, its hypocentre the middle of the window
        windows = mesh_windows(mesh.shape, simple_fault_rupture_slices(
            mesh.shape, spacing, area, aspect))
        n = len(windows)
        pos = np.arange(n)
        hypos = window_middle_points(mesh, windows) if n else np.zeros((0, 3))
        weights = np.full(n, 1.0 / max(n, 1))
    if len(windows) == 0:
        return RuptureSet(mesh, windows, [], np.zeros((0, 3)), [], [], [], [], [])
    return RuptureSet(mesh, windows, pos, hypos, weights,
                      *simple_window_params(mesh, windows))


def complex_fault_rupture_set(src: ComplexFaultSource, mesh: RectangularMesh,
                              area: float, cell_dims=None, mag: float = 0.0
                              ) -> RuptureSet:
    """The floating ruptures of a complex fault for one rupture area (km²).

    :param mesh: the whole fault mesh
    :param cell_dims: ``mesh.get_cell_dimensions()`` (computed when None)
    """
    if cell_dims is None:
        cell_dims = mesh.get_cell_dimensions()
    _, cell_length, _, cell_area = cell_dims
    slices = complex_fault_rupture_slices(
        area, math.sqrt(area * aspect_ratio_at(src.rupture_aspect_ratio, mag)),
        cell_area, cell_length)
    meshes = [mesh[s] for s in slices]
    hypos = [m.get_middle_point() for m in meshes]
    n = len(meshes)
    params = np.array([_surface_params(m, False) for m in meshes]).reshape(-1, 4).T
    return RuptureSet(mesh, mesh_windows(mesh.shape, slices), np.arange(n), hypos,
                      np.full(n, 1.0 / max(n, 1)), *params)


# ---------------------------------------------------------------------------
# distances
# ---------------------------------------------------------------------------

def rupture_mesh_distances(meshes: Sequence[RectangularMesh], strikes: np.ndarray,
                           sites: Sites, need_polygons: bool = True) -> np.ndarray:
    """rrup, rjb, rx, ry0 (km) of R rupture meshes and N sites.

    :param strikes: (R,) mean strikes (degrees) used for ry0
    :param need_polygons: False when no site is within 40 km of the surface
        projection of any mesh node (the rjb polygons are then not built)
    :returns: array (4, R, N)
    """
    packed = pack_meshes(meshes, need_polygons)
    return np.array(mesh_distances(packed, sites, np.asarray(strikes, float)))


def planar_surface(data: dict) -> PlanarSurface:
    """A :class:`PlanarSurface` from a ``planarSurface`` node's data (corners in
    topLeft, topRight, bottomLeft, bottomRight order); strike and dip are computed
    from the corners, as OpenQuake does."""
    tl, tr, bl, br = np.asarray(data["corners"], float)
    return PlanarSurface.from_corner_points(tl, tr, br, bl)


def surface_distances(surface, sites: Sites) -> np.ndarray:
    """rrup, rjb, rx, ry0 (km) of one surface (mesh-based or planar) and N sites.

    :returns: array (4, N)
    """
    if isinstance(surface, PlanarSurface):
        pts = np.column_stack([sites.lons, sites.lats, sites.depths])
        return np.array(planar_distances(surface.corners[None], pts,
                                         [surface.strike]))[:, 0]
    return rupture_mesh_distances([surface.mesh], [surface.get_strike()], sites)[:, 0]


# ---------------------------------------------------------------------------
# contexts
# ---------------------------------------------------------------------------

def _contexts(cmaker, mag: float, rate: float, rake: float, rset: RuptureSet,
              dists: np.ndarray, sids: np.ndarray, sites: Sites, maxdist: float
              ) -> np.ndarray:
    """The context array of the ruptures of one magnitude.

    :param dists: (4, P, n) rrup, rjb, rx, ry0 of the P surfaces and the n sites
    :param sids: (n,) site indices
    """
    close = cmaker.within(dists[0], maxdist, planar=False)  # (P, n)
    upos, usite = np.nonzero(close[rset.pos])            # pairs (rupture, site)
    if len(upos) == 0:
        return cmaker.new_context(0)
    p = rset.pos[upos]
    hyp = rset.hypos[upos]
    closest = {}
    if cmaker.closest:
        closest["clon"], closest["clat"] = rupture_closest_points(rset, upos, usite, sites)
    return rupture_context(
        cmaker, sids[usite], (hyp[:, 0], hyp[:, 1], hyp[:, 2]), sites.lons[usite],
        sites.lats[usite], sites.depths[usite], mag=mag, rake=rake,
        dip=rset.dip[p], strike=rset.strike[p], ztor=rset.ztor[p], width=rset.width[p],
        occurrence_rate=rate * rset.weights[upos], rrup=dists[0][p, usite],
        rjb=dists[1][p, usite], rx=dists[2][p, usite], ry0=dists[3][p, usite], **closest,
        **rupture_param_fields(cmaker, rset.footprints, p))


def rupture_closest_points(rset: RuptureSet, upos: np.ndarray, usite: np.ndarray,
                           sites: Sites) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat of the rupture points closest to the sites, for the (rupture, site)
    pairs ``rset.pos[upos]``, ``usite``: the nearest mesh node, or the hypocentre of
    surfaces without a single mesh (planar and multi-element characteristic ones)."""
    clon, clat = rset.hypos[upos, 0].copy(), rset.hypos[upos, 1].copy()
    p = rset.pos[upos]
    if rset.mesh is None:
        return clon, clat
    for q in np.unique(p):
        r0, r1, c0, c1 = rset.windows[q]
        lons, lats = mesh_closest_points(rset.mesh[r0:r1, c0:c1], sites)
        sel = p == q
        clon[sel], clat[sel] = lons[usite[sel]], lats[usite[sel]]
    return clon, clat


def _prefilter(cmaker, mesh: RectangularMesh, mags: np.ndarray):
    """Sites possibly within the integration distance of a fault (rrup to the whole
    mesh, a lower bound of the rrup of any rupture on it).

    :returns: (sids (n,), whole-mesh rrup (n,), magdist (M,)) or None
    """
    magdist = np.array([cmaker.max_dist(m) for m in mags])
    if len(mags) == 0 or not (magdist > 0).any():
        return None
    rrup = mesh.get_min_distance(Sites.of(cmaker.sitecol))
    sids = np.flatnonzero(rrup <= magdist.max())
    if len(sids) == 0:
        return None
    return sids, rrup[sids], magdist


#: the most rupture-site pairs whose distances are computed in one kernel call
MAX_PAIRS = 2_000_000


def floating_contexts(src, cmaker) -> Iterator[np.ndarray]:
    """Contexts of a simple or complex fault source (floating ruptures).

    The distances of the ruptures of several magnitudes (up to :data:`MAX_PAIRS`
    rupture-site pairs) come from one call of the window kernel
    (:func:`oqcore.hazard.geo.surface.window_distances`).

    :yields: one context array per magnitude (rows: rupture-site pairs with
        ``rrup <= max_dist(mag)``)
    """
    mags, rates = mag_rates(src, cmaker.min_mag)
    if len(mags) == 0:
        return
    simple = isinstance(src, SimpleFaultSource)
    surface = simple_fault_surface(src) if simple else complex_fault_surface(src)
    mesh = surface.mesh
    pre = _prefilter(cmaker, mesh, mags)
    if pre is None:
        return
    sids, whole, magdist = pre
    cell_dims = None if simple else mesh.get_cell_dimensions()
    todo = []  # (mag, rate, max distance, rupture set, site mask)
    for mag, rate, md in zip(mags, rates, magdist):
        if md <= 0:  # magnitude outside the integration-distance range
            continue
        sel = whole <= md
        if not sel.any():
            continue
        area = src.msr.get_median_area(mag, src.rake)
        if simple:
            rset = simple_fault_rupture_set(src, mesh, area, mag)
        else:
            rset = complex_fault_rupture_set(src, mesh, area, cell_dims, mag)
        if len(rset):
            todo.append((mag, rate, md, rset, sel))
    start = 0
    while start < len(todo):  # groups of magnitudes, one kernel call each
        stop, pairs = start, 0
        while stop < len(todo) and (stop == start or pairs + len(
                todo[stop][3].windows) * todo[stop][4].sum() <= MAX_PAIRS):
            pairs += len(todo[stop][3].windows) * todo[stop][4].sum()
            stop += 1
        group = todo[start:stop]
        sel = np.logical_or.reduce([g[4] for g in group])
        gsids = sids[sel]
        sites = Sites.of(cmaker.sitecol, gsids)
        dists = window_distances(mesh, np.concatenate([g[3].windows for g in group]),
                                 np.concatenate([g[3].strike for g in group]), sites)
        off = 0
        for mag, rate, md, rset, _ in group:
            P = len(rset.windows)
            ctx = _contexts(cmaker, mag, rate, src.rake, rset, dists[:, off:off + P],
                            gsids, sites, md)
            off += P
            if len(ctx):
                yield ctx
        start = stop


def characteristic_surfaces(src: CharacteristicFaultSource) -> list:
    """The surface elements of a characteristic fault source: SimpleFaultSurface,
    ComplexFaultSurface or PlanarSurface objects."""
    kind = src.surface_kind
    if kind == "simple":
        return [SimpleFaultSurface.from_fault_data(np.asarray(t, float), usd, lsd, dip,
                                                   src.mesh_spacing)
                for t, usd, lsd, dip in src.surface_data]
    if kind == "complex":
        return [ComplexFaultSurface.from_fault_data([np.asarray(e, float) for e in edges],
                                                    src.mesh_spacing)
                for edges in src.surface_data]
    if kind == "planar":
        return [planar_surface(d) for d in src.surface_data]
    raise ValueError("unknown characteristic surface kind %r" % kind)


def multi_surface_params(surfaces: list) -> dict:
    """OpenQuake's MultiSurface parameters of a list of surface elements: area (km²),
    and the area-weighted dip, strike (circular mean), width, ztor (degrees, km),
    all in single precision, and the hypocentre (lon, lat, depth): the middle point
    of the element closest to the middle of the bounding box."""
    f32 = np.float32
    areas = np.array([s.get_area() for s in surfaces], f32)
    dips = np.array([s.get_dip() for s in surfaces], f32)
    strikes = np.array([s.get_strike() for s in surfaces], f32)
    widths = np.array([s.get_width() for s in surfaces], f32)
    ztors = np.array([s.get_top_edge_depth() for s in surfaces], f32)
    bbs = np.array([s.get_bounding_box() for s in surfaces], f32)  # W, E, N, S
    total = areas.sum()
    ws = areas / total
    sin = cos = 0.0
    for d, w in zip(strikes, ws):
        r = math.radians(d)
        sin += math.sin(r) * w
        cos += math.cos(r) * w
    strike = f32(math.degrees(math.atan2(sin, cos)) % 360)
    west, east, north, south = (f32(v) for v in geodetic.spherical_bounding_box(
        np.concatenate([bbs[:, 0], bbs[:, 1]]), np.concatenate([bbs[:, 2], bbs[:, 3]])))
    if len(surfaces) == 1:
        hypo = surfaces[0].get_middle_point()
    else:
        mlon, mlat = geodetic.get_middle_point(float(west), float(north), float(east),
                                               float(south))
        mid = Sites(np.array([mlon]), np.array([mlat]), np.zeros(1))
        rr = [surface_distances(s, mid)[0, 0] for s in surfaces]
        hypo = surfaces[int(np.argmin(rr))].get_middle_point()
    return dict(area=float(total), dip=float(ws @ dips), strike=float(strike),
                width=float(ws @ widths), ztor=float(ws @ ztors),
                hypo=tuple(float(h) for h in hypo))


def characteristic_contexts(src: CharacteristicFaultSource, cmaker
                            ) -> Iterator[np.ndarray]:
    """Contexts of a characteristic fault source: one rupture per magnitude on the
    whole surface (see the module docstring for multi-element surfaces).

    :yields: one context array per magnitude
    """
    mags, rates = mag_rates(src, cmaker.min_mag)
    if len(mags) == 0:
        return
    magdist = np.array([cmaker.max_dist(m) for m in mags])
    if not (magdist > 0).any():
        return
    surfaces = characteristic_surfaces(src)
    allsites = Sites.of(cmaker.sitecol)
    each = np.array([surface_distances(s, allsites) for s in surfaces])  # (E, 4, N)
    rrup = each[:, 0].min(axis=0)
    sids = np.flatnonzero(rrup <= magdist.max())
    if len(sids) == 0:
        return
    sites = Sites.of(cmaker.sitecol, sids)
    if len(surfaces) == 1:
        s = surfaces[0]
        dists = each[0][:, sids]
        strike, dip, width, ztor = (s.get_strike(), s.get_dip(), s.get_width(),
                                    s.get_top_edge_depth())
        hypo = s.get_middle_point()
    else:
        ms = multi_surface_params(surfaces)
        dists = np.empty((4, len(sids)))
        dists[0] = rrup[sids]
        dists[1] = each[:, 1][:, sids].min(axis=0)
        dists[2], dists[3] = gc2.multi_surface_rx_ry0(surfaces, sites.lons, sites.lats)
        strike, dip, width, ztor, hypo = (ms["strike"], ms["dip"], ms["width"],
                                          ms["ztor"], ms["hypo"])
    rset = RuptureSet(None, [(0, 0, 0, 0)], [0], [hypo], [1.0], [strike], [dip], [width],
                      [ztor])
    points = [surface_points(s) for s in surfaces]
    rset.points = (np.concatenate([np.ravel(lo) for lo, _ in points]),
                   np.concatenate([np.ravel(la) for _, la in points]))
    for mag, rate, md in zip(mags, rates, magdist):
        if md <= 0:  # magnitude outside the integration-distance range
            continue
        ctx = _contexts(cmaker, mag, rate, src.rake, rset, dists[:, None, :], sids,
                        sites, md)
        if len(ctx):
            yield ctx


def fault_contexts(src, cmaker) -> Iterator[np.ndarray]:
    """Contexts of a simple, complex or characteristic fault source.

    :param src: a SimpleFaultSource, ComplexFaultSource or CharacteristicFaultSource
    :param cmaker: the ContextMaker of the source's tectonic region type
    :yields: context arrays (``cmaker.dtype``), one per magnitude, with one row per
        rupture-site pair within ``cmaker.max_dist(mag)`` (km)
    :raises ValueError: for other typologies
    """
    if isinstance(src, (SimpleFaultSource, ComplexFaultSource)):
        yield from floating_contexts(src, cmaker)
    elif isinstance(src, CharacteristicFaultSource):
        yield from characteristic_contexts(src, cmaker)
    else:
        raise ValueError("source %r: typology %s is not supported" % (
            getattr(src, "source_id", "?"), type(src).__name__))


# ---------------------------------------------------------------------------
# splitting big fault sources (task balance)
# ---------------------------------------------------------------------------

class _MagnitudeRange:
    """The bins ``start:stop`` of an MFD (an MFD itself: only
    ``get_annual_occurrence_rates``)."""

    def __init__(self, mfd, start: int, stop: int):
        self.mfd = mfd
        self.start, self.stop = start, stop

    def get_annual_occurrence_rates(self):
        return self.mfd.get_annual_occurrence_rates()[self.start:self.stop]


def floating_rupture_counts(src) -> np.ndarray:
    """Number of floating ruptures (positions) of each magnitude bin of a simple or
    complex fault source's MFD, in MFD order (hypocentre and slip distributions not
    counted): the weights used to split the source."""
    from oqcore.hazard.geo.ruptures import count_floating_ruptures
    from oqcore.hazard.source.mfd import occurrence_arrays
    mags, _ = occurrence_arrays(src.mfd)
    simple = isinstance(src, SimpleFaultSource)
    mesh = (simple_fault_surface(src) if simple else complex_fault_surface(src)).mesh
    kind = "simple" if simple else "complex"
    return np.array([count_floating_ruptures(
        kind, mesh, src.mesh_spacing, [src.msr.get_median_area(m, src.rake)],
        aspect_ratio_at(src.rupture_aspect_ratio, m))[0] for m in mags], float)


def split_fault_source(src, counts: np.ndarray, max_ruptures: float) -> list:
    """A simple or complex fault source as pieces of consecutive magnitude bins with
    at most ``max_ruptures`` floating ruptures each (a bin is never split).

    The pieces are copies of the source with the bins of their magnitudes (ids
    ``<source_id>:<k>``, so that per-source results add up under the source id);
    the source itself when it needs no split.

    :param counts: ruptures per magnitude bin (:func:`floating_rupture_counts`)
    :returns: list of (source, number of ruptures)
    """
    import attrs
    total = float(np.sum(counts))
    if total <= max_ruptures or len(counts) < 2:
        return [(src, total)]
    pieces, start, acc = [], 0, 0.0
    for i, n in enumerate(counts):
        if acc and acc + n > max_ruptures:
            pieces.append((start, i, acc))
            start, acc = i, 0.0
        acc += n
    pieces.append((start, len(counts), acc))
    return [(attrs.evolve(src, source_id="%s:%d" % (src.source_id, k),
                          mfd=_MagnitudeRange(src.mfd, a, b)), w)
            for k, (a, b, w) in enumerate(pieces)]
