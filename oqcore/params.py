"""Job parameters: the job.ini catalogue, the JobParams attrs class and the ini reader.

The catalogue is a table of :class:`ParamSpec` filled through the ``oq_register_params``
hook (the built-in one is :mod:`oqcore.params_table`), so plugins can add parameters.
:func:`read_job_ini` parses a job.ini (OpenQuake syntax: sections merged, ``*_file`` /
``*_csv`` / ``*_hdf5`` are inputs relative to the ini, unknown keys warned about with a
"did you mean") into a :class:`JobParams` instance.
"""
from __future__ import annotations

import configparser
import copy
import difflib
import logging
import math
import os
import re
from typing import Any, Callable, Iterable

import attrs

from oqcore.errors import InvalidInput
from oqcore.hazard.imt import IMT
from oqcore.inputs import inside, read_text, resolve_input

log = logging.getLogger(__name__)


class _NoDefault:
    def __repr__(self):
        return "NODEFAULT"


#: marker of a mandatory parameter
NODEFAULT = _NoDefault()

INPUT_SUFFIXES = ("_file", "_csv", "_hdf5")
#: the largest job.ini read
MAX_INI_BYTES = 8 << 20


@attrs.frozen
class ParamSpec:
    """A job.ini parameter.

    :param name: the job.ini key
    :param validator: str -> value, raising ValueError with a message
    :param default: the parsed default, NODEFAULT if mandatory, NaN if "unset"
    :param used_by: the calculators using it (CL, EB, SC, DIS, RISK, ...)
    :param doc: what it means
    :param alias_of: the parameter this legacy name stands for
    """
    name: str
    validator: Callable[[str], Any]
    default: Any = NODEFAULT
    used_by: str = ""
    doc: str = ""
    alias_of: str | None = None

    @property
    def has_default(self) -> bool:
        """True if the parameter appears in /v1/ini_defaults."""
        d = self.default
        return d is not NODEFAULT and not (isinstance(d, float) and math.isnan(d))


def _period(imt: str) -> float:
    """The period of an IMT string (0 for non-spectral and unknown IMTs)."""
    try:
        return IMT.from_string(imt).period
    except (InvalidInput, ValueError):
        return 0.0


def ini_defaults(registry) -> dict:
    """The body of GET /v1/ini_defaults: {name: parsed default}, with the reference's
    order (alphabetical, then the aliases that are not attribute names)."""
    specs = registry.params()
    late = [n for n, s in specs.items() if s.alias_of and n in ("individual_curves",
                                                               "max_hazard_curves")]
    out = {}
    for name in sorted(specs):
        if name in late:
            continue
        spec = specs[name]
        if spec.has_default:
            out[name] = _default_of(spec, os.cpu_count() or 1)
    for name in late:
        out[name] = _default_of(specs[name], os.cpu_count() or 1)
    return out


def _default_of(spec: ParamSpec, ncores: int):
    if spec.name == "concurrent_tasks":
        return 2 * ncores
    return copy.deepcopy(spec.default)


def statistic_names(mean: bool, std: bool, quantiles, max_: bool) -> list[str]:
    """The names of the enabled statistics, in OpenQuake's order: mean, std,
    quantile-<q> for each quantile, max."""
    return ((["mean"] if mean else []) + (["std"] if std else []) +
            ["quantile-%s" % q for q in quantiles or []] + (["max"] if max_ else []))


