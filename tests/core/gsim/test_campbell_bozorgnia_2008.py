"""Behaviour of CampbellBozorgnia2008 at its thresholds."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.campbell_bozorgnia_2008 import CampbellBozorgnia2008
from oqcore.hazard.imt import IMT

PGA, SA01 = IMT("PGA"), IMT("SA", 0.1)


def _ctx(n=1, **kw):
    args = dict(mag=6.5, rake=0.0, dip=90.0, ztor=2.0, rrup=20.0, rjb=20.0,
                vs30=400.0, z2pt5=2.0)
    args.update(kw)
    return make_context(n, **args)


def test_rake_30_and_150_are_strike_slip():
    gsim = CampbellBozorgnia2008()
    means = gsim.get_mean_stds(_ctx(4, rake=[0.0, 30.0, 150.0, 31.0]), [PGA])[0, 0]
    assert means[1] == means[0] and means[2] == means[0]
    assert means[3] != means[0]


def test_short_period_sa_floored_at_pga():
    gsim = CampbellBozorgnia2008()
    # a soft site close to a moderate event: non-linearity would push SA(0.02) below PGA
    ctx = _ctx(1, mag=5.53, rake=134.8, dip=43.5, ztor=1.64, rrup=1.6832, rjb=0.0,
               vs30=185.4, z2pt5=2.8173)
    pga, sa = gsim.get_mean_stds(ctx, [PGA, IMT("SA", 0.02)])[0]
    assert sa[0] == pga[0]


def test_unknown_z2pt5_uses_default():
    gsim = CampbellBozorgnia2008()
    vs30 = 500.0
    z1 = np.exp(28.5 - 3.82 / 8.0 * np.log(vs30 ** 8 + 378.7 ** 8))
    z25 = (519.0 + 3.595 * z1) / 1000.0
    ctx = _ctx(2, vs30=vs30, z2pt5=[-999.0, z25])
    out = gsim.get_mean_stds(ctx, [PGA, SA01])
    np.testing.assert_allclose(out[:, :, 0], out[:, :, 1], rtol=1e-12)


def test_cav_and_pgd_computable_and_long_period_rejected():
    gsim = CampbellBozorgnia2008()
    out = gsim.get_mean_stds(_ctx(), [IMT("CAV"), IMT("PGD")])
    assert np.isfinite(out).all()
    with pytest.raises(UnknownIMT):
        gsim.get_mean_stds(_ctx(), [IMT("SA", 12.0)])
