"""GMF-based risk calculators: ``scenario_risk``, ``scenario_damage``,
``event_based_risk`` and ``event_based_damage``.

The ground-motion fields come from (first match): a ``gmfs_file`` of the job, the
``gmf_data`` of the parent job (``--hc`` / ``hazard_calculation_id``), or the hazard
calculator of the same mode (``scenario`` / ``event_based``) run first in this job when
it is registered. In every case they are read through
:func:`oqcore.risk.hazard_input.read_gmfs`.

Datasets written (datastore.md 3.5): ``assetcol``, ``exposure``, ``crm``, ``agg_keys``,
``agg_values``, ``events``/``gmf_data`` (GMFs from a file), ``avg_losses-rlzs/<lt>``
(A, R), ``avg_losses-stats/<lt>``, ``risk_by_event``, ``aggrisk``, ``aggcurves`` (event
based), ``avg_losses_by/taxonomy`` (scenario_risk), ``damages-rlzs`` (damage).
"""
from __future__ import annotations

import json

import numpy as np

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.errors import InvalidInput
from oqcore.hazard.site import SiteCollection, hazard_distance
from oqcore.hazard.stats import compute_stats, record_stats
from oqcore.registry import CalculatorSpec
from oqcore.risk import losses as K
from oqcore.risk.amplification import read_amplification
from oqcore.risk.exposure import associate, check_far_assets, inside_region, read_exposure
from oqcore.risk.fragility import damage_fractions
from oqcore.risk.hazard_input import read_gmfs, risk_weights
from oqcore.risk.insurance import POLICY_TAG, read_insurance
from oqcore.risk.model import (LOSS_IDS, loss_type_value, read_risk_model, risk_model_inputs,
                               total_loss_type)

#: (asset, GMF row) pairs processed at once (bounds the memory of a block)
PAIRS_PER_BLOCK = 500_000


def read_exposure_of(oq):
    """The exposure of a job (InvalidInput when the job has none)."""
    if "exposure" not in oq.inputs:
        raise InvalidInput("a risk calculation needs exposure_file (in its job.ini or in "
                           "the job.ini of its hazard calculation)", param="exposure_file")
    return read_exposure(oq.inputs["exposure"], oq.ignore_missing_costs or (), oq.input_root)


def read_covers(oq, exposure, loss_types: list[str]) -> list:
    """The insurance covers of a job (``insurance_csv``), [] without; reinsurance is
    refused."""
    if "reinsurance" in oq.inputs:
        raise InvalidInput("reinsurance_file is not supported", param="reinsurance_file")
    if "insurance" not in oq.inputs:
        return []
    if not isinstance(oq.inputs["insurance"], dict):
        raise InvalidInput("insurance_csv must be a dictionary {loss type: policy file}",
                           param="insurance_csv")
    return read_insurance(oq.inputs["insurance"], exposure.tagcol.get(POLICY_TAG, []),
                          loss_types)


def read_post_loss_amplification(oq):
    """The post-loss amplification of an event-based risk job (None without)."""
    if "post_loss_amplification" not in oq.inputs:
        return None
    if oq.avg_losses:
        raise InvalidInput("set avg_losses = false with post_loss_amplification_file "
                           "(the average losses per asset are not amplified)",
                           param="avg_losses")
    return read_amplification(oq.inputs["post_loss_amplification"])


def build_agg_keys(exposure, assets: np.ndarray, aggregate_by: list) -> tuple[list, np.ndarray]:
    """Aggregation keys: for each ``aggregate_by`` group the combinations of tag values
    present among the assets, in sorted order; groups concatenated.

    :returns: (keys as lists of tag values, agg_ids (A, G) of each asset per group,
        number of keys per group)
    """
    keys: list = []
    counts: list = []
    ids = np.zeros((len(assets), len(aggregate_by)), np.int64)
    for g, tags in enumerate(aggregate_by):
        for t in tags:
            if t not in exposure.tagcol and t not in ("id", "site_id"):
                raise InvalidInput("aggregate_by: %r is not a tag of the exposure (%s) "
                                   "nor id or site_id" % (t, ", ".join(exposure.tagnames)),
                                   param="aggregate_by")
        values = {t: _agg_values(exposure, assets, t) for t in tags}
        combos = np.column_stack([assets[t] if t not in ("id", "site_id") else
                                  np.arange(len(assets)) if t == "id" else
                                  assets["site_id"].astype(np.int64) for t in tags])
        uniq, inv = np.unique(combos, axis=0, return_inverse=True)
        ids[:, g] = len(keys) + inv.ravel()
        for row in uniq:
            keys.append([values[t][i] for t, i in zip(tags, row)])
        counts.append(len(uniq))
    return keys, ids, counts


def _agg_values(exposure, assets: np.ndarray, tag: str) -> list[str]:
    """The values of an aggregation tag by index: the tag's values; for ``id`` the asset
    IDs (one key per asset); for ``site_id`` the hazard site indices."""
    if tag == "id":
        return [a.decode("utf-8") for a in assets["id"]]
    if tag == "site_id":
        return [str(i) for i in range(int(assets["site_id"].max(initial=0)) + 1)]
    return exposure.tagcol[tag]


