"""Mesh-based fault surfaces: :class:`SimpleFaultSurface` and
:class:`ComplexFaultSurface`, their common base :class:`BaseSurface`, and the batched
distance kernel :func:`mesh_distances` (numpy twin: :func:`mesh_distances_numpy`).

Distances, as in OpenQuake 3.26 (``sites`` is anything with ``.lons``, ``.lats``,
``.depths`` arrays (N,)):

* rrup uses the 3D mesh, rjb its surface projection (see :mod:`.mesh`);
* rx uses the top edge (row 0): the signed cross-track distance to the nearest of
  its segments, the first and last segments extended to half great circles
  (positive on the hanging wall, i.e. right of the strike direction);
* ry0 uses the great circles perpendicular to the mean strike through the ends of
  the top edge: 0 between them, otherwise the distance to the nearer one.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from oqcore.hazard.geo import geodetic as geo
from oqcore.hazard.geo.line import Line, as_line, lines_from
from oqcore.hazard.geo.mesh import (
    DIST_TOLERANCE, RJB_THRESHOLD, RectangularMesh, _site_arrays, inclination_azimuth,
    nb_polygons_distance, nb_segment_distance, pack_polygons, polygons_distance)


class BaseSurface:
    """A rupture surface represented by a :class:`RectangularMesh`.

    :param mesh: the mesh, rows down dip, columns along strike
    """

    def __init__(self, mesh: RectangularMesh):
        if 1 in mesh.shape:
            raise ValueError("a rupture surface mesh of shape %s is degenerate: 2 rows "
                             "and 2 columns are needed" % (mesh.shape,))
        self.mesh = mesh
        self._dip = self._strike = None

    # -- distances --------------------------------------------------------
    def get_min_distance(self, sites) -> np.ndarray:
        """rrup (N,), km."""
        return self.mesh.get_min_distance(sites)

    def get_joyner_boore_distance(self, sites) -> np.ndarray:
        """rjb (N,), km, 0 above the rupture."""
        return self.mesh.get_joyner_boore_distance(sites)

    def get_rx_distance(self, sites) -> np.ndarray:
        """rx (N,), km, from the top edge, positive on the hanging wall."""
        lons, lats, _ = _site_arrays(sites)
        return top_edge_rx(self.mesh.lons[0], self.mesh.lats[0], lons, lats)

    def get_ry0_distance(self, sites) -> np.ndarray:
        """ry0 (N,), km."""
        lons, lats, _ = _site_arrays(sites)
        return top_edge_ry0(self.mesh.lons[0], self.mesh.lats[0], self.get_strike(),
                            lons, lats)

    def get_distances(self, sites) -> tuple:
        """(rrup, rjb, rx, ry0), each (N,) in km."""
        return (self.get_min_distance(sites), self.get_joyner_boore_distance(sites),
                self.get_rx_distance(sites), self.get_ry0_distance(sites))

    def get_closest_points(self, sites):
        """The mesh nodes closest to the sites (a :class:`Mesh` (N,))."""
        return self.mesh.get_closest_points(sites)

    # -- geometry ---------------------------------------------------------
    def get_top_edge_depth(self) -> float:
        """ztor: the minimum depth of the top edge, km."""
        return float(self.mesh.depths[0].min())

    def _mean_dip_strike(self, mesh) -> None:
        self._dip, self._strike = mesh.get_mean_inclination_and_azimuth()

    def get_dip(self) -> float:
        """Mean dip, degrees."""
        if self._dip is None:
            self._mean_dip_strike(self.mesh)
        return self._dip

    def get_strike(self) -> float:
        """Mean strike, degrees in [0, 360)."""
        if self._strike is None:
            self.get_dip()
        return self._strike

    def get_width(self) -> float:
        """Mean width down dip, km."""
        return self.mesh.get_mean_width()

    def get_area(self) -> float:
        """Area, km² (sum of the mesh cells)."""
        return float(self.mesh.get_cell_dimensions()[3].sum())

    def get_bounding_box(self) -> tuple:
        """(west, east, north, south), degrees."""
        return geo.spherical_bounding_box(self.mesh.lons, self.mesh.lats)

    def get_middle_point(self) -> tuple:
        """The middle of the mesh (see :meth:`RectangularMesh.get_middle_point`):
        (lon, lat, depth). OpenQuake uses it as the hypocentre of floating ruptures."""
        return self.mesh.get_middle_point()

    def get_hypo_location(self, mesh_spacing: float, hypo_loc=None) -> tuple:
        """The mesh node at the fractions ``hypo_loc = (along strike, down dip)`` of
        the rupture (the middle point when None), as OpenQuake places hypocentres.

        :returns: (lon, lat, depth)
        """
        if hypo_loc is None:
            return self.get_middle_point()
        m = self.mesh
        rows, cols = m.shape
        y_node = int(np.round(hypo_loc[1] * ((rows - 1) * mesh_spacing) / mesh_spacing))
        x_node = int(np.round(hypo_loc[0] * ((cols - 1) * mesh_spacing) / mesh_spacing))
        return (float(m.lons[y_node, x_node]), float(m.lats[y_node, x_node]),
                float(m.depths[y_node, x_node]))


class SimpleFaultSurface(BaseSurface):
    """A simple fault: a trace at the surface projected down dip to the seismogenic
    depths. Mean dip and strike come from the top row of cells."""

    def get_dip(self) -> float:
        if self._dip is None:
            self._mean_dip_strike(self.mesh[0:2])
        return self._dip

    def get_width(self) -> float:
        return self.mesh[:, 0:2].get_mean_width()

    @staticmethod
    def check_fault_data(trace: Line, usd: float, lsd: float, dip: float,
                         mesh_spacing: float) -> None:
        """Raise ValueError on invalid simple fault data."""
        if len(trace) < 2:
            raise ValueError("a simple fault trace needs 2 or more distinct points, "
                             "got %d" % len(trace))
        if not trace.horizontal():
            raise ValueError("the points of a simple fault trace must all lie at the "
                             "same depth, got depths %s" % sorted(set(trace.depths)))
        if not 0.0 < dip <= 90.0:
            raise ValueError("simple fault dip %s is outside (0, 90] degrees" % dip)
        if not lsd > usd:
            raise ValueError("the lower seismogenic depth (%s km) is not below the "
                             "upper one (%s km)" % (lsd, usd))
        if not usd >= trace.depths[0]:
            raise ValueError("the upper seismogenic depth (%s km) is above the fault "
                             "trace (%s km deep)" % (usd, trace.depths[0]))
        if not mesh_spacing > 0.0:
            raise ValueError("the mesh spacing must be a positive number of km, got %s"
                             % mesh_spacing)

    @classmethod
    def from_fault_data(cls, fault_trace, upper_seismogenic_depth: float,
                        lower_seismogenic_depth: float, dip: float,
                        mesh_spacing: float) -> "SimpleFaultSurface":
        """Build the fault mesh as OpenQuake does.

        The trace is resampled at ``mesh_spacing`` (see :meth:`Line.resample`); each
        trace point is moved perpendicularly to the overall strike (first to last
        trace point) down to the upper and lower seismogenic depths, and the segment
        between those two points is divided into intervals of about
        ``mesh_spacing`` km.

        :param fault_trace: a :class:`Line`, an (N, 2|3) array of lon, lat[, depth]
            or a (lons, lats) pair
        :param upper_seismogenic_depth, lower_seismogenic_depth: km
        :param dip: degrees in (0, 90]
        :param mesh_spacing: km
        """
        trace = as_line(fault_trace)
        usd, lsd = float(upper_seismogenic_depth), float(lower_seismogenic_depth)
        cls.check_fault_data(trace, usd, lsd, dip, mesh_spacing)
        tdep = trace.depths[0]
        vtop, vbot = usd - tdep, lsd - tdep
        tan = math.tan(math.radians(dip))
        htop, hbot = vtop / tan, vbot / tan
        strike = float(geo.azimuth(trace.lons[0], trace.lats[0],
                                   trace.lons[-1], trace.lats[-1]))
        az = (strike + 90.0) % 360
        columns = []
        for lon, lat, dep in trace.resample(mesh_spacing).coo:
            tlo, tla = geo.point_at(lon, lat, az, htop)
            blo, bla = geo.point_at(lon, lat, az, hbot)
            columns.append(geo.intervals_between(float(tlo), float(tla), dep + vtop,
                                                 float(blo), float(bla), dep + vbot,
                                                 mesh_spacing))
        nrows = {len(c[0]) for c in columns}
        if len(nrows) != 1:
            raise ValueError("the columns of the fault mesh have different numbers "
                             "of points down dip: %s" % sorted(nrows))
        lons = np.array([c[0] for c in columns]).T
        lats = np.array([c[1] for c in columns]).T
        deps = np.array([c[2] for c in columns]).T
        if 1 in lons.shape:
            raise ValueError("a mesh spacing of %s km leaves the fault mesh with shape "
                             "%s; 2 rows and 2 columns are needed"
                             % (mesh_spacing, lons.shape))
        return cls(RectangularMesh(lons, lats, deps))


class ComplexFaultSurface(BaseSurface):
    """A complex fault given by its top, intermediate and bottom edges. Mean dip and
    strike come from the whole mesh."""

    @staticmethod
    def check_aki_richards(edges: list) -> None:
        """Raise ValueError unless the surface dips to the right of the top edge."""
        (ul, u1), (bl, b1) = edges[0].coo[:2], edges[-1].coo[:2]
        pts = geo.spherical_to_cartesian(
            [ul[0], u1[0], bl[0], b1[0]], [ul[1], u1[1], bl[1], b1[1]],
            [ul[2], u1[2], bl[2], b1[2]])
        p_ul, p_ur, p_bl, p_br = pts
        top = p_ur - p_ul
        lc = np.cross(p_bl - p_ul, top)
        rc = np.cross(p_br - p_ur, top)
        if (lc == 0).all() or (rc == 0).all():
            return
        lc /= np.sqrt(lc @ lc)
        rc /= np.sqrt(rc @ rc)
        a_ul = np.round(np.degrees(np.arccos(p_ul @ lc / np.sqrt(p_ul @ p_ul))), 1)
        a_ur = np.round(np.degrees(np.arccos(p_ur @ rc / np.sqrt(p_ur @ p_ur))), 1)
        if a_ul > 90 or a_ur > 90:
            raise ValueError("the complex fault dips to the left of its top edge; "
                             "reverse the edges so that it dips to the right (Aki & "
                             "Richards convention)")

    @classmethod
    def from_fault_data(cls, edges, mesh_spacing: float) -> "ComplexFaultSurface":
        """Build the fault mesh as OpenQuake does: every edge is resampled to the same
        number of points (mean edge length / spacing, rounded, + 1), then every
        column joining corresponding points (top to bottom) to the same number of
        points (mean column length / spacing, rounded, + 1).

        :param edges: list of at least two 3D lines (top first), each a
            :class:`Line` or an (N, 3) array of lon, lat, depth
        :param mesh_spacing: km
        """
        edges = lines_from(edges)
        if len(edges) < 2:
            raise ValueError("a complex fault needs a top and a bottom edge, got %d "
                             "edge(s)" % len(edges))
        if not mesh_spacing > 0.0:
            raise ValueError("the mesh spacing must be a positive number of km, got %s"
                             % mesh_spacing)
        cls.check_aki_richards(edges)
        mean_length = np.mean([e.get_length() for e in edges])
        nh = int(np.round(mean_length / mesh_spacing)) + 1
        if nh <= 1:
            raise ValueError("the complex fault edges (%.1f km long on average) are "
                             "shorter than half the mesh spacing (%.1f km)"
                             % (mean_length, mesh_spacing))
        redges = [e.resample_to_num_points(nh).coo for e in edges]
        if any(len(e) != nh for e in redges):
            raise ValueError("the complex fault edges could not all be resampled to "
                             "%d points" % nh)
        columns = [Line(np.array([e[j] for e in redges])) for j in range(nh)]
        mean_width = np.mean([c.get_length() for c in columns])
        nv = int(np.round(mean_width / mesh_spacing)) + 1
        if nv <= 1:
            raise ValueError("the complex fault (%.1f km wide on average) is narrower "
                             "than half the mesh spacing (%.1f km)"
                             % (mean_width, mesh_spacing))
        cols = [c.resample_to_num_points(nv).coo for c in columns]  # (nh, nv, 3)
        arr = np.array(cols).transpose(1, 0, 2)  # (nv, nh, 3)
        return cls(RectangularMesh(arr[..., 0], arr[..., 1], arr[..., 2]))


# ---------------------------------------------------------------------------
# rx / ry0 from the top edge (numpy)
# ---------------------------------------------------------------------------

def top_edge_rx(tlons, tlats, lons, lats) -> np.ndarray:
    """rx (N,) in km of sites (lons, lats) from a top edge (tlons, tlats) (C,)."""
    n = len(tlons)
    if n < 3:
        az = geo.azimuth(tlons[0], tlats[0], tlons[1], tlats[1])
        return geo.distance_to_arc(tlons[0], tlats[0], az, lons, lats)
    dists = []
    for i in range(n - 1):
        a, b = (i + 1, i) if i == 0 else (i, i + 1)
        if i == 0 or i == n - 2:
            az = geo.azimuth(tlons[a], tlats[a], tlons[b], tlats[b])
            d = geo.distance_to_semi_arc(tlons[a], tlats[a], az, lons, lats)
        else:
            d = geo.min_distance_to_segment(tlons[[a, b]], tlats[[a, b]], lons, lats)
        dists.append(-d if i == 0 else d)
    dists = np.array(dists)
    best = np.abs(dists).argmin(axis=0)
    return dists[best, np.arange(dists.shape[1])]


def top_edge_ry0(tlons, tlats, strike, lons, lats) -> np.ndarray:
    """ry0 (N,) in km of sites from a top edge (C,) with mean strike ``strike``."""
    az = (strike + 90.0) % 360
    d1 = geo.distance_to_arc(tlons[0], tlats[0], az, lons, lats)
    d2 = geo.distance_to_arc(tlons[-1], tlats[-1], az, lons, lats)
    return np.where(np.sign(d1) == np.sign(d2), np.fmin(np.abs(d1), np.abs(d2)), 0.0)


# ---------------------------------------------------------------------------
# batched distances for many mesh ruptures
# ---------------------------------------------------------------------------

def pack_meshes(meshes, polygons: bool = True) -> dict:
    """Flatten R rectangular meshes (and their projected rjb polygons) into the
    arrays :func:`mesh_distances` works on.

    :param polygons: with False the projected rjb polygons are left out, which is
        correct only when every site is far (40 km or more) from the surface
        projection of every mesh node (rjb is then the distance to the nearest node)
    :returns: dict of arrays: ``nodes`` (P, 3) lon, lat, depth of all the nodes
        (row-major, mesh after mesh), ``shapes`` (R, 2) rows and columns,
        ``centres`` (R, 2) projection centres (radians),
        ``edges`` (E, 4) polygon edges (km, projected), ``poly_offsets`` (Q + 1,)
        into the edges, ``rup_polys`` (R + 1,) into the polygons
    """
    nodes = np.concatenate([np.column_stack([m.lons.ravel(), m.lats.ravel(),
                                             m.depths.ravel()]) for m in meshes])
    shapes = np.array([m.shape for m in meshes], np.int64).reshape(-1, 2)
    R = len(meshes)
    centres = np.zeros((R, 2))
    if not polygons:
        return dict(nodes=nodes, shapes=shapes, centres=centres,
                    edges=np.zeros((0, 4)), poly_offsets=np.zeros(1, np.int64),
                    rup_polys=np.zeros(R + 1, np.int64))
    edges, poly_offsets, rup_polys = [], [0], [0]
    for r, m in enumerate(meshes):
        proj, polys = m.get_projected_polygons()
        centres[r] = proj.lam0, proj.phi0
        e, off = pack_polygons(polys)
        edges.append(e)
        poly_offsets.extend((off[1:] + poly_offsets[-1]).tolist())
        rup_polys.append(rup_polys[-1] + len(polys))
    return dict(nodes=nodes, shapes=shapes, centres=centres,
                edges=np.concatenate(edges), poly_offsets=np.array(poly_offsets, np.int64),
                rup_polys=np.array(rup_polys, np.int64))


def mesh_strikes(meshes, simple: bool = True) -> np.ndarray:
    """Mean strikes (R,) of the meshes as the surfaces compute them (top row of
    cells for simple faults, the whole mesh for complex ones)."""
    return np.array([(m[0:2] if simple else m).get_mean_inclination_and_azimuth()[1]
                     for m in meshes])


def mesh_distances_numpy(meshes, sites, strikes) -> tuple:
    """Plain numpy twin of :func:`mesh_distances`: loops over the meshes and uses
    the mesh methods.

    :returns: four arrays (R, N): rrup, rjb, rx, ry0
    """
    lons, lats, _ = _site_arrays(sites)
    out = np.zeros((4, len(meshes), len(lons)))
    for r, m in enumerate(meshes):
        out[0, r] = m.get_min_distance(sites)
        out[1, r] = m.get_joyner_boore_distance(sites)
        out[2, r] = top_edge_rx(m.lons[0], m.lats[0], lons, lats)
        out[3, r] = top_edge_ry0(m.lons[0], m.lats[0], strikes[r], lons, lats)
    return out[0], out[1], out[2], out[3]


def mesh_distances(meshes, sites, strikes=None, simple: bool = True) -> tuple:
    """rrup, rjb, rx, ry0 (km) between R mesh ruptures and N sites (numba kernel).

    :param meshes: list of :class:`RectangularMesh` (any shapes), or the dict made
        by :func:`pack_meshes` (to reuse it for several site collections)
    :param sites: object with ``.lons``, ``.lats``, ``.depths`` (N,)
    :param strikes: (R,) mean strikes for ry0 (default :func:`mesh_strikes`)
    :param simple: how to compute the default strikes (simple or complex fault)
    :returns: four arrays (R, N)
    """
    if isinstance(meshes, dict):
        packed = meshes
        if strikes is None:
            raise ValueError("strikes are needed with packed meshes")
    else:
        if strikes is None:
            strikes = mesh_strikes(meshes, simple)
        packed = pack_meshes(meshes)
    lons, lats, deps = _site_arrays(sites)
    c = np.ascontiguousarray
    out = _mesh_kernel(
        c(packed["nodes"], float), c(packed["shapes"], np.int64),
        c(packed["centres"], float),
        c(packed["edges"], float), c(packed["poly_offsets"], np.int64),
        c(packed["rup_polys"], np.int64), c(strikes, float), c(lons), c(lats), c(deps))
    return out[0], out[1], out[2], out[3]


@njit(cache=True)
def _nb_rx(tlons, tlats, plon, plat):
    n = len(tlons)
    if n < 3:
        az = geo.nb_azimuth(tlons[0], tlats[0], tlons[1], tlats[1])
        return geo.nb_distance_to_arc(tlons[0], tlats[0], az, plon, plat)
    best = 0.0
    best_abs = np.inf
    for i in range(n - 1):
        if i == 0:
            a, b = 1, 0
        else:
            a, b = i, i + 1
        if i == 0 or i == n - 2:
            az = geo.nb_azimuth(tlons[a], tlats[a], tlons[b], tlats[b])
            d = geo.nb_distance_to_semi_arc(tlons[a], tlats[a], az, plon, plat)
        else:
            d = geo.nb_min_distance_to_segment(tlons[a], tlats[a], tlons[b],
                                               tlats[b], plon, plat)
        if i == 0:
            d = -d
        if abs(d) < best_abs:
            best_abs = abs(d)
            best = d
    return best


@njit(cache=True)
def _mesh_kernel(nodes, shapes, centres, edges, poly_offsets, rup_polys,
                 strikes, slons, slats, sdeps):
    R, N = shapes.shape[0], len(slons)
    out = np.zeros((4, R, N))
    sx = np.empty((N, 3))
    s0 = np.empty((N, 3))
    for i in range(N):
        sx[i, 0], sx[i, 1], sx[i, 2] = geo.nb_xyz(slons[i], slats[i], sdeps[i])
        s0[i, 0], s0[i, 1], s0[i, 2] = geo.nb_xyz(slons[i], slats[i], 0.0)
    start = 0
    for r in range(R):
        nrows, ncols = shapes[r, 0], shapes[r, 1]
        size = nrows * ncols
        lo = nodes[start:start + size, 0]
        la = nodes[start:start + size, 1]
        de = nodes[start:start + size, 2]
        start += size
        px = np.empty((size, 3))
        p0 = np.empty((size, 3))
        for k in range(size):
            px[k, 0], px[k, 1], px[k, 2] = geo.nb_xyz(lo[k], la[k], de[k])
            p0[k, 0], p0[k, 1], p0[k, 2] = geo.nb_xyz(lo[k], la[k], 0.0)
        lam0, phi0 = centres[r, 0], centres[r, 1]
        offs = poly_offsets[rup_polys[r]:rup_polys[r + 1] + 1]
        tlons = lo[:ncols].copy()
        tlats = la[:ncols].copy()
        az_perp = (strikes[r] + 90.0) % 360.0
        for i in range(N):
            d3 = np.inf
            d2 = np.inf
            for k in range(size):
                a = ((px[k, 0] - sx[i, 0]) ** 2 + (px[k, 1] - sx[i, 1]) ** 2
                     + (px[k, 2] - sx[i, 2]) ** 2)
                if a < d3:
                    d3 = a
                b = ((p0[k, 0] - s0[i, 0]) ** 2 + (p0[k, 1] - s0[i, 1]) ** 2
                     + (p0[k, 2] - s0[i, 2]) ** 2)
                if b < d2:
                    d2 = b
            out[0, r, i] = math.sqrt(d3)
            rjb = math.sqrt(d2)
            if rjb < RJB_THRESHOLD:
                qx, qy = geo.nb_orthographic(lam0, phi0, slons[i], slats[i])
                rjb = nb_polygons_distance(edges, offs, qx, qy)
            out[1, r, i] = rjb
            out[2, r, i] = _nb_rx(tlons, tlats, slons[i], slats[i])
            e1 = geo.nb_distance_to_arc(tlons[0], tlats[0], az_perp,
                                        slons[i], slats[i])
            e2 = geo.nb_distance_to_arc(tlons[-1], tlats[-1], az_perp,
                                        slons[i], slats[i])
            if np.sign(e1) == np.sign(e2):
                out[3, r, i] = min(abs(e1), abs(e2))
    return out


# ---------------------------------------------------------------------------
# distances of many rupture windows of one mesh (floating ruptures)
# ---------------------------------------------------------------------------

#: km taken off the distance to the projected cells of a rupture for rjb (see
#: :func:`window_distances`)
RJB_SHRINK = DIST_TOLERANCE / 2.0


def mesh_windows(mesh_shape: tuple, slices) -> np.ndarray:
    """Rupture windows ``(r0, r1, c0, c1)`` (rows r0:r1, columns c0:c1 of the whole
    mesh) of index expressions: (row_slice, col_slice) pairs or ``slice(None)``.

    :returns: int64 array (R, 4)
    """
    rows, cols = mesh_shape
    out = np.empty((len(slices), 4), np.int64)
    for i, s in enumerate(slices):
        rs, cs = (s, slice(None)) if isinstance(s, slice) else s
        r0, r1, _ = rs.indices(rows)
        c0, c1, _ = cs.indices(cols)
        out[i] = r0, r1, c0, c1
    return out


def window_distances(mesh: RectangularMesh, windows: np.ndarray, strikes, sites
                     ) -> np.ndarray:
    """rrup, rjb, rx, ry0 (km) of R ruptures that are windows of one mesh, for N
    sites (numba kernel :func:`_window_kernel`; numpy twin
    :func:`window_distances_numpy`).

    Per site the node distances and the distances to the projected cells of the
    whole mesh are computed once; the distances of a rupture are then minima over
    its window, found with per-row sparse tables (O(1) per row of the window). rjb
    for sites closer than 40 km to a rupture's nodes is the distance to the union of
    the rupture's projected cells (orthographic projection centred on the site), 0
    inside, less 2.5 m: OpenQuake dilates its projected polygon by 5 m
    (:data:`~oqcore.hazard.geo.mesh.DIST_TOLERANCE`) and then simplifies it with the
    same tolerance, which cuts the dilated corners, so that its rjb is 0 to 5 m less
    than the distance to the exact projection; taking the middle keeps the two within
    3 mm (no shapely polygon per rupture); OpenQuake's projection is centred on the
    rupture, this one on the site: distances near 40 km differ by up to ~1e-4
    relative (3e-4 for ruptures 300 km long). rx and ry0 as :func:`mesh_distances`.

    :param mesh: the whole mesh (rows, cols)
    :param windows: (R, 4) int (r0, r1, c0, c1), see :func:`mesh_windows`
    :param strikes: (R,) mean strikes of the ruptures (degrees), for ry0
    :param sites: object with ``.lons``, ``.lats``, ``.depths`` (N,)
    :returns: array (4, R, N)
    """
    lons, lats, deps = _site_arrays(sites)
    c = np.ascontiguousarray
    return _window_kernel(c(mesh.lons, float), c(mesh.lats, float), c(mesh.depths, float),
                          c(windows, np.int64), c(strikes, float), c(lons), c(lats),
                          c(deps), RJB_THRESHOLD, RJB_SHRINK)


def window_distances_numpy(mesh: RectangularMesh, windows: np.ndarray, strikes, sites
                           ) -> np.ndarray:
    """Plain twin of :func:`window_distances`: the sub-meshes one by one, with rjb
    from the projected cells of each sub-mesh (numpy, site-centred projection).

    :returns: array (4, R, N)
    """
    lons, lats, deps = _site_arrays(sites)
    out = np.zeros((4, len(windows), len(lons)))
    for q, (r0, r1, c0, c1) in enumerate(windows):
        m = mesh[r0:r1, c0:c1]
        out[0, q] = m.get_min_distance(sites)
        node = geo.min_chord_distance(m.lons, m.lats, lons, lats)
        for i in np.flatnonzero(node < RJB_THRESHOLD):
            lam0, phi0 = math.radians(lons[i]), math.radians(lats[i])
            x, y = _ortho_numpy(lam0, phi0, m.lons, m.lats)
            quads = [np.array([[x[r, k], y[r, k]], [x[r, k + 1], y[r, k + 1]],
                               [x[r + 1, k + 1], y[r + 1, k + 1]], [x[r + 1, k], y[r + 1, k]]])
                     for r in range(m.shape[0] - 1) for k in range(m.shape[1] - 1)]
            d = min(polygons_distance([[qd]], np.zeros(1), np.zeros(1))[0] for qd in quads)
            node[i] = max(d - RJB_SHRINK, 0.0)
        out[1, q] = node
        out[2, q] = top_edge_rx(m.lons[0], m.lats[0], lons, lats)
        out[3, q] = top_edge_ry0(m.lons[0], m.lats[0], strikes[q], lons, lats)
    return out


def _ortho_numpy(lam0, phi0, lons, lats):
    lam = np.radians(lons) - lam0
    phi = np.radians(lats)
    x = np.cos(phi) * np.sin(lam) * geo.EARTH_RADIUS
    y = (math.cos(phi0) * np.sin(phi) - math.sin(phi0) * np.cos(phi) * np.cos(lam)) \
        * geo.EARTH_RADIUS
    return x, y


@njit(cache=True)
def _sparse_rows(vals, by_modulus=False):
    """Sparse tables of the rows of ``vals`` (rows, cols): ``st[k, r, c]`` is the
    minimum of ``vals[r, c:c + 2**k]`` (with ``by_modulus``, the signed value of
    smallest modulus, the first one on ties)."""
    rows, cols = vals.shape
    K = 1
    while (1 << K) <= cols:
        K += 1
    st = np.empty((K, rows, cols))
    st[0] = vals
    for k in range(1, K):
        h = 1 << (k - 1)
        for r in range(rows):
            for c in range(cols - (1 << k) + 1):
                a, b = st[k - 1, r, c], st[k - 1, r, c + h]
                if by_modulus:
                    st[k, r, c] = a if abs(a) <= abs(b) else b
                else:
                    st[k, r, c] = a if a <= b else b
    return st


@njit(cache=True)
def _log2_table(n):
    out = np.zeros(n + 1, np.int64)
    for i in range(2, n + 1):
        out[i] = out[i // 2] + 1
    return out


@njit(cache=True)
def _window_min(st, log2, r0, r1, c0, c1):
    """Minimum of the table's values over rows r0:r1 and columns c0:c1."""
    k = log2[c1 - c0]
    c2 = c1 - (1 << k)
    best = np.inf
    for r in range(r0, r1):
        a, b = st[k, r, c0], st[k, r, c2]
        m = a if a <= b else b
        if m < best:
            best = m
    return best


