"""ModifiableGMPE: a model with adjustments of its median and standard deviations.

In a GSIM logic tree::

    [ModifiableGMPE]
    gmpe.AkkarEtAlRjb2014 = {}
    set_scale_median_scalar.scaling_factor = 0.9
    [ModifiableGMPE.add_delta_to_total_std_vector.delta]
    "PGA" = 0.1

``gmpe`` is the underlying model ``{Name = {arguments}}``; every other key names an
adjustment with its parameters. Adjustments apply in the order given, IMT by IMT, to
the ln-mean and the total (sig), between-event (tau) and within-event (phi) standard
deviations. A site term (see :mod:`oqcore.hazard.gsim.site_terms`) evaluates the
underlying model on rock (760 m/s, 1130 m/s for the CY14 term) and adds the term for the
sites' vs30. ``ceus2020_site_term = {wimp = 0.0, ref_vs30 = 3000}`` (and optionally
``usgs = true``) adds the CEUS 2020 amplification of
:mod:`oqcore.hazard.gsim.ceus2020_site` to the model evaluated at 760 m/s (as OpenQuake
does), its non-linear part driven by the model's own PGA at vs30 = ``ref_vs30``.
``apply_swiss_amplification = {}`` adds the site parameter ``amplfactor`` to the mean.
``conditional_gmpe`` maps IMTs to conditional models (see
:mod:`oqcore.hazard.gsim.conditional`).

Adding a delta to a standard deviation means ``sqrt(s² + sign(d) d²)``; a result below
zero is an error.
"""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import ceus2020_site, site_terms
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, CoeffsTable, check_flag, check_number)
from oqcore.hazard.imt import IMT, PGA

#: parameter kinds: a number, a table {IMT: number} (SA periods interpolated), a
#: mapping {IMT: number} looked up exactly, a site-term kind, a boolean, a number in
#: 0-1 or nothing, one of the names in CHOICES
NUMBER, IMT_TABLE, IMT_MAP, KIND = "number", "imt table", "imt map", "kind"
FLAG, QUANTILE, CHOICE = "flag", "quantile", "choice"


class Adjustment:
    """One named adjustment: its parameters and the function applying it.

    ``apply(ctx, imt, me, si, ta, ph, **params)`` changes the (N,) rows in place;
    ``site_term`` (ctx, imt, ln_rock, **params) -> (N,) is set for site/basin terms;
    with ``reference_pga`` it also receives ``ref_pga`` (N,), the underlying model's PGA
    (g) at vs30 = the parameter ``ref_vs30``. ``validate(**params)`` checks the values.
    """

    def __init__(self, name: str, params: dict, apply: Callable | None = None,
                 site_term: Callable | None = None, rock_vs30: float | None = None,
                 sites=(), rupture=(), distances=(), needs_tau=False,
                 reference_pga=False, validate: Callable | None = None):
        self.name = name
        self.params = params
        self.apply = apply
        self.site_term = site_term
        self.rock_vs30 = rock_vs30
        self.sites, self.rupture, self.distances = map(frozenset, (sites, rupture, distances))
        self.needs_tau = needs_tau
        self.reference_pga = reference_pga
        self.validate = validate


def _add_delta(std: np.ndarray, delta: float, what: str, imt: IMT) -> np.ndarray:
    new = std ** 2 + np.sign(delta) * delta ** 2
    if np.any(new < 0):
        raise InvalidInput("ModifiableGMPE: delta = %s makes the %s standard deviation of "
                           "%s negative (its minimum is %.6f)" % (
                               delta, what, imt, np.sqrt(np.min(std ** 2))))
    return np.sqrt(new)


def _lookup(table, imt: IMT, key: str):
    if isinstance(table, CoeffsTable):
        return table[imt][key]
    try:
        return table[str(imt)]
    except KeyError:
        raise InvalidInput("ModifiableGMPE: %s has no value for %s (given: %s)" % (
            key, imt, ", ".join(table))) from None


def _between_epsilon(ctx, imt, me, si, ta, ph, epsilon_tau):
    me += epsilon_tau * ta
    ta[:] = 0.0
    si[:] = ph


def _between_within(ctx, imt, me, si, ta, ph, with_betw_ratio):
    ta[:] = np.sqrt(si ** 2 / (1.0 + with_betw_ratio ** 2))
    ph[:] = with_betw_ratio * ta


def _swiss_amplification(ctx, imt, me, si, ta, ph):
    """Adds the site's amplification ``amplfactor`` (the unit of the mean: intensity
    units for the Swiss intensity models) to the mean."""
    me += ctx.amplfactor


def _scale_median(ctx, imt, me, si, ta, ph, scaling_factor):
    f = scaling_factor if np.isscalar(scaling_factor) else _lookup(
        scaling_factor, imt, "scaling_factor")
    me += np.log(f)


