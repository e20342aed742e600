"""Yu et al. (2013): elliptical attenuation of PGA and PGV in China (GB 18306-2015 maps).

Yu, Y. X., Li, S. Y. and Xiao, L. (2013). Development of ground motion attenuation
relations for the new seismic hazard map of China. Technology for Earthquake Disaster
Prevention, 8(1), 24-33.

Ground motions decay differently along the long (a) and short (b) axes of an ellipse
centred on the epicentre, the long axis along the rupture strike::

    ln Y_a = A1 + B1 M + C1 ln(R_a + D1 exp(E1 M))
    ln Y_b = A2 + B2 M + C2 ln(R_b + D2 exp(E2 M))

(natural logarithms, PGA in cm/s², PGV in cm/s; M the surface-wave magnitude Ms; one
coefficient set for M <= 6.5 and one above). A site at epicentral distance repi and
azimuth θ from the strike lies on the ellipse of equal intensity whose semi-axes R_a and
R_b satisfy ln Y_a(R_a) = ln Y_b(R_b) and R_a R_b / sqrt(R_a² sin²θ + R_b² cos²θ) = repi;
R_a is found by halving steps, and the median is the polar interpolation
ln Y = ln Y_a ln Y_b / sqrt((ln Y_a sinθ)² + (ln Y_b cosθ)²), with the axis distances
including a 15 km depth: sqrt(R² + 15²).

Coefficient tables per region (data/yu_2013): mainland China (active crust), the Tibetan
plateau, eastern China and the stable regions. Column names: ``a b c d e`` long axis M <=
6.5, ``ua ... ue`` long axis M > 6.5, ``ma ... me`` short axis M <= 6.5, ``ia ... ie``
short axis M > 6.5, ``sigma`` the total standard deviation (ln).

The ``Mw`` models take moment magnitudes, converted to Ms with Cheng et al. (2017):
Ms = (Mw - 0.59) / 0.86 below Mw 6.58, (Mw + 2.42) / 1.28 above (the conversion's own
uncertainty is not propagated).

Each context uses its own magnitude. (OpenQuake 3.26.2's ``Ms`` models evaluate the
axis medians with the magnitude of the last context of a call; their verification tables
here were made one context per call, where both agree.)
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, LN_CMS2_PER_G, TOTAL, coeffs_table

#: magnitudes above this use the large-magnitude coefficients
MAG_SPLIT = 6.5
#: squared depth (km²) added to the axis distances of the median
DEPTH2 = 225.0
#: the halving search for the long semi-axis (km): start, first step, tolerance on the
#: distance mismatch and smallest step
RA_START, RA_STEP, RA_TOL, RA_MIN_STEP = 200.0, 100.0, 1e-3, 1e-3


def _axis_coeffs(C, mag):
    """(A1, B1, C1, D1, E1), (A2, B2, C2, D2, E2): per-context coefficients of the long
    and short axes (large-magnitude set above M 6.5)."""
    big = mag > MAG_SPLIT
    long_axis = [np.where(big, C["u" + k], C[k]) for k in "abcde"]
    short_axis = [np.where(big, C["i" + k], C["m" + k]) for k in "abcde"]
    return long_axis, short_axis


def short_axis(ra, mag, long_axis, short_axis_):
    """The short semi-axis R_b (km) of equal intensity with the long semi-axis R_a."""
    A1, B1, C1, D1, E1 = long_axis
    A2, B2, C2, D2, E2 = short_axis_
    ln_y = A1 + B1 * mag + C1 * np.log(ra + D1 * np.exp(E1 * mag))
    return np.exp((ln_y - (A2 + B2 * mag)) / C2) - D2 * np.exp(E2 * mag)


def long_axis_distance(repi, theta, mag, long_axis, short_axis_) -> np.ndarray:
    """Long semi-axis R_a (km) of the equal-intensity ellipse through each site.

    Steps of 100 km halved at every move (up while the ellipse passes inside the site,
    down otherwise) until the mismatch is within 1e-3 km or the step below 1e-3 km.

    :param repi: (N,) epicentral distances (km); :param theta: (N,) azimuths (degrees
        from the strike); :param mag: (N,) Ms
    """
    sin2, cos2 = np.sin(np.radians(theta)) ** 2, np.cos(np.radians(theta)) ** 2

    def mismatch(ra):
        rb = short_axis(ra, mag, long_axis, short_axis_)
        return ra * rb / (ra ** 2 * sin2 + rb ** 2 * cos2) ** 0.5 - repi

    ra = np.full(len(repi), RA_START)
    step = np.full(len(repi), RA_STEP)
    miss = mismatch(ra)
    active = np.abs(miss) > RA_TOL
    while active.any():
        ra = np.where(active, np.where(miss > 0.0, ra - step, ra + step), ra)
        miss = np.where(active, mismatch(ra), miss)
        step = np.where(active, step / 2.0, step)
        active &= (np.abs(miss) > RA_TOL) & (step >= RA_MIN_STEP)
    return ra


class YuEtAl2013Ms(GMPE):
    """Yu et al. (2013), mainland China coefficients, Ms magnitudes."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["repi", "azimuth"])

    COEFFS = coeffs_table(__file__, "yu_2013", "mainland.csv")

    def surface_wave_magnitude(self, mag: np.ndarray) -> np.ndarray:
        """Ms of the contexts' magnitudes (these models take Ms)."""
        return mag

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag = self.surface_wave_magnitude(ctx.mag)
        theta = np.radians(ctx.azimuth)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            la, sa = _axis_coeffs(C, mag)
            ra = long_axis_distance(ctx.repi, ctx.azimuth, mag, la, sa)
            rb = short_axis(ra, mag, la, sa)
            ln_a = la[0] + la[1] * mag + la[2] * np.log(
                np.sqrt(ra ** 2 + DEPTH2) + la[3] * np.exp(la[4] * mag))
            ln_b = sa[0] + sa[1] * mag + sa[2] * np.log(
                np.sqrt(rb ** 2 + DEPTH2) + sa[3] * np.exp(sa[4] * mag))
            ln_y = ln_a * ln_b / np.sqrt((ln_a * np.sin(theta)) ** 2
                                         + (ln_b * np.cos(theta)) ** 2)
            mean[m] = ln_y - LN_CMS2_PER_G if imt.name == "PGA" else ln_y
            sig[m] = C["sigma"]