@njit(cache=True)
def _quad_distance(ax, ay, bx, by, cx, cy, dx, dy):
    """Distance from the origin to the quadrilateral a-b-c-d (km), 0 inside."""
    d = nb_segment_distance(ax, ay, bx, by, 0.0, 0.0)
    d = min(d, nb_segment_distance(bx, by, cx, cy, 0.0, 0.0))
    d = min(d, nb_segment_distance(cx, cy, dx, dy, 0.0, 0.0))
    d = min(d, nb_segment_distance(dx, dy, ax, ay, 0.0, 0.0))
    inside = False
    xs = (ax, bx, cx, dx)
    ys = (ay, by, cy, dy)
    for j in range(4):
        x1, y1 = xs[j], ys[j]
        x2, y2 = xs[(j + 1) % 4], ys[(j + 1) % 4]
        if (y1 > 0.0) != (y2 > 0.0):
            if 0.0 < x1 + (0.0 - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return 0.0 if inside else d


@njit(cache=True)
def _window_kernel(mlons, mlats, mdeps, windows, strikes, slons, slats, sdeps,
                   threshold, tolerance):
    rows, cols = mlons.shape
    R, N = windows.shape[0], len(slons)
    out = np.zeros((4, R, N))
    log2 = _log2_table(max(rows, cols))
    top = np.zeros(rows, np.bool_)
    for q in range(R):
        top[windows[q, 0]] = True
    px = np.empty((rows, cols, 3))
    p0 = np.empty((rows, cols, 3))
    for r in range(rows):
        for c in range(cols):
            px[r, c, 0], px[r, c, 1], px[r, c, 2] = geo.nb_xyz(
                mlons[r, c], mlats[r, c], mdeps[r, c])
            p0[r, c, 0], p0[r, c, 1], p0[r, c, 2] = geo.nb_xyz(
                mlons[r, c], mlats[r, c], 0.0)
    d3 = np.empty((rows, cols))
    d2 = np.empty((rows, cols))
    cells = np.zeros((max(rows - 1, 1), max(cols - 1, 1)))
    segs = np.zeros((rows, max(cols - 1, 1)))
    xx = np.empty((rows, cols))
    yy = np.empty((rows, cols))
    thr2 = threshold * threshold
    for i in range(N):
        sx, sy, sz = geo.nb_xyz(slons[i], slats[i], sdeps[i])
        s0x, s0y, s0z = geo.nb_xyz(slons[i], slats[i], 0.0)
        near = np.inf
        for r in range(rows):
            for c in range(cols):
                d3[r, c] = ((px[r, c, 0] - sx) ** 2 + (px[r, c, 1] - sy) ** 2
                            + (px[r, c, 2] - sz) ** 2)
                b = ((p0[r, c, 0] - s0x) ** 2 + (p0[r, c, 1] - s0y) ** 2
                     + (p0[r, c, 2] - s0z) ** 2)
                d2[r, c] = b
                if b < near:
                    near = b
        st3 = _sparse_rows(d3)
        st2 = _sparse_rows(d2)
        stc = st2  # placeholder, replaced when some node is near
        if near < thr2 and rows > 1 and cols > 1:
            lam0, phi0 = math.radians(slons[i]), math.radians(slats[i])
            for r in range(rows):
                for c in range(cols):
                    xx[r, c], yy[r, c] = geo.nb_orthographic(lam0, phi0, mlons[r, c],
                                                             mlats[r, c])
            for r in range(rows - 1):
                for c in range(cols - 1):
                    cells[r, c] = _quad_distance(
                        xx[r, c], yy[r, c], xx[r, c + 1], yy[r, c + 1],
                        xx[r + 1, c + 1], yy[r + 1, c + 1], xx[r + 1, c], yy[r + 1, c])
            stc = _sparse_rows(cells)
        if cols > 2:
            for r in range(rows):
                if top[r]:
                    for c in range(cols - 1):
                        segs[r, c] = geo.nb_min_distance_to_segment(
                            mlons[r, c], mlats[r, c], mlons[r, c + 1], mlats[r, c + 1],
                            slons[i], slats[i])
        sts = _sparse_rows(segs, True)
        for q in range(R):
            r0, r1, c0, c1 = windows[q, 0], windows[q, 1], windows[q, 2], windows[q, 3]
            out[0, q, i] = math.sqrt(_window_min(st3, log2, r0, r1, c0, c1))
            rjb = math.sqrt(_window_min(st2, log2, r0, r1, c0, c1))
            if rjb < threshold and r1 - r0 > 1 and c1 - c0 > 1:
                rjb = max(_window_min(stc, log2, r0, r1 - 1, c0, c1 - 1) - tolerance, 0.0)
            out[1, q, i] = rjb
            n = c1 - c0
            if n < 3:
                az = geo.nb_azimuth(mlons[r0, c0], mlats[r0, c0], mlons[r0, c0 + 1],
                                    mlats[r0, c0 + 1])
                rx = geo.nb_distance_to_arc(mlons[r0, c0], mlats[r0, c0], az,
                                            slons[i], slats[i])
            else:
                az = geo.nb_azimuth(mlons[r0, c0 + 1], mlats[r0, c0 + 1], mlons[r0, c0],
                                    mlats[r0, c0])
                rx = -geo.nb_distance_to_semi_arc(mlons[r0, c0 + 1], mlats[r0, c0 + 1],
                                                  az, slons[i], slats[i])
                if n > 3:  # segments c0 + 1 ... c1 - 3
                    k = log2[n - 3]
                    a, b = sts[k, r0, c0 + 1], sts[k, r0, c1 - 2 - (1 << k)]
                    m = a if abs(a) <= abs(b) else b
                    if abs(m) < abs(rx):
                        rx = m
                az = geo.nb_azimuth(mlons[r0, c1 - 2], mlats[r0, c1 - 2],
                                    mlons[r0, c1 - 1], mlats[r0, c1 - 1])
                d = geo.nb_distance_to_semi_arc(mlons[r0, c1 - 2], mlats[r0, c1 - 2], az,
                                                slons[i], slats[i])
                if abs(d) < abs(rx):
                    rx = d
            out[2, q, i] = rx
            az_perp = (strikes[q] + 90.0) % 360.0
            e1 = geo.nb_distance_to_arc(mlons[r0, c0], mlats[r0, c0], az_perp,
                                        slons[i], slats[i])
            e2 = geo.nb_distance_to_arc(mlons[r0, c1 - 1], mlats[r0, c1 - 1], az_perp,
                                        slons[i], slats[i])
            if np.sign(e1) == np.sign(e2):
                out[3, q, i] = min(abs(e1), abs(e2))
    return out


# ---------------------------------------------------------------------------
# geometry of many rupture windows of one mesh (numpy, no per-rupture Python)
# ---------------------------------------------------------------------------

def _prefix(a: np.ndarray, axis: int) -> np.ndarray:
    """Cumulative sums along ``axis`` with a leading 0."""
    pad = [(0, 0)] * a.ndim
    pad[axis] = (1, 0)
    return np.pad(np.cumsum(a, axis=axis), pad)


def _range_min(a: np.ndarray, rows, c0, c1) -> np.ndarray:
    """min(a[rows[i], c0[i]:c1[i]]) for every i (sparse table over the columns)."""
    levels = [a]
    while 2 ** len(levels) <= a.shape[1]:
        prev, h = levels[-1], 2 ** (len(levels) - 1)
        levels.append(np.minimum(prev[:, :-h], prev[:, h:]))
    k = np.floor(np.log2(c1 - c0)).astype(np.int64)
    out = np.empty(len(rows))
    for lev in np.unique(k):
        sel = k == lev
        t = levels[lev]
        out[sel] = np.minimum(t[rows[sel], c0[sel]], t[rows[sel], c1[sel] - 2 ** lev])
    return out


def simple_window_params(mesh: RectangularMesh, windows: np.ndarray) -> tuple:
    """(strike, dip, width, ztor) of the windows of a simple-fault mesh, as
    :class:`SimpleFaultSurface` computes them for each sub-mesh: mean dip and strike
    of the top row of cells, width of the first column of cells, ztor the minimum
    depth of the top row (degrees, km).

    :param windows: (R, 4) (r0, r1, c0, c1), see :func:`mesh_windows`
    :returns: four arrays (R,)
    """
    r0, r1, c0, c1 = np.asarray(windows, np.int64).T
    terms = [_prefix(t, 1) for t in mesh.inclination_azimuth_terms()]  # (R-1, C)
    sums = [t[r0, c1 - 1] - t[r0, c0] for t in terms]
    nonzero = _prefix(_prefix((mesh.depths != 0).astype(np.int64), 1), 0)
    flat = (nonzero[r0 + 2, c1] - nonzero[r0, c1] - nonzero[r0 + 2, c0]
            + nonzero[r0, c0]) == 0
    dip, strike = inclination_azimuth(*sums, flat)
    _, _, cell_width, _ = mesh.get_cell_dimensions()
    widths = _prefix(cell_width, 0)
    width = widths[r1 - 1, c0] - widths[r0, c0]
    ztor = _range_min(mesh.depths, r0, c0, c1)  # minimum depth of the top rows
    return (np.atleast_1d(strike), np.atleast_1d(dip), width, ztor)


def _middle_of_pairs(lon1, lat1, lon2, lat2) -> tuple:
    """Great-circle middle points of pairs of points (arrays), the point itself for
    coincident pairs (as :func:`geodetic.get_middle_point`)."""
    dist = geo.geodetic_distance(lon1, lat1, lon2, lat2)
    az = geo.azimuth(lon1, lat1, lon2, lat2)
    lo, la = geo.point_at(lon1, lat1, az, dist / 2.0)
    same = (lon1 == lon2) & (lat1 == lat2)
    return np.where(same, lon1, lo), np.where(same, lat1, la)


def _row_middles(mesh: RectangularMesh, rows, c0, ncols) -> tuple:
    mid = ncols // 2
    odd = ncols % 2 == 1
    j1 = c0 + np.where(odd, mid, mid - 1)
    j2 = c0 + mid
    lon1, lat1, dep1 = mesh.lons[rows, j1], mesh.lats[rows, j1], mesh.depths[rows, j1]
    lon2, lat2, dep2 = mesh.lons[rows, j2], mesh.lats[rows, j2], mesh.depths[rows, j2]
    lo, la = _middle_of_pairs(lon1, lat1, lon2, lat2)
    return (np.where(odd, lon2, lo), np.where(odd, lat2, la),
            np.where(odd, dep2, (dep1 + dep2) / 2.0))


def window_middle_points(mesh: RectangularMesh, windows: np.ndarray) -> np.ndarray:
    """The middle points of the windows' sub-meshes
    (:meth:`RectangularMesh.get_middle_point` of each), array (R, 3) of lon, lat,
    depth."""
    r0, r1, c0, c1 = np.asarray(windows, np.int64).reshape(-1, 4).T
    nrows, ncols = r1 - r0, c1 - c0
    mid = nrows // 2
    odd = nrows % 2 == 1
    a = _row_middles(mesh, r0 + np.where(odd, mid, mid - 1), c0, ncols)
    b = _row_middles(mesh, r0 + mid, c0, ncols)
    lo, la = _middle_of_pairs(a[0], a[1], b[0], b[1])
    return np.column_stack([np.where(odd, b[0], lo), np.where(odd, b[1], la),
                            np.where(odd, b[2], (a[2] + b[2]) / 2.0)])
