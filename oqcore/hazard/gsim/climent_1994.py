"""Climent et al. (1994): spectral strong-motion attenuation in Central America.

Climent, A., Taylor, W., Ciudad Real, M., Strauch, W., Villagrán, M., Dahle, A. and
Bungum, H. (1994). Spectral strong motion attenuation in Central America. NORSAR
Technical Report 2-17, 46 pp.

Equation 1 (Table 4.1), larger horizontal component::

    ln Y = c1 + c2 M + c3 ln R + c4 R + c5 S

with R the hypocentral distance (km, at least 6.056877878 km), S = 1 on soil (here
vs30 < 760 m/s) and Y the PGA (m/s²) or the 5 %-damped PSV (m/s). SA = PSV 2π / T;
both are divided by the larger-to-geometric-mean ratio r_SA and the total sigma by
r_std (Beyer and Bommer, 2006).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim.base import G_ACCEL, GMPE, TOTAL, coeffs_table

#: smallest hypocentral distance (km) of the equation
MIN_RHYPO = 6.056877878
#: vs30 (m/s) below which a site is soil (S = 1)
VS30_SOIL = 760.0


class ClimentEtAl1994(GMPE):
    """Climent et al. (1994); the medians are divided by r_SA, the component keeps the
    label of the original (the larger horizontal), as in OpenQuake."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Greater of two horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "climent_1994", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        r = np.maximum(ctx.rhypo, MIN_RHYPO)
        soil = (ctx.vs30 < VS30_SOIL).astype(float)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = (C["c1"] + C["c2"] * ctx.mag + C["c3"] * np.log(r) + C["c4"] * r
                    + C["c5"] * soil)
            if imt.name == "SA":  # PSV (m/s) to SA (m/s²)
                ln_y += math.log(2.0 * math.pi / imt.period)
            mean[m] = ln_y - math.log(G_ACCEL) - math.log(C["r_SA"])
            sig[m] = C["SigmaB"] / C["r_std"]
