"""ESHM20Craton: the scalable backbone model of the 2020 European hazard model for
stable cratonic regions (Weatherill and Cotton, 2020).

Weatherill, G. and Cotton, F. (2020). A ground motion logic tree for seismic hazard
analysis in the stable cratonic region of Europe: regionalisation, model selection and
development of a scaled backbone approach. Bull. Earthquake Eng. 18, 6119-6148.

The median on very hard rock (vs30 = 3000 m/s) is a fit to the NGA-East models,

ln Y = e1 + b1 (M - Mh) + b2 (M - Mh)² (M <= Mh) or e1 + b3 (M - Mh)
       + [c1 + c2 (M - Mref)] ln(R / R_ref) + c3 (R - R_ref) / 100,

R = sqrt(Rrup² + h²), R_ref = sqrt(1 + h²), Mh = 6.2, Mref = 4.5, h = 5 km, plus
``epsilon`` times the epistemic σ_μ of each IMT. Sites are amplified as in NGA-East
(Stewart et al. 2019 linear and Hashash et al. 2019 non-linear terms driven by the rock
PGA, ``site_epsilon`` times their epistemic uncertainty added); τ and φ_SS are those of
Al Atik (2015) (``tau_model``, ``phi_model``, quantiles), the ergodic φ adding the
Stewart et al. (2019) φ_S2S.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim import nga_east
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias, check_flag, check_number, coeffs_table)
from oqcore.hazard.gsim.nga_east_usgs import stewart2019_phi_s2s
from oqcore.hazard.imt import PGA

MREF, MH, RREF, H = 4.5, 6.2, 1.0, 5.0


def hard_rock_mean(C, mag, rrup):
    """ln of the median (g) on very hard rock, shape (N,)."""
    dm = mag - MH
    f_m = C["e1"] + np.where(mag <= MH, C["b1"] * dm + C["b2"] * dm ** 2, C["b3"] * dm)
    r = np.sqrt(rrup ** 2 + H ** 2)
    r_ref = np.sqrt(RREF ** 2 + H ** 2)
    return f_m + (C["c1"] + C["c2"] * (mag - MREF)) * np.log(r / r_ref) + C["c3"] * (
        r - r_ref) / 100.0


class ESHM20Craton(GMPE):
    """The ESHM20 cratonic backbone model (see the module docstring)."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Continental Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 3000.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"epsilon": 0.0, "tau_model": "global", "phi_model": "global",
                 "ergodic": True, "tau_quantile": None, "phi_ss_quantile": None,
                 "site_epsilon": 0.0}
    COEFFS = coeffs_table(__file__, "eshm20_craton", "COEFFS.csv")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_number(name, "epsilon", self.epsilon)
        check_number(name, "site_epsilon", self.site_epsilon)
        check_flag(name, "ergodic", self.ergodic)
        self.sigma_model = nga_east.AlAtikSigma(
            name, self.tau_model, self.phi_model, None, self.tau_quantile,
            self.phi_ss_quantile, None)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga_rock = hard_rock_mean(self.COEFFS[PGA], ctx.mag, ctx.rrup)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            rock = pga_rock if imt.name == "PGA" else hard_rock_mean(C, ctx.mag, ctx.rrup)
            mean[m] = rock + nga_east.site_amplification(
                imt, ctx.vs30, np.exp(pga_rock), site_epsilon=self.site_epsilon)
            if self.epsilon:
                mean[m] += self.epsilon * C["sigma_mu"]
            t, p = self.sigma_model.tau_phi(imt, ctx.mag)
            if self.ergodic:
                p = np.sqrt(p ** 2 + stewart2019_phi_s2s(imt, ctx.vs30) ** 2)
            tau[m] = t
            phi[m] = p
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


#: the ESHM20 cratonic logic tree: stress branches (5-point Gaussian quadrature of the
#: epistemic σ_μ) and site branches (3-point, of the amplification uncertainty)
STRESS_BRANCHES = {"VLow": -2.856970, "Low": -1.355630, "Mid": 0.0, "High": 1.355630,
                   "VHigh": 2.856970}
SITE_BRANCHES = {"Low": -1.732051, "Mid": 0.0, "High": 1.732051}

for _stress, _eps in STRESS_BRANCHES.items():
    for _site, _site_eps in SITE_BRANCHES.items():
        _name = "ESHM20Craton%sStress%sSite" % (_stress, _site)
        globals()[_name] = alias(_name, ESHM20Craton, __name__, epsilon=_eps,
                                 site_epsilon=_site_eps)
del _stress, _eps, _site, _site_eps, _name
