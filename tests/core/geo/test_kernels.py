"""The batched numba distance kernels against their plain numpy twins, and the QA
event-based ruptures of OpenQuake 3.26.2."""
import csv
import os

import numpy as np
import pytest

from oqcore.hazard.geo import (
    ComplexFaultSurface, SimpleFaultSurface, mesh_distances, mesh_distances_numpy)
from oqcore.hazard.geo.ruptures import simple_fault_ruptures, simple_fault_rupture_slices
from oqcore.hazard.geo.surface import mesh_strikes, pack_meshes

from .conftest import DATA, DISTS, RJB_ATOL, Sites


def _random_sites(rng, lon0, lon1, lat0, lat1, n):
    lons = (rng.uniform(lon0, lon1, n) + 180) % 360 - 180
    return Sites(np.column_stack([lons, rng.uniform(lat0, lat1, n),
                                  rng.choice([0.0, -0.1, 0.8], n)]))


@pytest.mark.parametrize("trace, dip, usd, lsd", [
    ([[10.0, 45.0], [10.3, 45.2], [10.35, 45.5]], 35.0, 2.0, 16.0),
    ([[179.8, -20.0], [-179.9, -20.3]], 60.0, 0.0, 12.0),   # across the date line
    ([[-120.0, 36.0], [-120.0, 36.4]], 90.0, 0.0, 10.0),    # vertical
])
def test_mesh_kernel_matches_numpy(trace, dip, usd, lsd):
    rng = np.random.default_rng(11)
    surf = SimpleFaultSurface.from_fault_data(np.array(trace), usd, lsd, dip, 2.0)
    meshes = simple_fault_ruptures(surf.mesh, 2.0, 60.0, 1.5)[::3] + [surf.mesh]
    lons = np.array(trace)[:, 0]
    lats = np.array(trace)[:, 1]
    lo = lons.min() if lons.max() - lons.min() < 180 else lons[lons > 0].min()
    sites = _random_sites(rng, lo - 0.6, lo + 0.9, lats.min() - 0.6, lats.max() + 0.6,
                          250)
    strikes = mesh_strikes(meshes)
    fast = mesh_distances(meshes, sites, strikes)
    slow = mesh_distances_numpy(meshes, sites, strikes)
    for name, a, b in zip(DISTS, fast, slow):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-9, err_msg=name)
    # packed meshes give the same, and the default strikes are the surfaces' ones
    again = mesh_distances(pack_meshes(meshes), sites, strikes)
    np.testing.assert_array_equal(again[1], fast[1])
    np.testing.assert_allclose(mesh_distances(meshes, sites)[3], fast[3], atol=1e-12)
    whole = SimpleFaultSurface(surf.mesh)
    np.testing.assert_allclose(fast[2][-1], whole.get_rx_distance(sites), atol=1e-9)


def test_mesh_kernel_complex_mixed_shapes(complex_ref):
    case = complex_ref[3]
    surf = ComplexFaultSurface.from_fault_data([np.array(e) for e in case["edges"]],
                                               case["mesh_spacing"])
    m = surf.mesh
    meshes = [m, m[0:2, 0:3], m[1:, 5:9], m[:, 40:], m[:, 10:12]]  # 2 columns: one arc
    sites = Sites(case["sites"])
    strikes = mesh_strikes(meshes, simple=False)
    fast = mesh_distances(meshes, sites, strikes)
    slow = mesh_distances_numpy(meshes, sites, strikes)
    for name, a, b in zip(DISTS, fast, slow):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-9, err_msg=name)
    for name, got in zip(DISTS, fast):
        np.testing.assert_allclose(got[0], case[name], rtol=1e-9,
                                   atol=RJB_ATOL if name == "rjb" else 1e-8)


def _qa_rows():
    with open(os.path.join(DATA, "qa_case_4a_ruptures.csv")) as f:
        rows = list(csv.reader(f))[2:]
    return [dict(rup_id=int(r[0]), source=r[1], mag=float(r[3]), lon=float(r[4]),
                 lat=float(r[5]), depth=float(r[6])) for r in rows]


def test_qa_event_based_ruptures():
    """event_based_risk/case_4a: the rupture ids (2**30 * source index + rupture
    index) and centroids exported by OpenQuake 3.26.2 for a vertical simple fault
    (WC1994, aspect ratio 2, rake 0, 2 km mesh) and a characteristic fault."""
    rows = _qa_rows()
    fault = SimpleFaultSurface.from_fault_data(
        np.array([[-122.0, 38.0], [-122.0, 38.2248]]), 0.0, 12.0, 90.0, 2.0)
    mags = np.arange(5.05, 6.5, 0.1)
    ruptures = []  # in OpenQuake's order: magnitude, then down dip, then along strike
    for mag in mags:
        area = 10.0 ** (-3.42 + 0.90 * mag)  # WC1994, strike slip (rake 0)
        for sl in simple_fault_rupture_slices(fault.mesh.shape, 2.0, area, 2.0):
            ruptures.append((round(mag, 2), fault.mesh[sl].get_middle_point()))
    checked = 0
    for row in rows:
        if row["source"] != "3":
            continue
        idx = row["rup_id"] - 2 ** 30
        mag, (lon, lat, depth) = ruptures[idx]
        assert mag == pytest.approx(row["mag"], abs=1e-6)
        # the export has 7 significant digits
        assert lon == pytest.approx(row["lon"], abs=1e-4)
        assert lat == pytest.approx(row["lat"], abs=1e-5)
        assert depth == pytest.approx(row["depth"], abs=1e-6)
        checked += 1
    assert checked == 39
    char = SimpleFaultSurface.from_fault_data(
        np.array([[-122.4, 38.0], [-122.0, 38.2248], [-121.7, 38.2248]]),
        5.0, 15.0, 30.0, 2.0)
    row = [r for r in rows if r["source"] == "1"][0]
    lon, lat, depth = char.get_middle_point()
    assert (lon, lat, depth) == pytest.approx((row["lon"], row["lat"], row["depth"]),
                                              abs=1e-4)
