"""Risk calculators on classical hazard curves: ``classical_risk`` (loss curves, average
losses, loss maps), ``classical_damage`` (damage distributions) and ``classical_bcr``
(benefit/cost ratio of retrofitting).

Hazard curves come from a ``hazard_curves_file`` (CSV), from the parent classical job
(``--hc``: ``hcurves-rlzs`` when stored, else the mean curves), or from the classical
calculator run first in this job.

Datasets: ``avg_losses-rlzs/<lt>`` (A, R) (+ ``-stats``), ``loss_curves-rlzs/<lt>``
(A, R, 2, Q) losses and PoEs, ``loss_maps-rlzs`` (A, R) fields ``<lt>-poe-<p>``,
``damages-rlzs`` (A, R), ``bcr-rlzs`` (A, R) fields ``<lt>-annual_loss_orig``,
``<lt>-annual_loss_retro``, ``<lt>-bcr``.
"""
from __future__ import annotations

import json

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput
from oqcore.hazard.site import SiteCollection, with_custom_site_ids
from oqcore.hazard.stats import compute_stats, record_stats
from oqcore.registry import CalculatorSpec
from oqcore.risk import classical as C
from oqcore.hazard.site import geohash
from oqcore.risk.hazard_input import read_hazard_curves_csv
from oqcore.risk.model import loss_type_value, read_risk_model
from oqplugins.calculators.risk import GmfRiskCalculator


class HazardCurves:
    """PoEs (N, R, M, L1) at ``imtls`` in ``investigation_time`` years, with weights."""

    def __init__(self, poes, imtls: dict, investigation_time: float, weights):
        self.poes = poes
        self.imtls = imtls
        self.investigation_time = investigation_time
        self.weights = np.asarray(weights, float)

    def curve(self, sid: int, rlz: int, imt: str) -> tuple[np.ndarray, np.ndarray]:
        """(IMLs, PoEs) of one site, realization and IMT."""
        if imt not in self.imtls:
            raise InvalidInput("the risk model needs %s but the hazard curves have %s" % (
                imt, ", ".join(self.imtls)))
        m = list(self.imtls).index(imt)
        return np.asarray(self.imtls[imt], float), self.poes[sid, rlz, m]


