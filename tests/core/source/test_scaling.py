"""Magnitude-scaling relations against OpenQuake 3.26.2 median areas
(tests/data/source/msr_median_areas.csv: every relation OpenQuake lists, several
magnitudes and rakes)."""
import csv
import os

import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.source.scaling import MSRS, msr_from_text

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "source")
with open(os.path.join(DATA, "msr_median_areas.csv")) as f:
    ROWS = list(csv.DictReader(f))
NAMES = sorted({r["msr"] for r in ROWS})


@pytest.mark.parametrize("name", NAMES)
def test_median_area_matches_reference(name):
    msr = msr_from_text(name)
    for row in (r for r in ROWS if r["msr"] == name):
        rake = None if row["rake"] == "" else float(row["rake"])
        assert msr.get_median_area(float(row["mag"]), rake) == pytest.approx(
            float(row["area_km2"]), rel=1e-12), (row,)


def test_every_reference_relation_is_known():
    assert set(NAMES) <= set(MSRS)


def test_bilinear_hinge():
    msr = msr_from_text("AllenHayesInterfaceBilinear")
    below, above = msr.get_median_area(8.63, None), msr.get_median_area(8.6301, None)
    assert below == pytest.approx(10 ** (-5.62 + 1.22 * 8.63))
    assert above == pytest.approx(10 ** (2.23 + 0.31 * 8.6301))


def test_unknown_relation_is_refused():
    with pytest.raises(InvalidInput, match="unknown magnitude scaling relation"):
        msr_from_text("NoSuchMSR")


@pytest.mark.parametrize("name", NAMES)
def test_relations_pickle(name):
    # sources travel to worker processes
    import pickle
    msr = msr_from_text(name)
    assert pickle.loads(pickle.dumps(msr)).get_median_area(6.0, 0.0) == \
        msr.get_median_area(6.0, 0.0)
