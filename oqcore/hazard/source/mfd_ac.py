"""The alternative characteristic (AC) MFD: two truncated exponentials back to back.

From ``min_mag`` to ``m_c = max_mag - delta_m_AC`` a Gutenberg-Richter zone of b-value
``b_GR``; from ``m_c`` to ``max_mag`` an AC zone of b-value ``b_AC``. ``gamma`` is the
fraction of the total moment rate released in the AC zone and ``total_rate`` the annual
rate of events above ``min_mag``; the split of the rate between the zones follows the
moment balance of BC Hydro's memo on AC MFDs (eq. 1.2)::

    N_GR / N_AC = (1 - gamma) / gamma * b_AC (f_AC - g_AC) (c - b_GR) (1 - f_GR)
                  / (b_GR (c - b_AC) g_AC f_GR (1 - f_AC))

with f_GR = 10^(-b_GR (m_c - min_mag)), f_AC = 10^(-b_AC delta_m_AC),
g_AC = 10^(-c delta_m_AC), c = 1.5. The NRML element is ``<alternativeCharacteristicMFD
minMag maxMag bGR bAC deltaMagAC gamma totalRate/>`` or, instead of gamma and totalRate,
reference exceedance rates ``refMagGR rateRefGR refMagAC rateRefAC``.
"""
from __future__ import annotations

import math

import attrs

from oqcore.errors import InvalidInput
from oqcore.hazard.source.mfd import TruncatedGRMFD

#: exponent of the magnitude-moment relation log10 M0 = C M + d
C = 1.5


def _exp_bin(a: float, b: float, lo: float, hi: float) -> float:
    """Rate of a truncated exponential (cumulative a, b) between ``lo`` and ``hi``."""
    return 10.0 ** (a - b * lo) - 10.0 ** (a - b * hi)


def _zone_moment_rate(a: float, b: float, lo: float, hi: float) -> float:
    """Moment rate (N·m/yr) of a truncated exponential zone, log10 M0 = 1.5 M + 9.05."""
    ai = 9.05 + a + math.log10(b)
    bi = C - b
    if bi == 0:
        return 10.0 ** ai * math.log(10.0) * (hi - lo)
    return 10.0 ** ai / bi * (10.0 ** (bi * hi) - 10.0 ** (bi * lo))


def _balance_factor(b_gr: float, b_ac: float, width_gr: float, width_ac: float) -> float:
    """K such that N_GR = (1 - gamma) / gamma * K * N_AC (the moment balance)."""
    f_gr = 10.0 ** (-b_gr * width_gr)
    f_ac = 10.0 ** (-b_ac * width_ac)
    g_ac = 10.0 ** (-C * width_ac)
    return (b_ac * (f_ac - g_ac) * (C - b_gr) * (1.0 - f_gr)
            / (b_gr * (C - b_ac) * g_ac * f_gr * (1.0 - f_ac)))


