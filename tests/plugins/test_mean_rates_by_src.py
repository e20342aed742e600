"""mean_rates_by_src with IMT-dependent GSIM weights, against OpenQuake 3.26.2.

The QA case logictree/case_30 gives its Subduction Interface GSIMs other weights for
SA(1.0) than for PGA. OpenQuake weights the mean rates by source with the realizations'
default weights (the hazard curve statistics, checked by the QA set, use the IMT-dependent
ones); weighting by the IMT-dependent weights would change SA(1.0) by up to 21% here.
Expected numbers: tests/data/mean_rates_by_src/expected_mean_rates_by_src.csv, written by
make_expected.py next to it.
"""
from __future__ import annotations

import csv
import json
import shutil

import h5py
import numpy as np
import pytest

from tests.conftest import DATA, run_oq

CASE = DATA / "qa_classical" / "logictree_case_30" / "input"
EXPECTED = DATA / "mean_rates_by_src" / "expected_mean_rates_by_src.csv"


def read_expected() -> dict:
    with open(EXPECTED, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    assert rows[0] == ["site_id", "imt", "lvl", "src_id", "rate"]
    return {(int(n), imt, int(lvl), src): float(rate) for n, imt, lvl, src, rate in rows[1:]}


@pytest.mark.slow
def test_mean_rates_by_src_with_imt_dependent_weights(tmp_path, oq_env):
    work = tmp_path / "input"
    shutil.copytree(CASE, work)
    run = run_oq(["engine", "--run", work / "job.ini", "-p", "disagg_by_src=true", "-q"],
                 oq_env, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    with h5py.File(tmp_path / "oqdata" / "calc_1.hdf5", "r") as f:
        rates = f["mean_rates_by_src"][()]
        labels = json.loads(f["mean_rates_by_src"].attrs["json"])
    assert labels["shape_descr"] == ["site_id", "imt", "lvl", "src_id"]
    expected = read_expected()
    got = {(n, imt, lvl, src): rates[n, m, lvl, s]
           for n in range(rates.shape[0]) for m, imt in enumerate(labels["imt"])
           for lvl in range(rates.shape[2]) for s, src in enumerate(labels["src_id"])}
    assert sorted(got) == sorted(expected)
    keys = sorted(expected)
    exp = np.array([expected[k] for k in keys])
    act = np.array([got[k] for k in keys])
    assert (exp > 0).sum() > 300  # the comparison is not on zeros only
    np.testing.assert_allclose(act, exp, rtol=1e-3, atol=1e-15)
