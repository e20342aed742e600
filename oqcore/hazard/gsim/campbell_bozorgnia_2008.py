"""Campbell and Bozorgnia (2008): NGA model for active shallow crust.

Campbell, K. W. and Bozorgnia, Y. (2008). NGA ground motion model for the geometric
mean horizontal component of PGA, PGV, PGD and 5% damped linear elastic response
spectra for periods ranging from 0.01 to 10 s. Earthquake Spectra, 24(1), 139-171.

ln Y = f_mag + f_dis + f_flt + f_hng + f_site + f_sed                            (eq. 1)

The non-linear site term depends on A1100, the median PGA (g) on rock with
vs30 = 1100 m/s, computed from the same context (with the site's own sediment term, as
the reference implementation does). Standard deviations follow eqs. 15-17.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table)
from oqcore.hazard.imt import IMT

#: metres in a kilometre (z1.0 is in m, z2.5 in km)
METRES_PER_KM = 1000.0
#: rock vs30 (m/s) of A1100, and the cap of the linear site term
VS30_ROCK = 1100.0
#: magnitudes of the trilinear magnitude scaling (eq. 2)
MAG_HINGES = (5.5, 6.5)
#: upper bound (s) of the SA periods floored at PGA (0 < T < 0.25 s)
SA_FLOOR_PERIOD = 0.25

_PGA = IMT("PGA")


class CampbellBozorgnia2008(GMPE):
    """Campbell and Bozorgnia (2008), GMRotI50 component."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["CAV", "PGA", "PGD", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "mag", "rake", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup"])

    COEFFS = coeffs_table(__file__, "campbell_bozorgnia_2008", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        z2pt5 = _z2pt5(ctx.vs30, ctx.z2pt5)
        C_PGA = self.COEFFS[_PGA]
        # rock PGA: the site term at vs30 = 1100 with no non-linearity
        a1100 = np.exp(_ln_rock_part(C_PGA, ctx, z2pt5) + _f_site_linear(C_PGA, VS30_ROCK))
        ln_pga = None
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = _ln_rock_part(C, ctx, z2pt5) + _f_site(C, ctx.vs30, a1100)
            if imt.name == "SA" and imt.period < SA_FLOOR_PERIOD:
                if ln_pga is None:
                    ln_pga = (_ln_rock_part(C_PGA, ctx, z2pt5)
                              + _f_site(C_PGA, ctx.vs30, a1100))
                mean[m] = np.maximum(mean[m], ln_pga)
            tau[m] = C["t_lny"]
            phi[m] = _phi(C, C_PGA, ctx.vs30, a1100)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


def _z2pt5(vs30, z2pt5):
    """z2.5 (km), unknown (-999) values from z1.0 of Chiou and Youngs (2008), eq. 6."""
    z1pt0 = np.exp(28.5 - 3.82 / 8.0 * np.log(vs30 ** 8 + 378.7 ** 8))  # m
    default = (519.0 + 3.595 * z1pt0) / METRES_PER_KM
    return np.where(z2pt5 == -999, default, z2pt5)


def _ln_rock_part(C, ctx, z2pt5):
    """Every term but the site term: f_mag + f_dis + f_flt + f_hng + f_sed."""
    return (_f_mag(C, ctx.mag) + _f_dis(C, ctx.mag, ctx.rrup)
            + _f_flt(C, ctx.rake, ctx.ztor) + _f_hng(C, ctx) + _f_sed(C, z2pt5))


def _f_mag(C, mag):
    """Trilinear magnitude scaling (eq. 2)."""
    m1, m2 = MAG_HINGES
    return (C["c0"] + C["c1"] * mag + C["c2"] * np.maximum(mag - m1, 0.0)
            + C["c3"] * np.maximum(mag - m2, 0.0))


def _f_dis(C, mag, rrup):
    """Geometric spreading (eq. 3)."""
    return (C["c4"] + C["c5"] * mag) * np.log(np.sqrt(rrup ** 2 + C["c6"] ** 2))


def _f_flt(C, rake, ztor):
    """Style of faulting (eqs. 4-5): reverse 30 < rake < 150 tapered for ztor < 1 km,
    normal -150 < rake < -30."""
    reverse = (rake > 30.0) & (rake < 150.0)
    normal = (rake > -150.0) & (rake < -30.0)
    f_z = np.minimum(ztor, 1.0)
    return C["c7"] * reverse * f_z + C["c8"] * normal


def _f_hng(C, ctx):
    """Hanging-wall term (eqs. 6-10), from rjb, rrup and ztor (no rx)."""
    rjb, rrup, ztor = ctx.rjb, ctx.rrup, ctx.ztor
    with np.errstate(divide="ignore", invalid="ignore"):
        rmax = np.maximum(rrup, np.sqrt(rjb ** 2 + 1.0))
        f_r = np.where(ztor < 1.0, (rmax - rjb) / rmax, (rrup - rjb) / rrup)
    f_r = np.where(rjb == 0.0, 1.0, f_r)
    f_m = np.clip(2.0 * (ctx.mag - 6.0), 0.0, 1.0)
    f_z = np.where(ztor >= 20.0, 0.0, (20.0 - ztor) / 20.0)
    f_d = np.where(ctx.dip <= 70.0, 1.0, (90.0 - ctx.dip) / 20.0)
    return C["c9"] * f_r * f_m * f_z * f_d


def _f_site_linear(C, vs30):
    """Linear site term for vs30 >= k1, capped at vs30 = 1100 m/s (eq. 11)."""
    return (C["c10"] + C["k2"] * C["n"]) * np.log(np.minimum(vs30, VS30_ROCK) / C["k1"])


def _f_site(C, vs30, a1100):
    """Shallow site response (eq. 11), non-linear for vs30 < k1."""
    ratio = vs30 / C["k1"]
    nonlinear = (C["c10"] * np.log(ratio) + C["k2"] * (
        np.log(a1100 + C["c"] * ratio ** C["n"]) - np.log(a1100 + C["c"])))
    return np.where(vs30 < C["k1"], nonlinear, _f_site_linear(C, vs30))


def _f_sed(C, z2pt5):
    """Basin response (eq. 12), z2.5 in km."""
    shallow = C["c11"] * (z2pt5 - 1.0)
    deep = C["c12"] * C["k3"] * np.exp(-0.75) * (1.0 - np.exp(-0.25 * (z2pt5 - 3.0)))
    return np.where(z2pt5 < 1.0, shallow, np.where(z2pt5 <= 3.0, 0.0, deep))


def _alpha(C, vs30, a1100):
    """Linearised derivative of the site term with respect to ln A1100 (eq. 17)."""
    ratio = vs30 / C["k1"]
    alpha = C["k2"] * a1100 * (1.0 / (a1100 + C["c"] * ratio ** C["n"])
                               - 1.0 / (a1100 + C["c"]))
    return np.where(vs30 < C["k1"], alpha, 0.0)


def _phi(C, C_PGA, vs30, a1100):
    """Intra-event standard deviation (eq. 16)."""
    s_af = C["s_lnAF"]
    s_yb = np.sqrt(C["s_lny"] ** 2 - s_af ** 2)
    s_ab = np.sqrt(C_PGA["s_lny"] ** 2 - s_af ** 2)
    alpha = _alpha(C, vs30, a1100)
    return np.sqrt(s_yb ** 2 + s_af ** 2 + alpha ** 2 * s_ab ** 2
                   + 2.0 * alpha * C["rho"] * s_yb * s_ab)
