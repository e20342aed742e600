"""The eastern (stable crust) backbone model of Canada's 2015 national seismic hazard
maps (5th generation, NBCC 2015), after Atkinson and Adams (2013) and Atkinson (2012).

Atkinson, G. M. and Adams, J. (2013). Ground motion prediction equations for application
to the 2015 Canadian national seismic hazard maps. Canadian Journal of Civil Engineering,
40(10), 988-998.

EasternCan15Mid is the average, in ln units and with equal weights, of five models of
eastern North America evaluated at equivalent distances from the epicentral one
(Atkinson 2012, Appendix A: a rupture 0.6 times the western Wells and Coppersmith size
centred at 10 km depth, Rjb = max(Repi - 0.3 L, 0.1), Rrup = sqrt(Rjb² + Ztor²)):

* Pezeshk et al. (2011), Silva et al. (2002) single- and double-corner with
  saturation: hard-rock models scaled to B/C by 10^mf (Table 2 of the paper; for PGA
  10^(-0.3 + 0.15 log10 Repi));
* Atkinson (2008) as revised by Atkinson and Boore (2011);
* Atkinson and Boore (2006) as revised in 2011, with Ztor at least 21 - 2.5 M.

EasternCan15Upp / Low add / subtract the ln of the mean of the five models' total
standard deviations (as factors) plus max(0.1 - 0.001 Repi, 0). The standard deviation
is the one of the 2015 maps.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.atkinson_boore_2006 import AtkinsonBoore2006Modified2011
from oqcore.hazard.gsim.base import (LN10, TOTAL, GMPE, as_columns, coeffs_table,
                                     make_context)
from oqcore.hazard.gsim.boore_atkinson_2011 import Atkinson2008prime
from oqcore.hazard.gsim.canada_2015_west import CENTROID_DEPTH, sigma_2015
from oqcore.hazard.gsim.pezeshk_2011 import PezeshkEtAl2011
from oqcore.hazard.gsim.silva_2002 import (SilvaEtAl2002DoubleCornerSaturation,
                                           SilvaEtAl2002SingleCornerSaturation)

#: eastern ruptures are this fraction of the western Wells and Coppersmith size
EAST_SIZE = 0.6


def equivalent_distances_east(mag, repi, ab06: bool = False):
    """(Rjb, Rrup) in km, each (N,), for eastern ruptures of magnitude ``mag`` at
    epicentral distances ``repi`` (km); ``ab06``: Ztor at least 21 - 2.5 M (the
    near-source saturation of Atkinson and Boore 2006)."""
    width = EAST_SIZE * 10.0 ** (-1.01 + 0.32 * mag)
    length = EAST_SIZE * 10.0 ** (-2.44 + 0.59 * mag)
    top = CENTROID_DEPTH - 0.5 * width
    if ab06:
        top = np.maximum(21.0 - 2.5 * mag, top)
    ztor = np.maximum(top, 0.0)
    rjb = np.maximum(repi - 0.3 * length, 0.1)
    return rjb, np.sqrt(rjb ** 2 + ztor ** 2)


class EasternCan15Mid(GMPE):
    """Eastern Canada (stable crust) backbone model of the 2015 maps, central branch."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Continental Region"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["repi"])

    #: log10 of the hard-rock to B/C factor (SA)
    COEFFS_SITE = coeffs_table(__file__, "canada_2015", "east_site.csv")
    #: +1 upper branch, -1 lower branch, 0 central branch
    BRANCH = 0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        n = len(ctx)
        out = []
        for model, ab06, hard_rock in (
                (PezeshkEtAl2011(), False, True), (Atkinson2008prime(), False, False),
                (SilvaEtAl2002SingleCornerSaturation(), False, True),
                (SilvaEtAl2002DoubleCornerSaturation(), False, True),
                (AtkinsonBoore2006Modified2011(), True, False)):
            rjb, rrup = equivalent_distances_east(ctx.mag, ctx.repi, ab06)
            equivalent = as_columns(make_context(n, mag=ctx.mag, rake=ctx.rake,
                                                 vs30=ctx.vs30, rjb=rjb, rrup=rrup))
            out.append((model.get_mean_stds(equivalent, imts), hard_rock))
        for m, imt in enumerate(imts):
            to_bc = LN10 * (self.COEFFS_SITE[imt]["log10_mf"] if imt.name == "SA"
                            else -0.3 + 0.15 * np.log10(ctx.repi))
            mean[m] = sum(ms[0, m] + (to_bc if hard else 0.0) for ms, hard in out) / len(out)
            sig[m] = sigma_2015(imt)
            if self.BRANCH:
                spread = np.log(sum(np.exp(ms[1, m]) for ms, _ in out) / len(out))
                mean[m] += self.BRANCH * (spread + np.maximum(0.1 - 0.001 * ctx.repi, 0.0))
        tau[:] = 0.0
        phi[:] = 0.0


class EasternCan15Upp(EasternCan15Mid):
    """Eastern Canada model of the 2015 maps, upper branch."""

    BRANCH = 1


class EasternCan15Low(EasternCan15Mid):
    """Eastern Canada model of the 2015 maps, lower branch."""

    BRANCH = -1
