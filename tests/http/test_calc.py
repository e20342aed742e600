"""Calculation routes in public mode: run, list, status, info, traceback, log, abort,
remove, datastore; bad ids."""
from __future__ import annotations

import os

import pytest

from tests.http.conftest import job_ini, make_zip

XML = ('<?xml version="1.0"?>\n<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">\n'
       '<sourceModel name="x"/>\n</nrml>\n')


@pytest.fixture(scope="module")
def done(public):
    """A completed fake job."""
    job_id = public.submit(job_ini("complete one", rows=5))
    assert public.wait(job_id) == "complete"
    return job_id


@pytest.fixture(scope="module")
def failed(public):
    """A failed fake job."""
    job_id = public.submit(job_ini("failing one", fail=True))
    assert public.wait(job_id) == "failed"
    return job_id


def test_run_answer(public):
    r = public.post("/v1/calc/run", files=[("archive", ("job.ini", job_ini("answer")))])
    assert r.status_code == 200
    body = r.json()
    job_id = body["job_id"]
    assert set(body) == {"status", "job_id", "outputs_uri", "log_uri", "traceback_uri"}
    assert body["outputs_uri"] == public.url("/v1/calc/%d/results" % job_id)
    assert body["log_uri"] == public.url("/v1/calc/%d/log/0:" % job_id)
    assert body["traceback_uri"] == public.url("/v1/calc/%d/traceback" % job_id)
    assert r.headers["Location"] == public.url("/v1/calc/%d" % job_id)
    assert public.wait(job_id) == "complete"


def test_run_archive_files_and_zip(public):
    files = [("archive", ("job.ini", job_ini("files", extra="fake_input_file = m.xml\n"))),
             ("archive", ("m.xml", XML))]
    a = public.submit(files=files)
    z = make_zip({"job.ini": job_ini("zip", extra="fake_input_file = sub/m.xml\n"),
                  "sub/m.xml": XML})
    b = public.submit(files=[("archive", ("job.zip", z))])
    assert public.wait(a) == public.wait(b) == "complete"
    assert public.get("/v1/calc/%d" % b).json()["description"] == "zip"


def test_run_spec_fields(public):
    files = [("job_config", ("job.ini", job_ini("spec fields",
                                                extra="fake_input_file = m.xml\n"))),
             ("input_model_1", ("m.xml", XML))]
    assert public.wait(public.submit(files=files)) == "complete"


def test_run_job_ini_choice(public):
    z = make_zip({"a.ini": job_ini("A"), "b.ini": job_ini("B")})
    r = public.post("/v1/calc/run", files=[("archive", ("j.zip", z))])
    assert r.status_code == 400 and "job_ini" in r.json()["error"]
    job_id = public.submit(files=[("archive", ("j.zip", z))], data={"job_ini": "b.ini"})
    assert public.get("/v1/calc/%d" % job_id).json()["description"] == "B"


def test_run_with_hazard(public, done):
    child = public.submit(job_ini("child"), data={"hazard_job_id": str(done)})
    assert public.wait(child) == "complete"
    st = public.get("/v1/calc/%d/status" % child).json()
    assert st["parent_id"] == done
    rid = public.get("/v1/calc/%d/results" % done).json()[0]["id"]
    child2 = public.submit(job_ini("child2"), data={"hazard_result": str(rid)})
    assert public.get("/v1/calc/%d" % child2).json()["hazard_calculation_id"] == done
    public.wait(child2)
    for bad in ({"hazard_job_id": "x"}, {"hazard_job_id": "999999"},
                {"hazard_result": "999999"}):
        r = public.post("/v1/calc/run", files=[("archive", ("job.ini", job_ini()))],
                        data=bad)
        assert r.status_code == 400, r.text


