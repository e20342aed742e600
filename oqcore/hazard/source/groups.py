"""Source groups whose hazard is not a plain sum of rates: non-parametric sources,
mutually exclusive sources or ruptures, clusters, non-Poisson occurrence.

The hazard of such a group is computed as a probability of no exceedance (PNE) per
site and level, then turned into the *equivalent rate* ``-ln(PNE) / T`` (T the
investigation time, years), which adds to the rates of the other groups exactly as
independent PNEs multiply.

Per rupture (PoE the probability that one occurrence exceeds the level):

* Poisson rupture of rate r: ``PNE = exp(-r T PoE)``;
* rupture with occurrence probabilities p_k (non-parametric, or a source with a
  negative binomial temporal occurrence model): ``PNE = sum_k p_k (1 - PoE)^k``;
* rupture of a cluster: ``PNE = 1 - PoE`` (it occurs once when the cluster does).

Per source: the product of its ruptures' PNEs; with mutually exclusive ruptures
(``rup_interdep="mutex"``) the PoE ``sum_r w_r (1 - PNE_r)`` instead.

Per group: independent sources multiply their PNEs. Mutually exclusive sources
(``src_interdep="mutex"``, weights ``srcs_weights``) give
``PoE = sum_s w_s (1 - PNE_s)``; groups of mutually exclusive ruptures combine their
sources' PoEs as independent events. Mutex groups multiply the PoE by
``grp_probability``. A cluster group (``cluster="true"``) occurring n times in T with
Poisson probability P(n; rate T) has ``PNE = sum_n P(n) PNE_group^n``.
"""
from __future__ import annotations

import math

import attrs
import numpy as np
from scipy import stats as sstats

from oqcore.hazard.components import to_geometric_mean
from oqcore.hazard.stats import truncnorm_sf

#: cluster occurrences beyond this many are neglected
MAX_CLUSTER_OCCURRENCES = 20


@attrs.define
class SourceGroup:
    """The attributes of a <sourceGroup> that change how its sources combine.

    :ivar src_interdep, rup_interdep: "indep" or "mutex"
    :ivar srcs_weights: weights of mutually exclusive sources, in source order
    :ivar cluster: whether the sources occur together, as a cluster
    :ivar tom: temporal occurrence model name (PoissonTOM, NegativeBinomialTOM)
    :ivar occurrence_rate: annual rate of a cluster (1/yr)
    :ivar mu, alpha: mean rate (1/yr) and dispersion of a negative binomial TOM
    :ivar grp_probability: probability of the group (mutex groups)
    """
    name: str = ""
    src_interdep: str = "indep"
    rup_interdep: str = "indep"
    srcs_weights: list | None = None
    cluster: bool = False
    tom: str = "PoissonTOM"
    occurrence_rate: float | None = None
    mu: float | None = None
    alpha: float | None = None
    grp_probability: float = 1.0
    lineno: int = 0
    #: (file name, ordinal of the group in the file): identifies the group of a
    #: source after the sources are copied
    key: tuple = ()

    @property
    def special(self) -> bool:
        """True when the group cannot be summed as independent Poisson rates."""
        return (self.src_interdep == "mutex" or self.rup_interdep == "mutex" or
                self.cluster or self.tom != "PoissonTOM")


@attrs.frozen
class MutexTag:
    """Marks the kept contexts of one source of a group of mutually exclusive
    sources: the disaggregation turns each source's bins into PoEs, averages them
    with the ``weight`` of the sources, multiplies by ``grp_probability`` and turns
    the result back into rates (per bin)."""
    group: tuple
    weight: float
    grp_probability: float


def negative_binomial_pmf(mean_rate: np.ndarray, time_span: float, alpha: float,
                          nmax: int = 10) -> np.ndarray:
    """P(k occurrences in ``time_span`` years), k = 0..nmax-1, of a negative binomial
    model with mean ``mean_rate`` (1/yr, array (R,)) and dispersion ``alpha``
    (Kagan & Jackson 2010: tau = 1/alpha, p = tau / (tau + rate T)): (R, nmax)."""
    tau = 1.0 / alpha
    p = tau / (tau + np.asarray(mean_rate, float)[:, None] * time_span)
    return sstats.nbinom.pmf(np.arange(nmax)[None, :], tau, p)


def cluster_occurrence_probs(rate: float, time_span: float) -> np.ndarray:
    """Poisson probabilities of 0..19 occurrences of a cluster, the negligible
    (below the smallest single-precision number) dropped."""
    n = np.arange(MAX_CLUSTER_OCCURRENCES)
    probs = sstats.poisson.pmf(n, rate * time_span)
    return probs[probs > 1.4e-45]


