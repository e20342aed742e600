"""Site and basin terms that can be added to any model (through ModifiableGMPE or the
wrapper classes here), each computed from the motion of the underlying model on rock.

* NRCan15: the site factors of the 2015 National Building Code of Canada (Atkinson and
  Adams, 2013): the Boore and Atkinson (2008) linear and non-linear amplification
  relative to 760 m/s, driven by the rock motion of the same IMT; ``kind = "linear"``
  de-amplifies hard rock (vs30 > 760 m/s) by interpolating, in log-log space, the AB06
  factor between 760 m/s (1) and 2000 m/s (``c``).
* CY14: the linear and non-linear site term of Chiou and Youngs (2014) relative to
  1130 m/s, driven by the rock motion itself.
* BA08: the site term of Boore and Atkinson (2008) driven by their rock PGA.
* BSSA14: the site term of Boore et al. (2014) driven by their rock PGA.
* CB14 basin: the basin (sediment-depth) term of Campbell and Bozorgnia (2014), eq. 20.
* M9 basin: the USGS "M9" adjustment, ln 2 for SA beyond 1.9 s at sites with
  z2.5 >= 6 km.

Every term takes the site contexts ``ctx`` (their vs30, z2.5), the IMT and the ln-mean
(N,) of the underlying model on rock, and returns the term to add (ln units, (N,)).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import boore_2014, boore_atkinson_2008, chiou_youngs_2014
from oqcore.hazard.gsim.base import GMPE, check_choice, coeffs_table
from oqcore.hazard.gsim.campbell_bozorgnia_2014 import (
    CampbellBozorgnia2014, _f_sed, z2pt5_default)
from oqcore.hazard.gsim.toml_form import single_model
from oqcore.hazard.imt import PGA, IMT

#: reference rock vs30 (m/s) of the terms relative to 760 m/s, and of CY14
VS_ROCK, VS_ROCK_CY14 = 760.0, 1130.0
#: NRCan15: vs30 (m/s) at and beyond which hard rock is not de-amplified further
NRCAN_VS_HARD = 2000.0
#: M9 basin term: minimum period (exclusive, s), minimum z2.5 (km), amplification
M9_PERIOD, M9_Z25, M9_FACTOR = 1.9, 6.0, np.log(2.0)


class _Tables:
    """Coefficient tables of the NRCan15 site term (AB06 hard-rock factors)."""
    AB06_HARD_ROCK = coeffs_table(__file__, "site_terms", "nrcan15_ab06_hard_rock.csv")


def nrcan15_site_term(ctx, imt: IMT, ln_rock: np.ndarray, kind: str = "base") -> np.ndarray:
    """ln of the NRCan15 site factor at the sites' vs30 (m/s) for rock motion ``ln_rock``."""
    C = boore_atkinson_2008.BooreAtkinson2008.COEFFS_SOIL_RESPONSE[imt]
    vs30 = np.asarray(ctx.vs30, float)
    rock = np.exp(ln_rock)
    out = np.zeros_like(vs30)
    soft = vs30 < VS_ROCK
    hard = vs30 > VS_ROCK
    if kind == "base":
        # BA08 amplification on both sides of 760 m/s, vs30 capped just below 2000 m/s
        vs = np.where(vs30 >= NRCAN_VS_HARD, NRCAN_VS_HARD - 1.0, vs30)
        sel = soft | hard
        out[sel] = boore_atkinson_2008.site_amplification(C, vs[sel], rock[sel])
    else:
        vs = np.minimum(vs30, NRCAN_VS_HARD)
        out[soft] = boore_atkinson_2008.site_amplification(C, vs[soft], rock[soft])
        c = _Tables.AB06_HARD_ROCK[imt]["c"]
        frac = np.log10(vs[hard] / VS_ROCK) / np.log10(NRCAN_VS_HARD / VS_ROCK)
        out[hard] = -frac * np.log(c)
    return out


def cy14_site_term(ctx, imt: IMT, ln_rock: np.ndarray) -> np.ndarray:
    """CY14 linear + non-linear site term (eq. 11 without the basin term), ``ln_rock``
    being the motion at 1130 m/s."""
    C = chiou_youngs_2014.ChiouYoungs2014.COEFFS[imt]
    vs30 = np.asarray(ctx.vs30, float)
    linear = C["phi1"] * np.minimum(np.log(vs30 / VS_ROCK_CY14), 0.0)
    return linear + chiou_youngs_2014.nonlinear_factor(C, vs30) * np.log(
        (np.exp(ln_rock) + C["phi4"]) / C["phi4"])


