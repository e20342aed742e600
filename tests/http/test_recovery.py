"""Recovery after a killed server is not fooled by reused PIDs: a job belongs to the
process recorded with it (PID and start time), and a killed server leaves no job
``submitted`` or ``executing`` behind, even when the restarted server gets the very same
PID (as it does as PID 1 of a fresh PID namespace). Deleting a job removes its files and
nothing else."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from oqcore import load_registry
from oqcore.config import Settings
from oqcore.jobs import procs
from oqcore.jobs.runner import Engine
from tests.http.conftest import Server, job_ini


@pytest.fixture()
def engine(tmp_path):
    """An Engine of its own (no job is ever run)."""
    settings = Settings(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"),
                        oq_distribute="no")
    import oqcore.params_table
    import tests.http.fakeplugin
    registry = load_registry(plugins=[oqcore.params_table, tests.http.fakeplugin],
                             entry_points=False, builtins=False)
    ini = tmp_path / "job.ini"
    ini.write_text(job_ini("recovery"))
    eng = Engine(settings, registry)
    eng.ini = str(ini)
    return eng


@pytest.fixture()
def stranger():
    """A live process that is no job's worker."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


def test_process_start_time():
    me = procs.process_start(os.getpid())
    if not me:
        pytest.skip("no /proc/<pid>/stat here")
    assert procs.process_start(os.getppid()) <= me
    assert procs.same_process(os.getpid(), me)
    assert not procs.same_process(os.getpid(), me + 1)
    assert procs.same_process(os.getpid(), 0)  # nothing recorded: the PID decides


def test_a_reused_pid_is_not_the_job_process(engine, stranger):
    start = procs.process_start(stranger.pid)
    if not start:
        pytest.skip("no /proc/<pid>/stat here")
    reused = engine.create_job(engine.ini)
    engine.db.set_status(reused, "executing", pid=stranger.pid, pid_start=start - 1)
    queued = engine.create_job(engine.ini)  # queued by a process now gone...
    engine.db.set_status(queued, "submitted", pid=stranger.pid, pid_start=start + 5)
    live = engine.create_job(engine.ini)  # ...and one whose process runs
    engine.db.set_status(live, "executing", pid=stranger.pid, pid_start=start)
    assert engine.abort(reused, timeout=0.2) == "aborted"
    assert stranger.poll() is None, "abort killed a process that took the job's PID"
    again = engine.create_job(engine.ini)
    engine.db.set_status(again, "executing", pid=stranger.pid, pid_start=start - 1)
    assert sorted(engine.recover()) == sorted([queued, again])
    for job_id in (queued, again):
        job = engine.db.get_job(job_id)
        assert job["status"] == "failed"
        assert "belongs to another process" in job["reason"]
    assert engine.db.get_job(live)["status"] == "executing"
    assert stranger.poll() is None


def test_jobs_record_their_process(engine):
    job_id = engine.create_job(engine.ini)
    job = engine.db.get_job(job_id)
    assert job["pid"] == os.getpid()
    assert job["pid_start"] == procs.process_start(os.getpid())


def _unshare() -> list[str] | None:
    """The command prefix running a program as PID 1 of a fresh PID namespace (killed
    with its ``unshare``), or None where that is not possible here."""
    exe = shutil.which("unshare")
    if exe is None:
        return None
    cmd = [exe, "--fork", "--pid", "--mount-proc", "--kill-child"]
    try:
        out = subprocess.run(cmd + ["sh", "-c", "echo $$"], capture_output=True,
                             text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return cmd if out.returncode == 0 and out.stdout.strip() == "1" else None


def test_killed_server_in_a_pid_namespace_leaves_nothing_stuck(tmp_path):
    prefix = _unshare()
    if prefix is None:
        pytest.skip("cannot make a PID namespace here (unshare -fp --mount-proc needs "
                    "root or user namespaces)")
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1,
                                                  "oq_distribute": "no"}}, prefix=prefix)
    try:
        srv.start()
        running = srv.submit(job_ini("running when killed", duration=60))
        queued = [srv.submit(job_ini("queued when killed %d" % i, duration=60))
                  for i in range(2)]
        srv.wait(running, ("executing",), 30)
        assert srv.job_row(queued[0])["pid"] == 1  # the server, PID 1 of its namespace
        srv.stop(signal.SIGKILL)  # unshare dies, its child (the server) and all in it too
        rows = [srv.job_row(j) for j in [running] + queued]
        assert [r["status"] for r in rows] == ["executing", "submitted", "submitted"]
        srv.start()  # PID 1 again, in a new namespace
        for job_id in [running] + queued:
            assert srv.get("/v1/calc/%d/status" % job_id).json()["status"] == "failed"
            assert "gone" in srv.get("/v1/calc/%d" % job_id).json()["reason"]
        assert srv.wait(srv.submit(job_ini("after restart")), timeout=60) == "complete"
    finally:
        srv.stop(signal.SIGKILL)
        time.sleep(0.1)


def test_job_files_removed_and_nothing_else(engine, tmp_path):
    """One helper deletes a job's files, for ``oq engine --dc`` and the server alike:
    the datastores and the input folder the engine made, never a user's folder."""
    from oqcore.datastore import calc_path
    datadir = engine.settings.datadir
    own = os.path.join(datadir, "my_model")  # a user's inputs kept in the data directory
    os.makedirs(own)
    shutil.copy(engine.ini, own)
    user_job = engine.create_job(os.path.join(own, "job.ini"))
    made = os.path.join(datadir, "calc_%d" % (user_job + 1))  # as the server makes it
    os.makedirs(made)
    shutil.copy(engine.ini, made)
    server_job = engine.create_job(os.path.join(made, "job.ini"))
    outside = tmp_path.parent / ("outside-%d" % os.getpid())
    outside.mkdir()
    forged = engine.create_job(engine.ini)
    engine.db.update_job(forged, ds_calc_dir=str(outside))
    for job_id in (user_job, server_job, forged):
        engine.db.set_status(job_id, "complete")
        for path in (calc_path(datadir, job_id),
                     calc_path(datadir, job_id).replace(".hdf5", "_tmp.hdf5")):
            open(path, "wb").close()
    assert engine.remove_files(engine.db.get_job(server_job)) == [
        "calc_%d.hdf5" % server_job, "calc_%d_tmp.hdf5" % server_job]
    assert not os.path.exists(made)
    engine.delete(user_job)
    engine.delete(forged)
    assert os.path.exists(os.path.join(own, "job.ini")) and outside.is_dir()
    assert not [f for f in os.listdir(datadir) if f.endswith(".hdf5")]
    shutil.rmtree(outside)
