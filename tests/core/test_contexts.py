"""The PoE kernel (numba) against its numpy twin, and the statistics."""
import numpy as np
import pytest

from oqcore.hazard.contexts import (_truncation_code, add_poes, add_poes_numpy,
                                    normal_sf_table)
from oqcore.hazard.stats import (compute_stats, hazard_maps, quantile_curve,
                                 truncnorm_sf)


@pytest.mark.parametrize("tl", [None, 0, 2.0, 3.0])
def test_add_poes_matches_numpy(tl):
    rng = np.random.default_rng(1)
    M, K, L1, N = 3, 500, 12, 7
    mean = rng.normal(-2, 1, (M, K))
    sig = rng.uniform(0.3, 0.8, (M, K))
    loglevels = np.sort(np.log(rng.uniform(0.001, 2, (M, L1))), axis=1)
    occ = rng.uniform(0, 1e-3, K)
    sids = rng.integers(0, N, K)
    out = np.zeros((N, M * L1))
    code, phi_b = _truncation_code(tl)
    add_poes(mean, sig, loglevels, occ, sids, code, phi_b, normal_sf_table(), out)
    expected = np.zeros((N, M * L1))
    add_poes_numpy(mean, sig, loglevels, occ, sids, tl, expected)
    # the kernel interpolates the normal survival function (relative error < 5e-9)
    np.testing.assert_allclose(out, expected, rtol=1e-8, atol=1e-300)


def test_interpolated_normal_sf_is_accurate_everywhere():
    from scipy.special import ndtr
    from oqcore.hazard.contexts import SF_STEP, SF_ZMAX, _normal_sf
    table = normal_sf_table()
    z = np.concatenate([np.linspace(-12, 12, 20001), [-SF_ZMAX, SF_ZMAX, 0.0]])
    got = np.array([_normal_sf(x, table, SF_ZMAX, 1.0 / SF_STEP) for x in z])
    np.testing.assert_allclose(got, ndtr(-z), rtol=5e-9, atol=0)


def test_truncation_zero_is_a_step():
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(truncnorm_sf(0, z), [1.0, 0.5, 0.0])


def test_weighted_quantile_and_stats():
    values = np.array([[.1], [.2], [.3], [.4]])
    weights = np.array([.25, .25, .25, .25])
    # sorted values interpolated against cumulative weights .25 .5 .75 1
    assert quantile_curve(.5, values, weights)[0] == pytest.approx(.2)
    assert quantile_curve(.625, values, weights)[0] == pytest.approx(.25)
    st = compute_stats(values, ["mean", "std", "max"], weights)
    assert st[:, 0] == pytest.approx([.25, np.std([.1, .2, .3, .4]), .4])


def test_hazard_maps_interpolate_in_log_space():
    imls = np.array([.1, .2, .4])
    curves = np.array([[.5, .1, .01]])
    hm = hazard_maps(curves, imls, [.1, .05, .9])
    assert hm[0, 0] == pytest.approx(.2)
    lo, hi = np.log(.1), np.log(.01)
    w = (np.log(.05) - lo) / (hi - lo)
    assert hm[0, 1] == pytest.approx(np.exp(np.log(.2) + w * (np.log(.4) - np.log(.2))))
    assert hm[0, 2] == 0  # PoE above the curve


def test_faulting_style_30_boundaries():
    from oqcore.hazard.gsim.base import faulting_style_30
    rake = np.array([-180, -150, -149, -90, -31, -30, 0, 30, 31, 90, 149, 150, 180.])
    ss, ns, rs = faulting_style_30(rake)
    assert list(rake[ss]) == [-180, -150, -30, 0, 30, 150, 180]
    assert list(rake[rs]) == [31, 90, 149]
    assert list(rake[ns]) == [-149, -90, -31]


def test_integration_distance_test_as_openquake():
    from oqcore.hazard.contexts import ContextMaker
    rrup = np.array([99.0, 100.0, 101.0])
    # planar ruptures of point/area sources: strictly closer; fault ruptures: at most
    assert list(ContextMaker.within(rrup, 100.0, planar=True)) == [True, False, False]
    assert list(ContextMaker.within(rrup, 100.0, planar=False)) == [True, True, False]


def test_interp_columns_is_np_interp():
    from oqcore.hazard.stats import interp_columns
    rng = np.random.default_rng(3)
    xp = np.sort(rng.random((12, 300)), axis=0)
    xp[3:6, :20] = xp[3, :20]  # plateaus
    xp[:, 20:25] = rng.random((12, 5))  # unsorted columns
    fp = rng.random((12, 300))
    for x in (0.5, -1.0, 2.0, xp[5, 7], rng.random(300)):
        got = interp_columns(x, xp, fp)
        xs = np.broadcast_to(x, (300,))
        exp = [np.interp(xs[j], xp[:, j], fp[:, j]) for j in range(300)]
        np.testing.assert_array_equal(got, exp)
