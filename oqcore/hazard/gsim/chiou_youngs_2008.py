"""Chiou and Youngs (2008): NGA model for active shallow crust.

Chiou, B. S.-J. and Youngs, R. R. (2008). An NGA model for the average horizontal
component of peak ground motion and response spectra. Earthquake Spectra, 24(1),
173-215.

The model predicts the motion ``y_ref`` on reference rock (vs30 = 1130 m/s, eq. 13a),
then adds the linear, non-linear and soil-depth site terms (eq. 13b). Only main shocks
are modelled (aftershock flag AS = 0).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL,
                                     coeffs_table)

#: reference-rock shear-wave velocity (m/s)
REF_VS = 1130.0
#: vs30 (m/s) centring the non-linear site term
NL_VS = 360.0
#: ztor (km) centring the depth-to-top term
ZTOR_REF = 4.0
#: magnitude range (Mw) over which tau and sigma are interpolated
SIGMA_MAG_MIN, SIGMA_MAG_MAX = 5.0, 7.0


def default_z1pt0(vs30):
    """z1.0 (m) expected for ``vs30`` (m/s), eq. 1 of the paper."""
    return np.exp(28.5 - 3.82 / 8.0 * np.log(vs30 ** 8 + 378.7 ** 8))


def ln_y_ref(C, ctx):
    """ln of the median on reference rock, vs30 = 1130 m/s (eq. 13a), in g or cm/s."""
    mag, rrup = ctx.mag, ctx.rrup
    reverse = (ctx.rake >= 30.0) & (ctx.rake <= 150.0)
    normal = (ctx.rake >= -120.0) & (ctx.rake <= -60.0)
    source = (C["c1"] + C["c1a"] * reverse + C["c1b"] * normal
              + C["c7"] * (ctx.ztor - ZTOR_REF))
    magnitude = (C["c2"] * (mag - 6.0)
                 + (C["c2"] - C["c3"]) / C["cn"]
                 * np.log(1.0 + np.exp(C["cn"] * (C["cm"] - mag))))
    near = C["c4"] * np.log(rrup + C["c5"] * np.cosh(C["c6"] * np.maximum(mag - C["chm"], 0.0)))
    far = (C["c4a"] - C["c4"]) * np.log(np.sqrt(rrup ** 2 + C["crb"] ** 2))
    anelastic = (C["cg1"] + C["cg2"] / np.cosh(np.maximum(mag - C["cg3"], 0.0))) * rrup
    return source + magnitude + near + far + anelastic + hanging_wall_term(C, ctx)


def hanging_wall_term(C, ctx):
    """Hanging-wall term, applied for rx >= 0 (last line of eq. 13a)."""
    cos2 = np.cos(np.radians(ctx.dip)) ** 2
    hw = (C["c9"] * np.tanh(ctx.rx * cos2 / C["c9a"])
          * (1.0 - np.sqrt(ctx.rjb ** 2 + ctx.ztor ** 2) / (ctx.rrup + 0.001)))
    return np.where(ctx.rx >= 0.0, hw, 0.0)


def nonlinear_factor(C, vs30):
    """b of eq. 10: phi2 (exp(phi3 (min(vs30, 1130) - 360)) - exp(phi3 (1130 - 360)))."""
    vs = np.minimum(vs30, REF_VS)
    return C["phi2"] * (np.exp(C["phi3"] * (vs - NL_VS))
                        - np.exp(C["phi3"] * (REF_VS - NL_VS)))


def soil_depth_term(C, ctx):
    """Deep- and shallow-sediment terms of eq. 13b; z1pt0 in metres, -999 unknown."""
    z1 = np.where(ctx.z1pt0 == -999.0, default_z1pt0(ctx.vs30), ctx.z1pt0)
    deep = C["phi5"] * (1.0 - 1.0 / np.cosh(C["phi6"] * np.maximum(z1 - C["phi7"], 0.0)))
    shallow = C["phi8"] / np.cosh(0.15 * np.maximum(z1 - 15.0, 0.0))
    return deep + shallow


def mean_and_stddevs(C, ctx):
    """ln-mean, total, inter- and intra-event stddevs for one coefficient row."""
    ln_yref = ln_y_ref(C, ctx)
    y_ref = np.exp(ln_yref)
    b = nonlinear_factor(C, ctx.vs30)
    mean = (ln_yref + C["phi1"] * np.minimum(np.log(ctx.vs30 / REF_VS), 0.0)
            + b * np.log((y_ref + C["phi4"]) / C["phi4"]) + soil_depth_term(C, ctx))
    # eqs. 19-21
    nl = b * y_ref / (y_ref + C["phi4"])
    dmag = np.clip(ctx.mag, SIGMA_MAG_MIN, SIGMA_MAG_MAX) - SIGMA_MAG_MIN
    tau0 = C["tau1"] + (C["tau2"] - C["tau1"]) / 2.0 * dmag
    phi = ((C["sig1"] + (C["sig2"] - C["sig1"]) / 2.0 * dmag)
           * np.sqrt(np.where(ctx.vs30measured, 0.7, C["sig3"]) + (1.0 + nl) ** 2))
    inter = np.abs((1.0 + nl) * tau0)
    return mean, np.sqrt(inter ** 2 + phi ** 2), inter, phi


class ChiouYoungs2008(GMPE):
    """Chiou and Youngs (2008), NGA, main shocks."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (GMRotI50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1130.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "mag", "rake", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rjb", "rrup", "rx"])

    COEFFS = coeffs_table(__file__, "chiou_youngs_2008", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            mean[m], sig[m], tau[m], phi[m] = mean_and_stddevs(self.COEFFS[imt], ctx)
