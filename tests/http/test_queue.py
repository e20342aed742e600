"""The job queue: concurrency, aborting queued and running jobs, recovery after a
killed server."""
from __future__ import annotations

import signal
import time

import pytest

from tests.http.conftest import Server, job_ini, pid_alive


def test_twenty_jobs_two_at_a_time(public):
    ids = [public.submit(job_ini("batch %d" % i, duration=0.1, rows=1)) for i in range(20)]
    seen_executing = 0
    deadline = time.time() + 90
    while time.time() < deadline:
        items = [i for i in public.get("/v1/calc/list", params={"limit": 200}).json()
                 if i["id"] in ids]
        statuses = [i["status"] for i in items]
        executing = statuses.count("executing")
        assert executing <= 2
        seen_executing = max(seen_executing, executing)
        if all(s == "complete" for s in statuses):
            break
        assert not {"failed", "aborted"} & set(statuses)
        assert set(statuses) <= {"submitted", "executing", "complete"}
        time.sleep(0.1)
    assert [public.wait(i, timeout=1) for i in ids] == ["complete"] * 20


def test_abort_queued_and_running(public):
    public.wait(public.submit(job_ini("warm up")))
    a = public.submit(job_ini("long a", duration=60))
    b = public.submit(job_ini("long b", duration=60))
    c = public.submit(job_ini("queued c", duration=60))
    public.wait(a, ("executing",), 30)
    public.wait(b, ("executing",), 30)
    assert public.get("/v1/calc/%d/status" % c).json()["status"] == "submitted"
    assert public.get("/v1/calc/%d/status" % c).json()["abortable"] is True
    r = public.post("/v1/calc/%d/abort" % c)
    assert r.status_code == 200 and r.json() == {"success": "Killing job %d" % c}
    assert public.get("/v1/calc/%d/status" % c).json()["status"] == "aborted"
    pids = [public.job_row(j)["pid"] for j in (a, b)]
    assert all(pid_alive(p) for p in pids)
    for j in (a, b):
        assert public.post("/v1/calc/%d/abort" % j).json() == {"success": "Killing job %d"
                                                                          % j}
    for j in (a, b, c):
        assert public.wait(j, timeout=10) == "aborted"
    deadline = time.time() + 10
    while any(pid_alive(p) for p in pids) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(pid_alive(p) for p in pids)
    log = public.get("/v1/calc/%d/log/:" % a).json()
    assert any("aborted" in row[3] for row in log)
    assert public.post("/v1/calc/%d/abort" % c).status_code == 409
    time.sleep(0.3)  # the queue started nothing else in the freed slots
    assert public.get("/v1/calc/%d/status" % c).json()["status"] == "aborted"


@pytest.fixture()
def lonely(tmp_path):
    """A server of its own, to be killed."""
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1,
                                                  "oq_distribute": "no"}})
    yield srv
    srv.stop(signal.SIGKILL)


def test_killed_server_marks_jobs_failed(lonely):
    srv = lonely.start()
    running = srv.submit(job_ini("killed while running", duration=60))
    queued = srv.submit(job_ini("killed while queued", duration=60))
    srv.wait(running, ("executing",), 30)
    pid = srv.job_row(running)["pid"]
    assert pid_alive(pid)
    srv.stop(signal.SIGKILL)
    deadline = time.time() + 10
    while pid_alive(pid) and time.time() < deadline:
        time.sleep(0.05)
    assert not pid_alive(pid), "the job process outlived the server"
    assert srv.job_row(running)["status"] == "executing"  # nobody could say otherwise
    srv.start()
    for job_id in (running, queued):
        assert srv.get("/v1/calc/%d/status" % job_id).json()["status"] == "failed"
        info = srv.get("/v1/calc/%d" % job_id).json()
        assert "gone" in info["reason"]
        assert srv.get("/v1/calc/%d/traceback" % job_id).json()
    # the restarted server works
    assert srv.wait(srv.submit(job_ini("after restart"))) == "complete"


def test_graceful_stop_fails_running_jobs(lonely):
    srv = lonely.start()
    job_id = srv.submit(job_ini("stopped", duration=60))
    srv.wait(job_id, ("executing",), 30)
    pid = srv.job_row(job_id)["pid"]
    srv.stop(signal.SIGTERM)
    assert not pid_alive(pid)
    row = srv.job_row(job_id)
    assert row["status"] == "failed" and "server stopped" in row["reason"]
