"""The US NSHMP 2014 epistemic adjustments of the NGA-West2 models.

Petersen, M. D. et al. (2014). Documentation for the 2014 update of the United States
national seismic hazard maps. USGS Open-File Report 2014-1091, Table 17.

The median of an NGA-West2 model (``gmpe_name``) is shifted by ``sgn`` times an additive
ln-adjustment depending on magnitude and rupture distance::

                  rrup < 10 km   10 <= rrup < 30   rrup >= 30
    M < 6             0.37            0.22             0.22
    6 <= M < 7        0.25            0.23             0.23
    M >= 7            0.40            0.36             0.33

``sgn`` = +1 (Upper) or -1 (Lower) shifts the median. ``sgn`` = 0 (Mean) keeps the
median but makes the probability of exceedance the weighted average of the three
branches: weights 0.185, 0.63, 0.185 for -1, 0, +1. Other arguments go to the
underlying model.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.abrahamson_2014 import AbrahamsonEtAl2014
from oqcore.hazard.gsim.base import GMPE, alias
from oqcore.hazard.gsim.boore_2014 import BooreEtAl2014
from oqcore.hazard.gsim.campbell_bozorgnia_2014 import CampbellBozorgnia2014
from oqcore.hazard.gsim.chiou_youngs_2014 import ChiouYoungs2014
from oqcore.hazard.gsim.idriss_2014 import Idriss2014

BASE_MODELS = {cls.__name__: cls for cls in (
    AbrahamsonEtAl2014, BooreEtAl2014, CampbellBozorgnia2014, ChiouYoungs2014, Idriss2014)}
#: (weight, sign) of the three branches of the Mean variant
MEAN_BRANCHES = ((0.185, -1.0), (0.63, 0.0), (0.185, 1.0))
SUFFIXES = {0: "Mean", -1: "Lower", 1: "Upper"}


def epistemic_adjustment(mag: np.ndarray, rrup: np.ndarray) -> np.ndarray:
    """The Table 17 adjustment (ln units) for magnitudes and rupture distances (km)."""
    near, mid = rrup < 10.0, (rrup >= 10.0) & (rrup < 30.0)
    small, large = mag < 6.0, mag >= 7.0
    return np.select(
        [small & near, small, large & near, large & mid, large, near],
        [0.37, 0.22, 0.40, 0.36, 0.33, 0.25], 0.23)


class NSHMP2014(GMPE):
    """An NGA-West2 model (``gmpe_name``) with the NSHMP 2014 adjustment ``sgn``."""

    abstract = False
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    ARGUMENTS = {"gmpe_name": None, "sgn": None}

    def __init__(self, **kwargs):
        own = {k: kwargs.pop(k) for k in list(kwargs) if k in self.ARGUMENTS}
        super().__init__(**own)
        name = type(self).__name__
        if self.gmpe_name not in BASE_MODELS:
            raise InvalidInput("%s: gmpe_name = %r is not one of %s" % (
                name, self.gmpe_name, ", ".join(sorted(BASE_MODELS))))
        if self.sgn not in (-1, 0, 1) or isinstance(self.sgn, bool):
            raise InvalidInput("%s: sgn must be -1, 0 or 1, got %r" % (name, self.sgn))
        self.gsim = BASE_MODELS[self.gmpe_name](**kwargs)
        self.kwargs.update(kwargs)
        for attr in ("DEFINED_FOR_TECTONIC_REGION_TYPE", "DEFINED_FOR_INTENSITY_MEASURE_TYPES",
                     "DEFINED_FOR_REFERENCE_VELOCITY", "REQUIRES_SITES_PARAMETERS",
                     "REQUIRES_RUPTURE_PARAMETERS"):
            setattr(self, attr, getattr(self.gsim, attr))
        self.REQUIRES_DISTANCES = self.gsim.REQUIRES_DISTANCES | {"rrup"}

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self.gsim.compute(ctx, imts, mean, sig, tau, phi)
        if self.sgn:
            mean += self.sgn * epistemic_adjustment(ctx.mag, ctx.rrup)

    def poe_components(self, ctx, imts):
        """The Mean variant mixes the PoEs of the three shifted medians (weights of
        MEAN_BRANCHES); Upper and Lower are one shifted distribution."""
        comps = super().poe_components(ctx, imts)
        if self.sgn:
            return comps
        adj = epistemic_adjustment(ctx.mag, ctx.rrup)
        out = []
        for wc, ms in comps:
            for w, s in MEAN_BRANCHES:
                shifted = ms.copy()
                shifted[0] = ms[0] + s * adj
                out.append((wc * w, shifted))
        return out


for _base in BASE_MODELS:
    for _sgn, _suffix in SUFFIXES.items():
        _name = "%sNSHMP%s" % (_base, _suffix)
        globals()[_name] = alias(_name, NSHMP2014, __name__, gmpe_name=_base, sgn=_sgn)
