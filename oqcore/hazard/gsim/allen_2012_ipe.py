"""Allen, Wald and Worden (2012): intensity prediction equation for active crustal regions.

Allen, T. I., Wald, D. J. and Worden, C. B. (2012). Intensity attenuation in active crustal
regions. Journal of Seismology, 16, 409-433.

The "mean" is the Modified Mercalli Intensity itself (not a logarithm), on rock (no site
term):

* rupture distance (eq. 3): MMI = c0 + c1 M + c2 ln(sqrt(Rrup² + (1 + c3 e^(M - 5))²));
* hypocentral distance (eq. 2): MMI = c0 + c1 M + c2 ln(sqrt(Rhypo² + Rm²))
  [+ c4 ln(Rhypo / 50) beyond 50 km], Rm = m1 + m2 e^(M - 5);

σ = s1 + s2 / (1 + (R / s3)²) in intensity units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table

#: reference magnitude of the near-source terms, and distance (km) where the hypocentral
#: form's anelastic term starts
MREF, R_ANELASTIC = 5.0, 50.0


class AllenEtAl2012(GMPE):
    """Allen et al. (2012) MMI, rupture distance."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["MMI"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "allen_2012_ipe", "RRUP.csv")
    DISTANCE = "rrup"

    def distance_term(self, C, mag, r):
        """Distance term (intensity units), (N,)."""
        return C["c2"] * np.log(np.sqrt(r ** 2 + (1.0 + C["c3"] * np.exp(mag - MREF)) ** 2))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        r = ctx[self.DISTANCE]
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = C["c0"] + C["c1"] * ctx.mag + self.distance_term(C, ctx.mag, r)
            sig[m] = C["s1"] + C["s2"] / (1.0 + (r / C["s3"]) ** 2)


class AllenEtAl2012Rhypo(AllenEtAl2012):
    """Allen et al. (2012) MMI, hypocentral distance."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "allen_2012_ipe", "RHYPO.csv")
    DISTANCE = "rhypo"

    def distance_term(self, C, mag, r):
        r_m = C["m1"] + C["m2"] * np.exp(mag - MREF)
        far = np.where(r > R_ANELASTIC, C["c4"] * np.log(r / R_ANELASTIC), 0.0)
        return C["c2"] * np.log(np.sqrt(r ** 2 + r_m ** 2)) + far
