"""Geodetic primitives: known values, identities, and the numba scalar twins against
the numpy functions."""
import math

import numpy as np
import pytest

from oqcore.hazard.geo import geodetic as geo
from oqcore.hazard.geo.line import Line

RNG = np.random.default_rng(7)
KM_PER_DEG = math.pi * geo.EARTH_RADIUS / 180.0


def test_distance_and_azimuth_known_values():
    # one degree along the equator and along a meridian
    assert geo.geodetic_distance(0, 0, 1, 0) == pytest.approx(KM_PER_DEG, rel=1e-12)
    assert geo.geodetic_distance(10, 20, 10, 21) == pytest.approx(KM_PER_DEG, rel=1e-12)
    assert geo.azimuth(0, 0, 1, 0) == pytest.approx(90.0, abs=1e-12)
    assert geo.azimuth(0, 0, 0, -1) == pytest.approx(180.0, abs=1e-12)
    assert geo.azimuth(0, 0, -1, 0) == pytest.approx(270.0, abs=1e-12)
    # antipodes
    assert geo.geodetic_distance(0, 0, 180, 0) == pytest.approx(math.pi * 6371.0)
    # 3D distance
    assert geo.distance(0, 0, 0, 0, 0, 3.0) == pytest.approx(3.0)


def test_broadcasting():
    lons = RNG.uniform(-10, 10, (3, 4))
    lats = RNG.uniform(-10, 10, (3, 4))
    d = geo.geodetic_distance(lons, lats, 0.0, 0.0)
    assert d.shape == (3, 4)
    assert geo.azimuth(0.0, 0.0, lons, lats).shape == (3, 4)


def test_point_at_inverts_distance_and_azimuth():
    lon0, lat0 = RNG.uniform(-170, 170, 50), RNG.uniform(-80, 80, 50)
    az, dist = RNG.uniform(0, 360, 50), RNG.uniform(0.1, 500, 50)
    lons, lats = geo.point_at(lon0, lat0, az, dist)
    np.testing.assert_allclose(geo.geodetic_distance(lon0, lat0, lons, lats), dist,
                               rtol=1e-9)
    got = geo.azimuth(lon0, lat0, lons, lats)
    np.testing.assert_allclose(np.cos(np.radians(got - az)), 1.0, atol=1e-12)


def test_date_line_wrapping():
    lon, lat = geo.point_at(179.9, 10.0, 90.0, 50.0)
    assert -180 <= lon < -179
    w, e, n, s = geo.spherical_bounding_box(np.array([179.5, -179.5, 179.9]),
                                            np.array([1.0, 2.0, 3.0]))
    assert (w, e, n, s) == (179.5, -179.5, 3.0, 1.0)
    proj = geo.OrthographicProjection(w, e, n, s)
    x, y = proj(np.array([179.5, -179.5]), np.array([2.0, 2.0]))
    assert x[0] < 0 < x[1]
    np.testing.assert_allclose(x[1] - x[0], 111.12, rtol=1e-3)


def test_projection_roundtrip():
    lons = RNG.uniform(9, 11, 30)
    lats = RNG.uniform(44, 46, 30)
    proj = geo.OrthographicProjection.from_lons_lats(lons, lats)
    x, y = proj(lons, lats)
    lo, la = proj.inverse(x, y)
    np.testing.assert_allclose(lo, lons, atol=1e-10)
    np.testing.assert_allclose(la, lats, atol=1e-10)


def test_distance_to_arc_sign_and_value():
    # arc along the equator eastwards: points north are on the left (negative)
    d = geo.distance_to_arc(0.0, 0.0, 90.0, np.array([5.0, 5.0]), np.array([1.0, -1.0]))
    np.testing.assert_allclose(d, [-KM_PER_DEG, KM_PER_DEG], rtol=1e-9)
    # semi-arc: behind the origin the distance is to the origin
    d = geo.distance_to_semi_arc(0.0, 0.0, 90.0, np.array([-1.0, -1.0, 3.0]),
                                 np.array([0.5, -0.5, 0.5]))
    dist_origin = geo.geodetic_distance(0.0, 0.0, -1.0, 0.5)
    np.testing.assert_allclose(d, [-dist_origin, dist_origin,
                                   geo.distance_to_arc(0, 0, 90, 3.0, 0.5)], rtol=1e-12)


def test_min_distance_to_segment():
    seglons, seglats = np.array([0.0, 1.0]), np.array([0.0, 0.0])
    lons = np.array([0.5, 0.5, -1.0, 2.0])
    lats = np.array([0.1, -0.1, 0.0, 0.0])
    d = geo.min_distance_to_segment(seglons, seglats, lons, lats)
    assert d[0] < 0 < d[1]
    np.testing.assert_allclose(abs(d[:2]), 0.1 * KM_PER_DEG, rtol=1e-6)
    np.testing.assert_allclose(d[2:], KM_PER_DEG, rtol=1e-4)  # chord to the ends


def test_intervals_between():
    lons, lats, deps = geo.intervals_between(0, 0, 0, 0, 1, 10, 5.0)
    total = math.hypot(KM_PER_DEG, 10)
    n = int(geo.round_half_away(total / 5.0))
    assert len(lons) == n + 1
    steps = geo.distance(lons[:-1], lats[:-1], deps[:-1], lons[1:], lats[1:], deps[1:])
    np.testing.assert_allclose(steps, 5.0, rtol=1e-6)
    one = geo.second_interval_point(0, 0, 0, 0, 1, 10, 5.0)
    np.testing.assert_allclose(one, (lons[1], lats[1], deps[1]), rtol=1e-14, atol=1e-15)
    assert geo.round_half_away(12.5) == 13 and geo.round_half_away(-2.5) == -3


