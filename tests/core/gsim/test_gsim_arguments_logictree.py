"""GSIM logic trees carrying the arguments of the subduction models (TOML form)."""
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.logictree import GsimLogicTree

TREE = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
    <logicTree logicTreeID="lt1">
        <logicTreeBranchSet uncertaintyType="gmpeModel" branchSetID="bs1"
                applyToTectonicRegionType="Subduction Interface">
            <logicTreeBranch branchID="b1">
                <uncertaintyModel>
                    [ParkerEtAl2020SInter]
                    region = "Cascadia"
                </uncertaintyModel>
                <uncertaintyWeight>0.4</uncertaintyWeight>
            </logicTreeBranch>
            <logicTreeBranch branchID="b2">
                <uncertaintyModel>
                    [AbrahamsonGulerce2020SInter]
                    region = "CAS"
                    apply_usa_adjustment = true
                </uncertaintyModel>
                <uncertaintyWeight>0.3</uncertaintyWeight>
            </logicTreeBranch>
            <logicTreeBranch branchID="b3">
                <uncertaintyModel>
                    %s
                </uncertaintyModel>
                <uncertaintyWeight>0.3</uncertaintyWeight>
            </logicTreeBranch>
        </logicTreeBranchSet>
    </logicTree>
</nrml>
"""


def _tree(tmp_path, third):
    path = tmp_path / "gsim_logic_tree.xml"
    path.write_text(TREE % third)
    return GsimLogicTree.from_file(str(path), load_registry())


def test_arguments_reach_the_models(tmp_path):
    lt = _tree(tmp_path, "[MontalvaEtAl2017SInter]\n theta6_adjustment = 0.0015")
    gsims = [b.value for b in lt.branchsets[0].branches]
    assert gsims[0].region == "Cascadia"
    assert gsims[1].region == "CAS" and gsims[1].apply_usa_adjustment is True
    assert "z2pt5" in gsims[1].REQUIRES_SITES_PARAMETERS
    assert gsims[2].theta6_adjustment == 0.0015
    assert str(gsims[0]) == '[ParkerEtAl2020SInter]\nregion = "Cascadia"'


@pytest.mark.parametrize("third, words", [
    ("[MontalvaEtAl2017SSlab]\n faba_taper_model = 1", ["MontalvaEtAl2017SSlab",
                                                         "faba_taper_model"]),
    ('[AbrahamsonGulerce2020SSlab]\n region = "Mars"', ["AbrahamsonGulerce2020SSlab",
                                                        "region", "Mars"]),
    ('[ParkerEtAl2020SSlab]\n basin = "Seattle"', ["ParkerEtAl2020SSlab", "basin"])])
def test_bad_arguments_name_file_line_model_and_argument(tmp_path, third, words):
    with pytest.raises(InvalidInput) as info:
        _tree(tmp_path, third)
    msg = str(info.value)
    assert "gsim_logic_tree.xml" in msg and "line" in msg
    for word in words:
        assert word in msg


def test_branch_id_is_optional(tmp_path):
    text = TREE.replace(' branchID="b3"', "") % "Stafford2022"
    path = tmp_path / "gsim_logic_tree.xml"
    path.write_text(text)
    branches = GsimLogicTree.from_file(str(path), load_registry()).branchsets[0].branches
    assert [b.branch_id for b in branches][:2] == ["b1", "b2"]
    assert branches[2].branch_id and branches[2].branch_id not in ("b1", "b2")


def test_job_gsim_files_are_relative_to_the_job(tmp_path):
    import os
    import shutil
    data = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim_tables")
    table = sorted(f for f in os.listdir(data) if f.endswith(".hdf5"))[0]
    shutil.copy(os.path.join(data, table), tmp_path / table)
    text = '[GMPETable]\ngmpe_table = "./%s"' % table
    lt = GsimLogicTree.from_gsim(text, load_registry(), ["*"], str(tmp_path / "job.ini"),
                                 str(tmp_path))
    assert lt.branchsets[0].branches[0].value is not None
    with pytest.raises(InvalidInput):
        GsimLogicTree.from_gsim(text, load_registry(), ["*"],
                                str(tmp_path / "sub" / "job.ini"), str(tmp_path / "sub"))
