"""Bindi et al. (2017): ground-motion model for non-cratonic moderate-seismicity areas.

Bindi, D., Cotton, F., Kotha, S. R., Bosse, C., Stromeyer, D. and Grünthal, G. (2017).
Application-driven ground motion prediction equation for seismic hazard assessments in
non-cratonic moderate-seismicity areas. Journal of Seismology 21(5), 1201-1218.

ln Y = F_M(M) + F_D(M, R) + s_A ln(vs30 / 800), Y in m/s² (converted to g), with

F_M = e1 + b1 (M - Mref) + b2 (M - Mref)²                    M < Mh     (eq. 4)
    = e1 + b1 (Mh - Mref) + b2 (Mh - Mref)² + b3 (M - Mh)      M >= Mh
F_D = [c1 + c2 (M - Mref)] ln(R / Rref) + c3 (R - Rref)                 (eqs. 2-3)

Mref = 4.5, Mh = 6.5, Rref = 1 km; R = sqrt(Rjb² + h²) (``Rjb``) or the hypocentral
distance (``Rhypo``), each with its own coefficients.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    G_ACCEL, INTER_EVENT, INTRA_EVENT, TOTAL, MedianScaling, coeffs_table)

MREF, MH, RREF = 4.5, 6.5, 1.0
#: reference vs30 (m/s) of the site term
VS_REF = 800.0


def magnitude_term(C, mag):
    """F_M (ln units), shape (N,)."""
    hinge = C["b1"] * (MH - MREF) + C["b2"] * (MH - MREF) ** 2
    return C["e1"] + np.where(mag < MH, C["b1"] * (mag - MREF) + C["b2"] * (mag - MREF) ** 2,
                              hinge + C["b3"] * (mag - MH))


class BindiEtAl2017Rjb(MedianScaling):
    """Bindi et al. (2017), Joyner-Boore distance form."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Continental Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])
    COEFFS = coeffs_table(__file__, "bindi_2017", "rjb.csv")

    def distance(self, C, ctx):
        """R (km), shape (N,)."""
        return np.sqrt(ctx.rjb ** 2 + C["h"] ** 2)

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            r = self.distance(C, ctx)
            f_d = (C["c1"] + C["c2"] * (ctx.mag - MREF)) * np.log(r / RREF) + C["c3"] * (
                r - RREF)
            mean[m] = (magnitude_term(C, ctx.mag) + f_d
                       + C["sA"] * np.log(ctx.vs30 / VS_REF) - np.log(G_ACCEL))
            tau[m] = C["tau"]
            phi[m] = C["phi"]
            sig[m] = np.hypot(C["tau"], C["phi"])


class BindiEtAl2017Rhypo(BindiEtAl2017Rjb):
    """Bindi et al. (2017), hypocentral distance form."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "bindi_2017", "rhypo.csv")

    def distance(self, C, ctx):
        return ctx.rhypo