class ClassicalRiskCalculator(GmfRiskCalculator):
    """Loss curves, average losses and loss maps from hazard curves."""
    hazard_mode = "classical"

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        super().check_inputs(oq, registry)
        fnames = oq.inputs.get("hazard_curves") or []
        for fname in [fnames] if isinstance(fnames, str) else fnames:
            read_hazard_curves_csv(fname)
        if cls is ClassicalBcrCalculator:
            read_risk_model(oq, "vulnerability_retrofitted")

    def read_hazard(self):
        """(SiteCollection, HazardCurves) from the file, the parent or this job."""
        oq, ds = self.oq, self.datastore
        if "hazard_curves" in oq.inputs:
            fnames = oq.inputs["hazard_curves"]
            fnames = [fnames] if isinstance(fnames, str) else fnames
            data = [read_hazard_curves_csv(f) for f in fnames]
            lons, lats = np.round(data[0]["lons"], 5), np.round(data[0]["lats"], 5)
            for d, f in zip(data[1:], fnames[1:]):
                if len(d["lons"]) != len(lons) or np.any(np.round(d["lons"], 5) != lons):
                    raise InvalidInput("the sites differ from those of the first file",
                                       fname=f)
            cids = np.array([geohash(a, b).encode() for a, b in zip(lons, lats)])
            sitecol = SiteCollection.from_points(lons, lats, None, {"custom_site_id": cids},
                                                 sort=False)
            L1 = max(len(d["imls"]) for d in data)
            poes = np.zeros((len(lons), 1, len(data), L1))
            imtls = {}
            for m, d in enumerate(data):
                poes[:, 0, m, :len(d["imls"])] = d["poes"]
                imtls[d["imt"]] = list(d["imls"])
            T = data[0]["investigation_time"] or oq.investigation_time
            if not T:
                raise InvalidInput("the hazard curves need an investigation_time",
                                   param="investigation_time")
            self.save_sitecol(sitecol)
            ds["weights"] = np.ones(1)
            return sitecol, HazardCurves(poes, imtls, T, [1.0])
        if "hcurves-rlzs" not in ds and "hcurves-stats" not in ds:
            self.run_hazard()
            # the sites of a risk job are named (as in GMF-based jobs) by their geohash
            self.save_sitecol(with_custom_site_ids(SiteCollection(ds["sitecol"][()])))
        info = ds.read_json("hcurves-info")
        key = "hcurves-rlzs" if "hcurves-rlzs" in ds else "_hcurves-rlzs"
        if key in ds:
            poes = ds[key][()]
            weights = ds["weights"][()]
            self.copy_parent_realizations()
        else:
            stats = info.get("stats") or []
            if "mean" not in stats:
                raise InvalidInput("the hazard calculation stored neither per-realization "
                                   "nor mean curves", param="hazard_calculation_id")
            poes = ds["hcurves-stats"][()][:, [stats.index("mean")]]
            weights = [1.0]
            self.log.warning("using the mean hazard curves (the realizations were not "
                             "stored: set individual_rlzs in the hazard job)")
        if "hcurves-rlzs" not in ds.hdf5 and "weights" not in ds.hdf5:
            ds["weights"] = np.asarray(weights, float)
        return (SiteCollection(ds["sitecol"][()]),
                HazardCurves(poes, info["imtls"], info["investigation_time"], weights))

    def run_hazard(self) -> None:
        """The classical hazard of this job, at the IMTs and levels of the job or, when
        the job gives none, at the IMLs of its risk functions."""
        oq = self.oq
        if not oq.intensity_measure_types_and_levels:
            levels: dict = {}
            for fs in self.crm.functions.values():
                for f in fs.values():
                    if f.imls is None:
                        raise InvalidInput("continuous fragility functions need "
                                           "intensity_measure_types_and_levels",
                                           param="intensity_measure_types_and_levels")
                    levels.setdefault(f.imt, set()).update(float(x) for x in f.imls)
            L1 = max(len(v) for v in levels.values())
            # every IMT needs the same number of levels: resample the others
            oq.intensity_measure_types_and_levels = {
                imt: sorted(v) if len(v) == L1 else list(np.geomspace(
                    max(min(v), 1e-10), max(v), L1)) for imt, v in levels.items()}
        super().run_hazard()

    def num_rlzs(self) -> int:
        return len(self.gmfs.weights)

    def pre_execute(self) -> None:
        super().pre_execute()
        self.hcurves = self.gmfs

    #: classical_risk curves use strictly increasing functions and one loss ratio grid
    #: length per loss type (classical_bcr the functions as given)
    increasing_functions = True

    def curve_functions(self, lt: str) -> dict:
        """{risk ID: (function, loss ratios (Q,))} of the risk IDs of the assets for a
        loss type: with :attr:`increasing_functions`, the functions without their flat
        parts and, when the loss ratio grids of the risk IDs differ in length, the
        longest grid (the last in risk ID order) for all."""
        steps = self.oq.lrem_steps_per_interval
        taxos = self.exposure.tagcol["taxonomy"]
        rids = sorted({rid for t in np.unique(self.assets["taxonomy"])
                       for rid, _ in self.crm.mapping(taxos[t])})
        out = {}
        for rid in rids:
            vf = self.crm.functions[lt][rid]
            if self.increasing_functions:
                vf = C.strictly_increasing(vf)
            out[rid] = (vf, C.loss_ratio_grid(vf, steps))
        if self.increasing_functions and len({len(g) for _, g in out.values()}) > 1:
            longest = sorted((g for _, g in out.values()), key=len)[-1]
            out = {rid: (vf, longest) for rid, (vf, _) in out.items()}
        return out

    def execute(self):
        oq = self.oq
        hc = self.hcurves
        A, R, L = len(self.assets), self.num_rlzs(), len(self.loss_types)
        avg = np.zeros((L, A, R))
        curves: list = [[[None] * R for _ in range(A)] for _ in range(L)]
        rt = oq.risk_investigation_time or hc.investigation_time
        taxos = self.exposure.tagcol["taxonomy"]
        for li, lt in enumerate(self.loss_types):
            values = loss_type_value(self.assets, lt, oq.time_event)
            funcs = self.curve_functions(lt)
            for a in range(A):
                sid = int(self.assets["site_id"][a])
                mapping = self.crm.mapping(taxos[self.assets["taxonomy"][a]])
                for r in range(R):
                    for j, (rid, w) in enumerate(mapping):
                        vf, grid = funcs[rid]
                        imls, poes = hc.curve(sid, r, vf.imt)
                        lrs, lpoes = C.loss_curve_ratios(
                            vf, imls, poes, oq.lrem_steps_per_interval,
                            hc.investigation_time, rt, grid)
                        losses = lrs * values[a]
                        avg[li, a, r] += w * C.average_loss(losses, lpoes)
                        if j == 0:
                            curves[li][a][r] = (losses, lpoes)
        return avg, None, curves

    def post_execute(self, result) -> None:
        """Statistics always (the mean of a single realization is that realization);
        the realizations only when there are several. Loss maps are read on the loss
        curves (of each realization, and the statistical curves)."""
        avg, _maps, curves = result
        ds = self.datastore
        R = self.num_rlzs()
        stats = self.oq.statistics or ["mean"]
        w = self.hcurves.weights
        for li, lt in enumerate(self.loss_types):
            Q = max(len(c[0]) for row in curves[li] for c in row)
            arr = np.zeros((len(self.assets), R, 2, Q))
            for a, row in enumerate(curves[li]):
                for r, (losses, lpoes) in enumerate(row):
                    arr[a, r, 0] = np.pad(losses, (0, Q - len(losses)), mode="edge")
                    arr[a, r, 1] = np.pad(lpoes, (0, Q - len(lpoes)), mode="edge")
            st = np.zeros((len(self.assets), len(stats), 2, Q))
            st[:, :, 0] = arr[:, :1, 0]  # the losses of the first realization
            st[:, :, 1] = compute_stats(arr[:, :, 1].transpose(1, 0, 2), stats,
                                        w).transpose(1, 0, 2)
            # single precision, as OpenQuake stores (and reads the loss maps on) them
            ds["loss_curves-stats/" + lt] = st.astype(np.float32)
            ds["avg_losses-stats/" + lt] = compute_stats(avg[li].T, stats, w).T.astype(
                np.float32)
            if R > 1:
                ds["loss_curves-rlzs/" + lt] = arr.astype(np.float32)
                ds["avg_losses-rlzs/" + lt] = avg[li].astype(np.float32)
        poes_maps = list(self.oq.conditional_loss_poes or [])
        if poes_maps:
            ds["loss_maps-stats"] = self.loss_maps("loss_curves-stats")
            if R > 1:
                ds["loss_maps-rlzs"] = self.loss_maps("loss_curves-rlzs")

    def loss_maps(self, curves_key: str) -> np.ndarray:
        """Loss maps (A, R or S) with fields ``<loss type>~poe-<p>``: the losses with
        probability p of being exceeded on the stored loss curves (A, R or S, 2, Q)."""
        ds = self.datastore
        poes_maps = list(self.oq.conditional_loss_poes)
        dt = [("%s~poe-%s" % (lt, p), np.float32) for lt in self.loss_types
              for p in poes_maps]
        out = None
        for lt in self.loss_types:
            arr = ds["%s/%s" % (curves_key, lt)][()]
            if out is None:
                out = np.zeros(arr.shape[:2], dt)
            for p in poes_maps:
                out["%s~poe-%s" % (lt, p)] = [[C.conditional_loss(c[0], c[1], p)
                                               for c in row] for row in arr]
        return out


