"""A trivial ground-motion model: the same median everywhere."""
from __future__ import annotations

import math

from oqcore.hazard.gsim.base import GMPE, TOTAL


class ExampleConstantGMPE(GMPE):
    """ln(median) = ln(``median``) for every rupture, site and IMT; the total standard
    deviation is ``sigma`` (natural-log units). Defaults: median 0.1 g, sigma 0.5.

    In a GSIM logic tree: ``ExampleConstantGMPE`` or the TOML form
    ``[ExampleConstantGMPE]`` / ``median = 0.2``.
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    ARGUMENTS = {"median": 0.1, "sigma": 0.5}

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, _imt in enumerate(imts):
            mean[m] = math.log(self.median)
            sig[m] = self.sigma
