"""Toro et al. (1997, 2002): earthquakes in central and eastern North America.

Toro, G. R., Abrahamson, N. A. and Schneider, J. F. (1997). Model of strong ground
motions from earthquakes in central and eastern North America: best estimates and
uncertainties. Seismological Research Letters, 68(1), 41-57.

Toro, G. R. (2002). Modification of the Toro et al. (1997) attenuation equations for
large magnitudes and short distances. Risk Engineering technical report.

Equation (3) of the 1997 paper, mid-continent coefficients for moment magnitude, with
the finite-fault distance of the 2002 modification::

    ln Y = c1 + c2 (M - 6) + c3 (M - 6)² - c4 ln RM - (c5 - c4) max(ln(RM/100), 0)
           - c6 RM
    RM = sqrt(Rjb² + c7² exp(-1.25 + 0.227 M)²)

with Y in g and distances in km. The total standard deviation combines the aleatory
magnitude and distance parts (interpolated linearly in M between 5, 5.5, 8 and in Rjb
between 5 and 20 km, constant outside) with the epistemic part. SA at 3 and 4 s (added
for the SHARE project) reuse the 2 s coefficients and divide the ln-mean by a factor.
The SHARE form multiplies the median by the SHARE faulting and rock factors
(:mod:`share_adjustments`).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table
from oqcore.hazard.gsim.share_adjustments import ShareAdjusted

#: magnitudes (Mw) of the aleatory magnitude sigmas m50, m55, m80
SIGMA_MAGS = (5.0, 5.5, 8.0)
#: Joyner-Boore distances (km) of the aleatory distance sigmas r5, r20
SIGMA_DISTS = (5.0, 20.0)
#: period (s) below which the short-period epistemic sigma applies (PGA included)
EPISTEMIC_PERIOD = 1.0
#: epistemic sigma = intercept + slope (M - 6): short and long periods
EPISTEMIC_SHORT = (0.36, 0.07)
EPISTEMIC_LONG = (0.34, 0.06)
#: divisors of the ln-mean at exactly these periods (s), as in the SHARE extension
LONG_PERIOD_DIVISORS = {3.0: 0.612, 4.0: 0.559}


def _ln_mean(C, mag, rjb):
    """ln of the median in g; rjb in km."""
    rm = np.sqrt(rjb ** 2 + C["c7"] ** 2 * np.exp(-1.25 + 0.227 * mag) ** 2)
    dm = mag - 6.0
    return (C["c1"] + C["c2"] * dm + C["c3"] * dm ** 2 - C["c4"] * np.log(rm)
            - (C["c5"] - C["c4"]) * np.maximum(np.log(rm / 100.0), 0.0) - C["c6"] * rm)


def _total_sigma(C, period, mag, rjb):
    """Aleatory (magnitude and distance parts) and epistemic sigmas combined."""
    sig_m = np.interp(mag, SIGMA_MAGS, [C["m50"], C["m55"], C["m80"]])
    sig_r = np.interp(rjb, SIGMA_DISTS, [C["r5"], C["r20"]])
    a, b = EPISTEMIC_SHORT if period < EPISTEMIC_PERIOD else EPISTEMIC_LONG
    sig_epi = a + b * (mag - 6.0)
    return np.sqrt(sig_m ** 2 + sig_r ** 2 + sig_epi ** 2)


class ToroEtAl2002(GMPE):
    """Toro et al. (1997) mid-continent equations with the Toro (2002) distance."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "toro_2002", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = _ln_mean(C, ctx.mag, ctx.rjb)
            if imt.name == "SA" and imt.period in LONG_PERIOD_DIVISORS:
                # the ln-mean itself is divided (not the linear median)
                ln_y = ln_y / LONG_PERIOD_DIVISORS[imt.period]
            mean[m] = ln_y
            sig[m] = _total_sigma(C, imt.period, ctx.mag, ctx.rjb)


class ToroEtAl2002SHARE(ShareAdjusted, ToroEtAl2002):
    """Toro et al. (2002) with the SHARE faulting-style and 800 m/s rock adjustments."""

    DEFINED_FOR_REFERENCE_VELOCITY = 800.0
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])

    COEFFS_SHARE = coeffs_table(__file__, "toro_2002", "SHARE.csv")
