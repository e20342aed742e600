"""NGA-East: tabular medians for very hard rock, site amplification and the Al Atik
(2015) aleatory variability model.

Goulet, C. A. et al. (2017). NGA-East ground-motion models for the U.S. Geological
Survey national seismic hazard maps. PEER Report 2017/03.

Site amplification relative to very hard rock (Vs30 = 3000 m/s), in ln units:

* linear (Stewart et al. 2019, Earthquake Spectra; PEER 2017/04): F_lin = F_v + F_760
  with F_760 = w_imp f760i + (1 - w_imp) f760g, w_imp log-linear in Vs30 from wt2
  (400 m/s) to wt1 (600 m/s); F_v = c ln(min(max(Vs30, v1), v2) / 760), tapering from
  v_U = 2000 m/s to -F_760 at 3000 m/s (eqs. 3, 5-7);
* non-linear (Hashash et al. 2019; PEER 2017/05), below Vc:
  F_nl = f4 (exp(f5 (min(Vs30, Vref) - 360)) - exp(f5 (Vref - 360))) ln((PGA_r + f3) / f3)
  with Vref = 760 m/s below 0.4 s and 3000 m/s otherwise (PGA counts as 0.01 s, PGV as
  0.5 s) and PGA_r the median PGA (g) on the reference rock;
* epistemic uncertainty of the amplification: the root sum of squares of the F_760,
  F_v (eq. 4) and non-linear (eq. 2.5 of Hashash et al. 2017) standard deviations;
  ``site_epsilon`` adds that many of them to the amplification.

Aleatory variability (Al Atik 2015, PEER 2015/05): tau models 'global' (eq. 5.6),
'cena' and 'cena_constant'; phi_ss models of the same names (eq. 5.14), optionally
ergodic with the CENA phi_s2ss; any of them at an epistemic quantile through the scaled
chi-square distribution of eqs. 5.1-5.5. The TotalSigma variants combine mean and
variance of tau and phi at the tau-model magnitudes and interpolate the total sigma
linearly in magnitude between them (eqs. 5.15-5.19).

Only the table of Yenier and Atkinson (2015) is shipped (``data/nga_east/tables.npz``).
"""
from __future__ import annotations

import os

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    INTER_EVENT, INTRA_EVENT, TOTAL, CoeffsTable, check_choice, coeffs_table, data_path)
from oqcore.hazard.gsim.gmpe_table import GMPETable, magnitude_groups, read_packed_table
from oqcore.hazard.imt import IMT, PGA

TABLES = data_path(__file__, "nga_east", "tables.npz")
SA001 = IMT("SA", 0.01)



class Coeffs:
    """The coefficient tables of the module (read on first use)."""
    #: linear site model (Stewart et al. 2017 supplement)
    LINEAR = coeffs_table(__file__, "nga_east", "COEFFS_LINEAR.csv")
    #: non-linear site model (Table 2.1 of Hashash et al. 2017; f4_mod of the US 2023 model)
    NONLINEAR = coeffs_table(__file__, "nga_east", "COEFFS_NONLINEAR.csv")
    #: 3000-to-760 m/s factors (0.1 s smoothed as in the US NSHMP software)
    F760 = coeffs_table(__file__, "nga_east", "COEFFS_F760.csv")
    PHI_SS_GLOBAL = coeffs_table(__file__, "nga_east", "PHI_SS_GLOBAL.csv")
    PHI_SS_CENA = coeffs_table(__file__, "nga_east", "PHI_SS_CENA.csv")
    PHI_SS_CENA_CONSTANT = coeffs_table(__file__, "nga_east", "PHI_SS_CENA_CONSTANT.csv")
    PHI_S2SS_CENA = coeffs_table(__file__, "nga_east", "PHI_S2SS_CENA.csv")


#: constants of the linear model (m/s) and of the F760 weights
VREF, V_L, V_U, V_HARD = 760.0, 200.0, 2000.0, 3000.0
VW1, VW2, WT1, WT2 = 600.0, 400.0, 0.767, 0.1


# ---------------------------------------------------------------- site amplification
def f760_weight(vs30):
    """Weight of the impedance (vs gradient) 760 m/s reference condition (eqs. 5-7)."""
    w = (WT1 - WT2) * np.log(vs30 / VW2) / np.log(VW1 / VW2) + WT2
    return np.where(vs30 >= VW1, WT1, np.where(vs30 < VW2, WT2, w))


