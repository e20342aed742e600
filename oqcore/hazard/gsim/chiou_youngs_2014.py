"""Chiou and Youngs (2014): NGA-West2 model for active shallow crust.

Chiou, B. S.-J. and Youngs, R. R. (2014). Update of the Chiou and Youngs NGA model for
the average horizontal component of peak ground motion and response spectra.
Earthquake Spectra, 30(3), 1117-1153. DOI: 10.1193/072813EQS219M

The model first predicts the motion ``y_ref`` on reference rock (vs30 = 1130 m/s,
eq. 11), then adds the linear, non-linear and basin-depth site terms (eq. 12). The
directivity term is zero. The ``region`` argument selects the regional adjustments of
the paper: "CAL" (California / global, the default), "JPN" (Japan: anelastic factor
gamma_JP-IT for 6 < M < 6.9, linear site coefficient phi1_JP, Japan z1.0 model and basin
coefficients phi5_JP, phi6_JP), "ITA" (Italy: the gamma_JP-IT factor) and "WEN"
(Wenchuan: anelastic factor gamma_Wn). As OpenQuake does, the within-event sigma keeps
sigma2 in every region (sigma2_JP is not applied), so that results agree with it.

The host-to-target adjustments of the backbone approach of

Boore, D. M., Youngs, R. R., Kottke, A. R., Bommer, J. J., Darragh, R., Silva, W. J.,
Stafford, P. J., Al Atik, L., Rodriguez-Marek, A. and Kaklamanos, J. (2022).
Construction of a ground-motion logic tree through host-to-target region adjustments
applied to an adaptable ground-motion prediction model. BSSA 112(2), 1063-1086.

enter through :class:`Adjustments`: a scaled normal-faulting term (alpha_NM, eq. 5),
the long-period term delta_c1 (eqs. 2-3), a stress-parameter shift of cM (eq. A19)
and an anelastic-attenuation shift delta_gamma (eq. 13).
"""
from __future__ import annotations

import math
import os

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, CoeffsTable,
                                     check_choice, check_flag, check_number,
                                     coeffs_table)
from oqcore.hazard.gsim.nga_west2_usgs import (CYBERSHAKE_OFFSET, cybershake_coeffs,
                                               epistemic_sigma, z1pt0_basin_factor)
from oqcore.hazard.imt import PGA, IMT

#: period-independent coefficients (Table 1 of the paper)
C2 = 1.06
C4 = -2.1
C4A = -0.5
CRB = 50.0          # km
C8A = 0.2695        # directivity only (unused: no directivity parameter)
C11 = 0.0
PHI6 = 300.0        # m, basin-depth scale
PHI6JP = 800.0      # m, Japan basin-depth scale
#: the regions of the ``region`` argument
REGIONS = ("CAL", "JPN", "ITA", "WEN")
#: magnitudes strictly between these take the Japan/Italy anelastic factor
JP_IT_MAGS = (6.0, 6.9)
#: reference-rock shear-wave velocity (m/s)
REF_VS = 1130.0
#: vs30 (m/s) at which the non-linear site term vanishes is REF_VS; 360 m/s centres it
NL_VS = 360.0
#: SA at periods up to this value (s) is not allowed below PGA (page 1144)
PGA_FLOOR_PERIOD = 0.3
#: total standard deviation of the PEER-test variant
PEER_SIGMA = 0.65
#: Boore et al. (2022) eq. 3: the long-period adjustment uses rrup up to this (km)
DELTA_C1_MAX_RRUP = 100.0


@attrs.frozen
class Adjustments:
    """Changes to the published coefficients (Boore et al. 2022 and backbone models built
    on CY14): each a scalar or an (N,) array; the defaults give the published model.

    ``dc1`` is added to c1, ``dc7`` and ``dc7b`` to c7 and c7b, ``dgamma`` to the
    anelastic coefficient gamma(M) (before the regional factors), ``dcm`` shifts cM
    (source scaling, eq. A19), ``alpha_nm`` multiplies the normal-faulting term and
    ``long_period`` adds the delta_c1(M, rrup, T) term of eqs. 2-3.
    """

    dc1: object = 0.0
    dc7: object = 0.0
    dc7b: object = 0.0
    dgamma: object = 0.0
    dcm: float = 0.0
    alpha_nm: float = 1.0
    long_period: bool = False


