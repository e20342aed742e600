"""Server safety: the job database cannot be split, job inputs stay inside their upload,
hostile names and encodings are 400s without server paths, zips are measured before they
are expanded, NRML values are validated, incomplete datastores are refused (public mode;
the ownership rules are in test_safety_auth.py)."""
from __future__ import annotations

import io
import os
import signal
import time
import zipfile

import pytest

from tests.http.conftest import job_ini, make_zip

SECRET = b"<secret>alice's private data</secret>\n"
POINT_SOURCE = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" xmlns:gml="http://www.opengis.net/gml">
  <sourceModel name="sm">
    <pointSource id="1" name="p" tectonicRegion="Active Shallow Crust">
      <pointGeometry>
        <gml:Point><gml:pos>0.0 0.0</gml:pos></gml:Point>
        <upperSeismoDepth>0.0</upperSeismoDepth>
        <lowerSeismoDepth>10.0</lowerSeismoDepth>
      </pointGeometry>
      <magScaleRel>WC1994</magScaleRel>
      <ruptAspectRatio>1.0</ruptAspectRatio>
      <truncGutenbergRichterMFD aValue="3.0" bValue="1.0" minMag="5.0" maxMag="6.5"/>
      <nodalPlaneDist>
        <nodalPlane probability="1.0" strike="0.0" dip="90.0" rake="0.0"/>
      </nodalPlaneDist>
      <hypoDepthDist><hypoDepth probability="1.0" depth="5.0"/></hypoDepthDist>
    </pointSource>
  </sourceModel>
