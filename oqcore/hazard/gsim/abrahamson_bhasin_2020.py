"""Abrahamson and Bhasin (2020): PGV conditioned on spectral acceleration, active crust.

Abrahamson, N. and Bhasin, S. (2020). Conditional ground-motion model for peak ground
velocity for active crustal regions. PEER Report 2020/05.

A conditional model (used through ModifiableGMPE's ``conditional_gmpe``)::

    ln PGV = a1 + f1(M) ln SA(Tref) + a4 (M - 6) + a5 (8.5 - M)²
             + a6 ln(Rrup + 5 exp(0.4 (M - 6))) + (a7 + a8 (M - 5)) ln(Vs30 / 425)

f1 rises linearly from a2 at M 5 to a3 at M 7.5 (eq. 3.8). Each standard deviation
(total, between- and within-event) combines the conditioning one scaled by f1 with the
model's own: sqrt((f1 s_ref)² + s_pgv²). The general model takes Tref from the
magnitude (Table 3.1: M <= 3.5 ... > 7.5 -> 0.2, 0.28, 0.4, 0.95, 1.4, 2.8 s; evaluated
per context) with constant stddevs; the PGA- and SA(1 s)-based variants have stddevs
trilinear in magnitude (constant below M 5 and above M 7, eq. 3.9).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import INTER_EVENT, INTRA_EVENT, TOTAL
from oqcore.hazard.gsim.conditional import ConditionalGMPE
from oqcore.hazard.imt import PGA, SA

#: coefficients: a1..a8; stddevs (general) or their values at M 5 (_1) and M 7 (_2)
COEFFS = {
    "general": dict(a1=5.39, a2=0.799, a3=0.654, a4=0.479, a5=-0.062, a6=-0.359,
                    a7=-0.134, a8=0.023, phi=0.29, tau=0.16, sigma=0.33),
    "pga": dict(a1=4.77, a2=0.738, a3=0.484, a4=0.275, a5=-0.036, a6=-0.332, a7=-0.44,
                a8=0.0, phi_1=0.32, phi_2=0.42, tau_1=0.12, tau_2=0.26, sigma_1=0.34,
                sigma_2=0.49),
    "sa1": dict(a1=4.80, a2=0.82, a3=0.55, a4=0.27, a5=0.054, a6=-0.382, a7=-0.21,
                a8=0.0, phi_1=0.28, phi_2=0.38, tau_1=0.12, tau_2=0.17, sigma_1=0.30,
                sigma_2=0.42),
}
#: general model: upper magnitude of each bin and its conditioning period (s)
MAG_BIN_TOPS = np.array([3.5, 4.5, 5.5, 6.5, 7.5, 8.5])
TREF = (0.2, 0.28, 0.4, 0.95, 1.4, 2.8)


def _f1(C, mag):
    return C["a2"] + (C["a3"] - C["a2"]) * np.clip(mag - 5.0, 0.0, 2.5) / 2.5


def _trilinear(mag, low, high):
    return low + (high - low) * np.clip(mag - 5.0, 0.0, 2.0) / 2.0


class AbrahamsonBhasin2020(ConditionalGMPE):
    """The general model: PGV conditioned on SA at a magnitude-dependent period."""

    abstract = False
    KIND = "general"
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGV"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    REQUIRES_IMTS = tuple(SA(t) for t in TREF)

    def reference(self, ctx, base) -> tuple:
        """(mean, sig, tau, phi) of the conditioning SA for every context."""
        idx = np.minimum(np.searchsorted(MAG_BIN_TOPS, ctx.mag, side="left"), len(TREF) - 1)
        rows = [np.asarray(base[str(SA(t))]) for t in TREF]  # each (4, N)
        stacked = np.stack(rows)  # (T, 4, N)
        return tuple(stacked[idx, k, np.arange(len(ctx))] for k in range(4))

    def own_stddevs(self, mag) -> tuple:
        C = COEFFS[self.KIND]
        if "sigma" in C:
            return tuple(np.full_like(mag, C[k], dtype=float) for k in ("sigma", "tau", "phi"))
        return tuple(_trilinear(mag, C[k + "_1"], C[k + "_2"]) for k in ("sigma", "tau", "phi"))

    def compute_conditional(self, ctx, base) -> tuple:
        """(mean, sig, tau, phi) of ln PGV (cm/s) from the base predictions."""
        C = COEFFS[self.KIND]
        mag = np.asarray(ctx.mag, float)
        ref_mean, ref_sig, ref_tau, ref_phi = self.reference(ctx, base)
        f1 = _f1(C, mag)
        mean = (C["a1"] + f1 * ref_mean + C["a4"] * (mag - 6.0)
                + C["a5"] * (8.5 - mag) ** 2
                + C["a6"] * np.log(ctx.rrup + 5.0 * np.exp(0.4 * (mag - 6.0)))
                + (C["a7"] + C["a8"] * (mag - 5.0)) * np.log(ctx.vs30 / 425.0))
        own = self.own_stddevs(mag)
        stds = tuple(np.sqrt((f1 * ref) ** 2 + s ** 2)
                     for ref, s in zip((ref_sig, ref_tau, ref_phi), own))
        return (mean,) + stds


class AbrahamsonBhasin2020PGA(AbrahamsonBhasin2020):
    """PGV conditioned on PGA."""
    KIND = "pga"
    REQUIRES_IMTS = (PGA,)

    def reference(self, ctx, base):
        return tuple(base[str(PGA)])


class AbrahamsonBhasin2020SA1(AbrahamsonBhasin2020):
    """PGV conditioned on SA(1.0 s)."""
    KIND = "sa1"
    REQUIRES_IMTS = (SA(1.0),)

    def reference(self, ctx, base):
        return tuple(base[str(SA(1.0))])