#: the published model
NO_ADJUSTMENT = Adjustments()


def mean_z1pt0(vs30, region: str = "CAL"):
    """z1.0 (m) expected for ``vs30`` (m/s): California (eq. 1 of the paper) or, for
    region "JPN", the Japan relation (eq. 2)."""
    if region == "JPN":
        return np.exp(-5.23 / 2.0 * np.log((vs30 ** 2 + 412.39 ** 2)
                                           / (1360.0 ** 2 + 412.39 ** 2)))
    return np.exp(-7.15 / 4.0 * np.log((vs30 ** 4 + 570.94 ** 4)
                                       / (1360.0 ** 4 + 570.94 ** 4)))


def centred_ztor(ctx):
    """ztor (km) minus its magnitude- and mechanism-dependent mean E[Ztor] (eqs. 4-5)."""
    reverse = (ctx.rake >= 30.0) & (ctx.rake <= 150.0)
    ss_nm = np.maximum(2.673 - 1.136 * np.maximum(ctx.mag - 4.970, 0.0), 0.0) ** 2
    rev = np.maximum(2.704 - 1.226 * np.maximum(ctx.mag - 5.849, 0.0), 0.0) ** 2
    return ctx.ztor - np.where(reverse, rev, ss_nm)


def source_terms(C, ctx, adj: Adjustments = NO_ADJUSTMENT):
    """Style of faulting, ztor and dip scaling (first lines of eq. 11); the normal-faulting
    term times ``adj.alpha_nm``, c7 and c7b shifted by ``adj.dc7``, ``adj.dc7b``."""
    cosh_m = np.cosh(2.0 * np.maximum(ctx.mag - 4.5, 0.0))
    reverse = (ctx.rake >= 30.0) & (ctx.rake <= 150.0)
    normal = (ctx.rake >= -120.0) & (ctx.rake <= -60.0)
    out = np.where(reverse, C["c1a"] + C["c1c"] / cosh_m, 0.0)
    out += np.where(normal, (C["c1b"] + C["c1d"] / cosh_m) * adj.alpha_nm, 0.0)
    out += (C["c7"] + adj.dc7 + (C["c7b"] + adj.dc7b) / cosh_m) * centred_ztor(ctx)
    out += (C11 + C["c11b"] / cosh_m) * np.cos(np.radians(ctx.dip)) ** 2
    return out


def magnitude_scaling(C, mag, dcm: float = 0.0):
    """Magnitude scaling: c2 (M - 6) + (c2 - c3)/cn ln(1 + exp(cn (cM - M))); with cM
    shifted by ``dcm`` as in Boore et al. (2022, eq. A19), minus (c2 - c3) dcm."""
    return (C2 * (mag - 6.0)
            + (C2 - C["c3"]) / C["cn"] * np.log(1.0 + np.exp(C["cn"] * (C["cm"] + dcm - mag)))
            - (C2 - C["c3"]) * dcm)


def distance_scaling(C, mag, rrup, region: str = "CAL", dgamma=0.0):
    """Near-source geometric spreading, far-field spreading and anelastic terms; the
    anelastic coefficient plus ``dgamma``, then scaled by gamma_JP-IT (6 < M < 6.9,
    "JPN", "ITA") or gamma_Wn ("WEN")."""
    near = C4 * np.log(rrup + C["c5"] * np.cosh(C["c6"] * np.maximum(mag - C["chm"], 0.0)))
    far = (C4A - C4) * np.log(np.sqrt(rrup ** 2 + CRB ** 2))
    gamma = C["cg1"] + C["cg2"] / np.cosh(np.maximum(mag - C["cg3"], 0.0)) + dgamma
    if region in ("JPN", "ITA"):
        gamma = np.where((mag > JP_IT_MAGS[0]) & (mag < JP_IT_MAGS[1]),
                         gamma * C["gjpit"], gamma)
    elif region == "WEN":
        gamma = gamma * C["gwn"]
    return near + far + gamma * rrup


