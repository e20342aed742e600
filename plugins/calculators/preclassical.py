"""The ``preclassical`` calculator: read and validate the hazard model of a job (logic
trees, source models with their logic-tree modifications, sites, GSIMs) and store what
a classical calculation would start from, without computing hazard curves.

Datasets written: ``oqparam``, ``sitecol``, ``full_lt`` (JSON), ``weights``,
``realizations``, ``source_info`` (source_id, code, trt, num_ctxs = 0, num_ruptures,
for the sources of the first source-model path).
"""
from __future__ import annotations

from oqcore import hookimpl
from oqcore.registry import CalculatorSpec
from oqplugins.calculators.classical import ClassicalCalculator


class PreclassicalCalculator(ClassicalCalculator):
    """Everything of the classical calculator before the hazard integration."""

    def execute(self):
        """Count the ruptures of every source (they must build): no hazard."""
        nsrc = sum(len(srcs) for sm in self.hmodel.source_models
                   for srcs in sm.sources_by_trt.values())
        self.log.info("%d source model path(s), %d sources in all",
                      len(self.hmodel.source_models), nsrc)

    def post_execute(self, result) -> None:
        """Store ``source_info``."""
        self.save_source_info()


@hookimpl
def oq_register_calculators(registry):
    """Register the preclassical calculator."""
    registry.add_calculator(CalculatorSpec(
        "preclassical", PreclassicalCalculator,
        "Read and check the hazard model; store realizations and source info, no curves",
        check_inputs=PreclassicalCalculator.check_inputs))
