"""Skarlatoudis et al. (2013): intermediate-depth earthquakes of the Hellenic Arc.

Skarlatoudis, A. A., Papazachos, C. B., Margaris, B. N., Ventouzi, C., Kalogeras, I. and
the EGELADOS group (2013). Ground-motion prediction equations of intermediate-depth
earthquakes in the Hellenic Arc, southern Aegean subduction area. Bulletin of the
Seismological Society of America, 103(3), 1952-1968.

log10 Y = c1 + c2 (M - 5.5) - 1.7 log10(R) + c32 (R - 1) + F_arc + c61 S + c62 SS  (eq. 3)

RotD50 in cm/s² (PGA, SA) or cm/s (PGV), R = Rhypo (km); S, SS: NEHRP classes C (vs30
360-760 m/s) and D (< 360). For hypocentres from 100 km deep, F_arc = c41 + c42 F(R)
on forearc sites and c51 + c52 F(R) on backarc sites, with F(R) = (205 - R) / 150 for
205 <= R < 335 km and 1 beyond (hypocentres shallower than 80 km), (140 - R) / 100 for
140 <= R < 240 km and 1 beyond (deeper), 0 nearer: the form as OpenQuake 3.26.2
evaluates it.
Standard deviations (log10 units): total ``epsilon``, between-event ``tau``, within-event
``sigma`` (the paper's names).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2)

#: hinge magnitude, fixed geometric spreading c31 and reference distance (km)
MH, C31, RREF = 5.5, -1.7, 1.0
#: depth (km) from which the arc terms apply; depth parting the two distance ramps
H0, DEPTH_RAMP = 100.0, 80.0
def arc_term(C, rhypo, hypo_depth, backarc):
    """F_arc (log10 units), (N,)."""
    shallow = np.where(rhypo >= 335.0, 1.0,
                       np.where(rhypo >= 205.0, (205.0 - rhypo) / 150.0, 0.0))
    deep = np.where(rhypo >= 240.0, 1.0,
                    np.where(rhypo >= 140.0, (140.0 - rhypo) / 100.0, 0.0))
    f_r = np.where(hypo_depth < DEPTH_RAMP, shallow, deep)
    deep_event = (hypo_depth >= H0).astype(float)
    arc = (np.asarray(backarc) == 1).astype(float)
    return deep_event * ((1.0 - arc) * (C["c41"] + C["c42"] * f_r)
                         + arc * (C["c51"] + C["c52"] * f_r))


class SkarlatoudisEtAlSSlab2013(GMPE):
    """Skarlatoudis et al. (2013), intraslab events of the Hellenic Arc."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "skarlatoudis_2013", "COEFFS.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        r = ctx.rhypo
        vs30 = ctx.vs30
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            site = np.where(vs30 < 360.0, C["c62"], np.where(vs30 < 760.0, C["c61"], 0.0))
            log_y = (C["c1"] + C["c2"] * (ctx.mag - MH) + C31 * np.log10(r)
                     + C["c32"] * (r - RREF) + site
                     + arc_term(C, r, ctx.hypo_depth, ctx.backarc))
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            sig[m] = LN10 * C["epsilon"]
            tau[m] = LN10 * C["tau"]
            phi[m] = LN10 * C["sigma"]


class SkarlatoudisEtAlSSlab2013_scaled(SkarlatoudisEtAlSSlab2013):
    """Skarlatoudis et al. (2013) scaled to the maximum horizontal component."""

    COEFFS = coeffs_table(__file__, "skarlatoudis_2013", "COEFFS_SCALED.csv")