def _scale_sigma(ctx, imt, me, si, ta, ph, scaling_factor):
    f = scaling_factor if np.isscalar(scaling_factor) else _lookup(
        scaling_factor, imt, "scaling_factor")
    si *= f


def _fixed_sigma(ctx, imt, me, si, ta, ph, total_sigma):
    si[:] = _lookup(total_sigma, imt, "total_sigma")


def _delta_total(ctx, imt, me, si, ta, ph, delta):
    d = delta if np.isscalar(delta) else _lookup(delta, imt, "delta")
    si[:] = _add_delta(si, d, "total", imt)


def _delta_tau(ctx, imt, me, si, ta, ph, delta):
    d = delta if np.isscalar(delta) else _lookup(delta, imt, "delta")
    ta[:] = _add_delta(ta, d, "between-event", imt)
    si[:] = np.sqrt(ta ** 2 + ph ** 2)


def _delta_phi(ctx, imt, me, si, ta, ph, delta):
    d = delta if np.isscalar(delta) else _lookup(delta, imt, "delta")
    ph[:] = _add_delta(ph, d, "within-event", imt)
    si[:] = np.sqrt(ta ** 2 + ph ** 2)


def _tau_plus_delta(ctx, imt, me, si, ta, ph, delta):
    si[:] = _add_delta(ta, delta, "total", imt)


@functools.lru_cache(maxsize=None)
def _alatik2015(tau_model, phi_model, tau_quantile, phi_ss_quantile):
    from oqcore.hazard.gsim.nga_east import AlAtikSigma
    return AlAtikSigma("ModifiableGMPE sigma_model_alatik2015", tau_model, phi_model, None,
                       tau_quantile, phi_ss_quantile, None)


def _sigma_alatik2015(ctx, imt, me, si, ta, ph, ergodic, tau_model, phi_model,
                      tau_quantile, phi_ss_quantile):
    """The Al Atik (2015) tau and single-station phi (NGA-East), with the Stewart et al.
    (2019) phi_S2S added when ``ergodic``, replace the model's standard deviations."""
    from oqcore.hazard.gsim.nga_east_usgs import stewart2019_phi_s2s
    tau, phi = _alatik2015(tau_model, phi_model, tau_quantile, phi_ss_quantile).tau_phi(
        imt, ctx.mag)
    if ergodic:
        phi = np.sqrt(phi ** 2 + stewart2019_phi_s2s(imt, ctx.vs30) ** 2)
    ta[:] = tau
    ph[:] = phi
    si[:] = np.sqrt(tau ** 2 + phi ** 2)


_VS = site_terms.VS_ROCK
ADJUSTMENTS = {a.name: a for a in [
    Adjustment("set_between_epsilon", {"epsilon_tau": NUMBER}, _between_epsilon,
               needs_tau=True),
    Adjustment("add_between_within_stds", {"with_betw_ratio": NUMBER}, _between_within),
    Adjustment("apply_swiss_amplification", {}, _swiss_amplification, sites=["amplfactor"]),
    Adjustment("set_scale_median_scalar", {"scaling_factor": NUMBER}, _scale_median),
    Adjustment("set_scale_median_vector", {"scaling_factor": IMT_TABLE}, _scale_median),
    Adjustment("set_scale_total_sigma_scalar", {"scaling_factor": NUMBER}, _scale_sigma),
    Adjustment("set_scale_total_sigma_vector", {"scaling_factor": IMT_TABLE}, _scale_sigma),
    Adjustment("set_fixed_total_sigma", {"total_sigma": IMT_TABLE}, _fixed_sigma),
    Adjustment("add_delta_to_total_std_scalar", {"delta": NUMBER}, _delta_total),
    Adjustment("add_delta_to_total_std_vector", {"delta": IMT_MAP}, _delta_total),
    Adjustment("add_delta_to_tau_std_scalar", {"delta": NUMBER}, _delta_tau),
    Adjustment("add_delta_to_tau_std_vector", {"delta": IMT_MAP}, _delta_tau),
    Adjustment("add_delta_to_phi_std_scalar", {"delta": NUMBER}, _delta_phi),
    Adjustment("add_delta_to_phi_std_vector", {"delta": IMT_MAP}, _delta_phi),
    Adjustment("set_total_std_as_tau_plus_delta", {"delta": NUMBER}, _tau_plus_delta,
               needs_tau=True),
    Adjustment("sigma_model_alatik2015", {
        "ergodic": FLAG, "tau_model": CHOICE, "phi_model": CHOICE, "tau_quantile": QUANTILE,
        "phi_ss_quantile": QUANTILE}, _sigma_alatik2015, sites=["vs30"], rupture=["mag"]),
    Adjustment("nrcan15_site_term", {"kind": KIND},
               site_term=site_terms.nrcan15_site_term, rock_vs30=_VS, sites=["vs30"]),
    Adjustment("cy14_site_term", {}, site_term=site_terms.cy14_site_term,
               rock_vs30=site_terms.VS_ROCK_CY14, sites=["vs30"]),
    Adjustment("ba08_site_term", {}, site_term=site_terms.ba08_site_term, rock_vs30=_VS,
               sites=["vs30"], rupture=["mag", "rake"], distances=["rjb"]),
    Adjustment("bssa14_site_term", {}, site_term=site_terms.bssa14_site_term,
               rock_vs30=_VS, sites=["vs30"], rupture=["mag", "rake"], distances=["rjb"]),
    Adjustment("cb14_basin_term", {}, site_term=site_terms.cb14_basin_term,
               sites=["z2pt5", "vs30"]),
    Adjustment("m9_basin_term", {}, site_term=site_terms.m9_basin_term, sites=["z2pt5"]),
    Adjustment("ceus2020_site_term", {"wimp": NUMBER, "ref_vs30": NUMBER, "usgs": FLAG},
               site_term=ceus2020_site.ceus2020_site_term, rock_vs30=_VS, sites=["vs30"],
               reference_pga=True, validate=ceus2020_site.check_arguments),
]}

