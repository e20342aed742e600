"""The SHARE project's style-of-faulting and rock adjustments of models without them.

SHARE (Seismic Hazard Harmonization in Europe, 2013) multiplied the median of models
that predict neither style of faulting nor a 800 m/s rock motion by a faulting factor and
a rock factor AFrock (Delavaud et al. 2012, J. Seismology 16, 451-473)::

    F = Frss^(-pR) Fnss^(-pN)          strike-slip and unspecified ruptures
      = Frss^(1-pR) Fnss^(-pN)         reverse, 30 < rake <= 150
      = Frss^(-pR) Fnss^(1-pN)         normal, -120 < rake <= -60

with the period-dependent Frss of the model and the constants Fnss = 0.95, pR = 0.81,
pN = 0.01 (proportions of reverse and normal events in the underlying data).
"""
from __future__ import annotations

import numpy as np

#: normal/strike-slip ratio and proportions of reverse and normal events
FNSS, P_REVERSE, P_NORMAL = 0.95, 0.81, 0.01


def ln_share_adjustment(frss: float, afrock: float, rake: np.ndarray) -> np.ndarray:
    """ln of the SHARE faulting factor times the rock factor ``afrock``, for the
    strike-slip/reverse ratio ``frss`` of one IMT and rakes (N,) in degrees."""
    reverse = (rake > 30.0) & (rake <= 150.0)
    normal = (rake > -120.0) & (rake <= -60.0)
    ln_frss, ln_fnss = np.log(frss), np.log(FNSS)
    ln_f = np.full(np.shape(rake), -P_REVERSE * ln_frss - P_NORMAL * ln_fnss)
    ln_f[reverse] += ln_frss
    ln_f[normal] += ln_fnss
    return ln_f + np.log(afrock)


class ShareAdjusted:
    """Mixin placed before a model class: its median times the SHARE factors.

    The class using it declares ``COEFFS_SHARE``, a table with the columns Frss and
    AFrock, and requires the rake.
    """

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            A = self.COEFFS_SHARE[imt]
            mean[m] += ln_share_adjustment(A["Frss"], A["AFrock"], ctx.rake)
