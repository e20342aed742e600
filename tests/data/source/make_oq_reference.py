"""Generate the OpenQuake reference contexts used by tests/core/source.

NOT a test and NOT imported by the tests: run it by hand with a Python that has
OpenQuake engine 3.26.2 installed (see README.md in this folder)::

    /tmp/oqref/bin/python tests/data/source/make_oq_reference.py

It writes fault_contexts.json next to itself: for each case the NRML source model
(a string), the job parameters, the sites and OpenQuake's context arrays
(``ContextMaker.get_ctxs``), one row per rupture-site pair.
"""
import json
import os
import sys
import tempfile
import types

import numpy as np

# openquake.hazardlib imports fiona at import time (GeoPackage export only)
_fiona = types.ModuleType("fiona")
_crs = types.ModuleType("fiona.crs")
_crs.CRS = object
_fiona.crs = _crs
sys.modules.setdefault("fiona", _fiona)
sys.modules.setdefault("fiona.crs", _crs)

from openquake.baselib import __version__ as OQ_VERSION  # noqa: E402
from openquake.hazardlib import nrml, sourceconverter, site  # noqa: E402
from openquake.hazardlib.calc.filters import IntegrationDistance  # noqa: E402
from openquake.hazardlib.contexts import ContextMaker  # noqa: E402
from openquake.hazardlib.gsim.base import GMPE  # noqa: E402
from openquake.hazardlib import const  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["mag", "rake", "dip", "strike", "ztor", "width", "hypo_depth", "hypo_lon",
          "hypo_lat", "occurrence_rate", "rrup", "rjb", "rx", "ry0", "rhypo", "repi",
          "sids"]


class AllParams(GMPE):
    """A GMPE requiring every context field (never evaluated)."""
    DEFINED_FOR_TECTONIC_REGION_TYPE = const.TRT.ACTIVE_SHALLOW_CRUST
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = set()
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = const.IMC.GEOMETRIC_MEAN
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = {const.StdDev.TOTAL}
    REQUIRES_SITES_PARAMETERS = {"vs30"}
    REQUIRES_RUPTURE_PARAMETERS = {"mag", "rake", "dip", "strike", "ztor", "width",
                                   "hypo_depth", "hypo_lon", "hypo_lat"}
    REQUIRES_DISTANCES = {"rrup", "rjb", "rx", "ry0", "rhypo", "repi"}

    def compute(self, ctx: np.recarray, imts, mean, sig, tau, phi):
        raise NotImplementedError


HEAD = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.4" xmlns:gml="http://www.opengis.net/gml">
<sourceModel name="test">
%s
</sourceModel>
</nrml>
"""

SIMPLE = """
<simpleFaultSource id="sf" name="sf" tectonicRegion="Active Shallow Crust">
  <simpleFaultGeometry>
    <gml:LineString><gml:posList>1.0 -0.5 1.15 -0.3 1.2 -0.15</gml:posList></gml:LineString>
    <dip>60.0</dip><upperSeismoDepth>2.0</upperSeismoDepth>
    <lowerSeismoDepth>14.0</lowerSeismoDepth>
  </simpleFaultGeometry>
  <magScaleRel>WC1994</magScaleRel>
  <ruptAspectRatio>1.5</ruptAspectRatio>
  <truncGutenbergRichterMFD aValue="3.2" bValue="0.9" minMag="5.5" maxMag="7.0"/>
  <rake>90.0</rake>%s
</simpleFaultSource>"""

HYPO_SLIP = """
  <hypoList><hypo alongStrike="0.25" downDip="0.25" weight="0.6"/>
            <hypo alongStrike="0.75" downDip="0.5" weight="0.4"/></hypoList>
  <slipList><slip weight="0.7">90</slip><slip weight="0.3">45</slip></slipList>"""

HYPO_DEPTH = """
  <hypoDepthDist><hypoDepth depth="4.0" probability="0.3"/>
                 <hypoDepth depth="8.0" probability="0.5"/>
                 <hypoDepth depth="12.0" probability="0.2"/></hypoDepthDist>"""

COMPLEX = """
<complexFaultSource id="cf" name="cf" tectonicRegion="Active Shallow Crust">
  <complexFaultGeometry>
    <faultTopEdge><gml:LineString><gml:posList>
      -64.7 -0.38221 0.0 -64.68 0.0 1.0 -64.7 0.38221 0.0</gml:posList></gml:LineString>
    </faultTopEdge>
    <faultBottomEdge><gml:LineString><gml:posList>
      -64.62 -0.384 12.0 -64.6 0.384 14.0</gml:posList></gml:LineString></faultBottomEdge>
  </complexFaultGeometry>
  <magScaleRel>PeerMSR</magScaleRel>
  <ruptAspectRatio>2.0</ruptAspectRatio>
  <incrementalMFD binWidth="0.5" minMag="5.5">
    <occurRates>0.01 0.005 0.002</occurRates></incrementalMFD>
  <rake>30.0</rake>
