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
