"""Magnitude-frequency distributions (MFDs): annual occurrence rates per magnitude bin."""
from __future__ import annotations

import math

import attrs
import numpy as np

from oqcore.errors import InvalidInput


def round_half_away(x: float) -> float:
    """Round to the nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    return float(math.floor(x + math.copysign(0.5, x)))


@attrs.define
class TruncatedGRMFD:
    """Truncated Gutenberg-Richter: log10 N(>=M) = a - b M between min_mag and max_mag.

    The range is rounded to multiples of ``bin_width``; bins are centred half a bin
    inside it; each bin's rate is the difference of the cumulative rates at its edges.
    """
    min_mag: float
    max_mag: float
    bin_width: float
    a_val: float
    b_val: float

    def check(self) -> None:
        """Raise ValueError for an inconsistent distribution."""
        if not self.bin_width > 0:
            raise ValueError("bin width must be positive")
        if not self.min_mag <= self.max_mag:
            raise ValueError("minMag %s > maxMag %s" % (self.min_mag, self.max_mag))
        if not self.b_val > 0:
            raise ValueError("bValue must be positive")

    def _bins(self) -> tuple[float, int]:
        bw = self.bin_width
        min_mag = round_half_away(self.min_mag / bw) * bw
        max_mag = round_half_away(self.max_mag / bw) * bw
        if min_mag != max_mag:
            min_mag += bw / 2.0
            max_mag -= bw / 2.0
        nbins = int(round_half_away((max_mag - min_mag) / bw)) + 1
        return min_mag, nbins

    def _rate(self, mag: float) -> float:
        lo, hi = mag - self.bin_width / 2.0, mag + self.bin_width / 2.0
        return 10.0 ** (self.a_val - self.b_val * lo) - 10.0 ** (self.a_val - self.b_val * hi)

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)] per bin."""
        mag, nbins = self._bins()
        out = []
        for _ in range(nbins):
            out.append((mag, self._rate(mag)))
            mag += self.bin_width  # accumulated, as the reference does
        return out

    def get_min_max_mag(self) -> tuple[float, float]:
        """The magnitudes of the first and last bins."""
        min_mag, nbins = self._bins()
        return min_mag, min_mag + (nbins - 1) * self.bin_width

    def total_moment_rate(self) -> float:
        """Seismic moment released per year (N·m/yr), with log10 M0 = 1.5 M + 9.05."""
        ai = 9.05 + self.a_val + math.log10(self.b_val)
        bi = 1.5 - self.b_val
        if bi == 0.0:
            return 10 ** ai * (self.max_mag - self.min_mag)
        return 10 ** ai / bi * (10 ** (bi * self.max_mag) - 10 ** (bi * self.min_mag))

    def set_a_from_moment_rate(self, tmr: float) -> None:
        """Recompute the a-value so that the total moment rate is ``tmr``."""
        bi = 1.5 - self.b_val
        if bi == 0.0:
            self.a_val = math.log10(tmr / (self.max_mag - self.min_mag)) - 9.05 - \
                math.log10(self.b_val)
        else:
            self.a_val = (math.log10(tmr * bi / (10 ** (bi * self.max_mag) -
                                                 10 ** (bi * self.min_mag)))
                          - 9.05 - math.log10(self.b_val))

    @classmethod
    def from_moment(cls, min_mag: float, max_mag: float, bin_width: float, b_val: float,
                    moment_rate: float, d_val: float = 9.1) -> "TruncatedGRMFD":
        """The distribution releasing ``moment_rate`` N·m/yr, with log10 M0 = 1.5 M +
        ``d_val`` (the a-value from the moment of the largest event, as OpenQuake's
        truncatedGRFromSlipAbsolute does)."""
        mo_max = 10 ** (1.5 * max_mag + d_val)
        beta = b_val * math.log(10.0)
        term = math.exp(-beta * max_mag)
        rate = moment_rate * (1.5 - b_val) * (1 - term) / (b_val * mo_max * term)
        return cls(min_mag, max_mag, bin_width, math.log10(rate), b_val)

    # modifications used by logic-tree branch sets
    def modify(self, kind: str, value) -> None:
        """Apply a logic-tree uncertainty. The relative ones (maxMagGRRelative,
        bGRRelative) keep the total moment rate by recomputing the a-value; the absolute
        ones (maxMagGRAbsolute, bGRAbsolute, abGRAbsolute, abMaxMagAbsolute) and
        maxMagGRRelativeNoMoBalance change nothing else."""
        if kind == "maxMagGRRelativeNoMoBalance":
            self.max_mag += value
        elif kind == "bGRAbsolute":
            self.b_val = value
        elif kind == "maxMagGRRelative":
            tmr = self.total_moment_rate()
            self.max_mag += value
            self.check()
            self.set_a_from_moment_rate(tmr)
        elif kind == "maxMagGRAbsolute":
            self.max_mag = value
        elif kind == "bGRRelative":
            tmr = self.total_moment_rate()
            self.b_val += value
            self.check()
            self.set_a_from_moment_rate(tmr)
        elif kind == "abGRAbsolute":
            self.a_val, self.b_val = value
        elif kind == "abMaxMagAbsolute":
            self.a_val, self.b_val, self.max_mag = value
        else:
            raise InvalidInput("%s cannot be applied to a truncated GR MFD" % kind)
        self.check()


