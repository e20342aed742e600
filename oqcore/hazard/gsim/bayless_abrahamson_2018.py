"""Bayless and Abrahamson (2018, 2019): effective amplitude spectra (EAS) of crustal
earthquakes in California.

Bayless, J. and Abrahamson, N. A. (2018). An empirical model for Fourier amplitude
spectra using the NGA-West2 database. PEER Report 2018/07, Pacific Earthquake
Engineering Research Center, Berkeley.
Bayless, J. and Abrahamson, N. A. (2019). Summary of the BA18 ground-motion model for
Fourier amplitude spectra for crustal earthquakes in California. Bulletin of the
Seismological Society of America, 109(5), 2088-2105.

The IMT is ``EAS(f)``, the effective amplitude spectrum (g s) at frequency f (Hz), the
smoothed quadratic mean of the two horizontal Fourier amplitude spectra. For f below
24 Hz (BSSA 2019, eq. 3)::

    ln EAS = fM(M) + fP(M, Rrup) + fS(Vs30) + c9 min(Ztor, 20) + c10 FNM
             + fZ1(Z1, Vs30) + fNL(Vs30, Ir)

with the magnitude scaling fM = c1 + c2 (M - 6) + (c2 - c3)/cn ln(1 + e^{cn (cM - M)}),
the path fP = c4 ln(R + c5 cosh(c6 max(M - chm, 0))) + (-0.5 - c4) ln sqrt(R² + 50²)
+ c7 R, the linear site term fS = c8 ln(min(Vs30, 1000)/1000), FNM = 1 for normal
faulting (-150° < rake < -30°), and the basin term fZ1 = c11 ln((min(Z1, 2) + 0.01) /
(Z1ref + 0.01)) (km; Z1ref of Chiou and Youngs 2014 for California, c11 by Vs30 bin).
Above 24 Hz the 23.988 Hz spectrum is extended with a kappa filter (eq. 5),
kappa = exp(-0.4 ln(Vs30/760) - 3.5).

The nonlinear site term (eq. 10) is the one of Hashash et al. (2018) driven by the
rock-outcrop peak acceleration Ir: ln Ir = 1.238 + 0.846 ln EAS_rock(5 Hz), where
EAS_rock has no site, basin or nonlinear terms::

    fNL = f2 ln((Ir + f3) / f3),  f2 = f4 (e^{f5 (min(Vs30, 760) - 360)} - e^{f5 400})

evaluated at every frequency of the table, held at its minimum above the frequency of
the minimum (page 2093), and interpolated linearly in frequency. Standard deviations
(eq. 11): tau, phiS2S and phiSS step linearly between M 4 and M 6; the total adds c1a.
"""
from __future__ import annotations

import csv
import functools

import numpy as np

from oqcore.hazard.gsim.base import (GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, UnknownIMT,
                                     data_path)

#: highest frequency (Hz) of the regression; above it, the kappa extension
KAPPA_FREQUENCY = 23.988321
#: frequency (Hz) from which a frequency is in the kappa extension
KAPPA_FROM = 24.0
#: frequency (Hz) of the rock spectrum that gives Ir (the authors' script)
IR_FREQUENCY = 5.0118725
#: ln Ir = IR_A + IR_B ln EAS_rock(IR_FREQUENCY)
IR_A, IR_B = 1.238, 0.846
#: reference velocity (m/s) of the nonlinear term
VS_REF = 760.0
NORMAL_RAKE = (-150.0, -30.0)


class FrequencyTable:
    """Coefficients per frequency (Hz), read from a CSV whose first column is
    ``frequency``; a frequency between two rows gets the coefficients interpolated
    linearly in ln f.

    :ivar frequencies: (F,) ascending
    :ivar values: (F, K) coefficients, columns :attr:`names`
    """

    def __init__(self, path: str):
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        self.names = rows[0][1:]
        data = np.array([[float(x) for x in r] for r in rows[1:] if r])
        order = np.argsort(data[:, 0])
        self.frequencies = data[order, 0]
        self.values = data[order, 1:]
        self.dtype = np.dtype([(n, np.float64) for n in self.names])

    def column(self, name: str) -> np.ndarray:
        """The (F,) values of coefficient ``name``."""
        return self.values[:, self.names.index(name)]

    def at(self, freq: float) -> np.void:
        """The coefficients at ``freq`` Hz (a record); UnknownIMT outside the table."""
        fs = self.frequencies
        i = int(np.searchsorted(fs, freq))
        if i < len(fs) and fs[i] == freq:
            row = self.values[i]
        elif i == 0 or i == len(fs):
            raise UnknownIMT("EAS(%.6f) is outside the frequency range %g-%g Hz" % (
                freq, fs[0], fs[-1]))
        else:
            w = (np.log(freq) - np.log(fs[i - 1])) / (np.log(fs[i]) - np.log(fs[i - 1]))
            row = self.values[i - 1] + w * (self.values[i] - self.values[i - 1])
        return np.array(tuple(row), self.dtype)[()]


@functools.cache
def coefficients() -> FrequencyTable:
    """The BA18 table (read once)."""
    return FrequencyTable(data_path(__file__, "bayless_abrahamson_2018", "coefficients.csv"))