class JobParamsBase:
    """Derived quantities of a job, shared by every JobParams class."""

    # fields set by the attrs subclass; declared for type checkers
    intensity_measure_types_and_levels: dict | None
    intensity_measure_types: Any
    inputs: dict
    #: the directory every input must be inside (None: anywhere; see oqcore.inputs)
    input_root: str | None = None
    #: the job.ini read (None for parameters given otherwise)
    job_ini: str | None = None

    @property
    def imtls(self) -> dict[str, list[float]]:
        """IMT string -> levels (empty list for IMTs without levels), the IMTs sorted
        by period (a stable sort: PGA, PGV, MMI... keep the job's order), as OpenQuake
        orders them (the order of the outputs' columns and of the GMF draws)."""
        if self.intensity_measure_types_and_levels:
            imtls = dict(self.intensity_measure_types_and_levels)
        else:
            imts = self.intensity_measure_types or []
            if isinstance(imts, str):
                from oqcore.validators import imt_names
                imts = imt_names(imts)
            imtls = {imt: [] for imt in imts}
        return dict(sorted(imtls.items(), key=lambda kv: _period(kv[0])))

    @property
    def imts(self) -> list[str]:
        """The IMT strings in :attr:`imtls` order."""
        return list(self.imtls)

    @property
    def imt_objects(self) -> list[IMT]:
        """The IMTs as :class:`~oqcore.hazard.imt.IMT` objects, in :attr:`imtls` order."""
        return [IMT.from_string(s) for s in self.imtls]

    @property
    def L1(self) -> int:
        """Levels per IMT (all IMTs have the same number)."""
        lens = {len(v) for v in self.imtls.values()}
        return lens.pop() if len(lens) == 1 else 0

    @property
    def statistics(self) -> list[str]:
        """The statistic names: mean, std, quantile-<q>..., max (as enabled)."""
        return statistic_names(self.mean, self.std, self.quantiles, self.max)

    def return_periods_of_poes(self) -> list[int]:
        """``round(-investigation_time / ln(1 - poe))`` for each PoE."""
        return [int(round(-self.investigation_time / math.log(1 - p))) for p in self.poes]

    def max_distance(self, trt: str, mag: float | None = None) -> float:
        """The integration distance in km for a TRT (and magnitude, if it depends on it)."""
        from oqcore.hazard.contexts import max_distance
        return max_distance(self.maximum_distance, trt, mag)

    def min_mag(self, trt: str) -> float:
        """The minimum magnitude of ruptures of a TRT."""
        mm = self.minimum_magnitude or {}
        return float(mm.get(trt, mm.get("default", 0.0)))

    def input_path(self, key: str) -> str | None:
        """The absolute path of input ``key`` (``source_model_logic_tree``...), or None."""
        return self.inputs.get(key)

    def to_dict(self) -> dict:
        """JSON-friendly dict of every parameter (see :mod:`oqcore.converter`), with
        ``intensity_measure_types_and_levels`` in :attr:`imtls` order (sorted by period),
        the order of the stored curves' columns that every reader of ``oqparam`` follows."""
        from oqcore.converter import unstructure_params
        out = unstructure_params(self)
        imtls = out.get("intensity_measure_types_and_levels")
        if imtls:
            out["intensity_measure_types_and_levels"] = {imt: imtls[imt] for imt in self.imtls}
        return out


def jobparams_class(registry) -> type:
    """Build the attrs class JobParams with one field per registered parameter."""
    fields = {}
    for name, spec in sorted(registry.params().items()):
        if spec.alias_of:
            continue
        d = spec.default
        if d is NODEFAULT:
            d = None
        if isinstance(d, (list, dict)):
            fields[name] = attrs.field(factory=_copier(d))
        else:
            fields[name] = attrs.field(default=d)
    return attrs.make_class("JobParams", fields, bases=(JobParamsBase,), slots=False)


def _copier(value):
    return lambda: copy.deepcopy(value)


def _line_of(path: str, key: str) -> int | None:
    rx = re.compile(r"^\s*%s\s*[=:]" % re.escape(key))
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                if rx.match(line):
                    return i
    except OSError:
        pass
    return None


def read_ini_text(path: str) -> dict[str, str]:
    """Read a job.ini into {key: text}; sections are merged, repeats are errors."""
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str
    text = read_text(path, MAX_INI_BYTES, "job.ini")
    try:
        cp.read_string(text, source=os.path.basename(path))
    except configparser.MissingSectionHeaderError as exc:
        raise InvalidInput("missing [section] header before the parameters", fname=path,
                           lineno=exc.lineno) from None
    except configparser.DuplicateOptionError as exc:
        raise InvalidInput("parameter %r repeated in section [%s]" % (
            exc.option, exc.section), fname=path, lineno=exc.lineno) from None
    except configparser.Error as exc:
        raise InvalidInput(str(exc).splitlines()[0], fname=path) from None
    out: dict[str, str] = {}
    for section in cp.sections():
        for key, value in cp.items(section):
            if key in out:
                raise InvalidInput("parameter %r is set in two sections" % key, fname=path,
                                   lineno=_line_of(path, key), param=key)
            out[key] = value
    return out


def _resolve_input(path: str, base: str, key: str, ini: str, root: str | None) -> str:
    full = resolve_input(path, base, root, param=key, fname=ini,
                         lineno=_line_of(ini, key))
    if not (os.path.isfile(full) if root else os.path.exists(full)):
        raise InvalidInput("file not found: %s" % path, fname=ini, lineno=_line_of(ini, key),
                           param=key)
    return full


def _resolve_paths(value, base: str, key: str, ini: str, root: str | None):
    """One path of a ``{name: path}`` input, or a list of them (``{name: [p1, p2]}``),
    resolved; anything else is a clear error naming the parameter."""
    if isinstance(value, str):
        return _resolve_input(value, base, key, ini, root)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return [_resolve_input(v, base, key, ini, root) for v in value]
    raise InvalidInput("expected a file name or a list of file names, got %r" % (value,),
                       fname=ini, lineno=_line_of(ini, key), param=key)


#: where ``-p name=value`` overrides come from, in error messages
COMMAND_LINE = "the command line (-p)"


#: km, the default ``pointsource_distance`` of a job with ``ps_grid_spacing``
GRID_PSDIST = 40.0


