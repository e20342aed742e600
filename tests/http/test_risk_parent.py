"""Authenticated mode: a risk job may not use another user's calculation as its hazard
(``hazard_job_id`` in the form, or ``hazard_calculation_id`` in its job.ini)."""
from __future__ import annotations

import os

import pytest

from tests.http.conftest import job_ini, login, make_zip

RISK = os.path.join(os.path.dirname(__file__), "..", "data", "risk", "scenario_risk_case_1",
                    "input")


@pytest.fixture
def alice_hazard(authsrv):
    """A completed job of alice (the would-be hazard parent)."""
    s = login(authsrv, "alice")
    job_id = authsrv.submit(job_ini("alice's hazard"), session=s)
    assert authsrv.wait(job_id, session=s) == "complete"
    return job_id


def risk_archive(extra: str = "") -> bytes:
    """A scenario_risk job (exposure and vulnerability of a QA case, no hazard)."""
    ini = ("[general]\ndescription = risk on a parent\ncalculation_mode = scenario_risk\n"
           "exposure_file = exposure_model.xml\n"
           "structural_vulnerability_file = vulnerability.xml\n" + extra)
    members = {"job.ini": ini}
    for name in ("exposure_model.xml", "vulnerability.xml"):
        with open(os.path.join(RISK, name), "rb") as f:
            members[name] = f.read()
    return make_zip(members)


def test_risk_job_refuses_a_foreign_parent(authsrv, alice_hazard):
    bob = login(authsrv, "bob")
    before = authsrv.get("/v1/calc/list", login(authsrv, "boss")).json()
    by_form = authsrv.post("/v1/calc/run", bob,
                           files=[("archive", ("job.zip", risk_archive()))],
                           data={"hazard_job_id": str(alice_hazard)})
    by_ini = authsrv.post("/v1/calc/run", bob, files=[("archive", ("job.zip", risk_archive(
        "hazard_calculation_id = %d\n" % alice_hazard)))])
    for r in (by_form, by_ini):
        assert r.status_code == 403, r.text
        assert "is not a calculation you may use" in r.json()["error"]
    after = authsrv.get("/v1/calc/list", login(authsrv, "boss")).json()
    assert len(after) == len(before)  # no job was created
    # alice may use her own hazard job: the risk job is created
    mine = authsrv.post("/v1/calc/run", login(authsrv, "alice"),
                        files=[("archive", ("job.zip", risk_archive()))],
                        data={"hazard_job_id": str(alice_hazard)})
    assert mine.status_code == 200, mine.text
