"""The ``classical`` calculator: probabilistic seismic hazard curves, maps and uniform
hazard spectra by numerical integration over every rupture of every source.

Datasets written: ``oqparam``, ``sitecol``, ``full_lt`` (JSON), ``weights``,
``realizations``, ``hcurves-rlzs`` (N, R, M, L1), ``hcurves-stats`` (N, S, M, L1),
``hmaps-rlzs``/``hmaps-stats`` (N, ·, M, P) when ``poes`` are given,
``source_info``, ``mean_rates_by_src`` with ``disagg_by_src``.
"""
from __future__ import annotations

import time

import numpy as np

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.errors import InvalidInput
from oqcore.hazard import site_amplification
from oqcore.hazard.contexts import ContextMaker, rates_to_poes
from oqcore.hazard.model import gsim_site_params, read_hazard_model, zero_weight_imts
from oqcore.hazard.site import build_site_collection
from oqcore.hazard.source import groups
from oqcore.hazard.source.collapse import equivalent_distance_sources
from oqcore.hazard.source.ruptures import batched_contexts, point_sources_of
from oqcore.hazard.stats import compute_stats, hazard_maps
from oqcore.registry import CalculatorSpec

#: the most tasks a group of sources is split into (independent of the worker count,
#: so that results do not depend on it)
MAX_TASKS_PER_GROUP = 16


#: contexts are evaluated in batches of about this many rows (GSIM calls amortised)
BATCH_ROWS = 50_000
#: per-realization PoEs kept (privately, for risk jobs) when not an output: at most this
#: many values (N x R x M x L1)
MAX_PRIVATE_CURVES = 20_000_000


def classical_task(sources: list, cmaker: ContextMaker, by_src: bool = False,
                   keep: bool = False, group=None, time_span: float = 0.0):
    """Rates of exceedance of a list of sources of one TRT.

    With a ``group`` (a :class:`~oqcore.hazard.source.groups.SourceGroup`) the
    sources are one group that does not sum as independent Poisson rates and
    :func:`group_task` computes them over ``time_span`` years.

    Contexts are evaluated in batches of ~BATCH_ROWS rows (per source when ``by_src``),
    so that each GSIM is called on large arrays.

    :param keep: also return the contexts with their GSIM ln-means and stddevs
    :returns: (rates (G, N, M*L1), {source_id: rates} if by_src, number of contexts,
        seconds, {source_id: number of contexts},
        [(contexts, G mean_stds (2, M, K), source_id if by_src)] if keep)
    """
    if group is not None:
        return group_task(sources, cmaker, group, time_span, by_src, keep)
    t0 = time.time()
    rates = cmaker.empty_rates()
    per_src: dict = {}
    ctxs_by_src: dict = {}
    kept: list = []
    nctx = 0
    for group in ([src] for src in sources) if by_src else [sources]:
        target = cmaker.empty_rates() if by_src else rates
        key = group[0].source_id.split(":")[0] if by_src else None
        counts: dict = {}
        for ctx in batched_contexts(group, cmaker, BATCH_ROWS, counts):
            nctx += len(ctx)
            mean_stds = cmaker.add_rates(ctx, target)
            if keep:
                kept.append((ctx, mean_stds, key))
        for sid, n in counts.items():  # area sources count under their own id
            base = sid.split(":")[0]
            ctxs_by_src[base] = ctxs_by_src.get(base, 0) + n
        if by_src:
            rates += target
            if key in per_src:
                per_src[key] += target
            else:
                per_src[key] = target
    return rates, per_src, nctx, time.time() - t0, ctxs_by_src, kept


