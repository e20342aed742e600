"""A job uploaded to the server may name its hazard calculation as a job file of the
same upload (run first) or as a datastore file of the upload; not a file outside."""
from __future__ import annotations

import os

import pytest

from oqcore.builtin_plugins import MODULES
from tests.http.conftest import Server, make_zip

CASE = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "ses_case_1")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    """A server with the built-in calculators."""
    server = Server(str(tmp_path_factory.mktemp("parents")), {
        "distribution": {"serialize_jobs": 1, "oq_distribute": "no"}}, plugins=MODULES)
    server.start()
    yield server
    server.stop()


def upload(parent: str, extra: dict | None = None) -> bytes:
    members = {}
    for name in ("source_model.xml", "source_model_logic_tree.xml", "gsim_logic_tree.xml",
                 "job_ses.ini"):
        with open(os.path.join(CASE, name), "rb") as f:
            members[name] = f.read()
    with open(os.path.join(CASE, "job_from_ses.ini")) as f:
        members["job.ini"] = f.read().replace("hazard_calculation_id = job_ses.ini",
                                              "hazard_calculation_id = " + parent)
    members.update(extra or {})
    return make_zip(members)


def test_parent_job_file_of_the_upload(srv):
    job_id = srv.submit(files=[("archive", ("job.zip", upload("job_ses.ini")))])
    assert srv.wait(job_id, timeout=300) == "complete", srv.get(
        "/v1/calc/%d/traceback" % job_id).json()
    row = srv.job_row(job_id)
    parent = srv.job_row(row["hazard_calculation_id"])
    assert parent["status"] == "complete"
    # the parent's job file moved with the upload
    assert os.path.dirname(parent["job_ini"]) == os.path.dirname(row["job_ini"])
    outputs = srv.get("/v1/calc/%d/results" % job_id).json()
    assert "gmf_data" in {o["type"] for o in outputs}


def test_parent_file_outside_the_upload_refused(srv):
    r = srv.post("/v1/calc/run", files=[("archive", ("job.zip", upload(
        "../../outside.hdf5")))])
    assert r.status_code == 400, r.text
    assert "hazard_calculation_id" in r.json()["error"]
    assert "/" not in r.json()["error"].split("hazard_calculation_id")[0].strip()


def test_parent_job_of_another_upload(srv):
    """The ruptures of a parent job uploaded before (hazard_calculation_id = its ID):
    its logic trees are read from its own upload folder."""
    members = {}
    for name in ("source_model.xml", "source_model_logic_tree.xml", "gsim_logic_tree.xml"):
        with open(os.path.join(CASE, name), "rb") as f:
            members[name] = f.read()
    with open(os.path.join(CASE, "job_ses.ini"), "rb") as f:
        members["job.ini"] = f.read()
    parent = srv.submit(files=[("archive", ("job.zip", make_zip(members)))])
    assert srv.wait(parent, timeout=300) == "complete"
    with open(os.path.join(CASE, "job_from_ses.ini")) as f:
        ini = f.read().replace("hazard_calculation_id = job_ses.ini",
                               "hazard_calculation_id = %d" % parent)
    job_id = srv.submit(files=[("archive", ("job.zip", make_zip({"job.ini": ini})))])
    assert srv.wait(job_id, timeout=300) == "complete", srv.get(
        "/v1/calc/%d/traceback" % job_id).json()
    assert srv.job_row(job_id)["hazard_calculation_id"] == parent
