"""Morikawa and Fujiwara (2013): Japanese ground motions up to Mw 9, with the NIED
(J-SHIS, 2025 national hazard model) variants.

Morikawa, N. and Fujiwara, H. (2013). A new ground motion prediction equation for Japan
applicable up to M9 mega-earthquake. Journal of Disaster Research, 8(5), 878-888;
https://www.j-shis.bosai.go.jp/en/labs/mf2013/ for the NIED standard deviations.

Base-10 logarithm of the median (cm/s² for PGA and SA, cm/s for PGV, half the JMA
intensity for JMA)::

    log Y = a (Mw' - Mw1)² + b_k X + c_k - log(X + d 10^(e Mw'))        (eq. 1)
            + pd log(max(Dlmin, D1.4) / D0)                                (eq. 5)
            + ps log(min(Vsmax, vs30) / V0)                                (eq. 6)
            + anomalous-intensity correction                               (eq. 11)

with Mw' = min(Mw, 8.2), Mw1 = 16, e = 0.5, X = rrup (km), D0 = 300 m, D1.4 = ``z1pt4``
(m, depth to vs = 1.4 km/s), (b_k, c_k) the crustal (b1, c1), interface (b2, c2) or
intraslab (b3, c3) coefficients. Intraslab events shallower than 80 km in south-west
Japan add PH (Philippine Sea plate).

The anomalous-intensity correction of the regional models is γ xvf max(H - 30, 0) (H the
focal depth in km, xvf the signed distance in km of the site from the volcanic front of
the Pacific plate for north-east Japan, of the Philippine Sea plate for south-west
Japan); in south-west Japan xvf is capped at 75 km and only events from 60 km depth are
corrected.

The NIED models replace sigma: with distance for crustal events (as Si and Midorikawa
1999, eq. 7), with the PGV at vs30 = 600 m/s of Si and Midorikawa (1999) for subduction
events (eq. 8). Their regional forms (``NENIED``, ``SWNIED``) also taper the north-east
correction from 0 at latitude 35.5° to 1 at 36.5°, restrict the south-west one to sites
west of 136.9° E and, for intraslab events, tie the south-west terms to the hypocentre's
zone of the Philippine Sea plate (zones 4 and 5 of the NSHM: there the anomalous
correction applies and PH does not). As in OpenQuake 3.26.2, these NSHM restrictions
apply to the intraslab models only: the interface ``NENIED``/``SWNIED`` models keep the
plain regional corrections.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import GMPE, LN10, LN_CMS2_PER_G, TOTAL, coeffs_table
from oqcore.hazard.gsim.si_midorikawa_1999 import (
    D_INTERFACE, D_INTRASLAB, distance_to_line, log10_median, sigma_by_amplitude,
    sigma_by_distance)

#: D0 (m), e, the magnitude cap Mw01 and Mw1 of eq. 1 and 5
D0, E_MAG, MW01, MW1 = 300.0, 0.5, 8.2, 16.0
#: volcanic fronts (lon, lat) of the Pacific (north-east Japan) and Philippine Sea
#: (south-west Japan) plates
FRONT_PACIFIC = (np.array([141.6, 140.2, 139.7, 138.7, 140.1, 141.0, 141.2, 145.0, 146.9,
                           150.0]),
                 np.array([24.0, 31.0, 34.1, 36.1, 37.2, 39.3, 42.6, 43.6, 44.3, 45.9]))
FRONT_PHILIPPINE = (np.array([122.0, 124.0, 128.3, 129.7, 130.8, 131.6, 132.0, 133.7,
                              134.9, 136.9, 138.7]),
                    np.array([24.5, 24.5, 27.9, 29.5, 31.5, 33.4, 34.9, 35.3, 35.3, 36.2,
                              36.2]))
#: zones 4 and 5 of the Philippine Sea plate in the 2025 NSHM (lon, lat vertices)
PHILIPPINE_ZONES = {
    4: [(132.1330, 33.2170), (131.9170, 32.9330), (131.7000, 32.5330), (131.5170, 32.0170),
        (131.4830, 31.7830), (131.0830, 31.0670), (130.9000, 30.8170), (130.3000, 31.0500),
        (130.0000, 31.2670), (130.4000, 32.0000), (130.6000, 32.3670), (131.0000, 32.6500),
        (131.2830, 33.2670)],
    5: [(130.3000, 31.0500), (130.9000, 30.8170), (130.4670, 30.2500), (130.0670, 29.8000),
        (129.6000, 29.2330), (129.2000, 28.6000), (128.8000, 28.1000), (127.7670, 27.1000),
        (126.8170, 26.1000), (126.2670, 25.6000), (125.3000, 24.9670), (125.0000, 24.8500),
        (124.5000, 24.7170), (123.7000, 24.6330), (123.0000, 24.5330), (122.5000, 24.5500),
        (122.2330, 24.5500), (121.5000, 24.5500), (122.2330, 25.3330), (123.0000, 25.5000),
        (124.0000, 25.7670), (125.0000, 26.5000), (126.0000, 27.2670), (127.0000, 28.0000),
        (128.0000, 28.8170), (129.0000, 30.0000), (130.0000, 31.2670)],
}
#: the NSHM taper of the north-east correction (latitudes, degrees) and the eastern
#: limit (longitude) of the south-west correction
NE_TAPER_LATS, SW_MAX_LON = (35.5, 36.5), 136.9
#: the south-west correction: xvf cap (km) and minimum focal depth (km); PH applies to
#: intraslab events shallower than PH_MAX_DEPTH km
SW_MAX_XVF, SW_MIN_DEPTH, PH_MAX_DEPTH = 75.0, 60.0, 80.0


def in_philippine_zones(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Whether each point (hypocentre) lies in zone 4 or 5 of the Philippine Sea plate."""
    import shapely
    pts = shapely.points(lons, lats)
    out = np.zeros(len(lons), bool)
    for ring in PHILIPPINE_ZONES.values():
        out |= shapely.intersects(shapely.Polygon(ring), pts)
    return out


