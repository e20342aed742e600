"""Disaggregation kernel, bins and projections (oqcore.hazard.disagg)."""
import numpy as np
import pytest
from scipy.special import ndtr

from oqcore.hazard import disagg
from oqcore.hazard.contexts import rates_to_poes


def random_contexts(K=300, N=2, M=2, P=2, seed=1):
    rng = np.random.default_rng(seed)
    shape = (3, 4, 2, 2)
    mean = rng.normal(-2.0, 1.0, (M, K))
    sig = rng.uniform(0.3, 0.9, (M, K))
    logiml = np.log(rng.uniform(0.02, 0.5, (N, M, P)))
    occ = rng.uniform(1e-5, 1e-3, K)
    sids = rng.integers(0, N, K)
    idx = [rng.integers(0, n, K) for n in shape]
    idx[0][:5] = -1  # magnitudes outside the bins
    return mean, sig, logiml, occ, sids, idx, shape


@pytest.mark.parametrize("epsstar", [False, True])
def test_kernel_matches_numpy(epsstar):
    mean, sig, logiml, occ, sids, idx, shape = random_contexts()
    eps = np.linspace(-3, 3, 5)
    out1 = np.zeros((2,) + shape + (4, 2, 2))
    out2 = np.zeros_like(out1)
    disagg.add_disagg_rates(mean, sig, logiml, occ, sids, *idx, eps, 3.0, epsstar, out1)
    disagg.disagg_rates_numpy(mean, sig, logiml, occ, sids, *idx, eps, 3.0, epsstar, out2)
    np.testing.assert_allclose(out1, out2, rtol=1e-12, atol=1e-20)
    assert out1.sum() > 0


@pytest.mark.parametrize("epsstar", [False, True])
def test_bins_sum_to_the_exceedance_rate(epsstar):
    """Summed over every bin, the rates are the truncated-normal exceedance rates
    (with epsilon*, of the ruptures whose epsilon falls in the bins)."""
    mean, sig, logiml, occ, sids, idx, shape = random_contexts()
    tl = 3.0
    out = np.zeros((2,) + shape + (4, 2, 2))
    disagg.add_disagg_rates(mean, sig, logiml, occ, sids, *idx, np.linspace(-tl, tl, 5),
                            tl, epsstar, out)
    expected = np.zeros((2, 2, 2))
    keep = idx[0] >= 0
    for k in np.flatnonzero(keep):
        z = (logiml[sids[k]] - mean[:, k][:, None]) / sig[:, k][:, None]  # (M, P)
        sf = np.clip((ndtr(tl) - ndtr(np.clip(z, -tl, tl))) / (2 * ndtr(tl) - 1), 0, 1)
        if epsstar:
            sf[(z < -tl) | (z >= tl)] = 0
        expected[sids[k]] += occ[k] * sf
    np.testing.assert_allclose(out.sum(axis=(1, 2, 3, 4, 5)), expected, rtol=1e-10)


def test_zero_level_is_skipped():
    mean, sig, logiml, occ, sids, idx, shape = random_contexts()
    logiml[:, :, 1] = -np.inf
    out = np.zeros((2,) + shape + (4, 2, 2))
    disagg.add_disagg_rates(mean, sig, logiml, occ, sids, *idx, np.linspace(-3, 3, 5),
                            3.0, False, out)
    assert out[..., 1].sum() == 0 and out[..., 0].sum() > 0


def test_mag_edges():
    # the model's magnitudes set the edges, the top magnitude strictly inside
    np.testing.assert_allclose(disagg.mag_edges([5.1, 7.9], 1.0), [5, 6, 7, 8])
    np.testing.assert_allclose(disagg.mag_edges([4.85, 7.45], 0.5),
                               [4.5, 5, 5.5, 6, 6.5, 7, 7.5])
    np.testing.assert_allclose(disagg.mag_edges([6.0, 7.0], 1.0), [6, 7, 8])
    np.testing.assert_allclose(disagg.mag_edges([7.7, 7.7], 0.5), [7.5, 8.0])


def test_dist_and_lon_lat_edges():
    np.testing.assert_allclose(disagg.dist_edges(100, 25), [0, 25, 50, 75, 100])
    np.testing.assert_allclose(disagg.dist_edges(210, 10), np.arange(0, 220, 10))
    lon, lat = disagg.lon_lat_edges(10.1, 40.1, 100.0, 1.5)
    np.testing.assert_allclose(lon, [8.924297504394675, 11.275702495605325], rtol=1e-9)
    np.testing.assert_allclose(lat, [39.20068, 40.99932], rtol=1e-9)
    lon, lat = disagg.lon_lat_edges(11.3, 43.6, 200.0, 0.2)  # 9 bins each
    assert len(lon) == len(lat) == 10
    np.testing.assert_allclose(lat[[0, -1]], [41.80136, 45.39864])


def test_bin_indices_conventions():
    bins = disagg.DisaggBins([5, 6, 7], [0, 10, 20], [[9, 10, 11]], [[39, 40, 41]],
                             [-3, 3], ["A"])
    ctx = np.zeros(5, [("mag", float), ("rrup", float), ("clon", float),
                       ("clat", float), ("sids", np.uint32)])
    ctx["mag"] = [5.0, 6.0, 6.01, 7.0, 7.5]   # (lower, upper], lowest edge in bin 0
    ctx["rrup"] = [0, 10, 19.9, 20, 25]       # [lower, upper), beyond -> last bin
    ctx["clon"] = [8.5, 10, 10.5, 11, 12]
    ctx["clat"] = [40, 39.5, 40.9, 41, 38]
    magi, disti, loni, lati = disagg.bin_indices(ctx, bins)
    assert magi.tolist() == [0, 0, 1, 1, -1]
    assert disti.tolist() == [0, 1, 1, 1, 1]
    assert loni.tolist() == [0, 1, 1, 1, 1]
    assert lati.tolist() == [1, 0, 1, 1, 0]


def test_project_and_kinds():
    rng = np.random.default_rng(3)
    rates = rng.uniform(size=(3, 4, 2, 2, 3, 2, 1, 1))
    for kind in disagg.KINDS:
        proj = disagg.project(rates, kind)
        assert proj.shape[:-2] == tuple(
            rates.shape[disagg.AXES.index(a)] for a in disagg.kind_axes(kind))
        np.testing.assert_allclose(proj.sum(), rates.sum())
    np.testing.assert_allclose(disagg.project(rates, "TRT_Mag")[1, 2],
                               rates[2, :, :, :, :, 1].sum(axis=(0, 1, 2, 3)))
    with pytest.raises(ValueError, match="unknown disaggregation kind"):
        disagg.kind_axes("Mag_Trt")


def test_traditional_is_the_rate_fraction():
    rates = np.array([0.001, 0.003, 0.0])
    T = 50.0
    poes = rates_to_poes(rates, T)
    total = rates_to_poes(rates.sum(), T)
    np.testing.assert_allclose(disagg.traditional(poes, total), rates / rates.sum())
    assert disagg.traditional(poes * 0, np.float64(0)).sum() == 0


def test_matrix_too_large():
    class Oq:
        disagg_bin_edges = {}
        maximum_distance = {"default": 300.0}
        mag_bin_width = 0.01
        distance_bin_width = 1.0
        coordinate_bin_width = 0.01
        num_epsilon_bins = 10
        truncation_level = 3.0

    class Sites:
        lons, lats = np.array([0.0]), np.array([0.0])

        def __len__(self):
            return 1
    with pytest.raises(ValueError, match="use wider bins"):
        disagg.build_bins(Oq(), Sites(), [5.0, 8.0], ["A"])