def ba08_site_term(ctx, imt: IMT, ln_rock: np.ndarray) -> np.ndarray:
    """BA08 site amplification (eqs. 7-13) driven by their PGA on rock (mag, rake, rjb)."""
    ba08 = boore_atkinson_2008
    C_pga = ba08.BooreAtkinson2008.COEFFS[PGA]
    pga4nl = np.exp(ba08.magnitude_scaling(C_pga, ctx.mag, ctx.rake)
                    + ba08.distance_scaling(C_pga, ctx.mag, ctx.rjb))
    C_sr = ba08.BooreAtkinson2008.COEFFS_SOIL_RESPONSE[imt]
    return ba08.site_amplification(C_sr, ctx.vs30, pga4nl)


def bssa14_site_term(ctx, imt: IMT, ln_rock: np.ndarray) -> np.ndarray:
    """BSSA14 linear + non-linear site term driven by their PGA on rock (eqs. 5-8)."""
    C_pga = boore_2014.BooreEtAl2014.COEFFS[PGA]
    pga_rock = np.exp(boore_2014.source_term(C_pga, ctx.mag, ctx.rake)
                      + boore_2014.path_term(C_pga, ctx.mag, ctx.rjb))
    C = boore_2014.BooreEtAl2014.COEFFS[imt]
    return boore_2014.site_linear(C, ctx.vs30) + boore_2014.site_nonlinear(
        C, ctx.vs30, pga_rock)


def cb14_basin_term(ctx, imt: IMT, ln_rock: np.ndarray) -> np.ndarray:
    """CB14 basin term (eq. 20); unknown z2.5 (-999) get the California default."""
    z25 = np.asarray(ctx.z2pt5, float)
    z25 = np.where(z25 == -999, z2pt5_default(ctx.vs30), z25)
    return _f_sed(CampbellBozorgnia2014.COEFFS[imt], z25)


def m9_basin_term(ctx, imt: IMT, ln_rock: np.ndarray) -> np.ndarray:
    """The M9 basin amplification: ln 2 for SA(T > 1.9 s) where z2.5 >= 6 km."""
    z25 = np.asarray(ctx.z2pt5, float)
    if np.any(z25 == -999):
        raise InvalidInput("the M9 basin term needs z2pt5 at every site (no -999 values)")
    if imt.name != "SA" or imt.period <= M9_PERIOD:
        return np.zeros_like(z25)
    return np.where(z25 >= M9_Z25, M9_FACTOR, 0.0)


def us23_basin_term(ctx, imt: IMT, cb14: bool, m9: bool) -> np.ndarray:
    """The US 2023 NSHM basin adjustment of models lacking a basin term: the CB14 term
    (``cb14``) and, with ``m9``, ln 2 instead for SA(T >= 1.9 s) where z2.5 >= 6 km
    (unknown z2.5 from the California vs30 model), shape (N,)."""
    out = cb14_basin_term(ctx, imt, None) if cb14 else np.zeros(len(ctx))
    if m9 and imt.name == "SA" and imt.period >= M9_PERIOD:
        z25 = np.asarray(ctx.z2pt5, float)
        z25 = np.where(z25 == -999, z2pt5_default(ctx.vs30), z25)
        out = np.where(z25 >= M9_Z25, M9_FACTOR, out)
    return out


