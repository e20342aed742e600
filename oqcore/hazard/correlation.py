"""Spatial correlation of within-event ground-motion residuals.

Jayaram & Baker (2009), "Correlation model for spatially distributed ground-motion
intensities", EESD 38: the correlation of the normalised within-event residuals of
two sites ``h`` km apart is ``rho(h) = exp(-3 h / b)`` with the range ``b`` (km)
depending on the period T (s):

* T < 1 s: ``b = 40.7 - 15.0 T`` when the Vs30 values are clustered
  (``vs30_clustering = true``, the paper's case 2, eq. 18), ``b = 8.5 + 17.2 T``
  otherwise (case 1, eq. 17);
* T >= 1 s: ``b = 22.0 + 3.7 T``.

PGA uses T = 0; PGV, which the paper does not cover, uses T = 1 s (OpenQuake's
choice, kept for identical fields).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.geo import geodetic
from oqcore.hazard.imt import IMT


def jb2009_range(period: float, vs30_clustering: bool) -> float:
    """The range ``b`` (km) of the JB2009 model for a spectral period (s)."""
    if period < 1.0:
        return 40.7 - 15.0 * period if vs30_clustering else 8.5 + 17.2 * period
    return 22.0 + 3.7 * period


def site_distances(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every pair of N points: (N, N), float32.

    The haversine is evaluated in float32 from float32 radians (as OpenQuake does for
    these matrices), so that the correlation matrices, hence the fields, agree with it.
    """
    f32 = np.float32
    lo = np.radians(np.asarray(lons, float)).astype(f32)
    la = np.radians(np.asarray(lats, float)).astype(f32)
    hav = np.sin((la[:, None] - la[None, :]) / f32(2)) ** f32(2)
    hav += (np.cos(la[:, None]) * np.cos(la[None, :])
            * np.sin((lo[:, None] - lo[None, :]) / f32(2)) ** f32(2))
    return f32(2 * geodetic.EARTH_RADIUS) * np.arcsin(np.sqrt(hav))


def jb2009_matrix(distances: np.ndarray, imt: IMT, vs30_clustering: bool) -> np.ndarray:
    """The JB2009 correlation matrix (N, N) for a matrix of site distances (km), in
    the precision of the distances."""
    b = jb2009_range(1.0 if imt.string == "PGV" else imt.period, vs30_clustering)
    return np.exp((-3.0 / b) * np.asarray(distances))


class JB2009:
    """The Jayaram & Baker (2009) model with its ``vs30_clustering`` parameter.

    :param vs30_clustering: whether the Vs30 values of the region are clustered
    """

    def __init__(self, vs30_clustering: bool = False):
        self.vs30_clustering = bool(vs30_clustering)

    def cholesky(self, lons: np.ndarray, lats: np.ndarray, imt: IMT) -> np.ndarray:
        """The lower Cholesky factor (N, N) of the correlation matrix of N sites
        (float32, as the distances)."""
        corr = jb2009_matrix(site_distances(lons, lats), imt, self.vs30_clustering)
        return np.linalg.cholesky(corr)


def correlation_model(name: str | None, params: dict | None):
    """The correlation model of a job (``ground_motion_correlation_model`` and
    ``ground_motion_correlation_params``), or None for no correlation."""
    if not name:
        return None
    params = dict(params or {})
    if name == "JB2009":
        unknown = set(params) - {"vs30_clustering"}
        if unknown:
            raise InvalidInput("JB2009 does not accept %s (it accepts vs30_clustering)"
                               % ", ".join(sorted(unknown)),
                               param="ground_motion_correlation_params")
        return JB2009(bool(params.get("vs30_clustering", False)))
    raise InvalidInput("the correlation model %r is not supported (supported: JB2009)"
                       % name, param="ground_motion_correlation_model")
