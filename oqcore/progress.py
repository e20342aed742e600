"""Progress of the tasks of a job: ``N/total tasks done (P%), T s elapsed`` in the job
log (terminal, ``/v1/calc/ID/log``) at least every 10 % of the tasks or every 10 s,
and the duration of each task (the ``task_info`` dataset)."""
from __future__ import annotations

import resource
import sys
import threading
import time
from typing import Callable, Iterable, Iterator

import numpy as np

#: a progress line at least every this many seconds while tasks run
EVERY_S = 10.0
#: ... and at least every this fraction of the tasks
EVERY_FRACTION = 0.1

TASK_INFO_DTYPE = np.dtype([("taskname", "S50"), ("task_no", np.uint32),
                            ("weight", np.float32), ("duration", np.float32),
                            ("received", np.int64), ("mem_gb", np.float32)])


def nbytes(obj) -> int:
    """The bytes of the arrays in a task result (tuples, lists, dicts of arrays), the
    size of what travels back from a worker (without pickling it twice)."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (tuple, list)):
        return sum(nbytes(o) for o in obj)
    if isinstance(obj, dict):
        return sum(nbytes(o) for o in obj.values())
    if isinstance(obj, (bytes, str)):
        return len(obj)
    return 8


class TimedTask:
    """A picklable wrapper of a task function returning
    ``(result, seconds, result bytes, peak memory of the worker in GB)``."""

    def __init__(self, func: Callable):
        self.func = func

    def __call__(self, *args):
        t0 = time.time()
        res = self.func(*args)
        dt = time.time() - t0
        size = nbytes(res)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB (bytes on macOS)
        gb = rss / 1024 ** 3 if sys.platform == "darwin" else rss / 1024 ** 2
        return res, dt, size, gb


def task_name(func: Callable) -> str:
    """The name of a task function (``classical_task``)."""
    return getattr(func, "__name__", type(func).__name__)


class Progress:
    """Logs the progress of ``total`` tasks named ``name`` through ``log``: when 10 %
    more are done and, from a heartbeat thread, when 10 s passed without a line."""

    def __init__(self, log, name: str, total: int, every_s: float = EVERY_S):
        self.log = log
        self.name = name
        self.total = total
        self.done = 0
        self.every_s = every_s
        self.t0 = self.last = time.time()
        self._steps = round(1 / EVERY_FRACTION)  # 10 lines over the whole run
        self._next = 1  # the next step (of ``_steps``) that gets a line
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name="progress-%s" % name)

    def message(self) -> str:
        """``name: 3/16 tasks done (18%), 12.5 s elapsed``."""
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return "%s: %d/%d tasks done (%d%%), %.1f s elapsed" % (
            self.name, self.done, self.total, pct, time.time() - self.t0)

    def _emit(self) -> None:
        self.last = time.time()
        self.log.info(self.message())

    def _beat(self) -> None:
        while not self._stop.wait(min(1.0, self.every_s)):
            with self._lock:
                if time.time() - self.last >= self.every_s:
                    self._emit()

    def start(self) -> "Progress":
        """Log the start and begin the heartbeat."""
        with self._lock:
            self.log.info("%s: %d tasks submitted", self.name, self.total)
        self._thread.start()
        return self

    def task_done(self) -> None:
        """Count one more task; log when another 10 % are done."""
        with self._lock:
            self.done += 1
            reached = self.done * self._steps >= self._next * self.total  # exact integers
            if reached or self.done >= self.total:
                while self._next * self.total <= self.done * self._steps:
                    self._next += 1
                self._emit()

    def stop(self) -> None:
        """End the heartbeat."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)


def track(executor, func: Callable, args: Iterable[tuple], log, records: list) -> Iterator:
    """Run ``func(*a)`` for each ``a`` through ``executor`` (results in order), logging
    the progress and appending one ``task_info`` row per task to ``records``."""
    args = list(args)
    name = task_name(func)
    prog = Progress(log, name, len(args)).start()
    try:
        for no, (res, dt, size, gb) in enumerate(executor.map(TimedTask(func), args)):
            records.append((name.encode()[:50], no, 1.0, dt, size, gb))
            prog.task_done()
            yield res
    finally:
        prog.stop()


def task_info_array(records: list) -> np.ndarray:
    """The ``task_info`` dataset from the rows collected by :func:`track`."""
    return np.array(records, TASK_INFO_DTYPE)


def latest_progress(db, job_id: int) -> str | None:
    """The last progress line of a job (``classical_task: 3/16 tasks done (18%), ...``)
    from its log, or None."""
    rows = db.execute("SELECT message FROM log WHERE job_id=? AND message LIKE ? "
                      "ORDER BY id DESC LIMIT 1", (job_id, "%tasks done (%"))
    return rows[0]["message"] if rows else None