@attrs.define
class EvenlyDiscretizedMFD:
    """Incremental MFD: one rate per bin from ``min_mag`` in steps of ``bin_width``."""
    min_mag: float
    bin_width: float
    occurrence_rates: list

    def check(self) -> None:
        """Raise ValueError for negative rates or an empty list."""
        if not self.occurrence_rates:
            raise ValueError("no occurrence rates")
        if any(r < 0 for r in self.occurrence_rates):
            raise ValueError("occurrence rates must be non-negative")
        if not self.bin_width > 0 and len(self.occurrence_rates) > 1:
            raise ValueError("bin width must be positive")

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)] per bin."""
        return [(self.min_mag + i * self.bin_width, float(r))
                for i, r in enumerate(self.occurrence_rates)]

    def get_min_max_mag(self) -> tuple[float, float]:
        """First and last bin magnitudes."""
        return self.min_mag, self.min_mag + (len(self.occurrence_rates) - 1) * self.bin_width

    def modify(self, kind: str, value) -> None:
        """Apply incrementalMFDAbsolute: value = (min_mag, bin_width, rates)."""
        if kind == "incrementalMFDAbsolute":
            self.min_mag, self.bin_width, self.occurrence_rates = value
            self.check()
        else:
            raise InvalidInput("%s cannot be applied to an incremental MFD" % kind)


@attrs.define
class ArbitraryMFD:
    """Explicit magnitudes and rates."""
    magnitudes: list
    occurrence_rates: list

    def check(self) -> None:
        """Raise ValueError for mismatched lengths or negative rates."""
        if len(self.magnitudes) != len(self.occurrence_rates):
            raise ValueError("magnitudes and occurRates have different lengths")
        if any(r < 0 for r in self.occurrence_rates):
            raise ValueError("occurrence rates must be non-negative")

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)]."""
        return list(zip(map(float, self.magnitudes), map(float, self.occurrence_rates)))

    def get_min_max_mag(self) -> tuple[float, float]:
        """Smallest and largest magnitudes."""
        return min(self.magnitudes), max(self.magnitudes)

    def modify(self, kind, value):
        """No modification is defined for arbitrary MFDs."""
        raise InvalidInput("%s cannot be applied to an arbitrary MFD" % kind)


#: width of the characteristic "box" of Youngs & Coppersmith (1985), magnitude units
DELTA_CHAR = 0.5


