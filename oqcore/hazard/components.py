"""Conversion of GSIM ground motions to the geometric mean of the horizontal components
(job parameter ``horiz_comp_to_geom_mean``).

* RotD50 and the larger of the two components: median ratios to the geometric mean of
  Boore and Kishida (2017), log-linear in period between anchor periods, constant
  outside; the standard deviation is kept.
* GMRotI50 and a random component: median ratio 1 and the standard-deviation
  corrections of Beyer and Bommer (2006):
  ``sigma_GM = sqrt(sigma^2 - s_c^2) / r``.
"""
from __future__ import annotations

import math

import numpy as np

GEOMETRIC_MEAN = "Average Horizontal"
ROTD50 = "Average Horizontal (RotD50)"
GMROTI50 = "Average Horizontal (GMRotI50)"
RANDOM = "Random horizontal"
GREATER = "Greater of two horizontal"

#: component -> (PGA ratio, ((T, ratio), ...)) of median(component) / median(GM)
_RATIO_ANCHORS = {
    ROTD50: (1.009, ((0.09, 1.009), (0.58, 1.028), (4.59, 1.042), (8.93, 1.077))),
    GREATER: (1.117, ((0.1, 1.117), (0.53, 1.165), (4.48, 1.195), (8.70, 1.266))),
}
#: component -> (PGA (s_c, r), SA short-period s_c, SA long-period s_c, SA r):
#: s_c log10-linear in T between 0.15 s and 0.8 s
_SIGMA_CORR = {GMROTI50: ((0.02, 1.0), 0.03, 0.04, 1.0),
               RANDOM: ((0.07, 1.03), 0.07, 0.11, 1.05)}


def convertible(component: str) -> bool:
    """Whether ground motions of ``component`` can be converted (or are already GM)."""
    return component in _RATIO_ANCHORS or component in _SIGMA_CORR


def conversion(component: str, imt_name: str, period: float) -> tuple[float, float, float]:
    """(median ratio, s_c, r) turning ``component`` into the geometric mean at an IMT.

    :param imt_name: 'PGA', 'SA' or another IMT name (other IMTs are not converted)
    :param period: the SA period (s)
    """
    if component in _RATIO_ANCHORS and imt_name in ("PGA", "SA"):
        pga, anchors = _RATIO_ANCHORS[component]
        if imt_name == "PGA":
            return pga, 0.0, 1.0
        ts, rs = zip(*anchors)
        return float(np.interp(math.log(period), np.log(ts), rs)), 0.0, 1.0
    if component in _SIGMA_CORR and imt_name in ("PGA", "SA"):
        (s_pga, r_pga), s_short, s_long, r_sa = _SIGMA_CORR[component]
        if imt_name == "PGA":
            return 1.0, s_pga, r_pga
        if period <= 0.15:
            s_c = s_short
        elif period > 0.8:
            s_c = s_long
        else:
            s_c = s_short + (s_long - s_short) * math.log10(period / 0.15) / math.log10(
                0.8 / 0.15)
        return 1.0, s_c, r_sa
    return 1.0, 0.0, 1.0


def to_geometric_mean(mean_stds: np.ndarray, component: str, imts) -> None:
    """Convert in place GSIM ln-means and total stddevs (first two rows of
    ``mean_stds``, shape (>=2, M, K)) from ``component`` to the geometric mean.

    :param imts: the M IMT objects (with ``name`` and ``period``)
    """
    for m, imt in enumerate(imts):
        ratio, s_c, r = conversion(component, imt.name, getattr(imt, "period", 0.0))
        if ratio != 1.0:
            mean_stds[0, m] -= math.log(ratio)
        if s_c or r != 1.0:
            mean_stds[1, m] = np.sqrt(np.maximum(mean_stds[1, m] ** 2 - s_c ** 2, 0.0)) / r
