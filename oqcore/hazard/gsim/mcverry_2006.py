"""McVerry et al. (2006): New Zealand crustal, subduction and volcanic-path earthquakes.

McVerry, G. H., Zhao, J. X., Abrahamson, N. A. and Somerville, P. G. (2006). New Zealand
acceleration response spectrum attenuation relations for crustal and subduction zone
earthquakes. Bulletin of the New Zealand Society for Earthquake Engineering, 39(1), 1-58.

Natural logarithm of the median in g on site class A/B (rock):

* crustal (eq. 1): c1 + c4as (M - 6) + c3as (8.5 - M)² + c5 r
  + (c8 + c6as (M - 6)) ln sqrt(r² + c10as²) + c46 rvol + c32 CN + c33as CR,
  CN = -1 for normal faulting (-147 < rake < -33), CR = 1 for reverse (67 < rake < 123)
  and 0.5 for reverse-oblique (33 < rake < 66); the hanging-wall term is not used
  (section 6.1);
* subduction (eq. 2): c11 + (c12y + (c15 - c17) c19y)(M - 6) + c13y (10 - M)³
  + c17 ln(r + c18y exp(c19y M)) + c20 Hc + c24 SI + c46 rvol (1 - DS), with SI = 1 for
  interface and DS = 1 for slab events;

with r = rrup (km), Hc the centroid (hypocentral) depth (km) and rvol the path length
through the volcanic zone: 0, except for the volcanic models, where it is rrup (as in the
Stirling et al. 2012 model). Soil classes C and D (eq. 4) add
c29 δC + (c30as ln(PGA'_AB + 0.03) + c43) δD, PGA'_AB the rock median of the same
coefficient set. Spectral accelerations are the primed (shape) model scaled by the
ratio of the unprimed and primed PGA: ln SA = ln SA' + ln PGA - ln PGA' (eq. 5).

The models named without ``SC`` derive the site class from vs30 (rock above 760 m/s,
C from 360 to 760, D below 360), the legacy implementation; the ``SC`` models read the
New Zealand site class (``siteclass`` A-E; C and D are soils, E is treated as rock, as
no model is given for it).

Standard deviations (eq. 8-9): intra-event sigmaM6 + sigSlope (M - 6) with M clipped to
5..7, inter-event tau.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, LN10, TOTAL, coeffs_table)
from oqcore.hazard.imt import PGA

#: vs30 bounds (m/s) of the site classes of the vs30-based models: rock above 760,
#: class C from 360 (included) to 760, class D below 360
VS30_ROCK, VS30_D = 760.0, 360.0


def fault_flags(rake: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CN (-1 for normal faulting) and CR (1 reverse, 0.5 reverse-oblique), (N,) each."""
    cn = np.where((rake > -147.0) & (rake < -33.0), -1.0, 0.0)
    cr = np.where((rake > 67.0) & (rake < 123.0), 1.0,
                  np.where((rake > 33.0) & (rake < 66.0), 0.5, 0.0))
    return cn, cr


def crustal_rock(C, mag, rrup, rvol, cn, cr) -> np.ndarray:
    """ln median on rock of crustal (and volcanic) events (eq. 1)."""
    return (C["c1"] + C["c4as"] * (mag - 6.0) + C["c3as"] * (8.5 - mag) ** 2
            + C["c5"] * rrup
            + (C["c8"] + C["c6as"] * (mag - 6.0)) * np.log(np.sqrt(rrup ** 2 + C["c10as"] ** 2))
            + C["c46"] * rvol + C["c32"] * cn + C["c33as"] * cr)


def subduction_rock(C, mag, rrup, hypo_depth, interface: bool) -> np.ndarray:
    """ln median on rock of subduction events (eq. 2); rvol is 0 for them."""
    return (C["c11"] + (C["c12y"] + (C["c15"] - C["c17"]) * C["c19y"]) * (mag - 6.0)
            + C["c13y"] * (10.0 - mag) ** 3
            + C["c17"] * np.log(rrup + C["c18y"] * np.exp(C["c19y"] * mag))
            + C["c20"] * hypo_depth + (C["c24"] if interface else 0.0))


def soil_term(C, ln_rock, delta_c, delta_d) -> np.ndarray:
    """The class C and D terms added to the rock median (eq. 4)."""
    return C["c29"] * delta_c + (C["c30as"] * np.log(np.exp(ln_rock) + 0.03)
                                 + C["c43"]) * delta_d


class McVerry2006Asc(GMPE):
    """McVerry et al. (2006), crustal events; site classes from vs30."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Greater of two horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake", "hypo_depth"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_PRIMED = coeffs_table(__file__, "mcverry_2006", "primed.csv")
    COEFFS_UNPRIMED = coeffs_table(__file__, "mcverry_2006", "unprimed.csv")
    COEFFS_STD = coeffs_table(__file__, "mcverry_2006", "stddevs.csv")

    #: 'crustal', 'volcanic', 'interface' or 'slab'
    EVENT = "crustal"

    def site_flags(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """δC, δD (1.0 for sites of class C, D), (N,) each."""
        vs30 = ctx.vs30
        return (((vs30 >= VS30_D) & (vs30 < VS30_ROCK)).astype(float),
                (vs30 < VS30_D).astype(float))

    def soil_flag(self, ctx) -> np.ndarray:
        """S: 1.0 where the soil term applies."""
        return (ctx.vs30 <= VS30_ROCK).astype(float)

    def ln_median(self, C, ctx, flags) -> np.ndarray:
        """ln median (g) with coefficient set C on the contexts' site classes."""
        s, delta_c, delta_d, cn, cr = flags
        if self.EVENT in ("crustal", "volcanic"):
            rvol = ctx.rrup if self.EVENT == "volcanic" else 0.0
            rock = crustal_rock(C, ctx.mag, ctx.rrup, rvol, cn, cr)
        else:
            rock = subduction_rock(C, ctx.mag, ctx.rrup, ctx.hypo_depth,
                                   self.EVENT == "interface")
        return rock + s * soil_term(C, rock, delta_c, delta_d)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        flags = (self.soil_flag(ctx),) + self.site_flags(ctx) + fault_flags(ctx.rake)
        ln_pga_ratio = (self.ln_median(self.COEFFS_UNPRIMED[PGA], ctx, flags)
                        - self.ln_median(self.COEFFS_PRIMED[PGA], ctx, flags))
        mag = np.clip(ctx.mag, 5.0, 7.0)
        for m, imt in enumerate(imts):
            mean[m] = self.ln_median(self.COEFFS_PRIMED[imt], ctx, flags) + ln_pga_ratio
            S = self.COEFFS_STD[imt]
            phi[m] = S["sigmaM6"] + S["sigSlope"] * (mag - 6.0)
            tau[m] = S["tau"]
            sig[m] = np.sqrt(phi[m] ** 2 + tau[m] ** 2)


