"""Boore, Stewart, Seyhan and Atkinson (2014): NGA-West2 model (BSSA14).

Boore, D. M., Stewart, J. P., Seyhan, E. and Atkinson, G. M. (2014). NGA-West2 equations
for predicting PGA, PGV, and 5% damped PSA for shallow crustal earthquakes. Earthquake
Spectra, 30(3), 1057-1085.

ln Y = F_E(M, mech) + F_P(Rjb, M) + F_S(Vs30, PGAr)  (eq. 1): source function F_E
(eq. 2), path function F_P with the global Dc3 (eqs. 3-4) and site function F_S
(eqs. 5-8) without basin term (the default, "nobasin", form). The non-linear site term
is driven by PGAr, the median PGA on rock (Vs30 = 760 m/s). Aleatory variability from
eqs. 9-11 (tau and phi depend on M; phi also on Rjb and Vs30).

The regional-attenuation forms use the Dc3 of the high-Q (China, Turkey) or low-Q
(Italy, Japan) regions of the supplement (the low-Q table also carries its own basin
coefficients f6, f7 at long periods).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias, check_choice, check_flag, check_number,
    coeffs_table, faulting_style_30)
from oqcore.hazard.gsim.chiou_youngs_2014 import mean_z1pt0 as cy14_mean_z1pt0
from oqcore.hazard.gsim.nga_west2_usgs import (CYBERSHAKE_OFFSET, cybershake_coeffs,
                                               epistemic_sigma, z1pt0_basin_factor)
from oqcore.hazard.imt import PGA

#: reference magnitude and distance (km) of the path function
MREF = 4.5
RREF = 1.0
#: reference rock velocity (m/s)
VREF = 760.0
#: non-linear site term constants: f1 (ln units) and f3 (g)
F1 = 0.0
F3 = 0.1
#: velocities (m/s) bounding the Vs30 dependence of phi
PHI_V1 = 225.0
PHI_V2 = 300.0
#: metres per kilometre (used by the basin term of the regional variants)
METRES_PER_KM = 1000.0
#: the basin term applies to SA from this period (s)
BASIN_TMIN = 0.65
#: basin regions: none (the default), California (CAL and CHN: the region does not change
#: the path term) and Japan z1.0 models
REGIONS = ("nobasin", "CAL", "CHN", "JPN")
#: magnitudes bounding the magnitude dependence of tau and phi
M_LOW_SIGMA = 4.5
M_HIGH_SIGMA = 5.5


def fault_type_dummies(rake):
    """(SS, NS, RS) dummies from rake (degrees).

    Strike-slip: |rake| <= 30 or 180 - |rake| <= 30; reverse 30 < rake < 150;
    normal otherwise. The unspecified class (e0) is not used as rake is known.
    """
    ss, ns, rs = faulting_style_30(rake)
    return ss.astype(float), ns.astype(float), rs.astype(float)


def source_term(C, mag, rake, sof: bool = True):
    """F_E of eq. 2 (ln units), hinged at Mh; ``sof=False``: unspecified mechanism (e0)."""
    dmag = mag - C["Mh"]
    if sof:
        ss, ns, rs = fault_type_dummies(rake)
        mech = C["e1"] * ss + C["e2"] * ns + C["e3"] * rs
    else:
        mech = C["e0"]
    return mech + np.where(mag <= C["Mh"], C["e4"] * dmag + C["e5"] * dmag ** 2,
                          C["e6"] * dmag)


def path_term(C, mag, rjb):
    """F_P of eq. 3 (ln units), R = sqrt(Rjb² + h²) km, global Dc3."""
    r = np.sqrt(rjb ** 2 + C["h"] ** 2)
    return ((C["c1"] + C["c2"] * (mag - MREF)) * np.log(r / RREF)
            + (C["c3"] + C["Dc3"]) * (r - RREF))


def site_linear(C, vs30):
    """ln F_lin of eq. 6: c ln(min(Vs30, Vc) / Vref)."""
    return C["c"] * np.log(np.minimum(vs30, C["Vc"]) / VREF)


def site_nonlinear(C, vs30, pga_rock):
    """ln F_nl of eqs. 7-8; ``pga_rock`` is PGAr in g, vs30 capped at 760 m/s."""
    vs = np.minimum(vs30, 760.0)
    f2 = C["f4"] * (np.exp(C["f5"] * (vs - 360.0)) - np.exp(C["f5"] * (760.0 - 360.0)))
    return F1 + f2 * np.log((pga_rock + F3) / F3)


def mean_z1pt0(vs30, region: str):
    """Centred z1.0 (km) from vs30 (m/s): the Japan model (eq. 12) for ``JPN``, the
    California one (eq. 11) otherwise."""
    return cy14_mean_z1pt0(vs30, region) / METRES_PER_KM  # the same relations as CY14


def basin_term(C, imt, vs30, z1pt0, region: str, usgs_scaling: bool = False,
               cybershake=None):
    """F_dz1 of eq. 9 (ln units) for SA at periods from 0.65 s; zero otherwise.

    :param z1pt0: (N,) depths to 1 km/s in metres, -999 where unknown (the centred value)
    :param usgs_scaling: times the USGS z1.0 ramp, unknown depths taking the centred one
    :param cybershake: None, or a record (f6cy, f7cy, dz1cy) of the USGS CyberShake
        adjustment, whose term is the same at every site: f6cy dz1cy if dz1cy <= f6cy,
        else f7cy, plus 0.1
    """
    if imt.name != "SA" or imt.period < BASIN_TMIN:
        return np.zeros_like(vs30)
    mu = mean_z1pt0(vs30, region)
    if cybershake is None:
        dz1 = np.where(z1pt0 == -999, 0.0, z1pt0 / METRES_PER_KM - mu)
        term = np.where(dz1 <= C["f7"] / C["f6"], C["f6"] * dz1, C["f7"])
    else:
        f6, f7, dz1 = cybershake["f6cy"], cybershake["f7cy"], cybershake["dz1cy"]
        term = np.full_like(vs30, (f6 * dz1 if dz1 <= f6 else f7) + CYBERSHAKE_OFFSET)
    if usgs_scaling:
        z1 = np.where(z1pt0 == -999, mu * METRES_PER_KM, z1pt0)
        term = term * z1pt0_basin_factor(imt, z1)
    return term


def magnitude_interpolation(mag, low, high):
    """Value ``low`` below M 4.5, ``high`` above M 5.5, linear in M between."""
    frac = np.clip(mag - M_LOW_SIGMA, 0.0, M_HIGH_SIGMA - M_LOW_SIGMA)
    return np.where(mag <= M_LOW_SIGMA, low,
                    np.where(mag >= M_HIGH_SIGMA, high, low + (high - low) * frac))


def between_event_std(C, mag):
    """tau(M) of eq. 10."""
    return magnitude_interpolation(mag, C["tau1"], C["tau2"])


def within_event_std(C, mag, rjb, vs30):
    """phi(M, Rjb, Vs30) of eq. 11 (table columns f1, f2 are phi1, phi2)."""
    phi = magnitude_interpolation(mag, C["f1"], C["f2"])
    rfrac = np.log(np.clip(rjb, C["R1"], C["R2"]) / C["R1"]) / np.log(C["R2"] / C["R1"])
    phi = phi + C["DfR"] * np.where(rjb <= C["R1"], 0.0,
                                    np.where(rjb > C["R2"], 1.0, rfrac))
    vfrac = (np.log(PHI_V2 / np.clip(vs30, PHI_V1, PHI_V2))
             / np.log(PHI_V2 / PHI_V1))
    return phi - C["DfV"] * np.where(vs30 >= PHI_V2, 0.0,
                                     np.where(vs30 <= PHI_V1, 1.0, vfrac))


class BooreEtAl2014(GMPE):
    """BSSA14, RotD50 component, global model without basin term."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake"])
    REQUIRES_DISTANCES = frozenset(["rjb"])

    #: electronic supplement coefficients (e0..e6, Mh, c1..c3, h, Dc3, c, Vc, f4..f7,
    #: R1, R2, DfR, DfV, f1 = phi1, f2 = phi2, tau1, tau2)
    COEFFS = coeffs_table(__file__, "boore_2014", "COEFFS.csv")

    #: region: the basin model ("nobasin": none; "CAL", "JPN": z1.0 centred on the
    #: California or Japan model); sof: whether the mechanism is used (else e0);
    #: sigma_mu_epsilon: ε of the USGS epistemic shift ε σμ(M, rrup) of the ln-mean (needs
    #: rrup); usgs_basin_scaling: the basin term times the USGS z1.0 ramp (needs a basin);
    #: cybershake_basin_adj: the USGS CyberShake basin term above 1.9 s (with a basin)
    ARGUMENTS = {"region": "nobasin", "sof": True, "sigma_mu_epsilon": 0.0,
                 "usgs_basin_scaling": False, "cybershake_basin_adj": False}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, REGIONS)
        if self.sof not in (True, False, 0, 1):
            raise InvalidInput("%s: sof must be true or false, got %r" % (name, self.sof))
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        check_flag(name, "usgs_basin_scaling", self.usgs_basin_scaling)
        check_flag(name, "cybershake_basin_adj", self.cybershake_basin_adj)
        if self.usgs_basin_scaling and self.region == "nobasin":
            raise InvalidInput('%s: usgs_basin_scaling needs a basin region ("CAL", "CHN" '
                               'or "JPN")' % name)
        if self.region != "nobasin":
            self.REQUIRES_SITES_PARAMETERS = type(self).REQUIRES_SITES_PARAMETERS | {"z1pt0"}
        if self.sigma_mu_epsilon:
            self.REQUIRES_DISTANCES = type(self).REQUIRES_DISTANCES | {"rrup"}

    def compute(self, ctx, imts, mean, sig, tau, phi):
        C_pga = self.COEFFS[PGA]
        sof = bool(self.sof)
        # median PGA (g) on rock, Vs30 = 760 m/s (site terms vanish there)
        pga_rock = np.exp(source_term(C_pga, ctx.mag, ctx.rake, sof)
                          + path_term(C_pga, ctx.mag, ctx.rjb))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (source_term(C, ctx.mag, ctx.rake, sof)
                       + path_term(C, ctx.mag, ctx.rjb)
                       + site_linear(C, ctx.vs30)
                       + site_nonlinear(C, ctx.vs30, pga_rock))
            if self.region != "nobasin":
                cybershake = (cybershake_coeffs("BSSA14", imt)
                              if self.cybershake_basin_adj else None)
                mean[m] += basin_term(C, imt, ctx.vs30, ctx.z1pt0, self.region,
                                      self.usgs_basin_scaling, cybershake)
            if self.sigma_mu_epsilon:
                mean[m] += self.sigma_mu_epsilon * epistemic_sigma(ctx.mag, ctx.rrup)
            tau[m] = between_event_std(C, ctx.mag)
            phi[m] = within_event_std(C, ctx.mag, ctx.rjb, ctx.vs30)
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class BooreEtAl2014HighQ(BooreEtAl2014):
    """BSSA14 with the Dc3 of high-Q regions (China, Turkey)."""

    COEFFS = coeffs_table(__file__, "boore_2014", "COEFFS_HIGHQ.csv")


class BooreEtAl2014LowQ(BooreEtAl2014):
    """BSSA14 with the Dc3 of low-Q regions (Italy, Japan)."""

    COEFFS = coeffs_table(__file__, "boore_2014", "COEFFS_LOWQ.csv")


#: named forms of the three Dc3 variants: basin model and use of the mechanism
_FORMS = {"CaliforniaBasin": {"region": "CAL"},
          "CaliforniaBasinNoSOF": {"region": "CAL", "sof": False},
          "JapanBasin": {"region": "JPN"},
          "JapanBasinNoSOF": {"region": "JPN", "sof": False},
          "NoSOF": {"sof": False}}
for _base in (BooreEtAl2014, BooreEtAl2014HighQ, BooreEtAl2014LowQ):
    for _suffix, _fixed in _FORMS.items():
        _name = _base.__name__ + _suffix
        globals()[_name] = alias(_name, _base, __name__, **_fixed)
