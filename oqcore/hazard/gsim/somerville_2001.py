"""Somerville et al. (2001): central and eastern US, NSHMP 2008 form.

Somerville, P., Collins, N., Abrahamson, N., Graves, R. and Saikia, C. (2001). Ground
motion attenuation relations for the central and eastern United States. Final report to
the USGS, award 99HQGR0098; as coded in ``getSomer`` of the USGS ``hazgridXnga2.f``
(2008), B/C-rock coefficients.

With Y in g, Rjb in km, d = sqrt(Rjb² + 6²) and d1 = sqrt(50² + 6²)::

    ln Y = a1 + a2 (M - 6.4) + a7 (8.5 - M)² + a4 (M - 6.4) ln d + a5 Rjb
           + a3 ln d                                  Rjb < 50 km
           + a3 ln d1 + a6 (ln d - ln d1)             Rjb >= 50 km

The median is capped (1.5 g PGA, 3 g short periods); sigma is per period.
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim.nshmp_2008 import CeusRockModel
from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap

#: fictitious depth (km) and hinge distance (km) of the distance term
DEPTH, HINGE = 6.0, 50.0


def _ln_mean(C, mag, rjb):
    """ln of the median (g) for magnitudes ``mag`` and distances ``rjb`` (km)."""
    ln_d = np.log(np.sqrt(rjb ** 2 + DEPTH ** 2))
    ln_d1 = math.log(math.hypot(HINGE, DEPTH))
    dm = mag - 6.4
    near = rjb < HINGE
    distance = np.where(near, C["a3"] * ln_d, C["a3"] * ln_d1 + C["a6"] * (ln_d - ln_d1))
    return (C["a1"] + C["a2"] * dm + C["a7"] * (8.5 - mag) ** 2
            + C["a4"] * dm * ln_d + C["a5"] * rjb + distance)


class SomervilleEtAl2001NSHMP2008(CeusRockModel):
    """Somerville et al. (2001) as the USGS 2008 maps use it (Mw, B/C rock, capped)."""


    COEFFS = coeffs_table(__file__, "somerville_2001", "NSHMP2008.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = nshmp_cap(imt, _ln_mean(C, ctx.mag, ctx.rjb))
            sig[m] = C["sigma"]
