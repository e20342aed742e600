"""Ghofrani and Atkinson (2014): large subduction interface earthquakes (M7-M9) from
Japanese records.

Ghofrani, H. and Atkinson, G. M. (2014). Ground-motion prediction equations for
interface earthquakes of M7 to M9 based on empirical data from Japan. Bulletin of
Earthquake Engineering, 12, 549-571.

Equation (1), log10 of cm/s² (cm/s for PGV)::

    log Y = a + b M - log sqrt(rrup² + 60²) + c1 rrup (forearc) or c2 rrup (backarc)
            + c3 log(vs30 / 760) + af

with af the Cascadia factor of Table 2 (Cascadia variants) and/or the epistemic
adjustment ±min(0.15 + 0.0007 rrup, 0.35) of p. 567 (upper / lower variants).
Sigmas (inter-event tau, intra-event sigma) are log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL,
                                     coeffs_table, ln_g_from_log10_cms2)

#: near-source saturation depth (km) of the geometric spreading
H_SAT = 60.0


def linear_site_term(C, vs30):
    """c3 log10(vs30 / 760), log10 units."""
    return C["c3"] * np.log10(vs30 / 760.0)


def log10_source_path(C, mag, rrup, backarc):
    """Magnitude and distance terms (log10 units); ``backarc`` a boolean array."""
    anelastic = np.where(backarc, C["c2"], C["c1"]) * rrup
    return C["a"] + C["b"] * mag - np.log10(np.sqrt(rrup ** 2 + H_SAT ** 2)) + anelastic


def epistemic_term(rrup):
    """The size of the upper/lower adjustment of p. 567 (log10 units)."""
    return np.minimum(0.15 + 0.0007 * rrup, 0.35)


class GhofraniAtkinson2014(GMPE):
    """Ghofrani and Atkinson (2014), the central Japanese model."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "ghofrani_atkinson_2014", "COEFFS.csv")

    #: apply the Cascadia factor af of Table 2
    CASCADIA = False
    #: sign of the epistemic adjustment (+1 upper, -1 lower, 0 none)
    EPISTEMIC = 0

    def adjustment(self, C, rrup):
        """Cascadia and epistemic terms (log10 units)."""
        adj = C["af"] if self.CASCADIA else 0.0
        if self.EPISTEMIC:
            adj = adj + self.EPISTEMIC * epistemic_term(rrup)
        return adj

    def log10_median(self, C, ctx, site_term):
        """log10 of the median for ``site_term`` (log10 units, (N,))."""
        return (log10_source_path(C, ctx.mag, ctx.rrup, ctx.backarc.astype(bool)) + site_term
                + self.adjustment(C, ctx.rrup))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = self.log10_median(C, ctx, linear_site_term(C, ctx.vs30))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m], tau[m], phi[m] = stddevs(C)


def stddevs(C):
    """(total, inter-event, intra-event) in ln units."""
    return np.hypot(C["tau"], C["sigma"]) * LN10, C["tau"] * LN10, C["sigma"] * LN10


class GhofraniAtkinson2014Cascadia(GhofraniAtkinson2014):
    """Ghofrani and Atkinson (2014) with the Cascadia factors of Table 2."""

    CASCADIA = True


class GhofraniAtkinson2014Upper(GhofraniAtkinson2014):
    """Ghofrani and Atkinson (2014), upper epistemic branch."""

    EPISTEMIC = 1


class GhofraniAtkinson2014Lower(GhofraniAtkinson2014):
    """Ghofrani and Atkinson (2014), lower epistemic branch."""

    EPISTEMIC = -1


class GhofraniAtkinson2014CascadiaUpper(GhofraniAtkinson2014):
    """Ghofrani and Atkinson (2014), Cascadia factors and upper epistemic branch."""

    CASCADIA, EPISTEMIC = True, 1


class GhofraniAtkinson2014CascadiaLower(GhofraniAtkinson2014):
    """Ghofrani and Atkinson (2014), Cascadia factors and lower epistemic branch."""

    CASCADIA, EPISTEMIC = True, -1
