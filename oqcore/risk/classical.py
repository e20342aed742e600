"""Risk from hazard curves: loss curves (loss ratio exceedance matrix x probabilities of
occurrence), average losses, loss maps, damage distributions and benefit/cost ratios.

Shapes: L hazard levels, J vulnerability levels, Q loss ratios, D limit states.
"""
from __future__ import annotations

import attrs
import numpy as np
from scipy import stats

from oqcore.errors import InvalidInput

from oqcore.risk.vulnerability import VulnerabilityFunction


def rescale_poes(poes: np.ndarray, time: float, new_time: float) -> np.ndarray:
    """PoEs in ``time`` years turned into PoEs in ``new_time`` years (Poisson)."""
    if not new_time or new_time == time:
        return poes
    with np.errstate(divide="ignore"):
        return 1.0 - np.exp(np.log1p(-np.minimum(poes, 1 - 1e-16)) * new_time / time)


def refine(points: np.ndarray, steps: int) -> np.ndarray:
    """``steps`` equal sub-intervals between consecutive points (steps < 2: unchanged)."""
    points = np.asarray(points, float)
    if steps < 2 or len(points) < 2:
        return points
    out = [np.linspace(a, b, steps + 1)[:-1] for a, b in zip(points[:-1], points[1:])]
    return np.concatenate(out + [points[-1:]])


def loss_ratio_grid(vf: VulnerabilityFunction, steps: int) -> np.ndarray:
    """The loss ratios of a loss curve: 0, the mean loss ratios, 1 (when absent),
    refined with ``steps`` sub-intervals. (Q,)"""
    lrs = list(np.asarray(vf.mean_lrs, float))
    if lrs[0] > 0:
        lrs.insert(0, 0.0)
    if lrs[-1] < 1:
        lrs.append(1.0)
    return refine(np.array(lrs), steps)


def mid_imls(imls: np.ndarray) -> np.ndarray:
    """Bin edges around the IMLs of a vulnerability function, (J+1,): first
    ``max(0, iml0 - d0/2)``, the midpoints, last ``imlJ + dJ/2``."""
    imls = np.asarray(imls, float)
    if len(imls) == 1:
        return np.array([imls[0], imls[0]])
    first = max(0.0, imls[0] - (imls[1] - imls[0]) / 2)
    last = imls[-1] + (imls[-1] - imls[-2]) / 2
    return np.concatenate([[first], (imls[1:] + imls[:-1]) / 2, [last]])


def lrem(vf: VulnerabilityFunction, loss_ratios: np.ndarray) -> np.ndarray:
    """Loss ratio exceedance matrix (Q, J): P(LR > loss ratio q | IML j)."""
    q = np.asarray(loss_ratios, float)[:, None]
    if vf.dist == "PM":
        cdf = np.cumsum(vf.probs, axis=0)  # (K, J) P(LR <= lr_k)
        idx = np.searchsorted(vf.loss_ratios, q[:, 0], "right") - 1
        out = np.ones((len(q), len(vf.imls)))
        ok = idx >= 0
        out[ok] = 1.0 - cdf[idx[ok]]
        return np.clip(out, 0, 1)
    m = np.asarray(vf.mean_lrs, float)[None, :]
    c = np.asarray(vf.covs, float)[None, :]
    # no uncertainty: a step at the mean (exceeded up to the mean included)
    out = ((q <= m) & (m > 0)).astype(float)
    unc = (c > 0) & (m > 0)
    if unc.any():
        if vf.dist == "LN":
            sig = np.sqrt(np.log(1 + c ** 2))
            mu = np.log(np.where(m > 0, m, 1)) - sig ** 2 / 2
            with np.errstate(divide="ignore"):
                sf = stats.norm.sf((np.log(np.maximum(q, 1e-300)) - mu) / np.where(
                    sig > 0, sig, 1))
            sf = np.where(q <= 0, 1.0, sf)
        else:
            s2 = (m * c) ** 2
            a = np.maximum(((1 - m) / np.where(s2 > 0, s2, 1) - 1 / np.where(
                m > 0, m, 1)) * m ** 2, 1e-9)
            b = np.maximum(a * (1 / np.where(m > 0, m, 1) - 1), 1e-9)
            sf = stats.beta.sf(q, a, b)
        out = np.where(np.broadcast_to(unc, out.shape), sf, out)
    return out


