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
    INTER_EVENT, INTRA_EVENT, LN10, TOTAL, MedianScaling, coeffs_table, faulting_style_30,
    ln_g_from_log10_cms2)
from oqcore.hazard.gsim.bindi_2011 import distance_term, magnitude_term

#: reference magnitude and velocity (m/s); the hinge magnitude and reference distance
#: are those of Bindi et al. (2011), whose distance and magnitude functions are reused
MREF = 5.5
VREF = 800.0


def site_term(C, vs30):
    """F_S = gamma log10(Vs30 / 800), vs30 in m/s."""
    return C["gamma"] * np.log10(vs30 / VREF)


def faulting_term(C, rake):
    """F_sof: strike-slip |rake| <= 30 or >= 150 (sofS), reverse 30 < rake < 150
    (sofR), normal otherwise (sofN)."""
    ss, _ns, rs = faulting_style_30(rake)
    return np.where(ss, C["sofS"], np.where(rs, C["sofR"], C["sofN"]))


class BindiEtAl2014Rjb(MedianScaling):
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

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["e1"] + distance_term(C, ctx.mag, ctx.rjb, MREF)
                     + magnitude_term(C, ctx.mag, C["b3"]) + site_term(C, ctx.vs30)
                     + faulting_term(C, ctx.rake))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["sigma"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]
