"""Tavakoli and Pezeshk (2005): hybrid empirical model of eastern North America.

Tavakoli, B. and Pezeshk, S. (2005). Empirical-stochastic ground-motion prediction for
eastern North America. Bulletin of the Seismological Society of America, 95(6),
2283-2296.

Equations (19)-(21), with Y in g and rrup in km::

    ln Y = f1 + f2 + f3
    f1 = c1 + c2 M + c3 (8.5 - M)^2.5
    f2 = c9 ln(rrup + 4.5) + c10 ln(rrup / 70) [rrup > 70] + c11 ln(rrup / 130) [rrup > 130]
    f3 = (c4 + c13 M) ln R + (c8 + c12 M) R
    R  = sqrt(rrup² + (c5 exp(c6 M + c7 (8.5 - M)^2.5))²)

sigma = c14 + c15 M for M < 7.2, c16 otherwise. The model is not defined above M 8.5.
The NSHMP 2008 form (``getTP05`` of the USGS ``hazgridXnga2.f``) uses B/C-rock
coefficients, caps the median (1.5 g PGA, 3 g short periods) and takes Mw or Mblg
converted to Mw (Atkinson and Boore 1987, Johnston 1996); sigma follows the converted
magnitude.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap, to_moment_magnitude

#: largest magnitude of the model (its (8.5 - M)^2.5 terms)
MAX_MAG = 8.5
#: distance hinges (km) of the geometric spreading
R1, R2 = 70.0, 130.0
#: magnitude from which (inclusive) sigma is the constant c16
SIGMA_MAG = 7.2


def _ln_mean(C, mw, rrup):
    """ln of the median (g) for Mw ``mw`` and distances ``rrup`` (km), both (N,)."""
    big = (MAX_MAG - mw) ** 2.5
    f1 = C["c1"] + C["c2"] * mw + C["c3"] * big
    f2 = (C["c9"] * np.log(rrup + 4.5)
          + C["c10"] * np.log(np.maximum(rrup, R1) / R1)
          + C["c11"] * np.log(np.maximum(rrup, R2) / R2))
    r = np.sqrt(rrup ** 2 + (C["c5"] * np.exp(C["c6"] * mw + C["c7"] * big)) ** 2)
    f3 = (C["c4"] + C["c13"] * mw) * np.log(r) + (C["c8"] + C["c12"] * mw) * r
    return f1 + f2 + f3


class TavakoliPezeshk2005(GMPE):
    """Tavakoli and Pezeshk (2005), hard rock, magnitudes in Mw."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "tavakoli_pezeshk_2005", "COEFFS.csv")
    #: True to apply the NSHMP caps of the median
    CAPPED = False

    #: magnitude scale of the ruptures (a key of nshmp_2008.MAGNITUDE_SCALES)
    MAG_SCALE = "Mw"

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mw = to_moment_magnitude(self.MAG_SCALE, ctx.mag)
        if np.any(mw > MAX_MAG):
            raise InvalidInput("%s is not defined above Mw %s (got Mw %.2f)" % (
                type(self).__name__, MAX_MAG, np.max(mw)))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = _ln_mean(C, mw, ctx.rrup)
            mean[m] = nshmp_cap(imt, ln_y) if self.CAPPED else ln_y
            sig[m] = np.where(mw < SIGMA_MAG, C["c14"] + C["c15"] * mw, C["c16"])


class TavakoliPezeshk2005MwNSHMP2008(TavakoliPezeshk2005):
    """Tavakoli and Pezeshk (2005), NSHMP 2008 form (B/C rock, capped), Mw."""

    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    COEFFS = coeffs_table(__file__, "tavakoli_pezeshk_2005", "NSHMP2008.csv")
    CAPPED = True


class TavakoliPezeshk2005MblgAB1987NSHMP2008(TavakoliPezeshk2005MwNSHMP2008):
    """Tavakoli and Pezeshk (2005), NSHMP 2008 form, Mblg converted with Atkinson and
    Boore (1987)."""

    MAG_SCALE = "MblgAB1987"


class TavakoliPezeshk2005MblgJ1996NSHMP2008(TavakoliPezeshk2005MwNSHMP2008):
    """Tavakoli and Pezeshk (2005), NSHMP 2008 form, Mblg converted with Johnston
    (1996)."""

    MAG_SCALE = "MblgJ1996"
