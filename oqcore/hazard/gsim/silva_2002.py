"""Silva, Gregor and Darragh (2002): hard-rock relations for central and eastern North America.

Silva, W., Gregor, N. and Darragh, R. (2002). Development of regional hard rock
attenuation relations for central and eastern North America. Pacific Engineering and
Analysis report.

The equation, with Y in g and Rjb in km::

    ln Y = c1 + c2 M + c10 (M - 6)² + (c6 + c7 M) ln(Rjb + exp(c4))

with the coefficients of the single- or double-corner source model with saturation. The
NSHMP 2008 form (``getSilva`` of the USGS ``hazgridXnga2.f``) uses B/C-rock coefficients
for PGA and SA at 0.1-5 s, caps the median (1.5 g PGA, 3 g short periods) and takes
magnitudes in Mw or in Mblg converted to Mw (Atkinson and Boore 1987, Johnston 1996).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.nshmp_2008 import CeusRockModel
from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap, to_moment_magnitude


def _ln_mean(C, mw, rjb):
    """ln of the median (g) for moment magnitudes ``mw`` and distances ``rjb`` (km)."""
    return (C["c1"] + C["c2"] * mw + C["c10"] * (mw - 6.0) ** 2
            + (C["c6"] + C["c7"] * mw) * np.log(rjb + np.exp(C["c4"])))


class SilvaEtAl2002DoubleCornerSaturation(CeusRockModel):
    """Silva et al. (2002), double-corner source model with saturation, Mw."""


    COEFFS = coeffs_table(__file__, "silva_2002", "DOUBLE_CORNER.csv")
    #: True to apply the NSHMP caps of the median
    CAPPED = False

    #: magnitude scale of the ruptures (a key of nshmp_2008.MAGNITUDE_SCALES)
    MAG_SCALE = "Mw"

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mw = to_moment_magnitude(self.MAG_SCALE, ctx.mag)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            ln_y = _ln_mean(C, mw, ctx.rjb)
            mean[m] = nshmp_cap(imt, ln_y) if self.CAPPED else ln_y
            sig[m] = C["sigma"]


class SilvaEtAl2002SingleCornerSaturation(SilvaEtAl2002DoubleCornerSaturation):
    """Silva et al. (2002), single-corner source model with saturation, Mw."""

    COEFFS = coeffs_table(__file__, "silva_2002", "SINGLE_CORNER.csv")


class SilvaEtAl2002MwNSHMP2008(SilvaEtAl2002DoubleCornerSaturation):
    """Silva et al. (2002), NSHMP 2008 form (B/C rock, capped median), Mw."""

    COEFFS = coeffs_table(__file__, "silva_2002", "NSHMP2008.csv")
    CAPPED = True


class SilvaEtAl2002MblgAB1987NSHMP2008(SilvaEtAl2002MwNSHMP2008):
    """Silva et al. (2002), NSHMP 2008 form, Mblg converted with Atkinson and Boore
    (1987)."""

    MAG_SCALE = "MblgAB1987"


class SilvaEtAl2002MblgJ1996NSHMP2008(SilvaEtAl2002MwNSHMP2008):
    """Silva et al. (2002), NSHMP 2008 form, Mblg converted with Johnston (1996)."""

    MAG_SCALE = "MblgJ1996"
