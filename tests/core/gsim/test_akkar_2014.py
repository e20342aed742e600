"""Behavioural tests of Akkar et al. (2014)."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.akkar_2014 import AkkarEtAlRhyp2014, AkkarEtAlRjb2014
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.3)]


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=20.0, rhypo=25.0, vs30=400.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rake_boundaries_are_strike_slip():
    rakes = [0.0, 45.0, 135.0, -45.0, -135.0, 90.0, -90.0]
    # at vs30 = Vref the site term vanishes, so the rake term is seen alone
    mean = AkkarEtAlRjb2014().get_mean_stds(_ctx(rake=rakes, vs30=750.0), IMTS)[0]
    for j in range(1, 5):
        np.testing.assert_array_equal(mean[:, j], mean[:, 0])
    C = AkkarEtAlRjb2014.COEFFS[IMT("PGA")]
    assert mean[0, 5] - mean[0, 0] == pytest.approx(C["a9"], abs=1e-12)
    assert mean[0, 6] - mean[0, 0] == pytest.approx(C["a8"], abs=1e-12)


def test_site_term_continuous_at_vref_and_constant_above_vcon():
    mean = AkkarEtAlRjb2014().get_mean_stds(
        _ctx(vs30=[750.0 - 1e-9, 750.0, 750.0 + 1e-9, 1000.0, 1500.0]), IMTS)[0]
    np.testing.assert_allclose(mean[:, 0], mean[:, 1], rtol=1e-9)
    np.testing.assert_allclose(mean[:, 2], mean[:, 1], rtol=1e-9)
    np.testing.assert_array_equal(mean[:, 3], mean[:, 4])


def test_nonlinear_site_term_depends_on_pga_ref():
    # same vs30, stronger rock motion: smaller amplification below Vref
    gsim = AkkarEtAlRjb2014()
    soft = gsim.get_mean_stds(_ctx(rjb=[1.0, 1.0], vs30=[200.0, 750.0]), IMTS)[0]
    far = gsim.get_mean_stds(_ctx(rjb=[100.0, 100.0], vs30=[200.0, 750.0]), IMTS)[0]
    amp_near = soft[0, 0] - soft[0, 1]
    amp_far = far[0, 0] - far[0, 1]
    assert amp_near < amp_far


def test_stddevs_and_adjustment_factor():
    ctx = _ctx()
    base = AkkarEtAlRhyp2014().get_mean_stds(ctx, [IMT("PGA")])
    np.testing.assert_allclose(base[1:, 0, 0], [np.hypot(0.6475, 0.3472), 0.3472, 0.6475])
    adj = AkkarEtAlRhyp2014(adjustment_factor=2.0).get_mean_stds(ctx, [IMT("PGA")])
    assert adj[0, 0, 0] - base[0, 0, 0] == pytest.approx(np.log(2.0))
    with pytest.raises(InvalidInput):
        AkkarEtAlRjb2014(foo=1)


def test_imt_outside_table():
    with pytest.raises(UnknownIMT):
        AkkarEtAlRjb2014().get_mean_stds(_ctx(), [IMT("SA", 4.5)])