@attrs.define
class AlternativeCharacteristicMFD:
    """See the module docstring; magnitudes in Mw, rates per year."""
    min_mag: float
    max_mag: float
    bin_width: float
    b_gr: float
    b_ac: float
    gamma: float
    delta_m_ac: float
    total_rate: float

    @classmethod
    def from_reference_rates(cls, min_mag, max_mag, bin_width, b_gr, b_ac, delta_m_ac,
                             ref_mag_gr, rate_ref_gr, ref_mag_ac, rate_ref_ac
                             ) -> "AlternativeCharacteristicMFD":
        """The MFD whose zones exceed ``ref_mag_*`` at the annual rates ``rate_ref_*``."""
        m_c = max_mag - delta_m_ac

        def zone_rate(rate, b, ref, lo, hi):
            return rate * (10.0 ** (-b * lo) - 10.0 ** (-b * hi)) / (
                10.0 ** (-b * ref) - 10.0 ** (-b * hi))
        n_gr = zone_rate(rate_ref_gr, b_gr, ref_mag_gr, min_mag, m_c)
        n_ac = zone_rate(rate_ref_ac, b_ac, ref_mag_ac, m_c, max_mag)
        k = _balance_factor(b_gr, b_ac, m_c - min_mag, delta_m_ac)
        return cls(min_mag, max_mag, bin_width, b_gr, b_ac, k * n_ac / (k * n_ac + n_gr),
                   delta_m_ac, n_gr + n_ac)

    def check(self) -> None:
        """Raise ValueError for an inconsistent distribution."""
        if not self.bin_width > 0:
            raise ValueError("bin width %g must be positive" % self.bin_width)
        if not self.min_mag >= 0:
            raise ValueError("minMag %g must be non-negative" % self.min_mag)
        if not self.max_mag >= self.min_mag + self.bin_width:
            raise ValueError("maxMag %g must exceed minMag %g by one bin (%g) at least" % (
                self.max_mag, self.min_mag, self.bin_width))
        if not (self.b_gr > 0 and self.b_ac > 0):
            raise ValueError("bGR %g and bAC %g must be positive" % (self.b_gr, self.b_ac))
        if self.b_ac == C:
            raise ValueError("bAC cannot be 1.5 (the moment rate of the AC zone diverges)")
        if not 0 < self.gamma < 1:
            raise ValueError("gamma %g must be between 0 and 1" % self.gamma)
        if not self.delta_m_ac > 0:
            raise ValueError("deltaMagAC %g must be positive" % self.delta_m_ac)
        if not self.max_mag - self.delta_m_ac > self.min_mag:
            raise ValueError("maxMag - deltaMagAC = %g must be above minMag %g" % (
                self.max_mag - self.delta_m_ac, self.min_mag))
        if not self.total_rate > 0:
            raise ValueError("totalRate %g must be positive" % self.total_rate)

    @property
    def m_c(self) -> float:
        """The magnitude separating the GR and AC zones."""
        return self.max_mag - self.delta_m_ac

    def zone_a_values(self) -> tuple[float, float]:
        """(a_GR, a_AC): the cumulative a-values of the two zones."""
        m_c = self.m_c
        k = _balance_factor(self.b_gr, self.b_ac, m_c - self.min_mag, self.delta_m_ac)
        ratio = (1.0 - self.gamma) / self.gamma * k  # N_GR / N_AC
        n_ac = self.total_rate / (ratio + 1.0)
        n_gr = ratio * n_ac
        a_gr = math.log10(n_gr) - math.log10(
            10.0 ** (-self.b_gr * self.min_mag) - 10.0 ** (-self.b_gr * m_c))
        a_ac = math.log10(n_ac) - math.log10(
            10.0 ** (-self.b_ac * m_c) - 10.0 ** (-self.b_ac * self.max_mag))
        return a_gr, a_ac

    #: (first bin centre, number of bins): the binning of a truncated GR MFD
    _bins = TruncatedGRMFD._bins

    def get_annual_occurrence_rates(self) -> list[tuple[float, float]]:
        """[(magnitude, annual rate)] per bin; a bin across ``m_c`` adds both zones."""
        a_gr, a_ac = self.zone_a_values()
        m_c, half = self.m_c, self.bin_width / 2.0
        mag, nbins = self._bins()
        out = []
        for _ in range(nbins):
            lo, hi = mag - half, mag + half
            if hi <= m_c:
                rate = _exp_bin(a_gr, self.b_gr, lo, hi)
            elif lo >= m_c:
                rate = _exp_bin(a_ac, self.b_ac, lo, hi)
            else:
                rate = _exp_bin(a_gr, self.b_gr, lo, m_c) + _exp_bin(a_ac, self.b_ac,
                                                                     m_c, hi)
            out.append((mag, rate))
            mag += self.bin_width
        return out

    def get_min_max_mag(self) -> tuple[float, float]:
        """The magnitudes of the first and last bins."""
        lo, n = self._bins()
        return lo, lo + self.bin_width * (n - 1)

    def total_moment_rate(self) -> float:
        """Moment rate of both zones, N·m/yr."""
        a_gr, a_ac = self.zone_a_values()
        return (_zone_moment_rate(a_gr, self.b_gr, self.min_mag, self.m_c) +
                _zone_moment_rate(a_ac, self.b_ac, self.m_c, self.max_mag))

    def _keep_moment(self, change) -> None:
        """Apply ``change`` then rescale ``total_rate`` to the former moment rate."""
        tmr = self.total_moment_rate()
        change()
        self.check()
        self.total_rate = tmr / (self.total_moment_rate() / self.total_rate)

    def modify(self, kind: str, value) -> None:
        """Apply a logic-tree uncertainty: bGRAbsolute, bACAbsolute, maxMagGRAbsolute,
        bGRRelative and bACRelative (moment rate kept), maxMagAndDeltaMagACRelative
        (value = (dmax, ddelta), moment rate kept) and its NoMoBalance variant."""
        if kind == "bGRAbsolute":
            self.b_gr = value
        elif kind == "bACAbsolute":
            self.b_ac = value
        elif kind == "maxMagGRAbsolute":
            self.max_mag = value
        elif kind == "bGRRelative":
            self._keep_moment(lambda: setattr(self, "b_gr", self.b_gr + value))
        elif kind == "bACRelative":
            self._keep_moment(lambda: setattr(self, "b_ac", self.b_ac + value))
        elif kind in ("maxMagAndDeltaMagACRelative",
                      "maxMagAndDeltaMagACRelativeNoMoBalance"):
            def change():
                self.max_mag += value[0]
                self.delta_m_ac += value[1]
            if kind.endswith("NoMoBalance"):
                change()
            else:
                self._keep_moment(change)
        else:
            raise InvalidInput("%s cannot be applied to an alternative characteristic MFD"
                               % kind)
        self.check()


def from_node(node, bin_width: float) -> AlternativeCharacteristicMFD:
    """An ``<alternativeCharacteristicMFD>`` node (bin width from the job)."""
    common = dict(min_mag=node.attr("minMag", float), max_mag=node.attr("maxMag", float),
                  bin_width=bin_width, b_gr=node.attr("bGR", float),
                  b_ac=node.attr("bAC", float), delta_m_ac=node.attr("deltaMagAC", float))
    if "refMagGR" in node.attrib:
        return AlternativeCharacteristicMFD.from_reference_rates(
            **common, ref_mag_gr=node.attr("refMagGR", float),
            rate_ref_gr=node.attr("rateRefGR", float),
            ref_mag_ac=node.attr("refMagAC", float),
            rate_ref_ac=node.attr("rateRefAC", float))
    return AlternativeCharacteristicMFD(**common, gamma=node.attr("gamma", float),
                                        total_rate=node.attr("totalRate", float))
