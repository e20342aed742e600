"""Magnitude-frequency distributions (MFDs): annual occurrence rates per magnitude bin."""
from __future__ import annotations

import copy
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



def moment_from_magnitude(mag: float, c: float = 9.05) -> float:
    """Seismic moment (N·m) of a moment magnitude: log10 M0 = 1.5 M + c."""
    return 10.0 ** (1.5 * mag + c)


def truncated_gr_from_slip_rate(min_mag: float, max_mag: float, bin_width: float,
                                b_val: float, slip_rate: float, rigidity: float,
                                area: float) -> TruncatedGRMFD:
    """A truncated GR MFD balancing the moment rate of a fault's slip.

    The moment rate is ``slip_rate`` (mm/yr) x ``rigidity`` (GPa) x ``area`` (km²),
    in N·m/yr; the a-value makes the GR rate density, integrated with moment
    log10 M0 = 1.5 M + 9.1 up to ``max_mag``, release it (Anderson & Luco 1983,
    as in OpenQuake's ``from_moment``).
    """
    moment_rate = slip_rate * 1e-3 * rigidity * 1e9 * area * 1e6
    return TruncatedGRMFD.from_moment(min_mag, max_mag, bin_width, b_val, moment_rate, 9.1)


@attrs.define
class SlipRateGRSpec:
    """A ``truncGutenbergRichterMFD`` given by ``slipRate`` (mm/yr) and ``rigidity``
    (GPa) instead of an a-value: resolved into a :class:`TruncatedGRMFD` once the
    fault surface area is known (:func:`truncated_gr_from_slip_rate`)."""
    min_mag: float
    max_mag: float
    bin_width: float
    b_val: float
    slip_rate: float
    rigidity: float

    def check(self) -> None:
        """Raise ValueError for non-positive slip rate, rigidity or b-value."""
        if not self.slip_rate > 0 or not self.rigidity > 0:
            raise ValueError("slipRate and rigidity must be positive")
        TruncatedGRMFD(self.min_mag, self.max_mag, self.bin_width, 0.0,
                       self.b_val).check()

    def resolve(self, area: float) -> TruncatedGRMFD:
        """The MFD of a fault of ``area`` km²."""
        return truncated_gr_from_slip_rate(self.min_mag, self.max_mag, self.bin_width,
                                           self.b_val, self.slip_rate, self.rigidity,
                                           area)


#: magnitudes of the moments bounding the Pareto taper (nshmp-haz conventions)
TAPER_SMALL_MAG, TAPER_LARGE_MAG = 4.0, 9.05


@attrs.define
class TaperedGRMFD:
    """Tapered Gutenberg-Richter (Kagan 2002, GJI 149): the truncated GR bins of
    (``a_val``, ``b_val``) scaled by the ratio of the tapered Pareto distribution
    of moments (corner moment of ``corner_mag``) to an untapered one (corner at
    M 9.05), as the USGS nshmp-haz code does; beta = 2/3 b, log10 M0 = 1.5 M + 9.05.
    """
    min_mag: float
    max_mag: float
    corner_mag: float
    bin_width: float
    a_val: float
    b_val: float

    def check(self) -> None:
        """Raise ValueError for an inconsistent distribution."""
        if not self.bin_width > 0:
            raise ValueError("bin width must be positive")
        if not self.min_mag >= 0:
            raise ValueError("minMag must be non-negative")
        if not self.max_mag >= self.min_mag + self.bin_width:
            raise ValueError("maxMag must exceed minMag by a bin width at least")
        if not self.corner_mag >= self.min_mag + self.bin_width:
            raise ValueError("cornerMag must exceed minMag by a bin width at least")
        if not self.b_val > 0:
            raise ValueError("bValue must be positive")

    def _gr(self) -> TruncatedGRMFD:
        return TruncatedGRMFD(self.min_mag, self.max_mag, self.bin_width, self.a_val,
                              self.b_val)

    def _pareto(self, moment: np.ndarray, corner: float) -> np.ndarray:
        m_min = moment_from_magnitude(TAPER_SMALL_MAG)
        beta = 2.0 / 3.0 * self.b_val
        return (m_min / moment) ** beta * np.exp((m_min - moment) / corner)

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)] per bin."""
        pairs = self._gr().get_annual_occurrence_rates()
        mags = np.array([m for m, _ in pairs])
        lo = moment_from_magnitude(mags - self.bin_width / 2.0)
        hi = moment_from_magnitude(mags + self.bin_width / 2.0)
        corner = moment_from_magnitude(self.corner_mag)
        large = moment_from_magnitude(TAPER_LARGE_MAG)
        scale = (self._pareto(lo, corner) - self._pareto(hi, corner)) / (
            self._pareto(lo, large) - self._pareto(hi, large))
        return [(m, r * float(s)) for (m, r), s in zip(pairs, scale)]

    def get_min_max_mag(self) -> tuple[float, float]:
        """The magnitudes of the first and last bins."""
        return self._gr().get_min_max_mag()

    def modify(self, kind, value):
        """No logic-tree modification is defined for this MFD."""
        raise InvalidInput("%s cannot be applied to a tapered GR MFD" % kind)


@attrs.define
class MultiMFD:
    """The MFDs of the points of a multi-point source, one per point (all of one
    kind); a logic-tree modification applies to each of them.

    As in OpenQuake 3.26, a multi-point MFD holds ONE modification: each new one
    replaces the previous one (applied to the MFDs as read), so that of two MFD
    branch sets on a multi-point source (e.g. ``maxMagGRRelative`` then
    ``bGRRelative``) only the last one counts.
    """
    mfds: list
    #: the MFDs as read, before any modification (set by the first :meth:`modify`)
    originals: list | None = attrs.field(default=None, repr=False)

    def check(self) -> None:
        """Check every underlying MFD."""
        for m in self.mfds:
            m.check()

    def __len__(self) -> int:
        return len(self.mfds)

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, rate)] of every point, one after the other."""
        return [pair for m in self.mfds for pair in m.get_annual_occurrence_rates()]

    def get_min_max_mag(self) -> tuple[float, float]:
        """Smallest and largest magnitudes over the points."""
        pairs = [m.get_min_max_mag() for m in self.mfds]
        return min(p[0] for p in pairs), max(p[1] for p in pairs)

    def modify(self, kind: str, value) -> None:
        """Apply the same logic-tree modification to every point's MFD as read,
        replacing any earlier modification (see the class docstring)."""
        if self.originals is None:
            self.originals = copy.deepcopy(self.mfds)
        self.mfds = copy.deepcopy(self.originals)
        for m in self.mfds:
            m.modify(kind, value)


