"""The job runner: lifecycle and logs in the database, failures, abort (running and
queued), recovery of jobs whose process is gone, deletion.

Jobs run the ``slow`` calculator of tests/core/jobplugin.py in real worker processes
(``python -m oqcore.jobs.worker``), which build the same registry from OQCORE_PLUGINS.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import h5py
import pytest

import oqcore.parallel
import oqcore.params_table
from oqcore import load_registry
from oqcore.config import Settings
from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqcore.jobs.runner import PLUGINS_ENV, Engine, pid_alive
from tests.conftest import ROOT
from tests.core import jobplugin

TIMEOUT = 30  # seconds: the most any wait below may take


def wait_for(predicate, timeout=TIMEOUT, what="condition"):
    """Poll ``predicate`` every 20 ms until it is truthy; return its value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting for %s" % what)


@pytest.fixture
def engine(tmp_path, monkeypatch):
    """An Engine with its own data directory and a fresh registry holding the
    built-in parameters and executors plus the slow calculator."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    monkeypatch.setenv(jobplugin.STATUS_LOG_ENV, str(tmp_path / "status.log"))
    monkeypatch.delenv(jobplugin.SLOW_SHUTDOWN_ENV, raising=False)
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    datadir = tmp_path / "oqdata"
    settings = Settings.load(datadir=str(datadir), db_file=str(datadir / "db.sqlite3"),
                             num_cores=2, oq_distribute="processpool")
    registry = load_registry(plugins=[oqcore.params_table, oqcore.parallel, jobplugin],
                             entry_points=False, builtins=False)
    eng = Engine(settings, registry)
    started = []
    real_start = eng.start

    def start(job_id, echo=False, **kw):
        proc = real_start(job_id, echo, **kw)
        started.append(proc)
        return proc
    eng.start = start
    eng.tmp_path = tmp_path
    yield eng
    for proc in started:  # never leave a worker behind, whatever happened
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(10)


def job_ini(eng, name="job.ini", **params) -> str:
    """A job.ini for the slow calculator in the engine's tmp_path."""
    lines = ["[general]", "description = slow job", "calculation_mode = slow"]
    lines += ["%s = %s" % kv for kv in params.items()]
    path = eng.tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def status_events(eng, job_id) -> list[str]:
    path = eng.tmp_path / "status.log"
    if not path.exists():
        return []
    return [" ".join(line.split()[1:]) for line in path.read_text().splitlines()
            if line.split()[0] == str(job_id)]


def messages(eng, job_id) -> list[str]:
    return [r["message"] for r in eng.db.get_logs(job_id)]


# ------------------------------------------------------------------ lifecycle
def test_lifecycle_with_logs_as_they_happen(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng, slow_duration=1.0), user_name="alice")
    job = eng.db.get_job(job_id)
    assert job["status"] == "created"
    assert (job["user_name"], job["description"], job["calculation_mode"]) == (
        "alice", "slow job", "slow")
    assert job["start_time"] is None and job["stop_time"] is None
    proc = eng.start(job_id)
    seen = [eng.db.get_job(job_id)["status"]]
    assert seen[0] in ("submitted", "executing")
    wait_for(lambda: eng.db.get_job(job_id)["status"] == "executing", what="executing")
    # the calculator's first log record is in the database while the job still runs
    wait_for(lambda: "slow calculation started" in messages(eng, job_id), what="log")
    running = eng.db.get_job(job_id)
    assert running["status"] == "executing" and running["is_running"] == 1
    assert running["pid"] == proc.pid and pid_alive(proc.pid)
    assert running["start_time"] is not None
    assert proc.wait(TIMEOUT) == 0
    job = eng.db.get_job(job_id)
    assert job["status"] == "complete" and job["is_running"] == 0
    assert job["start_time"] <= job["stop_time"]
    assert job["size_mb"] > 0 and job["traceback"] == ""
    msgs = messages(eng, job_id)
    assert msgs[0].startswith("Running %s" % job["job_ini"])
    assert msgs.index("slow calculation started") < msgs.index("slow calculation done")
    assert msgs[-1] == "Calculation %d finished correctly" % job_id
    assert {r["level"] for r in eng.db.get_logs(job_id)} == {"info"}
    assert eng.db.log_size(job_id) == len(msgs)
    assert [(o["display_name"], o["ds_key"]) for o in eng.db.get_outputs(job_id)] == [
        ("Slow Result", "slow_result")]
    assert status_events(eng, job_id) == ["created submitted", "submitted executing",
                                          "executing complete"]
    with h5py.File(eng.datastore_path(job_id), "r") as f:
        assert len(f["slow_result"]) == 1
        assert "oqparam" in f


