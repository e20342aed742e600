"""Abrahamson and Gülerce (2022) as the 2022 New Zealand National Seismic Hazard Model
uses them: a forearc/backarc term for intraslab events.

Bradley, B. A., Bora, S., Lee, R. L., Manea, E. F., Gerstenberger, M. C., Stafford,
P. J., Atkinson, G. M., Weatherill, G., Hutchinson, J., de la Torre, C. A. et al.
(2023). Summary of the ground-motion characterisation model for the 2022 New Zealand
National Seismic Hazard Model. Bulletin of the Seismological Society of America (GNS
Science Report 2022/46).

The intraslab models add the backarc term of :mod:`oqcore.hazard.gsim.nz_nshm2022` to
the rock PGA and to every IMT. The interface
models equal :class:`AbrahamsonGulerce2020SInter`.
"""
from __future__ import annotations

from oqcore.hazard.gsim.abrahamson_gulerce_2020 import (
    REGION_ALIASES, AbrahamsonGulerce2020SInter)
from oqcore.hazard.gsim.base import alias
from oqcore.hazard.gsim.nz_nshm2022 import backarc_term

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
        return backarc_term(imt, ctx) if self.SLAB else 0.0


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