def hanging_wall_term(C, ctx):
    """Hanging-wall term, applied for rx >= 0 (last line of eq. 11)."""
    fdist = 1.0 - np.sqrt(ctx.rjb ** 2 + ctx.ztor ** 2) / (ctx.rrup + 1.0)
    frx = C["c9a"] + (1.0 - C["c9a"]) * np.tanh(ctx.rx / C["c9b"])
    hw = C["c9"] * np.cos(np.radians(ctx.dip)) * frx * fdist
    return np.where(ctx.rx >= 0.0, hw, 0.0)


def long_period_term(period: float, mag, rrup):
    """delta_c1 of Boore et al. (2022, eqs. 2-3): s(M, R) ln(T / T_B)² for periods T (s)
    above T_B = 2 - max(M - 7, 0), 0 otherwise (and for PGA, PGV: period 0); rrup in
    km, capped at 100 km. The relation is defined for M < 9 (T_B > 0): beyond, as in
    OpenQuake, the term is NaN."""
    if period <= 0.0:
        return np.zeros_like(mag)
    excess = np.maximum(mag - 7.0, 0.0)
    t_b = 2.0 - excess
    s = ((0.2704 - 0.0694 * excess) + (-0.1342 + 0.0716 * excess)
         / np.cosh((0.2513 - 0.0419 * excess) * np.minimum(rrup, DELTA_C1_MAX_RRUP)))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(period / t_b)
    return np.where(period > t_b, s * np.maximum(log_ratio, 0.0) ** 2, 0.0)


def ln_y_ref(C, ctx, region: str = "CAL", use_hw: bool = True,
             adj: Adjustments = NO_ADJUSTMENT, period: float = 0.0):
    """ln of the median on reference rock, vs30 = 1130 m/s (eq. 11), in g or cm/s;
    without the hanging-wall term if not ``use_hw``; with the adjustments ``adj``
    (``period``, s, is the one of ``C``, for the long-period term)."""
    ln_y = (C["c1"] + adj.dc1 + source_terms(C, ctx, adj)
            + magnitude_scaling(C, ctx.mag, adj.dcm)
            + distance_scaling(C, ctx.mag, ctx.rrup, region, adj.dgamma))
    if use_hw:
        ln_y = ln_y + hanging_wall_term(C, ctx)
    if adj.long_period:
        ln_y = ln_y + long_period_term(period, ctx.mag, ctx.rrup)
    return ln_y


def nonlinear_factor(C, vs30):
    """phi2 (exp(phi3 (min(vs30, 1130) - 360)) - exp(phi3 (1130 - 360)))."""
    vs = np.minimum(vs30, REF_VS)
    return C["phi2"] * (np.exp(C["phi3"] * (vs - NL_VS))
                        - np.exp(C["phi3"] * (REF_VS - NL_VS)))


def basin_term(C, ctx, region: str = "CAL", usgs_imt=None, cybershake=None):
    """Basin-depth term phi5 (1 - exp(-dz1/phi6)); z1pt0 in metres, -999 unknown;
    the Japan z1.0 model and phi5_JP, phi6_JP for region "JPN". With ``usgs_imt`` (the
    IMT of ``C``), the non-Japan term times the USGS z1.0 ramp of the site's z1.0
    (unknown depths taking the mean one), as the USGS applies it. ``cybershake`` (a
    record phi5cy, phi6cy or None) replaces phi5, phi6 outside Japan and adds 0.1."""
    z1_mean = mean_z1pt0(ctx.vs30, region)
    z1 = np.where(ctx.z1pt0 == -999.0, z1_mean, ctx.z1pt0)
    dz1 = np.where(z1 <= 0.0, 0.0, z1 - z1_mean)
    if region == "JPN":
        return C["phi5jp"] * (1.0 - np.exp(-dz1 / PHI6JP))
    if cybershake is None:
        term = C["phi5"] * (1.0 - np.exp(-dz1 / PHI6))
    else:
        term = (cybershake["phi5cy"] * (1.0 - np.exp(-dz1 / cybershake["phi6cy"]))
                + CYBERSHAKE_OFFSET)
    if usgs_imt is not None:
        term = term * z1pt0_basin_factor(usgs_imt, z1)
    return term


