"""Ground-motion field kernels: statistics of the simulated fields against the GSIM,
spatial correlation against JB2009, numba kernels against their numpy twins."""
import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.correlation import JB2009, correlation_model, jb2009_range, site_distances
from oqcore.hazard.gmf import (compute_gmfs, exceedance_counts, exceedance_counts_numpy,
                               filter_gmvs, truncated_normal)
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT
from oqcore.hazard.site import geohash


@pytest.fixture(scope="module")
def registry():
    return oqcore.load_registry()


def _ctx(n, rjb):
    return make_context(n, mag=6.5, rake=0.0, rjb=rjb, vs30=np.linspace(300, 800, n))


def test_truncated_normal_bounds():
    rng = np.random.default_rng(3)
    x = truncated_normal(rng, 2.0, (100_000,))
    assert np.abs(x).max() <= 2.0
    assert abs(x.mean()) < 0.02
    assert not truncated_normal(rng, 0, (3,)).any()


def test_gmf_statistics_match_the_gsim(registry):
    """10,000 untruncated fields: ln-mean and total stddev per site within 2 %."""
    gsim = registry.gsim("BooreAtkinson2008")()
    ctx = _ctx(4, [1.0, 10.0, 30.0, 80.0])
    imts = [IMT.from_string("PGA"), IMT.from_string("SA(1.0)")]
    ms = gsim.get_mean_stds(ctx, imts)
    gmvs, sig, eps = compute_gmfs(ms, gsim, 10_000, 42, None)
    ln = np.log(gmvs.astype(float))  # (E, N, M)
    for m in range(2):
        np.testing.assert_allclose(ln[:, :, m].mean(axis=0), ms[0, m], rtol=0.02)
        np.testing.assert_allclose(ln[:, :, m].std(axis=0), ms[1, m], rtol=0.02)
    np.testing.assert_allclose(sig[:, 0], ms[2].max(axis=1))
    assert eps.shape == (2, 10_000)


def test_gmf_truncation_and_median(registry):
    gsim = registry.gsim("BooreAtkinson2008")()
    ctx = _ctx(3, [5.0, 20.0, 50.0])
    imts = [IMT.from_string("PGA")]
    ms = gsim.get_mean_stds(ctx, imts)
    gmvs, _, _ = compute_gmfs(ms, gsim, 2000, 7, 1.0)
    z = (np.log(gmvs[:, :, 0].astype(float)) - ms[0, 0]) / ms[1, 0]
    # between + within terms each truncated at 1: the total is bounded by tau + phi
    bound = (ms[2, 0] + ms[3, 0]) / ms[1, 0]
    assert (np.abs(z) <= bound + 1e-5).all()
    med, sig, eps = compute_gmfs(ms, gsim, 5, 7, 0)
    np.testing.assert_allclose(np.log(med[:, :, 0].astype(float)),
                               np.tile(ms[0, 0], (5, 1)), rtol=1e-6)
    assert not sig.any() and not eps.any()


def test_same_seed_same_fields(registry):
    gsim = registry.gsim("BooreAtkinson2008")()
    ms = gsim.get_mean_stds(_ctx(3, [5.0, 20.0, 50.0]), [IMT.from_string("PGA")])
    a = compute_gmfs(ms, gsim, 10, [1, 2], 3.0)[0]
    b = compute_gmfs(ms, gsim, 10, [1, 2], 3.0)[0]
    c = compute_gmfs(ms, gsim, 10, [1, 3], 3.0)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_total_only_gsim_gives_nan_between_event_stddev(registry):
    gsim = registry.gsim("SadighEtAl1997")()
    ctx = make_context(2, mag=6.0, rake=0.0, rrup=[10.0, 20.0], vs30=760.0)
    ms = gsim.get_mean_stds(ctx, [IMT.from_string("PGA")])
    _, sig, eps = compute_gmfs(ms, gsim, 4, 1, 3.0)
    assert np.isnan(sig).all() and np.isfinite(eps).all()
    chol = [np.eye(2)]
    with pytest.raises(InvalidInput, match="total standard deviation"):
        compute_gmfs(ms, gsim, 4, 1, 3.0, chol)