def f760_mix(C, w_imp, stddev=False):
    """F_760 of eq. 5 (or its standard deviation) from the coefficient row ``C``
    (f760i, f760g, f760is, f760gs) and the impedance weight ``w_imp`` (scalar or (N,))."""
    if stddev:
        return w_imp * C["f760is"] + (1.0 - w_imp) * C["f760gs"]
    return w_imp * C["f760i"] + (1.0 - w_imp) * C["f760g"]


def f760(imt, vs30, stddev=False):
    """The 3000-to-760 m/s factor F_760 (or its standard deviation), ln units."""
    return f760_mix(Coeffs.F760[imt], f760_weight(vs30), stddev)


def vs30_scaling(C, vs30, f_760):
    """F_v of eq. 3 (ln units, (N,)) from the coefficient row ``C`` (c, v1, v2): flat
    below v1 and from v2 to v_U, c ln(Vs30 / 760) between, tapering from v_U to -F_760
    at 3000 m/s, -F_760 beyond."""
    lo, hi = C["c"] * np.log(C["v1"] / VREF), C["c"] * np.log(C["v2"] / VREF)
    with np.errstate(divide="ignore", invalid="ignore"):
        fv = np.where(vs30 <= C["v1"], lo,
                      np.where(vs30 > C["v2"], hi, C["c"] * np.log(vs30 / VREF)))
        taper = hi - (hi + f_760) * np.log(vs30 / V_U) / np.log(V_HARD / V_U)
    fv = np.where(vs30 > V_U, taper, fv)
    return np.where(vs30 >= V_HARD, -f_760, fv)


def linear_amplification(imt, vs30):
    """F_lin = F_v + F_760 of Stewart et al. (2019), ln units."""
    f_760 = f760(imt, vs30)
    return vs30_scaling(Coeffs.LINEAR[imt], vs30, f_760) + f_760


def rock_factor(imt, pga_rock):
    """ln((PGA_r + f3) / f3) of the non-linear model; PGA_r in g."""
    f3 = Coeffs.NONLINEAR[imt]["f3"]
    return np.log((pga_rock + f3) / f3)


def nonlinear_term(C, vs30, pga_rock, vref, f4=None):
    """F_nl = f2 ln((PGA_r + f3) / f3) below Vc, 0 above (ln units, (N,)), with
    f2 = f4 (exp(f5 (min(Vs30, vref) - 360)) - exp(f5 (vref - 360))), from the
    coefficient row ``C`` (f3, f4, f5, Vc; ``f4`` replaces C's f4 when given)."""
    f4 = C["f4"] if f4 is None else f4
    c_vs = np.minimum(vs30, vref)
    f2 = f4 * (np.exp(C["f5"] * (c_vs - 360.0)) - np.exp(C["f5"] * (vref - 360.0)))
    return np.where(vs30 < C["Vc"], f2 * np.log((pga_rock + C["f3"]) / C["f3"]), 0.0)


def nonlinear_amplification(imt, vs30, pga_rock, us23=False):
    """F_nl of Hashash et al. (2019), ln units; ``us23`` averages f4 with the US 2023
    model's alternative f4."""
    C = Coeffs.NONLINEAR[imt]
    period = {"PGA": 0.01, "PGV": 0.5}.get(imt.name, imt.period)
    vref = VREF if period < 0.4 else V_HARD
    return nonlinear_term(C, vs30, pga_rock, vref,
                          0.5 * (C["f4"] + C["f4_mod"]) if us23 else None)


def linear_stddev(imt, vs30):
    """Standard deviation of F_v (eq. 4 of Stewart et al. 2019)."""
    C = Coeffs.LINEAR[imt]
    dsig = C["sigma_L"] - C["sigma_vc"]
    d_low = (vs30 - V_L) / (C["vf"] - V_L)
    d_mid = (vs30 - C["v2"]) / (V_U - C["v2"])
    with np.errstate(divide="ignore", invalid="ignore"):
        high = C["sigma_U"] * (1.0 - np.log(vs30 / V_U) / np.log(V_HARD / V_U))
    out = np.select(
        [vs30 > V_HARD, vs30 >= V_U, vs30 > C["v2"], vs30 < C["vf"]],
        [0.0, high, C["sigma_vc"] + (C["sigma_U"] - C["sigma_vc"]) * d_mid ** 2,
         C["sigma_L"] - 2.0 * dsig * d_low + dsig * d_low ** 2], C["sigma_vc"])
    return out