def test_run_bad_inputs_store_nothing(public):
    before = len(public.get("/v1/calc/list", params={"limit": 1000}).json())
    cases = [
        [("archive", ("job.ini", job_ini(duration=-3)))],  # bad value
        [("archive", ("job.ini", job_ini(extra="fake_duration = 1\n")))],  # repeated
        [("archive", ("job.ini", "[general]\ncalculation_mode = nope\n"))],  # bad mode
        [("archive", ("job.ini", "no section header\n"))],
        [("archive", ("readme.txt", "hello"))],  # no .ini
        [("archive", ("job.zip", make_zip({"readme.txt": "x"})))],  # zip without .ini
        [("archive", ("job.zip", b"PK\x03\x04 not really a zip"))],
        [("archive", ("job.ini", job_ini(extra="fake_input_file = missing.xml\n")))],
    ]
    for files in cases:
        r = public.post("/v1/calc/run", files=files)
        assert r.status_code == 400, (files, r.text)
        assert r.json()["error"]
    r = public.post("/v1/calc/run", data={"foo": "bar"})
    assert r.status_code == 400 and "archive" in r.json()["error"]
    r = public.post("/v1/calc/run", files=[("archive", ("job.ini", job_ini(duration=-3)))])
    body = r.json()
    assert body["param"] == "fake_duration" and body["lineno"] == 4
    assert "/" not in body["error"]  # no server path
    assert len(public.get("/v1/calc/list", params={"limit": 1000}).json()) == before
    leftovers = [d for d in os.listdir(public.datadir) if d.startswith(".upload-")]
    assert leftovers == []


def test_list_and_filters(public, done, failed):
    items = public.get("/v1/calc/list").json()
    ids = [i["id"] for i in items]
    assert ids == sorted(ids, reverse=True)
    item = next(i for i in items if i["id"] == done)
    assert set(item) == {"id", "owner", "calculation_mode", "status", "is_running",
                         "description", "url", "parent_id", "abortable", "size_mb",
                         "start_time", "relevant", "tags"}
    assert item["url"] == public.url("/v1/calc/%d" % done)
    assert item["start_time"].endswith(" UTC")
    two = public.get("/v1/calc/list", params={"limit": 2}).json()
    assert [i["id"] for i in two] == ids[:2]
    off = public.get("/v1/calc/list", params={"limit": 2, "offset": 1}).json()
    assert [i["id"] for i in off] == ids[1:3]
    fl = public.get("/v1/calc/list", params={"status": "failed"}).json()
    assert failed in [i["id"] for i in fl] and {i["status"] for i in fl} == {"failed"}
    owner = item["owner"]
    assert public.get("/v1/calc/list", params={"user": owner}).json()
    assert public.get("/v1/calc/list", params={"user": "nobody-here"}).json() == []
    notrun = public.get("/v1/calc/list", params={"is_running": "false"}).json()
    assert all(not i["is_running"] for i in notrun)
    for bad in ({"limit": "x"}, {"offset": "-1"}, {"status": "weird"}):
        r = public.get("/v1/calc/list", params=bad)
        assert r.status_code == 400, bad


def test_status_and_info(public, done):
    st = public.get("/v1/calc/%d/status" % done).json()
    assert st["status"] == "complete" and st["abortable"] is False
    info = public.get("/v1/calc/%d" % done).json()
    for key in ("id", "description", "user_name", "calculation_mode",
                "hazard_calculation_id", "status", "is_running", "start_time", "stop_time",
                "relevant", "size_mb", "host", "workflow_id"):
        assert key in info
    assert info["is_running"] is False and info["stop_time"]
    last = public.get("/v1/calc/-1").json()
    assert last["id"] == max(i["id"] for i in public.get("/v1/calc/list").json())


def test_traceback(public, done, failed):
    assert public.get("/v1/calc/%d/traceback" % done).json() == []
    tb = public.get("/v1/calc/%d/traceback" % failed).json()
    assert isinstance(tb, list) and "failed on purpose" in tb[-1]


def test_log_slices(public, done):
    full = public.get("/v1/calc/%d/log/:" % done).json()
    n = len(full)
    assert n >= 7 and all(len(row) == 4 for row in full)
    assert full[0][1] == "INFO"
    assert public.get("/v1/calc/%d/log/size" % done).json() == n
    assert public.get("/v1/calc/%d/log/0:" % done).json() == full
    assert public.get("/v1/calc/%d/log/2:" % done).json() == full[2:]
    assert public.get("/v1/calc/%d/log/:3" % done).json() == full[:3]
    assert public.get("/v1/calc/%d/log/2:5" % done).json() == full[2:5]
    assert public.get("/v1/calc/%d/log/%d:" % (done, n)).json() == []
    assert public.get("/v1/calc/%d/log/1:%d" % (done, n + 50)).json() == full[1:]
    for bad in ("a:b", "5:2", "%d:" % (n + 1), "1:2:3", "-1:", "x"):
        r = public.get("/v1/calc/%d/log/%s" % (done, bad))
        assert r.status_code == 400, bad
        assert r.json()["error"]


