"""Atkinson (2022): the backbone model of the 2022 New Zealand National Seismic Hazard
Model for crustal, interface and intraslab events.

Atkinson, G. M. (2022). Backbone ground-motion models for crustal, interface and
in-slab earthquakes in New Zealand. GNS Science Report 2022/11, with the revisions of
the NZ NSHM 2022 (model version 8b).

ln Y (cm/s²) = F_M + F_Z + F_γ + F_S (+ the backarc term of intraslab events):

* F_M = c0 + c1 M + c2 M² (the crustal coefficients for crust and interface, the slab
  ones in-slab);
* F_Z: the Yenier and Atkinson (2015) geometric spreading (pseudo-depth
  10^(-0.405 + 0.235 M), b3, b4);
* F_γ = -γ1 rrup, γ1 = min(0.008, 0.005 + 0.0016 ln f) crust, min(0.006, 0.0045 +
  0.0014 ln f) interface, min(0.005, 0.004 + 0.0012 ln f) in-slab, f the frequency (Hz);
* F_S: Seyhan and Stewart (2014) linear and non-linear terms (f1 = 0, f3 = 98.1 cm/s²)
  driven by the PGA on rock;
* intraslab: the NZ NSHM backarc term of :mod:`~oqcore.hazard.gsim.nz_nshm2022`.

``epistemic``: "Central" (default), "Lower" or "Upper" shift the median by
∓ 1.28155 × 0.893 × the lower/upper adjustment (distance- and magnitude-dependent).
Standard deviations: tau = Be, phi = sqrt(We² + phiS2S²), total sigma; with
``modified_sigma`` the non-linear site propagation of Abrahamson and Gülerce (2020)
(phi_amp 0.3 and their correlations rhoW, rhoB).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_flag,
                                     coeffs_table)
from oqcore.hazard.gsim.nz_nshm2022 import backarc_term, nonlinear_stddevs
from oqcore.hazard.gsim.yenier_atkinson_2015 import geometric_term, pseudo_depth
from oqcore.hazard.imt import PGA

#: cm/s² per g as the model converts
CMS2_PER_G = 981.0
#: f3 of the site term (cm/s²)
F3_SITE = 0.1 * CMS2_PER_G
#: anelastic γ1 = min(cap, a + b ln f) of each event type
GAMMA = {"crust": (0.008, 0.005, 0.0016), "inter": (0.006, 0.0045, 0.0014),
         "slab": (0.005, 0.004, 0.0012)}
#: epistemic branches: z of the 10th/90th percentiles and the correlation reduction
Z_EPISTEMIC, EPISTEMIC_SCALE = 1.28155, 0.893


def epistemic_adjustment(branch: str, mag, rrup):
    """The lower or upper epistemic adjustment (ln units, positive)."""
    ln_r = np.log(rrup)
    if branch == "lower":
        a = np.fmax(np.maximum(0.6 - 0.13 * ln_r, 0.3), -0.25 + 0.12 * ln_r)
        cap = 0.5
    else:
        a = np.fmax(np.maximum(1.0 - 0.3 * ln_r, 0.3), -0.25 + 0.12 * ln_r)
        cap = 0.8
    return np.minimum(a, cap) + 0.15 * np.maximum(mag - 7.0, 0.0)


class Atkinson2022Crust(GMPE):
    """Atkinson (2022), crustal events (see the module docstring)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"epistemic": "Central", "modified_sigma": False}

    COEFFS = coeffs_table(__file__, "nz_nshm2022", "ATKINSON2022.csv")
    #: the event type: crust, inter or slab
    KIND = "crust"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        if not isinstance(self.epistemic, str) or self.epistemic.lower() not in (
                "central", "lower", "upper"):
            raise InvalidInput("%s: epistemic must be Central, Lower or Upper, got %r" % (
                name, self.epistemic))
        check_flag(name, "modified_sigma", self.modified_sigma)

    def _backarc(self, imt, ctx):
        return backarc_term(imt, ctx) if self.KIND == "slab" else 0.0

    def _ln_rock(self, C, ctx):
        """F_M + F_Z + F_γ (ln cm/s²)."""
        mag = ctx.mag
        col = "slab" if self.KIND == "slab" else "crust"
        f_m = C["c0_" + col] + C["c1_" + col] * mag + C["c2_" + col] * mag ** 2
        h = pseudo_depth(mag)
        f_z = geometric_term(C, mag, np.sqrt(ctx.rrup ** 2 + h ** 2), h)
        cap, a, b = GAMMA[self.KIND]
        return f_m + f_z - min(cap, a + b * math.log(C["f"])) * ctx.rrup

    @staticmethod
    def _f2(C, vs30):
        vs = np.minimum(vs30, 760.0)
        return C["f4"] * (np.exp(C["f5"] * (vs - 360.0)) - np.exp(C["f5"] * 400.0))

    def _site(self, C, vs30, pga_rock):
        """Seyhan and Stewart (2014), pga_rock in cm/s²."""
        lin = C["c"] * np.log(np.minimum(vs30, C["Vc"]) / 760.0)
        return lin + self._f2(C, vs30) * np.log((pga_rock + F3_SITE) / F3_SITE)

    def _stddevs(self, C, C_pga, imt, vs30, pga_rock):
        k = self.KIND
        phi_lin = math.sqrt(C["We_" + k] ** 2 + C["phiS2S"] ** 2)
        if not self.modified_sigma:
            n = len(vs30)
            return (np.full(n, C["sigma_" + k]), np.full(n, C["Be_" + k]),
                    np.full(n, phi_lin))
        phi_pga = math.sqrt(C_pga["We_" + k] ** 2 + C_pga["phiS2S"] ** 2)
        pgar = pga_rock / CMS2_PER_G
        deriv = self._f2(C, vs30) * pgar / (pgar + 0.1)
        return nonlinear_stddevs(imt, C["Be_" + k], C_pga["Be_" + k], phi_lin, phi_pga, deriv)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        C_pga = self.COEFFS[PGA]
        pga_rock = np.exp(self._ln_rock(C_pga, ctx) + self._backarc(PGA, ctx))
        branch = self.epistemic.lower()
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (self._ln_rock(C, ctx) + self._site(C, ctx.vs30, pga_rock)
                       + self._backarc(imt, ctx) - math.log(CMS2_PER_G))
            if branch != "central":
                sign = -1.0 if branch == "lower" else 1.0
                mean[m] += sign * Z_EPISTEMIC * EPISTEMIC_SCALE * epistemic_adjustment(
                    branch, ctx.mag, ctx.rrup)
            sig[m], tau[m], phi[m] = self._stddevs(C, C_pga, imt, ctx.vs30, pga_rock)


class Atkinson2022SInter(Atkinson2022Crust):
    """Atkinson (2022), subduction interface events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    KIND = "inter"


class Atkinson2022SSlab(Atkinson2022Crust):
    """Atkinson (2022), intraslab events (with the backarc term)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    KIND = "slab"
