"""The ``scenario`` calculator: ``number_of_ground_motion_fields`` ground-motion fields
per GSIM realization for one rupture (``rupture_model_file``: NRML or CSV, or
``rupture_dict``).

Realizations are the paths of the GSIM logic tree (or the single ``gsim``); events
0..E-1 go realization by realization (E = number_of_ground_motion_fields x R), the
realizations in the draw order of their GSIMs (:func:`oqcore.hazard.gmf.gsim_draw_key`,
as OpenQuake lists them), all with ``rup_id`` 0, ``year`` 0 and ``ses_id`` 1. The
rupture's seed is ``ses_seed`` (the ``seed`` column of a rupture CSV file).

Datasets written (datastore.md 3.4): ``sitecol`` (with ``custom_site_id``),
``full_lt``, ``weights``, ``realizations``, ``ruptures`` (1 row), ``rupgeoms``,
``rupture_geoinfo``, ``events``, ``gmf_data``, ``sigma_epsilon``, ``avg_gmf``.
"""
from __future__ import annotations

import numpy as np

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.errors import InvalidInput
from oqcore.hazard import site_amplification
from oqcore.hazard import logictree as lt
from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.correlation import correlation_model
from oqcore.hazard.cross_correlation import cross_correlation_model
from oqcore.hazard.model import gsim_site_params
from oqcore.hazard.gmf import (check_correlation, gsim_draw_key, job_truncation, min_imls,
                               read_gmfs_csv, read_gmfs_hdf5, sigeps_dtype)
from oqcore.hazard.rupture import read_rupture_file, read_rupture_rows, rupture_from_dict
from oqcore.hazard.site import SiteCollection, build_site_collection, with_custom_site_ids
from oqcore.registry import CalculatorSpec
from oqplugins.calculators.event_based import (EVENT_DT, GmfMixin, refuse_unsupported_gmf_inputs,
                                              set_imts_from_risk)

#: events of GMFs read from a file (no year, no SES)
FILE_EVENT_DT = np.dtype([("id", np.uint32), ("rup_id", np.int64), ("rlz_id", np.uint16)])


def read_scenario_rupture(oq, log=None):
    """The rupture of a scenario job (``rupture_model_file`` or ``rupture_dict``).

    The hypocentre of an NRML rupture or of ``rupture_dict`` outside the plan-view
    outline of the surface (any hypocentre of a vertical surface) is moved to the
    middle point of the surface, with a warning in ``log``, as OpenQuake does: its
    fields then use the same hypocentral distances.
    """
    path = oq.inputs.get("rupture_model")
    if path:
        if isinstance(path, (list, dict)):
            raise InvalidInput("a scenario takes one rupture_model_file",
                               param="rupture_model_file")
        rup = read_rupture_file(path, oq.rupture_mesh_spacing,
                                oq.complex_fault_mesh_spacing)
        if path.lower().endswith(".csv"):
            return rup
        return with_hypo_on_surface(rup, log)
    if oq.rupture_dict:
        return with_hypo_on_surface(rupture_from_dict(oq.rupture_dict), log)
    raise InvalidInput("a scenario needs rupture_model_file or rupture_dict",
                       param="rupture_model_file")


def scenario_rupture_seed(oq) -> int:
    """The seed of the scenario rupture's random stream: the ``seed`` column of a
    rupture CSV file (OpenQuake reads it with the rupture), else ``ses_seed``."""
    path = oq.inputs.get("rupture_model")
    if isinstance(path, str) and path.lower().endswith(".csv"):
        return read_rupture_rows(path, 1)[0]["seed"]
    return oq.ses_seed


def with_hypo_on_surface(rup, log=None):
    """``rup``, its hypocentre moved to the middle point of the surface when it lies
    outside the surface's plan-view outline (logging a warning)."""
    if rup.hypo_in_outline():
        return rup
    middle = rup.centroid()
    if log is not None:
        log.warning("the hypocentre (%.5f, %.5f, %.3f) is outside the rupture surface: "
                    "moved to the middle of the surface (%.5f, %.5f, %.3f)"
                    % (tuple(rup.hypo) + tuple(middle)))
    rup.hypo = tuple(float(x) for x in middle)
    return rup


