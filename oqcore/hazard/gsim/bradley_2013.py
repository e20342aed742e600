"""Bradley (2013): New Zealand model for active shallow crust, and its Christchurch forms.

Bradley, B. A. (2013). A New Zealand-specific pseudospectral acceleration ground-motion
prediction equation for active shallow crustal earthquakes based on foreign models.
Bulletin of the Seismological Society of America, 103(3), 1801-1822.
Bradley, B. A. (2013b). Systematic ground motion observations in the Canterbury
earthquakes and region-specific non-ergodic empirical ground motion modelling.
University of Canterbury Research Report 2013-03 (Christchurch forms, eq. 19, Tables 3-8).

The Chiou and Youngs (2008) form with New Zealand changes: a cap c8 on the ztor term and
an anelastic term scaled in the Taupo Volcanic Zone (``Volc``: the whole path, Rtvz =
Rrup). ln y_ref (eq. 4) on rock, then (eq. 5)

ln y = ln y_ref + φ1 ln(min(vs30, V1) / 1130)
       + φ2 [e^(φ3 (min(vs30, 1130) - 360)) - e^(φ3 770)] ln((y_ref + φ4) / φ4) + f_basin,

f_basin = φ5 (1 - 1 / cosh(φ6 max(z1 - φ7, 0))) + φ8 / cosh(0.15 max(z1 - 15, 0)),
z1 (m) from vs30 (Chiou and Youngs 2008) where unknown (-999). Standard deviations as
Chiou and Youngs (2008) with NL = b y_ref / (y_ref + φ4).

Variants: ``LHC`` converts to the larger horizontal component (Boore and Kishida, 2017);
``AdditionalSigma`` adds 0.35 of epistemic σ (Gerstenberger et al., 2014); the
``bChch*`` forms fix vs30 = 250 m/s, z1 = 330 m and add the Christchurch dL2L and the
sub-region dS2S with the sigma reduction factors; ``bChchMaps`` does so only for sites in
the Christchurch central city (CBD) polygon and ruptures inside the Canterbury seismic
hazard model region (rupture parameter ``in_cshm``), as in Van Houtte and Abbott (2019).
"""
from __future__ import annotations

import numpy as np
import shapely

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_number, coeffs_table)
from oqcore.hazard.gsim.chiou_youngs_2008 import default_z1pt0
from oqcore.hazard.gsim.nga_west2_usgs import epistemic_sigma

#: reference rock vs30 (m/s) and the centre of the non-linear term
VS_ROCK, VS_NL = 1130.0, 360.0
#: V1 (m/s) at PGA, and the bounds of V1 at other periods
V1_PGA, V1_MAX = 1800.0, 1800.0
#: added epistemic σ of the AdditionalSigma forms (Gerstenberger et al., 2014)
ADDITIONAL_SIGMA = 0.35
#: Christchurch baseline site: vs30 (m/s) and z1.0 (m) of the bChch forms
CHCH_VS30, CHCH_Z1 = 250.0, 330.0
#: Christchurch central city ("CBD") polygon: (lon, lat) vertices, degrees
CBD_POLYGON = [(172.6259, -43.5209), (172.6505, -43.5209), (172.6505, -43.5399),
               (172.6124, -43.5400), (172.6123, -43.5289), (172.6124, -43.5245),
               (172.6220, -43.5233)]
#: Boore and Kishida (2017) GMRotI50 -> larger component ratios: periods (s) and ratios
LHC_T = (0.08, 0.56, 4.40, 8.70)
LHC_R = (1.106, 1.158, 1.178, 1.241, 1.241)



def _piecewise(period: float, knots, values, outside: float) -> float:
    """Linear interpolation in period between ``knots`` (s) of ``values``; flat pieces
    are knots repeated; ``outside`` beyond the last knot (10 s)."""
    if period > knots[-1]:
        return outside
    return float(np.interp(period, knots, values))


def dl2l(period: float) -> float:
    """Christchurch between-event term dL2L (Table 3)."""
    return _piecewise(period, (0.0, 0.18, 0.35, 10.0), (-0.06, -0.06, 0.12, 0.65), 0.0)


