"""ECOS-09: the intensity attenuation relations used to calibrate the historical
earthquakes of the Earthquake Catalogue of Switzerland.

Fäh, D., Giardini, D., Kästli, P., Deichmann, N., Gisler, M., Schwarz-Zanetti, G.,
Alvarez-Rubio, S., Sellami, S., Edwards, B., Allmann, B., Bethmann, F., Wössner, J.,
Gassner-Stamm, G., Fritsche, S. and Eberhard, D. (2011). ECOS-09 Earthquake Catalogue of
Switzerland Release 2011, Report and Database. Swiss Seismological Service, ETH Zurich,
Appendix D.

The report gives the magnitude of an earthquake from the intensity observed at
hypocentral distance R (km) for a focal depth h (km) (eq. 8), with the attenuation of
Table 4 (a, b) and the magnitude calibration of Table 5 (alpha, beta); solved for the
intensity::

    I = (M + a alpha ln(R/h) + b alpha (R - h) - c0) / alpha
    c0 = alpha (a ln(30/h) + b (30 - h)) + beta

The "mean" is the intensity itself (MMI, not a logarithm). Variants: all intensity
levels with h = 10 km (ECOS2009; ECOS2009FixedDepth adds between- and within-event
terms), the three highest levels (ECOS2009Highest), and the rupture's hypocentral depth
(ECOS2009VariableDepth).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (INTER_EVENT, INTRA_EVENT, TOTAL, IntensityModel,
                                     coeffs_table)

#: the reference distance (km) of the magnitude calibration
R_CALIBRATION = 30.0


def intensity(C, mag, rhypo, depth):
    """Intensity (N,) at hypocentral distances ``rhypo`` (km) for magnitudes ``mag`` and
    focal depths ``depth`` (km, scalar or (N,))."""
    alpha, a, b = C["alpha"], C["a"], C["b"]
    c0 = alpha * (a * np.log(R_CALIBRATION / depth) + b * (R_CALIBRATION - depth)) + C["beta"]
    return (mag + a * alpha * np.log(rhypo / depth) + b * alpha * (rhypo - depth) - c0) / alpha


class ECOS2009(IntensityModel):
    """ECOS-09 intensity relation: all intensity levels, focal depth fixed at 10 km."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_depth", "mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "ecos_2009", "all_levels.csv")
    #: whether the focal depth is the rupture's (else the table's hypo_depth)
    VARIABLE_DEPTH = False
    #: whether the error has between- and within-event parts (columns be, we)
    SPLIT_SIGMA = False

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            depth = ctx.hypo_depth if self.VARIABLE_DEPTH else C["hypo_depth"]
            mean[m] = intensity(C, ctx.mag, ctx.rhypo, depth)
            if self.SPLIT_SIGMA:
                tau[m], phi[m] = C["be"], C["we"]
                sig[m] = np.sqrt(C["be"] ** 2 + C["we"] ** 2)
            else:
                sig[m] = C["sigma"]


class ECOS2009Highest(ECOS2009):
    """ECOS-09 intensity relation: the three highest intensity levels, h = 10 km."""

    COEFFS = coeffs_table(__file__, "ecos_2009", "highest_levels.csv")


class ECOS2009FixedDepth(ECOS2009):
    """ECOS-09 intensity relation, h = 10 km, with between- and within-event terms."""

    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    SPLIT_SIGMA = True


class ECOS2009VariableDepth(ECOS2009FixedDepth):
    """ECOS-09 intensity relation at the rupture's hypocentral depth."""

    COEFFS = coeffs_table(__file__, "ecos_2009", "variable_depth.csv")
    VARIABLE_DEPTH = True
