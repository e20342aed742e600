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


class WC1994_QCSS(BaseMSR):
    """Wells & Coppersmith (1994) strike-slip length relation (Table 2A:
    log10 L = -2.57 + 0.62 M) turned into an area with a 20 km seismogenic width
    (L² below it), as the 2015 Canadian model does for the Queen Charlotte fault."""

    def get_median_area(self, mag, rake):
        length = 10.0 ** (-2.57 + 0.62 * mag)
        return length ** 2 if length < 20.0 else length * 20.0


class _LogLinearMSR(BaseMSR):
    """log10 A = INTERCEPT + SLOPE M (km²), times WIDTH_FACTOR; rake ignored."""
    INTERCEPT = 0.0
    SLOPE = 1.0
    WIDTH_FACTOR = 1.0

    def get_median_area(self, mag, rake):
        return 10.0 ** (self.INTERCEPT + self.SLOPE * mag) * self.WIDTH_FACTOR


def _log_linear(name: str, intercept: float, slope: float, doc: str,
                width_factor: float = 1.0) -> type:
    return type(name, (_LogLinearMSR,), dict(
        INTERCEPT=intercept, SLOPE=slope, WIDTH_FACTOR=width_factor,
        __doc__=doc, __module__=__name__))


class AllenHayesInterfaceBilinear(BaseMSR):
    """Allen & Hayes (2017, BSSA 107(3)), subduction interface, bilinear:
    log10 A = -5.62 + 1.22 M up to M 8.63, 2.23 + 0.31 M above."""

    def get_median_area(self, mag, rake):
        if mag <= 8.63:
            return 10.0 ** (-5.62 + 1.22 * mag)
        return 10.0 ** (2.23 + 0.31 * mag)


class BCHydroNVAMSR(BaseMSR):
    """BC Hydro Northern Volcanic Arc zone: A = exp(2.095 M - 7.883) km²."""

    def get_median_area(self, mag, rake):
        return math.exp(2.095 * mag - 7.883)


def _width_factor(thickness_km: float, dip_deg: float) -> float:
    # down-dip width (km) of a seismogenic layer of the given thickness and dip
    return thickness_km / math.sin(math.radians(dip_deg))


#: one-line log-linear relations: name -> (intercept, slope, width factor, reference)
_LOG_LINEAR = {
    "AllenHayesInterfaceLinear": (-3.63, 0.96, 1.0,
                                  "Allen & Hayes (2017), subduction interface, linear"),
    "AllenHayesIntraslab": (-3.89, 0.96, 1.0, "Allen & Hayes (2017), intraslab"),
    "CEUS2011": (-4.366, 1.0, 1.0, "CEUS SSC project (2011), Appendix H"),
    "GermanyMSR": (-2.44, 0.59, 1.0, "2018 national seismic hazard model of Germany"),
    "Leonard2010_SCR": (-4.19, 1.0, 1.0, "Leonard (2010, BSSA 100(5A)), Table 6, SCR"),
    "Leonard2010_SCR_M0": (-4.22, 1.0, 1.0, "Leonard (2010), SCR, Table 5 M0 conversion"),
    "Leonard2010_SCR_MX": (-4.00, 1.0, 1.0, "Leonard (2010), SCR, modified intercept"),
    "ThingbaijamInterface": (-3.292, 0.949, 1.0, "Thingbaijam et al. (2017), interface"),
    "ThingbaijamStrikeSlip": (-3.486, 0.942, 1.0,
                              "Thingbaijam et al. (2017), strike slip"),
    "ThingbaijamNormalFault": (-2.551, 0.808, 1.0, "Thingbaijam et al. (2017), normal"),
    "ThingbaijamReverseFault": (-4.362, 1.049, 1.0, "Thingbaijam et al. (2017), reverse"),
    # Canadian offshore thrusts (GSC 2015): a length relation times a fixed width
    "GSCCascadia": (3.01, 0.001, 125.0, "GSC 2015, Cascadia (Juan de Fuca), 125 km wide"),
    "GSCEISO": (1.90, 0.001, _width_factor(11.0, 18.0),
                "GSC 2015, Explorer segment, outboard (5-16 km, dip 18)"),
    "GSCEISB": (1.90, 0.001, _width_factor(17.0, 18.0),
                "GSC 2015, Explorer segment, best estimate (5-22 km, dip 18)"),
    "GSCEISI": (1.90, 0.001, _width_factor(23.0, 18.0),
                "GSC 2015, Explorer segment, inboard (5-28 km, dip 18)"),
    "GSCOffshoreThrustsWIN": (-2.943, 0.677, _width_factor(3.0, 15.0),
                              "GSC 2015, Winona segment (2-5 km, dip 15)"),
    "GSCOffshoreThrustsHGT": (-2.943, 0.677, _width_factor(19.0, 25.0),
                              "GSC 2015, Haida Gwaii thrust (3-22 km, dip 25)"),
}

MSRS = {cls.__name__: cls for cls in (WC1994, PeerMSR, CScalingMSR, PointMSR,
                                      StrasserInterface,
                                      StrasserIntraslab, Leonard2014_Interplate,
                                      Leonard2014_SCR, WC1994_QCSS,
                                      AllenHayesInterfaceBilinear, BCHydroNVAMSR)}
for _name, (_a, _b, _w, _ref) in _LOG_LINEAR.items():
    # module-level classes (picklable, importable by name)
    globals()[_name] = MSRS[_name] = _log_linear(
        _name, _a, _b, "%s: log10 A = %s + %s M (km²)%s." % (
            _ref, _a, _b, "" if _w == 1.0 else " times a %.4g km width" % _w), _w)


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
