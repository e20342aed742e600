"""Behaviour of the Toro et al. (2002) model beyond the verification table."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.toro_2002 import ToroEtAl2002
from oqcore.hazard.imt import IMT


def _ctx():
    return make_context(3, mag=[4.0, 6.0, 8.5], rjb=[0.0, 40.0, 500.0])


def test_ln_mean_divided_at_exact_3_and_4_s():
    out = ToroEtAl2002().get_mean_stds(
        _ctx(), [IMT("SA", 2.0), IMT("SA", 3.0), IMT("SA", 4.0), IMT("SA", 2.5)])
    mean, sig = out[0], out[1]
    np.testing.assert_allclose(mean[1], mean[0] / 0.612, rtol=1e-12)
    np.testing.assert_allclose(mean[2], mean[0] / 0.559, rtol=1e-12)
    # between table periods the (identical) coefficients are used without divisor
    np.testing.assert_allclose(mean[3], mean[0], rtol=1e-12)
    np.testing.assert_allclose(sig[1], sig[0], rtol=1e-12)


def test_sigma_constant_outside_interpolation_ranges():
    ctx = make_context(4, mag=[4.0, 5.0, 8.0, 8.5], rjb=[0.0, 5.0, 20.0, 300.0])
    sig = ToroEtAl2002().get_mean_stds(ctx, [IMT("PGA")])[1, 0]
    C = ToroEtAl2002.COEFFS[IMT("PGA")]
    epi = 0.36 + 0.07 * (ctx.mag - 6.0)
    expected = np.sqrt(np.array([C["m50"], C["m50"], C["m80"], C["m80"]]) ** 2
                       + np.array([C["r5"], C["r5"], C["r20"], C["r20"]]) ** 2 + epi ** 2)
    np.testing.assert_allclose(sig, expected, rtol=1e-12)


@pytest.mark.parametrize("imt", [IMT("PGV"), IMT("SA", 0.01), IMT("SA", 5.0)])
def test_unsupported_imts_raise(imt):
    with pytest.raises(UnknownIMT):
        ToroEtAl2002().get_mean_stds(_ctx(), [imt])
