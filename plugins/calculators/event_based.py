"""The ``event_based`` calculator: stochastic event sets, ground-motion fields and
hazard curves from them.

Ruptures are sampled per source (:mod:`oqcore.hazard.ses`, :meth:`sample_ruptures`),
each occurring ``n_occ`` times in the effective time of its source models; its
occurrences are spread at random over the realizations of its source model, then get a
year and an SES index (:meth:`build_events`). The ground-motion fields of the events
are computed rupture by rupture (:func:`oqcore.hazard.gmf.rupture_gmfs`) from the
rupture's seed. Every random stream is the one OpenQuake 3.26 draws for the same job and
seeds (same ruptures, events and fields), and none depends on the number of workers.

Datasets written (datastore.md 3.3): ``sitecol`` (with ``custom_site_id``),
``full_lt``, ``weights``, ``realizations``, ``source_info`` (source name, code, trt by
source number), ``ruptures``, ``rupgeoms``, ``rupture_geoinfo`` (centroid_lon,
centroid_lat, centroid_depth, strike, dip per rupture), ``events``, ``gmf_data`` and
``sigma_epsilon`` (see :mod:`oqcore.hazard.gmf`), ``avg_gmf``, and with
``hazard_curves_from_gmfs`` the classical curves, maps and statistics.
"""
from __future__ import annotations

import json
import pickle

import numpy as np
import h5py

from oqcore import hookimpl
from oqcore.converter import structure_params
from oqcore.errors import InvalidInput
from oqcore.hazard import site_amplification
from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.correlation import correlation_model
from oqcore.hazard.cross_correlation import cross_correlation_model
from oqcore.hazard.gmf import (MIN_IML, GmfParams, check_correlation, exceedance_counts,
                               extreme_imls, gsim_draw_key, job_truncation, min_imls, rupture_gmfs,
                               sigeps_dtype, uniform_choice)
from oqcore.hazard.model import gsim_site_params, read_hazard_model, rupture_file_model
from oqcore.hazard.rupture import read_rupture_rows, rupture_context, stored_ruptures
from oqcore.hazard.ses import sample_source, source_seed
from oqcore.hazard.site import (ASSOC_DIST, SiteCollection, build_site_collection,
                                 has_sites, site_model_files, with_custom_site_ids,
                                 with_params_of)
from oqcore.params import jobparams_class
from oqcore.registry import CalculatorSpec
from oqplugins.calculators.classical import ClassicalCalculator, make_blocks, source_weight

#: rupture ID = source index x 2^30 + ordinal of the rupture in the source
RUP_ID_FACTOR = 2 ** 30

#: trt_smr = TRT index x 2^24 + source model index (sorting key of the ruptures)
TRT_SMR_FACTOR = 2 ** 24

#: ruptures per GMF task (the split does not change the results)
RUPTURES_PER_TASK = 500

EVENT_DT = np.dtype([("id", np.uint32), ("rup_id", np.int64), ("rlz_id", np.uint16),
                     ("year", np.uint32), ("ses_id", np.uint32)])
RUPTURE_DT = np.dtype([
    ("id", np.int64), ("seed", np.int64), ("source_id", np.uint32), ("trt_smr", np.uint32),
    ("code", np.uint8), ("n_occ", np.uint32), ("mag", np.float32), ("rake", np.float32),
    ("occurrence_rate", np.float32), ("minlon", np.float32), ("minlat", np.float32),
    ("maxlon", np.float32), ("maxlat", np.float32), ("hypo", (np.float32, 3)),
    ("geom_id", np.uint32), ("nsites", np.uint32), ("e0", np.uint32), ("model", "S3")])
GEOINFO_DT = np.dtype([("centroid_lon", np.float32), ("centroid_lat", np.float32),
                       ("centroid_depth", np.float32), ("strike", np.float32),
                       ("dip", np.float32)])


def risk_function_imts(oq) -> list[str]:
    """The IMTs of the vulnerability/fragility functions of a job (the ``imt``
    attributes of their ``imls`` elements, in file order), for hazard jobs of risk
    calculations that give no ``intensity_measure_types``."""
    from oqcore.nrml.reader import parse
    out: list[str] = []
    for key, fname in sorted(oq.inputs.items()):
        if not key.endswith(("vulnerability", "fragility")):
            continue
        for f in (fname if isinstance(fname, list) else [fname]):
            for node in parse(f).iter():
                imt = node.get("imt") if node.tag in ("imls", "IML", "IMLs") else None
                if imt and imt not in out:
                    out.append(imt)
    return out


def set_imts_from_risk(oq) -> None:
    """Without IMTs in the job, take those of its risk functions (if any; the job
    parameters list them by period)."""
    if not oq.imtls:
        imts = risk_function_imts(oq)
        if imts:
            oq.intensity_measure_types = imts


