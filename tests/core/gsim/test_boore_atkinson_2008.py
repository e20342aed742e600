"""Behavioural tests of Boore and Atkinson (2008)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.boore_atkinson_2008 import (
    BooreAtkinson2008, nonlinear_slope, site_nonlinear)
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.2), IMT("SA", 1.0)]


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=760.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rake_30_and_150_are_strike_slip():
    mean = BooreAtkinson2008().get_mean_stds(
        _ctx(rake=[0.0, 30.0, -30.0, 150.0, -150.0, 180.0, 30.5, -30.5]), IMTS)[0]
    for j in range(1, 6):
        np.testing.assert_array_equal(mean[:, j], mean[:, 0])
    C = BooreAtkinson2008.COEFFS[IMT("PGA")]
    assert mean[0, 6] - mean[0, 0] == pytest.approx(C["e4"] - C["e2"], abs=1e-12)
    assert mean[0, 7] - mean[0, 0] == pytest.approx(C["e3"] - C["e2"], abs=1e-12)


def test_no_site_term_on_reference_rock():
    ctx = _ctx(mag=[4.0, 6.0, 8.5], rjb=[0.0, 10.0, 500.0], vs30=760.0)
    mean = BooreAtkinson2008().get_mean_stds(ctx, [IMT("PGA")])[0, 0]
    C = BooreAtkinson2008.COEFFS[IMT("PGA")]
    r = np.sqrt(ctx.rjb ** 2 + C["h"] ** 2)
    dmag = ctx.mag - C["Mh"]
    expected = (C["e2"] + np.where(dmag <= 0, C["e5"] * dmag + C["e6"] * dmag ** 2,
                                   C["e7"] * dmag)
                + (C["c1"] + C["c2"] * (ctx.mag - 4.5)) * np.log(r) + C["c3"] * (r - 1.0))
    np.testing.assert_allclose(mean, expected, rtol=1e-12)


def test_nonlinear_term_continuous_at_thresholds():
    C_SR = BooreAtkinson2008.COEFFS_SOIL_RESPONSE[IMT("SA", 0.2)]
    vs = np.array([180.0 - 1e-9, 180.0, 300.0 - 1e-9, 300.0, 760.0 - 1e-9, 760.0])
    b = nonlinear_slope(C_SR, vs)
    np.testing.assert_allclose(b[0::2], b[1::2], atol=1e-9)
    assert b[-1] == 0.0
    pga = np.array([0.03 - 1e-12, 0.03, 0.09 - 1e-12, 0.09])
    f = site_nonlinear(C_SR, np.full(4, 200.0), pga)
    np.testing.assert_allclose(f[0::2], f[1::2], atol=1e-9)


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        BooreAtkinson2008().get_mean_stds(_ctx(), [IMT("SA", 12.0)])
