"""job.ini parsing (read_job_ini), its errors, and the parameter table (ini_defaults)."""
from __future__ import annotations

import json
import logging
import math
import os
import textwrap

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.converter import structure_params
from oqcore.errors import InvalidInput
from oqcore.params import NODEFAULT, ini_defaults, read_job_ini
from tests.conftest import DATA

CASE_01 = DATA / "qa" / "classical_case_01" / "input" / "job.ini"


@pytest.fixture
def registry():
    """A fresh registry of the built-in plugins (no entry points)."""
    return load_registry(entry_points=False)


def write(path, text: str):
    """Write a dedented text file (creating folders); return its path as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return str(path)


def line_of(path: str, start: str) -> int:
    """The 1-based number of the first line of ``path`` starting with ``start``."""
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if line.startswith(start):
                return i
    raise AssertionError("%s not in %s" % (start, path))


def minimal(tmp_path, body: str = "", name: str = "job.ini") -> str:
    """A job.ini with calculation_mode = classical plus ``body`` (under [calculation])."""
    return write(tmp_path / name, "[general]\ncalculation_mode = classical\n\n"
                 "[calculation]\n" + textwrap.dedent(body).lstrip())


# ------------------------------------------------------------------ parsing
def test_case_01(registry):
    oq = read_job_ini(str(CASE_01), registry)
    assert oq.description == "Classical Hazard QA Test, Case 1"
    assert oq.calculation_mode == "classical"
    assert oq.sites == [(0.0, 0.0, -0.1), (0.1, 0.0, -0.1), (0.2, 0.0, -0.1), (0.3, 0.0, -0.1)]
    assert oq.imtls == {"PGA": [0.1, 0.4, 0.6], "SA(0.1)": [0.1, 0.4, 0.6]}
    assert oq.imts == ["PGA", "SA(0.1)"] and oq.L1 == 3
    assert oq.investigation_time == 1.0
    assert oq.truncation_level == 2.0
    assert oq.maximum_distance == {"default": 200.0}
    assert oq.rupture_mesh_spacing == 1.0
    assert oq.width_of_mfd_bin == 1.0
    assert oq.area_source_discretization is None  # "area_source_discretization ="
    assert oq.reference_vs30_type == "measured"
    assert oq.reference_vs30_value == 800.0
    assert oq.reference_depth_to_2pt5km_per_sec == 2.5
    assert oq.number_of_logic_tree_samples == 0
    assert oq.max_sites_disagg == 1
    assert oq.source_nodes == ["pointSource"]
    assert oq.minimum_engine_version == "3.23"
    assert oq.export_dir == "/tmp"
    assert oq.statistics == ["mean"]
    base = str(CASE_01.parent)
    assert oq.base_path == base
    assert oq.inputs == {
        "source_model_logic_tree": os.path.join(base, "source_model_logic_tree.xml"),
        "gsim_logic_tree": os.path.join(base, "gsim_logic_tree.xml")}
    # untouched parameters keep their defaults
    assert oq.minimum_magnitude == {"default": 0}
    assert oq.random_seed == 42


def test_imts_sorted_by_period(tmp_path, registry):
    """IMTs come in period order, PGA, PGV and MMI keeping the job's order among
    themselves (OpenQuake's order of the GMF draws and output columns)."""
    oq = read_job_ini(minimal(tmp_path, "intensity_measure_types = SA(1.0), PGV, "
                              "SA(0.2), PGA\n"), registry)
    assert oq.imts == ["PGV", "PGA", "SA(0.2)", "SA(1.0)"]
    oq = read_job_ini(minimal(tmp_path, 'intensity_measure_types_and_levels = '
                              '{"SA(0.5)": [0.1, 0.2], "PGA": [0.1, 0.3]}\n'), registry)
    assert list(oq.imtls) == ["PGA", "SA(0.5)"] and oq.imtls["PGA"] == [0.1, 0.3]


def test_sections_are_merged(tmp_path, registry):
    ini = write(tmp_path / "job.ini", """
        [general]
        description = merged
        calculation_mode = classical

        [geometry]
        sites = 1 2

        [whatever you like]
        investigation_time = 50

        [calculation]
        truncation_level = 3
        """)
    oq = read_job_ini(ini, registry)
    assert (oq.description, oq.sites, oq.investigation_time, oq.truncation_level) == (
        "merged", [(1.0, 2.0)], 50.0, 3.0)


def test_logscale(tmp_path, registry):
    ini = minimal(tmp_path, "intensity_measure_types_and_levels = "
                  '{"PGA": logscale(0.005, 2.13, 5), "SA(0.1)": logscale(0.01, 1, 5)}\n')
    imtls = read_job_ini(ini, registry).imtls
    assert list(imtls) == ["PGA", "SA(0.1)"]
    np.testing.assert_allclose(imtls["PGA"], np.geomspace(0.005, 2.13, 5), rtol=1e-12)
    np.testing.assert_allclose(imtls["SA(0.1)"], [0.01, 0.0316227766, 0.1, 0.316227766, 1.0],
                               rtol=1e-9)
    assert imtls["PGA"][0] == pytest.approx(0.005, rel=1e-14)
    assert imtls["PGA"][-1] == pytest.approx(2.13, rel=1e-14)


@pytest.mark.parametrize("text, err", [
    ('{"PGA": logscale(1, 0.5, 3)}', "logscale"),
    ('{"PGA": [0.1, 0.1, 0.2]}', "strictly increasing"),
    ('{"PGA": [-0.1, 0.2]}', "positive"),
    ('{"PGA": [0, 1e-11]}', "positive"),
    ('{"PGA": [0.1, 0.2], "SA(1.0)": [0.1, 0.2, 0.3]}', "same number of levels"),
    ('{"XYZ": [0.1]}', "XYZ"),
])
def test_bad_levels(tmp_path, registry, text, err):
    ini = minimal(tmp_path, "intensity_measure_types_and_levels = %s\n" % text)
    with pytest.raises(InvalidInput, match=err) as info:
        read_job_ini(ini, registry)
    assert info.value.param == "intensity_measure_types_and_levels"
    assert info.value.fname == ini


def test_zero_levels_as_openquake(tmp_path, registry):
    """[0] alone is an IMT without levels; a first level 0 stands for 1e-10."""
    ini = minimal(tmp_path, "intensity_measure_types_and_levels = "
                  "{'PGA': [0, 0.1, 0.2], 'SA(1.0)': [0]}\n")
    with pytest.raises(InvalidInput, match="same number of levels"):
        read_job_ini(ini, registry)
    ini = minimal(tmp_path, "intensity_measure_types_and_levels = {'PGA': [0, 0.1]}\n")
    assert read_job_ini(ini, registry).imtls == {"PGA": [1e-10, 0.1]}
    ini = minimal(tmp_path, "intensity_measure_types_and_levels = {'PGA': [0]}\n")
    assert read_job_ini(ini, registry).imtls == {"PGA": [0.0]}


def test_sites(tmp_path, registry):
    ini = minimal(tmp_path, "sites = 0.0 0.0 -0.1, 0.1 0.0,-179.5 89.9\n")
    assert read_job_ini(ini, registry).sites == [(0.0, 0.0, -0.1), (0.1, 0.0),
                                                 (-179.5, 89.9)]


@pytest.mark.parametrize("text, err", [("200 0", "longitude"), ("0 95", "latitude"),
                                       ("0", "lon lat"), ("0 x", "not a number")])
def test_bad_sites(tmp_path, registry, text, err):
    ini = minimal(tmp_path, "sites = %s\n" % text)
    with pytest.raises(InvalidInput, match=err) as info:
        read_job_ini(ini, registry)
    assert info.value.param == "sites"
    assert info.value.lineno == line_of(ini, "sites")


def test_maximum_distance_scalar(tmp_path, registry):
    oq = read_job_ini(minimal(tmp_path, "maximum_distance = 200\n"), registry)
    assert oq.maximum_distance == {"default": 200.0}
    assert oq.max_distance("active shallow crust") == 200.0
    assert oq.max_distance("any other", mag=7.0) == 200.0


def test_maximum_distance_per_trt(tmp_path, registry):
    oq = read_job_ini(minimal(tmp_path, """
        maximum_distance = {"Active Shallow Crust": 200, "Stable Continental Region": 300.5}
        """), registry)
    assert oq.maximum_distance == {"Active Shallow Crust": 200.0,
                                   "Stable Continental Region": 300.5}
    assert oq.max_distance("Stable Continental Region") == 300.5
    assert oq.max_distance("active shallow crust") == 200.0  # TRTs match case-insensitively
    # a TRT not given, without a default: the largest distance given (as OpenQuake)
    assert oq.max_distance("Subduction Interface") == 300.5


def test_maximum_distance_magnitude_dependent(tmp_path, registry):
    oq = read_job_ini(minimal(tmp_path, "maximum_distance = [(7, 200), (5, 100)]\n"),
                      registry)
    assert oq.maximum_distance == {"default": [[5.0, 100.0], [7.0, 200.0]]}  # sorted by mag
    # linear interpolation in magnitude, 0 outside the range (ruptures discarded)
    for mag, km in [(5.0, 100.0), (6.0, 150.0), (6.5, 175.0), (7.0, 200.0), (4.0, 0.0),
                    (8.0, 0.0)]:
        assert oq.max_distance("any", mag) == pytest.approx(km, rel=1e-12)
    assert oq.max_distance("any") == 200.0


def test_maximum_distance_per_trt_and_magnitude(tmp_path, registry):
    oq = read_job_ini(minimal(tmp_path, """
        maximum_distance = {"Active Shallow Crust": [(5, 50), (6, 150)], "default": 300}
        """), registry)
    assert oq.maximum_distance == {"Active Shallow Crust": [[5.0, 50.0], [6.0, 150.0]],
                                   "default": 300.0}
    assert oq.max_distance("Active Shallow Crust", 5.5) == pytest.approx(100.0, rel=1e-12)
    assert oq.max_distance("Volcanic", 5.5) == 300.0


@pytest.mark.parametrize("text", [
    "-5", '{"Active Shallow Crust": -1}', '{"Active Shallow Crust": [(5, -1)]}', "far", "",
    "[(5, -1)]"])
def test_bad_maximum_distance(tmp_path, registry, text):
    ini = minimal(tmp_path, "maximum_distance = %s\n" % text)
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    assert info.value.param == "maximum_distance"
    assert info.value.lineno == line_of(ini, "maximum_distance")


def test_inputs_relative_to_the_ini(tmp_path, registry, monkeypatch):
    proj = tmp_path / "proj"
    for name in ("lt/source_model_logic_tree.xml", "gsim.xml", "sites.csv", "a.xml",
                 "b.xml"):
        write(proj / name, "x\n")
    ini = write(proj / "job.ini", """
        [general]
        calculation_mode = classical
        [calculation]
        source_model_logic_tree_file = lt/source_model_logic_tree.xml
        gsim_logic_tree_file = ./gsim.xml
        sites_csv = sites.csv
        structural_fragility_file = a.xml b.xml
        site_model_file =
        """)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    oq = read_job_ini(os.path.relpath(ini), registry)
    assert oq.inputs == {
        "source_model_logic_tree": str(proj / "lt" / "source_model_logic_tree.xml"),
        "gsim_logic_tree": str(proj / "gsim.xml"),
        "sites": str(proj / "sites.csv"),
        "structural_fragility": [str(proj / "a.xml"), str(proj / "b.xml")]}
    assert oq.base_path == str(proj)
    assert oq.input_path("gsim_logic_tree") == str(proj / "gsim.xml")
    assert oq.input_path("site_model") is None


def test_dict_inputs_may_hold_lists_of_files(tmp_path, registry):
    for name in ("c1.csv", "c2.csv"):
        write(tmp_path / "job" / name, "x\n")
    ini = minimal(tmp_path / "job", "consequence_file = {'taxonomy': ['c1.csv', 'c2.csv']}\n")
    assert read_job_ini(ini, registry).inputs["consequence"] == {
        "taxonomy": [str(tmp_path / "job" / "c1.csv"), str(tmp_path / "job" / "c2.csv")]}
    bad = minimal(tmp_path / "bad", "consequence_file = {'taxonomy': 3}\n")
    with pytest.raises(InvalidInput, match="expected a file name or a list"):
        read_job_ini(bad, registry)


def test_absolute_input_path(tmp_path, registry):
    target = write(tmp_path / "data" / "gsim.xml", "x\n")
    ini = minimal(tmp_path / "job", "gsim_logic_tree_file = %s\n" % target)
    assert read_job_ini(ini, registry).inputs == {"gsim_logic_tree": target}


@pytest.mark.parametrize("text, value", [("3", 3), ("-1", -1), ("", None)])
def test_hazard_calculation_id(tmp_path, registry, text, value):
    ini = minimal(tmp_path, "hazard_calculation_id = %s\n" % text)
    assert read_job_ini(ini, registry).hazard_calculation_id == value


def test_hazard_calculation_id_must_be_an_integer(tmp_path, registry):
    ini = minimal(tmp_path, "hazard_calculation_id = last\n")
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    assert info.value.param == "hazard_calculation_id"


def test_overrides(tmp_path, registry):
    ini = minimal(tmp_path, "investigation_time = 50\n")
    oq = read_job_ini(ini, registry, {"investigation_time": "1", "random_seed": 7})
    assert oq.investigation_time == 1.0 and oq.random_seed == 7


def test_aliases(tmp_path, registry):
    ini = minimal(tmp_path, """
        quantile_hazard_curves = 0.15 0.85
        mean_hazard_curves = false
        poes_disagg = 0.1
        individual_curves = true
        """)
    oq = read_job_ini(ini, registry)
    assert oq.quantiles == [0.15, 0.85]
    assert oq.mean is False
    assert oq.poes == [0.1]
    assert oq.individual_rlzs is True
    assert oq.statistics == ["quantile-0.15", "quantile-0.85"]


def test_derived_quantities(tmp_path, registry):
    ini = minimal(tmp_path, """
        investigation_time = 50
        poes = 0.1 0.02
        minimum_magnitude = {"Active Shallow Crust": 5.0, "default": 4.5}
        """)
    oq = read_job_ini(ini, registry)
    assert oq.return_periods_of_poes() == [475, 2475]
    assert oq.min_mag("Active Shallow Crust") == 5.0
    assert oq.min_mag("Stable Continental Region") == 4.5


def test_round_trip_through_the_converter(registry):
    oq = read_job_ini(str(CASE_01), registry)
    data = oq.to_dict()
    text = json.dumps(data)  # JSON-friendly (NaN allowed, as the reference writes it)
    again = structure_params(json.loads(text), type(oq))
    assert json.dumps(again.to_dict()) == text
    assert structure_params({"calculation_mode": "classical", "unknown": 1},
                            type(oq)).calculation_mode == "classical"


# ------------------------------------------------------------------ errors
def test_bad_value_names_parameter_file_and_line(tmp_path, registry):
    ini = minimal(tmp_path, """
        investigation_time = 50
        truncation_level = abc
        """)
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    exc = info.value
    lineno = line_of(ini, "truncation_level")
    assert (exc.param, exc.fname, exc.lineno) == ("truncation_level", ini, lineno)
    assert str(exc) == "%s, line %d: truncation_level: not a number: 'abc'" % (ini, lineno)
    assert exc.errors == {"truncation_level": "not a number: 'abc'"}


def test_every_bad_value_is_collected(tmp_path, registry):
    ini = minimal(tmp_path, """
        truncation_level = -1
        investigation_time = long
        mean = maybe
        """)
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    assert set(info.value.errors) == {"truncation_level", "investigation_time", "mean"}
    assert info.value.param == "truncation_level"


@pytest.mark.parametrize("key, text", [
    ("investigation_time", "-1"), ("number_of_logic_tree_samples", "1.5"),
    ("poes", "0.1 1.2"), ("calculation_mode", " "), ("sampling_method", "latest"),
    ("reference_vs30_type", "guessed"), ("random_seed", "-3"),
    ("region", "0 0, 1 1"), ("minimum_engine_version", "three")])
def test_invalid_values(tmp_path, registry, key, text):
    mode = "" if key == "calculation_mode" else "calculation_mode = classical\n"
    ini = write(tmp_path / "job.ini", "[general]\n%s%s = %s\n" % (mode, key, text))
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    assert info.value.param == key
    assert info.value.lineno == line_of(ini, key)


def test_missing_input_file(tmp_path, registry):
    ini = minimal(tmp_path, "gsim_logic_tree_file = nothere.xml\n")
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    exc = info.value
    assert (exc.param, exc.fname, exc.lineno) == ("gsim_logic_tree_file", ini,
                                                  line_of(ini, "gsim_logic_tree_file"))
    assert "file not found: nothere.xml" in str(exc)


def test_missing_input_file_message_names_the_place_once(tmp_path, registry):
    ini = minimal(tmp_path, "gsim_logic_tree_file = nothere.xml\n")
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    exc = info.value
    assert exc.msg == "file not found: nothere.xml"
    assert str(exc) == "%s, line 5: gsim_logic_tree_file: file not found: nothere.xml" % ini


def test_missing_job_ini(tmp_path, registry):
    with pytest.raises(InvalidInput, match="file not found") as info:
        read_job_ini(str(tmp_path / "nothere.ini"), registry)
    assert info.value.fname == str(tmp_path / "nothere.ini")


def test_missing_calculation_mode(tmp_path, registry):
    ini = write(tmp_path / "job.ini", "[general]\ndescription = x\n")
    with pytest.raises(InvalidInput) as info:
        read_job_ini(ini, registry)
    assert info.value.param == "calculation_mode"


def test_missing_section_header(tmp_path, registry):
    ini = write(tmp_path / "job.ini", "calculation_mode = classical\n")
    with pytest.raises(InvalidInput, match=r"\[section\]") as info:
        read_job_ini(ini, registry)
    assert info.value.lineno == 1


def test_misspelt_key_warns_with_did_you_mean(tmp_path, registry, caplog):
    ini = minimal(tmp_path, """
        minimun_magnitude = 5
        xyzzy = 1
        """)
    with caplog.at_level(logging.WARNING, logger="oqcore.params"):
        oq = read_job_ini(ini, registry)
    msgs = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "%s: The parameter 'minimun_magnitude' is unknown, ignoring (did you mean " \
           "'minimum_magnitude'?)" % ini in msgs
    xyzzy = [m for m in msgs if "'xyzzy'" in m]
    assert len(xyzzy) == 1 and "did you mean" not in xyzzy[0]
    assert oq._warnings == [m for m in msgs if ini in m]
    assert oq.minimum_magnitude == {"default": 0}  # the misspelt value is ignored


def test_case_01_misspelling_is_warned(registry):
    oq = read_job_ini(str(CASE_01), registry)
    assert len(oq._warnings) == 1
    assert "did you mean 'minimum_magnitude'?" in oq._warnings[0]


def test_same_key_in_two_sections(tmp_path, registry):
    ini = write(tmp_path / "job.ini", """
        [general]
        calculation_mode = classical
        investigation_time = 50

        [calculation]
        investigation_time = 1
        """)
    with pytest.raises(InvalidInput, match="set in two sections") as info:
        read_job_ini(ini, registry)
    exc = info.value
    assert exc.param == "investigation_time" and exc.fname == ini
    assert exc.lineno in (3, 6)


def test_same_key_twice_in_a_section(tmp_path, registry):
    ini = write(tmp_path / "job.ini", """
        [general]
        calculation_mode = classical
        investigation_time = 50
        investigation_time = 1
        """)
    with pytest.raises(InvalidInput, match="repeated") as info:
        read_job_ini(ini, registry)
    assert (info.value.fname, info.value.lineno) == (ini, 4)


# ------------------------------------------------------------------ ini_defaults
def reference_defaults() -> dict:
    with open(DATA / "ini_defaults.json") as f:
        return json.load(f)


#: keys whose built-in default differs from the reference
KNOWN_BAD_DEFAULTS: set = set()


def test_ini_defaults_keys_and_order(registry):
    got, ref = ini_defaults(registry), reference_defaults()
    assert list(got) == list(ref)


def test_ini_defaults_values(registry):
    got, ref = ini_defaults(registry), reference_defaults()
    skip = {"concurrent_tasks"} | KNOWN_BAD_DEFAULTS
    diff = {k: (got.get(k), v) for k, v in ref.items() if k not in skip and got.get(k) != v}
    assert diff == {}
    # floats stay floats, ints ints (the JSON body must look the same)
    for k, v in ref.items():
        if k not in skip and v is not None:
            assert type(got[k]) is type(v), k


def test_ini_defaults_reference_vs30_type(registry):
    assert ini_defaults(registry)["reference_vs30_type"] == "inferred"
    spec = registry.param("reference_vs30_type")
    assert spec.validator(spec.default) == spec.default


def test_concurrent_tasks_is_twice_the_cores(registry):
    assert ini_defaults(registry)["concurrent_tasks"] == 2 * (os.cpu_count() or 1)


def test_ini_defaults_is_json_and_fresh(registry):
    a = ini_defaults(registry)
    assert json.loads(json.dumps(a)) == a or math.isinf(a["extreme_gmv"]["default"])
    a["poes"].append(0.5)  # mutating the answer does not touch the table
    assert ini_defaults(registry)["poes"] == []


def test_mandatory_and_unset_parameters_are_not_listed(registry):
    defaults = ini_defaults(registry)
    for name, spec in registry.params().items():
        if spec.default is NODEFAULT:
            assert name not in defaults
    for name in ("calculation_mode", "maximum_distance", "truncation_level",
                 "reference_vs30_value", "reference_depth_to_1pt0km_per_sec"):
        assert name not in defaults


def test_every_default_passes_its_validator(registry):
    """A default written as job.ini text must read back as itself."""
    bad = {}
    for name, spec in registry.params().items():
        d = spec.default
        if isinstance(d, str) and d:
            try:
                if spec.validator(d) != d:
                    bad[name] = d
            except ValueError:
                bad[name] = d
    assert set(bad) <= KNOWN_BAD_DEFAULTS, bad