def refuse_unsupported_gmf_inputs(oq) -> None:
    """InvalidInput for the inputs of a GMF job that oqcore does not model yet (refused
    rather than silently ignored): secondary perils and station data."""
    if oq.secondary_perils:
        raise InvalidInput("secondary perils (%s) are not supported yet" % ", ".join(
            oq.secondary_perils), param="secondary_perils")
    if "station_data" in oq.inputs:
        raise InvalidInput("ground-motion fields conditioned on station data are not "
                           "supported yet", param="station_data_file")


def risk_minimum_intensity(oq) -> dict:
    """{IMT: the smallest first IML of the vulnerability (else fragility) functions of
    that IMT} of a job giving risk functions, {} otherwise: the ``minimum_intensity``
    OpenQuake uses for the GMFs of such a job when the job sets none (lower ground
    motions cause no loss or damage)."""
    from oqcore.risk.model import read_risk_model
    for kind in ("vulnerability", "fragility"):
        if any(key.endswith(kind) for key in oq.inputs):
            out: dict = {}
            for fs in read_risk_model(oq, kind).functions.values():
                for f in fs.values():
                    out[f.imt] = min(out.get(f.imt, np.inf), f.first_iml)
            return out
    return {}


def sample_task(items: list, time_span: float, num_ses: int, ses_seed: int) -> list:
    """Sample the ruptures of a block of sources.

    :param items: list of (source number, source name, source, TRT, minimum
        magnitude, realizations of each source model having the source)
    :param time_span: investigation time (years)
    :param num_ses: ses_per_logic_tree_path
    :returns: list of (j, k, rupture number, n_occ, rate, Rupture): the occurrences
        in the k-th source model of the source of the j-th item (a rupture occurring in
        several is split among them by a multinomial draw from a second stream seeded
        as the source's, rupture after rupture; with one source model there is no
        draw)
    """
    out = []
    for j, (_num, name, src, trt, min_mag, samples) in enumerate(items):
        total = sum(samples)
        nrup, sampled = sample_source(src, trt, min_mag, time_span, num_ses * total,
                                      ses_seed, name)
        split = None
        if len(samples) > 1:
            split = np.random.default_rng(source_seed(name, ses_seed))
            probs = np.array(samples) / total
        for ordinal, n_occ, rate, rup in sampled:
            occs = [n_occ] if split is None else split.multinomial(n_occ, probs)
            for k, occ in enumerate(occs):
                if occ:
                    out.append((j, k, ordinal + k * nrup, int(occ), rate, rup))
    return out


def gmf_task(items: list, cmaker: ContextMaker, params: GmfParams) -> dict:
    """The GMFs of a block of ruptures of one TRT.

    :param items: list of (rupture ID, Rupture, integration distance (km), eids (E,),
        rlzs (E,), GSIM index of each event (E,), the rupture's seed)
    :returns: dict with concatenated ``sid``, ``eid``, ``gmv`` and ``sigeps`` rows,
        plus ``nsites`` {rupture ID: number of affected sites}
    """
    sids, eids, gmvs, sigeps, nsites = [], [], [], [], {}
    ctxs = []
    for rup_id, rup, maxdist, ev_ids, ev_rlzs, ev_gsims, _seed in items:
        ctx = rupture_context(rup, cmaker, maxdist)
        nsites[rup_id] = len(ctx)
        ctxs.append(ctx)
    mean_stds = batch_mean_stds(ctxs, [it[5] for it in items], cmaker.gsims, params)
    for (rup_id, rup, maxdist, ev_ids, ev_rlzs, ev_gsims, seed), ctx, ms in zip(
            items, ctxs, mean_stds):
        if len(ctx) == 0:
            continue
        res = rupture_gmfs(ctx, cmaker.gsims, ev_gsims, ev_ids, ev_rlzs, seed,
                           params, cmaker.sitecol, ms)
        sids.append(res["sid"])
        eids.append(res["eid"])
        gmvs.append(res["gmv"])
        sigeps.append(res["sigeps"])
    M = len(params.imts)
    return dict(sid=np.concatenate(sids) if sids else np.zeros(0, np.uint32),
                eid=np.concatenate(eids) if eids else np.zeros(0, np.uint32),
                gmv=np.concatenate(gmvs) if gmvs else np.zeros((0, M), np.float32),
                sigeps=np.concatenate(sigeps) if sigeps else np.zeros(0, sigeps_dtype(M)),
                nsites=nsites)


