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


def quantile_curve(q: float, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted quantile over the first axis: the values sorted per element are
    interpolated at ``q`` against the cumulative weights."""
    values = np.asarray(values, float)
    weights = np.asarray(weights, float)
    flat = values.reshape(len(values), -1)
    order = np.argsort(flat, axis=0, kind="stable")
    sorted_vals = np.take_along_axis(flat, order, axis=0)
    cumw = np.cumsum(weights[order], axis=0)
    out = np.empty(flat.shape[1])
    for j in range(flat.shape[1]):
        out[j] = np.interp(q, cumw[:, j], sorted_vals[:, j])
    return out.reshape(values.shape[1:])


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
    for n, curve in enumerate(curves):
        c = np.clip(curve, 1e-30, None)
        # np.interp needs increasing x: reverse the decreasing curve
        x = np.log(c[::-1])
        y = log_imls[::-1]
        for p, poe in enumerate(poes):
            if poe > c[0]:
                out[n, p] = 0.0
            else:
                out[n, p] = np.exp(np.interp(np.log(poe), x, y))
    return out


def record_stats(records: np.ndarray, stats: list[str], weights) -> np.ndarray:
    """Statistics of structured per-realization records (A, R) -> (A, S), field by
    field."""
    out = np.zeros((records.shape[0], len(stats)), records.dtype)
    for f in records.dtype.names:
        out[f] = compute_stats(records[f].T, stats, weights).T
    return out