def scenario_gsim_tree(oq, registry, trt: str = "*"):
    """The GSIM logic tree of a scenario reduced to one branch set: the only one, or
    the one of the rupture's tectonic region type."""
    if "gsim_logic_tree" in oq.inputs:
        gslt = lt.GsimLogicTree.from_file(oq.inputs["gsim_logic_tree"], registry,
                                          oq.input_root)
        if len(gslt.branchsets) > 1:
            same = [bs for bs in gslt.branchsets
                    if bs.apply_to_trt and bs.apply_to_trt.lower() == trt.lower()]
            if len(same) != 1:
                raise InvalidInput(
                    "the GSIM logic tree has %d branch sets (%s): the rupture's tectonic "
                    "region type %r selects none" % (
                        len(gslt.branchsets), ", ".join(
                            str(bs.apply_to_trt) for bs in gslt.branchsets), trt),
                    fname=gslt.fname)
            gslt = lt.GsimLogicTree(same, gslt.fname)
        return gslt
    if oq.gsim and oq.gsim != "[FromFile]":
        return lt.GsimLogicTree.from_gsim(oq.gsim, registry, ["*"], oq.job_ini,
                                          oq.input_root)
    raise InvalidInput("a scenario needs gsim or gsim_logic_tree_file", param="gsim")


def file_avg_gmf(sid: np.ndarray, gmv: np.ndarray, num_sites: int,
                 num_events: int) -> np.ndarray:
    """Arithmetic mean and standard deviation over the events of the GMFs of a
    ``gmfs_file`` (a missing (site, event) pair counts as 0), as OpenQuake reports them.

    :param sid: (K,) site IDs; :param gmv: (K, M) ground-motion values
    :returns: (2, N, M) float32
    """
    M = gmv.shape[1]
    out = np.zeros((2, num_sites, M), np.float32)
    n = max(num_events, 1)
    for m in range(M):
        x = gmv[:, m].astype(float)
        mean = np.bincount(sid, x, num_sites) / n
        var = np.bincount(sid, x ** 2, num_sites) / n - mean ** 2
        out[0, :, m] = mean
        out[1, :, m] = np.sqrt(np.maximum(var, 0))
    return out


