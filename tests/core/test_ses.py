"""Stochastic event sets: the rupture rates of a source add up to its MFD per
magnitude (area source over points, nodal planes and depths; simple fault over the
floating ruptures), and the sampled occurrences follow them (Poisson)."""
import numpy as np
import pytest

from oqcore.hazard.ses import sample_source
from oqcore.hazard.source.mfd import occurrence_arrays
from oqcore.hazard.source.model import SourceConverter, read_source_model

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="ses test">
  <sourceGroup name="g" tectonicRegion="Active Shallow Crust">
    <areaSource id="A" name="area">
      <areaGeometry>
        <gml:Polygon><gml:exterior><gml:LinearRing>
          <gml:posList>0.0 0.0 0.2 0.0 0.2 0.2 0.0 0.2</gml:posList>
        </gml:LinearRing></gml:exterior></gml:Polygon>
        <upperSeismoDepth>0.0</upperSeismoDepth><lowerSeismoDepth>15.0</lowerSeismoDepth>
      </areaGeometry>
      <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.5</ruptAspectRatio>
      <truncGutenbergRichterMFD aValue="3.0" bValue="1.0" minMag="5.0" maxMag="6.5"/>
      <nodalPlaneDist>
        <nodalPlane probability="0.7" strike="0.0" dip="60.0" rake="-90.0"/>
        <nodalPlane probability="0.3" strike="90.0" dip="45.0" rake="90.0"/>
      </nodalPlaneDist>
      <hypoDepthDist>
        <hypoDepth probability="0.5" depth="5.0"/><hypoDepth probability="0.5" depth="10.0"/>
      </hypoDepthDist>
    </areaSource>
    <simpleFaultSource id="F" name="fault">
      <simpleFaultGeometry>
        <gml:LineString><gml:posList>1.0 0.0 1.0 0.5</gml:posList></gml:LineString>
        <dip>60.0</dip><upperSeismoDepth>0.0</upperSeismoDepth>
        <lowerSeismoDepth>15.0</lowerSeismoDepth>
      </simpleFaultGeometry>
      <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.0</ruptAspectRatio>
      <incrementalMFD minMag="5.55" binWidth="0.2"><occurRates>0.01 0.004 0.001</occurRates>
      </incrementalMFD>
      <rake>90.0</rake>
    </simpleFaultSource>
  </sourceGroup>
</sourceModel>
</nrml>
"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    fname = tmp_path_factory.mktemp("ses") / "model.xml"
    fname.write_text(MODEL)
    conv = SourceConverter(width_of_mfd_bin=0.1, area_source_discretization=10.0,
                           rupture_mesh_spacing=5.0)
    return read_source_model(str(fname), conv)


def _by_mag(mags, values):
    out = {}
    for m, v in zip(np.round(mags, 3), values):
        out[m] = out.get(m, 0.0) + v
    return out


@pytest.mark.parametrize("index", [0, 1])
def test_rupture_rates_add_up_to_the_mfd(sources, index):
    """Over 10^7 years every rupture occurs (rate x time >> 1): the rates of the
    sampled ruptures add up to the MFD per magnitude bin, and the occurrences per bin
    are within 4 Poisson standard deviations of rate x time."""
    src = sources[index]
    years = 1e7
    _, rups = sample_source(src, "Active Shallow Crust", 0.0, years, 1, 42)
    mags = np.array([r[3].mag for r in rups])
    rates = _by_mag(mags, [r[2] for r in rups])
    occ = _by_mag(mags, [r[1] for r in rups])
    emags, erates = occurrence_arrays(src.mfd)
    expected = dict(zip(np.round(emags, 3), erates))
    assert sorted(rates) == sorted(expected)
    for m, rate in expected.items():
        assert rates[m] == pytest.approx(rate, rel=1e-6)
        assert abs(occ[m] - rate * years) < 4 * np.sqrt(rate * years)
    ordinals = [r[0] for r in rups]
    assert ordinals == sorted(set(ordinals))  # each rupture once, by ordinal


def test_sampling_depends_on_the_seed_only(sources):
    a = sample_source(sources[0], "Active Shallow Crust", 0.0, 50.0, 100, 7)[1]
    b = sample_source(sources[0], "Active Shallow Crust", 0.0, 50.0, 100, 7)[1]
    c = sample_source(sources[0], "Active Shallow Crust", 0.0, 50.0, 100, 8)[1]
    d = sample_source(sources[0], "Active Shallow Crust", 0.0, 50.0, 100, 7, "x")[1]
    assert [r[:2] for r in a] == [r[:2] for r in b] != [r[:2] for r in c]
    assert [r[:2] for r in a] != [r[:2] for r in d]  # the name seeds the stream
    # a minimum magnitude drops the smaller ruptures only
    _, big = sample_source(sources[0], "Active Shallow Crust", 6.0, 1e7, 1, 7)
    assert min(r[3].mag for r in big) >= 6.0
