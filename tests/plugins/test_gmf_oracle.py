"""Our ground-motion fields against OpenQuake 3.26's for the same job and seeds.

The cases in tests/data/gmf_oracle hold a job.ini, its inputs and the files OpenQuake
exported for it (``expected_*.csv``, made by make_reference.py there). The random
streams must be the same: sampled ruptures and events exactly, between-event epsilons
to float32 precision, the
fields to 1e-4 (the GSIM means themselves agree to about 1e-5)."""
import csv
import glob
import os

import numpy as np
import pytest

from oqcore.export import export
from tests.plugins.test_event_based import engine, run

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "gmf_oracle")
#: the cases run by the default suite (the others are marked slow)
QUICK = ("sc_lt", "eb_sampling")
CASES = [pytest.param(d, marks=() if d in QUICK else pytest.mark.slow)
         for d in sorted(os.listdir(DATA)) if os.path.isfile(os.path.join(DATA, d, "job.ini"))]


def read_table(path: str) -> tuple[list, list]:
    """(header, rows) of an exported CSV, without its comment line."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    return rows[0], rows[1:]


def keyed(path: str, keys: tuple) -> dict:
    """{key columns: {column: value}} of a CSV file."""
    header, rows = read_table(path)
    out = {}
    for row in rows:
        rec = dict(zip(header, row))
        out[tuple(rec[k] for k in keys)] = rec
    return out


def assert_same(expected: str, actual: str, keys: tuple, rtol: float,
                columns: tuple | None = None) -> None:
    """The rows of two CSV files, matched by their ``keys`` columns, agree (numbers
    to ``rtol``, text exactly) on ``columns`` (default all)."""
    exp, act = keyed(expected, keys), keyed(actual, keys)
    assert sorted(exp) == sorted(act), os.path.basename(expected)
    for key, rec in exp.items():
        for col, val in rec.items():
            if col in keys or (columns and col not in columns):
                continue
            try:
                e = float(val)
            except ValueError:
                assert act[key][col] == val, (key, col)
                continue
            np.testing.assert_allclose(float(act[key][col]), e, rtol=rtol, atol=1e-12,
                                       err_msg="%s %s %s" % (os.path.basename(expected),
                                                             key, col))


@pytest.mark.parametrize("case", CASES)
def test_fields_as_openquake(case, tmp_path):
    eng = engine(tmp_path)
    jid = run(eng, os.path.join(DATA, case, "job.ini"))
    with eng.open_datastore(jid) as ds:
        files = export(eng.registry, ds, "gmf_data", "csv", str(tmp_path))
        files += export(eng.registry, ds, "events", "csv", str(tmp_path))
        if "rupgeoms" in ds and ds["ruptures"]["id"][0] != 0:  # event_based
            files += export(eng.registry, ds, "ruptures", "csv", str(tmp_path))
    ours = {os.path.basename(f).rsplit("_", 1)[0]: f for f in files}
    # the sampled ruptures: their IDs, sources, multiplicities and magnitudes
    checks = {"gmf-data": (("event_id", "custom_site_id"), 5e-4, None),
              "sigma_epsilon": (("event_id",), 1e-6, None),
              "events": (("event_id",), 0, None),
              "ruptures": (("rup_id",), 1e-6, ("source_id", "multiplicity", "mag"))}
    for path in glob.glob(os.path.join(DATA, case, "expected_*.csv")):
        name = os.path.basename(path)[len("expected_"):-4]
        keys, rtol, columns = checks[name]
        assert_same(path, ours[name], keys, rtol, columns)
