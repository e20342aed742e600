"""The example third-party plugin (tests/example_plugin), found through entry points only:
its calculator runs end to end with ``oq engine --run`` and exports, and its GSIM works
in a GSIM logic tree of a classical calculation. The plugin is installed in a folder of
its own (the ``example_plugin`` fixture), never in the test interpreter: the registry
checks run in a subprocess (plugin_env_checks.py), the calculations through ``oq``."""
from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import math
import os
import subprocess
import sys
from xml.etree import ElementTree

import numpy as np
import pytest
from scipy.special import ndtr

from tests.conftest import DATA, EXAMPLE_PACKAGE, ROOT, run_oq as oq, with_example_plugin

JOBS = DATA / "example_plugin"
CHECKS_FILE = ROOT / "tests" / "example_plugin" / "plugin_env_checks.py"


def read_csv(path) -> tuple[str, list[str], list[list[str]]]:
    """(comment line, header, rows) of an exported CSV."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "#", rows[0]
    return rows[0][-1], rows[1], rows[2:]


# ------------------------------------------------- inside the plugin's interpreter
CHECKS = ["test_declared_in_the_oqcore_entry_point_group", "test_found_by_entry_points_alone",
          "test_not_in_a_registry_without_entry_points",
          "test_plugin_params_stay_out_of_ini_defaults", "test_gsim_arguments",
          "test_plugin_gsim_logic_tree_branches"]


@pytest.fixture(scope="module")
def checks_in_plugin_env(example_plugin, tmp_path_factory) -> dict:
    """Run plugin_env_checks.py with pytest in a subprocess that sees the installed
    plugin; {test name: (outcome, failure text)}."""
    report = tmp_path_factory.mktemp("checks") / "report.xml"
    env = with_example_plugin(dict(os.environ), example_plugin)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(CHECKS_FILE), "--junitxml", str(report)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert report.exists(), proc.stdout + proc.stderr
    out = {}
    for case in ElementTree.parse(report).iter("testcase"):
        problems = [c for c in case if c.tag in ("failure", "error", "skipped")]
        out[case.get("name")] = (problems[0].tag if problems else "passed",
                                 "".join((c.text or "") for c in problems))
    return out


def test_every_check_ran(checks_in_plugin_env):
    assert sorted(checks_in_plugin_env) == sorted(CHECKS)


@pytest.mark.parametrize("name", CHECKS)
def test_in_the_plugin_interpreter(checks_in_plugin_env, name):
    outcome, text = checks_in_plugin_env[name]
    assert outcome == "passed", text


def test_the_test_interpreter_stays_without_the_plugin(example_plugin):
    assert importlib.util.find_spec(EXAMPLE_PACKAGE) is None
    eps = importlib.metadata.entry_points(group="oqcore")
    assert "example" not in {ep.name for ep in eps}


# ------------------------------------------------------------------ end to end
def test_example_sum_runs_and_exports(example_plugin, oq_env, tmp_path):
    oq_env = with_example_plugin(oq_env, example_plugin)
    job = JOBS / "example_sum" / "job.ini"
    out = tmp_path / "out"
    run = oq(["engine", "--run", job, "--exports", "csv", "--export-dir", out, "-q"], oq_env)
    assert run.returncode == 0, run.stderr
    path = out / "example_sum_1.csv"
    assert run.stdout.split() == [str(path)]
    comment, header, rows = read_csv(path)
    assert header == ["index", "running_sum"]
    assert [int(r[0]) for r in rows] == [0, 1, 2, 3]
    np.testing.assert_allclose([float(r[1]) for r in rows], [2.0, 6.0, 12.0, 21.0],
                               rtol=1e-12)
    assert "total=21.0" in comment

    # the output is listed and its datastore holds what the calculator wrote
    lo = oq(["engine", "--lo", "-1"], oq_env)
    assert lo.returncode == 0 and "Example Sum" in lo.stdout, lo.stdout + lo.stderr
    import h5py
    with h5py.File(tmp_path / "oqdata" / "calc_1.hdf5", "r") as f:
        np.testing.assert_allclose(f["example_sum"][()], [2, 6, 12, 21], rtol=1e-12)
        assert f["example_sum"].attrs["total"] == pytest.approx(21.0, rel=1e-12)
        assert f["example_sum"].attrs["num_tasks"] == 2

    # the extract spec of the plugin, through ``oq extract``
    npz = tmp_path / "sum.npz"
    ex = oq(["extract", "example_sum?scale=0.5", "-1", "--out", npz], oq_env)
    assert ex.returncode == 0, ex.stderr
    with np.load(npz) as data:
        np.testing.assert_allclose(data["array"], [1.0, 3.0, 6.0, 10.5], rtol=1e-12)
        assert float(data["total"]) == pytest.approx(10.5, rel=1e-12)


def test_example_sum_without_values_fails_naming_the_parameter(example_plugin, oq_env,
                                                              tmp_path):
    oq_env = with_example_plugin(oq_env, example_plugin)
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = example_sum\n")
    run = oq(["engine", "--run", ini, "-q"], oq_env)
    assert run.returncode == 1
    assert "example_values" in run.stderr


def _truncated_sf(z, tl):
    phi_b = ndtr(tl)
    return np.clip((phi_b - ndtr(z)) / (2 * phi_b - 1), 0, 1)


def test_plugin_gsim_in_a_gsim_logic_tree_runs_with_classical(example_plugin, oq_env,
                                                             tmp_path):
    oq_env = with_example_plugin(oq_env, example_plugin)
    job = JOBS / "classical" / "job.ini"
    out = tmp_path / "out"
    run = oq(["engine", "--run", job, "--exports", "csv", "--export-dir", out, "-q"], oq_env)
    assert run.returncode == 0, run.stderr
    # every site is within the integration distance of the point source of total
    # rate 1/year, so with a constant median the PoE in T = 1 year is
    # 1 - exp(-P(Y > x)), Y lognormal truncated at 2 sigma; mean over the two branches
    levels = np.array([0.05, 0.1, 0.2, 0.4])
    tl = 2.0
    poe = {}
    for median, sigma in [(0.2, 0.6), (0.1, 0.5)]:
        z = (np.log(levels) - math.log(median)) / sigma
        poe[median] = -np.expm1(-_truncated_sf(z, tl))
    expected = 0.6 * poe[0.2] + 0.4 * poe[0.1]
    for imt in ("PGA", "SA(0.1)"):
        comment, header, rows = read_csv(out / ("hazard_curve-mean-%s_1.csv" % imt))
        assert header == ["lon", "lat", "depth", "poe-0.0500000", "poe-0.1000000",
                          "poe-0.2000000", "poe-0.4000000"]
        assert "imt='%s'" % imt in comment
        got = np.array([[float(x) for x in r[3:]] for r in rows])
        assert got.shape == (4, 4)
        # the CSV has 7 significant digits
        np.testing.assert_allclose(got, np.tile(expected, (4, 1)), rtol=1e-6, atol=0)
