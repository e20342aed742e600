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
from oqcore.hazard.geo.closest import mesh_closest_points
from oqcore.hazard.geo.mesh import RJB_THRESHOLD, RectangularMesh
from oqcore.hazard.geo.planar import PlanarSurface, planar_distances
from oqcore.hazard.geo.ruptures import (complex_fault_rupture_slices,
                                        simple_fault_floating,
                                        simple_fault_rupture_slices)
from oqcore.hazard.geo.surface import (BaseSurface, ComplexFaultSurface,
                                       SimpleFaultSurface, mesh_distances, pack_meshes)
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
# GC2 (generalised coordinates, Spudich & Chiou 2015) of multi surfaces
# ---------------------------------------------------------------------------

#: |t| (km) below which a site is taken to lie on the extension of a segment
GC2_TOLERANCE = 0.1


def _angular_mean(degrees, weights) -> float:
    """Weighted circular mean (degrees in (-180, 180])."""
    r = np.radians(np.asarray(degrees, float))
    w = np.asarray(weights, float)
    return math.degrees(math.atan2(float(np.sum(np.sin(r) * w)),
                                   float(np.sum(np.cos(r) * w))))


class TopLine:
    """A top-of-rupture polyline for GC2, as OpenQuake's ``Line`` of the top edge.

    :param coo: (V, 2) lon, lat (adjacent duplicates are dropped)
    :ivar proj: orthographic projection centred on the line's bounding box
    :ivar length: km; :ivar azimuth: mean azimuth, degrees
    :ivar slen, uhat, that: projected segment lengths (S,) and unit vectors along
        and to the right of the segments (S, 2)
    """

    def __init__(self, coo: np.ndarray):
        coo = np.asarray(coo, float)[:, :2]
        keep = np.r_[True, (np.diff(coo, axis=0) != 0).any(axis=1)]
        coo = coo[keep]
        if len(coo) < 2:
            raise ValueError("a top edge needs two distinct points")
        self.coo = coo
        self.proj = geodetic.OrthographicProjection.from_lons_lats(coo[:, 0], coo[:, 1])
        lens = geodetic.geodetic_distance(coo[:-1, 0], coo[:-1, 1], coo[1:, 0], coo[1:, 1])
        azs = geodetic.azimuth(coo[:-1, 0], coo[:-1, 1], coo[1:, 0], coo[1:, 1])
        self.length = float(np.sum(lens))
        self.azimuth = (float(azs[0]) if len(coo) == 2
                        else _angular_mean(azs, lens) % 360)
        sx, sy = self.proj(coo[:, 0], coo[:, 1])
        seg = np.column_stack([np.diff(sx), np.diff(sy)])
        self.slen = np.sqrt((seg ** 2).sum(axis=1))
        self.uhat = seg / self.slen[:, None]
        self.that = np.column_stack([self.uhat[:, 1], -self.uhat[:, 0]])

    @classmethod
    def keep_corners(cls, coo: np.ndarray, delta: float = 1.0) -> "TopLine":
        """The line through the ends of ``coo`` and the vertices where the azimuth
        changes by more than ``delta`` degrees."""
        coo = np.asarray(coo, float)
        az = geodetic.azimuth(coo[:-1, 0], coo[:-1, 1], coo[1:, 0], coo[1:, 1])
        idx = {0, len(coo) - 1} | set((np.flatnonzero(np.abs(np.diff(az)) > delta)
                                       + 1).tolist())
        return cls(coo[sorted(idx)])

    def tuw(self, lons: np.ndarray, lats: np.ndarray, flipped: bool = False
            ) -> np.ndarray:
        """GC2 t, u (km) and the weight sum of sites (N,) for this line alone.

        :param flipped: run the line backwards (as OpenQuake does: the vertices are
            reversed and the unit vectors negated, segment order unchanged)
        :returns: float32 array (N, 3)
        """
        coo = self.coo[::-1] if flipped else self.coo
        sign = -1.0 if flipped else 1.0
        uhat, that = sign * self.uhat, sign * self.that
        sx, sy = self.proj(lons, lats)
        tx, ty = self.proj(coo[:, 0], coo[:, 1])
        dx = sx[None, :] - tx[:-1, None]                     # (S, N)
        dy = sy[None, :] - ty[:-1, None]
        ui = dx * uhat[:, 0, None] + dy * uhat[:, 1, None]
        ti = dx * that[:, 0, None] + dy * that[:, 1, None]
        L = self.slen[:, None]
        tol = GC2_TOLERANCE
        general = np.abs(ti) >= tol
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(general, (np.arctan((L - ui) / ti) - np.arctan(-ui / ti)) / ti,
                         0.0)
            ext = ~general & ((ui < -tol) | (ui > L + tol))
            w = np.where(ext, 1.0 / (ui - L) - 1.0 / ui, w)
        on = ~general & (ui >= -tol) & (ui <= L + tol)
        w = np.where(on, 1.0 / (-0.01 - L) + 1.0 / 0.01, w)
        wsum = w.sum(axis=0)
        t = (ti * w / wsum).sum(axis=0)
        cum = np.concatenate([[0.0], np.cumsum(self.slen)[:-1]])
        u = ((ui + cum[:, None]) * w).sum(axis=0) / wsum
        t[on.any(axis=0)] = 0.0
        return np.column_stack([t, u, wsum]).astype(np.float32)


