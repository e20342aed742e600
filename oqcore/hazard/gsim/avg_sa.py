"""Average spectral acceleration (AvgSA) from any model: the indirect method of Kohrangi,
Kotha and Bazzurro (2018), Bull. Earthquake Eng. 16, 45-65.

AvgSA is the geometric mean of SA over n periods T_i, so that

    ln AvgSA = (1/n) sum_i ln SA(T_i)
    sigma²   = (1/n²) sum_i sum_j rho(T_i, T_j) sigma_i sigma_j

with rho the correlation of the SA residuals between periods. Only the total standard
deviation is defined.

* :class:`GenericGmpeAvgSA`: fixed ``avg_periods`` (0 means PGA); every AvgSA IMT of the
  job (``AvgSA`` or ``AvgSA(T)``) gets the same value.
* :class:`GmpeIndirectAvgSA`: ``AvgSA(T0)`` averages ``n_per`` periods spaced evenly from
  ``t_low`` T0 to ``t_high`` T0. When all the AvgSA IMTs of a job need more than
  ``MAX_PERIODS`` distinct periods, SA is computed at ``MAX_PERIODS`` periods spaced
  evenly over their range and interpolated linearly in period (constant beyond).

Other IMTs of the job are computed by the underlying model. Correlation models
(``corr_func``): ``baker_jayaram`` (Baker and Jayaram, 2008), ``eshm20`` (the same
functional form with coefficients fitted to European data), ``akkar`` (Akkar, Sandikkaya
and Ay, 2014, tabulated), ``clemett_asc``, ``clemett_sinter``, ``clemett_sslab``,
``clemett_vrancea`` (tabulated, ESHM20 regions), ``none`` (full correlation).
Tabulated correlations are interpolated bilinearly in period.
"""
from __future__ import annotations

import csv
import math
from functools import lru_cache

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import GMPE, TOTAL, check_number, data_path
from oqcore.hazard.imt import IMT, PGA, SA

#: Baker and Jayaram (2008) coefficients (d1..d5) and the ESHM20 ones (total residual)
BAKER_JAYARAM = (0.366, 0.105, 0.0099, 0.109, 0.2)
ESHM20 = (0.18141134, 0.1555742, -0.10851875, 0.08, 0.2)
#: tabulated correlation models: name -> data file of the total-residual correlations
TABULATED = {"akkar": "akkar_2014_total.csv", "clemett_asc": "clemett_asc_total.csv",
             "clemett_sinter": "clemett_sinter_total.csv",
             "clemett_sslab": "clemett_sslab_total.csv",
             "clemett_vrancea": "clemett_vrancea_total.csv"}
CORRELATION_MODELS = ("baker_jayaram", "eshm20", "none") + tuple(TABULATED)
#: GmpeIndirectAvgSA: most SA periods computed directly before interpolating
MAX_PERIODS = 30


def baker_jayaram_rho(t1: float, t2: float, coeffs=BAKER_JAYARAM) -> float:
    """Correlation of ln SA residuals at periods t1, t2 (s), Baker and Jayaram's form
    with coefficients (d1, d2, d3, d4, d5) = (0.366, 0.105, 0.0099, 0.109, 0.2)."""
    d1, d2, d3, d4, d5 = coeffs
    tmin, tmax = min(t1, t2), max(t1, t2)
    c1 = 1.0 - math.cos(math.pi / 2.0 - math.log(tmax / max(tmin, d4)) * d1)
    if tmax < d5:
        c2 = d2 * (1.0 - 1.0 / (1.0 + math.exp(100.0 * tmax - 5.0)))
        c2 = 1.0 - c2 * (tmax - tmin) / (tmax - d3)
    else:
        c2 = 0.0
    c3 = c2 if tmax < d4 else c1
    c4 = c1 + 0.5 * (math.sqrt(c3) - c3) * (1.0 + math.cos(math.pi * tmin / d4))
    if tmax <= d4:
        return c2
    if tmin > d4:
        return c1
    if tmax < d5:
        return min(c2, c4)
    return c4


@lru_cache(maxsize=None)
def _table(fname: str) -> tuple[np.ndarray, np.ndarray]:
    """(periods (P,), correlations (P, P)) of a tabulated model."""
    with open(data_path(__file__, "avg_sa", fname), newline="") as f:
        rows = list(csv.reader(f))
    periods = np.array([float(x) for x in rows[0][1:]])
    rho = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    return periods, rho


