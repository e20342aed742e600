"""Every built-in GSIM against its verification table (tests/data/gsim/<Model>/)."""
import os

import pytest

from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.gsim.verification import check

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim")
TABLES = sorted(d for d in os.listdir(DATA) if os.path.exists(
    os.path.join(DATA, d, "verification.csv")))
RTOL = 1e-6


@pytest.mark.parametrize("model", TABLES)
def test_verification_table(model):
    gsims = builtin_gsims()
    assert model in gsims, "no built-in GSIM %s" % model
    results = check(gsims[model](), os.path.join(DATA, model, "verification.csv"))
    assert results
    bad = [r for r in results if not r[2] <= RTOL]
    assert not bad, "worst errors: %s" % sorted(bad, key=lambda r: -r[2])[:5]
