"""The routes of OpenQuake 3.26.2 added for issue 15: run_ini, validate_ini,
jobs_from_inis, job_zip, download_png (see test_aelo), share/unshare, the tag routes and
run_scenario_calc_from_ses_rupture; through a real authenticated server whose
``[directory] shared_dir`` holds each user's job files."""
from __future__ import annotations

import io
import os
import shutil
import zipfile

import pytest

from oqcore.builtin_plugins import MODULES
from tests.http.conftest import PLUGINS, ROOT, USERS, Server, job_ini, login

DEMO = os.path.join(ROOT, "demos", "classical")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    """Authenticated server (alice, bob: level 1; boss: level 2; carol: level 0) with
    the built-in calculators and the fake one; shared_dir = <root>/shared."""
    from oqhttp.auth import user_command
    root = str(tmp_path_factory.mktemp("more"))
    shared = os.path.join(root, "shared")
    server = Server(root, {
        "distribution": {"serialize_jobs": 2, "oq_distribute": "no"},
        "directory": {"shared_dir": shared},
        "webui": {"authentication": "true", "secret_key": "more-secret",
                  "base_url": "{base}"}},
        plugins=PLUGINS + [m for m in MODULES if m.endswith((
            "parallel", "calculators.classical", "exporters.hazard_csv"))])
    for name, (email, password, level) in USERS.items():
        assert user_command(["add", name, "--email", email, "--password", password,
                             "--level", str(level)], server.settings()) == 0
        os.makedirs(os.path.join(shared, name))
    shutil.copytree(DEMO, os.path.join(shared, "alice", "demo"))
    with open(os.path.join(shared, "alice", "fake.ini"), "w") as f:
        f.write(job_ini("alice's server job"))
    with open(os.path.join(shared, "bob", "fake.ini"), "w") as f:
        f.write(job_ini("bob's server job"))
    with open(os.path.join(shared, "alice", "escape.ini"), "w") as f:
        f.write(job_ini("escaping", extra="fake_input_file = ../bob/fake.ini\n"))
    server.shared = shared
    server.start()
    yield server
    server.stop()


def test_run_ini(srv):
    alice = login(srv, "alice")
    path = os.path.join(srv.shared, "alice", "fake.ini")
    r = srv.post("/v1/calc/run_ini", alice, data={"job_ini": path})
    assert r.status_code == 200, r.text
    body = r.json()
    for key in ("job_id", "status", "description", "user_name", "calculation_mode",
                "hazard_calculation_id", "is_running", "start_time", "stop_time",
                "relevant", "size_mb", "host", "workflow_id", "outputs_uri"):
        assert key in body, key
    assert body["status"] == "created" and body["user_name"] == "alice"
    assert body["description"] == "alice's server job"
    assert "ds_calc_dir" not in body and srv.shared not in r.text
    assert srv.wait(body["job_id"], session=alice) == "complete"
    # the job's files are not the whole data directory: bob's datastore stays private
    assert srv.job_row(body["job_id"])["ds_calc_dir"] != srv.datadir
    bob = login(srv, "bob")
    bob_job = srv.submit(job_ini("bob's"), session=bob)
    srv.wait(bob_job, session=bob)
    r = srv.post("/v1/on_same_fs", alice, data={
        "filename": os.path.join(srv.datadir, "calc_%d.hdf5" % bob_job), "checksum": "1"})
    assert r.status_code == 403
    # a child job of it, with hazard_job_id
    r = srv.post("/v1/calc/run_ini", alice, data={"job_ini": path,
                                                  "hazard_job_id": str(body["job_id"])})
    assert r.status_code == 200 and r.json()["hazard_calculation_id"] == body["job_id"]
    srv.wait(r.json()["job_id"], session=alice)


@pytest.mark.parametrize("path,status,words", [
    ("", 400, 'provide the "job_ini"'),
    ("{shared}/bob/fake.ini", 403, "not one of your files"),  # another user's file
    ("{shared}/alice/../bob/fake.ini", 403, "not one of your files"),
    ("/etc/passwd", 403, "not one of your files"),
    ("{datadir}/db.sqlite3", 403, "not one of your files"),
    ("alice/fake.ini", 403, "not one of your files"),  # relative
    ("{shared}/alice/nothere.ini", 400, "no such file"),
    ("{shared}/alice/demo/source_model.xml", 400, "not a .ini file"),
    ("{shared}/alice/fake.ini\0x", 400, "invalid path"),
])
def test_run_ini_refused(srv, path, status, words):
    alice = login(srv, "alice")
    path = path.format(shared=srv.shared, datadir=srv.datadir)
    before = srv.get("/v1/calc/list", alice).json()
    for route in ("/v1/calc/run_ini", "/v1/calc/validate_ini"):
        r = srv.post(route, alice, data={"job_ini": path})
        assert r.status_code == status, (route, r.text)
        assert words in r.json()["error"]
        assert srv.shared not in r.text and "Traceback" not in r.text
    assert srv.get("/v1/calc/list", alice).json() == before  # no job was created


