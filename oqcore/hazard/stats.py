"""Statistics across realizations (mean, std, weighted quantiles, max) and the
truncated-normal survival function used for probabilities of exceedance."""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr


def truncnorm_sf(truncation_level: float | None, z: np.ndarray) -> np.ndarray:
    """P(Z > z) for a standard normal truncated at ±truncation_level.

    ``None`` means no truncation; 0 gives a step function (1 below the median, 0 above,
    0.5 at it).
    """
    if truncation_level is None:
        return ndtr(-z)
    if truncation_level == 0:
        return np.where(z < 0, 1.0, np.where(z > 0, 0.0, 0.5))
    phi_b = ndtr(truncation_level)
    return np.clip((phi_b - ndtr(z)) / (2.0 * phi_b - 1.0), 0.0, 1.0)


def mean_curve(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the first axis (R, ...) -> (...)."""
    return np.average(values, axis=0, weights=weights)


def std_curve(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted standard deviation over the first axis."""
    m = mean_curve(values, weights)
    return np.sqrt(np.einsum("i,i...", weights, (m - values) ** 2))


def interp_columns(x: float | np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """``np.interp(x[j], xp[:, j], fp[:, j])`` for every column j at once, with
    numpy's arithmetic (same results, no loop in Python).

    :param x: a scalar or (J,) abscissas
    :param xp: (K, J) abscissas, non-decreasing along the first axis (other columns
        go through ``np.interp`` one by one)
    :param fp: (K, J) ordinates
    :returns: (J,)
    """
    K, J = xp.shape
    x = np.broadcast_to(np.asarray(x, float), (J,))
    cols = np.arange(J)
    # the last point with xp <= x (numpy's search), clipped to a valid segment
    j = (xp <= x).sum(axis=0) - 1
    js = np.clip(j, 0, max(K - 2, 0))
    j1 = np.minimum(js + 1, K - 1)
    x0, x1 = xp[js, cols], xp[j1, cols]
    y0, y1 = fp[js, cols], fp[j1, cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (y1 - y0) / (x1 - x0)
        out = slope * (x - x0) + y0
        nan = np.isnan(out)
        if nan.any():  # as numpy: the other end of the segment, then a flat one
            alt = slope * (x - x1) + y1
            out = np.where(nan, np.where(np.isnan(alt) & (y0 == y1), y0, alt), out)
    out = np.where(j < 0, fp[0], out)
    out = np.where(j >= K - 1, fp[K - 1], out)
    # columns not sorted (numpy's own search decides there): np.interp itself
    for c in np.flatnonzero((np.diff(xp, axis=0) < 0).any(axis=0)):
        out[c] = np.interp(x[c], xp[:, c], fp[:, c])
    return out


def quantile_curve(q: float, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted quantile over the first axis: the values sorted per element are
    interpolated at ``q`` against the cumulative weights."""
    values = np.asarray(values, float)
    weights = np.asarray(weights, float)
    flat = values.reshape(len(values), -1)
    order = np.argsort(flat, axis=0, kind="stable")
    sorted_vals = np.take_along_axis(flat, order, axis=0)
    cumw = np.cumsum(weights[order], axis=0)
    return interp_columns(q, cumw, sorted_vals).reshape(values.shape[1:])


def max_curve(values: np.ndarray, weights=None) -> np.ndarray:
    """Pointwise maximum over the first axis."""
    return np.max(values, axis=0)


def compute_stats(values: np.ndarray, stats: list[str], weights: np.ndarray) -> np.ndarray:
    """Statistics (S, ...) of ``values`` (R, ...) for names mean, std, quantile-q, max."""
    out = np.zeros((len(stats),) + values.shape[1:])
    for s, name in enumerate(stats):
        if name == "mean":
            out[s] = mean_curve(values, weights)
        elif name == "std":
            out[s] = std_curve(values, weights)
        elif name == "max":
            out[s] = max_curve(values)
        elif name.startswith("quantile-"):
            out[s] = quantile_curve(float(name[9:]), values, weights)
        else:
            raise ValueError("unknown statistic %r" % name)
    return out


def hazard_maps(curves: np.ndarray, imls: np.ndarray, poes) -> np.ndarray:
    """IMLs at the given PoEs, interpolating log(PoE) vs log(IML).

    :param curves: (N, L1) PoEs of one IMT
    :param imls: (L1,) levels
    :param poes: P PoEs
    :returns: (N, P); 0 where the PoE exceeds the curve's highest PoE
    """
    curves = np.asarray(curves, float)
    log_imls = np.log(np.asarray(imls, float))
    out = np.zeros((len(curves), len(poes)))
    if len(curves) == 0:
        return out
    c = np.clip(curves, 1e-30, None)
    # interpolation needs increasing x: reverse the decreasing curves
    x = np.log(c[:, ::-1]).T.copy()  # (L1, N)
    y = np.repeat(log_imls[::-1, None], len(curves), axis=1)
    for p, poe in enumerate(poes):
        val = np.exp(interp_columns(np.log(poe), x, y))
        out[:, p] = np.where(poe > c[:, 0], 0.0, val)
    return out


def record_stats(records: np.ndarray, stats: list[str], weights) -> np.ndarray:
    """Statistics of structured per-realization records (A, R) -> (A, S), field by
    field."""
    out = np.zeros((records.shape[0], len(stats)), records.dtype)
    for f in records.dtype.names:
        out[f] = compute_stats(records[f].T, stats, weights).T
    return out