class YuEtAl2013MsTibet(YuEtAl2013Ms):
    """Yu et al. (2013), Tibetan plateau coefficients, Ms magnitudes."""

    COEFFS = coeffs_table(__file__, "yu_2013", "tibet.csv")


class YuEtAl2013MsEastern(YuEtAl2013Ms):
    """Yu et al. (2013), eastern China coefficients, Ms magnitudes."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    COEFFS = coeffs_table(__file__, "yu_2013", "eastern.csv")


class YuEtAl2013MsStable(YuEtAl2013Ms):
    """Yu et al. (2013), stable-region coefficients, Ms magnitudes."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    COEFFS = coeffs_table(__file__, "yu_2013", "stable.csv")


def ms_from_mw(mw: np.ndarray) -> np.ndarray:
    """Surface-wave magnitude from moment magnitude (Cheng et al., 2017)."""
    return np.where(mw < 6.58, (mw - 0.59) / 0.86, (mw + 2.42) / 1.28)


class _MomentMagnitude:
    """Mixin: the model takes Mw, converted to Ms."""

    def surface_wave_magnitude(self, mag):
        return ms_from_mw(mag)


class YuEtAl2013Mw(_MomentMagnitude, YuEtAl2013Ms):
    """Yu et al. (2013), mainland China, Mw magnitudes."""


class YuEtAl2013MwTibet(_MomentMagnitude, YuEtAl2013MsTibet):
    """Yu et al. (2013), Tibetan plateau, Mw magnitudes."""


class YuEtAl2013MwEastern(_MomentMagnitude, YuEtAl2013MsEastern):
    """Yu et al. (2013), eastern China, Mw magnitudes."""


class YuEtAl2013MwStable(_MomentMagnitude, YuEtAl2013MsStable):
    """Yu et al. (2013), stable regions, Mw magnitudes."""