def group_task(sources: list, cmaker: ContextMaker, group, time_span: float,
               by_src: bool = False, keep: bool = False):
    """Equivalent exceedance rates of a group of sources that do not sum as
    independent Poisson rates (non-parametric sources, mutex or cluster groups:
    :mod:`oqcore.hazard.source.groups`); same results as :func:`classical_task`
    (kept contexts with their occurrence probabilities, for the disaggregation of
    groups of independent sources). With ``by_src`` the rates of a group of independent sources
    are split by source, those of a mutex or cluster group go to the first source's
    base name (OpenQuake reports ``src`` for ``src:01``, ``src:02``...)."""
    t0 = time.time()
    counts: dict = {}
    per_src: dict = {}
    kept: list | None = [] if keep else None
    if by_src and not group.special:
        rates = cmaker.empty_rates()
        for src in sources:
            r = groups.group_rates([src], cmaker, group, time_span, counts, kept)
            key = src.source_id.split(":")[0]
            per_src[key] = per_src[key] + r if key in per_src else r
            rates += r
    else:
        rates = groups.group_rates(sources, cmaker, group, time_span, counts, kept)
        if by_src:
            per_src[sources[0].source_id.split(":")[0]] = rates
    ctxs_by_src: dict = {}
    for sid, n in counts.items():
        base = sid.split(":")[0]
        ctxs_by_src[base] = ctxs_by_src.get(base, 0) + n
    return (rates, per_src, sum(counts.values()), time.time() - t0, ctxs_by_src,
            kept or [])


def split_sources(sources: list, max_tasks: int = MAX_TASKS_PER_GROUP,
                  ps_grid_spacing: float = 0.0, prefix: str = "cps",
                  split_points: bool = True) -> list:
    """The sources of a group as (source, weight) pairs ready to be blocked into
    tasks: area and multi-point sources become their point sources (collapsed on a
    grid of ``ps_grid_spacing`` km when given, see :mod:`oqcore.hazard.source.collapse`),
    and simple and complex faults heavier than half a task (of ``max_tasks`` for the
    group) become pieces of consecutive magnitude bins, so that one big fault does not
    keep one core busy while the other idles (weights: see :func:`source_weight`).

    :param split_points: False (job parameter ``split_sources = false``): area and
        multi-point sources stay whole, weighed by all their points, and no grid is
        made (their contexts then keep every rupture, see
        :func:`oqcore.hazard.source.ruptures.point_contexts`)"""
    from oqcore.hazard.source import fault_ruptures as fr
    from oqcore.hazard.source.collapse import grid_point_sources
    from oqcore.hazard.source.typology import ComplexFaultSource, SimpleFaultSource
    if ps_grid_spacing and split_points:
        expanded = []
        for src in sources:
            points = point_sources_of(src)
            expanded.extend([src] if points is None else points)
        sources = grid_point_sources(expanded, ps_grid_spacing, prefix)
    items, faults = [], []
    for src in sources:
        points = point_sources_of(src)  # area and multi-point sources
        if points is not None and split_points:
            items.extend((p, source_weight(p)) for p in points)
        elif points is not None:
            items.append((src, sum(source_weight(p) for p in points)))
        elif isinstance(src, (SimpleFaultSource, ComplexFaultSource)):
            counts = fr.floating_rupture_counts(src)
            faults.append(len(items))
            items.append((src, counts))
        else:
            items.append((src, source_weight(src)))
    total = sum(float(np.sum(w)) for _, w in items)
    half_task = max(total / (2 * max_tasks), 1.0)
    out = []
    for i, (src, w) in enumerate(items):
        if i in faults:
            out.extend(fr.split_fault_source(src, w, half_task))
        else:
            out.append((src, w))
    return out


def source_weight(src) -> float:
    """A rough cost of a source, its number of ruptures: magnitude bins times nodal
    planes times hypocentral depths for point sources, magnitude bins times 20 for
    other sources without nodal planes (simple and complex faults are weighed by
    their floating ruptures in :func:`split_sources`)."""
    num_mags = len(src.mfd.get_annual_occurrence_rates())
    num_planes = len(getattr(src, "nodal_planes", [1]))
    num_depths = len(getattr(src, "hypo_depths", [1]))
    fault_factor = 1 if hasattr(src, "nodal_planes") else 20
    return num_mags * num_planes * num_depths * fault_factor


def make_blocks(sources: list, max_blocks: int, weights=None) -> list[list]:
    """Split sources into at most ``max_blocks`` lists of similar weight, keeping order.

    :param weights: the sources' weights (default :func:`source_weight`)
    """
    if not sources:
        return []
    if weights is None:
        weights = [source_weight(s) for s in sources]
    weights = np.asarray(weights, float)
    nblocks = max(1, min(max_blocks, len(sources)))
    target = weights.sum() / nblocks
    blocks, current, acc = [], [], 0.0
    for src, w in zip(sources, weights):
        current.append(src)
        acc += w
        if acc >= target and len(blocks) < nblocks - 1:
            blocks.append(current)
            current, acc = [], 0.0
    if current:
        blocks.append(current)
    return blocks


