"""The hook implementations of oq_example_plugin (see the package docstring)."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.errors import InvalidInput
from oqcore.export import comment, export_name, fmt_float, write_csv
from oqcore.extract import ArrayWrapper
from oqcore.params import NODEFAULT, ParamSpec
from oqcore.registry import CalculatorSpec, ExporterSpec, ExtractorSpec
from oqcore.validators import float_list, nonneg_float

from oq_example_plugin.gsim import ExampleConstantGMPE

#: the calculation mode, the output kind and the extract spec share this name
NAME = "example_sum"


def partial_sum(values: list) -> float:
    """The task: the sum of a chunk of values."""
    return float(np.sum(values))


class ExampleSumCalculator(BaseCalculator):
    """Sums ``example_values`` (times ``example_scale``) in tasks of two values each and
    stores ``example_sum``: the running sums (V,) float64 with attributes ``total`` and
    ``num_tasks``."""

    def pre_execute(self) -> None:
        if not self.oq.example_values:
            raise InvalidInput("example_sum needs example_values", param="example_values")
        self.scale = 1.0 if self.oq.example_scale is None else self.oq.example_scale

    def execute(self):
        values = [v * self.scale for v in self.oq.example_values]
        chunks = [values[i:i + 2] for i in range(0, len(values), 2)]
        partials = list(self.map(partial_sum, [(c,) for c in chunks]))
        self.log.info("example_sum: %d tasks, partial sums %s", len(chunks), partials)
        return values, partials

    def post_execute(self, result) -> None:
        values, partials = result
        self.datastore[NAME] = np.cumsum(values)
        self.datastore.hdf5[NAME].attrs["total"] = float(sum(partials))
        self.datastore.hdf5[NAME].attrs["num_tasks"] = len(partials)


def export_example_sum_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """``example_sum_<calc_id>.csv``: index, running_sum (with the metadata comment)."""
    arr = dstore[NAME][()]
    total = float(dstore[NAME].attrs["total"])
    path = os.path.join(export_dir, export_name(NAME, dstore.calc_id, "csv"))
    rows = [[str(i), fmt_float(x)] for i, x in enumerate(arr)]
    return [write_csv(path, ["index", "running_sum"], rows, comment(dstore, total=total))]


def extract_example_sum(dstore, query, rest):
    """``array`` (V,) of running sums times ``scale`` (query, default 1) and ``total``."""
    scale = query.get("scale", [1])[0]
    if not isinstance(scale, (int, float)):
        raise InvalidInput("scale must be a number, got %r" % (scale,))
    arr = dstore[NAME][()] * scale
    return ArrayWrapper(arr, {"total": float(dstore[NAME].attrs["total"]) * scale})


@hookimpl
def oq_register_params(registry):
    """example_values (mandatory for example_sum) and example_scale."""
    registry.add_param(ParamSpec("example_values", float_list, NODEFAULT, "EXAMPLE",
                                 "Numbers to add up (example_sum)"))
    registry.add_param(ParamSpec("example_scale", nonneg_float, NODEFAULT, "EXAMPLE",
                                 "Factor applied to every value (example_sum; default 1)"))


@hookimpl
def oq_register_calculators(registry):
    """The example_sum calculator."""
    registry.add_calculator(CalculatorSpec(NAME, ExampleSumCalculator,
                                           "Adds up example_values (example plugin)"))


@hookimpl
def oq_register_exporters(registry):
    """CSV export of the example_sum output."""
    registry.add_exporter(ExporterSpec(NAME, "csv", export_example_sum_csv, "Example Sum",
                                       content_type="text/csv"))


@hookimpl
def oq_register_extractors(registry):
    """The example_sum extract spec."""
    registry.add_extractor(ExtractorSpec(NAME, extract_example_sum,
                                         extract_example_sum.__doc__ or ""))


@hookimpl
def oq_register_gsims(registry):
    """The ExampleConstantGMPE model."""
    registry.add_gsim("ExampleConstantGMPE", ExampleConstantGMPE)