def batch_mean_stds(ctxs: list, gsim_idx: list, gsims: list, params: GmfParams) -> list:
    """Means and standard deviations of the contexts of several ruptures, each GSIM
    called once on the contexts of all the ruptures having events for it.

    :param ctxs: R context arrays
    :param gsim_idx: R arrays of the GSIM index of each event of the rupture
    :returns: R dicts {GSIM index: (4, M, n_r)}
    """
    out = [{} for _ in ctxs]
    for g, gsim in enumerate(gsims):
        which = [r for r, (ctx, gi) in enumerate(zip(ctxs, gsim_idx))
                 if len(ctx) and (gi == g).any()]
        if not which:
            continue
        big = np.concatenate([ctxs[r] for r in which]).view(np.recarray)
        ms = params.mean_stds(gsim, big)
        start = 0
        for r in which:
            n = len(ctxs[r])
            out[r][g] = ms[:, :, start:start + n]
            start += n
    return out


class GmfMixin:
    """Storage of events, ruptures and GMFs shared by the event_based and scenario
    calculators (expects ``self.oq``, ``self.datastore``, ``self.sitecol``)."""

    def set_minimum_intensity(self) -> None:
        """Without ``minimum_intensity`` in the job, take that of its risk functions
        (:func:`risk_minimum_intensity`), and set ``self.min_iml`` (M,)."""
        oq = self.oq
        if not any((oq.minimum_intensity or {}).values()):
            mini = risk_minimum_intensity(oq)
            if mini:
                oq.minimum_intensity = mini
        self.min_iml = min_imls(oq.minimum_intensity, oq.imts)

    def gmf_params(self) -> GmfParams:
        """The GMF parameters of the job."""
        oq = self.oq
        corr = correlation_model(oq.ground_motion_correlation_model,
                                 oq.ground_motion_correlation_params)
        amplifier = None
        if "amplification" in oq.inputs:  # checked with the GSIMs by read_inputs
            amplifier = site_amplification.GmfAmplifier(
                *site_amplification.read_job_amplification(oq, self.sitecol, gmfs=True),
                list(oq.imts))
        return GmfParams(oq.imts, job_truncation(oq, corr),
                         min_imls(oq.minimum_intensity, oq.imts), corr,
                         cross_correlation_model(oq.cross_correlation),
                         extreme_imls(oq.extreme_gmv, oq.imts), amplifier,
                         oq.horiz_comp_to_geom_mean)

    def compute_and_store_gmfs(self, args: list, weights: np.ndarray) -> dict:
        """Run ``gmf_task`` on ``args`` and store ``gmf_data``, ``sigma_epsilon`` and
        ``avg_gmf``.

        :param weights: (R,) realization weights
        :returns: {rupture ID: number of affected sites}
        """
        return self.store_gmfs(self.map(gmf_task, args), weights, list(self.oq.imts))

    def store_gmfs(self, results, weights: np.ndarray, imts: list) -> dict:
        """Store ``gmf_data``, ``sigma_epsilon`` and ``avg_gmf`` from GMF results
        (dicts with ``sid``, ``eid``, ``gmv`` (K, M), ``sigeps``, ``nsites``) coming
        in event order.

        :param weights: (R,) realization weights
        :returns: {rupture ID: number of affected sites}
        """
        oq = self.oq
        ds = self.datastore
        M = len(imts)
        N = len(self.sitecol)
        ds.create_table("gmf_data", dict([("sid", np.uint32), ("eid", np.uint32)] +
                                         [(imt, np.float32) for imt in imts]))
        events = self.events
        ev_w = weights[events["rlz_id"]] if len(events) else np.zeros(0)
        floor = np.where(self.min_iml > 0, self.min_iml, MIN_IML)
        lnf = np.log(floor)
        s1 = np.zeros((N, M))
        s2 = np.zeros((N, M))
        touched = np.zeros(N, bool)
        sigeps = []
        nsites = {}
        nbytes = 0
        max_bytes = oq.gmf_max_gb * 1024 ** 3
        for res in results:
            nsites.update(res["nsites"])
            sigeps.append(res["sigeps"])
            if len(res["sid"]) == 0:
                continue
            cols = {"sid": res["sid"], "eid": res["eid"]}
            for m, imt in enumerate(imts):
                cols[imt] = res["gmv"][:, m]
            ds.extend_table("gmf_data", cols)
            nbytes += len(res["sid"]) * (8 + 4 * M)
            if nbytes > max_bytes:  # too many GMFs for avg_gmf
                continue
            w = ev_w[res["eid"]][:, None]
            ln = np.log(np.maximum(res["gmv"], floor)) - lnf  # (K, M), 0 at the floor
            sid = res["sid"].astype(np.int64)
            for m in range(M):
                s1[:, m] += np.bincount(sid, w[:, 0] * ln[:, m], N)
                s2[:, m] += np.bincount(sid, w[:, 0] * ln[:, m] * (ln[:, m] + 2 * lnf[m]), N)
            touched[sid] = True
        grp = ds.hdf5["gmf_data"]
        T = oq.investigation_time or 0.0
        grp.attrs["imts"] = " ".join(imts)
        grp.attrs["investigation_time"] = T
        grp.attrs["effective_time"] = self.effective_time()
        grp.attrs["num_events"] = len(events)
        self.save_sigma_epsilon(sigeps, imts)
        if nbytes <= max_bytes and len(events):
            W = ev_w.sum()
            mean = lnf + s1 / W
            ex2 = (W * lnf ** 2 + s2) / W
            std = np.sqrt(np.maximum(ex2 - mean ** 2, 0))
            avg = np.zeros((2, N, M), np.float32)
            avg[0][touched] = np.exp(mean[touched])
            avg[1][touched] = np.exp(std[touched])
            ds.save_labelled("avg_gmf", avg, stat=["mean", "std"], site_id=N, imt=imts)
        return nsites

    def effective_time(self) -> float:
        """investigation_time x ses_per_logic_tree_path x R (0 for scenarios)."""
        return 0.0

    def save_sigma_epsilon(self, sigeps: list, imts: list) -> None:
        """The dataset ``sigma_epsilon`` (E',): eid, rlz_id, sig_inter_*, eps_inter_*.

        :param sigeps: arrays of :func:`oqcore.hazard.gmf.sigeps_dtype`
        """
        se = np.concatenate(sigeps) if sigeps else np.zeros(0, sigeps_dtype(len(imts)))
        se = se[np.argsort(se["eid"], kind="stable")]
        dt = ([("eid", np.uint32), ("rlz_id", np.uint16)] +
              [("sig_inter_" + imt, np.float32) for imt in imts] +
              [("eps_inter_" + imt, np.float32) for imt in imts])
        arr = np.zeros(len(se), dt)
        arr["eid"] = se["eid"]
        arr["rlz_id"] = se["rlz_id"]
        for m, imt in enumerate(imts):
            arr["sig_inter_" + imt] = se["sig"][:, m]
            arr["eps_inter_" + imt] = se["eps"][:, m]
        self.datastore["sigma_epsilon"] = arr

    def save_ruptures(self, rows: list, source_index_info: list | None = None) -> None:
        """The datasets ``ruptures``, ``rupgeoms`` and ``rupture_geoinfo``.

        :param rows: list of dicts with the RUPTURE_DT fields and a ``rupture``
        """
        n = len(rows)
        arr = np.zeros(n, RUPTURE_DT)
        info = np.zeros(n, GEOINFO_DT)
        geoms = []
        for i, row in enumerate(rows):
            rup = row["rupture"]
            for k, v in row.items():
                if k in RUPTURE_DT.names:
                    arr[i][k] = v
            lons = np.concatenate([el[0].ravel() for el in rup.elements])
            lats = np.concatenate([el[1].ravel() for el in rup.elements])
            arr[i]["minlon"], arr[i]["maxlon"] = lons.min(), lons.max()
            arr[i]["minlat"], arr[i]["maxlat"] = lats.min(), lats.max()
            arr[i]["mag"] = rup.mag
            arr[i]["rake"] = rup.rake
            arr[i]["hypo"] = rup.hypo
            arr[i]["geom_id"] = i
            arr[i]["model"] = b"???"
            clon, clat, cdep = rup.centroid()
            info[i] = (clon, clat, cdep, rup.geometric_strike(), rup.stored_dip())
            geoms.append(rup.encode())
        ds = self.datastore
        ds["ruptures"] = arr
        ds["rupture_geoinfo"] = info
        if "rupgeoms" in ds.hdf5:
            del ds.hdf5["rupgeoms"]
        dset = ds.hdf5.create_dataset("rupgeoms", (n,), h5py.vlen_dtype(np.float32))
        for i, g in enumerate(geoms):
            dset[i] = g