def test_run_ini_inputs_confined_and_options(srv):
    alice = login(srv, "alice")
    r = srv.post("/v1/calc/run_ini", alice, data={
        "job_ini": os.path.join(srv.shared, "alice", "escape.ini")})
    assert r.status_code == 400
    assert "not a file of the upload" in r.json()["error"]
    fake = os.path.join(srv.shared, "alice", "fake.ini")
    r = srv.post("/v1/calc/run_ini", alice, data={"job_ini": fake, "job_owner": "bob"})
    assert r.status_code == 403 and "job_owner" in r.json()["error"]
    r = srv.post("/v1/calc/run_ini", alice, data={"job_ini": fake,
                                                  "notify_to": "http://x.org/"})
    assert r.status_code == 400 and "notify_to" in r.json()["error"]
    r = srv.post("/v1/calc/run_ini", alice, data={"job_ini": fake, "hazard_job_id": "x"})
    assert r.status_code == 400
    assert srv.post("/v1/calc/run_ini", data={"job_ini": fake}).status_code == 403
    assert srv.get("/v1/calc/run_ini", alice).status_code == 405


def test_validate_ini(srv):
    alice = login(srv, "alice")
    r = srv.post("/v1/calc/validate_ini", alice, data={
        "job_ini": os.path.join(srv.shared, "alice", "demo", "job.ini")})
    assert r.json() == {"valid": True, "error_msg": None, "error_line": None}
    r = srv.post("/v1/calc/validate_ini", alice, data={
        "job_ini": os.path.join(srv.shared, "alice", "escape.ini")})
    assert r.status_code == 200 and r.json()["valid"] is False
    assert "not a file of the upload" in r.json()["error_msg"]
    # an uploaded job.ini: checked alone
    bad = "[general]\ncalculation_mode = fake\nfake_log_rows = many\n"
    r = srv.post("/v1/calc/validate_ini", alice, files=[("job_ini", ("job.ini", bad))])
    assert r.status_code == 200 and r.json()["valid"] is False
    assert "fake_log_rows" in r.json()["error_msg"]
    r = srv.post("/v1/calc/validate_ini", alice,
                 files=[("job_ini", ("job.ini", job_ini("ok")))])
    assert r.json()["valid"] is True
    r = srv.post("/v1/calc/validate_ini", alice,
                 files=[("job_ini", ("job.ini", "x" * (1024 ** 2 + 10)))])
    assert r.status_code == 400 and "may not exceed" in r.json()["error"]


def test_jobs_from_inis_and_job_zip(srv):
    alice, bob, boss = login(srv, "alice"), login(srv, "bob"), login(srv, "boss")
    demo = os.path.join(srv.shared, "alice", "demo", "job.ini")
    r = srv.get("/v1/calc/jobs_from_inis", alice, params={"ini": demo})
    assert r.json() == {"success": [0], "error": ""}
    job_id = srv.post("/v1/calc/run_ini", alice, data={"job_ini": demo}).json()["job_id"]
    assert srv.wait(job_id, session=alice, timeout=300) == "complete", srv.get(
        "/v1/calc/%d/traceback" % job_id, alice).text
    fake = os.path.join(srv.shared, "alice", "fake.ini")
    r = srv.get("/v1/calc/jobs_from_inis", alice, params={"ini": [demo, fake]})
    assert r.json() == {"success": [job_id, 0], "error": ""}
    assert srv.get("/v1/calc/jobs_from_inis", alice).json() == {"success": [], "error": ""}
    r = srv.get("/v1/calc/jobs_from_inis", alice, params={
        "ini": os.path.join(srv.shared, "alice", "escape.ini")})
    assert r.status_code == 400 and r.json()["success"] == []
    assert "escape.ini" in r.json()["error"] and srv.shared not in r.text
    r = srv.get("/v1/calc/jobs_from_inis", alice, params={"ini": ["/etc/passwd"]})
    assert r.status_code == 403
    # bob cannot see alice's job: his copy of the inputs finds nothing
    shutil.copytree(os.path.dirname(demo), os.path.join(srv.shared, "bob", "demo"))
    bob_demo = os.path.join(srv.shared, "bob", "demo", "job.ini")
    assert srv.get("/v1/calc/jobs_from_inis", bob, params={"ini": bob_demo}).json()[
        "success"] == [0]
    # job_zip: the inputs, for superusers only
    assert srv.get("/v1/calc/%d/job_zip" % job_id, alice).status_code == 403
    r = srv.get("/v1/calc/%d/job_zip" % job_id, boss)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-zip"
    assert r.headers["Content-Disposition"] == "attachment; filename=job_%d.zip" % job_id
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == sorted(os.listdir(DEMO))
        with open(os.path.join(DEMO, "job.ini"), "rb") as f:
            assert zf.read("job.ini") == f.read()
    assert srv.get("/v1/calc/99999/job_zip", boss).status_code == 404
    assert srv.get("/v1/calc/x/job_zip", boss).status_code == 400


