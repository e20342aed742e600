"""The hazard sites of a job, as OpenQuake takes them: which input defines the sites
(sites > sites_csv > region_grid_spacing > site_model_file > exposure_file), several
site-model files, and a hazard job with an exposure (only the sites having assets
within the asset-hazard distance are kept)."""
import textwrap

import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.geo import geodetic
from oqcore.hazard.site import build_site_collection, hazard_distance
from oqcore.params import read_job_ini

EXPOSURE = """<?xml version="1.0"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
<exposureModel id="ex" category="buildings">
  <description>test</description>
  <conversions><costTypes>
    <costType name="structural" type="aggregated" unit="EUR"/>
  </costTypes></conversions>
  <tagNames></tagNames>
  <assets>assets.csv</assets>
</exposureModel></nrml>
"""

#: two site-model files: 3 + 2 points along the equator, 0.5 degrees (~55 km) apart
SM_A = "lon,lat,vs30,z1pt0\n0.0,0.0,300,10\n0.5,0.0,400,20\n1.0,0.0,500,30\n"
SM_B = "lon,lat,vs30,z1pt0\n1.5,0.0,600,40\n2.0,0.0,700,50\n"


@pytest.fixture(scope="module")
def registry():
    return oqcore.load_registry()


def job(tmp_path, registry, body, files=(), mode="classical"):
    for name, text in files:
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip())
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = %s\n" % mode + textwrap.dedent(body))
    return read_job_ini(str(ini), registry)


def assets_csv(*locations):
    rows = ["id,lon,lat,taxonomy,number,structural"]
    rows += ["a%d,%s,%s,RC,1,100" % (i, lon, lat) for i, (lon, lat) in enumerate(locations)]
    return "\n".join(rows) + "\n"


def exposure_files(*locations):
    return [("exposure.xml", EXPOSURE), ("assets.csv", assets_csv(*locations))]


def test_several_site_model_files_are_concatenated(tmp_path, registry):
    oq = job(tmp_path, registry, "site_model_file = a.csv b.csv\n",
             [("a.csv", SM_A), ("b.csv", SM_B)])
    sc = build_site_collection(oq, ["vs30", "z1pt0"])
    np.testing.assert_array_equal(sc.lons, [0, 0.5, 1, 1.5, 2])
    np.testing.assert_array_equal(sc["vs30"], [300, 400, 500, 600, 700])


def test_site_model_files_with_different_columns(tmp_path, registry):
    oq = job(tmp_path, registry, "site_model_file = a.csv b.csv\n",
             [("a.csv", SM_A), ("b.csv", "lon,lat,vs30\n1.5,0.0,600\n")])
    with pytest.raises(InvalidInput) as err:
        build_site_collection(oq, ["vs30"])
    assert "b.csv" in str(err.value) and "z1pt0" in str(err.value)


def test_exposure_with_site_model_keeps_the_points_with_assets(tmp_path, registry):
    # the sites are the site-model points of both files that have an asset within
    # asset_hazard_distance; their parameters are those points' own
    files = [("a.csv", SM_A), ("b.csv", SM_B)] + exposure_files(
        (0.51, 0.01), (1.98, 0.0), (1.97, 0.02), (0.25, 0.0))
    body = """
        exposure_file = exposure.xml
        site_model_file = a.csv b.csv
        asset_hazard_distance = 20
        discard_assets = true
        """
    oq = job(tmp_path, registry, body, files)
    sc = build_site_collection(oq, ["vs30", "z1pt0"])
    np.testing.assert_array_equal(sc.lons, [0.5, 2.0])
    np.testing.assert_array_equal(sc["vs30"], [400, 700])
    np.testing.assert_array_equal(sc["z1pt0"], [20, 50])
    np.testing.assert_array_equal(sc.sids, [0, 1])


def test_assets_too_far_need_discard_assets(tmp_path, registry):
    # the asset at lon 0.24 is ~27 km from the closest site-model point
    files = [("a.csv", SM_A)] + exposure_files((0.5, 0.0), (0.24, 0.0))
    oq = job(tmp_path, registry, """
        exposure_file = exposure.xml
        site_model_file = a.csv
        asset_hazard_distance = 20
        """, files)
    with pytest.raises(InvalidInput) as err:
        build_site_collection(oq, ["vs30"])
    assert err.value.param == "asset_hazard_distance"
    assert "a1" in str(err.value) and "discard_assets" in str(err.value)
    oq.asset_hazard_distance = {"default": 30.0}  # now close enough
    np.testing.assert_array_equal(build_site_collection(oq, ["vs30"]).lons, [0.0, 0.5])


