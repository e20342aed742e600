"""Zhao et al. (2016): Japanese crustal, upper-mantle, interface and slab earthquakes with
site classes and simple geometric attenuation.

Zhao, J. X. et al. (2016a). Ground-motion prediction equations for shallow crustal and
upper-mantle earthquakes in Japan using site class and simple geometric attenuation
functions. BSSA 106(4), 1518-1534. Zhao, J. X. et al. (2016b), the same for subduction
interface earthquakes, BSSA 106(4). Zhao, J. X. et al. (2016c), the same for subduction
slab earthquakes, BSSA 106(4), 1535-1551.

ln of the median on site class I (hard rock removed: ln SA_rock - lnSC1AM) is the sum of

* magnitude scaling, linear up to Mc = 7.1 and with slope d above (slab events add
  cSL2 (M - 6.3)²; interface events use cint below 25 km of ztor, cintS above... see
  :func:`magnitude_term`);
* style of faulting (crustal: normal FN_CR; upper mantle: normal and reverse);
* top-of-rupture depth scaling (slab ztor capped at 100 km);
* geometric attenuation ln(x0 + rrup + exp(c1 + c2 min(M, Mc))), a long-distance term
  ln(rrup + 200), anelastic terms in rrup and in the volcanic path length rvolc, and the
  class constant;

and the nonlinear site model of eq. 9-15 (site classes from vs30: I > 600, II > 300,
III > 200, IV <= 200 m/s): the rock amplification lnAmax of the class is reduced with the
effective rock spectral acceleration SReff = SA_rock IMF relative to the reference
SReffC = Src1D IMF (IMF the impedance factor of each class).

``ZhaoEtAl2016SSlabPErg`` adds the non-ergodic path term: rvolc is the length (km) of the
path from the site to the closest point of the rupture that lies within the volcanic
zones of ``volc_arc_file`` (GeoJSON polygons with a ``volc_zone_id`` property; the path is
sampled at 100 points), at least 12 km when any zone is crossed and at most 80 km.
Without the file, rvolc is the context's (0 km from the calculators, as OpenQuake).
Every model accepts ``volc_arc_file``; as in OpenQuake, the other slab models use it the
same way, and the crustal, upper-mantle and interface models keep the context's rvolc.
The ``SiteSigma`` models use the within-event sigma of the site class.
"""
from __future__ import annotations

import json
import math
import os

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.geo import geodetic
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table)

#: corner magnitude Mc, slab reference magnitude, x0 of crustal and interface events
MC, MSC, X0_CRUSTAL, X0_INTERFACE = 7.1, 6.3, 2.0, 10.0
#: parameters alpha and beta of the nonlinear site model (eq. 12)
ALPHA, BETA = 2.0, 0.6
#: impedance factor IMF of the four site classes
IMF = {1: (1.0 + 0.8 * 2.73) / 3.5, 2: 3.07 / 3.0, 3: (1.0 + 0.9 * 1.76) / 2.5,
       4: (1.0 + 0.6 * 2.02) / 3.0}
#: lower vs30 bounds (m/s, excluded) of site classes I, II, III (IV below)
CLASS_VS30 = (600.0, 300.0, 200.0)
#: the interface events from this ztor (km, excluded) use the deep coefficients
DEEP_INTERFACE_ZTOR = 25.0
#: volcanic path: number of path samples, bounds (km) of a non-zero rvolc
PATH_POINTS, RVOLC_MIN, RVOLC_MAX = 100, 12.0, 80.0


def site_classes(vs30: np.ndarray) -> np.ndarray:
    """Site class 1..4 of each vs30 (m/s)."""
    c1, c2, c3 = CLASS_VS30
    return np.select([vs30 > c1, vs30 > c2, vs30 > c3], [1, 2, 3], 4)


