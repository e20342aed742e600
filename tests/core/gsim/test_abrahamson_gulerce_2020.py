"""Behaviour of Abrahamson and Gülerce (2020/2022) beyond the verification tables."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.abrahamson_gulerce_2020 import (
    AbrahamsonGulerce2020SInter, AbrahamsonGulerce2020SSlab)
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT

PGA, SA1 = IMT("PGA"), IMT("SA", 1.0)


def _out(gsim, imts=(PGA,), **columns):
    n = max([np.size(v) for v in columns.values()] + [1])
    base = dict(mag=7.0, ztor=50.0, rrup=60.0, vs30=400.0, z2pt5=2.0)
    base.update(columns)
    ctx = make_context(n, **{k: v for k, v in base.items() if k in gsim.requires})
    return gsim.get_mean_stds(ctx, list(imts))


@pytest.mark.parametrize("cls, kwargs, words", [
    (AbrahamsonGulerce2020SInter, {"regoin": "CAS"}, ["AbrahamsonGulerce2020SInter",
                                                      "regoin"]),
    (AbrahamsonGulerce2020SInter, {"region": "CHL"}, ["region", "CHL"]),
    (AbrahamsonGulerce2020SInter, {"usgs_basin_scaling": True}, ["usgs_basin_scaling",
                                                                 "CAS"]),
    (AbrahamsonGulerce2020SInter, {"region": "JPN", "ak23_bias_adj": True},
     ["ak23_bias_adj"]),
    (AbrahamsonGulerce2020SSlab, {"ak23_bias_adj": True}, ["AbrahamsonGulerce2020SSlab",
                                                           "ak23_bias_adj"]),
    (AbrahamsonGulerce2020SInter, {"ergodic": "yes"}, ["ergodic"]),
    (AbrahamsonGulerce2020SInter, {"sigma_mu_epsilon": [1]}, ["sigma_mu_epsilon"])])
def test_bad_arguments_name_model_and_argument(cls, kwargs, words):
    with pytest.raises(InvalidInput) as info:
        cls(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_basin_regions_require_z2pt5():
    assert "z2pt5" in AbrahamsonGulerce2020SInter(region="CAS").requires
    assert "z2pt5" in AbrahamsonGulerce2020SSlab(region="JPN").requires
    assert "z2pt5" not in AbrahamsonGulerce2020SInter().requires


def test_cascadia_basin_only_amplifies_and_unknown_depth_is_neutral():
    gsim = AbrahamsonGulerce2020SInter(region="CAS")
    # vs30 = 400: zref = exp(8.52 - 0.88 ln 2) m, about 2.7 km
    mean = _out(gsim, (SA1,), z2pt5=[-999.0, 0.1, 1.0, 8.0])[0, 0]
    assert mean[0] == mean[1] == mean[2] < mean[3]


def test_japan_basin_floored_at_minus_two():
    gsim = AbrahamsonGulerce2020SInter(region="JPN")
    mean = _out(gsim, (SA1,), vs30=150.0, z2pt5=[0.0, 0.001, -999.0])[0, 0]
    a41 = gsim.COEFFS[SA1]["a41"]
    np.testing.assert_allclose(mean[0] - mean[2], -2.0 * a41, rtol=1e-9)
    assert mean[0] == mean[1]


def test_slab_ztor_term_capped_at_200_km():
    mean = _out(AbrahamsonGulerce2020SSlab(), ztor=[200.0, 260.0, 120.0])[0, 0]
    assert mean[0] == mean[1] != mean[2]


def test_stddevs_linear_on_rock_and_heteroscedastic_on_soil():
    gsim = AbrahamsonGulerce2020SInter()
    C = gsim.COEFFS[SA1]
    rock = _out(gsim, (SA1,), vs30=1200.0, rrup=[100.0, 600.0])
    np.testing.assert_allclose(rock[2, 0], 0.47)
    np.testing.assert_allclose(rock[3, 0] ** 2, [C["d1"], C["d1"] + C["d2"]], rtol=1e-12)
    soil = _out(gsim, (SA1,), vs30=180.0, rrup=5.0, mag=8.0)
    assert soil[2, 0, 0] != pytest.approx(0.47)


def test_sigma_mu_epsilon_distance_clip():
    base = _out(AbrahamsonGulerce2020SInter(), (SA1,), rrup=[10.0, 50.0, 600.0])[0, 0]
    up = _out(AbrahamsonGulerce2020SInter(sigma_mu_epsilon=1.0), (SA1,),
              rrup=[10.0, 50.0, 600.0])[0, 0]
    C = AbrahamsonGulerce2020SInter.COEFFS[SA1]
    shift = [C["e1"] + C["e2"] * r + C["e3"] * r ** 2 for r in (0.5, 0.5, 5.0)]
    np.testing.assert_allclose(up - base, shift, rtol=1e-10)
