"""The outputs a finished job lists: an exporter whose ``applies`` fails hides its
output, and the failure is logged with the job ID and the plugin."""
from __future__ import annotations

import logging
import types

import numpy as np

from oqcore import hookimpl, load_registry
from oqcore.datastore import DataStore
from oqcore.jobs.worker import register_outputs
from oqcore.registry import ExporterSpec


class OutputsDB:
    """Records ``add_output`` calls."""

    def __init__(self):
        self.outputs = []

    def add_output(self, job_id, display_name, kind, size):
        self.outputs.append((job_id, display_name, kind))


def broken_applies(dstore):
    raise RuntimeError("cannot tell")


def test_failing_applies_is_logged_with_the_job_id(tmp_path, caplog):
    @hookimpl
    def oq_register_exporters(registry):
        registry.add_exporter(ExporterSpec("fine", "csv", lambda *a: [], "Fine"))
        registry.add_exporter(ExporterSpec("shaky", "csv", lambda *a: [], "Shaky",
                                           applies=broken_applies))
    mod = types.ModuleType("shaky_plugin")
    mod.oq_register_exporters = oq_register_exporters
    reg = load_registry(plugins=[mod], entry_points=False, builtins=False)
    db = OutputsDB()
    with DataStore(str(tmp_path / "calc_42.hdf5"), "w") as dstore:
        dstore["fine"] = np.zeros(3)
        with caplog.at_level(logging.WARNING, logger="oqcore.jobs.worker"):
            register_outputs(db, reg, dstore, 42)
    assert db.outputs == [(42, "Fine", "fine")]
    [record] = [r for r in caplog.records if "shaky" in r.getMessage()]
    msg = record.getMessage()
    assert msg.startswith("calculation 42: output shaky not listed")
    assert "shaky_plugin" in msg and "RuntimeError: cannot tell" in msg
