"""Geodesy on a spherical Earth (radius 6371.0 km), vectorised with numpy.

All angles are decimal degrees, all lengths kilometres, depths positive downwards.
Functions broadcast their array arguments like numpy ufuncs unless told otherwise.

Distances and courses use the haversine and initial-course formulas. The direct
problem ("the point at a distance along an azimuth") and the cross-track distance
are solved with Earth-centred unit vectors: a position is the unit vector ``r``
(:func:`unit_vector`), a direction at it a combination of the local north and east
unit vectors, a great circle the plane through the centre with a known normal.
Where OpenQuake measures a
distance as the straight chord through the Earth (3D Cartesian Euclidean distance)
rather than along the arc, this module does the same so that oqcore's numbers match
OpenQuake 3.26's.

The ``nb_*`` functions are scalar ``numba`` twins of the numpy functions, used by the
distance kernels (:mod:`oqcore.hazard.geo.planar`, :mod:`oqcore.hazard.geo.surface`).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Earth radius in km
EARTH_RADIUS = 6371.0

#: maximum elevation on Earth (negative depth), km
EARTH_ELEVATION = -8.848


def round_half_away(x: float, digits: int = 0) -> float:
    """Round half away from zero (``2.5 -> 3``, ``-2.5 -> -3``), as OpenQuake does.

    :param x: the number
    :param digits: number of decimal digits kept
    """
    p = 10 ** digits
    return float(math.floor(x * p + math.copysign(0.5, x))) / p


def geodetic_distance(lons1, lats1, lons2, lats2):
    """Great-circle (haversine) distance in km between points, broadcasting."""
    lo1, la1, lo2, la2 = (np.radians(np.asarray(a, float))
                          for a in (lons1, lats1, lons2, lats2))
    hav = (np.sin((la1 - la2) / 2.0) ** 2
           + np.cos(la1) * np.cos(la2) * np.sin((lo1 - lo2) / 2.0) ** 2)
    return 2.0 * EARTH_RADIUS * np.arcsin(np.sqrt(hav))


def azimuth(lons1, lats1, lons2, lats2):
    """Initial course from point 1 to point 2, degrees clockwise from north in [0, 360)."""
    lo1, la1, lo2, la2 = (np.radians(np.asarray(a, float))
                          for a in (lons1, lats1, lons2, lats2))
    cos_la2 = np.cos(la2)
    course = np.degrees(np.arctan2(
        np.sin(lo1 - lo2) * cos_la2,
        np.cos(la1) * np.sin(la2) - np.sin(la1) * cos_la2 * np.cos(lo1 - lo2)))
    return (360.0 - course) % 360.0


def distance(lons1, lats1, depths1, lons2, lats2, depths2):
    """Distance in km combining the great-circle distance and the depth difference
    (Pythagoras), as used for line and edge lengths."""
    hdist = geodetic_distance(lons1, lats1, lons2, lats2)
    return np.sqrt(hdist ** 2 + (np.asarray(depths1) - np.asarray(depths2)) ** 2)


def _unit_xyz(lons, lats) -> tuple:
    # components of the Earth-centred unit vectors of positions in degrees
    lam = np.radians(np.asarray(lons, float))
    phi = np.radians(np.asarray(lats, float))
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def unit_vector(lons, lats) -> np.ndarray:
    """Earth-centred unit vectors (..., 3) pointing to the given positions (degrees):
    ``(cos(lat) cos(lon), cos(lat) sin(lon), sin(lat))``."""
    return np.stack(np.broadcast_arrays(*_unit_xyz(lons, lats)), axis=-1)


def _destination(lon, lat, azimuth_deg, central_angle) -> tuple:
    """Direct geodetic problem on the sphere, in vector form.

    At the position ``r = (cos(lat) cos(lon), cos(lat) sin(lon), sin(lat))`` the local
    north and east unit vectors are ``n = (-sin(lat) cos(lon), -sin(lat) sin(lon),
    cos(lat))`` and ``e = (-sin(lon), cos(lon), 0)``. Leaving ``r`` with the heading
    ``h = cos(a) n + sin(a) e`` (``a`` the azimuth), the great circle reaches
    ``p = cos(k) r + sin(k) h`` after a central angle ``k`` (radians); the latitude of
    ``p`` is ``atan2(z, hypot(x, y))`` and its longitude ``atan2(y, x)``, brought into
    [-180, 180). A zero angle returns the starting point exactly. Broadcasts.
    """
    lam = np.radians(np.asarray(lon, float))
    phi = np.radians(np.asarray(lat, float))
    a = np.radians(np.asarray(azimuth_deg, float))
    k = np.asarray(central_angle, float)
    sin_lam, cos_lam = np.sin(lam), np.cos(lam)
    sin_phi, cos_phi = np.sin(phi), np.cos(phi)
    cos_a, sin_a = np.cos(a), np.sin(a)
    cos_k, sin_k = np.cos(k), np.sin(k)
    hx = cos_a * (-sin_phi * cos_lam) + sin_a * -sin_lam
    hy = cos_a * (-sin_phi * sin_lam) + sin_a * cos_lam
    hz = cos_a * cos_phi
    x = cos_k * (cos_phi * cos_lam) + sin_k * hx
    y = cos_k * (cos_phi * sin_lam) + sin_k * hy
    z = cos_k * sin_phi + sin_k * hz
    lons = np.degrees(np.arctan2(y, x))
    lons = np.where(lons >= 180.0, lons - 360.0, lons)
    lats = np.degrees(np.arctan2(z, np.hypot(x, y)))
    stay = k == 0.0
    if stay.any():  # a step of zero length stays exactly where it started
        shape = lons.shape
        lons = np.where(stay, np.asarray(lon, float), lons).reshape(shape)
        lats = np.where(stay, np.asarray(lat, float), lats).reshape(shape)
    return lons, lats


def point_at(lon, lat, azimuth_deg, distance_km):
    """The point ``distance_km`` km from (lon, lat) along the great circle leaving it
    with azimuth ``azimuth_deg`` (degrees clockwise from north); broadcasts.

    Derivation: see :func:`_destination` (central angle ``distance_km / R``).

    :returns: (lons, lats) in degrees, longitudes in [-180, 180)
    """
    return _destination(lon, lat, azimuth_deg,
                        np.asarray(distance_km, float) / EARTH_RADIUS)


def npoints_towards(lon, lat, depth, azimuth_deg, hdist, vdist, npoints):
    """``npoints`` equally spaced points from (lon, lat, depth) along the great circle
    with the given azimuth, the last one ``hdist`` km away horizontally and ``vdist`` km
    deeper. The first point is exactly the starting point.

    Point ``i`` sits at the central angle ``i * (hdist / R) / (npoints - 1)`` (see
    :func:`_destination`) and at the depth ``depth + i * vdist / (npoints - 1)``.

    :returns: three arrays (npoints,): lons, lats, depths
    """
    if npoints < 2:
        raise ValueError("npoints_towards needs at least 2 points, got %s" % npoints)
    steps = np.arange(npoints, dtype=float)
    lons, lats = _destination(lon, lat, azimuth_deg,
                              steps * ((hdist / EARTH_RADIUS) / (npoints - 1)))
    depths = depth + steps * (vdist / (npoints - 1))
    lons[0], lats[0], depths[0] = lon, lat, depth
    return lons, lats, depths


def npoints_between(lon1, lat1, depth1, lon2, lat2, depth2, npoints):
    """``npoints`` points equally spaced on the great circle from point 1 to point 2
    (both included, the ends kept exactly).

    :returns: three arrays (npoints,): lons, lats, depths
    """
    hdist = geodetic_distance(lon1, lat1, lon2, lat2)
    lons, lats, depths = npoints_towards(
        lon1, lat1, depth1, azimuth(lon1, lat1, lon2, lat2), hdist,
        depth2 - depth1, npoints)
    lons[-1], lats[-1], depths[-1] = lon2, lat2, depth2
    return lons, lats, depths


def _intervals(lon1, lat1, depth1, lon2, lat2, depth2, length):
    # number of intervals and the scaled horizontal/vertical extents used by
    # intervals_between (the total length is rounded to 7 decimals first so that
    # equal lengths always give the same count)
    hdist = float(geodetic_distance(lon1, lat1, lon2, lat2))
    vdist = depth2 - depth1
    total = round_half_away(math.sqrt(hdist ** 2 + vdist ** 2), 7)
    num = int(round_half_away(total / length))
    if num == 0:
        return 0, 0.0, 0.0
    factor = (length * num) / total
    return num, hdist * factor, vdist * factor


def intervals_between(lon1, lat1, depth1, lon2, lat2, depth2, length):
    """Points on the great circle from point 1 towards point 2 spaced ``length`` km
    (3D distance). The number of intervals is the rounded ratio of the 3D distance
    to ``length``, so the last point may fall short of or beyond point 2.

    :returns: three arrays: lons, lats, depths (a single point if the distance is
        less than half ``length``)
    """
    assert length > 0
    num, hd, vd = _intervals(lon1, lat1, depth1, lon2, lat2, depth2, length)
    if num == 0:
        return np.array([lon1]), np.array([lat1]), np.array([depth1])
    return npoints_towards(lon1, lat1, depth1,
                           float(azimuth(lon1, lat1, lon2, lat2)), hd, vd, num + 1)


def second_interval_point(lon1, lat1, depth1, lon2, lat2, depth2, length):
    """The second point of :func:`intervals_between` (computed without building the
    others): the point ``length`` km from point 1 towards point 2, with the same
    floating point operations. Used to resample lines.

    :returns: (lon, lat, depth)
    """
    num, hd, vd = _intervals(lon1, lat1, depth1, lon2, lat2, depth2, length)
    if num == 0:
        return lon1, lat1, depth1
    az = float(azimuth(lon1, lat1, lon2, lat2))
    lo, la = _destination(lon1, lat1, az, 1.0 * ((hd / EARTH_RADIUS) / num))
    return float(lo), float(la), 1.0 * (vd / num) + depth1


def _right_normal_xyz(lon, lat, azimuth_deg) -> tuple:
    # components of cos(a) e - sin(a) n (see _destination for e and n)
    lam = np.radians(np.asarray(lon, float))
    phi = np.radians(np.asarray(lat, float))
    a = np.radians(np.asarray(azimuth_deg, float))
    cos_a, sin_a = np.cos(a), np.sin(a)
    sin_lam, cos_lam = np.sin(lam), np.cos(lam)
    sin_phi = np.sin(phi)
    return (cos_a * -sin_lam - sin_a * (-sin_phi * cos_lam),
            cos_a * cos_lam - sin_a * (-sin_phi * sin_lam),
            -sin_a * np.cos(phi))


def right_normal(lon, lat, azimuth_deg) -> np.ndarray:
    """Unit normal (..., 3) of the great circle through (lon, lat) with the given
    azimuth, pointing to the right of the direction of travel: the local unit vector of
    azimuth ``azimuth_deg + 90``, ``cos(a) e - sin(a) n`` (``e``, ``n`` the local east
    and north unit vectors)."""
    return np.stack(np.broadcast_arrays(*_right_normal_xyz(lon, lat, azimuth_deg)),
                    axis=-1)


def distance_to_arc(alon, alat, aazimuth, plons, plats):
    """Signed distance in km from points to the great circle through (alon, alat) with
    azimuth ``aazimuth``: positive on the right-hand side of the direction of travel,
    negative on the left (cross-track distance); broadcasts.

    Derivation: with ``m`` the right-pointing unit normal of the great circle's plane
    (:func:`right_normal`) and ``p`` the unit vector of a point, the angle between the
    point and the plane is ``asin(p . m)``, hence the distance ``R asin(p . m)``.
    """
    nx, ny, nz = _right_normal_xyz(alon, alat, aazimuth)
    ux, uy, uz = _unit_xyz(plons, plats)
    sine = ux * nx + uy * ny + uz * nz
    return EARTH_RADIUS * np.arcsin(np.clip(sine, -1.0, 1.0))


def distance_to_semi_arc(alon, alat, aazimuth, plons, plats):
    """Signed distance in km from points to the half great circle starting at
    (alon, alat) with azimuth ``aazimuth``: the cross-track distance for points ahead
    of the origin, the distance to the origin for points behind it (negative for
    those behind and on the left).

    :param plons, plats: arrays (N,)
    :returns: array (N,)
    """
    plons = np.atleast_1d(np.asarray(plons, float))
    plats = np.atleast_1d(np.asarray(plats, float))
    rel = np.radians(aazimuth - azimuth(alon, alat, plons, plats))
    ahead = np.cos(rel) > 0.0
    out = geodetic_distance(alon, alat, plons, plats)
    out[ahead] = distance_to_arc(alon, alat, aazimuth, plons[ahead], plats[ahead])
    out[~ahead & (np.sin(rel) > 0.0)] *= -1
    return out


def min_distance_to_segment(seglons, seglats, lons, lats):
    """Signed shortest distance in km from points to a great-circle segment.

    For points whose projection falls inside the segment the cross-track distance is
    used, otherwise the chord distance to the nearer end. The sign is negative for
    points on the left of the segment direction (whatever the case), positive otherwise.

    :param seglons, seglats: the two end points (2,)
    :param lons, lats: arrays (N,)
    :returns: array (N,)
    """
    lons = np.asarray(lons, float)
    lats = np.asarray(lats, float)
    seg_az = azimuth(seglons[0], seglats[0], seglons[1], seglats[1])
    az1 = azimuth(seglons[0], seglats[0], lons, lats)
    az2 = azimuth(seglons[1], seglats[1], lons, lats)
    c1 = np.cos(np.radians(seg_az - az1))
    c2 = np.cos(np.radians(seg_az - az2))
    inside = (c1 >= 0.0) & (c2 <= 0.0)
    outside = (c1 < 0.0) | (c2 > 0.0)
    left = np.sin(np.radians(az1 - seg_az)) < 0.0
    out = np.zeros_like(lons)
    if inside.any():
        out[inside] = distance_to_arc(seglons[0], seglats[0], seg_az,
                                      lons[inside], lats[inside])
    if outside.any():
        out[outside] = min_chord_distance(
            np.asarray(seglons, float), np.asarray(seglats, float),
            lons[outside], lats[outside])
    out = np.abs(out)
    out[left] *= -1
    return out


def spherical_to_cartesian(lons, lats, depths=None):
    """Earth-centred Cartesian coordinates (km) of points given in degrees and km of
    depth: the radius ``R - depth`` times :func:`unit_vector`.

    :returns: array of shape ``lons.shape + (3,)``
    """
    radius = EARTH_RADIUS - (0.0 if depths is None else np.asarray(depths, float))
    parts = np.broadcast_arrays(radius, *_unit_xyz(lons, lats))
    out = np.empty(parts[0].shape + (3,))
    for i in range(3):
        out[..., i] = parts[0] * parts[i + 1]
    return out


def cartesian_to_spherical(xyz):
    """Inverse of :func:`spherical_to_cartesian`.

    :param xyz: array (..., 3) in km
    :returns: (lons, lats, depths) arrays of shape ``xyz.shape[:-1]``
    """
    xyz = np.asarray(xyz, float)
    rr = np.sqrt(np.sum(xyz * xyz, axis=-1))
    lons = np.degrees(np.arctan2(xyz[..., 1], xyz[..., 0]))
    lats = np.degrees(np.arcsin(np.clip(xyz[..., 2] / rr, -1.0, 1.0)))
    return lons, lats, EARTH_RADIUS - rr


def _chord_matrix(a_xyz, b_xyz):
    # (A, 3), (B, 3) -> (A, B) Euclidean distances
    diff = a_xyz[:, None, :] - b_xyz[None, :, :]
    return np.sqrt(np.sum(diff * diff, axis=-1))


def min_chord_distance(lons1, lats1, lons2, lats2, depths1=None, depths2=None):
    """For each point of the second collection, the minimum straight-line (chord)
    distance in km to the points of the first one. Without depths both collections
    lie on the Earth surface (OpenQuake's "min geodetic distance").

    :param lons1, lats1: first collection, any shape (M points)
    :param lons2, lats2: second collection, any shape (N points)
    :returns: array (N,)
    """
    a = spherical_to_cartesian(np.ravel(lons1), np.ravel(lats1),
                               None if depths1 is None else np.ravel(depths1))
    b = spherical_to_cartesian(np.ravel(lons2), np.ravel(lats2),
                               None if depths2 is None else np.ravel(depths2))
    out = np.empty(len(b))
    for start in range(0, len(b), 2000):  # bounded memory
        out[start:start + 2000] = _chord_matrix(a, b[start:start + 2000]).min(axis=0)
    return out


def get_middle_point(lon1, lat1, lon2, lat2):
    """The point half way along the great circle between two points.

    :returns: (lon, lat)
    """
    if lon1 == lon2 and lat1 == lat2:
        return lon1, lat1
    dist = geodetic_distance(lon1, lat1, lon2, lat2)
    az = azimuth(lon1, lat1, lon2, lat2)
    lo, la = point_at(lon1, lat1, az, dist / 2.0)
    return float(lo), float(la)


def longitudinal_extent(lon1, lon2):
    """Signed angular extent from ``lon1`` to ``lon2`` in (-180, 180] degrees
    (positive eastwards)."""
    return (np.asarray(lon2) - np.asarray(lon1) + 180.0) % 360.0 - 180.0


def spherical_bounding_box(lons, lats):
    """Bounding box of a collection of points, handling the international date line.

    :returns: (west, east, north, south) in degrees
    :raises ValueError: if the points span more than 180 degrees of longitude
    """
    lons = np.ravel(np.asarray(lons, float))
    lats = np.ravel(np.asarray(lats, float))
    ok = np.isfinite(lons)
    lons, lats = lons[ok], lats[ok]
    north, south = lats.max(), lats.min()
    west, east = lons.min(), lons.max()
    if longitudinal_extent(west, east) < 0:
        # the points straddle the date line
        west = lons[lons > 0].min()
        east = lons[lons < 0].max()
        if not ((longitudinal_extent(west, lons) >= 0)
                & (longitudinal_extent(lons, east) >= 0)).all():
            raise ValueError("points collection has longitudinal extent "
                             "wider than 180 degrees")
    return float(west), float(east), float(north), float(south)


class OrthographicProjection:
    """Orthographic projection centred on the middle of a bounding box.

    ``proj(lons, lats) -> (xx, yy)`` in km on the tangent plane (x eastwards,
    y northwards); ``proj.inverse(xx, yy) -> (lons, lats)``. Distances on the plane
    are accurate to better than 1 km up to ~700 km from the centre; oqcore uses it
    (as OpenQuake does) for point-in-polygon tests, Joyner-Boore distances and line
    resampling.

    :param west, east, north, south: the bounding box in degrees (see
        :func:`spherical_bounding_box`); the centre is the great-circle middle point
        of the north-west and south-east corners
    """

    def __init__(self, west: float, east: float, north: float, south: float):
        self.bbox = (west, east, north, south)
        lon0, lat0 = get_middle_point(west, north, east, south)
        self.lam0, self.phi0 = math.radians(lon0), math.radians(lat0)

    @classmethod
    def from_lons_lats(cls, lons, lats) -> "OrthographicProjection":
        """Projection centred on the bounding box of the given points."""
        return cls(*spherical_bounding_box(lons, lats))

    def __call__(self, lons, lats):
        """Forward projection: degrees -> km, arrays of any (equal) shape."""
        lam = np.radians(np.asarray(lons, float)) - self.lam0
        phi = np.radians(np.asarray(lats, float))
        cos_phi = np.cos(phi)
        xx = cos_phi * np.sin(lam) * EARTH_RADIUS
        yy = (math.cos(self.phi0) * np.sin(phi)
              - math.sin(self.phi0) * cos_phi * np.cos(lam)) * EARTH_RADIUS
        return xx, yy

    def inverse(self, xx, yy):
        """Reverse projection: km -> degrees (longitudes in (-180, 180))."""
        x = np.asarray(xx, float) / EARTH_RADIUS
        y = np.asarray(yy, float) / EARTH_RADIUS
        sin0, cos0 = math.sin(self.phi0), math.cos(self.phi0)
        cos_c = np.sqrt(1.0 - (x ** 2 + y ** 2))
        phis = np.arcsin(cos_c * sin0 + y * cos0)
        lams = np.arctan2(x, cos0 * cos_c - y * sin0)
        lons = np.degrees(self.lam0 + lams)
        lons = np.where(lons >= 180.0, lons - 360.0, lons)
        lons = np.where(lons <= -180.0, lons + 360.0, lons)
        return lons, np.degrees(phis)


# ---------------------------------------------------------------------------
# scalar numba twins, used inside the distance kernels
# ---------------------------------------------------------------------------

@njit(cache=True)
def nb_distance(lon1, lat1, lon2, lat2):
    """Scalar :func:`geodetic_distance` (degrees in, km out)."""
    lo1, la1 = math.radians(lon1), math.radians(lat1)
    lo2, la2 = math.radians(lon2), math.radians(lat2)
    hav = (math.sin((la1 - la2) / 2.0) ** 2
           + math.cos(la1) * math.cos(la2) * math.sin((lo1 - lo2) / 2.0) ** 2)
    return 2.0 * EARTH_RADIUS * math.asin(math.sqrt(hav))


@njit(cache=True)
def nb_azimuth(lon1, lat1, lon2, lat2):
    """Scalar :func:`azimuth` in [0, 360)."""
    lo1, la1 = math.radians(lon1), math.radians(lat1)
    lo2, la2 = math.radians(lon2), math.radians(lat2)
    cos_la2 = math.cos(la2)
    course = math.degrees(math.atan2(
        math.sin(lo1 - lo2) * cos_la2,
        math.cos(la1) * math.sin(la2) - math.sin(la1) * cos_la2 * math.cos(lo1 - lo2)))
    return (360.0 - course) % 360.0


@njit(cache=True)
def nb_unit_vector(lon, lat):
    """Scalar :func:`unit_vector`: returns (x, y, z)."""
    lam, phi = math.radians(lon), math.radians(lat)
    cos_phi = math.cos(phi)
    return cos_phi * math.cos(lam), cos_phi * math.sin(lam), math.sin(phi)


@njit(cache=True)
def nb_right_normal(lon, lat, azimuth_deg):
    """Scalar :func:`right_normal`: returns (x, y, z)."""
    lam, phi = math.radians(lon), math.radians(lat)
    a = math.radians(azimuth_deg)
    ca, sa = math.cos(a), math.sin(a)
    sin_lam, cos_lam = math.sin(lam), math.cos(lam)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    return (ca * -sin_lam - sa * (-sin_phi * cos_lam),
            ca * cos_lam - sa * (-sin_phi * sin_lam),
            -sa * cos_phi)


@njit(cache=True)
def nb_cross_track(normal, unit):
    """Signed distance (km) of the point of unit vector ``unit`` from the great circle
    of right-pointing unit normal ``normal`` (see :func:`distance_to_arc`); both
    3-sequences (tuples or arrays)."""
    sine = unit[0] * normal[0] + unit[1] * normal[1] + unit[2] * normal[2]
    return EARTH_RADIUS * math.asin(min(1.0, max(-1.0, sine)))


@njit(cache=True)
def nb_distance_to_arc(alon, alat, aazimuth, plon, plat):
    """Scalar :func:`distance_to_arc`."""
    return nb_cross_track(nb_right_normal(alon, alat, aazimuth),
                          nb_unit_vector(plon, plat))


@njit(cache=True)
def nb_distance_to_semi_arc(alon, alat, aazimuth, plon, plat):
    """Scalar :func:`distance_to_semi_arc`."""
    rel = math.radians(aazimuth - nb_azimuth(alon, alat, plon, plat))
    if math.cos(rel) > 0.0:
        return nb_distance_to_arc(alon, alat, aazimuth, plon, plat)
    if math.sin(rel) > 0.0:
        return -nb_distance(alon, alat, plon, plat)
    return nb_distance(alon, alat, plon, plat)


@njit(cache=True)
def nb_xyz(lon, lat, depth):
    """Scalar :func:`spherical_to_cartesian`: returns (x, y, z) in km."""
    radius = EARTH_RADIUS - depth
    ux, uy, uz = nb_unit_vector(lon, lat)
    return radius * ux, radius * uy, radius * uz


@njit(cache=True)
def nb_chord(lon1, lat1, lon2, lat2):
    """Straight-line distance in km between two points on the Earth surface."""
    x1, y1, z1 = nb_xyz(lon1, lat1, 0.0)
    x2, y2, z2 = nb_xyz(lon2, lat2, 0.0)
    return math.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2)


@njit(cache=True)
def nb_min_distance_to_segment(lon1, lat1, lon2, lat2, plon, plat):
    """Scalar :func:`min_distance_to_segment` for the segment (lon1, lat1)-(lon2, lat2)."""
    seg_az = nb_azimuth(lon1, lat1, lon2, lat2)
    az1 = nb_azimuth(lon1, lat1, plon, plat)
    az2 = nb_azimuth(lon2, lat2, plon, plat)
    c1 = math.cos(math.radians(seg_az - az1))
    c2 = math.cos(math.radians(seg_az - az2))
    if c1 >= 0.0 and c2 <= 0.0:
        d = abs(nb_distance_to_arc(lon1, lat1, seg_az, plon, plat))
    else:
        d = min(nb_chord(lon1, lat1, plon, plat), nb_chord(lon2, lat2, plon, plat))
    if math.sin(math.radians(az1 - seg_az)) < 0.0:
        return -d
    return d


@njit(cache=True)
def nb_orthographic(lam0, phi0, lon, lat):
    """Scalar :class:`OrthographicProjection` forward projection for the centre
    (``lam0``, ``phi0``) in radians: returns (x, y) in km."""
    lam = math.radians(lon) - lam0
    phi = math.radians(lat)
    cos_phi = math.cos(phi)
    x = cos_phi * math.sin(lam) * EARTH_RADIUS
    y = (math.cos(phi0) * math.sin(phi)
         - math.sin(phi0) * cos_phi * math.cos(lam)) * EARTH_RADIUS
    return x, y


@njit(cache=True)
def nb_point_at(lon, lat, azimuth_deg, distance_km):
    """Scalar :func:`point_at` (same vector form, see :func:`_destination`): returns
    (lon, lat)."""
    lam, phi = math.radians(lon), math.radians(lat)
    a = math.radians(azimuth_deg)
    k = distance_km / EARTH_RADIUS
    ca, sa, ck, sk = math.cos(a), math.sin(a), math.cos(k), math.sin(k)
    sin_lam, cos_lam = math.sin(lam), math.cos(lam)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    hx = ca * (-sin_phi * cos_lam) + sa * -sin_lam
    hy = ca * (-sin_phi * sin_lam) + sa * cos_lam
    hz = ca * cos_phi
    x = ck * (cos_phi * cos_lam) + sk * hx
    y = ck * (cos_phi * sin_lam) + sk * hy
    z = ck * sin_phi + sk * hz
    out_lon = math.degrees(math.atan2(y, x))
    if out_lon >= 180.0:
        out_lon -= 360.0
    return out_lon, math.degrees(math.atan2(z, math.hypot(x, y)))
