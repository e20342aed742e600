"""Behaviour of the Cauzzi et al. (2014) model beyond the verification table."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.cauzzi_2014 import CauzziEtAl2014
from oqcore.hazard.imt import IMT

PGA = IMT("PGA")


def _out(imts, **columns):
    n = max(np.size(v) for v in columns.values())
    base = dict(mag=6.0, rake=0.0, rrup=20.0, vs30=500.0)
    base.update(columns)
    return CauzziEtAl2014().get_mean_stds(make_context(n, **base), imts)


def test_pga_equals_sa_at_0_01_s():
    out = _out([PGA, IMT("SA", 0.01)], mag=[4.0, 8.5], rrup=[0.0, 500.0])
    np.testing.assert_array_equal(out[:, 0], out[:, 1])


def test_style_of_faulting_bounds():
    C = CauzziEtAl2014.COEFFS[PGA]
    rake = [0.0, -150.0, -149.9, -30.0, -29.9, 30.0, 30.1, 150.0, 150.1, 180.0]
    mean = _out([PGA], rake=rake)[0, 0]
    fss, fn, fr = C["fSS"], C["fN"], C["fR"]
    expected = np.array([fss, fss, fn, fn, fss, fss, fr, fr, fss, fss]) * np.log(10.0)
    np.testing.assert_allclose(mean - mean[0], expected - expected[0], atol=1e-12)


@pytest.mark.parametrize("imt", [IMT("SA", 0.005), IMT("SA", 10.5)])
def test_periods_outside_table_raise(imt):
    with pytest.raises(UnknownIMT):
        _out([imt], mag=6.0)