def nonlinear_site(C, CS, ln_rock: np.ndarray, cls: np.ndarray,
                   s_rock: np.ndarray) -> np.ndarray:
    """ln of the median on the sites' classes (eq. 9-15).

    :param C: the model coefficients (lnSC1AM); :param CS: the site coefficients
    :param ln_rock: ln SA on site class I (with lnSC1AM)
    :param cls: site classes 1..4; :param s_rock: the class rock factor S_k added to
        lnSC1AM (0 for class I)
    """
    hard = ln_rock - C["lnSC1AM"]
    ln_amax_n = C["lnSC1AM"] + s_rock
    amax1d = np.choose(cls - 1, [CS["LnAmax1D%d" % i] for i in range(1, 5)])
    src = np.choose(cls - 1, [CS["Src1D%d" % i] for i in range(1, 5)])
    fsr = np.choose(cls - 1, [CS["fsr%d" % i] for i in range(1, 5)])
    imf = np.choose(cls - 1, [IMF[i] for i in range(1, 5)])
    sreff = np.exp(hard) * imf
    sreffc = src * imf
    ln_sf = ln_amax_n - amax1d
    ln_ref = np.log(sreffc ** ALPHA + BETA)
    ln_b, ln_10b = math.log(BETA), math.log(10.0 * BETA)
    with np.errstate(all="ignore"):
        c_a = amax1d / (ln_b - ln_ref)
        c_b = -c_a * ln_ref
        snc_small = np.exp((c_a * (ALPHA - 1.0) * ln_b * ln_10b - math.log(10.0) * (c_b + ln_sf))
                           / (c_a * (ALPHA * ln_10b - ln_b)))
        snc_large = (np.exp((ln_amax_n * ln_ref - ln_sf * ln_b) / amax1d) - BETA) ** (1.0 / ALPHA)
        snc = np.where(np.exp(ln_amax_n) < 1.25, snc_small, snc_large)
        smr = sreff * (snc / sreffc) * fsr
        reduction = -amax1d * (np.log(smr ** ALPHA + BETA) - ln_b) / (ln_ref - ln_b)
    return hard + ln_amax_n + np.where(np.abs(smr) > 0.0, reduction, 0.0)


def crustal_terms(C, mag, x, g_coeff, e_coeff, rvolc) -> np.ndarray:
    """Magnitude and path terms shared by crustal and upper-mantle events (eq. 1-3):
    ``g_coeff`` and ``e_coeff`` the geometric and anelastic coefficients of the type."""
    mag_term = np.where(mag <= MC, C["ccr"] * mag, C["ccr"] * MC + C["dcr"] * (mag - MC))
    g_near = C["gcrN"] * np.log(X0_CRUSTAL + np.minimum(x, 30.0)
                                + np.exp(C["c1"] + 6.5 * C["c2"]))
    r = X0_CRUSTAL + x + np.exp(C["c1"] + C["c2"] * np.minimum(mag, MC))
    return (mag_term + g_coeff * np.log(r) + C["gcrL"] * np.log(x + 200.0) + g_near
            + e_coeff * x + C["ecrV"] * rvolc + C["gamma_S"])


def in_zones(lons, lats, zones: list) -> np.ndarray:
    """How many of the ``zones`` (lists of (lon, lat) vertices) contain each point
    (edges included): each zone is projected orthographically with its edges resampled
    along great circles."""
    import shapely
    from oqcore.hazard.source.area import resample_polygon
    count = np.zeros(len(lons), int)
    for ring in zones:
        plons, plats = resample_polygon(*(np.array(c, float) for c in zip(*ring)))
        proj = geodetic.OrthographicProjection(*geodetic.spherical_bounding_box(plons, plats))
        px, py = proj(plons, plats)
        x, y = proj(np.asarray(lons, float), np.asarray(lats, float))
        count += shapely.intersects(shapely.Polygon(np.column_stack([px, py])),
                                    shapely.points(x, y))
    return count


def volcanic_path_lengths(lons, lats, clons, clats, zones: list) -> np.ndarray:
    """rvolc (km) of each site-rupture path: the sampled length within the zones,
    raised to 12 km when positive and capped at 80 km."""
    out = np.zeros(len(lons))
    for k in range(len(lons)):
        plons, plats, _ = geodetic.npoints_between(lons[k], lats[k], 0.0, clons[k],
                                                   clats[k], 0.0, PATH_POINTS)
        step = geodetic.distance(plons[0], plats[0], 0.0, plons[1], plats[1], 0.0)
        out[k] = in_zones(plons, plats, zones).sum() * step
    out = np.where((out > 0.0) & (out <= RVOLC_MIN), RVOLC_MIN, out)
    return np.where(out >= RVOLC_MAX, RVOLC_MAX, out)


