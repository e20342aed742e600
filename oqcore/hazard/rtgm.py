"""Risk-targeted ground motion (RTGM).

The RTGM (Luco et al. 2007; ASCE 7-16 and 7-22 §21.2.1.2, Method 2) is the spectral
acceleration ``a_R`` such that a structure with a lognormal collapse fragility of
logarithmic standard deviation ``beta`` and a 10 % probability of collapse at ``a_R``
has a 1 % probability of collapse in 50 years under the site's hazard curve.

The collapse rate is the risk integral ``lambda_C(a_R) = integral of f_C(a) lambda(a) da``
(``f_C`` the fragility's lognormal density, ``lambda`` the annual rate of exceedance),
evaluated with the trapezoidal rule on a geometric grid of ratio 1.05; ``a_R`` is found by
secant iteration in log-log space, starting from the 2 %-in-50-years ground motion.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.stats import norm

#: annual frequency of the 2 % in 50 years ground motion (2475 years)
UHGM_RATE = -math.log(1.0 - 0.02) / 50.0
#: target annual collapse rate: 1 % in 50 years
TARGET_COLLAPSE_RATE = -math.log(1.0 - 0.01) / 50.0
#: logarithmic standard deviation of the collapse fragility (ASCE 7)
BETA = 0.6
#: collapse probability at the RTGM
COLLAPSE_PROB_AT_RTGM = 0.1
GRID_RATIO = 1.05
MAX_ITERATIONS = 6
TOLERANCE = 0.01


class RTGMResult(NamedTuple):
    """The outcome of :func:`rtgm`: ground motions in the units of the curve's levels."""
    rtgm: float            # risk-targeted ground motion (nan if not converged)
    uhgm: float            # uniform-hazard ground motion at UHGM_RATE
    risk_coefficient: float
    iterates: tuple        # (a_R, lambda_C / target) per iteration


def loglog_interp(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Interpolate log(fp) against log(xp) at log(x), extrapolating linearly beyond the ends.

    :param x: points (positive), any shape
    :param xp: increasing positive abscissas, shape (N,), N >= 2
    :param fp: positive ordinates, shape (N,)
    """
    lx, lxp, lfp = np.log(x), np.log(xp), np.log(fp)
    idx = np.clip(np.searchsorted(lxp, lx) - 1, 0, len(lxp) - 2)
    slope = (lfp[idx + 1] - lfp[idx]) / (lxp[idx + 1] - lxp[idx])
    return np.exp(lfp[idx] + slope * (lx - lxp[idx]))


def uniform_hazard_motion(levels: np.ndarray, rates: np.ndarray, rate: float) -> float:
    """The level whose annual rate of exceedance is ``rate`` (log-log interpolation).

    :param levels: increasing ground-motion levels, shape (L,)
    :param rates: decreasing positive annual rates at ``levels``, shape (L,)
    """
    # rates decrease: interpolate log(level) against log(rate) on the reversed curve
    return float(loglog_interp(np.array([rate]), rates[::-1], levels[::-1])[0])


def _positive_part(levels: np.ndarray, rates: np.ndarray):
    """The curve cut at its first zero (or negative) rate."""
    bad = np.nonzero(rates <= 0)[0]
    end = bad[0] if len(bad) else len(rates)
    if end < 2:
        raise ValueError("the hazard curve has fewer than 2 positive rates")
    return levels[:end], rates[:end]


def collapse_rate(a_r: float, levels: np.ndarray, rates: np.ndarray,
                  beta: float = BETA) -> float:
    """Annual collapse rate for a fragility with 10 % collapse probability at ``a_r``.

    :param levels: the integration grid (g), shape (K,)
    :param rates: annual rates of exceedance on the grid, shape (K,)
    """
    median = a_r * math.exp(-beta * norm.ppf(COLLAPSE_PROB_AT_RTGM))
    pdf = norm.pdf(np.log(levels / median) / beta) / (beta * levels)
    return float(np.trapezoid(pdf * rates, levels))


def rtgm(levels, rates, beta: float = BETA) -> RTGMResult:
    """The risk-targeted ground motion of one hazard curve.

    :param levels: increasing ground-motion levels (g), shape (L,)
    :param rates: annual rates of exceedance at ``levels``, shape (L,)
    :param beta: logarithmic standard deviation of the collapse fragility
    """
    levels, rates = _positive_part(np.asarray(levels, float), np.asarray(rates, float))
    uhgm = uniform_hazard_motion(levels, rates, UHGM_RATE)
    lo, hi = min(levels[0], uhgm / 10.0), max(levels[-1], uhgm * 10.0)
    n = int(math.ceil(math.log(hi / lo) / math.log(GRID_RATIO)))
    grid = lo * GRID_RATIO ** np.arange(n + 1)
    grid[-1] = hi
    grid_rates = loglog_interp(grid, levels, rates)
    tried, ratios = [], []
    a_r = uhgm
    for it in range(MAX_ITERATIONS):
        if it == 1:
            a_r = tried[0] * ratios[0]
        elif it >= 2:
            # secant step in log-log space through the points computed so far
            order = np.argsort(ratios)
            xs, ys = np.array(ratios)[order], np.array(tried)[order]
            xs, keep = np.unique(xs, return_index=True)
            if len(xs) < 2:
                break
            a_r = float(loglog_interp(np.array([1.0]), xs, ys[keep])[0])
        ratio = collapse_rate(a_r, grid, grid_rates, beta) / TARGET_COLLAPSE_RATE
        tried.append(a_r)
        ratios.append(ratio)
        if abs(ratio - 1.0) <= TOLERANCE:
            return RTGMResult(a_r, uhgm, a_r / uhgm, tuple(zip(tried, ratios)))
    return RTGMResult(math.nan, uhgm, math.nan, tuple(zip(tried, ratios)))
