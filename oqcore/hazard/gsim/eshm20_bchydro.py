"""The BC Hydro subduction model as adjusted for the 2020 European Seismic Hazard Model.

Weatherill, G., Cotton, F., Danciu, L. et al. (2020-2021). ESHM20 subduction ground-motion
logic tree: the BC Hydro model (Abrahamson et al., 2016) with the anelastic coefficient θ6
recalibrated to Mediterranean (Hellenic and Calabrian) data, and the forearc/backarc term
driven by the site's distance to the volcanic front ``xvf`` (km, positive on the forearc
side) through a taper instead of a backarc flag.

fFABA = (a + b ln(max(R, Rmin) / 40)) w(-xvf), with w one of the tapers below (0 on the
forearc side, 1 on the backarc side); without ``faba_taper_model`` the term is zero.
Everything else (arguments ``ergodic``, ``theta6_adjustment``, ``sigma_mu_epsilon``, the
ΔC1 branches) is the BC Hydro model of :mod:`abrahamson_2015`.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.abrahamson_2015 import (
    AbrahamsonEtAl2015SInter, AbrahamsonEtAl2015SInterHigh, AbrahamsonEtAl2015SInterLow,
    AbrahamsonEtAl2015SSlab, AbrahamsonEtAl2015SSlabHigh, AbrahamsonEtAl2015SSlabLow)
from oqcore.hazard.gsim.base import alias, check_choice, check_number, coeffs_table


def taper_step(x):
    """1 where x > 0, else 0."""
    return (x > 0.0).astype(np.float64)


def taper_sfunc(x, a=0.0, b=0.0):
    """S-shaped taper: 0 up to ``a``, quadratic rise to 0.5 at (a + b) / 2, quadratic
    approach to 1 at ``b`` (km), 1 beyond."""
    y = np.ones_like(x)
    y[x <= a] = 0.0
    mid = (a + b) / 2.0
    rise = (x >= a) & (x <= mid)
    y[rise] = 2.0 * ((x[rise] - a) / (b - a)) ** 2
    top = (x >= mid) & (x <= b)
    y[top] = 1.0 - 2.0 * ((x[top] - b) / (b - a)) ** 2
    return y


def taper_linear(x, width=1.0):
    """Linear ramp from 0 at -width/2 to 1 at +width/2 (km)."""
    return np.clip((x + width / 2.0) / width, 0.0, 1.0)


def taper_sigmoid(x, c=1.0):
    """Logistic function of bandwidth ``c`` (km): 1 / (1 + exp(-x / c))."""
    return 1.0 / (1.0 + np.exp(-x / c))


def taper_gaussian(x, a=-np.inf, b=np.inf, sigma=1.0):
    """Normal CDF of x / sigma renormalised between ``a`` and ``b`` (km), clipped to 0-1."""
    lo = ndtr(a / sigma)
    y = (ndtr(x / sigma) - lo) / (ndtr(b / sigma) - lo)
    return np.clip(y, 0.0, 1.0)


#: taper name -> (function, its parameters and their defaults)
TAPERS = {
    "Step": (taper_step, {}),
    "SFunc": (taper_sfunc, {"a": 0.0, "b": 0.0}),
    "Linear": (taper_linear, {"width": 1.0}),
    "Sigmoid": (taper_sigmoid, {"c": 1.0}),
    "Gaussian": (taper_gaussian, {"a": -np.inf, "b": np.inf, "sigma": 1.0}),
}
TAPER_PARAMS = ("a", "b", "width", "c", "sigma")


class _ESHM20Mixin:
    """The ESHM20 forearc/backarc taper, shared by the six ESHM20 classes."""

    abstract = True
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "xvf"])
    ARGUMENTS = {**AbrahamsonEtAl2015SInter.ARGUMENTS, "faba_taper_model": None,
                 **{p: None for p in TAPER_PARAMS}}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "faba_taper_model", self.faba_taper_model, [None, *TAPERS])
        given = {p: getattr(self, p) for p in TAPER_PARAMS if getattr(self, p) is not None}
        if self.faba_taper_model is None:
            if given:
                raise InvalidInput("%s: %s given without faba_taper_model" % (
                    name, ", ".join(sorted(given))))
            self._taper = None
            return
        func, defaults = TAPERS[self.faba_taper_model]
        extra = set(given) - set(defaults)
        if extra:
            raise InvalidInput("%s: the %s taper takes %s, not %s" % (
                name, self.faba_taper_model, ", ".join(defaults) or "no parameters",
                ", ".join(sorted(extra))))
        for p, v in given.items():
            check_number(name, p, v)
        params = {**defaults, **given}
        if self.faba_taper_model in ("SFunc", "Gaussian") and params["a"] > params["b"]:
            raise InvalidInput("%s: taper bound a = %r exceeds b = %r" % (
                name, params["a"], params["b"]))
        for p in ("width", "c", "sigma"):
            if p in params and params[p] <= 0:
                raise InvalidInput("%s: taper %s must be positive, got %r" % (
                    name, p, params[p]))
        self._taper = (func, params)

    def _backarc_weight(self, ctx):
        """(N,) taper of the distance to the volcanic front (0 without a taper)."""
        if self._taper is None:
            return np.zeros(len(ctx))
        func, params = self._taper
        return func(-np.asarray(ctx.xvf, np.float64), **params)


class BCHydroESHM20SInter(_ESHM20Mixin, AbrahamsonEtAl2015SInter):
    """ESHM20 BC Hydro interface model, central ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SINTER.csv")


