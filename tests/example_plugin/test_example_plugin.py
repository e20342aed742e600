"""The example third-party plugin (tests/example_plugin), found through entry points only:
its calculator runs end to end with ``oq engine --run`` and exports, and its GSIM works
in a GSIM logic tree of a classical calculation."""
from __future__ import annotations

import csv
import importlib.metadata
import math

import numpy as np
import pytest
from scipy.special import ndtr

from oqcore import load_registry
from oqcore.errors import InvalidInput, UnknownPlugin
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import GsimLogicTree, parse_gsim
from tests.conftest import DATA, run_oq as oq

JOBS = DATA / "example_plugin"


def read_csv(path) -> tuple[str, list[str], list[list[str]]]:
    """(comment line, header, rows) of an exported CSV."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "#", rows[0]
    return rows[0][-1], rows[1], rows[2:]


# ----------------------------------------------------------------- discovery
def test_declared_in_the_oqcore_entry_point_group(example_plugin):
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="oqcore")}
    assert eps.get("example") == "oq_example_plugin.plugin"
    dist = importlib.metadata.distribution("oq-example-plugin")
    assert dist.version == "0.1.0"


def test_found_by_entry_points_alone(example_plugin):
    from oq_example_plugin import gsim, plugin
    reg = load_registry()  # entry points only: no plugins= given
    assert reg.calculator("example_sum").factory is plugin.ExampleSumCalculator
    exp = reg.exporter("example_sum", "csv")
    assert exp.writer is plugin.export_example_sum_csv
    assert exp.display_name == "Example Sum"
    assert reg.export_formats("example_sum") == ["csv"]
    assert reg.extractor("example_sum").func is plugin.extract_example_sum
    assert reg.gsim("ExampleConstantGMPE") is gsim.ExampleConstantGMPE
    assert "ExampleConstantGMPE" in reg.gsims()
    assert "example_values" in reg.params()
    for table, key in [("calculator", "example_sum"), ("exporter", ("example_sum", "csv")),
                       ("extractor", "example_sum"), ("gsim", "ExampleConstantGMPE")]:
        assert "oq-example-plugin" in reg.owner(table, key), reg.owner(table, key)
    # the built-ins are still there, next to the plugin
    assert "classical" in reg.calculators()
    assert reg.owner("calculator", "classical").startswith("classical")


def test_not_in_a_registry_without_entry_points(example_plugin):
    reg = load_registry(entry_points=False)
    with pytest.raises(UnknownPlugin) as info:
        reg.calculator("example_sum")
    assert "classical" in str(info.value)
    with pytest.raises(UnknownPlugin):
        reg.gsim("ExampleConstantGMPE")


def test_plugin_params_stay_out_of_ini_defaults(example_plugin):
    from oqcore.params import ini_defaults
    defaults = ini_defaults(load_registry())
    assert "example_values" not in defaults and "example_scale" not in defaults


def test_gsim_arguments(example_plugin):
    reg = load_registry()
    g = parse_gsim("[ExampleConstantGMPE]\nmedian = 0.25\nsigma = 0.3", reg)
    assert str(g) == "[ExampleConstantGMPE]\nmedian = 0.25\nsigma = 0.3"
    from oqcore.hazard.gsim.base import make_context
    ctx = make_context(3, mag=[5.0, 6.0, 7.0], rrup=[1.0, 10.0, 100.0])
    out = g.get_mean_stds(ctx, [IMT.from_string("PGA"), IMT.from_string("SA(0.1)")])
    np.testing.assert_allclose(out[0], math.log(0.25), rtol=1e-12)
    np.testing.assert_allclose(out[1], 0.3, rtol=1e-12)
    with pytest.raises(InvalidInput, match="does not accept"):
        parse_gsim("[ExampleConstantGMPE]\nmedain = 0.2", reg, "lt.xml", 7)


# ------------------------------------------------------------------ end to end
def test_example_sum_runs_and_exports(example_plugin, oq_env, tmp_path):
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
    job = JOBS / "classical" / "job.ini"
    gslt = GsimLogicTree.from_file(str(job.parent / "gsim_logic_tree.xml"), load_registry())
    assert [str(b.value) for b in gslt.branchsets[0].branches] == [
        "[ExampleConstantGMPE]\nmedian = 0.2\nsigma = 0.6", "ExampleConstantGMPE"]
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
