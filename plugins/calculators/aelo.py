"""The ``aelo`` calculator: classical hazard of one site (one or more vs30 values), then
the ASCE 7 / ASCE 41 design ground motions.

After the classical phase (mean curves, UHS, mean rates by source), for each site:

1. ProbMCE per IMT from the mean curve (:func:`oqcore.hazard.asce.probabilistic_mce`).
2. Relevant sources: per IMT, those whose mean rate of exceeding ProbMCE / factor is more
   than 10 % of the largest source's rate; the union over IMTs.
3. DetMCE per IMT: for each relevant source, the rate-weighted mean epsilon and total
   sigma of its ruptures at the ProbMCE level (all GSIMs, weighted by realization
   weight), and ``ProbMCE exp(sigma (1 - epsilon))``; the largest over sources.
4. MCE = min(ProbMCE, max(DetMCE, DLL)); ASCE 7 and ASCE 41 parameters.

Datasets: ``aelo_mce`` (JSON records per site and IMT), ``mce_governing`` (the largest
MCE over the vs30 values of a location, per period), ``asce07``, ``asce41``,
``aelo_sources`` (relevant sources) and ``aelo_notes`` (per site: zero_hazard,
low_hazard, below_min, only_prob_mce), each one JSON list per site.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

from oqcore import hookimpl
from oqcore.aelo import plots
from oqcore.hazard import asce
from oqcore.registry import CalculatorSpec
from oqplugins.calculators.classical import ClassicalCalculator

#: a source is relevant if its rate exceeds this fraction of the largest source's rate
RELEVANT_FRACTION = 0.1
#: ProbMCE(SA(0.2)) and ProbMCE(SA(1.0)) below these (g) get the below_min warning
MIN_SS, MIN_S1 = 0.11, 0.04


def exceedance_fraction(eps: np.ndarray, truncation_level: float) -> np.ndarray:
    """P(epsilon > eps) of a normal distribution truncated at +- truncation_level."""
    if truncation_level and truncation_level > 0:
        lo, hi = norm.cdf(-truncation_level), norm.cdf(truncation_level)
        return np.clip((hi - norm.cdf(eps)) / (hi - lo), 0.0, 1.0)
    return norm.sf(eps)


def source_rates_at(levels: np.ndarray, rates: np.ndarray, level: float) -> np.ndarray:
    """Rates of exceeding ``level`` per source, log-log interpolated in the levels.

    :param levels: (L,) increasing levels (g)
    :param rates: (L, S) annual rates per source
    """
    out = np.zeros(rates.shape[1])
    if level <= 0:
        return out
    for s in range(rates.shape[1]):
        ok = rates[:, s] > 0
        if ok.sum() >= 2 and level <= levels[ok][-1]:
            out[s] = math.exp(np.interp(math.log(level), np.log(levels[ok]),
                                        np.log(rates[ok, s])))
    return out


def governing_spectrum(records: list[dict]) -> list[dict]:
    """Per site location (custom id prefix before ':') and period, the largest MCE over
    its vs30 values: records (custom_site_id, period, imt, SaM)."""
    best: dict = {}
    for r in records:
        key = (r["custom_site_id"].split(":")[0], r["period"], r["imt"])
        best[key] = max(best.get(key, 0.0), r["MCE"])
    return [{"custom_site_id": cid, "period": t, "imt": imt, "SaM": v}
            for (cid, t, imt), v in best.items()]


class AeloCalculator(ClassicalCalculator):
    """Classical hazard, then the AELO post-processing (see the module docstring)."""

    keep_contexts = True

    def post_execute(self, result) -> None:
        super().post_execute(result)
        self.design_values()

    def mean_curves(self) -> np.ndarray:
        """Mean hazard curves (N, M, L1) PoEs."""
        ds = self.datastore
        if "hcurves-stats" in ds:
            stats = list(self.oq.statistics)
            return ds["hcurves-stats"][()][:, stats.index("mean")]
        return ds["hcurves-rlzs"][()][:, 0]

    def gsim_weights(self) -> list[dict]:
        """Per source model, {trt: (G,) summed realization weights of each GSIM}."""
        gsims_by_trt = self.hmodel.gsims_by_trt()
        out = []
        for sm in self.hmodel.source_models:
            acc = {trt: np.zeros(len(g)) for trt, g in gsims_by_trt.items()}
            for rlz in self.hmodel.realizations:
                if rlz.ordinal in sm.rlzs:
                    for trt, gsim in rlz.gsim_by_trt().items():
                        acc[trt][gsims_by_trt[trt].index(gsim)] += rlz.weight
            out.append(acc)
        return out

    def source_eps_sigma(self, sid: int, m: int, loglevel: float) -> dict:
        """{source_id: (mean epsilon, mean sigma, mean mag, mean rrup, rate)} of the
        ruptures exceeding exp(loglevel) at site ``sid`` for IMT index ``m``."""
        acc: dict = {}
        tl = self.oq.truncation_level
        if "_gsim_weights" not in self.__dict__:
            self._gsim_weights = self.gsim_weights()
        for weights, per_trt in zip(self._gsim_weights, self.contexts):
            for trt, kept in per_trt.items():
                for ctx, mean_stds, src in kept:
                    here = ctx["sids"] == sid
                    if not here.any():
                        continue
                    occ = ctx["occurrence_rate"][here]
                    for g, ms in enumerate(mean_stds):
                        w = weights[trt][g]
                        if w == 0:
                            continue
                        mu, sig = ms[0][m, here], ms[1][m, here]
                        eps = (loglevel - mu) / sig
                        lam = w * occ * exceedance_fraction(eps, tl)
                        a = acc.setdefault(src, np.zeros(5))
                        a += [np.sum(lam * eps), np.sum(lam * sig),
                              np.sum(lam * ctx["mag"][here]),
                              np.sum(lam * ctx["rrup"][here]), np.sum(lam)]
        return {src: tuple(a[:4] / a[4]) + (a[4],) for src, a in acc.items() if a[4] > 0}

    def design_values(self) -> None:
        """Compute and store the AELO outputs of every site."""
        oq = self.oq
        ds = self.datastore
        version = oq.asce_version or "ASCE7-16"
        imts = list(oq.imts)
        periods = [asce.imt_period(imt) for imt in imts]
        mean = self.mean_curves()
        by_src = ds["mean_rates_by_src"][()] if "mean_rates_by_src" in ds else None
        src_ids = ds.labels("mean_rates_by_src").get("src_id", []) if by_src is not None \
            else []
        T = oq.investigation_time
        records, a7, a41, notes, relevant_out = [], [], [], [], []
        for sid, site in enumerate(self.sitecol.array):
            vs30 = float(site["vs30"])
            cls = asce.site_class(vs30)
            cid = site["custom_site_id"].decode() if "custom_site_id" in \
                site.dtype.names else str(sid)
            site_notes = []
            rates = asce.annual_rates(mean[sid], T)           # (M, L1)
            src_total = by_src[sid].sum() if by_src is not None else rates.sum()
            if src_total == 0:
                site_notes.append("zero_hazard")
            elif (rates < 1.0 / 2475).all():
                site_notes.append("low_hazard")
            if site_notes:
                notes.append({"custom_site_id": cid, "notes": site_notes})
                a7.append({"custom_site_id": cid})
                a41.append({"custom_site_id": cid})
                continue
            probs = [asce.probabilistic_mce(imt, oq.imtls[imt], mean[sid, m], T, version)
                     for m, imt in enumerate(imts)]
            relevant: set = set()
            if by_src is not None:
                for m, imt in enumerate(imts):
                    level = probs[m]["ProbMCE"] / probs[m]["factor"]
                    src_rates = source_rates_at(np.asarray(oq.imtls[imt]),
                                                by_src[sid, m], level)
                    if src_rates.max() > 0:
                        keep = src_rates > RELEVANT_FRACTION * src_rates.max()
                        relevant |= {src_ids[j] for j in np.nonzero(keep)[0]}
            mce, uhs5, uhs20, uhs10, factors = [], [], [], [], []
            for m, imt in enumerate(imts):
                p = probs[m]
                dll = asce.deterministic_lower_limit(imt, cls) if imt == "PGA" or \
                    periods[m] <= 10 else 0.0
                det, det_src = 0.0, None
                if p["ProbMCE"] > 0:
                    stats = self.source_eps_sigma(
                        sid, m, math.log(p["ProbMCE"] / p["factor"]))
                    for src, (eps, sig, mag, rrup, _rate) in stats.items():
                        if src not in relevant:
                            continue
                        value = asce.deterministic_value(p["ProbMCE"], eps, sig)
                        relevant_out.append({"custom_site_id": cid, "imt": imt,
                                             "source_id": src, "mag": mag, "rrup": rrup,
                                             "eps": eps, "sigma": sig, "DetMCE": value})
                        if value > det:
                            det, det_src = value, src
                value = asce.governing_mce(p["ProbMCE"], det, dll)
                mce.append(value)
                factors.append(p["factor"])
                curve = mean[sid, m]
                uhs5.append(asce.uhs_value(oq.imtls[imt], curve, T, 0.05))
                uhs10.append(asce.uhs_value(oq.imtls[imt], curve, T, 0.10))
                uhs20.append(asce.uhs_value(oq.imtls[imt], curve, T, 0.20))
                records.append({"custom_site_id": cid, "vs30": vs30, "site_class": cls,
                                "imt": imt, "period": periods[m], "factor": p["factor"],
                                "UHGM": p["UHGM"], "RTGM": p["RTGM"],
                                "RiskCoef": p["RiskCoef"], "ProbMCE": p["ProbMCE"],
                                "DetMCE": det, "DLL": dll, "MCE": value,
                                "det_source": det_src})
            if all(r["ProbMCE"] < r["DLL"] for r in records[-len(imts):]):
                site_notes.append("only_prob_mce")
            ss = [p["ProbMCE"] for p, imt in zip(probs, imts) if imt == "SA(0.2)"]
            s1 = [p["ProbMCE"] for p, imt in zip(probs, imts) if imt == "SA(1.0)"]
            if (ss and ss[0] < MIN_SS) or (s1 and s1[0] < MIN_S1):
                site_notes.append("below_min")
            notes.append({"custom_site_id": cid, "notes": site_notes})
            a7.append(dict(custom_site_id=cid, vs30=vs30, **asce.asce7_parameters(
                periods, mce, vs30, version)))
            p41 = asce.asce41_parameters(periods, mce, uhs5, uhs20, factors, vs30, version)
            for key, t in (("Ss", 0.2), ("S1", 1.0)):   # the 10 % in 50 years UHS
                if t in periods:
                    p41["UHS10_%s" % key] = uhs10[periods.index(t)]
            a41.append(dict(custom_site_id=cid, vs30=vs30, **p41))
        ds.save_json("aelo_mce", records)
        ds.save_json("mce_governing", governing_spectrum(records))
        ds.save_json("asce07", a7)
        ds.save_json("asce41", a41)
        ds.save_json("aelo_sources", relevant_out)
        ds.save_json("aelo_notes", notes)
        self.save_pictures(records, mean, by_src, src_ids)
        for row in notes:
            for note in row["notes"]:
                self.log.warning("site %s: %s", row["custom_site_id"], note)

    def save_pictures(self, records: list, mean: np.ndarray, by_src, src_ids) -> None:
        """``png/<name>`` datasets (PNG bytes) of the first site: governing MCE spectra,
        mean hazard curves and, with ``mean_rates_by_src``, the hazard by source."""
        oq, ds = self.oq, self.datastore
        pngs = {plots.HCURVES: plots.hcurves_png(oq.imtls, mean[0], oq.investigation_time)}
        if records:
            pngs[plots.GOVERNING_MCE] = plots.governing_mce_png(records)
        if by_src is not None:
            pngs[plots.DISAGG_BY_SRC] = plots.disagg_by_src_png(oq.imtls, by_src[0], src_ids)
        for name, data in pngs.items():
            ds["png/" + name] = np.frombuffer(data, np.uint8)


@hookimpl
def oq_register_calculators(registry):
    """Register the aelo calculator."""
    registry.add_calculator(CalculatorSpec(
        "aelo", AeloCalculator, "AELO: design ground motions (ASCE 7, ASCE 41) of a site"))