class BCHydroESHM20SInterLow(_ESHM20Mixin, AbrahamsonEtAl2015SInterLow):
    """ESHM20 BC Hydro interface model, lower ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SINTER.csv")


class BCHydroESHM20SInterHigh(_ESHM20Mixin, AbrahamsonEtAl2015SInterHigh):
    """ESHM20 BC Hydro interface model, upper ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SINTER.csv")


class BCHydroESHM20SSlab(_ESHM20Mixin, AbrahamsonEtAl2015SSlab):
    """ESHM20 BC Hydro intraslab model, central ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SSLAB.csv")


class BCHydroESHM20SSlabLow(_ESHM20Mixin, AbrahamsonEtAl2015SSlabLow):
    """ESHM20 BC Hydro intraslab model, lower ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SSLAB.csv")


class BCHydroESHM20SSlabHigh(_ESHM20Mixin, AbrahamsonEtAl2015SSlabHigh):
    """ESHM20 BC Hydro intraslab model, upper ΔC1 branch."""

    abstract = False
    COEFFS = coeffs_table(__file__, "eshm20_bchydro", "COEFFS_SSLAB.csv")


#: the ESHM20 logic-tree branches: stress (σμ epsilon, 5-point Miller-Rice Gaussian
#: quadrature) x attenuation (θ6 adjustment), with the S-function taper from -100 to 100 km
STRESS_BRANCHES = {"VLow": -2.856970, "Low": -1.355630, "Mid": 0.0, "High": 1.355630,
                   "VHigh": 2.856970}
ATTENUATION_BRANCHES = {"Fast": -0.0015, "Mid": 0.0, "Slow": 0.0015}

for _stress, _eps in STRESS_BRANCHES.items():
    for _atten, _adj in ATTENUATION_BRANCHES.items():
        for _kind, _base in (("SInter", BCHydroESHM20SInter), ("SSlab", BCHydroESHM20SSlab)):
            _name = "ESHM20%s%sStress%sAtten" % (_kind, _stress, _atten)
            globals()[_name] = alias(_name, _base, __name__, sigma_mu_epsilon=_eps,
                                     theta6_adjustment=_adj, faba_taper_model="SFunc",
                                     a=-100.0, b=100.0)
del _stress, _eps, _atten, _adj, _kind, _base, _name
