"""Stafford (2022): the backbone model of active shallow crust for the 2022 New Zealand
National Seismic Hazard Model.

Stafford, P. J. (2022). A model for the distribution of response spectral ordinates
from New Zealand crustal earthquakes based upon adjustments to the Chiou and Youngs
(2014) response spectral model. GNS Science report 2022/15.

The median is Chiou and Youngs (2014) (California coefficients, no PGA floor) with
period-dependent adjustments for New Zealand: a shift of the anelastic coefficient
gamma1 (Δcγ1), of the ztor scaling (Δc7, Δc7b) and, on the lower and upper branches
(``mu_branch``), ±1.28155 times 0.893 the epistemic standard deviations of the
constant (empirical constraint, Δc1) and of the near-source saturation (Δc1,hm,
correlation 0.4). The aleatory model is the report's own: between-event τ(T, M),
between-station φS2S(T), single-station φSS = 0.39, all propagated through the
non-linear site response; ``sigma_branch`` takes the 10 %, 50 % or 90 % quantile of a
chi-square distribution of the total sigma, whose degrees of freedom follow the
effective number of New Zealand records at the period, distance and magnitude.
PGA takes the coefficients and adjustments of T = 0.01 s.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from oqcore.hazard.gsim import chiou_youngs_2014 as cy14
from oqcore.hazard.gsim.base import GMPE, check_choice, check_flag, coeffs_table

#: the branches of ``mu_branch`` and ``sigma_branch``
BRANCHES = ("Lower", "Central", "Upper")
#: the standard-normal quantile of the 10 % and 90 % branches, and the factor on the
#: epistemic standard deviations (imperfect correlation between rupture scenarios)
Z_BRANCH, EPISTEMIC_SCALE = 1.28155, 0.893
#: correlation between the empirical-constraint and saturation uncertainties
RHO_SATURATION = 0.4
#: chi-square quantile of each sigma branch
SIGMA_QUANTILE = {"Lower": 0.1, "Central": 0.5, "Upper": 0.9}
#: period (s) used for PGA
PGA_PERIOD = 0.01
#: single-station within-event standard deviation, and the part of its variance that
#: the non-linear site response scales
PHI_SS, PHI_SS_NL_SHARE = 0.39, 0.736
#: (rrup km, M) of the reference scenario of the effective number of records
NEFF_REFERENCE = (80.0, 5.0)


def sigmoid(x, start, finish, centre, slope):
    """Logistic transition from ``start`` to ``finish`` centred at ``centre``, with
    scale ``slope`` (in the unit of ``x``)."""
    return start + (finish - start) / (1.0 + np.exp(-(x - centre) / slope))


def empirical_sigma(period: float, rrup, mag):
    """Epistemic standard deviation (ln units) of the empirical constraint on the
    median, (N,): 0.4 where data are plentiful, down to 0.15, by period (s), rupture
    distance (km) and magnitude."""
    centre_r = sigmoid(period, 3.75, 5.75, 3.5, 0.5)
    slope_r = sigmoid(period, 0.225, 1.3, 3.5, 0.5)
    centre_m = sigmoid(period, 5.82, 6.4, 3.5, 0.5)
    slope_m = sigmoid(period, 0.42, 0.38, 2.5, 0.2)
    s_r = sigmoid(np.log(np.maximum(rrup, 1e-10)), 0.0, 1.0, centre_r, slope_r)
    s_m = sigmoid(mag, 1.0, 0.0, centre_m, slope_m)
    return 0.4 + (0.15 - 0.4) * s_r * s_m


def saturation_sigma(mag, rrup):
    """Epistemic standard deviation (ln units) of the near-source saturation, (N,)."""
    return sigmoid(np.log(np.maximum(rrup, 1e-10)),
                   0.6638 - 0.2570 * (np.minimum(mag, 7.0) - 6.0), 0.0, 0.7990, 0.9835)


def anelastic_shift(period: float) -> float:
    """Mean New Zealand shift of the anelastic coefficient gamma1 (1/km), <= 0."""
    return min(0.0024 * math.tanh(0.8 * math.log(period / 1.8)), 0.0)


def anelastic_sigma(period: float) -> float:
    """Epistemic standard deviation of the anelastic coefficient gamma1 (1/km)."""
    return float(sigmoid(math.log(period), 0.00054, 0.0004, math.log(0.9), 0.2))


def adjustments(period: float, ctx, branch: str, c1: bool = True, chm: bool = True,
                c7: bool = True, cg1: bool = True) -> cy14.Adjustments:
    """The New Zealand changes to the CY14 coefficients at ``period`` (s) on the median
    branch ``branch``; each flag switches one group of adjustments on."""
    sign = {"Lower": -1.0, "Central": 0.0, "Upper": 1.0}[branch]
    scale = sign * Z_BRANCH * EPISTEMIC_SCALE
    dc1 = 0.0
    if c1 and sign:
        dc1 = dc1 + scale * empirical_sigma(period, ctx.rrup, ctx.mag)
    if chm and sign:
        dc1 = dc1 + scale * RHO_SATURATION * saturation_sigma(ctx.mag, ctx.rrup)
    dc7 = dc7b = 0.0
    if c7:
        ln_t = math.log(period)
        if branch == "Lower":
            dc7 = -0.02578
            dc7b = float(sigmoid(ln_t, -0.05737, 0.05733, -1.0324, 0.04875))
        elif branch == "Central":
            dc7b = float(sigmoid(ln_t, -0.0865, 0.0, -1.5364, 0.3266))
    dgamma = (anelastic_shift(period) + scale * anelastic_sigma(period)) if cg1 else 0.0
    return cy14.Adjustments(dc1=dc1, dc7=dc7, dc7b=dc7b, dgamma=dgamma)


def between_event_tau(period: float, mag):
    """τ (ln units), (N,): from 0.45 (M <= 5) to 0.35 (M >= 6.5) at short periods, both
    tending to 0.4 at long periods."""
    ln_t = math.log(period)
    tau_small = sigmoid(ln_t, 0.45, 0.4, 0.0, 0.2)
    tau_large = sigmoid(ln_t, 0.35, 0.4, 0.0, 0.2)
    return tau_small + (tau_large - tau_small) * (np.clip(mag, 5.0, 6.5) - 5.0) / 1.5


def between_station_phi(period: float) -> float:
    """φS2S (ln units) at ``period`` (s)."""
    x = period / 0.7170
    return 0.3171 + 0.3248 * x ** 0.7911 * math.exp(-0.8970 * x)


def effective_records(period: float) -> float:
    """Effective number of New Zealand records constraining the model at ``period``."""
    if period <= 0.3:
        return float(sigmoid(math.log(period), 190.34, 221.16, -2.4341, 0.10366))
    return 221.16 / (period / 0.3) ** 0.10299


def stddevs(period: float, C, ctx, ln_yref, branch: str):
    """Total, between- and within-event standard deviations, each (N,), for the
    reference-rock motion ``ln_yref`` and the sigma branch ``branch``."""
    nl = cy14.nonlinear_factor(C, ctx.vs30) * (np.exp(ln_yref) / (np.exp(ln_yref)
                                                                   + C["phi4"]))
    tau = between_event_tau(period, ctx.mag)
    phi = np.sqrt(between_station_phi(period) ** 2
                  + ((1.0 + nl) ** 2 * PHI_SS_NL_SHARE + 1.0 - PHI_SS_NL_SHARE) * PHI_SS ** 2)
    sigma2 = (1.0 + nl) ** 2 * tau ** 2 + phi ** 2
    n_ref = (empirical_sigma(period, ctx.rrup, ctx.mag)
             / empirical_sigma(period, *NEFF_REFERENCE)) ** 2
    dof = effective_records(period) / n_ref - 1.0
    sigma = np.sqrt(sigma2 / dof * stats.chi2.ppf(SIGMA_QUANTILE[branch], dof))
    return sigma, np.abs((1.0 + nl) * tau), phi


class Stafford2022(GMPE):
    """Stafford (2022), the New Zealand backbone model of active shallow crust.

    Arguments: ``mu_branch`` and ``sigma_branch`` ("Lower", "Central" (default) or
    "Upper"), and ``adjust_c1``, ``adjust_chm``, ``adjust_c7``, ``adjust_cg1`` (true by
    default; false drops that adjustment of the median).
    """

    _CY14 = cy14.ChiouYoungs2014
    DEFINED_FOR_TECTONIC_REGION_TYPE = _CY14.DEFINED_FOR_TECTONIC_REGION_TYPE
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = _CY14.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = _CY14.DEFINED_FOR_STANDARD_DEVIATION_TYPES
    DEFINED_FOR_REFERENCE_VELOCITY = _CY14.DEFINED_FOR_REFERENCE_VELOCITY
    REQUIRES_SITES_PARAMETERS = _CY14.REQUIRES_SITES_PARAMETERS
    REQUIRES_RUPTURE_PARAMETERS = _CY14.REQUIRES_RUPTURE_PARAMETERS
    REQUIRES_DISTANCES = _CY14.REQUIRES_DISTANCES

    #: the CY14 coefficients (identical in the report), read on first use
    COEFFS = coeffs_table(cy14.__file__, "chiou_youngs_2014", "COEFFS.csv")
    ARGUMENTS = {"mu_branch": "Central", "sigma_branch": "Central", "adjust_c1": True,
                 "adjust_chm": True, "adjust_c7": True, "adjust_cg1": True}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "mu_branch", self.mu_branch, BRANCHES)
        check_choice(name, "sigma_branch", self.sigma_branch, BRANCHES)
        for flag in ("adjust_c1", "adjust_chm", "adjust_c7", "adjust_cg1"):
            check_flag(name, flag, getattr(self, flag))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            period = imt.period if imt.name == "SA" else PGA_PERIOD
            C = self.COEFFS[imt]
            adj = adjustments(period, ctx, self.mu_branch, self.adjust_c1,
                              self.adjust_chm, self.adjust_c7, self.adjust_cg1)
            ln_yref = cy14.ln_y_ref(C, ctx, "CAL", True, adj)
            site, _ = cy14.site_terms(C, ctx, ln_yref)
            mean[m] = ln_yref + site
            sig[m], tau[m], phi[m] = stddevs(period, C, ctx, ln_yref, self.sigma_branch)
