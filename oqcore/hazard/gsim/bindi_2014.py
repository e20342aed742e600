"""Bindi et al. (2014): pan-European model from the RESORCE dataset, Rjb form.

Bindi, D., Massa, M., Luzi, L., Ameri, G., Pacor, F., Puglia, R. and Augliera, P.
(2014). Pan-European ground-motion prediction equations for the average horizontal
component of PGA, PGV, and 5%-damped PSA at spectral periods up to 3.0 s using the
RESORCE dataset. Bulletin of Earthquake Engineering, 12(1), 391-430 (coefficients from
the electronic supplement; see also the Erratum, BEE 12(1), 431-448).

log10 Y = e1 + F_D(R, M) + F_M(M) + F_S + F_sof  (eq. 1) with
F_D = [c1 + c2 (M - Mref)] log10(sqrt(Rjb² + h²) / Rref) - c3 (sqrt(Rjb² + h²) - Rref),
F_M = b1 (M - Mh) + b2 (M - Mh)² for M <= Mh, b3 (M - Mh) otherwise,
F_S = gamma log10(Vs30 / Vref) and F_sof = sofN, sofR or sofS by style of faulting.
Y in cm/s² (PGA, SA) or cm/s (PGV); standard deviations in log10 units.

Six forms, one coefficient table each (electronic supplement): distance Rjb or Rhypo;
site term from vs30 directly or from the Eurocode 8 class of vs30 (eA..eD: A vs30 >= 800,
B 360-800, C 180-360, D < 180 m/s); with or without the style-of-faulting term (NoSOF).
Every form accepts ``adjustment_factor``, a factor multiplying the median.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    INTER_EVENT, INTRA_EVENT, LN10, TOTAL, MedianScaling, coeffs_table, faulting_style_30,
    ln_g_from_log10_cms2)
from oqcore.hazard.gsim.bindi_2011 import distance_term, magnitude_term

#: reference magnitude and velocity (m/s); the hinge magnitude and reference distance
#: are those of Bindi et al. (2011), whose distance and magnitude functions are reused
MREF = 5.5
VREF = 800.0


def site_term(C, vs30):
    """F_S = gamma log10(Vs30 / 800), vs30 in m/s."""
    return C["gamma"] * np.log10(vs30 / VREF)


#: lower vs30 bounds (m/s) of the Eurocode 8 classes B, C (class A from 800 m/s, D below 180)
EC8_B, EC8_C, EC8_D = 360.0, 180.0, 0.0


def ec8_site_term(C, vs30):
    """F_S of the Eurocode 8 class of vs30 (m/s): 0 (A, the reference), eB, eC or eD."""
    return np.where(vs30 >= VREF, 0.0, np.where(vs30 >= EC8_B, C["eB"], np.where(
        vs30 >= EC8_C, C["eC"], C["eD"])))


def faulting_term(C, rake):
    """F_sof: strike-slip |rake| <= 30 or >= 150 (sofS), reverse 30 < rake < 150
    (sofR), normal otherwise (sofN)."""
    ss, _ns, rs = faulting_style_30(rake)
    return np.where(ss, C["sofS"], np.where(rs, C["sofR"], C["sofN"]))


class BindiEtAl2014Rjb(MedianScaling):
    """Bindi et al. (2014), Joyner-Boore distance, vs30-based site term."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: supplement table for Rjb with vs30 (e1, c1..c3, h, b1..b3, gamma, sofN, sofR,
    #: sofS; tau, phi, phis2s, sigma in log10 units)
    COEFFS = coeffs_table(__file__, "bindi_2014", "COEFFS.csv")
    #: the distance (context field, km) of the form
    DISTANCE = "rjb"
    #: whether the form has the style-of-faulting term
    SOF = True

    def site_term(self, C, ctx):
        """F_S (log10 units) of the form."""
        return site_term(C, ctx.vs30)

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi):
        dist = ctx[self.DISTANCE]
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["e1"] + distance_term(C, ctx.mag, dist, MREF)
                     + magnitude_term(C, ctx.mag, C["b3"]) + self.site_term(C, ctx))
            if self.SOF:
                log_y = log_y + faulting_term(C, ctx.rake)
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["sigma"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]


class BindiEtAl2014Rhyp(BindiEtAl2014Rjb):
    """Bindi et al. (2014), hypocentral distance, vs30-based site term."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "bindi_2014", "COEFFS_RHYP.csv")
    DISTANCE = "rhypo"


class BindiEtAl2014RjbEC8(BindiEtAl2014Rjb):
    """Bindi et al. (2014), Joyner-Boore distance, Eurocode 8 class (from vs30) site term."""

    COEFFS = coeffs_table(__file__, "bindi_2014", "COEFFS_RJB_EC8.csv")

    def site_term(self, C, ctx):
        return ec8_site_term(C, ctx.vs30)


class BindiEtAl2014RjbEC8NoSOF(BindiEtAl2014RjbEC8):
    """:class:`BindiEtAl2014RjbEC8` without the style-of-faulting term."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SOF = False


class BindiEtAl2014RhypEC8(BindiEtAl2014RjbEC8):
    """Bindi et al. (2014), hypocentral distance, Eurocode 8 class (from vs30) site term."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "bindi_2014", "COEFFS_RHYP_EC8.csv")
    DISTANCE = "rhypo"


class BindiEtAl2014RhypEC8NoSOF(BindiEtAl2014RhypEC8):
    """:class:`BindiEtAl2014RhypEC8` without the style-of-faulting term."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SOF = False