def test_no_asset_close_to_any_site(tmp_path, registry):
    files = [("a.csv", SM_A)] + exposure_files((5.0, 5.0))
    oq = job(tmp_path, registry, """
        exposure_file = exposure.xml
        site_model_file = a.csv
        discard_assets = true
        """, files)
    with pytest.raises(InvalidInput, match="no asset is within"):
        build_site_collection(oq, ["vs30"])


def test_sites_win_over_site_model_and_exposure(tmp_path, registry):
    # explicit sites: the site model only gives the parameters (closest point), the
    # exposure drops the sites without assets
    files = [("a.csv", SM_A)] + exposure_files((1.0, 0.01))
    oq = job(tmp_path, registry, """
        sites = 0.01 0.0, 1.01 0.0
        exposure_file = exposure.xml
        site_model_file = a.csv
        """, files)
    sc = build_site_collection(oq, ["vs30"])
    np.testing.assert_array_equal(sc.lons, [1.01])
    np.testing.assert_array_equal(sc["vs30"], [500])


def test_exposure_alone_gives_the_asset_locations(tmp_path, registry):
    files = exposure_files((1.0, 0.0), (0.5, 0.0), (1.0, 0.0))
    oq = job(tmp_path, registry, """
        exposure_file = exposure.xml
        reference_vs30_value = 760
        """, files)
    sc = build_site_collection(oq, ["vs30"])
    np.testing.assert_array_equal(sc.lons, [0.5, 1.0])
    assert (sc["vs30"] == 760).all()


def test_grid_over_the_exposure(tmp_path, registry):
    # region_grid_spacing without region: a grid over the exposure's convex hull;
    # only the grid points having assets (within spacing x 1.414 km) remain
    locs = [(0.0, 0.0), (0.3, 0.0), (0.3, 0.3), (0.0, 0.3)]
    oq = job(tmp_path, registry, """
        exposure_file = exposure.xml
        region_grid_spacing = 10
        reference_vs30_value = 760
        """, exposure_files(*locs))
    assert hazard_distance(oq) == pytest.approx(14.14)
    sc = build_site_collection(oq, ["vs30"])
    assert 1 <= len(sc) <= 4
    for lon, lat in locs:  # every asset has a site close enough
        d = geodetic.geodetic_distance(lon, lat, sc.lons, sc.lats)
        assert d.min() <= 14.14


def test_grid_over_the_site_model(tmp_path, registry):
    oq = job(tmp_path, registry, "site_model_file = a.csv\nregion_grid_spacing = 20\n",
             [("a.csv", "lon,lat,vs30\n0,0,300\n0.5,0,400\n0.5,0.5,500\n0,0.5,600\n")])
    sc = build_site_collection(oq, ["vs30"])
    assert len(sc) > 4  # grid points, parameters from the closest site-model point
    assert set(sc["vs30"]) <= {300, 400, 500, 600}
    assert sc.lons.min() < 0 and sc.lons.max() > 0.5  # the hull dilated by the spacing


def test_grid_spacing_without_an_area(tmp_path, registry):
    oq = job(tmp_path, registry, "region_grid_spacing = 20\nreference_vs30_value = 760\n")
    with pytest.raises(InvalidInput) as err:
        build_site_collection(oq, ["vs30"])
    assert err.value.param == "region_grid_spacing"


def test_implicit_grid_over_the_exposure_as_openquake(registry):
    """OpenQuake's event_based/case_23: region_grid_spacing with an exposure and a site
    model, no region: the same 93 grid sites with assets, parameters and order."""
    import csv
    import os
    case = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "exposure_grid")
    oq = read_job_ini(os.path.join(case, "job.ini"), registry)
    sc = build_site_collection(oq, ["vs30", "z1pt0"], site_model_order=True)
    with open(os.path.join(case, "expected", "sitecol.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f)]
    assert len(sc) == len(rows) == 93
    for name in ("lon", "lat", "vs30", "z1pt0"):
        np.testing.assert_allclose(sc[name], [float(r[name]) for r in rows], atol=2e-5)


def test_duplicate_sites_in_a_site_model(tmp_path, registry):
    oq = job(tmp_path, registry, "site_model_file = a.csv\n",
             [("a.csv", "lon,lat,vs30\n1,2,300\n3,4,400\n1,2,500\n")])
    with pytest.raises(InvalidInput) as err:
        build_site_collection(oq, ["vs30"])
    assert "a.csv" in str(err.value) and "site 3 (1.0 2.0) repeats site 1" in str(err.value)
