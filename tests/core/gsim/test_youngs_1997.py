"""Behavioural tests of Youngs et al. (1997)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.youngs_1997 import YoungsEtAl1997SInter, YoungsEtAl1997SSlab
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("SA", 1.0)]


def _ctx(**kw):
    cols = dict(mag=7.0, hypo_depth=30.0, rrup=50.0, vs30=800.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rock_from_760_inclusive():
    gsim = YoungsEtAl1997SInter()
    mean = gsim.get_mean_stds(_ctx(vs30=[760.0, 1500.0, 759.9]), IMTS)[0]
    np.testing.assert_array_equal(mean[:, 0], mean[:, 1])
    assert np.all(mean[:, 2] != mean[:, 0])


def test_sigma_stops_decreasing_at_m8():
    sig = YoungsEtAl1997SInter().get_mean_stds(_ctx(mag=[8.0, 8.5, 7.0]), IMTS)[1]
    np.testing.assert_array_equal(sig[:, 0], sig[:, 1])
    np.testing.assert_allclose(sig[0], [1.45 - 0.8, 1.45 - 0.8, 1.45 - 0.7])


def test_intraslab_term():
    ctx = _ctx(vs30=[800.0, 300.0])
    inter = YoungsEtAl1997SInter().get_mean_stds(ctx, IMTS)[0]
    slab = YoungsEtAl1997SSlab().get_mean_stds(ctx, IMTS)[0]
    np.testing.assert_allclose(slab - inter, [[0.3846, 0.3643]] * 2, rtol=1e-12)


def test_rock_4s_ln_mean_divided():
    # the rock 4 s row repeats 3 s: the reference divides the ln-mean by 0.399
    gsim = YoungsEtAl1997SInter()
    mean = gsim.get_mean_stds(_ctx(), [IMT("SA", 3.0), IMT("SA", 4.0)])[0]
    np.testing.assert_allclose(mean[1], mean[0] / 0.399, rtol=1e-12)


def test_imt_outside_table():
    with pytest.raises(UnknownIMT):
        YoungsEtAl1997SInter().get_mean_stds(_ctx(), [IMT("SA", 0.05)])
