"""Boore and Atkinson (2008): NGA ground-motion model for shallow crustal earthquakes.

Boore, D. M. and Atkinson, G. M. (2008). Ground-motion prediction equations for the
average horizontal component of PGA, PGV, and 5%-damped PSA at spectral periods between
0.01 s and 10.0 s. Earthquake Spectra, 24(1), 99-138.

ln Y = F_M(M) + F_D(Rjb, M) + F_S(Vs30, Rjb, M)  (eq. 1), with the magnitude scaling
F_M of eq. 5, the distance function F_D of eq. 3 and the site amplification F_S of
eqs. 6-13 (linear term plus a non-linear term driven by ``pga4nl``, the PGA on the
reference rock Vs30 = 760 m/s). The site amplification functions are exported for the
models that reuse them (Akkar and Cagnan 2010).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table, faulting_style_30)
from oqcore.hazard.imt import PGA

#: reference magnitude of the distance function
MREF = 4.5
#: reference distance of the distance function (km)
RREF = 1.0
#: reference rock velocity (m/s)
VREF = 760.0
#: velocities bounding the transitions of the non-linear slope b_nl (m/s), eq. 13
V1 = 180.0
V2 = 300.0
#: pga4nl thresholds (g) of the non-linear site term, eqs. 7-9
A1 = 0.03
A2 = 0.09
PGA_LOW = 0.06


def fault_type_dummies(rake):
    """Style-of-faulting dummy variables (SS, NS, RS) from rake (degrees).

    Strike-slip: |rake| <= 30 or |rake| >= 150; reverse: 30 < rake < 150;
    normal otherwise (-150 < rake < -30). The unspecified class is never used.
    """
    ss, ns, rs = faulting_style_30(rake)
    return ss.astype(float), ns.astype(float), rs.astype(float)


def magnitude_scaling(C, mag, rake):
    """F_M of eq. 5 (ln units), hinged at Mh (M <= Mh uses the quadratic)."""
    ss, ns, rs = fault_type_dummies(rake)
    dmag = mag - C["Mh"]
    sof = C["e2"] * ss + C["e3"] * ns + C["e4"] * rs
    return sof + np.where(mag <= C["Mh"], C["e5"] * dmag + C["e6"] * dmag ** 2,
                          C["e7"] * dmag)


def distance_scaling(C, mag, rjb):
    """F_D of eq. 3 (ln units); R = sqrt(Rjb² + h²) in km."""
    r = np.sqrt(rjb ** 2 + C["h"] ** 2)
    return ((C["c1"] + C["c2"] * (mag - MREF)) * np.log(r / RREF)
            + C["c3"] * (r - RREF))


def site_linear(C_SR, vs30):
    """Linear site amplification F_LIN = blin ln(Vs30 / Vref), eq. 7."""
    return C_SR["blin"] * np.log(vs30 / VREF)


def nonlinear_slope(C_SR, vs30):
    """Non-linear slope b_nl of eq. 13 as a function of vs30 (m/s)."""
    b1, b2 = C_SR["b1"], C_SR["b2"]
    mid = (b1 - b2) * np.log(vs30 / V2) / np.log(V1 / V2) + b2
    high = b2 * np.log(vs30 / VREF) / np.log(V2 / VREF)
    return np.select([vs30 <= V1, vs30 <= V2, vs30 <= VREF], [b1, mid, high], 0.0)


def site_nonlinear(C_SR, vs30, pga4nl):
    """Non-linear site amplification F_NL of eqs. 8-12; ``pga4nl`` in g."""
    bnl = nonlinear_slope(C_SR, vs30)
    dx = np.log(A2 / A1)
    dy = bnl * np.log(A2 / PGA_LOW)
    c = (3.0 * dy - bnl * dx) / dx ** 2
    d = -(2.0 * dy - bnl * dx) / dx ** 3
    low = bnl * np.log(PGA_LOW / 0.1)
    x = np.log(np.maximum(pga4nl, A1) / A1)  # only used where pga4nl > A1
    mid = low + c * x ** 2 + d * x ** 3
    high = bnl * np.log(pga4nl / 0.1)
    return np.select([pga4nl <= A1, pga4nl <= A2], [low, mid], high)


def site_amplification(C_SR, vs30, pga4nl):
    """F_S = F_LIN + F_NL (ln units)."""
    return site_linear(C_SR, vs30) + site_nonlinear(C_SR, vs30, pga4nl)


def site_term(imt, ctx) -> np.ndarray:
    """The BA08 site amplification F_S (ln units) at the sites of ``ctx`` (needs mag,
    rake, rjb, vs30), with pga4nl from the model's PGA coefficients: the site term other
    models borrow (``ba08_site_term``)."""
    C_pga = BooreAtkinson2008.COEFFS[PGA]
    pga4nl = np.exp(magnitude_scaling(C_pga, ctx.mag, ctx.rake)
                    + distance_scaling(C_pga, ctx.mag, ctx.rjb))
    return site_amplification(BooreAtkinson2008.COEFFS_SOIL_RESPONSE[imt], ctx.vs30, pga4nl)


class BooreAtkinson2008(GMPE):
    """Boore and Atkinson (2008) NGA model, GMRotI50 component, Joyner-Boore distance."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: Tables 6 and 8 (e1..e7, Mh, c1..c3, h, sigma, tau, std = sigma_T)
    COEFFS = coeffs_table(__file__, "boore_atkinson_2008", "COEFFS.csv")
    #: Table 3 (blin, b1, b2), with its own period grid
    COEFFS_SOIL_RESPONSE = coeffs_table(
        __file__, "boore_atkinson_2008", "COEFFS_SOIL_RESPONSE.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        C_pga = self.COEFFS[PGA]
        # PGA (g) on reference rock: magnitude and distance terms only
        pga4nl = np.exp(magnitude_scaling(C_pga, ctx.mag, ctx.rake)
                        + distance_scaling(C_pga, ctx.mag, ctx.rjb))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            C_SR = self.COEFFS_SOIL_RESPONSE[imt]
            mean[m] = (magnitude_scaling(C, ctx.mag, ctx.rake)
                       + distance_scaling(C, ctx.mag, ctx.rjb)
                       + site_amplification(C_SR, ctx.vs30, pga4nl))
            sig[m] = C["std"]
            tau[m] = C["tau"]
            phi[m] = C["sigma"]
