"""What the USGS 2008 national seismic hazard maps (NSHMP) do to the models they use.

The 2008 hazard codes (``hazgridXnga2.f``, ``hazFXnga7c.f``, ``hazSUBXnga.f``) cap the
median motion, convert Mblg magnitudes of the central and eastern US to Mw, and evaluate
models at B/C rock (vs30 760 m/s). This module holds those shared pieces and the abstract
base of the central and eastern US rock models; it defines no model of its own.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, TOTAL
from oqcore.hazard.imt import IMT

#: NSHMP caps of ln of the median (g): PGA 1.5 g, SA with 0.02 s < T < 0.55 s 3 g
LN_CAP_PGA, LN_CAP_SHORT_SA = 0.405, 1.099


def nshmp_cap(imt: IMT, ln_mean: np.ndarray) -> np.ndarray:
    """ln-mean (N,) capped as the NSHMP 2008 code does: 1.5 g for PGA, 3 g for SA
    with 0.02 s < T < 0.55 s, unchanged otherwise."""
    period = imt.period or 0.0
    if period == 0.0:
        return np.minimum(ln_mean, LN_CAP_PGA)
    if 0.02 < period < 0.55:
        return np.minimum(ln_mean, LN_CAP_SHORT_SA)
    return ln_mean


def mw_johnston_1996(mblg):
    """Mw from Mblg, Johnston (1996)."""
    return 1.14 + 0.24 * mblg + 0.0933 * mblg ** 2


def mw_atkinson_boore_1987(mblg):
    """Mw from Mblg, Atkinson and Boore (1987)."""
    return 2.715 - 0.277 * mblg + 0.127 * mblg ** 2


#: magnitude scales of the NSHMP 2008 model forms and their conversion to Mw
MAGNITUDE_SCALES = {"Mw": lambda mag: mag,
                    "MblgAB1987": mw_atkinson_boore_1987,
                    "MblgJ1996": mw_johnston_1996}


def to_moment_magnitude(scale: str, mag: np.ndarray) -> np.ndarray:
    """Mw of magnitudes ``mag`` (N,) given in ``scale`` (a key of MAGNITUDE_SCALES)."""
    return MAGNITUDE_SCALES[scale](mag)


class CeusRockModel(GMPE):
    """What the stable-crust rock models of the central and eastern US share: PGA and
    SA, average horizontal component, total standard deviation only, B/C rock (no site
    parameter), magnitude only, Joyner-Boore distance (subclasses may require another)."""

    abstract = True
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY = 760.0
    REQUIRES_SITES_PARAMETERS = frozenset()
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rjb"])
