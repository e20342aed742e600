"""Run a calculation's tasks on a Dask distributed cluster (``oq_distribute = dask``).

Select it with ``[distribution] oq_distribute = dask`` and ``dask_scheduler = tcp://HOST:8786``
in openquake.cfg, or ``OQ_DISTRIBUTE=dask`` and ``OQCORE_DASK_SCHEDULER=tcp://HOST:8786`` in
the environment; ``dask_scheduler = local`` starts a private ``LocalCluster`` of ``num_cores``
worker processes for the job. Needs ``pip install oqcore[dask]`` on the job's machine and on
every worker (the workers import the task functions from the installed oqcore).

- Tasks keep the order of their arguments, as with every executor.
- An argument object shared by several tasks of one ``map`` (the sources of a group, the site
  collection, the GSIMs) is scattered to the cluster once and the tasks get a reference to it.
- A task's exception fails the job with the worker's traceback; a worker that dies is replaced
  and its task retried by the scheduler (``distributed.scheduler.allowed-failures``), then the
  job fails naming the task; a cluster left without workers fails the job after
  ``NO_WORKER_TIMEOUT`` seconds instead of waiting for ever.
- ``shutdown`` (job end or abort) cancels the job's futures still pending.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Iterator

import oqcore
from oqcore.errors import InvalidInput

#: seconds a cluster may have no worker before the job fails
NO_WORKER_TIMEOUT = 60.0
#: seconds to reach the scheduler
CONNECT_TIMEOUT = 20.0
#: values sent inline with every task rather than scattered
_INLINE = (int, float, complex, str, bytes, bool, type(None))


class DaskWorkerError(RuntimeError):
    """A task could not be computed because the cluster lost its workers."""


def _import_distributed():
    try:
        import distributed
    except ImportError:  # pragma: no cover - depends on the installation
        raise InvalidInput("oq_distribute = dask needs the Dask distributed package: "
                           "pip install 'oqcore[dask]'", param="oq_distribute") from None
    return distributed


def shared_arguments(args: list[tuple]) -> dict[int, Any]:
    """The argument objects used by more than one task, by ``id``.

    :param args: the argument tuples of the tasks
    :returns: ``{id(obj): obj}`` for every non-scalar object that appears in two or more
        tuples (the same object, not an equal one)
    """
    seen: dict[int, Any] = {}
    count: dict[int, int] = {}
    for task_args in args:
        for value in {id(v): v for v in task_args if not isinstance(v, _INLINE)}.values():
            seen[id(value)] = value
            count[id(value)] = count.get(id(value), 0) + 1
    return {key: seen[key] for key, n in count.items() if n > 1}


class DaskExecutor:
    """An :class:`oqcore.hookspecs.Executor` backed by a ``distributed.Client``.

    :param client: a connected client
    :param cluster: a cluster this executor started and must close (``LocalCluster``), or None
    """

    def __init__(self, client, cluster=None, no_worker_timeout: float = NO_WORKER_TIMEOUT):
        self.client = client
        self.cluster = cluster
        self.no_worker_timeout = no_worker_timeout
        self._futures: list = []
        self.num_workers = max(1, sum(client.nthreads().values()))

    def map(self, func: Callable, args: Iterable[tuple]) -> Iterator:
        """Submit every task, then yield the results in task order."""
        distributed = _import_distributed()
        args = list(args)
        shared = shared_arguments(args)
        refs = {key: self.client.scatter(obj, hash=False) for key, obj in shared.items()}
        futures = [self.client.submit(func, *[refs.get(id(v), v) for v in a], pure=False)
                   for a in args]
        self._futures.extend(futures)
        try:
            for fut in futures:
                yield self._result(fut, distributed)
        finally:
            pending = [f for f in futures if not f.done()]
            if pending:
                self.client.cancel(pending)
            self._forget(futures + list(refs.values()))

    def _forget(self, futures: list) -> None:
        ids = {id(f) for f in futures}
        self._futures = [f for f in self._futures if id(f) not in ids]
        for f in futures:
            f.release()

    def _result(self, fut, distributed):
        """The result of one future, failing if the cluster stays without workers."""
        alone_since = None
        while True:
            try:
                return fut.result(timeout=2.0)
            except distributed.TimeoutError:
                pass
            except distributed.KilledWorker as exc:
                raise DaskWorkerError(
                    "the Dask workers running task %s died (%s); see the worker logs "
                    "(out of memory?)" % (fut.key, exc)) from None
            if self.client.scheduler_info().get("workers"):
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > self.no_worker_timeout:
                raise DaskWorkerError(
                    "the Dask cluster at %s has had no worker for %.0f s; task %s cannot "
                    "run" % (self.client.scheduler.address, self.no_worker_timeout, fut.key))

    def shutdown(self) -> None:
        """Cancel the job's pending futures and close the client (and a private cluster)."""
        try:
            if self._futures:
                self.client.cancel(self._futures, force=True)
            self._futures = []
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def connect(scheduler: str, num_workers: int,
            timeout: float = CONNECT_TIMEOUT) -> DaskExecutor:
    """A :class:`DaskExecutor` on the scheduler at ``scheduler`` (``tcp://host:port``), or on
    a private ``LocalCluster`` of ``num_workers`` processes when ``scheduler`` is "local";
    ``timeout`` is the seconds allowed to reach the scheduler."""
    distributed = _import_distributed()
    if not scheduler:
        raise InvalidInput("oq_distribute = dask needs the scheduler address: "
                           "[distribution] dask_scheduler = tcp://HOST:8786 in openquake.cfg, "
                           "or OQCORE_DASK_SCHEDULER (or 'local')", param="dask_scheduler")
    cluster = None
    if scheduler == "local":
        cluster = distributed.LocalCluster(n_workers=num_workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None)
        scheduler = cluster.scheduler_address
    try:
        client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise InvalidInput("cannot reach the Dask scheduler at %s: %s" % (scheduler, exc),
                           param="dask_scheduler") from None
    return DaskExecutor(client, cluster)


@oqcore.hookimpl
def oq_select_executor(settings):
    """The Dask executor when ``oq_distribute = dask``; no answer otherwise."""
    if getattr(settings, "oq_distribute", "") != "dask":
        return None
    from oqcore.parallel import num_workers
    return connect(getattr(settings, "dask_scheduler", ""), num_workers(settings))
