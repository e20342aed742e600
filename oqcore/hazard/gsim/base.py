"""The base of every ground-motion model (GMPE) and its coefficient tables.

A model is a small class declaring what it is defined for (tectonic region type, IMTs,
component, standard-deviation types) and what it requires (site, rupture and distance
parameters), plus one method ``compute`` vectorised over N contexts.

Shapes: G gsims, M IMTs, N contexts. Means are natural logarithms of the median in g
(PGA, SA) or cm/s (PGV); standard deviations are in natural-log units.
"""
from __future__ import annotations

import csv
import math
import os
from typing import ClassVar, Iterable, Sequence

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.imt import IMT

#: standard-deviation type names, as OpenQuake spells them
TOTAL = "Total"
INTER_EVENT = "Inter event"
INTRA_EVENT = "Intra event"

#: acceleration of gravity in m/s² used to convert cm/s² to g
G_ACCEL = 9.80665
#: ln(10): converts base-10 logarithms (means and standard deviations) to natural ones
LN10 = math.log(10.0)
#: ln(100 g): ln of a motion in cm/s² minus this is ln of the motion in g
LN_CMS2_PER_G = math.log(100.0 * G_ACCEL)


def ln_g_from_log10_cms2(log10_y: np.ndarray, imt: IMT) -> np.ndarray:
    """Natural log of a median in g (in cm/s for PGV) from its base-10 log in cm/s²
    (cm/s for PGV), the unit of many published models."""
    ln_y = LN10 * log10_y
    if imt.name != "PGV":
        ln_y -= LN_CMS2_PER_G
    return ln_y


def ln_sa_from_ln_drs(ln_drs: np.ndarray, period: float) -> np.ndarray:
    """ln of the spectral acceleration (g) from ln of the displacement response
    spectrum (cm) at ``period`` (s): SA = DRS (2 pi / T)², then cm/s² to g."""
    return ln_drs + 2.0 * np.log(2.0 * np.pi / period) - LN_CMS2_PER_G

#: every context field and its dtype; a context is a numpy record array with a subset
CONTEXT_FIELDS = {
    # rupture
    "mag": np.float64, "rake": np.float64, "dip": np.float64, "strike": np.float64,
    "ztor": np.float64, "width": np.float64, "hypo_depth": np.float64, "zbot": np.float64,
    "hypo_lon": np.float64, "hypo_lat": np.float64,
    # distances (km)
    "rrup": np.float64, "rjb": np.float64, "rx": np.float64, "ry0": np.float64,
    "rhypo": np.float64, "repi": np.float64, "azimuth": np.float64, "rvolc": np.float64,
    "clon": np.float64, "clat": np.float64,
    # sites
    "vs30": np.float64, "vs30measured": np.bool_, "z1pt0": np.float64,
    "z2pt5": np.float64, "backarc": np.bool_, "z_sed": np.float64,
    "lon": np.float64, "lat": np.float64,
    "xvf": np.float64, "slope": np.float64, "geology": "S20", "ec8": "S1",
    "ec8_p18": "S2", "h800": np.float64, "f0": np.float64,
    "region": np.int64, "bas": np.float64, "kappa0": np.float64, "in_cshm": np.bool_,
    "z1pt4": np.float64, "soiltype": np.int64, "siteclass": "S1", "amplfactor": np.float64,
    "freeface_ratio": np.float64, "T_15": np.float64, "F_15": np.float64,
    "D50_15": np.float64,
    # bookkeeping
    "occurrence_rate": np.float64, "sids": np.uint32, "rup_id": np.uint32,
}


class ContextColumns(np.recarray):
    """A context record array whose numeric fields, read as attributes (``ctx.mag``),
    are contiguous read-only copies made once per field and array.

    Record arrays store one row per context, so ``recarray.mag`` is a strided view and
    every numpy operation on it runs slower than on a contiguous array; a model reads
    its fields many times, and the G models of a task read the same fields. Writing a
    field (``ctx.vs30 = 760.``, ``ctx["vs30"] = ...``) drops its copy; copies, slices
    and masks of the array start with no copies.
    """

    def __array_finalize__(self, obj):
        self._columns = {}

    def __getattribute__(self, name):
        if name[0] != "_" and name not in _NDARRAY_ATTRIBUTES:
            columns = np.ndarray.__getattribute__(self, "_columns")
            col = columns.get(name)
            if col is not None:
                return col
            fields = np.ndarray.__getattribute__(self, "dtype").fields
            if fields is not None and name in fields and fields[name][0].kind in "fiub":
                col = np.ascontiguousarray(np.ndarray.__getitem__(self, name).view(np.ndarray))
                col.flags.writeable = False
                columns[name] = col
                return col
        return np.recarray.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name != "_columns":
            self._columns.pop(name, None)
        np.recarray.__setattr__(self, name, value)

    def __setitem__(self, key, value):
        if isinstance(key, str):
            self._columns.pop(key, None)
        else:
            self._columns.clear()
        np.recarray.__setitem__(self, key, value)


