"""Cauzzi and Faccioli (2008): broadband displacement spectra from worldwide records.

Cauzzi, C. and Faccioli, E. (2008). Broadband (0.05 to 20 s) prediction of displacement
response spectra based on worldwide digital records. Journal of Seismology, 12(4),
453-475.

The model (eq. 2 of the paper, with site classes and style of faulting) predicts the
base-10 logarithm of the 5 %-damped displacement response spectrum DRS (cm), of PGA
(m/s²) or of PGV (cm/s)::

    log10 Y = a1 + a2 Mw + a3 log10(rhypo) + aB SB + aC SC + aD SD + aN EN + aR ER + aS ES

with rhypo (km) floored at 15 km. SA follows from SA = DRS (2 π / T)².
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import G_ACCEL, GMPE, LN10, TOTAL, coeffs_table, ln_sa_from_ln_drs

#: hypocentral distances (km) below this value are replaced by it
MIN_RHYPO = 15.0
#: site-class lower bounds on vs30 (m/s), inclusive: B 360-800, C 180-360, D < 180,
#: A >= 800
VS30_CLASS_B = 360.0
VS30_CLASS_C = 180.0
VS30_CLASS_A = 800.0
#: rake ranges (degrees) of normal and reverse faulting: lower bound excluded,
#: upper bound included; any other rake is strike-slip
NORMAL_RAKE = (-120.0, -60.0)
REVERSE_RAKE = (30.0, 150.0)


def _in_range(rake, bounds):
    """lower < rake <= upper."""
    return (rake > bounds[0]) & (rake <= bounds[1])


def _site_term(C, vs30):
    """aB, aC or aD by site class; class A (rock) is the reference (0)."""
    return np.select(
        [vs30 >= VS30_CLASS_A, vs30 >= VS30_CLASS_B, vs30 >= VS30_CLASS_C],
        [0.0, C["aB"], C["aC"]], C["aD"])


def _faulting_term(C, rake):
    """aN, aR or aS by style of faulting."""
    return np.where(_in_range(rake, NORMAL_RAKE), C["aN"],
                    np.where(_in_range(rake, REVERSE_RAKE), C["aR"], C["aS"]))


class CauzziFaccioli2008(GMPE):
    """Cauzzi and Faccioli (2008), site classes and style of faulting, rhypo."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 1000.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    # includes OpenQuake's two spurious rows SA(20.03) and SA(21.03), as it uses them
    COEFFS = coeffs_table(__file__, "cauzzi_faccioli_2008", "COEFFS.csv")

    def distance_term(self, C, ctx):
        """a3 log10(R) with R = rhypo clipped from below (km)."""
        return C["a3"] * np.log10(np.maximum(ctx.rhypo, MIN_RHYPO))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log10_y = (C["a1"] + C["a2"] * ctx.mag + self.distance_term(C, ctx)
                       + _site_term(C, ctx.vs30) + _faulting_term(C, ctx.rake))
            ln_y = log10_y * LN10
            if imt.name == "PGA":  # m/s² to g
                ln_y = ln_y - np.log(G_ACCEL)
            elif imt.name == "SA":  # DRS (cm) to SA (g)
                ln_y = ln_sa_from_ln_drs(ln_y, imt.period)
            mean[m] = ln_y  # PGV stays in cm/s
            sig[m] = C["sigma"] * LN10


class FaccioliEtAl2010(CauzziFaccioli2008):
    """Faccioli, Bianchini and Villani (2010): the same form for PGA and SA with rupture
    distance and a magnitude-dependent near-source term (eq. 2):
    a3 log10(rrup + a4 10^(a5 M)).

    Faccioli, E., Bianchini, A. and Villani, M. (2010). New ground motion prediction
    equations for T > 1 s and their influence on seismic hazard assessment. Proceedings
    of the University of Tokyo Symposium on Long-Period Ground Motion and Urban Disaster
    Mitigation.
    """

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    COEFFS = coeffs_table(__file__, "cauzzi_faccioli_2008", "COEFFS_2010.csv")

    def distance_term(self, C, ctx):
        return C["a3"] * np.log10(ctx.rrup + C["a4"] * 10.0 ** (C["a5"] * ctx.mag))
