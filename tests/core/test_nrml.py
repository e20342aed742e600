"""NRML reading: source models 0.4 and 0.5, logic trees, errors with file and line, and
the hardening of the XML parser (no DTDs, no entities)."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.logictree import GsimLogicTree, SourceModelLogicTree
from oqcore.hazard.source.model import SourceConverter, read_source_model
from oqcore.hazard.source.typology import PointSource
from oqcore.nrml import reader
from tests.conftest import DATA

CASE_01 = DATA / "qa" / "classical_case_01" / "input"
NS04 = "http://openquake.org/xmlns/nrml/0.4"
NS05 = "http://openquake.org/xmlns/nrml/0.5"


@pytest.fixture
def registry():
    """A fresh registry of the built-in plugins (no entry points)."""
    return load_registry(entry_points=False)


def converter() -> SourceConverter:
    return SourceConverter(width_of_mfd_bin=0.1, area_source_discretization=10.0,
                           rupture_mesh_spacing=1.0)


def write(path, text: str) -> str:
    path.write_text(textwrap.dedent(text).lstrip())
    return str(path)


def line_of(path: str, needle: str) -> int:
    """The 1-based number of the first line of ``path`` containing ``needle``."""
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if needle in line:
                return i
    raise AssertionError("%r not in %s" % (needle, path))


POINT = """\
    <pointSource id="{sid}" name="point" tectonicRegion="Active Shallow Crust">
      <pointGeometry>
        <gml:Point><gml:pos>{lon} 0.0</gml:pos></gml:Point>
        <upperSeismoDepth>0.0</upperSeismoDepth>
        <lowerSeismoDepth>10.0</lowerSeismoDepth>
      </pointGeometry>
      <magScaleRel>WC1994</magScaleRel>
      <ruptAspectRatio>1.5</ruptAspectRatio>
      <incrementalMFD minMag="5.0" binWidth="0.5">
        <occurRates>{rates}</occurRates>
      </incrementalMFD>
      <nodalPlaneDist>
        <nodalPlane strike="0" dip="{dip}" rake="90" probability="0.3"/>
        <nodalPlane strike="90" dip="60" rake="-90" probability="0.7"/>
      </nodalPlaneDist>
      <hypoDepthDist>
        <hypoDepth depth="5" probability="1"/>
      </hypoDepthDist>
    </pointSource>