_NDARRAY_ATTRIBUTES = frozenset(dir(np.recarray))


def as_columns(ctx) -> ContextColumns:
    """``ctx`` (a structured array of N contexts) viewed as :class:`ContextColumns`
    (itself if it is one already)."""
    if isinstance(ctx, ContextColumns):
        return ctx
    return ctx.view(ContextColumns)


#: IMTs other than SA whose rows in a coefficient table are indexed by period (AvgSA(T))
PERIODIC_ROWS = ("AvgSA",)


class UnknownIMT(InvalidInput):
    """A model was asked for an IMT it does not define."""


def make_context(n: int, **columns) -> np.recarray:
    """Build a context record array of ``n`` rows from keyword columns.

    Every keyword must be a name of :data:`CONTEXT_FIELDS`; scalars are broadcast.
    Access fields as attributes: ``ctx.mag``, ``ctx.rrup`` (arrays of shape (N,)).
    """
    dtype = []
    for name in columns:
        if name not in CONTEXT_FIELDS:
            raise KeyError("unknown context field %r" % name)
        dtype.append((name, CONTEXT_FIELDS[name]))
    ctx = np.zeros(n, dtype).view(np.recarray)
    for name, value in columns.items():
        ctx[name] = value
    return ctx


class CoeffsTable:
    """A table of coefficients per IMT, looked up as ``table[imt]``.

    The result of a lookup is a numpy record: ``C = table[imt]; C['c1']`` is a float.
    SA periods absent from the table are interpolated linearly in ln(T) between the
    two bracketing SA rows (every coefficient); periods outside the table's range and
    IMTs without a row raise :class:`UnknownIMT`. Rows ``AvgSA(T)`` form their own
    period axis, looked up the same way by ``AvgSA(T)``.
    """

    def __init__(self, imts: Sequence[IMT], names: Sequence[str], values: np.ndarray,
                 name: str = ""):
        self.name = name
        self.names = list(names)
        self.dtype = np.dtype([(n, np.float64) for n in self.names])
        values = np.asarray(values, np.float64)
        self.non_sa = {}
        by_period: dict[str, list] = {}
        for imt, row in zip(imts, values):
            if imt.name == "SA" or (imt.period and imt.name in PERIODIC_ROWS):
                by_period.setdefault(imt.name, []).append((imt.period, row))
            else:
                self.non_sa[imt.name] = row
        #: {IMT name: (sorted periods (P,), rows (P, C))} of SA and other periodic IMTs
        self.periodic = {}
        for imt_name, rows in by_period.items():
            rows.sort(key=lambda pr: pr[0])
            self.periodic[imt_name] = (np.array([p for p, _ in rows]), np.array(
                [r for _, r in rows]).reshape(len(rows), len(self.names)))
        self.sa_periods, self.sa_values = self.periodic.get(
            "SA", (np.array([]), np.zeros((0, len(self.names)))))
        self._cache: dict[IMT, np.void] = {}

    @classmethod
    def from_csv(cls, path: str) -> "CoeffsTable":
        """Read a table whose first column ``imt`` holds ``PGA``/``PGV``/``SA(T)``."""
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        if header[0] != "imt":
            raise InvalidInput("first column must be 'imt'", fname=path)
        imts = [IMT.from_string(r[0]) for r in body]
        values = np.array([[float(x) for x in r[1:]] for r in body])
        return cls(imts, header[1:], values, os.path.basename(path))

    @classmethod
    def from_text(cls, text: str, name: str = "") -> "CoeffsTable":
        """Read a table in OpenQuake's text layout: whitespace-separated columns, a header
        line starting with ``IMT``, then rows whose first field is ``pga``, ``pgv`` (any
        case), an SA period or an IMT string; InvalidInput naming ``name`` otherwise."""
        lines = [ln.split() for ln in text.splitlines() if ln.strip()]
        if not lines or lines[0][0].upper() != "IMT" or len(lines[0]) < 2:
            raise InvalidInput("%s: a coefficient table needs a header line 'IMT name ...'"
                               % (name or "table"))
        header, imts, values = lines[0], [], []
        for lineno, row in enumerate(lines[1:], 2):
            if len(row) != len(header):
                raise InvalidInput("%s, row %d: %d fields, the header has %d" % (
                    name or "table", lineno, len(row), len(header)))
            key = row[0]
            try:
                imts.append(IMT.from_string("SA(%s)" % key if _is_number(key)
                                            else key.upper() if key.isalpha() else key))
                values.append([float(x) for x in row[1:]])
            except (ValueError, InvalidInput):
                raise InvalidInput("%s, row %d: invalid IMT or number in %s" % (
                    name or "table", lineno, " ".join(row)[:80])) from None
        return cls(imts, header[1:], np.array(values).reshape(len(imts), len(header) - 1),
                   name)

    @property
    def imts(self) -> list[IMT]:
        """The IMTs having a row (non-periodic first, then by name and period)."""
        return [IMT(n) for n in self.non_sa] + [
            IMT(n, p) for n, (periods, _) in self.periodic.items() for p in periods]

    def _row(self, imt: IMT) -> np.ndarray:
        if imt.name not in self.periodic or (imt.name != "SA" and not imt.period):
            try:
                return self.non_sa[imt.name]
            except KeyError:
                raise UnknownIMT("%s not in coefficient table %s" % (imt, self.name))
        periods, values = self.periodic[imt.name]
        idx = np.searchsorted(periods, imt.period)
        if idx < len(periods) and periods[idx] == imt.period:
            return values[idx]
        if idx == 0 or idx == len(periods):
            raise UnknownIMT("%s is outside the period range %s-%s of table %s" % (
                imt, periods[0] if len(periods) else None,
                periods[-1] if len(periods) else None, self.name))
        lo, hi = periods[idx - 1], periods[idx]
        w = (math.log(imt.period) - math.log(lo)) / (math.log(hi) - math.log(lo))
        return values[idx - 1] + w * (values[idx] - values[idx - 1])

    def __getitem__(self, imt: IMT) -> np.void:
        try:
            return self._cache[imt]
        except KeyError:
            rec = np.array(tuple(self._row(imt)), self.dtype)[()]
            self._cache[imt] = rec
            return rec

    def with_overrides(self, overrides, model: str = "",
                       arg: str = "coeffs") -> "CoeffsTable":
        """A copy of the table with some coefficients replaced: ``overrides`` is
        ``{IMT string: {coefficient name: value}}`` (the ``coeffs`` argument of some
        models), each IMT a row of the table; InvalidInput naming ``model`` and ``arg``
        for anything else. Interpolated periods use the new values."""
        label = "%s: %s" % (model or self.name, arg)
        if not isinstance(overrides, dict):
            raise InvalidInput("%s must be a table of IMT = {name = value}, got %r" % (
                label, overrides))
        rows = {imt: i for i, imt in enumerate(self.imts)}
        values = np.array([self._row(imt) for imt in self.imts])
        for key, changes in overrides.items():
            try:
                imt = IMT.from_string(str(key))
            except InvalidInput:
                raise InvalidInput("%s has an invalid IMT %r" % (label, key)) from None
            if imt not in rows:
                raise InvalidInput("%s: %s is not a row of the coefficient table" % (
                    label, key))
            if not isinstance(changes, dict):
                raise InvalidInput("%s[%s] must be a table of name = value, got %r" % (
                    label, key, changes))
            for name, value in changes.items():
                if name not in self.names:
                    raise InvalidInput("%s[%s]: unknown coefficient %r" % (label, key, name))
                check_number(model, "%s[%s].%s" % (arg, key, name), value)
                values[rows[imt], self.names.index(name)] = float(value)
        return CoeffsTable(self.imts, self.names, values, self.name)

    def __contains__(self, imt: IMT) -> bool:
        try:
            self._row(imt)
        except UnknownIMT:
            return False
        return True


