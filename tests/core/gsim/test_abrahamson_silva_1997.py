"""Behaviour of AbrahamsonSilva1997 at its thresholds."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.abrahamson_silva_1997 import AbrahamsonSilva1997
from oqcore.hazard.imt import IMT

PGA = IMT("PGA")


def test_vs30_600_is_rock():
    ctx = make_context(3, mag=6.0, rake=0.0, rrup=10.0, vs30=[600.0, 1500.0, 599.9])
    mean = AbrahamsonSilva1997().get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == mean[1] and mean[2] != mean[0]


def test_reverse_bounds_inclusive_and_hanging_wall_cut_beyond_24km():
    gsim = AbrahamsonSilva1997()
    c = gsim.COEFFS[PGA]
    rake = [0.0, 45.0, 135.0, 0.0, 45.0]
    rrup = [10.0, 10.0, 10.0, 24.5, 24.5]
    ctx = make_context(5, mag=7.0, rake=rake, rrup=rrup, vs30=1000.0)
    mean = gsim.get_mean_stds(ctx, [PGA])[0, 0]
    # rrup 10 km: f3 = a6 (M >= c1) plus the full hanging-wall term a9
    assert mean[1] - mean[0] == pytest.approx(c["a6"] + c["a9"], rel=1e-12)
    assert mean[2] == mean[1]
    # beyond 24 km only the style-of-faulting term remains
    assert mean[4] - mean[3] == pytest.approx(c["a6"], rel=1e-12)


def test_period_outside_table_rejected():
    ctx = make_context(1, mag=6.0, rake=0.0, rrup=10.0, vs30=760.0)
    with pytest.raises(UnknownIMT):
        AbrahamsonSilva1997().get_mean_stds(ctx, [IMT("SA", 6.0)])
    assert np.isfinite(AbrahamsonSilva1997().get_mean_stds(ctx, [IMT("SA", 4.5)])).all()