"""


def point(sid="1", lon=0.0, rates="0.01 0.005", dip=90) -> str:
    return POINT.format(sid=sid, lon=lon, rates=rates, dip=dip)


def source_model_04(body: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<nrml xmlns="%s" xmlns:gml="http://www.opengis.net/gml">\n'
            '  <sourceModel name="test">\n%s  </sourceModel>\n</nrml>\n' % (NS04, body))


def source_model_05(body: str, trt="Active Shallow Crust") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<nrml xmlns="%s" xmlns:gml="http://www.opengis.net/gml">\n'
            '  <sourceModel name="test">\n'
            '   <sourceGroup name="g1" tectonicRegion="%s">\n%s   </sourceGroup>\n'
            '  </sourceModel>\n</nrml>\n' % (NS05, trt, body))


# ------------------------------------------------------------------ source models
def test_case_01_source_model_nrml_04():
    [src] = read_source_model(str(CASE_01 / "source_model.xml"), converter())
    assert isinstance(src, PointSource)
    assert (src.source_id, src.name, src.trt) == ("1", "point source", "active shallow crust")
    assert (src.lon, src.lat) == (0.0, 0.0)
    assert (src.upper_seismogenic_depth, src.lower_seismogenic_depth) == (0.0, 10.0)
    assert src.rupture_aspect_ratio == 1.0
    assert [p for p, _ in src.nodal_planes] == [0.25, 0.25, 0.5]
    assert [(n.strike, n.dip, n.rake) for _, n in src.nodal_planes] == [
        (144.0, 87.0, -179.0), (144.0, 87.0, -179.0), (0.0, 90.0, 0.0)]
    assert src.hypo_depths == [(1.0, 4.0)]
    rates = src.mfd.get_annual_occurrence_rates()
    np.testing.assert_allclose(np.array(rates, float), [[4.0, 1.0]], rtol=1e-12)
    assert src.lineno == 9 and src.fname.endswith("source_model.xml")


def test_nrml_05_source_groups_equal_nrml_04(tmp_path):
    body = point("a") + point("b", lon=0.5)
    old = read_source_model(write(tmp_path / "sm04.xml", source_model_04(body)), converter())
    new = read_source_model(write(tmp_path / "sm05.xml", source_model_05(body)), converter())
    assert [s.source_id for s in old] == [s.source_id for s in new] == ["a", "b"]
    for a, b in zip(old, new):
        assert (a.lon, a.lat, a.trt, a.nodal_planes, a.hypo_depths) == (
            b.lon, b.lat, b.trt, b.nodal_planes, b.hypo_depths)
        np.testing.assert_allclose(np.array(a.mfd.get_annual_occurrence_rates(), float),
                                   [[5.0, 0.01], [5.5, 0.005]], rtol=1e-12)
        np.testing.assert_allclose(np.array(b.mfd.get_annual_occurrence_rates(), float),
                                   np.array(a.mfd.get_annual_occurrence_rates(), float),
                                   rtol=1e-12)


def test_nrml_05_group_gives_the_trt(tmp_path):
    body = point("a").replace(' tectonicRegion="Active Shallow Crust"', "")
    [src] = read_source_model(write(tmp_path / "sm.xml",
                                    source_model_05(body, "Stable Continental Region")),
                              converter())
    assert src.trt == "Stable Continental Region"


def test_node_line_numbers():
    node = reader.parse_string(source_model_04(point("x")), "sm.xml")
    assert node.tag == "sourceModel" and node.lineno == 3
    ps = node.find("pointSource")
    assert ps.lineno == 4 and ps.fname == "sm.xml"
    assert ps.child("incrementalMFD").lineno == 12
    assert ps.child("pointGeometry").child("Point").child("pos").floats() == [0.0, 0.0]
    assert [n.lineno for n in ps.iter("nodalPlane")] == [16, 17]
    with pytest.raises(InvalidInput, match="sm.xml, line 4: <pointSource> is missing a <foo>"):
        ps.child("foo")


# ------------------------------------------------------------------ errors
def check_error(exc_info, fname: str, lineno: int, *words: str) -> None:
    exc = exc_info.value
    assert exc.fname == fname, str(exc)
    assert exc.lineno == lineno, str(exc)
    assert str(exc).startswith("%s, line %d: " % (fname, lineno))
    for w in words:
        assert w in str(exc), str(exc)


def test_unclosed_tag(tmp_path):
    text = source_model_04(point()).replace("</hypoDepthDist>", "")
    fname = write(tmp_path / "sm.xml", text)
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "</pointSource>"), "mismatched tag")


def test_truncated_file(tmp_path):
    text = source_model_04(point())
    fname = write(tmp_path / "sm.xml", text[:text.index("<nodalPlaneDist>")])
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    assert info.value.fname == fname and info.value.lineno is not None


def test_unknown_typology(tmp_path):
    body = point("1") + '    <pointySource id="2" name="x" tectonicRegion="ASC"/>\n'
    fname = write(tmp_path / "sm.xml", source_model_04(body))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "<pointySource"), "unknown source typology",
                "pointySource")


def test_unknown_typology_names_the_tag(tmp_path):
    body = '    <fooSource id="2" name="x" tectonicRegion="ASC"/>\n'
    fname = write(tmp_path / "sm.xml", source_model_04(body))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, 4, "fooSource", "unknown source typology")


def test_negative_rate(tmp_path):
    fname = write(tmp_path / "sm.xml", source_model_04(point(rates="0.01 -0.005")))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "<incrementalMFD"), "incrementalMFD")


def test_rate_not_a_number(tmp_path):
    fname = write(tmp_path / "sm.xml", source_model_04(point(rates="0.01 lots")))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    exc = info.value
    assert exc.fname == fname and "'0.01 lots'" in str(exc)
    assert exc.lineno in (line_of(fname, "<incrementalMFD"), line_of(fname, "<occurRates>"))


def test_rate_not_a_number_names_the_occur_rates_line_once(tmp_path):
    fname = write(tmp_path / "sm.xml", source_model_04(point(rates="0.01 lots")))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "<occurRates>"), "lots")
    assert str(info.value).count(fname) == 1


@pytest.mark.parametrize("dip", [0, 95, -10])
def test_dip_out_of_range(tmp_path, dip):
    fname = write(tmp_path / "sm.xml", source_model_04(point(dip=dip)))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, 'dip="%s"' % dip), "dip", "out of range")


def test_simple_fault_dip_out_of_range(tmp_path):
    body = """\
    <simpleFaultSource id="f1" name="fault" tectonicRegion="Active Shallow Crust">
      <simpleFaultGeometry>
        <gml:LineString><gml:posList>0.0 0.0 0.0 0.5</gml:posList></gml:LineString>
        <dip>120</dip>
        <upperSeismoDepth>0.0</upperSeismoDepth>
        <lowerSeismoDepth>10.0</lowerSeismoDepth>
      </simpleFaultGeometry>
      <magScaleRel>WC1994</magScaleRel>
      <ruptAspectRatio>1.5</ruptAspectRatio>
      <truncGutenbergRichterMFD aValue="3" bValue="1" minMag="5" maxMag="6"/>
      <rake>90</rake>
    </simpleFaultSource>