class GmfRiskCalculator(BaseCalculator):
    """Shared by the four GMF-based risk calculators."""

    kind = "vulnerability"   # or "fragility"
    event_based = False
    hazard_mode = "scenario"
    #: (E, K+1) the (event, aggregation key) rows risk_by_event has even when zero
    event_rows: np.ndarray | None = None

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        """Pre-flight: exposure and risk model are read and cross-checked (a job
        without exposure_file or risk model files takes those of its hazard job:
        checked when it runs)."""
        if "exposure" not in oq.inputs or (oq.hazard_calculation_id is not None
                                           and not risk_model_inputs(oq.inputs)):
            return
        exposure = read_exposure_of(oq)
        crm = read_risk_model(oq, cls.kind)
        crm.check_taxonomies(exposure.tagcol["taxonomy"][1:])
        crm.check_values(exposure.assets, oq.time_event)
        if cls.kind == "vulnerability":
            total_loss_type(oq.total_losses, crm.loss_types)
            read_covers(oq, exposure, crm.loss_types)
        if oq.aggregate_by:
            build_agg_keys(exposure, exposure.assets, oq.aggregate_by)
        if "post_loss_amplification" in oq.inputs:
            read_post_loss_amplification(oq)
        if "gmfs" in oq.inputs:  # a bad GMF file fails before the job exists
            check = registry.calculator("scenario").input_checker()
            check(oq, registry)

    # ------------------------------------------------------------ inputs
    def inherit_from_parent(self) -> None:
        """Time parameters missing in a risk job come from its hazard job (--hc), and so
        do the exposure and the risk model (vulnerability, fragility, consequence files
        and taxonomy mapping, all together) when the risk job gives none."""
        parent = self.datastore.parent
        if parent is None or "oqparam" not in parent:
            return
        pp = parent.read_json("oqparam")
        oq = self.oq
        if oq.investigation_time is None and pp.get("investigation_time"):
            oq.investigation_time = pp["investigation_time"]
        if oq.ses_per_logic_tree_path == 1 and pp.get("ses_per_logic_tree_path"):
            oq.ses_per_logic_tree_path = pp["ses_per_logic_tree_path"]
        if not oq.number_of_logic_tree_samples and pp.get("number_of_logic_tree_samples"):
            oq.number_of_logic_tree_samples = pp["number_of_logic_tree_samples"]
        if not oq.quantiles and pp.get("quantiles"):
            oq.quantiles = list(pp["quantiles"])
        parent_exposure = (pp.get("inputs") or {}).get("exposure")
        if "exposure" not in oq.inputs and parent_exposure:
            # the exposure of the hazard job (checked when that job was created)
            oq.inputs["exposure"] = parent_exposure
        parent_model = risk_model_inputs(pp.get("inputs") or {})
        if parent_model and not risk_model_inputs(oq.inputs):
            # the risk model of the hazard job (checked when that job was created)
            oq.inputs.update(parent_model)
            self.log.info("using the risk model of the hazard calculation: %s",
                          ", ".join(sorted(parent_model)))
        self.datastore.save_json("oqparam", oq.to_dict(), "JobParams")

    def pre_execute(self) -> None:
        oq = self.oq
        self.inherit_from_parent()
        self.exposure = read_exposure_of(oq)
        self.crm = read_risk_model(oq, self.kind)
        self.crm.check_taxonomies(self.exposure.tagcol["taxonomy"][1:])
        self.loss_types = self.crm.loss_types
        self.crm.check_values(self.exposure.assets, oq.time_event)
        self.total = total_loss_type(oq.total_losses, self.loss_types) \
            if self.kind == "vulnerability" else None
        self.covers = read_covers(oq, self.exposure, self.loss_types) \
            if self.kind == "vulnerability" else []
        self.amplify = read_post_loss_amplification(oq) \
            if self.event_based and self.kind == "vulnerability" else None
        if self.covers and self.total:
            self.log.warning("total_losses is ignored with insurance_csv")
            self.total = None
        self.sitecol, self.gmfs = self.read_hazard()
        self.collect_realizations()
        self.assets = self.associate_assets()
        self.agg_keys, self.agg_ids, self.agg_counts = build_agg_keys(self.exposure, self.assets,
                                                     oq.aggregate_by or [])
        self.save_assetcol()
        self.log.info("%d assets on %d sites, %d loss types", len(self.assets),
                      len(self.sitecol), len(self.loss_types))

    def collect_realizations(self) -> None:
        """Event-based risk with sampled realizations (``collect_rlzs``, by default
        when number_of_logic_tree_samples > 1): the events of all the realizations form
        one event set of effective time investigation_time x ses_per_logic_tree_path x
        R; the per-realization outputs are then given for one realization."""
        oq, ds = self.oq, self.datastore
        self.collected = 1
        if not self.event_based:
            return
        R = len(ds["weights"])
        if oq.collect_rlzs is None:
            oq.collect_rlzs = oq.number_of_logic_tree_samples > 1
        w = ds["weights"][()]
        self.event_weights = w[self.gmfs.events["rlz_id"].astype(np.int64)] if len(
            self.gmfs.events) else np.zeros(0)
        if oq.collect_rlzs:
            self.collected = R
            self.gmfs.events = self.gmfs.events.copy()
            self.gmfs.events["rlz_id"] = 0
        ds.save_json("oqparam", oq.to_dict(), "JobParams")
        self.copy_parent_realizations()

    def copy_parent_realizations(self) -> None:
        """The realizations and weights of the parent job, listed with the risk
        outputs."""
        ds = self.datastore
        for key in ("realizations", "weights"):
            if ds.parent is not None and key in ds.parent and key not in ds.hdf5:
                ds[key] = ds.parent[key][()]

    def read_hazard(self):
        """(SiteCollection, Gmfs) from a gmfs_file, the parent job or this job."""
        ds = self.datastore
        keep_gmfs = True
        if "gmf_data" not in ds:
            # the GMFs are the input of the risk: computed even with ground_motion_fields
            # = false, which then only means that they are not kept
            keep_gmfs = self.oq.ground_motion_fields
            self.oq.ground_motion_fields = True
            self.run_hazard()
        elif "amplification" in self.oq.inputs and not self.parent_amplified():
            raise InvalidInput("the ground motion fields of the hazard calculation %d are "
                               "not amplified and are not recomputed here: give "
                               "amplification_csv to the hazard job" % ds.parent.calc_id,
                               param="amplification_csv")
        if "sitecol" not in ds:
            raise InvalidInput("the hazard calculation has no site collection",
                               param="hazard_calculation_id")
        gmfs = read_gmfs(ds)
        if not keep_gmfs:
            del ds.hdf5["gmf_data"]
            self.oq.ground_motion_fields = False
        return SiteCollection(ds["sitecol"][()]), gmfs

    def parent_amplified(self) -> bool:
        """Whether the hazard job (--hc) amplified its GMFs (``amplification_csv``)."""
        parent = self.datastore.parent
        if parent is None or "oqparam" not in parent:
            return False
        return "amplification" in (parent.read_json("oqparam").get("inputs") or {})

    def run_hazard(self) -> None:
        """Compute the GMFs in this job with the hazard calculator of the same family
        (``scenario`` stores the GMFs of a ``gmfs_file``), when it is registered;
        otherwise ask for a gmfs_file or a parent job. Without sites, site model or
        grid, the hazard sites are the asset locations (see
        :func:`oqcore.hazard.site.build_site_collection`)."""
        if self.datastore.parent is not None:
            raise InvalidInput("the hazard calculation %d has no ground motion fields" %
                               self.datastore.parent.calc_id, param="hazard_calculation_id")
        registry = self.job.registry
        oq = self.oq
        mode = "scenario" if "gmfs" in oq.inputs else self.hazard_mode
        no_rupture = mode == "scenario" and not (
            "gmfs" in oq.inputs or "rupture_model" in oq.inputs or oq.rupture_dict)
        if mode not in registry.calculators() or no_rupture:
            raise InvalidInput("%s needs ground motion fields: give gmfs_file%s or the ID "
                               "of a hazard calculation of mode %s (--hc)" % (
                                   oq.calculation_mode, ", rupture_model_file" if
                                   mode == "scenario" else "", self.hazard_mode),
                               param="gmfs_file")
        if "gmfs" not in oq.inputs and not oq.minimum_intensity:
            oq.minimum_intensity = self.crm_min_imls()
        registry.calculator(mode).factory(self.job).run()

    def crm_min_imls(self) -> dict:
        """{IMT: the smallest first IML of the risk functions of that IMT}: the default
        ``minimum_intensity`` of the GMFs computed in a risk job (lower ground motions
        cause no loss)."""
        out: dict = {}
        for fs in self.crm.functions.values():
            for f in fs.values():
                if getattr(f, "imls", None) is not None and len(f.imls):
                    out[f.imt] = min(out.get(f.imt, np.inf), float(f.imls[0]))
        return out

    def associate_assets(self) -> np.ndarray:
        """Assets within ``asset_hazard_distance`` of a hazard site (and inside
        ``region``), sorted by site, longitude and latitude; the others are logged and
        stored in ``discarded``."""
        oq = self.oq
        ex = self.exposure
        assets = ex.assets
        in_region = np.ones(len(assets), bool)
        if oq.region:
            in_region = inside_region(assets["lon"], assets["lat"], oq.region)
        dist_km = hazard_distance(oq)
        sids, dist = associate(assets["lon"], assets["lat"], self.sitecol.lons,
                               self.sitecol.lats, dist_km)
        check_far_assets(oq, assets[in_region], sids[in_region] < 0, dist[in_region],
                         dist_km)
        keep = in_region & (sids >= 0)
        dropped = np.flatnonzero(~keep)
        if len(dropped):
            names = ", ".join(a.decode() for a in assets["id"][dropped[:5]])
            self.log.warning("%d asset(s) discarded: outside the region or farther than "
                             "%s km from any hazard site (%s%s)", len(dropped), dist_km,
                             names, "..." if len(dropped) > 5 else "")
            disc = np.zeros(len(dropped), [("asset_ref", "S100"), ("lon", np.float32),
                                           ("lat", np.float32)])
            disc["asset_ref"] = assets["id"][dropped]
            disc["lon"], disc["lat"] = assets["lon"][dropped], assets["lat"][dropped]
            self.datastore["discarded"] = disc
        out = assets[keep].copy()
        out["site_id"] = sids[keep]
        # ordered by hazard site, then location (as OpenQuake's asset collection),
        # input order for ties
        out = out[np.lexsort((np.round(out["lat"], 5), np.round(out["lon"], 5),
                              out["site_id"]))]
        out["ordinal"] = np.arange(len(out))
        return out

    def save_assetcol(self) -> None:
        """``assetcol`` (array + tagcol + attrs), ``exposure``, ``crm``, ``agg_keys``,
        ``agg_values``."""
        ds = self.datastore
        ex = self.exposure
        if "assetcol" in ds.hdf5:
            del ds.hdf5["assetcol"]
        grp = ds.hdf5.create_group("assetcol")
        grp["array"] = self.assets
        for t in ex.tagnames:
            grp["tagcol/" + t] = np.array([v.encode("utf-8") for v in ex.tagcol[t]])
        grp.attrs["__pyclass__"] = "AssetCollection"
        grp.attrs["tagnames"] = " ".join(ex.tagnames)
        grp.attrs["occupancy_periods"] = " ".join(ex.occupancy_periods)
        grp.attrs["time_event"] = self.oq.time_event or "avg"
        grp.attrs["tot_sites"] = len(self.sitecol)
        rows = [(lt, ex.cost_types[lt][0] if lt in ex.cost_types else "per_asset",
                 ex.cost_types[lt][1] if lt in ex.cost_types else "people")
                for lt in ex.loss_types]
        ds.save_table("exposure", {"loss_type": np.array([r[0] for r in rows], object),
                                   "cost_type": np.array([r[1] for r in rows], object),
                                   "unit": np.array([r[2] for r in rows], object)})
        rows = self.crm.to_rows()
        ds.save_table("crm", {"riskid": np.array([r[0] for r in rows], object),
                              "loss_type": np.array([r[1] for r in rows], object),
                              "riskfunc": np.array([r[2] for r in rows], object)})
        crm = ds.hdf5["crm"]
        crm.attrs["limit_states"] = " ".join(self.crm.limit_states)
        crm.attrs["loss_types"] = " ".join(self.loss_types)
        crm.attrs["consequences"] = " ".join(sorted({c for c, _ in self.crm.consequences}))
        crm.attrs["kind"] = self.kind
        if self.agg_keys:
            ds["agg_keys"] = np.array(["\t".join(k).encode("utf-8") for k in self.agg_keys])
        Kk = len(self.agg_keys)
        names = ["number"] + list(ex.cost_types) + (
            ["occupants_%s" % (self.oq.time_event or "avg")] if ex.occupancy_periods else []
        ) + (["residents"] if "residents" in self.assets.dtype.names else [])
        vals = np.zeros(Kk + 1, [(n, np.float64) for n in names])
        for n in names:
            col = self.assets[n] if n in ("number", "residents") or n.startswith(
                "occupants") else self.assets["value-" + n]
            vals[n][Kk] = col.sum()
            for g in range(self.agg_ids.shape[1]):
                vals[n][:Kk] += np.bincount(self.agg_ids[:, g], col, Kk)
        ds["agg_values"] = vals
        ds.save_json("risk_meta", {"loss_types": self.loss_types,
                                   "limit_states": self.crm.limit_states,
                                   "aggregate_by": self.oq.aggregate_by or [],
                                   "agg_counts": self.agg_counts,
                                   "kind": self.kind, "event_based": self.event_based})

    # ------------------------------------------------------------ helpers
    def blocks(self):
        """Yield (taxonomy index, global asset indices, pair asset indices, GMF rows)
        by blocks of at most PAIRS_PER_BLOCK pairs."""
        gm = self.gmfs
        starts, stops = K.site_ranges(gm.sids.astype(np.int64), len(self.sitecol))
        per_site = stops - starts
        taxo = self.assets["taxonomy"]
        for t in np.unique(taxo):
            aset = np.flatnonzero(taxo == t)
            sizes = per_site[self.assets["site_id"][aset]]
            csum = np.cumsum(sizes)
            cut = np.searchsorted(csum, np.arange(PAIRS_PER_BLOCK, csum[-1] + PAIRS_PER_BLOCK,
                                                  PAIRS_PER_BLOCK), "right") if len(csum) \
                and csum[-1] else [len(aset)]
            lo = 0
            for hi in list(cut) + [len(aset)]:
                hi = max(hi, lo + 1)
                if lo >= len(aset):
                    break
                chunk = aset[lo:hi]
                lo = hi
                aidx, ridx = K.asset_gmf_pairs(self.assets["site_id"][chunk].astype(np.int64),
                                               starts, stops)
                if len(aidx):
                    yield int(t), chunk[aidx], ridx

    def event_uniforms(self, eids: np.ndarray) -> np.ndarray:
        """One uniform deviate per event ID of ``eids`` (n,): the first draw of numpy's
        legacy generator seeded with ``master_seed`` + the event ID, the draw with which
        OpenQuake samples the PM vulnerability functions of every asset an event hits.
        """
        cache = self.__dict__.setdefault("_event_uniforms", {})
        for e in set(eids.tolist()) - cache.keys():
            cache[e] = np.random.RandomState(int(self.oq.master_seed + e)).random_sample()
        return np.array([cache[e] for e in eids.tolist()])

    def rng(self, *keys) -> np.random.Generator:
        """A generator seeded by ``master_seed`` and the given integers."""
        return np.random.default_rng([self.oq.master_seed] + [int(k) for k in keys])

    def num_rlzs(self) -> int:
        """R, the realizations of the risk outputs (1 when they are collected)."""
        return len(risk_weights(self.datastore))

    def time_ratio(self) -> float:
        """risk_investigation_time / (investigation_time x ses_per_logic_tree_path)."""
        oq = self.oq
        T = oq.investigation_time or 1.0
        return (oq.risk_investigation_time or T) / (
            T * oq.ses_per_logic_tree_path * self.collected)

    def agg_columns(self, aidx: np.ndarray) -> list[np.ndarray]:
        """The aggregation key of each pair for each group, then the total (K)."""
        Kk = len(self.agg_keys)
        cols = [self.agg_ids[aidx, g] for g in range(self.agg_ids.shape[1])]
        return cols + [np.full(len(aidx), Kk, np.int64)]

    def event_scale(self, R: int) -> np.ndarray:
        """Per realization: 1 / events (scenario means) or the time ratio (event based)."""
        rlz = self.gmfs.events["rlz_id"].astype(np.int64)
        if self.event_based:
            return np.full(R, self.time_ratio())
        counts = np.bincount(rlz, minlength=R).astype(float)
        return 1.0 / np.maximum(counts, 1)

    def stats_of(self, data: np.ndarray) -> np.ndarray | None:
        """Statistics (A, S) of per-realization values (A, R); None when R == 1."""
        stats = self.oq.statistics
        w = risk_weights(self.datastore)
        if len(w) < 2 or not stats:
            return None
        return compute_stats(data.T, stats, w).T

    # ------------------------------------------------------------ outputs
    def save_aggrisk(self, ev: np.ndarray, value_cols: list[str]) -> None:
        """``risk_by_event`` (nonzero rows) and ``aggrisk`` from per-event values
        ``ev`` (E, K+1, L, C)."""
        ds = self.datastore
        E, K1, L, C = ev.shape
        R = self.num_rlzs()
        rlz = self.gmfs.events["rlz_id"].astype(np.int64)
        # rows with a loss, damage or consequence (the undamaged buildings are implied),
        # and those of self.event_rows (E, K+1) when set
        first = 1 if value_cols[0] == "dmg_0" else 0
        rows = np.any(ev[..., first:] != 0, axis=3)
        if self.event_rows is not None:
            rows |= self.event_rows[:, :, None]
        nz = np.argwhere(rows)
        cols = {"event_id": nz[:, 0].astype(np.uint32), "agg_id": nz[:, 1].astype(np.uint32),
                "loss_id": np.array([LOSS_IDS.get(self.loss_types[l], 99) for l in nz[:, 2]],
                                    np.uint8)}
        if self.kind == "vulnerability":
            cols["variance"] = np.zeros(len(nz), np.float32)
        for c, name in enumerate(value_cols):
            if name != "dmg_0":  # the undamaged buildings are implied
                cols[name] = ev[nz[:, 0], nz[:, 1], nz[:, 2], c].astype(np.float32)
        ds.save_table("risk_by_event", cols)
        ds.hdf5["risk_by_event"].attrs["K"] = K1 - 1
        ds.hdf5["risk_by_event"].attrs["limit_states"] = " ".join(self.crm.limit_states)
        if self.amplify is not None:  # the exported event losses are amplified too
            ds.hdf5["risk_by_event"].attrs["effective_time"] = self.effective_time()
            ds.save_table("post_loss_amplification", {
                "return_period": self.amplify.periods, "pla_factor": self.amplify.factors})
        scale = self.event_scale(R)
        tot = np.zeros((R, K1, L, C))
        for r in range(R):
            tot[r] = ev[rlz == r].sum(axis=0) * scale[r]
        self.aggrisk_values = tot
        rr, kk, ll = np.meshgrid(np.arange(R), np.arange(K1), np.arange(L), indexing="ij")
        agg = {"agg_id": kk.ravel().astype(np.uint32), "rlz_id": rr.ravel().astype(np.uint16),
               "loss_id": np.array([LOSS_IDS.get(self.loss_types[x], 99) for x in ll.ravel()],
                                   np.uint8)}
        for c, name in enumerate(value_cols):
            agg[name] = tot[..., c].ravel().astype(np.float32)
        if self.amplify is not None and value_cols == ["loss"]:
            agg["pla_loss"] = self.amplified_totals(ev[..., 0], rlz, scale).ravel().astype(
                np.float32)
        # as risk_by_event: only the (realization, key, loss type) with events
        self.present = np.zeros((R, K1, L), bool)
        self.present[rlz[nz[:, 0]], nz[:, 1], nz[:, 2]] = True
        order = np.lexsort((agg["rlz_id"], agg["loss_id"], agg["agg_id"]))
        order = order[self.present.ravel()[order]]
        ds.save_table("aggrisk", {k: v[order] for k, v in agg.items()})
        ds.hdf5["aggrisk"].attrs["limit_states"] = " ".join(self.crm.limit_states)

    def amplified_totals(self, ev: np.ndarray, rlz: np.ndarray, scale: np.ndarray
                         ) -> np.ndarray:
        """Post-loss amplified aggregate losses (R, K+1, L) from event losses ``ev``
        (E, K+1, L): each event loss times the factor of its return period in the
        sorted event losses of its realization, summed and scaled as the losses."""
        E, K1, L = ev.shape
        R = len(scale)
        out = np.zeros((R, K1, L))
        for r in range(R):
            sel = ev[rlz == r]
            for k in range(K1):
                for li in range(L):
                    losses, rp = K.sorted_event_losses(sel[:, k, li], len(sel),
                                                       self.effective_time())
                    out[r, k, li] = losses @ self.amplify(rp) * scale[r]
        return out

    def effective_time(self) -> float:
        """Years of the event set of a realization (all, with collected realizations):
        investigation_time x ses_per_logic_tree_path (x R)."""
        oq = self.oq
        return (oq.investigation_time or 1.0) * oq.ses_per_logic_tree_path * self.collected

    def save_aggcurves(self, ev: np.ndarray, value_cols: list[str]) -> None:
        """``aggcurves``: loss exceeded at each return period per key, rlz, loss type."""
        oq = self.oq
        R = self.num_rlzs()
        rlz = self.gmfs.events["rlz_id"].astype(np.int64)
        # the return periods of the curves are in hazard years (the event losses are
        # not rescaled to risk_investigation_time)
        eff = self.effective_time()
        E, K1, L, C = ev.shape
        n_ev = [int((rlz == r).sum()) for r in range(R)]
        periods = np.array(oq.return_periods, float) if oq.return_periods else \
            K.return_periods(eff, max(max(n_ev), 1)).astype(float)
        if len(periods) == 0:
            return
        rows: dict = {"agg_id": [], "rlz_id": [], "loss_id": [], "return_period": []}
        amplify = self.amplify if value_cols == ["loss"] else None
        vals: dict = {n: [] for n in value_cols + (["pla_loss"] if amplify else [])}
        for k in range(K1):
            for r in range(R):
                for l in range(L):
                    if not self.present[r, k, l]:  # no event of this key has losses
                        continue
                    rows["agg_id"] += [k] * len(periods)
                    rows["rlz_id"] += [r] * len(periods)
                    rows["loss_id"] += [LOSS_IDS.get(self.loss_types[l], 99)] * len(periods)
                    rows["return_period"] += list(periods.astype(int))
                    for c, n in enumerate(value_cols):
                        vals[n] += list(K.losses_by_period(ev[rlz == r, k, l, c], periods,
                                                           n_ev[r], eff))
                    if amplify is not None:
                        vals["pla_loss"] += list(K.losses_by_period(
                            ev[rlz == r, k, l, 0], periods, n_ev[r], eff, amplify))
        dt = {"agg_id": np.uint32, "rlz_id": np.uint16, "loss_id": np.uint8,
              "return_period": np.uint32}
        cols = {k: np.array(v, dt[k]) for k, v in rows.items()}
        cols.update({n: np.array(v, np.float32) for n, v in vals.items()})
        self.datastore.save_table("aggcurves", cols)
        a = self.datastore.hdf5["aggcurves"].attrs
        a["ep_fields"] = " ".join(value_cols)
        a["limit_states"] = " ".join(self.crm.limit_states)
        a["num_events"] = len(self.gmfs.events)
        a["effective_time"] = eff


