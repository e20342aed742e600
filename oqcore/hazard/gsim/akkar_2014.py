"""Akkar, Sandikkaya and Bommer (2014): crustal earthquakes in Europe and the Middle East.

Akkar, S., Sandikkaya, M. A. and Bommer, J. J. (2014). Empirical ground-motion models
for point- and extended-source crustal earthquake scenarios in Europe and the Middle
East. Bulletin of Earthquake Engineering, 12(1), 359-387.

Reference-rock motion, equation (2), with R the Joyner-Boore or hypocentral distance
(km)::

    ln Y_REF = a1 + a2|a7 (M - c1) + a3 (8.5 - M)^2
               + [a4 + a5 (M - c1)] ln sqrt(R^2 + a6^2) + a8 F_N + a9 F_R

(a2 for M <= c1, a7 above). Site amplification, equation (3), relative to
Vref = 750 m/s, non-linear below Vref and driven by PGA_REF (g)::

    vs30 <= Vref: ln S = b1 ln(vs30/Vref)
                         + b2 ln[(PGA_REF + c (vs30/Vref)^n) / ((PGA_REF + c) (vs30/Vref)^n)]
    vs30 >  Vref: ln S = b1 ln(min(vs30, Vcon)/Vref)

Y is in g (PGA, SA) or cm/s (PGV).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL,
                                     coeffs_table)
from oqcore.hazard.imt import IMT

_PGA = IMT("PGA")


def style_of_faulting(rake):
    """Dummies (F_N, F_R): normal -135 < rake < -45, reverse 45 < rake < 135 (strict)."""
    normal = ((rake > -135.0) & (rake < -45.0)).astype(float)
    reverse = ((rake > 45.0) & (rake < 135.0)).astype(float)
    return normal, reverse


def ln_reference(C, mag, dist, f_n, f_r):
    """ln Y_REF on reference rock (Vref), equation (2); ``dist`` in km."""
    dmag = mag - C["c1"]
    mag_slope = np.where(mag <= C["c1"], C["a2"], C["a7"])
    return (C["a1"] + mag_slope * dmag + C["a3"] * (8.5 - mag) ** 2
            + (C["a4"] + C["a5"] * dmag) * np.log(np.sqrt(dist ** 2 + C["a6"] ** 2))
            + C["a8"] * f_n + C["a9"] * f_r)


def ln_site_amplification(C, vs30, pga_ref):
    """ln S, equation (3); ``pga_ref`` is the PGA on reference rock in g."""
    ratio = np.minimum(vs30, C["Vcon"]) / C["Vref"]
    linear = C["b1"] * np.log(ratio)
    # non-linear term, zero at vs30 = Vref; evaluated with vs30 <= Vref only
    soft = np.minimum(ratio, 1.0) ** C["n"]
    nonlinear = C["b2"] * np.log((pga_ref + C["c"] * soft) / ((pga_ref + C["c"]) * soft))
    return np.where(vs30 <= C["Vref"], linear + nonlinear, linear)


class AkkarEtAlRjb2014(GMPE):
    """Akkar et al. (2014), Joyner-Boore distance version.

    :param adjustment_factor: multiplies the median (default 1)
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 800
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])
    ARGUMENTS = {"adjustment_factor": 1.0}

    COEFFS = coeffs_table(__file__, "akkar_2014", "RJB.csv")

    #: the context field holding the model's distance (km)
    DISTANCE = "rjb"

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = ctx[self.DISTANCE]
        f_n, f_r = style_of_faulting(ctx.rake)
        pga_ref = np.exp(ln_reference(self.COEFFS[_PGA], ctx.mag, dist, f_n, f_r))
        ln_adjust = np.log(self.adjustment_factor)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (ln_reference(C, ctx.mag, dist, f_n, f_r)
                       + ln_site_amplification(C, ctx.vs30, pga_ref) + ln_adjust)
            # the table's 'sigma' is the within-event term phi
            phi[m] = C["sigma"]
            tau[m] = C["tau"]
            sig[m] = np.sqrt(C["sigma"] ** 2 + C["tau"] ** 2)


class AkkarEtAlRhyp2014(AkkarEtAlRjb2014):
    """Akkar et al. (2014), hypocentral distance version (own coefficients)."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "akkar_2014", "RHYP.csv")

    DISTANCE = "rhypo"
