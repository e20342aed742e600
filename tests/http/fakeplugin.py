"""A tiny plugin for the server tests: a ``fake`` calculator finishing in a moment,
with exporters and extract specs of its own.

job.ini parameters: ``fake_duration`` (seconds of sleep, in small steps),
``fake_fail`` (raise at the end), ``fake_log_rows`` (extra INFO rows); an input
``fake_input_file`` is read whole and stored as ``fake_input`` (uint8), as a real
calculator reads its inputs.
"""
from __future__ import annotations

import os
import time

import numpy as np

from oqcore import hookimpl
from oqcore.extract import ArrayWrapper
from oqcore.params import ParamSpec
from oqcore.registry import CalculatorSpec, ExporterSpec, ExtractorSpec
from oqcore.validators import boolean, integer, nonneg_float


class FakeCalculator:
    """Sleeps, logs, writes ``fake_curves`` (3, 4) float32 and ``fake_table``."""

    def __init__(self, ctx):
        self.ctx = ctx

    def run(self) -> None:
        """Do the fake work."""
        p, log, ds = self.ctx.params, self.ctx.log, self.ctx.datastore
        log.info("fake calculation starting")
        for i in range(int(p.fake_log_rows)):
            log.info("fake row %d", i)
        deadline = time.time() + float(p.fake_duration or 0)
        while time.time() < deadline:
            time.sleep(0.05)
        if "fake_input" in p.inputs:
            with open(p.inputs["fake_input"], "rb") as f:
                ds["fake_input"] = np.frombuffer(f.read(), np.uint8)
        if p.fake_fail:
            raise ValueError("the fake calculation failed on purpose")
        curves = np.arange(12, dtype=np.float32).reshape(3, 4)
        ds["fake_curves"] = curves
        ds.hdf5["fake_curves"].attrs["imt"] = "PGA"
        ds.hdf5["fake_curves"].attrs["nsites"] = 3
        ds.save_table("fake_table", {"id": np.arange(3), "value": np.ones(3)})
        parent = self.ctx.datastore.parent
        if parent is not None:
            log.info("parent has fake_curves: %s", "fake_curves" in parent)
        log.info("fake calculation done")


def _write_csv(dstore, kind, fmt, export_dir):
    arr = dstore["fake_curves"][()]
    path = os.path.join(export_dir, "fake_curves_%d.csv" % dstore.calc_id)
    with open(path, "w") as f:
        f.write("site_id,v0,v1,v2,v3\n")
        for i, row in enumerate(arr):
            f.write("%d,%s\n" % (i, ",".join("%g" % x for x in row)))
    return [path]


def _write_npz(dstore, kind, fmt, export_dir):
    path = os.path.join(export_dir, "fake_curves_%d.npz" % dstore.calc_id)
    np.savez(path, curves=dstore["fake_curves"][()])
    return [path]


def _write_two(dstore, kind, fmt, export_dir):
    paths = []
    for name in ("a", "b"):
        path = os.path.join(export_dir, "part-%s_%d.csv" % (name, dstore.calc_id))
        with open(path, "w") as f:
            f.write("x\n%s\n" % name)
        paths.append(path)
    return paths


def _write_nothing(dstore, kind, fmt, export_dir):
    return []


def _extract_curves(dstore, query, rest):
    arr = dstore["fake_curves"][()]
    site = query.get("site_id", [None])[0]
    if site is not None:
        if not isinstance(site, int) or not 0 <= site < len(arr):
            raise ValueError("invalid site_id %r" % site)
        arr = arr[site:site + 1]
    return ArrayWrapper(arr, {"imt": "PGA", "kind": [str(k) for k in query.get(
        "kind", ["mean"])]})


def _extract_input(dstore, query, rest):
    return ArrayWrapper(dstore["fake_input"][()], {})


def _extract_sites(dstore, query, rest):
    return ArrayWrapper(np.array([[0.0, 0.0], [0.1, 0.0], [0.2, 0.0]]), {"nsites": 3})


@hookimpl
def oq_register_params(registry):
    """The fake parameters."""
    registry.add_param(ParamSpec("fake_duration", nonneg_float, 0.0, "FAKE", "seconds"))
    registry.add_param(ParamSpec("fake_fail", boolean, False, "FAKE", "fail at the end"))
    registry.add_param(ParamSpec("fake_log_rows", integer, 0, "FAKE", "extra log rows"))


@hookimpl
def oq_register_calculators(registry):
    """The fake calculator."""
    registry.add_calculator(CalculatorSpec("fake", FakeCalculator, "for tests"))


@hookimpl
def oq_register_exporters(registry):
    """Exporters of fake_curves (csv, npz), fake_multi (two files), fake_empty."""
    has = lambda ds: "fake_curves" in ds  # noqa: E731
    registry.add_exporter(ExporterSpec("fake_curves", "csv", _write_csv, "Fake Curves"))
    registry.add_exporter(ExporterSpec("fake_curves", "npz", _write_npz, "Fake Curves"))
    registry.add_exporter(ExporterSpec("fake_multi", "csv", _write_two, "Fake Multi",
                                       applies=has))
    registry.add_exporter(ExporterSpec("fake_empty", "csv", _write_nothing, "Fake Empty",
                                       applies=has))
    registry.add_exporter(ExporterSpec("exposure", "zip", _write_two, "Exposure",
                                       applies=has))


@hookimpl
def oq_register_extractors(registry):
    """Extract specs fake_curves and sitecol."""
    registry.add_extractor(ExtractorSpec("fake_curves", _extract_curves))
    registry.add_extractor(ExtractorSpec("sitecol", _extract_sites))
    registry.add_extractor(ExtractorSpec("fake_input", _extract_input))
