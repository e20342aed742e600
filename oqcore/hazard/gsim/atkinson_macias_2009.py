"""Atkinson and Macias (2009): great interface earthquakes in the Cascadia subduction zone.

Atkinson, G. M. and Macias, M. (2009). Predicted ground motions for great interface
earthquakes in the Cascadia subduction zone. Bulletin of the Seismological Society of
America, 99(3), 1552-1578.

Equations (4)-(6), B/C site conditions, random horizontal component::

    log10 Y = c0 + c3 (M - 8) + c4 (M - 8)² + c1 log10 R + c2 R
    R = sqrt(rrup² + (M² - 3.1 M - 14.55)²)

with Y in cm/s², sigma in log10 units. The options of the US 2023 model add site and
basin terms: ``ba08_site_term`` (the Boore and Atkinson 2008 site amplification),
``cb14_basin_term`` (the Campbell and Bozorgnia 2014 basin term) and
``m9_basin_term`` (ln 2 at sites with z2.5 >= 6 km for periods of 1.9 s and longer,
replacing the CB14 term there).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim import boore_atkinson_2008 as ba08
from oqcore.hazard.gsim import campbell_bozorgnia_2014 as cb14
from oqcore.hazard.gsim.base import (
    GMPE, LN10, TOTAL, check_flag, coeffs_table, ln_g_from_log10_cms2)

#: shortest period (s) and deepest basin (z2.5 >= km) of the M9 basin amplification
M9_PERIOD = 1.9
M9_Z2PT5 = 6.0


def m9_basin_term(imt, vs30, z2pt5, fb):
    """The M9 basin term: ln 2 where z2.5 (km; -999 = CB14 default) >= 6 km for
    SA at 1.9 s and longer, ``fb`` elsewhere."""
    if imt.name != "SA" or imt.period < M9_PERIOD:
        return fb
    z2pt5 = np.where(z2pt5 == -999, cb14.z2pt5_default(vs30), z2pt5)
    return np.where(z2pt5 >= M9_Z2PT5, np.log(2.0), fb)


def ln_mean_760(C, imt, mag, rrup):
    """ln of the median (g) on B/C rock of eqs. (4)-(6)."""
    h = mag ** 2 - 3.1 * mag - 14.55
    r = np.sqrt(rrup ** 2 + h ** 2)
    log10_y = (C["c0"] + C["c3"] * (mag - 8.0) + C["c4"] * (mag - 8.0) ** 2
               + C["c1"] * np.log10(r) + C["c2"] * r)
    return ln_g_from_log10_cms2(log10_y, imt)


class AtkinsonMacias2009(GMPE):
    """Atkinson and Macias (2009) Cascadia interface model (options: ba08_site_term,
    cb14_basin_term, m9_basin_term, all false by default)."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Random horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"ba08_site_term": False, "cb14_basin_term": False, "m9_basin_term": False}

    COEFFS = coeffs_table(__file__, "atkinson_macias_2009", "COEFFS.csv")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in self.ARGUMENTS:
            check_flag(type(self).__name__, name, getattr(self, name))
        sites, rup, dist = set(), set(), set()
        if self.cb14_basin_term or self.m9_basin_term:
            sites |= {"vs30", "z2pt5"}
        if self.ba08_site_term:
            sites.add("vs30")
            rup.add("rake")
            dist.add("rjb")
        self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | sites
        self.REQUIRES_RUPTURE_PARAMETERS = self.REQUIRES_RUPTURE_PARAMETERS | rup
        self.REQUIRES_DISTANCES = self.REQUIRES_DISTANCES | dist

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = ln_mean_760(C, imt, ctx.mag, ctx.rrup)
            if self.ba08_site_term:
                mean[m] += ba08.site_term(imt, ctx)
            fb = np.zeros(len(ctx))
            if self.cb14_basin_term:
                fb = cb14.basin_term(imt, ctx.vs30, ctx.z2pt5)
            if self.m9_basin_term:
                fb = m9_basin_term(imt, ctx.vs30, ctx.z2pt5, fb)
            mean[m] += fb
            sig[m] = C["sigma"] * LN10