def parse_params(raw: dict[str, str], registry, ini: str | None = None,
                 base_path: str | None = None, root: str | None = None,
                 overridden: Iterable[str] = ()):
    """Validate ``{key: text}`` into a JobParams instance.

    Inputs (``*_file``, ``*_csv``, ``*_hdf5``) go to ``inputs`` with absolute paths
    (with ``root``, only paths inside that directory: see :mod:`oqcore.inputs`);
    unknown keys are logged as warnings with a suggestion; invalid values raise
    :class:`InvalidInput` naming the parameter, the file and the line. The warnings
    are also returned in the ``_warnings`` attribute of the result. Keys in
    ``overridden`` came from ``-p name=value``: their errors name the command line.
    """
    overridden = set(overridden)
    specs = registry.params()
    base = base_path or (os.path.dirname(os.path.abspath(ini)) if ini else os.getcwd())
    values: dict[str, Any] = {}
    inputs: dict[str, Any] = {}
    warnings: list[str] = []
    errors: dict[str, str] = {}
    for key, text in raw.items():
        if key.endswith(INPUT_SUFFIXES) and key not in specs:
            name = key.rsplit("_", 1)[0]
            if key == "sites_csv":
                name = "sites"
            text = text.strip()
            if not text:
                continue
            try:
                if text.startswith("{"):
                    from oqcore.validators import literal_dict
                    inputs[name] = {k: _resolve_paths(v, base, key, ini or "job.ini", root)
                                    for k, v in literal_dict(text).items()}
                else:
                    paths = [p for p in text.split() if p]
                    full = [_resolve_input(p, base, key, ini or "job.ini", root)
                            for p in paths]
                    inputs[name] = full[0] if len(full) == 1 else full
            except InvalidInput:
                raise
            except ValueError as exc:
                errors[key] = str(exc)
            continue
        spec = specs.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.75)
            msg = "The parameter %r is unknown, ignoring" % key
            if close:
                msg += " (did you mean %r?)" % close[0]
            if key in overridden:
                msg = "%s: %s" % (COMMAND_LINE, msg)
            elif ini:
                msg = "%s: %s" % (ini, msg)
            log.warning(msg)
            warnings.append(msg)
            continue
        try:
            value = spec.validator(text)
        except (ValueError, TypeError) as exc:
            errors[key] = str(exc)
            continue
        target = spec.alias_of or key
        values[target] = value
    if errors:
        key, msg = next(iter(errors.items()))
        if key in overridden:
            exc = InvalidInput(msg, fname=COMMAND_LINE, param=key)
        else:
            exc = InvalidInput(msg, fname=ini, lineno=_line_of(ini, key) if ini else None,
                               param=key)
        exc.errors = errors
        raise exc
    values["inputs"] = inputs
    values["base_path"] = base
    parent = values.get("hazard_calculation_id")
    if isinstance(parent, str):  # a job file or datastore of the previous calculation
        values["hazard_calculation_id"] = _resolve_input(
            parent, base, "hazard_calculation_id", ini or "job.ini", root)
    if values.get("ps_grid_spacing") and "pointsource_distance" not in values:
        # as OpenQuake: gridded point sources default to a 40 km point-source distance
        values["pointsource_distance"] = {"default": GRID_PSDIST}
    if "calculation_mode" not in values:
        exc = InvalidInput("calculation_mode is missing", fname=ini, param="calculation_mode")
        exc.errors = {"calculation_mode": "missing"}
        raise exc
    cls = jobparams_class(registry)
    params = cls(**values)
    params._warnings = warnings
    params.input_root = root
    params.job_ini = ini
    _check_consistency(params, ini)
    return params


def _check_consistency(oq, ini) -> None:
    imtls = oq.intensity_measure_types_and_levels
    if imtls:
        lens = {len(v) for v in imtls.values()}
        if len(lens) > 1:
            raise InvalidInput("all IMTs must have the same number of levels",
                               fname=ini, param="intensity_measure_types_and_levels")
    cfms = oq.complex_fault_mesh_spacing
    if cfms is not None and oq.rupture_mesh_spacing and cfms < oq.rupture_mesh_spacing:
        raise InvalidInput("complex_fault_mesh_spacing must not be smaller than "
                           "rupture_mesh_spacing (%s)" % oq.rupture_mesh_spacing, fname=ini,
                           lineno=_line_of(ini, "complex_fault_mesh_spacing") if ini else None,
                           param="complex_fault_mesh_spacing")
    tl = oq.truncation_level
    if tl is not None and tl < 0:
        raise InvalidInput("must be >= 0", fname=ini, param="truncation_level")


def read_job_ini(path: str, registry, overrides: dict[str, str] | None = None,
                 root: str | None = None):
    """Read and validate a job.ini; ``overrides`` are ``-p name=value`` texts.

    :param root: the directory every input must be inside (the upload of a server
        job), None to read any local file (the command line)
    """
    path = os.path.abspath(path)
    if root is not None and not inside(path, root):
        raise InvalidInput("the job file is not a file of the upload", param="job_ini")
    raw = read_ini_text(path)
    for k, val in (overrides or {}).items():
        raw[k] = str(val)
    return parse_params(raw, registry, ini=path, root=root, overridden=overrides or ())
