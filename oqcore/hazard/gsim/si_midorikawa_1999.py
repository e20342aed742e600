"""Si and Midorikawa (1999): PGA and PGV in Japan, as used by the national hazard maps.

Si, H. and Midorikawa, S. (1999). New attenuation relationships for peak ground
acceleration and velocity considering effects of fault type and site condition. Journal
of Structural and Construction Engineering, AIJ, 523, 63-70; in the form of the
"Technical Reports on National Seismic Hazard Maps for Japan" (NIED, 2009, pp. 148-151).

Median (eq. 3.5.1-1), base-10 logarithm, PGA in cm/s² and PGV in cm/s on the reference
site (vs30 = 600 m/s)::

    log A = 0.50 M + 0.0043 H + d + 0.61 - log(X + 0.0055 10^(0.50 M)) - 0.003 X
    log V = 0.58 M + 0.0038 H + d - 1.29 - log(X + 0.0028 10^(0.50 M)) - 0.002 X

with M the moment magnitude capped at 8.3, H the focal depth (km), X = rrup (km) and d
the event-type constant. The site factors of NIED scale the reference motion to vs30 400
m/s (x 1.41) and 800 m/s (/ 1.25); no other vs30 is defined.

The corrections for north-east Japan (sites near the subduction trench, eq. 3.5.2-1) and
south-west Japan (sites behind the volcanic front, eq. 3.5.2-2) are separate models.
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, LN10, TOTAL
from oqcore.hazard.geo.surface import top_edge_rx

#: magnitudes are capped at this value (p. 148)
MAX_MAG = 8.3
#: ln of the NIED site factor from the reference vs30 of 600 m/s to each defined vs30
SITE_FACTORS = {600.0: 0.0, 400.0: math.log(1.41), 800.0: -math.log(1.25)}
#: log10(g in cm/s²): turns log10 cm/s² into log10 g
LOG10_G_CMS2 = math.log10(100.0 * 9.80665)
#: event-type constant d of PGA and PGV
D_CRUSTAL = {"PGA": 0.0, "PGV": 0.0}
D_INTERFACE = {"PGA": 0.01, "PGV": -0.02}
D_INTRASLAB = {"PGA": 0.22, "PGV": 0.12}

#: the subduction trench of north-east Japan (lon, lat) and the volcanic front of
#: south-west Japan (NIED 2009, figures 3.5.2-1 and 3.5.2-2)
TRENCH_LONS = np.array([143.50, 143.00, 141.90, 142.40, 143.25, 143.80, 144.20, 144.30,
                        144.65, 146.80, 153.00])
TRENCH_LATS = np.array([24.00, 29.00, 33.80, 35.80, 36.55, 37.70, 39.20, 40.10, 41.00,
                        42.00, 45.50])
VOLCANIC_FRONT_LONS = np.array([122.00, 124.00, 128.30, 129.70, 130.80, 131.60, 132.00,
                                133.70, 134.90, 136.90])
VOLCANIC_FRONT_LATS = np.array([24.50, 24.50, 27.90, 29.50, 31.50, 33.40, 34.90, 35.30,
                                35.30, 36.20])


def log10_median(imt_name: str, mag, hypo_depth, rrup, d: float) -> np.ndarray:
    """log10 of the reference-site median: g for PGA, cm/s for PGV (eq. 3.5.1-1).

    :param imt_name: 'PGA' or 'PGV'; :param mag, hypo_depth (km), rrup (km): (N,)
    :param d: the event-type constant
    """
    m = np.minimum(mag, MAX_MAG)
    if imt_name == "PGV":
        return (0.58 * m + 0.0038 * hypo_depth + d - 1.29
                - np.log10(rrup + 0.0028 * 10.0 ** (0.5 * m)) - 0.002 * rrup)
    log_a = (0.50 * m + 0.0043 * hypo_depth + d + 0.61
             - np.log10(rrup + 0.0055 * 10.0 ** (0.5 * m)) - 0.003 * rrup)
    return log_a - LOG10_G_CMS2


def ln_site_factor(model: str, vs30: np.ndarray) -> np.ndarray:
    """ln of the NIED site factor of each vs30 (m/s), (N,); other vs30 are an error."""
    out = np.full(len(vs30), np.nan)
    for v, f in SITE_FACTORS.items():
        out[np.abs(vs30 - v) < 1e-10] = f
    if np.isnan(out).any():
        bad = vs30[np.isnan(out)][0]
        raise InvalidInput("%s is defined for vs30 = 400, 600 or 800 m/s only, got %s"
                           % (model, bad))
    return out


def sigma_by_distance(rrup: np.ndarray) -> np.ndarray:
    """Total sigma (log10) of crustal events from rrup (eq. 3.5.5-2): 0.23 up to 20 km,
    0.20 beyond 30 km, linear in log(rrup) between."""
    mid = 0.23 - 0.03 * np.log10(np.maximum(rrup, 20.0) / 20.0) / math.log10(1.5)
    return np.where(rrup <= 20.0, 0.23, np.where(rrup <= 30.0, mid, 0.20))


def sigma_by_amplitude(amplitude: np.ndarray) -> np.ndarray:
    """Total sigma (log10) of subduction events from an amplitude (eq. 3.5.5-1): 0.20
    up to 25, 0.15 beyond 50, linear between."""
    mid = 0.20 - 0.05 * (amplitude - 25.0) / 25.0
    return np.where(amplitude <= 25.0, 0.20, np.where(amplitude <= 50.0, mid, 0.15))


def distance_to_line(lons: np.ndarray, lats: np.ndarray, line_lons, line_lats):
    """Signed horizontal distance (km) of sites from a polyline (the rx of a vertical
    surface hanging from it): positive on the right of the line's direction."""
    return top_edge_rx(line_lons, line_lats, lons, lats)


