"""Abrahamson and Gülerce (2022) as the 2022 New Zealand National Seismic Hazard Model
uses them: a forearc/backarc term for intraslab events.

Bradley, B. A., Bora, S., Lee, R. L., Manea, E. F., Gerstenberger, M. C., Stafford,
P. J., Atkinson, G. M., Weatherill, G., Hutchinson, J., de la Torre, C. A. et al.
(2023). Summary of the ground-motion characterisation model for the 2022 New Zealand
National Seismic Hazard Model. Bulletin of the Seismological Society of America (GNS
Science Report 2022/46).

The intraslab models add at backarc sites the BC Hydro backarc term (Abrahamson et al.,
2016) scaled by 1.008: 1.008 (θ7 + θ8 ln(max(rrup, 85) / 40)), θ7 and θ8 interpolated
in ln T (the PGA values below 0.02 s), to the rock PGA and to every IMT. The interface
models equal :class:`AbrahamsonGulerce2020SInter`.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from oqcore.hazard.gsim.abrahamson_gulerce_2020 import (
    REGION_ALIASES, AbrahamsonGulerce2020SInter)
from oqcore.hazard.gsim.base import alias, data_path

#: scale of the backarc term and the smallest rrup (km) of its distance scaling
BACKARC_FACTOR, BACKARC_RMIN, BACKARC_RREF = 1.008, 85.0, 40.0
#: below this period (s) the PGA coefficients apply
PGA_PERIOD = 0.02


@functools.lru_cache(maxsize=None)
def _backarc_table() -> np.ndarray:
    return np.loadtxt(data_path(__file__, "nz_nshm2022", "BACKARC_BCHYDRO.csv"),
                      delimiter=",", skiprows=1)


def backarc_coefficients(imt) -> tuple[float, float]:
    """(θ7, θ8) of the BC Hydro backarc term for ``imt`` (PGA, SA)."""
    table = _backarc_table()
    period = imt.period if imt.name == "SA" else 0.0
    if period < PGA_PERIOD:
        return float(table[0, 1]), float(table[0, 2])
    x = np.log(table[1:, 0])
    return (float(np.interp(math.log(period), x, table[1:, 1])),
            float(np.interp(math.log(period), x, table[1:, 2])))


class NZNSHM2022_AbrahamsonGulerce2020SInter(AbrahamsonGulerce2020SInter):
    """AG20 of the NZ NSHM 2022 (interface: the AG20 model). Arguments ``region``,
    ``ergodic``, ``apply_usa_adjustment``, ``sigma_mu_epsilon``."""

    ARGUMENTS = {"region": "GLO", "ergodic": True, "apply_usa_adjustment": False,
                 "sigma_mu_epsilon": 0.0}
    usgs_basin_scaling = ak23_bias_adj = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.SLAB:
            self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | {"backarc"}

    def _path_adjustment(self, imt, ctx):
        if not self.SLAB:
            return 0.0
        theta7, theta8 = backarc_coefficients(imt)
        term = theta7 + theta8 * np.log(np.maximum(ctx.rrup, BACKARC_RMIN) / BACKARC_RREF)
        return np.where(np.asarray(ctx.backarc, bool), BACKARC_FACTOR * term, 0.0)


class NZNSHM2022_AbrahamsonGulerce2020SSlab(NZNSHM2022_AbrahamsonGulerce2020SInter):
    """AG20 intraslab model of the NZ NSHM 2022, with the backarc term."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    SLAB = 1


for _base in (NZNSHM2022_AbrahamsonGulerce2020SInter, NZNSHM2022_AbrahamsonGulerce2020SSlab):
    for _region, _suffix in REGION_ALIASES.items():
        _name = _base.__name__ + _suffix
        globals()[_name] = alias(_name, _base, __name__, region=_region)
del _base, _region, _suffix, _name
