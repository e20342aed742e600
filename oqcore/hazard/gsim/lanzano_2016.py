"""Lanzano et al. (2016): region-specific models for Italy (Po Plain and the rest).

Lanzano, G., D'Amico, M., Felicetta, C., Puglia, R., Luzi, L., Pacor, F. and Bindi, D.
(2016). Ground-motion prediction equations for region-specific probabilistic
seismic-hazard analysis. Bulletin of the Seismological Society of America, 106(1), 73-92.

log10 Y = a + F_M + F_D + F_S + F_SoF + F_bas (eq. 1), geometric mean of the horizontal
components in cm/s² (PGA, SA) or cm/s (PGV):

* F_M = b1 (M - 5) + b2 (M - 5)² (eq. 5);
* F_D = [c1j + c2j (M - 5)] log10(R / 70) (eq. 4), R = sqrt(Rjb² + h²) (or Rhypo), with
  j = 1, 2 (R <= 70 km, R > 70 km) north of the line lat = 48.3 - 0.33 lon, j = 3, 4 south
  of it (Apennines and southern Italy), site coordinates in degrees;
* F_S = sA, sB or sC by the Eurocode 8 class of vs30 (A >= 800, B 360-800, C < 360 m/s);
* F_SoF = fNF (normal), fTF (reverse) or fUN (strike-slip), 30-degree rake boundaries;
* F_bas = dbas on sites of the Po Plain basin (site parameter ``bas`` = 1).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, faulting_style_30,
    ln_g_from_log10_cms2)

#: reference magnitude and hinge distance (km)
MREF = 5.0
RH = 70.0
#: the line separating the two distance-attenuation regions: lat = LAT0 + SLOPE lon
LAT0, LAT_SLOPE = 48.3, -0.33
#: Eurocode 8 class bounds (m/s)
VS_A, VS_B = 800.0, 360.0


def distance_term(C, mag, r, lon, lat):
    """F_D (log10 units) for distances ``r`` (km) and site coordinates (degrees)."""
    north = lat - (LAT0 + LAT_SLOPE * lon) >= 0.0
    near = r <= RH
    c1 = np.where(north, np.where(near, C["c11"], C["c12"]),
                  np.where(near, C["c13"], C["c14"]))
    c2 = np.where(north, np.where(near, C["c21"], C["c22"]),
                  np.where(near, C["c23"], C["c24"]))
    return (c1 + c2 * (mag - MREF)) * np.log10(r / RH)


def site_term(C, vs30):
    """F_S (log10 units) of the Eurocode 8 class of vs30 (m/s)."""
    return np.where(vs30 >= VS_A, C["sA"], np.where(vs30 >= VS_B, C["sB"], C["sC"]))


class LanzanoEtAl2016_RJB(GMPE):
    """Lanzano et al. (2016), Joyner-Boore distance."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "lon", "lat", "bas"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["rake", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "lanzano_2016", "RJB.csv")

    def distance(self, C, ctx):
        """R (km) of the distance term."""
        return np.sqrt(ctx.rjb ** 2 + C["h"] ** 2)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        ss, ns, rs = faulting_style_30(ctx.rake)
        basin = np.asarray(ctx.bas) == 1
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            dm = ctx.mag - MREF
            log_y = (C["a"] + C["b1"] * dm + C["b2"] * dm ** 2
                     + distance_term(C, ctx.mag, self.distance(C, ctx), ctx.lon, ctx.lat)
                     + site_term(C, ctx.vs30)
                     + np.where(basin, C["dbas"], 0.0)
                     + np.where(ss, C["fUN"], np.where(rs, C["fTF"], C["fNF"])))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["SigmaTot"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["phi"]


class LanzanoEtAl2016_Rhypo(LanzanoEtAl2016_RJB):
    """Lanzano et al. (2016), hypocentral distance (no pseudo-depth)."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])
    COEFFS = coeffs_table(__file__, "lanzano_2016", "RHYPO.csv")

    def distance(self, C, ctx):
        return ctx.rhypo
