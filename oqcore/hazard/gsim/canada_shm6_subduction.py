"""CanadaSHM6 subduction models built on older equations: Atkinson and Boore (2003),
Garcia et al. (2005) and Zhao et al. (2006) in-slab models, Ghofrani and Atkinson
(2014) and Zhao et al. (2006) interface models.

Kolaj, M., Halchuk, S., Adams, J. and Allen, T. I. (2020). Sixth Generation Seismic
Hazard Model of Canada: input files to produce values proposed for the 2020 National
Building Code of Canada. GSC Open File 8630; Kolaj et al. (2019), Ground-motion models
for the 6th Generation Seismic Hazard Model of Canada, 12th CCEE.

The CanadaSHM6 changes:

* SA from 0.05 to 10 s. Where the equation stops short of that range, its
  coefficients are frozen at the last period it defines (the bounding period) and the
  motion moves by the ln ratio target / bounding period of the matching CanadaSHM6
  BC Hydro model (Abrahamson et al., 2016) at the same depth;
* a fixed hypocentral depth: 30 or 55 km in-slab, 30 km for the Zhao interface model;
* site terms on a log-log grid of vs30 that ends in the CanadaSHM6 hard-rock factor
  (Atkinson and Boore, 2006, 760-to-2000 m/s ratios); Garcia et al. (2005), a NEHRP B
  model, gets the BSSA14 site term relative to 1100 m/s;
* PGV from SA: ln PGV = 0.995 ln SA(0.5) + 3.937 in-slab, 0.897 ln SA(1.92) + 4.835
  at the interface (Garcia and Ghofrani-Atkinson keep their own PGV).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim import boore_2014 as bssa14
from oqcore.hazard.gsim import garcia_2005 as ga05
from oqcore.hazard.gsim import ghofrani_atkinson_2014 as ga14
from oqcore.hazard.gsim import zhao_2006 as zh06
from oqcore.hazard.gsim.atkinson_boore_2003 import AtkinsonBoore2003SSlabCascadia, soil_factor
from oqcore.hazard.gsim.base import (LN10, LN_CMS2_PER_G, UnknownIMT, ln_g_from_log10_cms2,
                                     make_context)
from oqcore.hazard.gsim.canada_shm6 import (
    MAX_SA, MIN_SA, PGV_A, PGV_B, PGV_PROXY, V_2000, V_HARD, Coeffs,
    CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab30, CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55,
    CanadaSHM6_Interface_AbrahamsonEtAl2015SInter, hardrock_site_factor)
from oqcore.hazard.gsim.garcia_2005 import GarciaEtAl2005SSlab
from oqcore.hazard.gsim.ghofrani_atkinson_2014 import GhofraniAtkinson2014Cascadia
from oqcore.hazard.gsim.zhao_2006 import ZhaoEtAl2006SInterCascadia, ZhaoEtAl2006SSlabCascadia
from oqcore.hazard.imt import IMT, PGA

#: in-slab PGV from SA(0.5 s)
SLAB_PGV = CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55
#: vs30 (m/s) nodes of the CanadaSHM6 site-term grids: site classes E, D, C, B/C, B, A
GRID_VS30 = np.array([160.0, 250.0, 450.0, 760.0, V_HARD, V_2000])
#: AB03 amplification at 760 m/s as a fraction of its class C coefficient c5
AB03_BC_FRACTION = 0.41367


def bounded_imt(model: str, imt: IMT, lo: float, hi: float) -> tuple[IMT, IMT | None]:
    """(the IMT whose coefficients to use, the SA to extrapolate to or None) for an
    equation defined from ``lo`` to ``hi`` s; SA outside 0.05-10 s is an error."""
    if imt.name != "SA":
        return imt, None
    if not MIN_SA <= imt.period <= MAX_SA:
        raise UnknownIMT("%s supports SA from %s to %s s only, not %s" % (
            model, MIN_SA, MAX_SA, imt))
    if imt.period < lo:
        return IMT("SA", lo), imt
    if imt.period > hi:
        return IMT("SA", hi), imt
    return imt, None


def extrapolation(reference, ctx, bound: IMT, target: IMT) -> np.ndarray:
    """ln(target / bound) of the ``reference`` model's medians, (N,)."""
    ln_mean = reference.get_mean_stds(ctx, [target, bound])[0]
    return ln_mean[0] - ln_mean[1]


