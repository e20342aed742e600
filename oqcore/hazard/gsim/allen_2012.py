"""Allen (2012): stochastic model for southeastern Australia.

Allen, T. I. (2012). Stochastic ground-motion prediction equations for southeastern
Australian earthquakes using updated source and attenuation parameters. Geoscience
Australia Record 2012/69.

log10 Y = c0 + c1 m + c2 m² + (c3 + c4 m) g0 + (c6 + c7 m) g1 + (c9 + c10 m) g2   (eq. 18)

with m = M - 4, g0 = log10(sqrt(min(Rrup, r1)² + (1 + c5 m)²)), g1 = max(log10(Rrup / r1),
0), g2 = max(log10(Rrup / r2), 0), r1 = 90 + c8 m, r2 = 150 + c11 m (km); Y in cm/s²,
median horizontal component on rock (vs30 = 820 m/s). Separate coefficients for
hypocentral depths below 10 km (shallow) and from 10 km (deep).

``Allen2012_SS14`` adds the Seyhan and Stewart (2014) site amplification of Boore et al.
(2014), from 820 m/s to the site's vs30 via the 760 m/s reference.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL, coeffs_table, ln_g_from_log10_cms2
from oqcore.hazard.gsim.boore_2014 import BooreEtAl2014, site_linear, site_nonlinear
from oqcore.hazard.imt import PGA

#: magnitude reference, hinge distances (km) at m = 0, depth (km) parting the tables
MREF, R1, R2, DEPTH_SPLIT = 4.0, 90.0, 150.0, 10.0
#: reference rock vs30 (m/s) of the model
VS30_ROCK = 820.0


def coefficients(shallow, deep, hypo_depth) -> dict:
    """The coefficients of each context, {name: (N,)}, by hypocentral depth (km)."""
    is_shallow = hypo_depth < DEPTH_SPLIT
    return {name: np.where(is_shallow, shallow[name], deep[name])
            for name in shallow.dtype.names}


def ln_median(C, mag, rrup):
    """ln of the median (g) on rock, (N,)."""
    m = mag - MREF
    r1 = R1 + C["c8"] * m
    r2 = R2 + C["c11"] * m
    if np.any(r1 <= 0) or np.any(r2 <= 0):
        raise InvalidInput("Allen2012: magnitude %s outside the model's range" % mag.min())
    g0 = np.log10(np.sqrt(np.minimum(rrup, r1) ** 2 + (1.0 + C["c5"] * m) ** 2))
    g1 = np.maximum(np.log10(rrup / r1), 0.0)
    g2 = np.maximum(np.log10(rrup / r2), 0.0)
    log_y = (C["c0"] + C["c1"] * m + C["c2"] * m ** 2 + (C["c3"] + C["c4"] * m) * g0
             + (C["c6"] + C["c7"] * m) * g1 + (C["c9"] + C["c10"] * m) * g2)
    return ln_g_from_log10_cms2(log_y, PGA)


class Allen2012(GMPE):
    """Allen (2012), southeastern Australia, rock."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Median horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = VS30_ROCK
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_SHALLOW = coeffs_table(__file__, "allen_2012", "SHALLOW.csv")
    COEFFS_DEEP = coeffs_table(__file__, "allen_2012", "DEEP.csv")

    def coeffs(self, imt, ctx) -> dict:
        """Per-context coefficients of ``imt``."""
        return coefficients(self.COEFFS_SHALLOW[imt], self.COEFFS_DEEP[imt], ctx.hypo_depth)

    def site_term(self, imt, ctx, pga_rock):
        """ln amplification from rock; none for the rock model."""
        return 0.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga_rock = np.exp(ln_median(self.coeffs(PGA, ctx), ctx.mag, ctx.rrup))
        for m, imt in enumerate(imts):
            C = self.coeffs(imt, ctx)
            mean[m] = ln_median(C, ctx.mag, ctx.rrup) + self.site_term(imt, ctx, pga_rock)
            sig[m] = LN10 * C["sigma"]


class Allen2012_SS14(Allen2012):
    """Allen (2012) with the Seyhan and Stewart (2014) site terms of Boore et al. (2014)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])

    def site_term(self, imt, ctx, pga_rock):
        rock = np.full(len(ctx), VS30_ROCK)
        C0 = BooreEtAl2014.COEFFS[PGA]
        pga_760 = np.exp(np.log(pga_rock) - site_linear(C0, rock)
                         - site_nonlinear(C0, rock, pga_rock))
        C = BooreEtAl2014.COEFFS[imt]
        return (site_linear(C, ctx.vs30) + site_nonlinear(C, ctx.vs30, pga_760)
                - site_linear(C, rock) - site_nonlinear(C, rock, pga_rock))
