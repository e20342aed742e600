"""Design ground motions of ASCE 7 (7-16, 7-22) and ASCE 41 (41-17, 41-23).

From mean hazard curves to the probabilistic MCE_R (risk-targeted, maximum direction,
:mod:`oqcore.hazard.rtgm`), the deterministic cap, the deterministic lower limits (DLL)
and the building-code parameters. All ground motions are in g; periods in seconds
(PGA has period 0).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard import rtgm as rtgm_mod

ASCE7_VERSIONS = ("ASCE7-16", "ASCE7-22")
#: ASCE 41 edition reported with each ASCE 7 edition
ASCE41_OF = {"ASCE7-16": "ASCE41-17", "ASCE7-22": "ASCE41-23"}
#: (lower vs30 bound in m/s, class); vs30 above the bound (>= for A) gets the class
SITE_CLASS_BOUNDS = ((1500.0, "A"), (914.0, "B"), (640.0, "BC"), (442.0, "C"),
                     (305.0, "CD"), (213.0, "D"), (152.0, "DE"), (0.0, "E"))
SITE_CLASSES = tuple(c for _, c in SITE_CLASS_BOUNDS)
#: factor anchors (period, factor), linear in between, constant outside
MAXDIR_ANCHORS = {"ASCE7-16": ((0.2, 1.1), (1.0, 1.3), (5.0, 1.5)),
                  "ASCE7-22": ((0.2, 1.2), (1.0, 1.25), (10.0, 1.3))}
#: annual poes (investigation time 1 year) of 2, 5, 10, 20, 50 % in 50 years
DESIGN_POES_50Y = (0.02, 0.05, 0.10, 0.20, 0.50)

# ASCE 7-22 deterministic lower-limit spectra (maximum direction, g); row PGA is period
# None, the others are SA periods; columns follow SITE_CLASSES
_DLL_ROWS = """\
PGA 0.37 0.43 0.50 0.55 0.56 0.53 0.46 0.42
0.0 0.50 0.57 0.66 0.73 0.74 0.69 0.61 0.55
0.01 0.50 0.57 0.66 0.73 0.75 0.70 0.62 0.55
0.02 0.52 0.58 0.68 0.74 0.75 0.70 0.62 0.55
0.03 0.60 0.66 0.75 0.79 0.78 0.70 0.62 0.55
0.05 0.81 0.89 0.95 0.96 0.89 0.76 0.62 0.55
0.075 1.04 1.14 1.21 1.19 1.08 0.90 0.71 0.62
0.1 1.12 1.25 1.37 1.37 1.24 1.04 0.82 0.72
0.15 1.12 1.29 1.53 1.61 1.50 1.27 1.00 0.87
0.2 1.01 1.19 1.50 1.71 1.66 1.44 1.15 1.01
0.25 0.90 1.07 1.40 1.71 1.77 1.58 1.30 1.15
0.3 0.81 0.98 1.30 1.66 1.83 1.71 1.44 1.30
0.4 0.69 0.83 1.14 1.53 1.82 1.80 1.61 1.48
0.5 0.60 0.72 1.01 1.38 1.73 1.80 1.68 1.60
0.75 0.46 0.54 0.76 1.07 1.41 1.57 1.60 1.59
1.0 0.37 0.42 0.60 0.86 1.17 1.39 1.51 1.58
1.5 0.26 0.29 0.41 0.60 0.84 1.09 1.35 1.54
2.0 0.21 0.23 0.31 0.45 0.64 0.88 1.19 1.46
3.0 0.15 0.17 0.21 0.31 0.45 0.63 0.89 1.11
4.0 0.12 0.13 0.16 0.24 0.34 0.47 0.66 0.81
5.0 0.10 0.11 0.13 0.19 0.26 0.36 0.49 0.61
7.5 0.063 0.068 0.080 0.11 0.15 0.19 0.26 0.31
10.0 0.042 0.045 0.052 0.069 0.089 0.11 0.14 0.17"""


def _dll_table():
    pga, periods, rows = None, [], []
    for line in _DLL_ROWS.splitlines():
        head, *vals = line.split()
        if head == "PGA":
            pga = np.array(vals, float)
        else:
            periods.append(float(head))
            rows.append(np.array(vals, float))
    return pga, np.array(periods), np.array(rows)


_DLL_PGA, _DLL_PERIODS, _DLL_SA = _dll_table()


def imt_period(imt: str) -> float:
    """0 for PGA, T for ``SA(T)``; ValueError for any other IMT."""
    if imt == "PGA":
        return 0.0
    if imt.startswith("SA(") and imt.endswith(")"):
        return float(imt[3:-1])
    raise ValueError("AELO handles only PGA and SA, not %s" % imt)


def site_class(vs30: float) -> str:
    """The ASCE 7-22 site class of a vs30 (m/s)."""
    for bound, cls in SITE_CLASS_BOUNDS:
        if vs30 > bound or (cls == "A" and vs30 >= bound):
            return cls
    return "E"


def max_direction_factor(imt: str, asce_version: str) -> float:
    """Geometric mean to maximum direction factor (1 for PGA), rounded to 3 decimals."""
    period = imt_period(imt)
    if imt == "PGA":
        return 1.0
    ts, fs = zip(*MAXDIR_ANCHORS[asce_version])
    return float(np.round(np.interp(period, ts, fs), 3))  # half to even, as the tables


def deterministic_lower_limit(imt: str, cls: str) -> float:
    """The DLL (g, maximum direction) of an IMT for a site class, linear in period."""
    col = SITE_CLASSES.index(cls)
    if imt == "PGA":
        return float(_DLL_PGA[col])
    return float(np.interp(imt_period(imt), _DLL_PERIODS, _DLL_SA[:, col]))


def annual_rates(poes, investigation_time: float) -> np.ndarray:
    """Annual rates ``-ln(1 - poe) / T`` floored at 1e-12; shape of ``poes``."""
    poes = np.clip(np.asarray(poes, float), 0.0, 1.0 - 1e-16)
    return np.maximum(-np.log1p(-poes) / investigation_time, 1e-12)


class MaxImlTooLow(ValueError):
    """The hazard curve has not reached the 2475-year rate at its top level."""


def probabilistic_mce(imt: str, levels, poes, investigation_time: float,
                      asce_version: str) -> dict:
    """ProbMCE of one mean hazard curve.

    :param levels: intensity levels (g, geometric mean), shape (L,)
    :param poes: probabilities of exceedance in ``investigation_time``, shape (L,)
    :returns: dict with ``ProbMCE`` (maximum direction), ``RTGM`` (nan for PGA),
        ``UHGM`` (geometric mean), ``RiskCoef`` and ``factor``
    """
    factor = max_direction_factor(imt, asce_version)
    levels = np.asarray(levels, float)
    rates = annual_rates(poes, investigation_time)
    out = {"factor": factor, "RTGM": math.nan, "UHGM": 0.0, "RiskCoef": math.nan,
           "ProbMCE": 0.0}
    if rates[0] < rtgm_mod.UHGM_RATE:
        return out
    if rates[-1] > rtgm_mod.UHGM_RATE:
        raise MaxImlTooLow("the max iml is too low for %s: the hazard curve is above "
                           "the 2475-year rate at %.4g g" % (imt, levels[-1]))
    if imt == "PGA":
        ok = rates > 1e-12
        out["UHGM"] = out["ProbMCE"] = rtgm_mod.uniform_hazard_motion(
            levels[ok], rates[ok], rtgm_mod.UHGM_RATE)
        return out
    res = rtgm_mod.rtgm(levels * factor, rates)
    out.update(RTGM=res.rtgm, UHGM=res.uhgm / factor, RiskCoef=res.risk_coefficient,
               ProbMCE=res.rtgm)
    return out


def governing_mce(prob_mce: float, det_mce: float, dll: float) -> float:
    """MCE = min(ProbMCE, max(DetMCE, DLL)), rounded to 5 decimals."""
    return round(min(prob_mce, max(det_mce, dll)), 5)


def deterministic_value(prob_mce: float, eps: float, sigma: float) -> float:
    """84th-percentile ground motion of a source scaled to the ProbMCE level.

    :param prob_mce: the probabilistic MCE (g)
    :param eps: the source's rate-weighted mean epsilon at that level
    :param sigma: the source's total standard deviation (natural log) at its mean M, R
    """
    return prob_mce * math.exp(sigma * (1.0 - eps))


def uhs_value(levels, poes, investigation_time: float, poe_50y: float) -> float:
    """Ground motion (g) with probability ``poe_50y`` of exceedance in 50 years.

    Log-log interpolation of the rates; 0 below the curve, the top level above it.
    """
    levels = np.asarray(levels, float)
    rates = annual_rates(poes, investigation_time)
    target = -math.log1p(-poe_50y) / 50.0
    if rates[0] < target:
        return 0.0
    ok = rates > 1e-12
    if rates[ok][-1] >= target:
        return float(levels[ok][-1])
    return rtgm_mod.uniform_hazard_motion(levels[ok], rates[ok], target)


def design_values(periods, spectrum, vs30: float) -> tuple[float, float]:
    """The (Sxs, Sx1) pair of a spectrum by the ASCE 7-22 §21.4 rule.

    ``Sxs = 0.9 max(S(T), 0.2 <= T <= 5)``;
    ``Sx1 = max(0.9 max(T S(T)), S(1 s))`` over 1-2 s for vs30 > 442 m/s, 1-5 s otherwise.

    :param periods: periods (s), shape (P,); PGA (0) is ignored
    :param spectrum: spectral values (g), shape (P,)
    """
    periods, spectrum = np.asarray(periods, float), np.asarray(spectrum, float)
    short = (periods >= 0.2) & (periods <= 5.0)
    sxs = 0.9 * spectrum[short].max() if short.any() else math.nan
    tmax = 2.0 if vs30 > 442 else 5.0
    longp = (periods >= 1.0) & (periods <= tmax)
    s1 = np.interp(1.0, periods[periods > 0], spectrum[periods > 0])
    sx1 = max(0.9 * (periods[longp] * spectrum[longp]).max(), s1) if longp.any() \
        else math.nan
    return float(sxs), float(sx1)


def seismicity(value: float, thresholds) -> str:
    """Seismicity class of a value given its 4 thresholds (Low ... Very High)."""
    names = ("Low", "Moderate", "Moderately High", "High", "Very High")
    for thr, name in zip(thresholds, names):
        if value < thr:
            return name
    return names[-1]


def _mce_at(periods, mce, period):
    periods = np.asarray(periods, float)
    hit = np.nonzero(np.isclose(periods, period))[0]
    return float(np.asarray(mce)[hit[0]]) if len(hit) else math.nan


def asce7_parameters(periods, mce, vs30: float, asce_version: str) -> dict:
    """The ASCE 7 parameters of a governing MCE spectrum.

    :param periods: periods (s) with 0 for PGA, shape (P,)
    :param mce: governing MCE (g, maximum direction), shape (P,)
    """
    pga = _mce_at(periods, mce, 0.0)
    ss, s1 = _mce_at(periods, mce, 0.2), _mce_at(periods, mce, 1.0)
    if asce_version == "ASCE7-16":
        out = {"PGA": pga, "Ss": ss, "S1": s1}
    else:
        sms, sm1 = design_values(periods, mce, vs30)
        out = {"PGAm": pga, "Sms": sms, "Sds": sms * 2 / 3,
               "Sm1": sm1, "Sd1": sm1 * 2 / 3}
        if vs30 == 760:
            out.update(Ss=ss, S1=s1)
    if vs30 == 760 and not math.isnan(ss):
        out["Ss_seismicity"] = seismicity(ss, (0.25, 0.5, 1.0, 1.5))
        out["S1_seismicity"] = seismicity(s1, (0.1, 0.2, 0.4, 0.6))
    return out


def asce41_parameters(periods, mce, uhs5, uhs20, factors, vs30: float,
                      asce_version: str) -> dict:
    """The ASCE 41 BSE parameters.

    :param mce: governing MCE spectrum (g), shape (P,)
    :param uhs5: geometric-mean UHS at 5 % in 50 years (g), shape (P,)
    :param uhs20: geometric-mean UHS at 20 % in 50 years (g), shape (P,)
    :param factors: maximum-direction factors, shape (P,)
    """
    mce = np.asarray(mce, float)
    factors = np.asarray(factors, float)
    spectra = {"BSE2N": mce, "BSE1N": mce * 2 / 3,
               "BSE2E": np.minimum(mce, factors * np.asarray(uhs5, float)),
               "BSE1E": np.minimum(mce * 2 / 3, factors * np.asarray(uhs20, float))}
    out = {}
    for name, spec in spectra.items():
        if asce_version == "ASCE7-16":   # ASCE 41-17: the 0.2 s and 1 s values
            out[name + "_Ss"] = _mce_at(periods, spec, 0.2)
            out[name + "_S1"] = _mce_at(periods, spec, 1.0)
        else:                           # ASCE 41-23: the Sxs/Sx1 rule
            out[name + "_Sxs"], out[name + "_Sx1"] = design_values(periods, spec, vs30)
    return out
