"""Akkar and Bommer (2010): Europe, the Mediterranean region and the Middle East.

Akkar, S. and Bommer, J. J. (2010). Empirical equations for the prediction of PGA, PGV,
and spectral accelerations in Europe, the Mediterranean region, and the Middle East.
Seismological Research Letters, 81(2), 195-206.

log10 Y = b1 + b2 M + b3 M² + (b4 + b5 M) log10 sqrt(Rjb² + b6²)
          + b7 S_S + b8 S_A + b9 F_N + b10 F_R                      (eq. 2)
with Y in cm/s² (PGA, SA) or cm/s (PGV); S_S and S_A are the soft- and stiff-soil
dummies, F_N and F_R the normal and reverse faulting dummies. Standard deviations are
given in log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2)

#: vs30 (m/s) below which a site is soft soil
SOFT_SOIL_VS30 = 360.0
#: vs30 (m/s) up to which (inclusive) a site is stiff soil
STIFF_SOIL_VS30 = 750.0
#: the table stops at 3 s; its SA(4.0) row repeats the 3 s coefficients and the
#: reference implementation divides the ln-mean of exactly SA(4.0) by this factor
LN_MEAN_DIVISOR_4S = 0.8


def site_dummies(vs30):
    """(S_S, S_A): soft soil vs30 < 360, stiff soil 360 <= vs30 <= 750 m/s."""
    soft = vs30 < SOFT_SOIL_VS30
    stiff = (vs30 >= SOFT_SOIL_VS30) & (vs30 <= STIFF_SOIL_VS30)
    return soft.astype(float), stiff.astype(float)


def fault_dummies(rake):
    """(F_N, F_R): normal -135 <= rake <= -45, reverse 45 <= rake <= 135 (degrees)."""
    normal = (rake >= -135.0) & (rake <= -45.0)
    reverse = (rake >= 45.0) & (rake <= 135.0)
    return normal.astype(float), reverse.astype(float)


def log10_mean(C, mag, rjb, vs30, rake):
    """log10 of the median, eq. 2 (cm/s² or cm/s)."""
    s_s, s_a = site_dummies(vs30)
    f_n, f_r = fault_dummies(rake)
    return (C["b1"] + C["b2"] * mag + C["b3"] * mag ** 2
            + (C["b4"] + C["b5"] * mag) * np.log10(np.sqrt(rjb ** 2 + C["b6"] ** 2))
            + C["b7"] * s_s + C["b8"] * s_a + C["b9"] * f_n + C["b10"] * f_r)


class AkkarBommer2010(GMPE):
    """Akkar and Bommer (2010), geometric mean of the horizontal components."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: Table 1 (b1..b10; Sigma1 = intra-event, tau = inter-event, SigmaTot; log10)
    COEFFS = coeffs_table(__file__, "akkar_bommer_2010", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = ln_g_from_log10_cms2(
                log10_mean(C, ctx.mag, ctx.rjb, ctx.vs30, ctx.rake), imt)
            if imt.name == "SA" and imt.period == 4.0:
                ln_y /= LN_MEAN_DIVISOR_4S  # log-domain quirk, exact period only
            mean[m] = ln_y
            sig[m] = LN10 * C["SigmaTot"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["Sigma1"]
