"""Sadigh et al. (1997): shallow crustal earthquakes, California strong motion data.

Sadigh, K., Chang, C.-Y., Egan, J. A., Makdisi, F. and Youngs, R. R. (1997). Attenuation
relationships for shallow crustal earthquakes based on California strong motion data.
Seismological Research Letters, 68(1), 180-189.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table

#: vs30 (m/s) above which the rock equations apply
ROCK_VS30 = 750.0
#: magnitude separating the low- and high-magnitude coefficient sets
NEAR_FIELD_SATURATION_MAG = 6.5
#: soil coefficients that do not depend on the IMT (Table 4 of the paper)
SOIL = dict(c1ss=-2.17, c1r=-1.92, c2=1.0, c3=1.7, c4lowmag=2.1863, c5lowmag=0.32,
            c4himag=0.3825, c5himag=0.5882)


class SadighEtAl1997(GMPE):
    """Sadigh et al. (1997), rock (vs30 > 750 m/s) and deep-soil equations."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_ROCK_LOWMAG = coeffs_table(__file__, "sadigh_1997", "ROCK_LOWMAG.csv")
    COEFFS_ROCK_HIMAG = coeffs_table(__file__, "sadigh_1997", "ROCK_HIMAG.csv")
    COEFFS_ROCK_STDDERR = coeffs_table(__file__, "sadigh_1997", "ROCK_STDDERR.csv")
    COEFFS_SOIL = coeffs_table(__file__, "sadigh_1997", "SOIL.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag, rrup = ctx.mag, ctx.rrup
        rock = ctx.vs30 > ROCK_VS30
        reverse = (ctx.rake >= 45.0) & (ctx.rake <= 135.0)
        lowmag = mag <= NEAR_FIELD_SATURATION_MAG
        mterm = (8.5 - np.minimum(mag, 8.5)) ** 2.5
        for m, imt in enumerate(imts):
            # every table is looked up, as the reference does (SA(0.07) is not computable)
            lo, hi = self.COEFFS_ROCK_LOWMAG[imt], self.COEFFS_ROCK_HIMAG[imt]
            sd, cs = self.COEFFS_ROCK_STDDERR[imt], self.COEFFS_SOIL[imt]
            # rock, eq. 1 with the low/high-magnitude coefficients
            c = {k: np.where(lowmag, lo[k], hi[k]) for k in lo.dtype.names}
            ln_rock = (c["c1"] + c["c2"] * mag + c["c3"] * mterm
                       + c["c4"] * np.log(rrup + np.exp(c["c5"] + c["c6"] * mag))
                       + c["c7"] * np.log(rrup + 2.0))
            ln_rock = ln_rock + np.where(reverse, np.log(1.2), 0.0)
            sig_rock = np.where(mag < sd["maxmag"], sd["sigma0"] + sd["magfactor"] * mag,
                                sd["maxsigma"])
            # deep soil, eq. 2
            c1 = np.where(reverse, SOIL["c1r"], SOIL["c1ss"])
            c6 = np.where(reverse, cs["c6r"], cs["c6ss"])
            c4 = np.where(lowmag, SOIL["c4lowmag"], SOIL["c4himag"])
            c5 = np.where(lowmag, SOIL["c5lowmag"], SOIL["c5himag"])
            ln_soil = (c1 + SOIL["c2"] * mag - SOIL["c3"] * np.log(rrup + c4 * np.exp(c5 * mag))
                       + c6 + cs["c7"] * mterm)
            sig_soil = cs["sigma0"] + cs["magfactor"] * np.minimum(mag, cs["maxmag"])
            mean[m] = np.where(rock, ln_rock, ln_soil)
            sig[m] = np.where(rock, sig_rock, sig_soil)
