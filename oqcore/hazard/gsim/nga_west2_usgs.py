"""Adjustments the USGS applies to the NGA-West2 models (ASK14, BSSA14, CB14, CY14):

* ``sigma_mu_epsilon``: ε σμ added to the ln-mean, σμ = 0.4 sqrt(2 / n) with n the
  number of events of the NGA-West2 data set in the magnitude and rupture-distance bin
  (Al Atik and Youngs, 2014; table ``data/nga_west2/usgs_sigma_mu_counts.csv``);
* ``usgs_basin_scaling``: the basin term times the USGS depth ramp of the 2023 US model
  (z1.0 from 300 m to 500 m for the z1.0-based basin terms);
* ``cybershake_basin_adj``: for SA above 1.9 s, the basin coefficients replaced by the
  ones the USGS fitted to CyberShake simulations (nshmp-lib coefficient tables of the
  2023 US model, ``data/nga_west2/cybershake_<model>.csv``) plus a constant 0.1 (the
  CY_CSIM term of nshmp-lib).
"""
from __future__ import annotations

import functools
import os

import numpy as np

from oqcore.hazard.gsim.base import CoeffsTable, data_path
from oqcore.hazard.gsim.nga_sub_adjustments import usgs_basin_factor
from oqcore.hazard.imt import IMT

#: σμ = SIGMA_MU_SCALE sqrt(SIGMA_MU_MODELS / n)
SIGMA_MU_SCALE, SIGMA_MU_MODELS = 0.4, 2.0
#: rupture-distance bins (km) of σμ: rrup <= NEAR, NEAR < rrup < FAR, rrup >= FAR
SIGMA_MU_NEAR, SIGMA_MU_FAR = 10.0, 30.0
#: USGS ramp of the z1.0-based basin terms (m): factor 0 up to ZMIN, 1 from ZMAX
USGS_Z1_ZMIN, USGS_Z1_ZMAX = 300.0, 500.0

#: CyberShake basin coefficients replace the published ones above this period (s) ...
CYBERSHAKE_MIN_PERIOD = 1.9
#: ... and add this constant to the basin term (ln units)
CYBERSHAKE_OFFSET = 0.1
#: the models having CyberShake basin coefficients
CYBERSHAKE_MODELS = ("ASK14", "BSSA14", "CB14", "CY14")

#: the event-count table of σμ (read on first use, not at import)
SIGMA_MU_COUNTS_CSV = os.path.join(os.path.dirname(__file__), "data", "nga_west2",
                                   "usgs_sigma_mu_counts.csv")


@functools.lru_cache(maxsize=1)
def sigma_mu_counts() -> np.ndarray:
    """Rows (mag_min, mag_max, n_near, n_mid, n_far) of the σμ event-count table."""
    return np.loadtxt(SIGMA_MU_COUNTS_CSV, delimiter=",", comments="#", skiprows=4,
                      ndmin=2)


def epistemic_sigma(mag, rrup) -> np.ndarray:
    """σμ (ln units), shape (N,), for magnitudes ``mag`` and rupture distances ``rrup``
    (km), both (N,)."""
    mag, rrup = np.broadcast_arrays(np.asarray(mag, float), np.asarray(rrup, float))
    out = np.full(mag.shape, np.nan)
    todo = np.ones(out.shape, bool)
    for mag_min, mag_max, *counts in sigma_mu_counts():
        near, mid, far = (SIGMA_MU_SCALE * np.sqrt(SIGMA_MU_MODELS / n) for n in counts)
        sel = todo & (mag >= mag_min) & (mag < mag_max)
        out[sel] = np.where(rrup <= SIGMA_MU_NEAR, near,
                            np.where(rrup < SIGMA_MU_FAR, mid, far))[sel]
        todo &= ~sel
    return out


def z1pt0_basin_factor(imt: IMT, z1pt0) -> np.ndarray:
    """USGS factor (N,) multiplying a z1.0-based basin term, z1pt0 (N,) in metres: 0 for
    PGA, PGV and periods up to 0.5 s, else the ramp from 300 m to 500 m (0.585 times
    it at 0.75 s)."""
    return usgs_basin_factor(imt, np.asarray(z1pt0, float), USGS_Z1_ZMIN, USGS_Z1_ZMAX,
                             pgv_ramp=False)


def cybershake_coeffs(model: str, imt: IMT):
    """The CyberShake basin coefficients (a record) of ``model`` (ASK14, BSSA14, CB14 or
    CY14) for ``imt`` if they apply (SA above 1.9 s), else None; UnknownIMT for a
    period above 1.9 s outside their table (2-10 s)."""
    if imt.name != "SA" or imt.period <= CYBERSHAKE_MIN_PERIOD:
        return None
    return _cybershake_table(model)[imt]


@functools.lru_cache(maxsize=None)
def _cybershake_table(model: str) -> CoeffsTable:
    return CoeffsTable.from_csv(data_path(__file__, "nga_west2",
                                          "cybershake_%s.csv" % model.lower()))
