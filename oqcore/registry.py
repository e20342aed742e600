"""The plugin registry: a pluggy PluginManager plus typed tables filled by the hooks.

:func:`Registry.load` builds everything: the hookspecs, the plugins of the ``oqcore``
entry-point group (built-in ones included, declared exactly as third-party ones are),
then calls each registrar hook once. No registry exists at import time.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import attrs
import pluggy

from oqcore import hookspecs
from oqcore.errors import DuplicatePlugin, UnknownPlugin

ENTRY_POINT_GROUP = "oqcore"


@attrs.frozen
class CalculatorSpec:
    """A calculator: ``factory(job_context)`` returns an object with ``run()``."""
    mode: str
    factory: Callable[..., Any]
    doc: str = ""
    #: the calculation modes whose datastore this one may take as hazard input
    precalc: tuple = ()


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


class Registry:
    """Typed tables of plugins; lookups raise :class:`UnknownPlugin` listing the keys."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self._tables: dict[str, dict] = {k: {} for k in (
            "calculator", "exporter", "extractor", "param", "gsim")}
        self._owners: dict[tuple, str] = {}
        self._current = "<direct>"

    # ------------------------------------------------------------ building
    @classmethod
    def load(cls, plugins: Iterable = (), entry_points: bool = True,
             builtins: bool = True) -> "Registry":
        """Build a registry.

        :param plugins: extra plugin objects (modules or instances) to register
        :param entry_points: load the ``oqcore`` entry-point group
        :param builtins: when entry points are not loaded, register the built-in
            plugins directly (they are also declared as entry points)
        """
        pm = pluggy.PluginManager("oqcore")
        pm.add_hookspecs(hookspecs)
        if entry_points:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        elif builtins:
            from oqcore import builtin_plugins
            for mod in builtin_plugins.modules():
                pm.register(mod, name=mod.__name__)
        for plugin in plugins:
            pm.register(plugin)
        registry = cls(pm)
        registry._fill()
        return registry

    def _fill(self) -> None:
        for hook in ("oq_register_params", "oq_register_gsims", "oq_register_calculators",
                     "oq_register_exporters", "oq_register_extractors"):
            caller = getattr(self.pm.hook, hook)
            for impl in reversed(caller.get_hookimpls()):
                self._current = self._plugin_label(impl)
                impl.function(registry=self)
        self._current = "<direct>"

    def _plugin_label(self, impl) -> str:
        name = self.pm.get_name(impl.plugin) or repr(impl.plugin)
        for dist_plugin, dist in self.pm.list_plugin_distinfo():
            if dist_plugin is impl.plugin:
                return "%s (from %s)" % (name, dist.project_name)
        return name

    def _add(self, table: str, key, value) -> None:
        tab = self._tables[table]
        if key in tab:
            raise DuplicatePlugin("%s %r is registered by both %s and %s" % (
                table, key, self._owners[(table, key)], self._current))
        tab[key] = value
        self._owners[(table, key)] = self._current

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
        """The executor chosen by the ``oq_select_executor`` hook."""
        return self.pm.hook.oq_select_executor(settings=settings)

    def job_status_changed(self, job: dict, old: str, new: str) -> None:
        """Fire the ``oq_job_status_changed`` event."""
        self.pm.hook.oq_job_status_changed(job=job, old=old, new=new)
