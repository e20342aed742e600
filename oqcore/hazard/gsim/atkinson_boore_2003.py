"""Atkinson and Boore (2003): subduction-zone interface and in-slab earthquakes.

Atkinson, G. M. and Boore, D. M. (2003). Empirical ground-motion relations for
subduction-zone earthquakes and their application to Cascadia and other regions.
Bulletin of the Seismological Society of America, 93(4), 1703-1729; with Erratum
(2008), BSSA 98(5), 2567-2569.

Equation (1) of the paper, in log10 of cm/s²::

    log Y = c1 + c2 M + c3 h + c4 R - g log R + sl (c5 Sc + c6 Sd + c7 Se)
    R = sqrt(rrup² + delta²),  delta = 0.00724 10^(0.507 M)

with g = 10^(1.2 - 0.18 M) (interface) or 10^(0.301 - 0.01 M) (in-slab), h the focal
depth (km, at most 100), Sc/Sd/Se the NEHRP site-class dummies and sl the non-linear
soil factor, driven by the PGA on rock PGArx (cm/s²). Sigmas are in log10 units.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, G_ACCEL, INTER_EVENT, INTRA_EVENT, LN10,
                                     TOTAL, coeffs_table)
from oqcore.hazard.imt import IMT

#: focal depth (km) range; deeper events use 100 km
MIN_DEPTH, MAX_DEPTH = 0.0, 100.0
#: PGArx (cm/s²) bounds of the non-linear soil factor
PGA_LINEAR, PGA_SATURATED = 100.0, 500.0
#: SA(4 s): the reference implementation divides the ln(g) mean by this factor
SA_4S_FACTOR = 0.550
_PGA = IMT("PGA")


def site_classes(vs30):
    """NEHRP dummies (Sc, Sd, Se): C 360 < vs30 <= 760, D 180 <= vs30 <= 360, E < 180."""
    sc = ((vs30 > 360.0) & (vs30 <= 760.0)).astype(float)
    sd = ((vs30 >= 180.0) & (vs30 <= 360.0)).astype(float)
    se = (vs30 < 180.0).astype(float)
    return sc, sd, se


def soil_factor(pga_rock, imt):
    """Non-linear soil factor sl for PGArx ``pga_rock`` (cm/s²) and ``imt``."""
    period = imt.period if imt.name == "SA" else 0.0
    if period >= 1.0:  # f <= 1 Hz: linear
        return np.ones_like(pga_rock)
    # 1 - slope * (PGArx - 100) / 400, with slope f - 1 for 1 < f < 2 Hz, 1 for f >= 2
    slope = 1.0 / period - 1.0 if period > 0.5 else 1.0
    frac = np.clip((pga_rock - PGA_LINEAR) / (PGA_SATURATED - PGA_LINEAR), 0.0, 1.0)
    return 1.0 - slope * frac


class AtkinsonBoore2003SInter(GMPE):
    """Atkinson and Boore (2003), global subduction interface events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Random horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 800
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "atkinson_boore_2003", "SINTER.csv")

    #: magnitude cap (interface 8.5)
    MAX_MAG = 8.5
    #: Erratum (2008): the ln-mean at SA(0.2) and SA(0.4) is a weighted combination
    #: of the equations with the 0.2 s and 0.4 s rows: {period: (w_0.2, w_0.4)}
    ERRATUM_WEIGHTS = {0.2: (0.333, 0.667), 0.4: (0.667, 0.333)}

    @staticmethod
    def geometric_spreading(mag):
        """Coefficient g of the log R term, interface events."""
        return 10.0 ** (1.2 - 0.18 * mag)

    def _log_rock(self, C, mag, depth, rrup):
        """log10 of the motion on rock (cm/s²), equation (1) without the site term."""
        delta = 0.00724 * 10.0 ** (0.507 * mag)
        r = np.sqrt(rrup ** 2 + delta ** 2)
        return (C["c1"] + C["c2"] * mag + C["c3"] * depth + C["c4"] * r
                - self.geometric_spreading(mag) * np.log10(r))

    def _ln_mean(self, C, imt, mag, depth, rrup, sites, pga_rock):
        """ln of the median (g) for the coefficients ``C``, equation (1)."""
        sc, sd, se = sites
        sl = soil_factor(pga_rock, imt)
        log_y = (self._log_rock(C, mag, depth, rrup)
                 + sl * (C["c5"] * sc + C["c6"] * sd + C["c7"] * se))
        return np.log(10.0 ** log_y * 1e-2 / G_ACCEL)  # log10 cm/s² -> ln g

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = np.minimum(ctx.mag, self.MAX_MAG)
        depth = np.clip(ctx.hypo_depth, MIN_DEPTH, MAX_DEPTH)
        sites = site_classes(ctx.vs30)
        pga_rock = 10.0 ** self._log_rock(self.COEFFS[_PGA], mag, depth, ctx.rrup)
        args = (mag, depth, ctx.rrup, sites, pga_rock)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            period = imt.period if imt.name == "SA" else 0.0
            if period in self.ERRATUM_WEIGHTS:
                w02, w04 = self.ERRATUM_WEIGHTS[period]
                mean[m] = (w02 * self._ln_mean(self.COEFFS[IMT("SA", 0.2)], imt, *args)
                           + w04 * self._ln_mean(self.COEFFS[IMT("SA", 0.4)], imt, *args))
            else:
                mean[m] = self._ln_mean(C, imt, *args)
            if period == 4.0:
                mean[m] /= SA_4S_FACTOR
            sig[m] = C["sigma"] * LN10
            tau[m] = C["s2"] * LN10
            phi[m] = C["s1"] * LN10


class AtkinsonBoore2003SSlab(AtkinsonBoore2003SInter):
    """Atkinson and Boore (2003), global in-slab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"

    COEFFS = coeffs_table(__file__, "atkinson_boore_2003", "SSLAB.csv")

    #: magnitude cap (in-slab 8.0)
    MAX_MAG = 8.0
    #: the erratum combination applies to interface events only
    ERRATUM_WEIGHTS: dict = {}

    @staticmethod
    def geometric_spreading(mag):
        """Coefficient g of the log R term, in-slab events."""
        return 10.0 ** (0.301 - 0.01 * mag)


class AtkinsonBoore2003SSlabCascadia(AtkinsonBoore2003SSlab):
    """Atkinson and Boore (2003), in-slab events with the Cascadia coefficients (the
    regional c1 of the paper's Table 3 as the 2008 US NSHM codes them)."""

    COEFFS = coeffs_table(__file__, "atkinson_boore_2003", "SSLAB_CASCADIA.csv")
