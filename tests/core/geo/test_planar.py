"""Point-source rupture planes and planar distances against OpenQuake 3.26.2
(tests/data/geo/planar.json, made by make_oq_reference.py)."""
import numpy as np
import pytest

from oqcore.hazard.geo import (
    PlanarSurface, build_planar_corners, planar_distances, planar_distances_numpy)
from oqcore.hazard.geo import geodetic as geo
from oqcore.hazard.geo.planar import plane_frame, rupture_dimensions

from .conftest import DISTS, Sites

COORD_ATOL = 1e-9   # degrees / km (reference numbers are rounded to 1e-12)
DIST_ATOL = 1e-8    # km
DIST_RTOL = 1e-9


def _build(case):
    planes = np.array(case["planes"])
    corners, centres = build_planar_corners(
        case["lon"], case["lat"], case["hypo_depths"], planes[:, 0], planes[:, 1],
        planes[:, 2], case["aspect_ratio"], case["usd"], case["lsd"],
        dip_fracs=case["dip_fracs"])
    return corners.reshape(-1, 4, 3), centres.reshape(-1, 3)


def test_corners_match_openquake(planar_ref):
    for case in planar_ref:
        corners, _ = _build(case)
        np.testing.assert_allclose(corners, case["corners"], atol=COORD_ATOL, rtol=0)
        fr = plane_frame(corners)
        np.testing.assert_allclose(fr["width"], case["width"], rtol=1e-9)
        np.testing.assert_allclose(fr["length"], case["length"], rtol=1e-9)


def test_planes_fit_the_seismogenic_layer(planar_ref):
    for case in planar_ref:
        corners, centres = _build(case)
        top, bottom = corners[:, 0, 2], corners[:, 2, 2]
        assert (top >= case["usd"] - 1e-9).all()
        assert (bottom <= case["lsd"] + 1e-9).all()
        # the area is preserved when the width is shrunk (planes at depth measure
        # slightly smaller in Cartesian space: radius 6371 - depth)
        planes = np.array(case["planes"])
        area = np.repeat(planes[:, 2], len(case["hypo_depths"]))
        fr = plane_frame(corners)
        shrink = ((geo.EARTH_RADIUS - centres[:, 2]) / geo.EARTH_RADIUS) ** 2
        np.testing.assert_allclose(fr["width"] * fr["length"], area * shrink, rtol=3e-3)


def test_shift_cases():
    # a hypocentre at 0.5 km with a 1.12 km high vertical plane and usd=0: moved down
    length, hw, height = rupture_dimensions(0.0, 10.0, 1.0, 1.2571, 90.0)
    corners, centres = build_planar_corners(0, 0, [0.5], [0.0], [90.0], [1.2571],
                                            1.0, 0.0, 10.0)
    assert centres[0, 0, 2] == pytest.approx(height / 2)
    assert corners[0, 0, 0, 2] == pytest.approx(0.0, abs=1e-12)
    # deep hypocentre: moved up to the lower seismogenic depth
    corners, centres = build_planar_corners(0, 0, [9.8], [45.0], [60.0], [10.0], 1.0,
                                            0.0, 10.0)
    assert corners[0, 0, 2, 2] == pytest.approx(10.0)
    # the centre moves up dip (towards strike - 90) when the plane goes up
    az = geo.azimuth(0, 0, centres[0, 0, 0], centres[0, 0, 1])
    assert az == pytest.approx(45.0 - 90.0 + 360.0, abs=1e-6)
    # no shift: the centre is the hypocentre
    corners, centres = build_planar_corners(1, 2, [5.0], [45.0], [60.0], [10.0], 1.0,
                                            0.0, 10.0)
    np.testing.assert_allclose(centres[0, 0], [1, 2, 5.0])
    # too wide for the layer: width shrunk to the layer, length grows
    length, hw, height = rupture_dimensions(2.0, 12.0, 1.0, 400.0, 30.0)
    assert height == pytest.approx(10.0)
    assert length * (height / np.sin(np.radians(30))) == pytest.approx(400.0)


