"""The plugin registry: a pluggy PluginManager plus typed tables filled by the hooks.

:func:`Registry.load` builds everything: the hookspecs, the plugins of the ``oqcore``
entry-point group (built-in ones included, declared exactly as third-party ones are),
then calls each registrar hook once through pluggy (so ``wrapper=True`` registrars
wrap the others). No registry exists at import time.

A third-party entry point that cannot be imported, does not match the hookspecs or
fails in a registrar hook is reported (a warning naming plugin, distribution and
error) and left out; :meth:`Registry.plugins` lists it with its error. The built-in
plugins and the plugins passed explicitly to :meth:`Registry.load` fail the load.

Environment (read by :meth:`Registry.load` when it loads entry points):

- ``OQCORE_DISABLE_PLUGINS=name,...``: entry points (or plugin module names) not to
  load; ``oq plugins`` shows the names.
- ``OQCORE_DISABLE_PLUGIN_AUTOLOAD=1``: load only the entry points of the ``oqcore``
  distribution itself (the built-ins); third-party ones are listed as disabled. Any
  value but empty, ``0``, ``false`` and ``no`` counts as set.
"""
from __future__ import annotations

import importlib.metadata
import logging
import os
from typing import Any, Callable, Iterable, Mapping

import attrs
import pluggy

from oqcore import hookspecs
from oqcore.errors import DuplicatePlugin, PluginError, UnknownPlugin

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "oqcore"
#: the distribution whose entry points are the built-in plugins
BUILTIN_DISTRIBUTION = "oqcore"
DISABLE_ENV = "OQCORE_DISABLE_PLUGINS"
NO_AUTOLOAD_ENV = "OQCORE_DISABLE_PLUGIN_AUTOLOAD"
#: the registrar hooks, in the order they fire (parameters first: GSIMs and
#: calculators may look them up)
REGISTRAR_HOOKS = ("oq_register_params", "oq_register_gsims", "oq_register_calculators",
                   "oq_register_exporters", "oq_register_extractors")
#: registry table -> what ``oq plugins`` and GET /v1/plugins call it
TABLE_LABELS = {"calculator": "calculators", "exporter": "exporters",
                "extractor": "extractors", "param": "params", "gsim": "gsims"}


@attrs.frozen
class CalculatorSpec:
    """A calculator: ``factory(job_context)`` returns a :class:`hookspecs.Calculator`.

    ``check_inputs(params, registry)``, when given, is called by the runner before a
    job row exists (``oq engine --run``, POST /v1/calc/run): it raises
    :class:`oqcore.errors.InvalidInput` for bad inputs. When None, the factory's own
    ``check_inputs`` is used if it has one (see :class:`hookspecs.CalculatorFactory`).
    """
    mode: str
    factory: Callable[..., Any]
    doc: str = ""
    check_inputs: Callable[..., None] | None = None

    def input_checker(self) -> Callable[..., None] | None:
        """The pre-flight check of this calculator, or None."""
        if self.check_inputs is not None:
            return self.check_inputs
        return getattr(self.factory, "check_inputs", None)


@attrs.frozen
class ExporterSpec:
    """An exporter of an output kind in one format."""
    kind: str
    fmt: str
    writer: Callable[..., list]
    display_name: str = ""
    content_type: str = "text/plain"
    #: ``applies(dstore) -> bool``: whether a finished calculation exposes this output;
    #: None means "when the datastore has a key named ``kind``"
    applies: Callable[..., bool] | None = None
    #: ``size_mb(dstore) -> float`` for the listing (-1 when not a datastore object)
    size_key: str | None = None

    def exposed_by(self, dstore) -> bool:
        """Whether the calculation in ``dstore`` has this output."""
        if self.applies is not None:
            return bool(self.applies(dstore))
        return self.kind in dstore


@attrs.frozen
class ExtractorSpec:
    """An extract spec: ``func(dstore, query, rest) -> ArrayWrapper``."""
    name: str
    func: Callable[..., Any]
    doc: str = ""


@attrs.frozen
class GsimSpec:
    """A ground-motion model class under the name logic trees use."""
    name: str
    cls: type