def read_volcanic_zones(path: str) -> list:
    """The polygons (outer rings, lists of (lon, lat)) of a GeoJSON file of volcanic
    zones."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        return [[tuple(p[:2]) for p in feat["geometry"]["coordinates"][0]]
                for feat in doc["features"]]
    except OSError:
        raise InvalidInput("volc_arc_file %s: no such file" % os.path.basename(path))
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise InvalidInput("volc_arc_file %s: not a GeoJSON collection of polygons (%s)"
                           % (os.path.basename(path), exc))


class ZhaoEtAl2016Asc(GMPE):
    """Zhao et al. (2016a) for shallow crustal events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor", "rake"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rvolc"])

    COEFFS = coeffs_table(__file__, "zhao_2016", "asc.csv")
    COEFFS_SITE = coeffs_table(__file__, "zhao_2016", "asc_site.csv")

    #: within-event sigma of the site class (the SiteSigma models)
    SITE_SIGMA = False
    #: whether ``volc_arc_file`` replaces the context's rvolc (the slab models); the
    #: other models accept the file and, as in OpenQuake, keep the context's rvolc
    VOLCANIC_PATH = False
    ARGUMENTS = {"volc_arc_file": None}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.zones = (None if self.volc_arc_file is None
                      else read_volcanic_zones(self.volc_arc_file))
        if self.zones is not None and self.VOLCANIC_PATH:
            # the paths run from the site to the closest point of the rupture
            self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | {"lon", "lat"}
            self.REQUIRES_DISTANCES = self.REQUIRES_DISTANCES | {"clon", "clat"}

    def rock_terms(self, C, ctx, rvolc) -> np.ndarray:
        """ln SA on site class I: magnitude, faulting, depth and path terms (eq. 1-3);
        ``rvolc`` the volcanic path lengths (km, (N,))."""
        normal = (ctx.rake <= -45.0) & (ctx.rake >= -135.0)
        return (np.where(normal, C["FN_CR"], 0.0) + C["bcr"] * ctx.ztor
                + crustal_terms(C, ctx.mag, ctx.rrup, C["gcr"], C["ecr"], rvolc))

    def rvolc(self, ctx) -> np.ndarray:
        """Volcanic path lengths (km): through the zones of ``volc_arc_file`` for the
        slab models given one, else the context's."""
        if self.zones is None or not self.VOLCANIC_PATH:
            return ctx.rvolc
        return volcanic_path_lengths(ctx.lon, ctx.lat, ctx.clon, ctx.clat, self.zones)

    def rock_factor(self, C, ctx, cls) -> np.ndarray:
        """S_k of each site's class (0 for class I)."""
        return np.choose(cls - 1, [0.0, C["S2"], C["S3"], C["S4"]])

    def compute(self, ctx, imts, mean, sig, tau, phi):
        cls = site_classes(ctx.vs30)
        rvolc = self.rvolc(ctx)
        for m, imt in enumerate(imts):
            C, CS = self.COEFFS[imt], self.COEFFS_SITE[imt]
            mean[m] = nonlinear_site(C, CS, self.rock_terms(C, ctx, rvolc), cls,
                                     self.rock_factor(C, ctx, cls))
            if self.SITE_SIGMA:
                phi[m] = np.choose(cls - 1, [C["sc%d_sigma_S" % i] for i in range(1, 5)])
            else:
                phi[m] = C["sigma"]
            tau[m] = C["tau"]
            sig[m] = np.sqrt(phi[m] ** 2 + tau[m] ** 2)


class ZhaoEtAl2016AscSiteSigma(ZhaoEtAl2016Asc):
    """Crustal events, site-class within-event sigma."""

    SITE_SIGMA = True


