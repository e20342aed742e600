"""Checks run inside an interpreter where oq_example_plugin is installed: a pytest run
started by test_example_plugin.py with the plugin's folder on PYTHONPATH (this file is not
named test_*.py, so the main test session does not collect it)."""
from __future__ import annotations

import importlib.metadata
import math

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput, UnknownPlugin
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import GsimLogicTree, parse_gsim
from tests.conftest import DATA


# ----------------------------------------------------------------- discovery
def test_declared_in_the_oqcore_entry_point_group():
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="oqcore")}
    assert eps.get("example") == "oq_example_plugin.plugin"
    dist = importlib.metadata.distribution("oq-example-plugin")
    assert dist.version == "0.1.0"


def test_found_by_entry_points_alone():
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


def test_not_in_a_registry_without_entry_points():
    reg = load_registry(entry_points=False)
    with pytest.raises(UnknownPlugin) as info:
        reg.calculator("example_sum")
    assert "classical" in str(info.value)
    with pytest.raises(UnknownPlugin):
        reg.gsim("ExampleConstantGMPE")


def test_plugin_params_stay_out_of_ini_defaults():
    from oqcore.params import ini_defaults
    defaults = ini_defaults(load_registry())
    assert "example_values" not in defaults and "example_scale" not in defaults


def test_gsim_arguments():
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


def test_plugin_gsim_logic_tree_branches():
    path = DATA / "example_plugin" / "classical" / "gsim_logic_tree.xml"
    gslt = GsimLogicTree.from_file(str(path), load_registry())
    assert [str(b.value) for b in gslt.branchsets[0].branches] == [
        "[ExampleConstantGMPE]\nmedian = 0.2\nsigma = 0.6", "ExampleConstantGMPE"]