"""
    fname = write(tmp_path / "sm.xml", source_model_04(body))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "<dip>"), "dip", "120")


def test_nodal_plane_probabilities_must_sum_to_one(tmp_path):
    text = source_model_04(point()).replace('probability="0.7"', 'probability="0.6"')
    fname = write(tmp_path / "sm.xml", text)
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, line_of(fname, "<nodalPlaneDist>"), "sum to")


def test_duplicated_source_id(tmp_path):
    fname = write(tmp_path / "sm.xml", source_model_04(point("7") + point("7", lon=1)))
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, 23, "duplicated source ID '7'")


def test_wrong_root_and_namespace(tmp_path):
    fname = write(tmp_path / "a.xml", '<sourceModel xmlns="%s"/>\n' % NS04)
    with pytest.raises(InvalidInput, match="root element must be <nrml>"):
        read_source_model(fname, converter())
    fname = write(tmp_path / "b.xml", '<nrml xmlns="http://openquake.org/xmlns/nrml/0.3">\n'
                  '<sourceModel/></nrml>\n')
    with pytest.raises(InvalidInput, match="unknown NRML namespace") as info:
        read_source_model(fname, converter())
    assert info.value.lineno == 1
    fname = write(tmp_path / "c.xml", '<nrml xmlns="%s">\n<logicTree/></nrml>\n' % NS04)
    with pytest.raises(InvalidInput, match="expected <sourceModel>") as info:
        read_source_model(fname, converter())
    assert info.value.lineno == 2


def test_missing_file(tmp_path):
    with pytest.raises(InvalidInput, match="file not found"):
        read_source_model(str(tmp_path / "nothere.xml"), converter())


# ------------------------------------------------------------------ hardening
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.4">
  <sourceModel name="&lol9;"/>
</nrml>
"""


