"""Kite surfaces (meshes and parameters against OpenQuake 3.26.2,
tests/data/source/kite_meshes.json) and the probability algebra of source groups
(oqcore.hazard.source.groups)."""
import json
import os

import numpy as np
import pytest
from scipy import stats

from oqcore.errors import InvalidInput
from oqcore.hazard.source import groups
from oqcore.hazard.source.kite import KiteSurface
from oqcore.hazard.source.kite_mesh import kite_grid
from oqcore.hazard.source.model import SourceConverter, read_source_model

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "source")
with open(os.path.join(DATA, "kite_meshes.json")) as f:
    KITES = json.load(f)
# profiles of different lengths: grids with missing nodes (make_kite_reference.py)
with open(os.path.join(DATA, "kite_meshes_holes.json")) as f:
    HOLED = json.load(f)


@pytest.mark.parametrize("case", KITES, ids=lambda c: "%d-profiles" % len(c["profiles"]))
def test_kite_mesh_matches_reference(case):
    profiles = [np.array(p) for p in case["profiles"]]
    grid = kite_grid(profiles, case["spacing"], case["spacing"])
    lons, lats, deps = grid[..., 0], grid[..., 1], grid[..., 2]
    np.testing.assert_allclose(lons, case["lons"], atol=1e-9)
    np.testing.assert_allclose(lats, case["lats"], atol=1e-9)
    np.testing.assert_allclose(deps, case["depths"], atol=1e-9)


@pytest.mark.parametrize("case", KITES, ids=lambda c: "%d-profiles" % len(c["profiles"]))
def test_kite_parameters_match_reference(case):
    surf = KiteSurface.from_profiles([np.array(p) for p in case["profiles"]],
                                     case["spacing"], case["spacing"])
    assert surf.get_width() == pytest.approx(case["width"], rel=1e-6)
    assert surf.get_dip() == pytest.approx(case["dip"], rel=1e-6)
    assert surf.get_strike() == pytest.approx(case["strike"], rel=1e-9)
    assert surf.get_top_edge_depth() == pytest.approx(case["ztor"], abs=1e-9)
    np.testing.assert_allclose(surf.get_middle_point(), case["middle"], atol=1e-9)
    sites = np.array(case["sites"])
    np.testing.assert_allclose(surf.rjb(sites[:, 0], sites[:, 1]), case["rjb"],
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", HOLED, ids=lambda c: "%d-profiles-%dx%d" % (
    len(c["profiles"]), len(c["lons"]), len(c["lons"][0])))
def test_kite_grid_with_missing_nodes_matches_reference(case):
    from oqcore.hazard.source.fault_ruptures import Sites
    from oqcore.hazard.source.kite import kite_distances
    profiles = [np.array(p) for p in case["profiles"]]
    grid = kite_grid(profiles, case["spacing"], case["spacing"])
    want = np.stack([case["lons"], case["lats"], case["depths"]], axis=-1)
    np.testing.assert_array_equal(np.isnan(grid), np.isnan(want))
    np.testing.assert_allclose(grid, want, atol=1e-9)
    surf = KiteSurface.from_profiles(profiles, case["spacing"], case["spacing"])
    assert np.isfinite(surf.mesh.lons).all()  # the kernels' copy has no holes
    assert surf.get_width() == pytest.approx(case["width"], rel=1e-4)
    assert surf.get_dip() == pytest.approx(case["dip"], rel=1e-4)
    assert surf.get_strike() == pytest.approx(case["strike"], rel=1e-9)
    assert surf.get_top_edge_depth() == pytest.approx(case["ztor"], abs=1e-9)
    assert surf.get_area() == pytest.approx(case["area"], rel=1e-4)
    np.testing.assert_allclose(surf.get_middle_point(), case["middle"], atol=1e-9)
    sites = np.array(case["sites"])
    d = kite_distances([surf], Sites(sites[:, 0], sites[:, 1], sites[:, 2]))[:, 0]
    for i, name in enumerate(["rrup", "rjb", "rx", "ry0"]):
        np.testing.assert_allclose(d[i], case[name], rtol=1e-5, atol=1e-5, err_msg=name)


