"""Drouet (unpublished) models for Brazil, built with the method of Drouet and Cotton
(2015).

Drouet, S. and Cotton, F. (2015). Regional stochastic GMPEs in low-seismicity areas:
scaling and aleatory variability analysis - application to the French Alps. Bulletin
of the Seismological Society of America, 105(4), 1883-1902 (the functional form,
eq. 8); coefficients from the models' electronic tables.

ln Y = c1 + c2 (M - 8) + c3 (M - 8)² + (c4 + c5 M) ln sqrt(rjb² + h²) + c R rjb

in m/s² (m/s for PGV), with h = c6 and c R = c7 for the base model, h the hypocentral
depth and c R = c6 for the model with magnitude-dependent depths
(``DrouetBrazil2015withDepth``). Standard deviations: within-event sigma, between-event
tau.
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim.base import (G_ACCEL, GMPE, INTER_EVENT, INTRA_EVENT, TOTAL,
                                     coeffs_table)


class DrouetBrazil2015(GMPE):
    """Drouet (2015) for Brazil, fixed near-source term h = c6."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "drouet_2015_brazil", "COEFFS.csv")

    def _near_source_and_anelastic(self, C, ctx):
        """(h (km), anelastic coefficient) of the distance term."""
        return C["c6"], C["c7"]

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            h, c_r = self._near_source_and_anelastic(C, ctx)
            dm = ctx.mag - 8.0
            ln_y = (C["c1"] + C["c2"] * dm + C["c3"] * dm ** 2
                    + (C["c4"] + C["c5"] * ctx.mag) * np.log(np.sqrt(ctx.rjb ** 2 + h ** 2))
                    + c_r * ctx.rjb)
            # m/s² to g; m/s to cm/s
            mean[m] = ln_y + (math.log(100.0) if imt.name == "PGV" else -math.log(G_ACCEL))
            phi[m], tau[m] = C["sigma"], C["tau"]
            sig[m] = math.hypot(C["sigma"], C["tau"])


class DrouetBrazil2015withDepth(DrouetBrazil2015):
    """Drouet (2015) for Brazil with magnitude-dependent depths: h is the hypocentral
    depth."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])

    COEFFS = coeffs_table(__file__, "drouet_2015_brazil", "COEFFS_WITH_DEPTH.csv")

    def _near_source_and_anelastic(self, C, ctx):
        return ctx.hypo_depth, C["c6"]
