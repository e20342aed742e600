"""Compile the numba kernels ahead of the first real job (``oq compile``).

The kernels are ``@njit(cache=True)``: numba compiles each one at its first call with
the argument types of that call and writes the machine code to its on-disk cache (the
``__pycache__`` folders beside the modules when they are writable, else numba's
user-wide cache folder, or ``NUMBA_CACHE_DIR`` when set). A fresh install would pay
that compilation in its first calculation; ``oq compile`` pays it once, at install
time, by running a tiny classical calculation in a temporary data folder, in process
(``oq_distribute = no``), whose sources go through every kernel of the classical path:
an area source (point ruptures), a simple and a complex fault (floating ruptures on
meshes) and a characteristic fault with a planar surface.
"""
from __future__ import annotations

import os
import tempfile
import time

_SOURCE_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns:gml="http://www.opengis.net/gml" xmlns="http://openquake.org/xmlns/nrml/0.4">
 <sourceModel name="warm-up">
  <areaSource id="A" name="area" tectonicRegion="Active Shallow Crust">
   <areaGeometry><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>
    10.0 45.0 10.2 45.0 10.2 45.2 10.0 45.2</gml:posList></gml:LinearRing></gml:exterior>
   </gml:Polygon><upperSeismoDepth>0.0</upperSeismoDepth>
   <lowerSeismoDepth>10.0</lowerSeismoDepth></areaGeometry>
   <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.0</ruptAspectRatio>
   <truncGutenbergRichterMFD aValue="3.0" bValue="1.0" minMag="5.0" maxMag="5.4"/>
   <nodalPlaneDist><nodalPlane probability="0.5" strike="0.0" dip="90.0" rake="0.0"/>
    <nodalPlane probability="0.5" strike="90.0" dip="60.0" rake="90.0"/></nodalPlaneDist>
   <hypoDepthDist><hypoDepth probability="1.0" depth="5.0"/></hypoDepthDist>
  </areaSource>
  <simpleFaultSource id="S" name="simple" tectonicRegion="Active Shallow Crust">
   <simpleFaultGeometry><gml:LineString><gml:posList>10.3 45.0 10.4 45.1 10.5 45.1
    </gml:posList></gml:LineString><dip>50.0</dip><upperSeismoDepth>0.0</upperSeismoDepth>
    <lowerSeismoDepth>10.0</lowerSeismoDepth></simpleFaultGeometry>
   <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.5</ruptAspectRatio>
   <truncGutenbergRichterMFD aValue="3.0" bValue="1.0" minMag="5.5" maxMag="5.9"/>
   <rake>90.0</rake>
  </simpleFaultSource>
  <complexFaultSource id="C" name="complex" tectonicRegion="Active Shallow Crust">
   <complexFaultGeometry>
    <faultTopEdge><gml:LineString><gml:posList>10.0 45.4 2.0 10.3 45.4 2.0
     </gml:posList></gml:LineString></faultTopEdge>
    <faultBottomEdge><gml:LineString><gml:posList>10.0 45.3 12.0 10.3 45.3 12.0
     </gml:posList></gml:LineString></faultBottomEdge>
   </complexFaultGeometry>
   <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.0</ruptAspectRatio>
   <truncGutenbergRichterMFD aValue="3.0" bValue="1.0" minMag="5.5" maxMag="5.9"/>
   <rake>90.0</rake>
  </complexFaultSource>
  <characteristicFaultSource id="P" name="planar" tectonicRegion="Active Shallow Crust">
   <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.0</ruptAspectRatio>
   <incrementalMFD minMag="6.0" binWidth="0.1"><occurRates>0.001</occurRates></incrementalMFD>
   <rake>0.0</rake>
   <surface><planarSurface strike="90.0" dip="90.0">
    <topLeft lon="10.6" lat="45.2" depth="0.0"/><topRight lon="10.7" lat="45.2" depth="0.0"/>
    <bottomLeft lon="10.6" lat="45.2" depth="10.0"/>
    <bottomRight lon="10.7" lat="45.2" depth="10.0"/></planarSurface></surface>
  </characteristicFaultSource>
 </sourceModel>
</nrml>
"""

_LOGIC_TREES = {
    "source_model_logic_tree.xml": ("sourceModel", "source_model.xml", ""),
    "gsim_logic_tree.xml": ("gmpeModel", "BooreEtAl2014",
                            ' applyToTectonicRegionType="Active Shallow Crust"'),
}

_LOGIC_TREE = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns:gml="http://www.opengis.net/gml" xmlns="http://openquake.org/xmlns/nrml/0.4">
 <logicTree logicTreeID="lt"><logicTreeBranchingLevel branchingLevelID="bl">
  <logicTreeBranchSet uncertaintyType="%s" branchSetID="bs"%s>
   <logicTreeBranch branchID="b"><uncertaintyModel>%s</uncertaintyModel>
    <uncertaintyWeight>1.0</uncertaintyWeight></logicTreeBranch>
  </logicTreeBranchSet></logicTreeBranchingLevel></logicTree>
</nrml>
"""

_JOB_INI = """[general]
description = oqcore numba warm-up
calculation_mode = classical
[geometry]
sites = 10.1 45.1, 10.45 45.05, 10.65 45.2, 10.1 45.35, 11.5 45.5
[erf]
rupture_mesh_spacing = 2.0
complex_fault_mesh_spacing = 5.0
width_of_mfd_bin = 0.2
area_source_discretization = 10.0
[site_params]
reference_vs30_type = measured
reference_vs30_value = 760.0
reference_depth_to_1pt0km_per_sec = 40.0
reference_depth_to_2pt5km_per_sec = 0.6
[calculation]
source_model_logic_tree_file = source_model_logic_tree.xml
gsim_logic_tree_file = gsim_logic_tree.xml
investigation_time = 50.0
intensity_measure_types_and_levels = {"PGA": [0.01, 0.1, 0.5]}
truncation_level = 3.0
maximum_distance = 200.0
[output]
mean = true
hazard_maps = true
poes = 0.1
"""


def write_inputs(folder: str) -> str:
    """Write the warm-up job into ``folder``; return the path of its job.ini."""
    with open(os.path.join(folder, "source_model.xml"), "w") as f:
        f.write(_SOURCE_MODEL)
    for name, (utype, model, extra) in _LOGIC_TREES.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(_LOGIC_TREE % (utype, extra, model))
    path = os.path.join(folder, "job.ini")
    with open(path, "w") as f:
        f.write(_JOB_INI)
    return path


def compile_kernels(quiet: bool = True) -> float:
    """Run the warm-up calculation (in process, in a temporary data folder that is
    removed afterwards), filling numba's on-disk cache.

    :returns: the seconds it took
    :raises RuntimeError: if the calculation does not complete
    """
    import contextlib
    import io

    from oqcore import cli
    t0 = time.time()
    saved = {k: os.environ.get(k) for k in ("OQ_DATADIR", "OQ_DISTRIBUTE")}
    with tempfile.TemporaryDirectory(prefix="oqcore-warmup-") as tmp:
        job_ini = write_inputs(tmp)
        os.environ["OQ_DATADIR"] = os.path.join(tmp, "oqdata")
        os.environ["OQ_DISTRIBUTE"] = "no"
        try:
            args = ["engine", "--run", job_ini] + (["-q"] if quiet else [])
            out = io.StringIO()
            with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
                code = cli.main(args)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    if code != 0:
        raise RuntimeError("the warm-up calculation failed (exit code %s)" % code)
    return time.time() - t0
