"""Kotha et al. (2020): regionally-adaptable model for shallow crustal earthquakes in Europe.

Kotha, S. R., Weatherill, G., Bindi, D. and Cotton, F. (2020). A regionally-adaptable
ground-motion model for shallow crustal earthquakes in Europe. Bulletin of Earthquake
Engineering, 18, 4091-4125.

The reference-rock (no site term), ergodic form with default regional adjustments:

ln Y = e1 + f_R,g(M, R) + f_R,a(R) + f_M(M)                                     (eq. 4)

f_R,g = [c1 + c2 (M - Mref)] ln(R / Rref_h),   f_R,a = c3 / 100 (R - Rref_h),
f_M = b1 (M - Mh) + b2 (M - Mh)^2 (M <= Mh) or b3 (M - Mh) (M > Mh),
R = sqrt(Rjb^2 + h^2), Rref_h = sqrt(Rref^2 + h^2), h a pseudo-depth set by the
hypocentral depth. Y is in cm/s^2 for PGA and SA (converted here to g), cm/s for PGV.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN_CMS2_PER_G, TOTAL, coeffs_table)

#: reference magnitude of the distance scaling
MREF = 4.5
#: reference distance (km)
RREF = 30.0
#: hinge magnitude of the magnitude scaling
MH = 5.7
#: pseudo-depths (km) for hypocentral depth D <= 10 km, 10 < D <= 20 km, D > 20 km
#: (bounds as the reference implementation applies them)
H_D10, H_10D20, H_D20 = 4.0, 8.0, 12.0
#: value of one standard deviation of the regional c3 (used only with c3_epsilon)
C3_EPS = 1.732051
#: ln of the factor from cm/s^2 to g


class KothaEtAl2020(GMPE):
    """Kotha et al. (2020), reference-rock ergodic model (default arguments)."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "kotha_2020", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag
        h = pseudo_depth(ctx.hypo_depth)
        r = np.sqrt(ctx.rjb ** 2 + h ** 2)  # km
        r_ref = np.sqrt(RREF ** 2 + h ** 2)  # km
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = (C["e1"] + _magnitude_term(C, mag)
                    + (C["c1"] + C["c2"] * (mag - MREF)) * np.log(r / r_ref)
                    + C["c3"] * (r - r_ref) / 100.0)
            mean[m] = ln_y if imt.name == "PGV" else ln_y - LN_CMS2_PER_G
            # ergodic: between-event tau_0; within-event phi_0 with site-to-site phi_S2S
            tau[m] = C["tau_event_0"]
            phi[m] = np.sqrt(C["phi_0"] ** 2 + C["phis2s"] ** 2)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


def pseudo_depth(hypo_depth):
    """Pseudo-depth h (km) from the hypocentral depth (km)."""
    return np.where(hypo_depth <= 10.0, H_D10, np.where(hypo_depth <= 20.0, H_10D20, H_D20))


def _magnitude_term(C, mag):
    """f_M: quadratic below the hinge magnitude Mh, linear above."""
    dm = mag - MH
    return np.where(mag <= MH, C["b1"] * dm + C["b2"] * dm ** 2, C["b3"] * dm)