@attrs.define
class PluginInfo:
    """What ``oq plugins`` and GET /v1/plugins show of one plugin.

    :ivar name: the entry-point name (or the module name of a plugin given directly)
    :ivar module: the module (or object) holding the hook implementations
    :ivar distribution: the distribution declaring the entry point ("" if none)
    :ivar version: that distribution's version ("" if none)
    :ivar status: ``loaded``, ``broken`` (left out; see ``error``) or ``disabled``
    :ivar error: why a plugin is broken or disabled ("" when loaded)
    :ivar hooks: the hooks it implements
    :ivar registered: {table label: [keys]} of what it added (``calculators``...)
    """
    name: str
    module: str = ""
    distribution: str = ""
    version: str = ""
    status: str = "loaded"
    error: str = ""
    hooks: list = attrs.field(factory=list)
    registered: dict = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        """``name (from distribution)``, or the name alone."""
        if self.distribution:
            return "%s (from %s)" % (self.name, self.distribution)
        return self.name

    def to_dict(self) -> dict:
        """A JSON-able dict (what GET /v1/plugins returns for each plugin)."""
        return attrs.asdict(self)


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def disabled_names(environ: Mapping[str, str]) -> set[str]:
    """The plugin names listed in ``OQCORE_DISABLE_PLUGINS`` (comma-separated)."""
    return {n.strip() for n in environ.get(DISABLE_ENV, "").split(",") if n.strip()}


def _error_text(exc: BaseException) -> str:
    return "%s: %s" % (type(exc).__name__, exc)


class _RegistrarFailed(Exception):
    """A registrar hook of one plugin raised (carries the plugin name)."""

    def __init__(self, plugin_name: str, exc: BaseException):
        self.plugin_name = plugin_name
        self.exc = exc
        super().__init__(plugin_name)


