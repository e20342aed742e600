"""The real classical calculator through the server: OpenQuake's QA case 1 (copied in
tests/data/qa_classical) uploaded as a zip, run, its mean hazard curves downloaded as CSV
and compared with OpenQuake 3.26.2's (rtol 1e-3), and extracted as npz."""
from __future__ import annotations

import io
import os
import zipfile

import numpy as np

from oqcore.builtin_plugins import MODULES
from tests.http.conftest import Server, make_zip
from tests.qa.compare import CALC_ID, compare

CASE = os.path.join(os.path.dirname(__file__), "..", "data", "qa_classical",
                    "classical_case_01")


def test_real_classical(tmp_path):
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1, "num_cores": 2}},
                 plugins=MODULES)
    srv.start()
    try:
        members = {}
        for name in os.listdir(os.path.join(CASE, "input")):
            with open(os.path.join(CASE, "input", name), "rb") as f:
                members[name] = f.read()
        job_id = srv.submit(files=[("archive", ("job.zip", make_zip(members)))])
        assert srv.wait(job_id, timeout=300) == "complete", srv.get(
            "/v1/calc/%d/traceback" % job_id).json()
        outs = {o["type"]: o for o in srv.get("/v1/calc/%d/results" % job_id).json()}
        assert "hcurves" in outs, outs
        r = srv.get("/v1/calc/result/%d?export_type=csv" % outs["hcurves"]["id"])
        assert r.status_code == 200, r.text
        got = tmp_path / "got"
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            zf.extractall(got)
        produced = {CALC_ID.sub(r"\1", f): got / f for f in os.listdir(got)}
        expected = sorted(f for f in os.listdir(os.path.join(CASE, "expected"))
                          if f.endswith(".csv"))
        assert expected == ["hazard_curve-mean-PGA.csv", "hazard_curve-mean-SA(0.1).csv"]
        problems = []
        for name in expected:
            assert name in produced, sorted(produced)
            problems += compare(os.path.join(CASE, "expected", name), produced[name])
        assert not problems, problems[:10]

        r = srv.get("/v1/calc/%d/extract/hcurves?kind=mean&imt=PGA" % job_id)
        assert r.status_code == 200
        mean = np.load(io.BytesIO(r.content))["mean"]
        assert mean.shape[0] == 4 and mean.ndim == 3  # 4 sites
    finally:
        srv.stop()
