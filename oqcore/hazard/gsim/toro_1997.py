"""Toro, Abrahamson and Schneider (1997) as the USGS 2008 national maps use it (NSHMP).

Toro, G. R., Abrahamson, N. A. and Schneider, J. F. (1997). Model of strong ground motions
from earthquakes in central and eastern North America: best estimates and uncertainties.
Seismological Research Letters, 68(1), 41-57; finite-fault correction of Toro (2002),
"Modification of the Toro et al. 1997 attenuation equations for large magnitudes and short
distances"; as coded in ``getToro`` of the USGS ``hazgridXnga2.f`` (2008).

ln Y (g) = c1 + c2 (M - 6) + c3 (M - 6)² - c4 ln(R) - c6 R - (c5 - c4) max(ln(Rjb / 100), 0),
R = sqrt(Rjb² + c7² C_ff²), C_ff = exp(-1.25 + 0.227 Mw) (for Mblg ruptures the geometric
mean of the corrections with Mw from Johnston (1996) and from Atkinson and Boore (1987)).
The median is capped at 1.5 g (PGA) and 3 g (0.02 s < T < 0.55 s), as the NSHMP code does.
B/C site conditions (vs30 760 m/s).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.nshmp_2008 import CeusRockModel
from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.gsim.nshmp_2008 import (mw_atkinson_boore_1987, mw_johnston_1996,
                                           nshmp_cap)

def finite_fault_factor(mw):
    """Toro (2002) finite-fault correction for moment magnitude Mw."""
    return np.exp(-1.25 + 0.227 * mw)


class ToroEtAl1997MblgNSHMP2008(CeusRockModel):
    """Toro et al. (1997), NSHMP 2008 form, magnitudes in Mblg."""

    abstract = False

    COEFFS = coeffs_table(__file__, "toro_1997", "MBLG.csv")

    def correction(self, mag):
        """Finite-fault factor C_ff of the rupture magnitudes."""
        return np.sqrt(finite_fault_factor(mw_johnston_1996(mag))
                       * finite_fault_factor(mw_atkinson_boore_1987(mag)))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mag, rjb = ctx.mag, ctx.rjb
        cff = self.correction(mag)
        with np.errstate(divide="ignore"):
            far = np.maximum(np.log(rjb / 100.0), 0.0)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            r = np.sqrt(rjb ** 2 + C["c7"] ** 2 * cff ** 2)
            dm = mag - 6.0
            ln_y = (C["c1"] + C["c2"] * dm + C["c3"] * dm ** 2 - C["c4"] * np.log(r)
                    - C["c6"] * r - (C["c5"] - C["c4"]) * far)
            mean[m] = nshmp_cap(imt, ln_y)
            sig[m] = C["sigma"]


class ToroEtAl1997MwNSHMP2008(ToroEtAl1997MblgNSHMP2008):
    """Toro et al. (1997), NSHMP 2008 form, magnitudes in Mw (Mw coefficients)."""

    COEFFS = coeffs_table(__file__, "toro_1997", "MW.csv")

    def correction(self, mag):
        return finite_fault_factor(mag)
