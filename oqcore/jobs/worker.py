"""The process of one job: ``python -m oqcore.jobs.worker JOB_ID [--echo [--echo-level L]]``.

It loads the registry, validates the job.ini again, opens the datastore, runs the
calculator, registers the outputs and ends the job ``complete``; an exception ends it
``failed`` with the traceback stored; SIGTERM ends it ``aborted``.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import traceback

from oqcore.errors import PluginError
from oqcore.hookspecs import Calculator
from oqcore.jobs.procs import process_start
from oqcore.jobs.runner import (JobAborted, JobContext, parent_datastore_path, registry_from_env,
                                settings_from_env)


_log = logging.getLogger(__name__)


def shutdown_executor(executor, log, job_id: int) -> None:
    """Stop the task workers of a job; a failure to do so is logged, not raised."""
    try:
        executor.shutdown()
    except Exception as exc:
        log.warning("calculation %d: the executor did not shut down cleanly: %s: %s",
                    job_id, type(exc).__name__, exc)


def _on_sigterm(signum, frame):
    raise JobAborted("received SIGTERM")


def register_outputs(db, registry, dstore, job_id: int, log=None) -> None:
    """Add one output row per exposed output kind, in alphabetical order of kind.

    Only the calculation's own datasets count: the outputs of a parent (``--hc``)
    calculation are listed under the parent. An exporter whose ``applies`` fails does
    not expose its output; the error is logged (to ``log``, the job's logger, or this
    module's) with the job ID."""
    parent, dstore.parent = dstore.parent, None
    try:
        _register_outputs(db, registry, dstore, job_id, log)
    finally:
        dstore.parent = parent


def _register_outputs(db, registry, dstore, job_id: int, log) -> None:
    seen: dict = {}
    for (kind, fmt), spec in registry.exporters().items():
        try:
            exposed = spec.exposed_by(dstore)
        except Exception as exc:
            exposed = False
            (log or _log).warning(
                "calculation %d: output %s not listed: the %s exporter of %s failed to tell "
                "whether it exists: %s: %s", job_id, kind, fmt,
                registry.owner("exporter", (kind, fmt)), type(exc).__name__, exc)
        old = seen.get(kind)
        if old is None or (exposed and not old[0]):
            seen[kind] = (exposed, spec)
    for kind in sorted(seen):
        exposed, spec = seen[kind]
        if not exposed:
            continue
        size = -1.0
        key = spec.size_key or kind
        if key in dstore.hdf5:
            size = round(dstore.getsize(key) / 1024 ** 2, 5)
            if size == 0:
                size = round(dstore.getsize(key) / 1024 ** 2, 8)
        db.add_output(job_id, spec.display_name or kind, kind, size)


def run_parent_job(settings, registry, db, parent_id: int, echo: bool) -> None:
    """Run the hazard job created for the job file named by ``hazard_calculation_id``
    (unless it already ran).

    :raises RuntimeError: when it does not complete"""
    from oqcore.jobs.runner import Engine
    parent = db.get_job(parent_id)
    if parent["status"] == "created":
        Engine(settings, registry).run(parent_id, echo)
        parent = db.get_job(parent_id)
    if parent["status"] != "complete":
        raise RuntimeError("the hazard calculation %d (%s) is %s: %s" % (
            parent_id, os.path.basename(parent["job_ini"]), parent["status"],
            parent.get("reason") or ""))


def run_job(job_id: int, echo: bool = False, echo_level: str = "info") -> str:
    """Run job ``job_id`` in this process; return its final status (``echo``: print
    its log records at ``echo_level`` or above on stderr)."""
    from oqcore.datastore import DataStore, calc_path
    from oqcore.jobs.db import JobDB
    from oqcore.jobs.logs import job_logger
    from oqcore.params import read_job_ini

    import logging
    # the job logger reports the warnings of the job.ini (once), not the module logger
    logging.getLogger("oqcore.params").addHandler(logging.NullHandler())
    logging.getLogger("oqcore.params").propagate = False
    settings = settings_from_env()
    db = JobDB(settings.db_file)
    log = job_logger(db, job_id, echo, echo_level)
    signal.signal(signal.SIGTERM, _on_sigterm)
    executor = dstore = None
    registry = None
    try:
        registry = registry_from_env()
        job = db.get_job(job_id)
        if job["status"] in ("aborted", "failed", "complete"):
            return job["status"]
        db.set_status(job_id, "executing", registry, pid=os.getpid(),
                      pid_start=process_start(os.getpid()))
        extra = json.loads(job["params"] or "{}")
        if extra.get("run_parent") and job["hazard_calculation_id"]:
            run_parent_job(settings, registry, db, job["hazard_calculation_id"], echo)
        params = read_job_ini(job["job_ini"], registry, extra.get("overrides"),
                              extra.get("input_root"))
        if job["hazard_calculation_id"]:
            params.hazard_calculation_id = job["hazard_calculation_id"]
        for w in getattr(params, "_warnings", []):
            log.warning(w)
        log.info("Running %s [--hc=%s] (%s)", job["job_ini"], job["hazard_calculation_id"],
                 params.calculation_mode)
        parent = None
        ppath = parent_datastore_path(settings.datadir, job)
        if ppath:
            parent = DataStore(ppath, "r")
        dstore = DataStore(calc_path(settings.datadir, job_id), "w", parent)
        executor = registry.select_executor(settings)
        spec = registry.calculator(params.calculation_mode)
        ctx = JobContext(job_id, params, dstore, registry, settings, log, executor, db)
        calc = spec.factory(ctx)
        if not isinstance(calc, Calculator):
            raise PluginError(registry.owner("calculator", spec.mode),
                              "the factory of calculation_mode %r returned %r, which has "
                              "no run() method" % (spec.mode, calc))
        calc.run()
        # the task workers go first: forked ones share the datastore's file (and its lock),
        # which must be free when the job is seen complete
        shutdown_executor(executor, log, job_id)
        executor = None
        dstore.flush()
        register_outputs(db, registry, dstore, job_id, log)
        dstore.mark_complete()  # last: a datastore without the mark is incomplete
        # closed before the job is complete: a client seeing "complete" may read it
        dstore.close()
        dstore = None
        size = round(os.path.getsize(calc_path(settings.datadir, job_id)) / 1024 ** 2, 4)
        db.update_job(job_id, size_mb=size)
        log.info("Calculation %d finished correctly", job_id)
        db.set_status(job_id, "complete", registry)
        return "complete"
    except JobAborted:
        log.warning("Calculation %d aborted", job_id)
        db.set_status(job_id, "aborted", registry, reason="aborted by the user")
        return "aborted"
    except BaseException as exc:
        tb = traceback.format_exc()
        log.error("%s", tb)
        db.set_status(job_id, "failed", registry, traceback=tb,
                      reason="%s: %s" % (type(exc).__name__, exc))
        return "failed"
    finally:
        if executor is not None:
            shutdown_executor(executor, log, job_id)
        if dstore is not None:
            dstore.close()


def main(argv=None) -> int:
    """Entry point of the worker process."""
    argv = sys.argv[1:] if argv is None else argv
    level = argv[argv.index("--echo-level") + 1] if "--echo-level" in argv else "info"
    status = run_job(int(argv[0]), echo="--echo" in argv, echo_level=level)
    return 0 if status == "complete" else 1


if __name__ == "__main__":
    sys.exit(main())
