"""Magnitude-scaling relations (MSRs): median rupture area (km²) from magnitude and rake."""
from __future__ import annotations

import math


import attrs

from oqcore.errors import InvalidInput


class BaseMSR:
    """A magnitude-scaling relation giving a median area in km²."""

    def get_median_area(self, mag: float, rake: float | None) -> float:
        """Median rupture area in km² for magnitude ``mag`` and ``rake`` (degrees)."""
        raise NotImplementedError

    def get_median_mag(self, area: float, rake: float | None) -> float:
        """Median magnitude of a rupture of ``area`` km² (the area-magnitude relation;
        used by the recomputeMmax logic-tree uncertainty)."""
        raise InvalidInput("the magnitude scaling relation %s gives no magnitude from an "
                           "area" % type(self).__name__)

    def get_std_dev_mag(self, area: float, rake: float | None) -> float:
        """Standard deviation of :meth:`get_median_mag` (magnitude units)."""
        raise InvalidInput("the magnitude scaling relation %s gives no magnitude "
                           "standard deviation" % type(self).__name__)

    def __repr__(self):
        return "<%s>" % type(self).__name__


class WC1994(BaseMSR):
    """Wells & Coppersmith (1994), area-magnitude relations by style of faulting."""

    def get_median_area(self, mag, rake):
        if rake is None:
            return 10.0 ** (-3.49 + 0.91 * mag)
        if (-45 <= rake <= 45) or (rake >= 135) or (rake <= -135):
            return 10.0 ** (-3.42 + 0.90 * mag)  # strike slip
        if rake > 0:
            return 10.0 ** (-3.99 + 0.98 * mag)  # thrust/reverse
        return 10.0 ** (-2.87 + 0.82 * mag)      # normal

    def get_median_mag(self, area, rake):
        """Wells & Coppersmith (1994) table 2A, magnitude from rupture area."""
        if rake is None:
            return 4.07 + 0.98 * math.log10(area)
        if (-45 <= rake <= 45) or (rake > 135) or (rake < -135):
            return 3.98 + 1.02 * math.log10(area)  # strike slip
        if rake > 0:
            return 4.33 + 0.90 * math.log10(area)  # thrust/reverse
        return 3.93 + 1.02 * math.log10(area)      # normal

    def get_std_dev_mag(self, area, rake):
        """Wells & Coppersmith (1994) table 2A, standard deviation of magnitude."""
        if rake is None:
            return 0.24
        if (-45 <= rake <= 45) or (rake >= 135) or (rake <= -135):
            return 0.23
        return 0.25


class PeerMSR(BaseMSR):
    """PEER PSHA test cases: log10 A = M - 4."""

    def get_median_area(self, mag, rake):
        return 10.0 ** (mag - 4.0)


@attrs.define(repr=False)
class CScalingMSR(BaseMSR):
    """A = 10^(M - C) km² (``CScalingMSR.C = 3.90`` in NRML)."""
    C: float = 4.0

    def get_median_area(self, mag, rake):
        return 10.0 ** (mag - self.C)


class StrasserInterface(BaseMSR):
    """Strasser et al. (2010), subduction interface: log10 A = -3.476 + 0.952 M."""

    def get_median_area(self, mag, rake):
        return 10.0 ** (-3.476 + 0.952 * mag)


class StrasserIntraslab(BaseMSR):
    """Strasser et al. (2010), intraslab: log10 A = -3.225 + 0.890 M."""

    def get_median_area(self, mag, rake):
        return 10.0 ** (-3.225 + 0.890 * mag)


class _Leonard2014(BaseMSR):
    """Leonard (2014): log10 A = M - k, with k for all / strike-slip / dip-slip."""
    #: k of the unknown rake, of strike slip, of dip slip
    OFFSETS = (0.0, 0.0, 0.0)

    def _offset(self, rake) -> float:
        if rake is None:
            return self.OFFSETS[0]
        if ((-45 <= rake <= 45) or rake >= 135 or rake <= -135):
            return self.OFFSETS[1]
        return self.OFFSETS[2]

    def get_median_area(self, mag, rake):
        return 10.0 ** (mag - self._offset(rake))

    def get_median_mag(self, area, rake):
        """The inverse of the area relation: M = log10 A + k."""
        return math.log10(area) + self._offset(rake)

    def get_std_dev_mag(self, area, rake):
        """Leonard (2014) gives no magnitude standard deviation: 0."""
        return 0.0


class Leonard2014_Interplate(_Leonard2014):
    """Leonard (2014), interplate: log10 A = M - 4.0 (strike slip 3.99 for SS)."""
    OFFSETS = (3.995, 3.99, 4.00)


class Leonard2014_SCR(_Leonard2014):
    """Leonard (2014), stable continental regions."""
    OFFSETS = (4.185, 4.18, 4.19)


class PointMSR(BaseMSR):
    """A tiny constant area (1e-4 km², 10 m x 10 m) to mimic point ruptures."""

    def get_median_area(self, mag, rake):
        return 1e-4


class WC1994_QCSS(WC1994):
    """Alias used by some models (strike-slip WC1994)."""


MSRS = {cls.__name__: cls for cls in (WC1994, PeerMSR, CScalingMSR, PointMSR,
                                      StrasserInterface,
                                      StrasserIntraslab, Leonard2014_Interplate,
                                      Leonard2014_SCR)}


def msr_from_text(text: str) -> BaseMSR:
    """Parse ``WC1994`` or ``CScalingMSR.C = 3.9``; InvalidInput if unknown."""
    text = text.strip()
    if "." in text.split("=")[0]:
        name, rest = text.split(".", 1)
        name = name.strip()
        kw = {}
        for item in rest.split(","):
            k, v = item.split("=")
            kw[k.strip()] = float(v)
        cls = MSRS.get(name)
        if cls is None:
            raise InvalidInput("unknown magnitude scaling relation %r" % name)
        return cls(**kw)
    cls = MSRS.get(text)
    if cls is None:
        raise InvalidInput("unknown magnitude scaling relation %r (known: %s)" % (
            text, ", ".join(sorted(MSRS))))
    return cls()