#: sub-region site terms dS2S (Table 4 for the CBD; the others digitised from Figs. 8a-10a)
DS2S = {
    "CBD": ((0.0, 0.15, 0.45, 3.2, 5.0, 10.0), (0.05, -0.15, 0.4, 0.4, 0.08, 0.08)),
    "West": ((0.0, 0.85, 1.4, 3.2, 5.0, 10.0), (-0.2, -0.55, -0.18, -0.18, 0.22, 0.22)),
    "East": ((0.0, 0.25, 1.5, 10.0), (0.05, 0.05, 0.15, 0.1)),
    "North": ((0.0, 0.2, 0.6, 10.0), (-0.31, -0.4, 0.2, 0.2)),
}


def ds2s(region: str, period: float) -> float:
    """Christchurch site term dS2S of a sub-region."""
    knots, values = DS2S[region]
    return _piecewise(period, knots, values, 0.0)


def srf_sigma(period: float) -> float:
    """Reduction factor of σ and φ (Tables 7-8)."""
    return _piecewise(period, (0.0, 0.6, 1.0, 10.0), (0.8, 0.8, 0.7, 0.6), 1.0)


def srf_tau(period: float) -> float:
    """Reduction factor of τ (Table 6)."""
    return _piecewise(period, (0.0, 1.0, 5.0, 10.0), (0.87, 0.87, 0.58, 0.58), 1.0)


def to_larger_component(period: float) -> float:
    """ln of the GMRotI50 to larger-component ratio (Boore and Kishida, 2017)."""
    t = period or 0.01
    (t1, t2, t3, t4), (r1, r2, r3, r4, r5) = LHC_T, LHC_R
    a = min(r1 + (r2 - r1) / np.log(t2 / t1) * np.log(t / t1),
            r2 + (r3 - r2) / np.log(t3 / t2) * np.log(t / t2))
    b = min(r3 + (r4 - r3) / np.log(t4 / t3) * np.log(t / t3), r5)
    return float(np.log(max(r1, a, b)))


def in_polygon(lons, lats, vertices) -> np.ndarray:
    """Boolean (N,): the points strictly inside the polygon of (lon, lat) vertices."""
    poly = shapely.geometry.Polygon(vertices)
    return np.asarray(shapely.contains_xy(poly, np.asarray(lons, float),
                                          np.asarray(lats, float)), bool)


def ln_y_ref(C, ctx, volcanic: bool):
    """ln of the median (g) on rock, vs30 = 1130 m/s (eq. 4), (N,)."""
    mag, rrup, ztor, rake = ctx.mag, ctx.rrup, ctx.ztor, ctx.rake
    f_rv = ((rake >= 30.0) & (rake <= 150.0)).astype(float)
    f_nm = ((rake >= -120.0) & (rake <= -60.0)).astype(float)
    f_hw = (ctx.rx >= 0.0).astype(float)
    r_tvz = rrup if volcanic else 0.0
    return (C["c1"] + C["c1a"] * f_rv + C["c1b"] * f_nm
            + C["c7"] * (np.minimum(ztor, C["c8"]) - 4.0)
            + C["c2"] * (mag - 6.0)
            + (C["c2"] - C["c3"]) / C["cn"] * np.log(1.0 + np.exp(C["cn"] * (C["cm"] - mag)))
            + C["c4"] * np.log(rrup + C["c5"] * np.cosh(C["c6"] * np.maximum(mag - C["chm"], 0)))
            + (C["c4a"] - C["c4"]) * np.log(np.sqrt(rrup ** 2 + C["crb"] ** 2))
            + (C["cg1"] + C["cg2"] / np.cosh(np.maximum(mag - C["cg3"], 0.0)))
            * (1.0 + C["ctvz"] * r_tvz / rrup) * rrup
            + C["c9"] * f_hw * np.tanh(ctx.rx * np.cos(np.radians(ctx.dip)) ** 2 / C["c9a"])
            * (1.0 - np.sqrt(ctx.rjb ** 2 + ztor ** 2) / (rrup + 0.001)))


