"""Behaviour of CampbellBozorgnia2014 at its thresholds."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.campbell_bozorgnia_2014 import CampbellBozorgnia2014, z2pt5_default
from oqcore.hazard.imt import IMT

PGA, SA1 = IMT("PGA"), IMT("SA", 1.0)


def _ctx(n=1, **kw):
    args = dict(mag=7.0, rake=90.0, dip=45.0, ztor=2.0, width=15.0, hypo_depth=8.0,
                rrup=10.0, rjb=5.0, rx=5.0, vs30=400.0, z2pt5=2.0)
    args.update(kw)
    return make_context(n, **args)


def test_footwall_has_no_hanging_wall_term():
    gsim = CampbellBozorgnia2014()
    means = gsim.get_mean_stds(_ctx(3, rx=[-1.0, -30.0, 0.0]), [SA1])[0, 0]
    assert means[0] == means[1]
    assert means[2] > means[0]  # rx = 0 is on the hanging wall


def test_rock_motion_independent_of_site():
    # vs30 above k1: no non-linearity, so the stddevs do not depend on vs30
    gsim = CampbellBozorgnia2014()
    out = gsim.get_mean_stds(_ctx(2, vs30=[900.0, 1500.0]), [PGA])
    assert out[1, 0, 0] == out[1, 0, 1]
    soft = gsim.get_mean_stds(_ctx(1, vs30=200.0), [PGA])
    assert soft[1, 0, 0] != out[1, 0, 0]


def test_unknown_z2pt5_uses_default():
    gsim = CampbellBozorgnia2014()
    ctx = _ctx(2, vs30=300.0, z2pt5=[-999.0, float(z2pt5_default(300.0))])
    out = gsim.get_mean_stds(ctx, [PGA, SA1])
    np.testing.assert_allclose(out[:, :, 0], out[:, :, 1], rtol=1e-12)


def test_cav_ia_finite_and_pgd_rejected():
    gsim = CampbellBozorgnia2014()
    out = gsim.get_mean_stds(_ctx(2, vs30=[200.0, 800.0]), [IMT("CAV"), IMT("IA")])
    assert np.isfinite(out).all()
    with pytest.raises(UnknownIMT):
        gsim.get_mean_stds(_ctx(), [IMT("PGD")])


def test_coeffs_argument_is_checked():
    from oqcore.errors import InvalidInput
    for bad, words in [({"SA(0.33)": {"c0": 1.0}}, "not a row"),
                       ({"PGA": {"zz": 1.0}}, "unknown coefficient 'zz'"),
                       ({"PGA": {"c0": "x"}}, "must be a number"),
                       ({"XYZ": {"c0": 1.0}}, "invalid IMT"),
                       ("c0", "must be a table")]:
        with pytest.raises(InvalidInput, match=words):
            CampbellBozorgnia2014(coeffs=bad)
    gsim = CampbellBozorgnia2014(coeffs={"PGA": {"c0": -4.0}})
    assert gsim.COEFFS[IMT("PGA")]["c0"] == -4.0
    assert CampbellBozorgnia2014.COEFFS[IMT("PGA")]["c0"] != -4.0   # the class table is kept
