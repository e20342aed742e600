"""The job queue of the server: FIFO, at most ``concurrency`` jobs running at once.

A submitted job is ``submitted`` while it waits; a dispatcher thread starts worker
processes through :meth:`oqcore.jobs.runner.Engine.start` and reaps them. On Linux the
workers die with the server (``PR_SET_PDEATHSIG``), so that a killed server leaves no
stray job behind and the next start marks its jobs ``failed`` (``Engine.recover``).
"""
from __future__ import annotations

import collections
import logging
import signal
import subprocess
import threading
import time

from oqcore.jobs.db import TERMINAL
from oqcore.jobs.procs import die_with_parent, kill_group

log = logging.getLogger("oqhttp.queue")


class JobQueue:
    """A FIFO of job IDs run ``concurrency`` at a time by a dispatcher thread.

    :param engine: the :class:`oqcore.jobs.runner.Engine`
    :param concurrency: how many jobs may run at once
    :param poll: seconds between checks of the running processes
    """

    def __init__(self, engine, concurrency: int, poll: float = 0.1):
        self.engine = engine
        self.db = engine.db
        self.concurrency = max(1, int(concurrency))
        self.poll = poll
        self._waiting: collections.deque[int] = collections.deque()
        self._running: dict[int, subprocess.Popen] = {}
        self._cond = threading.Condition()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._preexec = die_with_parent(signal.SIGKILL)
        #: functions called with the job ID when a job process has ended (its status
        #: settled), from the dispatcher thread or an abort request: they must return
        #: quickly and tolerate a second call for the same job
        self.listeners: list = []

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start the dispatcher thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="oqhttp-queue",
                                            daemon=True)
            self._thread.start()

    def stop(self, reason: str = "the engine server stopped", timeout: float = 10) -> None:
        """Stop dispatching; fail the waiting jobs and stop the running ones."""
        self._stopped.set()
        with self._cond:
            waiting = list(self._waiting)
            self._waiting.clear()
            running = dict(self._running)
            self._cond.notify_all()
        for job_id in waiting:
            self._fail(job_id, reason + " before the job started")
        for job_id, proc in running.items():
            self._fail(job_id, reason)
            self._terminate(job_id, proc, timeout)
        if self._thread is not None:
            self._thread.join(timeout)

    # ------------------------------------------------------------ jobs
    def submit(self, job_id: int) -> None:
        """Queue a job (status ``submitted`` until a slot is free)."""
        self.db.set_status(job_id, "submitted", self.engine.registry)
        with self._cond:
            self._waiting.append(job_id)
            self._cond.notify_all()

    def waiting(self) -> list[int]:
        """The queued job IDs, in order."""
        with self._cond:
            return list(self._waiting)

    def running(self) -> list[int]:
        """The IDs of the jobs whose processes are alive."""
        with self._cond:
            return list(self._running)

    def abort(self, job_id: int, timeout: float = 10) -> bool:
        """Abort a job known to this queue; False if it is neither waiting nor running.

        A waiting job leaves the queue and ends ``aborted``; a running one is marked
        ``aborted`` and its process gets SIGTERM (SIGKILL for its whole process group
        after ``timeout`` seconds, and for any process of the group left behind).
        """
        with self._cond:
            if job_id in self._waiting:
                self._waiting.remove(job_id)
                self.db.set_status(job_id, "aborted", self.engine.registry,
                                   reason="aborted by the user before it started")
                self._ended(job_id)
                return True
            proc = self._running.get(job_id)
        if proc is None:
            return False
        self.db.set_status(job_id, "aborted", self.engine.registry,
                           reason="aborted by the user")
        self._terminate(job_id, proc, timeout)
        with self._cond:
            if self._running.pop(job_id, None) is not None:  # not reaped meanwhile
                self._ended(job_id)
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is waiting or running; True if that happened in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                if not self._waiting and not self._running:
                    return True
            time.sleep(0.05)
        return False

    # ------------------------------------------------------------ internals
    @staticmethod
    def _terminate(job_id: int, proc: subprocess.Popen, timeout: float) -> None:
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                kill_group(proc.pid)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    log.error("the process %d of job %d does not die", proc.pid, job_id)
        kill_group(proc.pid)  # whatever its tasks left behind

    def _reap(self) -> None:
        for job_id, proc in list(self._running.items()):
            code = proc.poll()
            if code is None:
                continue
            del self._running[job_id]
            kill_group(proc.pid)
            try:
                job = self.db.get_job(job_id)
            except Exception as exc:  # removed meanwhile
                log.info("job %d ended (code %s) and cannot be read: %s", job_id, code, exc)
                continue
            if job["status"] not in TERMINAL:
                self._fail(job_id, "the job process %d ended with code %s" % (proc.pid,
                                                                             code))
            self._ended(job_id)

    def _ended(self, job_id: int) -> None:
        """Tell the listeners that job ``job_id`` has ended."""
        for listener in self.listeners:
            try:
                listener(job_id)
            except Exception:  # a listener must not stop the queue
                log.exception("job %d: end-of-job listener failed", job_id)

    def _launch(self) -> None:
        while self._waiting and len(self._running) < self.concurrency:
            job_id = self._waiting.popleft()
            try:
                if self.db.get_job(job_id)["status"] != "submitted":
                    continue
                kw = {"preexec_fn": self._preexec} if self._preexec else {}
                self._running[job_id] = self.engine.start(job_id, **kw)
            except Exception as exc:
                log.exception("cannot start job %d", job_id)
                self._fail(job_id, "cannot start the job process: %s" % exc)

    def _fail(self, job_id: int, reason: str) -> None:
        """Mark a job failed; a database error is logged with the job ID, not raised."""
        try:
            self.db.set_status(job_id, "failed", self.engine.registry, reason=reason)
        except Exception:
            log.exception("cannot mark job %d failed (%s)", job_id, reason)

    def _loop(self) -> None:
        while not self._stopped.is_set():
            with self._cond:
                try:
                    self._reap()
                    if not self._stopped.is_set():
                        self._launch()
                except Exception:  # the dispatcher must survive anything
                    log.exception("job queue error")
                self._cond.wait(self.poll)