class EventBasedCalculator(GmfMixin, ClassicalCalculator):
    """Event-based PSHA (see the module docstring)."""

    @staticmethod
    def read_inputs(oq, registry):
        """Read and check the logic trees, source models and sites of a job.

        :returns: (HazardModel, SiteCollection with custom_site_id)
        """
        refuse_unsupported_gmf_inputs(oq)
        for name in ("investigation_time", "maximum_distance"):
            if name == "investigation_time" and reads_rupture_file(oq):
                continue  # the ruptures of a file are not in time
            if getattr(oq, name) in (None, {}):
                raise InvalidInput("event_based needs %s" % name, param=name)
        set_imts_from_risk(oq)
        if reads_parent_ruptures(oq):
            # ruptures, logic trees and GSIMs of the parent: read when the job runs
            if not oq.imtls:
                raise InvalidInput("the ground motion fields of the ruptures of the "
                                   "hazard calculation need intensity_measure_types or "
                                   "intensity_measure_types_and_levels",
                                   param="intensity_measure_types")
            return None, None
        if reads_rupture_file(oq):
            return EventBasedCalculator.read_rupture_file_inputs(oq, registry)
        if not oq.imtls and oq.ground_motion_fields:
            raise InvalidInput("event_based needs intensity_measure_types or "
                               "intensity_measure_types_and_levels (or ground_motion_fields"
                               " = false to sample the ruptures only)",
                               param="intensity_measure_types")
        if oq.hazard_curves_from_gmfs and not oq.L1:
            raise InvalidInput("hazard_curves_from_gmfs needs the levels of "
                               "intensity_measure_types_and_levels",
                               param="hazard_curves_from_gmfs")
        corr = correlation_model(oq.ground_motion_correlation_model,
                                 oq.ground_motion_correlation_params)
        hmodel = read_hazard_model(oq, registry)
        check_sampling(hmodel)
        gsims = [g for gs in hmodel.gsims_by_trt().values() for g in gs]
        required = gsim_site_params(gsims, oq.imt_objects)
        check_correlation(gsims, corr)
        job_truncation(oq, corr)
        cross_correlation_model(oq.cross_correlation)
        if not oq.ground_motion_fields and not has_sites(oq):
            return hmodel, None  # the ruptures and events only
        sitecol = with_custom_site_ids(build_site_collection(oq, required, True))
        if "amplification" in oq.inputs:
            site_amplification.read_job_amplification(oq, sitecol, gsims, gmfs=True)
        return hmodel, sitecol

    @staticmethod
    def read_rupture_file_inputs(oq, registry):
        """(HazardModel, SiteCollection) of a job whose ruptures come from a CSV
        file (``rupture_model_file``, no sources), as OpenQuake takes it: each rupture
        occurs ``number_of_ground_motion_fields`` x (the number of GSIM paths) times."""
        if not str(oq.inputs["rupture_model"]).lower().endswith(".csv"):
            raise InvalidInput("an event_based job without sources takes its ruptures "
                               "from a CSV file", param="rupture_model_file")
        if not oq.imtls:
            raise InvalidInput("event_based needs intensity_measure_types or "
                               "intensity_measure_types_and_levels",
                               param="intensity_measure_types")
        if not oq.number_of_ground_motion_fields:
            raise InvalidInput("event_based with a rupture_model_file needs a positive "
                               "number_of_ground_motion_fields",
                               param="number_of_ground_motion_fields")
        if oq.hazard_curves_from_gmfs and not oq.investigation_time:
            raise InvalidInput("hazard_curves_from_gmfs needs investigation_time",
                               param="investigation_time")
        rows = read_rupture_rows(oq.inputs["rupture_model"])
        trts = list(dict.fromkeys(r["trt"] for r in rows))
        hmodel = rupture_file_model(oq, registry, trts)
        corr = correlation_model(oq.ground_motion_correlation_model,
                                 oq.ground_motion_correlation_params)
        gsims = [g for gs in hmodel.gsims_by_trt().values() for g in gs]
        check_correlation(gsims, corr)
        job_truncation(oq, corr)
        cross_correlation_model(oq.cross_correlation)
        sitecol = with_custom_site_ids(build_site_collection(
            oq, gsim_site_params(gsims, oq.imt_objects), True))
        return hmodel, sitecol

    def file_rupture_rows(self) -> tuple[list, list]:
        """The rows of the ruptures of the CSV file (IDs 0, 1... in file order, the
        seeds of the file) and one pseudo-source ``no-source`` per TRT."""
        oq = self.oq
        trts = self.hmodel.trts
        G = len(self.hmodel.gslt.paths())
        rows = []
        for u, r in enumerate(read_rupture_rows(oq.inputs["rupture_model"])):
            trt = trts[0] if len(trts) == 1 else r["trt"]
            k = trts.index(trt)
            rows.append(dict(id=u, seed=r["seed"], source_id=k, trt_smr=k * TRT_SMR_FACTOR,
                             code=0, n_occ=oq.number_of_ground_motion_fields * G,
                             occurrence_rate=r["rate"], rupture=r["rupture"], sm=0,
                             trt=trt))
        return rows, [("no-source", "", trt) for trt in trts]

    def pre_execute(self) -> None:
        self.parent_rows = None
        if reads_parent_ruptures(self.oq):
            return self.pre_execute_from_parent()
        if self.oq.ground_motion_fields:
            return super().pre_execute()
        # the ruptures only: sites (when given) are stored, no GMFs nor curves
        oq = self.oq
        self.hmodel, self.sitecol = self.read_inputs(oq, self.job.registry)
        if self.sitecol is not None:
            self.save_sitecol(self.sitecol)
        self.save_logic_tree()
        self.log.info("%s sites, %d realizations (ruptures and events only)",
                      len(self.sitecol) if self.sitecol is not None else "no",
                      len(self.hmodel.realizations))

    def pre_execute_from_parent(self) -> None:
        """The job computes the GMFs of the ruptures and events of its parent, with the
        parent's logic trees and GSIMs, on its own sites (else the parent's) and with
        its own IMTs, truncation and minimum intensity."""
        oq, ds = self.oq, self.datastore
        parent = ds.parent
        if parent is None or not {"ruptures", "rupgeoms", "events", "oqparam"} <= set(
                parent.hdf5):
            raise InvalidInput("the hazard calculation has no stored ruptures and events "
                               "(an event_based calculation is needed)",
                               param="hazard_calculation_id")
        registry = self.job.registry
        poq = structure_params(parent.read_json("oqparam"), jobparams_class(registry))
        poq.input_root = self.parent_input_root()
        self.hmodel = read_hazard_model(poq, registry)
        # the span of the events is the parent's
        oq.ses_per_logic_tree_path = poq.ses_per_logic_tree_path
        oq.number_of_logic_tree_samples = poq.number_of_logic_tree_samples
        if oq.investigation_time is None:
            oq.investigation_time = poq.investigation_time
        gsims = [g for gs in self.hmodel.gsims_by_trt().values() for g in gs]
        check_correlation(gsims, correlation_model(oq.ground_motion_correlation_model,
                                                   oq.ground_motion_correlation_params))
        if has_sites(oq) and (site_model_files(oq) or "sitecol" not in parent.hdf5):
            required = gsim_site_params(gsims, oq.imt_objects)
            self.sitecol = with_custom_site_ids(build_site_collection(oq, required, True))
        elif has_sites(oq):  # the site parameters of the closest site of the parent
            sitecol, far = with_params_of(build_site_collection(oq, [], True),
                                          parent["sitecol"][()])
            if far:
                self.log.warning("%d site(s) farther than %s km from the sites of the "
                                 "hazard calculation", far, ASSOC_DIST)
            self.sitecol = with_custom_site_ids(sitecol)
        elif "sitecol" in parent.hdf5:
            self.sitecol = with_custom_site_ids(SiteCollection(parent["sitecol"][()]))
        else:
            raise InvalidInput("no sites: the hazard calculation has none, give sites, "
                               "sites_csv or site_model_file", param="sites")
        self.save_sitecol(self.sitecol)
        self.save_logic_tree()
        ds.save_json("oqparam", oq.to_dict(), "JobParams")
        trts = list(parent.read_table("source_info")["trt"]) if "source_info" in \
            parent.hdf5 else [self.hmodel.trts[0]]
        recs = parent["ruptures"][()]
        self.events = parent["events"][()]
        self.parent_rows = [
            dict(id=int(r["id"]), seed=int(r["seed"]), n_occ=int(r["n_occ"]),
                 e0=int(r["e0"]), trt=rup.trt, rupture=rup)
            for r, rup in zip(recs, stored_ruptures(parent, trts))]
        self.log.info("%d sites, %d ruptures and %d events of calculation %s",
                      len(self.sitecol), len(recs), len(self.events),
                      oq.hazard_calculation_id)

    def parent_input_root(self) -> str | None:
        """The folder the inputs of the parent calculation must be inside: that of the
        parent job (a calculation of the database), else this job's (a datastore file
        of its upload)."""
        oq = self.oq
        db = getattr(self.job, "db", None)
        if isinstance(oq.hazard_calculation_id, int) and db is not None:
            extra = db.get_job(oq.hazard_calculation_id).get("params") or "{}"
            return json.loads(extra).get("input_root")
        return oq.input_root

    def effective_time(self) -> float:
        oq = self.oq
        return (oq.investigation_time or 0.0) * oq.ses_per_logic_tree_path * len(
            self.hmodel.realizations)

    def execute(self):
        oq = self.oq
        self.set_minimum_intensity()
        if self.parent_rows is not None:  # the GMFs of the parent's ruptures
            self.compute_and_store_gmfs(self.gmf_args(self.parent_rows),
                                        np.array(self.hmodel.weights))
            return len(self.sitecol), len(oq.imts), oq.L1
        if reads_rupture_file(oq):
            rows, sources = self.file_rupture_rows()
        else:
            rows, sources = self.sample_ruptures()
        self.build_events(rows)
        self.log.info("%d ruptures, %d events", len(rows), len(self.events))
        weights = np.array(self.hmodel.weights)
        nsites = {}
        if oq.ground_motion_fields:
            nsites = self.compute_and_store_gmfs(self.gmf_args(rows), weights)
        for row in rows:
            row["nsites"] = nsites.get(row["id"], 0)
        self.save_ruptures(rows)
        self.datastore.save_table("source_info", {
            "source_id": np.array([s[0] for s in sources], dtype=object),
            "code": np.array([s[1] for s in sources], dtype=object),
            "trt": np.array([s[2] for s in sources], dtype=object)})
        return (0 if self.sitecol is None else len(self.sitecol)), len(oq.imts), oq.L1

    def sample_ruptures(self) -> tuple[list, list]:
        """Sample the ruptures of every source model (see :func:`sample_task`).

        A source identical in several source models is sampled once over their
        realizations together; the distinct variants of a source ID (modified by the
        logic tree) are named ``ID;0``, ``ID;1``... in order of appearance. Sources are
        numbered by their sorted names; the ID of a rupture is ``source number x 2^30
        + rupture number`` and its seed ``ID + ses_seed``, as in OpenQuake.

        :returns: (rupture rows sorted by (TRT and source model, ID),
            [(source_id, code, trt)] by source number)
        """
        oq = self.oq
        trts = self.hmodel.trts
        unique: list = []  # [source, trt, [source model index]]
        seen: dict = {}
        for i, sm in enumerate(self.hmodel.source_models):
            for trt, srcs in sm.sources_by_trt.items():
                for src in srcs:
                    key = (trt, src.source_id, pickle.dumps(src))
                    if key in seen:
                        seen[key][2].append(i)
                    else:
                        seen[key] = [src, trt, [i]]
                        unique.append(seen[key])
        variants: dict = {}
        for u in unique:
            variants.setdefault(u[0].source_id, []).append(u)
        named = []  # (name, source, trt, source models)
        for sid, us in variants.items():
            for i, (src, trt, sms) in enumerate(us):
                named.append((sid if len(us) == 1 else "%s;%d" % (sid, i), src, trt, sms))
        named.sort(key=lambda x: x[0])
        sources = [(name, src.CODE, trt) for name, src, trt, _ in named]
        items = []
        for n, (name, src, trt, sms) in enumerate(named):
            samples = [len(self.hmodel.source_models[i].rlzs) for i in sms]
            items.append(((n, name, src, trt, oq.min_mag(trt), samples), sms))
        args = [([it for it, _ in block], oq.investigation_time,
                 oq.ses_per_logic_tree_path, oq.ses_seed)
                for block in make_blocks(items, 16, [source_weight(it[0][2])
                                                     for it in items])]
        sms_of = [sms for _, sms in items]
        starts = np.cumsum([0] + [len(a[0]) for a in args])
        rows = []
        for b, res in enumerate(self.map(sample_task, args)):
            for j, k, rup_num, n_occ, rate, rup in res:
                src_num, trt = args[b][0][j][0], args[b][0][j][3]
                rid = src_num * RUP_ID_FACTOR + rup_num
                sm = sms_of[starts[b] + j][k]
                rows.append(dict(id=rid, seed=rid + oq.ses_seed, source_id=src_num,
                                 trt_smr=trts.index(trt) * TRT_SMR_FACTOR + sm,
                                 code=ord(sources[src_num][1][0]), n_occ=n_occ,
                                 occurrence_rate=rate, rupture=rup, sm=sm, trt=trt))
        rows.sort(key=lambda r: (r["trt_smr"], r["id"]))
        return rows, sources

    def rlzs_by_trt_sm(self) -> dict:
        """{(trt, source model index): realizations (R',)} grouped by the GSIM of
        the TRT in GSIM draw order (:func:`oqcore.hazard.gmf.gsim_draw_key`), each
        group in increasing order: the realizations an event picks from."""
        out = {}
        rlzs = self.hmodel.realizations
        for trt in self.hmodel.trts:
            for i, sm in enumerate(self.hmodel.source_models):
                groups: dict = {}
                for r in sm.rlzs:
                    groups.setdefault(rlzs[r].gsim_by_trt()[trt], []).append(r)
                order = sorted(groups, key=gsim_draw_key)
                out[trt, i] = np.array([r for g in order for r in groups[g]], np.uint32)
        return out

    def build_events(self, rows: list) -> None:
        """The ``events`` dataset, as OpenQuake builds it: the occurrences of the
        ruptures one after the other (in row order); each picks its realization
        uniformly among those of its source model (:func:`uniform_choice` seeded with
        the rupture's seed); then one ``default_rng(ses_seed)`` stream gives the years
        (realization by realization, uniform in that realization's
        investigation_time x ses_per_logic_tree_path years, offset by its index times
        that span) and the SES indices (uniform in 1..ses_per_logic_tree_path)."""
        oq = self.oq
        rlzs_of = self.rlzs_by_trt_sm()
        chunks = []
        e0 = 0
        for row in rows:
            n = row["n_occ"]
            ev = np.zeros(n, EVENT_DT)
            ev["rup_id"] = row["id"]
            ev["rlz_id"] = uniform_choice(rlzs_of[row["trt"], row["sm"]], n, row["seed"])
            row["e0"] = e0
            e0 += n
            chunks.append(ev)
        events = np.concatenate(chunks) if chunks else np.zeros(0, EVENT_DT)
        events["id"] = np.arange(len(events))
        rng = np.random.default_rng(oq.ses_seed)
        if oq.investigation_time:  # (ruptures of a file without it: year 0)
            span = int(oq.investigation_time * oq.ses_per_logic_tree_path)
            for r in range(len(self.hmodel.realizations)):
                ok = np.flatnonzero(events["rlz_id"] == r)
                events["year"][ok] = rng.choice(span, len(ok)) + r * span + 1
        events["ses_id"] = rng.choice(oq.ses_per_logic_tree_path, len(events)) + 1
        self.events = events
        self.datastore["events"] = events

    def gmf_args(self, rows: list) -> list:
        """The arguments of the GMF tasks: blocks of ruptures of one TRT."""
        oq = self.oq
        gsims_by_trt = self.hmodel.gsims_by_trt()
        rlzs = self.hmodel.realizations
        params = self.gmf_params()
        cmakers = {trt: ContextMaker(trt, gs, oq, self.sitecol)
                   for trt, gs in gsims_by_trt.items()}
        gidx = {trt: np.array([gsims_by_trt[trt].index(r.gsim_by_trt()[trt])
                               for r in rlzs]) for trt in gsims_by_trt}
        by_trt: dict = {}
        for row in rows:
            trt = row["trt"]
            ev = self.events[row["e0"]:row["e0"] + row["n_occ"]]
            rup = row["rupture"]
            maxdist = oq.max_distance(trt, rup.mag)
            by_trt.setdefault(trt, []).append(
                (row["id"], rup, maxdist, ev["id"], ev["rlz_id"], gidx[trt][ev["rlz_id"]],
                 row["seed"]))
        args = []
        for trt, items in by_trt.items():
            for i in range(0, len(items), RUPTURES_PER_TASK):
                args.append((items[i:i + RUPTURES_PER_TASK], cmakers[trt], params))
        return args

    def rlz_rates(self) -> np.ndarray:
        """Annual exceedance rates from the GMFs per realization, (R, N, M*L1):
        the number of events exceeding each level / (investigation_time x SES)."""
        oq = self.oq
        R = len(self.hmodel.realizations)
        N, M, L1 = len(self.sitecol), len(oq.imts), oq.L1
        counts = np.zeros((R, N, M, L1))
        if "gmf_data" in self.datastore:
            grp = self.datastore.hdf5["gmf_data"]
            levels = np.array([oq.imtls[imt] for imt in oq.imts], float)
            step = 1 << 20  # rows read at a time
            for start in range(0, len(grp["sid"]), step):
                stop = start + step
                sid = grp["sid"][start:stop].astype(np.int64)
                rlz = self.events["rlz_id"][grp["eid"][start:stop]].astype(np.int64)
                gmv = np.column_stack([grp[imt][start:stop] for imt in oq.imts])
                exceedance_counts(sid, rlz, gmv, levels, counts)
        return counts.reshape(R, N, M * L1) / (oq.investigation_time *
                                               oq.ses_per_logic_tree_path)

    def post_execute(self, result) -> None:
        if self.oq.hazard_curves_from_gmfs and self.oq.ground_motion_fields:
            ClassicalCalculator.post_execute(self, result)


