"""Munson and Thurber (1997): peak ground acceleration on the Island of Hawaii.

Munson, C. G. and Thurber, C. H. (1997). Analysis of the attenuation of strong ground
motion on the Island of Hawaii. Bulletin of the Seismological Society of America, 87(4),
954-960.

log10 PGA (g) = 0.518 + 0.387 (M - 6) - log10(R) - 0.00256 R + 0.335 S,
R = sqrt(Rjb² + 11.29²) km, S = 1 on soil (vs30 <= 200 m/s); σ = 0.237 (log10).

``Hawaii``: the form of the USGS Hawaii hazard maps (Klein et al., 2000) with the
magnitude-saturation adjustments above M 7 and, for spectral accelerations, the factors
2.2 at 0.3 s and 2.5 at 0.2 s (other periods take the PGA value).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL

#: pseudo-depth (km), soil vs30 bound (m/s)
H, VS_SOIL = 11.29, 200.0
#: spectral factors of the Hawaii maps by period (s)
HAWAII_SA_FACTORS = {0.3: 2.2, 0.2: 2.5}


class MunsonThurber1997(GMPE):
    """Munson and Thurber (1997), PGA on Hawaii."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    def base_log10(self, ctx):
        """log10 PGA (g) of the published equation, (N,)."""
        r = np.sqrt(ctx.rjb ** 2 + H ** 2)
        soil = (ctx.vs30 <= VS_SOIL).astype(float)
        return 0.518 + 0.387 * (ctx.mag - 6.0) - np.log10(r) - 0.00256 * r + 0.335 * soil

    def compute(self, ctx, imts, mean, sig, tau, phi):
        ln_y = LN10 * self.base_log10(ctx)
        for m, _imt in enumerate(imts):
            mean[m] = ln_y
            sig[m] = LN10 * 0.237


class MunsonThurber1997Vector(MunsonThurber1997):
    """:class:`MunsonThurber1997` labelled for the vectorial component (the median is
    unchanged)."""

    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Square root of sum of squares of peak horizontals"


class MunsonThurber1997Hawaii(MunsonThurber1997):
    """The Munson and Thurber (1997) form of the USGS Hawaii hazard maps."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        dm = ctx.mag - 6.0
        # saturation above M 7, as the maps apply it (in log10 units)
        adj = np.where(ctx.mag > 7.7, 0.1512 + 0.387 * (1.0 - dm),
                       np.where(ctx.mag > 7.0, 0.171 * (1.0 - dm), 0.0))
        for m, imt in enumerate(imts):
            mean[m] += LN10 * adj
            factor = HAWAII_SA_FACTORS.get(imt.period) if imt.name == "SA" else None
            if factor:
                mean[m] += np.log(factor)
