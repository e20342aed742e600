"""Simple and complex fault surfaces against OpenQuake 3.26.2: mesh nodes, surface
properties, the four distances (sites on the hanging wall, footwall, above the
rupture, far away, beyond the ends), floating ruptures (counts per magnitude, order,
hypocentres, sub-mesh distances). Reference: tests/data/geo/{simple,complex}_fault.json
made by make_oq_reference.py from the QA inputs."""
import numpy as np
import pytest

from oqcore.hazard.geo import ComplexFaultSurface, SimpleFaultSurface
from oqcore.hazard.geo.line import Line
from oqcore.hazard.geo.ruptures import (
    complex_fault_ruptures, count_floating_ruptures, simple_fault_floating)
from oqcore.hazard.geo.surface import mesh_distances, mesh_strikes, top_edge_ry0

from .conftest import DISTS, RJB_ATOL, Sites

COORD_ATOL = 1e-9   # degrees and km; the references are rounded to 1e-12
DIST_ATOL = 1e-8    # km
DIST_RTOL = 1e-9
METHODS = ("get_min_distance", "get_joyner_boore_distance", "get_rx_distance",
           "get_ry0_distance")


def build_simple(case):
    return SimpleFaultSurface.from_fault_data(
        np.array(case["trace"]), case["usd"], case["lsd"], case["fault_dip"],
        case["mesh_spacing"])


def build_complex(case):
    return ComplexFaultSurface.from_fault_data([np.array(e) for e in case["edges"]],
                                               case["mesh_spacing"])


#: OpenQuake's mean strike of a mesh whose rows run north-south is decided by rounding:
#: each triangle adds the sine of its row edge's azimuth with the sign of a dot product
#: that vanishes analytically there (so the tilt of sloping rows enters as +-tilt, and
#: a vertical fault comes out at ~0 or ~180 degrees depending on the sign of the
#: rounding of its dip). Two correct implementations of the node coordinates differ in
#: the last bits, so there the strike is compared within this tolerance (degrees,
#: modulo 180) and ry0 with the reference strike.
NS_STRIKE_TOL = 0.05


def ns_trending(strike):
    """Is a strike (degrees) within NS_STRIKE_TOL of north or south?"""
    return abs((strike + 90) % 180 - 90) < NS_STRIKE_TOL


def is_ns_vertical(case):
    # north-south faults (see NS_STRIKE_TOL)
    return ns_trending(case["strike"])


#: rjb tolerance (km) for vertical faults: their surface projection is a line, and
#: OpenQuake's 5 m dilation and simplification of that degenerate polygon (GEOS)
#: depend on the last bits of the node coordinates, up to the 5 m tolerance itself
VERTICAL_RJB_ATOL = 0.0055


def rjb_atol(case):
    return VERTICAL_RJB_ATOL if abs(case["dip"] - 90) < 1e-6 else RJB_ATOL


def same_strike(got, expected, ns):
    """Strikes equal to 1e-9 degrees, or modulo 180 within NS_STRIKE_TOL when ns."""
    if ns:
        return abs((got - expected + 90) % 180 - 90) < NS_STRIKE_TOL
    return got == pytest.approx(expected, abs=1e-9)


def check_surface(surf, case):
    m = surf.mesh
    assert list(m.shape) == case["shape"]
    for attr in ("lons", "lats", "depths"):
        np.testing.assert_allclose(getattr(m, attr), case[attr], atol=COORD_ATOL,
                                   rtol=0, err_msg=attr)
    sites = Sites(case["sites"])
    for name, meth in zip(DISTS, METHODS):
        got = getattr(surf, meth)(sites)
        if name == "ry0" and is_ns_vertical(case):
            got = top_edge_ry0(m.lons[0], m.lats[0], case["strike"], sites.lons,
                               sites.lats)
        atol = rjb_atol(case) if name == "rjb" else DIST_ATOL
        np.testing.assert_allclose(got, case[name], rtol=DIST_RTOL, atol=atol,
                                   err_msg="%s %s" % (case["source"], name))
    assert same_strike(surf.get_strike(), case["strike"], is_ns_vertical(case))
    assert surf.get_dip() == pytest.approx(case["dip"], abs=1e-9)
    assert surf.get_width() == pytest.approx(case["width"], rel=1e-9)
    assert surf.get_area() == pytest.approx(case["area"], rel=1e-9)
    assert surf.get_top_edge_depth() == pytest.approx(case["ztor"], abs=1e-12)
    np.testing.assert_allclose(surf.get_middle_point(), case["middle"], atol=COORD_ATOL)
    np.testing.assert_allclose(surf.get_bounding_box(), case["bbox"], atol=COORD_ATOL)


def test_site_coverage(simple_ref, complex_ref):
    # the reference sites include hanging wall, footwall, above-the-rupture,
    # beyond-the-ends and far-away sites for every surface
    for case in simple_ref + complex_ref:
        rx, rjb, ry0 = (np.array(case[k]) for k in ("rx", "rjb", "ry0"))
        assert (rx > 0).any() and (rx < 0).any()
        assert (rjb == 0).any() and (rjb > 100).any() and (rjb < 40).any()
        assert (ry0 == 0).any() and (ry0 > 0).any()


def test_resampled_traces(simple_ref):
    for case in simple_ref:
        got = Line(np.array(case["trace"])).resample(case["mesh_spacing"]).coo
        np.testing.assert_allclose(got, case["resampled_trace"], atol=COORD_ATOL)


