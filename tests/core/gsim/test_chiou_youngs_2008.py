"""Behaviour of ChiouYoungs2008 at thresholds and limits."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.chiou_youngs_2008 import ChiouYoungs2008, default_z1pt0
from oqcore.hazard.imt import PGA, PGV, SA


def _ctx(n=1, **kw):
    cols = dict(mag=6.5, rake=0.0, dip=60.0, ztor=2.0, rrup=20.0, rjb=19.0, rx=-19.0,
                vs30=400.0, vs30measured=True, z1pt0=-999.0)
    cols.update(kw)
    return make_context(n, **cols)


def test_normal_faulting_bounds_inclusive():
    gsim = ChiouYoungs2008()
    ctx = _ctx(4, rake=[-120.0, -60.0, -59.999, 0.0])
    mean = gsim.get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == pytest.approx(mean[1], rel=1e-12)
    assert mean[2] == pytest.approx(mean[3], rel=1e-12)
    assert mean[0] < mean[3]  # c1b < 0


def test_unknown_z1pt0_uses_cy08_relation():
    gsim = ChiouYoungs2008()
    vs30 = np.array([180.0, 360.0, 760.0])
    known = gsim.get_mean_stds(_ctx(3, vs30=vs30, z1pt0=default_z1pt0(vs30)), [PGV, SA(3.0)])
    unknown = gsim.get_mean_stds(_ctx(3, vs30=vs30, z1pt0=-999.0), [PGV, SA(3.0)])
    np.testing.assert_allclose(unknown, known, rtol=1e-12)


def test_measured_vs30_reduces_intra_event_sigma():
    out = ChiouYoungs2008().get_mean_stds(_ctx(2, vs30measured=[True, False]), [PGA])
    assert out[3, 0, 0] < out[3, 0, 1]
    assert out[2, 0, 0] == out[2, 0, 1]


def test_outside_period_range():
    with pytest.raises(UnknownIMT):
        ChiouYoungs2008().get_mean_stds(_ctx(), [SA(0.005)])