@pytest.mark.parametrize("clustering", [True, False])
def test_within_event_correlation_follows_jb2009(registry, clustering):
    """Empirical correlation of the within-event residuals at a given distance agrees
    with exp(-3 h / b) within 0.05."""
    gsim = registry.gsim("BooreAtkinson2008")()
    lons = np.array([0.0, 0.05, 0.1, 0.2])
    lats = np.zeros(4)
    ctx = _ctx(4, [10.0, 12.0, 15.0, 20.0])
    imt = IMT.from_string("PGA")
    ms = gsim.get_mean_stds(ctx, [imt])
    model = JB2009(clustering)
    chol = [model.cholesky(lons, lats, imt)]
    gmvs, _, eps = compute_gmfs(ms, gsim, 20_000, 5, None, chol)
    ln = np.log(gmvs[:, :, 0].astype(float))
    within = (ln - ms[0, 0] - ms[2, 0] * eps[0][:, None]) / ms[3, 0]
    emp = np.corrcoef(within.T)
    dist = site_distances(lons, lats)
    theory = np.exp(-3 * dist / jb2009_range(0.0, clustering))
    np.testing.assert_allclose(emp, theory, atol=0.05)


def test_jb2009_range_and_model_errors():
    assert jb2009_range(0.0, True) == 40.7
    assert jb2009_range(0.0, False) == 8.5
    assert jb2009_range(2.0, False) == pytest.approx(29.4)
    assert correlation_model(None, {}) is None
    with pytest.raises(InvalidInput, match="not supported"):
        correlation_model("HM2018", {})
    with pytest.raises(InvalidInput, match="vs30_clustering"):
        correlation_model("JB2009", {"clustering": True})


def test_filter_gmvs():
    g = np.array([[[0.1, 0.001], [0.001, 0.002]]], np.float32)  # (E=1, N=2, M=2)
    out, keep = filter_gmvs(g, np.array([0.01, 0.01]))
    assert keep.tolist() == [[True, False]]
    assert out[0, 0].tolist() == pytest.approx([0.1, 0.001])  # values kept as they are


def test_exceedance_counts_kernel_matches_numpy():
    rng = np.random.default_rng(0)
    K, R, N = 500, 3, 4
    sid = rng.integers(0, N, K)
    rlz = rng.integers(0, R, K)
    gmv = rng.random((K, 2)).astype(np.float32)
    levels = np.array([[0.1, 0.5, 0.9], [0.2, 0.4, 0.8]])
    out = np.zeros((R, N, 2, 3))
    exceedance_counts(sid, rlz, gmv, levels, out)
    np.testing.assert_array_equal(out, exceedance_counts_numpy(sid, rlz, gmv, levels, R, N))


def test_geohash():
    assert geohash(0.0, 0.0) == "7zzzzzzz"
    assert geohash(0.0, 0.1) == "ebpbxfpy"
    assert geohash(26.86726, -28.6144) == "kdgj5quj"


def _truncnorm_std(t):
    """Standard deviation of the standard normal truncated at +-t."""
    from scipy.stats import norm
    return np.sqrt(1 - 2 * t * norm.pdf(t) / (2 * norm.cdf(t) - 1))


def _residuals(registry, truncation, E=10_000):
    """Between-event epsilons and normalised within-event residuals of E fields."""
    gsim = registry.gsim("BooreAtkinson2008")()
    ctx = _ctx(3, [5.0, 20.0, 60.0])
    imts = [IMT.from_string("PGA"), IMT.from_string("SA(1.0)")]
    ms = gsim.get_mean_stds(ctx, imts)
    gmvs, sig, eps = compute_gmfs(ms, gsim, E, 11, truncation)
    resid = np.log(gmvs.astype(float)) - ms[0].T[None]  # (E, N, M)
    between = ms[2].T[None] * eps.T[:, None, :]  # tau * eps_between
    within = (resid - between) / ms[3].T[None]
    return ms, sig, eps, resid, within


def test_zero_between_event_truncation(registry):
    """truncation_level_between = 0: zero between-event epsilons (sig_inter still
    reported as tau, as OpenQuake does), residuals of stddev phi bounded at 3 phi."""
    ms, sig, eps, resid, within = _residuals(registry, (0.0, 3.0))
    assert not eps.any()
    np.testing.assert_allclose(sig[:, 0], ms[2].max(axis=1))
    assert np.abs(within).max() <= 3.0 + 1e-5
    np.testing.assert_allclose(resid.std(axis=0), ms[3].T * _truncnorm_std(3.0),
                               rtol=0.03)
    # the residuals of the sites of an event are not shared: no between-event part
    assert abs(np.corrcoef(resid[:, 0, 0], resid[:, 2, 0])[0, 1]) < 0.05