class McVerry2006SInter(McVerry2006Asc):
    """McVerry et al. (2006), interface events; site classes from vs30."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    EVENT = "interface"


class McVerry2006SSlab(McVerry2006Asc):
    """McVerry et al. (2006), intraslab events; site classes from vs30."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    EVENT = "slab"


class McVerry2006Volc(McVerry2006Asc):
    """McVerry et al. (2006), crustal events with volcanic paths (rvol = rrup)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Volcanic"
    EVENT = "volcanic"


class _SiteClass:
    """Mixin: the site class is the New Zealand class of the site (``siteclass``)."""

    REQUIRES_SITES_PARAMETERS = frozenset(["siteclass"])

    def site_flags(self, ctx):
        sc = ctx.siteclass
        return (sc == b"C").astype(float), (sc == b"D").astype(float)

    def soil_flag(self, ctx):
        sc = ctx.siteclass
        return ((sc == b"C") | (sc == b"D")).astype(float)


class McVerry2006AscSC(_SiteClass, McVerry2006Asc):
    """McVerry et al. (2006), crustal events; New Zealand site classes."""


class McVerry2006SInterSC(_SiteClass, McVerry2006SInter):
    """McVerry et al. (2006), interface events; New Zealand site classes."""


class McVerry2006SSlabSC(_SiteClass, McVerry2006SSlab):
    """McVerry et al. (2006), intraslab events; New Zealand site classes."""


class McVerry2006VolcSC(_SiteClass, McVerry2006Volc):
    """McVerry et al. (2006), volcanic paths; New Zealand site classes."""


def stress_drop_term(S, mag, ratio: float) -> np.ndarray:
    """ln factor of a stress drop ``ratio`` times the model's, from equation (6) of
    Atkinson and Boore (2006) with the ratio's logarithm (log10 SA scales with log
    stress drop): log10 F = log2(ratio) min(0.05 + δ, 0.05 + δ max(M - M1, 0) / (Mh - M1)),
    δ, M1, Mh of their Table 7 (``S``)."""
    frac = np.maximum(mag - S["M1"], 0.0) / (S["Mh"] - S["M1"])
    log10_f = np.log2(ratio) * np.minimum(0.05 + S["delta"], 0.05 + S["delta"] * frac)
    return LN10 * log10_f


class McVerry2006Chch(McVerry2006AscSC):
    """McVerry et al. (2006) crustal model with New Zealand site classes as the
    Canterbury seismic hazard model (CSHM) uses it: McVerry, G., Gerstenberger, M. and
    Rhoades, D. (2011), Evaluation of the Z-factor and peak ground accelerations for
    Christchurch following the 13 June 2011 earthquake, GNS Science Report 2011/45.

    Reads the rupture parameter ``in_cshm`` (whether the rupture lies in the CSHM
    region); this variant leaves the motion unchanged there."""

    REQUIRES_RUPTURE_PARAMETERS = McVerry2006AscSC.REQUIRES_RUPTURE_PARAMETERS | {"in_cshm"}

    #: δ, M1, Mh of Atkinson and Boore (2006), Table 7
    COEFFS_STRESS = coeffs_table(__file__, "mcverry_2006", "stress_drop_ab06.csv")
    #: stress-drop ratio applied to the ruptures in the CSHM region (None: none)
    STRESS_DROP_RATIO: float | None = None

    def compute(self, ctx, imts, mean, sig, tau, phi):
        super().compute(ctx, imts, mean, sig, tau, phi)
        if self.STRESS_DROP_RATIO is None:
            return
        inside = np.asarray(ctx.in_cshm, bool)
        for m, imt in enumerate(imts):
            term = stress_drop_term(self.COEFFS_STRESS[imt], ctx.mag, self.STRESS_DROP_RATIO)
            mean[m] += np.where(inside, term, 0.0)


class McVerry2006ChchStressDrop(McVerry2006Chch):
    """:class:`McVerry2006Chch` with a stress drop 1.5 times the model's for ruptures in
    the CSHM region (McVerry et al., 2011)."""

    STRESS_DROP_RATIO = 1.5


class McVerry2006ChchAdditionalSigma(McVerry2006Chch):
    """The 'additional epistemic uncertainty' version of :class:`McVerry2006Chch`
    (McVerry et al., 2011). Its extra sigma (0.35, unpublished) is not applied, as in
    OpenQuake 3.26.2, whose implementation reads but never adds it: the model equals
    :class:`McVerry2006Chch`."""
