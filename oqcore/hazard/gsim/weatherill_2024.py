"""Weatherill (2024): a direct model of the average spectral acceleration (AvgSA) for
Europe, in the functional form of the ESHM20 adaptation of Kotha et al. (2020).

Weatherill, G. (2024). A regionalised direct AvgSA ground motion model for Europe
(in preparation; implemented in OpenQuake as an experimental model).

AvgSA(T) is the geometric mean of SA at 10 periods spaced linearly from 0.2 T to 1.5 T.
The median is that of :class:`~oqcore.hazard.gsim.kotha_2020.KothaEtAl2020ESHM20`
(regional anelastic attenuation, vs30 or slope-geology site term, the ε_μ and ε_c3
branches) with coefficients regressed on AvgSA; τ and φ0 are heteroskedastic (τ linear
in M between M 4.5, 5, 5.5 and 6.5, φ0 between M 5 and 6.5) except in the
homoskedastic variant.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import UnknownIMT, coeffs_table
from oqcore.hazard.gsim.kotha_2020 import (
    GLOBAL_TAU_MAGS, PHI0_M_HIGH, PHI0_M_LOW, KothaEtAl2020ESHM20,
    KothaEtAl2020ESHM20SlopeGeology)
from oqcore.hazard.imt import IMT


class Weatherill2024ESHM20AvgSA(KothaEtAl2020ESHM20):
    """The direct AvgSA model with the ESHM20 vs30 site term (measured or inferred)."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["AvgSA"])
    COEFFS = coeffs_table(__file__, "weatherill_2024", "COEFFS.csv")
    C3_REGIONS = coeffs_table(__file__, "weatherill_2024", "C3_REGIONS.csv")
    SIGMA_MU = coeffs_table(__file__, "weatherill_2024", "SIGMA_MU.csv")
    #: heteroskedastic τ at M <= 4.5, 5, 5.5, >= 6.5 and φ0 at M <= 5, >= 6.5
    TAU_PHI0 = coeffs_table(__file__, "weatherill_2024", "TAU_PHI0.csv")

    def check_imt(self, imt: IMT) -> None:
        super().check_imt(imt)
        if not imt.period:
            raise UnknownIMT("%s needs the period of AvgSA, e.g. AvgSA(0.5)" % (
                type(self).__name__))

    def tau_phi(self, C, imt, ctx):
        T = self.TAU_PHI0[imt]
        tau = np.interp(ctx.mag, GLOBAL_TAU_MAGS, (T["tau1"], T["tau2"], T["tau3"], T["tau4"]))
        phi0 = np.interp(ctx.mag, (PHI0_M_LOW, PHI0_M_HIGH), (T["phi0_a"], T["phi0_b"]))
        return tau, phi0, self.phi_s2s(C, imt, ctx)


class Weatherill2024ESHM20SlopeGeologyAvgSA(Weatherill2024ESHM20AvgSA,
                                            KothaEtAl2020ESHM20SlopeGeology):
    """The direct AvgSA model with the slope and geology site term."""

    REQUIRES_SITES_PARAMETERS = frozenset(["region", "slope", "geology"])
    GEOLOGY_FIXED = coeffs_table(__file__, "weatherill_2024", "GEOLOGY_FIXED.csv")
    GEOLOGY_INTERCEPT = coeffs_table(__file__, "weatherill_2024", "GEOLOGY_RANDOM_INT.csv")
    GEOLOGY_GRADIENT = coeffs_table(__file__, "weatherill_2024", "GEOLOGY_RANDOM_GRAD.csv")


class Weatherill2024ESHM20AvgSAHomoskedastic(Weatherill2024ESHM20AvgSA):
    """The direct AvgSA model (vs30 site term) with the homoskedastic τ and φ0 of the
    regression."""

    def tau_phi(self, C, imt, ctx):
        return C["tau_event_0"], C["phi_0"], self.phi_s2s(C, imt, ctx)