class ZhaoEtAl2016UpperMantle(ZhaoEtAl2016Asc):
    """Zhao et al. (2016a) for upper-mantle events: normal and reverse faulting terms,
    no depth term, its own geometric and anelastic coefficients."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Upper Mantle"
    COEFFS_SITE = coeffs_table(__file__, "zhao_2016", "upper_mantle_site.csv")

    def rock_terms(self, C, ctx, rvolc):
        rake = ctx.rake
        sof = np.where((rake <= -45.0) & (rake >= -135.0), C["FN_UM"],
                       np.where((rake > 45.0) & (rake < 135.0), C["FRV_UM"], 0.0))
        return sof + crustal_terms(C, ctx.mag, ctx.rrup, C["gUM"], C["eum"], rvolc)


class ZhaoEtAl2016UpperMantleSiteSigma(ZhaoEtAl2016UpperMantle):
    """Upper-mantle events, site-class within-event sigma."""

    SITE_SIGMA = True


class ZhaoEtAl2016SInter(ZhaoEtAl2016Asc):
    """Zhao et al. (2016b) for interface events: shallow (ztor < 25 km) and deep
    coefficients."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    COEFFS = coeffs_table(__file__, "zhao_2016", "sinter.csv")
    COEFFS_SITE = coeffs_table(__file__, "zhao_2016", "sinter_site.csv")

    def rock_terms(self, C, ctx, rvolc):
        mag, x, ztor = ctx.mag, ctx.rrup, ctx.ztor
        c_int = np.where(ztor > DEEP_INTERFACE_ZTOR, C["cint"], C["cintS"])
        mag_term = np.where(mag <= MC, c_int * mag, c_int * MC + C["dint"] * (mag - MC))
        r = X0_INTERFACE + x + np.exp(C["alpha"] + C["beta"] * np.minimum(mag, MC))
        far = np.where(ztor < DEEP_INTERFACE_ZTOR,
                       C["gintLS"] * np.log(x + 200.0) + C["eintS"] * x + C["gamma_ints"],
                       C["gintLD"] * np.log(x + 200.0))
        return (mag_term + C["bint"] * ztor + C["gint"] * np.log(r)
                + C["eintV"] * rvolc + C["gammaint"] + far)

    def rock_factor(self, C, ctx, cls):
        deep = ctx.ztor > DEEP_INTERFACE_ZTOR
        return np.choose(cls - 1, [0.0, np.where(deep, C["S5"], C["S2"]),
                                   np.where(deep, C["S6"], C["S3"]),
                                   np.where(deep, C["S7"], C["S4"])])


class ZhaoEtAl2016SInterSiteSigma(ZhaoEtAl2016SInter):
    """Interface events, site-class within-event sigma."""

    SITE_SIGMA = True


class ZhaoEtAl2016SSlab(ZhaoEtAl2016Asc):
    """Zhao et al. (2016c) for slab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    COEFFS = coeffs_table(__file__, "zhao_2016", "sslab.csv")
    COEFFS_SITE = coeffs_table(__file__, "zhao_2016", "sslab_site.csv")
    VOLCANIC_PATH = True

    def rock_terms(self, C, ctx, rvolc):
        mag, x, ztor = ctx.mag, ctx.rrup, ctx.ztor
        mag_term = np.where(mag <= MC, C["cSL"] * mag + C["cSL2"] * (mag - MSC) ** 2,
                            C["cSL"] * MC + C["cSL2"] * (MC - MSC) ** 2
                            + C["dSL"] * (mag - MC))
        q_deep = np.where(ztor >= 50.0, C["eSLH"] * (0.02 * ztor - 1.0), 0.0)
        r = x + np.exp(C["alpha"] + C["beta"] * np.minimum(mag, MC))
        return (mag_term + C["bSLH"] * np.minimum(ztor, 100.0) + C["gSL"] * np.log(r)
                + C["gLL"] * np.log(x + 200.0) + C["eSL"] * x + q_deep * x
                + C["eSLV"] * rvolc + C["gamma"])


class ZhaoEtAl2016SSlabSiteSigma(ZhaoEtAl2016SSlab):
    """Slab events, site-class within-event sigma."""

    SITE_SIGMA = True


class ZhaoEtAl2016SSlabPErg(ZhaoEtAl2016SSlab):
    """Slab events with the non-ergodic volcanic path term (argument
    ``volc_arc_file``: a GeoJSON file of the volcanic zones)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "lon", "lat"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rvolc", "clon", "clat"])
