"""Pezeshk, Zandieh and Tavakoli (2011): hybrid empirical model of eastern North America.

Pezeshk, S., Zandieh, A. and Tavakoli, B. (2011). Hybrid empirical ground-motion
prediction equations for eastern North America using NGA models and updated
seismological parameters. Bulletin of the Seismological Society of America, 101(4),
1859-1870.

Equation (5), log10 of Y in g, hard rock (vs30 > 2000 m/s), R = sqrt(rrup² + c11²) km::

    log Y = c1 + c2 M + c3 M² + (c4 + c5 M) min(log R, log 70)
            + (c6 + c7 M) max(min(log(R/70), log 2), 0)
            + (c8 + c9 M) max(log(R/140), 0) + c10 R

Sigma (eqs. 6-7, log10): sqrt(s² + SigmaReg²), s = c12 M + c13 for M <= 7, -0.00695 M + c14
above. The NEHRP B/C form adds the hard-rock to B/C factors of Atkinson and Adams (2013,
Table 2) to log Y (PGA: the 20 km value, -0.10; -0.10 up to 0.05 s; 0.06 at 5 s and 0 at
10 s; interpolated in ln T between the tabulated periods).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL, coeffs_table

#: distance hinges (km) of the geometric spreading
R1, R2 = 70.0, 140.0
#: magnitude above which the sigma slope is fixed
SIGMA_MAG = 7.0
#: slope of the magnitude-dependent sigma above SIGMA_MAG
SIGMA_SLOPE_LARGE = -0.00695


def _log10_mean(C, mag, rrup):
    """log10 of the median (g) on hard rock; ``rrup`` in km, (N,)."""
    r = np.sqrt(rrup ** 2 + C["c11"] ** 2)
    log_r = np.log10(r)
    spreading = ((C["c4"] + C["c5"] * mag) * np.minimum(log_r, math.log10(R1))
                 + (C["c6"] + C["c7"] * mag)
                 * np.clip(log_r - math.log10(R1), 0.0, math.log10(R2 / R1))
                 + (C["c8"] + C["c9"] * mag) * np.maximum(log_r - math.log10(R2), 0.0))
    return C["c1"] + C["c2"] * mag + C["c3"] * mag ** 2 + spreading + C["c10"] * r


def _log10_sigma(C, mag):
    """Total standard deviation (log10 units), eqs. 6-7."""
    s = np.where(mag <= SIGMA_MAG, C["c12"] * mag + C["c13"],
                 SIGMA_SLOPE_LARGE * mag + C["c14"])
    return np.sqrt(s ** 2 + C["SigmaReg"] ** 2)


class PezeshkEtAl2011(GMPE):
    """Pezeshk et al. (2011), hard rock of eastern North America."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "pezeshk_2011", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = LN10 * _log10_mean(C, ctx.mag, ctx.rrup)
            sig[m] = LN10 * _log10_sigma(C, ctx.mag)


class PezeshkEtAl2011NEHRPBC(PezeshkEtAl2011):
    """Pezeshk et al. (2011) amplified to NEHRP B/C with Atkinson and Adams (2013)."""

    DEFINED_FOR_REFERENCE_VELOCITY = 760.0

    COEFFS_BC = coeffs_table(__file__, "pezeshk_2011", "NEHRPBC.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            mean[m] += LN10 * self.COEFFS_BC[imt]["F"]