class ScenarioRiskCalculator(GmfRiskCalculator):
    """Losses per asset and event from GMFs and vulnerability functions."""

    def asset_event_losses(self):
        """Yield (loss type index, pair asset indices, event indices, losses (n,)).

        Mean loss ratios and CoVs are computed once per GMF row and risk function
        (per taxonomy), then gathered for the (asset, row) pairs of each block."""
        oq = self.oq
        gm = self.gmfs
        minloss = oq.minimum_asset_loss or {}
        cache: dict = {}
        current = None
        for t, aidx, ridx in self.blocks():
            if t != current:
                cache, current = {}, t
            taxonomy = self.exposure.tagcol["taxonomy"][t]
            eids = gm.eids[ridx].astype(np.int64)
            block: dict = {}
            for li, lt in enumerate(self.loss_types):
                fs = self.crm.functions[lt]
                value = loss_type_value(self.assets, lt, oq.time_event)[aidx]
                lrs = np.zeros(len(aidx))
                for j, (rid, w) in enumerate(self.crm.mapping(taxonomy)):
                    vf = fs[rid]
                    sample = vf.has_uncertainty() and not oq.ignore_covs
                    if sample and vf.dist == "PM":
                        gmv = gm.gmvs[ridx, gm.imt_index(vf.imt)]
                        lrs += w * vf.sample_pm(gmv, self.event_uniforms(eids))
                        continue
                    if (li, j) not in cache:
                        gmv = gm.gmvs[:, gm.imt_index(vf.imt)]
                        cov = np.interp(gmv, vf.imls, vf.covs) if sample else None
                        cache[li, j] = (vf.mean_loss_ratios(gmv), cov if vf.dist != "LN"
                                        or cov is None else np.sqrt(np.log1p(cov ** 2)))
                    means, spread = cache[li, j]  # spread: CoV (BT) or log sigma (LN)
                    if not sample:
                        lrs += w * means[ridx]
                        continue
                    rng = self.rng(li, t, j, aidx[0])
                    if oq.asset_correlation:
                        eps = self.rng(li, j).standard_normal(len(gm.events))[eids]
                    else:
                        eps = rng.standard_normal(len(ridx)) if vf.dist == "LN" else None
                    if vf.dist == "LN":
                        lrs += w * K.lognormal_ratios(ridx, means, spread, eps)
                    else:
                        lrs += w * vf.sample_around(means[ridx], spread[ridx], rng, eps)
                loss = K.apply_minimum_loss(lrs * value,
                                            float(minloss.get(lt, minloss.get("default", 0))))
                block[lt] = loss
                yield li, aidx, eids, loss
            for c, cover in enumerate(self.covers):
                yield len(self.loss_types) + c, aidx, eids, self.insured(cover, block, aidx)

    def insured(self, cover, block: dict, aidx: np.ndarray) -> np.ndarray:
        """Insured losses (n,) of a cover from the ground-up losses {loss type: (n,)} of
        the (asset, GMF row) pairs of a block (assets ``aidx``)."""
        loss = sum(block[p] for p in cover.parts)
        value = sum(loss_type_value(self.assets, p, self.oq.time_event)[aidx]
                    for p in cover.parts)
        return cover.insured(loss, value, self.assets[POLICY_TAG][aidx].astype(np.int64))

    def execute(self):
        A, E = len(self.assets), len(self.gmfs.events)
        L = len(self.loss_types) + len(self.covers)
        R = self.num_rlzs()
        K1 = len(self.agg_keys) + 1
        avg = np.zeros((L, A, R))
        ev = np.zeros((L, E, K1))
        rlz = self.gmfs.events["rlz_id"].astype(np.int64)
        for li, aidx, eids, loss in self.asset_event_losses():
            K.add_at_2d(avg[li], aidx, rlz[eids], loss)
            for col in self.agg_columns(aidx):
                K.add_at_2d(ev[li], eids, col, loss)
        return avg, ev.transpose(1, 2, 0)[..., None]  # (E, K+1, L, 1)

    def post_execute(self, result) -> None:
        avg, ev = result
        if self.total:  # total_losses: one more loss type, the sum of its parts
            parts = [self.loss_types.index(p) for p in self.total.split("+")]
            avg = np.concatenate([avg, avg[parts].sum(axis=0)[None]])
            ev = np.concatenate([ev, ev[:, :, parts].sum(axis=2)[:, :, None]], axis=2)
            self.loss_types = self.loss_types + [self.total]
        if self.covers:
            self.loss_types = self.loss_types + [c.name for c in self.covers]
        if self.total or self.covers:
            self.datastore.save_json("risk_meta", dict(
                self.datastore.read_json("risk_meta"), loss_types=self.loss_types))
        ds = self.datastore
        R = self.num_rlzs()
        scale = self.event_scale(R)
        for li, lt in enumerate(self.loss_types):
            if not self.oq.avg_losses:  # avg_losses = false: no losses per asset
                break
            a = avg[li] * scale[None, :]
            ds["avg_losses-rlzs/" + lt] = a.astype(np.float32)
            st = self.stats_of(a)
            if st is not None:
                ds["avg_losses-stats/" + lt] = st.astype(np.float32)
        self.save_aggrisk(ev, ["loss"])
        self.aggrisk_events = ev
        if self.event_based:
            self.save_aggcurves(ev, ["loss"])
        if R == 1 and self.oq.avg_losses:
            self.save_losses_by_tag(avg[:, :, 0] * scale[0], "taxonomy")

    def save_losses_by_tag(self, avg: np.ndarray, tag: str) -> None:
        """``avg_losses_by/<tag>``: average losses summed by tag value (all values of
        the exposure, zeros included). avg: (L, A)."""
        values = self.exposure.tagcol[tag][1:]
        idx = self.assets[tag].astype(np.int64) - 1
        order = np.argsort(values, kind="stable")  # rows sorted by tag value
        cols = {tag: np.array(values, object)[order]}
        for li, lt in enumerate(self.loss_types):
            cols[lt] = np.bincount(idx, avg[li], len(values))[order]
        self.datastore.save_table("avg_losses_by/" + tag, cols)


