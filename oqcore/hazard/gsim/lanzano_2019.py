"""Lanzano et al. (2019): revised model for shallow crustal earthquakes in Italy (ITA18).

Lanzano, G., Luzi, L., Pacor, F., Felicetta, C., Puglia, R., Sgobba, S. and D'Amico, M.
(2019). A revised ground-motion prediction model for shallow crustal earthquakes in Italy.
Bulletin of the Seismological Society of America, 109(2), 525-540.

log10 Y = a + F_M + F_D + F_S + F_SoF (eq. 1), RotD50 in cm/s² (PGA, SA) or cm/s (PGV):

* F_M = b1 (M - Mh) for M <= Mh, b2 (M - Mh) above (Mh per period);
* F_D = [c1 (M - Mref) + c2] log10(R) + c3 R, R = sqrt(Rjb² + h²) (or Rrup);
* F_S = k log10(min(vs30, 1500) / 800);
* F_SoF = f1 (strike-slip) or f2 (reverse), 0 for normal faulting.

σ² = τ² + φ_S2S² + φ_0² (log10 units). Variants: the prediction scaled to the maximum
horizontal component (``OMOscaled``); scaled to reference rock with the factors of
Lanzano et al. (2022, BSSA 112, 1583-1606), a + b log10(vs30 / 800) + c κ0
(``RefRock``, site parameter ``kappa0`` or argument); with the near-source correction
of Sgobba et al. (2021, BSSA 111, 2358-2378, NESS2), added where positive (``NESS2``).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, check_number, coeffs_table,
    faulting_style_30, ln_g_from_log10_cms2)

#: reference vs30 (m/s) and cap of vs30 in the site term
VS30_REF, VS30_CAP = 800.0, 1500.0


def median_log10(C, ctx, dist):
    """log10 of the median (cm/s², or cm/s for PGV) for distances ``dist`` (km), (N,)."""
    mag = ctx.mag
    dm = mag - C["Mh"]
    r = np.sqrt(dist ** 2 + C["h"] ** 2)
    ss, _ns, rs = faulting_style_30(ctx.rake)
    return (C["a"] + np.where(mag <= C["Mh"], C["b1"] * dm, C["b2"] * dm)
            + (C["c1"] * (mag - C["Mref"]) + C["c2"]) * np.log10(r) + C["c3"] * r
            + C["k"] * np.log10(np.minimum(ctx.vs30, VS30_CAP) / VS30_REF)
            + np.where(ss, C["f1"], 0.0) + np.where(rs, C["f2"], 0.0))


def near_source_correction(C, ctx, dist):
    """NESS2 correction (log10 units), clipped at 0 from below, (N,)."""
    r = np.sqrt(dist ** 2 + C["hR"] ** 2)
    ss, _ns, rs = faulting_style_30(ctx.rake)
    mag_term = np.where(ctx.mag <= C["MrefR"], C["bR"] * (ctx.mag - C["MrefR"]), 0.0)
    corr = (C["aR"] + mag_term + C["cR"] * np.log10(r) + np.where(ss, C["f1R"], 0.0)
            + np.where(rs, C["f2R"], 0.0))
    return np.maximum(corr, 0.0)


class LanzanoEtAl2019_RJB_OMO(GMPE):
    """Lanzano et al. (2019), Joyner-Boore distance."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["rake", "mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "lanzano_2019", "RJB.csv")
    #: the distance of the form (context field, km)
    DISTANCE = "rjb"

    def adjustment(self, imt, ctx, dist):
        """A variant's addition to log10 Y, (N,) or scalar."""
        return 0.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = ctx[self.DISTANCE]
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = median_log10(C, ctx, dist) + self.adjustment(imt, ctx, dist)
            mean[m] = ln_g_from_log10_cms2(log_y, imt)
            phi[m] = LN10 * np.sqrt(C["phi_S2S"] ** 2 + C["phi_0"] ** 2)
            tau[m] = LN10 * C["tau"]
            sig[m] = LN10 * np.sqrt(C["tau"] ** 2 + C["phi_S2S"] ** 2 + C["phi_0"] ** 2)


class LanzanoEtAl2019_RUP_OMO(LanzanoEtAl2019_RJB_OMO):
    """Lanzano et al. (2019), rupture distance."""

    REQUIRES_DISTANCES = frozenset(["rrup"])
    COEFFS = coeffs_table(__file__, "lanzano_2019", "RUP.csv")
    DISTANCE = "rrup"


class LanzanoEtAl2019_RJB_OMOscaled(LanzanoEtAl2019_RJB_OMO):
    """Lanzano et al. (2019), Joyner-Boore distance, scaled to the maximum horizontal
    component."""

    COEFFS = coeffs_table(__file__, "lanzano_2019", "RJB_SCALED.csv")


class LanzanoEtAl2019_RJB_OMO_RefRock(LanzanoEtAl2019_RJB_OMO):
    """Lanzano et al. (2019), Joyner-Boore distance, scaled from generic to reference
    rock; the argument ``kappa0`` (if given) replaces the sites' ``kappa0``."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "kappa0"])
    ARGUMENTS = {"kappa0": None}
    #: generic-to-reference-rock factors (Table S2 of Lanzano et al., 2022)
    COEFFS_ROCK = coeffs_table(__file__, "lanzano_2019", "REFERENCE_ROCK.csv")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.kappa0 is not None:
            check_number(type(self).__name__, "kappa0", self.kappa0)

    def adjustment(self, imt, ctx, dist):
        S = self.COEFFS_ROCK[imt]
        kappa0 = ctx.kappa0 if self.kappa0 is None else self.kappa0
        return S["a"] + S["b"] * np.log10(ctx.vs30 / VS30_REF) + S["c"] * kappa0


class LanzanoEtAl2019_RJB_OMO_NESS2(LanzanoEtAl2019_RJB_OMO):
    """Lanzano et al. (2019), Joyner-Boore distance, with the NESS2 near-source
    correction."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    COEFFS_R = coeffs_table(__file__, "lanzano_2019", "NESS2.csv")

    def adjustment(self, imt, ctx, dist):
        return near_source_correction(self.COEFFS_R[imt], ctx, dist)
