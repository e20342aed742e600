"""Site amplification of any rock model, the models of the SERA project (Weatherill et
al., European site-response models for ESHM20).

Each wraps a model (``gmpe.Name = {...}``, or as OpenQuake job files write it
``gmpe_name = "Name"`` with the inner model's arguments beside it) evaluated on rock of
``reference_velocity`` (m/s), and amplifies it at each site:

* :class:`PitilakisEtAl2018`, :class:`PitilakisEtAl2020`: the code-spectrum approach of
  Pitilakis et al. (2018), Soil Dyn. Earthq. Eng. 126 (revised factors: Pitilakis, Riga
  and Anastasiadis, 17WCEE 2020). The rock spectrum is anchored to its PGA (S_S =
  2.5 PGA) and SA(1 s) (S_1); the short- and long-period factors F_S and F_1 of the
  site class ``ec8_p18`` (A, B1, B2, C1, C2, C3, D, E) depend on S_S, and the amplified
  S_S, S_1 rebuild the design spectrum of their eqs. 1-5 (F0 = 2.5, kappa = 5,
  T_A = 0.03 s, T_B = T_C / kappa within 0.05-0.1 s, T_C = S_1 / S_S, T_D = 2 s or
  1 + 10 S_1 on rock above 0.1 g).
* :class:`Eurocode8Amplification`: the same spectrum with the factors of the revised
  Eurocode 8 draft (CEN 2018, table 3.4), functions of vs30 (m/s, taken as the
  velocity above the 800 m/s horizon), the depth of that horizon ``h800`` (m) and the
  rock S_S, S_1; the site class follows from vs30 and h800.
* :class:`Eurocode8AmplificationDefault`: the default factors of the Eurocode 8 site
  class ``ec8`` (A-F), for sites without vs30 and h800.
* :class:`SandikkayaDinsever2018`: the non-linear amplification of Sandikkaya and
  Dinsever (2018), Geosciences 8(7) 264, eq. 9: linear in ln(vs30/760) (vs30 capped at
  1000 m/s, optionally with a regional adjustment ``region``), a basin term in
  ln z1.0 (m) and a non-linear term driven by the rock SA; its site-response standard
  deviation combines with the single-station within-event one ``phi_0`` ({IMT: value},
  by default 0.85 times the rock model's within-event one).

The code-spectrum models keep the rock model's standard deviations.
"""
from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import (
    G_ACCEL, GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_choice, check_number,
    coeffs_table, data_path, imt_table)
from oqcore.hazard.imt import IMT, PGA, SA

#: design spectrum constants: plateau ratio F0, T_B = T_C / KAPPA, corner T_A (s)
F0, KAPPA, T_A = 2.5, 5.0, 0.03
#: bounds (s) of the corner period T_B
T_B_MIN, T_B_MAX = 0.05, 0.1
#: the reference velocity (m/s) of the code spectra and the velocity they normalise by
VS_REF_EC8 = 800.0
#: default short- and long-period factors of the Eurocode 8 site classes
EC8_DEFAULT_FS = {b"A": 1.0, b"B": 1.2, b"C": 1.35, b"D": 1.5, b"E": 1.7, b"F": 1.35}
EC8_DEFAULT_FL = {b"A": 1.0, b"B": 1.6, b"C": 2.25, b"D": 3.20, b"E": 3.0, b"F": 4.0}


