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
  the element closest to the centre of the bounding box.

Rupture fields, as OpenQuake's context maker sets them: ``mag`` rounded to 3
decimals, ``ztor`` the minimum depth of the top edge (km), ``dip`` and ``strike`` the
mean inclination and azimuth of the rupture mesh (top row of cells for simple
faults, degrees), ``width`` the mean width (km), ``hypo_*`` the hypocentre. A
rupture-site pair is kept where ``rrup <= max_dist(mag)``; ``minimum_distance`` is
applied afterwards by :meth:`ContextMaker.finish`.

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

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.mesh import RJB_THRESHOLD, RectangularMesh, pack_polygons
from oqcore.hazard.geo.planar import PlanarSurface, planar_distances
from oqcore.hazard.geo.ruptures import (complex_fault_rupture_slices,
                                        simple_fault_floating,
                                        simple_fault_rupture_slices)
from oqcore.hazard.geo.surface import (BaseSurface, ComplexFaultSurface,
                                       SimpleFaultSurface, mesh_distances)
from oqcore.hazard.source.ruptures import mag_rates
from oqcore.hazard.source.typology import (CharacteristicFaultSource,
                                           ComplexFaultSource, SimpleFaultSource)


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

    :ivar meshes: P :class:`RectangularMesh` (None for planar surfaces)
    :ivar pos: (U,) index of the surface of each rupture
    :ivar hypos: (U, 3) hypocentres: lon, lat (degrees), depth (km)
    :ivar weights: (U,) fraction of the magnitude's rate of each rupture
    :ivar strike, dip, width, ztor: (P,) surface parameters (degrees, km)
    """

    def __init__(self, meshes, pos, hypos, weights, strike, dip, width, ztor):
        self.meshes = meshes
        self.pos = np.asarray(pos, np.int64)
        self.hypos = np.asarray(hypos, float).reshape(-1, 3)
        self.weights = np.asarray(weights, float)
        self.strike = np.asarray(strike, float)
        self.dip = np.asarray(dip, float)
        self.width = np.asarray(width, float)
        self.ztor = np.asarray(ztor, float)

    def __len__(self) -> int:
        return len(self.pos)


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
                             area: float) -> RuptureSet:
    """The floating ruptures of a simple fault for one rupture area (km²).

    :param mesh: the whole fault mesh
    """
    spacing = src.mesh_spacing
    hypo_depths = getattr(src, "hypo_depths", None) or None
    if src.hypo_list and src.slip_list and not hypo_depths:
        slices = simple_fault_rupture_slices(mesh.shape, spacing, area,
                                             src.rupture_aspect_ratio)
        meshes = [mesh[s] for s in slices]
        pos, hypos, weights = [], [], []
        for p, sub in enumerate(meshes):
            surf = BaseSurface(sub)
            for hw, along, down in src.hypo_list:
                hypo = surf.get_hypo_location(spacing, (along, down))
                for sw, _slip in src.slip_list:
                    pos.append(p)
                    hypos.append(hypo)
                    weights.append(hw * sw / len(slices))
    else:
        rups = simple_fault_floating(mesh, spacing, area, src.rupture_aspect_ratio,
                                     src.upper_seismogenic_depth, src.dip, hypo_depths)
        keys: dict = {}
        meshes, pos, hypos, weights = [], [], [], []
        for slices, hypo, w in rups:
            key = (slices[0].start, slices[1].start)
            if key not in keys:
                keys[key] = len(meshes)
                meshes.append(mesh[slices])
            pos.append(keys[key])
            hypos.append(hypo)
            weights.append(w)
        weights = np.array(weights) / len(meshes)
    params = np.array([_surface_params(m, True) for m in meshes]).reshape(-1, 4).T
    return RuptureSet(meshes, pos, hypos, weights, *params)


def complex_fault_rupture_set(src: ComplexFaultSource, mesh: RectangularMesh,
                              area: float, cell_dims=None) -> RuptureSet:
    """The floating ruptures of a complex fault for one rupture area (km²).

    :param mesh: the whole fault mesh
    :param cell_dims: ``mesh.get_cell_dimensions()`` (computed when None)
    """
    if cell_dims is None:
        cell_dims = mesh.get_cell_dimensions()
    _, cell_length, _, cell_area = cell_dims
    slices = complex_fault_rupture_slices(
        area, math.sqrt(area * src.rupture_aspect_ratio), cell_area, cell_length)
    meshes = [mesh[s] for s in slices]
    hypos = [m.get_middle_point() for m in meshes]
    n = len(meshes)
    params = np.array([_surface_params(m, False) for m in meshes]).reshape(-1, 4).T
    return RuptureSet(meshes, np.arange(n), hypos, np.full(n, 1.0 / max(n, 1)),
                      *params)


# ---------------------------------------------------------------------------
# distances
# ---------------------------------------------------------------------------

def pack_rupture_meshes(meshes: Sequence[RectangularMesh], polygons: bool = True
                        ) -> dict:
    """Pack R meshes for :func:`mesh_distances` (as
    :func:`oqcore.hazard.geo.surface.pack_meshes`); with ``polygons=False`` the
    projected rjb polygons are left out, which is correct only when every site is
    at least 40 km (:data:`RJB_THRESHOLD`) from the surface projection of every mesh
    node.

    :returns: dict of packed arrays (see ``pack_meshes``)
    """
    nodes = np.concatenate([np.column_stack([m.lons.ravel(), m.lats.ravel(),
                                             m.depths.ravel()]) for m in meshes])
    shapes = np.array([m.shape for m in meshes], np.int64).reshape(-1, 2)
    R = len(meshes)
    centres = np.zeros((R, 2))
    dilation = np.zeros(R)
    if not polygons:
        return dict(nodes=nodes, shapes=shapes, centres=centres, dilation=dilation,
                    edges=np.zeros((0, 4)), poly_offsets=np.zeros(1, np.int64),
                    rup_polys=np.zeros(R + 1, np.int64))
    edges, poly_offsets, rup_polys = [], [0], [0]
    for r, m in enumerate(meshes):
        proj, polys, dilation[r] = m.get_projected_polygons()
        centres[r] = proj.lam0, proj.phi0
        e, off = pack_polygons(polys)
        edges.append(e)
        poly_offsets.extend((off[1:] + poly_offsets[-1]).tolist())
        rup_polys.append(rup_polys[-1] + len(polys))
    return dict(nodes=nodes, shapes=shapes, centres=centres, dilation=dilation,
                edges=np.concatenate(edges), poly_offsets=np.array(poly_offsets, np.int64),
                rup_polys=np.array(rup_polys, np.int64))


def rupture_mesh_distances(meshes: Sequence[RectangularMesh], strikes: np.ndarray,
                           sites: Sites, need_polygons: bool = True) -> np.ndarray:
    """rrup, rjb, rx, ry0 (km) of R rupture meshes and N sites.

    :param strikes: (R,) mean strikes (degrees) used for ry0
    :param need_polygons: False when no site is within 40 km of the surface
        projection of any mesh node (the rjb polygons are then not built)
    :returns: array (4, R, N)
    """
    packed = pack_rupture_meshes(meshes, need_polygons)
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
# GC2 (generalised coordinates of Spudich & Chiou 2015) for multi surfaces
# ---------------------------------------------------------------------------

def _gc2_line(lons: np.ndarray, lats: np.ndarray, lam0: float, phi0: float):
    """Projected vertices (V, 2), segment lengths (V-1,), unit vectors along
    (V-1, 2) and to the right (V-1, 2) of a polyline."""
    proj = geodetic.OrthographicProjection.__new__(geodetic.OrthographicProjection)
    proj.lam0, proj.phi0 = lam0, phi0
    x, y = _project(lam0, phi0, lons, lats)
    coo = np.column_stack([x, y])
    seg = np.diff(coo, axis=0)
    slen = np.sqrt((seg ** 2).sum(axis=1))
    uhat = seg / slen[:, None]
    that = np.column_stack([uhat[:, 1], -uhat[:, 0]])
    return coo, slen, uhat, that


def _project(lam0: float, phi0: float, lons, lats):
    """Orthographic projection (km) centred on (lam0, phi0) (radians)."""
    lam = np.radians(np.asarray(lons, float)) - lam0
    phi = np.radians(np.asarray(lats, float))
    cphi = np.cos(phi)
    x = cphi * np.sin(lam) * geodetic.EARTH_RADIUS
    y = (math.cos(phi0) * np.sin(phi) - math.sin(phi0) * cphi * np.cos(lam)) * \
        geodetic.EARTH_RADIUS
    return x, y


def _line_tu(coo, slen, uhat, that, px, py):
    """GC2 (t, u) (km) of points (N,) with respect to one polyline (Spudich & Chiou
    2015, eqs. for a multi-segment trace).

    :returns: (t, u, weight sum) arrays (N,)
    """
    dx = px[None, :] - coo[:-1, 0][:, None]   # (S, N)
    dy = py[None, :] - coo[:-1, 1][:, None]
    ui = dx * uhat[:, 0][:, None] + dy * uhat[:, 1][:, None]
    ti = dx * that[:, 0][:, None] + dy * that[:, 1][:, None]
    L = slen[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(np.abs(ti) > 1e-9,
                     (np.arctan((L - ui) / ti) - np.arctan(-ui / ti)) / ti,
                     1.0 / (ui - L) - 1.0 / ui)
    on_line = (np.abs(ti) <= 1e-9) & (ui >= 0) & (ui <= L)
    # points on a segment: that segment only
    hit = on_line.any(axis=0)
    wsum = w.sum(axis=0)
    t = (w * ti).sum(axis=0) / wsum
    cum = np.concatenate([[0.0], np.cumsum(slen)[:-1]])
    u = (w * (ui + cum[:, None])).sum(axis=0) / wsum
    if hit.any():
        seg = on_line.argmax(axis=0)
        idx = np.flatnonzero(hit)
        t[idx] = 0.0
        u[idx] = ui[seg[idx], idx] + cum[seg[idx]]
    return t, u, wsum


def multi_line_rx_ry0(tops: Sequence[np.ndarray], lons: np.ndarray, lats: np.ndarray
                      ) -> tuple:
    """rx and ry0 (km) of sites from the top edges of a multi surface, with the GC2
    coordinates (t = rx, u) of the edges taken as one system: the edges are flipped
    where needed to follow the overall strike, ordered along it and shifted so that
    u grows continuously, and the (t, u) of the edges are averaged with their
    weights; ry0 is the distance outside [0, u_max] along u.

    :param tops: E arrays (C, 2) lon, lat of the top edges
    :param lons, lats: sites (N,)
    :returns: (rx, ry0) arrays (N,)
    """
    allc = np.concatenate(tops)
    west, east, north, south = geodetic.spherical_bounding_box(allc[:, 0], allc[:, 1])
    proj = geodetic.OrthographicProjection(west, east, north, south)
    lam0, phi0 = proj.lam0, proj.phi0
    # overall strike: weighted mean of the edge azimuths (first to last point)
    lengths = np.array([geodetic.geodetic_distance(t[:-1, 0], t[:-1, 1], t[1:, 0],
                                                   t[1:, 1]).sum() for t in tops])
    azs = np.array([float(geodetic.azimuth(t[0, 0], t[0, 1], t[-1, 0], t[-1, 1]))
                    for t in tops])
    w = lengths / lengths.sum()
    mean_az = math.degrees(math.atan2((w * np.sin(np.radians(azs))).sum(),
                                      (w * np.cos(np.radians(azs))).sum())) % 360
    oriented = []
    for t, az in zip(tops, azs):
        d = (az - mean_az + 180) % 360 - 180
        oriented.append(t[::-1] if abs(d) > 90 else t)
    # origin: the extreme start point along the mean strike
    ux, uy = math.sin(math.radians(mean_az)), math.cos(math.radians(mean_az))
    starts = np.array([_project(lam0, phi0, t[0, 0], t[0, 1]) for t in oriented])
    ends = np.array([_project(lam0, phi0, t[-1, 0], t[-1, 1]) for t in oriented])
    along = starts @ np.array([ux, uy])
    order = np.argsort(along)
    origin = starts[order[0]]
    px, py = _project(lam0, phi0, lons, lats)
    t_num = np.zeros(len(px))
    u_num = np.zeros(len(px))
    w_den = np.zeros(len(px))
    for k in order:
        coo, slen, uhat, that = _gc2_line(oriented[k][:, 0], oriented[k][:, 1],
                                          lam0, phi0)
        t, u, ws = _line_tu(coo, slen, uhat, that, px, py)
        shift = float((starts[k] - origin) @ np.array([ux, uy]))
        t_num += t * ws
        u_num += (u + shift) * ws
        w_den += ws
    t = t_num / w_den
    u = u_num / w_den
    u_max = float(max((ends[k] - origin) @ np.array([ux, uy]) for k in order))
    ry0 = np.where(u < 0, -u, np.where(u > u_max, u - u_max, 0.0))
    return t, ry0


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
    close = dists[0] <= maxdist                          # (P, n)
    upos, usite = np.nonzero(close[rset.pos])            # pairs (rupture, site)
    if len(upos) == 0:
        return cmaker.new_context(0)
    p = rset.pos[upos]
    ctx = cmaker.new_context(len(upos))
    ctx["mag"] = round(float(mag), 3)
    ctx["rake"] = rake
    ctx["dip"] = rset.dip[p]
    ctx["strike"] = rset.strike[p]
    ctx["ztor"] = rset.ztor[p]
    ctx["width"] = rset.width[p]
    hyp = rset.hypos[upos]
    ctx["hypo_lon"] = hyp[:, 0]
    ctx["hypo_lat"] = hyp[:, 1]
    ctx["hypo_depth"] = hyp[:, 2]
    ctx["occurrence_rate"] = rate * rset.weights[upos]
    ctx["rrup"] = dists[0][p, usite]
    ctx["rjb"] = dists[1][p, usite]
    ctx["rx"] = dists[2][p, usite]
    ctx["ry0"] = dists[3][p, usite]
    repi = geodetic.geodetic_distance(hyp[:, 0], hyp[:, 1], sites.lons[usite],
                                      sites.lats[usite])
    ctx["repi"] = repi
    ctx["rhypo"] = np.sqrt(repi ** 2 + (hyp[:, 2] - sites.depths[usite]) ** 2)
    cmaker.set_sites(ctx, sids[usite])
    return cmaker.finish(ctx)


def _prefilter(cmaker, mesh: RectangularMesh, strike: float, mags: np.ndarray):
    """Sites possibly within the integration distance of a fault.

    :returns: (sids (n,), whole-mesh distances (4, n), magdist (M,)) or None
    """
    magdist = np.array([cmaker.max_dist(m) for m in mags])
    if len(mags) == 0 or not (magdist > 0).any():
        return None
    allsites = Sites.of(cmaker.sitecol)
    d = rupture_mesh_distances([mesh], [strike], allsites)[:, 0]
    sids = np.flatnonzero(d[0] <= magdist.max())
    if len(sids) == 0:
        return None
    return sids, d[:, sids], magdist


def floating_contexts(src, cmaker) -> Iterator[np.ndarray]:
    """Contexts of a simple or complex fault source (floating ruptures).

    :yields: one context array per magnitude (rows: rupture-site pairs with
        ``rrup <= max_dist(mag)``)
    """
    mags, rates = mag_rates(src, cmaker.min_mag)
    if len(mags) == 0:
        return
    simple = isinstance(src, SimpleFaultSource)
    surface = simple_fault_surface(src) if simple else complex_fault_surface(src)
    mesh = surface.mesh
    pre = _prefilter(cmaker, mesh, surface.get_strike(), mags)
    if pre is None:
        return
    sids, whole, magdist = pre
    cell_dims = None if simple else mesh.get_cell_dimensions()
    for mag, rate, md in zip(mags, rates, magdist):
        sel = whole[0] <= md
        if not sel.any():
            continue
        area = src.msr.get_median_area(mag, src.rake)
        if simple:
            rset = simple_fault_rupture_set(src, mesh, area)
        else:
            rset = complex_fault_rupture_set(src, mesh, area, cell_dims)
        if len(rset) == 0:
            continue
        msids = sids[sel]
        sites = Sites.of(cmaker.sitecol, msids)
        # every rupture node is a node of the whole mesh: its horizontal distance
        # bounds the rupture's from below
        polys = bool((whole[1][sel] < RJB_THRESHOLD).any())
        dists = rupture_mesh_distances(rset.meshes, rset.strike, sites, polys)
        ctx = _contexts(cmaker, mag, rate, src.rake, rset, dists, msids, sites, md)
        if len(ctx):
            yield ctx


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


def _top_edge(surface) -> np.ndarray:
    if isinstance(surface, PlanarSurface):
        return surface.corners[:2, :2]
    return np.column_stack([surface.mesh.lons[0], surface.mesh.lats[0]])


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
        dists[2], dists[3] = multi_line_rx_ry0([_top_edge(s) for s in surfaces],
                                               sites.lons, sites.lats)
        strike, dip, width, ztor, hypo = (ms["strike"], ms["dip"], ms["width"],
                                          ms["ztor"], ms["hypo"])
    rset = RuptureSet([None], [0], [hypo], [1.0], [strike], [dip], [width], [ztor])
    for mag, rate, md in zip(mags, rates, magdist):
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