def test_simple_fault_surfaces(simple_ref):
    for case in simple_ref:
        check_surface(build_simple(case), case)


def test_complex_fault_surfaces(complex_ref):
    for case in complex_ref:
        check_surface(build_complex(case), case)


def _check_ruptures(case, surf, kind):
    total = 0
    sites = np.array(case["sites"])
    for mag in case["magnitudes"]:
        if kind == "simple":
            floating = simple_fault_floating(
                surf.mesh, case["mesh_spacing"], mag["area"], case["aspect_ratio"],
                case["usd"], case["fault_dip"], case["hypo_depths"])
            meshes = [surf.mesh[f[0]] for f in floating]
            hypos = [f[1] for f in floating]
        else:
            meshes = complex_fault_ruptures(surf.mesh, mag["area"], case["aspect_ratio"])
            hypos = [m.get_middle_point() for m in meshes]
        assert len(meshes) == mag["num_ruptures"], (case["source"], mag["mag"])
        total += len(meshes)
        for rup in mag["ruptures"]:
            m = meshes[rup["index"]]
            assert list(m.shape) == rup["shape"]
            np.testing.assert_allclose([m.lons[0, 0], m.lats[0, 0], m.depths[0, 0]],
                                       rup["first"], atol=COORD_ATOL)
            np.testing.assert_allclose([m.lons[-1, -1], m.lats[-1, -1],
                                        m.depths[-1, -1]], rup["last"], atol=COORD_ATOL)
            np.testing.assert_allclose(hypos[rup["index"]], rup["hypo"], atol=COORD_ATOL)
            strike = mesh_strikes([m], simple=kind == "simple")
            assert same_strike(strike[0], rup["strike"], is_ns_vertical(case))
            if is_ns_vertical(case):
                strike = [rup["strike"]]
            out = mesh_distances([m], Sites(sites[rup["site_index"]]), strike)
            for name, got in zip(DISTS, out):
                atol = rjb_atol(case) if name == "rjb" else DIST_ATOL
                np.testing.assert_allclose(got[0], rup[name], rtol=DIST_RTOL,
                                           atol=atol, err_msg=name)
    assert total == case["count_ruptures"]


def test_simple_fault_floating_ruptures(simple_ref):
    for case in simple_ref:
        if "magnitudes" in case:
            _check_ruptures(case, build_simple(case), "simple")


def test_complex_fault_floating_ruptures(complex_ref):
    for case in complex_ref:
        if "magnitudes" in case:
            _check_ruptures(case, build_complex(case), "complex")


def test_count_floating_ruptures(simple_ref, complex_ref):
    case = simple_ref[0]  # no hypocentral depth distribution
    surf = build_simple(case)
    areas = [m["area"] for m in case["magnitudes"]]
    assert count_floating_ruptures("simple", surf.mesh, case["mesh_spacing"], areas,
                                   case["aspect_ratio"]) == [
        m["num_ruptures"] for m in case["magnitudes"]]
    case = complex_ref[1]
    surf = build_complex(case)
    areas = [m["area"] for m in case["magnitudes"]]
    assert count_floating_ruptures("complex", surf.mesh, case["mesh_spacing"], areas,
                                   case["aspect_ratio"]) == [
        m["num_ruptures"] for m in case["magnitudes"]]
    with pytest.raises(ValueError):
        count_floating_ruptures("kite", surf.mesh, 1.0, areas, 1.0)


def test_fault_data_checks():
    trace = np.array([[0.0, 0.0], [0.0, 0.5]])
    with pytest.raises(ValueError):
        SimpleFaultSurface.from_fault_data(trace, 10.0, 5.0, 45.0, 1.0)
    with pytest.raises(ValueError):
        SimpleFaultSurface.from_fault_data(trace, 0.0, 5.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        SimpleFaultSurface.from_fault_data(trace, 0.0, 5.0, 45.0, 100.0)
    top = np.array([[0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    wrong = np.array([[-0.1, 0.0, 10.0], [-0.1, 0.5, 10.0]])  # dips to the left
    with pytest.raises(ValueError):
        ComplexFaultSurface.from_fault_data([top, wrong], 2.0)
    with pytest.raises(ValueError):
        ComplexFaultSurface.from_fault_data([top], 2.0)


def test_invalid_fault_data_errors_name_the_values():
    trace = np.array([[0.0, 0.0], [0.5, 0.0]])
    with pytest.raises(ValueError, match=r"dip 95.0 is outside \(0, 90\]"):
        SimpleFaultSurface.from_fault_data(trace, 0.0, 10.0, 95.0, 1.0)
    with pytest.raises(ValueError, match=r"lower seismogenic depth \(5.0 km\)"):
        SimpleFaultSurface.from_fault_data(trace, 8.0, 5.0, 45.0, 1.0)
    with pytest.raises(ValueError, match="positive number of km, got 0"):
        SimpleFaultSurface.from_fault_data(trace, 0.0, 10.0, 45.0, 0)
    top = np.array([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0]])
    with pytest.raises(ValueError, match="top and a bottom edge, got 1"):
        ComplexFaultSurface.from_fault_data([top], 1.0)
    # dipping to the left of the top edge (north of an eastward edge)
    bottom = np.array([[0.0, 0.2, 10.0], [0.5, 0.2, 10.0]])
    with pytest.raises(ValueError, match="Aki & Richards"):
        ComplexFaultSurface.from_fault_data([top, bottom], 1.0)
