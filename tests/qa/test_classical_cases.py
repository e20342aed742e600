"""End-to-end: the classical-mode OpenQuake QA cases (inputs and OpenQuake 3.26.2 outputs
copied into tests/data/qa_classical). Slow: run with ``pytest -m slow tests/qa``."""
import csv
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "qa_classical")
CASES = sorted(os.listdir(DATA)) if os.path.isdir(DATA) else []
CALC_ID = re.compile(r"_\d+(\.csv)$")
RTOL = 1e-3


def read_csv(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    return rows[0], rows[1:]


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _canon(name):
    """Column names with numbers written canonically ('poe-0.1000000' == 'poe-0.1')."""
    head, _, tail = name.rpartition("-")
    x = number(tail)
    return "%s-%r" % (head, x) if head and x is not None else name


def compare(expected, actual):
    """Columns matched by name (extra actual columns ignored), rows in order, numbers
    with rtol; returns a list of problems."""
    eh, erows = read_csv(expected)
    ah, arows = read_csv(actual)
    base = os.path.basename(expected)
    apos = {_canon(h): i for i, h in enumerate(ah)}
    missing = [h for h in eh if _canon(h) not in apos]
    if missing:
        return ["%s: missing columns %s" % (base, missing)]
    if len(erows) != len(arows):
        return ["%s: %d rows != %d" % (base, len(erows), len(arows))]
    bad = []
    for i, (er, ar) in enumerate(zip(erows, arows)):
        for col, e in zip(eh, er):
            a = ar[apos[_canon(col)]]
            x, y = number(e), number(a)
            if x is None or y is None:
                if e != a:
                    bad.append("%s row %d %s: %r != %r" % (base, i, col, e, a))
            elif not math.isclose(x, y, rel_tol=RTOL, abs_tol=0):
                bad.append("%s row %d %s: %s != %s" % (base, i, col, e, a))
    return bad


def run_and_compare(case_dir, tmp_path):
    """Run the single job.ini of ``case_dir``/input with ``oq engine --run`` and compare
    its CSV exports with ``case_dir``/expected; returns the list of problems."""
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
    produced = {CALC_ID.sub(r"\1", f): os.path.join(out, f) for f in os.listdir(out)}
    problems = []
    expected_dir = os.path.join(case_dir, "expected")
    for name in sorted(os.listdir(expected_dir)):
        if not name.endswith(".csv"):
            continue
        if name not in produced:
            problems.append("missing %s" % name)
            continue
        problems += compare(os.path.join(expected_dir, name), produced[name])
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_qa_case(case, tmp_path):
    problems = run_and_compare(os.path.join(DATA, case), tmp_path)
    assert not problems, problems[:10]
