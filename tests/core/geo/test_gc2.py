"""GC2 coordinates (Spudich & Chiou 2015) against closed-form values on simple
traces; the multi-surface rx/ry0 against OpenQuake are in
tests/core/source/test_fault_ruptures.py (char_planes)."""
import math

import numpy as np
import pytest

from oqcore.hazard.geo import gc2
from oqcore.hazard.geo.geodetic import EARTH_RADIUS

KM_PER_DEG = math.pi * EARTH_RADIUS / 180.0


def test_straight_trace_is_cartesian():
    # one segment eastwards along the equator: T is the distance to the right
    # (south), U the distance along the trace from its start
    trace = gc2.Trace(np.array([[0.0, 0.0], [1.0, 0.0]]))
    t, u, w = trace.coordinates(np.array([0.5, 0.5, 1.5, -0.2]),
                                np.array([-0.1, 0.1, 0.0, 0.3])).T
    # (the orthographic projection distorts lengths by ~1e-4 at these distances)
    np.testing.assert_allclose(t[:2], [0.1 * KM_PER_DEG, -0.1 * KM_PER_DEG], rtol=5e-4)
    np.testing.assert_allclose(u[:3], [0.5 * KM_PER_DEG] * 2 + [1.5 * KM_PER_DEG],
                               rtol=5e-4)
    assert abs(t[2]) < 1e-12  # on the line beyond the end
    assert u[3] == pytest.approx(-0.2 * KM_PER_DEG, rel=1e-3)
    # the weight of a site off the line is the angle subtended over the distance
    tt, uu, ell = 0.1 * KM_PER_DEG, 0.5 * KM_PER_DEG, KM_PER_DEG
    expected = (math.atan((ell - uu) / tt) + math.atan(uu / tt)) / tt
    assert w[0] == pytest.approx(expected, rel=5e-4)


def test_on_trace_sites_have_zero_t():
    trace = gc2.Trace(np.array([[0.0, 0.0], [0.5, 0.2], [1.0, 0.2]]))
    t, u, _ = trace.coordinates(np.array([0.25, 0.75]), np.array([0.1, 0.2])).T
    assert (t == 0).all()
    assert 0 < u[0] < u[1]


def test_with_corners_keeps_turns_only():
    pts = np.array([[0.0, 0.0], [0.1, 0.0], [0.2, 0.0], [0.3, 0.1], [0.4, 0.2]])
    trace = gc2.Trace.with_corners(pts)
    np.testing.assert_array_equal(trace.lonlat, pts[[0, 2, 4]])
    # repeated vertices are dropped, a single point is refused
    assert len(gc2.Trace(np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]])).lonlat) == 2
    with pytest.raises(ValueError, match="two distinct"):
        gc2.Trace(np.array([[1.0, 1.0], [1.0, 1.0]]))


def test_system_reverses_discordant_traces():
    # two collinear traces, the shorter one drawn westwards: it is reversed and the
    # pair behaves as one trace from lon 0 to lon 2
    east = gc2.Trace(np.array([[0.0, 0.0], [1.2, 0.0]]))
    west = gc2.Trace(np.array([[2.0, 0.0], [1.2, 0.0]]))
    system = gc2.TraceSystem([east, west])
    assert list(system.reversed) == [False, True]
    lons, lats = np.array([0.5, 1.5, 2.5, -0.5]), np.array([-0.1, -0.1, 0.0, 0.0])
    t, u = system.coordinates(lons, lats)
    assert (t[:2] > 0).all()
    np.testing.assert_allclose(u[:2], [0.5 * KM_PER_DEG, 1.5 * KM_PER_DEG], rtol=5e-4)
    assert system.u_max() == pytest.approx(2 * KM_PER_DEG, rel=5e-4)
    rx, ry0 = system.rx_ry0(lons, lats)
    np.testing.assert_allclose(ry0, [0, 0, 0.5 * KM_PER_DEG, 0.5 * KM_PER_DEG],
                               rtol=5e-4, atol=1e-9)
    np.testing.assert_allclose(rx[2:], 0.0, atol=1e-6)
