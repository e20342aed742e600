"""Bahrampouri, Rodriguez-Marek and Green (2021): Arias intensity from the KiK-net data.

Bahrampouri, M., Rodriguez-Marek, A. and Green, R. A. (2021). Ground motion prediction
equations for Arias Intensity using the Kik-net database. Earthquake Spectra, 37(1),
428-448.

ln IA (m/s) = F_source + F_path + F_site                                   (eqs. 5-12)

* F_source = a1 + a2 M + a3 max(M - a4, 0) [+ a5 max(M - a6, 0) + a8 F_inter]
  + a7 ln(ztor + 1); the bracket for subduction (F_inter 1 on the interface, 0 in the
  slab; the crustal table has a5 = a8 = 0);
* F_path = (b1 + b2 F_inter) ln sqrt(rrup² + h(M)²) + b3b R_b + b3f R_f + b4m C_m
  + b4k C_k, with log10 h(M) piecewise in M (linear below b7, cubic from b7 to b8, linear
  above b8); C_m and C_k are 1 when the epicentre-to-site path crosses the volcanic front
  of Honshu-Hokkaido or of Kyushu;
* F_site = c1 ln(vs30) + c2 (exp(c3 (min(vs30, 1100) - 280)) - exp(c3 820))
  ln((IA_ref + c4) / c4), IA_ref the motion of the first two terms and c1 ln(vs30).

The fronts are polylines in longitude-latitude given by the authors. Distances R_b,
R_f (km in the paper) are evaluated as OpenQuake 3.26.2 evaluates them, in a plane of
degrees: a site within 3 degrees on the back-arc side of the Honshu front (the
fore-arc side of the Kyushu front) is split at its distance to the front, and
OpenQuake applies b3b to the part it labels fore-arc and b3f to the back-arc part;
this module does the same so that results agree with it (per site: OpenQuake reuses
the last site's distances for every site of a call). Sites away from Japan have
R_b = R_f = C_m = C_k = 0.
"""
from __future__ import annotations

import functools

import numpy as np
import shapely

from oqcore.hazard.gsim.base import GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, coeffs_table

#: volcanic fronts (longitude, latitude) of the authors
KYUSHU_FRONT = ((127.067, 27.250), (128.983, 28.800), (130.217, 30.433),
                (130.817, 32.767), (131.600, 33.567), (131.850, 34.367))
HONSHU_FRONT = ((148.583, 45.417), (146.917, 44.450), (144.717, 43.683),
                (144.017, 43.600), (142.683, 43.500), (141.517, 43.400),
                (140.667, 42.050), (141.117, 41.267), (141.000, 40.450),
                (140.583, 39.033), (140.133, 37.733), (138.367, 36.600),
                (138.733, 35.383), (139.750, 33.133), (140.300, 30.483),
                (140.567, 28.317), (141.267, 25.417))
#: width (degrees) of the strip on the right-hand side of each front (Honshu: back-arc,
#: Kyushu: fore-arc) where sites are split at their distance to the front
ARC_STRIP = 3.0
#: vs30 (m/s) bounds of the non-linear site term
VS_LIN, VS_NL = 1100.0, 280.0


@functools.lru_cache(maxsize=1)
def _fronts():
    """(Honshu line, Kyushu line, Honshu strip, Kyushu strip), built on first use."""
    honshu, kyushu = shapely.LineString(HONSHU_FRONT), shapely.LineString(KYUSHU_FRONT)
    return (honshu, kyushu, honshu.buffer(-ARC_STRIP, single_sided=True),
            kyushu.buffer(-ARC_STRIP, single_sided=True))


