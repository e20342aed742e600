"""Atkinson (2015): small-to-moderate events at short hypocentral distances (induced
seismicity).

Atkinson, G. M. (2015). Ground-motion prediction equation for small-to-moderate events
at short hypocentral distances, with application to induced-seismicity hazards.
Bulletin of the Seismological Society of America, 105(2A), 981-992.

Equations (2)-(3), B/C site conditions, RotD50::

    log10 Y = c0 + c1 M + c2 M² + c3 log10 R + c4 R,   R = sqrt(rhypo² + h_eff²)
    h_eff = max(1, 10^(-1.72 + 0.43 M))            (default)
    h_eff = max(1, 10^(-0.28 + 0.19 M))            (Atkinson2015AltDistSat, page 986)

with Y in cm/s² (cm/s for PGV) and sigma, tau, phi in log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2)


class Atkinson2015(GMPE):
    """Atkinson (2015) induced-seismicity model."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Induced"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "atkinson_2015", "COEFFS.csv")
    #: (a, b) of the effective depth h_eff = 10^(a + b M) (km)
    EFFECTIVE_DEPTH = (-1.72, 0.43)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag
        a, b = self.EFFECTIVE_DEPTH
        h_eff = np.maximum(10.0 ** (a + b * mag), 1.0)
        r = np.sqrt(ctx.rhypo ** 2 + h_eff ** 2)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log10_y = (C["c0"] + C["c1"] * mag + C["c2"] * mag ** 2
                       + C["c3"] * np.log10(r) + C["c4"] * r)
            mean[m] = ln_g_from_log10_cms2(log10_y, imt)
            sig[m], tau[m], phi[m] = LN10 * C["sigma"], LN10 * C["tau"], LN10 * C["phi"]


class Atkinson2015AltDistSat(Atkinson2015):
    """Atkinson (2015) with the alternative, stronger distance saturation (page 986)."""

    EFFECTIVE_DEPTH = (-0.28, 0.19)
