"""Behaviour of AbrahamsonEtAl2014 at thresholds and limits."""
import numpy as np
import pytest

from oqcore.hazard.gsim.abrahamson_2014 import AbrahamsonEtAl2014, z1pt0_ref
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import PGA, PGV, SA


def _ctx(n=1, **kw):
    cols = dict(mag=6.5, rake=0.0, dip=45.0, ztor=2.0, width=12.0, rrup=20.0, rjb=19.0,
                rx=-19.0, ry0=0.0, vs30=400.0, vs30measured=True, z1pt0=-999.0)
    cols.update(kw)
    return make_context(n, **cols)


def test_hanging_wall_strictly_positive_rx():
    gsim = AbrahamsonEtAl2014()
    ctx = _ctx(3, mag=7.0, ztor=0.0, rjb=0.0, rrup=0.0, rx=[-5.0, 0.0, 1e-6], vs30=1180.0)
    mean = gsim.get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == mean[1]
    # just onto the hanging wall T3 = h1 = 0.25, T2 = 1.1, T1 = T4 = T5 = 1 (linear site)
    C = gsim.COEFFS[PGA]
    assert mean[2] - mean[1] == pytest.approx(C["a13"] * 0.25 * 1.1, rel=1e-4)


def test_no_hanging_wall_for_vertical_fault():
    gsim = AbrahamsonEtAl2014()
    ctx = _ctx(2, mag=7.0, dip=90.0, rx=[-1.0, 1.0])
    mean = gsim.get_mean_stds(ctx, [SA(0.5)])[0, 0]
    assert mean[0] == mean[1]


def test_negative_z1pt0_is_reference_depth():
    gsim = AbrahamsonEtAl2014()
    vs30 = np.array([200.0, 450.0])
    ref = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=1000.0 * z1pt0_ref(vs30)), [PGV])
    for z in (-999.0, -1.0):
        out = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=z), [PGV])
        np.testing.assert_allclose(out, ref, rtol=1e-12)


def test_rock_site_linear():
    # above Vlin the site response is linear: stddevs do not depend on vs30
    gsim = AbrahamsonEtAl2014()
    out = gsim.get_mean_stds(_ctx(2, vs30=[1180.0, 1400.0]), [SA(0.2)])
    np.testing.assert_array_equal(out[1:, 0, 0], out[1:, 0, 1])


def test_outside_period_range():
    with pytest.raises(UnknownIMT):
        AbrahamsonEtAl2014().get_mean_stds(_ctx(), [SA(15.0)])