#: the step of the conditional models (``conditional_gmpe``), in the order given
CONDITIONAL = Adjustment("conditional_gmpe", {})

#: parameters with a default
DEFAULTS = {("nrcan15_site_term", "kind"): "base", ("ceus2020_site_term", "usgs"): False,
            ("sigma_model_alatik2015", "ergodic"): True,
            ("sigma_model_alatik2015", "tau_model"): "global",
            ("sigma_model_alatik2015", "phi_model"): "global",
            ("sigma_model_alatik2015", "tau_quantile"): None,
            ("sigma_model_alatik2015", "phi_ss_quantile"): None}
#: the names a CHOICE parameter accepts
CHOICES = {("sigma_model_alatik2015", "tau_model"): ("global", "cena", "cena_constant"),
           ("sigma_model_alatik2015", "phi_model"): ("global", "cena", "cena_constant")}
#: adjustments that set the between- and within-event standard deviations
SETS_TAU_PHI = ("add_between_within_stds", "sigma_model_alatik2015")


def _check_param(adj: str, name: str, kind: str, value):
    """The validated value of parameter ``name`` of adjustment ``adj``."""
    label = "ModifiableGMPE %s.%s" % (adj, name)
    if kind == NUMBER:
        check_number("ModifiableGMPE", "%s.%s" % (adj, name), value)
        return float(value)
    if kind == KIND:
        site_terms.check_kind("ModifiableGMPE %s" % adj, value)
        return value
    if kind == FLAG:
        check_flag("ModifiableGMPE", "%s.%s" % (adj, name), value)
        return bool(value)
    if kind == QUANTILE:
        check_number("ModifiableGMPE", "%s.%s" % (adj, name), value)
        if not 0.0 <= value <= 1.0:
            raise InvalidInput("%s must be between 0 and 1, got %s" % (label, value))
        return float(value)
    if kind == CHOICE:
        if value not in CHOICES[adj, name]:
            raise InvalidInput("%s must be one of %s, got %r" % (
                label, ", ".join(CHOICES[adj, name]), value))
        return value
    if not isinstance(value, dict) or not value:
        raise InvalidInput("%s must be a table of IMTs, e.g. {\"PGA\" = 1.1}, got %r" % (
            label, value))
    imts = []
    for key, number in value.items():
        try:
            imts.append(IMT.from_string(key))
        except InvalidInput:
            raise InvalidInput("%s: unknown IMT %r" % (label, key)) from None
        check_number("ModifiableGMPE", "%s.%s[%s]" % (adj, name, key), number)
    if kind == IMT_MAP:
        return {str(imt): float(v) for imt, v in zip(imts, value.values())}
    return CoeffsTable(imts, [name], [[float(v)] for v in value.values()],
                       "%s.%s" % (adj, name))