class MorikawaFujiwara2013Crustal(GMPE):
    """Morikawa and Fujiwara (2013) for crustal events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA", "JMA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z1pt4", "lon", "lat"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "morikawa_fujiwara_2013", "coeffs.csv")

    #: event type: 1 crustal, 2 interface, 3 intraslab (the b_k, c_k coefficients)
    KIND = 1
    #: None, 'NE' or 'SW': the anomalous-intensity correction
    REGION: str | None = None
    #: the 2025 NSHM restrictions of the regional corrections
    NSHM25 = False

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mw = np.minimum(ctx.mag, MW01)
        zones = None
        if self.NSHM25 and self.KIND == 3:
            zones = in_philippine_zones(ctx.hypo_lon, ctx.hypo_lat)
        k = str(self.KIND)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            log_y = (C["a"] * (mw - MW1) ** 2 + C["b" + k] * ctx.rrup + C["c" + k]
                     - np.log10(ctx.rrup + C["d"] * 10.0 ** (E_MAG * mw))
                     + C["pd"] * np.log10(np.maximum(C["Dlmin"], ctx.z1pt4) / D0)
                     + C["ps"] * np.log10(np.minimum(C["Vsmax"], ctx.vs30) / C["V0"])
                     + self.philippine_term(C, ctx, zones)
                     + self.anomalous_term(C, ctx, zones))
            if imt.name == "JMA":
                mean[m] = 2.0 * log_y
            elif imt.name == "PGV":
                mean[m] = LN10 * log_y
            else:
                mean[m] = LN10 * log_y - LN_CMS2_PER_G
            sig[m] = self.total_sigma(C, ctx, imt)

    def total_sigma(self, C, ctx, imt):
        """Total sigma in the units of the mean (ln, or JMA intensity)."""
        return _in_mean_units(C["sigma"], imt)

    def philippine_term(self, C, ctx, zones):
        """PH of intraslab events in south-west Japan (log10 units)."""
        if self.KIND != 3 or self.REGION != "SW":
            return 0.0
        apply = ctx.hypo_depth < PH_MAX_DEPTH
        if zones is not None:
            apply &= ~zones
        return np.where(apply, C["PH"], 0.0)

    def anomalous_term(self, C, ctx, zones):
        """The anomalous-intensity correction (eq. 11, log10 units)."""
        if self.REGION is None:
            return 0.0
        deep = np.maximum(ctx.hypo_depth - 30.0, 0.0)
        if self.REGION == "NE":
            xvf = distance_to_line(ctx.lon, ctx.lat, *FRONT_PACIFIC)
            corr = C["gNE"] * xvf * deep
            if zones is not None:
                lo, hi = NE_TAPER_LATS
                corr = corr * np.clip((ctx.lat - lo) / (hi - lo), 0.0, 1.0)
            return corr
        xvf = distance_to_line(ctx.lon, ctx.lat, *FRONT_PHILIPPINE)
        corr = C["gSW"] * np.minimum(xvf, SW_MAX_XVF) * deep
        off = ctx.hypo_depth < SW_MIN_DEPTH
        if zones is not None:
            off = off | (ctx.lon >= SW_MAX_LON) | ~zones
        return np.where(off, 0.0, corr)


def _in_mean_units(sigma_log10, imt):
    """A log10 sigma in the units of the mean: JMA intensity or natural log."""
    return 2.0 * sigma_log10 if imt.name == "JMA" else LN10 * sigma_log10


class MorikawaFujiwara2013SubInterface(MorikawaFujiwara2013Crustal):
    """Morikawa and Fujiwara (2013) for interface events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    KIND = 2


