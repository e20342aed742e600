"""Manea et al. (2021): ground-motion model for the intermediate-depth earthquakes of
Vrancea (Romania).

Manea, E. F., Cioflan, C. O. and Danciu, L. (2022). Ground-motion models for Vrancea
intermediate-depth earthquakes. Earthquake Spectra 38(1), 407-431.

ln Y = φ0 + φ1 (M - 5.7) + φ2 (M - 5.7)² + φ3 ln Rhypo + φ_arc Rhypo + φ4 h
       + φ_EC8 + φ8 ln(f0 / 15),
Y in cm/s² (converted to g), h the hypocentral depth (km), φ_arc the anelastic term of
the site's position to the Carpathian arc (site parameter ``backarc``: 0 fore-arc φ7,
1 back-arc φ6, 2 along-arc φ5), φ_EC8 the term of the EC8 class by vs30 (A >= 800 m/s
φ9, B 360-800 φ10, C 180-360 φ11, none below) and f0 the site's fundamental frequency
(Hz; 15 Hz, the reference rock, gives no term). The total standard deviation is
tabulated.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN_CMS2_PER_G, TOTAL, coeffs_table)

#: hinge magnitude and reference frequency (Hz)
M_REF, F0_REF = 5.7, 15.0
#: EC8 class limits (m/s)
VS_A, VS_B, VS_C = 800.0, 360.0, 180.0


class ManeaEtAl2021(GMPE):
    """Manea et al. (2021), Vrancea intraslab earthquakes."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "f0", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "manea_2021", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        arc = np.asarray(ctx.backarc).astype(int)
        vs30 = ctx.vs30
        class_a = vs30 >= VS_A
        class_b = (vs30 >= VS_B) & (vs30 < VS_A)
        class_c = (vs30 >= VS_C) & (vs30 < VS_B)
        dm = ctx.mag - M_REF
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            anelastic = np.select([arc == 0, arc == 1, arc == 2],
                                  [C["phi7"], C["phi6"], C["phi5"]], 0.0)
            ln_y = (C["phi0"] + C["phi1"] * dm + C["phi2"] * dm ** 2
                    + C["phi3"] * np.log(ctx.rhypo) + anelastic * ctx.rhypo
                    + C["phi4"] * ctx.hypo_depth
                    + C["phi9"] * class_a + C["phi10"] * class_b + C["phi11"] * class_c
                    + C["phi8"] * np.log(ctx.f0 / F0_REF))
            mean[m] = ln_y - LN_CMS2_PER_G
            tau[m] = C["tau"]
            phi[m] = C["phi"]
            sig[m] = C["sigma"]
