"""Abrahamson, Gregor and Addo (2016), the BC Hydro subduction model.

Abrahamson, N., Gregor, N. and Addo, K. (2016). BC Hydro ground motion prediction
equations for subduction earthquakes. Earthquake Spectra, 32(1), 23-44.

Natural logarithm of the median spectral acceleration in g (eqs. 1-4 of the paper)::

    ln Sa = θ1 + θ4 ΔC1 + (θ2 + θ14 Fs + θ3 (M - 7.8)) ln(R + c4 exp(θ9 (M - 6)))
            + θ6 R + θ10 Fs + fmag(M) + fdepth(Zh) + fFABA(R) + fsite(PGA1000, vs30)

with Fs = 1 for intraslab and 0 for interface events, R = rrup (interface) or rhypo
(intraslab), in km. fsite is non-linear below vlin and is driven by PGA1000, the
median PGA of the same event on rock with vs30 = 1000 m/s.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_flag, check_number, coeffs_table)
from oqcore.hazard.imt import PGA

#: period-independent coefficients (Table 3 of the paper); C1 is the magnitude hinge
CONSTS = {"n": 1.18, "c": 1.88, "theta3": 0.1, "theta4": 0.9, "theta5": 0.0,
          "theta9": 0.4, "c4": 10.0, "C1": 7.8}
#: reference magnitude of the θ3 magnitude-dependent geometric spreading
MREF_SPREADING = 7.8
#: reference velocity (m/s) of the rock motion PGA1000, and cap of vs30 in fsite
VS30_ROCK = 1000.0
#: backarc-term distance floors (km): interface (rrup), intraslab (rhypo)
BACKARC_RMIN_SINTER = 100.0
BACKARC_RMIN_SSLAB = 85.0
#: distance (km) normalising the backarc term
BACKARC_RREF = 40.0
#: intraslab focal-depth term: depth cap and centre (km)
SLAB_MAX_DEPTH = 120.0
SLAB_REF_DEPTH = 60.0
#: ΔC1 of intraslab events (all periods)
DELTA_C1_SSLAB = -0.3
#: σμ is a 90 % (1.65 standard-deviation) range: ε σμ / 1.65 shifts the ln-mean
SIGMA_MU_SCALE = 1.65


def _terms(mag, r, rmin_backarc, backarc):
    """The IMT-independent parts of the equation, computed once per call.

    :param backarc: (N,) weight of the backarc term: 1 on backarc sites, 0 on forearc
        sites (booleans), or a taper between 0 and 1
    :returns: dict of (N,) arrays: ``mag``, ``r``, ``ln_r`` (the geometric-spreading
        logarithm), ``mag_sq`` ((10 - M)²), ``ln_backarc`` (ln(max(R, Rmin) / 40) of the
        backarc term) and ``backarc`` (the weight as floats)
    """
    near = CONSTS["c4"] * np.exp(CONSTS["theta9"] * (mag - 6.0))
    return {"mag": mag, "r": r, "ln_r": np.log(r + near), "mag_sq": (10.0 - mag) ** 2,
            "ln_backarc": np.log(np.maximum(r, rmin_backarc) / BACKARC_RREF),
            "backarc": backarc.astype(np.float64)}


def _mag_term(C, dc1, t, theta4=CONSTS["theta4"], theta5=CONSTS["theta5"],
              c1=CONSTS["C1"]):
    """θ1 + θ4 ΔC1 + fmag(M): linear slopes θ4 / θ5 below / above C1 + ΔC1 (eq. 2)."""
    dm = t["mag"] - (c1 + dc1)
    return (C["theta1"] + theta4 * dc1 + theta4 * np.minimum(dm, 0.0)
            + theta5 * np.maximum(dm, 0.0) + C["theta13"] * t["mag_sq"])


def _dist_term(C, t, theta14=0.0, theta3=CONSTS["theta3"], mref=MREF_SPREADING,
               theta6_adjustment=0.0):
    """Geometric spreading with a magnitude-dependent near-source term, plus θ6 R
    (θ6 shifted by ``theta6_adjustment``, the model's epistemic branches)."""
    spreading = C["theta2"] + theta14 + theta3 * (t["mag"] - mref)
    return spreading * t["ln_r"] + (C["theta6"] + theta6_adjustment) * t["r"]


def _backarc_term(a, b, t):
    """fFABA: (a + b ln(max(R, Rmin) / 40)) times the backarc weight of the site."""
    return t["backarc"] * (a + b * t["ln_backarc"])


def _site_terms(vs30, pga1000):
    """The IMT-independent parts of fsite: vs30* = min(vs30, 1000) m/s and PGA1000."""
    vs_star = np.minimum(vs30, VS30_ROCK)
    return {"vs30": vs30, "ln_vs": np.log(vs_star), "vs_n": vs_star ** CONSTS["n"],
            "pga1000": pga1000, "ln_pga_c": np.log(pga1000 + CONSTS["c"])}


def _site_term(C, s):
    """fsite (eq. 4) on the precomputed ``s``; non-linear where vs30 < vlin.

    fsite = θ12 ln(vs30*/vlin) - b ln(PGA1000 + c) + b ln(PGA1000 + c (vs30*/vlin)^n)
    below vlin, else (θ12 + b n) ln(vs30*/vlin).
    """
    n, c, b = CONSTS["n"], CONSTS["c"], C["b"]
    ln_ratio = s["ln_vs"] - np.log(C["vlin"])
    nonlin = b * (np.log(s["pga1000"] + (c / C["vlin"] ** n) * s["vs_n"]) - s["ln_pga_c"])
    return np.where(s["vs30"] < C["vlin"], C["theta12"] * ln_ratio + nonlin,
                    (C["theta12"] + b * n) * ln_ratio)


def _rock_site_term(C):
    """fsite at vs30 = 1000 m/s (the linear branch whenever vlin < 1000)."""
    rock = np.array([VS30_ROCK])
    return _site_term(C, _site_terms(rock, np.zeros(1)))[0]


class AbrahamsonEtAl2015SInter(GMPE):
    """BC Hydro model (Abrahamson et al., 2016) for subduction interface events.

    Central ΔC1 branch (Table COEFFS_MAG_SCALE, interpolated in period).

    Arguments: ``ergodic`` (False: single-station sigma, TOTAL = sigma_ss and
    INTRA = sqrt(sigma_ss² - tau²)); ``theta6_adjustment`` (added to θ6, also in
    PGA1000); ``sigma_mu_epsilon`` (ε: adds ε σμ / 1.65 to the ln-mean of the target
    IMT, σμ from the BC Hydro epistemic table).
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1000
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    ARGUMENTS = {"ergodic": True, "theta6_adjustment": 0.0, "sigma_mu_epsilon": 0.0}

    COEFFS = coeffs_table(__file__, "abrahamson_2015", "COEFFS.csv")
    #: ΔC1 per period (Table 4), central branch
    COEFFS_MAG_SCALE = coeffs_table(__file__, "abrahamson_2015", "COEFFS_MAG_SCALE.csv")
    #: epistemic σμ of the BC Hydro model (columns SIGMA_MU_SINTER, SIGMA_MU_SSLAB)
    SIGMA_MU = coeffs_table(__file__, "abrahamson_2015", "SIGMA_MU.csv")
    SIGMA_MU_COLUMN = "SIGMA_MU_SINTER"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_number(name, "theta6_adjustment", self.theta6_adjustment)
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        check_flag(name, "ergodic", self.ergodic)

    def _backarc_weight(self, ctx):
        """(N,) weight of the backarc term: the ``backarc`` flag of the sites."""
        return ctx.backarc

    def _terms(self, ctx):
        return _terms(ctx.mag, ctx.rrup, BACKARC_RMIN_SINTER, self._backarc_weight(ctx))

    def _delta_c1(self, imt):
        return self.COEFFS_MAG_SCALE[imt]["dc1"]

    def _mag_dist(self, C, t, dc1, theta14=0.0):
        """Magnitude and distance terms (eqs. 2-3) with the BC Hydro constants."""
        return (_mag_term(C, dc1, t)
                + _dist_term(C, t, theta14, theta6_adjustment=self.theta6_adjustment))

    def _source_path(self, C, imt, t):
        """ln Sa (g) without the site term."""
        return (self._mag_dist(C, t, self._delta_c1(imt))
                + _backarc_term(C["theta15"], C["theta16"], t))

    def _stddevs(self, C):
        """(total, inter-event, intra-event) standard deviations of one IMT."""
        if self.ergodic:
            return C["sigma"], C["tau"], C["phi"]
        return C["sigma_ss"], C["tau"], np.sqrt(C["sigma_ss"] ** 2 - C["tau"] ** 2)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        t = self._terms(ctx)
        C_pga = self.COEFFS[PGA]
        pga1000 = np.exp(self._source_path(C_pga, PGA, t) + _rock_site_term(C_pga))
        site = _site_terms(ctx.vs30, pga1000)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = self._source_path(C, imt, t) + _site_term(C, site)
            if self.sigma_mu_epsilon:
                mean[m] += (self.sigma_mu_epsilon * self.SIGMA_MU[imt][self.SIGMA_MU_COLUMN]
                            / SIGMA_MU_SCALE)
            sig[m], tau[m], phi[m] = self._stddevs(C)


class AbrahamsonEtAl2015SSlab(AbrahamsonEtAl2015SInter):
    """BC Hydro model (Abrahamson et al., 2016) for intraslab events.

    Hypocentral distance, ΔC1 = -0.3 at every period, focal-depth term with the
    depth capped at 120 km.
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])
    SIGMA_MU_COLUMN = "SIGMA_MU_SSLAB"
    #: ΔC1 at every period (Table 8: central -0.3, upper -0.1, lower -0.5)
    DELTA_C1 = DELTA_C1_SSLAB

    def _terms(self, ctx):
        t = _terms(ctx.mag, ctx.rhypo, BACKARC_RMIN_SSLAB, self._backarc_weight(ctx))
        t["depth"] = np.minimum(ctx.hypo_depth, SLAB_MAX_DEPTH) - SLAB_REF_DEPTH
        return t

    def _source_path(self, C, imt, t):
        """ln Sa (g) without the site term."""
        return (self._mag_dist(C, t, self.DELTA_C1, C["theta14"]) + C["theta10"]
                + C["theta11"] * t["depth"]
                + _backarc_term(C["theta7"], C["theta8"], t))


class AbrahamsonEtAl2015SInterHigh(AbrahamsonEtAl2015SInter):
    """BC Hydro interface model, upper ΔC1 branch (Table 4)."""

    COEFFS_MAG_SCALE = coeffs_table(__file__, "abrahamson_2015", "COEFFS_MAG_SCALE_HIGH.csv")


class AbrahamsonEtAl2015SInterLow(AbrahamsonEtAl2015SInter):
    """BC Hydro interface model, lower ΔC1 branch (Table 4)."""

    COEFFS_MAG_SCALE = coeffs_table(__file__, "abrahamson_2015", "COEFFS_MAG_SCALE_LOW.csv")


class AbrahamsonEtAl2015SSlabHigh(AbrahamsonEtAl2015SSlab):
    """BC Hydro intraslab model, upper ΔC1 branch (ΔC1 = -0.1)."""

    DELTA_C1 = -0.1


class AbrahamsonEtAl2015SSlabLow(AbrahamsonEtAl2015SSlab):
    """BC Hydro intraslab model, lower ΔC1 branch (ΔC1 = -0.5)."""

    DELTA_C1 = -0.5