#: the fields of a <multiMFD> per kind, in the order of the MFD constructor
#: (``bin_width`` of GR kinds may be missing: the job's width_of_mfd_bin is used)
MULTI_MFD_FIELDS = {
    "arbitraryMFD": ("magnitudes", "occurRates"),
    "incrementalMFD": ("min_mag", "bin_width", "occurRates"),
    "truncGutenbergRichterMFD": ("min_mag", "max_mag", "bin_width", "a_val", "b_val"),
}


def multi_mfd(kind: str, size: int, fields: dict, lengths: list | None,
              width_of_mfd_bin: float) -> MultiMFD:
    """A :class:`MultiMFD` from the arrays of a <multiMFD> node.

    :param fields: field name -> list of values, of length 1 (shared by all points)
        or ``size``; ``occurRates``/``magnitudes`` are flat, cut by ``lengths``
    :raises ValueError: for unknown kinds, wrong sizes or lengths
    """
    if kind not in MULTI_MFD_FIELDS:
        raise ValueError("multiMFD kind %r is not supported (known: %s)" % (
            kind, ", ".join(MULTI_MFD_FIELDS)))
    names = MULTI_MFD_FIELDS[kind]
    fields = dict(fields)
    if "bin_width" in names and "bin_width" not in fields:
        fields["bin_width"] = [width_of_mfd_bin]
    for name in names:
        if name not in fields:
            raise ValueError("multiMFD of kind %s needs <%s>" % (kind, name))
    flat = [n for n in names if n in ("occurRates", "magnitudes")]
    if flat:
        if not lengths:
            raise ValueError("multiMFD of kind %s needs <lengths>" % kind)
        lengths = [int(n) for n in lengths]
        if len(lengths) == 1:
            lengths = lengths * size
        if len(lengths) != size:
            raise ValueError("<lengths> has %d values, expected 1 or %d" % (
                len(lengths), size))
        for name in flat:
            values = list(fields[name])
            if len(values) != sum(lengths):
                raise ValueError("<%s> has %d values, <lengths> sum to %d" % (
                    name, len(values), sum(lengths)))
            stops = np.cumsum(lengths)
            fields[name] = [values[b - n:b] for n, b in zip(lengths, stops)]
    for name in names:
        if name not in flat and len(fields[name]) not in (1, size):
            raise ValueError("<%s> has %d values, expected 1 or %d" % (
                name, len(fields[name]), size))

    def arg(name, i):
        values = fields[name]
        return values[i] if name in flat or len(values) > 1 else values[0]

    out = []
    for i in range(size):
        args = [arg(n, i) for n in names]
        if kind == "arbitraryMFD":
            out.append(ArbitraryMFD(*args))
        elif kind == "incrementalMFD":
            out.append(EvenlyDiscretizedMFD(args[0], args[1], list(args[2])))
        else:
            out.append(TruncatedGRMFD(*args))
    return MultiMFD(out)
