"""Behaviour of Idriss2014 at its thresholds."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.idriss_2014 import Idriss2014
from oqcore.hazard.imt import IMT

PGA = IMT("PGA")


def test_vs30_capped_at_1200():
    ctx = make_context(3, mag=6.0, rake=0.0, rrup=10.0, vs30=[1200.0, 2000.0, 1000.0])
    mean = Idriss2014().get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == mean[1] and mean[2] != mean[0]


def test_reverse_is_strict_and_mag_675_uses_high_set():
    ctx = make_context(3, mag=6.75, rake=[30.0, 31.0, 150.0], rrup=10.0, vs30=760.0)
    mean = Idriss2014().get_mean_stds(ctx, [PGA])[0, 0]
    assert mean[0] == mean[2] and mean[1] > mean[0]
    c = Idriss2014.COEFFS[PGA]
    expected = (c["a1_hi"] + c["a2_hi"] * 6.75 + c["a3"] * 1.75 ** 2
                - (c["b1_hi"] + c["b2_hi"] * 6.75) * np.log(20.0)
                + c["xi"] * np.log(760.0) + c["gamma"] * 10.0)
    assert mean[0] == pytest.approx(expected, rel=1e-12)


def test_sigma_floor_magnitude_and_pgv_rejected():
    ctx = make_context(2, mag=[4.0, 5.0], rake=0.0, rrup=10.0, vs30=760.0)
    sig = Idriss2014().get_mean_stds(ctx, [PGA])[1, 0]
    assert sig[0] == sig[1]
    with pytest.raises(UnknownIMT):
        Idriss2014().get_mean_stds(ctx, [IMT("PGV")])
