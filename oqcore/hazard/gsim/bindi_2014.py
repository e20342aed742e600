"""Bindi et al. (2014): pan-European model from the RESORCE dataset, Rjb form.

Bindi, D., Massa, M., Luzi, L., Ameri, G., Pacor, F., Puglia, R. and Augliera, P.
(2014). Pan-European ground-motion prediction equations for the average horizontal
component of PGA, PGV, and 5%-damped PSA at spectral periods up to 3.0 s using the
RESORCE dataset. Bulletin of Earthquake Engineering, 12(1), 391-430 (coefficients from
the electronic supplement; see also the Erratum, BEE 12(1), 431-448).

log10 Y = e1 + F_D(R, M) + F_M(M) + F_S + F_sof  (eq. 1) with
F_D = [c1 + c2 (M - Mref)] log10(sqrt(Rjb² + h²) / Rref) - c3 (sqrt(Rjb² + h²) - Rref),
F_M = b1 (M - Mh) + b2 (M - Mh)² for M <= Mh, b3 (M - Mh) otherwise,
F_S = gamma log10(Vs30 / Vref) and F_sof = sofN, sofR or sofS by style of faulting.
Y in cm/s² (PGA, SA) or cm/s (PGV); standard deviations in log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, faulting_style_30,
    ln_g_from_log10_cms2)

#: reference magnitude, hinge magnitude, reference distance (km), velocity (m/s)
MREF = 5.5
MH = 6.75
RREF = 1.0
VREF = 800.0


def distance_term(C, mag, rjb):
    """F_D (log10 units), R = sqrt(Rjb² + h²) in km."""
    r = np.sqrt(rjb ** 2 + C["h"] ** 2)
    return ((C["c1"] + C["c2"] * (mag - MREF)) * np.log10(r / RREF)
            - C["c3"] * (r - RREF))


def magnitude_term(C, mag):
    """F_M (log10 units), quadratic up to Mh = 6.75, linear (b3) above."""
    dmag = mag - MH
    return np.where(mag <= MH, C["b1"] * dmag + C["b2"] * dmag ** 2, C["b3"] * dmag)


def site_term(C, vs30):
    """F_S = gamma log10(Vs30 / 800), vs30 in m/s."""
    return C["gamma"] * np.log10(vs30 / VREF)


def faulting_term(C, rake):
    """F_sof: strike-slip |rake| <= 30 or >= 150 (sofS), reverse 30 < rake < 150
    (sofR), normal otherwise (sofN)."""
    ss, _ns, rs = faulting_style_30(rake)
    return np.where(ss, C["sofS"], np.where(rs, C["sofR"], C["sofN"]))


class BindiEtAl2014Rjb(GMPE):
    """Bindi et al. (2014), Joyner-Boore distance, vs30-based site term."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: supplement table for Rjb with vs30 (e1, c1..c3, h, b1..b3, gamma, sofN, sofR,
    #: sofS; tau, phi, phis2s, sigma in log10 units)
    COEFFS = coeffs_table(__file__, "bindi_2014", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["e1"] + distance_term(C, ctx.mag, ctx.rjb)
                     + magnitude_term(C, ctx.mag) + site_term(C, ctx.vs30)
                     + faulting_term(C, ctx.rake))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["sigma"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]
