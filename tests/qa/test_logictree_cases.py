"""End-to-end: source-model logic-tree QA cases of OpenQuake (every uncertainty type,
applyToBranches, extendModel, preclassical, the alternative characteristic MFD), inputs
and OpenQuake 3.26.2 outputs copied into tests/data/qa_logictree. Slow: run with
``pytest -m slow tests/qa``."""
import os

import pytest

from tests.qa.test_classical_cases import run_qa_case

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "qa_logictree")
CASES = sorted(os.listdir(DATA)) if os.path.isdir(DATA) else []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_logictree_case(case, tmp_path):
    run_qa_case(os.path.join(DATA, case), tmp_path)
