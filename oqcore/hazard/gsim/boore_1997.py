"""Boore, Joyner and Fumal (1997): western North American crustal model.

Boore, D. M., Joyner, W. B. and Fumal, T. E. (1997). Equations for estimating horizontal
response spectra and peak acceleration from western North American earthquakes: a
summary of recent work. Seismological Research Letters, 68(1), 128-153; erratum on the
arbitrary-component standard deviations: Boore (2005), SRL 76(3), 368-369.

ln Y = B1 + B2 (M - 6) + B3 (M - 6)² + B5 ln(sqrt(Rjb² + h²)) + Bv ln(vs30 / VA)   (eq. 1)

in g, with B1 = B1ss (strike-slip), B1rv (reverse) or B1all (normal faulting, or any
mechanism in the ``Unspecified`` forms). Geometric mean: σ² = σe² + σ1²; arbitrary
horizontal component: σ_tot, σe and σr of the erratum.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table, faulting_style_30)

#: reference magnitude
MREF = 6.0


class BooreEtAl1997GeometricMean(GMPE):
    """Boore et al. (1997), geometric mean, style of faulting from the rake."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    COEFFS = coeffs_table(__file__, "boore_1997", "COEFFS.csv")
    #: whether the mechanism selects B1 (else B1all for every rupture)
    SOF = True
    #: whether the standard deviations are those of an arbitrary horizontal component
    ARBITRARY = False

    def compute(self, ctx, imts, mean, sig, tau, phi):
        if self.SOF:
            ss, _ns, rs = faulting_style_30(ctx.rake)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            b1 = (np.where(ss, C["B1ss"], np.where(rs, C["B1rv"], C["B1all"]))
                  if self.SOF else C["B1all"])
            dm = ctx.mag - MREF
            mean[m] = (b1 + C["B2"] * dm + C["B3"] * dm ** 2
                       + C["B5"] * np.log(np.sqrt(ctx.rjb ** 2 + C["h"] ** 2))
                       + C["Bv"] * np.log(ctx.vs30 / C["Va"]))
            tau[m] = C["sigma_e"]
            if self.ARBITRARY:
                sig[m], phi[m] = C["sigma_tot"], C["sigma_r"]
            else:
                sig[m], phi[m] = np.sqrt(C["sigma_e"] ** 2 + C["sigma1"] ** 2), C["sigma1"]


class BooreEtAl1997GeometricMeanUnspecified(BooreEtAl1997GeometricMean):
    """Boore et al. (1997), geometric mean, unspecified mechanism (B1all)."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SOF = False


class BooreEtAl1997ArbitraryHorizontal(BooreEtAl1997GeometricMean):
    """Boore et al. (1997), arbitrary horizontal component (Boore, 2005 erratum)."""

    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    ARBITRARY = True


class BooreEtAl1997ArbitraryHorizontalUnspecified(BooreEtAl1997ArbitraryHorizontal):
    """Boore et al. (1997), arbitrary horizontal component, unspecified mechanism."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    SOF = False
