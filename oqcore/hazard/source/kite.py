"""Kite surfaces: fault surfaces meshed from a set of down-dip profiles.

The mesh is built as OpenQuake 3.26 builds it for profiles that cover the same
down-dip extent (every profile resampled to the same number of points):

1. each profile (a polyline from the top down, lon, lat, depth) is resampled at the
   profile spacing (km, straight-line steps from its top point);
2. the reference profile is the first one, or the longest when their lengths differ
   by more than a tenth of the spacing;
3. the i-th points of the profiles form the i-th edge; from the reference profile
   towards the last one (and towards the first one), each edge is resampled at the
   edge spacing, keeping its extremes, and its last point is dropped when it has
   three points or more;
4. the k-th points of the resampled edges form the mesh columns; rows are sorted by
   mean depth; columns are reversed when the top edge does not follow the
   right-hand rule (the azimuth of the top edge within 60 degrees of the strike of
   the plane through all the nodes).

Profiles of different down-dip extents, and edges resampling to different numbers
of nodes (meshes with holes, which OpenQuake fills by intersecting edges with
intermediate profiles), are refused with a clear error.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.geodetic import azimuth as _azimuth
from oqcore.hazard.geo.line import resample_coords
from oqcore.hazard.geo.mesh import RectangularMesh
from oqcore.hazard.geo.surface import BaseSurface


class KiteSurface(BaseSurface):
    """A fault surface on a kite mesh (:func:`kite_mesh`), with the geometric
    parameters of OpenQuake's kite surfaces:

    * width: the mean over the mesh columns of their down-dip lengths (km);
    * dip: the mean over the columns of the dips of their cells, weighted by the
      columns' lengths (degrees);
    * strike: the mean azimuth of the top-edge segments, plus 0.001 (degrees);
    * middle point: the node closest to the Cartesian centroid of the nodes;
    * rjb: the horizontal distance to the polygon of the mesh's outer nodes (0
      inside), as the chord distance to the nearest outer node beyond 40 km.
    """

    @classmethod
    def from_profiles(cls, profiles: list, profile_spacing: float,
                      edge_spacing: float) -> "KiteSurface":
        """The surface of ``profiles`` (arrays (n, 3) of lon, lat, depth)."""
        lons, lats, deps = kite_mesh(profiles, profile_spacing, edge_spacing)
        return cls(RectangularMesh(lons, lats, deps))

    def get_width(self) -> float:
        m = self.mesh
        return float(np.mean([np.sum(_col_lengths(m, j)) for j in range(m.shape[1])]))

    def get_dip(self) -> float:
        m = self.mesh
        dips, lens = [], []
        for j in range(m.shape[1]):
            lo, la, de = m.lons[:, j], m.lats[:, j], m.depths[:, j]
            h = geodetic.distance(lo[1:], la[1:], 0.0, lo[:-1], la[:-1], 0.0)
            v = de[1:] - de[:-1]
            ang = np.full(len(v), 90.0)
            big = h > 1e-5
            ang[big] = np.degrees(np.arctan(v[big] / h[big]))
            dips.append(ang.mean())
            lens.append(np.sum(np.sqrt(h ** 2 + v ** 2)))
        lens = np.array(lens)
        return float(np.sum(np.array(dips) * lens / lens.sum()))

    def get_strike(self) -> float:
        top = self.mesh.lons[0], self.mesh.lats[0]
        az = geodetic.azimuth(top[0][:-1], top[1][:-1], top[0][1:], top[1][1:])
        return float(np.mean((az + 0.001) % 360))

    def get_top_edge_depth(self) -> float:
        return float(np.min(self.mesh.depths[0]))

    def get_middle_point(self) -> tuple:
        m = self.mesh
        lo, la, de = m.lons.ravel(), m.lats.ravel(), m.depths.ravel()
        xyz = geodetic.spherical_to_cartesian(lo, la, de)
        i = int(np.argmin(((xyz - xyz.mean(axis=0)) ** 2).sum(axis=1)))
        return float(lo[i]), float(la[i]), float(de[i])

    def boundary(self) -> tuple[np.ndarray, np.ndarray]:
        """lons, lats of the outer nodes, around the mesh (top row, last column,
        bottom row backwards, first column upwards)."""
        m = self.mesh
        rows, cols = m.shape
        idx = [(0, j) for j in range(cols)] + [(i, cols - 1) for i in range(1, rows - 1)]
        idx += [(rows - 1, j) for j in range(cols - 1, -1, -1)]
        idx += [(i, 0) for i in range(rows - 2, 0, -1)]
        r, c = np.array(idx).T
        return m.lons[r, c], m.lats[r, c]

    def rjb(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Joyner-Boore distances (km) of sites (see the class docstring)."""
        from oqcore.hazard.geo.mesh import RJB_THRESHOLD, polygons_distance
        blo, bla = self.boundary()
        d = geodetic.min_chord_distance(blo, bla, lons, lats)
        close = np.flatnonzero(d < RJB_THRESHOLD)
        if len(close):
            proj = geodetic.OrthographicProjection.from_lons_lats(blo, bla)
            bx, by = proj(blo, bla)
            px, py = proj(lons[close], lats[close])
            d[close] = polygons_distance([[np.column_stack([bx, by])]], px, py)
        return d


