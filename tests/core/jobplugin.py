"""A plugin module for the job tests: the ``slow`` calculator.

job.ini parameters: ``slow_duration`` (seconds, slept in small steps), ``slow_tasks``
(if > 0, that many tasks sleep ``slow_duration`` each in the job's executor, writing
their PID into ``slow_pid_dir`` first), ``slow_fail`` (raise at the end).
It writes the dataset ``slow_result`` (exported as csv: output "Slow Result").

If the environment variable ``OQCORE_TEST_STATUS_LOG`` names a file, every
``oq_job_status_changed`` event is appended to it as ``<job id> <old> <new>``.
If ``OQCORE_TEST_SLOW_SHUTDOWN`` names a file, the job's executor runs the tasks in
process and its ``shutdown()`` takes two seconds (like closing a remote cluster), then
writes that file.
"""
from __future__ import annotations

import os
import time

import numpy as np

from oqcore import hookimpl
from oqcore.calculator import BaseCalculator
from oqcore.params import ParamSpec
from oqcore.registry import CalculatorSpec, ExporterSpec
from oqcore.validators import boolean, nonneg_float, nonneg_int, string

STATUS_LOG_ENV = "OQCORE_TEST_STATUS_LOG"
SLOW_SHUTDOWN_ENV = "OQCORE_TEST_SLOW_SHUTDOWN"
#: seconds taken by SlowShutdownExecutor.shutdown
SHUTDOWN_SECONDS = 2.0


def sleep_task(duration: float, pid_dir: str) -> int:
    """A task: write this process's PID into ``pid_dir``, sleep, return the PID."""
    if pid_dir:
        with open(os.path.join(pid_dir, str(os.getpid())), "w") as f:
            f.write(str(os.getpid()))
    deadline = time.time() + duration
    while time.time() < deadline:
        time.sleep(0.02)
    return os.getpid()


class SlowShutdownExecutor:
    """Runs the tasks in this process; ``shutdown`` is slow and leaves a marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def map(self, func, args):
        for a in args:
            yield func(*a)

    def shutdown(self) -> None:
        time.sleep(SHUTDOWN_SECONDS)
        with open(self.marker, "w") as f:
            f.write("shut down by %d" % os.getpid())


class SlowCalculator(BaseCalculator):
    """See the module docstring."""

    def execute(self):
        p = self.oq
        self.log.info("slow calculation started")
        parent = self.datastore.parent
        if parent is not None:
            self.log.info("parent has slow_result: %s", "slow_result" in parent)
        if p.slow_tasks:
            args = [(p.slow_duration, p.slow_pid_dir)] * p.slow_tasks
            pids = list(self.map(sleep_task, args))
        else:
            pids = [sleep_task(p.slow_duration, "")]
        if p.slow_fail:
            raise ValueError("slow calculation failed on purpose")
        return pids

    def post_execute(self, pids) -> None:
        self.datastore["slow_result"] = np.array(pids, np.int64)
        self.log.info("slow calculation done")


def _export_csv(dstore, kind, fmt, export_dir):
    path = os.path.join(export_dir, "slow_result_%d.csv" % dstore.calc_id)
    with open(path, "w") as f:
        f.write("pid\n" + "".join("%d\n" % x for x in dstore["slow_result"][()]))
    return [path]


@hookimpl
def oq_register_params(registry):
    """The slow_* parameters."""
    registry.add_param(ParamSpec("slow_duration", nonneg_float, 0.0, "TEST", "seconds"))
    registry.add_param(ParamSpec("slow_tasks", nonneg_int, 0, "TEST", "tasks"))
    registry.add_param(ParamSpec("slow_pid_dir", string, "", "TEST", "PID folder"))
    registry.add_param(ParamSpec("slow_fail", boolean, False, "TEST", "fail at the end"))


@hookimpl
def oq_register_calculators(registry):
    """The slow calculator, and ``no_run`` whose factory returns no calculator."""
    registry.add_calculator(CalculatorSpec("slow", SlowCalculator, "sleeps (tests)"))
    registry.add_calculator(CalculatorSpec("no_run", not_a_calculator, "broken (tests)"))


def not_a_calculator(job) -> dict:
    """A factory returning something without ``run()``."""
    return {"job": job.job_id}


@hookimpl
def oq_register_exporters(registry):
    """The slow_result output."""
    registry.add_exporter(ExporterSpec("slow_result", "csv", _export_csv, "Slow Result"))


@hookimpl
def oq_job_status_changed(job, old, new):
    """Append ``<id> <old> <new>`` to $OQCORE_TEST_STATUS_LOG."""
    path = os.environ.get(STATUS_LOG_ENV)
    if path:
        with open(path, "a") as f:
            f.write("%d %s %s\n" % (job["id"], old, new))


@hookimpl
def oq_select_executor(settings):
    """A SlowShutdownExecutor when $OQCORE_TEST_SLOW_SHUTDOWN is set, else None."""
    marker = os.environ.get(SLOW_SHUTDOWN_ENV)
    return SlowShutdownExecutor(marker) if marker else None
