"""Abrahamson and Gülerce (2020/2022), the NGA-Subduction model of the PEER report.

Abrahamson, N. A. and Gülerce, Z. (2022). Regionalized ground-motion models for
subduction earthquakes based on the NGA-SUB database. Earthquake Spectra, 38(4),
2638-2681 (PEER report 2020/25).

Natural logarithm of the median spectral acceleration (g)::

    ln Sa = a1 + fmag(M) + (a2 + a3 (M - 7)) ln(R + C4 exp(a9 (M - 6))) + a6 R
            + Fs [a10 + (a4 + a45)(C1s - 7.5) + a14 ln(R + C4 exp(a9 (M - 6))) + fztor]
            + fsite(PGA1000, vs30) + fbasin(z2.5)

with R = rrup (km), Fs = 1 for intraslab events. The magnitude term is
a13 (10 - M)² + a4 (M - C1) below the break C1 and a5 (M - C1) above; C1 is the
period-dependent c1i for interface events and the regional C1s, with slope a4 + a45,
for intraslab events. fsite is non-linear below vlin and driven by PGA1000, the PGA
on rock (vs30 = 1000 m/s). The aleatory model is heteroscedastic: the non-linear
site term propagates the variability of PGA1000 to tau and phi.

Regions replace a1 and add adjustments to a2 (Taiwan), a6 and a12; Cascadia and Japan
have a z2.5 basin term.
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias, check_choice, check_flag, check_number,
    coeffs_table)
from oqcore.hazard.gsim.nga_sub_adjustments import AK23_BIAS_ADJ, usgs_basin_factor
from oqcore.hazard.imt import PGA

#: magnitude-independent coefficients
A3, A4, A5, A9, A45, C4 = 0.1, 0.73, 0.0, 0.4, 0.34, 10.0
#: site term constants and the rock velocity (m/s) of PGA1000
N_SITE, C_SITE, VS_ROCK = 1.18, 1.88, 1000.0
#: between-event standard deviation of the linear model, site-amplification phi
TAU_LIN, PHI_AMP = 0.47, 0.3
#: slab break of the global model (Mw); the slab term is centred on it
C1S_GLOBAL = 7.5
#: depth (km) centring the intraslab ztor term, and the ztor where it stops growing
ZTOR_REF, ZTOR_MAX = 50.0, 200.0
#: rrup (km) where phi1² starts and ends its linear growth
PHI_R1, PHI_DR = 150.0, 300.0
#: short-period increase of phi (eqs. 5.3-5.6 and erratum): corner periods (s) of
#: the phi2 (CAM, JPN, SAM) and phi3 (JPN, SAM) trapezoids
PHI2_PERIODS = (0.03, 0.075, 0.2, 1.0)
PHI3_PERIODS = (0.03, 0.075, 0.1, 0.3)
#: phi2 amplitude d3 + d4 x + d5 x², x = clip((rrup - 225)/225, 0, 1)
PHI2_D3, PHI2_D4, PHI2_D5, PHI2_R0 = 0.109, 0.062, 0.47, 225.0
#: phi3 amplitude and its constant α of the short-period plateau
PHI3_D3, PHI3_ALPHA = 0.242, 0.42
#: regions with the phi2 term, and with the phi3 term as well
PHI2_REGIONS, PHI3_REGIONS = ("CAM", "JPN", "SAM"), ("JPN", "SAM")
#: sigma_mu_epsilon: rrup clipped to this range (km), then divided by 100
EPI_RMIN, EPI_RMAX = 50.0, 500.0

#: per region: (constant column, slab break C1s, a2 / a6 / a12 adjustment columns,
#: basin coefficient column, phi_s2s group)
REGIONS = {
    "GLO": ("a1", 7.5, None, None, None, None, 1),
    "USA-AK": ("a31", 7.9, None, "a24", "a17", None, 1),
    "CAS": ("a32", 7.1, None, "a25", "a18", "a39", 1),
    "CAM": ("a33", 7.4, None, "a26", "a19", None, 2),
    "JPN": ("a34", 7.6, None, "a27", "a20", "a41", 3),
    "NZL": ("a35", 8.0, None, "a28", "a21", None, 1),
    "SAM": ("a36", 7.5, None, "a29", "a22", None, 3),
    "TWN": ("a37", 7.7, "a16", "a30", "a23", None, 1),
}
#: the USA adjustment column of the constant, by region
USA_ADJ = {"USA-AK": "USA-AK_Adj", "CAS": "CAS_Adj"}


def _cascadia_zref(vs30):
    """Reference z2.5 (m) of the Cascadia basin model from vs30 (m/s)."""
    return np.exp(np.clip(8.52 - 0.88 * np.log(vs30 / 200.0), 7.6, 8.52))


def _japan_zref(vs30):
    """Reference z2.5 (m) of the Japan basin model from vs30 (m/s)."""
    return np.exp(np.clip(7.3 - 2.066 * np.log(vs30 / 170.0), 4.1, 7.3))


def _short_period_shape(period, corners, alpha):
    """f2 (eq. 5.3): 1 - α up to T1, rising in ln T to 1 at T2, 1 up to T3, falling in
    ln T to 0 at T4. ``alpha`` is a scalar or an (N,) array; PGA takes period 0."""
    t1, t2, t3, t4 = corners
    if period <= t1:
        return 1.0 - alpha
    if period <= t2:
        return 1.0 - alpha * math.log(period / t2) / math.log(t1 / t2)
    if period <= t3:
        return 1.0
    if period < t4:
        return math.log(period / t4) / math.log(t3 / t4)
    return 0.0


def short_period_phi2(region, period, rrup):
    """The short-period variance added to phi1² in CAM, JPN and SAM, shape (N,)."""
    out = np.zeros_like(rrup)
    if region in PHI2_REGIONS:
        x = np.clip((rrup - PHI2_R0) / PHI2_R0, 0.0, 1.0)
        amplitude = PHI2_D3 + PHI2_D4 * x + PHI2_D5 * x ** 2
        alpha = np.clip(1.0 - 0.0036 * (rrup - 250.0), 0.28, 1.0)  # eq. 5.6
        out = out + amplitude * _short_period_shape(period, PHI2_PERIODS, alpha)
    if region in PHI3_REGIONS:
        out = out + PHI3_D3 * _short_period_shape(period, PHI3_PERIODS, PHI3_ALPHA)
    return out


class AbrahamsonGulerce2020SInter(GMPE):
    """Abrahamson and Gülerce (2022) for subduction interface events.

    Arguments (the TOML form of a GSIM logic tree):

    * ``region``: "GLO" (default), "USA-AK", "CAS", "CAM", "JPN", "NZL", "SAM", "TWN";
      CAS and JPN require z2.5 (km) for their basin terms;
    * ``ergodic``: false removes the site-to-site variance from phi;
    * ``apply_usa_adjustment``: adds the USGS adjustment of the constant (USA-AK, CAS);
    * ``usgs_basin_scaling``: the USGS scaling of the Cascadia basin term (CAS only);
    * ``sigma_mu_epsilon``: ε times the epistemic σ (e1 + e2 r + e3 r²) on the ln-mean;
    * ``ak23_bias_adj``: the Alaska 2023 bias (global interface model only).
    """

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1000.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    ARGUMENTS = {"region": "GLO", "ergodic": True, "apply_usa_adjustment": False,
                 "usgs_basin_scaling": False, "sigma_mu_epsilon": 0.0,
                 "ak23_bias_adj": False}

    COEFFS = coeffs_table(__file__, "abrahamson_gulerce_2020", "COEFFS.csv")
    AK23_BIAS_ADJ = AK23_BIAS_ADJ
    #: 1 for intraslab events
    SLAB = 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, tuple(REGIONS))
        for flag in ("ergodic", "apply_usa_adjustment", "usgs_basin_scaling",
                     "ak23_bias_adj"):
            check_flag(name, flag, getattr(self, flag))
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        if self.usgs_basin_scaling and self.region != "CAS":
            raise InvalidInput('%s: usgs_basin_scaling needs region = "CAS"' % name)
        if self.ak23_bias_adj and (self.SLAB or self.region != "GLO"):
            raise InvalidInput('%s: ak23_bias_adj applies only to the global interface '
                               'model (region = "GLO")' % name)
        (self.a1_name, self.c1s, self.a2_adj, self.a6_adj, self.a12_adj,
         self.basin_name, self.s2s_group) = REGIONS[self.region]
        if self.basin_name:
            self.REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])

    # ------------------------------------------------------------------ terms
    def _adj(self, C, name):
        return C[name] if name else 0.0

    def _constant(self, C):
        """a1 or its regional replacement, with the USGS adjustment if asked."""
        a1 = C[self.a1_name]
        if self.apply_usa_adjustment and self.region in USA_ADJ:
            a1 += C[USA_ADJ[self.region]]
        return a1

    def _source_path(self, C, ctx):
        """ln Sa (g) without site and basin terms, shape (N,)."""
        mag = ctx.mag
        if self.SLAB:
            c1, slope = self.c1s, A4 + A45
        else:
            c1, slope = C["c1i"], A4
        dm = mag - c1
        fmag = C["a13"] * (10.0 - mag) ** 2 + np.where(dm <= 0.0, slope * dm, A5 * dm)
        ln_r = np.log(ctx.rrup + C4 * np.exp(A9 * (mag - 6.0)))
        a2 = C["a2"] + self._adj(C, self.a2_adj)
        a6 = C["a6"] + self._adj(C, self.a6_adj)
        out = self._constant(C) + fmag + (a2 + A3 * (mag - 7.0)) * ln_r + a6 * ctx.rrup
        if self.SLAB:
            dz = np.minimum(ctx.ztor, ZTOR_MAX) - ZTOR_REF
            fztor = np.where(dz <= 0.0, C["a8"] * dz, C["a11"] * dz)
            out = out + (C["a10"] + (A4 + A45) * (self.c1s - C1S_GLOBAL)
                         + C["a14"] * ln_r + fztor)
        return out

    def _path_adjustment(self, imt, ctx):
        """An extra path term of variants (ln units); none here."""
        return 0.0

    def _site(self, C, vs30, pga1000):
        """(fsite, D) of shape (N,): the site term and its derivative with respect to
        ln PGA1000 (0 on the linear branch)."""
        a12 = C["a12"] + self._adj(C, self.a12_adj)
        vlin, b = C["vlin"], C["b"]
        vs_star = np.minimum(vs30, VS_ROCK)
        ratio = vs_star / vlin
        nl = vs_star < vlin
        cr = C_SITE * ratio ** N_SITE
        fsite = np.where(nl, a12 * np.log(ratio) + b * (np.log(pga1000 + cr)
                                                        - np.log(pga1000 + C_SITE)),
                         (a12 + b * N_SITE) * np.log(ratio))
        deriv = np.where(nl, b * pga1000 * (1.0 / (pga1000 + cr)
                                            - 1.0 / (pga1000 + C_SITE)), 0.0)
        return fsite, deriv

    def _basin(self, C, imt, ctx):
        """The Cascadia or Japan basin term (N,) from z2.5 (km; -999 = unknown)."""
        if self.basin_name is None:
            return 0.0
        zref = (_cascadia_zref if self.region == "CAS" else _japan_zref)(ctx.vs30)
        z = np.where(ctx.z2pt5 == -999.0, zref, ctx.z2pt5 * 1000.0)
        ln_z = np.log((z + 50.0) / (zref + 50.0))
        if self.region == "CAS":
            fb = C["a39"] * np.maximum(ln_z, 0.0)
            if self.usgs_basin_scaling:
                # as OpenQuake 3.26.2: the scaling is evaluated on the depth in metres
                fb = fb * usgs_basin_factor(imt, z)
            return fb
        return C["a41"] * np.maximum(ln_z, -2.0)

    # ------------------------------------------------------------- variability
    def _phi_lin2(self, C, ctx, period):
        """phi² of the linear model (N,): phi1² = d1 + d2 clip((rrup - 150)/300, 0, 1)
        plus the regional short-period terms."""
        phi1 = C["d1"] + C["d2"] * np.clip((ctx.rrup - PHI_R1) / PHI_DR, 0.0, 1.0)
        return phi1 + short_period_phi2(self.region, period, ctx.rrup)

    def _s2s2(self, C):
        return C["phi_s2s_g%d" % self.s2s_group] ** 2

    def _stddevs(self, C, C_pga, imt, ctx, deriv):
        """(total, tau, phi) of shape (N,) with the non-linear site propagation."""
        phi_lin2 = self._phi_lin2(C, ctx, imt.period)
        phi_pga2 = self._phi_lin2(C_pga, ctx, 0.0)
        if not self.ergodic:
            phi_lin2 = phi_lin2 - self._s2s2(C)
            # the global group takes the PGA-side phi_s2s from the target row, as
            # OpenQuake 3.26.2 does
            phi_pga2 = phi_pga2 - (self._s2s2(C) if self.s2s_group == 1
                                   else self._s2s2(C_pga))
        phi_b = np.sqrt(phi_lin2 - PHI_AMP ** 2)
        phi_b_pga = np.sqrt(phi_pga2 - PHI_AMP ** 2)
        tau2 = TAU_LIN ** 2 * (1.0 + deriv ** 2 + 2.0 * C["rhoB"] * deriv)
        phi2 = (phi_lin2 + deriv ** 2 * phi_b_pga ** 2
                + 2.0 * deriv * C["rhoW"] * phi_b_pga * phi_b)
        return np.sqrt(tau2 + phi2), np.sqrt(tau2), np.sqrt(phi2)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        C_pga = self.COEFFS[PGA]
        # PGA on rock: the linear site term at vs30 = 1000 m/s, no basin term
        a12 = C_pga["a12"] + self._adj(C_pga, self.a12_adj)
        pga1000 = np.exp(self._source_path(C_pga, ctx) + self._path_adjustment(PGA, ctx)
                         + (a12 + C_pga["b"] * N_SITE) * math.log(VS_ROCK / C_pga["vlin"]))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            fsite, deriv = self._site(C, ctx.vs30, pga1000)
            mean[m] = (self._source_path(C, ctx) + self._path_adjustment(imt, ctx) + fsite
                       + self._basin(C, imt, ctx))
            if self.sigma_mu_epsilon:
                r = np.clip(ctx.rrup, EPI_RMIN, EPI_RMAX) / 100.0
                mean[m] += self.sigma_mu_epsilon * (C["e1"] + C["e2"] * r + C["e3"] * r ** 2)
            if self.ak23_bias_adj:
                mean[m] += self.AK23_BIAS_ADJ[imt]["bias_adj"]
            sig[m], tau[m], phi[m] = self._stddevs(C, C_pga, imt, ctx, deriv)


class AbrahamsonGulerce2020SSlab(AbrahamsonGulerce2020SInter):
    """Abrahamson and Gülerce (2022) for intraslab events (ztor in km)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    SLAB = 1


#: the names OpenQuake gives to the regional versions: region -> class-name suffix
REGION_ALIASES = {"USA-AK": "Alaska", "CAS": "Cascadia", "CAM": "CentralAmericaMexico",
                  "JPN": "Japan", "NZL": "NewZealand", "SAM": "SouthAmerica",
                  "TWN": "Taiwan"}
for _base in (AbrahamsonGulerce2020SInter, AbrahamsonGulerce2020SSlab):
    for _region, _suffix in REGION_ALIASES.items():
        _name = _base.__name__ + _suffix
        globals()[_name] = alias(_name, _base, __name__, region=_region)
del _base, _region, _suffix, _name