def data_path(module_file: str, *parts: str) -> str:
    """Path of a data file kept next to a model module: ``data/<parts>``."""
    return os.path.join(os.path.dirname(os.path.abspath(module_file)), "data", *parts)


class _TableDescriptor:
    """Lazily load a coefficient CSV the first time a class attribute is read."""

    def __init__(self, module_file: str, *parts: str):
        self.path = data_path(module_file, *parts)
        self.table: CoeffsTable | None = None

    def __get__(self, obj, owner) -> CoeffsTable:
        if self.table is None:
            self.table = CoeffsTable.from_csv(self.path)
        return self.table


def coeffs_table(module_file: str, *parts: str) -> CoeffsTable:
    """Declare a class-level coefficient table read lazily from ``data/<parts>``.

    Usage in a model module: ``COEFFS = coeffs_table(__file__, 'sadigh_1997', 'soil.csv')``.
    """
    return _TableDescriptor(module_file, *parts)  # type: ignore[return-value]


class GMPE:
    """Base class of ground-motion prediction equations.

    Subclasses set the ``DEFINED_FOR_*`` and ``REQUIRES_*`` class attributes (names as
    in OpenQuake) and implement :meth:`compute`. Constructor keyword arguments are the
    model's options (the TOML form of a GSIM logic tree); a model accepting none
    rejects any.
    """

    #: set True on intermediate classes that are not models themselves
    abstract: ClassVar[bool] = True

    DEFINED_FOR_TECTONIC_REGION_TYPE: ClassVar[str] = ""
    DEFINED_FOR_INTENSITY_MEASURE_TYPES: ClassVar[frozenset] = frozenset()
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT: ClassVar[str] = ""
    DEFINED_FOR_STANDARD_DEVIATION_TYPES: ClassVar[frozenset] = frozenset([TOTAL])
    DEFINED_FOR_REFERENCE_VELOCITY: ClassVar[float | None] = None
    REQUIRES_SITES_PARAMETERS: ClassVar[frozenset] = frozenset()
    REQUIRES_RUPTURE_PARAMETERS: ClassVar[frozenset] = frozenset()
    REQUIRES_DISTANCES: ClassVar[frozenset] = frozenset()

    #: names of accepted constructor arguments and their defaults
    ARGUMENTS: ClassVar[dict] = {}

    #: True for models built from other models (they take a ``resolve`` function turning
    #: ``{name: arguments}`` into a model, see :func:`oqcore.hazard.gsim.toml_form.parse_gsim`)
    COMPOSITE: ClassVar[bool] = False

    def __init__(self, **kwargs):
        mixture = kwargs.pop("mixture_model", None)
        unknown = set(kwargs) - set(self.ARGUMENTS)
        if unknown:
            raise InvalidInput("%s does not accept the argument(s) %s; accepted: %s" % (
                type(self).__name__, ", ".join(sorted(unknown)),
                ", ".join(sorted(self.ARGUMENTS)) or "none"))
        self.kwargs = dict(kwargs)
        #: ((stddev factor, weight), ...) of a mixture model, or None (see mixture_model)
        self.mixture = None
        if mixture is not None:
            self.mixture = mixture_components(type(self).__name__, mixture)
            self.kwargs["mixture_model"] = mixture
        for name, default in self.ARGUMENTS.items():
            setattr(self, name, kwargs.get(name, default))

    # ------------------------------------------------------------------ identity
    def __str__(self) -> str:
        name = type(self).__name__
        if not self.kwargs:
            return name
        lines = ["[%s]" % name]
        # composite models apply their arguments in order: keep it
        items = self.kwargs.items() if self.COMPOSITE else sorted(self.kwargs.items())
        for k, v in items:
            lines.append("%s = %s" % (toml_key(k), _toml_value(v)))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "<%s>" % str(self).replace("\n", ", ")

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.kwargs == other.kwargs

    def __hash__(self) -> int:
        return hash(str(self))

    @property
    def requires(self) -> frozenset:
        """Every context field the model reads."""
        return (self.REQUIRES_SITES_PARAMETERS | self.REQUIRES_RUPTURE_PARAMETERS
                | self.REQUIRES_DISTANCES)

    # ---------------------------------------------------------------- computing
    def check_imt(self, imt: IMT) -> None:
        """Raise :class:`UnknownIMT` naming model and IMT if the model cannot do ``imt``."""
        if imt.name not in self.DEFINED_FOR_INTENSITY_MEASURE_TYPES:
            raise UnknownIMT("%s is not defined for %s (it supports %s)" % (
                type(self).__name__, imt,
                ", ".join(sorted(self.DEFINED_FOR_INTENSITY_MEASURE_TYPES))))

    def compute(self, ctx: np.recarray, imts: Sequence[IMT], mean: np.ndarray,
                sig: np.ndarray, tau: np.ndarray, phi: np.ndarray) -> None:
        """Fill ``mean``, ``sig``, ``tau``, ``phi`` (each (M, N)) in place.

        :param ctx: N contexts (record array with the required fields)
        :param imts: M IMTs
        :param mean: ln of the median ground motion (g, or cm/s for PGV)
        :param sig: total standard deviation (ln units)
        :param tau: between-event (inter-event) standard deviation
        :param phi: within-event (intra-event) standard deviation
        """
        raise NotImplementedError

    def get_mean_stds(self, ctx: np.recarray, imts: Sequence[IMT]) -> np.ndarray:
        """Return an array (4, M, N): ln-mean, total, inter-event, intra-event stddevs.

        Raises :class:`UnknownIMT` (naming model and IMT) for an IMT the model does not
        define or whose period lies outside its coefficient tables.
        """
        for imt in imts:
            self.check_imt(imt)
        if isinstance(ctx, np.ndarray) and ctx.dtype.names:
            ctx = as_columns(ctx)
        out = np.zeros((4, len(imts), len(ctx)))
        try:
            self.compute(ctx, imts, out[0], out[1], out[2], out[3])
        except UnknownIMT as exc:
            raise UnknownIMT("%s: %s" % (type(self).__name__, exc.msg)) from None
        return out


    def poe_components(self, ctx: np.recarray,
                       imts: Sequence[IMT]) -> list[tuple[float, np.ndarray]]:
        """The model's probability of exceedance as a weighted sum of normal ones.

        :returns: [(weight, mean_stds (4, M, N)), ...] with weights summing to 1: one
            term for a plain model, one per factor of a ``mixture_model`` (the total
            standard deviation times the factor)
        """
        ms = self.get_mean_stds(ctx, imts)
        if self.mixture is None:
            return [(1.0, ms)]
        out = []
        for factor, weight in self.mixture:
            scaled = ms.copy()
            scaled[1] *= factor
            out.append((weight, scaled))
        return out