class EventBasedRiskCalculator(ScenarioRiskCalculator):
    """Event-based losses, average losses, aggregate loss curves and losses by
    source."""
    event_based = True
    hazard_mode = "event_based"

    def post_execute(self, result) -> None:
        super().post_execute(result)
        self.save_src_loss_table(self.aggrisk_events)

    def save_src_loss_table(self, ev: np.ndarray) -> None:
        """``src_loss_table/<lt>`` (n_src,): the total loss of the events of the
        ruptures of each source, each event weighing its realization's weight.
        ev: (E, K+1, L, 1) per-event losses (the last key is the total)."""
        ds = self.datastore
        if "ruptures" not in ds or "source_info" not in ds or not len(ev):
            return
        rups = ds["ruptures"][()]
        names = [n.decode() if isinstance(n, bytes) else str(n)
                 for n in ds.read_table("source_info")["source_id"]]
        order = np.argsort(rups["id"])
        pos = order[np.searchsorted(rups["id"], self.gmfs.events["rup_id"], sorter=order)]
        src = rups["source_id"][pos].astype(np.int64)
        for li, lt in enumerate(self.loss_types):
            vals = np.bincount(src, ev[:, -1, li, 0] * self.event_weights, len(names))
            ds.save_labelled("src_loss_table/" + lt, vals.astype(np.float32), source=names)


