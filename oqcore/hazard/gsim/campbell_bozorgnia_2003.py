"""Campbell and Bozorgnia (2003) as the USGS NSHMP used it in its 2007 Alaska model.

Campbell, K. W. and Bozorgnia, Y. (2003). Updated near-source ground-motion
(attenuation) relations for the horizontal and vertical components of peak ground
acceleration and acceleration response spectra. Bulletin of the Seismological Society of
America, 93(1), 314-331 (erratum for eq. 8), as coded in the NSHMP 2007 Alaska
software (``getCamp2000``), for 'firm rock'::

    ln Y = c1 + c2 M + c3 (8.5 - M)² + c4 ln sqrt(rrup² + (g exp(c8 M + c9 (8.5 - M)²))²)
           + c10 F_RV + c11 F_TH + c14 + HW f(M) f(rrup)
    g = c5 + (c6 + c7) / 2                       (half firm soil, half firm rock)
    F_RV: dip > 45 and 22.5 <= rake <= 157.5;  F_TH: dip <= 45 and the same rakes
    HW = (5 - rjb) / 5 for dip <= 70 (any rjb, as NSHMP codes it), 0 otherwise
    f(M) = min(M - 5.5, 1);  f(rrup) = c15 min(rrup / 8, 1)
    sigma = c16 - 0.07 M  (M < 7.4),  c16 - 0.518 otherwise

with Y in g (geometric mean of the horizontal components).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table


def _ln_mean(C, mag, rake, dip, rrup, rjb):
    """ln Y (g); distances in km, angles in degrees."""
    g = C["c5"] + 0.5 * (C["c6"] + C["c7"])
    r2 = rrup ** 2 + (np.exp(C["c8"] * mag + C["c9"] * (8.5 - mag) ** 2) * g) ** 2
    reverse_rake = (rake >= 22.5) & (rake <= 157.5)
    sof = C["c10"] * (reverse_rake & (dip > 45.0)) + C["c11"] * (reverse_rake & (dip <= 45.0))
    hw = np.where(dip <= 70.0, (5.0 - rjb) / 5.0, 0.0)
    f_hw = hw * np.minimum(mag - 5.5, 1.0) * C["c15"] * np.minimum(rrup / 8.0, 1.0)
    return (C["c1"] + C["c2"] * mag + C["c3"] * (8.5 - mag) ** 2
            + C["c4"] * np.log(np.sqrt(r2)) + sof + C["c14"] + f_hw)


class CampbellBozorgnia2003NSHMP2007(GMPE):
    """Campbell and Bozorgnia (2003), NSHMP 2007 (Alaska) form, firm rock."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake", "dip"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rjb"])

    COEFFS = coeffs_table(__file__, "campbell_bozorgnia_2003", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = _ln_mean(C, mag, ctx.rake, ctx.dip, ctx.rrup, ctx.rjb)
            sig[m] = C["c16"] - np.where(mag < 7.4, 0.07 * mag, 0.518)
