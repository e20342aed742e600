"""Zhao et al. (2006): crustal, subduction interface and intraslab earthquakes in Japan.

Zhao, J. X., Zhang, J., Asano, A., Ohno, Y., Oouchi, T., Takahashi, T., Ogawa, H.,
Irikura, K., Thio, H. K., Somerville, P. G., Fukushima, Y. and Fukushima, Y. (2006).
Attenuation relations of strong ground motion in Japan using site classification based
on predominant period. Bulletin of the Seismological Society of America, 96(3), 898-913.

The model (eq. 1 of the paper) gives the natural logarithm of the median acceleration
in cm/s²::

    ln y = a Mw + b x - ln(x + c exp(d Mw)) + e (h - hc) δh + FR + SI + SS + SSL ln(x)
           + Ck + P (Mw - MC) + Q (Mw - MC)² + W

with x = rrup (km), h the focal depth (km, capped at 125 km), hc = 15 km, δh = 1 for
h >= hc, Ck the site-class term and the last three terms the magnitude-squared
correction of each tectonic type (eq. 5).

The NSHMP forms of the USGS maps: the 2008 interface form (``zhao`` of ``hazSUBXnga.f``)
fixes the focal depth at 20 km and uses the inter-event sigma of Table 5 of the paper;
the 2014 intraslab form caps the magnitude at 7.8 in every term.

The Cascadia forms multiply the median of the interface and intraslab equations by the
Japan-to-Cascadia factors of Atkinson (2012, white paper on GMPEs for the 2015 US maps);
the SGS crustal form (Saudi Geological Survey) sets rupture distances below 5 km to 5 km.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN_CMS2_PER_G, TOTAL, coeffs_table, check_flag)

#: ln of the factor turning cm/s² into g (g = 9.80665 m/s²)
#: depth coefficient hc (km) of the focal-depth term, p. 902
HC = 15.0
#: focal depths (km) are capped at this value, p. 901
MAX_DEPTH = 125.0
#: reference magnitude MC of the magnitude-squared term: crustal and interface, slab
MC_ASC = 6.3
MC_SINTER = 6.3
MC_SSLAB = 6.5
#: rrup (km) replacing a zero distance in the slab model (in every distance term)
MIN_RRUP_SSLAB = 0.1
#: rake range (degrees, both bounds excluded) of reverse faulting
REVERSE_RAKE = (45.0, 135.0)
#: site-class boundaries on vs30 (m/s): hard rock > 1100 >= SC I > 600 >= SC II > 300
#: >= SC III > 200 >= SC IV (Table 2 of the paper)
SITE_CLASS_VS30 = (1100.0, 600.0, 300.0, 200.0)


def _site_term(C, vs30):
    """Site-class term Ck: vs30 on a boundary belongs to the softer class."""
    hard, sc1, sc2, sc3 = SITE_CLASS_VS30
    return np.select([vs30 > hard, vs30 > sc1, vs30 > sc2, vs30 > sc3],
                     [C["CH"], C["C1"], C["C2"], C["C3"]], C["C4"])


def path_term(C, mag, rrup, hypo_depth):
    """Magnitude, distance and focal-depth terms (ln cm/s²)."""
    h = np.clip(hypo_depth, 0.0, MAX_DEPTH)
    depth = np.where(h >= HC, C["e"] * (h - HC), 0.0)
    return (C["a"] * mag + C["b"] * rrup - np.log(rrup + C["c"] * np.exp(C["d"] * mag))
            + depth)


def _base_term(C, mag, rrup, hypo_depth, vs30):
    """Terms common to the three tectonic types (ln cm/s²), with no faulting term."""
    return path_term(C, mag, rrup, hypo_depth) + _site_term(C, vs30)


def mag_squared_term(P, Q, W, MC, mag):
    """Magnitude-squared correction P (M - MC) + Q (M - MC)² + W (eq. 5)."""
    dm = mag - MC
    return P * dm + Q * dm ** 2 + W


def _set_stddevs(m, sigma, tau_value, sig, tau, phi):
    """Intra-event sigma, inter-event tau and their quadratic sum."""
    phi[m] = sigma
    tau[m] = tau_value
    sig[m] = np.sqrt(sigma ** 2 + tau_value ** 2)


class ZhaoEtAl2006Asc(GMPE):
    """Zhao et al. (2006) for active shallow crust (crustal events)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 800
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_ASC = coeffs_table(__file__, "zhao_2006", "COEFFS_ASC.csv")

    #: the US 2023 NSHM basin adjustments (CB14 basin term, M9 deep-basin factor)
    ARGUMENTS = {"cb14_basin_term": False, "m9_basin_term": False}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in self.ARGUMENTS:
            check_flag(type(self).__name__, name, getattr(self, name))
        if self.cb14_basin_term or self.m9_basin_term:
            self.REQUIRES_SITES_PARAMETERS = type(self).REQUIRES_SITES_PARAMETERS | {"z2pt5"}

    def _basin(self, ctx, imt):
        """The basin adjustment (ln units, (N,)) or 0."""
        if not (self.cb14_basin_term or self.m9_basin_term):
            return 0.0
        from oqcore.hazard.gsim.site_terms import us23_basin_term
        return us23_basin_term(ctx, imt, self.cb14_basin_term, self.m9_basin_term)

    #: rupture distances below this are set to it (km)
    NEAR_CUTOFF = 0.0
    #: multiplicative site factors per IMT (column MF) applied to the median, or None
    SITE_FACTORS = None

    def _site_factor(self, imt) -> float:
        """ln of the regional site factor of ``imt`` (0 without one)."""
        if self.SITE_FACTORS is None:
            return 0.0
        return float(np.log(self.SITE_FACTORS[imt]["MF"]))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        reverse = (ctx.rake > REVERSE_RAKE[0]) & (ctx.rake < REVERSE_RAKE[1])
        rrup = np.maximum(ctx.rrup, self.NEAR_CUTOFF)
        for m, imt in enumerate(imts):
            C = self.COEFFS_ASC[imt]
            ln_y = (_base_term(C, ctx.mag, rrup, ctx.hypo_depth, ctx.vs30)
                    + np.where(reverse, C["FR"], 0.0)
                    + mag_squared_term(0.0, C["QC"], C["WC"], MC_ASC, ctx.mag))
            mean[m] = ln_y - LN_CMS2_PER_G + self._basin(ctx, imt)
            _set_stddevs(m, C["sigma"], C["tauC"], sig, tau, phi)