def volcanic_terms(hypo_lon, hypo_lat, lon, lat, rrup):
    """(d_a, d_b, C_m, C_k), each (N,): the two path lengths that OpenQuake multiplies by
    b3b and b3f respectively (see the module docstring) and the crossing flags of the
    Honshu-Hokkaido and Kyushu fronts. Coordinates in degrees, rrup in km."""
    honshu, kyushu, honshu_strip, kyushu_strip = _fronts()
    paths = shapely.linestrings(np.stack([np.stack([hypo_lon, lon], -1),
                                          np.stack([hypo_lat, lat], -1)], -1))
    sites = shapely.points(lon, lat)
    cross_m = shapely.crosses(paths, honshu)
    cross_k = shapely.crosses(paths, kyushu) & ~cross_m
    in_honshu = shapely.within(sites, honshu_strip)
    in_kyushu = shapely.within(sites, kyushu_strip)
    to_honshu = shapely.distance(sites, honshu)
    to_kyushu = shapely.distance(sites, kyushu)
    # "back" and "fore" parts of the path as labelled on each side of each front
    back = np.zeros_like(rrup)
    fore = np.zeros_like(rrup)
    honshu_side = cross_m | (~cross_k & in_honshu)
    kyushu_side = ~honshu_side & (cross_k | in_kyushu)
    back = np.where(honshu_side & in_honshu, to_honshu, back)
    fore = np.where(honshu_side & in_honshu, rrup - to_honshu, fore)
    back = np.where(honshu_side & ~in_honshu, rrup - to_honshu, back)
    fore = np.where(honshu_side & ~in_honshu, to_honshu, fore)
    fore = np.where(kyushu_side & in_kyushu, to_kyushu, fore)
    back = np.where(kyushu_side & in_kyushu, rrup - to_kyushu, back)
    fore = np.where(kyushu_side & ~in_kyushu, rrup - to_kyushu, fore)
    back = np.where(kyushu_side & ~in_kyushu, to_kyushu, back)
    # OpenQuake 3.26.2 multiplies b3b by the fore-arc part and b3f by the back-arc one
    return fore, back, cross_m.astype(float), shapely.crosses(paths, kyushu).astype(float)


def saturation_log10_h(C, mag):
    """log10 of the near-source saturation depth h (km), (N,) (eq. 11)."""
    dm = mag - C["b7"]
    cubic = C["b9"] + C["b10"] * dm + C["b11"] * dm ** 2 + C["b12"] * dm ** 3
    return np.where(mag <= C["b7"], C["b5"] + C["b6"] * dm,
                    np.where(mag > C["b8"], C["b13"] + C["b14"] * (mag - C["b8"]), cubic))


def ln_ia(C, ctx, interface: float):
    """ln IA (m/s), (N,), for the coefficient row ``C``; ``interface`` 1 on a subduction
    interface, else 0."""
    source = (C["a1"] + C["a2"] * ctx.mag + C["a3"] * np.maximum(ctx.mag - C["a4"], 0.0)
              + C["a5"] * np.maximum(ctx.mag - C["a6"], 0.0)
              + C["a7"] * np.log(ctx.ztor + 1.0) + C["a8"] * interface)
    d_a, d_b, c_m, c_k = volcanic_terms(ctx.hypo_lon, ctx.hypo_lat, ctx.lon, ctx.lat,
                                        ctx.rrup)
    h = 10.0 ** saturation_log10_h(C, ctx.mag)
    path = ((C["b1"] + C["b2"] * interface) * np.log(np.sqrt(ctx.rrup ** 2 + h ** 2))
            + C["b3b"] * d_a + C["b3f"] * d_b + C["b4m"] * c_m + C["b4k"] * c_k)
    linear = source + path + C["c1"] * np.log(ctx.vs30)
    nonlinear = C["c2"] * (np.exp(C["c3"] * (np.minimum(ctx.vs30, VS_LIN) - VS_NL))
                           - np.exp(C["c3"] * (VS_LIN - VS_NL)))
    return linear + nonlinear * np.log((np.exp(linear) + C["c4"]) / C["c4"])


class BahrampouriEtAl2021Asc(GMPE):
    """Bahrampouri et al. (2021), Arias intensity in active shallow crust."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["IA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["lat", "lon", "vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["hypo_lat", "hypo_lon", "mag", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS = coeffs_table(__file__, "bahrampouri_2021", "asc.csv")
    #: 1 for the subduction interface, 0 otherwise
    INTERFACE = 0.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = ln_ia(C, ctx, self.INTERFACE)
            sig[m] = C["sig"]
            tau[m] = C["tau"]
            phi[m] = np.sqrt(C["phi_ss"] ** 2 + C["phi_s2s"] ** 2)


class BahrampouriEtAl2021SInter(BahrampouriEtAl2021Asc):
    """Bahrampouri et al. (2021), Arias intensity on subduction interfaces."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    COEFFS = coeffs_table(__file__, "bahrampouri_2021", "subduction.csv")
    INTERFACE = 1.0


class BahrampouriEtAl2021SSlab(BahrampouriEtAl2021SInter):
    """Bahrampouri et al. (2021), Arias intensity in subduction slabs."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    INTERFACE = 0.0
