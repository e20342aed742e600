"""Behaviour of the BC Hydro models (Abrahamson et al. 2016) beyond the tables."""
import numpy as np
import pytest

from oqcore.hazard.gsim.abrahamson_2015 import (
    AbrahamsonEtAl2015SInter, AbrahamsonEtAl2015SSlab)
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

PGA, SA1 = IMT("PGA"), IMT("SA", 1.0)


def _out(gsim, imts=(PGA,), **columns):
    n = max(np.size(v) for v in columns.values())
    base = dict(mag=7.0, hypo_depth=50.0, rrup=60.0, rhypo=60.0, vs30=400.0,
                backarc=False)
    base.update(columns)
    ctx = make_context(n, **{k: v for k, v in base.items() if k in gsim.requires})
    return gsim.get_mean_stds(ctx, list(imts))


@pytest.mark.parametrize("cls, rmin, names", [
    (AbrahamsonEtAl2015SInter, 100.0, ("theta15", "theta16")),
    (AbrahamsonEtAl2015SSlab, 85.0, ("theta7", "theta8"))])
def test_backarc_term_floors_distance(cls, rmin, names):
    # on rock the site term is linear, so backarc - forearc is the backarc term alone
    dist = [0.0, 30.0, rmin, 200.0]
    key = "rrup" if cls is AbrahamsonEtAl2015SInter else "rhypo"
    fore = _out(cls(), (SA1,), vs30=1100.0, **{key: dist})[0, 0]
    back = _out(cls(), (SA1,), vs30=1100.0, backarc=True, **{key: dist})[0, 0]
    C = cls.COEFFS[SA1]
    a, b = C[names[0]], C[names[1]]
    expected = a + b * np.log(np.maximum(dist, rmin) / 40.0)
    np.testing.assert_allclose(back - fore, expected, rtol=1e-10)


def test_vs30_capped_at_1000():
    mean = _out(AbrahamsonEtAl2015SInter(), (PGA, SA1), vs30=[1000.0, 1500.0])[0]
    np.testing.assert_array_equal(mean[:, 0], mean[:, 1])


def test_slab_depth_capped_at_120_km():
    mean = _out(AbrahamsonEtAl2015SSlab(), hypo_depth=[120.0, 180.0, 100.0])[0, 0]
    assert mean[0] == mean[1] != mean[2]


def test_soft_soil_is_non_linear():
    # the site amplification of soft soil drops as the rock motion grows
    gsim = AbrahamsonEtAl2015SInter()
    near = _out(gsim, vs30=[200.0, 1000.0], rrup=5.0, mag=8.0)[0, 0]
    far = _out(gsim, vs30=[200.0, 1000.0], rrup=300.0, mag=8.0)[0, 0]
    assert near[0] - near[1] < far[0] - far[1]


def test_stddevs_are_ergodic_constants():
    out = _out(AbrahamsonEtAl2015SSlab(), (PGA,), mag=[5.0, 8.0])
    np.testing.assert_allclose(out[1:, 0, 0], [0.74, 0.43, 0.6])


@pytest.mark.parametrize("imt", [IMT("PGV"), IMT("SA", 0.01), IMT("SA", 12.0)])
def test_unsupported_imts_raise(imt):
    with pytest.raises(UnknownIMT):
        _out(AbrahamsonEtAl2015SInter(), (imt,), mag=6.0)


@pytest.mark.parametrize("kwargs, words", [
    ({"theta6": 0.1}, ["AbrahamsonEtAl2015SInter", "theta6"]),
    ({"theta6_adjustment": "big"}, ["theta6_adjustment", "number"]),
    ({"ergodic": "no"}, ["ergodic"])])
def test_bad_arguments_name_model_and_argument(kwargs, words):
    from oqcore.errors import InvalidInput
    with pytest.raises(InvalidInput) as info:
        AbrahamsonEtAl2015SInter(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_sigma_mu_epsilon_shifts_target_imt_only():
    # the shift is ε σμ / 1.65 on the target IMT; the PGA1000 of the site term is not shifted
    base = _out(AbrahamsonEtAl2015SSlab(), (PGA, SA1), vs30=200.0)[0]
    up = _out(AbrahamsonEtAl2015SSlab(sigma_mu_epsilon=2.0), (PGA, SA1), vs30=200.0)[0]
    sigma_mu = AbrahamsonEtAl2015SSlab.SIGMA_MU
    np.testing.assert_allclose(up[:, 0] - base[:, 0], [
        2.0 * sigma_mu[PGA]["SIGMA_MU_SSLAB"] / 1.65,
        2.0 * sigma_mu[SA1]["SIGMA_MU_SSLAB"] / 1.65], rtol=1e-12)