def test_kite_grid_stops_where_no_two_profiles_go_deeper():
    # the middle profile reaches 8 km, the outer ones 15 km: below 8 km no edge joins
    # two neighbouring profiles, so the grid ends there; with the short profile at
    # the end, the deep edges only join the first two and leave missing nodes
    profiles = [np.array([[0, 0, 0], [0, 0.1, 15]]), np.array([[0.1, 0, 0], [0.1, 0.05, 8]]),
                np.array([[0.2, 0, 0], [0.2, 0.1, 15]])]
    grid = kite_grid(profiles, 2.0, 2.0)
    assert np.isfinite(grid).all() and grid[..., 2].max() < 8.5
    grid = kite_grid([profiles[0], profiles[2], profiles[1]], 2.0, 2.0)
    assert np.isnan(grid[-1]).any() and np.isfinite(grid[0]).all()
    assert grid[..., 2][np.isfinite(grid[..., 2])].max() > 12
    surf = KiteSurface.from_profiles([profiles[0], profiles[2], profiles[1]], 2.0, 2.0)
    assert np.isfinite([surf.get_width(), surf.get_dip(), surf.get_strike(),
                        surf.get_area()]).all()


def test_kite_grid_needs_two_profiles():
    with pytest.raises(ValueError, match="at least two profiles"):
        kite_grid([np.array([[0, 0, 0], [0.03, 0, 10]])], 2.5, 2.5)


def test_rupture_pnes_poisson_and_probabilities():
    poes = np.array([[[0.0, 0.3, 1.0]]])  # (G=1, K=1, L=3)
    pois = groups.rupture_pnes(poes, np.array([0.2]), None, 2.0)
    np.testing.assert_allclose(pois, np.exp(-0.2 * 2.0 * poes))
    probs = np.array([[0.7, 0.2, 0.1]])
    got = groups.rupture_pnes(poes, None, probs, 2.0)
    want = sum(p * (1 - poes) ** k for k, p in enumerate(probs[0]))
    np.testing.assert_allclose(got, want)


def test_equivalent_rates_add_like_independent_pnes():
    pnes = np.array([[[0.9, 0.5]], [[0.8, 0.25]]])
    rates = groups.pnes_to_rates(pnes, 50.0)
    total = rates.sum(axis=0)
    np.testing.assert_allclose(np.exp(-50.0 * total), pnes.prod(axis=0))
    assert np.isinf(groups.pnes_to_rates(np.zeros((1, 1, 1)), 1.0)).all()


def test_site_product_multiplies_per_site():
    pnes = np.array([[[0.5], [0.4], [0.9]]])  # three rows
    out = groups._site_product(pnes, np.array([0, 2, 0]), 3)
    np.testing.assert_allclose(out[0, :, 0], [0.45, 1.0, 0.4])


def test_cluster_and_negative_binomial_probabilities():
    p = groups.cluster_occurrence_probs(0.5, 2.0)
    np.testing.assert_allclose(p, stats.poisson.pmf(np.arange(len(p)), 1.0))
    pmf = groups.negative_binomial_pmf(np.array([0.1, 0.3]), 10.0, 0.5)
    tau = 2.0
    np.testing.assert_allclose(pmf[1], stats.nbinom.pmf(np.arange(10), tau,
                                                        tau / (tau + 3.0)))


GROUP = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="m" investigation_time="1.0">
<sourceGroup name="g" tectonicRegion="ASC" %s>
<nonParametricSeismicSource id="a:1" name="a">
 <simpleFaultRupture probs_occur="%s">
  <magnitude>6.5</magnitude><rake>90</rake><hypocenter depth="7" lon="0.1" lat="0"/>
  <simpleFaultGeometry><gml:LineString><gml:posList>0 0 0.2 0</gml:posList></gml:LineString>
   <dip>60</dip><upperSeismoDepth>0</upperSeismoDepth><lowerSeismoDepth>14</lowerSeismoDepth>
  </simpleFaultGeometry>
 </simpleFaultRupture>
