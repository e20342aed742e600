"""Faccioli and Cauzzi (2006): macroseismic intensity from instrumental correlations.

Faccioli, E. and Cauzzi, C. (2006). Macroseismic intensities for seismic scenarios
estimated from instrumentally based correlations. First European Conference on Earthquake
Engineering and Seismology, Geneva, paper 569.

MMI = c1 + c2 M + c3 ln(sqrt(Repi² + h²)), σ in intensity units; the "mean" is the
intensity itself, not a logarithm.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table


class FaccioliCauzzi2006(GMPE):
    """Faccioli and Cauzzi (2006) MMI, epicentral distance."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["MMI"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["repi"])

    COEFFS = coeffs_table(__file__, "faccioli_cauzzi_2006", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (C["c1"] + C["c2"] * ctx.mag
                       + C["c3"] * np.log(np.sqrt(ctx.repi ** 2 + C["h"] ** 2)))
            sig[m] = C["sigma"]