def site_terms(C, ctx, ln_yref, region: str = "CAL", usgs_imt=None, cybershake=None):
    """Linear, non-linear (eq. 12) and basin site terms for the reference-rock motion
    ``ln_yref``; returns (site term (N,), the non-linear factor NL0 of eq. 13)."""
    y_ref = np.exp(ln_yref)
    nl_factor = nonlinear_factor(C, ctx.vs30)
    phi1 = C["phi1jp"] if region == "JPN" else C["phi1"]
    f_lin = phi1 * np.minimum(np.log(ctx.vs30 / REF_VS), 0.0)
    f_nl = nl_factor * np.log((y_ref + C["phi4"]) / C["phi4"])
    nl0 = nl_factor * y_ref / (y_ref + C["phi4"])
    return f_lin + f_nl + basin_term(C, ctx, region, usgs_imt, cybershake), nl0


def mean_and_stddevs(C, ctx, region: str = "CAL", use_hw: bool = True, usgs_imt=None,
                     adj: Adjustments = NO_ADJUSTMENT, period: float = 0.0,
                     cybershake=None):
    """ln-mean, total, inter- and intra-event stddevs for one coefficient row; ``use_hw``,
    ``adj`` and ``period`` as in :func:`ln_y_ref`, ``usgs_imt`` and ``cybershake`` as
    in :func:`basin_term`."""
    ln_yref = ln_y_ref(C, ctx, region, use_hw, adj, period)
    site, nl0 = site_terms(C, ctx, ln_yref, region, usgs_imt, cybershake)
    mean = ln_yref + site
    # eq. 13: stddevs depend on the non-linear site response NL0
    mag_w = np.clip(ctx.mag - 5.0, 0.0, 1.5) / 1.5
    tau = C["tau1"] + (C["tau2"] - C["tau1"]) * mag_w
    phi_m = C["sig1"] + (C["sig2"] - C["sig1"]) * mag_w
    phi = phi_m * np.sqrt(np.where(ctx.vs30measured, 0.7, C["sig3"]) + (1.0 + nl0) ** 2)
    inter = np.abs(1.0 + nl0) * tau
    return mean, np.sqrt(inter ** 2 + phi ** 2), inter, phi