def nonlinear_stddev(imt, vs30):
    """Standard deviation of f2 (eq. 2.5 of Hashash et al. 2017)."""
    sc = Coeffs.NONLINEAR[imt]["sigma_c"]
    with np.errstate(divide="ignore", invalid="ignore"):
        mid = -sc / np.log(1000.0 / 300.0) * np.log(vs30 / 300.0) + sc
    return np.select([vs30 < 300.0, vs30 < 1000.0], [sc, mid], 0.0)


def amplification_stddev(imt, vs30, f_rk):
    """Epistemic standard deviation of the site amplification (ln units)."""
    lin2 = f760(imt, vs30, stddev=True) ** 2 + linear_stddev(imt, vs30) ** 2
    return np.sqrt(lin2 + (nonlinear_stddev(imt, vs30) * f_rk) ** 2)


def site_amplification(imt, vs30, pga_rock, us23=False, site_epsilon=None):
    """F_lin + F_nl (+ site_epsilon times its epistemic stddev), ln units."""
    amp = linear_amplification(imt, vs30) + nonlinear_amplification(imt, vs30, pga_rock, us23)
    if site_epsilon:
        amp = amp + site_epsilon * amplification_stddev(imt, vs30, rock_factor(imt, pga_rock))
    return amp


# ---------------------------------------------------------- Al Atik (2015) sigma
#: tau models: magnitudes of the hinges, then {'PGV'|'SA': (mean values, stddevs)}
TAU_MODELS = {
    "global": ((4.5, 5.0, 5.5, 6.5), {
        "PGV": ((0.3733, 0.3639, 0.3434, 0.3236), (0.0558, 0.0554, 0.0477, 0.0449)),
        "SA": ((0.4518, 0.4270, 0.3863, 0.3508), (0.0671, 0.0688, 0.0661, 0.0491))}),
    "cena": ((5.0, 5.5, 6.5), {
        "PGV": ((0.3477, 0.3281, 0.3092), (0.0554, 0.0477, 0.0449)),
        "SA": ((0.3730, 0.3375, 0.3064), (0.0688, 0.0661, 0.0491))}),
    "cena_constant": ((np.inf,), {
        "PGV": ((0.3441,), (0.0554,)), "SA": ((0.3695,), (0.0688,))}),
}
PHI_SS_MODELS = {"global": "PHI_SS_GLOBAL", "cena": "PHI_SS_CENA",
                 "cena_constant": "PHI_SS_CENA_CONSTANT"}
PHI_S2SS_MODELS = {"cena": "PHI_S2SS_CENA"}


def at_quantile(mean, var, quantile):
    """The value at ``quantile`` of the scaled chi-square distribution of a standard
    deviation with expectation ``mean`` and spread ``var`` (eqs. 5.1-5.5); ``mean``
    when ``quantile`` is None."""
    if quantile is None:
        return mean
    from scipy.stats import chi2
    scale = var ** 2 / (2.0 * mean ** 2)
    dof = 2.0 * mean ** 4 / var ** 2
    return np.sqrt(scale * chi2.ppf(quantile, df=dof))


def _rows_at_quantile(table, columns: dict, quantile) -> CoeffsTable:
    """A table with, for each row of ``table``, {new name: value at ``quantile`` of the
    (mean, var) columns}."""
    imts = table.imts
    names = list(columns)
    rows = [[at_quantile(table[imt][mc], table[imt][vc], quantile)
             for mc, vc in columns.values()] for imt in imts]
    return CoeffsTable(imts, names, np.array(rows), table.name)


def hinge_interp(mag, mags, values):
    """Piecewise-linear in magnitude between the hinges, constant outside."""
    mag = np.asarray(mag, float)
    if len(mags) == 1:
        return np.full_like(mag, values[0])
    return np.interp(mag, mags, values)


def phi_ss(a, b, mag):
    """Single-station phi of eq. 5.14: a up to M5, b above M6.5, linear between."""
    mag = np.asarray(mag, float)
    return np.where(mag <= 5.0, a, np.where(mag > 6.5, b, a + (mag - 5.0) * (b - a) / 1.5))


