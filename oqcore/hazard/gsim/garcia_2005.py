"""Garcia et al. (2005): in-slab earthquakes of central Mexico.

Garcia, D., Singh, S. K., Herraiz, M., Ordaz, M. and Pacheco, J. F. (2005). Inslab
earthquakes of central Mexico: peak ground-motion parameters and response spectra.
Bulletin of the Seismological Society of America, 95(6), 2272-2282.

Table 2 of the paper (NEHRP B sites), in log10 of cm/s² (cm/s for PGV)::

    log Y = c1 + c2 M + c3 R - c4 log R + c5 H
    R = sqrt(D² + Δ²),  Δ = 0.00750 10^(0.507 M)

with H the focal depth (km) and D the hypocentral distance for M < 6.5, the rupture
distance otherwise. The coefficients are the higher-precision ones of the authors'
Fortran code; sigmas are log10 units (total, inter-event, intra-event).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL,
                                     coeffs_table, ln_g_from_log10_cms2)

#: magnitude from which the rupture distance replaces the hypocentral one
MAG_RRUP = 6.5


def near_source_term(mag):
    """Δ (km) of the distance R, equation of Table 2."""
    return 0.00750 * 10.0 ** (0.507 * mag)


def log10_median(C, mag, dist, hypo_depth):
    """log10 of the median (cm/s², cm/s for PGV) at distance ``dist`` (km), before the
    near-source term."""
    r = np.sqrt(dist ** 2 + near_source_term(mag) ** 2)
    return C["c1"] + C["c2"] * mag + C["c3"] * r - C["c4"] * np.log10(r) + C["c5"] * hypo_depth


def stddevs(C):
    """(total, inter-event, intra-event) in ln units."""
    return C["s_t"] * LN10, C["s_e"] * LN10, C["s_r"] * LN10


class GarciaEtAl2005SSlab(GMPE):
    """Garcia et al. (2005), geometric mean of the horizontal components."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rhypo"])

    COEFFS = coeffs_table(__file__, "garcia_2005", "COEFFS_HORIZONTAL.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = np.where(ctx.mag < MAG_RRUP, ctx.rhypo, ctx.rrup)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = ln_g_from_log10_cms2(log10_median(C, ctx.mag, dist, ctx.hypo_depth), imt)
            sig[m], tau[m], phi[m] = stddevs(C)


class GarciaEtAl2005SSlabVert(GarciaEtAl2005SSlab):
    """Garcia et al. (2005), vertical component (Table 3 of the paper)."""

    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Vertical"

    COEFFS = coeffs_table(__file__, "garcia_2005", "COEFFS_VERTICAL.csv")
