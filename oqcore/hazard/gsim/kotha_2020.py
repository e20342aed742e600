"""Kotha et al. (2020): regionally-adaptable model for shallow crustal earthquakes in Europe,
and its ESHM20 adaptation (Weatherill et al., 2020).

Kotha, S. R., Weatherill, G., Bindi, D. and Cotton, F. (2020). A regionally-adaptable
ground-motion model for shallow crustal earthquakes in Europe. Bulletin of Earthquake
Engineering, 18, 4091-4125.
Weatherill, G., Kotha, S. R. and Cotton, F. (2020). A regionally-adaptable "scaled
backbone" ground motion logic tree for shallow seismicity in Europe: application to the
2020 European seismic hazard model. Bulletin of Earthquake Engineering, 18, 5087-5117.

ln Y = f_M(M) + f_R,g(M, R) + f_R,a(R) + f_site [+ ε_μ max(τ_L2L, σ_μ) or δL2L]   (eq. 4)

f_M = e1 + b1 (M - Mh) + b2 (M - Mh)² (M <= Mh) or e1 + b3 (M - Mh) (M > Mh),
f_R,g = [c1 + c2 (M - Mref)] ln(R / Rref_h),   f_R,a = c3 (R - Rref_h) / 100,
R = sqrt(Rjb² + h²), Rref_h = sqrt(Rref² + h²), h a pseudo-depth set by the hypocentral
depth; c3 = c3 + ε_c3 τ_c3 unless given per IMT. Y in cm/s² (PGA, SA; converted to g)
or cm/s (PGV).

Site terms: none (``KothaEtAl2020``), quadratic in ln(vs30 / 800) (``Site``) or in
ln(slope / 0.1) (``Slope``); ESHM20: linear in ln(min(vs30, 1100)) with separate
coefficients for measured and inferred vs30, or (``SlopeGeology``) linear in the log of the
slope (clipped to 0.0005-0.3 m/m) with random effects per geological era.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN_CMS2_PER_G, TOTAL, alias, check_flag, check_number,
    coeffs_table, imt_table)
from oqcore.hazard.imt import IMT

#: reference magnitude of the distance scaling
MREF = 4.5
#: reference distance (km)
RREF = 30.0
#: hinge magnitude of the magnitude scaling
MH = 5.7
#: pseudo-depths (km) for hypocentral depth D <= 10 km, 10 < D <= 20 km, D > 20 km
H_D10, H_10D20, H_D20 = 4.0, 8.0, 12.0
#: reference vs30 (m/s) and slope (m/m) of the preliminary site terms
VS30_REF, SLOPE_REF = 800.0, 0.1
#: ESHM20: cap of vs30 (m/s) in the site term; bounds of the slope (m/m) in the geology term
VS30_CAP_ESHM20 = 1100.0
SLOPE_MIN, SLOPE_MAX = 0.0005, 0.3
#: σ_μ: magnitudes between which it is interpolated from its M 7.4 to its M 8 value
SIGMA_MU_M_LOW, SIGMA_MU_M_HIGH = 7.4, 8.0
#: number of attenuation regions of ESHM20 (region 0: the model's default c3)
N_REGIONS = 5
#: between-event τ of the Al Atik (2015) "global" model (Table 5.1): values at
#: M <= 4.5, 5.0, 5.5 and >= 6.5, linear in M between; PGV has its own
GLOBAL_TAU = {"PGV": (0.3733, 0.3639, 0.3434, 0.3236),
              "SA": (0.4518, 0.4270, 0.3863, 0.3508)}
GLOBAL_TAU_MAGS = (4.5, 5.0, 5.5, 6.5)
#: single-station φ0 (ESHM20): ``a`` at M <= 5, ``b`` at M > 6.5, linear between
PHI0_M_LOW, PHI0_M_HIGH = 5.0, 6.5


def pseudo_depth(hypo_depth):
    """Pseudo-depth h (km) from the hypocentral depth (km)."""
    return np.where(hypo_depth <= 10.0, H_D10, np.where(hypo_depth <= 20.0, H_10D20, H_D20))


def magnitude_term(C, mag):
    """f_M (ln units): quadratic below the hinge magnitude Mh, linear above."""
    dm = mag - MH
    return C["e1"] + np.where(mag <= MH, C["b1"] * dm + C["b2"] * dm ** 2, C["b3"] * dm)


def distance_term(C, c3, mag, rjb, hypo_depth):
    """f_R,g + f_R,a (ln units) for the anelastic coefficient ``c3`` (scalar or (N,))."""
    h = pseudo_depth(hypo_depth)
    r = np.sqrt(rjb ** 2 + h ** 2)
    r_ref = np.sqrt(RREF ** 2 + h ** 2)
    return (C["c1"] + C["c2"] * (mag - MREF)) * np.log(r / r_ref) + c3 * (r - r_ref) / 100.0


def global_tau(imt: IMT, mag):
    """Between-event τ (ln units) of the Al Atik (2015) global model, (N,)."""
    return np.interp(mag, GLOBAL_TAU_MAGS, GLOBAL_TAU["PGV" if imt.name == "PGV" else "SA"])


def phi0_eshm20(C, mag):
    """Single-station within-event φ0 (ln units) of ESHM20, (N,)."""
    return np.interp(mag, (PHI0_M_LOW, PHI0_M_HIGH), (C["a"], C["b"]))


class KothaEtAl2020(GMPE):
    """Kotha et al. (2020), reference rock (no site term).

    Arguments: ``sigma_mu_epsilon`` (ε_μ: adds ε_μ max(τ_L2L, σ_μ) to the ln-mean),
    ``c3_epsilon`` (ε_c3: c3 + ε_c3 τ_c3), ``ergodic`` (False drops the site-to-site
    variability from φ), ``dl2l`` ({IMT: δL2L} added to the ln-mean instead of the ε_μ
    term) and ``c3`` ({IMT: c3} replacing c3 and ε_c3).
    """

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    ARGUMENTS = {"sigma_mu_epsilon": 0.0, "c3_epsilon": 0.0, "ergodic": True,
                 "dl2l": None, "c3": None}

    COEFFS = coeffs_table(__file__, "kotha_2020", "COEFFS.csv")
    #: statistical uncertainty σ_μ at M 7.4 and M 8 by depth class (shallow < 10 km,
    #: deep >= 20 km)
    SIGMA_MU = coeffs_table(__file__, "kotha_2020", "SIGMA_MU.csv")
    #: the column of the site-to-site variability added to φ when ergodic
    PHI_S2S = "phis2s"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        check_number(name, "c3_epsilon", self.c3_epsilon)
        check_flag(name, "ergodic", self.ergodic)
        self._dl2l = imt_table(name, "dl2l", self.dl2l)
        self._c3 = imt_table(name, "c3", self.c3)

    # --------------------------------------------------------------- model parts
    def c3_values(self, C, imt, ctx):
        """The anelastic coefficient: scalar or (N,)."""
        if self._c3 is not None:
            return self._c3[imt]["c3"]
        return C["c3"] + self.c3_epsilon * C["tau_c3"]

    def site_term(self, C, imt, ctx):
        """f_site (ln units); none for the reference-rock model."""
        return 0.0

    def tau_phi(self, C, imt, ctx):
        """(τ, φ without site-to-site variability, φ_S2S), scalars or (N,)."""
        return C["tau_event_0"], C["phi_0"], C[self.PHI_S2S]

    def sigma_mu(self, C, imt, ctx):
        """max(τ_L2L, σ_μ) (ln units), (N,): σ_μ is linear in M from its M 7.4 to its
        M 8 value (constant above), and only counts from M 7.4 up."""
        S = self.SIGMA_MU[imt]
        depth = ctx.hypo_depth
        cls = np.where(depth < 10.0, 0, np.where(depth >= 20.0, 2, 1))
        hi = np.choose(cls, [S["sigma_mu_m8_shallow"], S["sigma_mu_m8_intermediate"],
                             S["sigma_mu_m8_deep"]])
        lo = np.choose(cls, [S["sigma_mu_m7p4_shallow"], S["sigma_mu_m7p4_intermediate"],
                             S["sigma_mu_m7p4_deep"]])
        mag = ctx.mag
        frac = (mag - SIGMA_MU_M_LOW) / (SIGMA_MU_M_HIGH - SIGMA_MU_M_LOW)
        sig_mu = np.where(mag >= SIGMA_MU_M_HIGH, hi, lo + (hi - lo) * frac)
        return np.where(mag < SIGMA_MU_M_LOW, C["tau_l2l"],
                        np.maximum(C["tau_l2l"], sig_mu))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = (magnitude_term(C, ctx.mag)
                    + distance_term(C, self.c3_values(C, imt, ctx), ctx.mag, ctx.rjb,
                                    ctx.hypo_depth)
                    + self.site_term(C, imt, ctx))
            if imt.name != "PGV":
                ln_y = ln_y - LN_CMS2_PER_G
            if self._dl2l is not None:
                ln_y = ln_y + self._dl2l[imt]["dl2l"]
            elif self.sigma_mu_epsilon:
                ln_y = ln_y + self.sigma_mu_epsilon * self.sigma_mu(C, imt, ctx)
            mean[m] = ln_y
            t, p, p_s2s = self.tau_phi(C, imt, ctx)
            if self.ergodic:
                p = np.sqrt(p ** 2 + p_s2s ** 2)
            tau[m] = t
            phi[m] = p
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class KothaEtAl2020Site(KothaEtAl2020):
    """Kotha et al. (2020) with the preliminary quadratic site term in ln(vs30 / 800)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    PHI_S2S = "phi_s2s_vs30"

    def site_term(self, C, imt, ctx):
        x = np.log(ctx.vs30 / VS30_REF)
        return C["g0_vs30"] + C["g1_vs30"] * x + C["g2_vs30"] * x ** 2


