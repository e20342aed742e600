"""The built-in plugin modules, for registries built without entry points (tests).

The same modules are declared in the ``oqcore`` entry-point group of pyproject.toml,
which is how an installed oqcore finds them.
"""
import importlib

#: module names, as in pyproject.toml's [project.entry-points.oqcore]
MODULES = [
    "oqcore.params_table",
    "oqcore.hazard.gsim.library",
    "oqcore.parallel",
    "oqplugins.calculators.classical",
    "oqplugins.calculators.disaggregation",
    "oqplugins.calculators.aelo",
    "oqplugins.exporters.hazard_csv",
    "oqplugins.exporters.hazard_xml",
    "oqplugins.exporters.disagg_csv",
    "oqplugins.exporters.aelo",
    "oqplugins.exporters.npz",
    "oqplugins.exporters.report",
    "oqplugins.extractors.hazard",
    "oqplugins.extractors.meta",
    "oqplugins.extractors.disagg",
]


def modules() -> list:
    """Import and return the built-in plugin modules."""
    return [importlib.import_module(name) for name in MODULES]