def rhypo_from_rrup(ctx, fields):
    """A context with the ``fields`` of ``ctx`` and rhypo = rrup (the approximation the
    CanadaSHM6 extrapolation of rrup-based models makes)."""
    cols = {f: ctx[f] for f in fields if f != "rhypo"}
    return make_context(len(ctx), rhypo=ctx.rrup, **cols)


def grid_site_term(values, vs30, log=np.log):
    """Interpolation of the grid ``values`` (at GRID_VS30) in log(vs30), clamped."""
    return np.interp(log(vs30), log(GRID_VS30), values)


def hardrock_limit(imt):
    """ln(1 / c): the Atkinson and Boore (2006) 760-to-2000 m/s factor."""
    return np.log(1.0 / Coeffs.AB06[imt]["c"])


class _Extrapolated:
    """Mixin: the bounding-period logic of the models defined on part of 0.05-10 s."""

    #: period range (s) of the underlying coefficients
    SA_RANGE = (MIN_SA, MAX_SA)
    #: the CanadaSHM6 BC Hydro model used to extrapolate
    REFERENCE: type = CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55
    #: set rhypo = rrup in the reference model's context
    RHYPO_FROM_RRUP = False
    ARGUMENTS: dict = {}

    def _reference(self):
        ref = self.__dict__.get("_ref")
        if ref is None:
            ref = self._ref = self.REFERENCE()
        return ref

    def _bounded(self, imt):
        return bounded_imt(type(self).__name__, imt, *self.SA_RANGE)

    def _extrapolation(self, ctx, bound, target):
        ref = self._reference()
        if self.RHYPO_FROM_RRUP:
            ctx = rhypo_from_rrup(ctx, ref.requires)
        return extrapolation(ref, ctx, bound, target)

    #: (SA, a, b) of ln PGV = a ln SA + b, or None for a model with its own PGV
    PGV_FROM_SA: tuple | None = None

    def _fill(self, ctx, imts, out, predict) -> None:
        """Fill ``out`` = (mean, sig, tau, phi) (M, N) from ``predict(imt)`` -> (ln mean,
        sig, tau, phi) evaluated at the IMT whose coefficients apply (the bounding
        period, the PGV proxy), then extrapolated and turned into PGV."""
        mean, sig, tau, phi = out
        for m, imt in enumerate(imts):
            proxy = imt.name == "PGV" and self.PGV_FROM_SA is not None
            imt_c, target = (self.PGV_FROM_SA[0], None) if proxy else self._bounded(imt)
            mean[m], sig[m], tau[m], phi[m] = predict(imt_c)
            if target is not None:
                mean[m] += self._extrapolation(ctx, imt_c, target)
            if proxy:
                mean[m] = self.PGV_FROM_SA[1] * mean[m] + self.PGV_FROM_SA[2]


class CanadaSHM6_InSlab_AtkinsonBoore2003SSlabCascadia55(_Extrapolated,
                                                         AtkinsonBoore2003SSlabCascadia):
    """AB03 Cascadia in-slab model at 55 km depth; SA above 3 s extrapolated; site term
    interpolated in log vs30 through 0 at 1100 m/s, 0.41367 c5 at 760, c5, c6, c7 at
    450, 250, 160 m/s and min(0, that at 760 + log(1/c)) at 2000 m/s, scaled by the
    non-linear factor below 1100 m/s."""

    abstract = False
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SA_RANGE = (0.04, 3.0)
    RHYPO_FROM_RRUP = True
    PGV_FROM_SA = (SLAB_PGV.PGV_PROXY, SLAB_PGV.PGV_A, SLAB_PGV.PGV_B)
    HYPO_DEPTH = 55.0

    @staticmethod
    def _site(C, imt, vs30, pga_rock):
        bc = AB03_BC_FRACTION * C["c5"]
        values = [C["c7"], C["c6"], C["c5"], bc, 0.0,
                  min(0.0, np.log10(1.0 / Coeffs.AB06[imt]["c"]) + bc)]
        amp = grid_site_term(values, vs30, np.log10)
        return np.where(vs30 < V_HARD, amp * soil_factor(pga_rock, imt), amp)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = np.minimum(ctx.mag, self.MAX_MAG)
        depth = min(self.HYPO_DEPTH, 100.0)
        pga_rock = 10.0 ** self._log_rock(self.COEFFS[PGA], mag, depth, ctx.rrup)

        def predict(imt):
            C = self.COEFFS[imt]
            log_y = (self._log_rock(C, mag, depth, ctx.rrup)
                     + self._site(C, imt, ctx.vs30, pga_rock))
            return (log_y * LN10 - LN_CMS2_PER_G, C["sigma"] * LN10, C["s2"] * LN10,
                    C["s1"] * LN10)

        self._fill(ctx, imts, (mean, sig, tau, phi), predict)