def v1(period: float) -> float:
    """V1 (m/s): 1800 at PGA, 1130 (T / 0.75)^-0.11 within 1130-1800 otherwise."""
    if period == 0:
        return V1_PGA
    return float(np.clip(VS_ROCK * (period / 0.75) ** -0.11, VS_ROCK, V1_MAX))


class Bradley2013(GMPE):
    """Bradley (2013), NZ active shallow crust (no Taupo Volcanic Zone path).

    Argument ``sigma_mu_epsilon``: adds ε times the epistemic σ of the NZ database to
    the ln-mean.
    """

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "rake", "mag", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rrup", "rjb", "rx"])
    ARGUMENTS = {"sigma_mu_epsilon": 0.0}

    COEFFS = coeffs_table(__file__, "bradley_2013", "COEFFS.csv")
    VOLCANIC = False
    ADDITIONAL_SIGMA = 0.0
    #: whether the median is converted to the larger horizontal component
    LARGER_COMPONENT = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        check_number(type(self).__name__, "sigma_mu_epsilon", self.sigma_mu_epsilon)

    def site_conditions(self, ctx):
        """(vs30 (m/s), z1.0 (m, -999 unknown)) used by the model, (N,) each."""
        return np.asarray(ctx.vs30, float), np.asarray(ctx.z1pt0, float)

    def adjustments(self, period, ctx):
        """(additive ln-mean term, σ/φ reduction factor, τ reduction factor)."""
        return 0.0, 1.0, 1.0

    def compute(self, ctx, imts, mean, sig, tau, phi):
        vs30, z1 = self.site_conditions(ctx)
        z1 = np.where(z1 == -999.0, default_z1pt0(vs30), z1)
        measured = np.asarray(ctx.vs30measured, bool)
        mag_frac = np.clip(ctx.mag - 5.0, 0.0, 2.0) / 2.0
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            period = imt.period or 0.0
            ln_ref = ln_y_ref(C, ctx, self.VOLCANIC)
            y_ref = np.exp(ln_ref)
            b = C["phi2"] * (np.exp(C["phi3"] * (np.minimum(vs30, VS_ROCK) - VS_NL))
                             - np.exp(C["phi3"] * (VS_ROCK - VS_NL)))
            basin = (C["phi5"] * (1.0 - 1.0 / np.cosh(C["phi6"] * np.maximum(z1 - C["phi7"], 0)))
                     + C["phi8"] / np.cosh(0.15 * np.maximum(z1 - 15.0, 0.0)))
            mean[m] = (ln_ref + C["phi1"] * np.log(np.minimum(vs30, v1(period)) / VS_ROCK)
                       + b * np.log((y_ref + C["phi4"]) / C["phi4"]) + basin)
            if self.sigma_mu_epsilon:
                mean[m] += self.sigma_mu_epsilon * epistemic_sigma(ctx.mag, ctx.rrup)
            shift, f_sig, f_tau = self.adjustments(period, ctx)
            mean[m] += shift
            if self.LARGER_COMPONENT:
                mean[m] += to_larger_component(period)
            # standard deviations (Chiou and Youngs 2008, eqs. 19-21)
            nl = b * y_ref / (y_ref + C["phi4"])
            t = C["tau1"] + (C["tau2"] - C["tau1"]) * mag_frac
            s = ((C["sig1"] + (C["sig2"] - C["sig1"]) * mag_frac)
                 * np.sqrt(np.where(measured, 0.7, C["sig3"]) + (1.0 + nl) ** 2))
            extra = self.ADDITIONAL_SIGMA
            total = np.sqrt((1.0 + nl) ** 2 * t ** 2 + s ** 2) * f_sig
            sig[m] = np.sqrt(total ** 2 + extra ** 2)
            phi[m] = np.sqrt((s * f_sig) ** 2 + extra ** 2 / 2.0)
            tau[m] = np.sqrt((np.abs((1.0 + nl) * t) * f_tau) ** 2 + extra ** 2 / 2.0)


