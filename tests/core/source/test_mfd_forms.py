"""MFD forms against OpenQuake 3.26.2 (tests/data/source/mfd_reference.json): the
tapered Gutenberg-Richter MFD, the truncated GR MFD given by slip rate (resolved on
the fault's surface area) and the multiMFD of multi-point sources."""
import json
import os

import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.source import mfd as mfds
from oqcore.hazard.source.model import SourceConverter, read_source_model

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "source")
with open(os.path.join(DATA, "mfd_reference.json")) as f:
    REF = json.load(f)


@pytest.mark.parametrize("case", REF["tapered"])
def test_tapered_gr_matches_reference(case):
    got = mfds.TaperedGRMFD(*case["args"]).get_annual_occurrence_rates()
    np.testing.assert_allclose(np.array(got), np.array(case["rates"]), rtol=1e-10)


def test_slip_rate_gr_matches_reference():
    ref = REF["slip_rate"]
    m = mfds.truncated_gr_from_slip_rate(ref["min_mag"], ref["max_mag"], ref["bin_width"],
                                         ref["b_val"], ref["slip_rate"], ref["rigidity"],
                                         ref["area"])
    assert m.a_val == pytest.approx(ref["a_val"], rel=1e-12)
    np.testing.assert_allclose(np.array(m.get_annual_occurrence_rates()),
                               np.array(ref["rates"]), rtol=1e-10)


SIMPLE_FAULT = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="m"><sourceGroup name="g" tectonicRegion="ASC">
<simpleFaultSource id="1" name="f">
 <simpleFaultGeometry><gml:LineString><gml:posList>%s</gml:posList></gml:LineString>
  <dip>%s</dip><upperSeismoDepth>%s</upperSeismoDepth><lowerSeismoDepth>%s</lowerSeismoDepth>
 </simpleFaultGeometry>
 <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>2.0</ruptAspectRatio>
 %s
 <rake>90.0</rake>
</simpleFaultSource></sourceGroup></sourceModel></nrml>
"""


def test_slip_rate_source_uses_the_fault_area(tmp_path):
    ref = REF["slip_rate"]
    mfd = ('<truncGutenbergRichterMFD slipRate="%s" rigidity="%s" bValue="%s" '
           'minMag="%s" maxMag="%s"/>' % (ref["slip_rate"], ref["rigidity"], ref["b_val"],
                                          ref["min_mag"], ref["max_mag"]))
    trace = " ".join("%s %s" % tuple(p) for p in ref["trace"])
    fname = tmp_path / "sm.xml"
    fname.write_text(SIMPLE_FAULT % (trace, ref["dip"], ref["usd"], ref["lsd"], mfd))
    [src] = read_source_model(str(fname), SourceConverter(ref["bin_width"]))
    assert src.mfd.a_val == pytest.approx(ref["a_val"], rel=1e-9)


def test_tapered_gr_needs_corner_above_min():
    with pytest.raises(ValueError, match="cornerMag"):
        mfds.TaperedGRMFD(5.0, 7.0, 5.0, 0.1, 3.0, 1.0).check()


def test_multi_mfd_shared_and_per_point_values():
    m = mfds.multi_mfd("truncGutenbergRichterMFD", 2,
                       {"a_val": [3.0, 2.5], "b_val": [0.9], "min_mag": [5.5],
                        "max_mag": [7.0]}, None, 0.1)
    assert len(m) == 2
    assert m.mfds[0].a_val == 3.0 and m.mfds[1].a_val == 2.5
    assert m.mfds[1].b_val == 0.9 and m.mfds[1].bin_width == 0.1
    inc = mfds.multi_mfd("incrementalMFD", 2, {"min_mag": [5.0], "bin_width": [0.1],
                                               "occurRates": [1, 2, 3, 4, 5]}, [2, 3], 0.2)
    assert inc.mfds[0].occurrence_rates == [1, 2]
    assert inc.mfds[1].occurrence_rates == [3, 4, 5]
    m.modify("bGRRelative", 0.1)  # applies to every point
    assert all(x.b_val == pytest.approx(1.0) for x in m.mfds)


@pytest.mark.parametrize("kind, fields, lengths, message", [
    ("incrementalMFD", {"min_mag": [5.0], "bin_width": [0.1], "occurRates": [1, 2]},
     None, "lengths"),
    ("incrementalMFD", {"min_mag": [5.0], "bin_width": [0.1], "occurRates": [1, 2]},
     [1, 2], "sum to"),
    ("truncGutenbergRichterMFD", {"a_val": [1, 2, 3], "b_val": [1], "min_mag": [5],
                                  "max_mag": [6]}, None, "expected 1 or 2"),
    ("YoungsCoppersmithMFD", {}, None, "not supported"),
])
def test_multi_mfd_errors(kind, fields, lengths, message):
    with pytest.raises(ValueError, match=message):
        mfds.multi_mfd(kind, 2, fields, lengths, 0.1)


def test_multi_point_needs_multi_mfd_of_its_size(tmp_path):
    body = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="m"><sourceGroup name="g" tectonicRegion="ASC">
<multiPointSource id="1" name="mp">
 <multiPointGeometry><gml:posList>0.0 0.0 0.1 0.1 0.2 0.2</gml:posList>
  <upperSeismoDepth>0</upperSeismoDepth><lowerSeismoDepth>20</lowerSeismoDepth>
 </multiPointGeometry>
 <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.5</ruptAspectRatio>
 <multiMFD kind="truncGutenbergRichterMFD" size="2">
  <a_val>3.0 3.0</a_val><b_val>0.9</b_val><min_mag>5.5</min_mag><max_mag>7.0</max_mag>
 </multiMFD>
 <nodalPlaneDist><nodalPlane strike="0" dip="60" rake="90" probability="1"/></nodalPlaneDist>
 <hypoDepthDist><hypoDepth depth="10" probability="1"/></hypoDepthDist>
</multiPointSource></sourceGroup></sourceModel></nrml>
"""
    fname = tmp_path / "sm.xml"
    fname.write_text(body)
    with pytest.raises(InvalidInput, match="size 2 but there are 3 points"):
        read_source_model(str(fname), SourceConverter(0.1))
