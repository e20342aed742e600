"""Planar rupture surfaces: :class:`PlanarSurface`, the rupture planes of point
sources (:func:`build_planar_corners`) and the batched distance kernel
:func:`planar_distances` with its numpy twin :func:`planar_distances_numpy`.

Corner order everywhere in this module (and in oqcore's public API) is clockwise
from the top left: **TL, TR, BR, BL**; a corner is (lon, lat, depth) in degrees and
km. The top edge runs along the strike, the plane dips to the right of it.

Distances, as in OpenQuake 3.26:

* rrup: in Earth-centred Cartesian space, distance from the site (at its depth) to
  the rectangle fitted to the corners (origin TL, axes towards TR and down dip);
* rjb: from the signs of the site's cross-track distances to the four great circles
  carrying the projected edges (two along strike through BL and TL, two down dip
  through TL and TR): 0 inside, the nearer of a pair of circles beside an edge, the
  nearest corner (3D chord from the site to the corners at the surface) diagonally;
* rx: cross-track distance to the great circle through TL with azimuth = strike
  (positive on the hanging wall);
* ry0: distance beyond the great circles through TL and TR perpendicular to the
  strike (0 between them).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from oqcore.hazard.geo import geodetic as geo
from oqcore.hazard.geo.mesh import normalized

TL, TR, BR, BL = 0, 1, 2, 3


# ---------------------------------------------------------------------------
# point-source rupture planes
# ---------------------------------------------------------------------------

@njit(cache=True)
def rupture_dimensions(usd, lsd, aspect_ratio, area, dip):
    """Length, horizontal width and height (km) of a point-source rupture of the
    given area (km²) and aspect ratio (length / width). If the width does not fit
    between the upper and lower seismogenic depths (km) it is shrunk to fit and the
    length grows to keep the area.

    :returns: (length, width * cos(dip), width * sin(dip))
    """
    rdip = math.radians(dip)
    sindip, cosdip = math.sin(rdip), math.cos(rdip)
    max_width = (lsd - usd) / sindip
    length = math.sqrt(area * aspect_ratio)
    width = area / length
    if width > max_width:
        width = max_width
        length = area / width
    return length, width * cosdip, width * sindip


@njit(cache=True)
def _plane(usd, lsd, aspect_ratio, area, strike, dip, lon, lat, hdep, dip_frac, out):
    # corners (4, 3) in TL, TR, BR, BL order and the centre (3,) into out (5, 3)
    length, hwidth, height = rupture_dimensions(usd, lsd, aspect_ratio, area, dip)
    half_len, half_w, half_h = length / 2.0, hwidth / 2.0, height / 2.0
    theta = math.degrees(math.atan(half_w / half_len))
    diag = math.sqrt(half_len ** 2 + half_w ** 2)
    # centre relative to the hypocentre so that the hypocentre sits at dip_frac
    # down dip, then shifted vertically to fit in [usd, lsd]
    centre_shift = (1.0 - 2.0 * dip_frac) * half_h
    top = hdep + centre_shift - half_h
    bottom = hdep + centre_shift + half_h
    vshift = usd - top
    if vshift < 0:
        vshift = lsd - bottom
        if vshift > 0:
            vshift = 0.0
    vshift += centre_shift
    clon, clat, cdep = lon, lat, hdep
    if vshift != 0:
        az = strike + 270.0 if vshift < 0 else strike + 90.0
        clon, clat = geo.nb_point_at(lon, lat, az, abs(vshift / half_h * half_w))
        cdep = hdep + vshift
    # move along the diagonals from the centre
    azs = (strike + 180.0 + theta, strike - theta, strike + theta,
           strike + 180.0 - theta)
    for k in range(4):
        out[k, 0], out[k, 1] = geo.nb_point_at(clon, clat, azs[k], diag)
        out[k, 2] = cdep - half_h if k < 2 else cdep + half_h
    out[4, 0], out[4, 1], out[4, 2] = clon, clat, cdep


@njit(cache=True)
def _planes(usd, lsd, aspect_ratio, areas, strikes, dips, lon, lat, hdeps, dip_fracs):
    R, D = len(areas), len(hdeps)
    out = np.zeros((R, D, 5, 3))
    for r in range(R):
        for d in range(D):
            _plane(usd, lsd, aspect_ratio, areas[r], strikes[r], dips[r], lon, lat,
                   hdeps[d], dip_fracs[d], out[r, d])
    return out


def build_planar_corners(lon: float, lat: float, hypo_depths, strikes, dips, areas,
                         aspect_ratio: float, usd: float, lsd: float,
                         dip_fracs=None):
    """Rupture planes of a point source, built as OpenQuake's point sources build them.

    The plane has the area ``areas`` (km², from the magnitude scaling relation) and
    ``length / width = aspect_ratio``; it is centred on the hypocentre (or placed so
    that the hypocentre is at ``dip_frac`` of the width down dip), then moved up or
    down dip until it lies between ``usd`` and ``lsd`` (upper and lower seismogenic
    depths, km), after shrinking its width (and stretching its length) if needed.

    :param lon, lat: epicentre, degrees
    :param hypo_depths: hypocentral depths (D,), km
    :param strikes, dips, areas: nodal-plane strikes and dips (degrees) and rupture
        areas (km²), arrays (R,) (e.g. one per magnitude and nodal plane)
    :param aspect_ratio: rupture length / width
    :param usd, lsd: upper and lower seismogenic depths, km
    :param dip_fracs: optional (D,) down-dip position of the hypocentre on the plane
        (0 top, 1 bottom), default 0.5
    :returns: ``(corners, centres)``: corners (R, D, 4, 3) in TL, TR, BR, BL order,
        centres (R, D, 3) of the planes (lon, lat, depth)
    """
    strikes = np.atleast_1d(np.asarray(strikes, float))
    dips = np.atleast_1d(np.asarray(dips, float))
    areas = np.atleast_1d(np.asarray(areas, float))
    strikes, dips, areas = np.broadcast_arrays(strikes, dips, areas)
    hdeps = np.atleast_1d(np.asarray(hypo_depths, float))
    fracs = (np.full(len(hdeps), 0.5) if dip_fracs is None
             else np.asarray(dip_fracs, float))
    out = _planes(float(usd), float(lsd), float(aspect_ratio),
                  np.ascontiguousarray(areas), np.ascontiguousarray(strikes),
                  np.ascontiguousarray(dips), float(lon), float(lat), hdeps, fracs)
    return out[:, :, :4], out[:, :, 4]


# ---------------------------------------------------------------------------
# geometry of a plane in Cartesian space
# ---------------------------------------------------------------------------

def plane_frame(corners):
    """The Cartesian frame of planes fitted to corner quadruples.

    :param corners: (..., 4, 3) in TL, TR, BR, BL order
    :returns: dict with ``origin`` (TL, ..., 3), unit vectors ``normal``, ``uv1``
        (along strike), ``uv2`` (down dip), each (..., 3), and ``width``, ``length``
        (...,) in km (means of the two opposite sides)
    """
    xyz = geo.spherical_to_cartesian(corners[..., 0], corners[..., 1], corners[..., 2])
    tl, tr, br, bl = xyz[..., TL, :], xyz[..., TR, :], xyz[..., BR, :], xyz[..., BL, :]
    n = normalized(np.cross(tl - tr, tl - bl))
    uv1 = normalized(tr - tl)
    uv2 = np.cross(n, uv1)

    def dot(a, b):
        return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]
    xx = [0.0, dot(tr - tl, uv1), dot(bl - tl, uv1), dot(br - tl, uv1)]
    yy = [0.0, dot(tr - tl, uv2), dot(bl - tl, uv2), dot(br - tl, uv2)]
    length = ((xx[1] - xx[0]) + (xx[3] - xx[2])) / 2.0
    width = ((yy[2] - yy[0]) + (yy[3] - yy[1])) / 2.0
    return dict(origin=tl, normal=n, uv1=uv1, uv2=uv2, width=width, length=length)


def _sites3(sites):
    # sites as (N, 3) lon, lat, depth from an array or an object with .lons etc.
    if hasattr(sites, "lons"):
        lons = np.ravel(np.asarray(sites.lons, float))
        deps = getattr(sites, "depths", None)
        deps = np.zeros_like(lons) if deps is None else np.ravel(deps)
        return np.column_stack([lons, np.ravel(sites.lats), deps])
    arr = np.asarray(sites, float)
    if arr.ndim == 1:
        arr = arr[None]
    if arr.shape[1] == 2:
        arr = np.column_stack([arr, np.zeros(len(arr))])
    return arr


def _default_strikes(corners):
    return geo.azimuth(corners[:, TL, 0], corners[:, TL, 1],
                       corners[:, TR, 0], corners[:, TR, 1])


def planar_distances_numpy(corners, sites, strikes=None):
    """Plain numpy twin of :func:`planar_distances` (same arguments and results)."""
    corners = np.asarray(corners, float).reshape(-1, 4, 3)
    s = _sites3(sites)
    strikes = (_default_strikes(corners) if strikes is None
               else np.broadcast_to(np.asarray(strikes, float), len(corners)))
    fr = plane_frame(corners)
    pts = geo.spherical_to_cartesian(s[:, 0], s[:, 1], s[:, 2])  # (N, 3)
    mat = pts[None, :, :] - fr["origin"][:, None, :]  # (R, N, 3)
    dists = np.einsum("rnk,rk->rn", mat, fr["normal"])
    xx = np.einsum("rnk,rk->rn", mat, fr["uv1"])
    yy = np.einsum("rnk,rk->rn", mat, fr["uv2"])
    length, width = fr["length"][:, None], fr["width"][:, None]
    mxx = np.where(xx < 0, xx, np.where(xx > length, xx - length, 0.0))
    myy = np.where(yy < 0, yy, np.where(yy > width, yy - width, 0.0))
    rrup = np.sqrt(dists ** 2 + mxx ** 2 + myy ** 2)

    slon, slat = s[None, :, 0], s[None, :, 1]
    strike = strikes[:, None]
    down = (strike + 90.0) % 360.0

    def arc(k, az):
        return geo.distance_to_arc(corners[:, k, 0][:, None], corners[:, k, 1][:, None],
                                   az, slon, slat)
    d_bl, d_tl = arc(BL, strike), arc(TL, strike)
    d_tl_down, d_tr_down = arc(TL, down), arc(TR, down)
    s1, s2, s3, s4 = (np.sign(d) for d in (d_bl, d_tl, d_tl_down, d_tr_down))
    csurf = geo.spherical_to_cartesian(corners[..., 0], corners[..., 1])  # (R, 4, 3)
    diff = pts[None, :, None, :] - csurf[:, None, :, :]
    to_corners = np.sqrt(np.sum(diff * diff, axis=-1)).min(axis=-1)
    rjb = np.select([(s1 == s2) & (s3 == s4), s1 == s2, s3 == s4],
                    [to_corners, np.minimum(abs(d_bl), abs(d_tl)),
                     np.minimum(abs(d_tl_down), abs(d_tr_down))], default=0.0)
    rx = d_tl
    e1, e2 = d_tl_down, d_tr_down
    ry0 = np.where(np.sign(e1) == np.sign(e2), np.fmin(abs(e1), abs(e2)), 0.0)
    return rrup, rjb, rx, ry0


@njit(cache=True)
def _unit(lon, lat):
    ux, uy, uz = geo.nb_unit_vector(lon, lat)
    return np.array([ux, uy, uz])


@njit(cache=True)
def nb_plane_frame(tl, tr, br, bl):
    """Numba twin of :func:`plane_frame` for one plane given its Cartesian corners
    (3,): (normal, uv1, uv2, length, width)."""
    n = np.cross(tl - tr, tl - bl)
    n = n / math.sqrt(n @ n)
    uv1 = tr - tl
    uv1 = uv1 / math.sqrt(uv1 @ uv1)
    uv2 = np.cross(n, uv1)
    length = ((tr - tl) @ uv1 + ((br - tl) @ uv1 - (bl - tl) @ uv1)) / 2.0
    width = ((bl - tl) @ uv2 + ((br - tl) @ uv2 - (tr - tl) @ uv2)) / 2.0
    return n, uv1, uv2, length, width


@njit(cache=True)
def _planar_kernel(corners, strikes, sites):
    R, N = corners.shape[0], sites.shape[0]
    out = np.zeros((4, R, N))
    cx = np.empty((4, 3))
    sx = np.empty((4, 3))
    # site unit vectors and positions at depth
    su = np.empty((N, 3))
    sp = np.empty((N, 3))
    for i in range(N):
        su[i] = _unit(sites[i, 0], sites[i, 1])
        sp[i] = su[i] * (geo.EARTH_RADIUS - sites[i, 2])
    for r in range(R):
        for k in range(4):
            u = _unit(corners[r, k, 0], corners[r, k, 1])
            cx[k] = u * (geo.EARTH_RADIUS - corners[r, k, 2])
            sx[k] = u * geo.EARTH_RADIUS
        tl = cx[0]
        n, uv1, uv2, length, width = nb_plane_frame(cx[0], cx[1], cx[2], cx[3])
        strike = strikes[r]
        down = (strike + 90.0) % 360.0
        # right-pointing normals of the great circles along the strike through BL
        # and TL, and down dip through TL and TR
        n_bl = geo.nb_right_normal(corners[r, 3, 0], corners[r, 3, 1], strike)
        n_tl = geo.nb_right_normal(corners[r, 0, 0], corners[r, 0, 1], strike)
        m_tl = geo.nb_right_normal(corners[r, 0, 0], corners[r, 0, 1], down)
        m_tr = geo.nb_right_normal(corners[r, 1, 0], corners[r, 1, 1], down)
        for i in range(N):
            px, py, pz = sp[i, 0], sp[i, 1], sp[i, 2]
            mx, my, mz = px - tl[0], py - tl[1], pz - tl[2]
            dist = mx * n[0] + my * n[1] + mz * n[2]
            xx = mx * uv1[0] + my * uv1[1] + mz * uv1[2]
            yy = mx * uv2[0] + my * uv2[1] + mz * uv2[2]
            ex = xx if xx < 0 else (xx - length if xx > length else 0.0)
            ey = yy if yy < 0 else (yy - width if yy > width else 0.0)
            out[0, r, i] = math.sqrt(dist * dist + ex * ex + ey * ey)
            u = su[i]
            d_bl = geo.nb_cross_track(n_bl, u)
            d_tl = geo.nb_cross_track(n_tl, u)
            e_tl = geo.nb_cross_track(m_tl, u)
            e_tr = geo.nb_cross_track(m_tr, u)
            same12 = np.sign(d_bl) == np.sign(d_tl)
            same34 = np.sign(e_tl) == np.sign(e_tr)
            if same12 and same34:
                best = np.inf
                for k in range(4):
                    d = ((px - sx[k, 0]) ** 2 + (py - sx[k, 1]) ** 2
                         + (pz - sx[k, 2]) ** 2)
                    if d < best:
                        best = d
                out[1, r, i] = math.sqrt(best)
            elif same12:
                out[1, r, i] = min(abs(d_bl), abs(d_tl))
            elif same34:
                out[1, r, i] = min(abs(e_tl), abs(e_tr))
            out[2, r, i] = d_tl
            if same34:
                out[3, r, i] = min(abs(e_tl), abs(e_tr))
    return out


def planar_distances(corners, sites, strikes=None):
    """rrup, rjb, rx, ry0 (km) between R planes and N sites (numba kernel).

    :param corners: (R, 4, 3) lon, lat, depth of TL, TR, BR, BL
    :param sites: (N, 3) lon, lat, depth (or an object with ``.lons``, ``.lats``,
        ``.depths``)
    :param strikes: (R,) strikes in degrees; default the azimuth from TL to TR (point
        source planes should pass their nodal-plane strike, as OpenQuake uses it)
    :returns: four arrays (R, N): rrup, rjb, rx, ry0
    """
    corners = np.ascontiguousarray(np.asarray(corners, float).reshape(-1, 4, 3))
    s = np.ascontiguousarray(_sites3(sites))
    strikes = (_default_strikes(corners) if strikes is None
               else np.ascontiguousarray(np.broadcast_to(
                   np.asarray(strikes, float), len(corners))))
    out = _planar_kernel(corners, strikes, s)
    return out[0], out[1], out[2], out[3]


# ---------------------------------------------------------------------------
# the surface class
# ---------------------------------------------------------------------------

class PlanarSurface:
    """A rectangular plane with horizontal top and bottom edges.

    :param strike: strike, degrees (azimuth of the top edge, TL to TR)
    :param dip: dip, degrees in (0, 90]
    :param top_left, top_right, bottom_right, bottom_left: corners (lon, lat, depth)
        in degrees and km, clockwise from the top left
    """

    def __init__(self, strike: float, dip: float, top_left, top_right,
                 bottom_right, bottom_left, check: bool = True):
        self.corners = np.array([top_left, top_right, bottom_right, bottom_left],
                                float)  # (4, 3)
        if check:
            if not (self.corners[TL, 2] == self.corners[TR, 2]
                    and self.corners[BL, 2] == self.corners[BR, 2]):
                raise ValueError("top and bottom edges must be parallel to the "
                                 "earth surface")
            if not 0 < dip <= 90:
                raise ValueError("dip %s is not in (0, 90]" % dip)
            if not 0 <= strike < 360:
                raise ValueError("strike %s is not in [0, 360)" % strike)
        self.strike = float(strike)
        self.dip = float(dip)
        fr = plane_frame(self.corners)
        self.width = float(fr["width"])
        self.length = float(fr["length"])

    @classmethod
    def from_corner_points(cls, top_left, top_right, bottom_right, bottom_left
                           ) -> "PlanarSurface":
        """Strike from the TL -> TR azimuth and dip from the TL -> BL edge."""
        tl, tr, bl = (np.asarray(p, float) for p in (top_left, top_right, bottom_left))
        strike = float(geo.azimuth(tl[0], tl[1], tr[0], tr[1]))
        dist = float(geo.distance(tl[0], tl[1], tl[2], bl[0], bl[1], bl[2]))
        dip = math.degrees(math.asin((bl[2] - tl[2]) / dist))
        return cls(strike, dip, top_left, top_right, bottom_right, bottom_left)

    def get_min_distance(self, sites) -> np.ndarray:
        """rrup (N,) in km."""
        return planar_distances_numpy(self.corners[None], sites, [self.strike])[0][0]

    def get_joyner_boore_distance(self, sites) -> np.ndarray:
        """rjb (N,) in km."""
        return planar_distances_numpy(self.corners[None], sites, [self.strike])[1][0]

    def get_rx_distance(self, sites) -> np.ndarray:
        """rx (N,) in km, positive on the hanging wall."""
        return planar_distances_numpy(self.corners[None], sites, [self.strike])[2][0]

    def get_ry0_distance(self, sites) -> np.ndarray:
        """ry0 (N,) in km."""
        return planar_distances_numpy(self.corners[None], sites, [self.strike])[3][0]

    def get_distances(self, sites) -> tuple:
        """(rrup, rjb, rx, ry0), each (N,) in km, in one pass."""
        return tuple(a[0] for a in planar_distances_numpy(
            self.corners[None], sites, [self.strike]))

    def get_top_edge_depth(self) -> float:
        """ztor, km."""
        return float(self.corners[TL, 2])

    def get_strike(self) -> float:
        return self.strike

    def get_dip(self) -> float:
        return self.dip

    def get_width(self) -> float:
        """Width down dip, km."""
        return self.width

    def get_area(self) -> float:
        """Area, km²."""
        return self.width * self.length

    def get_bounding_box(self) -> tuple:
        """(west, east, north, south) of the corners, degrees."""
        return geo.spherical_bounding_box(self.corners[:, 0], self.corners[:, 1])

    def get_middle_point(self) -> tuple:
        """Great-circle middle of TL and BR, mean of their depths: (lon, lat, depth)."""
        tl, br = self.corners[TL], self.corners[BR]
        lon, lat = geo.get_middle_point(tl[0], tl[1], br[0], br[1])
        return lon, lat, (tl[2] + br[2]) / 2.0
