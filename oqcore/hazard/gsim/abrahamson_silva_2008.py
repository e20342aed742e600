"""Abrahamson and Silva (2008): NGA model for active shallow crust.

Abrahamson, N. and Silva, W. (2008). Summary of the Abrahamson & Silva NGA
ground-motion relations. Earthquake Spectra, 24(1), 67-97. With the corrections of the
AS08 errata (hanging-wall dip taper T5, eq. 24 of the intra-event stddev).

ln Sa = f1 + a12 F_RV + a13 F_NM + F_HW f4 + f6 + f8 + f5(PGA1100, vs30) + f10 (eq. 1),
where PGA1100 is the median PGA for vs30 = 1100 m/s. Main shocks only (no aftershock
term); the constant-displacement model for long periods is not applied.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL,
                                     coeffs_table)
from oqcore.hazard.imt import PGA

#: period-independent coefficients (Table 4 of the paper)
C1 = 6.75           # Mw, magnitude hinge
C4 = 4.5            # km, fictitious depth
A3 = 0.265
A4 = -0.231
A5 = -0.398
N = 1.18
C = 1.88
C2 = 50.0           # m, soil-depth offset
SIGMA_AMP = 0.3
#: vs30 (m/s) of the rock used for PGA1100
VS30_ROCK = 1100.0
#: vs30 (m/s) above which the soil-depth term is zero
VS30_NO_SOIL = 1000.0


def median_z1pt0(vs30):
    """Median z1.0 (m) for ``vs30`` (m/s), eq. 17."""
    ln_z = np.where(vs30 < 180.0, 6.745,
                    np.where(vs30 <= 500.0, 6.745 - 1.35 * np.log(vs30 / 180.0),
                             5.394 - 4.48 * np.log(vs30 / 500.0)))
    return np.exp(ln_z)


def v1_factor(imt) -> float:
    """V1 (m/s) of eq. 6: the vs30 above which site scaling saturates."""
    if imt.name == "PGV":
        return 862.0
    t = imt.period  # 0 for PGA
    if t <= 0.5:
        return 1500.0
    if t <= 1.0:
        return float(np.exp(8.0 - 0.795 * np.log(t / 0.21)))
    if t < 2.0:
        return float(np.exp(6.76 - 0.297 * np.log(t)))
    return 700.0


def base_term(K, ctx):
    """f1, the base model (eq. 2), with R = sqrt(rrup² + c4²)."""
    mag = ctx.mag
    r = np.sqrt(ctx.rrup ** 2 + C4 ** 2)
    slope = np.where(mag <= C1, A4, A5)
    return (K["a1"] + slope * (mag - C1) + K["a8"] * (8.5 - mag) ** 2
            + (K["a2"] + A3 * (mag - C1)) * np.log(r))


def faulting_term(K, ctx):
    """a12 F_RV + a13 F_NM; reverse 30 < rake < 150, normal -120 < rake < -60 (strict)."""
    reverse = (ctx.rake > 30.0) & (ctx.rake < 150.0)
    normal = (ctx.rake > -120.0) & (ctx.rake < -60.0)
    return K["a12"] * reverse + K["a13"] * normal


def _positive(x):
    """``x`` where positive, else 1 (a divisor for values used only where x > 0)."""
    return np.where(x > 0.0, x, 1.0)


def hw_tapers(ctx):
    """Product of the hanging-wall tapers T1..T5 (eqs. 8-11, T5 from the errata),
    zero off the hanging wall (the hanging wall is rx > 0 and dip != 90)."""
    rx, dip = ctx.rx, ctx.dip
    on_hw = (rx > 0.0) & (dip != 90.0)
    t1 = np.where(ctx.rjb < 30.0, 1.0 - ctx.rjb / 30.0, 0.0)
    w_cos = ctx.width * np.cos(np.radians(dip))
    # on the hanging wall rx > 0, so rx <= w_cos and rx < ztor imply positive divisors
    t2 = np.where(rx <= w_cos, 0.5 + rx / (2.0 * _positive(w_cos)), 1.0)
    t3 = np.where(rx < ctx.ztor, rx / _positive(ctx.ztor), 1.0)
    t4 = np.clip(ctx.mag - 6.0, 0.0, 1.0)
    t5 = np.where(dip >= 30.0, 1.0 - (dip - 30.0) / 60.0, 1.0)
    return np.where(on_hw, t1 * t2 * t3 * t4 * t5, 0.0)


def ztor_term(K, ctx):
    """f6: a16 min(ztor, 10)/10 (eq. 13)."""
    return K["a16"] * np.minimum(ctx.ztor, 10.0) / 10.0


def large_distance_term(K, ctx):
    """f8: a18 (rrup - 100) T6 for rrup >= 100 km (eqs. 14-15)."""
    t6 = np.clip(0.5 * (6.5 - ctx.mag) + 0.5, 0.5, 1.0)
    return np.where(ctx.rrup >= 100.0, K["a18"] * (ctx.rrup - 100.0) * t6, 0.0)


def site_term(K, vs30, v1, pga1100):
    """f5 (eq. 5): non-linear for vs30 < VLIN, linear otherwise."""
    ratio = np.minimum(vs30, v1) / K["VLIN"]
    linear = (K["a10"] + K["b"] * N) * np.log(ratio)
    nonlinear = (K["a10"] * np.log(ratio) - K["b"] * np.log(pga1100 + C)
                 + K["b"] * np.log(pga1100 + C * ratio ** N))
    return np.where(vs30 < K["VLIN"], nonlinear, linear)


def e2_factor(imt, vs30):
    """e2 of eq. 19 (PGV counts as T = 1 s, PGA as T = 0)."""
    t = 1.0 if imt.name == "PGV" else imt.period
    if t < 0.35:
        return np.zeros_like(vs30)
    slope = np.log(min(t, 2.0) / 0.35)
    return np.where(vs30 <= VS30_NO_SOIL, -0.25 * np.log(vs30 / 1000.0) * slope, 0.0)


def a22_factor(imt) -> float:
    """a22 of eq. 20."""
    if imt.name == "SA" and imt.period >= 2.0:
        return 0.0625 * (imt.period - 2.0)
    return 0.0


def soil_depth_term(K, imt, v1, ctx):
    """f10 (eqs. 16-20); z1pt0 in metres, -999 replaced by the median z1.0 (eq. 17)."""
    vs30 = ctx.vs30
    z1_med = median_z1pt0(vs30)
    z1 = np.where(ctx.z1pt0 == -999.0, z1_med, ctx.z1pt0)
    depth = np.log((z1 + C2) / (z1_med + C2))
    e2 = e2_factor(imt, vs30)
    numerator = (K["a10"] + K["b"] * N) * np.log(np.minimum(vs30, v1) / min(v1, 1000.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        a21 = np.where(numerator + e2 * depth < 0.0, -numerator / depth, e2)
    a21 = np.where(vs30 >= VS30_NO_SOIL, 0.0, a21)
    out = a21 * depth
    with np.errstate(divide="ignore", invalid="ignore"):
        deep = a22_factor(imt) * np.log(z1 / 200.0)
    return out + np.where(z1 >= 200.0, deep, 0.0)


def ln_pga1100(K, ctx, tapers):
    """ln of the median PGA (g) on rock of vs30 = 1100 m/s (no soil-depth term)."""
    return (base_term(K, ctx) + faulting_term(K, ctx) + K["a14"] * tapers
            + ztor_term(K, ctx) + large_distance_term(K, ctx)
            + (K["a10"] + K["b"] * N) * np.log(VS30_ROCK / K["VLIN"]))


def std_mag(c_lo, c_hi, mag):
    """Interpolation between c_lo (M <= 5) and c_hi (M >= 7), eqs. 27-28."""
    return c_lo + (c_hi - c_lo) * (np.clip(mag, 5.0, 7.0) - 5.0) / 2.0


def site_amp_derivative(K, vs30, pga1100):
    """d f5 / d ln PGA1100 (eq. 26 of the errata); zero for vs30 >= VLIN."""
    d = (-K["b"] * pga1100 / (pga1100 + C)
         + K["b"] * pga1100 / (pga1100 + C * (vs30 / K["VLIN"]) ** N))
    return np.where(vs30 < K["VLIN"], d, 0.0)


def stddevs(K, K_pga, ctx, pga1100):
    """Total, inter- and intra-event stddevs (eqs. 23-28 with the errata)."""
    meas = ctx.vs30measured
    mag = ctx.mag

    def sigma_b(T):
        s0 = std_mag(np.where(meas, T["s1mea"], T["s1est"]),
                     np.where(meas, T["s2mea"], T["s2est"]), mag)
        return np.sqrt(s0 ** 2 - SIGMA_AMP ** 2)

    d_amp = site_amp_derivative(K, ctx.vs30, pga1100)
    sb, sb_pga = sigma_b(K), sigma_b(K_pga)
    intra = np.sqrt(sb ** 2 + SIGMA_AMP ** 2 + d_amp ** 2 * sb_pga ** 2
                    + 2.0 * d_amp * sb * sb_pga * K["rho"])
    tau0 = std_mag(K["s3"], K["s4"], mag)
    tau_pga = std_mag(K_pga["s3"], K_pga["s4"], mag)
    inter = np.sqrt(tau0 ** 2 + d_amp ** 2 * tau_pga ** 2
                    + 2.0 * d_amp * tau0 * tau_pga * K["rho"])
    return np.sqrt(intra ** 2 + inter ** 2), inter, intra


class AbrahamsonSilva2008(GMPE):
    """Abrahamson and Silva (2008), NGA, main shocks, with the AS08 errata."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "mag", "rake", "width", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup", "rx"])

    COEFFS = coeffs_table(__file__, "abrahamson_silva_2008", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        K_pga = self.COEFFS[PGA]
        tapers = hw_tapers(ctx)
        pga1100 = np.exp(ln_pga1100(K_pga, ctx, tapers))
        for m, imt in enumerate(imts):
            K = self.COEFFS[imt]
            v1 = v1_factor(imt)
            mean[m] = (base_term(K, ctx) + faulting_term(K, ctx)
                       + site_term(K, ctx.vs30, v1, pga1100)
                       + K["a14"] * tapers + ztor_term(K, ctx)
                       + large_distance_term(K, ctx) + soil_depth_term(K, imt, v1, ctx))
            sig[m], tau[m], phi[m] = stddevs(K, K_pga, ctx, pga1100)
