"""Source-model logic trees as OpenQuake reads them: applyToBranches builds a tree
(dummy branches, ``.`` in branch paths), the modifications of a path stop at its first
dummy branch, extendModel adds sources, filters are checked against the source models;
magnitude-dependent distances in the job.ini."""
from __future__ import annotations

import textwrap

import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard import logictree as lt
from oqcore.hazard.model import read_hazard_model
from oqcore.params import read_job_ini
from oqcore.validators import distance_dict, maximum_distance

NS = "http://openquake.org/xmlns/nrml/0.5"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def gr_point(sid, lon=0.0, a=3.0, b=1.0, max_mag=6.5):
    return textwrap.dedent(f"""\
        <pointSource id="{sid}" name="{sid}">
          <pointGeometry><gml:Point><gml:pos>{lon} 0.0</gml:pos></gml:Point>
            <upperSeismoDepth>0</upperSeismoDepth><lowerSeismoDepth>20</lowerSeismoDepth>
          </pointGeometry>
          <magScaleRel>WC1994</magScaleRel><ruptAspectRatio>1.5</ruptAspectRatio>
          <truncGutenbergRichterMFD aValue="{a}" bValue="{b}" minMag="5.0" maxMag="{max_mag}"/>
          <nodalPlaneDist><nodalPlane probability="1" strike="0" dip="90" rake="0"/>
          </nodalPlaneDist>
          <hypoDepthDist><hypoDepth probability="1" depth="10"/></hypoDepthDist>
        </pointSource>
        """)


def source_model(*bodies, trt="Active Shallow Crust"):
    return (f'<?xml version="1.0"?>\n<nrml xmlns="{NS}" xmlns:gml="http://www.opengis.net/gml">'
            f'<sourceModel name="m"><sourceGroup tectonicRegion="{trt}">'
            + "".join(bodies) + "</sourceGroup></sourceModel></nrml>\n")


def branchset(bs_id, utype, branches, **filters):
    attrs = "".join(' %s="%s"' % kv for kv in filters.items())
    brs = "".join(
        f"<logicTreeBranch branchID=\"{bid}\"><uncertaintyModel>{value}</uncertaintyModel>"
        f"<uncertaintyWeight>{w}</uncertaintyWeight></logicTreeBranch>"
        for bid, value, w in branches)
    return (f'<logicTreeBranchSet branchSetID="{bs_id}" uncertaintyType="{utype}"{attrs}>'
            f"{brs}</logicTreeBranchSet>\n")


def write_smlt(tmp_path, *bsets, models=None):
    for name, text in (models or {}).items():
        (tmp_path / name).write_text(text)
    text = (f'<?xml version="1.0"?>\n<nrml xmlns="{NS}"><logicTree logicTreeID="lt">\n'
            + "".join(bsets) + "</logicTree></nrml>\n")
    path = tmp_path / "smlt.xml"
    path.write_text(text)
    return str(path)


TWO_MODELS = {"a.xml": source_model(gr_point("1"), gr_point("2", 0.2)),
              "b.xml": source_model(gr_point("3", 0.1))}
SM = branchset("bs0", "sourceModel", [("b1", "a.xml", 0.5), ("b2", "b.xml", 0.5)])


def test_apply_to_branches_gives_dummy_paths(tmp_path):
    """The case_73 shape: two alternative branch sets under two branches, a later one
    naming branches of both, a last one under every open end."""
    fname = write_smlt(
        tmp_path, SM,
        branchset("bs1", "maxMagGRRelative", [("m1", "0.1", 0.5), ("m2", "0.2", 0.5)],
                  applyToBranches="b1"),
        branchset("bs2", "bGRRelative", [("g1", "0.1", 1.0)], applyToBranches="b2"),
        branchset("bs3", "maxMagGRAbsolute", [("x1", "7.0", 0.4), ("x2", "7.1", 0.6)],
                  applyToBranches="m1 g1"),
        models=TWO_MODELS)
    smlt = lt.SourceModelLogicTree.from_file(fname)
    paths = smlt.paths()
    assert sorted(lt.path_string(p) for p, _ in paths) == ["AAA", "AAB", "AB..", "BAA",
                                                          "BAB"]
    assert sum(w for _, w in paths) == pytest.approx(1.0)
    by_string = {lt.path_string(p): p for p, _ in paths}
    # the path through the dummy of bs3 stops its modifications there
    mods = smlt.modifications(by_string["AB.."])
    assert [(bs.bs_id, br.branch_id) for bs, br in mods] == [("bs1", "m2")]
    mods = smlt.modifications(by_string["BAB"])
    assert [(bs.bs_id, br.branch_id) for bs, br in mods] == [("bs2", "g1"), ("bs3", "x2")]


