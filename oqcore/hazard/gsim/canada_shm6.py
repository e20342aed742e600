"""The ground-motion models of the 6th-generation seismic hazard model of Canada
(CanadaSHM6): NGA-West2 crustal models with hard-rock site factors.

Kolaj, M., Halchuk, S., Adams, J. and Allen, T. I. (2020). Sixth Generation Seismic
Hazard Model of Canada: input files to produce values proposed for the 2020 National
Building Code of Canada. Geological Survey of Canada Open File 8630; Kolaj et al.
(2019), GSC Open File 8624 (ground-motion models).

Changes to the active-crust models:

* IMTs limited to PGA, PGV and SA from 0.05 to 10 s;
* no basin term (the models' centred basin depth);
* above Vs30 = 1100 m/s the linear site term (relative to 760 m/s) becomes the
  CanadaSHM6 hard-rock factor: log-log interpolation between the model's own factor
  at 1100 m/s, A1100, and at 2000 m/s min(A1100, max(A2000, ln(1 / c))), c being the
  760-to-2000 m/s ratio of Atkinson and Boore (2006) as Atkinson and Adams (2013)
  derive it.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim import abrahamson_2014 as ask14
from oqcore.hazard.gsim import abrahamson_2015 as a15
from oqcore.hazard.gsim import atkinson_macias_2009 as am09
from oqcore.hazard.gsim import boore_2014 as bssa14
from oqcore.hazard.gsim import campbell_bozorgnia_2014 as cb14
from oqcore.hazard.gsim import chiou_youngs_2014 as cy14
from oqcore.hazard.gsim.base import GMPE, LN10, UnknownIMT, coeffs_table
from oqcore.hazard.imt import IMT, PGA

#: SA period range (s) of the CanadaSHM6 models
MIN_SA, MAX_SA = 0.05, 10.0
#: Vs30 (m/s) above which the hard-rock factor applies, and its upper anchor
V_HARD, V_2000 = 1100.0, 2000.0


#: PGV of the subduction models from their SA(1.92 s): ln PGV = A ln SA + B
PGV_PROXY, PGV_A, PGV_B = IMT("SA", 1.92), 0.897, 4.835


class Coeffs:
    """Coefficient tables (read on first use)."""
    #: 760-to-2000 m/s ratios c of Atkinson and Boore (2006)
    AB06 = coeffs_table(__file__, "canada_shm6", "COEFFS_AB06.csv")


def check_imts(model: str, imts) -> None:
    """Raise UnknownIMT for an SA period outside 0.05-10 s."""
    for imt in imts:
        if imt.name == "SA" and not MIN_SA <= imt.period <= MAX_SA:
            raise UnknownIMT("%s supports SA from %s to %s s only, not %s" % (
                model, MIN_SA, MAX_SA, imt))


def hardrock_site_factor(a1100: float, a2000: float, vs30: np.ndarray, imt) -> np.ndarray:
    """The CanadaSHM6 hard-rock factor (ln units, relative to 760 m/s) at ``vs30``
    (m/s), from the model's own factors at 1100 and 2000 m/s."""
    ab06 = np.log(1.0 / Coeffs.AB06[imt]["c"])
    fac_2000 = min(a1100, max(a2000, ab06))
    return np.interp(np.log(vs30), np.log([V_HARD, V_2000]), [a1100, fac_2000])


def bssa14_site_term(imt, vs30, pga_rock):
    """BSSA14 linear (with the hard-rock factor above 1100 m/s) plus non-linear site
    terms, ln units; ``pga_rock`` in g on 760 m/s rock."""
    C = bssa14.BooreEtAl2014.COEFFS[imt]
    a1100, a2000 = bssa14.site_linear(C, np.array([V_HARD, V_2000]))
    f_lin = np.where(vs30 > V_HARD, hardrock_site_factor(a1100, a2000, vs30, imt),
                     bssa14.site_linear(C, vs30))
    return f_lin + bssa14.site_nonlinear(C, vs30, pga_rock)


