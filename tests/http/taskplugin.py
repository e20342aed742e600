"""A test plugin: the ``sleepy`` calculator runs ``sleepy_tasks`` tasks of
``sleepy_seconds`` each through :meth:`BaseCalculator.map` (progress in the log)."""
from __future__ import annotations

import time

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.params import ParamSpec
from oqcore.registry import CalculatorSpec
from oqcore.validators import nonneg_float, positive_int


def sleepy_task(seconds: float) -> float:
    """Sleep ``seconds``; return them."""
    time.sleep(seconds)
    return seconds


class SleepyCalculator(BaseCalculator):
    """Tasks that only sleep."""

    def save_root_attrs(self) -> None:
        """No inputs to checksum."""

    def execute(self):
        return sum(self.map(sleepy_task, [(self.oq.sleepy_seconds,)] *
                            self.oq.sleepy_tasks))


@hookimpl
def oq_register_params(registry):
    """sleepy_tasks, sleepy_seconds."""
    registry.add_param(ParamSpec("sleepy_tasks", positive_int, 10, "TEST", "tasks"))
    registry.add_param(ParamSpec("sleepy_seconds", nonneg_float, 0.3, "TEST", "seconds"))


@hookimpl
def oq_register_calculators(registry):
    """The sleepy calculator."""
    registry.add_calculator(CalculatorSpec("sleepy", SleepyCalculator, "for tests"))
