"""Helpers of the aelo calculator: relevant-source rates, truncated exceedance,
governing spectrum."""
import numpy as np
import pytest
from scipy.stats import norm

from oqplugins.calculators.aelo import (exceedance_fraction, governing_spectrum,
                                        source_rates_at)


def test_exceedance_fraction_truncated():
    assert exceedance_fraction(np.array([3.5]), 3.0)[0] == 0.0
    assert exceedance_fraction(np.array([-3.5]), 3.0)[0] == 1.0
    assert exceedance_fraction(np.array([0.0]), 3.0)[0] == pytest.approx(0.5)
    assert exceedance_fraction(np.array([1.0]), 0)[0] == pytest.approx(norm.sf(1.0))


def test_source_rates_at():
    levels = np.array([0.1, 0.2, 0.4])
    rates = np.array([[1e-2, 0.0], [1e-3, 0.0], [1e-4, 0.0]])
    got = source_rates_at(levels, rates, np.sqrt(0.1 * 0.2))
    assert got[0] == pytest.approx(np.sqrt(1e-2 * 1e-3)) and got[1] == 0.0
    assert source_rates_at(levels, rates, 1.0)[0] == 0.0   # above the last level
    assert source_rates_at(levels, rates, 0.0)[0] == 0.0


def test_governing_spectrum():
    rec = [dict(custom_site_id="abc:D", period=0.2, imt="SA(0.2)", MCE=0.5),
           dict(custom_site_id="abc:C", period=0.2, imt="SA(0.2)", MCE=0.7),
           dict(custom_site_id="abc:D", period=1.0, imt="SA(1.0)", MCE=0.3)]
    assert governing_spectrum(rec) == [
        dict(custom_site_id="abc", period=0.2, imt="SA(0.2)", SaM=0.7),
        dict(custom_site_id="abc", period=1.0, imt="SA(1.0)", SaM=0.3)]
