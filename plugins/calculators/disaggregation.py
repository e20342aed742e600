"""The ``disaggregation`` calculator: classical hazard curves, then, for each site, the
contribution of magnitude, distance, location, epsilon and tectonic-region bins to the
hazard at the levels of the mean hazard map (``poes``) or at ``iml_disagg``.

Datasets written, besides the classical ones (see :mod:`oqcore.hazard.disagg` for the
meaning of the values):

* ``disagg-bins/Mag``, ``/Dist``, ``/Eps`` (n+1,), ``/Lon``, ``/Lat`` (N, n+1),
  ``/TRT`` (T,) bytes: the bin edges;
* ``hmap3`` (N, M, P): the disaggregation levels, ``disagg-poes`` (N, M, P) their PoEs
  on the mean curves; ``best_rlzs`` (N, Z): the realizations
  disaggregated per site (closest to the mean curve first);
* ``disagg-rlzs/<Kind>`` (N, *bins, M, P, Z): PoE in the investigation time of each bin,
  per disaggregated realization; ``poe4`` (N, M, P, Z) the total PoE;
* ``disagg-stats/<Kind>`` (N, *bins, M, P, 1): the same for the weighted sum of the
  rates of the disaggregated realizations (the mean when all are; only when Z > 1);
* ``disagg-info`` (JSON): kinds, IMTs, PoEs, TRTs;
* with ``disagg_by_src``: ``mean_disagg_by_src/<site_id>`` (Nsrc, Ma, D, E, M) mean
  annual rates per source at the first level of the site (attribute ``iml``).
"""
from __future__ import annotations

import os
import time

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput
from oqcore.hazard import disagg
from oqcore.hazard.contexts import rates_to_poes
from oqcore.hazard.imt import IMT
from oqcore.hazard.source.ruptures import mag_rates
from oqcore.hazard.stats import compute_stats, hazard_maps
from oqcore.registry import CalculatorSpec
from oqplugins.calculators.classical import ClassicalCalculator

#: PoEs below this are treated as zero when ordering realizations by closeness
CUTOFF = 1e-12


def check_disagg_params(oq, num_sites: int) -> None:
    """Disaggregation-specific checks (InvalidInput naming the parameter)."""
    if not oq.poes and not oq.iml_disagg:
        raise InvalidInput("disaggregation needs poes (or poes_disagg) or iml_disagg",
                           param="poes")
    if oq.poes and oq.iml_disagg:
        raise InvalidInput("iml_disagg and poes (poes_disagg) cannot be set at the same "
                           "time", param="iml_disagg")
    if num_sites > oq.max_sites_disagg:
        raise InvalidInput("%d sites to disaggregate but max_sites_disagg = %d: raise "
                           "max_sites_disagg or use fewer sites" %
                           (num_sites, oq.max_sites_disagg), param="max_sites_disagg")
    if not oq.truncation_level or oq.truncation_level <= 0:
        raise InvalidInput("disaggregation needs a positive truncation_level, got %r" %
                           oq.truncation_level, param="truncation_level")
    for kind in oq.disagg_outputs or []:
        if kind not in disagg.KINDS:
            raise InvalidInput("unknown disaggregation kind %r (known: %s)" % (
                kind, ", ".join(disagg.KINDS)), param="disagg_outputs")
    if oq.iml_disagg:
        missing = set(oq.imtls) - set(oq.iml_disagg)
        if missing:
            raise InvalidInput("iml_disagg has no level for %s" % sorted(missing),
                               param="iml_disagg")
    try:
        disagg.check_edges(oq.disagg_bin_edges or {}, num_sites)
    except ValueError as exc:
        raise InvalidInput(str(exc), param="disagg_bin_edges") from None
    if oq.rlz_index is not None and oq.num_rlzs_disagg not in (0, 1):
        raise InvalidInput("rlz_index and num_rlzs_disagg = %d cannot be set at the "
                           "same time" % oq.num_rlzs_disagg, param="rlz_index")


