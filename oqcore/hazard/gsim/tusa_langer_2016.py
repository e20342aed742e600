"""Tusa and Langer (2016): ground motion for the volcanic area of Mount Etna.

Tusa, G. and Langer, H. (2016). Prediction of ground motion parameters for the volcanic
area of Mount Etna. Journal of Seismology, 20, 1-42 (coefficient of BA08SE at 0.14 s as
corrected by the authors in 2019).

Two functional forms, for shallow (SE, depth < 5 km) and deeper (DE) events, in log10 of
the larger horizontal component in cm/s²:

* BA08 (eq. 9): a + b1 M + b2 M² + [c1 + c2 (M - 3.6)] log10(R) + c3 (R - 1)
* SP87 (eq. 5): a + b1 M + c1 log10(R)

with R = sqrt(Repi² + h²) (``Rhypo``: the BA08 form with hypocentral distance, from the
INGV-DPC V3-2012 project), plus the Eurocode 8 site term sA, sB or sD (A: vs30 >= 800,
B: 360-800, D: < 180 m/s). The model has no coefficients for class C: vs30 strictly
between 180 and 360 m/s is an error.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2

#: reference magnitude and distance (km) of the BA08 form
MREF = 3.6
RREF = 1.0
#: Eurocode 8 class bounds (m/s)
VS_A, VS_B, VS_C = 800.0, 360.0, 180.0


def site_term(model: str, C, vs30):
    """Eurocode 8 site term (log10 units) of vs30 (m/s), (N,)."""
    class_c = (vs30 > VS_C) & (vs30 < VS_B)
    if class_c.any():
        raise InvalidInput("%s has no coefficients for Eurocode 8 class C (vs30 between "
                           "180 and 360 m/s); got vs30 = %s" % (
                               model, vs30[class_c][0]))
    return np.where(vs30 >= VS_A, C["sA"], np.where(vs30 >= VS_B, C["sB"], np.where(
        vs30 < VS_C, C["sD"], 0.0)))


class TusaLanger2016RepiBA08SE(GMPE):
    """Tusa and Langer (2016), BA08 form, shallow events, epicentral distance."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Greater of two horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["repi"])

    COEFFS = coeffs_table(__file__, "tusa_langer_2016", "RepiBA08SE.csv")
    #: the distance of the form (context field, km)
    DISTANCE = "repi"

    def source_path(self, C, mag, dist):
        """Magnitude and distance terms (log10 units) of the BA08 form."""
        r = np.sqrt(dist ** 2 + C["h"] ** 2)
        return (C["a"] + C["b1"] * mag + C["b2"] * mag ** 2
                + (C["c1"] + C["c2"] * (mag - MREF)) * np.log10(r / RREF)
                + C["c3"] * (r - RREF))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = ctx[self.DISTANCE]
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (self.source_path(C, ctx.mag, dist)
                     + site_term(type(self).__name__, C, ctx.vs30))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["SigmaTot"]


class TusaLanger2016RepiBA08DE(TusaLanger2016RepiBA08SE):
    """Tusa and Langer (2016), BA08 form, deep events, epicentral distance."""

    COEFFS = coeffs_table(__file__, "tusa_langer_2016", "RepiBA08DE.csv")


class TusaLanger2016RepiSP87SE(TusaLanger2016RepiBA08SE):
    """Tusa and Langer (2016), SP87 form, shallow events, epicentral distance."""

    COEFFS = coeffs_table(__file__, "tusa_langer_2016", "RepiSP87SE.csv")

    def source_path(self, C, mag, dist):
        """Magnitude and distance terms (log10 units) of the SP87 form."""
        return C["a"] + C["b1"] * mag + C["c1"] * np.log10(np.sqrt(dist ** 2 + C["h"] ** 2))


class TusaLanger2016RepiSP87DE(TusaLanger2016RepiSP87SE):
    """Tusa and Langer (2016), SP87 form, deep events, epicentral distance."""

    COEFFS = coeffs_table(__file__, "tusa_langer_2016", "RepiSP87DE.csv")


class TusaLanger2016Rhypo(TusaLanger2016RepiBA08SE):
    """BA08 form with hypocentral distance (INGV-DPC V3-2012)."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "tusa_langer_2016", "Rhypo.csv")
    DISTANCE = "rhypo"
