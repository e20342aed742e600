"""Area sources: a polygon discretised into a grid of point sources."""
from __future__ import annotations

import numpy as np

from oqcore.hazard.geo import geodetic

#: polygon edges longer than this are resampled before projecting (km)
UPSAMPLING_STEP_KM = 100.0


def resample_polygon(lons: np.ndarray, lats: np.ndarray):
    """Add points along long edges (great-circle arcs) so projection distorts little."""
    n = len(lons)
    out_lo, out_la = [lons[0]], [lats[0]]
    for i in range(n):
        j = (i + 1) % n
        d = float(geodetic.geodetic_distance(lons[i], lats[i], lons[j], lats[j]))
        npts = int(d / UPSAMPLING_STEP_KM) + 1
        if npts >= 2:
            lo, la, _ = geodetic.npoints_between(lons[i], lats[i], 0, lons[j], lats[j], 0, npts)
            out_lo.extend(np.atleast_1d(lo)[1:])
            out_la.extend(np.atleast_1d(la)[1:])
        else:
            out_lo.append(lons[j])
            out_la.append(lats[j])
    return np.array(out_lo[:-1]), np.array(out_la[:-1])


def points_in_polygon(xs: np.ndarray, ys: np.ndarray, px: np.ndarray,
                      py: np.ndarray) -> np.ndarray:
    """Even-odd rule: which points (xs, ys) lie strictly inside polygon (px, py)."""
    inside = np.zeros(len(xs), bool)
    n = len(px)
    j = n - 1
    for i in range(n):
        xi, yi, xj, yj = px[i], py[i], px[j], py[j]
        cond = (yi > ys) != (yj > ys)
        with np.errstate(divide="ignore", invalid="ignore"):
            xint = (xj - xi) * (ys - yi) / (yj - yi) + xi
        inside ^= cond & (xs < xint)
        j = i
    return inside


def discretize_polygon(lons: np.ndarray, lats: np.ndarray, spacing: float):
    """Grid points (lons, lats) inside a polygon, ``spacing`` km apart.

    Rows go from the northern to the southern edge of the bounding box, each row
    from west to east, stepping ``spacing`` km along parallels and meridians.
    """
    rlons, rlats = resample_polygon(np.asarray(lons, float), np.asarray(lats, float))
    west, east, north, south = geodetic.spherical_bounding_box(rlons, rlats)
    proj = geodetic.OrthographicProjection(west, east, north, south)
    px, py = proj(rlons, rlats)
    out_lo, out_la = [], []
    lat = north
    while lat > south:
        lon = west
        row = []
        while geodetic.longitudinal_extent(lon, east) > 0:
            row.append(lon)
            lon = float(geodetic.point_at(lon, lat, 90.0, spacing)[0])
        if row:
            rl = np.array(row)
            x, y = proj(rl, np.full(len(rl), lat))
            inside = points_in_polygon(np.atleast_1d(x), np.atleast_1d(y), px, py)
            out_lo.extend(rl[inside])
            out_la.extend([lat] * int(inside.sum()))
        lat = float(geodetic.point_at(west, lat, 180.0, spacing)[1])
    if not out_lo:
        raise ValueError("The area_source_discretization is too large (%s km)" % spacing)
    return np.array(out_lo), np.array(out_la)