class MedianScaling(GMPE):
    """A model whose median is multiplied by ``adjustment_factor`` (a backbone-model
    scaling); subclasses implement :meth:`compute_unscaled`."""

    abstract = True
    ARGUMENTS: ClassVar[dict] = {"adjustment_factor": 1.0}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        check_number(type(self).__name__, "adjustment_factor", self.adjustment_factor)
        if self.adjustment_factor <= 0:
            raise InvalidInput("%s: adjustment_factor must be positive" % type(self).__name__)

    def compute_unscaled(self, ctx, imts, mean, sig, tau, phi) -> None:
        """:meth:`GMPE.compute` without the adjustment factor."""
        raise NotImplementedError

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self.compute_unscaled(ctx, imts, mean, sig, tau, phi)
        if self.adjustment_factor != 1.0:
            mean += math.log(self.adjustment_factor)


class IntensityModel(GMPE):
    """The declarations shared by the intensity prediction equations of crustal
    earthquakes: MMI (its "mean" is the intensity itself, not a logarithm), horizontal
    component, total standard deviation, no site parameter; subclasses declare the
    rupture parameters and distances."""

    abstract = True
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["MMI"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_SITES_PARAMETERS = frozenset()


def imt_table(model: str, name: str, value) -> CoeffsTable | None:
    """A one-column coefficient table (column ``name``) from a model argument
    {IMT string: number}, or None for None; InvalidInput naming model and argument
    otherwise."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise InvalidInput("%s: %s must be a table of IMT = value, got %r" % (
            model, name, value))
    imts, values = [], []
    for key, v in value.items():
        try:
            imts.append(IMT.from_string(key))
        except Exception:
            raise InvalidInput("%s: %s has an invalid IMT %r" % (model, name, key)) from None
        check_number(model, "%s[%s]" % (name, key), v)
        values.append([float(v)])
    return CoeffsTable(imts, [name], np.array(values), "%s of %s" % (name, model))


def check_choice(model: str, name: str, value, choices) -> None:
    """Raise InvalidInput naming the model and argument if ``value`` is not a choice."""
    if value not in choices:
        shown = ", ".join("none" if c is None else repr(c) for c in choices)
        raise InvalidInput("%s: %s = %r is not one of %s" % (model, name, value, shown))


def check_number(model: str, name: str, value) -> None:
    """Raise InvalidInput naming the model and argument if ``value`` is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput("%s: %s must be a number, got %r" % (model, name, value))


def check_flag(model: str, name: str, value) -> None:
    """Raise InvalidInput naming the model and argument if ``value`` is not a boolean."""
    if not isinstance(value, bool):
        raise InvalidInput("%s: %s must be true or false, got %r" % (model, name, value))


def alias(name: str, base: type, module_name: str, **fixed) -> type:
    """A model class ``name``: ``base`` with the arguments ``fixed``, accepting no others.

    Its instances print as the bare alias name (the TOML form of a GSIM logic tree).
    Assign the result to the module-level ``name`` so that the library registers it.
    """
    settings = ", ".join("%s = %s" % (k, _toml_value(v)) for k, v in fixed.items())

    def __init__(self, **kwargs):
        # a model built from other models gets the logic tree's resolver (or none)
        inner = {"resolve": kwargs.pop("resolve", None)} if base.COMPOSITE else {}
        if kwargs:
            raise InvalidInput("%s does not accept arguments (it is %s with %s); got %s" % (
                name, base.__name__, settings, ", ".join(sorted(kwargs))))
        base.__init__(self, **inner, **fixed)
        self.kwargs = {}

    return type(name, (base,), {
        "__init__": __init__, "__module__": module_name, "abstract": False,
        "__doc__": ":class:`%s` with %s." % (base.__name__, settings)})


def faulting_style_30(rake: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Style of faulting with 30-degree boundaries, as several NGA/European models use it.

    Strike-slip: |rake| <= 30 or |rake| >= 150 (inclusive); reverse: 30 < rake < 150;
    normal otherwise (-150 < rake < -30).

    :param rake: (N,) rakes in degrees
    :returns: boolean masks (strike_slip, normal, reverse), each (N,)
    """
    abs_rake = np.abs(rake)
    ss = (abs_rake <= 30.0) | (180.0 - abs_rake <= 30.0)
    rs = ~ss & (rake > 30.0) & (rake < 150.0)
    return ss, ~ss & ~rs, rs


def get_mean_stds(gsims: Sequence[GMPE], ctx: np.recarray,
                  imts: Sequence[IMT]) -> np.ndarray:
    """Evaluate G models on the same N contexts for M IMTs: array (4, G, M, N)."""
    out = np.zeros((4, len(gsims), len(imts), len(ctx)))
    for g, gsim in enumerate(gsims):
        out[:, g] = gsim.get_mean_stds(ctx, imts)
    return out


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    if isinstance(v, dict):
        return "{%s}" % ", ".join("%s = %s" % (toml_key(k), _toml_value(x))
                                  for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "[%s]" % ", ".join(_toml_value(x) for x in v)
    return repr(v)


def toml_key(key: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise (``"SA(0.5)"``)."""
    if key and all(c.isalnum() or c in "_-" for c in key):
        return key
    return _toml_value(key)


def mixture_components(model: str, mixture) -> tuple:
    """The ((factor, weight), ...) of a ``mixture_model`` argument.

    A mixture model replaces the normal distribution of a model by a weighted sum of
    normal distributions whose standard deviations are the model's times ``factors``.

    :param mixture: ``{"factors": [f1, ...], "weights": [w1, ...]}``
    """
    if not isinstance(mixture, dict) or set(mixture) != {"factors", "weights"}:
        raise InvalidInput("%s: mixture_model needs exactly 'factors' and 'weights', got %r"
                           % (model, mixture))
    factors, weights = mixture["factors"], mixture["weights"]
    if (not isinstance(factors, list) or not isinstance(weights, list)
            or len(factors) != len(weights) or not factors):
        raise InvalidInput("%s: mixture_model factors and weights must be lists of the "
                           "same non-zero length" % model)
    for x in factors + weights:
        check_number(model, "mixture_model", x)
    if any(f <= 0 for f in factors) or any(w < 0 for w in weights):
        raise InvalidInput("%s: mixture_model factors must be positive and weights "
                           "non-negative" % model)
    if abs(sum(weights) - 1.0) > 1e-6:
        raise InvalidInput("%s: mixture_model weights sum to %s, not 1" % (
            model, sum(weights)))
    return tuple((float(f), float(w)) for f, w in zip(factors, weights))


def concrete_subclasses(module) -> list[type]:
    """The non-abstract GMPE classes defined in ``module`` (sorted by name)."""
    out = []
    for obj in vars(module).values():
        if (isinstance(obj, type) and issubclass(obj, GMPE) and obj.__module__ ==
                module.__name__ and not obj.__dict__.get("abstract", False)):
            out.append(obj)
    return sorted(out, key=lambda c: c.__name__)


def iter_names(classes: Iterable[type]) -> list[str]:
    """Sorted class names."""
    return sorted(c.__name__ for c in classes)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