def test_job_zip_of_an_upload(srv):
    boss = login(srv, "boss")
    files = [("archive", ("job.ini", job_ini("zipped", extra="fake_input_file = d.bin\n"))),
             ("archive", ("d.bin", b"\x00\x01data"))]
    job_id = srv.submit(files=files, session=boss)
    srv.wait(job_id, session=boss)
    r = srv.get("/v1/calc/%d/job_zip" % job_id, boss)
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == ["d.bin", "job.ini"]
        assert zf.read("d.bin") == b"\x00\x01data"


def test_share_and_unshare(srv):
    alice, bob, boss = login(srv, "alice"), login(srv, "bob"), login(srv, "boss")
    job_id = srv.submit(job_ini("to share"), session=alice)
    assert srv.wait(job_id, session=alice) == "complete"
    assert srv.get("/v1/calc/%d" % job_id, bob).status_code == 404
    r = srv.post("/v1/calc/%d/share" % job_id, alice)  # level 1: refused
    assert r.status_code == 403 and "superusers" in r.json()["error"]
    r = srv.post("/v1/calc/%d/share" % job_id, boss)
    assert r.status_code == 200
    assert r.json() == {"success": 'The status of calculation %d was changed from '
                                   '"complete" to "shared"' % job_id}
    r = srv.post("/v1/calc/%d/share" % job_id, boss)
    assert r.json() == {"success": "Calculation %d was already shared" % job_id}
    # bob now sees it, reads it, may use it as a parent, but not change it
    assert srv.get("/v1/calc/%d/status" % job_id, bob).json()["status"] == "shared"
    assert job_id in [j["id"] for j in srv.get("/v1/calc/list", bob).json()]
    assert job_id not in [j["id"] for j in srv.get(
        "/v1/calc/list", bob, params={"include_shared": "0"}).json()]
    assert job_id in [j["id"] for j in srv.get(
        "/v1/calc/list", bob, params={"status": "shared"}).json()]
    assert srv.get("/v1/calc/%d/results" % job_id, bob).status_code == 200
    r = srv.post("/v1/calc/%d/remove" % job_id, bob)
    assert r.status_code == 403 and "belongs to alice" in r.json()["error"]
    child = srv.submit(job_ini("child"), session=bob, data={"hazard_job_id": str(job_id)})
    assert srv.wait(child, session=bob) == "complete"
    assert srv.post("/v1/calc/%d/unshare" % job_id, bob).status_code == 403
    r = srv.post("/v1/calc/%d/unshare" % job_id, boss)
    assert r.json() == {"success": 'The status of calculation %d was changed from '
                                   '"shared" to "complete"' % job_id}
    assert srv.get("/v1/calc/%d" % job_id, bob).status_code == 404
    # only complete jobs can be shared
    failed = srv.submit(job_ini("failing", fail=True), session=alice)
    assert srv.wait(failed, session=alice) == "failed"
    r = srv.post("/v1/calc/%d/share" % failed, boss)
    assert r.status_code == 403
    assert r.json()["error"] == 'Can not share calculation %d from status "failed"' % failed
    assert srv.post("/v1/calc/99999/share", boss).status_code == 404
    assert srv.post("/v1/calc/abc/share", boss).status_code == 400
    assert srv.get("/v1/calc/%d/share" % job_id, boss).status_code == 405