def _col_lengths(m, j):
    return geodetic.distance(m.lons[:-1, j], m.lats[:-1, j], m.depths[:-1, j],
                             m.lons[1:, j], m.lats[1:, j], m.depths[1:, j])


def read_kite_profiles(kite) -> list:
    """The profiles of a <kiteSurface> node: arrays (n, 3) of lon, lat, depth."""
    profiles = []
    for prof in kite.findall("profile"):
        pos = prof.child("LineString").child("posList")
        coo = pos.floats()
        if len(coo) % 3 or len(coo) < 6:
            raise pos.error("a profile needs at least 2 lon, lat, depth triples")
        profiles.append(np.array(coo).reshape(-1, 3))
    return profiles


def kite_surface_of(kite, spacing: float) -> "KiteSurface":
    """The KiteSurface of a <kiteSurface> node meshed at ``spacing`` km along both
    directions; InvalidInput naming the node for bad geometries."""
    try:
        return KiteSurface.from_profiles(read_kite_profiles(kite), spacing, spacing)
    except ValueError as exc:
        raise kite.error("invalid kiteSurface: %s" % exc) from None


def _profile_length(coo: np.ndarray) -> float:
    from oqcore.hazard.geo.geodetic import distance
    return float(np.sum(distance(coo[:-1, 0], coo[:-1, 1], coo[:-1, 2],
                                 coo[1:, 0], coo[1:, 1], coo[1:, 2])))


def _resampled_edges(rows: np.ndarray, spacing: float) -> list:
    # rows: (n_profiles, n_edges, 3) ordered from the reference profile outwards
    edges = []
    for i in range(rows.shape[1]):
        pts = rows[:, i]
        res = resample_coords(pts, spacing, keep_last=True)
        edges.append(res[:-1] if len(res) >= 3 else res)
    return edges


def kite_mesh(profiles: list, profile_spacing: float, edge_spacing: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lons, lats, depths (rows, cols) of the kite mesh of ``profiles`` (see the
    module docstring).

    :raises ValueError: for fewer than two profiles, or profiles whose resampled
        lengths differ
    """
    if len(profiles) < 2:
        raise ValueError("a kite surface needs at least two profiles")
    rprof = [resample_coords(np.asarray(p, float), profile_spacing)
             for p in profiles]
    sizes = {len(p) for p in rprof}
    if len(sizes) > 1:
        raise ValueError("the profiles of a kite surface must have the same down-dip "
                         "length (resampled to %s points)" % sorted(sizes))
    lengths = np.array([_profile_length(p) for p in rprof])
    ref = int(np.argmax(lengths)) if lengths.max() - lengths.min() > \
        0.1 * profile_spacing else 0
    arr = np.array(rprof)  # (n_profiles, n_edges, 3)
    columns = []
    if ref < len(arr) - 1:
        fwd = _resampled_edges(arr[ref:], edge_spacing)
        columns = _columns(fwd)[::-1]
    if ref > 0:
        bwd = _columns(_resampled_edges(arr[ref::-1], edge_spacing))
        columns = columns + bwd[1:] if columns else bwd
    msh = np.array(columns).transpose(1, 0, 2)  # (edges, columns, 3)
    order = np.argsort([np.nanmean(row[:, 2]) for row in msh], kind="stable")
    msh = msh[order]
    if not np.isfinite(msh).all():
        raise ValueError("the edges between the profiles resample to different numbers "
                         "of nodes (a mesh with holes), which is not supported")
    msh = _right_hand(msh)
    return msh[..., 0], msh[..., 1], msh[..., 2]


def _columns(edges: list) -> list:
    n = max(len(e) for e in edges)
    cols = []
    for k in range(n):
        cols.append([e[k] if k < len(e) else [np.nan] * 3 for e in edges])
    return [np.array(c, float) for c in cols]


def _right_hand(msh: np.ndarray) -> np.ndarray:
    from oqcore.hazard.source.nonparametric import plane_strike_dip
    pts = msh.reshape(-1, 3)
    pts = pts[np.isfinite(pts[:, 0])]
    strike, _ = plane_strike_dip(pts)
    top = msh[0][np.isfinite(msh[0, :, 0])]
    az = float(_azimuth(top[0, 0], top[0, 1], top[-1, 0], top[-1, 1]))
    diff = (strike - az + 180) % 360 - 180
    if abs(diff) < 60:
        return msh
    return msh[:, ::-1]
