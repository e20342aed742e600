"""Behaviour of Montalva et al. (2017) beyond the verification tables."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.montalva_2017 import MontalvaEtAl2017SInter, MontalvaEtAl2017SSlab
from oqcore.hazard.imt import IMT

PGA, SA1 = IMT("PGA"), IMT("SA", 1.0)


def _mean(gsim, imt=PGA, **columns):
    n = max(np.size(v) for v in columns.values())
    base = dict(mag=7.0, hypo_depth=50.0, rrup=60.0, rhypo=60.0, vs30=1100.0,
                backarc=False)
    base.update(columns)
    ctx = make_context(n, **{k: v for k, v in base.items() if k in gsim.requires})
    return gsim.get_mean_stds(ctx, [imt])[0, 0]


def test_interface_magnitude_hinge_at_c1_plus_delta_c1():
    # PGA: ΔC1 = 0.2, so the slope changes from θ4 to θ5 at M 7.4 (rrup fixed, rock)
    gsim = MontalvaEtAl2017SInter()
    C = gsim.COEFFS[PGA]
    mags = np.array([7.3, 7.4, 7.5])
    mean = _mean(gsim, mag=mags, rrup=100.0)
    near = 10.0 * np.exp(0.4 * (mags - 6.0))
    spread = (C["theta2"] + C["theta3"] * (mags - 7.2)) * np.log(100.0 + near)
    src = mean - spread
    np.testing.assert_allclose(src[1] - src[0], C["theta4"] * 0.1, rtol=1e-9)
    np.testing.assert_allclose(src[2] - src[1], C["theta5"] * 0.1, rtol=1e-9)


def test_slab_depth_capped_at_120_km():
    mean = _mean(MontalvaEtAl2017SSlab(), hypo_depth=[120.0, 200.0, 90.0])
    assert mean[0] == mean[1] != mean[2]


def test_theta6_adjustment_scales_with_distance_on_rock():
    # on rock (linear site term) the shift is the adjustment times the distance
    dist = np.array([10.0, 100.0, 300.0])
    base = _mean(MontalvaEtAl2017SInter(), SA1, rrup=dist)
    adj = _mean(MontalvaEtAl2017SInter(theta6_adjustment=0.0015), SA1, rrup=dist)
    np.testing.assert_allclose(adj - base, 0.0015 * dist, rtol=1e-9)


@pytest.mark.parametrize("cls", [MontalvaEtAl2017SInter, MontalvaEtAl2017SSlab])
def test_non_ergodic_is_refused_with_a_clear_error(cls):
    with pytest.raises(InvalidInput, match="%s.*ergodic" % cls.__name__):
        cls(ergodic=False)


def test_unknown_argument_names_model_and_argument():
    with pytest.raises(InvalidInput, match="MontalvaEtAl2017SSlab.*faba_taper_model"):
        MontalvaEtAl2017SSlab(faba_taper_model="SFunc")
