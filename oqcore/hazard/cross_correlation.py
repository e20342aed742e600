"""Correlation between IMTs of the between-event ground-motion residuals.

The job parameter ``cross_correlation`` names the model used for the between-event
epsilons of an event (one per IMT) in GMF calculations:

* ``NoCrossCorrelation`` -- independent epsilons for each IMT; also what any other
  value gives (the default ``yes`` and the ShakeMap words ``no`` / ``full`` are not
  model names), as OpenQuake 3.26 does;
* ``FullCrossCorrelation`` -- one epsilon per event shared by all IMTs;
* ``GodaAtkinson2009`` -- Goda & Atkinson (2009), BSSA 99(5), eq. 8: for the periods
  ``Tmin <= Tmax`` (PGA and PGV use 0.05 s),
  ``rho = (1 - cos(pi/2 - (t1 + t2 I (Tmin/Tmax)^t3 log10(Tmin/0.25)) log10(Tmax/Tmin))
  + 1 + cos(-1.5 log10(Tmax/Tmin))) / 3`` with ``I = 1`` when ``Tmin < 0.25`` s,
  ``t1, t2, t3 = 1.374, 5.586, 0.728``, capped at 1;
* ``Bradley2012`` -- Bradley (2012), Earthquake Spectra 28(1): PGV with SA(T)
  ``rho = (a + b)/2 - (a - b)/2 tanh(d ln(T / c))`` (0.733 for T < 0.01 s and PGA),
  every other pair of distinct IMTs uncorrelated.

The correlated epsilons are drawn from the multivariate normal with that correlation
matrix truncated at +-``truncation_level_between`` on every IMT (rejection of the
draws outside the box; a Gibbs sampler when the box is too unlikely for rejection),
from a generator seeded by one integer of the rupture's stream, as OpenQuake seeds its
sampler (its minimax-tilting sampler itself is not reproduced: these epsilons agree
with OpenQuake's in distribution only, the other draws of the rupture exactly).
A within-event cross-correlation model (``BakerJayaram2008``) is not a valid choice
for GMFs: it raises InvalidInput.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy.special import ndtr, ndtri

from oqcore.errors import InvalidInput
from oqcore.hazard.gmf import truncated_normal
from oqcore.hazard.imt import IMT

#: the models of the between-event residuals accepted by ``cross_correlation``
BETWEEN_MODELS = ("NoCrossCorrelation", "FullCrossCorrelation", "GodaAtkinson2009",
                  "Bradley2012")
#: the models of ``cross_correlation`` that only apply to conditional spectra
WITHIN_MODELS = ("BakerJayaram2008",)

_GA2009 = (1.374, 5.586, 0.728)
#: Bradley (2012) coefficients (a, b, c, d) by upper period bound (s)
_BRADLEY2012 = ((0.1, (0.73, 0.54, 0.045, 1.8)), (0.75, (0.54, 0.81, 0.28, 1.5)),
                (2.5, (0.80, 0.76, 1.1, 3.0)), (math.inf, (0.76, 0.70, 5.0, 3.2)))


def goda_atkinson_2009(imt1: IMT, imt2: IMT) -> float:
    """Goda & Atkinson (2009) correlation of the between-event residuals of two IMTs."""
    if imt1.string == imt2.string:
        return 1.0
    t1 = imt1.period or 0.05
    t2 = imt2.period or 0.05
    tmin, tmax = min(t1, t2), max(t1, t2)
    th1, th2, th3 = _GA2009
    small = 1.0 if tmin < 0.25 else 0.0
    ratio = math.log10(tmax / tmin)
    angle = math.pi / 2 - (th1 + th2 * small * (tmin / tmax) ** th3
                           * math.log10(tmin / 0.25)) * ratio
    rho = (1.0 - math.cos(angle) + 1.0 + math.cos(-1.5 * ratio)) / 3.0
    return min(rho, 1.0)


def bradley_2012(imt1: IMT, imt2: IMT) -> float:
    """Bradley (2012) correlation of PGV with another IMT (0 for other pairs)."""
    if imt1.string == imt2.string:
        return 1.0
    if "PGV" not in (imt1.string, imt2.string):
        return 0.0
    other = imt2 if imt1.string == "PGV" else imt1
    period = other.period
    if period < 0.01:
        return 0.733
    for bound, (a, b, c, d) in _BRADLEY2012:
        if period < bound:
            return (a + b) / 2 - (a - b) / 2 * math.tanh(d * math.log(period / c))
    raise AssertionError("unreachable")


def correlation_matrix(name: str, imts: Sequence[IMT]) -> np.ndarray:
    """The (M, M) correlation matrix of the between-event residuals of ``imts``."""
    M = len(imts)
    if name == "FullCrossCorrelation":
        return np.ones((M, M))
    if name == "NoCrossCorrelation":
        return np.eye(M)
    func = goda_atkinson_2009 if name == "GodaAtkinson2009" else bradley_2012
    return np.array([[func(a, b) for b in imts] for a in imts])


def nearest_correlation(corr: np.ndarray, threshold: float = 1e-8) -> np.ndarray:
    """``corr`` with its eigenvalues below ``threshold`` raised to it and its diagonal
    rescaled to 1 (a positive definite correlation matrix)."""
    vals, vecs = np.linalg.eigh(corr)
    if vals.min() >= threshold:
        return corr
    fixed = (vecs * np.maximum(vals, threshold)) @ vecs.T
    d = np.sqrt(np.diag(fixed))
    return fixed / np.outer(d, d)


class CrossCorrelation:
    """A model of the between-event epsilons of the IMTs of an event.

    :param name: one of :data:`BETWEEN_MODELS`
    """

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return "<CrossCorrelation %s>" % self.name

    def sample(self, rng: np.random.Generator, truncation_level: float | None,
               imts: Sequence[IMT], num_events: int) -> np.ndarray:
        """Between-event epsilons (M, E) of ``num_events`` events, each IMT a standard
        normal truncated at +-truncation_level (None = untruncated)."""
        M = len(imts)
        if self.name == "FullCrossCorrelation":
            eps = truncated_normal(rng, truncation_level, (num_events,))
            return np.repeat(eps[None, :], M, axis=0)
        if self.name == "NoCrossCorrelation":
            return np.array([truncated_normal(rng, truncation_level, num_events)
                             for _ in range(M)])
        # the correlated models take one integer seed from the rupture's stream and
        # draw from their own generator (so the stream then goes on as OpenQuake's)
        own = np.random.default_rng(int(rng.integers(0, np.iinfo(np.int32).max)))
        corr = correlation_matrix(self.name, imts)
        return truncated_mvn(own, nearest_correlation(corr), truncation_level, num_events)


def truncated_mvn(rng: np.random.Generator, corr: np.ndarray,
                  truncation_level: float | None, num: int,
                  min_acceptance: float = 0.01, burn_in: int = 50) -> np.ndarray:
    """``num`` draws of the zero-mean multivariate normal with correlation ``corr``
    (M, M) restricted to the box [-t, t]^M: (M, num).

    Rejection sampling when at least ``min_acceptance`` of the draws fall in the box
    (exact), otherwise a Gibbs sampler (each chain burnt in ``burn_in`` sweeps).
    """
    M = len(corr)
    chol = np.linalg.cholesky(corr)
    if truncation_level is None or num == 0:
        return chol @ rng.standard_normal((M, num))
    t = float(truncation_level)
    out = np.empty((M, 0))
    trial = rng.standard_normal((M, max(num, 64)))
    draws = chol @ trial
    ok = (np.abs(draws) <= t).all(axis=0)
    if ok.mean() >= min_acceptance:
        out = draws[:, ok]
        while out.shape[1] < num:
            need = int((num - out.shape[1]) / max(ok.mean(), min_acceptance) * 1.2) + 16
            more = chol @ rng.standard_normal((M, need))
            out = np.concatenate([out, more[:, (np.abs(more) <= t).all(axis=0)]], axis=1)
        return out[:, :num]
    return _gibbs_box(rng, corr, t, num, burn_in)


def _gibbs_box(rng: np.random.Generator, corr: np.ndarray, t: float, num: int,
               burn_in: int) -> np.ndarray:
    """Gibbs sampler of ``num`` independent chains of the truncated normal: (M, num)."""
    M = len(corr)
    prec = np.linalg.inv(corr)
    x = np.zeros((M, num))
    for _ in range(burn_in):
        for i in range(M):
            # x_i | x_-i ~ N(-sum_j!=i P_ij x_j / P_ii, 1 / P_ii) within [-t, t]
            cond_sd = 1.0 / math.sqrt(prec[i, i])
            mu = -(prec[i] @ x - prec[i, i] * x[i]) / prec[i, i]
            a = ndtr((-t - mu) / cond_sd)
            b = ndtr((t - mu) / cond_sd)
            u = a + (b - a) * rng.uniform(size=num)
            u = np.clip(u, 1e-300, 1 - 1e-16)
            x[i] = np.clip(mu + cond_sd * ndtri(u), -t, t)
    return x


def cross_correlation_model(name: str | None) -> CrossCorrelation | None:
    """The between-event cross-correlation model of the ``cross_correlation`` job
    parameter, or None when the epsilons of the IMTs are independent.

    :raises InvalidInput: for a model of within-event residuals
    """
    if name in WITHIN_MODELS:
        raise InvalidInput("%s correlates within-event residuals (conditional spectra): "
                           "for ground-motion fields use one of %s" %
                           (name, ", ".join(BETWEEN_MODELS)), param="cross_correlation")
    if name in (None, "NoCrossCorrelation") or name not in BETWEEN_MODELS:
        return None
    return CrossCorrelation(name)
