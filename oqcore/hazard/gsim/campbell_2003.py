"""Campbell (2003): hybrid empirical relations for eastern North America.

Campbell, K. W. (2003). Prediction of strong ground motion using the hybrid empirical
method and its use in the development of ground-motion (attenuation) relations in
eastern North America. Bulletin of the Seismological Society of America, 93(3),
1012-1033; erratum (2004), 94(6), 2418.

Equations (30)-(35), with the distance term f3 as corrected in the erratum::

    ln Y = c1 + f1(M) + f2(M, rrup) + f3(rrup)
    f1 = c2 M + c3 (8.5 - M)²
    f2 = c4 ln R + (c5 + c6 M) rrup,  R = sqrt(rrup² + (c7 exp(c8 M))²)
    f3 = 0                                           rrup <= r1
       = c9 (ln rrup - ln r1)                        r1 < rrup <= r2
       = c9 (ln rrup - ln r1) + c10 (ln rrup - ln r2)   rrup > r2

with Y in g, rrup in km, r1 = 70 and r2 = 130 km; sigma = c11 + c12 M for M < 7.16,
c13 otherwise. PGA is SA at 0.01 s. The mean is not capped (the caps at 1.5 g and 3 g
belong to the NSHMP 2008 variants).

The NSHMP 2008 forms (``getCampCEUS`` of the USGS ``hazgridXnga2.f``; Campbell, USGS award
01HQGR0011 report) use B/C-rock values of c1 for PGA and SA at 0.1-2 s, cap the median
(1.5 g PGA, 3 g short periods) and take Mw or Mblg converted to Mw (Atkinson and Boore
1987, Johnston 1996); sigma follows the converted magnitude. The SHARE form multiplies the
median by the SHARE faulting and rock factors (:mod:`share_adjustments`).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap, to_moment_magnitude
from oqcore.hazard.gsim.share_adjustments import ShareAdjusted

#: distance hinges of f3 (km)
R1 = 70.0
R2 = 130.0
#: magnitude from which (inclusive) sigma is the constant c13
SIGMA_MAG = 7.16


def _ln_mean(C, mag, rrup):
    """ln of the median in g; rrup in km."""
    f1 = C["c2"] * mag + C["c3"] * (8.5 - mag) ** 2
    r = np.sqrt(rrup ** 2 + (C["c7"] * np.exp(C["c8"] * mag)) ** 2)
    f2 = C["c4"] * np.log(r) + (C["c5"] + C["c6"] * mag) * rrup
    ln_r = np.log(np.maximum(rrup, R1))  # f3 vanishes within r1 (and rrup may be 0)
    f3 = C["c9"] * (ln_r - np.log(R1)) + C["c10"] * np.maximum(ln_r - np.log(R2), 0.0)
    return C["c1"] + f1 + f2 + f3


class Campbell2003(GMPE):
    """Campbell (2003) hard-rock equations for eastern North America."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "campbell_2003", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = _ln_mean(C, mag, ctx.rrup)
            sig[m] = _sigma(C, mag)


def _sigma(C, mag):
    """Total standard deviation (ln units) for magnitudes ``mag``."""
    return np.where(mag < SIGMA_MAG, C["c11"] + C["c12"] * mag, C["c13"])


class Campbell2003SHARE(ShareAdjusted, Campbell2003):
    """Campbell (2003) with the SHARE faulting-style and 800 m/s rock adjustments."""

    DEFINED_FOR_REFERENCE_VELOCITY = 800.0
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])

    COEFFS_SHARE = coeffs_table(__file__, "campbell_2003", "SHARE.csv")


class Campbell2003MblgAB1987NSHMP2008(Campbell2003):
    """Campbell (2003), NSHMP 2008 form, Mblg converted with Atkinson and Boore (1987)."""

    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    COEFFS = coeffs_table(__file__, "campbell_2003", "NSHMP2008.csv")

    #: magnitude scale of the ruptures (a key of nshmp_2008.MAGNITUDE_SCALES)
    MAG_SCALE = "MblgAB1987"

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mw = to_moment_magnitude(self.MAG_SCALE, ctx.mag)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = nshmp_cap(imt, _ln_mean(C, mw, ctx.rrup))
            sig[m] = _sigma(C, mw)


class Campbell2003MblgJ1996NSHMP2008(Campbell2003MblgAB1987NSHMP2008):
    """Campbell (2003), NSHMP 2008 form, Mblg converted with Johnston (1996)."""

    MAG_SCALE = "MblgJ1996"


class Campbell2003MwNSHMP2008(Campbell2003MblgAB1987NSHMP2008):
    """Campbell (2003), NSHMP 2008 form, magnitudes in Mw."""

    MAG_SCALE = "Mw"
