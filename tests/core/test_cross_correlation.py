"""Between-event cross-correlation of the IMTs: model values (reference values from
OpenQuake 3.26.2), sampling of the truncated multivariate normal, use in the fields."""
import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.cross_correlation import (CrossCorrelation, bradley_2012,
                                             correlation_matrix, cross_correlation_model,
                                             goda_atkinson_2009, nearest_correlation,
                                             truncated_mvn)
from oqcore.hazard.gmf import compute_gmfs
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT

I = IMT.from_string


@pytest.mark.parametrize("a, b, expected", [
    ("PGA", "SA(0.3)", 0.7167816599756657), ("SA(0.1)", "SA(0.3)", 0.858896035898101),
    ("SA(0.2)", "SA(1.0)", 0.5840575135095228), ("SA(0.5)", "SA(2.0)", 0.6277090360678499),
    ("SA(1.0)", "SA(3.0)", 0.7150130359002249), ("PGA", "SA(0.1)", 1.0),
    ("SA(0.3)", "SA(0.3)", 1.0)])
def test_goda_atkinson_2009(a, b, expected):
    assert goda_atkinson_2009(I(a), I(b)) == pytest.approx(expected, rel=1e-12)
    assert goda_atkinson_2009(I(b), I(a)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("a, b, expected", [
    ("PGV", "SA(0.05)", 0.6171962887783417), ("PGV", "SA(0.3)", 0.6889213923843766),
    ("SA(1.0)", "PGV", 0.785567699935163), ("PGV", "SA(5.0)", 0.73),
    ("PGV", "PGA", 0.733), ("PGA", "SA(1.0)", 0.0)])
def test_bradley_2012(a, b, expected):
    assert bradley_2012(I(a), I(b)) == pytest.approx(expected, rel=1e-12)


def test_nearest_correlation():
    imts = [I("PGA"), I("SA(0.1)"), I("SA(0.3)")]
    corr = correlation_matrix("GodaAtkinson2009", imts)
    assert np.linalg.eigvalsh(corr).min() < 0  # not a correlation matrix as given
    fixed = nearest_correlation(corr)
    np.testing.assert_allclose(np.diag(fixed), 1)
    assert np.linalg.eigvalsh(fixed).min() > 0
    np.testing.assert_allclose(fixed, corr, atol=0.03)
    good = correlation_matrix("GodaAtkinson2009", [I("SA(0.2)"), I("SA(1.0)")])
    assert nearest_correlation(good) is good


@pytest.mark.parametrize("level", [None, 3.0, 1.0])
def test_truncated_mvn_statistics(level):
    """20,000 draws: inside the box, empirical correlation close to the target
    (a truncation at 1 weakens it: compared with the Gibbs sampler instead)."""
    corr = np.array([[1.0, 0.8, 0.3], [0.8, 1.0, 0.5], [0.3, 0.5, 1.0]])
    x = truncated_mvn(np.random.default_rng(2), corr, level, 20_000)
    assert x.shape == (3, 20_000)
    if level is not None:
        assert np.abs(x).max() <= level
    if level != 1.0:
        np.testing.assert_allclose(np.corrcoef(x), corr, atol=0.03)
    else:
        g = truncated_mvn(np.random.default_rng(3), corr, level, 20_000,
                          min_acceptance=1.1)  # forces the Gibbs sampler
        assert np.abs(g).max() <= level
        np.testing.assert_allclose(np.corrcoef(g), np.corrcoef(x), atol=0.03)
        np.testing.assert_allclose(g.std(axis=1), x.std(axis=1), rtol=0.03)


def test_full_and_no_cross_correlation():
    rng = np.random.default_rng(0)
    imts = [I("PGA"), I("SA(1.0)")]
    full = CrossCorrelation("FullCrossCorrelation").sample(rng, 2.0, imts, 1000)
    np.testing.assert_array_equal(full[0], full[1])
    assert np.abs(full).max() <= 2.0
    none = CrossCorrelation("NoCrossCorrelation").sample(rng, 2.0, imts, 5000)
    assert abs(np.corrcoef(none)[0, 1]) < 0.05


def test_cross_correlation_model_names():
    for name in ("yes", "no", "full", None, "NoCrossCorrelation"):
        assert cross_correlation_model(name) is None  # independent epsilons
    assert cross_correlation_model("GodaAtkinson2009").name == "GodaAtkinson2009"
    with pytest.raises(InvalidInput, match="BakerJayaram2008 correlates within-event"):
        cross_correlation_model("BakerJayaram2008")


def test_fields_with_cross_correlation():
    """GodaAtkinson2009 in the fields: the between-event epsilons of SA(0.2) and
    SA(1.0) have the model's correlation, the within-event terms none."""
    gsim = oqcore.load_registry().gsim("BooreAtkinson2008")()
    ctx = make_context(2, mag=6.5, rake=0.0, rjb=[5.0, 50.0], vs30=np.array([400., 700.]))
    imts = [I("SA(0.2)"), I("SA(1.0)")]
    ms = gsim.get_mean_stds(ctx, imts)
    model = cross_correlation_model("GodaAtkinson2009")
    gmvs, _, eps = compute_gmfs(ms, gsim, 20_000, 4, 3.0, None, model, imts)
    rho = goda_atkinson_2009(*imts)
    assert np.corrcoef(eps)[0, 1] == pytest.approx(rho, abs=0.03)
    within = (np.log(gmvs.astype(float)) - ms[0].T - ms[2].T * eps.T[:, None, :]) / ms[3].T
    assert abs(np.corrcoef(within[:, 0, 0], within[:, 0, 1])[0, 1]) < 0.03
    _, _, eps0 = compute_gmfs(ms, gsim, 20_000, 4, 3.0)
    assert abs(np.corrcoef(eps0)[0, 1]) < 0.03  # without a model: independent
