"""The rupture parameter in_cshm: whether a rupture reaches into the Canterbury seismic
hazard model region (read by the Christchurch GSIMs)."""
import types

import numpy as np
import pytest

from oqcore.hazard.contexts import ContextMaker, in_cshm
from oqcore.hazard.gsim.bradley_2013 import Bradley2013bChchMaps
from oqcore.hazard.gsim.mcverry_2006 import McVerry2006AscSC, McVerry2006ChchStressDrop
from oqcore.hazard.site import SiteCollection
from oqcore.hazard.source.model import SourceConverter, read_source_model
from oqcore.hazard.source.ruptures import source_contexts

CHARACTERISTIC = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.4" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="m">
<characteristicFaultSource id="1" name="c" tectonicRegion="Active Shallow Crust">
  <incrementalMFD minMag="7.5" binWidth="0.1"><occurRates>0.001</occurRates></incrementalMFD>
  <rake>0</rake>
  <surface><complexFaultGeometry>
    <faultTopEdge><gml:LineString><gml:posList>
      {lon0} -43.132 0.0 {lon1} -43.363 0.0</gml:posList></gml:LineString></faultTopEdge>
    <faultBottomEdge><gml:LineString><gml:posList>
      {lon0} -43.132 12.0 {lon1} -43.363 12.0</gml:posList></gml:LineString></faultBottomEdge>
  </complexFaultGeometry></surface>
</characteristicFaultSource>
<pointSource id="2" name="p" tectonicRegion="Active Shallow Crust">
  <pointGeometry><gml:Point><gml:pos>{plon} -43.6</gml:pos></gml:Point>
    <upperSeismoDepth>0</upperSeismoDepth><lowerSeismoDepth>10</lowerSeismoDepth></pointGeometry>
  <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.0</ruptAspectRatio>
  <truncGutenbergRichterMFD aValue="3" bValue="1" minMag="5.0" maxMag="6.0"/>
  <nodalPlaneDist><nodalPlane probability="1" strike="0" dip="90" rake="0"/></nodalPlaneDist>
  <hypoDepthDist><hypoDepth probability="1" depth="5"/></hypoDepthDist>
</pointSource>
</sourceModel></nrml>
"""


def _oq():
    return types.SimpleNamespace(
        maximum_distance={"default": 300.0}, imtls={"PGA": [0.1]}, truncation_level=3.0,
        minimum_distance=0.0, pointsource_distance=None, max_sites_disagg=10,
        min_mag=lambda trt: 0.0, max_distance=lambda trt: 300.0)


def _contexts(tmp_path, gsims, **where):
    fname = tmp_path / "src.xml"
    fname.write_text(CHARACTERISTIC.format(**where))
    sources = read_source_model(str(fname), SourceConverter(0.1, 10.0, 5.0, 5.0))
    sitecol = SiteCollection.from_points([172.63], [-43.53], None, {
        "vs30": np.array([330.0]), "siteclass": np.array([b"D"])})
    cmaker = ContextMaker("Active Shallow Crust", gsims, _oq(), sitecol)
    return [np.concatenate(list(source_contexts(src, cmaker))) for src in sources]


def test_region_border_is_outside():
    assert in_cshm([172.0], [-43.5])
    assert not in_cshm([171.6, 173.2, 172.0], [-43.5, -43.5, -43.3])
    assert not in_cshm([], [])


@pytest.mark.parametrize("gsim", [McVerry2006ChchStressDrop(), Bradley2013bChchMaps()])
def test_ruptures_reaching_the_region(tmp_path, gsim):
    # the characteristic fault's west end and the point source's plane inside
    char, point = _contexts(tmp_path, [gsim], lon0=172.577, lon1=171.520, plon=172.0)
    assert char["in_cshm"].all() and point["in_cshm"].all()
    # the fault west of 171.6 and the plane east of 173.2: outside
    char, point = _contexts(tmp_path, [gsim], lon0=171.5, lon1=171.0, plon=173.6)
    assert not char["in_cshm"].any() and not point["in_cshm"].any()


def test_only_for_the_models_reading_it(tmp_path):
    char, point = _contexts(tmp_path, [McVerry2006AscSC()], lon0=172.577, lon1=171.520,
                            plon=172.0)
    assert "in_cshm" not in char.dtype.names and "in_cshm" not in point.dtype.names