def check_memory(N: int, Z: int, bins: disagg.DisaggBins, MP: tuple) -> None:
    """Refuse matrices (N, Z, *bins, M, P) needing more than half the physical memory."""
    need = 8.0 * N * Z * np.prod(bins.shape) * np.prod(MP)
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return
    if 2 * need > total:
        raise InvalidInput("the disaggregation matrices need %.1f GB (%d sites x %d "
                           "realizations x %d bins x %d levels): use wider bins, fewer "
                           "sites or num_rlzs_disagg" % (need / 1024 ** 3, N, Z,
                                                         np.prod(bins.shape), np.prod(MP)),
                           param="num_rlzs_disagg")


def closest_rlzs(curves: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Realizations ordered by the distance of their curves to the mean curve.

    :param curves: (R, L) PoEs of one site (all IMTs)
    :param mean: (L,) the mean PoEs
    :returns: (R,) realization indices, closest first (ties by index); the distance
        is the Euclidean norm of the difference of the logarithms (PoEs < 1e-12 cut)
    """
    logref = np.log(np.maximum(mean, CUTOFF))
    dist = np.sqrt(((np.log(np.maximum(curves, CUTOFF)) - logref) ** 2).sum(axis=1))
    return np.lexsort((np.arange(len(curves)), dist))


def levels_from_iml_disagg(oq) -> None:
    """Without intensity_measure_types_and_levels, ``iml_disagg`` gives the IMTs, each
    with its disaggregation level as single hazard-curve level; IMT names are made
    canonical ('SA(0.10)' -> 'SA(0.1)')."""
    if not oq.iml_disagg:
        return
    try:
        oq.iml_disagg = {str(IMT.from_string(k)): float(v) for k, v in oq.iml_disagg.items()}
    except ValueError as exc:
        raise InvalidInput(str(exc), param="iml_disagg") from None
    if not oq.intensity_measure_types_and_levels:
        oq.intensity_measure_types_and_levels = {
            imt: [iml] for imt, iml in oq.iml_disagg.items()}


class DisaggregationCalculator(ClassicalCalculator):
    """Classical PSHA followed by disaggregation (see the module docstring): the
    classical tasks keep their contexts, which are then binned in this process."""

    keep_contexts = True

    def __init__(self, job):
        super().__init__(job)
        levels_from_iml_disagg(self.oq)

    @classmethod
    def check_inputs(cls, oq, registry) -> None:
        """Pre-flight check: the classical inputs plus the disaggregation parameters."""
        levels_from_iml_disagg(oq)
        _hmodel, sitecol = cls.read_inputs(oq, registry)
        check_disagg_params(oq, len(sitecol))

    def pre_execute(self) -> None:
        super().pre_execute()
        check_disagg_params(self.oq, len(self.sitecol))

    def post_execute(self, result) -> None:
        super().post_execute(result)
        self.disaggregate()

    # ------------------------------------------------------------------ phases
    def mean_curves(self, poes: np.ndarray) -> np.ndarray:
        """The mean hazard curves (N, M, L1) from the realization PoEs (R, N, M, L1)."""
        if len(poes) == 1:
            return poes[0]
        imt_w = self.imt_weights()
        out = np.zeros(poes.shape[1:])
        T = self.oq.investigation_time
        for m in range(poes.shape[2]):
            if self.oq.use_rates:  # the mean of the rates, as the classical statistics
                rates = -np.log1p(-poes[:, :, m]) / T
                out[:, m] = rates_to_poes(compute_stats(rates, ["mean"], imt_w[m])[0], T)
            else:
                out[:, m] = compute_stats(poes[:, :, m], ["mean"], imt_w[m])[0]
        return out

    def disagg_levels(self, mean: np.ndarray) -> np.ndarray:
        """hmap3 (N, M, P): the IMLs at the disaggregation PoEs on the mean curves, or
        ``iml_disagg`` (P = 1)."""
        oq = self.oq
        N, M = mean.shape[:2]
        if oq.iml_disagg:
            return np.array([[[oq.iml_disagg[imt]] for imt in oq.imts]] * N, float)
        out = np.zeros((N, M, len(oq.poes)))
        for m, imt in enumerate(oq.imts):
            out[:, m] = hazard_maps(mean[:, m], oq.imtls[imt], oq.poes)
        return out

    def level_poes(self, mean: np.ndarray, iml3: np.ndarray) -> np.ndarray:
        """(N, M, P) PoEs of the disaggregation levels: ``poes``, or with
        ``iml_disagg`` the PoE of the mean curve at the level (log-log interpolation)."""
        oq = self.oq
        if not oq.iml_disagg:
            return np.broadcast_to(np.array(oq.poes, float), iml3.shape).copy()
        out = np.zeros(iml3.shape)
        for m, imt in enumerate(oq.imts):
            loglev = np.log(oq.imtls[imt])
            for s in range(len(mean)):
                logc = np.log(np.maximum(mean[s, m], 1e-30))
                out[s, m, 0] = np.exp(np.interp(np.log(iml3[s, m, 0]), loglev, logc))
        return out

    def chosen_rlzs(self, poes: np.ndarray, mean: np.ndarray) -> np.ndarray:
        """best_rlzs (N, Z): ``rlz_index``, or the ``num_rlzs_disagg`` (0 = all)
        realizations closest to the mean curve of each site."""
        oq = self.oq
        R, N = poes.shape[:2]
        if oq.rlz_index is not None:
            bad = [r for r in oq.rlz_index if not 0 <= r < R]
            if bad:
                raise InvalidInput("rlz_index %s: the model has %d realizations" %
                                   (bad, R), param="rlz_index")
            return np.array([list(oq.rlz_index)] * N, np.int64)
        Z = min(oq.num_rlzs_disagg or R, R)
        if R == 1:
            return np.zeros((N, 1), np.int64)
        flat = poes.reshape(R, N, -1)
        mflat = mean.reshape(N, -1)
        return np.array([closest_rlzs(flat[:, s], mflat[s])[:Z] for s in range(N)],
                        np.int64)

    def model_mags(self) -> list[float]:
        """The magnitudes of the ruptures of every source model (rounded to 0.01)."""
        mags = set()
        for sm in self.hmodel.source_models:
            for trt, sources in sm.sources_by_trt.items():
                min_mag = self.oq.min_mag(trt)
                for src in sources:
                    mags.update(float("%.2f" % m) for m in mag_rates(src, min_mag)[0])
        return sorted(mags)

    def disaggregate(self) -> None:
        """Compute and store the disaggregation matrices."""
        oq = self.oq
        T = oq.investigation_time
        N, M, L1 = len(self.sitecol), len(oq.imts), oq.L1
        rates = self.rlz_rates()  # (R, N, M*L1)
        R = len(rates)
        poes = rates_to_poes(rates, T).reshape(R, N, M, L1)
        mean = self.mean_curves(poes)
        iml3 = self.disagg_levels(mean)
        if not iml3.any():
            raise InvalidInput("cannot disaggregate: the hazard is zero at every "
                               "disaggregation level (check poes and the source model)",
                               param="poes")
        best = self.chosen_rlzs(poes, mean)
        trts = list(self.hmodel.trts)
        kinds = list(oq.disagg_outputs or disagg.KINDS)
        try:
            bins = disagg.build_bins(oq, self.sitecol, self.model_mags(), trts, kinds)
        except ValueError as exc:  # the message names the parameter
            raise InvalidInput(str(exc)) from None
        self.save_bins(bins)
        ds = self.datastore
        ds["hmap3"] = iml3
        ds["disagg-poes"] = self.level_poes(mean, iml3)
        ds["best_rlzs"] = best
        check_memory(len(self.sitecol), best.shape[1], bins, iml3.shape[1:])
        acc = self.disagg_rates(bins, iml3)
        full, mean_rates = self.combine(acc, bins, best)
        P = iml3.shape[2]
        self.save_matrices("disagg-rlzs", full, kinds, T)
        ds["poe4"] = rates_to_poes(full.sum(axis=(2, 3, 4, 5, 6, 7)), T
                                   ).transpose(0, 2, 3, 1)  # (N, M, P, Z)
        if mean_rates is not None:
            self.save_matrices("disagg-stats", mean_rates[:, None], kinds, T)
        if oq.disagg_by_src:
            self.save_disagg_by_src(bins, iml3)
        ds.save_json("disagg-info", {
            "kinds": kinds, "imts": list(oq.imts), "trts": trts,
            "poes": list(oq.poes) if not oq.iml_disagg else [],
            "iml_disagg": dict(oq.iml_disagg or {}), "num_levels": P,
            "investigation_time": T, "num_rlzs": R, "epsilon_star": bool(oq.epsilon_star)})

    def disagg_rates(self, bins: disagg.DisaggBins, iml3: np.ndarray) -> list:
        """Disaggregate the contexts kept by the classical phase; returns one dict per
        source model {trt: rates (G, N, Ma, D, Lo, La, E, M, P)}."""
        oq = self.oq
        with np.errstate(divide="ignore"):
            logiml = np.ascontiguousarray(np.log(iml3))
        t0 = time.time()
        out: list[dict] = []
        nctx = 0
        for per_trt in self.contexts:
            acc = {}
            for trt, kept in per_trt.items():
                G = len(self.hmodel.gsims_by_trt()[trt])
                acc[trt] = rates = np.zeros((G, len(self.sitecol)) + bins.shape[:5] +
                                            iml3.shape[1:])
                nctx += disagg.disagg_kept(kept, bins, logiml, oq.truncation_level,
                                           bool(oq.epsilon_star), rates)
            out.append(acc)
        self.log.info("disaggregation of %d contexts in %.1f s", nctx, time.time() - t0)
        return out

    def save_disagg_by_src(self, bins: disagg.DisaggBins, iml3: np.ndarray) -> None:
        """``mean_disagg_by_src/<site_id>``: per source, the annual exceedance rates of
        the first disaggregation level of the site by magnitude, distance and epsilon,
        weighted over all the realizations, array (Nsrc, Ma, D, E, M)."""
        oq = self.oq
        N = len(self.sitecol)
        gsims_by_trt = self.hmodel.gsims_by_trt()
        with np.errstate(divide="ignore"):
            logiml = np.ascontiguousarray(np.log(iml3[:, :, :1]))
        # a single lon/lat bin per site
        flat = disagg.DisaggBins(bins.mag, bins.dist, bins.lon[:, [0, -1]],
                                 bins.lat[:, [0, -1]], bins.eps, bins.trt)
        per_sm = []
        for per_trt in self.contexts:
            acc: dict = {}
            for trt, kept in per_trt.items():
                G = len(gsims_by_trt[trt])
                by_src: dict = {}
                for entry in kept:
                    by_src.setdefault(entry[2], []).append(entry)
                for src, entries in by_src.items():
                    if (trt, src) not in acc:
                        acc[trt, src] = np.zeros((G, N) + flat.shape[:5] + logiml.shape[1:])
                    disagg.disagg_kept(entries, flat, logiml, oq.truncation_level,
                                       bool(oq.epsilon_star), acc[trt, src])
            per_sm.append(acc)
        src_ids = sorted({src for acc in per_sm for _, src in acc})
        Ma, D, _, _, E, _ = flat.shape
        out = np.zeros((N, len(src_ids), Ma, D, E, len(oq.imts)))
        sm_of = {r: i for i, sm in enumerate(self.hmodel.source_models) for r in sm.rlzs}
        for rlz in self.hmodel.realizations:
            g_of = rlz.gsim_by_trt()
            for (trt, src), rates in per_sm[sm_of[rlz.ordinal]].items():
                g = gsims_by_trt[trt].index(g_of[trt])
                out[:, src_ids.index(src)] += rlz.weight * rates[g][:, :, :, 0, 0, :, :, 0]
        for s in range(N):
            key = "mean_disagg_by_src/%d" % s
            self.datastore.save_labelled(
                key, out[s], source_id=src_ids, mag=bins.centres("mag").tolist(),
                dist=bins.centres("dist").tolist(), eps=bins.centres("eps").tolist(),
                imt=list(oq.imts))
            self.datastore.hdf5[key].attrs["iml"] = iml3[s, :, 0]

    def combine(self, acc: list, bins: disagg.DisaggBins, best: np.ndarray):
        """Rates per site and disaggregated realization, and their weighted sum.

        The "mean" sums the rates of the Z disaggregated realizations of each site times
        their weights (as the reference does: with Z = R it is the weighted mean; with
        fewer realizations the weights are not renormalised).

        :returns: (full (N, Z, Ma, D, Lo, La, E, T, M, P), mean (N, ...same) or None
            when Z = 1)
        """
        gsims_by_trt = self.hmodel.gsims_by_trt()
        N, Z = best.shape
        trts = bins.trt
        rlzs = self.hmodel.realizations
        sm_of = {r: i for i, sm in enumerate(self.hmodel.source_models) for r in sm.rlzs}
        some = next((m for per in acc for m in per.values()), None)
        tail = some.shape[-2:] if some is not None else (len(self.oq.imts), 1)
        full = np.zeros((N, Z) + bins.shape + tail)
        for s in range(N):
            for z, r in enumerate(best[s]):
                g_of = rlzs[r].gsim_by_trt()
                for trt, mat in acc[sm_of[r]].items():
                    g = gsims_by_trt[trt].index(g_of[trt])
                    full[s, z, :, :, :, :, :, trts.index(trt)] += mat[g, s]
        if Z == 1:
            return full, None
        w = np.array([[rlzs[r].weight for r in row] for row in best])  # (N, Z)
        mean = np.einsum("nz,nz...->n...", w, full)
        return full, mean

    def save_bins(self, bins: disagg.DisaggBins) -> None:
        """disagg-bins/<Axis> datasets."""
        ds = self.datastore
        ds["disagg-bins/Mag"] = bins.mag
        ds["disagg-bins/Dist"] = bins.dist
        ds["disagg-bins/Lon"] = bins.lon
        ds["disagg-bins/Lat"] = bins.lat
        ds["disagg-bins/Eps"] = bins.eps
        ds["disagg-bins/TRT"] = np.array([t.encode() for t in bins.trt])

    def save_matrices(self, name: str, rates: np.ndarray, kinds: list, T: float) -> None:
        """``<name>/<Kind>`` (N, *bins, M, P, Z) PoEs from rates (N, Z, 6 axes, M, P)."""
        for kind in kinds:
            proj = np.array([[disagg.project(rz, kind) for rz in rs] for rs in rates])
            # (N, Z, *bins, M, P) -> (N, *bins, M, P, Z)
            arr = np.moveaxis(rates_to_poes(proj, T), 1, -1)
            key = "%s/%s" % (name, kind)
            self.datastore[key] = arr
            self.datastore.hdf5[key].attrs["shape_descr"] = (
                ["site_id"] + kind.split("_") + ["imt", "poe", "Z"])


@hookimpl
def oq_register_calculators(registry):
    """Register the disaggregation calculator."""
    registry.add_calculator(CalculatorSpec(
        "disaggregation", DisaggregationCalculator,
        "Classical PSHA and disaggregation by magnitude, distance, location, epsilon "
        "and tectonic region"))
