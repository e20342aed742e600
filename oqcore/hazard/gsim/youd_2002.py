"""Youd, Hansen and Bartlett (2002): lateral spread displacement.

Youd, T. L., Hansen, C. M. and Bartlett, S. F. (2002). Revised multilinear regression
equations for prediction of lateral spread displacement. Journal of Geotechnical and
Geoenvironmental Engineering, 128(12), 1007-1017.

log10 D (m) = c0 + c1 M + c2 log10 R* + c3 R + c4 log10 S + c5 log10 T15
              + c6 log10(100 - F15) + c7 log10(D50_15 + 0.1)

with R* = R + 10^(0.89 M - 5.64), R the epicentral distance (km; 5 km for sources at
least 50 km deep within 5 km, an adjustment of the OpenQuake implementation), T15 the
thickness (m) of saturated granular layers with corrected blow count below 15, F15 their
fines content (%) and D50_15 their mean grain size (mm). Gently sloping ground uses
S = ground slope (%) and the ground-slope coefficients; sites with zero slope are
free-face sites, with S = the free-face ratio (%) and the free-face coefficients
(c0 = -16.713, c4 = 0.592). IMT: LSD, the displacement in m; σ = 0.197 log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL, coeffs_table

#: deep sources (km) closer than NEAR_DISTANCE (km) take that epicentral distance
DEEP_SOURCE, NEAR_DISTANCE = 50.0, 5.0


class YoudEtAl2002(GMPE):
    """Youd et al. (2002) lateral spread displacement (LSD, m)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["LSD"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["D50_15", "F_15", "T_15", "freeface_ratio",
                                           "slope"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["repi"])

    COEFFS_SLOPE = coeffs_table(__file__, "youd_2002", "slope.csv")
    COEFFS_FREE_FACE = coeffs_table(__file__, "youd_2002", "free_face.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        repi = np.where((ctx.repi < NEAR_DISTANCE) & (ctx.hypo_depth >= DEEP_SOURCE),
                        NEAR_DISTANCE, ctx.repi)
        r_star = repi + 10.0 ** (0.89 * ctx.mag - 5.64)
        free_face = ctx.slope == 0.0
        s = np.where(free_face, ctx.freeface_ratio, ctx.slope)
        for m, imt in enumerate(imts):
            Cs, Cf = self.COEFFS_SLOPE[imt], self.COEFFS_FREE_FACE[imt]
            c = {k: np.where(free_face, Cf[k], Cs[k]) for k in Cs.dtype.names}
            log10_d = (c["c0"] + c["c1"] * ctx.mag + c["c2"] * np.log10(r_star)
                       + c["c3"] * repi + c["c4"] * np.log10(s)
                       + c["c5"] * np.log10(ctx.T_15) + c["c6"] * np.log10(100.0 - ctx.F_15)
                       + c["c7"] * np.log10(ctx.D50_15 + 0.1))
            mean[m] = LN10 * log10_d
            sig[m] = LN10 * Cs["sigma"]