def weighted_blocks(items: list, max_blocks: int) -> list[tuple[list, float]]:
    """Blocks of (source, weight) items (:func:`make_blocks`) with their weights."""
    if not items:
        return []
    srcs, weights = zip(*items)
    wmap = {id(s): w for s, w in items}
    return [(b, float(sum(wmap[id(s)] for s in b)))
            for b in make_blocks(list(srcs), max_blocks, weights)]


class ClassicalCalculator(BaseCalculator):
    """Classical PSHA (see the module docstring)."""

    #: keep the rupture contexts (with closest points) and their GSIM ln-means and
    #: stddevs in ``self.contexts`` [{trt: [(ctx, mean_stds, source_id or None)]} per
    #: source model]
    keep_contexts = False

    @staticmethod
    def read_inputs(oq, registry):
        """Read and check the logic trees, source models and sites of a job.

        :returns: (HazardModel, SiteCollection); InvalidInput with file, line and
            reason for bad inputs
        """
        for name in ("intensity_measure_types_and_levels", "investigation_time",
                     "maximum_distance"):
            if getattr(oq, name) in (None, {}):
                raise InvalidInput("classical needs %s" % name, param=name)
        if "amplification" in oq.inputs and oq.calculation_mode not in ("classical",
                                                                         "preclassical"):
            site_amplification.refuse(oq, oq.calculation_mode)
        hmodel = read_hazard_model(oq, registry)
        gsims = [g for gs in hmodel.gsims_by_trt().values() for g in gs]
        exempt = zero_weight_imts(hmodel.gslt, oq.imt_objects)
        # sites defined by a site model keep its order, as in OpenQuake's classical
        # outputs (classical/case_11, case_22, case_37, logictree/case_23)
        sitecol = build_site_collection(oq, gsim_site_params(gsims, oq.imt_objects, exempt),
                                        site_model_order=True)
        if "amplification" in oq.inputs:
            site_amplification.read_job_amplification(oq, sitecol, gsims)
        return hmodel, sitecol

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        """Pre-flight check by the runner: bad inputs fail before any job is created."""
        cls.read_inputs(oq, registry)

    def pre_execute(self) -> None:
        oq = self.oq
        self.hmodel, self.sitecol = self.read_inputs(oq, self.job.registry)
        #: (AmplificationTable, (N,) site classes) of amplification_csv, or None
        self.amplification = None
        if "amplification" in oq.inputs and oq.calculation_mode == "classical":
            self.amplification = site_amplification.read_job_amplification(
                oq, self.sitecol, [g for gs in self.hmodel.gsims_by_trt().values()
                                   for g in gs])
        self.save_sitecol(self.sitecol)
        self.save_logic_tree()
        self.log.info("%d sites, %d realizations, %d levels", len(self.sitecol),
                      len(self.hmodel.realizations), len(oq.imts) * oq.L1)

    def save_logic_tree(self) -> None:
        """Store realizations (rlz_id, branch_path, weight), weights and full_lt."""
        rlzs = self.hmodel.realizations
        paths = [r.branch_path for r in rlzs]
        n = max(len(p) for p in paths)
        arr = np.zeros(len(rlzs), [("rlz_id", np.uint32), ("branch_path", "S%d" % n),
                                   ("weight", np.float32)])
        arr["rlz_id"] = [r.ordinal for r in rlzs]
        arr["branch_path"] = [p.encode() for p in paths]
        arr["weight"] = [r.weight for r in rlzs]
        self.datastore["realizations"] = arr
        self.datastore["weights"] = np.array([r.weight for r in rlzs])
        gsims = {trt: [str(g) for g in gs] for trt, gs in self.hmodel.gsims_by_trt().items()}
        self.datastore.save_json("full_lt", {
            "trts": self.hmodel.trts, "gsims_by_trt": gsims,
            "num_samples": self.oq.number_of_logic_tree_samples,
            "seed": self.oq.random_seed,
            "source_model_lt": [[bs.bs_id, bs.utype, [[b.branch_id, b.text, b.weight]
                                                      for b in bs.branches]]
                                for bs in self.hmodel.smlt.branchsets],
            "gsim_lt": [[bs.apply_to_trt, [[b.branch_id, b.text, b.weight]
                                           for b in bs.branches]]
                        for bs in self.hmodel.gslt.branchsets],
        }, "FullLogicTree")

    def execute(self):
        oq = self.oq
        gsims_by_trt = self.hmodel.gsims_by_trt()
        N, M, L1 = len(self.sitecol), len(oq.imts), oq.L1
        by_src = bool(oq.disagg_by_src)
        self.rates_by_sm = [{} for _ in self.hmodel.source_models]  # {trt: (G, N, M*L1)}
        self.src_rates = [{} for _ in self.hmodel.source_models]    # {src_id: (trt, rates)}
        # every task of every source model and TRT is submitted at once (no barrier
        # between groups); results are summed in task order, whatever the worker count
        slots, args, weights = [], [], []
        for i, sm in enumerate(self.hmodel.source_models):
            for trt, sources in sm.sources_by_trt.items():
                cmaker = ContextMaker(trt, gsims_by_trt[trt], oq, self.sitecol,
                                      closest=self.keep_contexts)
                if self.amplification and oq.amplification_method == "kernel":
                    cmaker.amplifier = site_amplification.KernelAmplifier(
                        *self.amplification, list(oq.imtls), cmaker.loglevels,
                        oq.truncation_level)
                self.rates_by_sm[i][trt] = cmaker.empty_rates()
                sources = equivalent_distance_sources(sources, trt, oq)
                plain, special = groups.split_special(sources)
                splits = split_sources(plain, ps_grid_spacing=oq.ps_grid_spacing,
                                       prefix="cps-%03d" % len(slots),
                                       split_points=cmaker.split_sources)
                for block, w in weighted_blocks(splits, MAX_TASKS_PER_GROUP):
                    slots.append((i, trt))
                    args.append((block, cmaker, by_src, self.keep_contexts))
                    weights.append(w)
                for group, srcs in special:
                    slots.append((i, trt))
                    args.append((srcs, cmaker, by_src, self.keep_contexts, group,
                                 oq.investigation_time))
                    weights.append(sum(source_weight(src) for src in srcs))
        # heaviest tasks first, so that the last ones to finish are short (the order
        # depends on the inputs only: results are summed in this order)
        order = sorted(range(len(args)), key=lambda k: -weights[k])
        slots = [slots[k] for k in order]
        args = [args[k] for k in order]
        info: dict = {}
        self.ctxs_by_src: dict = {}
        self.contexts = [{} for _ in self.hmodel.source_models]
        for (i, trt), (rates, psrc, nctx, dt, nsrc, kept) in zip(
                slots, self.map(classical_task, args)):
            for sid, n in nsrc.items():
                self.ctxs_by_src[sid] = self.ctxs_by_src.get(sid, 0) + n
            self.rates_by_sm[i][trt] += rates
            self.contexts[i].setdefault(trt, []).extend(kept)
            per_src = self.src_rates[i]
            for sid, r in psrc.items():
                per_src[sid] = (trt, per_src[sid][1] + r) if sid in per_src else (trt, r)
            acc = info.setdefault(trt, [0, 0.0])
            acc[0] += nctx
            acc[1] += dt
        for trt, (nctx, dt) in info.items():
            self.log.info("%s: %d contexts in %.1f s of task time", trt, nctx, dt)
        return N, M, L1

    def rlz_rates(self) -> np.ndarray:
        """Annual exceedance rates per realization, (R, N, M*L1)."""
        rlzs = self.hmodel.realizations
        gsims_by_trt = self.hmodel.gsims_by_trt()
        N = len(self.sitecol)
        L = len(self.oq.imts) * self.oq.L1
        out = np.zeros((len(rlzs), N, L))
        sm_of = {}
        for i, sm in enumerate(self.hmodel.source_models):
            for r in sm.rlzs:
                sm_of[r] = i
        for rlz in rlzs:
            rates = self.rates_by_sm[sm_of[rlz.ordinal]]
            for trt, gsim in rlz.gsim_by_trt().items():
                if trt in rates:
                    g = gsims_by_trt[trt].index(gsim)
                    out[rlz.ordinal] += rates[trt][g]
        return out

    def imt_weights(self) -> np.ndarray:
        """Realization weights per IMT, (M, R) (IMT-dependent GSIM weights)."""
        rlzs = self.hmodel.realizations
        return np.array([[r.weight_for(imt) for r in rlzs] for imt in self.oq.imts])

    def post_execute(self, result) -> None:
        """Hazard curves (``hcurves-rlzs`` (N, R, M, L1) and/or ``hcurves-stats``
        (N, S, M, L1)), the hazard maps at ``poes`` of each (``hmaps-*``, (N, ., M, P)),
        ``hcurves-info``, ``mean_rates_by_src`` (with ``disagg_by_src``), ``source_info``."""
        N, M, L1 = result
        oq = self.oq
        T = oq.investigation_time
        rates = self.rlz_rates().reshape(-1, N, M, L1)  # (R, N, M, L1)
        R = len(rates)
        poes = rates_to_poes(rates, T)
        imtls = self.curve_imtls()
        if self.amplification and oq.amplification_method == "convolution":
            poes = site_amplification.amplify_curves(
                *self.amplification, oq.imtls, oq.soil_intensities, poes)
            L1 = poes.shape[-1]
            with np.errstate(divide="ignore"):  # the rates of the soil PoEs
                rates = -np.log1p(-np.minimum(poes, 1.0)) / T
        stats = oq.statistics
        curves = {}  # "rlzs"/"stats" -> (axis name, labels, (N, ., M, L1) PoEs)
        if R == 1 or oq.individual_rlzs or not stats:
            curves["rlzs"] = ("rlz_id", R, poes.transpose(1, 0, 2, 3))
        elif poes.size <= MAX_PRIVATE_CURVES:
            # kept for the risk jobs on this one (classical_risk/damage use every
            # realization), but not an output
            self.datastore["_hcurves-rlzs"] = poes.transpose(1, 0, 2, 3)
        if stats:
            imt_weights = self.imt_weights()  # (M, R)
            stat_curves = np.zeros((len(stats), N, M, L1))
            for m in range(M):
                if oq.use_rates:  # statistics of the rates, then PoEs
                    stat_curves[:, :, m] = rates_to_poes(
                        compute_stats(rates[:, :, m], stats, imt_weights[m]), T)
                else:
                    stat_curves[:, :, m] = compute_stats(poes[:, :, m], stats,
                                                         imt_weights[m])
            curves["stats"] = ("stat", stats, stat_curves.transpose(1, 0, 2, 3))
        ds = self.datastore
        imts = list(oq.imts)
        for kind, (axis, labels, hcurves) in curves.items():
            ds.save_labelled("hcurves-" + kind, hcurves,
                             **{"site_id": N, axis: labels, "imt": imts, "lvl": L1})
            if oq.poes:
                ds.save_labelled("hmaps-" + kind, self.hazard_maps(hcurves),
                                 **{"site_id": N, axis: labels, "imt": imts,
                                    "poe": list(oq.poes)})
        ds.save_json("hcurves-info", {"imtls": imtls, "investigation_time": T,
                                      "stats": stats, "num_rlzs": R})
        if oq.disagg_by_src:
            self.save_rates_by_src()
        self.save_source_info()

    def curve_imtls(self) -> dict:
        """IMT -> levels of the stored hazard curves (the soil intensities of curves
        amplified by convolution, else the job's levels)."""
        oq = self.oq
        return site_amplification.curve_levels(oq.imtls, oq.inputs, oq.amplification_method,
                                               oq.soil_intensities)

    def hazard_maps(self, hcurves: np.ndarray) -> np.ndarray:
        """The IMLs at the job's ``poes`` of hazard curves (N, K, M, L1) -> (N, K, M, P)."""
        N, K, M, _ = hcurves.shape
        out = np.zeros((N, K, M, len(self.oq.poes)))
        imtls = self.curve_imtls()
        for m, imt in enumerate(self.oq.imts):
            for k in range(K):
                out[:, k, m] = hazard_maps(hcurves[:, k, m], imtls[imt], self.oq.poes)
        return out

    def save_rates_by_src(self) -> None:
        """mean_rates_by_src: (N, M, L1, Nsrc) mean annual rates of exceedance per source,
        weighted by the realizations' default weights, as OpenQuake does even when GSIM
        weights depend on the IMT (the curve statistics use the IMT-dependent weights;
        tests/plugins/test_mean_rates_by_src.py checks both against OpenQuake)."""
        oq = self.oq
        gsims_by_trt = self.hmodel.gsims_by_trt()
        src_ids = sorted({s for per in self.src_rates for s in per})
        N, M, L1 = len(self.sitecol), len(oq.imts), oq.L1
        out = np.zeros((N, M * L1, len(src_ids)))
        sm_of = {r: i for i, sm in enumerate(self.hmodel.source_models) for r in sm.rlzs}
        for rlz in self.hmodel.realizations:
            per = self.src_rates[sm_of[rlz.ordinal]]
            g_of = rlz.gsim_by_trt()
            for j, sid in enumerate(src_ids):
                if sid in per:
                    trt, r = per[sid]
                    g = gsims_by_trt[trt].index(g_of[trt])
                    out[:, :, j] += rlz.weight * r[g]
        self.datastore.save_labelled("mean_rates_by_src", out.reshape(N, M, L1, -1),
                                     site_id=N, imt=list(oq.imts), lvl=L1, src_id=src_ids)

    def save_source_info(self) -> None:
        """source_info: source_id, code, trt, num_ctxs (rupture-site contexts within
        the integration distance), num_ruptures (first source model)."""
        rows = []
        ctxs = getattr(self, "ctxs_by_src", {})
        for sm in self.hmodel.source_models[:1]:
            for trt, srcs in sm.sources_by_trt.items():
                for s in srcs:  # every rupture counts, as in OpenQuake's source_info
                    rows.append((s.source_id, s.CODE, trt, ctxs.get(s.source_id, 0),
                                 count_ruptures(s)))
        if rows:
            self.datastore.save_table("source_info", {
                "source_id": np.array([r[0] for r in rows], dtype=object),
                "code": np.array([r[1] for r in rows], dtype=object),
                "trt": np.array([r[2] for r in rows], dtype=object),
                "num_ctxs": np.array([r[3] for r in rows], np.uint64),
                "num_ruptures": np.array([r[4] for r in rows], np.uint32)})


