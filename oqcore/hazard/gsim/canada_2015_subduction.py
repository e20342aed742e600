"""The subduction backbone models of Canada's 2015 national seismic hazard maps (5th
generation, NBCC 2015), after Atkinson and Adams (2013).

Atkinson, G. M. and Adams, J. (2013). Ground motion prediction equations for application
to the 2015 Canadian national seismic hazard maps. Canadian Journal of Civil Engineering,
40(10), 988-998.

* SInterCan15Mid: the weighted average of four interface models in ln units: Zhao et
  al. (2006) (0.1) and Ghofrani and Atkinson (2014) (0.2), both scaled to B/C by the
  factor ``mf`` of the paper, Atkinson and Macias (2009) (0.5) and the BC Hydro model
  of Abrahamson et al. (2015) (0.2). SInterCan15Upp / Low add / subtract
  min(0.15 - 0.0007 Rrup, 0.35).
* SSlabCan15Mid: Zhao et al. (2006) in-slab, driven by epicentral distance through the
  equivalent distances of a circular rupture of area 10^(-3.225 + 0.89 M) km² in a slab
  at 50 km (Rjb = max(Repi - r, 0), Rrup = sqrt(Rjb² + 50²)), times 10^mf (B/C);
  SSlabCan15Upp / Low times / divided by 10^0.15.

Both take the total standard deviation of the 2015 maps (:func:`sigma_2015`).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim.abrahamson_2015 import AbrahamsonEtAl2015SInter
from oqcore.hazard.gsim.atkinson_macias_2009 import AtkinsonMacias2009
from oqcore.hazard.gsim.base import (LN10, TOTAL, GMPE, as_columns, coeffs_table,
                                     get_mean_stds, make_context)
from oqcore.hazard.gsim.canada_2015_west import sigma_2015
from oqcore.hazard.gsim.ghofrani_atkinson_2014 import GhofraniAtkinson2014
from oqcore.hazard.gsim.zhao_2006 import ZhaoEtAl2006SInter, ZhaoEtAl2006SSlab

#: weights of Zhao 2006, Atkinson-Macias 2009, BC Hydro 2015, Ghofrani-Atkinson 2014
SINTER_WEIGHTS = (0.1, 0.5, 0.2, 0.2)
#: depth (km) of the slab of the equivalent in-slab distances
SLAB_DEPTH = 50.0
#: log10 of the epistemic factor of the in-slab upper and lower branches
SLAB_DELTA = 0.15


class SInterCan15Mid(GMPE):
    """Subduction-interface backbone model of the 2015 Canadian maps, central branch."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset(["backarc", "vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    #: B/C scaling factor (linear) of Zhao (2006) and Ghofrani-Atkinson (2014)
    COEFFS_SITE = coeffs_table(__file__, "canada_2015", "sinter_site.csv")
    #: +1 upper branch, -1 lower branch, 0 central branch
    BRANCH = 0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        models = (ZhaoEtAl2006SInter(), AtkinsonMacias2009(), AbrahamsonEtAl2015SInter(),
                  GhofraniAtkinson2014())
        zh06, am09, ab15, ga14 = get_mean_stds(models, ctx, imts)[0]
        w_zh, w_am, w_ab, w_ga = SINTER_WEIGHTS
        delta = np.minimum(0.15 - 0.0007 * ctx.rrup, 0.35)
        for m, imt in enumerate(imts):
            ln_mf = math.log(self.COEFFS_SITE[imt]["mf"])
            mean[m] = (w_zh * (zh06[m] + ln_mf) + w_am * am09[m] + w_ab * ab15[m]
                       + w_ga * (ga14[m] + ln_mf) + self.BRANCH * delta)
            sig[m] = sigma_2015(imt)
        tau[:] = 0.0
        phi[:] = 0.0


class SInterCan15Upp(SInterCan15Mid):
    """Subduction-interface model of the 2015 Canadian maps, upper branch."""

    BRANCH = 1


class SInterCan15Low(SInterCan15Mid):
    """Subduction-interface model of the 2015 Canadian maps, lower branch."""

    BRANCH = -1


def equivalent_distances_inslab(mag, repi, depth: float = SLAB_DEPTH):
    """(Rjb, Rrup) in km, each (N,), of in-slab ruptures of magnitude ``mag`` at epicentral
    distances ``repi`` (km): a circular rupture of area 10^(-3.225 + 0.89 M) km² in a
    slab at ``depth`` km."""
    radius = np.sqrt(10.0 ** (-3.225 + 0.89 * mag) / np.pi)
    rjb = np.maximum(repi - radius, 0.0)
    return rjb, np.sqrt(rjb ** 2 + depth ** 2)


class SSlabCan15Mid(ZhaoEtAl2006SSlab):
    """In-slab backbone model of the 2015 Canadian maps, central branch."""

    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_DISTANCES = frozenset(["repi"])

    #: log10 of the B/C scaling factor
    COEFFS_SITE = coeffs_table(__file__, "canada_2015", "sslab_site.csv")
    #: +1 upper branch, -1 lower branch, 0 central branch
    BRANCH = 0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rjb, rrup = equivalent_distances_inslab(ctx.mag, ctx.repi)
        equivalent = as_columns(make_context(
            len(ctx), mag=ctx.mag, hypo_depth=ctx.hypo_depth, vs30=ctx.vs30, rjb=rjb,
            rrup=rrup))
        super().compute(equivalent, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            mean[m] += LN10 * (self.COEFFS_SITE[imt]["log10_mf"] + self.BRANCH * SLAB_DELTA)
            sig[m] = sigma_2015(imt)
        tau[:] = 0.0
        phi[:] = 0.0


class SSlabCan15Upp(SSlabCan15Mid):
    """In-slab model of the 2015 Canadian maps, upper branch."""

    BRANCH = 1


class SSlabCan15Low(SSlabCan15Mid):
    """In-slab model of the 2015 Canadian maps, lower branch."""

    BRANCH = -1
