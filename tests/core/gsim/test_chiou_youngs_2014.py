"""Behaviour of ChiouYoungs2014 and ChiouYoungs2014PEER at thresholds and limits."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.chiou_youngs_2014 import (REF_VS, ChiouYoungs2014,
                                                  ChiouYoungs2014PEER, mean_z1pt0)
from oqcore.hazard.imt import IMT, PGA, PGV, SA


def _ctx(n=1, **kw):
    cols = dict(mag=6.5, rake=0.0, dip=60.0, ztor=2.0, rrup=20.0, rjb=19.0, rx=-19.0,
                vs30=400.0, vs30measured=True, z1pt0=-999.0)
    cols.update(kw)
    return make_context(n, **cols)


def test_rake_30_is_reverse():
    # at M 8.5 E[Ztor] = 0 for every mechanism, and on reference rock the site terms
    # vanish, so the only difference is the reverse-faulting term c1a + c1c/cosh(8)
    gsim = ChiouYoungs2014()
    ctx = _ctx(2, mag=8.5, rake=[29.999, 30.0], vs30=REF_VS)
    mean = gsim.get_mean_stds(ctx, [SA(1.0)])[0, 0]
    C = gsim.COEFFS[SA(1.0)]
    assert mean[1] - mean[0] == pytest.approx(C["c1a"] + C["c1c"] / np.cosh(8.0), rel=1e-9)


def test_short_period_sa_floored_at_pga():
    gsim = ChiouYoungs2014()
    ctx = _ctx(3, vs30=[180.0, 760.0, 1500.0], rrup=[1.0, 50.0, 200.0])
    out = gsim.get_mean_stds(ctx, [PGA, SA(0.01), SA(0.3), SA(0.02)])[0]
    assert np.all(out[1:] >= out[0])
    assert np.array_equal(out[1], out[0])  # SA(0.01) never exceeds PGA here


def test_unknown_basin_depth_means_no_basin_term():
    gsim = ChiouYoungs2014()
    vs30 = np.array([200.0, 500.0])
    known = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=mean_z1pt0(vs30)), [PGV])
    unknown = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=-999.0), [PGV])
    np.testing.assert_allclose(unknown, known, rtol=1e-12)


def test_outside_period_range():
    with pytest.raises(UnknownIMT):
        ChiouYoungs2014().get_mean_stds(_ctx(), [SA(12.0)])


def test_peer_variant():
    ctx = _ctx(2)
    out = ChiouYoungs2014PEER().get_mean_stds(ctx, [PGA])
    ref = ChiouYoungs2014().get_mean_stds(ctx, [PGA])
    np.testing.assert_array_equal(out[0], ref[0])
    assert np.all(out[1] == 0.65)
    with pytest.raises(UnknownIMT):
        ChiouYoungs2014PEER().get_mean_stds(ctx, [IMT.from_string("SA(0.1)")])
