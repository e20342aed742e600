"""The window kernel (distances of many floating ruptures of one mesh) against its
numpy twin and the per-mesh kernel, and the vectorised window geometry against the
surfaces' own methods."""
import numpy as np
import pytest

from oqcore.hazard.geo.ruptures import complex_fault_rupture_slices, simple_fault_rupture_slices
from oqcore.hazard.geo.surface import (
    ComplexFaultSurface, SimpleFaultSurface, mesh_distances, mesh_strikes, mesh_windows,
    simple_window_params, window_distances, window_distances_numpy, window_middle_points)

from .conftest import DISTS, Sites

TRACES = [([[10.0, 45.0], [10.3, 45.2], [10.35, 45.5]], 35.0, 2.0, 16.0),
          ([[179.8, -20.0], [-179.9, -20.3]], 60.0, 0.0, 12.0),   # across the date line
          ([[-120.0, 36.0], [-120.0, 36.4]], 90.0, 0.0, 10.0)]    # vertical


def _sites(trace, n, seed=5):
    rng = np.random.default_rng(seed)
    t = np.array(trace)
    lo = t[:, 0].min() if np.ptp(t[:, 0]) < 180 else t[t[:, 0] > 0, 0].min()
    lons = (rng.uniform(lo - 0.5, lo + 0.8, n) + 180) % 360 - 180
    return Sites(np.column_stack([lons, rng.uniform(t[:, 1].min() - 0.5,
                                                    t[:, 1].max() + 0.5, n),
                                  rng.choice([0.0, 0.5], n)]))


@pytest.mark.parametrize("trace, dip, usd, lsd", TRACES)
def test_window_kernel_matches_twin_and_mesh_kernel(trace, dip, usd, lsd):
    surf = SimpleFaultSurface.from_fault_data(np.array(trace), usd, lsd, dip, 2.0)
    mesh = surf.mesh
    slices = simple_fault_rupture_slices(mesh.shape, 2.0, 60.0, 1.5)[::4]
    slices += [(slice(0, 2), slice(3, 5)), (slice(1, 3), slice(0, 3)), slice(None)]
    windows = mesh_windows(mesh.shape, slices)
    meshes = [mesh[s] for s in slices]
    strikes = mesh_strikes(meshes)
    sites = _sites(trace, 120)
    fast = window_distances(mesh, windows, strikes, sites)
    twin = window_distances_numpy(mesh, windows, strikes, sites)
    for k, name in enumerate(DISTS):
        np.testing.assert_allclose(fast[k], twin[k], rtol=1e-10, atol=1e-9, err_msg=name)
    # rrup, rx, ry0 are those of the per-mesh kernel; rjb within 3 m of OpenQuake's
    # dilated and simplified polygon (what mesh_distances rebuilds with shapely), plus
    # 1e-4 relative: OpenQuake projects on a plane centred on the rupture, the window
    # kernel on one centred on the site
    ref = np.array(mesh_distances(meshes, sites, strikes))
    for k, name in enumerate(DISTS):
        atol, rtol = (3.1e-3, 1e-4) if name == "rjb" else (1e-9, 1e-10)
        np.testing.assert_allclose(fast[k], ref[k], rtol=rtol, atol=atol, err_msg=name)


def test_window_kernel_complex_fault(complex_ref):
    case = complex_ref[3]
    surf = ComplexFaultSurface.from_fault_data([np.array(e) for e in case["edges"]],
                                               case["mesh_spacing"])
    mesh = surf.mesh
    _, cell_length, _, cell_area = mesh.get_cell_dimensions()
    slices = complex_fault_rupture_slices(200.0, 15.0, cell_area, cell_length)
    windows = mesh_windows(mesh.shape, slices)
    meshes = [mesh[s] for s in slices]
    strikes = mesh_strikes(meshes, simple=False)
    sites = Sites(case["sites"])
    fast = window_distances(mesh, windows, strikes, sites)
    twin = window_distances_numpy(mesh, windows, strikes, sites)
    np.testing.assert_allclose(fast, twin, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("trace, dip, usd, lsd", TRACES)
def test_window_geometry(trace, dip, usd, lsd):
    surf = SimpleFaultSurface.from_fault_data(np.array(trace), usd, lsd, dip, 1.0)
    mesh = surf.mesh
    slices = simple_fault_rupture_slices(mesh.shape, 1.0, 40.0, 1.0)
    slices += simple_fault_rupture_slices(mesh.shape, 1.0, 90.0, 2.0)  # even and odd
    windows = mesh_windows(mesh.shape, slices)
    strike, dip_, width, ztor = simple_window_params(mesh, windows)
    hypos = window_middle_points(mesh, windows)
    for q, s in enumerate(slices):
        sub = SimpleFaultSurface(mesh[s])
        assert abs(strike[q] - sub.get_strike()) < 1e-9
        assert abs(dip_[q] - sub.get_dip()) < 1e-9
        assert abs(width[q] - sub.get_width()) < 1e-9
        assert ztor[q] == sub.get_top_edge_depth()
        np.testing.assert_allclose(hypos[q], sub.get_middle_point(), rtol=0, atol=1e-9)


def test_mesh_windows():
    np.testing.assert_array_equal(
        mesh_windows((5, 7), [slice(None), (slice(1, 3), slice(2, 7))]),
        [[0, 5, 0, 7], [1, 3, 2, 7]])