def test_tags(srv):
    alice, boss = login(srv, "alice"), login(srv, "boss")
    one = srv.submit(job_ini("tagged one"), session=alice)
    two = srv.submit(job_ini("tagged two"), session=alice)
    srv.wait(one, session=alice), srv.wait(two, session=alice)
    get = srv.get
    assert get("/v1/calc/create_tag/model-A", alice).status_code == 403
    assert get("/v1/calc/%d/add_tag/model-A" % one, alice).status_code == 403
    assert get("/v1/calc/create_tag/model-A", boss).json() == {
        "success": "Tag model-A was created"}
    assert get("/v1/calc/create_tag/model-A", boss).json() == {
        "success": "Tag model-A already exists"}
    assert get("/v1/calc/%d/add_tag/model-A" % one, boss).json() == {
        "success": "The tag model-A was added to job %d" % one}
    r = get("/v1/calc/%d/add_tag/model-A" % one, boss)
    assert r.status_code == 403 and "already" in r.json()["error"]
    assert get("/v1/calc/%d/add_tag/v2 (final)" % two, boss).status_code == 200
    assert get("/v1/calc/create_tag/modèle sismique", boss).status_code == 200
    assert "modèle sismique" in get("/v1/calc/list_tags", alice).json()["tags"]
    assert get("/v1/calc/%d/add_tag/model-A" % two, boss).status_code == 200
    assert "model-A" in get("/v1/calc/list_tags", alice).json()["tags"]
    r = get("/v1/calc/%d/set_preferred_job_for_tag/model-A" % two, boss)
    assert r.json() == {"success": "Job %d was set as preferred for tag model-A" % two}
    assert get("/v1/calc/get_preferred_job_for_tag/model-A", alice).json() == {
        "success": "ok", "job_id": two}
    status = get("/v1/calc/%d/status" % two, alice).json()
    assert status["tags"] == "model-A\u2605, v2 (final)"
    assert get("/v1/calc/%d/status" % one, alice).json()["tags"] == "model-A"
    tagged = [j["id"] for j in get("/v1/calc/list", alice,
                                   params={"filter_by_tag": "model-A"}).json()]
    assert tagged == [two, one]
    preferred = [j["id"] for j in get("/v1/calc/list", alice,
                                      params={"preferred_only": "1"}).json()]
    assert preferred == [two]
    # the preferred job moves
    get("/v1/calc/%d/set_preferred_job_for_tag/model-A" % one, boss)
    assert get("/v1/calc/get_preferred_job_for_tag/model-A", boss).json()["job_id"] == one
    assert get("/v1/calc/unset_preferred_job_for_tag/model-A", boss).json() == {
        "success": "Tag model-A has no preferred job now"}
    assert get("/v1/calc/get_preferred_job_for_tag/model-A", boss).json()["job_id"] is None
    assert get("/v1/calc/get_preferred_job_for_tag/nothing", boss).json()["job_id"] is None
    assert get("/v1/calc/%d/remove_tag/model-A" % one, boss).json() == {
        "success": "Tag model-A was removed from job %d" % one}
    assert get("/v1/calc/%d/remove_tag/model-A" % one, boss).json() == {
        "success": "Tag model-A was not associated with job %d" % one}
    assert get("/v1/calc/delete_tag/model-A", boss).json() == {
        "success": "Tag model-A was deleted"}
    assert get("/v1/calc/delete_tag/model-A", boss).json() == {
        "success": "Tag model-A does not exist"}
    assert get("/v1/calc/%d/status" % two, alice).json()["tags"] == "v2 (final)"
    # unknown jobs, bad names, other methods
    assert get("/v1/calc/99999/add_tag/x", boss).status_code == 404
    for bad in ("a,b", "x\u2605", "%20x", "a<b", "x" * 101, "a%09b", "%22q"):
        r = get("/v1/calc/create_tag/" + bad, boss)
        assert r.status_code == 400, bad
        assert r.json()["error"].startswith(("tag_name: invalid tag name", "tag_name: the"))
    assert get("/v1/calc/create_tag/..%2F..%2Fx", boss).status_code in (400, 404)
    assert srv.post("/v1/calc/create_tag/x", boss).status_code == 405
    assert get("/v1/calc/list_tags").status_code == 403  # no session
    # removing a job drops its tags
    srv.post("/v1/calc/%d/remove" % two, alice)
    assert srv.get("/v1/calc/list", boss, params={"filter_by_tag": "v2 (final)"}).json() == []


def test_no_shared_dir_and_papers_route(public):
    """Without [directory] shared_dir no server path is accepted; the PAPERS route says
    that its data set is missing."""
    r = public.post("/v1/calc/run_ini", data={"job_ini": os.path.join(DEMO, "job.ini")})
    assert r.status_code == 403 and "shared_dir is not set" in r.json()["error"]
    r = public.get("/v1/calc/jobs_from_inis", params={"ini": "/etc/passwd"})
    assert r.status_code == 403
    r = public.post("/v1/calc/run_scenario_calc_from_ses_rupture/6667936727154")
    assert r.status_code == 404 and "PAPERS" in r.json()["error"]
    r = public.post("/v1/calc/run_scenario_calc_from_ses_rupture/12", data={
        "consequence_model": "[not json"})
    assert r.status_code == 400
    assert public.post("/v1/calc/run_scenario_calc_from_ses_rupture/x1").status_code == 400
    # public mode: anybody may tag (as OpenQuake, where everybody is level 2)
    job_id = public.submit(job_ini("public tag"))
    public.wait(job_id)
    assert public.get("/v1/calc/%d/add_tag/pub" % job_id).status_code == 200
    assert public.get("/v1/calc/%d/status" % job_id).json()["tags"] == "pub"
