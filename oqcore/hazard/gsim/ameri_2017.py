"""Ameri et al. (2017): ground-motion model for France with a regional stress parameter,
and its early version Ameri (2014).

Ameri, G., Drouet, S., Traversa, P., Bindi, D. and Cotton, F. (2017). Toward an
empirical ground motion prediction equation for France: accounting for regional
differences in the source stress parameter. Bull. Earthquake Eng. 15, 4681-4717.
Ameri, G. (2014). Empirical ground motion model adapted to the French context. SIGMA
deliverable SIGMA-2014-D2-131 (the model of the 2020 French hazard map).

log10 Y = a + F_M + F_D + F_S + F_sof [+ e(M) log10(Δσ_n)],  Y in cm/s², with
F_M = b1 (M - Mh) + b2 (M - Mh)² (M <= Mh) or b3 (M - Mh) (eq. 3),
F_D = [c1 + c2 (M - Mref)] log10(sqrt(R² + h²) / Rref) (eq. 2),
F_S = e1..e4 for the EC8 classes by vs30 (>= 800, 360-800, 180-360, < 180 m/s),
F_sof = f1 (normal), f2 (reverse), f3 (strike-slip) by rake (30-degree boundaries),
Mref = 5.5, Mh = 6.75, Rref = 1 km; R the Joyner-Boore or epicentral distance. The
stress-parameter variants add the Yenier and Atkinson (2015) scaling e(M) log10(Δσ_n),
e a quartic in M (coefficients s0-s4 for Δσ_n <= 1, s5-s9 above), Δσ_n the stress
parameter normalised by the regional reference (``norm_stress_drop``).

Standard deviations (log10 units, converted): φ and, for the 2017 forms, the
heteroskedastic τ (τ1 at M <= 4, τ2 at M >= 5, linear between, eq. 11) or the
constant τ of the stress-parameter variants; Ameri (2014) is homoskedastic.
The motion is converted to g with g = 9.81 m/s² (the authors' value).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    INTER_EVENT, INTRA_EVENT, LN10, TOTAL, MedianScaling, check_number, coeffs_table,
    faulting_style_30)

MREF, MH, RREF = 5.5, 6.75, 1.0
#: acceleration of gravity (m/s²) the authors use
G_AMERI = 9.81
#: magnitudes between which τ goes from τ1 to τ2
TAU_M_LOW, TAU_M_HIGH = 4.0, 5.0
#: vs30 class limits (m/s) of the site term, from the stiffest class down
VS_CLASSES = (800.0, 360.0, 180.0)


def site_term(C, vs30):
    """F_S (log10 units) by EC8 class of vs30 (m/s), shape (N,)."""
    return np.select([vs30 >= VS_CLASSES[0], vs30 >= VS_CLASSES[1], vs30 >= VS_CLASSES[2]],
                     [C["e1"], C["e2"], C["e3"]], C["e4"])


def stress_term(S, mag, norm_stress_drop: float):
    """e(M) log10(Δσ_n) (log10 units), shape (N,)."""
    k = 0 if norm_stress_drop <= 1 else 5
    e = sum(S["s%d" % (k + i)] * mag ** i for i in range(5))
    return e * np.log10(norm_stress_drop)


class AmeriEtAl2017Rjb(MedianScaling):
    """Ameri et al. (2017), Joyner-Boore distance, heteroskedastic τ."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["rake", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])
    ARGUMENTS = {"adjustment_factor": 1.0, "norm_stress_drop": 0.1}
    COEFFS = coeffs_table(__file__, "ameri_2017", "rjb.csv")
    COEFFS_SIGMA = coeffs_table(__file__, "ameri_2017", "rjb_sigma.csv")
    COEFFS_STRESS = coeffs_table(__file__, "ameri_2017", "stress.csv")
    #: whether the stress-parameter term applies (and τ is the constant one)
    STRESS = False
    DISTANCE = "rjb"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_number(name, "norm_stress_drop", self.norm_stress_drop)
        if self.norm_stress_drop <= 0:
            raise InvalidInput("%s: norm_stress_drop must be positive" % name)

    def stddevs(self, C_SIG, mag):
        """(τ, φ) in log10 units."""
        if self.STRESS:
            return C_SIG["tau"], C_SIG["phi"]
        tau = np.interp(mag, (TAU_M_LOW, TAU_M_HIGH), (C_SIG["tau1"], C_SIG["tau2"]))
        return tau, C_SIG["phi"]

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi):
        ss, normal, reverse = faulting_style_30(ctx.rake)
        mag = ctx.mag
        r = getattr(ctx, self.DISTANCE)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            dm = mag - MH
            f_m = np.where(mag <= MH, C["b1"] * dm + C["b2"] * dm ** 2, C["b3"] * dm)
            f_d = (C["c1"] + C["c2"] * (mag - MREF)) * np.log10(
                np.sqrt(r ** 2 + C["h"] ** 2) / RREF)
            log_y = (C["a"] + f_m + f_d + site_term(C, ctx.vs30)
                     + C["f1"] * normal + C["f2"] * reverse + C["f3"] * ss)
            if self.STRESS:
                log_y = log_y + stress_term(self.COEFFS_STRESS[imt], mag,
                                            self.norm_stress_drop)
            mean[m] = LN10 * (log_y - 2.0) - np.log(G_AMERI)
            t, p = self.stddevs(self.COEFFS_SIGMA[imt], mag)
            tau[m] = LN10 * t
            phi[m] = LN10 * p
            sig[m] = LN10 * np.sqrt(t ** 2 + p ** 2)


class AmeriEtAl2017RjbStressDrop(AmeriEtAl2017Rjb):
    """Ameri et al. (2017), Joyner-Boore distance, with the stress parameter
    ``norm_stress_drop`` (default 0.1) and constant τ."""

    STRESS = True


class AmeriEtAl2017Repi(AmeriEtAl2017Rjb):
    """Ameri et al. (2017), epicentral distance, heteroskedastic τ."""

    REQUIRES_DISTANCES = frozenset(["repi"])
    DISTANCE = "repi"
    COEFFS = coeffs_table(__file__, "ameri_2017", "repi.csv")
    COEFFS_SIGMA = coeffs_table(__file__, "ameri_2017", "repi_sigma.csv")


class AmeriEtAl2017RepiStressDrop(AmeriEtAl2017Repi):
    """Ameri et al. (2017), epicentral distance, with the stress parameter
    ``norm_stress_drop`` (default 1.1) and constant τ."""

    STRESS = True
    ARGUMENTS = {"adjustment_factor": 1.0, "norm_stress_drop": 1.1}


class Ameri2014Rjb(AmeriEtAl2017Rjb):
    """Ameri (2014), Joyner-Boore distance, homoskedastic."""

    COEFFS = coeffs_table(__file__, "ameri_2017", "ameri_2014_rjb.csv")
    COEFFS_SIGMA = coeffs_table(__file__, "ameri_2017", "ameri_2014_rjb_sigma.csv")

    def stddevs(self, C_SIG, mag):
        return C_SIG["sigmaB"], C_SIG["sigmaW"]
