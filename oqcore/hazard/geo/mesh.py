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
(:func:`polygons_distance`, numba twin :func:`nb_polygons_distance`).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import shapely.geometry
import shapely.ops
from numba import njit

from oqcore.hazard.geo import geodetic as geo

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
            proj, rings = self.get_projected_polygons()
            px, py = proj(slons[close], slats[close])
            dists[close] = polygons_distance(rings, px, py)
        return dists

    def get_projected_polygons(self):
        """The surface projection of the mesh used for rjb.

        :returns: ``(proj, polygons)``: the
            :class:`~oqcore.hazard.geo.geodetic.OrthographicProjection` (centred on
            the mesh bounding box) and a list of polygons, each a list of rings
            (V, 2) in km (the exterior then the holes)
        """
        proj = geo.OrthographicProjection.from_lons_lats(self.lons, self.lats)
        mx, my = proj(self.lons.ravel(), self.lats.ravel())
        hull = shapely.geometry.MultiPoint(np.column_stack([mx, my])).convex_hull
        if not isinstance(hull, shapely.geometry.Polygon):
            hull = hull.buffer(DIST_TOLERANCE, 1)
        return proj, _shapely_rings(hull)


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
        polys = []
        with np.errstate(all="ignore"):
            for ring in strips:
                line = shapely.geometry.LineString(np.vstack([ring, ring[:1]]))
                strip = line.simplify(DIST_TOLERANCE).buffer(DIST_TOLERANCE, 2)
                polys.append(shapely.geometry.Polygon(strip.exterior))
            union = shapely.ops.unary_union(polys).simplify(DIST_TOLERANCE)
        if not isinstance(union, shapely.geometry.Polygon):
            union = union.buffer(DIST_TOLERANCE, 1)
        return proj, _shapely_rings(union)

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

    def cell_triangles(self) -> "CellTriangles":
        """The mesh as triangles in Earth-centred Cartesian space (km): every cell
        (R-1, C-1) is cut along the diagonal from its lower-left to its upper-right
        node into an upper-left and a lower-right triangle (see
        :class:`CellTriangles`)."""
        xyz = geo.spherical_to_cartesian(self.lons, self.lats, self.depths)
        ul, ur = xyz[:-1, :-1], xyz[:-1, 1:]
        ll, lr = xyz[1:, :-1], xyz[1:, 1:]
        return CellTriangles(xyz, ul, ur, ll, lr, top=ur - ul, left=ul - ll,
                             bottom=lr - ll, right=ur - lr, diagonal=ur - ll)

    def get_cell_dimensions(self):
        """Per cell (R-1, C-1): centroid (3D Cartesian, km), length along the rows,
        width along the columns (km) and area (km²). The cell is the union of its two
        triangles: its area their sum (Heron's formula), its centroid the
        area-weighted mean of theirs, its length (width) the area-weighted mean of
        the triangles' edges along the rows (columns)."""
        tri = self.cell_triangles()
        a_upper = triangle_area(tri.top, tri.left, tri.diagonal)
        a_lower = triangle_area(tri.bottom, tri.right, tri.diagonal)
        area = a_upper + a_lower
        c_upper = (tri.ul + tri.ur + tri.ll) / 3
        c_lower = (tri.ur + tri.ll + tri.lr) / 3
        centre = ((c_upper * a_upper[..., None] + c_lower * a_lower[..., None])
                  / area[..., None])
        length = (_norm(tri.top) * a_upper + _norm(tri.bottom) * a_lower) / area
        width = (_norm(tri.left) * a_upper + _norm(tri.right) * a_lower) / area
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
        terms = self.inclination_azimuth_terms()
        flat = bool((self.depths == 0).all())
        return inclination_azimuth(*(t.sum() for t in terms), flat)

    def inclination_azimuth_terms(self) -> tuple:
        """The area-weighted terms of every cell (R-1, C-1) whose sums give the mean
        inclination and azimuth (:func:`inclination_azimuth`): ``(cos_dip, sin_dip,
        cos_az, sin_az)``, each the sum over the cell's two triangles of the triangle
        area times the cosine/sine of its dip, resp. of the azimuth of its row edge.
        """
        tri = self.cell_triangles()
        # (triangle area, its outward normal, the node its local frame is taken at,
        # its edge along the rows) for the upper-left and lower-right triangles
        halves = [(triangle_area(tri.top, tri.left, tri.diagonal),
                   normalized(np.cross(tri.top, tri.left)), tri.ul, tri.top),
                  (triangle_area(tri.bottom, tri.right, tri.diagonal),
                   normalized(np.cross(tri.bottom, tri.right)), tri.lr, tri.bottom)]
        # dip: the angle between each triangle's normal and the local vertical;
        # strike: the azimuth of each triangle's row edge in the local frame (north,
        # west) of its node, the sign of the sine taken from the west component
        cd = sd = ca = sa = 0.0
        for area, normal, node, edge in halves:
            cos_dip = np.sum(normalized(node) * normal, axis=-1).clip(-1.0, 1.0)
            cd = cd + area * cos_dip
            sd = sd + area * _sqrt_pos(1 - cos_dip * cos_dip)
            west = normalized(np.cross(node + np.array([0.0, 0.0, 1.0]), node))
            north = normalized(np.cross(node, west))
            unit = normalized(edge)
            sign = np.sign(np.sign(np.sum(unit * west, axis=-1)) + 0.1)
            cos_az = np.sum(unit * north, axis=-1)
            ca = ca + area * cos_az
            sa = sa + area * _sqrt_pos(1 - cos_az * cos_az) * sign
        return cd, sd, ca, sa


def inclination_azimuth(cos_dip, sin_dip, cos_az, sin_az, flat=False):
    """(dip, strike) in degrees from the summed terms of
    :meth:`RectangularMesh.inclination_azimuth_terms` (scalars or arrays); ``flat``
    (all depths 0) gives dip 0. A dip above 90 (the surface upside down) becomes
    180 - dip with the strike reversed."""
    incl = np.where(flat, 0.0, np.degrees(np.arctan2(sin_dip, cos_dip)))
    az = np.degrees(np.arctan2(sin_az, cos_az))
    az = np.where(az < 0, az + 360.0, az)
    flip = incl > 90
    incl = np.where(flip, 180.0 - incl, incl)
    az = np.where(flip, (az + 180.0) % 360.0, az)
    if np.ndim(incl) == 0:
        return float(incl), float(az)
    return incl, az


class CellTriangles(NamedTuple):
    """The triangles of a rectangular mesh (see :meth:`RectangularMesh.cell_triangles`).

    ``xyz`` (R, C, 3) are the Cartesian nodes; ``ul``, ``ur``, ``ll``, ``lr`` (R-1, C-1,
    3) the upper-left, upper-right, lower-left and lower-right corners of every cell
    (upper = shallower row); the edge vectors (R-1, C-1, 3) are ``top`` (ul to ur),
    ``left`` (ll to ul), ``bottom`` (ll to lr), ``right`` (lr to ur) and ``diagonal``
    (ll to ur). The upper-left triangle is (top, left, diagonal), the lower-right one
    (bottom, right, diagonal).
    """
    xyz: np.ndarray
    ul: np.ndarray
    ur: np.ndarray
    ll: np.ndarray
    lr: np.ndarray
    top: np.ndarray
    left: np.ndarray
    bottom: np.ndarray
    right: np.ndarray
    diagonal: np.ndarray


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