class AlAtikSigma:
    """The aleatory model of one NGA-East GMPE instance (choices and quantiles)."""

    def __init__(self, model: str, tau_model, phi_model, phi_s2ss_model, tau_quantile,
                 phi_ss_quantile, phi_s2ss_quantile):
        check_choice(model, "tau_model", tau_model, list(TAU_MODELS))
        check_choice(model, "phi_model", phi_model, list(PHI_SS_MODELS))
        check_choice(model, "phi_s2ss_model", phi_s2ss_model, [None] + list(PHI_S2SS_MODELS))
        for name, q in (("tau_quantile", tau_quantile), ("phi_ss_quantile", phi_ss_quantile),
                        ("phi_s2ss_quantile", phi_s2ss_quantile)):
            if q is not None and (isinstance(q, bool) or not isinstance(q, (int, float))
                                  or not 0.0 <= q <= 1.0):
                raise InvalidInput("%s: %s must be a number in 0-1, got %r" % (model, name, q))
        self.tau_mags, tau = TAU_MODELS[tau_model]
        self.tau = {k: tuple(at_quantile(m, s, tau_quantile) for m, s in zip(*v))
                    for k, v in tau.items()}
        self.tau_std = {k: v[1] for k, v in tau.items()}
        self.phi_table = getattr(Coeffs, PHI_SS_MODELS[phi_model])
        self.s2ss_table = (None if phi_s2ss_model is None
                           else getattr(Coeffs, PHI_S2SS_MODELS[phi_s2ss_model]))
        # the quantiles are taken at the table rows, then interpolated in period
        self.phi_q = _rows_at_quantile(self.phi_table, {"a": ("mean_a", "var_a"),
                                                        "b": ("mean_b", "var_b")},
                                       phi_ss_quantile)
        self.s2ss_q = None if self.s2ss_table is None else _rows_at_quantile(
            self.s2ss_table, {"s2ss": ("mean", "var")}, phi_s2ss_quantile)

    def tau_values(self, imt):
        """(hinge tau values, their stddevs) for an IMT."""
        key = "PGV" if imt.name == "PGV" else "SA"
        return self.tau[key], self.tau_std[key]

    def phi_ab(self, imt):
        """(a, b) of phi_ss at the model's quantile."""
        C = self.phi_q[imt]
        return C["a"], C["b"]

    def s2ss(self, imt):
        """phi_s2ss at the model's quantile (None when non-ergodic)."""
        return None if self.s2ss_q is None else self.s2ss_q[imt]["s2ss"]

    def tau_phi(self, imt, mag):
        """(tau, phi) at magnitudes ``mag`` (N,)."""
        tau = hinge_interp(mag, self.tau_mags, self.tau_values(imt)[0])
        phi = phi_ss(*self.phi_ab(imt), mag)
        s2ss = self.s2ss(imt)
        if s2ss is not None:
            phi = np.sqrt(phi ** 2 + s2ss ** 2)
        return tau, phi

    def total_table(self, sigma_quantile) -> CoeffsTable:
        """Total sigma at the tau hinges for every IMT row of the phi (or s2ss) model
        (eqs. 5.15-5.19), at ``sigma_quantile``."""
        table = self.s2ss_table or self.phi_table
        rows = []
        mags = np.array(self.tau_mags)
        for imt in table.imts:
            tau, tau_std = (np.array(v) for v in self.tau_values(imt))
            C = self.phi_table[imt]
            a, b = self.phi_ab(imt)
            phi = phi_ss(a, b, mags)
            phi_std = phi_ss(C["var_a"], C["var_b"], mags)
            if self.s2ss_table is not None:  # eqs. 5.15-5.16: the mean phi_s2ss
                S = self.s2ss_table[imt]
                phi = np.sqrt(phi ** 2 + S["mean"] ** 2)
                phi_std = np.sqrt(phi_std ** 2 + S["var"] ** 2)
            sigma = np.sqrt(tau ** 2 + phi ** 2)
            sigma_std = np.sqrt(tau_std ** 2 + phi_std ** 2)
            rows.append(at_quantile(sigma, sigma_std, sigma_quantile))
        names = ["sigma%d" % (i + 1) for i in range(len(mags))]
        return CoeffsTable(table.imts, names, np.array(rows), "total sigma")