class ModifiableGMPE(GMPE):
    """An underlying model with adjustments (see the module docstring)."""

    abstract = False
    COMPOSITE = True

    def __init__(self, resolve=None, **kwargs):
        self.kwargs = dict(kwargs)
        mixture = kwargs.pop("mixture_model", None)
        self.mixture = None
        if mixture is not None:
            from oqcore.hazard.gsim.base import mixture_components
            self.mixture = mixture_components("ModifiableGMPE", mixture)
        if "gmpe" not in kwargs:
            raise InvalidInput("ModifiableGMPE needs the underlying model: gmpe.Name = {}")
        self.gmpe = site_terms.nested_model("ModifiableGMPE", "gmpe", kwargs.pop("gmpe"),
                                            resolve)
        site_terms.copy_definitions(self, self.gmpe)
        self.conditional = None
        #: the adjustments in order; the conditional models are the step CONDITIONAL
        self.steps: list[tuple[Adjustment, dict]] = []
        for name, params in kwargs.items():
            if name == "conditional_gmpe":
                from oqcore.hazard.gsim.conditional import ConditionalModels
                self.conditional = ConditionalModels(params, resolve)
                self.steps.append((CONDITIONAL, {}))
            else:
                self.steps.append(self._step(name, params))
        if self.conditional is not None:
            self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = (
                self.gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES | self.conditional.imt_names)
            self.REQUIRES_SITES_PARAMETERS |= self.conditional.sites
            self.REQUIRES_RUPTURE_PARAMETERS |= self.conditional.rupture
            self.REQUIRES_DISTANCES |= self.conditional.distances
        self.rock_vs30 = None
        for adj, _ in self.steps:
            self.REQUIRES_SITES_PARAMETERS |= adj.sites
            self.REQUIRES_RUPTURE_PARAMETERS |= adj.rupture
            self.REQUIRES_DISTANCES |= adj.distances
            if adj.needs_tau and INTER_EVENT not in self.DEFINED_FOR_STANDARD_DEVIATION_TYPES:
                raise InvalidInput("ModifiableGMPE: %s needs a model with a between-event "
                                   "standard deviation; %s has none" % (
                                       adj.name, type(self.gmpe).__name__))
            if adj.name in SETS_TAU_PHI:
                self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset(
                    [TOTAL, INTER_EVENT, INTRA_EVENT])
            if adj.rock_vs30 is not None and self.rock_vs30 is None:
                self.rock_vs30 = adj.rock_vs30
        if any(adj.name == "cy14_site_term" for adj, _ in self.steps):
            self.rock_vs30 = site_terms.VS_ROCK_CY14

    def _step(self, name: str, params) -> tuple[Adjustment, dict]:
        try:
            adj = ADJUSTMENTS[name]
        except KeyError:
            raise InvalidInput("ModifiableGMPE: unknown adjustment %r; known: %s" % (
                name, ", ".join(sorted(ADJUSTMENTS)))) from None
        if not isinstance(params, dict):
            raise InvalidInput("ModifiableGMPE: the parameters of %s must be a table, "
                               "e.g. %s = {}, got %r" % (name, name, params))
        unknown = set(params) - set(adj.params)
        if unknown:
            raise InvalidInput("ModifiableGMPE: %s does not take %s; it takes %s" % (
                name, ", ".join(sorted(unknown)), ", ".join(adj.params) or "nothing"))
        values = {}
        for pname, kind in adj.params.items():
            if pname in params:
                values[pname] = _check_param(name, pname, kind, params[pname])
            elif (name, pname) in DEFAULTS:
                values[pname] = DEFAULTS[name, pname]
            else:
                raise InvalidInput("ModifiableGMPE: %s needs %s" % (name, pname))
        if adj.validate is not None:
            adj.validate(**values)
        if adj.reference_pga and "PGA" not in self.gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES:
            raise InvalidInput("ModifiableGMPE: %s needs the PGA of the underlying model; "
                               "%s has none" % (name, type(self.gmpe).__name__))
        return adj, values

    def reference_pga(self, ctx, vs30: float) -> np.ndarray:
        """The underlying model's median PGA (g, (N,)) at the contexts with every vs30
        set to ``vs30`` (m/s)."""
        out = np.zeros((4, 1, len(ctx)))
        self.gmpe.compute(site_terms.with_vs30(ctx, vs30), [PGA], *out)
        return np.exp(out[0, 0])

    def check_imt(self, imt: IMT) -> None:
        if self.conditional is not None and imt.string in self.conditional.models:
            self.conditional.check_imt(imt)
            return
        self.gmpe.check_imt(imt)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        base_ctx = ctx if self.rock_vs30 is None else site_terms.with_vs30(ctx, self.rock_vs30)
        if self.conditional is None:
            self.gmpe.compute(base_ctx, imts, mean, sig, tau, phi)
        else:
            base = self.conditional.compute_base(self.gmpe, base_ctx, imts, mean, sig, tau,
                                                 phi)
        for adj, params in self.steps:
            if adj.name == CONDITIONAL.name:  # (compared by name: models are pickled)
                self.conditional.apply(ctx, imts, base, mean, sig, tau, phi)
                continue
            if adj.reference_pga:
                params = dict(params, ref_pga=self.reference_pga(ctx, params["ref_vs30"]))
            for m, imt in enumerate(imts):
                if adj.site_term is not None:
                    mean[m] += adj.site_term(ctx, imt, mean[m], **params)
                else:
                    adj.apply(ctx, imt, mean[m], sig[m], tau[m], phi[m], **params)
