"""AELO request checks, mosaic lookup and job building."""
import configparser
import csv
import itertools
import os

import pytest

from oqcore.aelo import job, mosaic
from oqcore.aelo.site_inputs import AELO_SITE_CLASSES, check_site_inputs
from oqcore.errors import InvalidInput

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "aelo")
TEST_MOSAIC = os.path.join(DATA, "mosaic")
OK = {"lon": "-90", "lat": "16.6", "vs30": "760", "site_name": "CCA test site"}


def fields(form):
    return [f for f, _, _ in check_site_inputs(form)[1]]


def test_lookup_examples():
    """The demo boundaries give the reference code at all 215 example points."""
    with open(os.path.join(DATA, "lookup_examples.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 215
    for row in rows:
        try:
            code = mosaic.find_model(float(row["lon"]), float(row["lat"]),
                                     mosaic.DEMO_MOSAIC)
        except InvalidInput as exc:
            assert "is not covered by any model!" in str(exc)
            code = "???"
        assert code == row["geojson_code_usa_excluded"], row


def test_lookup_rules():
    # overlap: the alphabetically last code wins; USA is excluded; edges are outside
    assert mosaic.find_model(-86, 19, TEST_MOSAIC) == "ZZZ"
    assert mosaic.find_model(-90, 16.6, TEST_MOSAIC) == "TST"
    assert mosaic.find_model(-100, 40, TEST_MOSAIC, exclude=()) == "USA"
    with pytest.raises(InvalidInput, match="lon=-100.0 lat=40.0 is not covered"):
        mosaic.find_model(-100, 40, TEST_MOSAIC)
    with pytest.raises(InvalidInput, match="not covered"):
        mosaic.find_model(-95, 15, TEST_MOSAIC)       # on the edge
    with pytest.raises(InvalidInput) as info:          # no model folder
        mosaic.model_ini(TEST_MOSAIC, "NOF")
    assert str(info.value) == "File not found: NOF/in/job_vs30.ini"
    assert TEST_MOSAIC not in str(info.value)
    assert mosaic.aelo_version(mosaic.DEMO_MOSAIC) == "2.1.0"


def test_invalid_fields_all_listed():
    assert fields({}) == ["lon", "lat", "site_name", "vs30"]
    assert fields(dict(OK, lon="200", lat="-95")) == ["lon", "lat"]
    values, probs = check_site_inputs(dict(OK, lon="200", lat="-95"))
    assert [r for _, _, r in probs] == ["longitude 200.0 > 180", "latitude -95.0 < -90"]
    assert fields(dict(OK, vs30="-760")) == ["vs30"]
    assert fields(dict(OK, vs30="100")) == ["vs30"]
    assert fields(dict(OK, vs30="5000")) == ["vs30"]
    assert fields(dict(OK, vs30="760 nan")) == ["vs30"]
    assert fields(dict(OK, lon="inf")) == ["lon"]
    assert fields(dict(OK, site_name="<script>")) == ["site_name"]
    assert fields(dict(OK, asce_version="ASCE7-10")) == ["asce_version"]
    assert fields(dict(OK, site_class="Z")) == ["site_class"]
    assert fields(dict(OK, site_class="DE")) == ["site_class"]        # not in 7-16
    assert fields(dict(OK, site_class="D")) == ["vs30"]               # 760 is not D
    assert fields(dict(OK, site_class="custom", vs30="300 300")) == ["vs30"]


def test_valid_inputs():
    values, probs = check_site_inputs({"lon": "10", "lat": "45", "siteid": "SITE_1",
                                       "site_class": "default"})
    assert probs == []
    assert values["site_name"] == "SITE_1" and values["vs30"] == [260.0, 365.0, 530.0]
    values, probs = check_site_inputs(dict(OK, vs30="300, 400"))
    assert probs == [] and values["site_class"] == "custom"


def test_no_combination_raises():
    """Every version x class x vs30 combination gives values or problems."""
    versions = ["", "ASCE7-16", "ASCE7-22", "bad"]
    classes = ["", "custom", "default", "Z"] + sorted(AELO_SITE_CLASSES["ASCE7-22"])
    vs30s = ["", "760", "260 365 530", "abc", "1e9", "150,"]
    for v, c, s in itertools.product(versions, classes, vs30s):
        values, probs = check_site_inputs(dict(OK, asce_version=v, site_class=c, vs30=s))
        assert probs or (values["vs30"] and values["site_class"])


def test_write_job(tmp_path):
    values, _ = check_site_inputs(dict(OK, site_class="BC"))
    ini, code = job.write_job(values, TEST_MOSAIC, str(tmp_path))
    assert code == "TST"
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(ini)
    general = dict(cp["general"])
    assert general["calculation_mode"] == "aelo"
    assert general["siteid"] == "iJ9WlUzw"
    assert general["sites"] == "-90.0 16.6"
    assert general["override_vs30"] == "760.0"
    assert general["poes"] == job.AELO_POES[1.0]
    assert all("postproc_func" not in cp[s] for s in cp.sections())
    assert os.path.exists(tmp_path / "ssmLT.xml")
    assert os.path.exists(tmp_path / "ssm" / "shallow" / "cca19_shallow_fault_m65.xml")
