"""Campbell and Bozorgnia (2014): NGA-West2 model for active shallow crust.

Campbell, K. W. and Bozorgnia, Y. (2014). NGA-West2 ground motion model for the
average horizontal components of PGA, PGV, and 5% damped linear acceleration response
spectra. Earthquake Spectra, 30(3), 1087-1115.

ln Y = f_mag + f_dis + f_flt + f_hng + f_site + f_sed + f_hyp + f_dip + f_atn      (eq. 1)

California form (S_J = 0, no regional anelastic adjustment). The non-linear site term
and the standard deviations depend on A1100, the median PGA (g) at vs30 = 1100 m/s
with the z2.5 default for 1100 m/s, computed from the same rupture. CAV and IA use the
same functional form with the coefficients of

Campbell, K. W. and Bozorgnia, Y. (2019). Ground motion models for the horizontal
components of Arias intensity (AI) and cumulative absolute velocity (CAV) using the
NGA-West2 database. Earthquake Spectra, 35(3), 1289-1310.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_flag, check_number, coeffs_table)
from oqcore.hazard.gsim.nga_sub_adjustments import USGS_BASIN_T075_FACTOR
from oqcore.hazard.gsim.nga_west2_usgs import (CYBERSHAKE_OFFSET, cybershake_coeffs,
                                               epistemic_sigma)
from oqcore.hazard.imt import IMT

#: constants of the model: hanging-wall h4, non-linear site c and n (Table 2 notes)
CONSTS = {"h4": 1.0, "c": 1.88, "n": 1.18}
#: rock vs30 (m/s) of A1100
VS30_ROCK = 1100.0
#: magnitudes of the piecewise-linear magnitude scaling (eq. 2)
MAG_HINGES = (4.5, 5.5, 6.5)
#: upper bound (s) of the SA periods floored at PGA
SA_FLOOR_PERIOD = 0.25
#: depth (km) below which ztor switches the hanging-wall term off (eq. 13)
HW_ZTOR_MAX = 16.66
#: rupture distance (km) beyond which anelastic attenuation applies (eq. 17)
R_ANELASTIC = 80.0
#: Japan site term: vs30 (m/s) up to which the soft-soil term c12 applies (eq. 19)
VS30_SOFT_JP = 200.0
#: USGS basin scaling: the period (s) whose basin term the USGS implementation scales
USGS_SCALED_PERIOD = 0.075

_PGA = IMT("PGA")


class CampbellBozorgnia2014(GMPE):
    """Campbell and Bozorgnia (2014), RotD50 component, California (global) form."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["CAV", "IA", "PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(
        ["dip", "hypo_depth", "mag", "rake", "width", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup", "rx"])

    COEFFS = coeffs_table(__file__, "campbell_bozorgnia_2014", "COEFFS.csv")

    #: replace the rupture's ztor (Chiou and Youngs 2014, eqs. 4-5), width (eq. 39) and
    #: hypocentral depth (eqs. 35-37) by the estimates of the paper; SJ: Japan site term
    #: (eq. 19), shallow-basin slope c14 + c15 and z2.5 model (eq. 34);
    #: sigma_mu_epsilon: ε of the USGS epistemic shift ε σμ(M, rrup) (applied again
    #: after the floor of short-period SA at PGA, as the USGS does); usgs_basin_scaling:
    #: the USGS z2.5 scaling of the basin term as the USGS code applies it, which leaves
    #: every site with the term of the reference depth z2.5(1100 m/s);
    #: cybershake_basin_adj: above 1.9 s, the USGS CyberShake slope of the deep-basin
    #: term in place of c16 k3 (with usgs_basin_scaling: the reference term plus 0.1 at
    #: the sites of z2.5 <= 1 km, as the USGS code applies it); coeffs: {IMT: {name:
    #: value}} replacing coefficients of the table
    ARGUMENTS = {"estimate_ztor": False, "estimate_width": False,
                 "estimate_hypo_depth": False, "SJ": False, "sigma_mu_epsilon": 0.0,
                 "usgs_basin_scaling": False, "cybershake_basin_adj": False, "coeffs": None}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        model = type(self).__name__
        for name, default in self.ARGUMENTS.items():
            if isinstance(default, bool):
                check_flag(model, name, getattr(self, name))
        check_number(model, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        if self.coeffs:
            self.COEFFS = type(self).COEFFS.with_overrides(self.coeffs, model)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        if self.estimate_ztor or self.estimate_width or self.estimate_hypo_depth:
            ctx = estimated_geometry(ctx, self.estimate_ztor, self.estimate_width,
                                     self.estimate_hypo_depth)
        japan = self.SJ
        vs30 = ctx.vs30
        rock_vs30 = np.full_like(vs30, VS30_ROCK)
        z_rock = z2pt5_default(rock_vs30, japan)
        site_z2pt5 = np.where(ctx.z2pt5 == -999, z2pt5_default(vs30, japan), ctx.z2pt5)  # km
        z2pt5 = z_rock if self.usgs_basin_scaling else site_z2pt5
        C_PGA = self.COEFFS[_PGA]
        # A1100 (g): linear site term at 1100 m/s, basin default for 1100 m/s
        a1100 = np.exp(_ln_y(C_PGA, ctx, rock_vs30, z_rock, None, japan))
        shift = (self.sigma_mu_epsilon * epistemic_sigma(ctx.mag, ctx.rrup)
                 if self.sigma_mu_epsilon else 0.0)
        ln_pga = {}
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            basin_scale = 1.0
            if self.usgs_basin_scaling and imt.period == USGS_SCALED_PERIOD:
                basin_scale = USGS_BASIN_T075_FACTOR
            cybershake = (cybershake_coeffs("CB14", imt) if self.cybershake_basin_adj
                          else None)
            if cybershake is None or self.usgs_basin_scaling:
                mean[m] = _ln_y(C, ctx, vs30, z2pt5, a1100, japan, basin_scale) + shift
                if cybershake is not None:
                    mean[m] += np.where(site_z2pt5 <= 1.0, CYBERSHAKE_OFFSET, 0.0)
            else:
                mean[m] = _ln_y(C, ctx, vs30, z2pt5, a1100, japan, basin_scale,
                                cybershake["slope_cy"]) + shift
            if imt.name == "SA" and imt.period < SA_FLOOR_PERIOD:
                if basin_scale not in ln_pga:
                    ln_pga[basin_scale] = _ln_y(C_PGA, ctx, vs30, z2pt5, a1100, japan,
                                                basin_scale)
                mean[m] = np.maximum(mean[m], ln_pga[basin_scale]) + shift
            cb19 = imt.name in ("CAV", "IA")
            tau[m], phi[m] = _tau_phi(C, C_PGA, ctx.mag, vs30, a1100, cb19)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


def estimated_geometry(ctx, ztor: bool, width: bool, hypo_depth: bool):
    """A copy of the contexts with ztor, width and/or hypo_depth (km) estimated.

    ztor from magnitude and mechanism (CY14 eqs. 4-5: reverse for 30 < rake < 150);
    width = sqrt(10^((M - 4.07) / 0.98)) limited by the depth of the rupture bottom
    (``zbot``, or ztor + width sin(dip) of the given rupture) below ztor (CB14 eq. 39);
    hypo_depth = ztor + dZ with ln dZ = min(f(M) + f(dip), ln(0.9 (zbor - ztor))),
    zbor the bottom of the (estimated) rupture (CB14 eqs. 35-37).
    """
    out = ctx.copy().view(np.recarray)
    sin_dip = np.sin(np.radians(ctx.dip))
    if "zbot" in (ctx.dtype.names or ()):
        zbot = ctx.zbot
    else:
        zbot = ctx.ztor + ctx.width * sin_dip
    if ztor:
        reverse = (ctx.rake > 30.0) & (ctx.rake < 150.0)
        out.ztor = np.where(
            reverse, np.maximum(2.704 - 1.226 * np.maximum(ctx.mag - 5.849, 0.0), 0.0) ** 2,
            np.maximum(2.673 - 1.136 * np.maximum(ctx.mag - 4.970, 0.0), 0.0) ** 2)
    if width:
        w = np.sqrt(10.0 ** ((ctx.mag - 4.07) / 0.98))
        dipping = np.abs(sin_dip) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            limit = (zbot - out.ztor) / sin_dip
        out.width = np.where(dipping, np.minimum(w, limit), w)
    if hypo_depth:
        f_mag = np.where(ctx.mag < 6.75, -4.317 + 0.984 * ctx.mag, 2.325)
        f_dip = np.where(ctx.dip <= 40.0, 0.0445 * (ctx.dip - 40.0), 0.0)
        zbor = out.ztor + out.width * sin_dip
        deeper = zbor > out.ztor
        with np.errstate(divide="ignore", invalid="ignore"):
            dz = np.exp(np.minimum(f_mag + f_dip, np.log(0.9 * (zbor - out.ztor))))
        out.hypo_depth = out.ztor + np.where(deeper, dz, 0.0)
    return out


def z2pt5_default(vs30, japan: bool = False):
    """California (eq. 33) or Japan (eq. 34) z2.5 (km) from vs30 (m/s), used where z2.5
    is unknown."""
    if japan:
        return np.exp(5.359 - 1.102 * np.log(vs30))
    return np.exp(7.089 - 1.144 * np.log(vs30))


def basin_term(imt, vs30, z2pt5):
    """The CB14 basin term (eq. 20, ln units) borrowed by other models
    (``cb14_basin_term``): z2.5 in km, -999 (unknown) replaced by eq. 33's default."""
    z2pt5 = np.where(z2pt5 == -999, z2pt5_default(vs30), z2pt5)
    return _f_sed(CampbellBozorgnia2014.COEFFS[imt], z2pt5)


def _ln_y(C, ctx, vs30, z2pt5, a1100, japan: bool = False, basin_scale: float = 1.0,
          deep_slope=None):
    """ln Y of eq. 1; ``a1100=None`` gives the rock motion (vs30 >= k1 only); ``japan``
    the Japan site and basin terms; ``basin_scale`` multiplies the basin term."""
    mag = ctx.mag
    return (_f_mag(C, mag) + _f_dis(C, mag, ctx.rrup) + _f_flt(C, mag, ctx.rake)
            + _f_hng(C, ctx) + _f_site(C, vs30, a1100, japan)
            + basin_scale * _f_sed(C, z2pt5, japan, deep_slope)
            + _f_hyp(C, mag, ctx.hypo_depth) + _f_dip(C, mag, ctx.dip)
            + _f_atn(C, ctx.rrup))


def _f_mag(C, mag):
    """Magnitude scaling (eq. 2)."""
    m1, m2, m3 = MAG_HINGES
    return (C["c0"] + C["c1"] * mag + C["c2"] * np.maximum(mag - m1, 0.0)
            + C["c3"] * np.maximum(mag - m2, 0.0) + C["c4"] * np.maximum(mag - m3, 0.0))


def _f_dis(C, mag, rrup):
    """Geometric attenuation (eq. 3)."""
    return (C["c5"] + C["c6"] * mag) * np.log(np.sqrt(rrup ** 2 + C["c7"] ** 2))


def _f_flt(C, mag, rake):
    """Style of faulting (eqs. 4-6): reverse 30 < rake < 150, normal -150 < rake < -30,
    tapered in magnitude from 4.5 to 5.5."""
    reverse = (rake > 30.0) & (rake < 150.0)
    normal = (rake > -150.0) & (rake < -30.0)
    f_m = np.clip(mag - 4.5, 0.0, 1.0)
    return (C["c8"] * reverse + C["c9"] * normal) * f_m


def _f_hng(C, ctx):
    """Hanging-wall term (eqs. 7-16), for rx >= 0."""
    mag, rx, rrup = ctx.mag, ctx.rx, ctx.rrup
    r1 = ctx.width * np.cos(np.radians(ctx.dip))  # km
    r2 = 62.0 * mag - 350.0  # km
    with np.errstate(divide="ignore", invalid="ignore"):
        x1 = rx / r1
        x2 = (rx - r1) / (r2 - r1)
        f_rrup = np.where(rrup > 0.0, (rrup - ctx.rjb) / rrup, 1.0)
        f1 = C["h1"] + C["h2"] * x1 + C["h3"] * x1 ** 2
        f2 = np.maximum(CONSTS["h4"] + C["h5"] * x2 + C["h6"] * x2 ** 2, 0.0)
    f_rx = np.where(rx < 0.0, 0.0, np.where(rx < r1, f1, f2))
    # 0 up to M 5.5, (M - 5.5)(1 + a2 (M - 6.5)) up to 6.5, 1 + a2 (M - 6.5) above
    f_m = np.where(mag <= 6.5, np.maximum(mag - 5.5, 0.0) * (1.0 + C["a2"] * (mag - 6.5)),
                   1.0 + C["a2"] * (mag - 6.5))
    f_z = np.where(ctx.ztor <= HW_ZTOR_MAX, 1.0 - 0.06 * ctx.ztor, 0.0)
    f_d = (90.0 - ctx.dip) / 45.0
    return C["c10"] * f_rx * f_rrup * f_m * f_z * f_d


def _f_site(C, vs30, a1100, japan: bool = False):
    """Shallow site response (eqs. 18-19), non-linear for vs30 <= k1, plus the Japan
    term f_site,J (soft-soil part up to 200 m/s) if ``japan``."""
    ratio = vs30 / C["k1"]
    k2n = C["k2"] * CONSTS["n"]
    linear = (C["c11"] + k2n) * np.log(ratio)
    if a1100 is None:
        out = linear
    else:
        c, n = CONSTS["c"], CONSTS["n"]
        nonlinear = C["c11"] * np.log(ratio) + C["k2"] * (
            np.log(a1100 + c * ratio ** n) - np.log(a1100 + c))
        out = np.where(vs30 <= C["k1"], nonlinear, linear)
    if japan:
        soft = (C["c12"] + k2n) * (np.log(ratio) - np.log(VS30_SOFT_JP / C["k1"]))
        out = out + (C["c13"] + k2n) * np.log(ratio) + np.where(
            vs30 <= VS30_SOFT_JP, soft, 0.0)
    return out


def _f_sed(C, z2pt5, japan: bool = False, deep_slope=None):
    """Basin response (eq. 20), z2.5 in km; shallow slope c14 + c15 in Japan; the deep
    slope c16 k3 unless ``deep_slope`` is given."""
    shallow = (C["c14"] + C["c15"] * japan) * (z2pt5 - 1.0)
    slope = C["c16"] * C["k3"] if deep_slope is None else deep_slope
    deep = slope * np.exp(-0.75) * (1.0 - np.exp(-0.25 * (z2pt5 - 3.0)))
    return np.where(z2pt5 <= 1.0, shallow, np.where(z2pt5 <= 3.0, 0.0, deep))


def _f_hyp(C, mag, hypo_depth):
    """Hypocentral-depth term (eqs. 21-23)."""
    f_h = np.clip(hypo_depth - 7.0, 0.0, 13.0)
    f_m = C["c17"] + (C["c18"] - C["c17"]) * np.clip(mag - 5.5, 0.0, 1.0)
    return f_h * f_m


def _f_dip(C, mag, dip):
    """Rupture-dip term (eq. 24), fading out from M 4.5 to 5.5."""
    return C["c19"] * np.clip(5.5 - mag, 0.0, 1.0) * dip


def _f_atn(C, rrup):
    """Anelastic attenuation (eq. 25) beyond 80 km."""
    return (C["c20"] + C["Dc20"]) * np.maximum(rrup - R_ANELASTIC, 0.0)


def _mag_interp(lo, hi, mag):
    """lo for M <= 4.5, hi for M >= 5.5, linear in between (eqs. 27-28)."""
    return hi + (lo - hi) * np.clip(5.5 - mag, 0.0, 1.0)


def _alpha(C, vs30, a1100):
    """Partial derivative of the site term with respect to ln A1100 (eq. 31)."""
    ratio = vs30 / C["k1"]
    c, n = CONSTS["c"], CONSTS["n"]
    alpha = C["k2"] * a1100 * (1.0 / (a1100 + c * ratio ** n) - 1.0 / (a1100 + c))
    return np.where(vs30 < C["k1"], alpha, 0.0)


def _tau_phi(C, C_PGA, mag, vs30, a1100, cb19):
    """Between- and within-event standard deviations (eqs. 27-32).

    ``cb19``: CAV and IA (Campbell and Bozorgnia 2019), whose correlation with PGA
    goes from rho1pga (M <= 4.5) to rho2pga (M >= 5.5); otherwise rholny.
    """
    tau_y = _mag_interp(C["tau1"], C["tau2"], mag)
    tau_a = _mag_interp(C_PGA["tau1"], C_PGA["tau2"], mag)
    phi_y = _mag_interp(C["phi1"], C["phi2"], mag)
    phi_a = _mag_interp(C_PGA["phi1"], C_PGA["phi2"], mag)
    phi_af = C["philnAF"]
    phi_yb = np.sqrt(phi_y ** 2 - phi_af ** 2)
    phi_ab = np.sqrt(phi_a ** 2 - C_PGA["philnAF"] ** 2)  # PGA on rock
    alpha = _alpha(C, vs30, a1100)
    rho = _mag_interp(C["rho1pga"], C["rho2pga"], mag) if cb19 else C["rholny"]
    tau = np.sqrt(tau_y ** 2 + alpha ** 2 * tau_a ** 2 + 2.0 * alpha * rho * tau_y * tau_a)
    phi = np.sqrt(phi_yb ** 2 + phi_af ** 2 + alpha ** 2 * phi_ab ** 2
                  + 2.0 * alpha * rho * phi_yb * phi_ab)
    return tau, phi