class ZhaoEtAl2006SInter(ZhaoEtAl2006Asc):
    """Zhao et al. (2006) for subduction interface events (no faulting term)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])

    COEFFS_SINTER = coeffs_table(__file__, "zhao_2006", "COEFFS_SINTER.csv")
    #: focal depth (km) used instead of the rupture's, or None to use the rupture's
    FIXED_DEPTH: float | None = None

    def compute(self, ctx, imts, mean, sig, tau, phi):
        depth = ctx.hypo_depth if self.FIXED_DEPTH is None else self.FIXED_DEPTH
        for m, imt in enumerate(imts):
            C, CI = self.COEFFS_ASC[imt], self.COEFFS_SINTER[imt]
            ln_y = (_base_term(C, ctx.mag, ctx.rrup, depth, ctx.vs30) + CI["SI"]
                    + self._site_factor(imt)
                    + mag_squared_term(0.0, CI["QI"], CI["WI"], MC_SINTER, ctx.mag))
            mean[m] = ln_y - LN_CMS2_PER_G + self._basin(ctx, imt)
            _set_stddevs(m, C["sigma"], CI["tauI"], sig, tau, phi)


class ZhaoEtAl2006SSlab(ZhaoEtAl2006Asc):
    """Zhao et al. (2006) for subduction intraslab events.

    A zero rrup is replaced by 0.1 km (the slab term SSL ln(x) is singular there).
    The magnitude is not capped: OpenQuake 3.26.2 evaluates every term with the
    context's own magnitude, also above 7.8 (its verification values for M 7.8-8.5
    agree only without a cap).
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])

    COEFFS_SSLAB = coeffs_table(__file__, "zhao_2006", "COEFFS_SSLAB.csv")
    #: magnitude cap applied in every term, or None
    MAX_MAG: float | None = None

    def compute(self, ctx, imts, mean, sig, tau, phi):
        rrup = np.where(ctx.rrup == 0.0, MIN_RRUP_SSLAB, ctx.rrup)
        ln_x = np.log(rrup)
        mag = ctx.mag if self.MAX_MAG is None else np.minimum(ctx.mag, self.MAX_MAG)
        for m, imt in enumerate(imts):
            C, CS = self.COEFFS_ASC[imt], self.COEFFS_SSLAB[imt]
            ln_y = (_base_term(C, mag, rrup, ctx.hypo_depth, ctx.vs30)
                    + CS["SS"] + CS["SSL"] * ln_x + self._site_factor(imt)
                    + mag_squared_term(CS["PS"], CS["QS"], CS["WS"], MC_SSLAB, mag))
            mean[m] = ln_y - LN_CMS2_PER_G + self._basin(ctx, imt)
            _set_stddevs(m, C["sigma"], CS["tauS"], sig, tau, phi)


class ZhaoEtAl2006SInterNSHMP2008(ZhaoEtAl2006SInter):
    """Zhao et al. (2006) interface events as the USGS 2008 maps use them: focal depth
    20 km, inter-event sigma of Table 5."""

    COEFFS_SINTER = coeffs_table(__file__, "zhao_2006", "COEFFS_SINTER_NSHMP2008.csv")
    FIXED_DEPTH = 20.0


class ZhaoEtAl2006SSlabNSHMP2014(ZhaoEtAl2006SSlab):
    """Zhao et al. (2006) intraslab events as the USGS 2014 maps use them: magnitude
    capped at 7.8."""

    MAX_MAG = 7.8


class ZhaoEtAl2006SInterCascadia(ZhaoEtAl2006SInter):
    """Zhao et al. (2006) interface events with the Cascadia site factors."""

    SITE_FACTORS = coeffs_table(__file__, "zhao_2006", "CASCADIA_SITE_FACTORS.csv")


class ZhaoEtAl2006SSlabCascadia(ZhaoEtAl2006SSlab):
    """Zhao et al. (2006) intraslab events with the Cascadia site factors."""

    SITE_FACTORS = coeffs_table(__file__, "zhao_2006", "CASCADIA_SITE_FACTORS.csv")


class ZhaoEtAl2006AscSGS(ZhaoEtAl2006Asc):
    """Zhao et al. (2006) crustal events with rupture distances below 5 km set to 5 km
    (Saudi Geological Survey national model)."""

    NEAR_CUTOFF = 5.0
