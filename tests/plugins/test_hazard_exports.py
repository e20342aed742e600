"""Exports of logictree/case_11 (3 realizations, disagg_by_src): npz realizations and
rates by source, XML curves, the job's export_dir; IMT-dependent weights."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from oqcore.hazard import logictree as lt

CASE = os.path.join(os.path.dirname(__file__), "..", "data", "qa_classical",
                    "logictree_case_11", "input")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("c11")
    work = tmp / "input"
    shutil.copytree(CASE, work)
    with open(work / "job.ini", "a") as f:
        f.write("\n[export]\nexport_dir = exported\n")
    env = dict(os.environ, OQ_DATADIR=str(tmp / "oqdata"))
    proc = subprocess.run([sys.executable, "-m", "oqcore.cli", "engine", "--run", "job.ini",
                           "--exports", "csv,npz,xml", "-q"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return work / "exported"


def test_export_dir_from_the_job(exported):
    assert os.path.isdir(exported)
    assert any(f.startswith("hazard_curve-mean-PGA") for f in os.listdir(exported))


def test_npz_realizations_and_rates_by_src(exported):
    with np.load(exported / "realizations_1.npz") as f:
        arr = f["array"]
        assert [p.decode() for p in arr["branch_path"]] == ["AA~A", "AB~A", "AC~A"]
        np.testing.assert_allclose(arr["weight"], [.2, .6, .2], rtol=1e-6)
    with np.load(exported / "mean_rates_by_src_1.npz") as f:
        assert f["array"].shape == (1, 1, 4, 1)  # (N, M, L1, Nsrc)
        assert list(f["shape_descr"]) == ["site_id", "imt", "lvl", "src_id"]
        assert list(f["src_id"]) == ["1"]


def test_xml_curves_are_nrml(exported):
    from oqcore.nrml import parse
    node = parse(str(exported / "hazard_curve-rlz-001-PGA_1.xml"))
    assert node.tag == "hazardCurves" and node["gsimltPath"] == "A"
    assert len(node.findall("hazardCurve")) == 1


class _Reg:
    """A registry stand-in knowing two GSIM names."""

    def gsim(self, name):
        from oqcore.hazard.gsim.library import builtin_gsims
        return builtin_gsims()[name]

    def gsims(self):
        return {}


def test_imt_weights_enumerated_but_not_sampled(tmp_path):
    path = tmp_path / "gmlt.xml"
    path.write_text("""<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><logicTree logicTreeID="g">
<logicTreeBranchSet uncertaintyType="gmpeModel" branchSetID="bs"
 applyToTectonicRegionType="Active Shallow Crust">
<logicTreeBranch branchID="a"><uncertaintyModel>SadighEtAl1997</uncertaintyModel>
<uncertaintyWeight>0.5</uncertaintyWeight>
<uncertaintyWeight imt="PGA">0.9</uncertaintyWeight></logicTreeBranch>
<logicTreeBranch branchID="b"><uncertaintyModel>BooreAtkinson2008</uncertaintyModel>
<uncertaintyWeight>0.5</uncertaintyWeight>
<uncertaintyWeight imt="PGA">0.1</uncertaintyWeight></logicTreeBranch>
</logicTreeBranchSet></logicTree></nrml>""")
    gslt = lt.GsimLogicTree.from_file(str(path), _Reg())
    smlt = lt.SourceModelLogicTree.single(str(tmp_path / "sm.xml"))
    full = lt.realizations(smlt, lambda p: gslt)
    assert [r.weight_for("PGA") for r in full] == [0.9, 0.1]
    assert [r.weight_for("SA(1.0)") for r in full] == [0.5, 0.5]
    sampled = lt.realizations(smlt, lambda p: gslt, num_samples=4, seed=3,
                              sampling_method="late_weights")
    assert all(r.imt_weights == {} for r in sampled)  # the default weight everywhere


def test_custom_site_id_column(tmp_path):
    demo = os.path.join(os.path.dirname(__file__), "..", "..", "demos", "classical")
    work = tmp_path / "demo"
    shutil.copytree(demo, work)
    (work / "sm.csv").write_text("custom_site_id,lon,lat,vs30,z1pt0\n"
                                 "siteB,12.3,42.2,400,100\nsiteA,12.0,42.0,760,40\n")
    text = (work / "job.ini").read_text()
    text = text.replace("sites = 12.0 42.0, 12.3 42.2, 12.6 42.4, 11.8 41.9",
                        "site_model_file = sm.csv")
    (work / "job.ini").write_text(text)
    env = dict(os.environ, OQ_DATADIR=str(tmp_path / "oqdata"))
    proc = subprocess.run([sys.executable, "-m", "oqcore.cli", "engine", "--run", "job.ini",
                           "--exports", "csv", "--export-dir", "out", "-q"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(work / "out" / "hazard_curve-mean-PGA_1.csv") as f:
        lines = f.read().splitlines()
    assert lines[1].startswith("custom_site_id,lon,lat,depth,poe-")
    # the order of the site model, as OpenQuake 3.26.2 exports it
    assert lines[2].startswith("siteB,12.30000,42.20000,")
    assert lines[3].startswith("siteA,12.00000,42.00000,")