class _SiteTermGMPE(GMPE):
    """A model (``gmpe_name`` and its arguments) evaluated on rock plus a site term."""

    abstract = True
    COMPOSITE = True
    ROCK_VS30: float = VS_ROCK
    EXTRA_SITES: frozenset = frozenset(["vs30"])

    def __init__(self, resolve=None, **kwargs):
        self.kwargs = dict(kwargs)
        self.mixture = None
        self.gmpe = inner_model(type(self).__name__, kwargs, resolve)
        copy_definitions(self, self.gmpe)
        self.REQUIRES_SITES_PARAMETERS = self.gmpe.REQUIRES_SITES_PARAMETERS | self.EXTRA_SITES

    def check_imt(self, imt: IMT) -> None:
        self.gmpe.check_imt(imt)

    def term(self, ctx, imt, ln_rock):
        raise NotImplementedError

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self.gmpe.compute(with_vs30(ctx, self.ROCK_VS30), imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            mean[m] += self.term(ctx, imt, mean[m])


class NRCan15SiteTerm(_SiteTermGMPE):
    """A model on rock (760 m/s) with the NRCan15 site factors (base form)."""
    abstract = False
    KIND = "base"

    def term(self, ctx, imt, ln_rock):
        return nrcan15_site_term(ctx, imt, ln_rock, self.KIND)


class NRCan15SiteTermLinear(NRCan15SiteTerm):
    """A model on rock (760 m/s) with the NRCan15 site factors (linear hard-rock form)."""
    KIND = "linear"


def with_vs30(ctx, vs30: float):
    """A copy of the contexts with every vs30 set to ``vs30`` (m/s)."""
    rock = ctx.copy()
    rock["vs30"] = vs30
    return rock.view(np.recarray)


#: the attributes a wrapper takes from the model it wraps
DEFINITIONS = ("DEFINED_FOR_TECTONIC_REGION_TYPE", "DEFINED_FOR_INTENSITY_MEASURE_TYPES",
               "DEFINED_FOR_INTENSITY_MEASURE_COMPONENT",
               "DEFINED_FOR_STANDARD_DEVIATION_TYPES", "DEFINED_FOR_REFERENCE_VELOCITY",
               "REQUIRES_SITES_PARAMETERS", "REQUIRES_RUPTURE_PARAMETERS",
               "REQUIRES_DISTANCES")


def copy_definitions(wrapper: GMPE, gmpe: GMPE) -> None:
    """Give ``wrapper`` the DEFINED_FOR_* and REQUIRES_* of the model it wraps."""
    for name in DEFINITIONS:
        setattr(wrapper, name, getattr(gmpe, name))


def _library_resolver(classes: dict):
    """(name, arguments) -> model, from a {name: class} mapping (no registry at hand)."""
    def resolve(name, kwargs):
        try:
            cls = classes[name]
        except KeyError:
            raise InvalidInput("unknown GSIM %r" % name) from None
        if getattr(cls, "COMPOSITE", False):
            return cls(resolve=resolve, **kwargs)
        return cls(**kwargs)
    return resolve


def default_resolver():
    """The resolver of the built-in models (used when a composite model is built
    directly rather than from a logic tree)."""
    from oqcore.hazard.gsim.library import builtin_gsims
    return _library_resolver(builtin_gsims())


def nested_model(owner: str, key: str, spec, resolve) -> GMPE:
    """Build the model ``{name: arguments}`` given as argument ``key`` of ``owner``."""
    name, kwargs = single_model(owner, key, spec)
    return (resolve or default_resolver())(name, kwargs)


def inner_model(owner: str, kwargs: dict, resolve, own: tuple = ()) -> GMPE:
    """The model a wrapper amplifies or adjusts, given either as ``gmpe = {Name = {...}}``
    or, as OpenQuake's job files do, as ``gmpe_name = "Name"`` whose arguments are the
    wrapper's other arguments (all but those in ``own``).

    :param kwargs: the wrapper's arguments (not modified)
    """
    if "gmpe" in kwargs:
        if "gmpe_name" in kwargs:
            raise InvalidInput("%s: give gmpe or gmpe_name, not both" % owner)
        extra = set(kwargs) - set(own) - {"gmpe"}
        if extra:
            raise InvalidInput("%s does not accept the argument(s) %s; accepted: %s" % (
                owner, ", ".join(sorted(extra)), ", ".join(sorted(own + ("gmpe",)))))
        return nested_model(owner, "gmpe", kwargs["gmpe"], resolve)
    name = kwargs.get("gmpe_name")
    if not isinstance(name, str):
        raise InvalidInput("%s needs the model it wraps: gmpe_name = \"Name\" or "
                           "gmpe.Name = {}" % owner)
    inner = {k: v for k, v in kwargs.items() if k not in own and k != "gmpe_name"}
    return (resolve or default_resolver())(name, inner)


def check_kind(model: str, kind) -> None:
    """The NRCan15 ``kind``: "base" or "linear"."""
    check_choice(model, "kind", kind, ("base", "linear"))