class Bradley2013Volc(Bradley2013):
    """Bradley (2013) for paths across the Taupo Volcanic Zone (Rtvz = Rrup)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    VOLCANIC = True


class Bradley2013LHC(Bradley2013):
    """Bradley (2013) for the larger of the two horizontal components."""

    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Greater of two horizontal"
    LARGER_COMPONENT = True


class Bradley2013VolcLHC(Bradley2013LHC):
    """:class:`Bradley2013LHC` for paths across the Taupo Volcanic Zone."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    VOLCANIC = True


class Bradley2013AdditionalSigma(Bradley2013LHC):
    """:class:`Bradley2013LHC` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA


class Bradley2013bChchCBD(Bradley2013LHC):
    """Bradley (2013b), Christchurch central city: every site on the baseline
    vs30 = 250 m/s, z1 = 330 m, plus dL2L and the CBD dS2S, reduced σ, φ and τ."""

    REGION = "CBD"
    #: the Christchurch forms take no epistemic shift
    ARGUMENTS: dict = {}
    sigma_mu_epsilon = 0.0

    def site_conditions(self, ctx):
        n = len(ctx)
        return np.full(n, CHCH_VS30), np.full(n, CHCH_Z1)

    def adjustments(self, period, ctx):
        return dl2l(period) + ds2s(self.REGION, period), srf_sigma(period), srf_tau(period)


class Bradley2013bChchWest(Bradley2013bChchCBD):
    """Bradley (2013b), extended western suburbs."""

    REGION = "West"


class Bradley2013bChchEast(Bradley2013bChchCBD):
    """Bradley (2013b), eastern suburbs."""

    REGION = "East"


class Bradley2013bChchNorth(Bradley2013bChchCBD):
    """Bradley (2013b), northern suburbs."""

    REGION = "North"


class Bradley2013bChchCBDAdditionalSigma(Bradley2013bChchCBD):
    """:class:`Bradley2013bChchCBD` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA


class Bradley2013bChchWestAdditionalSigma(Bradley2013bChchWest):
    """:class:`Bradley2013bChchWest` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA


class Bradley2013bChchEastAdditionalSigma(Bradley2013bChchEast):
    """:class:`Bradley2013bChchEast` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA


class Bradley2013bChchNorthAdditionalSigma(Bradley2013bChchNorth):
    """:class:`Bradley2013bChchNorth` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA


class Bradley2013bChchMaps(Bradley2013bChchCBD):
    """Bradley (2013b) for hazard maps: the CBD model at sites inside the central city
    polygon (baseline vs30 and z1 there), the larger-component Bradley (2013) elsewhere;
    the CBD terms and σ/φ reductions only for ruptures with ``in_cshm``.

    As OpenQuake 3.26.2 evaluates it, the CBD adjustment is twice dS2S (its dL2L is
    overwritten by dS2S) and τ is not reduced; reproduced here for consistency with its
    hazard results.
    """

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "vs30measured", "z1pt0", "lon", "lat"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["dip", "rake", "mag", "ztor", "in_cshm"])

    def site_conditions(self, ctx):
        cbd = in_polygon(ctx.lon, ctx.lat, CBD_POLYGON)
        return (np.where(cbd, CHCH_VS30, np.asarray(ctx.vs30, float)),
                np.where(cbd, CHCH_Z1, np.asarray(ctx.z1pt0, float)))

    def adjustments(self, period, ctx):
        if "in_cshm" not in ctx.dtype.names:
            raise InvalidInput("%s needs the rupture parameter in_cshm (whether the rupture "
                               "touches the Canterbury region), which these contexts lack"
                               % type(self).__name__)
        both = in_polygon(ctx.lon, ctx.lat, CBD_POLYGON) & np.asarray(ctx.in_cshm, bool)
        return (np.where(both, 2.0 * ds2s(self.REGION, period), 0.0),
                np.where(both, srf_sigma(period), 1.0), 1.0)


class Bradley2013bChchMapsAdditionalSigma(Bradley2013bChchMaps):
    """:class:`Bradley2013bChchMaps` with 0.35 of additional epistemic σ."""

    ADDITIONAL_SIGMA = ADDITIONAL_SIGMA