</nonParametricSeismicSource>
</sourceGroup></sourceModel></nrml>
"""


@pytest.mark.parametrize("attrs, probs, message", [
    ('src_interdep="mutex"', "0.9 0.1", "needs srcs_weights"),
    ('src_interdep="mutex" srcs_weights="0.5 0.5"', "0.9 0.1", "2 srcs_weights for 1"),
    ('src_interdep="maybe"', "0.9 0.1", "src_interdep"),
    ('cluster="true"', "0.9 0.1", "occurrence_rate"),
    ('tom="NegativeBinomialTOM" mu="0.1"', "0.9 0.1", "mu and alpha"),
    ('', "0.9 0.2", "sum to 1"),
])
def test_group_errors_name_the_line(tmp_path, attrs, probs, message):
    fname = tmp_path / "sm.xml"
    fname.write_text(GROUP % (attrs, probs))
    with pytest.raises(InvalidInput, match=message) as info:
        read_source_model(str(fname), SourceConverter())
    assert "sm.xml" in str(info.value)


def test_group_attributes_reach_the_sources(tmp_path):
    fname = tmp_path / "sm.xml"
    fname.write_text(GROUP % ('src_interdep="mutex" srcs_weights="1.0" '
                              'grp_probability="0.5"', "0.7 0.2 0.1"))
    [src] = read_source_model(str(fname), SourceConverter())
    assert src.group.src_interdep == "mutex" and src.group.srcs_weights == [1.0]
    assert src.group.grp_probability == 0.5 and src.group.special
    assert src.probs_occur.shape == (1, 3)
    # the occurrence MFD: magnitude with its mean number of occurrences
    assert src.mfd.get_annual_occurrence_rates() == [(6.5, pytest.approx(0.4))]


ASPECT = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.4" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="m">
<pointSource id="p" name="p" tectonicRegion="ASC">
 <pointGeometry><gml:Point><gml:pos>0 0</gml:pos></gml:Point>
  <upperSeismoDepth>0</upperSeismoDepth><lowerSeismoDepth>15</lowerSeismoDepth></pointGeometry>
 <magScaleRel>WC1994</magScaleRel>%s
 <truncGutenbergRichterMFD aValue="3" bValue="1" minMag="5" maxMag="7"/>
 <nodalPlaneDist><nodalPlane strike="0" dip="90" rake="0" probability="1"/></nodalPlaneDist>
 <hypoDepthDist><hypoDepth depth="7" probability="1"/></hypoDepthDist>
</pointSource></sourceModel></nrml>
"""
FUNCTION = """<aspectRatioFunction><type>linear_piecewise</type><mag_points>
 <mag_point mag="%s" aratio="1.0"/><mag_point mag="%s" aratio="2.0"/></mag_points>
</aspectRatioFunction>"""


def test_magnitude_dependent_aspect_ratio(tmp_path):
    from oqcore.hazard.source.typology import aspect_ratio_at
    fname = tmp_path / "sm.xml"
    fname.write_text(ASPECT % (FUNCTION % (4.0, 7.0)))
    [src] = read_source_model(str(fname), SourceConverter(0.1))
    ratio = src.rupture_aspect_ratio
    assert [aspect_ratio_at(ratio, m) for m in (3.0, 4.0, 5.5, 7.0, 8.0)] == \
        [1.0, 1.0, 1.5, 2.0, 2.0]
    assert aspect_ratio_at(1.7, 9.0) == 1.7


@pytest.mark.parametrize("body, message", [
    ("<ruptAspectRatio>1.5</ruptAspectRatio>" + FUNCTION % (4.0, 7.0), "both"),
    (FUNCTION % (7.0, 4.0), "increasing"),
    ("", "ruptAspectRatio"),
])
def test_aspect_ratio_errors(tmp_path, body, message):
    fname = tmp_path / "sm.xml"
    fname.write_text(ASPECT % body)
    with pytest.raises(InvalidInput, match=message):
        read_source_model(str(fname), SourceConverter(0.1))


MF_DIR = os.path.join(DATA, "..", "qa_classical", "derived_multi_fault", "input")


def _multi_fault(infer=False, geometry=True):
    from oqcore.hazard.source.model import read_geometry_file
    conv = SourceConverter(0.1, None, 2.5, None, infer)
    geo = read_geometry_file(os.path.join(MF_DIR, "ruptures_0_sections.xml"), conv)
    return read_source_model(os.path.join(MF_DIR, "ruptures_0.xml"), conv,
                             geo if geometry else None), geo