def test_run_waits_and_returns_the_final_status(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng))
    assert eng.run(job_id, echo=False) == "complete"
    assert not pid_alive(eng.db.get_job(job_id)["pid"])


def test_tasks_run_in_the_executor(engine):
    eng = engine
    pid_dir = eng.tmp_path / "pids"
    pid_dir.mkdir()
    job_id = eng.create_job(job_ini(eng, slow_tasks=3, slow_duration=0.1,
                                    slow_pid_dir=pid_dir))
    assert eng.run(job_id, echo=False) == "complete"
    with h5py.File(eng.datastore_path(job_id), "r") as f:
        task_pids = set(f["slow_result"][()].tolist())
    worker_pid = eng.db.get_job(job_id)["pid"]
    assert task_pids and worker_pid not in task_pids  # a process pool, not the worker
    assert task_pids == {int(p.name) for p in pid_dir.iterdir()}
    assert not any(pid_alive(p) for p in task_pids)


def test_failure_stores_the_traceback(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng, slow_fail="true"))
    assert eng.run(job_id, echo=False) == "failed"
    job = eng.db.get_job(job_id)
    assert job["traceback"].startswith("Traceback (most recent call last)")
    assert "jobplugin.py" in job["traceback"]
    assert job["traceback"].rstrip().endswith(
        "ValueError: slow calculation failed on purpose")
    assert job["reason"] == "ValueError: slow calculation failed on purpose"
    assert job["stop_time"] is not None and job["is_running"] == 0
    errors = [r for r in eng.db.get_logs(job_id) if r["level"] == "error"]
    assert len(errors) == 1 and "slow calculation failed on purpose" in errors[0]["message"]
    assert eng.db.get_outputs(job_id) == []
    assert status_events(eng, job_id)[-1] == "executing failed"


def test_invalid_job_ini_creates_no_job(engine):
    eng = engine
    with pytest.raises(InvalidInput) as info:
        eng.create_job(job_ini(eng, slow_duration="soon"))
    assert info.value.param == "slow_duration"
    ini = eng.tmp_path / "other.ini"
    ini.write_text("[general]\ncalculation_mode = quick\n")
    with pytest.raises(UnknownPlugin, match="slow"):
        eng.create_job(str(ini))
    assert eng.db.list_jobs() == []


def test_hazard_calculation_id(engine):
    eng = engine
    parent = eng.create_job(job_ini(eng))
    assert eng.run(parent, echo=False) == "complete"
    child = eng.create_job(job_ini(eng, "child.ini"), hc_id=-1)
    assert eng.db.get_job(child)["hazard_calculation_id"] == parent
    assert eng.run(child, echo=False) == "complete"
    assert "parent has slow_result: True" in messages(eng, child)
    with pytest.raises(NotFound):
        eng.create_job(job_ini(eng, "orphan.ini", hazard_calculation_id=99))


# ------------------------------------------------------------------ abort
def test_abort_a_running_job(engine):
    eng = engine
    pid_dir = eng.tmp_path / "pids"
    pid_dir.mkdir()
    job_id = eng.create_job(job_ini(eng, slow_duration=60, slow_tasks=2,
                                    slow_pid_dir=pid_dir))
    proc = eng.start(job_id)
    task_pids = wait_for(lambda: [int(p.name) for p in pid_dir.iterdir()] if len(
        list(pid_dir.iterdir())) == 2 else None, what="the tasks")
    assert eng.db.get_job(job_id)["status"] == "executing"
    with pytest.raises(InvalidInput, match="still running"):
        eng.delete(job_id)
    t0 = time.time()
    assert eng.abort(job_id) == "aborted"
    assert time.time() - t0 < 10
    proc.wait(TIMEOUT)
    wait_for(lambda: not any(pid_alive(p) for p in task_pids + [proc.pid]), 10,
             "every process of the job to end")
    job = eng.db.get_job(job_id)
    assert job["status"] == "aborted" and job["is_running"] == 0
    assert job["reason"] == "aborted by the user"
    assert job["stop_time"] is not None
    assert "Calculation %d aborted" % job_id in messages(eng, job_id)
    assert "executing aborted" in status_events(eng, job_id)
    assert eng.abort(job_id) == "aborted"  # idempotent


def test_abort_lets_the_worker_clean_up(engine, monkeypatch):
    eng = engine
    marker = eng.tmp_path / "shutdown.done"
    monkeypatch.setenv(jobplugin.SLOW_SHUTDOWN_ENV, str(marker))
    job_id = eng.create_job(job_ini(eng, slow_duration=60))
    proc = eng.start(job_id)
    wait_for(lambda: "slow calculation started" in messages(eng, job_id), what="start")
    assert eng.abort(job_id, timeout=10) == "aborted"
    assert proc.wait(TIMEOUT) == 1  # the worker's own exit code for a non-complete job
    assert marker.exists()


