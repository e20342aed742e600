"""Kale et al. (2015): ground-motion model for Turkey and Iran.

Kale, Ö., Akkar, S., Ansari, A. and Hamzehloo, H. (2015). A ground-motion predictive
model for Iran and Turkey for horizontal PGA, PGV, and 5%-damped response spectrum:
investigation of possible regional effects. Bull. Seismol. Soc. Am. 105(2A), 963-980.

ln Y = F_mag + F_dis + F_sof + F_aat + ln S (eq. 1), Y in g (cm/s for PGV):
F_mag = b1 + b2 (M - c1) + b3 (8.5 - M)² (M <= c1; b7 instead of b2 above, eq. 2),
F_dis = [b4 + b5 (M - c1)] ln sqrt(Rjb² + b6²) (eq. 3),
F_sof = b8 F_N + b9 F_R (normal -135 < rake < -45, reverse 45 < rake < 135, eq. 4),
F_aat = b10 (Rjb - 80) beyond 80 km (eq. 5),
ln S = sb1 ln(min(vs30, Vcon) / Vref) for vs30 >= Vref, otherwise
       sb1 ln(vs30 / Vref) + sb2 ln[(PGA_r + c (vs30/Vref)^n) / ((PGA_r + c)(vs30/Vref)^n)]
(eq. 6), PGA_r the rock PGA (the model without site term), Vref = 750 m/s,
Vcon = 1000 m/s, c = 2.5, n = 3.2. Both standard deviations scale with w(M) = a1 below
M 6, a2 from M 6.5, linear between (eqs. 8-9). c1 = 6.75 (Turkey) or 7 (Iran).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table
from oqcore.hazard.imt import PGA

V_REF, V_CON, C_NL, N_NL = 750.0, 1000.0, 2.5, 3.2
#: distance (km) beyond which anelastic attenuation applies
R_AAT = 80.0
#: magnitudes between which the standard deviations go from a1 to a2 times sd1, sd2
SD_M_LOW, SD_M_HIGH = 6.0, 6.5


class KaleEtAl2015Turkey(GMPE):
    """Kale et al. (2015), model for Turkey."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["rake", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])
    COEFFS = coeffs_table(__file__, "kale_2015", "turkey.csv")
    #: hinge magnitude c1
    C1 = 6.75

    def rock(self, C, ctx):
        """ln Y without the site term, shape (N,)."""
        mag, rjb, rake = ctx.mag, ctx.rjb, ctx.rake
        slope = np.where(mag <= self.C1, C["b2"], C["b7"])
        f_mag = C["b1"] + slope * (mag - self.C1) + C["b3"] * (8.5 - mag) ** 2
        f_dis = (C["b4"] + C["b5"] * (mag - self.C1)) * np.log(np.sqrt(rjb ** 2 + C["b6"] ** 2))
        normal = (rake > -135.0) & (rake < -45.0)
        reverse = (rake > 45.0) & (rake < 135.0)
        f_aat = np.where(rjb > R_AAT, C["b10"] * (rjb - R_AAT), 0.0)
        return f_mag + f_dis + C["b8"] * normal + C["b9"] * reverse + f_aat

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga_rock = np.exp(self.rock(self.COEFFS[PGA], ctx))
        vs30 = ctx.vs30
        ratio = vs30 / V_REF
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            soft = C["sb1"] * np.log(ratio) + C["sb2"] * np.log(
                (pga_rock + C_NL * ratio ** N_NL) / ((pga_rock + C_NL) * ratio ** N_NL))
            stiff = C["sb1"] * np.log(np.minimum(vs30, V_CON) / V_REF)
            mean[m] = self.rock(C, ctx) + np.where(vs30 < V_REF, soft, stiff)
            w = np.interp(ctx.mag, (SD_M_LOW, SD_M_HIGH), (C["a1"], C["a2"]))
            phi[m] = w * C["sd1"]
            tau[m] = w * C["sd2"]
            sig[m] = np.sqrt(phi[m] ** 2 + tau[m] ** 2)


class KaleEtAl2015Iran(KaleEtAl2015Turkey):
    """Kale et al. (2015), model for Iran."""

    COEFFS = coeffs_table(__file__, "kale_2015", "iran.csv")
    C1 = 7.0