def test_modifications_stop_at_the_first_dummy(tmp_path):
    """The case_12 shape: a branch set on one source model, then one on all: the
    model without the first gets none of the second (OpenQuake's reading)."""
    fname = write_smlt(
        tmp_path, SM,
        branchset("bs1", "bGRRelative", [("g1", "0.1", 1.0)], applyToBranches="b2"),
        branchset("bs2", "maxMagGRRelative", [("m1", "0.1", 0.3), ("m2", "0.2", 0.7)]),
        models=TWO_MODELS)
    smlt = lt.SourceModelLogicTree.from_file(fname)
    by_string = {lt.path_string(p): p for p, _ in smlt.paths()}
    assert sorted(by_string) == ["A.A", "A.B", "BAA", "BAB"]
    assert smlt.modifications(by_string["A.B"]) == []
    assert len(smlt.modifications(by_string["BAB"])) == 2


@pytest.mark.parametrize("apply_to, words", [
    ("zz", "'zz', which is not a branch"),
    ("b1", "already has a child branch set"),
])
def test_bad_apply_to_branches(tmp_path, apply_to, words):
    fname = write_smlt(
        tmp_path, SM,
        branchset("bs1", "bGRRelative", [("g1", "0.1", 1.0)], applyToBranches="b1"),
        branchset("bs2", "bGRRelative", [("g2", "0.2", 1.0)], applyToBranches=apply_to),
        models=TWO_MODELS)
    with pytest.raises(InvalidInput) as info:
        lt.SourceModelLogicTree.from_file(fname)
    assert words in str(info.value) and "smlt.xml, line" in str(info.value)


@pytest.mark.parametrize("bset, words", [
    (branchset("bs1", "maxMagGRRelativ", [("x", "0.1", 1.0)]), "unknown uncertaintyType"),
    (branchset("bs1", "sourceModel", [("x", "a.xml", 1.0)]), "only the first"),
    (branchset("bs1", "bGRRelative", [("x", "0.1", 0.5), ("y", "0.1", 0.5)]),
     "duplicated uncertainty values"),
    (branchset("bs1", "abGRAbsolute", [("x", "3.0", 1.0)], applyToSources="1"),
     "expected 2 floats"),
    (branchset("bs1", "simpleFaultDipRelative", [("x", "5", 1.0)]),
     "must define applyToSources"),
    (branchset("bs1", "bGRRelative", [("x", "0.1", 1.0)], applyToSources="1",
               applyToTectonicRegionType="Active Shallow Crust"), "only one filter"),
    (branchset("bs1", "setMSRAbsolute", [("x", "NoSuchMSR", 1.0)], applyToSources="1"),
     "unknown magnitude scaling relation"),
])
def test_branch_set_errors(tmp_path, bset, words):
    fname = write_smlt(tmp_path, SM, bset, models=TWO_MODELS)
    with pytest.raises(InvalidInput) as info:
        lt.SourceModelLogicTree.from_file(fname)
    assert words in str(info.value) and "smlt.xml, line" in str(info.value)


def job(tmp_path, registry, extra=""):
    (tmp_path / "gmlt.xml").write_text(
        f'<?xml version="1.0"?>\n<nrml xmlns="{NS}"><logicTree logicTreeID="g">'
        + branchset("g", "gmpeModel", [("g1", "SadighEtAl1997", 1.0)],
                    applyToTectonicRegionType="Active Shallow Crust")
        + "</logicTree></nrml>\n")
    ini = tmp_path / "job.ini"
    ini.write_text(textwrap.dedent("""\
        [general]
        calculation_mode = classical
        sites = 0.0 0.0
        source_model_logic_tree_file = smlt.xml
        gsim_logic_tree_file = gmlt.xml
        reference_vs30_value = 760
        investigation_time = 1
        intensity_measure_types_and_levels = {"PGA": [0.1, 0.2]}
        truncation_level = 3
        maximum_distance = 200
        width_of_mfd_bin = 0.1
        """) + extra)
    return read_job_ini(str(ini), registry)