class ClassicalDamageCalculator(ClassicalRiskCalculator):
    """Damage distributions (and consequences) from hazard curves."""
    kind = "fragility"

    def execute(self):
        oq = self.oq
        hc = self.hcurves
        A, R = len(self.assets), self.num_rlzs()
        D = len(self.crm.limit_states)
        cnames = sorted({c for c, _ in self.crm.consequences})
        names = ["no_damage"] + list(self.crm.limit_states) + cnames
        dt = [("%s-%s" % (lt, n), np.float32) for lt in self.loss_types for n in names]
        out = np.zeros((A, R), dt)
        rt = oq.risk_investigation_time or hc.investigation_time
        steps = oq.steps_per_interval or 1
        for li, lt in enumerate(self.loss_types):
            values = loss_type_value(self.assets, lt, oq.time_event) \
                if "losses" in cnames else None
            for a in range(A):
                sid = int(self.assets["site_id"][a])
                taxo = self.exposure.tagcol["taxonomy"][self.assets["taxonomy"][a]]
                number = self.assets["number"][a]
                for r in range(R):
                    probs = np.zeros(D + 1)
                    csq = np.zeros(len(cnames))
                    for rid, w in self.crm.mapping(taxo):
                        ff = self.crm.functions[lt][rid]
                        imls, poes = hc.curve(sid, r, ff.imt)
                        p = C.damage_probabilities(ff, imls, poes, hc.investigation_time,
                                                   rt, steps)
                        probs += w * p
                        for c, cname in enumerate(cnames):
                            ratios = self.crm.consequences.get((cname, lt), {}).get(rid)
                            if ratios is not None:
                                base = values[a] if cname == "losses" else number
                                csq[c] += w * float(ratios @ p[1:]) * base
                    for d, n in enumerate(names[:D + 1]):
                        out["%s-%s" % (lt, n)][a, r] = probs[d] * number
                    for c, n in enumerate(cnames):
                        out["%s-%s" % (lt, n)][a, r] = csq[c]
        return out

    def post_execute(self, out) -> None:
        ds = self.datastore
        ds["damages-rlzs"] = out
        ds.hdf5["damages-rlzs"].attrs["json"] = json.dumps(
            {"shape_descr": ["asset_id", "rlz_id"], "asset_id": out.shape[0],
             "rlz_id": out.shape[1]})
        if out.shape[1] > 1 and self.oq.statistics:
            ds["damages-stats"] = record_stats(out, self.oq.statistics, self.hcurves.weights)


