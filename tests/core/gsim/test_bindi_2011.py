"""Behavioural tests of Bindi et al. (2011)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.bindi_2011 import BindiEtAl2011
from oqcore.hazard.imt import IMT


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=800.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_ec8_site_class_boundaries():
    mean = BindiEtAl2011().get_mean_stds(
        _ctx(vs30=[800.0, 799.9, 360.0, 359.9, 180.0, 179.9]), [IMT("PGA")])[0, 0]
    C = BindiEtAl2011.COEFFS[IMT("PGA")]
    ln10 = np.log(10.0)
    diffs = mean - mean[0]
    expected = ln10 * np.array([0.0, C["sB"], C["sB"], C["sC"], C["sC"], C["sD"]])
    np.testing.assert_allclose(diffs, expected, atol=1e-12)


def test_rake_boundaries():
    mean = BindiEtAl2011().get_mean_stds(
        _ctx(rake=[30.0, 150.0, -30.0, 30.1, -30.1]), [IMT("PGA")])[0, 0]
    C = BindiEtAl2011.COEFFS[IMT("PGA")]
    ln10 = np.log(10.0)
    assert mean[1] == mean[0] and mean[2] == mean[0]
    assert mean[3] - mean[0] == pytest.approx(ln10 * (C["f2"] - C["f3"]), abs=1e-12)
    assert mean[4] - mean[0] == pytest.approx(ln10 * (C["f1"] - C["f3"]), abs=1e-12)


def test_no_magnitude_scaling_above_hinge_at_fixed_distance_term():
    # b3 = 0: above Mh only the distance term's magnitude dependence remains
    C = BindiEtAl2011.COEFFS[IMT("PGV")]
    mean = BindiEtAl2011().get_mean_stds(_ctx(mag=[7.0, 8.0], rjb=0.0), [IMT("PGV")])[0, 0]
    expected = np.log(10.0) * C["c2"] * 1.0 * np.log10(C["h"])
    assert mean[1] - mean[0] == pytest.approx(expected, abs=1e-12)


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        BindiEtAl2011().get_mean_stds(_ctx(), [IMT("SA", 0.02)])