def test_billion_laughs_is_refused(tmp_path):
    fname = write(tmp_path / "lol.xml", BILLION_LAUGHS)
    with pytest.raises(InvalidInput) as info:
        read_source_model(fname, converter())
    check_error(info, fname, 2, "DTD")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE nrml [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    '<!DOCTYPE nrml [<!ENTITY % pe SYSTEM "file://{secret}"> %pe;]>',
    '<!DOCTYPE nrml SYSTEM "file://{secret}">',
])
def test_external_entities_are_refused(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    text = ('<?xml version="1.0"?>\n%s\n<nrml xmlns="%s">\n'
            '  <sourceModel name="&xxe;"/>\n</nrml>\n' % (doctype.format(secret=secret), NS04))
    fname = write(tmp_path / "xxe.xml", text)
    with pytest.raises(InvalidInput) as info:
        reader.parse(fname)
    assert info.value.lineno == 2 and "TOP-SECRET" not in str(info.value)


def test_undeclared_entity_is_an_error():
    with pytest.raises(InvalidInput, match="undefined entity") as info:
        reader.parse_string('<nrml xmlns="%s">\n<sourceModel name="&amp;&foo;"/></nrml>'
                            % NS04, "e.xml")
    assert info.value.lineno == 2


def test_predefined_entities_are_fine():
    node = reader.parse_string('<nrml xmlns="%s"><sourceModel name="a &amp; b &lt;c&gt;"/>'
                               '</nrml>' % NS04)
    assert node["name"] == "a & b <c>"


# ------------------------------------------------------------------ logic trees
SMLT = """\
<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="{ns}">
  <logicTree logicTreeID="lt1">
    {open}
      <logicTreeBranchSet uncertaintyType="sourceModel" branchSetID="bs1">
        <logicTreeBranch branchID="b1">
          <uncertaintyModel>sm.xml</uncertaintyModel>
          <uncertaintyWeight>{w1}</uncertaintyWeight>
        </logicTreeBranch>
        <logicTreeBranch branchID="b2">
          <uncertaintyModel>sm2.xml</uncertaintyModel>
          <uncertaintyWeight>{w2}</uncertaintyWeight>
        </logicTreeBranch>
      </logicTreeBranchSet>
    {close}
  </logicTree>
</nrml>
"""


def smlt(tmp_path, ns=NS04, w1="0.6", w2="0.4") -> str:
    write(tmp_path / "sm.xml", source_model_04(point()))
    write(tmp_path / "sm2.xml", source_model_04(point()))
    if ns == NS04:
        o, c = '<logicTreeBranchingLevel branchingLevelID="bl1">', "</logicTreeBranchingLevel>"
    else:
        o = c = ""
    return write(tmp_path / "smlt.xml", SMLT.format(ns=ns, open=o, close=c, w1=w1, w2=w2))


@pytest.mark.parametrize("ns", [NS04, NS05])
def test_source_model_logic_tree(tmp_path, ns):
    lt = SourceModelLogicTree.from_file(smlt(tmp_path, ns))
    [bs] = lt.branchsets
    assert bs.utype == "sourceModel" and bs.lineno == 5
    assert [(b.branch_id, b.weight, b.char) for b in bs.branches] == [
        ("b1", 0.6, "A"), ("b2", 0.4, "B")]
    assert [w for _, w in lt.paths()] == pytest.approx([0.6, 0.4], rel=1e-12)


def test_case_01_logic_trees(registry):
    lt = SourceModelLogicTree.from_file(str(CASE_01 / "source_model_logic_tree.xml"))
    assert lt.source_model_files(lt.paths()[0][0]) == [str(CASE_01 / "source_model.xml")]
    gl = GsimLogicTree.from_file(str(CASE_01 / "gsim_logic_tree.xml"), registry)
    assert gl.trts == ["active shallow crust"]
    assert [str(g) for g in gl.gsims_by_trt()["active shallow crust"]] == ["SadighEtAl1997"]


@pytest.mark.parametrize("w1, w2", [("0.5", "0.4"), ("0.7", "0.4")])
def test_source_model_weights_must_sum_to_one(tmp_path, w1, w2):
    fname = smlt(tmp_path, w1=w1, w2=w2)
    with pytest.raises(InvalidInput) as info:
        SourceModelLogicTree.from_file(fname)
    check_error(info, fname, line_of(fname, "<logicTreeBranchSet"), "bs1", "not 1")


def test_weight_out_of_range(tmp_path):
    fname = smlt(tmp_path, w1="1.5", w2="-0.5")
    with pytest.raises(InvalidInput) as info:
        SourceModelLogicTree.from_file(fname)
    check_error(info, fname, line_of(fname, "<uncertaintyWeight>1.5"), "1.5")


def test_weight_not_a_number(tmp_path):
    fname = smlt(tmp_path, w1="heavy")
    with pytest.raises(InvalidInput) as info:
        SourceModelLogicTree.from_file(fname)
    check_error(info, fname, line_of(fname, "heavy"), "heavy")


def test_missing_source_model_file(tmp_path):
    fname = smlt(tmp_path)
    (tmp_path / "sm.xml").unlink()
    with pytest.raises(InvalidInput) as info:
        SourceModelLogicTree.from_file(fname)
    check_error(info, fname, line_of(fname, 'branchID="b1"'), "sm.xml")


GSLT = """\
<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
  <logicTree logicTreeID="lt1">
    <logicTreeBranchSet uncertaintyType="gmpeModel" branchSetID="bs1"
                        applyToTectonicRegionType="Active Shallow Crust">
      <logicTreeBranch branchID="g1">
        <uncertaintyModel>{m1}</uncertaintyModel>
        <uncertaintyWeight>{w1}</uncertaintyWeight>
      </logicTreeBranch>
      <logicTreeBranch branchID="g2">
        <uncertaintyModel>{m2}</uncertaintyModel>
        <uncertaintyWeight>{w2}</uncertaintyWeight>
      </logicTreeBranch>
    </logicTreeBranchSet>
  </logicTree>
</nrml>
"""


def gslt(tmp_path, m1="SadighEtAl1997", m2="BooreAtkinson2008", w1="0.5", w2="0.5") -> str:
    return write(tmp_path / "gslt.xml", GSLT.format(m1=m1, m2=m2, w1=w1, w2=w2))


def test_gsim_logic_tree(tmp_path, registry):
    lt = GsimLogicTree.from_file(gslt(tmp_path), registry)
    assert lt.trts == ["Active Shallow Crust"]
    assert [(type(b.value).__name__, b.weight) for b in lt.branchsets[0].branches] == [
        ("SadighEtAl1997", 0.5), ("BooreAtkinson2008", 0.5)]
    assert math.fsum(w for _, w in lt.paths()) == pytest.approx(1.0, rel=1e-12)


def test_unknown_gsim_names_file_and_line(tmp_path, registry):
    fname = gslt(tmp_path, m2="BooreAtkinson2009")
    with pytest.raises(InvalidInput) as info:
        GsimLogicTree.from_file(fname, registry)
    check_error(info, fname, line_of(fname, "BooreAtkinson2009"), "unknown GSIM",
                "'BooreAtkinson2009'", "did you mean 'BooreAtkinson2008'?")


def test_bad_gsim_argument_names_file_and_line(tmp_path, registry):
    fname = gslt(tmp_path, m1="[SadighEtAl1997]\n          magic = 1")
    with pytest.raises(InvalidInput) as info:
        GsimLogicTree.from_file(fname, registry)
    check_error(info, fname, line_of(fname, "[SadighEtAl1997]"), "magic")


def test_gsim_weights_must_sum_to_one(tmp_path, registry):
    fname = gslt(tmp_path, w1="0.7", w2="0.2")
    with pytest.raises(InvalidInput) as info:
        GsimLogicTree.from_file(fname, registry)
    check_error(info, fname, line_of(fname, "<logicTreeBranchSet"), "sum to")


def test_source_uncertainty_in_a_gsim_logic_tree(tmp_path, registry):
    fname = write(tmp_path / "g.xml", GSLT.format(
        m1="SadighEtAl1997", m2="SadighEtAl1997", w1="0.5", w2="0.5").replace(
        'uncertaintyType="gmpeModel"', 'uncertaintyType="sourceModel"'))
    with pytest.raises(InvalidInput) as info:
        GsimLogicTree.from_file(fname, registry)
    check_error(info, fname, line_of(fname, "<logicTreeBranchSet"), "sourceModel")


def test_gsim_logic_tree_collapse(tmp_path, registry):
    from oqcore.hazard.gsim.composite import AvgPoeGMPE
    lt = GsimLogicTree.from_file(gslt(tmp_path, w1="0.3", w2="0.7"), registry)
    bs_id = lt.branchsets[0].bs_id
    assert lt.collapse(["other"]).branchsets == lt.branchsets  # not named: unchanged
    [branch] = lt.collapse([bs_id]).branchsets[0].branches
    assert (branch.branch_id, branch.char) == ("gA0", "A")
    assert branch.weight == pytest.approx(1.0)
    gsim = branch.value
    assert isinstance(gsim, AvgPoeGMPE)
    assert [type(g).__name__ for g in gsim.gsims] == ["SadighEtAl1997", "BooreAtkinson2008"]
    np.testing.assert_allclose(gsim.weights, [0.3, 0.7])
    assert gsim.gsims[0] is lt.branchsets[0].branches[0].value
    with pytest.raises(InvalidInput, match="no GSIM branch set nope") as info:
        lt.check_branchset_ids(["nope"], "collapse_gsim_logic_tree")
    assert info.value.param == "collapse_gsim_logic_tree"