class TopMultiLine:
    """The top edges of a multi surface as one GC2 system (OpenQuake's
    ``MultiLine``): the lines are flipped where they run against the prevalent
    strike, ordered from the origin (the westernmost or easternmost end, depending
    on the strike) and shifted along the mean strike.

    :param lines: list of :class:`TopLine`
    """

    def __init__(self, lines: Sequence[TopLine]):
        self.lines = list(lines)
        lengths = np.array([ln.length for ln in lines])
        azimuths = np.array([ln.azimuth for ln in lines])
        self.ends = np.array([ln.coo[[0, -1]] for ln in lines])   # (L, 2, 2)
        proj = geodetic.OrthographicProjection.from_lons_lats(
            self.ends[:, :, 0].ravel(), self.ends[:, :, 1].ravel())
        ave = _angular_mean(azimuths, lengths) % 360
        lo, hi = (ave - 90) % 360, (ave + 90) % 360
        if 90 <= ave <= 270:
            same = (azimuths >= lo) & (azimuths < hi)
        else:
            same = (azimuths >= lo) | (azimuths < hi)
        scale = np.abs(np.cos(np.radians(np.abs(azimuths - ave))))
        ratio = np.sum(lengths[same] * scale[same]) / np.sum(lengths * scale)
        self.flipped = ~same if ratio > 0.5 else same.copy()
        azimuths = np.where(self.flipped, (azimuths + 180) % 360, azimuths)
        avg = _angular_mean(azimuths, lengths) % 360
        px, py = proj(self.ends[:, :, 0].ravel(), self.ends[:, :, 1].ravel())
        to_east = (0 < avg <= 180) or abs(avg) < 0.1
        k = int(np.argmin(px) if to_east else np.argmax(px))
        order = np.argsort(np.minimum(px[0::2], px[1::2]))
        self.order = order if to_east else order[::-1]
        olon, olat = proj.inverse(np.array([px[k]]), np.array([py[k]]))
        olon, olat = float(np.ravel(olon)[0]), float(np.ravel(olat)[0])
        starts = np.array([self.ends[i, int(self.flipped[i])] for i in self.order])
        dist = geodetic.geodetic_distance(olon, olat, starts[:, 0], starts[:, 1])
        az = geodetic.azimuth(olon, olat, starts[:, 0], starts[:, 1])
        self.shift = (np.cos(np.radians(avg - az)) * dist).astype(np.float32)

    def get_tu(self, lons: np.ndarray, lats: np.ndarray) -> tuple:
        """GC2 (t, u) (km, float32 arrays (N,)) of sites."""
        lons = np.asarray(lons, float)
        lats = np.asarray(lats, float)
        ts = np.zeros(len(lons), np.float32)
        us = np.zeros(len(lons), np.float32)
        ws = np.zeros(len(lons), np.float32)
        for i, idx in enumerate(self.order):
            tuw = self.lines[idx].tuw(lons, lats, bool(self.flipped[idx]))
            t, u, w = tuw[:, 0], tuw[:, 1], tuw[:, 2]
            ts += t * w
            us += (u + self.shift[i]) * w
            ws += w
        return ts / ws, us / ws

    def get_u_max(self) -> float:
        """The largest |u| (km) of the ends of the lines."""
        _, u = self.get_tu(self.ends[:, :, 0].ravel(), self.ends[:, :, 1].ravel())
        return float(np.abs(u).max())


def top_line(surface) -> TopLine:
    """The GC2 top line of a surface: TL -> TR of a plane, the top row of a mesh
    surface (keeping the vertices where the direction changes by over 1 degree)."""
    if isinstance(surface, PlanarSurface):
        return TopLine(surface.corners[:2, :2])
    return TopLine.keep_corners(np.column_stack([surface.mesh.lons[0],
                                                 surface.mesh.lats[0]]))


def multi_surface_rx_ry0(surfaces: list, lons: np.ndarray, lats: np.ndarray
                         ) -> tuple:
    """rx and ry0 (km) of sites (N,) from a multi surface: rx is the GC2 t
    coordinate, ry0 the distance of the GC2 u coordinate outside [0, u_max].

    :returns: (rx, ry0) arrays (N,)
    """
    ml = TopMultiLine([top_line(s) for s in surfaces])
    t, u = ml.get_tu(lons, lats)
    u_max = ml.get_u_max()
    ry0 = np.zeros_like(u)
    ry0[u < 0] = np.abs(u[u < 0])
    big = u > u_max
    ry0[big] = u[big] - u_max
    return t.astype(float), ry0.astype(float)


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
    if cmaker.closest:
        ctx["clon"], ctx["clat"] = rupture_closest_points(rset, upos, usite, sites)
    cmaker.set_sites(ctx, sids[usite])
    return cmaker.finish(ctx)


def rupture_closest_points(rset: RuptureSet, upos: np.ndarray, usite: np.ndarray,
                           sites: Sites) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat of the rupture points closest to the sites, for the (rupture, site)
    pairs ``rset.pos[upos]``, ``usite``: the nearest mesh node, or the hypocentre of
    surfaces without a single mesh (planar and multi-element characteristic ones)."""
    clon, clat = rset.hypos[upos, 0].copy(), rset.hypos[upos, 1].copy()
    p = rset.pos[upos]
    for q in np.unique(p):
        mesh = rset.meshes[q]
        if mesh is None:
            continue
        lons, lats = mesh_closest_points(mesh, sites)
        sel = p == q
        clon[sel], clat[sel] = lons[usite[sel]], lats[usite[sel]]
    return clon, clat


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
        if md <= 0:  # magnitude outside the integration-distance range
            continue
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
        dists[2], dists[3] = multi_surface_rx_ry0(surfaces, sites.lons, sites.lats)
        strike, dip, width, ztor, hypo = (ms["strike"], ms["dip"], ms["width"],
                                          ms["ztor"], ms["hypo"])
    rset = RuptureSet([None], [0], [hypo], [1.0], [strike], [dip], [width], [ztor])
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
