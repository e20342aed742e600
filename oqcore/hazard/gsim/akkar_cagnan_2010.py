"""Akkar and Cagnan (2010): a local ground-motion model for Turkey.

Akkar, S. and Cagnan, Z. (2010). A local ground-motion predictive model for Turkey, and
its comparison with other regional and global ground-motion models. Bulletin of the
Seismological Society of America, 100(6), 2978-2995.

ln Y = a1 + a2 (M - c1) + a4 (8.5 - M)² + [a5 + a6 (M - c1)] ln sqrt(Rjb² + a7²)
       + a8 F_N + a9 F_R + F_S                                      for M <= c1,
with a3 in place of a2 for M > c1 (eqs. 2a-b), Y in cm/s² (PGA, SA) or cm/s (PGV).
The site term F_S is the Boore and Atkinson (2008) amplification, driven by this
model's PGA on reference rock (Vs30 = 760 m/s, site term excluded).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim import boore_atkinson_2008 as ba08
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN_CMS2_PER_G, TOTAL, coeffs_table)
from oqcore.hazard.imt import PGA

#: hinge magnitude of the magnitude scaling
C1 = 6.5
#: ln of the conversion factor from cm/s² to g


def fault_dummies(rake):
    """(F_N, F_R): normal -135 < rake < -45, reverse 45 < rake < 135 (strict, degrees)."""
    normal = (rake > -135.0) & (rake < -45.0)
    reverse = (rake > 45.0) & (rake < 135.0)
    return normal.astype(float), reverse.astype(float)


def rock_mean(C, mag, rjb, rake):
    """ln Y on reference rock (no site term), eq. 2; cm/s² or cm/s."""
    f_n, f_r = fault_dummies(rake)
    dmag = mag - C1
    mag_slope = np.where(mag <= C1, C["a2"], C["a3"])
    return (C["a1"] + mag_slope * dmag + C["a4"] * (8.5 - mag) ** 2
            + (C["a5"] + C["a6"] * dmag) * np.log(np.sqrt(rjb ** 2 + C["a7"] ** 2))
            + C["a8"] * f_n + C["a9"] * f_r)


class AkkarCagnan2010(GMPE):
    """Akkar and Cagnan (2010), geometric mean horizontal component, Rjb."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: Table 2 (a1..a9; sigma = intra-event, tau = inter-event; ln units)
    COEFFS_AC10 = coeffs_table(__file__, "akkar_cagnan_2010", "COEFFS_AC10.csv")
    #: the Boore and Atkinson (2008) site amplification table (blin, b1, b2)
    COEFFS_SOIL_RESPONSE = coeffs_table(
        ba08.__file__, "boore_atkinson_2008", "COEFFS_SOIL_RESPONSE.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        C_pga = self.COEFFS_AC10[PGA]
        # PGA (g) on reference rock, driving the non-linear BA08 site term
        pga4nl = np.exp(rock_mean(C_pga, ctx.mag, ctx.rjb, ctx.rake) - LN_CMS2_PER_G)
        for m, imt in enumerate(imts):
            C = self.COEFFS_AC10[imt]
            C_SR = self.COEFFS_SOIL_RESPONSE[imt]
            ln_y = (rock_mean(C, ctx.mag, ctx.rjb, ctx.rake)
                    + ba08.site_amplification(C_SR, ctx.vs30, pga4nl))
            if imt.name != "PGV":
                ln_y -= LN_CMS2_PER_G  # cm/s² to g
            mean[m] = ln_y
            tau[m] = C["tau"]
            phi[m] = C["sigma"]
            sig[m] = np.sqrt(C["sigma"] ** 2 + C["tau"] ** 2)