class ChiouYoungs2014(GMPE):
    """Chiou and Youngs (2014), NGA-West2; ``region`` one of CAL (default), JPN, ITA, WEN.

    SA at periods up to 0.3 s is floored at the PGA prediction (page 1144). Arguments:
    ``sigma_mu_epsilon`` (ε of the USGS epistemic shift ε σμ(M, rrup), after the floor),
    ``use_hw`` (false: no hanging-wall term), ``usgs_basin_scaling`` (the basin term
    times the USGS z1.0 ramp), ``cybershake_basin_adj`` (CyberShake basin coefficients
    above 1.9 s) and the Boore et al. (2022) host-to-target adjustments:
    ``add_delta_c1`` (long-period term), ``alpha_nm`` (factor on the normal-faulting
    term), ``stress_par_host``, ``stress_par_target`` (bars) with
    ``source_function_tab`` (a file of chi_delta_pos, chi_delta_neg by IMT: the cM shift
    chi 2/3 log10(target / host)), and ``delta_gamma_tab`` (a file of c0..c3 by IMT:
    delta_gamma = c0 + c1 (M-6) + c2 (M-6)² + c3 (M-6)³). Both files are coefficient
    tables in OpenQuake's text layout; an IMT they do not list is not adjusted.
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1130
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "mag", "rake", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup", "rx"])

    COEFFS = coeffs_table(__file__, "chiou_youngs_2014", "COEFFS.csv")
    ARGUMENTS = {"region": "CAL", "sigma_mu_epsilon": 0.0, "use_hw": True,
                 "usgs_basin_scaling": False, "cybershake_basin_adj": False,
                 "add_delta_c1": False, "alpha_nm": 1.0, "stress_par_host": None,
                 "stress_par_target": None, "source_function_tab": None,
                 "delta_gamma_tab": None}
    #: the file arguments, resolved against the logic tree's folder
    PATH_ARGUMENTS = ("source_function_tab", "delta_gamma_tab")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, REGIONS)
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        check_number(name, "alpha_nm", self.alpha_nm)
        for flag in ("use_hw", "usgs_basin_scaling", "cybershake_basin_adj", "add_delta_c1"):
            check_flag(name, flag, getattr(self, flag))
        self._source_table = self._delta_gamma_table = None
        if self.source_function_tab is not None:
            for arg in ("stress_par_host", "stress_par_target"):
                value = getattr(self, arg)
                check_number(name, arg, value)
                if value <= 0:
                    raise InvalidInput("%s: %s must be positive, got %r" % (name, arg, value))
            self._source_table = read_adjustment_table(
                name, "source_function_tab", self.source_function_tab,
                ("chi_delta_pos", "chi_delta_neg"))
        if self.delta_gamma_tab is not None:
            self._delta_gamma_table = read_adjustment_table(
                name, "delta_gamma_tab", self.delta_gamma_tab, ("c0", "c1", "c2", "c3"))

    def adjustments(self, imt: IMT, ctx) -> Adjustments:
        """The host-to-target adjustments of the arguments for ``imt``."""
        dcm = dgamma = 0.0
        if self._source_table is not None and imt in self._source_table[1]:
            C = self._source_table[0][imt]
            chi = (C["chi_delta_pos"] if self.stress_par_target > self.stress_par_host
                   else C["chi_delta_neg"])
            dcm = chi * 2.0 / 3.0 * math.log10(self.stress_par_target / self.stress_par_host)
        if self._delta_gamma_table is not None and imt in self._delta_gamma_table[1]:
            C = self._delta_gamma_table[0][imt]
            dm = ctx.mag - 6.0
            dgamma = C["c0"] + C["c1"] * dm + C["c2"] * dm ** 2 + C["c3"] * dm ** 3
        return Adjustments(dgamma=dgamma, dcm=dcm, alpha_nm=self.alpha_nm,
                           long_period=self.add_delta_c1)

    def _mean_and_stddevs(self, imt, ctx):
        cybershake = (cybershake_coeffs("CY14", imt) if self.cybershake_basin_adj
                      and self.region != "JPN" else None)
        return mean_and_stddevs(self.COEFFS[imt], ctx, self.region, self.use_hw,
                                imt if self.usgs_basin_scaling else None,
                                self.adjustments(imt, ctx), imt.period, cybershake)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga_mean = None
        for m, imt in enumerate(imts):
            mean[m], sig[m], tau[m], phi[m] = self._mean_and_stddevs(imt, ctx)
            if imt.name == "PGA":
                pga_mean = mean[m].copy()
        for m, imt in enumerate(imts):
            if imt.name == "SA" and imt.period <= PGA_FLOOR_PERIOD:
                if pga_mean is None:
                    pga_mean = self._mean_and_stddevs(PGA, ctx)[0]
                mean[m] = np.maximum(mean[m], pga_mean)
        if self.sigma_mu_epsilon:
            mean += self.sigma_mu_epsilon * epistemic_sigma(ctx.mag, ctx.rrup)


def read_adjustment_table(model: str, arg: str, path: str, columns) -> tuple:
    """(table, set of the IMTs it lists) of a host-to-target adjustment file ``path`` in
    OpenQuake's text layout, which must have ``columns``; InvalidInput naming the
    model and argument otherwise."""
    if not isinstance(path, str):
        raise InvalidInput("%s: %s must be a file name, got %r" % (model, arg, path))
    label = "%s %s (%s)" % (model, arg, os.path.basename(path))
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        raise InvalidInput("%s: cannot read the file" % label) from None
    table = CoeffsTable.from_text(text, label)
    missing = [c for c in columns if c not in table.names]
    if missing:
        raise InvalidInput("%s: missing column(s) %s" % (label, ", ".join(missing)))
    return table, frozenset(table.imts)


class ChiouYoungs2014PEER(ChiouYoungs2014):
    """The PEER-test variant of Chiou and Youngs (2014): PGA only, total sigma 0.65."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA"])
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        sig[:] = PEER_SIGMA
        tau[:] = 0.0
        phi[:] = 0.0