def test_middle_point_and_cartesian():
    lon, lat = geo.get_middle_point(0, 0, 2, 0)
    assert (lon, lat) == pytest.approx((1.0, 0.0), abs=1e-12)
    xyz = geo.spherical_to_cartesian([10.0, -30.0], [45.0, -5.0], [0.0, 12.0])
    lons, lats, deps = geo.cartesian_to_spherical(xyz)
    np.testing.assert_allclose(lons, [10, -30], atol=1e-12)
    np.testing.assert_allclose(deps, [0, 12], atol=1e-9)
    # chord vs arc
    d = geo.min_chord_distance(np.array([0.0]), np.array([0.0]), np.array([1.0]),
                               np.array([0.0]))
    assert d[0] == pytest.approx(2 * 6371 * math.sin(math.radians(0.5)))


def test_numba_twins_match_numpy():
    n = 200
    lo1, la1 = RNG.uniform(-30, 30, n), RNG.uniform(-60, 60, n)
    lo2, la2 = lo1 + RNG.uniform(-3, 3, n), la1 + RNG.uniform(-3, 3, n)
    az = RNG.uniform(0, 360, n)
    for i in range(n):
        args = lo1[i], la1[i], lo2[i], la2[i]
        assert geo.nb_distance(*args) == pytest.approx(
            float(geo.geodetic_distance(*args)), rel=1e-12, abs=1e-12)
        assert geo.nb_azimuth(*args) == pytest.approx(float(geo.azimuth(*args)),
                                                      abs=1e-9)
        assert geo.nb_distance_to_arc(lo1[i], la1[i], az[i], lo2[i], la2[i]) == \
            pytest.approx(float(geo.distance_to_arc(lo1[i], la1[i], az[i], lo2[i],
                                                     la2[i])), abs=1e-9)
        assert geo.nb_distance_to_semi_arc(lo1[i], la1[i], az[i], lo2[i], la2[i]) == \
            pytest.approx(float(geo.distance_to_semi_arc(
                lo1[i], la1[i], az[i], lo2[i], la2[i])[0]), abs=1e-9)
        seg = np.array([lo1[i], lo1[i] + 0.5]), np.array([la1[i], la1[i] + 0.3])
        assert geo.nb_min_distance_to_segment(
            seg[0][0], seg[1][0], seg[0][1], seg[1][1], lo2[i], la2[i]) == \
            pytest.approx(float(geo.min_distance_to_segment(
                *seg, np.array([lo2[i]]), np.array([la2[i]]))[0]), abs=1e-9)
        plo, pla = geo.point_at(lo1[i], la1[i], az[i], 100.0)
        assert geo.nb_point_at(lo1[i], la1[i], az[i], 100.0) == pytest.approx(
            (float(plo), float(pla)), abs=1e-12)


def test_line_basics():
    line = Line([[0, 0], [0, 0.0000001], [0, 1], [1, 1]])  # the 1 cm step is merged
    assert len(line) == 3
    assert line.get_length() == pytest.approx(2 * KM_PER_DEG, rel=1e-4)
    assert line.horizontal()
    r = line.resample_to_num_points(5)
    assert len(r) == 5
    np.testing.assert_allclose(r.coo[-1], [1, 1, 0], atol=1e-9)
    with pytest.raises(ValueError):
        Line([[0, 0], [0, 0]])


def test_point_at_zero_step_and_near_poles():
    # a zero step stays exactly at the start (vertical fault columns rely on it)
    lons, lats, deps = geo.npoints_towards(-64.5, 0.3, 0.0, 12.0, 0.0, 10.0, 4)
    assert (lons == -64.5).all() and (lats == 0.3).all()
    np.testing.assert_allclose(deps, [0, 10 / 3, 20 / 3, 10])
    lon, lat = geo.point_at(12.25, -33.5, 77.0, 0.0)
    assert (float(lon), float(lat)) == (12.25, -33.5)
    # the vector form stays accurate close to the poles
    lon0, lat0 = RNG.uniform(-180, 180, 200), RNG.uniform(88.5, 89.99, 200)
    az, dist = RNG.uniform(0, 360, 200), RNG.uniform(1, 150, 200)
    lons, lats = geo.point_at(lon0, lat0, az, dist)
    np.testing.assert_allclose(geo.geodetic_distance(lon0, lat0, lons, lats), dist,
                               rtol=1e-11)


def test_unit_vectors_and_cross_track():
    # the right-hand normal of an arc heading north at the equator points east
    np.testing.assert_allclose(geo.right_normal(0.0, 0.0, 0.0), [0, 1, 0], atol=1e-15)
    np.testing.assert_allclose(geo.unit_vector(90.0, 0.0), [0, 1, 0], atol=1e-15)
    # cross-track distance from the equator is the arc along the meridian
    d = geo.distance_to_arc(30.0, 0.0, 270.0, 100.0, 20.0)
    assert d == pytest.approx(20 * KM_PER_DEG, rel=1e-12)  # heading west: north is right
    xyz = geo.spherical_to_cartesian(0.0, 90.0, 71.0)
    np.testing.assert_allclose(xyz, [0, 0, 6300.0], atol=1e-9)
