"""Polylines in 3D (lon, lat, depth) and their resampling.

Two resampling schemes are needed to build fault meshes the way OpenQuake 3.26 does:

* :meth:`Line.resample` (simple fault traces): walk along the line, in an
  orthographic projection centred on the line, placing each new point at exactly
  ``spacing`` km (straight-line distance) from the previous one; the end of the line
  gets one more point if the remainder exceeds half the spacing.
* :meth:`Line.resample_to_num_points` (complex fault edges): a fixed number of points
  equally spaced along the line (great-circle + depth distance).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from oqcore.hazard.geo import geodetic as geo

#: two consecutive points closer than this (km) are the same point
EQUALITY_DISTANCE = 1e-3
#: in degrees: two resampled points this close in lon and lat make a "vertical" step
_VERTICAL_DEG = 1e-2


class Line:
    """A polyline of at least two distinct points.

    :param coords: array-like (N, 2) or (N, 3) of lon, lat[, depth] (degrees, km);
        consecutive points closer than 1 m are merged
    """

    def __init__(self, coords):
        coo = np.array(coords, float)
        if coo.ndim != 2 or coo.shape[1] not in (2, 3):
            raise ValueError("a line needs an (N, 2) or (N, 3) array, got %s"
                             % (coo.shape,))
        if coo.shape[1] == 2:
            coo = np.column_stack([coo, np.zeros(len(coo))])
        self.coo = _dedupe(coo, EQUALITY_DISTANCE)

    @classmethod
    def from_coo(cls, coo: np.ndarray) -> "Line":
        """Wrap an (N, 3) array as it is (no merging of close points)."""
        self = cls.__new__(cls)
        self.coo = np.asarray(coo, float)
        return self

    @classmethod
    def from_vectors(cls, lons, lats, depths=None) -> "Line":
        """Build a line from separate arrays (N,) of lons, lats and depths."""
        if depths is None:
            depths = np.zeros(len(lons))
        return cls(np.column_stack([lons, lats, depths]))

    def __len__(self) -> int:
        return len(self.coo)

    @property
    def lons(self) -> np.ndarray:
        return self.coo[:, 0]

    @property
    def lats(self) -> np.ndarray:
        return self.coo[:, 1]

    @property
    def depths(self) -> np.ndarray:
        return self.coo[:, 2]

    def horizontal(self) -> bool:
        """True if all the points have the same depth."""
        return bool((self.coo[:, 2] == self.coo[0, 2]).all())

    def get_lengths(self) -> np.ndarray:
        """Lengths (N-1,) of the segments in km (great-circle and depth combined)."""
        c = self.coo
        return geo.distance(c[1:, 0], c[1:, 1], c[1:, 2], c[:-1, 0], c[:-1, 1], c[:-1, 2])

    def get_length(self) -> float:
        """Total length in km."""
        return float(np.sum(self.get_lengths()))

    def average_azimuth(self) -> float:
        """Length-weighted mean azimuth of the segments, degrees in [0, 360)."""
        c = self.coo
        az = np.radians(geo.azimuth(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1]))
        d = geo.geodetic_distance(c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1])
        out = math.degrees(math.atan2(np.mean(d * np.sin(az)), np.mean(d * np.cos(az))))
        return out + 360.0 if out < 0 else out

    def resample(self, spacing: float, keep_last: bool = False) -> "Line":
        """Resample at a fixed straight-line ``spacing`` (km), OpenQuake's way.

        :param spacing: distance between consecutive points, km
        :param keep_last: if True the original last point closes the line; otherwise
            a last point ``spacing`` beyond the previous one is added when more than
            half a spacing of line remains
        """
        return Line.from_coo(resample_coords(self.coo, spacing, keep_last))

    def resample_to_num_points(self, num_points: int) -> "Line":
        """``num_points`` points equally spaced along the line (first and last kept)."""
        assert len(self) > 1 and num_points > 1
        pts = self.coo
        section = self.get_length() / (num_points - 1)
        out = [tuple(pts[0])]
        segment = 0
        acc = 0.0
        last_len = 0.0
        for i in range(num_points - 1):
            target = (i + 1) * section
            while target > acc and segment < len(pts) - 1:
                a, b = pts[segment], pts[segment + 1]
                last_len = float(geo.distance(a[0], a[1], a[2], b[0], b[1], b[2]))
                acc += last_len
                segment += 1
            p1, p2 = pts[segment - 1], pts[segment]
            offset = target - (acc - last_len)
            if offset < 1e-5:  # within 1 cm of a vertex: take the vertex
                out.append(tuple(p1))
            else:
                out.append(geo.second_interval_point(*p1, *p2, offset))
        return Line(np.array(out))


def _dedupe(coo: np.ndarray, tol: float) -> np.ndarray:
    keep = [0]
    for i in range(1, len(coo)):
        a, b = coo[keep[-1]], coo[i]
        if float(geo.distance(a[0], a[1], a[2], b[0], b[1], b[2])) > tol:
            keep.append(i)
    if len(keep) < 2:
        raise ValueError("at least two distinct points are needed for a line")
    return coo[keep]


def _circle_hit(p_from: np.ndarray, p_to: np.ndarray, centre: np.ndarray,
                radius: float) -> np.ndarray:
    # point of the segment p_from -> p_to (3D) at distance ``radius`` from ``centre``:
    # solve |p_from + u (p_to - p_from) - centre| = radius, prefer the root with the
    # "+" sign when it lies within the segment's bounding box
    d = p_to - p_from
    f = p_from - centre
    a = d @ d
    b = 2.0 * (d @ f)
    c = centre @ centre + p_from @ p_from - 2.0 * (centre @ p_from) - radius ** 2
    disc = b * b - 4 * a * c
    if disc < 0:
        raise ValueError("line resampling: no intersection found")
    root = disc ** 0.5
    pnt = p_from + (-b + root) / (2 * a) * d
    lo = np.minimum(p_from, p_to)
    hi = np.maximum(p_from, p_to)
    if (pnt >= lo).all() and (pnt <= hi).all():
        return pnt
    return p_from + (-b - root) / (2 * a) * d


def _same_direction(out: list, coo: np.ndarray) -> bool:
    # is the last original vertex still ahead of the last resampled step?
    (lo1, la1, _), (lo2, la2, d2) = out[-2], out[-1]
    if abs(lo1 - lo2) < _VERTICAL_DEG and abs(la1 - la2) < _VERTICAL_DEG:
        return not coo[-1, 2] < d2
    step = geo.azimuth(lo1, la1, lo2, la2)
    rest = geo.azimuth(lo2, la2, coo[-1, 0], coo[-1, 1])
    return bool(abs(step - rest) < 30)


def resample_coords(coo: np.ndarray, spacing: float, keep_last: bool = False
                    ) -> np.ndarray:
    """Resample a polyline (N, 3) at a fixed straight-line spacing (see
    :meth:`Line.resample`).

    :returns: array (M, 3) of lon, lat, depth
    """
    proj = geo.OrthographicProjection.from_lons_lats(coo[:, 0], coo[:, 1])
    xx, yy = proj(coo[:, 0], coo[:, 1])
    txy = np.column_stack([xx, yy, coo[:, 2]])  # projected vertices, km
    nvert = len(txy)
    out = [np.array(coo[0])]
    out_xy = [txy[0]]

    def add(pnt):
        lo, la = proj.inverse(np.array([pnt[0]]), np.array([pnt[1]]))
        out.append(np.array([lo[0], la[0], pnt[2]]))
        out_xy.append(pnt)

    first_free = 0  # vertices before this index are behind us
    while True:
        cur = out_xy[-1]
        dist = np.sqrt(np.sum((txy - cur) ** 2, axis=1))
        dist[:first_free] = np.inf
        within = np.where(dist <= spacing, dist, -np.inf)
        idx = int(within.argmax())  # farthest vertex within reach
        if idx < nvert - 1:
            # the next point lies on the segment idx -> idx + 1
            pnt = _circle_hit(txy[idx + 1], txy[idx], cur, spacing)
            add(pnt)
            delta = txy[idx + 1] - pnt
            rem = math.sqrt(delta @ delta)
            unit = delta / rem
            while rem > spacing * 0.9999:
                pnt = out_xy[-1] + spacing * unit
                add(pnt)
                rem = math.sqrt(np.sum((txy[idx + 1] - pnt) ** 2))
            first_free = idx + 1
            continue
        # the last vertex is within reach: decide how to close the line
        same_dir = _same_direction(out, coo) if len(out) > 1 else True
        rest = math.sqrt(np.sum((cur - txy[-1]) ** 2))
        if not keep_last and ((rest > spacing / 2 and same_dir)
                              or (rest < spacing / 2 and not same_dir)):
            delta = txy[-1] - txy[-2]
            add(cur + spacing * delta / math.sqrt(delta @ delta))
        elif keep_last:
            out.append(np.array(coo[-1]))
        break
    # drop exact consecutive duplicates
    res = [out[0]]
    for p in out[1:]:
        if (p != res[-1]).any():
            res.append(p)
    if len(res) < 2:
        raise ValueError("resampling produced less than two distinct points; "
                         "the spacing is too large for the line")
    return np.array(res)


def as_line(obj) -> Line:
    """Coerce a :class:`Line`, an (N, 2|3) array or a (lons, lats[, depths]) pair of
    sequences into a :class:`Line`."""
    if isinstance(obj, Line):
        return obj
    if isinstance(obj, tuple) and len(obj) in (2, 3) and np.ndim(obj[0]) == 1:
        return Line.from_vectors(*obj)
    return Line(obj)


def lines_from(edges: Sequence) -> list:
    """Coerce a sequence of edges (see :func:`as_line`) into a list of Lines."""
    return [as_line(e) for e in edges]