def context_poes(cmaker, ctx, mean_stds: list | None = None) -> np.ndarray:
    """PoEs of the contexts' ruptures at the job's levels: (G, K, M*L1).

    :param mean_stds: if given, the G arrays (2, M, K) of ln-means and total
        stddevs are appended to it
    """
    G, K = len(cmaker.gsims), len(ctx)
    M, L1 = cmaker.loglevels.shape
    out = np.zeros((G, K, M * L1))
    if K == 0:
        return out
    for g, gsim in enumerate(cmaker.gsims):
        ms = gsim.get_mean_stds(ctx.view(np.recarray), cmaker.imts)
        if cmaker.to_gm[g]:
            to_geometric_mean(ms, gsim.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT,
                              cmaker.imts)
        if mean_stds is not None:
            mean_stds.append(ms[:2])
        if cmaker.amplifier is not None:  # PoEs on soil (kernel method)
            out[g] = cmaker.amplifier.poes(ms[0], ms[1], ctx["sids"], ctx["mag"], ctx["rrup"])
            continue
        for m in range(M):
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (cmaker.loglevels[m][None, :] - ms[0][m][:, None]) / ms[1][m][:, None]
            out[g, :, m * L1:(m + 1) * L1] = truncnorm_sf(cmaker.truncation_level, z)
    return out


def rupture_pnes(poes: np.ndarray, rates: np.ndarray | None, probs: np.ndarray | None,
                 time_span: float) -> np.ndarray:
    """PNEs of rupture-site rows.

    :param poes: (G, K, L) PoEs of one occurrence
    :param rates: (K,) Poisson rates (1/yr), used when ``probs`` is None
    :param probs: (K, J) probabilities of 0..J-1 occurrences, or None
    :returns: (G, K, L)
    """
    if probs is None:
        return np.exp(-rates[None, :, None] * time_span * poes)
    no = 1.0 - poes
    out = np.zeros_like(poes)
    power = np.ones_like(poes)
    for k in range(probs.shape[1]):
        if k:
            power *= no
        out += probs[None, :, k, None] * power
    return out


def _site_product(pnes: np.ndarray, sids: np.ndarray, N: int) -> np.ndarray:
    """Product over rows of PNEs (G, K, L) per site: (G, N, L) (1 without rows)."""
    logs = np.zeros((pnes.shape[0], N, pnes.shape[2]))
    with np.errstate(divide="ignore"):
        np.add.at(logs, (slice(None), sids), np.log(pnes))
    return np.exp(logs)


def _site_sum(values: np.ndarray, sids: np.ndarray, N: int) -> np.ndarray:
    out = np.zeros((values.shape[0], N, values.shape[2]))
    np.add.at(out, (slice(None), sids), values)
    return out


def source_rows(src, cmaker, group: SourceGroup, time_span: float):
    """Contexts and per-row PNE inputs of one source of a special group.

    :returns: (ctx (K,), rates (K,) or None, probs (K, J) or None,
        rupture weights (K,) or None)
    """
    from oqcore.hazard.source.nonparametric import (NonParametricSource,
                                                    nonparametric_contexts)
    from oqcore.hazard.source.ruptures import source_contexts
    if isinstance(src, NonParametricSource):
        ctx, ridx = nonparametric_contexts(src, cmaker)
        w = None if src.rup_weights is None else src.rup_weights[ridx]
        if getattr(src, "occur_rates", None) is not None:  # inferred Poisson rates
            return ctx, src.occur_rates[ridx], None, w
        return ctx, None, src.probs_occur[ridx], w
    ctxs = list(source_contexts(src, cmaker))
    ctx = np.concatenate(ctxs).view(np.recarray) if ctxs else cmaker.new_context(0)
    rates = np.asarray(ctx["occurrence_rate"], float)
    if group.tom == "NegativeBinomialTOM":
        return ctx, None, negative_binomial_pmf(rates, time_span, group.alpha), None
    return ctx, rates, None, None


