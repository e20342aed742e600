"""The job runner: one process per job, logs as they happen, abort, recovery.

:class:`Engine` is the facade used by the CLI and the server: it validates a job.ini,
creates the job row, starts the worker process (``python -m oqcore.jobs.worker ID``)
and waits for it or queues it. A worker catches SIGTERM and ends the job ``aborted``;
a job whose process is gone is marked ``failed`` by :meth:`Engine.recover`.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import attrs

from oqcore.config import Settings
from oqcore.errors import InvalidInput, NotFound
from oqcore.jobs.db import ACTIVE, TERMINAL, JobDB
from oqcore.jobs.procs import (  # noqa: F401  (die_with_parent, pid_alive: re-exported)
    die_with_parent, kill_group, os_user, pid_alive, process_start, same_process)

SETTINGS_ENV = "OQCORE_SETTINGS"
#: the name prefix of the folders the server makes in the data directory for uploads
UPLOAD_PREFIX = ".upload-"
#: comma-separated module names of the parent's plugins, so that a worker builds the very
#: same registry as the process that started it (set only when every plugin is a module)
PLUGINS_ENV = "OQCORE_PLUGINS"


class JobAborted(Exception):
    """Raised inside a worker when it receives SIGTERM."""


@attrs.define
class JobContext:
    """What a calculator receives from the runner.

    :ivar job_id: the calculation ID
    :ivar params: the validated JobParams
    :ivar datastore: the open calc_<id>.hdf5 (with the parent one, if any)
    :ivar registry: the plugin registry
    :ivar settings: engine settings
    :ivar log: the job's logger (records go to the database)
    :ivar executor: the task executor (``map(func, args)``)
    """
    job_id: int
    params: Any
    datastore: Any
    registry: Any
    settings: Settings
    log: Any
    executor: Any
    db: Any = None


def settings_to_env(settings: Settings) -> str:
    """Serialise settings for the worker process."""
    return json.dumps(attrs.asdict(settings))


def plugin_modules(registry) -> str | None:
    """The comma-separated module names of the plugins of ``registry``, in registration
    order, or None when some plugin is not an importable module."""
    import types
    names = []
    try:
        items = list(registry.pm.list_name_plugin())
    except AttributeError:
        return None
    for _name, plugin in items:
        if plugin is None:
            continue
        if not isinstance(plugin, types.ModuleType) or plugin.__name__ == "__main__":
            return None
        names.append(plugin.__name__)
    return ",".join(names)


def registry_from_env():
    """The registry of a worker: the parent's plugin modules (``OQCORE_PLUGINS``) when
    given, otherwise the entry points."""
    import importlib
    from oqcore import load_registry
    raw = os.environ.get(PLUGINS_ENV)
    if raw is None:
        return load_registry()
    mods = [importlib.import_module(n) for n in raw.split(",") if n]
    return load_registry(plugins=mods, entry_points=False, builtins=False)


def settings_from_env() -> Settings:
    """The settings passed by the parent process, or those of openquake.cfg."""
    raw = os.environ.get(SETTINGS_ENV)
    if raw:
        return Settings(**json.loads(raw))
    return Settings.load()


def job_process_alive(job: dict) -> bool:
    """True if the process recorded for a job row (``pid``, ``pid_start``) still runs."""
    return same_process(job["pid"], job.get("pid_start"))


def check_datastore_file(path: str, job_ini: str) -> None:
    """A ``hazard_calculation_id`` naming a datastore file must be an HDF5 file of a
    calculation (with its ``oqparam``).

    :raises InvalidInput: naming the job file and the parameter"""
    import h5py
    try:
        with h5py.File(path, "r") as f:
            ok = "oqparam" in f
    except OSError:
        ok = False
    if not ok:
        raise InvalidInput("%s is not the datastore of a calculation" % os.path.basename(
            path), fname=job_ini, param="hazard_calculation_id")


def parent_datastore_path(datadir: str, job: dict) -> str | None:
    """The datastore file of the parent of a job (its ``hazard_calculation_id``, or the
    datastore file named in its job.ini), None without."""
    from oqcore.datastore import calc_path
    if job.get("hazard_calculation_id"):
        return calc_path(datadir, job["hazard_calculation_id"])
    return json.loads(job.get("params") or "{}").get("parent_path")


class Engine:
    """Create, run, queue, abort and delete jobs.

    :param settings: engine settings (default: openquake.cfg + OQ_DATADIR)
    :param registry: plugin registry (default: loaded from entry points)
    """

    def __init__(self, settings: Settings | None = None, registry=None):
        self.settings = settings or Settings.load()
        self._registry = registry
        self.db = JobDB(self.settings.db_file)

    @property
    def registry(self):
        """The plugin registry, loaded on first use (listing jobs does not need the
        plugins, and loading them imports the hazard library)."""
        if self._registry is None:
            from oqcore import load_registry
            self._registry = load_registry()
        return self._registry

    # ---------------------------------------------------------------- jobs
    def validate(self, job_ini: str, overrides: dict | None = None, hc_id: int | None = None,
                 root: str | None = None, _seen: tuple = ()):
        """Parse and check a job.ini; raise InvalidInput naming file/line/parameter.

        A ``hazard_calculation_id`` naming a job file (run first) is checked too; a
        datastore file must be one of a calculation.

        :param root: the directory every input must be inside (the upload of a server
            job), None to read local files anywhere (the command line)
        """
        from oqcore.params import read_job_ini
        params = read_job_ini(job_ini, self.registry, overrides, root)
        parent = params.hazard_calculation_id
        if hc_id is None and isinstance(parent, str):
            if parent.endswith(".ini"):
                seen = _seen + (os.path.realpath(job_ini),)
                if os.path.realpath(parent) in seen or len(seen) > 8:
                    raise InvalidInput("the job files name each other as their hazard "
                                       "calculation", fname=job_ini,
                                       param="hazard_calculation_id")
                self.validate(parent, root=root, _seen=seen)
            else:
                check_datastore_file(parent, job_ini)
        spec = self.registry.calculator(params.calculation_mode)  # UnknownPlugin lists modes
        check = spec.input_checker()
        if check is not None:  # bad inputs fail before a job exists
            check(params, self.registry)
        if hc_id is not None:
            self.db.get_job(hc_id)
        return params

    def create_job(self, job_ini: str, user_name: str = "", overrides: dict | None = None,
                   hc_id: int | None = None, root: str | None = None,
                   params=None) -> int:
        """Validate ``job_ini`` and insert a job row in status ``created``; return its ID.

        :param root: the directory the job's inputs must be inside, also when the
            worker reads them again (see :meth:`validate`)
        :param params: the result of :meth:`validate` if the caller already has it
        """
        if hc_id is not None:
            hc_id = self.db.resolve_id(hc_id)
        if params is None:
            params = self.validate(job_ini, overrides, hc_id, root)
        elif hc_id is not None:
            self.db.get_job(hc_id)
        user_name = user_name or os_user()
        extra: dict = {"overrides": overrides or {}}
        parent = params.hazard_calculation_id
        if hc_id is None and isinstance(parent, str):
            if parent.endswith(".ini"):  # the worker of this job runs it first
                hc_id = self.create_job(parent, user_name, root=root)
                extra["run_parent"] = True
            else:  # a datastore file
                extra["parent_path"] = parent
        elif hc_id is None and parent is not None:
            hc_id = self.db.resolve_id(parent)
            self.db.get_job(hc_id)
        if root is not None:
            extra["input_root"] = os.path.realpath(root)
        job_id = self.db.create_job(
            params.description, user_name, params.calculation_mode,
            os.path.abspath(job_ini), json.dumps(extra), hc_id, self.settings.datadir)
        # the creating process owns the job until a worker takes it: recovery fails it
        # when that process is gone
        self.db.update_job(job_id, pid=os.getpid(), pid_start=process_start(os.getpid()))
        return job_id

    def start(self, job_id: int, echo: bool = False, echo_level: str = "info",
              **popen_kwargs) -> subprocess.Popen:
        """Start the worker process of a job (its own session, so that abort can kill
        the whole process group); with ``echo`` its log records at ``echo_level`` or
        above go to its stderr; ``popen_kwargs`` go to :class:`subprocess.Popen`."""
        env = dict(os.environ)
        env[SETTINGS_ENV] = settings_to_env(self.settings)
        mods = plugin_modules(self.registry)
        if mods is not None:
            env[PLUGINS_ENV] = mods
        cmd = [sys.executable, "-m", "oqcore.jobs.worker", str(job_id)]
        if echo:
            cmd += ["--echo", "--echo-level", echo_level]
        self.db.set_status(job_id, "submitted", self.registry)
        popen_kwargs.setdefault("stdout", None if echo else subprocess.DEVNULL)
        popen_kwargs.setdefault("stderr", None if echo else subprocess.DEVNULL)
        proc = subprocess.Popen(cmd, env=env, start_new_session=True, **popen_kwargs)
        self.db.update_job(job_id, pid=proc.pid, pid_start=process_start(proc.pid))
        return proc

    def run(self, job_id: int, echo: bool = True, echo_level: str = "info",
            log_file=None) -> str:
        """Run a job to its end in a worker process; return the final status. With
        ``echo`` the log records at ``echo_level`` or above are printed on stderr, or
        appended to ``log_file`` (an open file) when given."""
        # the worker gets SIGTERM (and ends the job aborted) if this process dies
        pre = die_with_parent(signal.SIGTERM)
        kwargs = {"preexec_fn": pre} if pre else {}
        if echo and log_file is not None:
            kwargs.update(stdout=log_file, stderr=log_file)
        proc = self.start(job_id, echo, echo_level=echo_level, **kwargs)
        try:
            proc.wait()
        except KeyboardInterrupt:
            self.abort(job_id)
            proc.wait()
        job = self.db.get_job(job_id)
        if job["status"] not in TERMINAL:  # the worker died without a word
            self.db.set_status(job_id, "failed", self.registry,
                               reason="the job process %d ended with code %s" % (
                                   proc.pid, proc.returncode))
        return self.db.get_job(job_id)["status"]

    def abort(self, job_id: int, timeout: float = 10.0) -> str:
        """Abort a job in any non-terminal state; return the resulting status.

        Queued jobs (created/submitted without a worker) become ``aborted`` at once; an
        executing worker gets SIGTERM and, if still alive after ``timeout`` seconds,
        its process group gets SIGKILL.
        """
        job = self.db.get_job(job_id)
        if job["status"] in TERMINAL:
            return job["status"]
        pid = job["pid"]
        if job["status"] == "executing" and pid != os.getpid() and job_process_alive(job):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.time() + timeout
            while time.time() < deadline and job_process_alive(job):  # let it clean up
                time.sleep(0.05)
            if job_process_alive(job):
                kill_group(pid)
        self.db.set_status(job_id, "aborted", self.registry, reason="aborted by the user")
        return self.db.get_job(job_id)["status"]

    def recover(self) -> list[int]:
        """Mark ``failed`` every unfinished job whose process is gone; return their IDs.

        The process of a job is the one recorded with it (PID and start time): its
        worker once started, else the process that created and queued it (a server, for
        its queued jobs). A live PID with another start time is a reused PID, and counts
        as gone.
        """
        failed = []
        for job in self.db.list_jobs(relevant_only=False):
            if job["status"] not in ACTIVE or job_process_alive(job):
                continue
            reused = pid_alive(job["pid"])
            self.db.set_status(
                job["id"], "failed", self.registry,
                reason="the job process %d is gone (killed, crashed or the server "
                "stopped%s)" % (job["pid"], "; its PID now belongs to another process"
                                if reused else ""),
                traceback="job process %d not found at recovery" % job["pid"])
            failed.append(job["id"])
        return failed

    def delete(self, job_id: int) -> None:
        """Remove a finished job: its datastore file(s), then its row, logs and outputs."""
        job = self.db.get_job(job_id)
        if job["status"] in ACTIVE and job["pid"] != os.getpid() and job_process_alive(job):
            raise InvalidInput("calculation %d is still running: abort it first" % job_id)
        self.remove_files(job)
        self.db.delete_job(job_id)

    def remove_files(self, job: dict) -> list[str]:
        """Delete the files of a job: its datastore (and the temporary one), and its
        directory of inputs when that is a folder the engine made for it directly in the
        data directory (``calc_<id>`` or an upload folder); return the base names of the
        datastore files removed. Nothing outside the data directory is touched."""
        import shutil

        from oqcore.datastore import calc_path
        datadir = os.path.realpath(self.settings.datadir)
        removed = []
        h5 = calc_path(self.settings.datadir, job["id"])
        for path in (h5, h5.replace(".hdf5", "_tmp.hdf5")):
            if os.path.exists(path):
                os.remove(path)
                removed.append(os.path.basename(path))
        inputs = os.path.realpath(job["ds_calc_dir"]) if job.get("ds_calc_dir") else ""
        name = os.path.basename(inputs)
        if inputs and os.path.dirname(inputs) == datadir and os.path.isdir(inputs) and (
                name == "calc_%d" % job["id"] or name.startswith(UPLOAD_PREFIX)):
            shutil.rmtree(inputs, ignore_errors=True)
        return removed

    def datastore_path(self, job_id: int) -> str:
        """The calc_<id>.hdf5 of a job."""
        from oqcore.datastore import calc_path
        return calc_path(self.settings.datadir, job_id)

    def open_datastore(self, job_id: int, with_parent: bool = True):
        """Open a job's datastore read-only (with its parent unless ``with_parent`` is
        False); NotFound if missing."""
        from oqcore.datastore import DataStore
        path = self.datastore_path(job_id)
        if not os.path.exists(path):
            raise NotFound("calculation %d has no datastore" % job_id)
        job = self.db.get_job(job_id)
        parent = None
        ppath = parent_datastore_path(self.settings.datadir, job) if with_parent else None
        if ppath and os.path.exists(ppath):
            parent = DataStore(ppath, "r")
        return DataStore(path, "r", parent)