def test_extend_model_adds_sources(tmp_path, registry):
    models = dict(TWO_MODELS, **{"x.xml": source_model(gr_point("9", 0.3))})
    write_smlt(tmp_path, SM,
               branchset("bs1", "extendModel", [("e1", "x.xml", 1.0)], applyToBranches="b1"),
               branchset("bs2", "maxMagGRAbsolute", [("m", "7.0", 1.0)],
                         applyToSources="9"),
               models=models)
    hm = read_hazard_model(job(tmp_path, registry), registry)
    [sm_a, sm_b] = hm.source_models
    ids_a = {s.source_id: s for srcs in sm_a.sources_by_trt.values() for s in srcs}
    assert sorted(ids_a) == ["1", "2", "9"]
    assert ids_a["9"].mfd.max_mag == 7.0 and ids_a["1"].mfd.max_mag == 6.5
    ids_b = [s.source_id for srcs in sm_b.sources_by_trt.values() for s in srcs]
    assert ids_b == ["3"]
    # bs2 follows the dummy branch of b2 too, but modifies nothing there
    assert [r.branch_path for r in hm.realizations] == ["AAA~A", "B.A~A"]


def test_extend_model_with_a_known_source_is_refused(tmp_path, registry):
    models = dict(TWO_MODELS, **{"x.xml": source_model(gr_point("1", 0.3))})
    write_smlt(tmp_path, SM, branchset("bs1", "extendModel", [("e1", "x.xml", 1.0)],
                                       applyToBranches="b1"), models=models)
    with pytest.raises(InvalidInput) as info:
        read_hazard_model(job(tmp_path, registry), registry)
    assert "already in the source model" in str(info.value)


@pytest.mark.parametrize("bset, words", [
    (branchset("bs1", "bGRRelative", [("x", "0.1", 1.0)], applyToSources="77"),
     "source '77' is not in the source models"),
    (branchset("bs1", "bGRRelative", [("x", "0.1", 1.0)],
               applyToTectonicRegionType="Stable Shallow Crust"),
     "no sources of tectonic region type"),
    (branchset("bs1", "maxMagGRAbsolute", [("x", "7.0", 1.0)]),
     "must define applyToSources with one source"),
    (branchset("bs1", "maxMagGRRelative", [("x", "-2.0", 1.0)], applyToSources="3"),
     "cannot apply maxMagGRRelative to source '3'"),
])
def test_filters_checked_against_the_source_models(tmp_path, registry, bset, words):
    write_smlt(tmp_path, SM, bset, models=TWO_MODELS)
    with pytest.raises(InvalidInput) as info:
        read_hazard_model(job(tmp_path, registry), registry)
    assert words in str(info.value)


def test_sampling_follows_the_tree(tmp_path, registry):
    write_smlt(tmp_path, SM,
               branchset("bs1", "bGRRelative", [("g1", "0.1", 0.5), ("g2", "0.2", 0.5)],
                         applyToBranches="b2"),
               models=TWO_MODELS)
    hm = read_hazard_model(job(tmp_path, registry, "number_of_logic_tree_samples = 20\n"),
                           registry)
    paths = {r.branch_path for r in hm.realizations}
    assert paths <= {"A.~A", "BA~A", "BB~A"} and len(paths) == 3
    assert sum(r.weight for r in hm.realizations) == pytest.approx(1.0)


def test_magnitude_dependent_distances():
    assert maximum_distance("[(6.5, 87), (7.5, 114)]") == {"default": [[6.5, 87.0],
                                                                        [7.5, 114.0]]}
    psd = distance_dict("{'Active Shallow Crust': [(6.5, 87), (7.0, 104)], 'default': 50}")
    assert psd["default"] == 50.0 and psd["Active Shallow Crust"][1] == [7.0, 104.0]
    assert distance_dict("") == {}
    from oqcore.hazard.contexts import psdist_at
    assert psdist_at(psd["Active Shallow Crust"], 6.75) == pytest.approx(95.5)
    assert psdist_at(psd["Active Shallow Crust"], 5.0) == 87.0
    assert psdist_at(50.0, 5.0) == 50.0
    with pytest.raises(ValueError):
        distance_dict("[(6.5, -1)]")


def test_branches_without_files_become_one_last_branch(tmp_path):
    """extendModel branches with no file: one branch, last, with their summed weight
    (logictree/case_04)."""
    fname = write_smlt(tmp_path, SM, branchset(
        "bs1", "extendModel", [("e1", "", 0.25), ("e2", " ", 0.75)]), models=TWO_MODELS)
    smlt = lt.SourceModelLogicTree.from_file(fname)
    [branch] = smlt.branchsets[1].branches
    assert (branch.branch_id, branch.weight, branch.char) == ("e2", 1.0, "B")
    assert smlt.files_of(branch) == []
    assert [lt.path_string(p) for p, _ in smlt.paths()] == ["AB", "BB"]
