"""Bindi et al. (2011): Italian strong-motion database (ITACA) model.

Bindi, D., Pacor, F., Luzi, L., Puglia, R., Massa, M., Ameri, G. and Paolucci, R.
(2011). Ground motion prediction equations derived from the Italian strong motion
database. Bulletin of Earthquake Engineering, 9(6), 1899-1920,
DOI 10.1007/s10518-011-9313-z.

log10 Y = e1 + F_D(R, M) + F_M(M) + F_S + F_sof  (eq. 1) with
F_D = [c1 + c2 (M - Mref)] log10(sqrt(Rjb² + h²) / Rref) - c3 (sqrt(Rjb² + h²) - Rref),
F_M = b1 (M - Mh) + b2 (M - Mh)² for M <= Mh, b3 (M - Mh) otherwise (b3 = 0),
F_S = s_j for the EC8 site class j, F_sof = f_j for the style of faulting j.
Y in cm/s² (PGA, SA) or cm/s (PGV); standard deviations in log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, faulting_style_30,
    ln_g_from_log10_cms2)

#: reference magnitude and distance (km) of the distance function
MREF = 5.0
RREF = 1.0
#: hinge magnitude and the slope above it
MH = 6.75
B3 = 0.0
#: EC8 site-class lower vs30 bounds (m/s): A >= 800, B >= 360, C >= 180, D below
VS30_A = 800.0
VS30_B = 360.0
VS30_C = 180.0


def distance_term(C, mag, rjb, mref=MREF):
    """F_D (log10 units), R = sqrt(Rjb² + h²) in km; the 2014 model (Bindi et al.
    2014) keeps this form with its own reference magnitude ``mref``."""
    r = np.sqrt(rjb ** 2 + C["h"] ** 2)
    return ((C["c1"] + C["c2"] * (mag - mref)) * np.log10(r / RREF)
            - C["c3"] * (r - RREF))


def magnitude_term(C, mag, b3=B3):
    """F_M (log10 units), quadratic up to Mh = 6.75, linear above with slope ``b3``
    (0 here; a coefficient of the 2014 model)."""
    dmag = mag - MH
    return np.where(mag <= MH, C["b1"] * dmag + C["b2"] * dmag ** 2, b3 * dmag)


def site_term(C, vs30):
    """F_S: EC8 class coefficient (A >= 800, B [360, 800), C [180, 360), D < 180)."""
    return np.select([vs30 >= VS30_A, vs30 >= VS30_B, vs30 >= VS30_C],
                     [C["sA"], C["sB"], C["sC"]], C["sD"])


def faulting_term(C, rake):
    """F_sof: strike-slip |rake| <= 30 or >= 150 (f3), reverse 30 < rake < 150 (f2),
    normal otherwise (f1); the unknown-style coefficient f4 is not used."""
    ss, _ns, rs = faulting_style_30(rake)
    return np.where(ss, C["f3"], np.where(rs, C["f2"], C["f1"]))


class BindiEtAl2011(GMPE):
    """Bindi et al. (2011), geometric mean horizontal component, Joyner-Boore distance."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: Table 4 (e1, c1..c3, h, b1, b2, sA..sE, f1..f4; SigmaB = inter-event,
    #: SigmaW = intra-event, SigmaTot; log10 units)
    COEFFS = coeffs_table(__file__, "bindi_2011", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["e1"] + distance_term(C, ctx.mag, ctx.rjb)
                     + magnitude_term(C, ctx.mag) + site_term(C, ctx.vs30)
                     + faulting_term(C, ctx.rake))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["SigmaTot"]
            tau[m] = LN10 * C["SigmaB"]
            phi[m] = LN10 * C["SigmaW"]