def test_multi_fault_sections_and_rates():
    [src], geo = _multi_fault(infer=True)
    assert geo.ids == ["1", "2", "3"]
    assert src.sections == [["1", "2", "3"], ["1"], ["2"], ["3"]]
    np.testing.assert_allclose(src.occur_rates, -np.log(src.probs_occur[:, 0]))
    [nonpar], _ = _multi_fault(infer=False)
    assert nonpar.occur_rates is None and nonpar.probs_occur.shape == (4, 2)


def test_multi_fault_needs_its_geometry_model():
    with pytest.raises(InvalidInput, match="needs a geometry model"):
        _multi_fault(geometry=False)


def test_multi_fault_unknown_section(tmp_path):
    from oqcore.hazard.source.multi_fault import attach_sections
    [src], geo = _multi_fault()
    src.sections = [["7"]]
    with pytest.raises(InvalidInput, match="unknown section '7'"):
        attach_sections(src, geo)


@pytest.mark.parametrize("min_mag, expected", [(6.0, 1), (7.0, 0)])
def test_nonparametric_ruptures_below_minimum_magnitude_are_dropped(tmp_path, min_mag,
                                                                    expected):
    import types
    from oqcore.hazard.contexts import ContextMaker
    from oqcore.hazard.site import SiteCollection
    from oqcore.hazard.source.nonparametric import nonparametric_contexts
    fname = tmp_path / "sm.xml"
    fname.write_text(GROUP % ("", "0.9 0.1"))  # one rupture of magnitude 6.5
    [src] = read_source_model(str(fname), SourceConverter())
    oq = types.SimpleNamespace(
        maximum_distance={"default": 200.0}, imtls={"PGA": [0.1]}, truncation_level=3.0,
        minimum_distance=0.0, pointsource_distance=None, max_sites_disagg=10,
        min_mag=lambda trt: min_mag, max_distance=lambda trt: 200.0)
    sitecol = SiteCollection.from_points(np.array([0.1]), np.array([0.05]), np.zeros(1),
                                         {"vs30": np.full(1, 760.0)}, sort=False)
    ctx, _ = nonparametric_contexts(src, ContextMaker(src.trt, [], oq, sitecol))
    assert len(ctx) == expected


def test_gridded_rupture_distances_as_a_gridded_surface():
    from oqcore.hazard.source.fault_ruptures import Sites
    from oqcore.hazard.source.nonparametric import GriddedRupture
    # a 0.2 x 0.2 degree square of points at 10 km depth
    lo, la = np.meshgrid(np.linspace(0, 0.2, 5), np.linspace(0, 0.2, 5))
    pts = np.column_stack([lo.ravel(), la.ravel(), np.full(25, 10.0)])
    rup = GriddedRupture(7.0, 90.0, "ASC", (0.1, 0.1, 10.0), pts)
    sites = Sites(np.array([0.11, 2.0]), np.array([0.13, 0.1]), np.zeros(2))
    rrup, rjb, rx, ry0 = rup.distances(sites)
    assert rjb[0] == 0.0  # inside the hull of the points, between two of them
    assert 10.0 < rrup[0] < 10.5
    # far away: straight-line (chord) distances, a little shorter than along the arc
    arc = 1.8 * 111.195
    assert arc - 0.1 < rjb[1] < arc
    assert np.isnan(rx).all() and np.isnan(ry0).all()


def test_gc2_of_kite_sections_on_one_meridian():
    # classical case_75, sections 2 and 3 (top edges along lon 0, dipping opposite
    # ways): OpenQuake's rx, ry0 for the site (0.02, 0.15); the origin of the GC2
    # system is a tie between ends on the meridian, which round-off must not decide
    from oqcore.hazard.geo import gc2
    sec2 = KiteSurface.from_profiles([np.array([[0.0, 0.2, 0.0], [-0.03, 0.2, 10.0]]),
                                      np.array([[0.0, 0.1, 0.0], [-0.03, 0.1, 10.0]])],
                                     2.5, 2.5)
    sec3 = KiteSurface.from_profiles([np.array([[0.0, 0.2, 0.0], [0.03, 0.2, 10.0]]),
                                      np.array([[0.0, 0.3, 0.0], [0.03, 0.3, 10.0]])],
                                     2.5, 2.5)
    rx, ry0 = gc2.multi_surface_rx_ry0([sec2, sec3], np.array([0.02]), np.array([0.15]))
    np.testing.assert_allclose([rx[0], ry0[0]], [2.2238908, 5.5597444], rtol=1e-5)