def test_unknown_ids_are_404(public):
    paths = ["/v1/calc/999999", "/v1/calc/999999/status", "/v1/calc/999999/traceback",
             "/v1/calc/999999/log/:", "/v1/calc/999999/log/size",
             "/v1/calc/999999/results", "/v1/calc/999999/result/list",
             "/v1/calc/999999/extract/fake_curves", "/v1/calc/999999/datastore",
             "/v1/calc/result/999999"]
    for path in paths:
        r = public.get(path)
        assert r.status_code == 404, path
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.json()["error"]
    for path in ("/v1/calc/999999/abort", "/v1/calc/999999/remove"):
        assert public.post(path).status_code == 404, path


def test_non_numeric_ids_are_400(public):
    for path in ("/v1/calc/abc", "/v1/calc/1.5/status", "/v1/calc/x/log/:",
                 "/v1/calc/x/results", "/v1/calc/result/x", "/v1/calc/x/datastore",
                 "/v1/calc/x/extract/fake_curves", "/v1/calc/99999999999999999999"):
        r = public.get(path)
        assert r.status_code == 400, path
    assert public.post("/v1/calc/x/abort").status_code == 400
    assert public.post("/v1/calc/x/remove").status_code == 400


def test_wrong_methods(public):
    assert public.get("/v1/calc/run").status_code == 405
    assert public.get("/v1/calc/1/remove").status_code == 405
    assert public.post("/v1/calc/list").status_code == 405
    r = public.get("/v1/valid/")
    assert r.status_code == 405 and r.json()["error"].startswith("Method not allowed")
    assert public.get("/v1/no/such/route").status_code == 404


def test_abort_finished_and_remove(public):
    job_id = public.submit(job_ini("to remove"))
    assert public.wait(job_id) == "complete"
    r = public.post("/v1/calc/%d/abort" % job_id)
    assert r.status_code == 409 and r.json() == {"error": "Job %d is not running" % job_id}
    h5 = os.path.join(public.datadir, "calc_%d.hdf5" % job_id)
    inputs = os.path.join(public.datadir, "calc_%d" % job_id)
    assert os.path.exists(h5) and os.path.isdir(inputs)
    r = public.post("/v1/calc/%d/remove" % job_id)
    assert r.status_code == 200 and r.json()["success"] == str(job_id)
    assert not os.path.exists(h5) and not os.path.exists(inputs)
    assert public.job_row(job_id) == {}
    for path in ("/v1/calc/%d", "/v1/calc/%d/status", "/v1/calc/%d/results",
                 "/v1/calc/%d/datastore"):
        assert public.get(path % job_id).status_code == 404
    assert job_id not in [i["id"] for i in public.get("/v1/calc/list").json()]
    r = public.post("/v1/calc/%d/remove" % job_id)
    assert r.status_code == 404 and "does not exist" in r.json()["error"]


def test_remove_refused(public, done):
    child = public.submit(job_ini("dependent"), data={"hazard_job_id": str(done)})
    public.wait(child)
    r = public.post("/v1/calc/%d/remove" % done)
    assert r.status_code == 409 and "dependent" in r.json()["error"]
    assert public.get("/v1/calc/%d" % done).status_code == 200
    slow = public.submit(job_ini("running", duration=30))
    public.wait(slow, ("executing",), 30)
    r = public.post("/v1/calc/%d/remove" % slow)
    assert r.status_code == 409 and "abort it first" in r.json()["error"]
    assert public.post("/v1/calc/%d/abort" % slow).status_code == 200
    assert public.wait(slow) == "aborted"


def test_datastore(public, done, failed):
    r = public.get("/v1/calc/%d/datastore" % done)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-hdf"
    assert "calc_%d.hdf5" % done in r.headers["Content-Disposition"]
    assert r.content[:8] == b"\x89HDF\r\n\x1a\n"
    assert int(r.headers["Content-Length"]) == len(r.content)
    r = public.get("/v1/calc/%d/datastore" % failed)  # what a failed job left behind
    assert r.status_code in (404, 410)
    if r.status_code == 410:
        assert "incomplete" in r.json()["error"]


def test_run_non_ascii_names(public):
    files = [("archive", ("job.ini", job_ini("àccénts", extra="fake_input_file = "
                                             "modèle.xml\n").encode("utf-8"))),
             ("archive", ("modèle.xml", XML))]
    job_id = public.submit(files=files)
    assert public.wait(job_id) == "complete"
    assert public.get("/v1/calc/%d" % job_id).json()["description"] == "àccénts"
