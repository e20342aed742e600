"""The USGS adjustments shared by the NGA-West2 models (oqcore/hazard/gsim/nga_west2_usgs.py)
and the checks of their arguments; the values are covered by the verification tables."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.abrahamson_2014 import AbrahamsonEtAl2014
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.boore_2014 import BooreEtAl2014
from oqcore.hazard.gsim.campbell_bozorgnia_2014 import CampbellBozorgnia2014
from oqcore.hazard.gsim.chiou_youngs_2014 import ChiouYoungs2014
from oqcore.hazard.gsim.nga_west2_usgs import (cybershake_coeffs, epistemic_sigma,
                                               z1pt0_basin_factor)
from oqcore.hazard.imt import IMT


def test_epistemic_sigma_bins():
    mag = np.array([4.0, 5.0, 5.99, 6.0, 6.5, 7.0, 8.0, 5.5, 5.5])
    rrup = np.array([50.0, 10.0, 10.01, 29.99, 30.0, 5.0, 30.0, 10.0, 30.0])
    expected = 0.4 * np.sqrt(2.0 / np.array([4, 11, 38, 7, 13, 2, 4, 11, 94]))
    np.testing.assert_allclose(epistemic_sigma(mag, rrup), expected, rtol=1e-15)


def test_z1pt0_basin_factor():
    z1 = np.array([-999.0, 300.0, 400.0, 500.0, 900.0])
    np.testing.assert_allclose(z1pt0_basin_factor(IMT("SA", 1.0), z1), [0, 0, 0.5, 1, 1])
    np.testing.assert_allclose(z1pt0_basin_factor(IMT("SA", 0.75), z1),
                               [0, 0, 0.2925, 0.585, 0.585])
    for imt in (IMT("PGA"), IMT("PGV"), IMT("SA", 0.5)):
        assert not z1pt0_basin_factor(imt, z1).any()


def test_bssa14_usgs_scaling_needs_a_basin_region():
    with pytest.raises(InvalidInput, match="usgs_basin_scaling needs a basin region"):
        BooreEtAl2014(usgs_basin_scaling=True)
    assert "z1pt0" in BooreEtAl2014(region="CHN", usgs_basin_scaling=True
                                    ).REQUIRES_SITES_PARAMETERS


def test_bssa14_sigma_mu_needs_rrup():
    assert "rrup" not in BooreEtAl2014().REQUIRES_DISTANCES
    assert "rrup" in BooreEtAl2014(sigma_mu_epsilon=-1.0).REQUIRES_DISTANCES


@pytest.mark.parametrize("model", [AbrahamsonEtAl2014, BooreEtAl2014, CampbellBozorgnia2014,
                                   ChiouYoungs2014])
def test_bad_argument_values(model):
    with pytest.raises(InvalidInput, match="sigma_mu_epsilon must be a number"):
        model(sigma_mu_epsilon="one")
    with pytest.raises(InvalidInput, match="usgs_basin_scaling must be true or false"):
        model(usgs_basin_scaling="yes")


def test_sigma_mu_shift_is_epsilon_times_sigma_mu():
    ctx = make_context(3, mag=[4.5, 5.5, 6.5], rake=0.0, rjb=[5.0, 20.0, 40.0],
                       rrup=[5.0, 20.0, 40.0], vs30=400.0)
    imts = [IMT("PGA"), IMT("SA", 1.0)]
    base = BooreEtAl2014().get_mean_stds(ctx, imts)
    shifted = BooreEtAl2014(sigma_mu_epsilon=-2.0).get_mean_stds(ctx, imts)
    sigma_mu = epistemic_sigma(ctx.mag, ctx.rrup)
    np.testing.assert_allclose(shifted[0] - base[0], np.tile(-2.0 * sigma_mu, (2, 1)),
                               rtol=1e-12)
    np.testing.assert_array_equal(shifted[1:], base[1:])


@pytest.mark.parametrize("model", [AbrahamsonEtAl2014, BooreEtAl2014, CampbellBozorgnia2014,
                                   ChiouYoungs2014])
def test_cybershake_flag_is_checked(model):
    with pytest.raises(InvalidInput, match="cybershake_basin_adj must be true or false"):
        model(cybershake_basin_adj=1)


def test_cybershake_coefficients_apply_above_1_9_s_only():
    assert cybershake_coeffs("CY14", IMT("SA", 1.9)) is None
    assert cybershake_coeffs("CY14", IMT("PGV")) is None
    assert cybershake_coeffs("ASK14", IMT("SA", 6.0))["a45cy"] == 0.2
    # interpolated in ln(T) between the 2 s and 3 s rows
    row = cybershake_coeffs("CB14", IMT("SA", 2.5))
    w = np.log(2.5 / 2.0) / np.log(1.5)
    assert row["slope_cy"] == pytest.approx(0.764 + w * (1.279 - 0.764), rel=1e-12)


def test_cybershake_changes_long_periods_only():
    ctx = make_context(2, mag=6.5, rake=0.0, dip=60.0, ztor=2.0, rrup=[20.0, 60.0],
                       rjb=[19.0, 60.0], rx=-19.0, vs30=300.0, vs30measured=True,
                       z1pt0=[600.0, 80.0])
    imts = [IMT("PGA"), IMT("SA", 1.0), IMT("SA", 3.0)]
    base = ChiouYoungs2014().get_mean_stds(ctx, imts)
    adj = ChiouYoungs2014(cybershake_basin_adj=True).get_mean_stds(ctx, imts)
    np.testing.assert_array_equal(adj[:, :2], base[:, :2])
    assert np.all(adj[0, 2] != base[0, 2])
