"""Closest points of rupture surfaces to sites (longitude and latitude), used to bin
ruptures by location in disaggregation.

* planar ruptures: the site is projected on the plane of the rectangle (Earth-centred
  Cartesian frame) and the projection clipped to the rectangle;
* mesh ruptures: the mesh node nearest to the site (3D chord distance).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from oqcore.hazard.geo import geodetic as geo
from oqcore.hazard.geo.planar import nb_plane_frame


@njit(cache=True)
def _xyz(lon, lat, depth):
    """Earth-centred Cartesian coordinates (km) of a point."""
    lam, phi = math.radians(lon), math.radians(lat)
    r = geo.EARTH_RADIUS - depth
    c = math.cos(phi)
    return np.array([r * c * math.cos(lam), r * c * math.sin(lam), r * math.sin(phi)])


@njit(cache=True)
def _planar_closest_kernel(corners, sites):
    R, N = corners.shape[0], sites.shape[0]
    out = np.zeros((2, R, N))
    for r in range(R):
        tl = _xyz(corners[r, 0, 0], corners[r, 0, 1], corners[r, 0, 2])
        _n, uv1, uv2, length, width = nb_plane_frame(
            tl, _xyz(corners[r, 1, 0], corners[r, 1, 1], corners[r, 1, 2]),
            _xyz(corners[r, 2, 0], corners[r, 2, 1], corners[r, 2, 2]),
            _xyz(corners[r, 3, 0], corners[r, 3, 1], corners[r, 3, 2]))
        for i in range(N):
            d = _xyz(sites[i, 0], sites[i, 1], sites[i, 2]) - tl
            x = min(max(d @ uv1, 0.0), length)
            y = min(max(d @ uv2, 0.0), width)
            p = tl + x * uv1 + y * uv2
            out[0, r, i] = math.degrees(math.atan2(p[1], p[0]))
            out[1, r, i] = math.degrees(math.asin(p[2] / math.sqrt(p @ p)))
    return out


def planar_closest_points(corners, sites) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees) of the points of R planar ruptures closest to N
    sites.

    :param corners: (R, 4, 3) lon, lat, depth of the TL, TR, BR, BL corners
    :param sites: (N, 3) lon, lat, depth
    :returns: two arrays (R, N)
    """
    corners = np.ascontiguousarray(np.asarray(corners, float).reshape(-1, 4, 3))
    sites = np.ascontiguousarray(np.asarray(sites, float).reshape(-1, 3))
    out = _planar_closest_kernel(corners, sites)
    return out[0], out[1]


def mesh_closest_points(mesh, sites) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees) of the nodes of a rupture mesh closest to the
    sites (an object with ``.lons``, ``.lats``, ``.depths`` (N,)); arrays (N,)."""
    pts = mesh.get_closest_points(sites)
    return np.asarray(pts.lons, float).reshape(-1), np.asarray(pts.lats, float).reshape(-1)