</nrml>
"""


def _no_server_path(srv, r) -> None:
    for secret in (srv.datadir, os.path.realpath(srv.datadir), ".upload-", "/tmp/"):
        assert secret not in r.text, r.text


def _run(srv, ini: str, **files):
    members = [("archive", ("job.ini", ini))] + [
        ("archive", (name, data)) for name, data in files.items()]
    return srv.post("/v1/calc/run", files=members)


def _validate(srv, ini: str):
    return srv.post("/v1/calc/validate_zip", files=[
        ("archive", ("job.zip", make_zip({"job.ini": ini})))])


@pytest.fixture(scope="module")
def secret_job(public):
    """A complete job whose upload holds a secret file; (job ID, its upload dir name)."""
    r = _run(public, job_ini("secret", extra="fake_input_file = secret.xml\n"),
             **{"secret.xml": SECRET})
    job_id = r.json()["job_id"]
    assert public.wait(job_id) == "complete"
    return job_id, os.path.basename(public.job_row(job_id)["ds_calc_dir"])


def test_inputs_confined_to_the_upload(public, secret_job):
    job_id, calc_dir = secret_job
    outside = ["../%s/secret.xml" % calc_dir, "../../%s/%s/secret.xml" % (
        os.path.basename(public.datadir), calc_dir), "/etc/passwd", "/proc/self/environ",
        "/etc/no-such-file", "../db.sqlite3", "../calc_%d.hdf5" % job_id,
        "../../../../../../etc/passwd", "sub/../../%s/secret.xml" % calc_dir]
    answers = set()
    for path in outside:
        ini = job_ini(extra="fake_input_file = %s\n" % path)
        r = _run(public, ini)
        assert r.status_code == 400, (path, r.text)
        body = r.json()
        assert body["param"] == "fake_input_file" and body["lineno"] == 7, body
        assert "root:" not in r.text and "expected" not in r.text
        _no_server_path(public, r)
        answers.add(body["error"].replace(path, "PATH"))
        v = _validate(public, ini).json()  # validate_zip gives the same answer
        assert v["valid"] is False and v["error_msg"] == body["error"], (v, body)
    assert len(answers) == 2  # relative and absolute: nothing says what exists
    # other keys (a logic tree, a site model, a list of files) are confined the same way
    for extra in ("source_model_logic_tree_file = ../%s/secret.xml\n" % calc_dir,
                  "site_model_file = ok.csv ../%s/secret.xml\n" % calc_dir):
        r = _run(public, job_ini(extra=extra), **{"ok.csv": "lon,lat\n0,0\n"})
        assert r.status_code == 400 and r.json()["param"] == extra.split()[0], r.text
    # the job's own files, also in subfolders, are fine
    z = make_zip({"job.ini": "x", "a/job.ini": job_ini(extra="fake_input_file = ../b/m.txt\n"),
                  "b/m.txt": "mine"})
    r = public.post("/v1/calc/run", files=[("archive", ("j.zip", z))],
                    data={"job_ini": "a/job.ini"})
    assert r.status_code == 200, r.text
    assert public.wait(r.json()["job_id"]) == "complete"


def test_job_database_cannot_be_split(public, secret_job):
    db = public.db_file
    for name in (db, db + "-wal", db + "-shm", os.path.join(public.datadir, ".", "db.sqlite3")):
        r = public.post("/v1/on_same_fs", data={"filename": name, "checksum": "1"})
        assert r.status_code == 403, r.text
    r = _run(public, job_ini(extra="fake_input_file = ../db.sqlite3\n"))
    assert r.status_code == 400
    r = _run(public, job_ini(extra="fake_input_file = ../db.sqlite3-wal\n"))
    assert r.status_code == 400
    before = {j["id"]: j["status"] for j in public.get("/v1/calc/list").json()}
    ids = [public.submit() for _ in range(5)]
    assert [public.wait(i) for i in ids] == ["complete"] * 5
    for i in ids:
        assert public.get("/v1/calc/%d/results" % i).status_code == 200
    after = {j["id"]: j["status"] for j in public.get("/v1/calc/list").json()}
    for job_id, status in before.items():  # every earlier job keeps its true status
        if status in ("complete", "failed", "aborted"):
            assert after[job_id] == status, job_id
    assert os.path.exists(db)


def _zip_of(names: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("job.ini", job_ini())
        for name, data in names.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("members", [
    {"x" * 300 + ".xml": "a"},                       # a name over NAME_MAX
    {"d/" * 2000 + "x.xml": "a"},                    # 2,000 directories deep
    {("y" * 200 + "/") * 30 + "x": "a"},             # a path over PATH_MAX
    {"m": "a file", "m/x.xml": "below a file"},      # a file and a directory
    {"m/x.xml": "below", "m": "then a file"},
])
def test_hostile_zip_names(public, members):
    data = _zip_of(members)
    for route in ("/v1/calc/run", "/v1/calc/validate_zip"):
        r = public.post(route, files=[("archive", ("job.zip", data))])
        assert r.status_code in (200, 400), r.text
        if route.endswith("run"):
            assert r.status_code == 400, r.text
        else:
            assert r.status_code == 400 or r.json()["valid"] is False
        _no_server_path(public, r)


def test_long_input_model_name(public):
    r = public.post("/v1/calc/run", files=[("job_config", ("job.ini", job_ini())),
                                           ("input_model_1", ("z" * 300 + ".xml", "x"))])
    assert r.status_code == 400 and "longer than" in r.json()["error"], r.text
    _no_server_path(public, r)


@pytest.mark.parametrize("encoding", ["x-no-such", "UTF-7", "cp500", "EBCDIC-CP-US",
                                      "utf-32"])
def test_xml_encodings(public, encoding):
    text = POINT_SOURCE.replace("utf-8", encoding)
    r = public.post("/v1/valid/", data={"xml_text": text})
    assert r.status_code == 200 and r.json()["valid"] is False, r.text
    assert r.json()["error_line"] == 1
    ini = job_ini(extra="fake_input_file = m.xml\n")
    r = _run(public, ini, **{"m.xml": text})
    assert r.status_code == 400 and r.json()["fname"] == "m.xml", r.text
    _no_server_path(public, r)


@pytest.mark.parametrize("data", [b"[general]\ndescription = caf\xe9\ncalculation_mode = fake\n",
                                  b"\x00\x01\x02\x03binary\xff\xfe", b"PK\x03\x04\x00\x00"])
def test_job_ini_not_text(public, data):
    r = public.post("/v1/calc/run", files=[("archive", ("job.ini", data))])
    assert r.status_code == 400 and r.json()["fname"] == "job.ini", r.text
    r = public.post("/v1/calc/validate_zip", files=[
        ("archive", ("j.zip", make_zip({"job.ini": data})))])
    assert r.status_code == 200 and r.json()["valid"] is False, r.text


def test_valid_checks_values(public):
    r = public.post("/v1/valid/", data={"xml_text": POINT_SOURCE})
    assert r.json() == {"valid": True, "error_msg": None, "error_line": None}
    bad = POINT_SOURCE.replace('aValue="3.0"', 'aValue="abc"')
    body = public.post("/v1/valid/", data={"xml_text": bad}).json()
    assert body["valid"] is False and body["error_line"] == 12, body
    assert "abc" in body["error_msg"] and "/" not in body["error_msg"]
    bad = POINT_SOURCE.replace("WC1994", "NoSuchMSR")
    body = public.post("/v1/valid/", data={"xml_text": bad}).json()
    assert body["valid"] is False and body["error_line"] == 10, body


def test_zip_measured_before_expansion(tmp_path):
    from oqhttp import uploads
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("job.ini", "first, and small")
        zf.writestr("a.csv", b"0" * (3 * 1024 ** 2))
        zf.writestr("b.csv", b"0" * (3 * 1024 ** 2))  # 6 MB declared > 5 MB
    with pytest.raises(uploads.UnsafeUpload):
        uploads.extract_zip(io.BytesIO(buf.getvalue()), str(tmp_path), 5 * 1024 ** 2)
    assert os.listdir(tmp_path) == []  # a refused archive writes nothing


def test_expansion_budget_shared(tmp_path):
    from oqhttp import uploads
    budget = uploads.ExpansionBudget(5 * 1024 ** 2)
    data = make_zip({"a.csv": os.urandom(3 * 1024 ** 2)})  # incompressible
    budget.reserve(3 * 1024 ** 2)  # a concurrent upload is being unpacked
    with pytest.raises(uploads.ServerBusy):
        uploads.extract_zip(io.BytesIO(data), str(tmp_path), 5 * 1024 ** 2, budget)
    assert os.listdir(tmp_path) == []
    budget.release(3 * 1024 ** 2)
    assert uploads.extract_zip(io.BytesIO(data), str(tmp_path), 5 * 1024 ** 2,
                               budget) == ["a.csv"]
    assert budget.used == 0


def test_killed_worker_leaves_incomplete_datastore(public):
    job_id = public.submit(job_ini(duration=20))
    deadline = time.time() + 30
    while time.time() < deadline:
        row = public.job_row(job_id)
        if row["status"] == "executing" and os.path.exists(
                os.path.join(public.datadir, "calc_%d.hdf5" % job_id)):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(row["pid"], signal.SIGKILL)
    assert public.wait(job_id) == "failed"
    for path in ("/v1/calc/%d/extract/fake_curves", "/v1/calc/%d/extract/sitecol",
                 "/v1/calc/%d/datastore"):
        r = public.get(path % job_id)
        assert r.status_code == 410, (path, r.text)
        assert "incomplete" in r.json()["error"]


def test_more_hostile_inputs(public):
    deep = ('<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><logicTree>' + "<a>" * 5000
            + "</a>" * 5000 + "</logicTree></nrml>")
    r = public.post("/v1/valid/", data={"xml_text": deep})
    assert r.status_code == 200 and r.json()["valid"] is False, r.text
    assert "nested" in r.json()["error_msg"]
    r = _run(public, job_ini(extra="fake_input_file = m.xml\n"), **{"m.xml": deep})
    assert r.status_code == 400 and r.json()["fname"] == "m.xml"
    r = _run(public, job_ini(extra="hazard_calculation_id = 99999999999999999999\n"))
    assert r.status_code == 400 and r.json()["param"] == "hazard_calculation_id", r.text
    for path in (".", "sub", "./"):  # a directory of the upload is not an input file
        r = _run(public, job_ini(extra="fake_input_file = %s\n" % path))
        assert r.status_code == 400 and r.json()["param"] == "fake_input_file", r.text
    z = make_zip({"job.ini": job_ini()})
    r = public.post("/v1/calc/run", files=[("archive", ("a.zip", z)), ("archive", ("b.zip", z))])
    assert r.status_code == 400 and "twice" in r.json()["error"], r.text


def test_valid_checks_source_model_logic_trees(public):
    from tests.core.test_inputs import SMLT
    r = public.post("/v1/valid/", data={"xml_text": SMLT % "sm.xml"})
    assert r.json()["valid"] is True, r.text
    bad = (SMLT % "sm.xml").replace("<uncertaintyWeight>1.0", "<uncertaintyWeight>0.7")
    body = public.post("/v1/valid/", data={"xml_text": bad}).json()
    assert body["valid"] is False and "weight" in body["error_msg"], body