@pytest.mark.parametrize("kernel", [planar_distances, planar_distances_numpy])
def test_distances_match_openquake(planar_ref, kernel):
    for case in planar_ref:
        corners = np.array(case["corners"])
        out = kernel(corners, np.array(case["sites"]), strikes=case["strikes"])
        for name, got in zip(DISTS, out):
            np.testing.assert_allclose(got, case[name], rtol=DIST_RTOL, atol=DIST_ATOL,
                                       err_msg=name)


def test_kernel_matches_numpy_twin():
    rng = np.random.default_rng(3)
    strikes = rng.uniform(0, 360, 30)
    dips = rng.uniform(5, 90, 30)
    areas = rng.uniform(1, 3000, 30)
    corners, _ = build_planar_corners(20.0, -10.0, [3.0, 12.0], strikes, dips, areas,
                                      1.7, 1.0, 20.0)
    corners = corners.reshape(-1, 4, 3)
    sites = np.column_stack([rng.uniform(19, 21, 300), rng.uniform(-11, -9, 300),
                             rng.choice([0.0, -0.2, 1.0], 300)])
    st = np.repeat(strikes, 2)
    a = planar_distances(corners, sites, st)
    b = planar_distances_numpy(corners, Sites(sites), st)
    for name, x, y in zip(DISTS, a, b):
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-9, err_msg=name)


def test_planar_surface_methods(planar_ref):
    case = planar_ref[1]
    corners = np.array(case["corners"])
    sites = Sites(case["sites"])
    for u in (0, 5, len(corners) - 1):
        tl, tr, br, bl = corners[u]
        strike = case["strikes"][u]
        dip = case["planes"][u // len(case["hypo_depths"])][1]
        surf = PlanarSurface(strike, dip, tl, tr, br, bl)
        n = len(sites)
        for name, meth in zip(DISTS, ("get_min_distance", "get_joyner_boore_distance",
                                      "get_rx_distance", "get_ry0_distance")):
            ref = np.array(case[name]).reshape(len(corners), n)[u]
            np.testing.assert_allclose(getattr(surf, meth)(sites), ref,
                                       rtol=DIST_RTOL, atol=DIST_ATOL)
        assert surf.get_top_edge_depth() == tl[2]
        assert surf.get_width() == pytest.approx(case["width"][u], rel=1e-9)
        assert surf.get_area() == pytest.approx(case["width"][u] * case["length"][u],
                                                rel=1e-9)
        w, e, nn, s = surf.get_bounding_box()
        assert w <= min(corners[u, :, 0]) and e >= max(corners[u, :, 0])
        lon, lat, dep = surf.get_middle_point()
        assert dep == pytest.approx((tl[2] + br[2]) / 2)
        # rjb is 0 above the plane, rrup is the depth there for a horizontal-ish site
        mid = Sites([[lon, lat, 0.0]])
        assert surf.get_joyner_boore_distance(mid)[0] == 0.0
        assert surf.get_ry0_distance(mid)[0] == 0.0


def test_planar_surface_from_corners_and_checks():
    corners, _ = build_planar_corners(0, 0, [10.0], [30.0], [50.0], [200.0], 2.0, 0, 20)
    tl, tr, br, bl = corners[0, 0]
    surf = PlanarSurface.from_corner_points(tl, tr, br, bl)
    assert surf.get_dip() == pytest.approx(50.0, abs=0.05)
    assert surf.get_strike() == pytest.approx(30.0, abs=0.05)
    with pytest.raises(ValueError):
        PlanarSurface(30.0, 50.0, tl, tr, br, bl + np.array([0, 0, 1.0]))
    with pytest.raises(ValueError):
        PlanarSurface(30.0, 0.0, tl, tr, br, bl)
