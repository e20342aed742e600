"""Behavioural tests of Boore et al. (2014)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.boore_2014 import BooreEtAl2014
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.2), IMT("SA", 1.0)]


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=400.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rake_30_is_strike_slip():
    # on reference rock the non-linear site term vanishes: differences are e_i only
    mean = BooreEtAl2014().get_mean_stds(
        _ctx(rake=[0.0, 30.0, 150.0, -150.0, 31.0], vs30=760.0), IMTS)[0]
    for j in range(1, 4):
        np.testing.assert_array_equal(mean[:, j], mean[:, 0])
    C = BooreEtAl2014.COEFFS[IMT("PGA")]
    assert mean[0, 4] - mean[0, 0] == pytest.approx(C["e3"] - C["e1"], abs=1e-12)


def test_rock_pga_independent_of_vs30_above_vc():
    # above Vc the linear term is capped and above 760 the non-linear term vanishes
    mean = BooreEtAl2014().get_mean_stds(_ctx(vs30=[1600.0, 2000.0]), [IMT("PGA")])[0, 0]
    assert mean[0] == mean[1]


def test_stddevs_limits():
    ctx = _ctx(mag=[4.0, 8.5], rjb=[0.0, 500.0], vs30=[150.0, 760.0])
    _, sig, tau, phi = BooreEtAl2014().get_mean_stds(ctx, [IMT("PGA")])[:, 0]
    C = BooreEtAl2014.COEFFS[IMT("PGA")]
    np.testing.assert_allclose(tau, [C["tau1"], C["tau2"]])
    np.testing.assert_allclose(phi, [C["f1"] - C["DfV"], C["f2"] + C["DfR"]])
    np.testing.assert_allclose(sig, np.hypot(tau, phi))


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        BooreEtAl2014().get_mean_stds(_ctx(), [IMT("SA", 0.005)])
