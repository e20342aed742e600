"""The loss kernels against plain numpy."""
import numpy as np

from oqcore.risk import classical as C
from oqcore.risk import losses as K
from oqcore.risk.vulnerability import VulnerabilityFunction


def test_pairs_and_accumulation_match_numpy():
    rng = np.random.default_rng(0)
    sids = np.sort(rng.integers(0, 5, 40))
    starts, stops = K.site_ranges(sids, 6)
    asset_sids = rng.integers(0, 6, 12)
    aidx, ridx = K.asset_gmf_pairs(asset_sids, starts, stops)
    expected = [(a, r) for a in range(12) for r in range(40) if sids[r] == asset_sids[a]]
    assert sorted(zip(aidx.tolist(), ridx.tolist())) == expected
    vals = rng.random(len(aidx))
    out = np.zeros((12, 40))
    K.add_at_2d(out, aidx, ridx, vals)
    ref = np.zeros((12, 40))
    np.add.at(ref, (aidx, ridx), vals)
    np.testing.assert_allclose(out, ref)
    rows = np.zeros((12, 2))
    K.add_at_rows(rows, aidx, np.column_stack([vals, 2 * vals]))
    np.testing.assert_allclose(rows[:, 1], 2 * np.bincount(aidx, vals, 12))


def test_losses_by_period():
    losses = np.arange(1.0, 11.0)  # 10 events in 100 years
    np.testing.assert_allclose(K.losses_by_period(losses, [10, 100], 10, 100.0), [1, 10])
    # zero-loss events count: 20 events, 10 with losses
    np.testing.assert_allclose(K.losses_by_period(losses, [5, 100], 20, 100.0), [0, 10])
    assert list(K.return_periods(100.0, 10)) == [10, 20, 50, 100]


def test_sampled_damage_counts_sum_to_numbers():
    rng = np.random.default_rng(1)
    fr = np.array([[0.2, 0.5], [0.3, 0.5], [0.5, 0.0]])
    counts = K.sample_damage_counts(fr, np.array([10, 7]), rng)
    np.testing.assert_array_equal(counts.sum(axis=0), [10, 7])


def test_classical_loss_curve_without_uncertainty():
    """With zero CoVs each loss ratio is exceeded by the bins whose mean loss ratio
    reaches it: the annual frequencies of occurrence of those bins (from the hazard
    PoEs at the bin edges) summed and turned back into a PoE."""
    vf = VulnerabilityFunction("x", "PGA", np.array([0.1, 0.2]), np.array([0.2, 0.6]),
                               np.zeros(2))
    imls = np.array([0.01, 0.1, 0.2, 0.5])
    poes = np.array([0.5, 0.2, 0.1, 0.01])
    lrs, lp = C.loss_curve_ratios(vf, imls, poes, 0, 1.0, None)
    edges = C.mid_imls(vf.imls)  # 0.05, 0.15, 0.25
    p = np.interp(edges, imls, poes)
    np.testing.assert_allclose(lrs, [0, 0.2, 0.6, 1.0])
    afe = -np.log1p(-p)  # annual frequencies of exceedance (time = 1 year)
    both, upper = afe[0] - afe[2], afe[1] - afe[2]  # the two bins, the upper bin
    np.testing.assert_allclose(lp, -np.expm1(-np.array([both, both, upper, 0.0])))
    assert C.conditional_loss(lrs, lp, 1.0) == 0.0
    assert C.average_loss(lrs, lp) > 0


def test_lognormal_ratios_match_numpy():
    rng = np.random.default_rng(3)
    means = np.array([0.0, 0.2, 0.5])
    sig = np.array([0.3, 0.0, 0.4])
    ridx = rng.integers(0, 3, 50)
    eps = rng.standard_normal(50)
    m, s = means[ridx], sig[ridx]
    expected = np.where((m > 0) & (s > 0), m * np.exp(s * eps - s ** 2 / 2), m)
    np.testing.assert_allclose(K.lognormal_ratios(ridx, means, sig, eps), expected)