class Registry:
    """Typed tables of plugins; lookups raise :class:`UnknownPlugin` listing the keys."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self._tables: dict[str, dict] = {k: {} for k in TABLE_LABELS}
        self._owners: dict[tuple, str] = {}
        self._current: str | None = None
        #: plugin name -> PluginInfo, in load order (broken and disabled ones included)
        self._plugins: dict[str, PluginInfo] = {}
        #: names of the plugins that are left out (not fail the load) when they break
        self._expendable: set[str] = set()

    # ------------------------------------------------------------ building
    @classmethod
    def load(cls, plugins: Iterable = (), entry_points: bool = True,
             builtins: bool = True, environ: Mapping[str, str] | None = None) -> "Registry":
        """Build a registry.

        :param plugins: extra plugin objects (modules or instances) to register; any
            error of theirs fails the load
        :param entry_points: load the ``oqcore`` entry-point group, honouring
            ``OQCORE_DISABLE_PLUGINS`` and ``OQCORE_DISABLE_PLUGIN_AUTOLOAD`` (see the
            module docstring); a broken third-party entry point is reported and left out
        :param builtins: when entry points are not loaded, register the built-in
            plugins directly (they are also declared as entry points)
        :param environ: the environment to read (default ``os.environ``)
        :raises PluginError: a built-in or explicit plugin does not match the hookspecs
            or fails in a registrar hook (the message names it)
        :raises DuplicatePlugin: two plugins add the same key (the message names both)
        """
        environ = os.environ if environ is None else environ
        pm = pluggy.PluginManager("oqcore")
        pm.add_hookspecs(hookspecs)
        registry = cls(pm)
        disabled = disabled_names(environ) if entry_points else set()
        if entry_points:
            registry._load_entry_points(disabled, _flag(environ, NO_AUTOLOAD_ENV))
        elif builtins:
            from oqcore import builtin_plugins
            for mod in builtin_plugins.modules():
                registry._register(mod, mod.__name__)
        for plugin in plugins:
            registry._register(plugin, getattr(plugin, "__name__", None))
        registry._check_hooks()
        registry._fill()
        return registry

    def _load_entry_points(self, disabled: set[str], no_autoload: bool) -> None:
        """Import and register the ``oqcore`` entry points; the broken third-party ones
        are recorded and skipped."""
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(ep, "dist", None)
            info = PluginInfo(ep.name, ep.value, dist.name if dist else "",
                              dist.version if dist else "")
            builtin = info.distribution == BUILTIN_DISTRIBUTION
            if ep.name in self._plugins:
                if self._plugins[ep.name].module == ep.value:
                    continue  # the same distribution seen twice on sys.path
                info.status, info.error = "broken", (
                    "entry point name %r is already used by %s" % (
                        ep.name, self._plugins[ep.name].label))
            elif ep.name in disabled or ep.value in disabled:
                info.status, info.error = "disabled", "listed in %s" % DISABLE_ENV
            elif no_autoload and not builtin:
                info.status, info.error = "disabled", "%s is set" % NO_AUTOLOAD_ENV
            if info.status == "disabled":
                self._plugins[ep.name] = info
                continue
            if info.status == "broken":  # listed under a key of its own
                self._plugins["%s [%s]" % (ep.name, ep.value)] = info
                log.warning("plugin %s left out: %s", info.label, info.error)
                continue
            if builtin:
                self._register(ep.load(), ep.name, info)
                continue
            self._expendable.add(ep.name)
            self._plugins[ep.name] = info
            try:
                self._register(ep.load(), ep.name, info)
            except Exception as exc:
                self._mark_broken(info, exc)

    def _register(self, plugin, name: str | None, info: PluginInfo | None = None) -> None:
        if info is None:
            name = name or repr(plugin)
            info = PluginInfo(name, getattr(plugin, "__name__", repr(plugin)))
        self._plugins[info.name] = info
        try:
            self.pm.register(plugin, name=info.name)
        except Exception as exc:  # pluggy: bad hook signature, plugin already registered
            raise PluginError(info.label, _error_text(exc)) from exc
        self._check_plugin_hooks(info.name)
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or [])

    def _check_plugin_hooks(self, name: str) -> None:
        """A hook implementation without a hookspec (a misspelt hook name) is an error
        naming the plugin, unless marked ``optionalhook``."""
        plugin = self.pm.get_plugin(name)
        unknown = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or []
                         if caller.spec is None and any(
                             impl.plugin is plugin and not impl.optionalhook
                             for impl in caller.get_hookimpls()))
        if unknown:
            self.pm.unregister(plugin)
            info = self._plugins[name]
            raise PluginError(info.label, "unknown hook%s %s; the hooks are %s" % (
                "s" if len(unknown) > 1 else "", ", ".join(unknown),
                ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("oq_")))))

    def _check_hooks(self) -> None:
        """pluggy's own check that every hook implementation has a hookspec."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(self._label(exc.plugin and self.pm.get_name(exc.plugin)),
                              str(exc)) from exc

    def _mark_broken(self, info: PluginInfo, exc: BaseException) -> None:
        plugin = self.pm.get_plugin(info.name)
        if plugin is not None:
            self.pm.unregister(plugin)
        info.status = "broken"
        info.error = exc.reason if isinstance(exc, PluginError) else _error_text(exc)
        info.hooks, info.registered = [], {}
        log.warning("plugin %s left out: %s", info.label, info.error)

    def _fill(self) -> None:
        """Call each registrar hook once, through pluggy; a third-party entry point
        failing in one is left out and the tables are built again without it."""
        while True:
            try:
                self._call_registrars()
                return
            except _RegistrarFailed as failure:
                name, exc = failure.plugin_name, failure.exc
                if isinstance(exc, DuplicatePlugin) or name not in self._expendable:
                    if isinstance(exc, DuplicatePlugin):
                        raise exc from None
                    raise PluginError(self._label(name), "failed in a registrar hook: "
                                      + _error_text(exc)) from exc
                self._mark_broken(self._plugins[name], exc)
                self._tables = {k: {} for k in TABLE_LABELS}
                self._owners = {}
                for info in self._plugins.values():
                    info.registered = {}

    def _call_registrars(self) -> None:
        originals = []
        try:
            for hook in REGISTRAR_HOOKS:
                for impl in getattr(self.pm.hook, hook).get_hookimpls():
                    originals.append((impl, impl.function))
                    impl.function = self._attributed(impl)
            for hook in REGISTRAR_HOOKS:
                getattr(self.pm.hook, hook)(registry=self)
        finally:
            for impl, function in originals:
                impl.function = function
            self._current = None

    def _run_as(self, name: str, func: Callable, *args):
        """``func(*args)`` with ``self._current`` = the plugin ``name`` (the owner of
        what it adds); its exceptions carry the plugin name."""
        previous, self._current = self._current, name
        try:
            return func(*args)
        except (_RegistrarFailed, StopIteration):
            raise
        except Exception as exc:
            raise _RegistrarFailed(name, exc) from exc
        finally:
            self._current = previous

    def _attributed(self, impl) -> Callable:
        """``impl.function`` run by :meth:`_run_as` its plugin; wrapper implementations
        (generators) are followed through each of their steps."""
        func, name = impl.function, impl.plugin_name
        if not (impl.wrapper or impl.hookwrapper):
            return lambda *args: self._run_as(name, func, *args)

        def wrapper(*args):
            gen = self._run_as(name, func, *args)
            send, value = gen.send, None
            while True:
                try:
                    step = self._run_as(name, send, value)
                except StopIteration as stop:
                    return stop.value
                try:
                    value, send = (yield step), gen.send
                except BaseException as exc:  # pluggy throws the inner error in
                    value, send = exc, gen.throw
        return wrapper

    def _label(self, name: str | None) -> str:
        if name is None:
            return "<direct>"
        info = self._plugins.get(name)
        return info.label if info is not None else name

    def _add(self, table: str, key, value) -> None:
        tab = self._tables[table]
        current = self._label(self._current)
        if key in tab:
            raise DuplicatePlugin("%s %r is registered by both %s and %s" % (
                table, key, self._owners[(table, key)], current))
        tab[key] = value
        self._owners[(table, key)] = current
        info = self._plugins.get(self._current)
        if info is not None:
            shown = "/".join(key) if isinstance(key, tuple) else key
            info.registered.setdefault(TABLE_LABELS[table], []).append(shown)

    def plugins(self) -> list[PluginInfo]:
        """Every plugin seen by this load, in load order: the loaded ones with what
        they registered, the broken ones with their error, the disabled ones."""
        return list(self._plugins.values())

    def add_calculator(self, spec: CalculatorSpec) -> None:
        """Register a calculator under ``spec.mode``."""
        self._add("calculator", spec.mode, spec)

    def add_exporter(self, spec: ExporterSpec) -> None:
        """Register an exporter under ``(spec.kind, spec.fmt)``."""
        self._add("exporter", (spec.kind, spec.fmt), spec)

    def add_extractor(self, spec: ExtractorSpec) -> None:
        """Register an extract spec under ``spec.name``."""
        self._add("extractor", spec.name, spec)

    def add_param(self, spec) -> None:
        """Register a job.ini parameter (a :class:`oqcore.params.ParamSpec`)."""
        self._add("param", spec.name, spec)

    def add_gsim(self, name: str, cls: type) -> None:
        """Register a ground-motion model class."""
        self._add("gsim", name, GsimSpec(name, cls))

    def owner(self, table: str, key) -> str:
        """The plugin that registered ``key`` in ``table``."""
        return self._owners[(table, key)]

    # ------------------------------------------------------------- lookups
    def _get(self, table: str, key, label: str):
        try:
            return self._tables[table][key]
        except KeyError:
            keys = self._tables[table]
            if table == "exporter":
                keys = ["%s/%s" % k for k in keys]
            raise UnknownPlugin(label, key if not isinstance(key, tuple) else "/".join(key),
                                keys) from None

    def calculator(self, mode: str) -> CalculatorSpec:
        """The calculator for a ``calculation_mode``."""
        return self._get("calculator", mode, "calculation_mode")

    def exporter(self, kind: str, fmt: str) -> ExporterSpec:
        """The exporter of output ``kind`` in format ``fmt``."""
        return self._get("exporter", (kind, fmt), "exporter")

    def extractor(self, name: str) -> ExtractorSpec:
        """The extract spec called ``name``."""
        return self._get("extractor", name, "extract spec")

    def gsim(self, name: str) -> type:
        """The GSIM class called ``name``."""
        return self._get("gsim", name, "GSIM").cls

    def param(self, name: str):
        """The ParamSpec of a job.ini parameter."""
        return self._get("param", name, "parameter")

    def calculators(self) -> dict[str, CalculatorSpec]:
        """All calculators by mode."""
        return dict(self._tables["calculator"])

    def exporters(self) -> dict[tuple, ExporterSpec]:
        """All exporters by (kind, fmt), in registration order."""
        return dict(self._tables["exporter"])

    def export_formats(self, kind: str) -> list[str]:
        """The formats registered for an output kind (csv and xml first, then the
        others in registration order)."""
        fmts = [fmt for (k, fmt) in self._tables["exporter"] if k == kind]
        rank = {"csv": 0, "xml": 1}
        return sorted(fmts, key=lambda f: rank.get(f, 2))

    def extractors(self) -> dict[str, ExtractorSpec]:
        """All extract specs by name."""
        return dict(self._tables["extractor"])

    def params(self) -> dict:
        """All job.ini parameters by name."""
        return dict(self._tables["param"])

    def gsims(self) -> dict[str, type]:
        """All GSIM classes by name, sorted by name."""
        return {n: s.cls for n, s in sorted(self._tables["gsim"].items())}

    # ----------------------------------------------------------- events
    def select_executor(self, settings):
        """The executor chosen by the ``oq_select_executor`` hook; when no plugin
        answers (a registry without the built-in ``executors`` plugin), the tasks run in
        this process.

        :raises PluginError: the answer is not an :class:`hookspecs.Executor`
        """
        executor = self.pm.hook.oq_select_executor(settings=settings)
        if executor is None:
            from oqcore.parallel import InProcessExecutor
            return InProcessExecutor()
        if not isinstance(executor, hookspecs.Executor):
            raise PluginError("answering oq_select_executor", "returned %r, which is not "
                              "an Executor (map, shutdown)" % (executor,))
        return executor

    def job_status_changed(self, job: dict, old: str, new: str) -> None:
        """Fire the ``oq_job_status_changed`` event."""
        self.pm.hook.oq_job_status_changed(job=job, old=old, new=new)