def count_ruptures(src, min_mag: float = 0.0) -> int:
    """The ruptures a source generates with magnitude >= ``min_mag``: magnitudes x
    nodal planes x hypocentral depths for point sources (and each point of an area),
    the floating positions of each magnitude for simple/complex faults, one per
    magnitude for characteristic faults; multi-point sources count the ruptures
    of their points."""
    from oqcore.hazard.source import fault_ruptures as fr
    from oqcore.hazard.source.ruptures import mag_rates
    from oqcore.hazard.source.typology import (CharacteristicFaultSource,
                                               ComplexFaultSource, PointSource,
                                               SimpleFaultSource)
    points = point_sources_of(src)
    if points is not None:
        return sum(count_ruptures(p, min_mag) for p in points)
    if hasattr(src, "probs_occur"):  # non-parametric, multi-fault: explicit ruptures
        return len(src.probs_occur)
    if src.CODE == "K":
        from oqcore.hazard.source.kite_fault import count_kite_ruptures
        return count_kite_ruptures(src, min_mag)
    mags, _ = mag_rates(src, min_mag)
    if isinstance(src, PointSource):
        return len(mags) * len(src.nodal_planes) * len(src.hypo_depths)
    if isinstance(src, CharacteristicFaultSource):
        return len(mags)
    if isinstance(src, (SimpleFaultSource, ComplexFaultSource)):
        simple = isinstance(src, SimpleFaultSource)
        surface = fr.simple_fault_surface(src) if simple else fr.complex_fault_surface(src)
        mesh = surface.mesh
        cells = None if simple else mesh.get_cell_dimensions()
        total = 0
        for mag in mags:
            area = src.msr.get_median_area(mag, src.rake)
            rset = (fr.simple_fault_rupture_set(src, mesh, area, mag) if simple else
                    fr.complex_fault_rupture_set(src, mesh, area, cells, mag))
            total += len(rset)
        return total
    return 0


@hookimpl
def oq_register_calculators(registry):
    """Register the classical calculator."""
    registry.add_calculator(CalculatorSpec(
        "classical", ClassicalCalculator, "Classical PSHA: hazard curves, maps, UHS",
        check_inputs=ClassicalCalculator.check_inputs))
