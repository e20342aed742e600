"""Loss and damage kernels: pure functions over arrays (numba where loops beat numpy).

Notation: A assets, E events, n (asset, GMF row) pairs, K aggregation keys (+1 for the
total), L loss types, D limit states, R realizations.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _count_pairs(asset_sids, starts, stops):
    n = 0
    for s in asset_sids:
        n += stops[s] - starts[s]
    return n


@njit(cache=True)
def _fill_pairs(asset_sids, starts, stops, aidx, ridx):
    k = 0
    for a in range(len(asset_sids)):
        s = asset_sids[a]
        for r in range(starts[s], stops[s]):
            aidx[k] = a
            ridx[k] = r
            k += 1


def asset_gmf_pairs(asset_sids: np.ndarray, starts: np.ndarray, stops: np.ndarray):
    """Every (asset, GMF row) pair of the same site.

    :param asset_sids: (A,) site index of each asset
    :param starts, stops: (N,) row range of each site in the GMF table sorted by site
    :returns: (asset indices (n,), row indices (n,))
    """
    asset_sids = np.asarray(asset_sids, np.int64)
    n = _count_pairs(asset_sids, starts, stops)
    aidx = np.empty(n, np.int64)
    ridx = np.empty(n, np.int64)
    _fill_pairs(asset_sids, starts, stops, aidx, ridx)
    return aidx, ridx


def site_ranges(sids: np.ndarray, num_sites: int):
    """Row ranges (starts, stops) of each site in a table sorted by site ID."""
    starts = np.searchsorted(sids, np.arange(num_sites), "left").astype(np.int64)
    stops = np.searchsorted(sids, np.arange(num_sites), "right").astype(np.int64)
    return starts, stops


@njit(cache=True)
def add_at_2d(out, i, j, vals):
    """``out[i[k], j[k]] += vals[k]`` (numba); out (I, J), i/j/vals (n,)."""
    for k in range(len(i)):
        out[i[k], j[k]] += vals[k]


@njit(cache=True)
def add_at_rows(out, i, vals):
    """``out[i[k]] += vals[k]`` for 2-D out (I, C) and vals (n, C) (numba)."""
    for k in range(len(i)):
        for c in range(vals.shape[1]):
            out[i[k], c] += vals[k, c]


def apply_minimum_loss(losses: np.ndarray, minimum: float) -> np.ndarray:
    """Losses below ``minimum`` (same units) become 0."""
    if minimum > 0:
        losses = np.where(losses < minimum, 0.0, losses)
    return losses


def insured_losses(losses, deductibles, limits) -> np.ndarray:
    """Insured part of ground-up losses: ``clip(loss - deductible, 0, limit -
    deductible)``; all arrays (n,) in the same units."""
    return np.clip(losses - deductibles, 0.0, np.maximum(limits - deductibles, 0.0))


def sample_damage_counts(fractions: np.ndarray, numbers: np.ndarray,
                         rng: np.random.Generator) -> np.ndarray:
    """Integer numbers of buildings per damage state, drawn from a multinomial.

    :param fractions: (D+1, n) probabilities of each damage state
    :param numbers: (n,) numbers of buildings (rounded)
    :returns: (D+1, n) counts summing to ``numbers``
    """
    p = np.clip(fractions.T, 0.0, None)
    p = p / np.where(p.sum(axis=1, keepdims=True) > 0, p.sum(axis=1, keepdims=True), 1)
    return rng.multinomial(np.round(numbers).astype(np.int64), p).T.astype(float)


def return_periods(eff_time: float, num_losses: int) -> np.ndarray:
    """Default return periods 1, 2, 5, 10, 20, 50... between ``eff_time / num_losses``
    and ``eff_time`` (years)."""
    min_time = eff_time / max(num_losses, 1)
    out = []
    period = 1
    while period <= eff_time:
        for val in (1, 2, 5):
            t = period * val
            if min_time <= t <= eff_time:
                out.append(t)
        period *= 10
    return np.array(out, np.uint32)


def sorted_event_losses(losses: np.ndarray, num_events: int, eff_time: float
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Event losses sorted increasingly, padded with zeros to ``num_events`` (events
    without loss), and the return period of each: the k-th largest has ``eff_time / k``
    years.

    :returns: (losses (num_events,), return periods (num_events,))
    """
    losses = np.sort(np.asarray(losses, float))
    if num_events > len(losses):
        losses = np.concatenate([np.zeros(num_events - len(losses)), losses])
    return losses, eff_time / np.arange(len(losses), 0, -1)


def losses_by_period(losses: np.ndarray, periods: np.ndarray, num_events: int,
                     eff_time: float, amplify=None) -> np.ndarray:
    """Loss exceeded at each return period from event losses (an empirical EP curve).

    The k-th largest of ``num_events`` losses (zeros included) has return period
    ``eff_time / k``; losses are interpolated in log(return period); periods below the
    range of the curve give 0, above it NaN. ``amplify`` (a function of the return
    periods, e.g. :class:`oqcore.risk.amplification.LossAmplification`) multiplies each
    event loss by a factor of its return period first.
    """
    losses, rp = sorted_event_losses(losses, num_events, eff_time)
    if len(losses) == 0:
        return np.zeros(len(periods))
    if amplify is not None:
        losses = losses * amplify(rp)
    out = np.interp(np.log(np.asarray(periods, float)), np.log(rp), losses)
    out[np.asarray(periods) < rp[0]] = 0.0
    out[np.asarray(periods) > rp[-1]] = np.nan
    return out


@njit(cache=True)
def _lognormal_ratios(ridx, means, sigmas, eps, out):
    for k in range(len(ridx)):
        m = means[ridx[k]]
        s = sigmas[ridx[k]]
        if m > 0.0 and s > 0.0:
            out[k] = m * np.exp(s * eps[k] - 0.5 * s * s)
        else:
            out[k] = m


def lognormal_ratios(ridx: np.ndarray, means: np.ndarray, sigmas: np.ndarray,
                     eps: np.ndarray) -> np.ndarray:
    """Loss ratios ``m exp(s eps - s^2/2)`` (lognormal with mean m) for the GMF rows
    ``ridx`` (n,), from per-row means and log-space sigmas and standard normal
    deviates ``eps`` (n,) (numba)."""
    out = np.empty(len(ridx))
    _lognormal_ratios(np.asarray(ridx, np.int64), np.asarray(means, float),
                      np.asarray(sigmas, float), np.asarray(eps, float), out)
    return out
