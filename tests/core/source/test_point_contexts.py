"""Contexts of point-like sources: split (point-source collapse) or kept whole."""
import types

import numpy as np
import pytest

from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.site import SiteCollection
from oqcore.hazard.source.mfd import ArbitraryMFD, MultiMFD
from oqcore.hazard.source.ruptures import source_contexts
from oqcore.hazard.source.scaling import msr_from_text
from oqcore.hazard.source.typology import MultiPointSource, NodalPlane
from oqplugins.calculators.classical import split_sources

PLANES = [(0.25, NodalPlane(s, 90.0, 0.0)) for s in (0.0, 45.0, 90.0, 135.0)]


def multi_point(lons, lats):
    mfds = MultiMFD([ArbitraryMFD([6.5], [0.01]) for _ in lons])
    return MultiPointSource(
        source_id="mp", name="mp", trt="ASC", mfd=mfds, lons=np.array(lons),
        lats=np.array(lats), upper_seismogenic_depth=0.0, lower_seismogenic_depth=30.0,
        msr=msr_from_text("WC1994"), rupture_aspect_ratio=2.0, nodal_planes=PLANES,
        hypo_depths=[(1.0, 10.0)])


def cmaker(site_lons, site_lats, split: bool, maxdist=200.0):
    oq = types.SimpleNamespace(
        maximum_distance={"default": maxdist}, imtls={"PGA": [0.1]},
        truncation_level=3.0, minimum_distance=0.0,
        pointsource_distance={"default": 100.0}, max_sites_disagg=0,
        split_sources=split, min_mag=lambda trt: 0.0)
    n = len(site_lons)
    sitecol = SiteCollection.from_points(np.array(site_lons, float),
                                         np.array(site_lats, float), np.zeros(n),
                                         {"vs30": np.full(n, 760.0)}, sort=False)
    return ContextMaker("ASC", [], oq, sitecol)


def contexts(src, cm):
    return np.concatenate(list(source_contexts(src, cm)))


def test_split_multi_point_collapses_far_planes():
    src = multi_point([0.0, 0.5], [0.0, 0.0])
    ctx = contexts(src, cmaker([1.7], [0.0], split=True))
    # the far site (> 100 km + radius from both points) sees one averaged plane each
    assert len(ctx) == 2
    np.testing.assert_allclose(ctx["strike"], 67.5)
    np.testing.assert_allclose(ctx["occurrence_rate"], 0.01)


def test_whole_multi_point_keeps_every_plane():
    # split_sources = false: OpenQuake enumerates every rupture of the source, so
    # the far site sees the four nodal planes of both points
    src = multi_point([0.0, 0.5], [0.0, 0.0])
    ctx = contexts(src, cmaker([1.7], [0.0], split=False))
    assert len(ctx) == 8
    assert sorted(set(ctx["strike"])) == [0.0, 45.0, 90.0, 135.0]
    np.testing.assert_allclose(ctx["occurrence_rate"], 0.0025)


def test_whole_multi_point_integration_distance_per_plane():
    # a site near the integration distance: some planes of the point are within it,
    # others not; the averaged plane would decide for all of them at once
    src = multi_point([0.0], [0.0])
    lon = 201.0 / 111.195  # 201 km east of the point, on the equator
    ctx = contexts(src, cmaker([lon], [0.0], split=False))
    # the N-S plane (strike 0) ends 201 km away, the others reach closer
    assert sorted(ctx["strike"]) == [45.0, 90.0, 135.0]
    assert (ctx["rrup"] <= 200.0).all()


@pytest.mark.parametrize("split_points, expected", [(True, 3), (False, 1)])
def test_split_sources_job_parameter(split_points, expected):
    src = multi_point([0.0, 0.5, 1.0], [0.0, 0.0, 0.0])
    items = split_sources([src], ps_grid_spacing=10.0, split_points=split_points)
    assert len(items) == expected
    # the weight of the whole source is the sum over its points
    assert sum(w for _, w in items) == 12


def test_context_width_is_measured_on_the_fitted_plane():
    # a long vertical strike-slip plane squeezed into a 14 km thick layer: its corners
    # lie on great circles, so the plane through them is tilted by half the angle the
    # length subtends and its down-dip width is 14 cos(L / 2R), not 14 (OpenQuake)
    from oqcore.hazard.geo.geodetic import EARTH_RADIUS
    from oqcore.hazard.source.typology import PointSource
    src = PointSource(
        source_id="p", name="p", trt="ASC", mfd=ArbitraryMFD([7.25], [0.01]), lon=0.0,
        lat=45.0, upper_seismogenic_depth=1.0, lower_seismogenic_depth=15.0,
        msr=msr_from_text("WC1994"), rupture_aspect_ratio=2.0,
        nodal_planes=[(1.0, NodalPlane(90.0, 90.0, 0.0))], hypo_depths=[(1.0, 7.5)])
    ctx = contexts(src, cmaker([0.0], [45.0], split=True))
    length = src.msr.get_median_area(7.25, 0.0) / 14.0
    expected = 14.0 * np.cos(length / (2.0 * EARTH_RADIUS))
    assert ctx["width"][0] == pytest.approx(expected, rel=1e-9)
    assert 14.0 - ctx["width"][0] > 1e-4


def test_context_magnitudes_rounded_as_numpy_rounds():
    # 4.0035 is the centre of a 0.001-wide bin: Python's round gives 4.003, numpy's
    # (and OpenQuake's contexts) 4.004, for point ruptures and any other rupture
    from oqcore.hazard.rupture import planar_rupture, rupture_context
    from oqcore.hazard.source.typology import PointSource
    assert round(4.0035, 3) == 4.003
    src = PointSource(
        source_id="p", name="p", trt="ASC", mfd=ArbitraryMFD([4.0035], [0.01]), lon=0.0,
        lat=0.0, upper_seismogenic_depth=0.0, lower_seismogenic_depth=10.0,
        msr=msr_from_text("WC1994"), rupture_aspect_ratio=1.0,
        nodal_planes=[(1.0, NodalPlane(0.0, 90.0, 0.0))], hypo_depths=[(1.0, 5.0)])
    cm = cmaker([0.1], [0.0], split=True)
    np.testing.assert_array_equal(contexts(src, cm)["mag"], [4.004])
    corners = np.array([[[0.0, 0.0, 0.0], [0.0, 0.01, 0.0], [0.0, 0.01, 5.0],
                         [0.0, 0.0, 5.0]]])
    rup = planar_rupture(4.0035, 0.0, "ASC", (0.0, 0.005, 2.5), corners)
    np.testing.assert_array_equal(rupture_context(rup, cm, 200.0)["mag"], [4.004])
