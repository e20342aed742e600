"""Kite surfaces: fault surfaces meshed from a set of down-dip profiles.

The node grid comes from :func:`oqcore.hazard.source.kite_mesh.kite_grid`; it may
miss nodes (NaN) when the profiles, or the edges between them, differ in length. A
:class:`KiteSurface` keeps that grid (``raw``) for its geometric parameters and
boundary, and a hole-free copy (``mesh``: each missing node replaced by the nearest
existing node of its row) for the distance kernels, where a repeated node changes no
minimum distance.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.mesh import RectangularMesh
from oqcore.hazard.geo.surface import BaseSurface, top_edge_rx, top_edge_ry0
from oqcore.hazard.source.kite_mesh import kite_grid


class KiteSurface(BaseSurface):
    """A fault surface on a kite grid, with the geometric parameters of OpenQuake's
    kite surfaces, computed over the existing nodes:

    * width: the mean over the columns of the lengths of their runs of consecutive
      nodes (km);
    * dip: the mean over the columns of the dips of their consecutive node pairs,
      weighted by the columns' lengths (degrees);
    * strike: the mean azimuth of the top-row segments, plus 0.001 (degrees);
    * ztor: the smallest depth of the top row (km);
    * middle point: the node closest to the Cartesian centroid of the nodes;
    * area: the sum of the cells with four nodes (km²);
    * rjb: the horizontal distance to the polygon of the outer nodes (0 inside), as
      the chord distance to the nearest outer node beyond 40 km;
    * rx, ry0: from the existing nodes of the top row.

    :param mesh: the grid, rows down dip, columns along strike, NaN for missing nodes
    """

    def __init__(self, mesh: RectangularMesh):
        self.raw = mesh
        self.ok = np.isfinite(mesh.lons)
        super().__init__(mesh if self.ok.all() else filled_mesh(mesh, self.ok))

    @classmethod
    def from_profiles(cls, profiles: list, profile_spacing: float,
                      edge_spacing: float) -> "KiteSurface":
        """The surface of ``profiles`` (arrays (n, 3) of lon, lat, depth)."""
        grid = kite_grid(profiles, profile_spacing, edge_spacing)
        return cls(RectangularMesh(grid[..., 0], grid[..., 1], grid[..., 2]))

    def _column_pairs(self, j: int) -> np.ndarray:
        """Row indices i of the column j where nodes i and i + 1 both exist."""
        ok = self.ok[:, j]
        return np.flatnonzero(ok[:-1] & ok[1:])

    def get_width(self) -> float:
        m, widths = self.raw, []
        for j in range(m.shape[1]):
            i = self._column_pairs(j)
            if len(i):
                widths.append(np.sum(geodetic.distance(
                    m.lons[i, j], m.lats[i, j], m.depths[i, j],
                    m.lons[i + 1, j], m.lats[i + 1, j], m.depths[i + 1, j])))
        return float(np.mean(widths))

    def get_dip(self) -> float:
        m = self.raw
        dips, lens = [], []
        for j in range(m.shape[1]):
            i = self._column_pairs(j)
            if not len(i):
                continue
            h = geodetic.distance(m.lons[i + 1, j], m.lats[i + 1, j], 0.0,
                                  m.lons[i, j], m.lats[i, j], 0.0)
            v = m.depths[i + 1, j] - m.depths[i, j]
            ang = np.full(len(v), 90.0)
            big = h > 1e-20
            ang[big] = np.degrees(np.arctan(v[big] / h[big]))
            dips.append(ang.mean())
            lens.append(np.sum(np.sqrt(h ** 2 + v ** 2)))
        lens = np.array(lens)
        return float(np.sum(np.array(dips) * lens / lens.sum()))

    def top_nodes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """lons, lats, depths of the existing nodes of the top row."""
        ok = self.ok[0]
        return self.raw.lons[0, ok], self.raw.lats[0, ok], self.raw.depths[0, ok]

    def top_trace(self) -> np.ndarray:
        """(K, 2) lon, lat of the top of the surface for GC2: in each column the first
        existing node when it is in the first or second row."""
        first = self.ok.argmax(axis=0)
        cols = np.flatnonzero(first <= 1)
        rows = first[cols]
        return np.column_stack([self.raw.lons[rows, cols], self.raw.lats[rows, cols]])

    def get_strike(self) -> float:
        lo, la, _ = self.top_nodes()
        az = geodetic.azimuth(lo[:-1], la[:-1], lo[1:], la[1:])
        return float(np.mean((az + 0.001) % 360))

    def get_top_edge_depth(self) -> float:
        return float(np.min(self.top_nodes()[2]))

    def get_middle_point(self) -> tuple:
        m, ok = self.raw, self.ok
        lo, la, de = m.lons[ok], m.lats[ok], m.depths[ok]
        xyz = geodetic.spherical_to_cartesian(lo, la, de)
        i = int(np.argmin(((xyz - xyz.mean(axis=0)) ** 2).sum(axis=1)))
        return float(lo[i]), float(la[i]), float(de[i])

    def get_area(self) -> float:
        """km²: each cell with four nodes as two triangles (Heron's formula) split by
        its top-left to bottom-right diagonal, sides as straight-line distances."""
        m = self.raw
        lo, la, de = m.lons, m.lats, m.depths

        def dist(a, b):
            with np.errstate(invalid="ignore"):
                return geodetic.distance(lo[a], la[a], de[a], lo[b], la[b], de[b])

        s_, e_ = slice(None, -1), slice(1, None)
        top, bottom = dist((s_, s_), (s_, e_)), dist((e_, s_), (e_, e_))
        left, right = dist((s_, s_), (e_, s_)), dist((s_, e_), (e_, e_))
        diag = dist((s_, s_), (e_, e_))
        area = _heron(top, left, diag) + _heron(bottom, right, diag)
        return float(np.sum(area[np.isfinite(area)]))

    def get_rx_distance(self, sites) -> np.ndarray:
        lo, la, _ = self.top_nodes()
        return top_edge_rx(lo, la, *_site_lons_lats(sites))

    def get_ry0_distance(self, sites) -> np.ndarray:
        lo, la, _ = self.top_nodes()
        return top_edge_ry0(lo, la, self.get_strike(), *_site_lons_lats(sites))

    def boundary(self) -> tuple[np.ndarray, np.ndarray]:
        """lons, lats of the outer nodes, around the grid: the first node of every
        column, the last node of the rows along the last column, the last node of
        every column backwards, the first node of the rows up the first column."""
        ok = self.ok
        rows_ok = [np.flatnonzero(ok[:, j]) for j in range(ok.shape[1])]
        cols_ok = [np.flatnonzero(ok[i]) for i in range(ok.shape[0])]
        ncols = ok.shape[1]
        idx = [(r[0], j) for j, r in enumerate(rows_ok)]
        last = rows_ok[-1]
        idx += [(i, cols_ok[i][-1]) for i in range(last[0] + 1, last[-1])]
        idx += [(rows_ok[j][-1], j) for j in range(ncols - 1, -1, -1)]
        first = rows_ok[0]
        idx += [(i, cols_ok[i][0]) for i in range(first[-1] - 1, first[0], -1)]
        r, c = np.array(idx).T
        return self.raw.lons[r, c], self.raw.lats[r, c]

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


def _heron(a, b, c):
    s = (a + b + c) / 2.0
    with np.errstate(invalid="ignore"):
        return np.sqrt(s * (s - a) * (s - b) * (s - c))


def filled_mesh(mesh: RectangularMesh, ok: np.ndarray) -> RectangularMesh:
    """The mesh with each missing node (``ok`` False) replaced by the nearest existing
    node of its row (the left one on ties)."""
    rows, cols = ok.shape
    src = np.empty((rows, cols), int)
    for i in range(rows):
        have = np.flatnonzero(ok[i])
        if not len(have):
            raise ValueError("a kite mesh row without nodes")
        src[i] = have[np.argmin(np.abs(have[None, :] - np.arange(cols)[:, None]), axis=1)]
    r = np.repeat(np.arange(rows), cols).reshape(rows, cols)
    return RectangularMesh(mesh.lons[r, src], mesh.lats[r, src], mesh.depths[r, src])


def _site_lons_lats(sites) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(sites.lons, float), np.asarray(sites.lats, float)


def kite_distances(surfaces: list, sites) -> np.ndarray:
    """rrup, rjb, rx, ry0 (km) of S kite surfaces and N sites: array (4, S, N).

    rrup comes from the mesh kernel, rjb from :meth:`KiteSurface.rjb`, rx and ry0 from
    the kernel (the top rows) unless a top row misses nodes.
    """
    from oqcore.hazard.source.fault_ruptures import rupture_mesh_distances
    d = rupture_mesh_distances([s.mesh for s in surfaces],
                               [s.get_strike() for s in surfaces], sites)
    for i, s in enumerate(surfaces):
        d[1][i] = s.rjb(np.asarray(sites.lons, float), np.asarray(sites.lats, float))
        if not s.ok[0].all():
            d[2][i] = s.get_rx_distance(sites)
            d[3][i] = s.get_ry0_distance(sites)
    return d


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
