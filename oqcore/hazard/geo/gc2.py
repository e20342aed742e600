"""Generalised coordinates GC2 of sites relative to fault traces (Spudich & Chiou 2015,
"Strike-parallel and strike-normal coordinate system around geometrically complicated
rupture traces", USGS Open-File Report 2015-1028), used for rx and ry0 of surfaces made
of several elements.

**One trace.** The trace is a polyline projected on a plane (orthographic projection
centred on its bounding box, x east, y north, km). Segment ``i`` starts at ``o_i``, has
length ``l_i``, unit direction ``d_i`` and unit normal ``n_i`` (``d_i`` turned 90
degrees clockwise, pointing to the right of the trace). A site ``p`` has the segment
coordinates::

    u_i = (p - o_i) . d_i        (along the segment)
    t_i = (p - o_i) . n_i        (across it, positive on the right)

and the segment weighs ``w_i``, the integral of ``1 / r^2`` along the segment seen from
the site::

    w_i = [atan((l_i - u_i) / t_i) + atan(u_i / t_i)] / t_i     if |t_i| >= 0.1 km
    w_i = 1 / (u_i - l_i) - 1 / u_i                           on the segment's line,
                                                             outside the segment
    w_i = 1 / 0.01 - 1 / (l_i + 0.01)                         on the segment itself

(the last, a large finite weight, is OpenQuake's regularisation of the singular case).
With ``W = sum w_i`` and ``s_i`` the length of the segments before ``i``::

    T = sum(w_i t_i) / W        U = sum(w_i (u_i + s_i)) / W

and ``T = 0`` for sites on the trace. T, U and W are returned in single precision, as
OpenQuake does.

**Several traces.** Each trace ``j`` gives ``(T_j, U_j, W_j)``; the system's coordinates
are ``T = sum(W_j T_j) / sum W_j`` and ``U = sum(W_j (U_j + shift_j)) / sum W_j``. The
traces running against the prevailing direction are reversed first, and ``shift_j`` is
the distance from the system's origin to the start of trace ``j`` measured along the
mean strike (see :class:`TraceSystem`).

The conventions that are OpenQuake 3.26's choices rather than the paper's (the 0.1 km
tolerance, the on-trace weight, how reversed traces and the origin are chosen, the
single precision) are reproduced so that rx and ry0 match OpenQuake's.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.planar import PlanarSurface

#: |t| (km) below which a site counts as lying on a segment's line
ON_LINE_TOLERANCE = 0.1
#: regularisation length (km) of the weight of a site on a segment
ON_SEGMENT_OFFSET = 0.01
#: strikes within this many degrees of north run "eastwards" for the origin choice
NORTH_TOLERANCE = 0.1


def weighted_circular_mean(degrees, weights) -> float:
    """Weighted mean direction (degrees, in (-180, 180]) of angles in degrees:
    ``atan2(sum w sin a, sum w cos a)``."""
    rad = np.radians(np.asarray(degrees, float))
    w = np.asarray(weights, float)
    return math.degrees(math.atan2(float(np.sum(np.sin(rad) * w)),
                                   float(np.sum(np.cos(rad) * w))))


def segment_weights(u: np.ndarray, t: np.ndarray, lengths: np.ndarray) -> tuple:
    """The GC2 weights of segments seen from sites (see the module docstring).

    :param u, t: segment coordinates (S, N), km
    :param lengths: segment lengths (S,), km
    :returns: (weights (S, N), on_trace (N,) bool: the site lies on some segment)
    """
    ell = lengths[:, None]
    tol = ON_LINE_TOLERANCE
    off_line = np.abs(t) >= tol
    on_segment = ~off_line & (u >= -tol) & (u <= ell + tol)
    beyond = ~off_line & ~on_segment
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(off_line, (np.arctan((ell - u) / t) + np.arctan(u / t)) / t, 0.0)
        w = np.where(beyond, 1.0 / (u - ell) - 1.0 / u, w)
    reg = 1.0 / ON_SEGMENT_OFFSET - 1.0 / (ell + ON_SEGMENT_OFFSET)
    w = np.where(on_segment, reg, w)
    return w, on_segment.any(axis=0)


class Trace:
    """One fault trace for GC2: a polyline of longitudes and latitudes.

    :param lonlat: (V, 2) or (V, 3) vertices (degrees; a depth column is ignored);
        repeated consecutive vertices are dropped, two distinct ones are needed
    :ivar lonlat: (V, 2) the vertices kept
    :ivar length: great-circle length, km
    :ivar azimuth: the direction of a two-vertex trace, otherwise the circular mean
        of the segment azimuths weighted by their lengths (degrees in [0, 360))
    """

    def __init__(self, lonlat: np.ndarray):
        pts = np.asarray(lonlat, float)[:, :2]
        moved = np.ones(len(pts), bool)
        moved[1:] = (pts[1:] != pts[:-1]).any(axis=1)
        pts = pts[moved]
        if len(pts) < 2:
            raise ValueError("a fault trace for GC2 needs two distinct vertices")
        self.lonlat = pts
        a, b = pts[:-1], pts[1:]
        seg_km = geodetic.geodetic_distance(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        seg_az = geodetic.azimuth(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        self.length = float(seg_km.sum())
        if len(pts) == 2:
            self.azimuth = float(seg_az[0])
        else:
            self.azimuth = weighted_circular_mean(seg_az, seg_km) % 360
        self.projection = geodetic.OrthographicProjection.from_lons_lats(pts[:, 0],
                                                                         pts[:, 1])
        x, y = self.projection(pts[:, 0], pts[:, 1])
        step = np.column_stack([np.diff(x), np.diff(y)])       # (S, 2)
        self.seg_length = np.sqrt((step ** 2).sum(axis=1))
        self.seg_dir = step / self.seg_length[:, None]
        self.seg_normal = np.column_stack([self.seg_dir[:, 1], -self.seg_dir[:, 0]])

    @classmethod
    def with_corners(cls, lonlat: np.ndarray, min_turn: float = 1.0) -> "Trace":
        """The trace through the ends of ``lonlat`` and the inner vertices where the
        segment azimuth changes by more than ``min_turn`` degrees (the plain
        difference of the azimuths in [0, 360), as OpenQuake compares them)."""
        pts = np.asarray(lonlat, float)
        az = geodetic.azimuth(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])
        keep = np.ones(len(pts), bool)
        keep[1:-1] = np.abs(az[1:] - az[:-1]) > min_turn
        return cls(pts[keep])

    @property
    def ends(self) -> np.ndarray:
        """(2, 2) first and last vertex."""
        return self.lonlat[[0, -1]]

    def coordinates(self, lons: np.ndarray, lats: np.ndarray, reverse: bool = False
                    ) -> np.ndarray:
        """GC2 (T, U, W) of sites (N,) for this trace alone (see the module docstring).

        :param reverse: run the trace backwards. As in OpenQuake 3.26 the segment
            origins are the vertices in reverse order while the segments keep their
            order, lengths and (negated) unit vectors, which is the exact reversal for
            a two-vertex trace
        :returns: float32 array (N, 3): T (km), U (km), W
        """
        verts = self.lonlat[::-1] if reverse else self.lonlat
        sense = -1.0 if reverse else 1.0
        ox, oy = self.projection(verts[:-1, 0], verts[:-1, 1])   # (S,)
        px, py = self.projection(lons, lats)                        # (N,)
        dx = px[None, :] - ox[:, None]
        dy = py[None, :] - oy[:, None]
        d = sense * self.seg_dir
        n = sense * self.seg_normal
        u = dx * d[:, 0, None] + dy * d[:, 1, None]                  # (S, N)
        t = dx * n[:, 0, None] + dy * n[:, 1, None]
        w, on_trace = segment_weights(u, t, self.seg_length)
        total = w.sum(axis=0)
        big_t = (t * w / total).sum(axis=0)
        before = np.concatenate([[0.0], np.cumsum(self.seg_length)[:-1]])
        big_u = ((u + before[:, None]) * w).sum(axis=0) / total
        big_t[on_trace] = 0.0
        return np.column_stack([big_t, big_u, total]).astype(np.float32)


class TraceSystem:
    """Several fault traces as one GC2 coordinate system.

    Construction (OpenQuake 3.26's reading of Spudich & Chiou's multi-trace rules):

    1. ``a`` = mean trace azimuth weighted by the trace lengths. A trace *agrees*
       when its azimuth lies in [a - 90, a + 90). With the weights
       ``l_j |cos(az_j - a)|``, if the agreeing traces carry more than half of the
       total weight the others are reversed, otherwise the agreeing ones are.
    2. The strike ``b`` is the length-weighted mean azimuth after the reversals.
    3. In a projection centred on the bounding box of the trace ends, the origin is
       the westernmost end when ``0 < b <= 180`` or ``|b| < 0.1``, otherwise the
       easternmost one; the traces are visited in increasing (resp. decreasing)
       order of the smaller x of their two ends.
    4. ``shift_j = d_j cos(b - az_j)``, with ``d_j`` and ``az_j`` the distance and
       azimuth from the origin to the first vertex of trace ``j`` (its last vertex
       when reversed), in single precision.

    :param traces: list of :class:`Trace`
    """

    def __init__(self, traces: Sequence[Trace]):
        self.traces = list(traces)
        lengths = np.array([tr.length for tr in self.traces])
        azimuths = np.array([tr.azimuth for tr in self.traces])
        self.ends = np.array([tr.ends for tr in self.traces])          # (L, 2, 2)
        self.reversed = self._reversals(azimuths, lengths)
        strike = weighted_circular_mean(
            np.where(self.reversed, (azimuths + 180) % 360, azimuths), lengths) % 360
        end_lons, end_lats = self.ends[:, :, 0].ravel(), self.ends[:, :, 1].ravel()
        proj = geodetic.OrthographicProjection.from_lons_lats(end_lons, end_lats)
        ex, ey = proj(end_lons, end_lats)
        # ends closer than a millimetre along x are tied (the first one wins), so that
        # round-off in the traces (e.g. 1e-25 degrees off a meridian) does not decide
        xr = np.round(ex, 6)
        eastwards = 0 < strike <= 180 or abs(strike) < NORTH_TOLERANCE
        origin = int(np.argmin(xr) if eastwards else np.argmax(xr))
        by_west_end = np.argsort(np.minimum(xr[0::2], xr[1::2]), kind="stable")
        self.order = by_west_end if eastwards else by_west_end[::-1]
        olon, olat = (float(np.ravel(c)[0]) for c in proj.inverse(
            np.array([ex[origin]]), np.array([ey[origin]])))
        starts = np.array([self.ends[j, int(self.reversed[j])] for j in self.order])
        dist = geodetic.geodetic_distance(olon, olat, starts[:, 0], starts[:, 1])
        az = geodetic.azimuth(olon, olat, starts[:, 0], starts[:, 1])
        self.shift = (np.cos(np.radians(strike - az)) * dist).astype(np.float32)

    @staticmethod
    def _reversals(azimuths: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        # step 1 of the class docstring: which traces run backwards
        mean = weighted_circular_mean(azimuths, lengths) % 360
        low, high = (mean - 90) % 360, (mean + 90) % 360
        if 90 <= mean <= 270:
            agree = (azimuths >= low) & (azimuths < high)
        else:  # the interval wraps around north
            agree = (azimuths >= low) | (azimuths < high)
        weight = lengths * np.abs(np.cos(np.radians(np.abs(azimuths - mean))))
        if weight[agree].sum() / weight.sum() > 0.5:
            return ~agree
        return agree.copy()

    def coordinates(self, lons: np.ndarray, lats: np.ndarray) -> tuple:
        """GC2 (T, U) of sites (N,): float32 arrays, km."""
        lons = np.asarray(lons, float)
        lats = np.asarray(lats, float)
        t_sum = np.zeros(len(lons), np.float32)
        u_sum = np.zeros(len(lons), np.float32)
        w_sum = np.zeros(len(lons), np.float32)
        for k, j in enumerate(self.order):
            t, u, w = self.traces[j].coordinates(lons, lats, bool(self.reversed[j])).T
            t_sum += t * w
            u_sum += (u + self.shift[k]) * w
            w_sum += w
        return t_sum / w_sum, u_sum / w_sum

    def u_max(self) -> float:
        """The largest |U| (km) of the trace ends."""
        _, u = self.coordinates(self.ends[:, :, 0].ravel(), self.ends[:, :, 1].ravel())
        return float(np.abs(u).max())

    def rx_ry0(self, lons: np.ndarray, lats: np.ndarray) -> tuple:
        """rx = T and ry0 = the distance of U outside [0, u_max] (km), arrays (N,)."""
        t, u = self.coordinates(lons, lats)
        u_max = np.float32(self.u_max())
        ry0 = np.where(u < 0, np.abs(u), np.where(u > u_max, u - u_max, 0))
        return t.astype(float), ry0.astype(float)


def surface_trace(surface) -> Trace:
    """The GC2 trace of a rupture surface: the top edge TL -> TR of a planar surface,
    otherwise the top row of the mesh (a kite surface's ``top_trace``) reduced to its
    corners (turns over 1 degree)."""
    if isinstance(surface, PlanarSurface):
        return Trace(surface.corners[:2, :2])
    if hasattr(surface, "top_trace"):  # a kite surface: its grid may miss nodes
        return Trace.with_corners(surface.top_trace())
    return Trace.with_corners(np.column_stack([surface.mesh.lons[0],
                                               surface.mesh.lats[0]]))


def multi_surface_rx_ry0(surfaces: list, lons: np.ndarray, lats: np.ndarray) -> tuple:
    """rx and ry0 (km) of sites (N,) from a surface made of several elements: the
    GC2 coordinates of the elements' top edges (:meth:`TraceSystem.rx_ry0`).

    :returns: (rx, ry0) arrays (N,)
    """
    return TraceSystem([surface_trace(s) for s in surfaces]).rx_ry0(lons, lats)
