"""Dowrick and Rhoades (2005): Modified Mercalli Intensity attenuation in New Zealand.

Dowrick, D. J. and Rhoades, D. A. (2005). Revised models for attenuation of Modified
Mercalli Intensity in New Zealand earthquakes. Bulletin of the New Zealand Society for
Earthquake Engineering, 38(4), 185-214 (Model 1, Tables 5 and 7).

MMI = A1 + (A2 + A2R δR + A2V δV) M + (A3 + A3S δS + A3V δV) log10((Rrup³ + d³)^(1/3))
      + A4 h + A5 δI + S(MMI, site class)

δR: reverse faulting (45 < rake < 135) of crustal events and every interface event; δS:
strike-slip (|rake| <= 45 or >= 135) crustal events; δV: volcanic zone; δI: interface;
h the hypocentral depth (km). The site term S is c1 up to MMI 7, c1 - d (MMI - 7) up to
9.5 and c2 beyond, by the class of vs30 (m/s): E < 180, D 180-360, C 360-760 (0),
B 760-1500, A > 1500. σ² = τ² + σ_intra² (intensity units).

Each site takes the class of its own vs30 (OpenQuake 3.26.2 applies the class of the
first context to all: the two agree whenever the sites share a vs30).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table

#: site classes: (upper vs30 bound (m/s, inclusive except E), c1, c2, d)
SITE_CLASSES = ((180.0, 1.0, -0.25, 0.5),     # E, vs30 < 180
                (360.0, 0.5, -0.125, 0.25),   # D
                (760.0, 0.0, 0.0, 0.0),       # C
                (1500.0, -0.5, 0.125, -0.25),  # B
                (np.inf, -1.0, 0.25, -0.5))   # A
#: MMI bounds of the site term's transition
MMI_LOW, MMI_HIGH = 7.0, 9.5


def site_term(vs30, mmi):
    """S (intensity units), (N,)."""
    cls = np.where(vs30 < 180.0, 0, np.where(vs30 <= 360.0, 1, np.where(
        vs30 <= 760.0, 2, np.where(vs30 <= 1500.0, 3, 4))))
    table = np.array([row[1:] for row in SITE_CLASSES])
    c1, c2, d = table[cls].T
    return np.where(mmi <= MMI_LOW, c1, np.where(mmi < MMI_HIGH, c1 - d * (mmi - MMI_LOW), c2))


class DowrickRhoades2005Asc(GMPE):
    """Dowrick and Rhoades (2005), active shallow crust (faulting style from the rake)."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["MMI"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "dowrick_rhoades_2005", "COEFFS.csv")

    def deltas(self, rake):
        """(δR, δS, δV, δI) of the region type, each (N,)."""
        reverse = ((rake > 45.0) & (rake < 135.0)).astype(float)
        strike_slip = (((rake >= 0.0) & (rake <= 45.0)) | ((rake >= 135.0) & (rake <= 180.0))
                       | ((rake >= -180.0) & (rake <= -135.0))
                       | ((rake >= -45.0) & (rake < 0.0))).astype(float)
        zero = np.zeros_like(rake)
        return reverse, strike_slip, zero, zero

    def compute(self, ctx, imts, mean, sig, tau, phi):
        d_r, d_s, d_v, d_i = self.deltas(np.asarray(ctx.rake, float))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mmi = (C["A1"] + (C["A2"] + C["A2R"] * d_r + C["A2V"] * d_v) * ctx.mag
                   + (C["A3"] + C["A3S"] * d_s + C["A3V"] * d_v)
                   * np.log10(np.cbrt(ctx.rrup ** 3 + C["d"] ** 3))
                   + C["A4"] * ctx.hypo_depth + C["A5"] * d_i)
            mean[m] = mmi + site_term(ctx.vs30, mmi)
            tau[m] = C["tau"]
            phi[m] = C["sigma"]
            sig[m] = np.sqrt(C["tau"] ** 2 + C["sigma"] ** 2)


class DowrickRhoades2005SInter(DowrickRhoades2005Asc):
    """Dowrick and Rhoades (2005), subduction interface (δR = δI = 1)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"

    def deltas(self, rake):
        one, zero = np.ones_like(rake), np.zeros_like(rake)
        return one, zero, zero, one


class DowrickRhoades2005SSlab(DowrickRhoades2005Asc):
    """Dowrick and Rhoades (2005), subduction intraslab (no δ terms)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    COEFFS = coeffs_table(__file__, "dowrick_rhoades_2005", "COEFFS_SSLAB.csv")

    def deltas(self, rake):
        zero = np.zeros_like(rake)
        return zero, zero, zero, zero


class DowrickRhoades2005Volc(DowrickRhoades2005Asc):
    """Dowrick and Rhoades (2005), volcanic zone (δV = 1)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"

    def deltas(self, rake):
        zero = np.zeros_like(rake)
        return zero, zero, np.ones_like(rake), zero