</complexFaultSource>"""

CHAR_PLANES = """
<characteristicFaultSource id="ch" name="ch" tectonicRegion="Active Shallow Crust">
  <incrementalMFD binWidth="0.1" minMag="6.7"><occurRates>0.02 0.01</occurRates></incrementalMFD>
  <rake>0.0</rake>
  <surface>
    <planarSurface dip="90.0" strike="0.0">
      <topLeft depth="1.0" lat="-0.38221" lon="-64.5"/>
      <topRight depth="1.0" lat="0.0" lon="-64.5"/>
      <bottomLeft depth="14.0" lat="-0.38221" lon="-64.5"/>
      <bottomRight depth="14.0" lat="0.0" lon="-64.5"/>
    </planarSurface>
    <planarSurface dip="60.0" strike="20.0">
      <topLeft depth="2.0" lat="0.0" lon="-64.5"/>
      <topRight depth="2.0" lat="0.35" lon="-64.38"/>
      <bottomLeft depth="16.0" lat="-0.0254" lon="-64.43"/>
      <bottomRight depth="16.0" lat="0.3246" lon="-64.31"/>
    </planarSurface>
  </surface>
</characteristicFaultSource>"""

CHAR_COMPLEX = """
<characteristicFaultSource id="cc" name="cc" tectonicRegion="Active Shallow Crust">
  <incrementalMFD binWidth="0.1" minMag="6.7"><occurRates>0.02</occurRates></incrementalMFD>
  <rake>0.0</rake>
  <surface>
    <complexFaultGeometry>
      <faultTopEdge><gml:LineString><gml:posList>
        -64.5 -0.38221 2.0 -64.5 0.38221 4.0</gml:posList></gml:LineString></faultTopEdge>
      <faultBottomEdge><gml:LineString><gml:posList>
        -64.45 -0.38221 16.0 -64.45 0.38221 14.0</gml:posList></gml:LineString></faultBottomEdge>
    </complexFaultGeometry>
  </surface>
</characteristicFaultSource>"""


def sites_around(lon, lat, n, seed, spread=0.8):
    rng = np.random.default_rng(seed)
    lons = lon + rng.uniform(-spread, spread, n)
    lats = lat + rng.uniform(-spread, spread, n)
    deps = rng.choice([0.0, 0.0, -0.1, 0.5], n)
    # one site far away (beyond the integration distance)
    lons[-1], lats[-1] = lon + 3.0, lat + 3.0
    return np.column_stack([lons, lats, deps]).round(5)


CASES = [
    dict(name="simple", xml=SIMPLE % "", spacing=4.0, maxdist=80.0,
         sites=sites_around(1.1, -0.3, 6, 1)),
    dict(name="simple_hypo_slip", xml=SIMPLE % HYPO_SLIP, spacing=4.0, maxdist=80.0,
         sites=sites_around(1.1, -0.3, 3, 2)),
    dict(name="simple_hypo_depth", xml=SIMPLE % HYPO_DEPTH, spacing=4.0, maxdist=80.0,
         sites=sites_around(1.1, -0.3, 3, 3)),
    dict(name="complex", xml=COMPLEX, spacing=3.0, maxdist=60.0,
         sites=sites_around(-64.65, 0.0, 5, 4)),
    dict(name="char_planes", xml=CHAR_PLANES, spacing=2.0, maxdist=100.0,
         sites=sites_around(-64.45, 0.0, 16, 5)),
    dict(name="char_complex", xml=CHAR_COMPLEX, spacing=2.0, maxdist=100.0,
         sites=sites_around(-64.45, 0.0, 8, 6)),
]


def run(case):
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(HEAD % case["xml"])
    conv = sourceconverter.SourceConverter(
        investigation_time=1.0, rupture_mesh_spacing=case["spacing"],
        complex_fault_mesh_spacing=case["spacing"], width_of_mfd_bin=0.5,
        area_source_discretization=10.0)
    sm = nrml.to_python(f.name, conv)
    os.remove(f.name)
    [src] = sm.src_groups[0].sources
    src.id = 0
    src.offset = 0
    s = case["sites"]
    sitecol = site.SiteCollection.from_points(
        s[:, 0], s[:, 1], s[:, 2], sitemodel=None, req_site_params=())
    cm = ContextMaker(src.tectonic_region_type, [AllParams()], dict(
        imtls={"PGA": [0.1]}, truncation_level=3.0,
        maximum_distance=IntegrationDistance.new(str(case["maxdist"]))))
    ctxs = list(cm.get_ctxs(src, sitecol))
    ctx = np.concatenate(ctxs) if ctxs else None
    # geometry rounded to 9 decimals, rates kept in full
    out = {f: [] if ctx is None else (ctx[f].astype(float) if f == "occurrence_rate"
                                      else np.round(ctx[f].astype(float), 9)).tolist()
           for f in FIELDS}
    return dict(name=case["name"], source_model=HEAD % case["xml"],
                rupture_mesh_spacing=case["spacing"],
                complex_fault_mesh_spacing=case["spacing"], width_of_mfd_bin=0.5,
                maximum_distance=case["maxdist"], sites=s.tolist(),
                num_ruptures=int(src.count_ruptures()), contexts=out)


def main():
    data = dict(openquake_version=OQ_VERSION, cases=[run(c) for c in CASES])
    with open(os.path.join(HERE, "fault_contexts.json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))
    for c in data["cases"]:
        print(c["name"], c["num_ruptures"], len(c["contexts"]["mag"]))


if __name__ == "__main__":
    main()