# --------------------------------------------------------------------- the models
class NGAEastGMPE(GMPETable):
    """An NGA-East median table (``gmpe_table``: a shipped table's file name) with the
    NGA-East site amplification and the Al Atik (2015) tau and phi."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    ARGUMENTS = {"gmpe_table": None, "tau_model": "global", "phi_model": "global",
                 "phi_s2ss_model": None, "tau_quantile": None, "phi_ss_quantile": None,
                 "phi_s2ss_quantile": None, "site_epsilon": None}
    PATH_ARGUMENTS = ()
    #: packed tables of this family
    TABLES = TABLES

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.site_epsilon is not None and (isinstance(self.site_epsilon, bool) or
                                              not isinstance(self.site_epsilon, (int, float))):
            raise InvalidInput("%s: site_epsilon must be a number, got %r" % (
                type(self).__name__, self.site_epsilon))
        self.setup_sigma()

    def setup_sigma(self) -> None:
        """Build the aleatory model from the arguments."""
        self.sigma_model_ = AlAtikSigma(
            type(self).__name__, self.tau_model, self.phi_model, self.phi_s2ss_model,
            self.tau_quantile, self.phi_ss_quantile, self.phi_s2ss_quantile)

    def load_table(self):
        name = os.path.splitext(os.path.basename(self.gmpe_table))[0]
        return read_packed_table(self.TABLES, name, with_stddevs=False)

    @property
    def rock_imt(self) -> IMT:
        """The IMT of the rock motion driving the non-linear site term."""
        return PGA if "PGA" in self.table.imt_names else SA001

    def rock_means(self, mag, dists, imt, adjustment=None):
        """(ln PGA_r, ln median of ``imt``) on the reference rock at one magnitude;
        ``adjustment`` (N,) is added to both."""
        ln_pga = np.log(self.table_medians(mag, dists, self.rock_imt))
        if adjustment is not None:
            ln_pga = ln_pga + adjustment
        if imt == PGA:
            return ln_pga, ln_pga.copy()
        ln_y = np.log(self.table_medians(mag, dists, imt))
        if adjustment is not None:
            ln_y = ln_y + adjustment
        return ln_pga, ln_y

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = getattr(ctx, self.table.metric)
        for mag, idx in magnitude_groups(ctx.mag):
            d, vs30 = dist[idx], ctx.vs30[idx]
            for m, imt in enumerate(imts):
                ln_pga, ln_y = self.rock_means(mag, d, imt)
                mean[m, idx] = ln_y + site_amplification(
                    imt, vs30, np.exp(ln_pga), site_epsilon=self.site_epsilon)
                self.set_stddevs(imt, mag, ctx.mag[idx], idx, m, sig, tau, phi)

    def set_stddevs(self, imt, mag, mags, idx, m, sig, tau, phi):
        """Fill the standard deviations of the contexts ``idx`` for IMT number ``m``."""
        t, p = self.sigma_model_.tau_phi(imt, mags)
        tau[m, idx], phi[m, idx] = t, p
        sig[m, idx] = np.sqrt(t ** 2 + p ** 2)


class NGAEastGMPETotalSigma(NGAEastGMPE):
    """:class:`NGAEastGMPE` with the Al Atik (2015) total-sigma model (argument
    ``sigma_quantile``); total standard deviation only."""

    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    ARGUMENTS = {**NGAEastGMPE.ARGUMENTS, "sigma_quantile": None}

    def setup_sigma(self) -> None:
        super().setup_sigma()
        q = self.sigma_quantile
        if q is not None and (isinstance(q, bool) or not isinstance(q, (int, float))
                              or not 0.0 <= q <= 1.0):
            raise InvalidInput("%s: sigma_quantile must be a number in 0-1, got %r" % (
                type(self).__name__, q))
        self.total_ = self.sigma_model_.total_table(q)

    def set_stddevs(self, imt, mag, mags, idx, m, sig, tau, phi):
        C = self.total_[imt]
        hinges = self.sigma_model_.tau_mags
        values = [C["sigma%d" % (i + 1)] for i in range(len(hinges))]
        sig[m, idx] = hinge_interp(mag, hinges, values)


def _register_aliases(module_globals, name, table):
    from oqcore.hazard.gsim.base import alias
    for cls in (NGAEastGMPE, NGAEastGMPETotalSigma):
        full = name + ("TotalSigma" if cls is NGAEastGMPETotalSigma else "")
        module_globals[full] = alias(full, cls, __name__, gmpe_table=table)


_register_aliases(globals(), "YenierAtkinson2015NGAEast", "NGAEast_YENIER_ATKINSON.hdf5")
