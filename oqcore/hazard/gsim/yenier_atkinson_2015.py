"""Yenier and Atkinson (2015): a regionally adjustable generic GMPE, calibrated to
central and eastern North America (CENA).

Yenier, E. and Atkinson, G. M. (2015). Regionally adjustable generic ground-motion
prediction equation based on equivalent point-source simulations: application to central
and eastern North America. Bulletin of the Seismological Society of America, 105(4),
1989-2009.

ln Y = F_E + F_Z + F_γ + C_e + C_p + F_S (eq. 26):

* F_E = e0 + e1 (M - Mh) + e2 (M - Mh)² for M <= Mh, e0 + e3 (M - Mh) above (eq. 3),
  plus the stress term eΔσ ln(Δσ / 100) (eq. 4) with the CENA stress parameter
  ln Δσ = 5.704 + min(0.290 (d - 10), 0) + min(0.229 (M - 5), 0) (eq. 21, d the focal
  depth in km) and eΔσ a quartic in M (coefficients s0-s4 for Δσ <= 100 bar, s5-s9
  above, Table 3);
* F_Z = ln Z + (b3 + b4 M) ln(R / sqrt(1 + h²)) with R = sqrt(rrup² + h²),
  h = 10^(-0.405 + 0.235 M) and Z = R^-1.3 up to 50 km, 50^-1.3 (R / 50)^-0.5 beyond
  (eqs. 5-8);
* F_γ = γ rrup (Table 4, the CENA anelastic coefficient);
* C_e, C_p: the CENA calibration (eqs. 23-25): C_e = -0.25 (PGA), -0.21 (PGV),
  -0.25 + max(0, 0.39 ln(T / 2)) (SA); C_p = Δb3 ln(R / 150) within 150 km, Δb3 =
  0.030 (PGA), 0.052 (PGV), min(0.095, 0.030 + max(0, 0.095 ln(T / 0.065))) (SA);
* F_S: the BSSA14 (Seyhan and Stewart, 2014) linear and non-linear site terms driven
  by the PGA on rock. As OpenQuake 3.26.2 evaluates it, that "PGA" is the rock motion
  of each IMT's own coefficients with the PGA calibration terms C_e and C_p.

The model gives medians only (its standard deviation is 0): combine it with a sigma
model, e.g. ModifiableGMPE's ``sigma_model_alatik2015``. Arguments: ``focal_depth``
(km; the rupture's hypocentral depth when not given) and ``region`` (only "CENA" has the
calibration terms).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import boore_2014 as bssa14
from oqcore.hazard.gsim.base import GMPE, TOTAL, check_number, coeffs_table
from oqcore.hazard.imt import PGA

#: transition distance (km) and geometric spreading rates of Z (eq. 8)
R_TRANSITION, B1, B2 = 50.0, -1.3, -0.5
#: distance (km) within which the path calibration C_p applies
R_CP = 150.0
#: reference stress parameter (bar)
STRESS_REF = 100.0


def pseudo_depth(mag):
    """h (km) of eq. 6."""
    return 10.0 ** (-0.405 + 0.235 * mag)


def magnitude_term(C, mag):
    """F_M of eq. 3."""
    dm = mag - C["Mh"]
    return np.where(dm <= 0.0, C["e0"] + C["e1"] * dm + C["e2"] * dm ** 2,
                    C["e0"] + C["e3"] * dm)


def stress_term(S, mag, depth):
    """F_Δσ of eq. 4 with the CENA stress parameter of eq. 21."""
    stress = np.exp(5.704 + np.minimum(0.290 * (depth - 10.0), 0.0)
                    + np.minimum(0.229 * (mag - 5.0), 0.0))
    low = S["s0"] + S["s1"] * mag + S["s2"] * mag ** 2 + S["s3"] * mag ** 3 + S["s4"] * mag ** 4
    high = S["s5"] + S["s6"] * mag + S["s7"] * mag ** 2 + S["s8"] * mag ** 3 + S["s9"] * mag ** 4
    return np.where(stress > STRESS_REF, high, low) * np.log(stress / STRESS_REF)


def geometric_term(C, mag, reff, h):
    """F_Z of eqs. 7-8."""
    z = np.where(reff <= R_TRANSITION, reff ** B1,
                 R_TRANSITION ** B1 * (reff / R_TRANSITION) ** B2)
    return np.log(z) + (C["b3"] + C["b4"] * mag) * np.log(reff / np.sqrt(1.0 + h ** 2))


def cena_calibration(imt, reff):
    """C_e + C_p of eqs. 23-25."""
    if imt.name == "PGA":
        c_e, db3 = -0.25, 0.030
    elif imt.name == "PGV":
        c_e, db3 = -0.21, 0.052
    else:
        t = imt.period
        c_e = -0.25 + max(0.0, 0.39 * np.log(t / 2.0))
        db3 = min(0.095, 0.030 + max(0.0, 0.095 * np.log(t / 0.065)))
    return c_e + np.where(reff <= R_CP, db3 * np.log(reff / R_CP), 0.0)


class YenierAtkinson2015BSSA(GMPE):
    """Yenier and Atkinson (2015), CENA calibration (see the module docstring)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"focal_depth": None, "region": "CENA"}

    COEFFS = coeffs_table(__file__, "yenier_atkinson_2015", "COEFFS_TABLE2.csv")
    COEFFS_STRESS = coeffs_table(__file__, "yenier_atkinson_2015", "COEFFS_TABLE3.csv")
    COEFFS_ANELASTIC = coeffs_table(__file__, "yenier_atkinson_2015", "COEFFS_TABLE4.csv")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        if self.region != "CENA":
            raise InvalidInput("%s: region %r has no calibration terms; only \"CENA\" is "
                               "supported" % (name, self.region))
        if self.focal_depth is not None:
            check_number(name, "focal_depth", self.focal_depth)

    def _ln_rock(self, imt, ctx, depth, calibration_imt):
        """ln median on rock: F_E + F_Z + F_γ with ``imt``'s coefficients, C_e + C_p of
        ``calibration_imt``."""
        C = self.COEFFS[imt]
        h = pseudo_depth(ctx.mag)
        reff = np.sqrt(ctx.rrup ** 2 + h ** 2)
        return (magnitude_term(C, ctx.mag) + stress_term(self.COEFFS_STRESS[imt], ctx.mag, depth)
                + geometric_term(C, ctx.mag, reff, h)
                + self.COEFFS_ANELASTIC[imt]["gCENA"] * ctx.rrup
                + cena_calibration(calibration_imt, reff))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        depth = (ctx.hypo_depth if self.focal_depth is None
                 else np.full(len(ctx), float(self.focal_depth)))
        for m, imt in enumerate(imts):
            C = bssa14.BooreEtAl2014.COEFFS[imt]
            pga_rock = np.exp(self._ln_rock(imt, ctx, depth, PGA))
            mean[m] = (self._ln_rock(imt, ctx, depth, imt) + bssa14.site_linear(C, ctx.vs30)
                       + bssa14.site_nonlinear(C, ctx.vs30, pga_rock))
            sig[m] = 0.0
