"""Intensity measure types (IMTs): PGA, PGV, PGD, SA(T), CAV, IA, MMI, durations, Fourier
spectra and inelastic displacements.

An IMT is written as OpenQuake writes it: ``PGA``, ``SA(0.1)`` (period in seconds, 5 %
damping), ``PGV`` (cm/s), ``EAS(1.000000)`` / ``FAS(f)`` / ``DRVT(f)`` (frequency f in
Hz, written with 6 decimals; period 1/f), ``SDi(1.0,2.0)`` (inelastic spectral
displacement, cm, at period T s and strength ratio R), ``RSD575`` / ``RSD595`` (= ``RSD``)
/ ``RSD2080`` (significant durations, s), ``CAV`` (g s), ``IA`` (m/s).
"""
from __future__ import annotations

import re

import attrs

from oqcore.errors import InvalidInput

#: the IMT names oqcore knows (SA needs a period)
KNOWN_IMTS = ("PGA", "PGV", "PGD", "SA", "CAV", "IA", "MMI", "RSD", "RSD595", "RSD575",
              "RSD2080", "JMA", "AvgSA", "FAS", "EAS", "DRVT", "LSD", "PGDfRotD50")
#: the IMTs given by a frequency in Hz: ``EAS(f)``
FREQUENCY_IMTS = ("EAS", "FAS", "DRVT")

#: SA(T); a missing closing parenthesis is tolerated ("SA(1.0", which OpenQuake reads)
_SA_RE = re.compile(r"^SA\(\s*([0-9.eE+-]+)\s*\)?$")
_FREQ_RE = re.compile(r"^(%s)\(\s*([0-9.eE+-]+)\s*\)$" % "|".join(FREQUENCY_IMTS))
_SDI_RE = re.compile(r"^SDi\(\s*([0-9.eE+-]+)\s*,\s*([0-9.eE+-]+)\s*\)$")


def _positive(text: str, what: str, imt: str) -> float:
    """The positive number ``text`` of the IMT ``imt``; InvalidInput otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput("invalid IMT %r: %s %r is not a number" % (imt, what, text)
                           ) from None
    if not value > 0 or value == float("inf"):
        raise InvalidInput("invalid IMT %r: the %s must be positive" % (imt, what))
    return value
#: the average spectral acceleration anchored at a period: ``AvgSA(T)`` (or bare ``AvgSA``)
_AVGSA_RE = re.compile(r"^AvgSA\(\s*([0-9.eE+-]+)\s*\)$")


@attrs.frozen(order=False)
class IMT:
    """One intensity measure type.

    :param name: ``'PGA'``, ``'SA'``, ``'PGV'``, ...
    :param period: spectral period in seconds (0 for non-spectral IMTs; 1/f for the
        IMTs given by a frequency f)
    :param damping: % of critical damping (always 5 in oqcore)
    :param strength_ratio: strength ratio R of ``SDi(T,R)`` (None for other IMTs)
    """
    name: str
    period: float = 0.0
    damping: float = 5.0
    strength_ratio: float | None = None

    @classmethod
    def from_string(cls, text: str) -> "IMT":
        """Parse ``'PGA'``, ``'SA(0.1)'``, ``'SA(1)'``, ``'AvgSA(0.5)'``; raise InvalidInput
        otherwise (SA(0) is PGA)."""
        text = text.strip()
        for name, regex in (("SA", _SA_RE), ("AvgSA", _AVGSA_RE)):
            m = regex.match(text)
            if m:
                try:
                    period = float(m.group(1))
                except ValueError:
                    raise InvalidInput("invalid IMT %r" % text)
                if period < 0 or (period == 0 and name == "AvgSA"):
                    raise InvalidInput("invalid IMT %r: the period must be positive" % text)
                return cls("PGA") if period == 0 else cls(name, period)
        m = _FREQ_RE.match(text)
        if m:
            return cls(m.group(1), 1.0 / _positive(m.group(2), "frequency", text))
        m = _SDI_RE.match(text)
        if m:
            return cls("SDi", _positive(m.group(1), "period", text),
                       strength_ratio=_positive(m.group(2), "strength ratio", text))
        if text == "SDi" or text.startswith("SDi("):
            raise InvalidInput("invalid IMT %r: give its period and strength ratio, "
                               "e.g. SDi(1.0,2.0)" % text[:40])
        if text in KNOWN_IMTS and text != "SA":
            return cls(text)
        raise InvalidInput("unknown IMT %r" % text)

    @property
    def frequency(self) -> float:
        """The frequency in Hz (1 / period) of a spectral IMT."""
        return 1.0 / self.period

    @property
    def string(self) -> str:
        """The OpenQuake spelling, e.g. ``SA(0.1)``, ``EAS(1.000000)``, ``SDi(1.0,2.0)``."""
        if self.name == "SA":
            return "SA(%s)" % self.period
        if self.name in FREQUENCY_IMTS and self.period:
            return "%s(%.6f)" % (self.name, self.frequency)
        if self.name == "SDi":
            return "SDi(%s,%s)" % (self.period, self.strength_ratio)
        if self.name == "AvgSA" and self.period:
            return "AvgSA(%s)" % self.period
        return self.name

    def __str__(self) -> str:
        return self.string

    @property
    def is_spectral(self) -> bool:
        """True for PGA and SA (the IMTs of a uniform hazard spectrum)."""
        return self.name in ("PGA", "SA")

    @property
    def sort_period(self) -> float:
        """Period used to order IMTs in a spectrum (PGA = 0)."""
        return self.period if self.name == "SA" else 0.0


def uhs_indices(imts) -> list[int]:
    """The positions in ``imts`` (IMT strings) of the IMTs of a uniform hazard
    spectrum: PGA and the SA(T), in their given order."""
    return [m for m, imt in enumerate(imts) if IMT.from_string(imt).is_spectral]


def from_string(text: str) -> IMT:
    """Shortcut for :meth:`IMT.from_string`."""
    return IMT.from_string(text)


PGA = IMT("PGA")
PGV = IMT("PGV")


def SA(period: float) -> IMT:
    """The spectral acceleration IMT at ``period`` seconds."""
    return IMT("SA", float(period))
