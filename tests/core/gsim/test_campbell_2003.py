"""Behaviour of the Campbell (2003) model beyond the verification table."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.campbell_2003 import Campbell2003
from oqcore.hazard.imt import IMT


def test_sigma_constant_from_m_7_16_inclusive():
    ctx = make_context(3, mag=[7.15, 7.16, 8.5], rrup=10.0)
    sig = Campbell2003().get_mean_stds(ctx, [IMT("PGA")])[1, 0]
    np.testing.assert_allclose(sig, [1.03 - 0.086 * 7.15, 0.414, 0.414], rtol=1e-12)


def test_mean_not_capped():
    # OpenQuake caps the mean only in the NSHMP 2008 variants: here SA(0.03)
    # at short distance from a large event exceeds 3 g
    ctx = make_context(1, mag=8.0, rrup=0.0)
    mean = Campbell2003().get_mean_stds(ctx, [IMT("SA", 0.03)])[0, 0, 0]
    assert np.exp(mean) > 3.0


def test_distance_term_continuous_at_hinges():
    eps = 1e-9
    ctx = make_context(4, mag=6.0, rrup=[70.0, 70.0 + eps, 130.0, 130.0 + eps])
    mean = Campbell2003().get_mean_stds(ctx, [IMT("PGA"), IMT("SA", 1.0)])[0]
    np.testing.assert_allclose(mean[:, 0], mean[:, 1], rtol=1e-7)
    np.testing.assert_allclose(mean[:, 2], mean[:, 3], rtol=1e-7)
    assert np.all(np.isfinite(Campbell2003().get_mean_stds(
        make_context(1, mag=4.0, rrup=0.0), [IMT("PGA")])))


@pytest.mark.parametrize("imt", [IMT("PGV"), IMT("SA", 0.01), IMT("SA", 5.0)])
def test_unsupported_imts_raise(imt):
    with pytest.raises(UnknownIMT):
        Campbell2003().get_mean_stds(make_context(1, mag=6.0, rrup=10.0), [imt])
