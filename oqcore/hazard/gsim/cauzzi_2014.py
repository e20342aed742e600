"""Cauzzi et al. (2014): broadband response spectra from a global data set.

Cauzzi, C., Faccioli, E., Vanini, M. and Bianchini, A. (2014). Updated predictive
equations for broadband (0.0-10.0 s) horizontal response spectra and peak ground
motions, based on a global dataset of digital acceleration records. Bulletin of
Earthquake Engineering, 13(6), 1587-1612.

The model predicts the base-10 logarithm of the 5 %-damped displacement response
spectrum DRS (cm), or of PGV (cm/s)::

    log10 Y = c1 + m1 Mw + m2 Mw² + (r1 + r2 Mw) log10(rrup + r3)
              + bV log10(vs30 / VA) + fN EN + fR ER + fSS ESS

Spectral acceleration follows from SA = DRS (2 π / T)²; PGA is the DRS row of
T = 0.01 s converted the same way.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    INTER_EVENT, INTRA_EVENT, LN10, TOTAL, MedianScaling, coeffs_table, ln_sa_from_ln_drs)

#: period (s) of the displacement spectrum PGA is derived from
PGA_PERIOD = 0.01
#: rake ranges (degrees) of normal and reverse faulting: lower bound excluded,
#: upper bound included; any other rake is strike-slip
NORMAL_RAKE = (-150.0, -30.0)
REVERSE_RAKE = (30.0, 150.0)


def _in_range(rake, bounds):
    """lower < rake <= upper."""
    return (rake > bounds[0]) & (rake <= bounds[1])


def _log10_motion(C, mag, rrup, site, rake):
    """log10 of DRS (cm) or PGV (cm/s), for the site term ``site`` (log10 units)."""
    style = np.where(_in_range(rake, NORMAL_RAKE), C["fN"],
                     np.where(_in_range(rake, REVERSE_RAKE), C["fR"], C["fSS"]))
    return (C["c1"] + C["m1"] * mag + C["m2"] * mag ** 2
            + (C["r1"] + C["r2"] * mag) * np.log10(rrup + C["r3"])
            + site + style)


def _ln_sa_from_drs(log10_drs, period):
    """ln SA (g) from log10 DRS (cm)."""
    return ln_sa_from_ln_drs(log10_drs * LN10, period)


class CauzziEtAl2014(MedianScaling):
    """Cauzzi et al. (2014), continuous vs30 site term, rupture distance."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 800.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "cauzzi_2014", "COEFFS.csv")

    def site_term(self, C, vs30):
        """Site term (log10 units): bV log10(vs30 / VA)."""
        return C["bV"] * np.log10(vs30 / C["VA"])

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log10_y = _log10_motion(C, ctx.mag, ctx.rrup, self.site_term(C, ctx.vs30),
                                    ctx.rake)
            if imt.name == "PGV":
                mean[m] = log10_y * LN10  # cm/s
            else:
                period = imt.period if imt.name == "SA" else PGA_PERIOD
                mean[m] = _ln_sa_from_drs(log10_y, period)
            # log10 units; the inter-event term is tauM (the event terms of the
            # magnitude-dependent fit), so the total is sigmaM
            sig[m] = C["sM"] * LN10
            tau[m] = C["tM"] * LN10
            phi[m] = C["f"] * LN10


class CauzziEtAl2014Eurocode8(CauzziEtAl2014):
    """Cauzzi et al. (2014) with the Eurocode 8 class terms sB (vs30 360-800 m/s),
    sC (180-360) and sD (< 180) instead of the continuous vs30 term (class A: 0)."""

    def site_term(self, C, vs30):
        return np.where(vs30 >= 800.0, 0.0, np.where(vs30 >= 360.0, C["sB"], np.where(
            vs30 >= 180.0, C["sC"], C["sD"])))
