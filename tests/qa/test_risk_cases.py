"""End-to-end through ``oq engine --run``: the GMF-file and hazard-curve risk cases in
tests/data/risk (inputs from OpenQuake's QA data, outputs of OpenQuake 3.26.2; only the
deterministic files are kept). Slow: run with ``pytest -m slow tests/qa``."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.qa.test_classical_cases import compare

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "risk")
CASES = sorted(os.listdir(DATA)) if os.path.isdir(DATA) else []
CALC_ID = re.compile(r"_\d+(\.csv)$")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_risk_case(case, tmp_path):
    work = tmp_path / "input"
    shutil.copytree(os.path.join(DATA, case, "input"), work)
    out = tmp_path / "out"
    env = dict(os.environ, OQ_DATADIR=str(tmp_path / "oqdata"))
    inis = [f for f in os.listdir(work) if f.startswith("job") and f.endswith(".ini")]
    assert len(inis) == 1, inis
    proc = subprocess.run([sys.executable, "-m", "oqcore.cli", "engine", "--run", inis[0],
                           "--exports", "csv", "--export-dir", str(out)],
                          cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    produced = {CALC_ID.sub(r"\1", f): os.path.join(out, f) for f in os.listdir(out)}
    problems = []
    expected = os.path.join(DATA, case, "expected")
    for name in sorted(os.listdir(expected)):
        if name not in produced:
            problems.append("missing %s" % name)
        else:
            problems += compare(os.path.join(expected, name), produced[name])
    assert not problems, problems[:10]