def group_pnes(sources: list, cmaker, group: SourceGroup, time_span: float,
               ctx_counts: dict | None = None, kept: list | None = None) -> np.ndarray:
    """The PNEs (G, N, M*L1) of a group (see the module docstring).

    :param ctx_counts: if given, {source_id: number of contexts} is accumulated
    :param kept: if given, the contexts are appended to it for disaggregation, as
        (ctx, G mean_stds (2, M, K), source base name[, probs_occur (K, J) or None,
        time_span[, MutexTag]]); groups of independent sources and of mutually
        exclusive sources can be disaggregated
    :raises InvalidInput: when ``kept`` is asked for another special group
    """
    mutex_only = (group.src_interdep == "mutex" and group.rup_interdep == "indep" and
                  not group.cluster and group.tom == "PoissonTOM")
    if kept is not None and group.special and not mutex_only:
        from oqcore.errors import InvalidInput
        raise InvalidInput("the disaggregation of source groups with mutually exclusive "
                           "ruptures, clusters or non-Poisson occurrence is not "
                           "supported (group %r, line %d)" % (group.name, group.lineno))
    N = cmaker.N
    G, L = len(cmaker.gsims), cmaker.L
    src_mutex = group.src_interdep == "mutex"
    rup_mutex = group.rup_interdep == "mutex"
    poe_group = np.zeros((G, N, L))
    pne_group = np.ones((G, N, L))
    weights = group.srcs_weights or [1.0] * len(sources)
    for src, w_src in zip(sources, weights):
        ctx, rates, probs, rup_w = source_rows(src, cmaker, group, time_span)
        if ctx_counts is not None:
            ctx_counts[src.source_id] = ctx_counts.get(src.source_id, 0) + len(ctx)
        if len(ctx) == 0:
            continue
        sids = np.asarray(ctx["sids"], np.int64)
        ms_list: list = []
        poes = context_poes(cmaker, ctx, ms_list)
        if kept is not None:
            key = src.source_id.split(":")[0]
            entry = (ctx, ms_list, key, probs, time_span)
            if src_mutex:  # combined by the disaggregation, see MutexTag
                kept.append(entry + (MutexTag(group.key, w_src, group.grp_probability),))
            else:
                kept.append(entry if probs is not None else entry[:3])
        if group.cluster and not rup_mutex:
            pnes = 1.0 - poes
        else:
            pnes = rupture_pnes(poes, rates, probs, time_span)
        if rup_mutex:
            if rup_w is None:
                raise ValueError("source %r of a group of mutually exclusive ruptures "
                                 "has no rup_weights" % src.source_id)
            poe_src = _site_sum((1.0 - pnes) * rup_w[None, :, None], sids, N)
            poe_group += (1.0 - poe_group) * poe_src
        elif src_mutex:
            poe_group += (1.0 - _site_product(pnes, sids, N)) * w_src
        else:
            pne_group *= _site_product(pnes, sids, N)
    if src_mutex or rup_mutex:
        pne_group = 1.0 - poe_group * group.grp_probability
    if group.cluster:
        probs_n = cluster_occurrence_probs(group.occurrence_rate, time_span)
        out = np.full_like(pne_group, probs_n[0])
        for n, p in enumerate(probs_n[1:], 1):
            out += pne_group ** n * p
        pne_group = out
    return pne_group


def pnes_to_rates(pnes: np.ndarray, time_span: float) -> np.ndarray:
    """Equivalent annual rates ``-ln(PNE) / T`` (a PNE of 0 gives an infinite
    rate, i.e. a PoE of 1)."""
    with np.errstate(divide="ignore"):
        return -np.log(pnes) / time_span


def group_rates(sources: list, cmaker, group: SourceGroup, time_span: float,
                ctx_counts: dict | None = None, kept: list | None = None
                ) -> np.ndarray:
    """Equivalent annual exceedance rates (G, N, M*L1) of a group (``kept``: see
    :func:`group_pnes`)."""
    return pnes_to_rates(group_pnes(sources, cmaker, group, time_span, ctx_counts,
                                    kept), time_span)


def needs_group_treatment(sources: list, group: SourceGroup | None) -> bool:
    """Whether sources must go through :func:`group_rates` (special group, or
    non-parametric sources)."""
    from oqcore.hazard.source.nonparametric import NonParametricSource
    if group is not None and group.special:
        return True
    return any(isinstance(s, NonParametricSource) for s in sources)


def check_weights(weights, n_sources: int, where) -> list:
    """Check ``srcs_weights`` (one per source, summing to 1)."""
    if weights is None:
        raise ValueError("a group of mutually exclusive sources needs srcs_weights")
    if len(weights) != n_sources:
        raise ValueError("%d srcs_weights for %d sources" % (len(weights), n_sources))
    if not math.isclose(sum(weights), 1.0, abs_tol=5e-6):
        raise ValueError("srcs_weights sum to %s, not 1" % sum(weights))
    return list(weights)


def split_special(sources: list) -> tuple[list, list]:
    """Separate the sources summed as independent Poisson rates from those of groups
    needing :func:`group_rates`.

    :returns: (plain sources, [(SourceGroup, [sources])] in order of appearance)
    """
    plain, special, order = [], {}, []
    default = SourceGroup()
    for src in sources:
        group = getattr(src, "group", None)
        if needs_group_treatment([src], group):
            group = group or default
            key = group.key or ("", id(group))
            if key not in special:
                special[key] = (group, [])
                order.append(key)
            special[key][1].append(src)
        else:
            plain.append(src)
    return plain, [special[k] for k in order]
