"""Frankel et al. (1996): table model of the central and eastern US, NSHMP 2008 form.

Frankel, A., Mueller, C., Barnhard, T., Perkins, D., Leyendecker, E. V., Dickman, N.,
Hanson, S. and Hopper, M. (1996). National seismic-hazard maps: documentation June 1996.
USGS Open-File Report 96-532, Appendix A; as used by ``getFEA`` of the USGS 2008 code
``hazgridXnga2.f``.

The model is a table of log10 of the median (g, B/C rock) on a grid of moment magnitudes
4.4-8.2 (step 0.2) and log10 hypocentral distances 1-3 (10-1000 km, step 0.1), for PGA and
SA at 0.1, 0.2, 0.3, 0.5, 1 and 2 s (no other period: no interpolation between periods).
The median at other points is the bicubic interpolating spline of the table (not-a-knot
ends) at the magnitude and distance clamped to the grid. The NSHMP caps of the median
apply (1.5 g PGA, 3 g short periods). The total standard deviation (log10) is 0.326 up to
0.5 s and 0.347 at 1 and 2 s. Magnitudes are Mw, or Mblg converted to Mw with Atkinson and
Boore (1987) or Johnston (1996).
"""
from __future__ import annotations

import csv
import functools

import numpy as np
from scipy.interpolate import RectBivariateSpline

from oqcore.hazard.gsim.nshmp_2008 import CeusRockModel
from oqcore.hazard.gsim.base import (LN10, UnknownIMT, coeffs_table,
                                     data_path)
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap, to_moment_magnitude
from oqcore.hazard.imt import IMT


@functools.lru_cache(maxsize=None)
def _grids() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """{imt string: (magnitudes (20,), log10 distances (21,), log10 median (20, 21))}."""
    with open(data_path(__file__, "frankel_1996", "TABLES.csv"), newline="") as f:
        rows = list(csv.reader(f))
    mags = np.array([float(x) for x in rows[0][2:]])
    by_imt: dict[str, list] = {}
    for row in rows[1:]:
        by_imt.setdefault(row[0], []).append([float(x) for x in row[1:]])
    out = {}
    for imt, body in by_imt.items():
        arr = np.array(body)
        out[imt] = (mags, arr[:, 0], arr[:, 1:].T)
    return out


@functools.lru_cache(maxsize=None)
def _spline(imt: IMT) -> tuple[RectBivariateSpline, tuple[float, float], tuple[float, float]]:
    """The interpolating bicubic spline of the table of ``imt`` and the grid bounds."""
    grids = _grids()
    key = str(imt)
    if key not in grids:
        raise UnknownIMT("%s has no table (tables: %s; no interpolation between periods)"
                         % (imt, ", ".join(grids)))
    mags, dists, values = grids[key]
    spline = RectBivariateSpline(mags, dists, values, kx=3, ky=3, s=0)
    return spline, (mags[0], mags[-1]), (dists[0], dists[-1])


def ln_median(imt: IMT, mw: np.ndarray, rhypo: np.ndarray) -> np.ndarray:
    """ln of the median (g) of the table of ``imt`` for moment magnitudes ``mw`` and
    hypocentral distances ``rhypo`` (km), both (N,), before the NSHMP caps."""
    spline, (m_lo, m_hi), (d_lo, d_hi) = _spline(imt)
    log_r = np.log10(np.maximum(rhypo, 10.0 ** d_lo))
    log10_y = spline.ev(np.clip(mw, m_lo, m_hi), np.clip(log_r, d_lo, d_hi))
    return LN10 * log10_y


class FrankelEtAl1996MblgAB1987NSHMP2008(CeusRockModel):
    """Frankel et al. (1996) tables, magnitudes in Mblg converted to Mw with Atkinson and
    Boore (1987)."""

    REQUIRES_DISTANCES = frozenset(["rhypo"])

    SIGMA = coeffs_table(__file__, "frankel_1996", "SIGMA.csv")

    #: magnitude scale of the ruptures (a key of nshmp_2008.MAGNITUDE_SCALES)
    MAG_SCALE = "MblgAB1987"

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mw = to_moment_magnitude(self.MAG_SCALE, ctx.mag)
        for m, imt in enumerate(imts):
            mean[m] = nshmp_cap(imt, ln_median(imt, mw, ctx.rhypo))
            sig[m] = self.SIGMA[imt]["sigma"] * LN10


class FrankelEtAl1996MblgJ1996NSHMP2008(FrankelEtAl1996MblgAB1987NSHMP2008):
    """Frankel et al. (1996) tables, magnitudes in Mblg converted to Mw with Johnston
    (1996)."""

    MAG_SCALE = "MblgJ1996"


class FrankelEtAl1996MwNSHMP2008(FrankelEtAl1996MblgAB1987NSHMP2008):
    """Frankel et al. (1996) tables, magnitudes in Mw."""

    MAG_SCALE = "Mw"