class ScenarioDamageCalculator(GmfRiskCalculator):
    """Damage distributions (and consequences) per asset and event."""
    kind = "fragility"

    def consequence_columns(self) -> list[tuple[str, str]]:
        """(consequence, loss_type) pairs of the model, in a stable order."""
        return sorted(self.crm.consequences)

    def execute(self):
        oq = self.oq
        gm = self.gmfs
        A, E, L = len(self.assets), len(gm.events), len(self.loss_types)
        D = len(self.crm.limit_states)
        csqs = self.consequence_columns()
        C = D + 1 + len({c for c, _ in csqs})
        cnames = sorted({c for c, _ in csqs})
        R = self.num_rlzs()
        K1 = len(self.agg_keys) + 1
        avg = np.zeros((L, A * R, C))
        ev = np.zeros((L, E * K1, C))
        rlz = gm.events["rlz_id"].astype(np.int64)
        # (event, aggregation key) pairs with ground motion at an asset: rows of
        # risk_by_event even without damage, as OpenQuake writes them
        self.event_rows = np.zeros((E, K1), bool)
        for t, aidx, ridx in self.blocks():
            taxonomy = self.exposure.tagcol["taxonomy"][t]
            eids = gm.eids[ridx].astype(np.int64)
            number = self.assets["number"][aidx]
            for col in self.agg_columns(aidx):
                self.event_rows[eids, col] = True
            for li, lt in enumerate(self.loss_types):
                fs = self.crm.functions[lt]
                out = np.zeros((len(aidx), C))
                for j, (rid, w) in enumerate(self.crm.mapping(taxonomy)):
                    ff = fs[rid]
                    fr = damage_fractions(ff.poes_of(gm.gmvs[ridx, gm.imt_index(ff.imt)]))
                    if oq.discrete_damage_distribution:
                        dmg = K.sample_damage_counts(fr, number, self.rng(li, t, j, aidx[0]))
                    else:
                        dmg = fr * number
                    out[:, :D + 1] += w * dmg.T
                    for cname, clt in csqs:
                        if clt != lt or rid not in self.crm.consequences[(cname, clt)]:
                            continue
                        ratios = self.crm.consequences[(cname, clt)][rid]
                        base = self.consequence_base(cname, lt, aidx)
                        frac = dmg[1:] / np.where(number > 0, number, 1)
                        out[:, D + 1 + cnames.index(cname)] += w * (
                            ratios[:, None] * frac).sum(axis=0) * base
                K.add_at_rows(avg[li], aidx * R + rlz[eids], out)
                for col in self.agg_columns(aidx):
                    K.add_at_rows(ev[li], eids * K1 + col, out)
        self.csq_names = cnames
        return (avg.reshape(L, A, R, C),
                ev.reshape(L, E, K1, C).transpose(1, 2, 0, 3))

    def add_undamaged(self, avg: np.ndarray, ev: np.ndarray, counts: np.ndarray) -> None:
        """Set the no-damage column (0) of the sums over events ``avg`` (L, A, R, C) and
        of the per-event values ``ev`` (E, K+1, L, C) to what the damage states leave of
        the buildings: an asset whose site has no ground motion for an event (below
        ``minimum_intensity``) is undamaged in that event. ``counts``: events per
        realization (R,)."""
        D = len(self.crm.limit_states)
        number = self.assets["number"].astype(float)
        avg[..., 0] = (number[None, :, None] * counts[None, None, :] -
                       avg[..., 1:D + 1].sum(axis=-1))
        buildings = np.zeros(ev.shape[1])
        for col in self.agg_columns(np.arange(len(number))):
            np.add.at(buildings, col, number)
        ev[..., 0] = buildings[None, :, None] - ev[..., 1:D + 1].sum(axis=-1)

    def consequence_base(self, cname: str, lt: str, aidx: np.ndarray) -> np.ndarray:
        """What a consequence ratio multiplies: the exposed value (losses), the
        occupants (injured, fatalities, homeless when known) or the buildings."""
        if cname == "losses":
            return loss_type_value(self.assets, lt, self.oq.time_event)[aidx]
        if cname == "homeless":
            return loss_type_value(self.assets, "residents")[aidx]
        if cname in ("injured", "fatalities"):
            return loss_type_value(self.assets, "occupants", self.oq.time_event or "avg")[aidx]
        return self.assets["number"][aidx]

    def post_execute(self, result) -> None:
        avg, ev = result
        ds = self.datastore
        L, A, R, C = avg.shape
        D = len(self.crm.limit_states)
        counts = np.bincount(self.gmfs.events["rlz_id"].astype(np.int64), minlength=R)
        self.add_undamaged(avg, ev, counts)
        # expected numbers of buildings: averages over the events of each realization
        scale = 1.0 / np.maximum(counts, 1)
        names = ["no_damage"] + list(self.crm.limit_states) + self.csq_names
        dt = [("%s-%s" % (lt, n), np.float32) for lt in self.loss_types for n in names]
        arr = np.zeros((A, R), dt)
        for li, lt in enumerate(self.loss_types):
            for c, n in enumerate(names):
                arr["%s-%s" % (lt, n)] = avg[li, :, :, c] * scale[None, :]
        ds["damages-rlzs"] = arr
        ds.hdf5["damages-rlzs"].attrs["json"] = json.dumps(
            {"shape_descr": ["asset_id", "rlz_id"], "asset_id": A, "rlz_id": R})
        if R > 1 and self.oq.statistics:
            ds["damages-stats"] = record_stats(arr, self.oq.statistics, risk_weights(ds))
        cols = ["dmg_%d" % d for d in range(D + 1)] + self.csq_names
        self.save_aggrisk(ev, cols)
        if self.event_based and self.csq_names:
            self.save_aggcurves(ev[..., D + 1:], self.csq_names)


class EventBasedDamageCalculator(ScenarioDamageCalculator):
    """Damage from event-based GMFs: average damage per event, consequences per
    risk_investigation_time and their curves."""
    event_based = True
    hazard_mode = "event_based"


@hookimpl
def oq_register_calculators(registry):
    """Register the GMF-based risk calculators."""
    for mode, cls, doc in [
            ("scenario_risk", ScenarioRiskCalculator, "Losses from scenario GMFs"),
            ("scenario_damage", ScenarioDamageCalculator, "Damage from scenario GMFs"),
            ("event_based_risk", EventBasedRiskCalculator,
             "Losses, loss curves and maps from event-based GMFs"),
            ("event_based_damage", EventBasedDamageCalculator,
             "Damage and consequences from event-based GMFs")]:
        registry.add_calculator(CalculatorSpec(mode, cls, doc))
