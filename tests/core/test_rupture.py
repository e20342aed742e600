"""Single ruptures: NRML rupture typologies, the CSV form, rupture_dict, contexts and
stored geometry."""
import os

import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.rupture import (PLANAR, decode_geometry, read_rupture_csv,
                                   read_rupture_file, rupture_from_dict)

NRML = """<?xml version='1.0' encoding='utf-8'?>
<nrml xmlns:gml="http://www.opengis.net/gml" xmlns="http://openquake.org/xmlns/nrml/0.4">
%s
</nrml>
"""
SIMPLE = """<simpleFaultRupture>
  <magnitude>6.5</magnitude><rake>90</rake>
  <hypocenter lat="0.0" lon="0.0" depth="6.0"/>
  <simpleFaultGeometry>
    <gml:LineString><gml:posList>-0.1 -0.1 0.1 0.1</gml:posList></gml:LineString>
    <dip>60.0</dip><upperSeismoDepth>2.0</upperSeismoDepth>
    <lowerSeismoDepth>12.0</lowerSeismoDepth>
  </simpleFaultGeometry>
</simpleFaultRupture>"""
COMPLEX = """<complexFaultRupture>
  <magnitude>7.0</magnitude><rake>90</rake>
  <hypocenter lat="0.0" lon="0.0" depth="10.0"/>
  <complexFaultGeometry>
    <faultTopEdge><gml:LineString><gml:posList>0 0 5 0.3 0 5</gml:posList>
    </gml:LineString></faultTopEdge>
    <faultBottomEdge><gml:LineString><gml:posList>0 -0.1 20 0.3 -0.1 20</gml:posList>
    </gml:LineString></faultBottomEdge>
  </complexFaultGeometry>
</complexFaultRupture>"""
PLANES = """<multiPlanesRupture>
  <magnitude>6.0</magnitude><rake>0</rake>
  <hypocenter lat="0.0" lon="0.05" depth="5.0"/>
  %s
</multiPlanesRupture>"""
PLANE = """<planarSurface strike="90" dip="90">
  <topLeft lon="%s" lat="0.0" depth="0.0"/><topRight lon="%s" lat="0.0" depth="0.0"/>
  <bottomLeft lon="%s" lat="0.0" depth="10.0"/><bottomRight lon="%s" lat="0.0" depth="10.0"/>
</planarSurface>"""


def write(tmp_path, body, name="rup.xml"):
    path = os.path.join(tmp_path, name)
    with open(path, "w") as f:
        f.write(NRML % body)
    return path


def test_simple_and_complex_fault_ruptures(tmp_path):
    rup = read_rupture_file(write(tmp_path, SIMPLE), 1.0)
    assert rup.mag == 6.5 and rup.kind != PLANAR
    assert rup.dip == pytest.approx(60.0, abs=0.5) and rup.ztor == pytest.approx(2.0)
    rup = read_rupture_file(write(tmp_path, COMPLEX), 2.0)
    assert rup.ztor == pytest.approx(5.0)
    kind, els = decode_geometry(rup.encode())
    assert kind == rup.kind and np.allclose(els[0], rup.elements[0], atol=1e-4)


def test_multi_planes_rupture_and_distances(tmp_path):
    planes = PLANE % (0.0, 0.05, 0.0, 0.05) + PLANE % (0.05, 0.1, 0.05, 0.1)
    rup = read_rupture_file(write(tmp_path, PLANES % planes), 1.0)
    assert rup.kind == PLANAR and len(rup.elements) == 2
    from oqcore.hazard.source.fault_ruptures import Sites
    sites = Sites(np.array([0.02, 0.2]), np.array([0.0, 0.0]), np.zeros(2))
    d = rup.distances(sites)
    assert d[0, 0] == pytest.approx(0.0, abs=1e-3)  # on the trace
    assert d[0, 1] == pytest.approx(11.1, abs=0.3)  # 0.1 degree east of the end
    assert rup.boundary_wkt().startswith("LINESTRING")  # vertical planes: a line


def test_rupture_errors(tmp_path):
    with pytest.raises(InvalidInput, match="line 4"):
        read_rupture_file(write(tmp_path, SIMPLE.replace("6.5", "abc")), 1.0)
    with pytest.raises(InvalidInput, match="griddedRupture"):
        read_rupture_file(write(tmp_path, "<griddedRupture/>"), 1.0)
    with pytest.raises(InvalidInput, match="rupture_dict: missing dep, mag, rake"):
        rupture_from_dict({"lon": 0, "lat": 0})
    with pytest.raises(InvalidInput, match="rupture_dict: unknown magnitude scaling .* 'Foo'"):
        rupture_from_dict({"lon": 0, "lat": 0, "dep": 5, "mag": 6, "rake": 0, "msr": "Foo"})