class CanadaSHM6_ActiveCrust_BooreEtAl2014(bssa14.BooreEtAl2014):
    """BSSA14 with the CanadaSHM6 hard-rock factors above 1100 m/s."""

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        C_pga = self.COEFFS[PGA]
        pga_rock = np.exp(bssa14.source_term(C_pga, ctx.mag, ctx.rake)
                          + bssa14.path_term(C_pga, ctx.mag, ctx.rjb))
        vs30 = ctx.vs30
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (bssa14.source_term(C, ctx.mag, ctx.rake)
                       + bssa14.path_term(C, ctx.mag, ctx.rjb)
                       + bssa14_site_term(imt, vs30, pga_rock))
            tau[m] = bssa14.between_event_std(C, ctx.mag)
            phi[m] = bssa14.within_event_std(C, ctx.mag, ctx.rjb, vs30)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class CanadaSHM6_ActiveCrust_CampbellBozorgnia2014(cb14.CampbellBozorgnia2014):
    """CB14 without basin term, with the CanadaSHM6 hard-rock factors at and above
    1100 m/s."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])

    @staticmethod
    def _site(C, imt, vs30, a1100):
        f_site = cb14._f_site(C, vs30, a1100)
        f760, f1100, f2000 = cb14._f_site(C, np.array([760.0, V_HARD, V_2000]), np.zeros(3))
        factor = hardrock_site_factor(f1100 - f760, f2000 - f760, vs30, imt) + f760
        return np.where(vs30 >= V_HARD, factor, f_site)

    def _ln_y(self, C, imt, ctx, vs30, a1100):
        mag = ctx.mag
        return (cb14._f_mag(C, mag) + cb14._f_dis(C, mag, ctx.rrup)
                + cb14._f_flt(C, mag, ctx.rake) + cb14._f_hng(C, ctx)
                + self._site(C, imt, vs30, a1100) + cb14._f_hyp(C, mag, ctx.hypo_depth)
                + cb14._f_dip(C, mag, ctx.dip) + cb14._f_atn(C, ctx.rrup))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        vs30 = ctx.vs30
        C_PGA = self.COEFFS[PGA]
        rock = np.full_like(vs30, V_HARD)
        a1100 = np.exp(self._ln_y(C_PGA, PGA, ctx, rock, None))
        ln_pga = None
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = self._ln_y(C, imt, ctx, vs30, a1100)
            if imt.name == "SA" and imt.period < cb14.SA_FLOOR_PERIOD:
                if ln_pga is None:
                    ln_pga = self._ln_y(C_PGA, PGA, ctx, vs30, a1100)
                mean[m] = np.maximum(mean[m], ln_pga)
            # the rock PGA's within-event term takes this IMT's philnAF (as CanadaSHM6)
            C_rock = C_PGA.copy()
            C_rock["philnAF"] = C["philnAF"]
            tau[m], phi[m] = cb14._tau_phi(C, C_rock, ctx.mag, vs30, a1100, False)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class CanadaSHM6_ActiveCrust_AbrahamsonEtAl2014(ask14.AbrahamsonEtAl2014):
    """ASK14 without basin term, with the CanadaSHM6 hard-rock factors at and above
    1100 m/s."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        tapers = ask14.hw_tapers(ctx)
        vs30 = ctx.vs30
        for m, imt in enumerate(imts):
            K = self.COEFFS[imt]
            v1 = ask14.v1_factor(imt)
            source_path = (ask14.basic_term(K, ctx) + ask14.faulting_term(K, ctx)
                           + K["a13"] * tapers + ask14.ztor_term(K, ctx))
            rock = (K["a10"] + K["b"] * ask14.N) * np.log(min(ask14.VS30_REF, v1) / K["vlin"])
            sa1180 = np.exp(source_path + rock)
            f760, f1100, f2000 = ask14.site_term(K, np.array([760.0, V_HARD, V_2000]), v1,
                                                 np.zeros(3))
            hard = hardrock_site_factor(f1100 - f760, f2000 - f760, vs30, imt) + f760
            site = np.where(vs30 >= V_HARD, hard, ask14.site_term(K, vs30, v1, sa1180))
            mean[m] = source_path + site
            sig[m], tau[m], phi[m] = ask14.stddevs(K, ctx, sa1180)


class CanadaSHM6_ActiveCrust_ChiouYoungs2014(cy14.ChiouYoungs2014):
    """CY14 without basin term, with the CanadaSHM6 correction above 1100 m/s as
    OpenQuake 3.26 applies it: at those sites the CY14 linear site term at 1100 m/s
    (the hard-rock factor at its lower anchor plus the 760 m/s term) is added to the
    CY14 motion, whose own linear site term is kept. SA up to 0.3 s is floored at the
    uncorrected PGA."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])

    #: ``region``, ``use_hw`` and ``alpha_nm`` act as in CY14; ``sigma_mu_epsilon`` and
    #: ``usgs_basin_scaling`` are accepted without effect, as in OpenQuake (no basin
    #: term, no epistemic shift in this model)
    ARGUMENTS = {"region": "CAL", "use_hw": True, "alpha_nm": 1.0, "sigma_mu_epsilon": 0.0,
                 "usgs_basin_scaling": False}
    add_delta_c1 = cybershake_basin_adj = False
    source_function_tab = delta_gamma_tab = stress_par_host = stress_par_target = None

    def _mean_stds(self, C, ctx):
        adj = cy14.Adjustments(alpha_nm=self.alpha_nm)
        ln_yref = cy14.ln_y_ref(C, ctx, self.region, self.use_hw, adj)
        # the CY14 site terms without the basin term
        site, _ = cy14.site_terms(C, ctx, ln_yref, self.region)
        basin = cy14.basin_term(C, ctx, self.region)
        _, sig, tau, phi = cy14.mean_and_stddevs(C, ctx, self.region, self.use_hw, adj=adj)
        return ln_yref + site - basin, sig, tau, phi

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        pga_mean = self._mean_stds(self.COEFFS[PGA], ctx)[0]
        hard = ctx.vs30 > V_HARD
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m], sig[m], tau[m], phi[m] = self._mean_stds(C, ctx)
            if imt.name == "SA" and imt.period <= cy14.PGA_FLOOR_PERIOD:
                mean[m] = np.where(mean[m] < pga_mean, pga_mean, mean[m])
            f760, f1100 = C["phi1"] * np.minimum(np.log(np.array([760.0, V_HARD])
                                                        / cy14.REF_VS), 0.0)
            mean[m] += np.where(hard, (f1100 - f760) + f760, 0.0)


class CanadaSHM6_Interface_AtkinsonMacias2009(am09.AtkinsonMacias2009):
    """AM09 (760 m/s) plus the CanadaSHM6 BSSA14 site term (driven by the AM09 PGA);
    PGV from SA(1.92 s)."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z1pt0"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rjb"])
    ARGUMENTS = {}

    def __init__(self, **kwargs):
        GMPE.__init__(self, **kwargs)  # none of the AM09 options

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga760 = np.exp(am09.ln_mean_760(self.COEFFS[PGA], PGA, ctx.mag, ctx.rrup))
        for m, imt in enumerate(imts):
            proxy = PGV_PROXY if imt.name == "PGV" else imt
            C = self.COEFFS[proxy]
            mean[m] = (am09.ln_mean_760(C, proxy, ctx.mag, ctx.rrup)
                       + bssa14_site_term(proxy, ctx.vs30, pga760))
            if imt.name == "PGV":
                mean[m] = PGV_A * mean[m] + PGV_B
            sig[m] = C["sigma"] * LN10


