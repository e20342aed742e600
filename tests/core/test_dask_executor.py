"""The Dask distributed executor (``oq_distribute = dask``) on a real ``LocalCluster`` of
worker processes: task order, shared arguments scattered once, task errors, dead workers,
a cluster without workers, abort, and a classical job giving the process pool's datasets."""
from __future__ import annotations

import os
import shutil
import signal
import time

import h5py
import numpy as np
import pytest

if os.environ.get("CI"):  # tox installs oqcore[dask]: a missing package is a failure there
    import distributed
else:
    distributed = pytest.importorskip("distributed")

import oqcore.parallel  # noqa: E402
import oqcore.params_table  # noqa: E402
from oqcore import load_registry  # noqa: E402
from oqcore.config import Settings  # noqa: E402
from oqcore.errors import InvalidInput  # noqa: E402
from oqcore.jobs.runner import PLUGINS_ENV, Engine  # noqa: E402
from oqplugins.executors import dask_cluster  # noqa: E402
from oqplugins.executors.dask_cluster import DaskExecutor, DaskWorkerError  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.core import jobplugin  # noqa: E402
from tests.core.test_jobs import job_ini, wait_for  # noqa: E402

TIMEOUT = 60
CASE = os.path.join(ROOT, "tests", "data", "qa_classical", "classical_case_01", "input")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes; a dead worker is retried once."""
    with _TwoWorkers() as c:
        yield c


class _TwoWorkers:
    """A LocalCluster of two worker processes, allowed-failures = 1 while it lives."""

    def __enter__(self):
        import dask
        self._cfg = dask.config.set({"distributed.scheduler.allowed-failures": 1})
        self._cfg.__enter__()
        self.cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                                processes=True, dashboard_address=None)
        return self.cluster

    def __exit__(self, *exc):
        self.cluster.close()
        self._cfg.__exit__(*exc)


@pytest.fixture
def executor(cluster):
    ex = DaskExecutor(distributed.Client(cluster.scheduler_address, set_as_default=False))
    yield ex
    ex.shutdown()


def _square(x, shared):
    return x * x + len(shared)


def _where(shared):
    return os.getpid(), id(shared)


def _boom(x):
    raise ValueError("bad value %d" % x)


def _die(x):
    os._exit(3)


# ------------------------------------------------------------------ executor level
def test_shared_arguments_are_the_objects_used_by_several_tasks():
    big, other = list(range(10)), {"a": 1}
    args = [(1, big, other), (2, big, "x"), (3, big, "x")]
    shared = dask_cluster.shared_arguments(args)
    assert list(shared.values()) == [big]  # strings and numbers travel inline


def test_results_come_in_task_order(executor):
    shared = np.arange(1000)
    assert list(executor.map(_square, [(i, shared) for i in range(20)])) == \
        [i * i + 1000 for i in range(20)]
    assert executor.num_workers == 2


def test_a_shared_argument_is_sent_once(executor, monkeypatch):
    scattered = []
    real = executor.client.scatter
    monkeypatch.setattr(executor.client, "scatter",
                        lambda obj, **kw: scattered.append(obj) or real(obj, **kw))
    shared = np.arange(10_000)
    results = list(executor.map(_where, [(shared,)] * 8))
    assert len(scattered) == 1 and scattered[0] is shared
    # each worker process deserialised the shared object once: one copy per process
    per_pid = {}
    for pid, obj_id in results:
        per_pid.setdefault(pid, set()).add(obj_id)
    assert all(len(ids) == 1 for ids in per_pid.values())


def test_a_task_error_comes_back_with_its_type_and_message(executor):
    with pytest.raises(ValueError, match="bad value 2"):
        list(executor.map(_boom, [(2,), (3,)]))


def test_a_task_that_kills_its_workers_fails_naming_the_task(executor):
    t0 = time.time()
    with pytest.raises(DaskWorkerError, match="died"):
        list(executor.map(_die, [(1,)]))
    assert time.time() - t0 < TIMEOUT


def test_a_cluster_without_workers_fails_instead_of_hanging():
    empty = distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None)
    try:
        ex = DaskExecutor(distributed.Client(empty.scheduler_address, set_as_default=False),
                          no_worker_timeout=3)
        t0 = time.time()
        with pytest.raises(DaskWorkerError, match="no worker"):
            list(ex.map(_square, [(1, "x")]))
        assert time.time() - t0 < 30
        ex.shutdown()
    finally:
        empty.close()


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(InvalidInput, match="cannot reach the Dask scheduler"):
        dask_cluster.connect("tcp://127.0.0.1:9", 1, timeout=2)
    with pytest.raises(InvalidInput, match="dask_scheduler"):
        dask_cluster.connect("", 1)


def test_the_hook_answers_only_for_dask(cluster):
    assert dask_cluster.oq_select_executor(Settings(datadir="x", db_file="y")) is None
    ex = dask_cluster.oq_select_executor(Settings(
        datadir="x", db_file="y", oq_distribute="dask", dask_scheduler=cluster.scheduler_address))
    try:
        assert isinstance(ex, DaskExecutor)
    finally:
        ex.shutdown()


def test_settings_read_the_scheduler_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OQ_DISTRIBUTE", "dask")
    monkeypatch.setenv("OQCORE_DASK_SCHEDULER", "tcp://10.0.0.5:8786")
    s = Settings.load(datadir=str(tmp_path), db_file=str(tmp_path / "db"))
    assert (s.oq_distribute, s.dask_scheduler) == ("dask", "tcp://10.0.0.5:8786")


# ------------------------------------------------------------------ job level
def _engine(tmp_path, monkeypatch, scheduler, plugins=None, distribute="dask"):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    monkeypatch.delenv(jobplugin.SLOW_SHUTDOWN_ENV, raising=False)
    datadir = tmp_path / ("oqdata-" + distribute)
    settings = Settings.load(datadir=str(datadir), db_file=str(datadir / "db.sqlite3"),
                             num_cores=2, oq_distribute=distribute, dask_scheduler=scheduler)
    if plugins is None:
        registry = load_registry()
    else:
        registry = load_registry(plugins=plugins, entry_points=False, builtins=False)
    eng = Engine(settings, registry)
    eng.tmp_path = tmp_path
    return eng


@pytest.fixture
def slow_engine(tmp_path, monkeypatch, cluster):
    return _engine(tmp_path, monkeypatch, cluster.scheduler_address,
                   [oqcore.params_table, oqcore.parallel, dask_cluster, jobplugin])


def _worker_pids(cluster) -> set[int]:
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    try:
        return set(client.run(os.getpid).values())
    finally:
        client.close()


def test_a_job_runs_its_tasks_on_the_dask_workers(slow_engine, cluster):
    eng = slow_engine
    job_id = eng.create_job(job_ini(eng, slow_tasks=4, slow_duration=0.1))
    assert eng.run(job_id, echo=False) == "complete"
    with h5py.File(eng.datastore_path(job_id), "r") as f:
        task_pids = set(f["slow_result"][()].tolist())
    assert task_pids and task_pids <= _worker_pids(cluster)


def test_a_worker_killed_mid_job_is_retried_or_fails_the_job_never_hangs(slow_engine, cluster):
    eng = slow_engine
    pid_dir = eng.tmp_path / "pids"
    pid_dir.mkdir()
    job_id = eng.create_job(job_ini(eng, slow_tasks=2, slow_duration=4,
                                    slow_pid_dir=pid_dir))
    proc = eng.start(job_id)
    try:
        pids = wait_for(lambda: [int(p.name) for p in pid_dir.iterdir()] or None,
                        TIMEOUT, "a task to start")
        os.kill(pids[0], signal.SIGKILL)
        proc.wait(TIMEOUT * 2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    job = eng.db.get_job(job_id)
    assert job["status"] in ("complete", "failed")
    if job["status"] == "failed":
        assert "worker" in job["reason"]
    wait_for(lambda: _worker_pids(cluster) or None, TIMEOUT, "a worker for the next tests")


def test_abort_cancels_the_jobs_futures(slow_engine, cluster):
    eng = slow_engine
    pid_dir = eng.tmp_path / "pids"
    pid_dir.mkdir()
    job_id = eng.create_job(job_ini(eng, slow_tasks=6, slow_duration=30,
                                    slow_pid_dir=pid_dir))
    proc = eng.start(job_id)
    wait_for(lambda: len(list(pid_dir.iterdir())) >= 1 or None, TIMEOUT, "the tasks")
    assert eng.abort(job_id, timeout=20) == "aborted"
    proc.wait(TIMEOUT)
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    try:
        wait_for(lambda: not any(client.processing().values()) or None, TIMEOUT,
                 "the cluster to drop the job's tasks")
    finally:
        client.close()


def _datasets(path) -> dict:
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and not name.startswith(("performance", "task_info")):
            out[name] = obj[()]
    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


@pytest.mark.slow
def test_a_classical_job_gives_the_process_pools_datasets(tmp_path, monkeypatch, cluster):
    results = {}
    for distribute, scheduler in [("processpool", ""), ("dask", cluster.scheduler_address)]:
        work = tmp_path / distribute
        shutil.copytree(CASE, work)
        eng = _engine(tmp_path, monkeypatch, scheduler, distribute=distribute)
        job_id = eng.create_job(str(work / "job.ini"))
        assert eng.run(job_id, echo=False) == "complete", eng.db.get_job(job_id)["reason"]
        results[distribute] = _datasets(eng.datastore_path(job_id))
    pool, dask_ = results["processpool"], results["dask"]
    assert sorted(pool) == sorted(dask_)
    compared = 0
    for name, value in pool.items():
        if value.dtype.kind in "fiub" and value.dtype.names is None:
            np.testing.assert_array_equal(value, dask_[name], err_msg=name)
            compared += 1
    assert compared >= 3