class CanadaSHM6_InSlab_AtkinsonBoore2003SSlabCascadia30(
        CanadaSHM6_InSlab_AtkinsonBoore2003SSlabCascadia55):
    """:class:`CanadaSHM6_InSlab_AtkinsonBoore2003SSlabCascadia55` at 30 km depth."""

    HYPO_DEPTH = 30.0
    REFERENCE = CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab30


def bssa14_relative_to_1100(imt, vs30, ln_pga1100):
    """The CanadaSHM6 site term of Garcia et al. (2005), ln units relative to 1100 m/s:
    below 1100 m/s the BSSA14 linear and non-linear terms (driven by the PGA turned
    from 1100 to 760 m/s by the BSSA14 linear term); from 1100 m/s up the larger of
    the BSSA14 linear term and the Atkinson and Boore (2006) factor (interpolated in
    ln vs30 between 760 and 2000 m/s)."""
    C = bssa14.BooreEtAl2014.COEFFS[imt]
    C_pga = bssa14.BooreEtAl2014.COEFFS[PGA]
    hard = vs30 >= V_HARD
    lin_1100 = bssa14.site_linear(C, np.array([V_HARD]))[0]
    ab06 = hardrock_limit(imt)
    ab06_1100 = np.interp(np.log(V_HARD), np.log([760.0, V_2000]), [0.0, ab06])
    ab06_vs = np.interp(np.log(vs30), np.log([V_HARD, V_2000]), [0.0, ab06 - ab06_1100])
    f_hard = np.maximum(ab06_vs, bssa14.site_linear(C, vs30) - lin_1100)
    pga760 = np.exp(ln_pga1100 - bssa14.site_linear(C_pga, np.array([V_HARD]))[0])
    f_soft = (bssa14.site_linear(C, vs30) + bssa14.site_nonlinear(C, vs30, pga760)
              - lin_1100)
    return np.where(hard, f_hard, f_soft)


class CanadaSHM6_InSlab_GarciaEtAl2005SSlab55(_Extrapolated, GarciaEtAl2005SSlab):
    """Garcia et al. (2005) at 55 km depth with the hypocentral distance at every
    magnitude, SA above 5 s extrapolated and the BSSA14-based site term relative to
    1100 m/s (:func:`bssa14_relative_to_1100`)."""

    abstract = False
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])
    SA_RANGE = (0.04, 5.0)
    HYPO_DEPTH = 55.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        def ln_median(C, imt):
            log_y = ga05.log10_median(C, ctx.mag, ctx.rhypo, self.HYPO_DEPTH)
            return ln_g_from_log10_cms2(log_y, imt)

        ln_pga1100 = ln_median(self.COEFFS[PGA], PGA)

        def predict(imt):
            C = self.COEFFS[imt]
            return ((ln_median(C, imt) + bssa14_relative_to_1100(imt, ctx.vs30, ln_pga1100),)
                    + ga05.stddevs(C))

        self._fill(ctx, imts, (mean, sig, tau, phi), predict)


class CanadaSHM6_InSlab_GarciaEtAl2005SSlab30(CanadaSHM6_InSlab_GarciaEtAl2005SSlab55):
    """:class:`CanadaSHM6_InSlab_GarciaEtAl2005SSlab55` at 30 km depth."""

    HYPO_DEPTH = 30.0
    REFERENCE = CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab30


def zhao_stddevs(intra, inter):
    """(total, inter-event, intra-event) of Zhao et al. (2006) (eq. 3)."""
    return math.hypot(intra, inter), inter, intra


def zhao_site_term(C, imt, vs30):
    """The CanadaSHM6 site term of Zhao et al. (2006), ln units: the site-class terms
    C4, C3, C2, C1 at 160, 250, 450, 760 m/s, the mean of C1 and CH at 1100 m/s and at
    2000 m/s that mean bounded below by max(CH, C1 + ln(1/c)), interpolated in ln vs30."""
    mid = 0.5 * (C["CH"] + C["C1"])
    top = min(mid, max(C["CH"], C["C1"] + hardrock_limit(imt)))
    return grid_site_term([C["C4"], C["C3"], C["C2"], C["C1"], mid, top], vs30)


class CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia55(_Extrapolated, ZhaoEtAl2006SSlabCascadia):
    """Zhao et al. (2006) Cascadia in-slab model at 55 km depth, SA above 5 s
    extrapolated, CanadaSHM6 site term (:func:`zhao_site_term`)."""

    abstract = False
    cb14_basin_term = m9_basin_term = False  # no US basin options
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SA_RANGE = (0.05, 5.0)
    RHYPO_FROM_RRUP = True
    PGV_FROM_SA = (SLAB_PGV.PGV_PROXY, SLAB_PGV.PGV_A, SLAB_PGV.PGV_B)
    HYPO_DEPTH = 55.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rrup = np.where(ctx.rrup == 0.0, zh06.MIN_RRUP_SSLAB, ctx.rrup)

        def predict(imt):
            C, CS = self.COEFFS_ASC[imt], self.COEFFS_SSLAB[imt]
            ln_y = (zh06.path_term(C, ctx.mag, rrup, self.HYPO_DEPTH)
                    + zhao_site_term(C, imt, ctx.vs30) + CS["SS"] + CS["SSL"] * np.log(rrup)
                    + zh06.mag_squared_term(CS["PS"], CS["QS"], CS["WS"], zh06.MC_SSLAB,
                                            ctx.mag))
            return (ln_y + self._site_factor(imt) - LN_CMS2_PER_G,) + zhao_stddevs(C["sigma"],
                                                                               CS["tauS"])

        self._fill(ctx, imts, (mean, sig, tau, phi), predict)


class CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia30(
        CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia55):
    """:class:`CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia55` at 30 km depth."""

    HYPO_DEPTH = 30.0
    REFERENCE = CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab30


class CanadaSHM6_Interface_ZhaoEtAl2006SInterCascadia(_Extrapolated,
                                                      ZhaoEtAl2006SInterCascadia):
    """Zhao et al. (2006) Cascadia interface model at 30 km depth, SA above 5 s
    extrapolated with the CanadaSHM6 BC Hydro interface model, CanadaSHM6 site term
    (:func:`zhao_site_term`), PGV from SA(1.92 s)."""

    abstract = False
    cb14_basin_term = m9_basin_term = False  # no US basin options
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SA_RANGE = (0.05, 5.0)
    REFERENCE = CanadaSHM6_Interface_AbrahamsonEtAl2015SInter
    PGV_FROM_SA = (PGV_PROXY, PGV_A, PGV_B)
    HYPO_DEPTH = 30.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        def predict(imt):
            C, CI = self.COEFFS_ASC[imt], self.COEFFS_SINTER[imt]
            ln_y = (zh06.path_term(C, ctx.mag, ctx.rrup, self.HYPO_DEPTH)
                    + zhao_site_term(C, imt, ctx.vs30) + CI["SI"]
                    + zh06.mag_squared_term(0.0, CI["QI"], CI["WI"], zh06.MC_SINTER, ctx.mag))
            return (ln_y + self._site_factor(imt) - LN_CMS2_PER_G,) + zhao_stddevs(C["sigma"],
                                                                               CI["tauI"])

        self._fill(ctx, imts, (mean, sig, tau, phi), predict)


class CanadaSHM6_Interface_GhofraniAtkinson2014Cascadia(_Extrapolated,
                                                        GhofraniAtkinson2014Cascadia):
    """Ghofrani and Atkinson (2014) Cascadia model, SA outside 0.07-9.09 s
    extrapolated with the CanadaSHM6 BC Hydro interface model; at and above 1100 m/s
    the linear site term becomes the CanadaSHM6 hard-rock factor."""

    abstract = False
    SA_RANGE = (0.07, 9.09)
    REFERENCE = CanadaSHM6_Interface_AbrahamsonEtAl2015SInter

    @staticmethod
    def _site(C, imt, vs30):
        """log10 units."""
        f1100, f2000 = LN10 * ga14.linear_site_term(C, np.array([V_HARD, V_2000]))
        hard = hardrock_site_factor(f1100, f2000, vs30, imt) / LN10
        return np.where(vs30 >= V_HARD, hard, ga14.linear_site_term(C, vs30))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        def predict(imt):
            C = self.COEFFS[imt]
            log_y = self.log10_median(C, ctx, self._site(C, imt, ctx.vs30))
            return (ln_g_from_log10_cms2(log_y, imt),) + ga14.stddevs(C)

        self._fill(ctx, imts, (mean, sig, tau, phi), predict)
