"""End-to-end: the event_based and scenario OpenQuake QA cases (inputs and OpenQuake
3.26.2 outputs copied into tests/data/qa_gmf). Deterministic files are compared cell by
cell (rtol 1e-3); stochastic files (``stochastic_files`` of run.json) statistically, as
``oqdiff --stats`` does: row counts within 10 % (or 3 sqrt(n)), means and standard
deviations of the numeric non-identifier columns within 10 % (or 3 standard errors).
Stochastic files that OpenQuake itself fails with other seeds
(``stats_check_other_seed.stochastic_files_failing``) are not checked, nor the moments
of stochastic files with fewer than MIN_ROWS expected rows (their counts are).
Slow: run with ``pytest -m slow tests/qa``."""
import json
import math
import os
import re

import numpy as np
import pytest

from tests.qa.compare import compare, number, read_csv
from tests.qa.test_classical_cases import run_case

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "qa_gmf")
CASES = sorted(os.listdir(DATA)) if os.path.isdir(DATA) else []
CALC_ID = re.compile(r"_\d+(\.csv)$")
MIN_ROWS = 10
ID_COLUMNS = {"event_id", "rup_id", "rlz_id", "ses_id", "source_id", "custom_site_id",
              "site_id", "sid", "eid", "id"}


def compare_stats(expected: str, actual: str, rtol: float = 0.1, z: float = 3.0) -> list:
    """Row count, mean and std of every numeric non-identifier column."""
    eh, erows = read_csv(expected)
    ah, arows = read_csv(actual)
    base = os.path.basename(expected)
    ne, na = len(erows), len(arows)
    if abs(na - ne) > max(rtol * ne, z * math.sqrt(max(ne, 1))):
        return ["%s: %d rows vs %d expected" % (base, na, ne)]
    if ne < MIN_ROWS:
        return []
    bad = []
    for j, col in enumerate(eh):
        if col in ID_COLUMNS or col not in ah:
            continue
        e = np.array([number(r[j]) for r in erows], dtype=float)
        a = np.array([number(r[ah.index(col)]) for r in arows], dtype=float)
        if np.isnan(e).all() and np.isnan(a).all():
            continue
        e, a = e[np.isfinite(e)], a[np.isfinite(a)]
        if not len(e) or not len(a):
            bad.append("%s: column %s empty on one side" % (base, col))
            continue
        me, ma, se, sa = e.mean(), a.mean(), e.std(), a.std()
        sem = z * math.sqrt(se ** 2 / len(e) + sa ** 2 / len(a))
        ses = z * math.sqrt(se ** 2 / (2 * len(e)) + sa ** 2 / (2 * len(a)))
        for d, scale, allow, what in ((abs(ma - me), max(abs(me), se), sem, "mean"),
                                      (abs(sa - se), se, ses, "std")):
            if d > 1e-6 + rtol * scale and d > allow:
                bad.append("%s: %s %s %s vs %s" % (base, col, what, ma, me))
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_qa_case(case, tmp_path):
    expected_dir = os.path.join(DATA, case, "expected")
    with open(os.path.join(expected_dir, "run.json")) as f:
        run = json.load(f)
    produced = run_case(os.path.join(DATA, case), tmp_path)
    stochastic = set(run["stochastic_files"])
    soft = set(run.get("stats_check_other_seed", {}).get("stochastic_files_failing", []))
    problems = []
    for name in sorted(os.listdir(expected_dir)):
        if not name.endswith(".csv") or name in soft:
            continue
        if name not in produced:
            problems.append("missing %s" % name)
        elif name in stochastic:
            problems += compare_stats(os.path.join(expected_dir, name), produced[name])
        else:
            problems += compare(os.path.join(expected_dir, name), produced[name])
    assert not problems, problems[:10]
