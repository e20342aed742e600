"""Meshes of points: :class:`Mesh` (any collection) and :class:`RectangularMesh`
(a 2D grid: rows go down dip, columns along strike, row 0 is the top edge).

Distances follow OpenQuake 3.26:

* ``rrup`` (:meth:`Mesh.get_min_distance`): the smallest straight-line (3D chord)
  distance from a site, at its depth, to the mesh nodes;
* ``rjb`` (:meth:`Mesh.get_joyner_boore_distance`): hybrid. The smallest chord
  distance between the surface projections of the site and of the nodes; for sites
  closer than 40 km it is replaced by the distance, in an orthographic projection
  centred on the mesh, to the surface projection of the mesh (0 inside). For a
  rectangular mesh that projection is the union of the strips between consecutive
  rows, each dilated by 5 m (:data:`DIST_TOLERANCE`), the union then simplified
  with a 5 m tolerance; for a mesh of fewer than four points, its convex hull
  (dilated by 5 m only if it is a point or a segment).

The polygon is built with shapely exactly as OpenQuake builds it (dilation and
simplification with GEOS); the point-to-polygon distances are computed by oqcore
(:func:`polygons_distance`, numba twin :func:`nb_polygons_distance`). Without
shapely, the undilated strips are used and the 5 m dilation is approximated by
subtracting 5 m from the distance (differences from OpenQuake up to ~5 m).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from oqcore.hazard.geo import geodetic as geo

try:  # optional: exact replica of OpenQuake's projected polygons
    import shapely
    import shapely.geometry
    import shapely.ops
except ImportError:  # pragma: no cover - exercised only without shapely
    shapely = None

#: tolerance (km) used by OpenQuake when building projected polygons: 5 m
DIST_TOLERANCE = 0.005
#: rjb threshold (km): farther sites get the node-to-site distance
RJB_THRESHOLD = 40.0


class Mesh:
    """A collection of points.

    :param lons: longitudes, degrees, array of any shape S
    :param lats: latitudes, degrees, shape S
    :param depths: depths, km (positive down), shape S or None (all zero)
    """

    def __init__(self, lons, lats, depths=None):
        lons = np.asarray(lons, float)
        lats = np.asarray(lats, float)
        if depths is None:
            depths = np.zeros_like(lons)
        depths = np.asarray(depths, float)
        if not (lons.shape == lats.shape == depths.shape):
            raise ValueError("lons, lats and depths must have the same shape, got "
                             "%s %s %s" % (lons.shape, lats.shape, depths.shape))
        if lons.size == 0:
            raise ValueError("empty mesh")
        self.lons, self.lats, self.depths = lons, lats, depths

    @classmethod
    def from_sites(cls, sites) -> "Mesh":
        """A mesh from anything with ``.lons``, ``.lats`` and (optionally) ``.depths``."""
        return cls(np.ravel(sites.lons), np.ravel(sites.lats),
                   None if getattr(sites, "depths", None) is None
                   else np.ravel(sites.depths))

    @property
    def shape(self) -> tuple:
        return self.lons.shape

    def __len__(self) -> int:
        return self.lons.size

    def __getitem__(self, item):
        if isinstance(item, int):
            raise ValueError("index a mesh with slices, not with %r" % item)
        return type(self)(self.lons[item], self.lats[item], self.depths[item])

    @property
    def xyz(self) -> np.ndarray:
        """Earth-centred Cartesian coordinates (N, 3) of the flattened points, km."""
        return geo.spherical_to_cartesian(self.lons.ravel(), self.lats.ravel(),
                                          self.depths.ravel())

    def get_min_distance(self, sites) -> np.ndarray:
        """rrup: the minimum 3D straight-line distance (km) from each site (at its
        depth) to the points of this mesh.

        :param sites: object with ``.lons``, ``.lats``, ``.depths`` arrays (N,)
        :returns: array (N,)
        """
        slons, slats, sdeps = _site_arrays(sites)
        return geo.min_chord_distance(self.lons, self.lats, slons, slats,
                                      depths1=self.depths, depths2=sdeps)

    def get_closest_points(self, sites) -> "Mesh":
        """For each site, the mesh point closest to it (3D chord distance).

        :returns: a :class:`Mesh` of shape (N,)
        """
        slons, slats, sdeps = _site_arrays(sites)
        a = self.xyz
        b = geo.spherical_to_cartesian(slons, slats, sdeps)
        idx = np.empty(len(b), int)
        for start in range(0, len(b), 2000):
            idx[start:start + 2000] = geo._chord_matrix(
                a, b[start:start + 2000]).argmin(axis=0)
        return Mesh(self.lons.ravel()[idx], self.lats.ravel()[idx],
                    self.depths.ravel()[idx])

    def get_joyner_boore_distance(self, sites) -> np.ndarray:
        """rjb: distance (km) from each site to the surface projection of the mesh,
        0 inside (see the module docstring for the exact definition).

        :param sites: object with ``.lons``, ``.lats`` arrays (N,)
        :returns: array (N,)
        """
        slons, slats, _ = _site_arrays(sites)
        dists = geo.min_chord_distance(self.lons, self.lats, slons, slats)
        close = np.nonzero(dists < RJB_THRESHOLD)[0]
        if len(close):
            proj, rings, dilation = self.get_projected_polygons()
            px, py = proj(slons[close], slats[close])
            dists[close] = np.maximum(polygons_distance(rings, px, py) - dilation, 0.0)
        return dists

    def get_projected_polygons(self):
        """The surface projection of the mesh used for rjb.

        :returns: ``(proj, polygons, dilation)``: the
            :class:`~oqcore.hazard.geo.geodetic.OrthographicProjection` (centred on
            the mesh bounding box), a list of polygons, each a list of rings (V, 2)
            in km (the exterior then the holes), and the distance (km) still to
            subtract from point-to-polygon distances (0 with shapely)
        """
        proj = geo.OrthographicProjection.from_lons_lats(self.lons, self.lats)
        mx, my = proj(self.lons.ravel(), self.lats.ravel())
        if shapely is not None:
            hull = shapely.geometry.MultiPoint(np.column_stack([mx, my])).convex_hull
            if not isinstance(hull, shapely.geometry.Polygon):
                hull = hull.buffer(DIST_TOLERANCE, 1)
            return proj, _shapely_rings(hull), 0.0
        hx, hy = convex_hull(mx, my)
        if len(hx) >= 3:
            return proj, [[np.column_stack([hx, hy])]], 0.0
        return proj, [[np.column_stack([hx, hy])]], DIST_TOLERANCE


class RectangularMesh(Mesh):
    """A 2D mesh of shape (rows, columns): rows down dip, columns along strike.

    :param lons, lats, depths: arrays (rows, cols); depths in km
    """

    def __init__(self, lons, lats, depths=None):
        super().__init__(lons, lats, depths)
        if self.lons.ndim != 2:
            raise ValueError("a rectangular mesh needs 2D arrays, got shape %s"
                             % (self.lons.shape,))

    def get_projected_polygons(self):
        """See :meth:`Mesh.get_projected_polygons`: the union of the strips between
        consecutive rows (dilated and simplified by 5 m, as in OpenQuake)."""
        if self.lons.size < 4:
            return super().get_projected_polygons()
        proj = geo.OrthographicProjection.from_lons_lats(self.lons, self.lats)
        mx, my = proj(self.lons, self.lats)
        # strips between consecutive rows: row i backwards, then row i + 1
        strips = [np.column_stack([np.concatenate([mx[i, ::-1], mx[i + 1]]),
                                   np.concatenate([my[i, ::-1], my[i + 1]])])
                  for i in range(mx.shape[0] - 1)]
        if shapely is None:
            return proj, [[ring] for ring in strips], DIST_TOLERANCE
        polys = []
        with np.errstate(all="ignore"):
            for ring in strips:
                line = shapely.geometry.LineString(np.vstack([ring, ring[:1]]))
                strip = line.simplify(DIST_TOLERANCE).buffer(DIST_TOLERANCE, 2)
                polys.append(shapely.geometry.Polygon(strip.exterior))
            union = shapely.ops.unary_union(polys).simplify(DIST_TOLERANCE)
        if not isinstance(union, shapely.geometry.Polygon):
            union = union.buffer(DIST_TOLERANCE, 1)
        return proj, _shapely_rings(union), 0.0

    def get_middle_point(self) -> tuple:
        """The middle node if rows and columns are odd, otherwise the great-circle
        middle of the two (or four) central nodes.

        :returns: (lon, lat, depth)
        """
        nrows, ncols = self.shape
        mid_row = nrows // 2
        if nrows % 2 == 1:
            mid_col = ncols // 2
            if ncols % 2 == 1:
                return (float(self.lons[mid_row, mid_col]),
                        float(self.lats[mid_row, mid_col]),
                        float(self.depths[mid_row, mid_col]))
            lon1, lon2 = self.lons[mid_row, mid_col - 1:mid_col + 1]
            lat1, lat2 = self.lats[mid_row, mid_col - 1:mid_col + 1]
            dep1, dep2 = self.depths[mid_row, mid_col - 1:mid_col + 1]
        else:
            lon1, lat1, dep1 = self[mid_row - 1:mid_row].get_middle_point()
            lon2, lat2, dep2 = self[mid_row:mid_row + 1].get_middle_point()
        lon, lat = geo.get_middle_point(float(lon1), float(lat1),
                                        float(lon2), float(lat2))
        return lon, lat, (float(dep1) + float(dep2)) / 2.0

    def triangulate(self):
        """Cartesian points (R, C, 3) and the triangle edge vectors: along the rows
        (R, C-1, 3), up the columns (R-1, C, 3) and the cell diagonals from bottom
        left to top right (R-1, C-1, 3)."""
        pts = geo.spherical_to_cartesian(self.lons, self.lats, self.depths)
        along = pts[:, 1:] - pts[:, :-1]
        updip = pts[:-1] - pts[1:]
        diag = pts[:-1, 1:] - pts[1:, :-1]
        return pts, along, updip, diag

    def get_cell_dimensions(self):
        """Per cell (R-1, C-1): centroid (3D Cartesian, km), length along the rows,
        width along the columns (km) and area (km²), each cell being split into a
        top-left and a bottom-right triangle."""
        pts, along, updip, diag = self.triangulate()
        top, left = along[:-1], updip[:, :-1]
        bottom, right = along[1:], updip[:, 1:]
        tl_area = triangle_area(top, left, diag)
        br_area = triangle_area(bottom, right, diag)
        area = tl_area + br_area
        tl_c = (pts[:-1, :-1] + pts[:-1, 1:] + pts[1:, :-1]) / 3
        br_c = (pts[:-1, 1:] + pts[1:, :-1] + pts[1:, 1:]) / 3
        centre = ((tl_c * tl_area[..., None] + br_c * br_area[..., None])
                  / area[..., None])
        length = (_norm(top) * tl_area + _norm(bottom) * br_area) / area
        width = (_norm(left) * tl_area + _norm(right) * br_area) / area
        return centre, length, width, area

    def get_mean_width(self) -> float:
        """Mean width (km) of the mesh: the column widths averaged with the mean
        cell lengths of each column as weights."""
        _, length, width, area = self.get_cell_dimensions()
        widths = width.sum(axis=0)
        mean_lengths = (length * area).sum(axis=0) / area.sum(axis=0)
        return float((widths * mean_lengths).sum() / mean_lengths.sum())

    def get_mean_inclination_and_azimuth(self) -> tuple:
        """Area-weighted circular means of the triangles' inclination (dip, degrees
        in [0, 90]) and azimuth of the row direction (strike, degrees in [0, 360)).

        :returns: (dip, strike)
        """
        if 1 in self.shape:
            raise ValueError("inclination and azimuth need at least 2 rows and 2 columns")
        pts, along, updip, diag = self.triangulate()
        e1, e2 = along[:-1], updip[:, :-1]
        tl_area = triangle_area(e1, e2, diag)
        tl_normal = normalized(np.cross(e1, e2))
        e1, e2 = along[1:], updip[:, 1:]
        br_area = triangle_area(e1, e2, diag)
        br_normal = normalized(np.cross(e1, e2))

        if (self.depths == 0).all():
            incl = 0.0
        else:
            up = normalized(pts)
            cos_tl = np.sum(up[:-1, :-1] * tl_normal, axis=-1).clip(-1.0, 1.0)
            cos_br = np.sum(up[1:, 1:] * br_normal, axis=-1).clip(-1.0, 1.0)
            xx = np.sum(tl_area * cos_tl) + np.sum(br_area * cos_br)
            yy = (np.sum(tl_area * _sqrt_pos(1 - cos_tl * cos_tl))
                  + np.sum(br_area * _sqrt_pos(1 - cos_br * cos_br)))
            incl = math.degrees(math.atan2(yy, xx))

        z_unit = np.array([0.0, 0.0, 1.0])
        west = normalized(np.cross(pts + z_unit, pts))
        north = normalized(np.cross(pts, west))
        along_u = normalized(along)
        xx = yy = 0.0
        for rows, area in ((slice(None, -1), tl_area), (slice(1, None), br_area)):
            a = along_u[rows]
            cols = slice(None, -1) if rows.start is None else slice(1, None)
            sign = np.sign(np.sign(np.sum(a * west[rows, cols], axis=-1)) + 0.1)
            az_cos = np.sum(a * north[rows, cols], axis=-1)
            xx += np.sum(area * az_cos)
            yy += np.sum(area * _sqrt_pos(1 - az_cos * az_cos) * sign)
        az = math.degrees(math.atan2(yy, xx))
        if az < 0:
            az += 360.0
        if incl > 90:
            incl = 180.0 - incl
            az = (az + 180.0) % 360.0
        return incl, az


# ---------------------------------------------------------------------------
# vector helpers
# ---------------------------------------------------------------------------

def _site_arrays(sites):
    lons = np.ravel(np.asarray(sites.lons, float))
    lats = np.ravel(np.asarray(sites.lats, float))
    deps = getattr(sites, "depths", None)
    deps = np.zeros_like(lons) if deps is None else np.ravel(np.asarray(deps, float))
    return lons, lats, deps


def _norm(v):
    return np.sqrt(np.sum(v * v, axis=-1))


def _sqrt_pos(a):
    return np.sqrt(np.where(a < 0, 0.0, a))


def normalized(v):
    """Unit vectors along the last axis of ``v`` (..., 3)."""
    return v / _norm(v)[..., None]


def triangle_area(e1, e2, e3):
    """Area (Heron's formula) of triangles given by their edge vectors (..., 3)."""
    a, b, c = _norm(e1), _norm(e2), _norm(e3)
    s = (a + b + c) / 2.0
    with np.errstate(invalid="ignore"):
        return np.sqrt(s * (s - a) * (s - b) * (s - c))


def _segments_distance(ax, ay, bx, by, px, py):
    # distances (N, E) from points (N,) to segments (E,)
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    qx = px[:, None] - ax[None, :]
    qy = py[:, None] - ay[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(len2 > 0, (qx * dx + qy * dy) / np.where(len2 > 0, len2, 1), 0.0)
    t = np.clip(t, 0.0, 1.0)
    ex = qx - t * dx
    ey = qy - t * dy
    return np.sqrt(ex * ex + ey * ey)


def _inside_ring(ax, ay, bx, by, px, py):
    # even-odd rule: does a ray towards +x from each point cross the edges an odd
    # number of times? (N,)
    cond = (ay[None, :] > py[:, None]) != (by[None, :] > py[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        xcross = ax[None, :] + (py[:, None] - ay[None, :]) * (bx - ax)[None, :] / (
            by - ay)[None, :]
    hits = cond & (px[:, None] < xcross)
    return (hits.sum(axis=1) % 2) == 1


def _shapely_rings(geom) -> list:
    # list of polygons, each a list of rings (V, 2) without the closing vertex
    geoms = getattr(geom, "geoms", [geom])
    out = []
    for g in geoms:
        rings = [np.asarray(g.exterior.coords)[:-1]]
        rings += [np.asarray(r.coords)[:-1] for r in g.interiors]
        out.append(rings)
    return out


def polygons_distance(polygons, px, py):
    """Distance (km) from points to a set of polygons with holes, 0 inside any.

    :param polygons: list of polygons, each a list of rings (V, 2) (exterior first);
        inside means inside by the even-odd rule over all the rings of a polygon
    :param px, py: points (N,), km
    :returns: array (N,)
    """
    px, py = np.asarray(px, float), np.asarray(py, float)
    out = np.full(len(px), np.inf)
    for rings in polygons:
        ax = np.concatenate([r[:, 0] for r in rings])
        ay = np.concatenate([r[:, 1] for r in rings])
        bx = np.concatenate([np.roll(r[:, 0], -1) for r in rings])
        by = np.concatenate([np.roll(r[:, 1], -1) for r in rings])
        for start in range(0, len(px), 1000):
            sl = slice(start, start + 1000)
            d = _segments_distance(ax, ay, bx, by, px[sl], py[sl]).min(axis=1)
            d[_inside_ring(ax, ay, bx, by, px[sl], py[sl])] = 0.0
            out[sl] = np.minimum(out[sl], d)
    return out


def pack_polygons(polygons):
    """Flatten polygons for :func:`nb_polygons_distance`.

    :returns: ``(edges, poly_offsets)``: edges (E, 4) ax, ay, bx, by of all ring
        edges, polygon after polygon, and offsets (P + 1,) into them
    """
    edges, offsets = [], [0]
    for rings in polygons:
        for r in rings:
            edges.append(np.column_stack([r, np.roll(r, -1, axis=0)]))
        offsets.append(offsets[-1] + sum(len(r) for r in rings))
    return (np.concatenate(edges) if edges else np.zeros((0, 4)),
            np.array(offsets, np.int64))


@njit(cache=True)
def nb_polygons_distance(edges, offsets, px, py):
    """Scalar :func:`polygons_distance` for one point, polygons packed by
    :func:`pack_polygons`."""
    best = np.inf
    for p in range(len(offsets) - 1):
        inside = False
        for k in range(offsets[p], offsets[p + 1]):
            ax, ay, bx, by = edges[k, 0], edges[k, 1], edges[k, 2], edges[k, 3]
            d = nb_segment_distance(ax, ay, bx, by, px, py)
            if d < best:
                best = d
            if (ay > py) != (by > py):
                if px < ax + (py - ay) * (bx - ax) / (by - ay):
                    inside = not inside
        if inside:
            return 0.0
    return best


def convex_hull(xs, ys):
    """Convex hull (monotone chain) of 2D points, counter-clockwise, without repeating
    the first vertex.

    :returns: (hx, hy) arrays (H,), H <= 2 for degenerate inputs
    """
    pts = sorted(set(zip(np.ravel(xs).tolist(), np.ravel(ys).tolist())))
    if len(pts) <= 2:
        return np.array([p[0] for p in pts]), np.array([p[1] for p in pts])

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return np.array([p[0] for p in hull]), np.array([p[1] for p in hull])


# ---------------------------------------------------------------------------
# numba helpers of the projected-polygon distance (used by the rupture kernels)
# ---------------------------------------------------------------------------

@njit(cache=True)
def nb_segment_distance(ax, ay, bx, by, px, py):
    """Distance from (px, py) to the segment (ax, ay)-(bx, by), km."""
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    qx, qy = px - ax, py - ay
    t = 0.0
    if len2 > 0:
        t = (qx * dx + qy * dy) / len2
        t = min(1.0, max(0.0, t))
    ex, ey = qx - t * dx, qy - t * dy
    return math.sqrt(ex * ex + ey * ey)