def test_abort_a_queued_job(engine):
    eng = engine
    created = eng.create_job(job_ini(eng, slow_duration=60))
    assert eng.abort(created) == "aborted"
    submitted = eng.create_job(job_ini(eng, slow_duration=60))
    eng.db.set_status(submitted, "submitted")
    assert eng.abort(submitted) == "aborted"
    for job_id in (created, submitted):
        job = eng.db.get_job(job_id)
        assert job["status"] == "aborted" and job["reason"] == "aborted by the user"
        assert job["start_time"] is None and job["stop_time"] is not None
    # an aborted job never runs, even if its worker is started afterwards
    proc = eng.start(created)
    assert proc.wait(TIMEOUT) == 1
    assert eng.db.get_job(created)["status"] == "aborted"
    assert "slow calculation started" not in messages(eng, created)
    assert not os.path.exists(eng.datastore_path(created))


def test_abort_a_finished_job_changes_nothing(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng))
    assert eng.run(job_id, echo=False) == "complete"
    assert eng.abort(job_id) == "complete"
    assert eng.db.get_job(job_id)["reason"] == ""


# ------------------------------------------------------------------ recovery
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_recover_a_job_whose_process_was_killed(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng, slow_duration=60))
    proc = eng.start(job_id)
    wait_for(lambda: "slow calculation started" in messages(eng, job_id), what="start")
    os.killpg(proc.pid, signal.SIGKILL)  # a crash: the worker cannot say anything
    proc.wait(TIMEOUT)
    assert eng.db.get_job(job_id)["status"] == "executing"
    assert eng.recover() == [job_id]
    job = eng.db.get_job(job_id)
    assert job["status"] == "failed" and job["is_running"] == 0
    assert "the job process %d is gone" % proc.pid in job["reason"]
    assert "%d not found at recovery" % proc.pid in job["traceback"]
    assert eng.recover() == []


def test_recover_leaves_live_jobs_alone(engine):
    eng = engine
    alive = eng.create_job(job_ini(eng))  # its pid is this process
    eng.db.set_status(alive, "executing", pid=os.getpid())
    queued = eng.create_job(job_ini(eng))
    eng.db.update_job(queued, pid=dead_pid())
    done = eng.create_job(job_ini(eng))
    eng.db.set_status(done, "complete", pid=dead_pid())
    assert eng.recover() == [queued]
    assert [eng.db.get_job(j)["status"] for j in (alive, queued, done)] == [
        "executing", "failed", "complete"]


# ------------------------------------------------------------------ delete
def test_delete_removes_row_logs_outputs_and_datastore(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng))
    assert eng.run(job_id, echo=False) == "complete"
    path = eng.datastore_path(job_id)
    assert os.path.exists(path) and eng.db.get_outputs(job_id)
    other = eng.create_job(job_ini(eng))
    eng.delete(job_id)
    assert not os.path.exists(path)
    with pytest.raises(NotFound):
        eng.db.get_job(job_id)
    assert eng.db.get_logs(job_id) == [] and eng.db.get_outputs(job_id) == []
    assert [j["id"] for j in eng.db.list_jobs()] == [other]
    with pytest.raises(NotFound):
        eng.open_datastore(job_id)
    with pytest.raises(NotFound):
        eng.delete(job_id)


def test_delete_a_job_without_datastore(engine):
    eng = engine
    job_id = eng.create_job(job_ini(eng))
    eng.delete(job_id)  # created, never started: nothing on disk
    assert eng.db.list_jobs() == []


def test_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OQ_DATADIR", str(tmp_path / "d"))
    cfg = tmp_path / "openquake.cfg"
    cfg.write_text(textwrap.dedent("""
        [dbserver]
        file =
        [distribution]
        num_cores = 3
        """))
    monkeypatch.setenv("OQ_CONFIG_FILE", str(cfg))
    s = Settings.load()
    assert s.datadir == str(tmp_path / "d")
    assert s.db_file == str(tmp_path / "d" / "db.sqlite3")
    assert s.num_cores == 3
    assert Settings.load(db_file=str(tmp_path / "x.db")).db_file == str(tmp_path / "x.db")


def test_a_factory_returning_no_calculator_fails_the_job_naming_the_plugin(engine):
    eng = engine
    path = eng.tmp_path / "no_run.ini"
    path.write_text("[general]\ndescription = no run\ncalculation_mode = no_run\n")
    job_id = eng.create_job(str(path))
    assert eng.run(job_id, echo=False) == "failed"
    reason = eng.db.get_job(job_id)["reason"]
    assert reason.startswith("PluginError: plugin tests.core.jobplugin: "), reason
    assert "'no_run'" in reason and "no run() method" in reason
