"""End-to-end through ``oq engine --run``: the risk cases in tests/data/risk (inputs
from OpenQuake's QA data, outputs of OpenQuake 3.26.2). Slow: run with
``pytest -m slow tests/qa``.

A case with ``expected/run.json`` (copied from the reference QA set) runs its jobs in
``run_order`` (a later job with ``--hc`` on the previous one, its exports under
``expected_subdir``); its deterministic and sampling files are compared cell by cell,
its stochastic files (random ground motions or damage samples) must be produced with
the expected columns (in any order). The other cases keep only deterministic files."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.qa.compare import CALC_ID, compare, read_csv
from tests.qa.test_classical_cases import run_qa_case

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "risk")
# classical_bcr_case_1 differs from OpenQuake by ~0.15%: checked with rtol 2e-3 in
# tests/plugins/test_risk.py
CASES = sorted(c for c in os.listdir(DATA) if c != "classical_bcr_case_1") \
    if os.path.isdir(DATA) else []


def run_jobs(case_dir, tmp_path, run: dict) -> dict:
    """Run the jobs of ``run`` (run.json) in order; return {relative exported path
    without calc ID: path}."""
    work = tmp_path / "input"
    shutil.copytree(os.path.join(case_dir, "input"), work)
    out = tmp_path / "out"
    env = dict(os.environ, OQ_DATADIR=str(tmp_path / "oqdata"))
    for job in sorted(run["jobs"], key=lambda j: j["order"]):
        dest = os.path.normpath(os.path.join(out, job.get("expected_subdir") or "."))
        os.makedirs(dest, exist_ok=True)
        cmd = [sys.executable, "-m", "oqcore.cli", "engine", "--run", job["ini"],
               "--exports", "csv", "--export-dir", dest, "-q"]
        if job["order"] > 1:
            cmd += ["--hc", "-1"]
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                              timeout=900)
        assert proc.returncode == 0, (job["ini"], proc.stderr[-2000:])
    produced = {}
    for root, _, files in os.walk(out):
        for f in files:
            rel = os.path.relpath(os.path.join(root, CALC_ID.sub(r"\1", f)), out)
            produced[rel] = os.path.join(root, f)
    return produced


def run_reference_case(case_dir, tmp_path) -> list:
    """Problems of a case with run.json (see the module docstring)."""
    exp = os.path.join(case_dir, "expected")
    with open(os.path.join(exp, "run.json")) as f:
        run = json.load(f)
    produced = run_jobs(case_dir, tmp_path, run)
    problems = []
    for name, klass in sorted(run["file_classes"].items()):
        if name not in produced:
            problems.append("missing %s" % name)
        elif klass in ("deterministic", "sampling"):
            problems += compare(os.path.join(exp, name), produced[name])
        else:
            want = read_csv(os.path.join(exp, name))[0]
            got = read_csv(produced[name])[0]
            if sorted(want) != sorted(got):  # columns are matched by name
                problems.append("%s: columns %s != %s" % (name, got, want))
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_risk_case(case, tmp_path):
    case_dir = os.path.join(DATA, case)
    if os.path.exists(os.path.join(case_dir, "expected", "run.json")):
        problems = run_reference_case(case_dir, tmp_path)
        assert not problems, problems[:10]
    else:
        run_qa_case(case_dir, tmp_path)
