"""Idini et al. (2017): interface and intraslab earthquakes of the Chilean subduction zone.

Idini, B., Rojas, F., Ruiz, S. and Pastén, C. (2017). Ground motion prediction equations
for the Chilean subduction zone. Bulletin of Earthquake Engineering, 15(5), 1853-1880.

Base-10 logarithm of the median in g: log Y = F_F(M, H) + F_D(R, M) + F_S, with

* source (eq. 3): c1 + c2 M + c9 M² (interface); c1 + c2 M + c8 (H - h0) + Δc1 + Δc2 M
  (intraslab), h0 = 50 km;
* path (eq. 5): g log10(R + R0) + c5 R with g = c3 + c4 (M - Mr) and R0 = c6
  10^(c7 (M - Mr)) for interface events, R = rhypo below Mw 7.7 and rrup above;
  (g + Δc3) log10(R) + c5 R with R = rhypo for intraslab events;
* site (eq. 18): s_T log10(vs30 / Vref), s_T the coefficient of the soil type T = 2..6
  (none for type 1, rock, or types outside 1..6).

Coefficients in data/idini_2017/coeffs.csv; sigma_e and sigma_r (log10) are the
inter- and intra-event standard deviations.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table)

#: reference magnitude, reference velocity (m/s), c4, c6, c7 and h0 (km) of the paper
MR, VREF, C4, C6, C7, H0 = 5.0, 1530.0, 0.1, 5.0, 0.35, 50.0
#: magnitude from which interface events use rrup rather than rhypo
MAG_RRUP = 7.7
#: the soil types having a site coefficient (s2..s6)
SOIL_TYPES = (2, 3, 4, 5, 6)


def site_term(C, soiltype: np.ndarray, vs30: np.ndarray) -> np.ndarray:
    """s_T log10(vs30 / Vref) of each site (log10 units)."""
    coeff = np.zeros(len(soiltype))
    for t in SOIL_TYPES:
        coeff[soiltype == t] = C["s%d" % t]
    return coeff * np.log10(vs30 / VREF)


class IdiniEtAl2017SInter(GMPE):
    """Idini et al. (2017) for interface events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["soiltype", "vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rhypo"])

    COEFFS = coeffs_table(__file__, "idini_2017", "coeffs.csv")

    def source_path(self, C, ctx) -> np.ndarray:
        """Source and path terms (log10 units)."""
        mag = ctx.mag
        r = np.where(mag < MAG_RRUP, ctx.rhypo, ctx.rrup)
        g = C["c3"] + C4 * (mag - MR)
        r0 = C6 * 10.0 ** (C7 * (mag - MR))
        return (C["c1"] + C["c2"] * mag + C["c9"] * mag ** 2
                + g * np.log10(r + r0) + C["c5"] * r)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = self.source_path(C, ctx) + site_term(C, ctx.soiltype, ctx.vs30)
            mean[m] = LN10 * log_y
            tau[m] = LN10 * C["sigma_e"]
            phi[m] = LN10 * C["sigma_r"]
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class IdiniEtAl2017SSlab(IdiniEtAl2017SInter):
    """Idini et al. (2017) for intraslab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])

    def source_path(self, C, ctx):
        mag, r = ctx.mag, ctx.rhypo
        g = C["c3"] + C4 * (mag - MR) + C["dc3"]
        return (C["c1"] + C["c2"] * mag + C["c8"] * (ctx.hypo_depth - H0)
                + C["dc1"] + C["dc2"] * mag + g * np.log10(r) + C["c5"] * r)
