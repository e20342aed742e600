"""Behaviour of AbrahamsonSilva2008 at thresholds and limits."""
import numpy as np
import pytest

from oqcore.hazard.gsim.abrahamson_silva_2008 import AbrahamsonSilva2008
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import PGA, SA


def _ctx(n=1, **kw):
    cols = dict(mag=6.5, rake=0.0, dip=60.0, ztor=2.0, width=12.0, rrup=20.0, rjb=19.0,
                rx=-19.0, vs30=400.0, vs30measured=True, z1pt0=-999.0)
    cols.update(kw)
    return make_context(n, **cols)


def test_rake_thresholds_are_strict():
    gsim = AbrahamsonSilva2008()
    ctx = _ctx(5, rake=[0.0, 30.0, 150.0, -60.0, 90.0])
    mean = gsim.get_mean_stds(ctx, [SA(0.2)])[0, 0]
    np.testing.assert_allclose(mean[1:4], mean[0], rtol=1e-12)
    C = gsim.COEFFS[SA(0.2)]
    assert mean[4] - mean[0] == pytest.approx(C["a12"], rel=1e-9)


def test_pga1100_does_not_depend_on_site():
    # sigma derivative and non-linear term use PGA on 1100 m/s rock: for sites above
    # VLIN the stddevs must not depend on vs30 or z1pt0
    gsim = AbrahamsonSilva2008()
    ctx = _ctx(3, vs30=[1100.0, 1300.0, 1500.0], z1pt0=[10.0, 50.0, -999.0])
    out = gsim.get_mean_stds(ctx, [PGA])
    np.testing.assert_allclose(out[1:, 0], np.repeat(out[1:, 0, :1], 3, axis=1), rtol=1e-12)


def test_no_hanging_wall_at_rx_zero():
    gsim = AbrahamsonSilva2008()
    ctx = _ctx(3, mag=7.5, ztor=0.0, rjb=0.0, rrup=0.0, rx=[-1.0, 0.0, 1.0])
    mean = gsim.get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == mean[1]
    assert mean[2] > mean[1]


def test_outside_period_range():
    with pytest.raises(UnknownIMT):
        AbrahamsonSilva2008().get_mean_stds(_ctx(), [SA(11.0)])
