"""Task executors: in-process and a process pool (the default); others via the
``oq_select_executor`` hook (e.g. Dask from a plugin)."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

import oqcore


class InProcessExecutor:
    """Run tasks one after the other in this process (``oq_distribute = no``)."""
    num_workers = 1

    def map(self, func: Callable, args: Iterable[tuple]) -> Iterator:
        """Yield ``func(*a)`` for each tuple ``a``, in order."""
        for a in args:
            yield func(*a)

    def shutdown(self) -> None:
        """Nothing to release."""


def _worker_init() -> None:
    """Workers die quietly on SIGTERM (the job process handles aborts)."""
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from oqcore.jobs.runner import die_with_parent
    pre = die_with_parent(signal.SIGKILL)  # no orphan workers if the job process dies
    if pre is not None:
        pre()


class ProcessPool:
    """A pool of ``num_workers`` forked processes; results come back in task order."""

    def __init__(self, num_workers: int):
        self.num_workers = num_workers
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self._pool = ProcessPoolExecutor(num_workers, mp_context=ctx, initializer=_worker_init)

    def map(self, func: Callable, args: Iterable[tuple]) -> Iterator:
        """Submit every task, then yield the results in task order."""
        futures = [self._pool.submit(func, *a) for a in args]
        try:
            for fut in futures:
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()

    def shutdown(self) -> None:
        """Stop the workers (killing them if a job is being aborted)."""
        procs = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(5)


def num_workers(settings) -> int:
    """Worker processes from ``num_cores`` (0 = every core)."""
    n = getattr(settings, "num_cores", 0) or os.cpu_count() or 1
    return max(1, int(n))


@oqcore.hookimpl(trylast=True)
def oq_select_executor(settings):
    """The built-in choice: in-process for ``oq_distribute = no`` or 1 core, else a pool."""
    mode = getattr(settings, "oq_distribute", "processpool")
    n = num_workers(settings)
    if mode == "no" or n == 1:
        return InProcessExecutor()
    return ProcessPool(n)