def _interp_table(name: str, periods: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of a tabulated model at ``periods``: matrix (n, n)."""
    grid, rho = _table(TABULATED[name])
    if np.any(periods < grid[0]) or np.any(periods > grid[-1]):
        raise InvalidInput("the %s correlation model covers periods %s-%s s, not %s" % (
            name, grid[0], grid[-1], ", ".join("%g" % p for p in periods)))
    rows = np.array([np.interp(periods, grid, rho[i]) for i in range(len(grid))])  # (P, n)
    out = np.array([np.interp(periods, grid, rows[:, j]) for j in range(len(periods))]).T
    np.fill_diagonal(out, 1.0)
    return out


def correlation_matrix(name: str, periods) -> np.ndarray:
    """Correlations (n, n) of ln SA residuals at ``periods`` (s) for model ``name``."""
    periods = np.asarray(periods, float)
    n = len(periods)
    if name == "none":
        return np.ones((n, n))
    if name in TABULATED:
        return _interp_table(name, periods)
    coeffs = BAKER_JAYARAM if name == "baker_jayaram" else ESHM20
    out = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = (1.0 if periods[i] == periods[j] else
                                     baker_jayaram_rho(periods[i], periods[j], coeffs))
    return out


def average(mean: np.ndarray, sig: np.ndarray, rho: np.ndarray) -> tuple:
    """ln-mean and total stddev (N,) of the average of n periods' ln SA.

    :param mean, sig: (n, N) ln-means and total stddevs of the n periods
    :param rho: (n, n) correlations
    """
    n = len(mean)
    var = np.einsum("ij,in,jn->n", rho, sig, sig)
    return mean.sum(axis=0) / n, np.sqrt(var) / n


class _AvgSAModel(GMPE):
    """A model computing AvgSA from the SA of ``gmpe_name`` (and its arguments)."""

    abstract = True
    COMPOSITE = True
    #: the arguments of this wrapper (the others go to the underlying model)
    OWN: dict = {}

    def __init__(self, resolve=None, **kwargs):
        name = type(self).__name__
        self.kwargs = dict(kwargs)
        self.mixture = None
        if "gmpe_name" not in kwargs:
            raise InvalidInput("%s needs gmpe_name" % name)
        inner = {k: v for k, v in kwargs.items() if k not in self.OWN and k != "gmpe_name"}
        for key, default in self.OWN.items():
            setattr(self, key, kwargs.get(key, default))
        if self.corr_func not in CORRELATION_MODELS:
            raise InvalidInput("%s: corr_func = %r is not one of %s" % (
                name, self.corr_func, ", ".join(CORRELATION_MODELS)))
        self.gmpe = site_terms.nested_model(name, "gmpe_name",
                                            {kwargs["gmpe_name"]: inner}, resolve)
        site_terms.copy_definitions(self, self.gmpe)
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(
            self.gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES | {"AvgSA"})
        self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])

    def check_imt(self, imt: IMT) -> None:
        if imt.name != "AvgSA":
            self.gmpe.check_imt(imt)

    def _others(self, ctx, imts, mean, sig, tau, phi) -> None:
        """The non-AvgSA IMTs, by the underlying model."""
        idx = [m for m, imt in enumerate(imts) if imt.name != "AvgSA"]
        if idx:
            ms = self.gmpe.get_mean_stds(ctx, [imts[m] for m in idx])
            for k, m in enumerate(idx):
                mean[m], sig[m], tau[m], phi[m] = ms[:, k]


class GenericGmpeAvgSA(_AvgSAModel):
    """AvgSA over fixed ``avg_periods`` (s; 0 is PGA)."""

    abstract = False
    OWN = {"avg_periods": None, "corr_func": "none"}

    def __init__(self, resolve=None, **kwargs):
        super().__init__(resolve, **kwargs)
        periods = self.avg_periods
        if not isinstance(periods, list) or not periods:
            raise InvalidInput("GenericGmpeAvgSA needs avg_periods, a list of periods (s)")
        for p in periods:
            check_number("GenericGmpeAvgSA", "avg_periods", p)
        self.periods = np.array(periods, float)
        self.sa_imts = [SA(p) if p > 0 else PGA for p in self.periods]
        for imt in self.sa_imts:
            self.gmpe.check_imt(imt)
        self.rho = correlation_matrix(self.corr_func, self.periods)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        ms = self.gmpe.get_mean_stds(ctx, self.sa_imts)
        avg_mean, avg_sig = average(ms[0], ms[1], self.rho)
        for m, imt in enumerate(imts):
            if imt.name == "AvgSA":
                mean[m], sig[m] = avg_mean, avg_sig
        self._others(ctx, imts, mean, sig, tau, phi)


class GmpeIndirectAvgSA(_AvgSAModel):
    """AvgSA(T0) over ``n_per`` periods from ``t_low`` T0 to ``t_high`` T0."""

    abstract = False
    OWN = {"corr_func": "none", "t_low": 0.2, "t_high": 1.5, "n_per": 10}

    def __init__(self, resolve=None, **kwargs):
        super().__init__(resolve, **kwargs)
        for key in ("t_low", "t_high", "n_per"):
            check_number("GmpeIndirectAvgSA", key, getattr(self, key))
        if not 0 < self.t_low < self.t_high:
            raise InvalidInput("GmpeIndirectAvgSA: t_high must exceed t_low > 0")
        if self.n_per != int(self.n_per) or self.n_per < 1:
            raise InvalidInput("GmpeIndirectAvgSA: n_per must be a positive integer")
        self.n_per = int(self.n_per)

    def target_periods(self, imt: IMT) -> np.ndarray:
        """The periods (s) averaged for ``AvgSA(T0)``."""
        if not imt.period:
            raise InvalidInput("GmpeIndirectAvgSA needs AvgSA with a period, e.g. AvgSA(0.5)")
        return np.linspace(self.t_low * imt.period, self.t_high * imt.period, self.n_per)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self._others(ctx, imts, mean, sig, tau, phi)
        targets = {m: self.target_periods(imt) for m, imt in enumerate(imts)
                   if imt.name == "AvgSA"}
        if not targets:
            return
        unique = np.unique(np.concatenate(list(targets.values())))
        interpolate = len(unique) > MAX_PERIODS
        grid = np.linspace(unique[0], unique[-1], MAX_PERIODS) if interpolate else unique
        ms = self.gmpe.get_mean_stds(ctx, [SA(p) for p in grid])
        for m, periods in targets.items():
            if interpolate:
                mu = _interp_rows(periods, grid, ms[0])
                sd = _interp_rows(periods, grid, ms[1])
            else:
                idx = np.searchsorted(grid, periods)
                mu, sd = ms[0][idx], ms[1][idx]
            rho = correlation_matrix(self.corr_func, periods)
            mean[m], sig[m] = average(mu, sd, rho)


def _interp_rows(x: np.ndarray, grid: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Linear interpolation of ``values`` (G, N) given at ``grid`` (G,) to ``x``: (n, N)."""
    return np.array([np.interp(x, grid, values[:, k]) for k in range(values.shape[1])]).T
