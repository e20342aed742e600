"""Behaviour of KothaEtAl2020 at its thresholds."""
import math

import numpy as np
import pytest

from oqcore.hazard.gsim.base import G_ACCEL, UnknownIMT, make_context
from oqcore.hazard.gsim.kotha_2020 import KothaEtAl2020, pseudo_depth
from oqcore.hazard.imt import IMT

PGA = IMT("PGA")


def test_pseudo_depth_boundaries():
    h = pseudo_depth(np.array([0.0, 10.0, 10.01, 20.0, 20.01, 300.0]))
    np.testing.assert_array_equal(h, [4.0, 4.0, 8.0, 8.0, 12.0, 12.0])


def test_reference_distance_and_units():
    # at M = Mh and R = Rref the median is exp(e1) in cm/s^2 (PGA) or cm/s (PGV)
    ctx = make_context(1, mag=5.7, hypo_depth=5.0, rjb=30.0)
    mean = KothaEtAl2020().get_mean_stds(ctx, [PGA, IMT("PGV")])[0, :, 0]
    assert mean[0] == pytest.approx(KothaEtAl2020.COEFFS[PGA]["e1"] - math.log(100 * G_ACCEL))
    assert mean[1] == pytest.approx(KothaEtAl2020.COEFFS[IMT("PGV")]["e1"])


def test_period_outside_table_rejected():
    ctx = make_context(1, mag=5.0, hypo_depth=5.0, rjb=10.0)
    with pytest.raises(UnknownIMT):
        KothaEtAl2020().get_mean_stds(ctx, [IMT("SA", 10.0)])