class MorikawaFujiwara2013SubSlab(MorikawaFujiwara2013Crustal):
    """Morikawa and Fujiwara (2013) for intraslab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    KIND = 3


class MorikawaFujiwara2013SubInterfaceNE(MorikawaFujiwara2013SubInterface):
    """Interface events, north-east Japan correction."""

    REGION = "NE"


class MorikawaFujiwara2013SubInterfaceSW(MorikawaFujiwara2013SubInterface):
    """Interface events, south-west Japan correction."""

    REGION = "SW"


class MorikawaFujiwara2013SubSlabNE(MorikawaFujiwara2013SubSlab):
    """Intraslab events, north-east Japan correction."""

    REGION = "NE"


class MorikawaFujiwara2013SubSlabSW(MorikawaFujiwara2013SubSlab):
    """Intraslab events, south-west Japan correction and PH."""

    REGION = "SW"


class MorikawaFujiwara2013CrustalNIED(MorikawaFujiwara2013Crustal):
    """Crustal events with the NIED distance-dependent sigma."""

    def total_sigma(self, C, ctx, imt):
        return _in_mean_units(sigma_by_distance(ctx.rrup), imt)


class _SubductionNIED:
    """Mixin: the NIED sigma from the PGV (cm/s) of Si and Midorikawa (1999) at
    vs30 = 600 m/s."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth", "hypo_lon", "hypo_lat"])
    #: the Si and Midorikawa event-type constants
    SM99_D: dict = {}

    def total_sigma(self, C, ctx, imt):
        pgv = 10.0 ** log10_median("PGV", ctx.mag, ctx.hypo_depth, ctx.rrup,
                                   self.SM99_D["PGV"])
        return _in_mean_units(sigma_by_amplitude(pgv), imt)


class MorikawaFujiwara2013SubInterfaceNIED(_SubductionNIED, MorikawaFujiwara2013SubInterface):
    """Interface events with the NIED sigma."""

    SM99_D = D_INTERFACE


class MorikawaFujiwara2013SubSlabNIED(_SubductionNIED, MorikawaFujiwara2013SubSlab):
    """Intraslab events with the NIED sigma."""

    SM99_D = D_INTRASLAB


class MorikawaFujiwara2013SubInterfaceNENIED(MorikawaFujiwara2013SubInterfaceNIED):
    """Interface events, NIED sigma, north-east correction with the 2025 NSHM taper."""

    REGION, NSHM25 = "NE", True


class MorikawaFujiwara2013SubInterfaceSWNIED(MorikawaFujiwara2013SubInterfaceNIED):
    """Interface events, NIED sigma, south-west correction with the 2025 NSHM limits."""

    REGION, NSHM25 = "SW", True


class MorikawaFujiwara2013SubSlabNENIED(MorikawaFujiwara2013SubSlabNIED):
    """Intraslab events, NIED sigma, north-east correction with the 2025 NSHM taper."""

    REGION, NSHM25 = "NE", True


class MorikawaFujiwara2013SubSlabSWNIED(MorikawaFujiwara2013SubSlabNIED):
    """Intraslab events, NIED sigma, south-west terms with the 2025 NSHM limits and
    zones."""

    REGION, NSHM25 = "SW", True