class ScenarioCalculator(GmfMixin, BaseCalculator):
    """Scenario hazard (see the module docstring)."""

    @staticmethod
    def read_inputs(oq, registry, log=None):
        """(rupture, GSIM logic tree, site collection), all checked; with ``gmfs_file``
        (None, GMFs, site collection); without a rupture (None, None, site
        collection)."""
        refuse_unsupported_gmf_inputs(oq)
        if "gmfs" in oq.inputs and "amplification" in oq.inputs:
            raise InvalidInput("the ground-motion fields of gmfs_file are not amplified: "
                               "remove amplification_csv", param="amplification_csv")
        if "gmfs" in oq.inputs and str(oq.inputs["gmfs"]).endswith(".hdf5"):
            gmfs, sites = read_gmfs_hdf5(oq.inputs["gmfs"])
            params = {k: v for k, v in sites.items() if k not in ("sids", "lon", "lat",
                                                                   "depth")}
            # the sites of the file, as they are (no custom_site_id added)
            sitecol = SiteCollection.from_points(sites["lon"], sites["lat"],
                                                 sites.get("depth"), params, sort=False)
        elif "gmfs" in oq.inputs:
            sitecol = with_custom_site_ids(build_site_collection(oq, [], True))
            gmfs = read_gmfs_csv(oq.inputs["gmfs"], sitecol, oq.inputs.get("sites"))
        if "gmfs" in oq.inputs:
            if oq.imtls and list(oq.imtls) != gmfs["imts"]:
                raise InvalidInput("the IMTs of the job (%s) differ from those of the GMF "
                                   "file (%s)" % (", ".join(oq.imtls), ", ".join(
                                       gmfs["imts"])), param="intensity_measure_types")
            return None, gmfs, sitecol
        set_imts_from_risk(oq)
        if not (oq.inputs.get("rupture_model") or oq.rupture_dict):
            # no rupture: the inputs are read (the sites of an exposure, say), nothing
            # is computed, as OpenQuake does
            return None, None, with_custom_site_ids(build_site_collection(oq, [], True))
        if not oq.imtls:
            raise InvalidInput("scenario needs intensity_measure_types",
                               param="intensity_measure_types")
        if not oq.number_of_ground_motion_fields:
            raise InvalidInput("scenario needs a positive number_of_ground_motion_fields",
                               param="number_of_ground_motion_fields")
        corr = correlation_model(oq.ground_motion_correlation_model,
                                 oq.ground_motion_correlation_params)
        rup = read_scenario_rupture(oq, log)
        gslt = scenario_gsim_tree(oq, registry, rup.trt)
        gsims = [b.value for b in gslt.branchsets[0].branches]
        required = gsim_site_params(gsims, oq.imt_objects)
        check_correlation(gsims, corr)
        job_truncation(oq, corr)
        cross_correlation_model(oq.cross_correlation)
        sitecol = with_custom_site_ids(build_site_collection(oq, required, True))
        if "amplification" in oq.inputs:
            site_amplification.read_job_amplification(oq, sitecol, gsims, gmfs=True)
        return rup, gslt, sitecol

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        """Pre-flight check by the runner: bad inputs fail before any job is created."""
        cls.read_inputs(oq, registry)

    def pre_execute(self) -> None:
        oq = self.oq
        self.rupture, self.gslt, self.sitecol = self.read_inputs(oq, self.job.registry,
                                                                   self.log)
        self.save_sitecol(self.sitecol)
        if self.gslt is None:  # the sites only
            self.log.warning("there is no rupture_model_file nor rupture_dict: the %d "
                             "sites are stored, nothing is computed", len(self.sitecol))
            return
        if self.rupture is None:  # GMFs from a file: one realization
            self.gsims = [None]
            self.weights = np.ones(1)
            arr = np.zeros(1, [("rlz_id", np.uint32), ("branch_path", "S64"),
                               ("weight", np.float32)])
            arr["branch_path"] = b"~A"
            arr["weight"] = 1
            self.datastore["realizations"] = arr
            self.datastore["weights"] = self.weights
            return
        bset = self.gslt.branchsets[0]
        self.gsims = [b.value for b in bset.branches]
        weights = np.array([b.weight for b in bset.branches])
        self.weights = weights / weights.sum()
        R = len(self.gsims)
        arr = np.zeros(R, [("rlz_id", np.uint32), ("branch_path", "S64"),
                           ("weight", np.float32)])
        arr["rlz_id"] = np.arange(R)
        arr["branch_path"] = [("~" + b.char).encode() for b in bset.branches]
        arr["weight"] = self.weights
        self.datastore["realizations"] = arr
        self.datastore["weights"] = self.weights
        self.datastore.save_json("full_lt", {
            "trts": [bset.apply_to_trt], "gsims_by_trt": {bset.apply_to_trt: [
                str(g) for g in self.gsims]}, "num_samples": 0, "seed": oq.random_seed,
            "gsim_lt": [[bset.apply_to_trt, [[b.branch_id, b.text, b.weight]
                                             for b in bset.branches]]]}, "FullLogicTree")
        self.log.info("%d sites, %d realizations, %d fields each", len(self.sitecol), R,
                      oq.number_of_ground_motion_fields)

    def execute(self):
        oq = self.oq
        if self.gslt is None:  # the sites only
            return
        if self.rupture is None:
            self.store_file_gmfs(self.gslt)
            return
        self.set_minimum_intensity()
        R = len(self.gsims)
        n = oq.number_of_ground_motion_fields
        # n events per realization, the realizations in GSIM draw order
        order = sorted(range(R), key=lambda r: gsim_draw_key(self.gsims[r]))
        events = np.zeros(n * R, EVENT_DT)
        events["id"] = np.arange(n * R)
        events["rlz_id"] = np.repeat(order, n)
        events["ses_id"] = 1
        self.events = events
        self.datastore["events"] = events
        trt = self.rupture.trt
        md = dict(oq.maximum_distance or {"default": 1000.0})
        oq.maximum_distance = md
        cmaker = ContextMaker(trt, self.gsims, oq, self.sitecol)
        maxdist = oq.max_distance(trt)
        seed = scenario_rupture_seed(oq)
        item = (0, self.rupture, maxdist, events["id"], events["rlz_id"],
                events["rlz_id"].astype(np.int64), seed)
        nsites = {}
        if oq.ground_motion_fields:
            nsites = self.compute_and_store_gmfs([([item], cmaker, self.gmf_params())],
                                                 self.weights)
        self.save_ruptures([dict(id=0, seed=seed, n_occ=n * R, e0=0,
                                 nsites=nsites.get(0, 0), rupture=self.rupture)])

    def store_file_gmfs(self, gmfs: dict) -> None:
        """Store the events and GMFs read from ``gmfs_file`` (no ruptures)."""
        imts = gmfs["imts"]
        self.min_iml = min_imls(self.oq.minimum_intensity, imts)
        E = gmfs["num_events"]
        events = np.zeros(E, FILE_EVENT_DT)
        events["id"] = np.arange(E)
        self.events = events
        self.datastore["events"] = events
        res = dict(sid=gmfs["sid"], eid=gmfs["eid"], gmv=gmfs["gmv"], nsites={},
                   sigeps=np.zeros(0, sigeps_dtype(len(imts))))
        self.store_gmfs([res], self.weights, imts)
        del self.datastore["sigma_epsilon"]
        if "avg_gmf" in self.datastore:  # given GMFs average arithmetically
            avg = file_avg_gmf(gmfs["sid"], gmfs["gmv"], len(self.sitecol), E)
            del self.datastore["avg_gmf"]
            self.datastore.save_labelled("avg_gmf", avg, stat=["mean", "std"],
                                         site_id=len(self.sitecol), imt=imts)

    def post_execute(self, result) -> None:
        pass


@hookimpl
def oq_register_calculators(registry):
    """Register the scenario calculator."""
    registry.add_calculator(CalculatorSpec(
        "scenario", ScenarioCalculator,
        "Scenario hazard: ground-motion fields of one rupture"))
