"""Geomatrix Consultants (1993): intraslab earthquakes, NSHMP 2008 form.

Geomatrix Consultants (1993). Seismic margin earthquake for the Trojan site. Final
unpublished report for Portland General Electric, Trojan nuclear plant, Rainier, Oregon;
as coded in ``getGeom`` of the USGS ``hazgridXnga2.f`` (2008), B/C rock.

The equation has the form of the Youngs et al. (1997) rock equation for intraslab events
(:mod:`youngs_1997`, Zt = 1) with the depth to the top of rupture in place of the focal
depth and the coefficients C1-C5 of the Geomatrix report::

    ln y = 0.2418 + 1.414 M + C1 + C2 (10 - M)^3 + C3 ln(rrup + 1.7818 exp(0.554 M))
           + 0.00607 Ztor + 0.3846

sigma = C4 + C5 min(M, 8).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table
from oqcore.hazard.gsim.youngs_1997 import ROCK, SIGMA_MAX_MAG, _ln_mean


class Geomatrix1993SSlabNSHMP2008(GMPE):
    """Geomatrix (1993) intraslab model as the USGS 2008 maps use it."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "geomatrix_1993", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        sigma_mag = np.minimum(ctx.mag, SIGMA_MAX_MAG)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = _ln_mean(ROCK, C, ctx.mag, ctx.rrup, ctx.ztor, 1.0)
            sig[m] = C["C4"] + C["C5"] * sigma_mag
