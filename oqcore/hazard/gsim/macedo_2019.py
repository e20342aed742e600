"""Macedo, Abrahamson and Bray (2019): Arias intensity conditioned on PGA and SA(1 s),
subduction interface and in-slab earthquakes.

Macedo, J., Abrahamson, N. and Bray, J. D. (2019). Arias intensity conditional scaling
ground-motion models for subduction zones. Bulletin of the Seismological Society of
America, 109(4), 1343-1357.

A conditional model (used through ModifiableGMPE's ``conditional_gmpe``, or alone with
its ``gmpe`` argument; the conditioning model gives PGA and SA(1.0))::

    ln IA = c1 + c2 ln vs30 + c3 M + c4 ln PGA + c5 ln SA(1.0)        (eq. 2, IA in m/s)

Each standard deviation (eq. 6) combines the model's own with the conditioning ones,
PGA and SA(1.0) correlated with coefficient rho (0.52 after Baker and Jayaram, 2008)::

    s = sqrt(s_IA² + c4² s_PGA² + c5² s_SA1² + 2 rho c4 c5 s_PGA s_SA1)

with s_IA = 0.36 (interface) or 0.33 (in-slab) for the total, sqrt(tau² + tau_region²)
between events and phi within events. Coefficients: the global model (Table 1) and the
regional ones of Japan, Taiwan, South America and New Zealand (Tables 2 and 3).
"""
from __future__ import annotations

import csv
import functools

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (INTER_EVENT, INTRA_EVENT, TOTAL, check_number,
                                     data_path)
from oqcore.hazard.gsim.conditional import ConditionalGMPE
from oqcore.hazard.imt import PGA, SA

SA1 = SA(1.0)
REGIONS = ("Global", "Japan", "Taiwan", "South America", "New Zealand")


@functools.lru_cache(maxsize=None)
def coefficients(kind: str, region: str) -> dict:
    """The coefficients of ``kind`` ('sinter' or 'sslab') in ``region``."""
    with open(data_path(__file__, "macedo_2019", "COEFFS.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] == kind and row["region"] == region:
                return {k: float(v) for k, v in row.items() if k not in ("kind", "region")}
    raise KeyError((kind, region))


def combined_stddev(own, c4, c5, s_pga, s_sa1, rho):
    """Equation 6: the conditional model's stddev ``own`` with the conditioning ones."""
    return np.sqrt(own ** 2 + (c4 * s_pga) ** 2 + (c5 * s_sa1) ** 2
                   + 2.0 * rho * c4 * c5 * s_pga * s_sa1)


class MacedoEtAl2019SInter(ConditionalGMPE):
    """Macedo et al. (2019), interface events. Arguments: ``region`` (Global, Japan,
    Taiwan, South America or New Zealand) and ``rho_pga_sa1`` (the PGA-SA(1.0)
    correlation, 0.52)."""

    abstract = False
    KIND = "sinter"
    #: total stddev of the conditional model itself
    SIGMA_IA = 0.36
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["IA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset()
    REQUIRES_IMTS = (PGA, SA1)
    ARGUMENTS = {"region": "Global", "rho_pga_sa1": 0.52}

    def __init__(self, resolve=None, **kwargs):
        super().__init__(resolve, **kwargs)
        name = type(self).__name__
        if self.region not in REGIONS:
            raise InvalidInput("%s: unknown region %r; choose one of %s" % (
                name, self.region, ", ".join(REGIONS)))
        check_number(name, "rho_pga_sa1", self.rho_pga_sa1)
        if not -1.0 <= float(self.rho_pga_sa1) <= 1.0:
            raise InvalidInput("%s: rho_pga_sa1 must be between -1 and 1, got %s" % (
                name, self.rho_pga_sa1))

    def compute_conditional(self, ctx, base) -> tuple:
        """(mean, sig, tau, phi) of ln IA (m/s) from the base predictions of PGA and
        SA(1.0)."""
        C = coefficients(self.KIND, self.region)
        pga, sa1 = base[str(PGA)], base[str(SA1)]  # each (mean, sig, tau, phi)
        rho = float(self.rho_pga_sa1)
        mean = (C["c1"] + C["c2"] * np.log(ctx.vs30) + C["c3"] * ctx.mag
                + C["c4"] * pga[0] + C["c5"] * sa1[0])
        own = (self.SIGMA_IA, np.hypot(C["tau"], C["tau_region"]), C["phi"])
        stds = tuple(combined_stddev(s, C["c4"], C["c5"], pga[k], sa1[k], rho)
                     for k, s in enumerate(own, start=1))
        return (mean,) + stds


class MacedoEtAl2019SSlab(MacedoEtAl2019SInter):
    """Macedo et al. (2019), in-slab events."""

    KIND = "sslab"
    SIGMA_IA = 0.33
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
