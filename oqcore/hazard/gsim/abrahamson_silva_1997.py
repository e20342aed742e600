"""Abrahamson and Silva (1997): shallow crustal earthquakes, rock and deep soil.

Abrahamson, N. A. and Silva, W. J. (1997). Empirical response spectral attenuation
relations for shallow crustal earthquakes. Seismological Research Letters, 68(1),
94-127.

ln Sa = f1(M, rrup) + F f3(M) + HW f4(M, rrup) + S f5(PGA_rock)               (eq. 3)

F = HW = 1 for reverse ruptures, S = 1 for soil sites; PGA_rock is the rock median
PGA (g) of the same rupture, which drives the non-linear soil response f5.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL, coeffs_table
from oqcore.hazard.imt import IMT

#: vs30 (m/s) below which a site is deep soil
SOIL_VS30 = 600.0
#: rake bounds (degrees, inclusive) of reverse ruptures
REVERSE_RAKE = (45.0, 135.0)
#: magnitude in the (8.5 - M)^n term
MAG_MAX = 8.5
#: magnitude below which the style-of-faulting term is a5
F3_MAG = 5.8
#: magnitude range of the linear hanging-wall magnitude taper
HW_MAG = (5.5, 6.5)
#: rupture distances (km) of the hanging-wall taper: ramp up 4-8, plateau 8-18,
#: ramp down a9 (1 - (rrup - 18) / 7) from 18 km, set to zero beyond 24 km as the
#: reference implementation does (the taper jumps from a9 / 7 to 0 there)
HW_R = (4.0, 8.0, 18.0, 7.0)
HW_R_MAX = 24.0
#: magnitude range (and saturation) of the standard deviation (eq. 13)
SIGMA_MAG = (5.0, 7.0)

_PGA = IMT("PGA")


class AbrahamsonSilva1997(GMPE):
    """Abrahamson and Silva (1997), average horizontal component, rock and deep soil."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "abrahamson_silva_1997", "COEFFS.csv")
    COEFFS_STD = coeffs_table(__file__, "abrahamson_silva_1997", "COEFFS_STD.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag, rrup = ctx.mag, ctx.rrup
        reverse = (ctx.rake >= REVERSE_RAKE[0]) & (ctx.rake <= REVERSE_RAKE[1])
        soil = ctx.vs30 < SOIL_VS30
        pga_rock = np.exp(_ln_rock(self.COEFFS[_PGA], mag, rrup, reverse))  # g
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_soil_term = C["a10"] + C["a11"] * np.log(pga_rock + C["c5"])  # f5
            mean[m] = _ln_rock(C, mag, rrup, reverse) + np.where(soil, ln_soil_term, 0.0)
            sig[m] = _sigma(self.COEFFS_STD[imt], mag)


def _ln_rock(C, mag, rrup, reverse):
    """ln Sa (g) on rock: f1 + F f3 + HW f4."""
    return _f1(C, mag, rrup) + reverse * (_f3(C, mag) + _f4(C, mag, rrup))


def _f1(C, mag, rrup):
    """Magnitude and distance scaling (eq. 4); R = sqrt(rrup^2 + c4^2) in km."""
    dm = mag - C["c1"]
    slope = np.where(mag <= C["c1"], C["a2"], C["a4"])
    r = np.sqrt(rrup ** 2 + C["c4"] ** 2)
    return (C["a1"] + slope * dm + C["a12"] * (MAG_MAX - mag) ** C["n"]
            + (C["a3"] + C["a13"] * dm) * np.log(r))


def _f3(C, mag):
    """Style-of-faulting term (eq. 6): a5 up to M 5.8, linear to a6 at M c1."""
    frac = np.clip((mag - F3_MAG) / (C["c1"] - F3_MAG), 0.0, 1.0)
    return C["a5"] + (C["a6"] - C["a5"]) * frac


def _f4(C, mag, rrup):
    """Hanging-wall term (eqs. 7-9): magnitude taper times distance taper."""
    f_mag = np.clip((mag - HW_MAG[0]) / (HW_MAG[1] - HW_MAG[0]), 0.0, 1.0)
    r1, r2, r3, width = HW_R
    up = np.clip((rrup - r1) / (r2 - r1), 0.0, 1.0)
    down = np.where(rrup <= HW_R_MAX, np.minimum(1.0 - (rrup - r3) / width, 1.0), 0.0)
    return C["a9"] * f_mag * np.minimum(up, down)


def _sigma(S, mag):
    """Total standard deviation (eq. 13): b5 - b6 (M - 5), M limited to 5-7."""
    return S["b5"] - S["b6"] * (np.clip(mag, *SIGMA_MAG) - SIGMA_MAG[0])
