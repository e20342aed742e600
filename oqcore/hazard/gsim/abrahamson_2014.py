"""Abrahamson, Silva and Kamai (2014): NGA-West2 model (ASK14) for active shallow crust.

Abrahamson, N. A., Silva, W. J. and Kamai, R. (2014). Summary of the ASK14 ground
motion relation for active crustal regions. Earthquake Spectra, 30(3), 1025-1055.

ln Sa = f1 + F_RV f7 + F_N f8 + F_HW f4 + f5(Sa1180, vs30) + f6 + f10 (eq. 1), where
Sa1180 is the median at the same IMT on rock of vs30 = 1180 m/s. The default region is
California (no regional term); ``region`` = "TWN", "CHN" or "JPN" adds the regional term
f_RG (eq. 1, page 1043: Taiwan a31 ln(vs30*/Vlin) + a25 Rrup, China a28 Rrup, Japan
f13(vs30) + a29 Rrup), and for Japan its z1ref (eq. 19) and its distance-dependent
within-event standard deviation (eq. 26).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias,
                                     check_choice, check_flag, check_number, coeffs_table)
from oqcore.hazard.gsim.nga_west2_usgs import (CYBERSHAKE_OFFSET, cybershake_coeffs,
                                               epistemic_sigma, z1pt0_basin_factor)

METRES_PER_KM = 1000.0
#: period-independent coefficients (pages 1032 and 1040)
N = 1.5
M2 = 5.0            # Mw, lower magnitude hinge
H1, H2, H3 = 0.25, 1.5, -0.75   # hanging-wall taper T3
A2HW = 0.2          # hanging-wall taper T2
#: vs30 (m/s) of the reference rock of Sa1180
VS30_REF = 1180.0
#: intra-event stddev of the site amplification (page 1047)
PHI_AMP = 0.4
#: vs30 nodes (m/s) between which the basin coefficients a43..a46 are interpolated
BASIN_VS30 = (150.0, 250.0, 400.0, 700.0)
#: regions with a regional term
REGIONS = ("TWN", "CHN", "JPN")
#: vs30 nodes (m/s) of the Japanese term f13 (coefficients a36..a42, a42 repeated)
JPN_VS30 = (150.0, 250.0, 350.0, 450.0, 600.0, 850.0, 1150.0, 2000.0)
#: Japan: Rrup (km) between which the within-event stddev goes from s5 to s6
JPN_R1, JPN_R2 = 30.0, 80.0


def v1_factor(imt) -> float:
    """V1 (m/s) of eq. 9, the vs30 above which site scaling saturates (1500 for PGA, PGV)."""
    if imt.name != "SA" or imt.period <= 0.5:
        return 1500.0
    if imt.period < 3.0:
        return float(np.exp(-0.35 * np.log(imt.period / 0.5) + np.log(1500.0)))
    return 800.0


def z1pt0_ref(vs30, region=None):
    """Reference z1.0 (km) for ``vs30`` (m/s): California eq. 18, Japan eq. 19."""
    if region == "JPN":
        return np.exp(-5.23 / 2.0 * np.log((vs30 ** 2 + 412.0 ** 2)
                                           / (1360.0 ** 2 + 412.0 ** 2))) / METRES_PER_KM
    return np.exp(-7.67 / 4.0 * np.log((vs30 ** 4 + 610.0 ** 4)
                                       / (1360.0 ** 4 + 610.0 ** 4))) / METRES_PER_KM


def regional_term(K, region, vs30, rrup, v1):
    """f_RG (ln units), (N,): zero for California (``region`` None)."""
    if region == "TWN":
        return K["a31"] * np.log(np.minimum(vs30, v1) / K["vlin"]) + K["a25"] * rrup
    if region == "CHN":
        return K["a28"] * rrup
    if region == "JPN":
        nodes = [K["a36"], K["a37"], K["a38"], K["a39"], K["a40"], K["a41"], K["a42"],
                 K["a42"]]
        f13 = np.interp(vs30, JPN_VS30, nodes)
        # linear extrapolation below the first node
        slope = (nodes[1] - nodes[0]) / (JPN_VS30[1] - JPN_VS30[0])
        f13 = np.where(vs30 < JPN_VS30[0], nodes[0] + slope * (vs30 - JPN_VS30[0]), f13)
        return f13 + K["a29"] * rrup
    return np.zeros_like(np.asarray(vs30, float) + rrup)


def basic_term(K, ctx):
    """f1 (eqs. 2-4): magnitude and distance scaling with hinges M2 = 5 and M1."""
    mag, m1 = ctx.mag, K["m1"]
    c4m = np.where(mag > 5.0, K["c4"],
                   np.where(mag >= 4.0, K["c4"] - (K["c4"] - 1.0) * (5.0 - mag), 1.0))
    ln_r = np.log(np.sqrt(ctx.rrup ** 2 + c4m ** 2))
    above = (K["a5"] * (mag - m1) + K["a8"] * (8.5 - mag) ** 2
             + (K["a2"] + K["a3"] * (mag - m1)) * ln_r)
    within = (K["a4"] * (mag - m1) + K["a8"] * (8.5 - mag) ** 2
              + (K["a2"] + K["a3"] * (mag - m1)) * ln_r)
    below = (K["a4"] * (M2 - m1) + K["a8"] * (8.5 - M2) ** 2
             + K["a6"] * (mag - M2) + K["a7"] * (mag - M2) ** 2
             + (K["a2"] + K["a3"] * (M2 - m1)) * ln_r)
    f_mag = np.where(mag >= m1, above, np.where(mag >= M2, within, below))
    return K["a1"] + K["a17"] * ctx.rrup + f_mag


def faulting_term(K, ctx):
    """F_RV f7 + F_N f8 (eqs. 5-6); reverse 30 < rake < 150, normal -150 < rake < -30."""
    scale = np.clip(ctx.mag - 4.0, 0.0, 1.0)
    reverse = (ctx.rake > 30.0) & (ctx.rake < 150.0)
    normal = (ctx.rake > -150.0) & (ctx.rake < -30.0)
    return scale * (K["a11"] * reverse + K["a12"] * normal)


def site_term(K, vs30, v1, sa1180):
    """f5 (eq. 7): non-linear for vs30 < Vlin, linear otherwise."""
    ratio = np.minimum(vs30, v1) / K["vlin"]
    linear = (K["a10"] + K["b"] * N) * np.log(ratio)
    nonlinear = (K["a10"] * np.log(ratio) - K["b"] * np.log(sa1180 + K["c"])
                 + K["b"] * np.log(sa1180 + K["c"] * ratio ** N))
    return np.where(vs30 < K["vlin"], nonlinear, linear)


def hw_tapers(ctx):
    """Product of the hanging-wall tapers T1..T5 (eqs. 11-15), zero off the hanging
    wall (the hanging wall is rx > 0, strictly, and dip != 90)."""
    rx, dip, mag = ctx.rx, ctx.dip, ctx.mag
    on_hw = (rx > 0.0) & (dip != 90.0)
    t1 = np.where(dip <= 30.0, 60.0 / 45.0, (90.0 - dip) / 45.0)
    dm = mag - 6.5
    t2 = np.where(mag > 6.5, 1.0 + A2HW * dm,
                  np.where(mag > 5.5, 1.0 + A2HW * dm - (1.0 - A2HW) * dm ** 2, 0.0))
    r1 = ctx.width * np.cos(np.radians(dip))
    r2 = 3.0 * r1
    # x = rx/r1 matters only where 0 < rx <= r2 (then r1 > 0); bounded elsewhere
    x = np.clip(rx / np.where(r1 > 0.0, r1, 1.0), -10.0, 10.0)
    t3 = np.where(rx < r1, H1 + H2 * x + H3 * x ** 2,
                  np.where(rx <= r2, 1.0 - (x - 1.0) / 2.0, 0.0))
    t4 = np.where(ctx.ztor <= 10.0, 1.0 - ctx.ztor ** 2 / 100.0, 0.0)
    dy = ctx.ry0 - rx * np.tan(np.radians(20.0))
    t5 = np.where(dy <= 0.0, 1.0, np.where(dy < 5.0, 1.0 - dy / 5.0, 0.0))
    return np.where(on_hw, t1 * t2 * t3 * t4 * t5, 0.0)


def ztor_term(K, ctx):
    """f6: a15 min(ztor/20, 1) (eq. 16)."""
    return K["a15"] * np.minimum(ctx.ztor / 20.0, 1.0)


def basin_term(K, ctx, region=None, usgs_imt=None, cybershake=None):
    """f10 (eq. 17); z1pt0 in metres, any negative value replaced by z1ref. With
    ``usgs_imt`` (the IMT of ``K``): times the USGS z1.0 ramp of the given z1pt0, so that
    sites of unknown depth (-999) take no basin term. ``cybershake`` (a record a44cy,
    a45cy, or None) replaces a44, a45 and adds 0.1 (before the USGS ramp)."""
    vs30 = ctx.vs30
    z1ref = z1pt0_ref(vs30, region)
    z1 = np.where(ctx.z1pt0 < 0.0, z1ref, ctx.z1pt0 / METRES_PER_KM)
    a44, a45 = (K["a44"], K["a45"]) if cybershake is None else (
        cybershake["a44cy"], cybershake["a45cy"])
    coeff = np.interp(vs30, BASIN_VS30, [K["a43"], a44, a45, K["a46"]])
    term = coeff * np.log((z1 + 0.01) / (z1ref + 0.01))
    if cybershake is not None:
        term = term + CYBERSHAKE_OFFSET
    if usgs_imt is not None:
        term = term * z1pt0_basin_factor(usgs_imt, ctx.z1pt0)
    return term


def site_amp_derivative(K, vs30, sa1180):
    """d f5 / d ln Sa1180 (eq. 30); zero for vs30 >= Vlin."""
    d = K["b"] * sa1180 * (-1.0 / (sa1180 + K["c"])
                           + 1.0 / (sa1180 + K["c"] * (vs30 / K["vlin"]) ** N))
    return np.where(vs30 < K["vlin"], d, 0.0)


def stddevs(K, ctx, sa1180, region=None):
    """Total, inter- and intra-event stddevs (eqs. 24-30; Japan: eq. 26).

    The inter-event stddev is tau_B (1 + dAmp), signed as in the reference
    implementation: it can be slightly negative for strongly non-linear soft sites.
    """
    mag = ctx.mag
    s1 = np.where(ctx.vs30measured, K["s1m"], K["s1e"])
    s2 = np.where(ctx.vs30measured, K["s2m"], K["s2e"])
    phi_a = s1 + (s2 - s1) / 2.0 * (np.clip(mag, 4.0, 6.0) - 4.0)
    if region == "JPN":
        phi_a = np.interp(ctx.rrup, (JPN_R1, JPN_R2), (K["s5"], K["s6"]))
    tau_a = K["s3"] + (K["s4"] - K["s3"]) / 2.0 * (np.clip(mag, 5.0, 7.0) - 5.0)
    d_amp = site_amp_derivative(K, ctx.vs30, sa1180)
    # phi_amp is reduced just below phi_A where phi_A < 0.4 (small M, long periods)
    phi_amp = np.where(phi_a < PHI_AMP, 0.99 * phi_a, PHI_AMP)
    phi_b2 = phi_a ** 2 - phi_amp ** 2
    phi = np.sqrt(phi_b2 * (1.0 + d_amp) ** 2 + phi_amp ** 2)
    tau = tau_a * (1.0 + d_amp)
    return np.sqrt(phi ** 2 + tau ** 2), tau, phi


class AbrahamsonEtAl2014(GMPE):
    """Abrahamson, Silva and Kamai (2014), ASK14; ``region`` None (California), "TWN",
    "CHN" or "JPN"; ``sigma_mu_epsilon``: ε of the USGS epistemic shift ε σμ(M, rrup)
    of the ln-mean; ``usgs_basin_scaling``: the basin term times the USGS z1.0 ramp;
    ``cybershake_basin_adj``: CyberShake basin coefficients a44, a45 above 1.9 s, and
    the 0.1 they add to the basin term also on the reference rock of Sa1180 (where the
    USGS ramp, if any, cancels it)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1180
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "mag", "rake", "width", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup", "rx", "ry0"])

    COEFFS = coeffs_table(__file__, "abrahamson_2014", "COEFFS.csv")
    ARGUMENTS = {"region": None, "sigma_mu_epsilon": 0.0, "usgs_basin_scaling": False,
                 "cybershake_basin_adj": False}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, (None,) + REGIONS)
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        check_flag(name, "usgs_basin_scaling", self.usgs_basin_scaling)
        check_flag(name, "cybershake_basin_adj", self.cybershake_basin_adj)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        tapers = hw_tapers(ctx)
        for m, imt in enumerate(imts):
            K = self.COEFFS[imt]
            v1 = v1_factor(imt)
            # everything but the site and basin terms; the basin term vanishes on rock
            source_path = (basic_term(K, ctx) + faulting_term(K, ctx)
                           + K["a13"] * tapers + ztor_term(K, ctx))
            rock = (K["a10"] + K["b"] * N) * np.log(min(VS30_REF, v1) / K["vlin"])
            cybershake = (cybershake_coeffs("ASK14", imt) if self.cybershake_basin_adj
                          else None)
            if cybershake is not None and not self.usgs_basin_scaling:
                rock += CYBERSHAKE_OFFSET
            sa1180 = np.exp(source_path + rock + regional_term(
                K, self.region, np.full(len(ctx), VS30_REF), ctx.rrup, v1))
            mean[m] = (source_path + site_term(K, ctx.vs30, v1, sa1180)
                       + basin_term(K, ctx, self.region,
                                    imt if self.usgs_basin_scaling else None, cybershake)
                       + regional_term(K, self.region, ctx.vs30, ctx.rrup, v1))
            if self.sigma_mu_epsilon:
                mean[m] += self.sigma_mu_epsilon * epistemic_sigma(ctx.mag, ctx.rrup)
            sig[m], tau[m], phi[m] = stddevs(K, ctx, sa1180, self.region)


for _region in REGIONS:
    globals()["AbrahamsonEtAl2014Reg" + _region] = alias(
        "AbrahamsonEtAl2014Reg" + _region, AbrahamsonEtAl2014, __name__, region=_region)
del _region
