"""Bindi et al. (2011): intensity prediction equations for Central Asia.

Bindi, D., Parolai, S., Oth, A., Abdrakhmatov, K., Muraliev, A. and Zschau, J. (2011).
Intensity prediction equations for Central Asia. Geophysical Journal International, 187,
327-337 (Table 1).

The "mean" is the intensity (MSK-64) itself:

* epicentral distance (eq. 5), focal depth h (km)::

      I = a1 M + a2 - a3 log10(sqrt(Repi² + h²) / h) - a4 (sqrt(Repi² + h²) - h)

  with the rupture's hypocentral depth (BindiEtAl2011Repi) or h = 15 km
  (BindiEtAl2011RepiFixedH, its own coefficients);
* hypocentral distance, with MS(20) = 6.5 - 1.5 (6.5 - Mw) for Mw <= 6.5 (Mw above)::

      I = a1 MS(20) + a2 - a3 log10(Rhypo / 10) - a4 (Rhypo - 10)

  whose error is split into between-event (0.373) and within-event (0.227) terms.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (INTER_EVENT, INTRA_EVENT, TOTAL, IntensityModel,
                                     coeffs_table)

#: focal depth (km) of the fixed-depth form
FIXED_DEPTH = 15.0
#: reference hypocentral distance (km) of the hypocentral form
R_REF = 10.0
#: Mw at and below which MS(20) differs from Mw
MS20_HINGE = 6.5


class BindiEtAl2011Repi(IntensityModel):
    """Bindi et al. (2011) intensity, epicentral distance, the rupture's focal depth."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["repi"])

    COEFFS = coeffs_table(__file__, "bindi_2011_ipe", "repi.csv")
    #: focal depth (km) used instead of the rupture's, or None
    DEPTH = None

    def compute(self, ctx, imts, mean, sig, tau, phi):
        depth = ctx.hypo_depth if self.DEPTH is None else self.DEPTH
        slant = np.sqrt(ctx.repi ** 2 + depth ** 2)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (C["a1"] * ctx.mag + C["a2"] - C["a3"] * np.log10(slant / depth)
                       - C["a4"] * (slant - depth))
            sig[m] = C["sigma"]


class BindiEtAl2011RepiFixedH(BindiEtAl2011Repi):
    """Bindi et al. (2011) intensity, epicentral distance, focal depth fixed at 15 km."""

    COEFFS = coeffs_table(__file__, "bindi_2011_ipe", "repi_fixed_h.csv")
    DEPTH = FIXED_DEPTH


class BindiEtAl2011Rhypo(IntensityModel):
    """Bindi et al. (2011) intensity, hypocentral distance, magnitude MS(20)."""

    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "bindi_2011_ipe", "rhypo.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        ms20 = np.where(ctx.mag <= MS20_HINGE, MS20_HINGE - 1.5 * (MS20_HINGE - ctx.mag),
                        ctx.mag)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (C["a1"] * ms20 + C["a2"] - C["a3"] * np.log10(ctx.rhypo / R_REF)
                       - C["a4"] * (ctx.rhypo - R_REF))
            tau[m], phi[m] = C["be"], C["we"]
            sig[m] = np.sqrt(C["be"] ** 2 + C["we"] ** 2)