def source_path_terms(C, ctx) -> np.ndarray:
    """fM + fP + Ztor + normal-faulting terms (ln g s): the rock spectrum of eq. 3
    without site terms. Rrup in km."""
    mag, rrup = ctx.mag, ctx.rrup
    f_mag = (C["c1"] + C["c2"] * (mag - 6.0)
             + (C["c2"] - C["c3"]) / C["cn"] * np.log1p(np.exp(C["cn"] * (C["cM"] - mag))))
    f_path = (C["c4"] * np.log(rrup + C["c5"] * np.cosh(C["c6"] * np.maximum(
        mag - C["chm"], 0.0)))
        + (-0.5 - C["c4"]) * np.log(np.sqrt(rrup ** 2 + 50.0 ** 2)) + C["c7"] * rrup)
    normal = (ctx.rake > NORMAL_RAKE[0]) & (ctx.rake < NORMAL_RAKE[1])
    return f_mag + f_path + C["c9"] * np.minimum(ctx.ztor, 20.0) + C["c10"] * normal


def z1_reference(vs30: np.ndarray) -> np.ndarray:
    """Z1 (m) expected for Vs30 (m/s) in California (Chiou and Youngs 2014)."""
    return np.exp(-7.67 / 4.0 * np.log((vs30 ** 4 + 610.0 ** 4) / (1360.0 ** 4 + 610.0 ** 4)))


def basin_term(C, vs30: np.ndarray, z1pt0: np.ndarray) -> np.ndarray:
    """fZ1 (eq. 8): z1pt0 in m (-999 or NaN: unknown, the reference depth is used)."""
    c11 = np.select([vs30 <= 200.0, vs30 <= 300.0, vs30 <= 500.0],
                    [C["c11a"], C["c11b"], C["c11c"]], C["c11d"])
    z1ref = z1_reference(vs30)
    z1 = np.where((z1pt0 == -999.0) | np.isnan(z1pt0), z1ref, z1pt0)
    return c11 * np.log((np.minimum(z1 / 1000.0, 2.0) + 0.01) / (z1ref / 1000.0 + 0.01))


def linear_mean(C, ctx) -> np.ndarray:
    """ln EAS (g s) without the nonlinear site term."""
    return (source_path_terms(C, ctx) + C["c8"] * np.log(np.minimum(ctx.vs30, 1000.0) / 1000.0)
            + basin_term(C, ctx.vs30, ctx.z1pt0))


def nonlinear_term(table: FrequencyTable, ctx, freq: float) -> np.ndarray:
    """fNL (ln units) at ``freq`` Hz for every site (N,): eq. 10 at each table
    frequency, held at its minimum above the frequency of the minimum, interpolated
    linearly in frequency."""
    ir = np.exp(IR_A + IR_B * source_path_terms(table.at(IR_FREQUENCY), ctx))  # (N,)
    f3, f4, f5 = (table.column(n)[:, None] for n in ("f3", "f4", "f5"))  # (F, 1)
    f2 = f4 * (np.exp(f5 * (np.minimum(ctx.vs30, VS_REF)[None, :] - 360.0))
               - np.exp(f5 * (VS_REF - 360.0)))
    fnl = f2 * np.log((ir[None, :] + f3) / f3)  # (F, N)
    lowest = fnl.argmin(axis=0)
    rows = np.arange(len(table.frequencies))[:, None]
    fnl = np.where(rows >= lowest[None, :], fnl.min(axis=0)[None, :], fnl)
    return np.array([np.interp(freq, table.frequencies, fnl[:, i])
                     for i in range(fnl.shape[1])])


def standard_deviations(C, mag: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(total, tau, phi) in ln units (eq. 11): tau, phiS2S, phiSS go linearly from their
    M <= 4 values (s1, s3, s5) to their M >= 6 values (s2, s4, s6)."""
    w = np.clip((mag - 4.0) / 2.0, 0.0, 1.0)
    tau = C["s1"] + (C["s2"] - C["s1"]) * w
    phi_s2s = C["s3"] + (C["s4"] - C["s3"]) * w
    phi_ss = C["s5"] + (C["s6"] - C["s5"]) * w
    total = np.sqrt(tau ** 2 + phi_s2s ** 2 + phi_ss ** 2 + C["c1a"] ** 2)
    return total, tau, np.sqrt(phi_s2s ** 2 + phi_ss ** 2)


class BaylessAbrahamson2018(GMPE):
    """Bayless and Abrahamson (2018): EAS(f), 0.1-100 Hz, active shallow crust."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["EAS"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z1pt0"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "rake", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    def check_imt(self, imt) -> None:
        """EAS with a frequency only (UnknownIMT otherwise)."""
        super().check_imt(imt)
        if not imt.period:
            raise UnknownIMT("BaylessAbrahamson2018 needs the frequency of EAS, e.g. "
                             "EAS(1.0)")

    def compute(self, ctx, imts, mean, sig, tau, phi) -> None:
        """ln EAS (g s) and its standard deviations for EAS(f) IMTs."""
        table = coefficients()
        for m, imt in enumerate(imts):
            freq = imt.frequency
            C = table.at(freq)
            if freq >= KAPPA_FROM:
                kappa = np.exp(-0.4 * np.log(ctx.vs30 / VS_REF) - 3.5)
                mean[m] = (linear_mean(table.at(KAPPA_FREQUENCY), ctx)
                           - np.pi * kappa * (freq - KAPPA_FREQUENCY))
            else:
                mean[m] = linear_mean(C, ctx)
            mean[m] += nonlinear_term(table, ctx, freq)
            sig[m], tau[m], phi[m] = standard_deviations(C, ctx.mag)