def strictly_increasing(vf: VulnerabilityFunction) -> VulnerabilityFunction:
    """The function without the points where the mean loss ratio repeats the previous
    one (the loss curves of classical_risk need increasing loss ratios)."""
    m = np.asarray(vf.mean_lrs, float)
    keep = np.concatenate([[True], m[1:] != m[:-1]])
    if keep.all() or vf.dist == "PM":
        return vf
    if keep.sum() == 1:
        raise InvalidInput("the mean loss ratios of the vulnerability function %r are "
                           "constant" % vf.id)
    return attrs.evolve(vf, imls=np.asarray(vf.imls)[keep], mean_lrs=m[keep],
                        covs=np.asarray(vf.covs)[keep])


def loss_curve_ratios(vf: VulnerabilityFunction, hazard_imls, hazard_poes,
                      steps: int, time: float, risk_time: float | None,
                      loss_ratios: np.ndarray | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Loss ratio curve of one hazard curve: (loss ratios (Q,), PoEs (Q,)).

    The hazard curve (PoEs in ``time`` years at ``hazard_imls``) is interpolated at
    the bin edges of the function's IMLs (saturated to the hazard range) and turned
    into annual frequencies of exceedance; their differences (annual frequencies of
    occurrence per bin) weight the LREM columns, giving the annual frequency of
    exceedance of each loss ratio, turned into PoEs in ``risk_time`` years (Poisson).
    The loss ratios are ``loss_ratios`` when given, else the function's grid.
    """
    lrs = loss_ratio_grid(vf, steps) if loss_ratios is None else loss_ratios
    edges = np.clip(mid_imls(vf.imls), hazard_imls[0], hazard_imls[-1])
    afe = annual_frequencies(np.interp(edges, hazard_imls, hazard_poes), time)
    lr_afe = lrem(vf, lrs) @ (afe[:-1] - afe[1:])  # (Q,)
    return lrs, -np.expm1(-lr_afe * (risk_time or time))


def annual_frequencies(poes: np.ndarray, time: float) -> np.ndarray:
    """Annual frequencies of exceedance of PoEs in ``time`` years (Poisson); a PoE of 1
    counts as the largest float below 1."""
    poes = np.minimum(np.asarray(poes, float), np.nextafter(1.0, 0.0))
    return -np.log1p(-poes) / time


def average_loss(losses: np.ndarray, poes: np.ndarray) -> float:
    """Area under a loss exceedance curve (trapezoid), in the units of ``losses``."""
    return float(np.sum(np.diff(losses) * (poes[1:] + poes[:-1]) / 2))


def conditional_loss(losses: np.ndarray, poes: np.ndarray, poe: float) -> float:
    """The loss with probability ``poe`` of being exceeded on a decreasing curve:
    0 above the highest PoE, the largest loss below the lowest, linear in between."""
    poes = np.asarray(poes, float)
    if poe > poes[0]:
        return 0.0
    if poe < poes[-1]:
        return float(losses[-1])
    hit = np.flatnonzero(poes == poe)
    if len(hit):
        return float(np.max(np.asarray(losses)[hit]))
    j = int(np.flatnonzero(poes > poe)[-1])
    x1, x2, y1, y2 = poes[j], poes[j + 1], losses[j], losses[j + 1]
    return float((y2 - y1) / (x2 - x1) * (poe - x1) + y1)


def damage_probabilities(ffs, hazard_imls, hazard_poes, time: float,
                         risk_time: float | None, steps: int) -> np.ndarray:
    """Probabilities of each damage state (D+1,) in ``risk_time`` years from a hazard
    curve, by convolving annual frequencies of occurrence with the fragility curves."""
    imls = refine(hazard_imls, steps)
    poes = refine(hazard_poes, steps)
    rt = risk_time or time
    poes = rescale_poes(poes, time, rt)
    with np.errstate(divide="ignore"):
        afe = -np.log1p(-np.minimum(poes, 1 - 1e-16)) / rt
    ext = np.concatenate([[afe[0]], afe, [afe[-1]]])
    mids = (ext[1:] + ext[:-1]) / 2
    afo = mids[:-1] - mids[1:]  # (L,)
    fe = afo @ ffs.poes_of(imls).T  # (D,)
    pe = 1.0 - np.exp(-fe * rt)
    full = np.concatenate([[1.0], pe, [0.0]])
    return full[:-1] - full[1:]


def bcr(eal_orig: np.ndarray, eal_retro: np.ndarray, interest_rate: float,
        life_expectancy: float, retrofitting_cost: np.ndarray) -> np.ndarray:
    """Benefit/cost ratio of retrofitting: the annual loss saved, discounted over the
    asset life, over the retrofitting cost (same money units)."""
    r, t = interest_rate, life_expectancy
    factor = (1 - np.exp(-r * t)) / r if r > 0 else t
    with np.errstate(divide="ignore", invalid="ignore"):
        return (eal_orig - eal_retro) * factor / retrofitting_cost
