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
from oqcore.hazard.contexts import ContextMaker, rates_to_poes
from oqcore.hazard.model import gsim_site_params, read_hazard_model
from oqcore.hazard.site import build_site_collection
from oqcore.hazard.source.ruptures import area_to_points, source_contexts
from oqcore.hazard.source.typology import AreaSource
from oqcore.hazard.stats import compute_stats, hazard_maps
from oqcore.registry import CalculatorSpec

#: the most tasks a group of sources is split into (independent of the worker count,
#: so that results do not depend on it)
MAX_TASKS_PER_GROUP = 16


#: contexts are evaluated in batches of about this many rows (GSIM calls amortised)
BATCH_ROWS = 50_000


def classical_task(sources: list, cmaker: ContextMaker, by_src: bool = False):
    """Rates of exceedance of a list of sources of one TRT.

    Contexts are accumulated and evaluated in batches of ~BATCH_ROWS rows (per source
    when ``by_src``), so that each GSIM is called on large arrays.

    :returns: (rates (G, N, M*L1), {source_id: rates} if by_src, number of contexts,
        seconds)
    """
    t0 = time.time()
    rates = cmaker.empty_rates()
    per_src: dict = {}
    nctx = 0
    buffer: list = []
    buffered = 0

    def flush(target):
        nonlocal buffer, buffered
        if buffer:
            cmaker.add_rates(np.concatenate(buffer), target)
        buffer, buffered = [], 0

    for src in sources:
        target = cmaker.empty_rates() if by_src else rates
        for ctx in source_contexts(src, cmaker):
            nctx += len(ctx)
            buffer.append(ctx)
            buffered += len(ctx)
            if buffered >= BATCH_ROWS:
                flush(target)
        if by_src:
            flush(target)
            rates += target
            key = src.source_id.split(":")[0]
            if key in per_src:
                per_src[key] += target
            else:
                per_src[key] = target
    flush(rates)
    return rates, per_src, nctx, time.time() - t0


def split_sources(sources: list) -> list:
    """Area sources become their point sources (so tasks can be balanced)."""
    out = []
    for src in sources:
        if isinstance(src, AreaSource):
            out.extend(area_to_points(src))
        else:
            out.append(src)
    return out


def source_weight(src) -> float:
    """A rough cost of a source: its number of magnitude bins times planes/depths."""
    try:
        nmag = len(src.mfd.get_annual_occurrence_rates())
    except Exception:
        nmag = 1
    nphc = len(getattr(src, "nodal_planes", [1])) * len(getattr(src, "hypo_depths", [1]))
    extra = 1 if hasattr(src, "nodal_planes") else 20
    return nmag * nphc * extra


def make_blocks(sources: list, max_blocks: int) -> list[list]:
    """Split sources into at most ``max_blocks`` lists of similar weight, keeping order."""
    if not sources:
        return []
    weights = np.array([source_weight(s) for s in sources], float)
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


class ClassicalCalculator(BaseCalculator):
    """Classical PSHA (see the module docstring)."""

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
        hmodel = read_hazard_model(oq, registry)
        gsims = [g for gs in hmodel.gsims_by_trt().values() for g in gs]
        return hmodel, build_site_collection(oq, gsim_site_params(gsims, oq.imt_objects))

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        """Pre-flight check by the runner: bad inputs fail before any job is created."""
        cls.read_inputs(oq, registry)

    def pre_execute(self) -> None:
        oq = self.oq
        self.hmodel, self.sitecol = self.read_inputs(oq, self.job.registry)
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
        slots, args = [], []
        for i, sm in enumerate(self.hmodel.source_models):
            for trt, sources in sm.sources_by_trt.items():
                cmaker = ContextMaker(trt, gsims_by_trt[trt], oq, self.sitecol)
                self.rates_by_sm[i][trt] = cmaker.empty_rates()
                for block in make_blocks(split_sources(sources), MAX_TASKS_PER_GROUP):
                    slots.append((i, trt))
                    args.append((block, cmaker, by_src))
        info: dict = {}
        for (i, trt), (rates, psrc, nctx, dt) in zip(slots, self.map(classical_task, args)):
            self.rates_by_sm[i][trt] += rates
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
        N, M, L1 = result
        oq = self.oq
        T = oq.investigation_time
        rates = self.rlz_rates()  # (R, N, M*L1)
        R = len(rates)
        weights = np.array(self.hmodel.weights)
        poes = rates_to_poes(rates, T).reshape(R, N, M, L1)
        stats = oq.statistics
        ds = self.datastore
        imts = list(oq.imts)
        if R == 1 or oq.individual_rlzs or not stats:
            ds.save_labelled("hcurves-rlzs", poes.transpose(1, 0, 2, 3), site_id=N,
                             rlz_id=R, imt=imts, lvl=L1)
        if stats:
            imt_w = self.imt_weights()  # (M, R)
            st = np.zeros((len(stats), N, M, L1))
            for m in range(M):
                if oq.use_rates:
                    r4 = rates.reshape(R, N, M, L1)[:, :, m]
                    st[:, :, m] = rates_to_poes(compute_stats(r4, stats, imt_w[m]), T)
                else:
                    st[:, :, m] = compute_stats(poes[:, :, m], stats, imt_w[m])
            ds.save_labelled("hcurves-stats", st.transpose(1, 0, 2, 3), site_id=N,
                             stat=stats, imt=imts, lvl=L1)
        ds.save_json("hcurves-info", {"imtls": oq.imtls, "investigation_time": T,
                                      "stats": stats, "num_rlzs": R})
        if oq.poes:
            P = len(oq.poes)
            levels = [oq.imtls[imt] for imt in imts]
            if R == 1 or oq.individual_rlzs or not stats:
                hm = np.zeros((N, R, M, P))
                for r in range(R):
                    for m in range(M):
                        hm[:, r, m] = hazard_maps(poes[r, :, m], levels[m], oq.poes)
                ds.save_labelled("hmaps-rlzs", hm, site_id=N, rlz_id=R, imt=imts,
                                 poe=list(oq.poes))
            if stats:
                sc = ds["hcurves-stats"][()]
                hm = np.zeros((N, len(stats), M, P))
                for s in range(len(stats)):
                    for m in range(M):
                        hm[:, s, m] = hazard_maps(sc[:, s, m], levels[m], oq.poes)
                ds.save_labelled("hmaps-stats", hm, site_id=N, stat=stats, imt=imts,
                                 poe=list(oq.poes))
        if oq.disagg_by_src:
            self.save_rates_by_src(weights)
        self.save_source_info()

    def save_rates_by_src(self, weights) -> None:
        """mean_rates_by_src: (N, M, L1, Nsrc) weighted mean annual rates per source."""
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
        """source_info: source_id, code, trt, num_ruptures (first source model)."""
        rows = []
        for sm in self.hmodel.source_models[:1]:
            for trt, srcs in sm.sources_by_trt.items():
                for s in srcs:
                    rows.append((s.source_id, s.CODE, trt))
        if rows:
            self.datastore.save_table("source_info", {
                "source_id": np.array([r[0] for r in rows], dtype=object),
                "code": np.array([r[1] for r in rows], dtype=object),
                "trt": np.array([r[2] for r in rows], dtype=object)})


@hookimpl
def oq_register_calculators(registry):
    """Register the classical calculator."""
    registry.add_calculator(CalculatorSpec(
        "classical", ClassicalCalculator, "Classical PSHA: hazard curves, maps, UHS"))
