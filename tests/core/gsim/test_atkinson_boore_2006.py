"""Behaviour of the Atkinson and Boore (2006) models beyond the verification tables."""
import numpy as np
import pytest

from oqcore.hazard.gsim.atkinson_boore_2006 import (
    AtkinsonBoore2006, AtkinsonBoore2006Modified2011)
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.2), IMT("SA", 1.0)]


def _mean(gsim, **columns):
    n = max(np.size(v) for v in columns.values())
    return gsim.get_mean_stds(make_context(n, **columns), IMTS)[0]


def test_rupture_distance_floored_at_1_km():
    mean = _mean(AtkinsonBoore2006(), mag=6.0, rrup=[0.0, 0.5, 1.0, 2.0], vs30=400.0)
    np.testing.assert_array_equal(mean[:, 0], mean[:, 2])
    np.testing.assert_array_equal(mean[:, 1], mean[:, 2])
    assert np.all(mean[:, 3] < mean[:, 2])


def test_hard_rock_from_2000_inclusive():
    # hard-rock sites have no site term: vs30 = 2000 and 3000 give the same motion
    mean = _mean(AtkinsonBoore2006(), mag=5.5, rrup=20.0, vs30=[1999.0, 2000.0, 3000.0])
    np.testing.assert_array_equal(mean[:, 1], mean[:, 2])
    assert np.all(mean[:, 0] != mean[:, 1])


def test_site_term_vanishes_at_760():
    # at vs30 = 760 the B/C motion is returned unchanged: PGA(760) is the
    # B/C PGA and doubles as the non-linear driver
    gsim = AtkinsonBoore2006()
    ctx = make_context(1, mag=6.0, rrup=15.0, vs30=760.0)
    C = AtkinsonBoore2006.COEFFS_BC[IMT("PGA")]
    r = 15.0
    # 10 < r < 70 km: f0 = f2 = 0, f1 = log10(r)
    log10_pga = (C["c1"] + C["c2"] * 6 + C["c3"] * 36 + (C["c4"] + C["c5"] * 6)
                 * np.log10(r) + C["c10"] * r)
    expected = log10_pga * np.log(10) + np.log(1e-2 / 9.80665)
    got = gsim.get_mean_stds(ctx, [IMT("PGA")])[0, 0, 0]
    assert got == pytest.approx(expected, rel=1e-12)


def test_modified_2011_equals_2006_at_140_bars():
    mag_140 = (3.45 - np.log10(140.0)) / 0.2  # stress of AB11 equation (6) is 140 bars
    cols = dict(mag=mag_140, rrup=[1.0, 30.0, 300.0], vs30=[250.0, 760.0, 2500.0])
    np.testing.assert_allclose(_mean(AtkinsonBoore2006Modified2011(), **cols),
                               _mean(AtkinsonBoore2006(), **cols), rtol=1e-12)


def test_modified_2011_stress_constant_below_m5():
    # AB11: below M 5 the stress stays at 10^2.45 bars; the difference from AB06 is
    # the stress adjustment of equation (6) scaled by log(stress / 140) / log 2
    imt = IMT("SA", 0.04)
    mags = np.array([4.0, 4.5, 5.0, 6.0])
    ctx = make_context(4, mag=mags, rrup=50.0, vs30=2500.0)
    diff = (AtkinsonBoore2006Modified2011().get_mean_stds(ctx, [imt])[0, 0]
            - AtkinsonBoore2006().get_mean_stds(ctx, [imt])[0, 0]) / np.log(10)
    SC = AtkinsonBoore2006.COEFFS_STRESS[imt]
    stress = 10 ** (3.45 - 0.2 * np.array([5.0, 5.0, 5.0, 6.0]))
    scale = np.log10(stress / 140.0) / np.log10(2.0)
    ramp = np.minimum(SC["delta"] + 0.05,
                      0.05 + SC["delta"] * (mags - SC["M1"]) / (SC["Mh"] - SC["M1"]))
    np.testing.assert_allclose(diff, scale * ramp, rtol=1e-9)


@pytest.mark.parametrize("imt", [IMT("SA", 0.01), IMT("SA", 10.0)])
def test_periods_outside_tables_raise(imt):
    ctx = make_context(1, mag=6.0, rrup=10.0, vs30=760.0)
    with pytest.raises(UnknownIMT):
        AtkinsonBoore2006().get_mean_stds(ctx, [imt])
