"""Youngs et al. (1997): subduction-zone interface and intraslab earthquakes.

Youngs, R. R., Chiou, S.-J., Silva, W. J. and Humphrey, J. R. (1997). Strong ground
motion attenuation relationships for subduction zone earthquakes. Seismological
Research Letters, 68(1), 58-73.

Rock (Table 2) and deep-soil (Table 3) equations share the form::

    ln y = A1 + A2 M + C1 + C2 (A3 - M)^3 + C3 ln(rrup + A4 exp(A5 M)) + A6 H + A7 Zt

with y in g, rrup and the focal depth H in km, Zt = 0 (interface) or 1 (intraslab);
sigma = C4 + C5 min(M, 8).

The NSHMP 2008 variant (USGS hazard codes for the conterminous US, subroutine getGeom of
hazSUBXnga.f) fixes the focal depth at 20 km whatever the rupture's. The Geological
Survey of Canada forms of the intraslab equations (2010 western Canada model) add
ln(1.162) (firm ground) to ln y, and +-0.7 for the upper and lower branches.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table

#: vs30 (m/s) from which (inclusive) a site counts as rock
ROCK_VS30 = 760.0
#: magnitude above which the standard deviation stops decreasing
SIGMA_MAX_MAG = 8.0
#: rock SA(4 s): the reference implementation divides the ln-mean by this factor
ROCK_4S_FACTOR = 0.399
#: period-independent constants of the rock equation
ROCK = dict(A1=0.2418, A2=1.414, A3=10.0, A4=1.7818, A5=0.554, A6=0.00607, A7=0.3846)
#: period-independent constants of the deep-soil equation
SOIL = dict(A1=-0.6687, A2=1.438, A3=10.0, A4=1.097, A5=0.617, A6=0.00648, A7=0.3643)


def _ln_mean(A, C, mag, rrup, hypo_depth, zt):
    """ln of the median in g for the constants ``A`` and coefficients ``C``."""
    return (A["A1"] + A["A2"] * mag + C["C1"] + C["C2"] * (A["A3"] - mag) ** 3
            + C["C3"] * np.log(rrup + A["A4"] * np.exp(A["A5"] * mag))
            + A["A6"] * hypo_depth + A["A7"] * zt)


class YoungsEtAl1997SInter(GMPE):
    """Youngs et al. (1997) for subduction interface events (Zt = 0)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 800
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_ROCK = coeffs_table(__file__, "youngs_1997", "ROCK.csv")
    COEFFS_SOIL = coeffs_table(__file__, "youngs_1997", "SOIL.csv")

    #: source-type flag Zt: 0 interface, 1 intraslab
    ZT = 0.0

    #: focal depth (km) used instead of the rupture's, or None to use the rupture's
    FIXED_DEPTH: float | None = None
    #: term added to ln y (regional adjustments)
    DELTA = 0.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rock = ctx.vs30 >= ROCK_VS30
        depth = ctx.hypo_depth if self.FIXED_DEPTH is None else self.FIXED_DEPTH
        args = (ctx.mag, ctx.rrup, depth, self.ZT)
        sigma_mag = np.minimum(ctx.mag, SIGMA_MAX_MAG)
        for m, imt in enumerate(imts):
            c_rock, c_soil = self.COEFFS_ROCK[imt], self.COEFFS_SOIL[imt]
            ln_rock = _ln_mean(ROCK, c_rock, *args)
            if imt.name == "SA" and imt.period == 4.0:
                # the rock table has no 4 s row of its own (it repeats 3 s)
                ln_rock = ln_rock / ROCK_4S_FACTOR
            ln_soil = _ln_mean(SOIL, c_soil, *args)
            mean[m] = np.where(rock, ln_rock, ln_soil) + self.DELTA
            # C4, C5 are identical in both tables
            sig[m] = np.where(rock, c_rock["C4"] + c_rock["C5"] * sigma_mag,
                              c_soil["C4"] + c_soil["C5"] * sigma_mag)


class YoungsEtAl1997SSlab(YoungsEtAl1997SInter):
    """Youngs et al. (1997) for intraslab events (Zt = 1)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    ZT = 1.0


class YoungsEtAl1997SInterNSHMP2008(YoungsEtAl1997SInter):
    """Youngs et al. (1997) interface equations with the focal depth fixed at 20 km,
    as in the USGS NSHMP 2008 model."""

    FIXED_DEPTH = 20.0


class YoungsEtAl1997GSCSSlabBest(YoungsEtAl1997SSlab):
    """Youngs et al. (1997) intraslab, GSC 2010 firm-ground form (best estimate)."""

    DELTA = float(np.log(1.162))


class YoungsEtAl1997GSCSSlabUpperLimit(YoungsEtAl1997SSlab):
    """Youngs et al. (1997) intraslab, GSC 2010 firm-ground form, upper branch (+0.7)."""

    DELTA = float(np.log(1.162)) + 0.7


class YoungsEtAl1997GSCSSlabLowerLimit(YoungsEtAl1997SSlab):
    """Youngs et al. (1997) intraslab, GSC 2010 firm-ground form, lower branch (-0.7)."""

    DELTA = float(np.log(1.162)) - 0.7
