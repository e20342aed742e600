"""Lin and Lee (2008): subduction-zone earthquakes in northeastern Taiwan.

Lin, P.-S. and Lee, C.-T. (2008). Ground-motion attenuation relationships for
subduction-zone earthquakes in northeastern Taiwan. Bulletin of the Seismological
Society of America, 98(1), 220-240.

Equation (1) of the paper::

    ln y = C1 + C2 M + C3 ln(R + C4 exp(C5 M)) + C6 H + C7 Zt

with y in g, R the hypocentral distance (km), H the focal depth (km) and Zt = 0 for
interface events, 1 for intraslab events. Rock and soil sites have their own coefficient
tables (Tables 3-4) and their own total standard deviation.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table

#: vs30 (m/s) from which (inclusive) a site counts as rock
ROCK_VS30 = 360.0


def _ln_mean(C, mag, rhypo, hypo_depth, zt):
    """ln of the median in g, equation (1); distances and depths in km."""
    return (C["C1"] + C["C2"] * mag
            + C["C3"] * np.log(rhypo + C["C4"] * np.exp(C["C5"] * mag))
            + C["C6"] * hypo_depth + C["C7"] * zt)


class LinLee2008SInter(GMPE):
    """Lin and Lee (2008) for subduction interface events (Zt = 0)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 800
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS_ROCK = coeffs_table(__file__, "lin_lee_2008", "ROCK.csv")
    COEFFS_SOIL = coeffs_table(__file__, "lin_lee_2008", "SOIL.csv")

    #: event-type flag Zt of equation (1): 0 interface, 1 intraslab
    ZT = 0.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rock = ctx.vs30 >= ROCK_VS30
        for m, imt in enumerate(imts):
            c_rock, c_soil = self.COEFFS_ROCK[imt], self.COEFFS_SOIL[imt]
            args = (ctx.mag, ctx.rhypo, ctx.hypo_depth, self.ZT)
            mean[m] = np.where(rock, _ln_mean(c_rock, *args), _ln_mean(c_soil, *args))
            sig[m] = np.where(rock, c_rock["sigma"], c_soil["sigma"])


class LinLee2008SSlab(LinLee2008SInter):
    """Lin and Lee (2008) for intraslab events (Zt = 1)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    ZT = 1.0