class SiMidorikawa1999Asc(GMPE):
    """Si and Midorikawa (1999) for crustal earthquakes; sigma decreases with distance."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Greater of two horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    #: the event-type constants d
    D = D_CRUSTAL

    def sigma_log10(self, ctx, log10_median: np.ndarray) -> np.ndarray:
        """Total sigma (log10 units) of the contexts."""
        return sigma_by_distance(ctx.rrup)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        site = ln_site_factor(type(self).__name__, ctx.vs30)
        for m, imt in enumerate(imts):
            log_y = log10_median(imt.name, ctx.mag, ctx.hypo_depth, ctx.rrup,
                                 self.D[imt.name])
            sig[m] = LN10 * self.sigma_log10(ctx, log_y)
            mean[m] = LN10 * log_y + site + self.correction(ctx, imt.name)

    def correction(self, ctx, imt_name: str):
        """ln correction of the regional variants (0 here)."""
        return 0.0


class SiMidorikawa1999SInter(SiMidorikawa1999Asc):
    """Si and Midorikawa (1999) for interface events.

    The sigma depends on the amplitude of the median at the reference site, which
    OpenQuake 3.26.2 takes as the median of the IMT itself (in g for PGA, cm/s for PGV)
    rather than always the PGV of the published equation; so does this model (its
    verification tables come from OpenQuake).
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    D = D_INTERFACE

    def sigma_log10(self, ctx, log10_median):
        return sigma_by_amplitude(10.0 ** log10_median)


class SiMidorikawa1999SSlab(SiMidorikawa1999SInter):
    """Si and Midorikawa (1999) for intraslab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    D = D_INTRASLAB


def trench_correction(imt_name: str, x_tr, hypo_depth, rhypo) -> np.ndarray:
    """ln of the north-east Japan correction (eq. 3.5.2-1) for sites at x_tr km from the
    trench: an amplification growing with rhypo, and for deep events (H > 30 km) a
    depth- and distance-dependent factor."""
    if imt_name == "PGV":
        a, p, c1, c2 = -0.012, 2.064, -4.021e-5, 9.905e-3
    else:
        a, p, c1, c2 = 0.13, 3.2, -8.1e-5, 2.0e-2
    corr = np.maximum(1.0, 10.0 ** a * (rhypo / 300.0) ** p)
    deep = hypo_depth > 30.0
    log_deep = np.where(deep, (c1 * x_tr + c2) * (hypo_depth - 30.0), 0.0)
    return np.log(corr) + LN10 * log_deep


def volcanic_front_correction(imt_name: str, x_vf, hypo_depth) -> np.ndarray:
    """ln of the south-west Japan correction (eq. 3.5.2-2) for sites at the signed
    distance x_vf (km) from the volcanic front."""
    slope, flat = (4.28e-5, 3.21e-3) if imt_name == "PGV" else (7.06e-5, 5.30e-3)
    dh = hypo_depth - 30.0
    return LN10 * np.where(x_vf <= 75.0, slope * x_vf * dh, flat * dh)


class _NorthEast:
    """Mixin: the north-east Japan (subduction trench) correction."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "lon", "lat"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rhypo"])

    def correction(self, ctx, imt_name):
        x_tr = np.abs(distance_to_line(ctx.lon, ctx.lat, TRENCH_LONS, TRENCH_LATS))
        return trench_correction(imt_name, x_tr, ctx.hypo_depth, ctx.rhypo)


class _SouthWest:
    """Mixin: the south-west Japan (volcanic front) correction."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "lon", "lat"])

    def correction(self, ctx, imt_name):
        x_vf = distance_to_line(ctx.lon, ctx.lat, VOLCANIC_FRONT_LONS, VOLCANIC_FRONT_LATS)
        return volcanic_front_correction(imt_name, x_vf, ctx.hypo_depth)


class SiMidorikawa1999SInterNorthEastCorrection(_NorthEast, SiMidorikawa1999SInter):
    """Interface events with the north-east Japan correction."""


class SiMidorikawa1999SInterSouthWestCorrection(_SouthWest, SiMidorikawa1999SInter):
    """Interface events with the south-west Japan correction."""


class SiMidorikawa1999SSlabNorthEastCorrection(_NorthEast, SiMidorikawa1999SSlab):
    """Intraslab events with the north-east Japan correction."""


class SiMidorikawa1999SSlabSouthWestCorrection(_SouthWest, SiMidorikawa1999SSlab):
    """Intraslab events with the south-west Japan correction."""
