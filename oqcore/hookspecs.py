"""The hooks of oqcore, for plugin authors.

A plugin is any module (usually declared in the ``oqcore`` entry-point group of its
distribution) holding functions decorated with :data:`oqcore.hookimpl` and named as the
hooks below. Registrar hooks receive the :class:`oqcore.registry.Registry` being built
and add entries to it; they fire once, when :func:`oqcore.load_registry` builds a
registry, called through pluggy (so ``tryfirst``, ``trylast`` and ``wrapper=True``
work as pluggy documents). Two plugins adding the same key make that load fail, naming
both plugins. A function marked ``@hookimpl`` whose name is not one of these hooks (a
misspelling such as ``oq_register_calculator``) is an error naming its plugin. A
third-party entry point that fails (import error, unknown hook, exception in a
registrar) is reported and left out; ``oq plugins`` and GET /v1/plugins show it. When a
registrar fails, the tables are built again without its plugin, so the registrars of the
others may fire more than once in that load: they must only add to the registry.

Besides the hooks, this module defines the protocols the registered objects follow:
:class:`CalculatorFactory`, :class:`Calculator` and :class:`Executor`.

Example (in ``mypkg/plugin.py``, with ``[project.entry-points.oqcore] mypkg =
"mypkg.plugin"`` in the distribution's pyproject.toml)::

    from oqcore import hookimpl
    from oqcore.registry import CalculatorSpec

    @hookimpl
    def oq_register_calculators(registry):
        registry.add_calculator(CalculatorSpec("my_mode", MyCalculator, "does X"))
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Protocol, runtime_checkable

import pluggy

hookspec = pluggy.HookspecMarker("oqcore")


# ------------------------------------------------------- what plugins provide
@runtime_checkable
class Calculator(Protocol):
    """What a calculator factory returns (:class:`oqcore.calculator.BaseCalculator`
    is the usual base class)."""

    def run(self) -> None:
        """Run the calculation, writing its outputs into ``job_context.datastore``;
        raise :class:`oqcore.errors.InvalidInput` for bad inputs."""


class CalculatorFactory(Protocol):
    """The ``factory`` of a :class:`oqcore.registry.CalculatorSpec` (usually the
    calculator class). It may also define ``check_inputs(params, registry)`` (a
    classmethod): the runner calls it before creating a job and it raises
    :class:`oqcore.errors.InvalidInput` for bad inputs. ``CalculatorSpec.check_inputs``
    names such a check explicitly and wins over the factory's."""

    def __call__(self, job_context: Any) -> Calculator:
        """A calculator for ``job_context`` (:class:`oqcore.jobs.runner.JobContext`)."""


@runtime_checkable
class Executor(Protocol):
    """What ``oq_select_executor`` returns: runs the tasks of one calculation."""

    def map(self, func: Callable, args: Iterable[tuple]) -> Iterator:
        """Yield ``func(*a)`` for each tuple ``a`` of ``args``, in the order of ``args``."""

    def shutdown(self) -> None:
        """Release the workers; called once when the job ends (complete, failed or
        aborted), so it must stop running tasks promptly. Errors are logged."""


@hookspec
def oq_register_calculators(registry):
    """Add calculators with ``registry.add_calculator(CalculatorSpec(mode, factory, doc))``.

    :param registry: the registry being built
    ``factory`` is a :class:`CalculatorFactory`: ``factory(job_context)`` returns a
    :class:`Calculator`; ``mode`` is the ``calculation_mode`` of the job.ini it serves.
    Fires once per registry load.
    """


@hookspec
def oq_register_exporters(registry):
    """Add exporters with ``registry.add_exporter(ExporterSpec(kind, fmt, writer, ...))``.

    :param registry: the registry being built
    ``writer(dstore, kind, fmt, export_dir) -> list of file paths``; ``kind`` is an
    output type key (``hcurves``, ``realizations``...), ``fmt`` a format (``csv``).
    Fires once per registry load.
    """


@hookspec
def oq_register_extractors(registry):
    """Add extract specs with ``registry.add_extractor(ExtractorSpec(name, func, doc))``.

    :param registry: the registry being built
    ``func(dstore, query: dict[str, list[str]], rest: str) -> ArrayWrapper``; it serves
    ``oq extract NAME?QUERY`` and ``GET /v1/calc/:id/extract/NAME?QUERY``.
    Fires once per registry load.
    """


@hookspec
def oq_register_params(registry):
    """Add job.ini parameters with ``registry.add_param(ParamSpec(...))``.

    :param registry: the registry being built
    A :class:`oqcore.params.ParamSpec` gives the name, the validator turning the
    job.ini text into a value, the default (``params.NODEFAULT`` if mandatory) and a
    doc string; they feed JobParams and ``GET /v1/ini_defaults``.
    Fires once per registry load.
    """


@hookspec
def oq_register_gsims(registry):
    """Add ground-motion models with ``registry.add_gsim(name, cls)``.

    :param registry: the registry being built
    ``cls`` is a subclass of :class:`oqcore.hazard.gsim.base.GMPE`; ``name`` is what
    logic trees write in ``<uncertaintyModel>``. Feeds ``GET /v1/available_gsims``.
    Fires once per registry load.
    """


@hookspec(firstresult=True)
def oq_select_executor(settings):
    """Return a task executor for the given :class:`oqcore.config.Settings`, or None.

    :param settings: the engine settings (``[distribution]`` of openquake.cfg)
    :returns: an :class:`Executor` (``map(func, args)`` and ``shutdown()``)
    The first non-None answer wins; the built-in process pool answers last; with no
    answer at all (no executor plugin loaded) the tasks run in the job process.
    Fires each time a calculation starts its tasks.
    """


@hookspec
def oq_job_status_changed(job, old, new):
    """Event: a job changed status (e.g. executing -> complete).

    :param job: dict with the job row (id, owner, description, status...)
    :param old: the previous status
    :param new: the new status
    Used for notifications (e-mail, webhooks); return values are ignored.
    """
