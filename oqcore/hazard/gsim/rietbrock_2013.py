"""Rietbrock, Strasser and Edwards (2013): stochastic ground-motion model for the UK.

Rietbrock, A., Strasser, F. and Edwards, B. (2013). A stochastic earthquake ground-motion
prediction model for the United Kingdom. Bulletin of the Seismological Society of
America, 103(1), 57-77.

Eq. (10), log10 of the motion in cm/s² (cm/s for PGV) on rock::

    log10 Y = c1 + c2 M + c3 M² + (c4 + c5 M) f0 + (c6 + c7 M) f1 + (c8 + c9 M) f2 + c10 R

with R = sqrt(Rjb² + c11²) (eq. 11) and the distance segments of eq. (12), hinges
r0 = 10, r1 = 50, r2 = 100 km::

    f0 = max(log10(r0 / R), 0),  f1 = log10(min(R, r1)),  f2 = max(log10(R / r2), 0)

Standard deviations: tau and phi of the tables (log10 units), total sqrt(tau² + phi²).

* RietbrockEtAl2013SelfSimilar: constant stress parameter (Table 5).
* RietbrockEtAl2013MagDependent: magnitude-dependent stress parameter (Table 6).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2)

#: hinge distances (km) of the three distance segments
R0, R1, R2 = 10.0, 50.0, 100.0


def distance_segments(r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The segment functions f0, f1, f2 of eq. (12) at depth-adjusted distances ``r``
    (km, (N,))."""
    f0 = np.maximum(np.log10(R0 / r), 0.0)
    f1 = np.log10(np.minimum(r, R1))
    f2 = np.maximum(np.log10(r / R2), 0.0)
    return f0, f1, f2


class RietbrockEtAl2013SelfSimilar(GMPE):
    """Rietbrock et al. (2013), self-similar (constant) stress parameter."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "rietbrock_2013", "self_similar.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            r = np.sqrt(ctx.rjb ** 2 + C["c11"] ** 2)
            f0, f1, f2 = distance_segments(r)
            log10_y = (C["c1"] + C["c2"] * mag + C["c3"] * mag ** 2
                       + (C["c4"] + C["c5"] * mag) * f0 + (C["c6"] + C["c7"] * mag) * f1
                       + (C["c8"] + C["c9"] * mag) * f2 + C["c10"] * r)
            mean[m] = ln_g_from_log10_cms2(log10_y, imt)
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]
            sig[m] = LN10 * np.hypot(C["tau"], C["phi"])


class RietbrockEtAl2013MagDependent(RietbrockEtAl2013SelfSimilar):
    """Rietbrock et al. (2013), magnitude-dependent stress parameter."""

    COEFFS = coeffs_table(__file__, "rietbrock_2013", "mag_dependent.csv")
