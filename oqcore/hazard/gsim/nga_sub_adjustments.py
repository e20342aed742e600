"""Adjustments shared by the NGA-Subduction models (Abrahamson & Gülerce 2020, Parker
et al. 2020) as the USGS applies them: the basin-term scaling of the 2023 US model and
the Alaska 2023 interface bias.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.imt import IMT

#: Alaska 2023 bias of the NGA-Sub interface models (column ``bias_adj``, ln units)
AK23_BIAS_ADJ = coeffs_table(__file__, "nga_sub", "AK23_BIAS_ADJ.csv")

#: USGS basin scaling: no basin term up to this period (s) ...
USGS_BASIN_TMIN = 0.5
#: ... and the term at exactly 0.75 s is scaled by this factor
USGS_BASIN_T075_FACTOR = 0.585
#: depth ramp of the scaling: 0 below USGS_BASIN_ZMIN, 1 above USGS_BASIN_ZMAX
USGS_BASIN_ZMIN, USGS_BASIN_ZMAX = 1.0, 3.0


def usgs_basin_factor(imt: IMT, z2pt5: np.ndarray, zmin: float = USGS_BASIN_ZMIN,
                      zmax: float = USGS_BASIN_ZMAX, pgv_ramp: bool = True) -> np.ndarray:
    """The factor (N,) multiplying the basin term: 0 for periods <= 0.5 s (and PGA),
    else a linear ramp from 0 at depth ``zmin`` to 1 at ``zmax`` (default 1 to 3, in
    the unit of ``z2pt5``), times 0.585 at T = 0.75 s. PGV takes the depth ramp alone
    (``pgv_ramp``) or, like PGA, no basin term."""
    ramp = np.clip((z2pt5 - zmin) / (zmax - zmin), 0.0, 1.0)
    if imt.name == "PGV" and pgv_ramp:
        return ramp
    if imt.period <= USGS_BASIN_TMIN:
        return np.zeros_like(ramp)
    if imt.period == 0.75:
        return USGS_BASIN_T075_FACTOR * ramp
    return ramp