def bchydro_compute(gsim, ctx, imts, out, proxy_imt, a, b, pgv_before_sigma_mu):
    """The BC Hydro computation of a CanadaSHM6 variant (its ``_terms`` and
    ``_source_path``), filling ``out`` = (mean, sig, tau, phi); PGV is
    a ln SA(proxy_imt) + b, converted before or after the sigma_mu shift."""
    mean, sig, tau, phi = out
    check_imts(type(gsim).__name__, imts)
    t = gsim._terms(ctx)
    C_pga = gsim.COEFFS[PGA]
    pga1000 = np.exp(gsim._source_path(C_pga, PGA, t) + a15._rock_site_term(C_pga))
    site = a15._site_terms(ctx.vs30, pga1000)
    for m, imt in enumerate(imts):
        pgv = imt.name == "PGV"
        proxy = proxy_imt if pgv else imt
        C = gsim.COEFFS[proxy]
        mean[m] = gsim._source_path(C, proxy, t) + a15._site_term(C, site)
        if pgv and pgv_before_sigma_mu:
            mean[m] = a * mean[m] + b
        if gsim.sigma_mu_epsilon:
            mean[m] += (gsim.sigma_mu_epsilon * gsim.SIGMA_MU[proxy][gsim.SIGMA_MU_COLUMN]
                        / a15.SIGMA_MU_SCALE)
        if pgv and not pgv_before_sigma_mu:
            mean[m] = a * mean[m] + b
        sig[m], tau[m], phi[m] = gsim._stddevs(C)


class CanadaSHM6_Interface_AbrahamsonEtAl2015SInter(a15.AbrahamsonEtAl2015SInter):
    """BC Hydro interface model limited to 0.05-10 s, PGV from SA(1.92 s)."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])

    def compute(self, ctx, imts, mean, sig, tau, phi):
        bchydro_compute(self, ctx, imts, (mean, sig, tau, phi), PGV_PROXY, PGV_A, PGV_B,
                        pgv_before_sigma_mu=True)


class CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55(a15.AbrahamsonEtAl2015SSlab):
    """BC Hydro intraslab model at a fixed hypocentral depth of 55 km, with the
    interface ΔC1 table (as CanadaSHM6 sets it), limited to 0.05-10 s, PGV from
    SA(0.5 s): ln PGV = 0.995 ln SA(0.5) + 3.937."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    #: fixed hypocentral depth (km)
    HYPO_DEPTH = 55.0
    PGV_PROXY, PGV_A, PGV_B = IMT("SA", 0.5), 0.995, 3.937

    def _terms(self, ctx):
        t = a15._terms(ctx.mag, ctx.rhypo, a15.BACKARC_RMIN_SSLAB, ctx.backarc)
        t["depth"] = min(self.HYPO_DEPTH, a15.SLAB_MAX_DEPTH) - a15.SLAB_REF_DEPTH
        return t

    def _source_path(self, C, imt, t):
        return (self._mag_dist(C, t, self.COEFFS_MAG_SCALE[imt]["dc1"], C["theta14"])
                + C["theta10"] + C["theta11"] * t["depth"]
                + a15._backarc_term(C["theta7"], C["theta8"], t))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        bchydro_compute(self, ctx, imts, (mean, sig, tau, phi), self.PGV_PROXY, self.PGV_A,
                        self.PGV_B, pgv_before_sigma_mu=False)


class CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab30(CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55):
    """:class:`CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55` at a depth of 30 km."""

    HYPO_DEPTH = 30.0