@attrs.define
class YoungsCoppersmith1985MFD:
    """Youngs & Coppersmith (1985) characteristic MFD: an exponential (GR) part from
    ``min_mag`` to ``char_mag - 0.25`` and a box of width 0.5 centred on ``char_mag``.

    Youngs, R. R. and Coppersmith, K. J. (1985). Implications of fault slip rates and
    earthquake recurrence models to probabilistic seismic hazard estimates. BSSA 75(4).

    Built from the characteristic rate (the rate density of the box equals that of the
    exponential part at ``char_mag - 1.25``) or from the total moment rate (their
    eqs. 16 and 17, with log10 M0 = 1.5 M + 9.05).
    """
    min_mag: float
    b_val: float
    char_mag: float
    char_rate: float | None
    bin_width: float
    total_moment_rate: float | None = None
    a_val: float = 0.0

    def __attrs_post_init__(self):
        b = self.b_val
        if self.total_moment_rate is not None:
            beta = b * math.log(10)
            mu = self.char_mag + DELTA_CHAR / 2
            m0 = self.min_mag
            c, d = 1.5, 9.05
            mo_u = 10 ** (c * mu + d)
            c1 = math.exp(-beta * (mu - m0 - 0.5))
            c2 = math.exp(-beta * (mu - m0 - 1.5))
            c3 = beta * c2 / (2 * (1 - c1) + beta * c2)
            c4 = (b * 10 ** (-c / 2) / (c - b)) + (b * math.exp(beta) *
                                                   (1 - 10 ** (-c / 2)) / c)
            n_min_mag = (1 - c1) * self.total_moment_rate / ((1 - c3) * c1 * mo_u * c4)
            self.char_rate = c3 * n_min_mag
            self.a_val = math.log10((n_min_mag - self.char_rate) / (
                10 ** (-b * m0) - 10 ** (-b * (self.char_mag - 0.25))))
        elif self.char_rate is not None:
            a_incr = b * (self.char_mag - 1.25) + math.log10(self.char_rate / DELTA_CHAR)
            self.a_val = a_incr - math.log10(b * math.log(10))
        else:
            raise ValueError("YoungsCoppersmithMFD needs characteristicRate or "
                             "totalMomentRate")

    def check(self) -> None:
        """Raise ValueError for an inconsistent distribution."""
        if not self.bin_width > 0:
            raise ValueError("bin width must be positive")
        if not self.b_val > 0:
            raise ValueError("bValue must be positive")
        if self.char_mag - DELTA_CHAR / 2 < self.min_mag:
            raise ValueError("characteristicMag - 0.25 is below minMag")
        if self.char_rate is not None and self.char_rate < 0:
            raise ValueError("negative characteristic rate")

    def _bins(self) -> tuple[float, int]:
        bw = self.bin_width
        min_mag = round_half_away(self.min_mag / bw) * bw + bw / 2.0
        max_mag = round_half_away((self.char_mag + DELTA_CHAR / 2) / bw) * bw - bw / 2.0
        return min_mag, int(round_half_away((max_mag - min_mag) / bw)) + 1

    def _rate(self, mag: float) -> float:
        if self.min_mag <= mag < self.char_mag - DELTA_CHAR / 2:
            lo, hi = mag - self.bin_width / 2.0, mag + self.bin_width / 2.0
            return 10 ** (self.a_val - self.b_val * lo) - 10 ** (self.a_val - self.b_val * hi)
        return self.char_rate / DELTA_CHAR * self.bin_width

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)] per bin."""
        mag, nbins = self._bins()
        out = []
        for _ in range(nbins):
            out.append((mag, self._rate(mag)))
            mag += self.bin_width
        return out

    def get_min_max_mag(self):
        """First and last bin magnitudes."""
        rates = self.get_annual_occurrence_rates()
        return rates[0][0], rates[-1][0]

    def modify(self, kind, value):
        """No logic-tree modification is defined for this MFD."""
        raise InvalidInput("%s cannot be applied to a YoungsCoppersmith1985 MFD" % kind)


def occurrence_arrays(mfd) -> tuple[np.ndarray, np.ndarray]:
    """(magnitudes, rates) arrays of an MFD."""
    pairs = mfd.get_annual_occurrence_rates()
    if not pairs:
        return np.zeros(0), np.zeros(0)
    m, r = zip(*pairs)
    return np.array(m), np.array(r)