@lru_cache(maxsize=None)
def pitilakis_factors(version: str) -> tuple[np.ndarray, dict, dict]:
    """The amplification factors of Pitilakis et al. (``version`` "2018" or "2020").

    :returns: (S_S levels (g), {class: F_S at the levels}, {class: F_1 at the levels})
    """
    path = data_path(__file__, "sera_amplification", "pitilakis_factors.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    levels = np.array([float(x) for x in rows[0][3:]])
    tables = {"FS": {}, "F1": {}}
    for model, factor, cls, *values in rows[1:]:
        if model == version:
            tables[factor][cls.encode()] = np.array([float(v) for v in values])
    return levels, tables["FS"], tables["F1"]


def _interpolate_factor(s_s: np.ndarray, levels: np.ndarray, values: np.ndarray):
    """A factor for rock S_S (g): the first value below the second level, then linear
    between levels, the last value beyond the last level."""
    return np.where(s_s < levels[1], values[0], np.interp(s_s, levels[1:], values[1:]))


def ec8_site_class(vs30: np.ndarray, h800: np.ndarray) -> np.ndarray:
    """Eurocode 8 (2018 draft) site class (bytes A-F) from the velocity above the
    800 m/s horizon (m/s) and its depth h800 (m), shape (N,)."""
    vs30 = np.asarray(vs30, float)
    h800 = np.asarray(h800, float)
    out = np.full(len(vs30), b"A", "S1")
    stiff = vs30 >= 400.0
    medium = (vs30 >= 250.0) & (vs30 < 400.0)
    soft = vs30 < 250.0
    out[stiff & (h800 > 5.0)] = b"B"
    out[medium & (h800 > 5.0) & (h800 <= 30.0)] = b"E"
    out[medium & (h800 > 30.0) & (h800 <= 100.0)] = b"C"
    out[soft & (h800 <= 30.0)] = b"E"
    out[soft & (h800 > 30.0) & (h800 <= 100.0)] = b"D"
    out[(medium | soft) & (h800 > 100.0)] = b"F"
    return out


def ec8_factors(vs30, h800, s_s_rock, s_1_rock) -> tuple[np.ndarray, np.ndarray]:
    """Short- and long-period factors of the Eurocode 8 draft (table 3.4), (N,) each,
    for rock S_S and S_1 in g."""
    vs30 = np.asarray(vs30, float)
    h800 = np.asarray(h800, float)
    r_alpha = 1.0 - 2.0e3 * s_s_rock * G_ACCEL / vs30 ** 2
    r_beta = 1.0 - 2.0e3 * s_1_rock * G_ACCEL / vs30 ** 2
    ratio = vs30 / VS_REF_EC8
    exp_s, exp_l = -0.25 * r_alpha, -0.7 * r_beta
    cls = ec8_site_class(vs30, h800)
    f_s, f_l = np.ones(len(vs30)), np.ones(len(vs30))
    bcd = np.isin(cls, [b"B", b"C", b"D"])
    f_s[bcd] = ratio[bcd] ** exp_s[bcd]
    f_l[bcd] = ratio[bcd] ** exp_l[bcd]
    e = cls == b"E"
    depth = h800[e] / 30.0
    f_s[e] = ratio[e] ** (exp_s[e] * depth * (4.0 - h800[e] / 10.0))
    f_l[e] = ratio[e] ** (exp_l[e] * depth)
    f = cls == b"F"
    f_s[f] = 0.9 * ratio[f] ** exp_s[f]
    f_l[f] = 1.25 * ratio[f] ** exp_l[f]
    return f_s, f_l


def code_spectrum(imt: IMT, s_s: np.ndarray, s_1: np.ndarray,
                  s_1_rock: np.ndarray) -> np.ndarray:
    """ln of the design-spectrum ordinate (g) at ``imt`` from the site's S_S, S_1 and the
    rock S_1 (g), Pitilakis et al. (2018) eqs. 1-5, shape (N,)."""
    if imt.name == "PGA" or imt.period <= T_A:
        return np.log(s_s / F0)
    period = imt.period
    t_c = s_1 / s_s
    t_b = np.clip(t_c / KAPPA, T_B_MIN, T_B_MAX)
    t_d = np.where(s_1_rock > 0.1, 1.0 + 10.0 * s_1_rock, 2.0)
    y = s_s.copy()
    ramp = t_b >= period
    y[ramp] = s_s[ramp] / (t_b[ramp] - T_A) * ((period - T_A) + (t_b[ramp] - period) / F0)
    velocity = (t_c < period) & (t_d >= period)
    y[velocity] = s_1[velocity] / period
    displacement = t_d < period
    y[displacement] = t_d[displacement] * s_1[displacement] / period ** 2
    return np.log(y)


def _on_rock(ctx, vs30: float):
    """The contexts with every vs30 set to ``vs30`` (unchanged without a vs30 field)."""
    if "vs30" not in ctx.dtype.names:
        return ctx
    return site_terms.with_vs30(ctx, vs30)


class _RockAmplification(GMPE):
    """A model evaluated on rock and amplified (see the module docstring)."""

    abstract = True
    COMPOSITE = True
    #: the wrapper's own arguments (the others go to the inner model of ``gmpe_name``)
    OWN_ARGUMENTS: tuple = ("reference_velocity",)
    ROCK_VS30 = VS_REF_EC8
    OWN_SITES: frozenset = frozenset()

    def __init__(self, resolve=None, **kwargs):
        name = type(self).__name__
        self.kwargs = dict(kwargs)
        self.mixture = None
        self.gmpe = site_terms.inner_model(name, kwargs, resolve, self.OWN_ARGUMENTS)
        rock = kwargs.get("reference_velocity")
        if rock is not None:
            check_number(name, "reference_velocity", rock)
            if rock <= 0:
                raise InvalidInput("%s: reference_velocity must be positive" % name)
        self.rock_vs30 = float(rock or self.ROCK_VS30)
        site_terms.copy_definitions(self, self.gmpe)
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = (
            frozenset(["PGA", "SA"]) & frozenset(self.gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES))
        self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = (
            frozenset([TOTAL]) | self.gmpe.DEFINED_FOR_STANDARD_DEVIATION_TYPES)
        self.REQUIRES_SITES_PARAMETERS = self.gmpe.REQUIRES_SITES_PARAMETERS | self.OWN_SITES
        self.REQUIRES_RUPTURE_PARAMETERS = (self.gmpe.REQUIRES_RUPTURE_PARAMETERS
                                            | frozenset(["mag"]))

    def check_imt(self, imt: IMT) -> None:
        if imt.name not in ("PGA", "SA"):
            raise InvalidInput("%s is defined for PGA and SA only, not %s" % (
                type(self).__name__, imt))
        self.gmpe.check_imt(imt)


class PitilakisEtAl2018(_RockAmplification):
    """Code-spectrum amplification by the Pitilakis et al. (2018) site class
    ``ec8_p18``, the rock model taken at ``reference_velocity`` (800 m/s)."""

    abstract = False
    OWN_SITES = frozenset(["vs30", "ec8_p18"])
    VERSION = "2018"

    def __init__(self, resolve=None, **kwargs):
        super().__init__(resolve, **kwargs)
        for imt in (PGA, SA(1.0)):  # the anchors of the spectrum
            self.gmpe.check_imt(imt)

    def factors(self, ctx, s_s_rock, s_1_rock) -> tuple[np.ndarray, np.ndarray]:
        """The short- and long-period factors at each site, (N,) each."""
        levels, fs_table, f1_table = pitilakis_factors(self.VERSION)
        site_class = np.char.strip(np.asarray(ctx.ec8_p18, "S2"))
        f_s, f_l = np.ones(len(ctx)), np.ones(len(ctx))
        for cls in np.unique(site_class):
            if cls not in fs_table:
                raise InvalidInput("%s: unknown site class ec8_p18 = %r (known: %s)" % (
                    type(self).__name__, cls.decode(errors="replace"),
                    ", ".join(c.decode() for c in fs_table)))
            idx = site_class == cls
            f_s[idx] = _interpolate_factor(s_s_rock[idx], levels, fs_table[cls])
            f_l[idx] = _interpolate_factor(s_s_rock[idx], levels, f1_table[cls])
        return f_s, f_l

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rock = _on_rock(ctx, self.rock_vs30)
        anchors = self.gmpe.get_mean_stds(rock, [PGA, SA(1.0)])[0]
        s_s_rock = F0 * np.exp(anchors[0])
        s_1_rock = np.exp(anchors[1])
        f_s, f_l = self.factors(ctx, s_s_rock, s_1_rock)
        self.gmpe.compute(rock, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            mean[m] = code_spectrum(imt, f_s * s_s_rock, f_l * s_1_rock, s_1_rock)


class PitilakisEtAl2020(PitilakisEtAl2018):
    """:class:`PitilakisEtAl2018` with the revised factors of Pitilakis et al. (2020)."""

    VERSION = "2020"


class Eurocode8Amplification(PitilakisEtAl2018):
    """Code-spectrum amplification by the Eurocode 8 draft factors of vs30 and h800."""

    OWN_SITES = frozenset(["vs30", "h800"])

    def factors(self, ctx, s_s_rock, s_1_rock):
        return ec8_factors(ctx.vs30, ctx.h800, s_s_rock, s_1_rock)


class Eurocode8AmplificationDefault(PitilakisEtAl2018):
    """Code-spectrum amplification by the default factors of the Eurocode 8 class
    ``ec8`` (A-F; other classes are not amplified)."""

    OWN_SITES = frozenset(["ec8"])

    def factors(self, ctx, s_s_rock, s_1_rock):
        site_class = np.asarray(ctx.ec8, "S1")
        f_s, f_l = np.ones(len(ctx)), np.ones(len(ctx))
        for cls, value in EC8_DEFAULT_FS.items():
            idx = site_class == cls
            f_s[idx] = value
            f_l[idx] = EC8_DEFAULT_FL[cls]
        return f_s, f_l


#: regions of the Sandikkaya and Dinsever (2018) adjustments (TRGR: the Greek-Turkish one)
SD18_REGIONS = ("USNZ", "JP", "TW", "CH", "WA", "GRTR", "WMT", "NWE")
SD18_ALIASES = {"TRGR": "GRTR"}
#: reference vs30 (m/s) of the linear term and its cap
SD18_VREF, SD18_VCAP = 760.0, 1000.0


class SandikkayaDinsever2018(_RockAmplification):
    """The non-linear site amplification of Sandikkaya and Dinsever (2018) applied to a
    rock model (``reference_velocity`` 760 m/s) with between- and within-event
    standard deviations."""

    abstract = False
    OWN_ARGUMENTS = ("reference_velocity", "region", "phi_0")
    OWN_SITES = frozenset(["vs30", "z1pt0"])
    ROCK_VS30 = 760.0
    COEFFS = coeffs_table(__file__, "sera_amplification", "sandikkaya_dinsever_2018.csv")
    COEFFS_REGION = coeffs_table(__file__, "sera_amplification",
                                 "sandikkaya_dinsever_2018_regions.csv")

    def __init__(self, resolve=None, **kwargs):
        super().__init__(resolve, **kwargs)
        name = type(self).__name__
        if not {INTER_EVENT, INTRA_EVENT} <= self.gmpe.DEFINED_FOR_STANDARD_DEVIATION_TYPES:
            raise InvalidInput("%s needs a rock model with between- and within-event "
                               "standard deviations; %s has none" % (
                                   name, type(self.gmpe).__name__))
        region = kwargs.get("region")
        if region is not None:
            check_choice(name, "region", region, SD18_REGIONS + tuple(SD18_ALIASES))
            region = SD18_ALIASES.get(region, region)
        self.region = region
        self.phi_0 = imt_table(name, "phi_0", kwargs.get("phi_0"))

    def check_imt(self, imt: IMT) -> None:
        super().check_imt(imt)
        self.COEFFS[imt]  # raises for periods outside the model's range
        if self.phi_0 is not None:
            self.phi_0[imt]

    def compute(self, ctx, imts, mean, sig, tau, phi):
        z1pt0 = np.asarray(ctx.z1pt0, float)
        if np.any(z1pt0 <= 0):
            raise InvalidInput("SandikkayaDinsever2018 needs a positive z1pt0 (m) at every "
                               "site; the site model has unknown (-999) or zero values")
        vs30 = np.asarray(ctx.vs30, float)
        self.gmpe.compute(_on_rock(ctx, self.rock_vs30), imts, mean, sig, tau, phi)
        ref = 0.1 * G_ACCEL
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            psa_rock = np.exp(mean[m])
            ck = 0.0 if self.region is None else self.COEFFS_REGION[imt][self.region]
            linear = (C["b1"] + ck) * np.log(np.minimum(vs30, SD18_VCAP) / SD18_VREF)
            basin = C["b2"] * np.log(z1pt0)
            nonlinear = (C["b3"] * np.log((psa_rock + ref) / ref)
                         * np.exp(-np.exp(2.0 * np.log(vs30) - 11.0)))
            mean[m] += linear + basin + nonlinear
            sigma_site = C["sigma_s"] * C["c0"] * (
                C["c1"] * np.log(np.clip(psa_rock, 0.005, 0.35))
                + C["c2"] * np.log(np.clip(vs30, 150.0, 600.0)))
            phi_ss = (0.85 * phi[m] if self.phi_0 is None
                      else np.full(len(ctx), self.phi_0[imt]["phi_0"]))
            phi[m] = np.sqrt(phi_ss ** 2 + sigma_site ** 2)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)