class ClassicalBcrCalculator(ClassicalRiskCalculator):
    """Benefit/cost ratio of retrofitting, from the average annual losses with the
    original and the retrofitted vulnerability."""
    increasing_functions = False

    def pre_execute(self) -> None:
        super().pre_execute()
        oq = self.oq
        for name in ("interest_rate", "asset_life_expectancy"):
            if getattr(oq, name, None) is None:
                raise InvalidInput("classical_bcr needs %s" % name, param=name)
        self.retro = read_risk_model(oq, "vulnerability_retrofitted")
        self.retro.check_taxonomies(self.exposure.tagcol["taxonomy"][1:])
        if "retrofitted" not in self.assets.dtype.names:
            raise InvalidInput("classical_bcr needs the retrofitting cost of each asset "
                               "(attribute retrofitted of its <cost>)",
                               param="exposure_file")

    def execute(self):
        oq = self.oq
        orig, _maps, _curves = super().execute()
        crm = self.crm
        self.crm = self.retro
        try:
            retro, _m, _c = super().execute()
        finally:
            self.crm = crm
        A, R = orig.shape[1:]
        # annual losses: the curves are in risk_investigation_time, 1 year by default
        scale = 1.0 / (oq.risk_investigation_time or 1.0) if oq.risk_investigation_time \
            else 1.0
        dt = [("%s-%s" % (lt, n), np.float32) for lt in self.loss_types
              for n in ("annual_loss_orig", "annual_loss_retro", "bcr")]
        out = np.zeros((A, R), dt)
        cost = self.assets["retrofitted"]
        for li, lt in enumerate(self.loss_types):
            out[lt + "-annual_loss_orig"] = orig[li] * scale
            out[lt + "-annual_loss_retro"] = retro[li] * scale
            out[lt + "-bcr"] = C.bcr(orig[li] * scale, retro[li] * scale, oq.interest_rate,
                                     oq.asset_life_expectancy, cost[:, None])
        return out

    def post_execute(self, out) -> None:
        ds = self.datastore
        ds["bcr-rlzs"] = out
        if out.shape[1] > 1 and self.oq.statistics:
            ds["bcr-stats"] = record_stats(out, self.oq.statistics, self.hcurves.weights)


@hookimpl
def oq_register_calculators(registry):
    """Register the risk calculators on hazard curves."""
    for mode, cls, doc in [
            ("classical_risk", ClassicalRiskCalculator,
             "Loss curves, average losses and loss maps from hazard curves"),
            ("classical_damage", ClassicalDamageCalculator,
             "Damage distributions from hazard curves"),
            ("classical_bcr", ClassicalBcrCalculator,
             "Benefit/cost ratio of retrofitting from hazard curves")]:
        registry.add_calculator(CalculatorSpec(mode, cls, doc))
