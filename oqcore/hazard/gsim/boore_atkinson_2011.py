"""Atkinson and Boore (2011) adjustments of Boore and Atkinson (2008) and Atkinson (2008).

Atkinson, G. M. and Boore, D. M. (2011). Modifications to existing ground-motion
prediction equations in light of new data. Bulletin of the Seismological Society of
America, 101(3), 1121-1135.

* BooreAtkinson2011: the BA08 median times the small-magnitude correction of eq. (5)::

      log10 F = max(3.888 - 0.674 M, 0) - max(2.933 - 0.510 M, 0) log10(Rjb + 10)

* Atkinson2008prime: Atkinson's (2008) referenced-empirical model for eastern North
  America in its revised form A08' (Table 4): the BooreAtkinson2011 median times the
  eastern-North-America factor log10 F_ENA = c + d Rjb (coefficients per IMT).

Standard deviations are those of BA08.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import LN10, coeffs_table
from oqcore.hazard.gsim.boore_atkinson_2008 import BooreAtkinson2008


def ln_small_magnitude_correction(mag: np.ndarray, rjb: np.ndarray) -> np.ndarray:
    """ln of the Atkinson and Boore (2011) eq. (5) factor; ``rjb`` in km, (N,)."""
    log_f = (np.maximum(3.888 - 0.674 * mag, 0.0)
             - np.maximum(2.933 - 0.510 * mag, 0.0) * np.log10(rjb + 10.0))
    return LN10 * log_f


class BooreAtkinson2011(BooreAtkinson2008):
    """Boore and Atkinson (2008) with the Atkinson and Boore (2011) small-magnitude
    correction."""

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        mean += ln_small_magnitude_correction(ctx.mag, ctx.rjb)


class Atkinson2008prime(BooreAtkinson2011):
    """Atkinson (2008) eastern North America model as revised in Atkinson and Boore
    (2011): BooreAtkinson2011 times 10^(c + d Rjb)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"

    COEFFS_ENA = coeffs_table(__file__, "boore_atkinson_2011", "A08.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            E = self.COEFFS_ENA[imt]
            mean[m] += LN10 * (E["c"] + E["d"] * ctx.rjb)
