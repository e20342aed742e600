"""Behavioural tests of Atkinson and Boore (2003)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.atkinson_boore_2003 import (AtkinsonBoore2003SInter,
                                                    AtkinsonBoore2003SSlab)
from oqcore.hazard.gsim.base import G_ACCEL, UnknownIMT, make_context
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("SA", 0.2), IMT("SA", 1.0)]


def _mean(gsim, **kw):
    cols = dict(mag=7.0, hypo_depth=30.0, rrup=50.0, vs30=500.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return gsim.get_mean_stds(make_context(n, **cols), IMTS)[0]


def test_depth_clipped_at_100km():
    gsim = AtkinsonBoore2003SSlab()
    deep = _mean(gsim, hypo_depth=[100.0, 180.0])
    np.testing.assert_array_equal(deep[:, 0], deep[:, 1])
    assert not np.allclose(_mean(gsim, hypo_depth=99.0), deep[:, :1])


@pytest.mark.parametrize("cls, cap", [(AtkinsonBoore2003SInter, 8.5),
                                      (AtkinsonBoore2003SSlab, 8.0)])
def test_magnitude_clipped(cls, cap):
    m = _mean(cls(), mag=[cap, cap + 0.3, cap - 0.1])
    np.testing.assert_array_equal(m[:, 0], m[:, 1])
    assert np.all(m[:, 2] != m[:, 0])  # below the cap magnitude still matters


def test_vs30_360_is_class_d():
    # soft rock far away: PGA on rock < 100 cm/s², so sl = 1 and class D
    # amplification is c6 for any 180 <= vs30 <= 360
    m = _mean(AtkinsonBoore2003SInter(), rrup=200.0, vs30=[360.0, 200.0, 361.0])
    np.testing.assert_array_equal(m[:, 0], m[:, 1])
    assert np.all(m[:, 2] != m[:, 0])


def test_interface_erratum_combines_02_and_04_rows():
    gsim = AtkinsonBoore2003SInter()
    ctx = make_context(1, mag=6.5, hypo_depth=20.0, rrup=40.0, vs30=800.0)
    C02, C04 = gsim.COEFFS[IMT("SA", 0.2)], gsim.COEFFS[IMT("SA", 0.4)]
    args = (ctx.mag, ctx.hypo_depth, ctx.rrup)
    ln02 = (gsim._log_rock(C02, *args) * np.log(10) + np.log(1e-2 / G_ACCEL))
    ln04 = (gsim._log_rock(C04, *args) * np.log(10) + np.log(1e-2 / G_ACCEL))
    got = gsim.get_mean_stds(ctx, [IMT("SA", 0.2), IMT("SA", 0.4)])[0][:, 0]
    np.testing.assert_allclose(got, [0.333 * ln02[0] + 0.667 * ln04[0],
                                     0.667 * ln02[0] + 0.333 * ln04[0]], rtol=1e-9)


def test_imt_outside_table():
    ctx = make_context(1, mag=6.0, hypo_depth=20.0, rrup=40.0, vs30=800.0)
    with pytest.raises(UnknownIMT):
        AtkinsonBoore2003SInter().get_mean_stds(ctx, [IMT("SA", 5.0)])
    with pytest.raises(UnknownIMT):
        AtkinsonBoore2003SInter().get_mean_stds(ctx, [IMT("PGV")])