def check_sampling(hmodel) -> None:
    """Refuse the sources whose ruptures cannot be sampled yet: those of cluster
    groups, of groups of mutually exclusive sources or ruptures, and of groups with a
    non-Poisson temporal occurrence model (their sampling is not that of independent
    sources).

    :raises InvalidInput: naming the source and its group
    """
    for sm in hmodel.source_models:
        for srcs in sm.sources_by_trt.values():
            for src in srcs:
                grp = getattr(src, "group", None)
                if grp is not None and grp.special:
                    what = ("cluster" if grp.cluster else "mutually exclusive" if "mutex"
                            in (grp.src_interdep, grp.rup_interdep) else grp.tom)
                    raise InvalidInput(
                        "source %r: the event-based sampling of the ruptures of a %s "
                        "source group (%r) is not supported yet" % (
                            src.source_id, what, grp.name),
                        param="source_model_logic_tree_file")


def reads_rupture_file(oq) -> bool:
    """True when an event-based job takes its ruptures from ``rupture_model_file``
    (and has no source model)."""
    return "rupture_model" in oq.inputs and not (
        {"source_model_logic_tree", "source_model"} & set(oq.inputs))


def reads_parent_ruptures(oq) -> bool:
    """True when an event-based job computes the GMFs of the ruptures of its parent
    calculation: it names one (``hazard_calculation_id``) and has no source model."""
    return oq.hazard_calculation_id is not None and not (
        {"source_model_logic_tree", "source_model"} & set(oq.inputs))


@hookimpl
def oq_register_calculators(registry):
    """Register the event_based calculator."""
    registry.add_calculator(CalculatorSpec(
        "event_based", EventBasedCalculator,
        "Event-based PSHA: stochastic event sets, ground-motion fields, hazard curves"))
