"""Behavioural tests of Bindi et al. (2014), Rjb form."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.bindi_2014 import BindiEtAl2014Rjb
from oqcore.hazard.imt import IMT


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=800.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_site_term_is_log_linear_in_vs30():
    mean = BindiEtAl2014Rjb().get_mean_stds(
        _ctx(vs30=[800.0, 400.0, 1600.0]), [IMT("PGA")])[0, 0]
    C = BindiEtAl2014Rjb.COEFFS[IMT("PGA")]
    gamma = C["gamma"]
    np.testing.assert_allclose(mean - mean[0],
                               gamma * np.log(np.array([1.0, 0.5, 2.0])), atol=1e-12)


def test_rake_boundaries():
    mean = BindiEtAl2014Rjb().get_mean_stds(
        _ctx(rake=[0.0, 30.0, -150.0, 90.0, -90.0]), [IMT("PGA")])[0, 0]
    C = BindiEtAl2014Rjb.COEFFS[IMT("PGA")]
    ln10 = np.log(10.0)
    assert mean[1] == mean[0] and mean[2] == mean[0]
    assert mean[3] - mean[0] == pytest.approx(ln10 * (C["sofR"] - C["sofS"]), abs=1e-12)
    assert mean[4] - mean[0] == pytest.approx(ln10 * (C["sofN"] - C["sofS"]), abs=1e-12)


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        BindiEtAl2014Rjb().get_mean_stds(_ctx(), [IMT("SA", 4.0)])
