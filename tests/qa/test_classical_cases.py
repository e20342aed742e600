"""End-to-end: the classical-mode OpenQuake QA cases (inputs and OpenQuake 3.26.2 outputs
copied into tests/data/qa_classical). Slow: run with ``pytest -m slow tests/qa``."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.qa.compare import CALC_ID, compare

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "qa_classical")
CASES = sorted(os.listdir(DATA)) if os.path.isdir(DATA) else []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_qa_case(case, tmp_path):
    run_qa_case(os.path.join(DATA, case), tmp_path)


def run_case(case_dir, tmp_path) -> dict:
    """Run the only job*.ini of CASE_DIR/input with ``oq engine --run``, exporting CSV;
    return {exported file name without calc ID: path}."""
    work = tmp_path / "input"
    shutil.copytree(os.path.join(case_dir, "input"), work)
    out = tmp_path / "out"
    env = dict(os.environ, OQ_DATADIR=str(tmp_path / "oqdata"))
    inis = [f for f in os.listdir(work) if f.startswith("job") and f.endswith(".ini")]
    assert len(inis) == 1, inis
    oq = [sys.executable, "-m", "oqcore.cli"]
    proc = subprocess.run(oq + ["engine", "--run", inis[0], "--exports", "csv",
                                "--export-dir", str(out), "-q"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {CALC_ID.sub(r"\1", f): os.path.join(out, f) for f in os.listdir(out)}


def run_qa_case(case_dir, tmp_path):
    """Run the job of ``case_dir``/input with ``oq engine --run --exports csv`` and
    compare every expected CSV of ``case_dir``/expected (rtol RTOL)."""
    produced = run_case(case_dir, tmp_path)
    problems = []
    expected_dir = os.path.join(case_dir, "expected")
    for name in sorted(os.listdir(expected_dir)):
        if not name.endswith(".csv"):
            continue
        if name not in produced:
            problems.append("missing %s" % name)
            continue
        problems += compare(os.path.join(expected_dir, name), produced[name])
    assert not problems, problems[:10]
