"""POST /v1/calc/aelo_run: without an aelo calculator (public server) and with the
test stand-in (authenticated server)."""
from __future__ import annotations

from tests.http.conftest import login


def test_no_aelo_calculator(public):
    r = public.post("/v1/calc/aelo_run", data={"lon": "10", "lat": "45", "vs30": "760",
                                               "site_name": "x"})
    assert r.status_code == 404
    assert "no 'aelo' calculator is registered" in r.json()["error"]


def test_aelo_invalid_inputs(authsrv):
    s = login(authsrv, "alice")
    r = authsrv.post("/v1/calc/aelo_run", s)
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == "failed" and body["error"]
    assert body["invalid_inputs"] == ["lon", "lat", "vs30", "site_name"]
    assert body["error_msg"].startswith("Invalid input values\n")
    cases = [({"lon": "200", "lat": "-95", "vs30": "760", "site_name": "x"},
              ["lon", "lat"]),
             ({"lon": "10", "lat": "45", "vs30": "-760", "site_name": "x"}, ["vs30"]),
             ({"lon": "10", "lat": "45", "vs30": "5000", "site_name": "x"}, ["vs30"]),
             ({"lon": "ten", "lat": "45", "vs30": "760", "site_name": "x"}, ["lon"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": ""}, ["site_name"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "<script>"},
              ["site_name"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "x",
               "site_class": "ZZ"}, None)]
    for data, bad in cases:
        r = authsrv.post("/v1/calc/aelo_run", s, data=data)
        assert r.status_code == 400, data
        if bad is not None:
            assert r.json()["invalid_inputs"] == bad, data
    assert authsrv.post("/v1/calc/aelo_run", data={"lon": "1"}).status_code == 403


def test_aelo_run(authsrv):
    s = login(authsrv, "alice")
    r = authsrv.post("/v1/calc/aelo_run", s, data={"lon": "-90", "lat": "16.6",
                                                   "vs30": "760", "siteid": "CCA_site"})
    assert r.status_code == 200, r.text
    body = r.json()
    job_id = body["job_id"]
    assert body["status"] == "created"
    assert body["outputs_uri"] == authsrv.url("/v1/calc/%d/results" % job_id)
    assert authsrv.wait(job_id, session=s) == "complete"
    info = authsrv.get("/v1/calc/%d" % job_id, s).json()
    assert info["description"] == "AELO for CCA_site"
    assert info["calculation_mode"] == "aelo" and info["user_name"] == "alice"
