"""Behaviour of the Cauzzi and Faccioli (2008) model beyond the verification table."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.cauzzi_faccioli_2008 import CauzziFaccioli2008
from oqcore.hazard.imt import IMT

PGA, PGV = IMT("PGA"), IMT("PGV")


def _mean(imt=PGA, **columns):
    n = max(np.size(v) for v in columns.values())
    base = dict(mag=6.0, rake=0.0, rhypo=20.0, vs30=500.0)
    base.update(columns)
    return CauzziFaccioli2008().get_mean_stds(make_context(n, **base), [imt])[0, 0]


def test_hypocentral_distance_floored_at_15_km():
    mean = _mean(rhypo=[0.0, 10.0, 15.0, 15.1])
    assert mean[0] == mean[1] == mean[2] > mean[3]


def test_site_class_boundaries():
    C = CauzziFaccioli2008.COEFFS[PGA]
    mean = _mean(vs30=[1000.0, 800.0, 799.9, 360.0, 359.9, 180.0, 179.9])
    terms = np.array([0, 0, C["aB"], C["aB"], C["aC"], C["aC"], C["aD"]])
    np.testing.assert_allclose(mean - mean[0], terms * np.log(10.0), atol=1e-12)


def test_faulting_bounds():
    C = CauzziFaccioli2008.COEFFS[PGA]
    mean = _mean(rake=[0.0, -120.0, -119.9, -60.0, -59.9, 30.0, 30.1, 150.0, 150.1])
    a_s, a_n, a_r = C["aS"], C["aN"], C["aR"]
    terms = np.array([a_s, a_s, a_n, a_n, a_s, a_s, a_r, a_r, a_s])
    np.testing.assert_allclose(mean - mean[0], (terms - a_s) * np.log(10.0), atol=1e-12)


def test_pgv_in_cm_per_s():
    C = CauzziFaccioli2008.COEFFS[PGV]
    mean = _mean(PGV, mag=6.0, rhypo=100.0, vs30=1000.0, rake=0.0)
    log10 = C["a1"] + 6.0 * C["a2"] + 2.0 * C["a3"] + C["aS"]
    np.testing.assert_allclose(mean, log10 * np.log(10.0), rtol=1e-12)


@pytest.mark.parametrize("imt", [IMT("SA", 0.01), IMT("SA", 22.0)])
def test_periods_outside_table_raise(imt):
    with pytest.raises(UnknownIMT):
        _mean(imt, mag=6.0)
