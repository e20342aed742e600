"""The western and oceanic crustal models of Canada's 2015 national seismic hazard maps
(5th generation, NBCC 2015), after Atkinson and Adams (2013) and Atkinson (2012).

Atkinson, G. M. and Adams, J. (2013). Ground motion prediction equations for application
to the 2015 Canadian national seismic hazard maps. Canadian Journal of Civil Engineering,
40(10), 988-998. Atkinson, G. M. (2012). White paper on proposed ground-motion prediction
equations (GMPEs) for 2015 National Seismic Hazard Maps (Appendix A).

* WesternCan15Mid: the BooreAtkinson2011 median, driven by epicentral distance: Rjb and
  Rrup are the equivalent distances of a rectangular rupture of Wells and Coppersmith
  (1994) width 10^(-1.01 + 0.32 M) and length 10^(-2.44 + 0.59 M) km centred at 10 km
  depth (top at max(10 - W/2, 0) km)::

      Rjb = max(Repi - 0.3 L, 0.1),   Rrup = sqrt(Rjb² + Ztor²)

  and the total standard deviation of the 2015 maps: log10 sigma 0.23 below 0.2 s,
  0.27 above 1 s, linear in period between (PGA and PGV as 0 s).
* WesternCan15Upp / WesternCan15Low: the median times / divided by the epistemic factor
  10^min(0.1 + 0.0007 Rjb, 0.3).
* OceanicCan15Mid / Upp / Low: the same for oceanic sources, evaluated at M - 0.5
  (the magnitude shift applies to the distance conversion too).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import LN10, TOTAL, as_columns, make_context
from oqcore.hazard.gsim.boore_atkinson_2011 import BooreAtkinson2011

#: depth (km) of the centre of the equivalent ruptures
CENTROID_DEPTH = 10.0


def equivalent_distances_west(mag: np.ndarray, repi: np.ndarray,
                              depth: float = CENTROID_DEPTH) -> tuple[np.ndarray, np.ndarray]:
    """(Rjb, Rrup) in km, each (N,), equivalent to epicentral distances ``repi`` (km) for
    western ruptures of magnitude ``mag`` (see the module docstring)."""
    width = 10.0 ** (-1.01 + 0.32 * mag)
    length = 10.0 ** (-2.44 + 0.59 * mag)
    ztor = np.maximum(depth - 0.5 * width, 0.0)
    rjb = np.maximum(repi - 0.3 * length, 0.1)
    return rjb, np.sqrt(rjb ** 2 + ztor ** 2)


def sigma_2015(imt) -> float:
    """Total standard deviation (ln units) of the 2015 western models at ``imt``."""
    period = imt.period if imt.name == "SA" else 0.0
    log10_sigma = 0.23 + np.clip((period - 0.2) / 0.8, 0.0, 1.0) * 0.04
    return LN10 * log10_sigma


class WesternCan15Mid(BooreAtkinson2011):
    """Western Canada crustal model of the 2015 maps, central branch."""

    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_DISTANCES = frozenset(["repi"])

    #: magnitude shift of the source type (oceanic sources: -0.5)
    MAGNITUDE_SHIFT = 0.0
    #: +1 upper branch, -1 lower branch, 0 central branch
    BRANCH = 0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = ctx.mag + self.MAGNITUDE_SHIFT
        rjb, rrup = equivalent_distances_west(mag, ctx.repi)
        equivalent = as_columns(make_context(len(mag), mag=mag, rake=ctx.rake,
                                             vs30=ctx.vs30, rjb=rjb, rrup=rrup))
        super().compute(equivalent, imts, mean, sig, tau, phi)
        ln_delta = LN10 * np.minimum(0.1 + 0.0007 * rjb, 0.3)
        for m, imt in enumerate(imts):
            mean[m] += self.BRANCH * ln_delta
            sig[m] = sigma_2015(imt)
        tau[:] = 0.0
        phi[:] = 0.0


class WesternCan15Upp(WesternCan15Mid):
    """Western Canada crustal model of the 2015 maps, upper branch."""

    BRANCH = 1


class WesternCan15Low(WesternCan15Mid):
    """Western Canada crustal model of the 2015 maps, lower branch."""

    BRANCH = -1


class OceanicCan15Mid(WesternCan15Mid):
    """Oceanic sources of the 2015 Canadian maps: the western model at M - 0.5."""

    MAGNITUDE_SHIFT = -0.5


class OceanicCan15Upp(OceanicCan15Mid):
    """Oceanic sources of the 2015 Canadian maps, upper branch."""

    BRANCH = 1


class OceanicCan15Low(OceanicCan15Mid):
    """Oceanic sources of the 2015 Canadian maps, lower branch."""

    BRANCH = -1
