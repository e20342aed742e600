"""Atkinson and Boore (2006): earthquakes in eastern North America.

Atkinson, G. M. and Boore, D. M. (2006). Earthquake ground-motion prediction equations
for eastern North America. Bulletin of the Seismological Society of America, 96(6),
2181-2205.

Atkinson, G. M. and Boore, D. M. (2011). Modifications to existing ground-motion
prediction equations in light of new data. Bulletin of the Seismological Society of
America, 101(3), 1121-1135 (the magnitude-dependent stress parameter of
:class:`AtkinsonBoore2006Modified2011`).

Equation (5) of the 2006 paper, in log10 of cm/s² (PSA, PGA) or cm/s (PGV)::

    log Y = c1 + c2 M + c3 M² + (c4 + c5 M) f1 + (c6 + c7 M) f2 + (c8 + c9 M) f0
            + c10 Rcd + S

    f0 = max(log(R0/Rcd), 0), f1 = min(log Rcd, log R1), f2 = max(log(Rcd/R2), 0)

with Rcd the rupture distance (floored at 1 km). Hard-rock sites (vs30 >= 2000 m/s) use
the hard-rock coefficients (Table 6) without site term; other sites use the B/C
coefficients (Table 9) plus the site term S, which is the linear and non-linear
amplification of Boore and Atkinson (2008) driven by PGA on B/C rock (as the authors
recommend in place of the preliminary function printed in the paper). The stress
adjustment of equation (6)::

    log SF2 = s min(delta + 0.05, 0.05 + delta max(M - M1, 0) / (Mh - M1))

is added with ``s = log(stress / 140 bar) / log 2``; s = 0 (140 bars) in
:class:`AtkinsonBoore2006`.

The NSHMP 2008 forms (``getAB06`` of the USGS ``hazgridXnga2.f``) take Mw or Mblg
converted to Mw (Atkinson and Boore 1987, Johnston 1996), use a stress of 140 bars
(s = 0) or 200 bars (s = 0.5146) and cap the median (1.5 g PGA, 3 g short periods).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import (G_ACCEL, GMPE, LN10, TOTAL, check_choice,
                                     check_number, coeffs_table)
from oqcore.hazard.gsim.nshmp_2008 import nshmp_cap, to_moment_magnitude
from oqcore.hazard.imt import IMT

#: distance hinges of equation (5), km
R0 = 10.0
R1 = 70.0
R2 = 140.0
#: rupture distances below this are set to it (the equations diverge at 0), km
MIN_RRUP = 1.0
#: vs30 (m/s) from which (inclusive) the hard-rock coefficients apply
HARD_ROCK_VS30 = 2000.0
#: total standard deviation, 0.30 log10 units converted to natural log
STD_TOTAL = np.log(10 ** 0.30)

#: Boore and Atkinson (2008) site amplification: velocities (m/s) of the
#: non-linear slope, equations (13a)-(13d), and reference velocity of the linear term
V1 = 180.0
V2 = 300.0
VREF = 760.0
#: Boore and Atkinson (2008) non-linear term, equations (8a)-(8c): PGA hinges (g)
A1 = 0.03
A2 = 0.09
PGA_LOW = 0.06
#: the IMT of the B/C rock motion driving the non-linear site term
PGA = IMT("PGA")

#: Atkinson and Boore (2011), equation (6): stress (bars) = 10^(3.45 - 0.2 M),
#: held constant below M 5
STRESS_INTERCEPT = 3.45
STRESS_SLOPE = 0.2
STRESS_MIN_MAG = 5.0
#: stress parameter (bars) of the published equations
STRESS_REF = 140.0


def _distance_terms(rrup):
    """f0, f1, f2 of equation (5) from the (floored) rupture distance in km."""
    f0 = np.maximum(np.log10(R0 / rrup), 0.0)
    f1 = np.minimum(np.log10(rrup), np.log10(R1))
    f2 = np.maximum(np.log10(rrup / R2), 0.0)
    return f0, f1, f2


def _stress_adjustment(SC, mag, scale_fac):
    """Equation (6) times ``scale_fac``: log10 correction for another stress."""
    ramp = 0.05 + SC["delta"] * np.maximum(mag - SC["M1"], 0.0) / (SC["Mh"] - SC["M1"])
    return scale_fac * np.minimum(SC["delta"] + 0.05, ramp)


def _log10_rock(C, mag, rrup, dist_terms):
    """Equation (5) without the site term: log10 of cm/s² (cm/s for PGV)."""
    f0, f1, f2 = dist_terms
    return (C["c1"] + C["c2"] * mag + C["c3"] * mag ** 2
            + (C["c4"] + C["c5"] * mag) * f1
            + (C["c6"] + C["c7"] * mag) * f2
            + (C["c8"] + C["c9"] * mag) * f0
            + C["c10"] * rrup)


def _nonlinear_slope(CS, vs30):
    """bnl of Boore and Atkinson (2008), equations (13a)-(13d)."""
    mid = (CS["b1"] - CS["b2"]) * np.log(vs30 / V2) / np.log(V1 / V2) + CS["b2"]
    high = CS["b2"] * np.log(vs30 / VREF) / np.log(V2 / VREF)
    return np.select([vs30 <= V1, vs30 <= V2, vs30 < VREF], [CS["b1"], mid, high], 0.0)


def _nonlinear_term(bnl, pga_bc):
    """F_NL of Boore and Atkinson (2008), equations (8a)-(8c); pga_bc in g (ln units)."""
    dx = np.log(A2 / A1)
    dy = bnl * np.log(A2 / PGA_LOW)
    c = (3.0 * dy - bnl * dx) / dx ** 2
    d = -(2.0 * dy - bnl * dx) / dx ** 3
    x = np.log(pga_bc / A1)
    low = bnl * np.log(PGA_LOW / 0.1)
    return np.select([pga_bc <= A1, pga_bc <= A2],
                     [low, low + c * x ** 2 + d * x ** 3], bnl * np.log(pga_bc / 0.1))


def _log10_site_term(CS, vs30, pga_bc):
    """Site term S (log10 units): linear plus non-linear amplification (ln units)."""
    ln_amp = CS["blin"] * np.log(vs30 / VREF) + _nonlinear_term(
        _nonlinear_slope(CS, vs30), pga_bc)
    return ln_amp / LN10


#: the ``mag_eq`` argument: the magnitude scale of the ruptures (a key of
#: nshmp_2008.MAGNITUDE_SCALES), "NA" for the published model
MAG_EQ_SCALES = {"NA": None, "Mw": "Mw", "Mblg87": "MblgAB1987", "Mblg96": "MblgJ1996"}


class AtkinsonBoore2006(GMPE):
    """Atkinson and Boore (2006) for eastern North America, stress parameter 140 bars.

    Arguments (the NSHMP 2008 ``getAB06`` form when ``mag_eq`` is not "NA"):
    ``mag_eq`` ("Mw", "Mblg87": Mblg converted with Atkinson and Boore 1987, "Mblg96":
    Johnston 1996) and ``scale_fac``, the stress scaling s of equation (6) then used in
    place of the class's own; the median is then capped as in the NSHMP 2008 code.
    """

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    COEFFS_BC = coeffs_table(__file__, "atkinson_boore_2006", "COEFFS_BC.csv")
    COEFFS_HARD_ROCK = coeffs_table(__file__, "atkinson_boore_2006", "COEFFS_HARD_ROCK.csv")
    COEFFS_SOIL_RESPONSE = coeffs_table(__file__, "atkinson_boore_2006",
                                        "COEFFS_SOIL_RESPONSE.csv")
    COEFFS_STRESS = coeffs_table(__file__, "atkinson_boore_2006", "COEFFS_STRESS.csv")

    #: rupture distances below this are set to it (km)
    NEAR_CUTOFF = MIN_RRUP

    ARGUMENTS = {"mag_eq": "NA", "scale_fac": 0.0}
    mag_eq, scale_fac = "NA", 0.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "mag_eq", self.mag_eq, tuple(MAG_EQ_SCALES))
        check_number(name, "scale_fac", self.scale_fac)

    def _scale_factor(self, mag):
        """Stress scaling s of equation (6); 0 keeps the 140-bar equations."""
        return np.zeros_like(mag)

    #: magnitude scale of the ruptures (a key of nshmp_2008.MAGNITUDE_SCALES)
    MAG_SCALE = "Mw"

    #: True to apply the NSHMP caps of the median
    CAPPED = False

    def compute(self, ctx, imts, mean, sig, tau, phi):
        nshmp_form = self.mag_eq != "NA"
        mag = to_moment_magnitude(MAG_EQ_SCALES[self.mag_eq] if nshmp_form
                                  else self.MAG_SCALE, ctx.mag)
        vs30 = ctx.vs30
        rrup = np.maximum(ctx.rrup, self.NEAR_CUTOFF)  # km
        dist_terms = _distance_terms(rrup)
        hard_rock = vs30 >= HARD_ROCK_VS30
        scale_fac = (np.full_like(mag, float(self.scale_fac)) if nshmp_form
                     else self._scale_factor(mag))
        c_pga_bc = self.COEFFS_BC[PGA]  # drives the non-linear site term
        for m, imt in enumerate(imts):
            c_hr, c_bc = self.COEFFS_HARD_ROCK[imt], self.COEFFS_BC[imt]
            c_soil, c_stress = self.COEFFS_SOIL_RESPONSE[imt], self.COEFFS_STRESS[imt]
            stress = _stress_adjustment(c_stress, mag, scale_fac)
            # PGA on B/C rock in g, with the stress adjustment of this IMT
            log10_pga_bc = _log10_rock(c_pga_bc, mag, rrup, dist_terms) + stress
            pga_bc = 10.0 ** log10_pga_bc * 1e-2 / G_ACCEL  # cm/s² to g
            log_hr = _log10_rock(c_hr, mag, rrup, dist_terms) + stress
            log_bc = (_log10_rock(c_bc, mag, rrup, dist_terms) + stress
                      + _log10_site_term(c_soil, vs30, pga_bc))
            log_y = np.where(hard_rock, log_hr, log_bc)
            ln_y = log_y * LN10
            if imt.name != "PGV":
                ln_y = ln_y + np.log(1e-2 / G_ACCEL)  # cm/s² to g
            mean[m] = nshmp_cap(imt, ln_y) if self.CAPPED or nshmp_form else ln_y
            sig[m] = STD_TOTAL


class AtkinsonBoore2006Modified2011(AtkinsonBoore2006):
    """Atkinson and Boore (2006) with the magnitude-dependent stress parameter of
    Atkinson and Boore (2011): stress = 10^(3.45 - 0.2 max(M, 5)) bars."""

    def _scale_factor(self, mag):
        stress = 10.0 ** (STRESS_INTERCEPT - STRESS_SLOPE * np.maximum(mag, STRESS_MIN_MAG))
        return np.log10(stress / STRESS_REF) / np.log10(2.0)


class AtkinsonBoore2006SGS(AtkinsonBoore2006):
    """Atkinson and Boore (2006) with rupture distances below 5 km set to 5 km, as the
    Saudi Geological Survey applies it in its national hazard model."""

    NEAR_CUTOFF = 5.0


class AtkinsonBoore2006Mwbar140NSHMP2008(AtkinsonBoore2006):
    """Atkinson and Boore (2006), NSHMP 2008 form: Mw, 140 bars, capped median."""

    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "SA"])
    ARGUMENTS: dict = {}
    CAPPED = True
    #: stress scaling s of equation (6)
    STRESS_SCALING = 0.0

    def _scale_factor(self, mag):
        return np.full_like(mag, self.STRESS_SCALING)


class AtkinsonBoore2006Mwbar200NSHMP2008(AtkinsonBoore2006Mwbar140NSHMP2008):
    """Atkinson and Boore (2006), NSHMP 2008 form: Mw, 200 bars, capped median."""

    STRESS_SCALING = 0.5146


class AtkinsonBoore2006MblgAB1987bar140NSHMP2008(AtkinsonBoore2006Mwbar140NSHMP2008):
    """NSHMP 2008 form, 140 bars, Mblg converted with Atkinson and Boore (1987)."""

    MAG_SCALE = "MblgAB1987"


class AtkinsonBoore2006MblgAB1987bar200NSHMP2008(AtkinsonBoore2006Mwbar200NSHMP2008):
    """NSHMP 2008 form, 200 bars, Mblg converted with Atkinson and Boore (1987)."""

    MAG_SCALE = "MblgAB1987"


class AtkinsonBoore2006MblgJ1996bar140NSHMP2008(AtkinsonBoore2006Mwbar140NSHMP2008):
    """NSHMP 2008 form, 140 bars, Mblg converted with Johnston (1996)."""

    MAG_SCALE = "MblgJ1996"


class AtkinsonBoore2006MblgJ1996bar200NSHMP2008(AtkinsonBoore2006Mwbar200NSHMP2008):
    """NSHMP 2008 form, 200 bars, Mblg converted with Johnston (1996)."""

    MAG_SCALE = "MblgJ1996"