class KothaEtAl2020Slope(KothaEtAl2020):
    """Kotha et al. (2020) with the preliminary quadratic site term in ln(slope / 0.1)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["slope"])
    PHI_S2S = "phi_s2s_slope"

    def site_term(self, C, imt, ctx):
        x = np.log(ctx.slope / SLOPE_REF)
        return C["g0_slope"] + C["g1_slope"] * x + C["g2_slope"] * x ** 2


class KothaEtAl2020ESHM20(KothaEtAl2020):
    """The ESHM20 form: regional c3 (site parameter ``region``, 1-5; 0 keeps the default),
    vs30 site term for measured or inferred vs30, heteroskedastic τ (Al Atik 2015
    global model) and φ0."""

    REQUIRES_SITES_PARAMETERS = frozenset(["region", "vs30", "vs30measured"])
    COEFFS = coeffs_table(__file__, "kotha_2020", "COEFFS_ESHM20.csv")
    #: c3 and τ_c3 of the five attenuation regions (no PGV row: PGV keeps the default)
    C3_REGIONS = coeffs_table(__file__, "kotha_2020", "C3_REGIONS.csv")
    PHI0 = coeffs_table(__file__, "kotha_2020", "PHI0_ESHM20.csv")

    def c3_values(self, C, imt, ctx):
        n = len(ctx)
        if self._c3 is not None:
            return np.full(n, self._c3[imt]["c3"])
        c3 = np.full(n, C["c3"])
        tau_c3 = np.full(n, C["tau_c3"])
        region = np.asarray(ctx.region)
        if imt.name != "PGV" and np.any(region):
            R = self.C3_REGIONS[imt]
            for i in range(1, N_REGIONS + 1):
                sel = region == i
                c3[sel] = R["region_%d" % i]
                tau_c3[sel] = R["tau_region_%d" % i]
        return c3 + self.c3_epsilon * tau_c3

    def site_term(self, C, imt, ctx):
        ln_vs = np.log(np.minimum(ctx.vs30, VS30_CAP_ESHM20))
        measured = np.asarray(ctx.vs30measured, bool)
        return np.where(measured, C["d0_obs"] + C["d1_obs"] * ln_vs,
                        C["d0_inf"] + C["d1_inf"] * ln_vs)

    def phi_s2s(self, C, imt, ctx):
        """Site-to-site variability (ln units), (N,) or scalar."""
        return np.where(np.asarray(ctx.vs30measured, bool), C["phi_s2s_obs"],
                        C["phi_s2s_inf"])

    def tau_phi(self, C, imt, ctx):
        return (global_tau(imt, ctx.mag), phi0_eshm20(self.PHI0[imt], ctx.mag),
                self.phi_s2s(C, imt, ctx))


class KothaEtAl2020ESHM20SlopeGeology(KothaEtAl2020ESHM20):
    """The ESHM20 form with the site term of slope (m/m) and geological era
    (site parameter ``geology``; unknown eras take the fixed effects only)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["region", "slope", "geology"])
    #: fixed effects V1 (intercept), V2 (slope gradient) and φ_S2S
    GEOLOGY_FIXED = coeffs_table(__file__, "kotha_2020", "GEOLOGY_FIXED.csv")
    #: random effects per era on the intercept and on the gradient
    GEOLOGY_INTERCEPT = coeffs_table(__file__, "kotha_2020", "GEOLOGY_RANDOM_INT.csv")
    GEOLOGY_GRADIENT = coeffs_table(__file__, "kotha_2020", "GEOLOGY_RANDOM_GRAD.csv")

    def site_term(self, C, imt, ctx):
        F = self.GEOLOGY_FIXED[imt]
        A, B = self.GEOLOGY_INTERCEPT[imt], self.GEOLOGY_GRADIENT[imt]
        units = np.asarray(ctx.geology)
        v1 = np.full(len(ctx), F["V1"])
        v2 = np.full(len(ctx), F["V2"])
        for unit in np.unique(units):
            name = unit.decode() if isinstance(unit, bytes) else str(unit)
            if name in A.dtype.names:
                sel = units == unit
                v1[sel] += A[name]
                v2[sel] += B[name]
        slope = np.clip(ctx.slope, SLOPE_MIN, SLOPE_MAX)
        return v1 + v2 * np.log(slope)

    def phi_s2s(self, C, imt, ctx):
        return self.GEOLOGY_FIXED[imt]["phi_s2s"]


#: ESHM20 shallow-crust logic-tree branches: stress (σ_μ epsilon, 5-point Gaussian
#: quadrature) x attenuation (c3 epsilon)
STRESS_BRANCHES = {"VLow": -2.85697, "Low": -1.35563, "Mid": 0.0, "High": 1.35563,
                   "VHigh": 2.85697}
ATTENUATION_BRANCHES = {"Fast": -1.732051, "Mid": 0.0, "Slow": 1.732051}

for _stress, _eps in STRESS_BRANCHES.items():
    for _atten, _c3eps in ATTENUATION_BRANCHES.items():
        _name = "ESHM20ShallowCrust%sStress%sAtten" % (_stress, _atten)
        globals()[_name] = alias(_name, KothaEtAl2020ESHM20, __name__,
                                 sigma_mu_epsilon=_eps, c3_epsilon=_c3eps)
del _stress, _eps, _atten, _c3eps, _name
