"""Parker et al. (2022) as the 2022 New Zealand National Seismic Hazard Model uses them
(Bradley et al., 2023, BSSA; Lee et al., 2022, BSSA).

Changes to :mod:`oqcore.hazard.gsim.parker_2020`: the NZ NSHM coefficient table (revised
c6 at short periods), the non-linear site term at every period (no cut at 3 s), the
backarc term of intraslab events (:mod:`oqcore.hazard.gsim.nz_nshm2022`, also in the rock
PGA), an epistemic sigma for the global model only (interface 0.4; in-slab 0.35 up to
0.15 s, 0.22 from 2 s, linear in ln T between) and, with ``modified_sigma``, the
non-linear site response propagated into tau and phi (phi without its vs30 term).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.gsim import parker_2020 as p20
from oqcore.hazard.gsim.base import alias, check_flag, coeffs_table
from oqcore.hazard.gsim.nz_nshm2022 import backarc_term, nonlinear_stddevs
from oqcore.hazard.imt import PGA

#: the epistemic sigma of the global model: (sigma1, sigma2, T1, T2)
EPI_GLOBAL = {"interface": (0.4, 0.4, 0.2, 0.4), "intraslab": (0.35, 0.22, 0.15, 2.0)}


def _phi_rrup(C, rrup):
    """phi (N,) of the rrup-dependent within-event variance (no vs30 term)."""
    r = np.clip(rrup, p20.R1, p20.R2)
    return np.sqrt(C["phi21"] + (C["phi22"] - C["phi21"]) * np.log(r / p20.R1)
                   / math.log(p20.R2 / p20.R1))


class NZNSHM2022_ParkerEtAl2020SInter(p20.ParkerEtAl2020SInter):
    """Parker et al. (2022) interface model of the NZ NSHM 2022. Arguments ``region``,
    ``saturation_region``, ``basin``, ``sigma_mu_epsilon``, ``modified_sigma``."""

    ARGUMENTS = {"region": None, "saturation_region": None, "basin": None,
                 "sigma_mu_epsilon": 0.0, "modified_sigma": False}
    m9_basin_term = usgs_basin_scaling = ak23_bias_adj = False
    COEFFS = coeffs_table(__file__, "nz_nshm2022", "PARKER2020_NZ.csv")
    NL_TMAX = math.inf

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        check_flag(type(self).__name__, "modified_sigma", self.modified_sigma)

    def _epistemic_row(self):
        if self.region is None:
            return EPI_GLOBAL[self.EPI_TYPE]
        return (0.0, 0.0, 1.0, 2.0)

    def _path_adjustment(self, imt, ctx):
        return backarc_term(imt, ctx) if self.SUFFIX else 0.0

    def _stddevs(self, C, ctx, imt=None, pga_rock=None):
        if not self.modified_sigma:
            return super()._stddevs(C, ctx)
        C_pga = self.COEFFS[PGA]
        f2 = C["f4"] * (np.exp(C["f5"] * (np.minimum(ctx.vs30, p20.VREF_NL) - p20.VB))
                        - math.exp(C["f5"] * (p20.VREF_NL - p20.VB)))
        deriv = f2 * pga_rock / (pga_rock + p20.F3)
        return nonlinear_stddevs(imt, C["Tau"], C_pga["Tau"], _phi_rrup(C, ctx.rrup),
                                 _phi_rrup(C_pga, ctx.rrup), deriv)


class NZNSHM2022_ParkerEtAl2020SInterB(NZNSHM2022_ParkerEtAl2020SInter):
    """:class:`NZNSHM2022_ParkerEtAl2020SInter` requiring z2.5 (basin regions)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])


class NZNSHM2022_ParkerEtAl2020SSlab(NZNSHM2022_ParkerEtAl2020SInter,
                                     p20.ParkerEtAl2020SSlab):
    """Parker et al. (2022) intraslab model of the NZ NSHM 2022 (backarc term)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])


class NZNSHM2022_ParkerEtAl2020SSlabB(NZNSHM2022_ParkerEtAl2020SSlab):
    """:class:`NZNSHM2022_ParkerEtAl2020SSlab` requiring z2.5 (basin regions)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5", "backarc"])


for _event in ("SInter", "SSlab"):
    for _suffix, (_b, _kwargs) in p20.ALIASES.items():
        _name = "NZNSHM2022_ParkerEtAl2020%s%s" % (_event, _suffix)
        globals()[_name] = alias(_name, globals()["NZNSHM2022_ParkerEtAl2020%s%s" % (
            _event, _b)], __name__, **_kwargs)
del _event, _suffix, _b, _kwargs, _name
