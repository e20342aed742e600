"""Site inputs: headerless sites CSV, site-model association limits, missing site
parameters filled from reference_*, text columns, NRML without namespace, PointMSR,
cluster source groups refused."""
import os
import textwrap

import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.site import build_site_collection
from oqcore.hazard.source.model import SourceConverter, read_source_model
from oqcore.hazard.source.scaling import msr_from_text
from oqcore.nrml import parse_string
from oqcore.params import read_job_ini


@pytest.fixture(scope="module")
def registry():
    return oqcore.load_registry()


def job(tmp_path, registry, body, files=()):
    for name, text in files:
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip())
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = classical\n" + textwrap.dedent(body))
    return read_job_ini(str(ini), registry)


def test_headerless_sites_csv(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites_csv = sites.csv
        reference_vs30_value = 600
        reference_vs30_type = measured
        """, [("sites.csv", "10.5,45.1\n10.1,45.0\n")])
    sc = build_site_collection(oq, ["vs30"])
    assert list(sc.lons) == [10.1, 10.5]  # sorted by lon
    assert (sc["vs30"] == 600).all() and sc["vs30measured"].all()


def test_sites_csv_with_parameter_columns(tmp_path, registry):
    # as OpenQuake: reference values win for vs30/z1pt0/z2pt5, other columns are read
    oq = job(tmp_path, registry, """
        sites_csv = sites.csv
        reference_vs30_value = 800
        reference_vs30_type = measured
        reference_depth_to_1pt0km_per_sec = 100
        reference_depth_to_2pt5km_per_sec = 5
        """, [("sites.csv", "lon,lat,vs30,z1pt0,xvf\n1,0.1,300,30,150\n2,0.1,300,30,20\n")])
    sc = build_site_collection(oq, ["vs30", "z1pt0", "z2pt5", "xvf"])
    np.testing.assert_array_equal(sc["xvf"], [150, 20])
    assert (sc["vs30"] == 800).all() and (sc["z1pt0"] == 100).all()
    assert (sc["z2pt5"] == 5).all() and sc["vs30measured"].all()


def test_sites_csv_columns_without_reference_values(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites_csv = sites.csv
        """, [("sites.csv", "lon,lat,vs30\n1,0.1,300\n")])
    sc = build_site_collection(oq, ["vs30"])
    assert (sc["vs30"] == 300).all()
    with pytest.raises(InvalidInput, match="xvf"):
        build_site_collection(oq, ["vs30", "xvf"])


def test_site_model_missing_vs30_taken_from_reference(tmp_path, registry):
    oq = job(tmp_path, registry, """
        site_model_file = sm.csv
        reference_vs30_value = 760
        """, [("sm.csv", "lon,lat,z1pt0,geology\n1.0,2.0,40,QUAT\n1.5,2.0,50,TERT\n")])
    sc = build_site_collection(oq, ["vs30", "z1pt0"])
    assert (sc["vs30"] == 760).all()
    np.testing.assert_array_equal(sc["z1pt0"], [40, 50])
    assert sc["geology"].dtype.kind == "S"  # text columns stored as bytes (HDF5)


def test_site_too_far_from_site_model(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites = 1.0 2.0, 1.5 2.0
        site_model_file = sm.csv
        """, [("sm.csv", "lon,lat,vs30\n1.0,2.0,400\n")])
    with pytest.raises(InvalidInput, match="nothing closer than 8.0 km to site"):
        build_site_collection(oq, ["vs30"])


def test_nrml_without_namespace_and_point_msr():
    node = parse_string("<nrml><logicTree logicTreeID='x'/></nrml>")
    assert node.tag == "logicTree"
    assert msr_from_text("PointMSR").get_median_area(7.0, 0) == 1e-4


def test_a_cluster_group_needs_its_occurrence(tmp_path):
    path = os.path.join(tmp_path, "sm.xml")
    with open(path, "w") as f:
        f.write('<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><sourceModel name="m">'
                '\n<sourceGroup tectonicRegion="X" cluster="true"></sourceGroup>'
                '</sourceModel></nrml>')
    with pytest.raises(InvalidInput, match="a cluster group needs") as info:
        read_source_model(path, SourceConverter())
    assert info.value.lineno == 2


@pytest.mark.parametrize("column, value, ok", [
    ("z1pt0", "-999", True), ("z1pt0", "-100", False), ("z2pt5", "-0.5", False),
    ("vs30", "-999", False), ("vs30", "300", True)])
def test_site_model_negative_values(tmp_path, registry, column, value, ok):
    # as OpenQuake: depths may be the -999 sentinel, never other negative values
    row = {"vs30": "400", "z1pt0": "30", "z2pt5": "1"}
    row[column] = value
    oq = job(tmp_path, registry, """
        site_model_file = sm.csv
        """, [("sm.csv", "lon,lat,vs30,z1pt0,z2pt5\n1.0,2.0,%(vs30)s,%(z1pt0)s,%(z2pt5)s\n"
               % row)])
    if ok:
        build_site_collection(oq, ["vs30", "z1pt0", "z2pt5"])
    else:
        with pytest.raises(InvalidInput, match="%s = .* at site 1 .* negative" % column):
            build_site_collection(oq, ["vs30", "z1pt0", "z2pt5"])
