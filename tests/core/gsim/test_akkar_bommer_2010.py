"""Behavioural tests of Akkar and Bommer (2010)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.akkar_bommer_2010 import AkkarBommer2010
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.2)]


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=800.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rake_boundaries_inclusive():
    mean = AkkarBommer2010().get_mean_stds(
        _ctx(rake=[0.0, 45.0, 135.0, -45.0, -135.0, 44.9]), IMTS)[0]
    C = AkkarBommer2010.COEFFS[IMT("PGA")]
    ln10 = np.log(10.0)
    for j, coef in [(1, "b10"), (2, "b10"), (3, "b9"), (4, "b9")]:
        assert mean[0, j] - mean[0, 0] == pytest.approx(ln10 * C[coef], abs=1e-12)
    assert mean[0, 5] == mean[0, 0]


def test_site_class_boundaries():
    mean = AkkarBommer2010().get_mean_stds(
        _ctx(vs30=[359.9, 360.0, 750.0, 750.1]), [IMT("PGA")])[0, 0]
    C = AkkarBommer2010.COEFFS[IMT("PGA")]
    ln10 = np.log(10.0)
    assert mean[0] - mean[3] == pytest.approx(ln10 * C["b7"], abs=1e-12)
    assert mean[1] - mean[3] == pytest.approx(ln10 * C["b8"], abs=1e-12)
    assert mean[2] == mean[1]


def test_sa_4s_divides_the_3s_ln_mean():
    mean = AkkarBommer2010().get_mean_stds(_ctx(), [IMT("SA", 3.0), IMT("SA", 4.0)])[0]
    np.testing.assert_allclose(mean[1], mean[0] / 0.8, rtol=1e-12)


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        AkkarBommer2010().get_mean_stds(_ctx(), [IMT("SA", 5.0)])