def test_zero_within_event_truncation(registry):
    """truncation_level_within = 0: every site of an event has the residual tau eps."""
    ms, sig, eps, resid, within = _residuals(registry, (3.0, 0.0))
    np.testing.assert_allclose(within, 0, atol=1e-4)
    assert np.abs(eps).max() <= 3.0
    assert eps.std() == pytest.approx(_truncnorm_std(3.0), rel=0.03)


def test_separate_truncation_levels(registry):
    """between at 1, within at 2: bounds respected, stddevs of the truncated normals."""
    ms, sig, eps, resid, within = _residuals(registry, (1.0, 2.0))
    assert np.abs(eps).max() <= 1.0 and np.abs(within).max() <= 2.0 + 1e-4
    np.testing.assert_allclose(eps.std(axis=1), _truncnorm_std(1.0), rtol=0.03)
    np.testing.assert_allclose(within.std(axis=0), _truncnorm_std(2.0), rtol=0.03)
    assert np.abs(within).max() > 1.9  # the within-event ones are not cut at 1


def test_job_truncation_defaults_and_errors():
    from types import SimpleNamespace as NS

    from oqcore.hazard.gmf import job_truncation
    from oqcore.params import NODEFAULT
    oq = NS(truncation_level=3.0, truncation_level_between=None,
            truncation_level_within=1.5)
    assert job_truncation(oq) == (3.0, 1.5)
    oq = NS(truncation_level=NODEFAULT, truncation_level_between=0.0,
            truncation_level_within=None)
    assert job_truncation(oq) == (0.0, None)
    oq = NS(truncation_level=0.0, truncation_level_between=None,
            truncation_level_within=None)
    assert job_truncation(oq) == (0.0, 0.0)
    with pytest.raises(InvalidInput, match="median ground-motion fields"):
        job_truncation(oq, JB2009())


def test_gsim_draw_order_and_uniform_choice(registry):
    """GSIMs draw in the order of their TOML text ('[AbcDef]' before '[Abc]');
    uniform_choice is the inverse CDF of the seed's uniforms on equal weights."""
    from oqcore.hazard.gmf import gsim_draw_key, uniform_choice
    names = ["ChiouYoungs2014", "BooreAtkinson2008", "AkkarBommer2010", "ChiouYoungs2014PEER",
             "ChiouYoungs2008"]
    gsims = [registry.gsim(n)() for n in names]
    order = [str(g) for g in sorted(gsims, key=gsim_draw_key)]
    assert order == ["AkkarBommer2010", "BooreAtkinson2008", "ChiouYoungs2008",
                     "ChiouYoungs2014PEER", "ChiouYoungs2014"]
    values = np.array([3, 7, 9], np.uint32)
    u = np.random.default_rng(11).random(1000)
    np.testing.assert_array_equal(uniform_choice(values, 1000, 11),
                                  values[np.minimum((u * 3).astype(int), 2)])


def test_gmf_medians_converted_to_the_geometric_mean(registry):
    """horiz_comp_to_geom_mean: a RotD50 model's GMF medians are divided by Boore and
    Kishida's ratio (1.009 at PGA); a geometric-mean model's are kept."""
    from oqcore.hazard.gmf import GmfParams
    ctx = make_context(3, mag=6.5, rake=0.0, rjb=np.array([5.0, 20.0, 50.0]),
                       rrup=np.array([6.0, 21.0, 51.0]), rx=np.array([5.0, 20.0, 50.0]),
                       ry0=np.zeros(3), dip=90.0, ztor=0.0, width=10.0, hypo_depth=8.0,
                       vs30=np.full(3, 500.0), vs30measured=np.ones(3, bool),
                       z1pt0=np.full(3, 200.0), z2pt5=np.full(3, 1.0))
    plain = GmfParams(["PGA"], 3.0, [1e-10])
    geom = GmfParams(["PGA"], 3.0, [1e-10], to_geom_mean=True)
    rotd50 = registry.gsim("BooreEtAl2014")()
    assert rotd50.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT.endswith("(RotD50)")
    a, b = plain.mean_stds(rotd50, ctx), geom.mean_stds(rotd50, ctx)
    np.testing.assert_allclose(a[0] - b[0], np.log(1.009))
    np.testing.assert_array_equal(a[2:], b[2:])  # between/within stddevs kept
    gm = registry.gsim("AkkarEtAlRjb2014")()
    assert gm.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT == "Average Horizontal"
    np.testing.assert_array_equal(plain.mean_stds(gm, ctx), geom.mean_stds(gm, ctx))