def test_rupture_dict_and_csv_roundtrip(tmp_path):
    rup = rupture_from_dict({"lon": 1.0, "lat": 2.0, "dep": 10.0, "mag": 6.0, "rake": 0,
                             "strike": 45.0, "dip": 50.0})
    assert rup.strike == 45.0 and rup.dip == 50.0
    clon, clat, cdep = rup.centroid()
    assert (clon, clat, cdep) == pytest.approx((1.0, 2.0, 10.0), abs=1e-3)
    el = rup.elements[0].reshape(3, 1, 4)  # TL, TR, BL, BR in one row, as OpenQuake
    mesh = [[[[round(float(x), 5) for x in row] for row in coord] for coord in el]]
    import json
    path = os.path.join(tmp_path, "rup.csv")
    with open(path, "w") as f:
        f.write("seed,mag,rake,lon,lat,dep,multiplicity,trt,kind,mesh,extra\n")
        f.write('1,6.0,0,1.0,2.0,10.0,1,Active Shallow Crust,'
                '"ParametricProbabilisticRupture PlanarSurface","%s","{}"\n'
                % json.dumps(mesh))
    back = read_rupture_csv(path)
    assert back.kind == PLANAR and back.trt == "Active Shallow Crust"
    assert back.strike == pytest.approx(45.0, abs=0.01)
    assert back.dip == pytest.approx(50.0, abs=0.01)


def test_openquake_rupture_csv(tmp_path):
    """A row of OpenQuake's ruptures CSV (event_based_risk/recompute)."""
    path = os.path.join(tmp_path, "ruptures.csv")
    with open(path, "w") as f:
        f.write("#,,,,,,,,,,trts=['Active Shallow Crust']\n"
                "seed,mag,rake,lon,lat,dep,multiplicity,trt,kind,mesh,extra\n"
                '58,7.250000E+00,0.000000E+00,90.26716,25.44606,1.500000E+01,1,'
                'Active Shallow Crust,ParametricProbabilisticRupture PlanarSurface,'
                '"[[[[90.44533, 90.07993, 90.4546, 90.08872]], [[25.35953, 25.37682, '
                '25.51507, 25.53238]], [[0.0, 0.0, 30.0, 30.0]]]]",'
                '"{""occurrence_rate"": 1e-05}"\n')
    rup = read_rupture_csv(path)
    assert rup.mag == 7.25 and rup.kind == PLANAR and rup.ztor == 0.0
    assert rup.dip == pytest.approx(60.0, abs=0.1)
    assert rup.geometric_strike() == pytest.approx(273.1, abs=0.1)


def test_hypocentre_outside_the_surface_moves_to_its_middle(tmp_path):
    """A scenario hypocentre outside the plan-view outline of the surface (any one on
    a vertical surface) moves to the surface's middle point; one inside stays."""
    from oqplugins.calculators.scenario import with_hypo_on_surface
    dipping = read_rupture_file(write(tmp_path, SIMPLE.replace(
        'lat="0.0" lon="0.0"', 'lat="-0.02" lon="0.02"')), 1.0)
    assert dipping.hypo_in_outline()
    outside = read_rupture_file(write(tmp_path, SIMPLE.replace('lat="0.0" lon="0.0"',
                                                               'lat="0.5" lon="0.5"')), 1.0)
    vertical = read_rupture_file(write(tmp_path, SIMPLE.replace("60.0", "90.0")), 1.0)
    warnings = []

    class Log:
        def warning(self, msg):
            warnings.append(msg)

    for rup in (outside, vertical):
        assert not rup.hypo_in_outline()
        middle = rup.centroid()
        assert with_hypo_on_surface(rup, Log()).hypo == middle
    assert with_hypo_on_surface(dipping).hypo == (0.02, -0.02, 6.0)
    assert len(warnings) == 2 and "outside the rupture surface" in warnings[0]


def test_scenario_rupture_on_kite_surfaces():
    """A multiPlanesRupture of kiteSurface elements (OpenQuake's scenario/case_18): the
    bounding box of OpenQuake's stored rupture (5 km mesh), the hypocentre moved to
    the middle point of the kite surfaces as OpenQuake moves it."""
    from oqcore.hazard.rupture import read_rupture_file
    from oqplugins.calculators.scenario import with_hypo_on_surface
    fname = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "kite_rupture.xml")
    rup = with_hypo_on_surface(read_rupture_file(fname, 5.0))
    lons, lats = rup.footprint()
    np.testing.assert_allclose([lons.min(), lats.min(), lons.max(), lats.max()],
                               [74.57123, 42.423744, 75.401924, 42.8039], atol=1e-5)
    np.testing.assert_allclose(rup.hypo, [74.99785, 42.594173, 5.359994], atol=1e-5)
