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
    "oqplugins.executors.dask_cluster",
    "oqplugins.calculators.classical",
    "oqplugins.calculators.preclassical",
    "oqplugins.calculators.disaggregation",
    "oqplugins.calculators.event_based",
    "oqplugins.calculators.scenario",
    "oqplugins.calculators.aelo",
    "oqplugins.exporters.hazard_csv",
    "oqplugins.exporters.hazard_xml",
    "oqplugins.exporters.disagg_csv",
    "oqplugins.exporters.aelo",
    "oqplugins.exporters.npz",
    "oqplugins.exporters.report",
    "oqplugins.exporters.gmf_csv",
    "oqplugins.extractors.hazard",
    "oqplugins.extractors.meta",
    "oqplugins.extractors.disagg",
    "oqplugins.extractors.gmfs",
    "oqplugins.calculators.risk",
    "oqplugins.calculators.classical_risk",
    "oqplugins.exporters.risk_csv",
    "oqplugins.extractors.risk",
]


def modules() -> list:
    """Import and return the built-in plugin modules."""
    return [importlib.import_module(name) for name in MODULES]
