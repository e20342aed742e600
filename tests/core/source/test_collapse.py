"""Point sources collapsed on a grid (ps_grid_spacing): cells, averages, contexts."""
import types

import numpy as np
import pytest

from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.site import SiteCollection
from oqcore.hazard.source import collapse
from oqcore.hazard.source.mfd import ArbitraryMFD
from oqcore.hazard.source.ruptures import source_contexts
from oqcore.hazard.source.scaling import msr_from_text
from oqcore.hazard.source.typology import NodalPlane, PointSource


def point(i, lon, lat, rate=0.01, planes=((1.0, (0, 90, 0)),), deps=((1.0, 10.0),)):
    return PointSource(
        source_id="a:%d" % i, name="a", trt="ASC", mfd=ArbitraryMFD([6.0, 7.0],
                                                                     [rate, rate / 10]),
        lon=lon, lat=lat, upper_seismogenic_depth=0.0, lower_seismogenic_depth=20.0,
        msr=msr_from_text("WC1994"), rupture_aspect_ratio=1.5,
        nodal_planes=[(w, NodalPlane(*p)) for w, p in planes], hypo_depths=list(deps))


def test_grid_cells_are_half_open_from_the_south_west():
    lons = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    lats = np.array([0.0, 0.0, 0.0, 0.0, 0.1])
    # 0.5 degree cells (about 55.6 km): [0, 0.5) and [0.5, 1.0] from lon 0
    cells = collapse.grid_cells(lons, lats, 0.5 / collapse.KM_TO_DEGREES)
    assert [list(c) for c in cells] == [[0, 1], [2, 3, 4]]
    assert collapse.grid_cells(lons, np.zeros(5), 10.0) == []  # a single latitude


def test_collapsed_source_averages():
    a = point(0, 0.0, 0.0, rate=0.03, planes=((0.5, (0, 90, 0)), (0.5, (90, 60, 90))))
    b = point(1, 0.2, 0.1, rate=0.01, deps=((0.5, 5.0), (0.5, 15.0)))
    cps = collapse.collapse([a, b], "cps-0001", 50.0)
    [(w, plane)] = cps.nodal_planes
    # planes averaged with their own weights: (0.5 x 0 + 0.5 x 90 + 1 x 0) / 2 ...
    assert (plane.strike, plane.dip, plane.rake) == pytest.approx((22.5, 82.5, 22.5))
    assert cps.hypo_depths == [(1.0, pytest.approx(10.0))]
    # location weighted by the total rates (0.033 and 0.011)
    assert (cps.lon, cps.lat) == pytest.approx((0.05, 0.025))
    assert cps.mfd.get_annual_occurrence_rates() == [(6.0, pytest.approx(0.04)),
                                                      (7.0, pytest.approx(0.004))]


def _cmaker(lon, lat, psdist=40.0, nsites=1):
    oq = types.SimpleNamespace(
        maximum_distance={"default": 300.0}, imtls={"PGA": [0.1]}, truncation_level=3.0,
        minimum_distance=0.0, pointsource_distance={"default": psdist},
        max_sites_disagg=10, min_mag=lambda trt: 0.0, max_distance=lambda trt: 300.0)
    sitecol = SiteCollection.from_points(np.full(nsites, lon), np.full(nsites, lat),
                                         np.zeros(nsites), {"vs30": np.full(nsites, 760.)},
                                         sort=False)
    return ContextMaker("ASC", [], oq, sitecol)


@pytest.mark.parametrize("site_lon, exact", [(0.3, True), (2.5, False)])
def test_collapsed_contexts_near_exact_far_averaged(site_lon, exact):
    a = point(0, 0.0, 0.0, planes=((0.5, (0, 90, 0)), (0.5, (90, 60, 90))))
    b = point(1, 0.2, 0.1)
    cps = collapse.collapse([a, b], "cps-0001", 50.0)
    cm = _cmaker(site_lon, 0.05)
    ctx = np.concatenate(list(source_contexts(cps, cm)))
    total = ctx["occurrence_rate"].sum()
    assert total == pytest.approx(0.022)  # all the rates, however they are split
    if exact:  # three planes per magnitude, the rate shared equally by the sources
        assert len(ctx) == 6
        np.testing.assert_allclose(sorted(ctx["occurrence_rate"][ctx["mag"] == 6.0]),
                                   [0.005, 0.005, 0.01])
    else:  # one averaged rupture per magnitude
        assert len(ctx) == 2
        np.testing.assert_allclose(ctx["strike"], 22.5)


def test_grid_point_sources_keeps_lone_points_and_other_sources():
    pts = [point(0, 0.0, 0.0), point(1, 0.01, 0.01), point(2, 3.0, 3.0)]
    other = object()
    out = collapse.grid_point_sources([other] + pts, 50.0)
    assert out[0] is other
    kinds = sorted(type(s).__name__ for s in out[1:])
    assert kinds == ["CollapsedPointSource", "PointSource"]
    assert collapse.grid_point_sources(pts, 0.0) == pts


def test_gridded_jobs_default_to_a_40_km_point_source_distance(tmp_path):
    import oqcore
    from oqcore.params import read_job_ini
    reg = oqcore.load_registry()
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = classical\nps_grid_spacing = 50\n")
    assert read_job_ini(str(ini), reg).pointsource_distance == {"default": 40.0}
    ini.write_text("[general]\ncalculation_mode = classical\nps_grid_spacing = 50\n"
                   "pointsource_distance = 70\n")
    assert read_job_ini(str(ini), reg).pointsource_distance == {"default": 70.0}


def test_equivalent_distance_sources_become_point_like():
    from oqcore.hazard.source.scaling import PointMSR
    a = point(0, 0.0, 0.0, planes=((0.25, (0, 90, 0)), (0.75, (40, 50, 90))),
              deps=((0.5, 5.0), (0.5, 15.0)))
    b = point(1, 1.0, 0.0)
    b.source_id = "keep"
    oq = types.SimpleNamespace(inputs={"reqv": {"ASC": "lookup.hdf5"}},
                               reqv_ignore_sources=["keep"])
    new_a, new_b = collapse.equivalent_distance_sources([a, b], "ASC", oq)
    [(w, plane)] = new_a.nodal_planes
    assert (w, plane.strike, plane.dip, plane.rake) == (1.0, 30.0, 60.0, 67.5)
    assert new_a.hypo_depths == [(1.0, 10.0)] and isinstance(new_a.msr, PointMSR)
    assert new_b is b and len(a.nodal_planes) == 2  # ignored, and no side effect
    assert collapse.equivalent_distance_sources([a], "SSC", oq) == [a]
