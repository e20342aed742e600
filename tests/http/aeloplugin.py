"""A stand-in ``aelo`` calculator for the server tests (the real one has its own issue)."""
from __future__ import annotations

from oqcore import hookimpl
from oqcore.registry import CalculatorSpec


class FakeAelo:
    """Logs its site and ends."""

    def __init__(self, ctx):
        self.ctx = ctx

    def run(self) -> None:
        """Log the site."""
        self.ctx.log.info("AELO site %s", self.ctx.params.description)


@hookimpl
def oq_register_calculators(registry):
    """The aelo stand-in."""
    registry.add_calculator(CalculatorSpec("aelo", FakeAelo, "test stand-in"))
