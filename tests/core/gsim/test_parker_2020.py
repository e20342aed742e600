"""Behaviour of Parker et al. (2020/2022) beyond the verification tables."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.parker_2020 import (
    ParkerEtAl2020SInter, ParkerEtAl2020SInterB, ParkerEtAl2020SSlab, z25_reference)
from oqcore.hazard.imt import IMT

PGA, SA1, SA3 = IMT("PGA"), IMT("SA", 1.0), IMT("SA", 3.0)


def _out(gsim, imts=(PGA,), **columns):
    n = max([np.size(v) for v in columns.values()] + [1])
    base = dict(mag=7.0, hypo_depth=50.0, rrup=60.0, vs30=400.0)
    base.update(columns)
    ctx = make_context(n, **{k: v for k, v in base.items()
                             if k in gsim.requires or k == "z2pt5"})
    return gsim.get_mean_stds(ctx, list(imts))


@pytest.mark.parametrize("kwargs, words", [
    ({"regin": "AK"}, ["ParkerEtAl2020SInter", "regin"]),
    ({"region": "XX"}, ["region", "XX"]),
    ({"saturation_region": "Mars"}, ["saturation_region", "Mars"]),
    ({"region": "JP"}, ["region", "saturation_region", "JP_Pac"]),
    ({"basin": "Seattle"}, ["basin", "Cascadia"]),
    ({"region": "Cascadia", "m9_basin_term": True}, ["m9_basin_term", "z2pt5"]),
    ({"sigma_mu_epsilon": "one"}, ["sigma_mu_epsilon", "number"]),
    ({"region": "TW", "saturation_region": "TW_E", "ak23_bias_adj": True},
     ["ak23_bias_adj", "global"])])
def test_bad_arguments_name_model_and_argument(kwargs, words):
    with pytest.raises(InvalidInput) as info:
        ParkerEtAl2020SInter(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_slab_refuses_alaska_bias_and_region_sa_without_saturation():
    with pytest.raises(InvalidInput, match="ParkerEtAl2020SSlab.*ak23_bias_adj"):
        ParkerEtAl2020SSlab(ak23_bias_adj=True)
    with pytest.raises(InvalidInput, match="saturation_region"):
        ParkerEtAl2020SSlab(region="SA")
    ParkerEtAl2020SSlab(region="JP")  # a region-level slab constant exists


def test_slab_depth_floored_at_20_km():
    mean = _out(ParkerEtAl2020SSlab(), hypo_depth=[5.0, 20.0, 40.0])[0, 0]
    assert mean[0] == mean[1] != mean[2]


def test_no_nonlinear_site_term_from_3_s():
    # the soft-site amplification at 3 s does not depend on the rock motion
    gsim = ParkerEtAl2020SInter()
    amp = [np.diff(_out(gsim, (SA3, SA1), vs30=[760.0, 200.0], rrup=r, mag=8.5)[0], axis=1)
           for r in (5.0, 300.0)]
    assert amp[0][0, 0] == pytest.approx(amp[1][0, 0], rel=1e-12)
    assert amp[0][1, 0] != pytest.approx(amp[1][1, 0], rel=1e-3)


def test_linear_site_term_flat_above_v2():
    C = ParkerEtAl2020SInter.COEFFS[SA1]
    mean = _out(ParkerEtAl2020SInter(), (SA1,), vs30=[C["V2"], C["V2"] + 100.0])[0, 0]
    assert mean[0] == mean[1]


def test_heteroscedastic_phi_constant_beyond_500_km_and_on_stiff_sites():
    out = _out(ParkerEtAl2020SInter(), (PGA,), rrup=[500.0, 700.0, 100.0],
               vs30=[150.0, 150.0, 600.0])
    C = ParkerEtAl2020SInter.COEFFS[PGA]
    np.testing.assert_allclose(out[3, 0, :2], np.sqrt(C["phi22"]), rtol=1e-12)
    np.testing.assert_allclose(out[3, 0, 2], np.sqrt(C["phi21"]), rtol=1e-12)
    np.testing.assert_allclose(out[2, 0], C["Tau"])


def test_basin_term_needs_z2pt5_and_unknown_depth_has_none():
    # known depths land on e1 (z2.5 in km against a reference in metres, as OpenQuake
    # 3.26.2); -999 takes the reference depth, where the term is 0
    plain = _out(ParkerEtAl2020SInter(region="Cascadia"), (SA1,), vs30=300.0)[0, 0]
    withz = _out(ParkerEtAl2020SInterB(region="Cascadia"), (SA1,), vs30=300.0,
                 z2pt5=[-999.0, 2.0])[0, 0]
    C = ParkerEtAl2020SInter.COEFFS[SA1]
    np.testing.assert_allclose(withz - plain, [0.0, C["C_e1"]], atol=1e-12)


def test_reference_depth_decreases_with_vs30():
    z = z25_reference("Cascadia", np.array([100.0, 200.0, 2000.0]))
    assert z[0] > z[1] > z[2]
    np.testing.assert_allclose(z[1], np.exp(np.log(10) * (3.1 + 0.84 / 2)), rtol=1e-5)


def test_sigma_mu_epsilon_uses_regional_epistemic_sigma():
    base = _out(ParkerEtAl2020SInter(region="AK"), (PGA,))[0, 0]
    up = _out(ParkerEtAl2020SInter(region="AK", sigma_mu_epsilon=-2.0), (PGA,))[0, 0]
    np.testing.assert_allclose(up - base, -2.0 * 0.15, rtol=1e-12)
