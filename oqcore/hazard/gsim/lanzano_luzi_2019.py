"""Lanzano and Luzi (2019): ground-motion model for volcanic areas in Italy.

Lanzano, G. and Luzi, L. (2020). A ground motion model for volcanic areas in Italy.
Bulletin of Earthquake Engineering 18, 17-40.

log10 Y = a + b M + F_D + sB S_B + sC S_C, Y in cm/s² (PGA, SA) or cm/s (PGV), with
S_B = 1 for EC8 class B (360 <= vs30 < 800 m/s), S_C = 1 for classes C and D
(vs30 < 360 m/s), and the distance term of the shallow volcano-tectonic events (focal
depth < 5 km, eq. 9), c1 log10(sqrt(Rhypo² + 2²)), or of the deeper events (eq. 5),
c2 log10(R) + c3 R with R = sqrt(Rhypo² + 5²). Standard deviations in log10 units.
The ``_scaled`` variants predict the maximum horizontal component (their own
coefficients, fewer periods).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2)

#: pseudo-depths (km) of the shallow and deep distance terms
H_SHALLOW, H_DEEP = 2.0, 5.0
#: EC8 class limits (m/s): B from 360 m/s, A from 800 m/s
VS_B, VS_A = 360.0, 800.0


class LanzanoLuzi2019shallow(GMPE):
    """Lanzano and Luzi (2019), shallow volcano-tectonic events."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "lanzano_luzi_2019", "COEFFS.csv")
    DEEP = False

    def distance_term(self, C, rhypo):
        """F_D (log10 units), shape (N,)."""
        if self.DEEP:
            r = np.sqrt(rhypo ** 2 + H_DEEP ** 2)
            return C["c2"] * np.log10(r) + C["c3"] * r
        return C["c1"] * np.log10(np.sqrt(rhypo ** 2 + H_SHALLOW ** 2))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        vs30 = ctx.vs30
        class_b = (vs30 >= VS_B) & (vs30 < VS_A)
        class_cd = vs30 < VS_B
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["a"] + C["b"] * ctx.mag + self.distance_term(C, ctx.rhypo)
                     + C["sB"] * class_b + C["sC"] * class_cd)
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["sigma"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]


class LanzanoLuzi2019deep(LanzanoLuzi2019shallow):
    """Lanzano and Luzi (2019), deeper (regional tectonic) events."""

    DEEP = True


class LanzanoLuzi2019shallow_scaled(LanzanoLuzi2019shallow):
    """Lanzano and Luzi (2019), shallow events, maximum horizontal component."""

    COEFFS = coeffs_table(__file__, "lanzano_luzi_2019", "COEFFS_SCALED.csv")


class LanzanoLuzi2019deep_scaled(LanzanoLuzi2019shallow_scaled):
    """Lanzano and Luzi (2019), deeper events, maximum horizontal component."""

    DEEP = True
