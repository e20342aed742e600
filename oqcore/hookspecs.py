"""The hooks of oqcore, for plugin authors.

A plugin is any module (usually declared in the ``oqcore`` entry-point group of its
distribution) holding functions decorated with :data:`oqcore.hookimpl` and named as the
hooks below. Registrar hooks receive the :class:`oqcore.registry.Registry` being built
and add entries to it; they fire once, when :func:`oqcore.load_registry` builds a
registry. Two plugins adding the same key make that load fail, naming both plugins.

Example (in ``mypkg/plugin.py``, with ``[project.entry-points.oqcore] mypkg =
"mypkg.plugin"`` in the distribution's pyproject.toml)::

    from oqcore import hookimpl
    from oqcore.registry import CalculatorSpec

    @hookimpl
    def oq_register_calculators(registry):
        registry.add_calculator(CalculatorSpec("my_mode", MyCalculator, "does X"))
"""
import pluggy

hookspec = pluggy.HookspecMarker("oqcore")


@hookspec
def oq_register_calculators(registry):
    """Add calculators with ``registry.add_calculator(CalculatorSpec(mode, factory, doc))``.

    :param registry: the registry being built
    ``factory(job_context)`` returns an object with a ``run()`` method; ``mode`` is the
    ``calculation_mode`` of the job.ini it serves. Fires once per registry load.
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
    :returns: an object with ``map(func, iterable_of_args) -> iterator of results``
    The first non-None answer wins; the built-in process pool answers last.
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
