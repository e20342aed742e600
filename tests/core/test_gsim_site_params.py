"""The site and distance parameters some GSIMs need beyond the standard ones: z1pt4 from
the reference, text site classes from a site model, site positions, azimuth, rvolc and
the closest point in the contexts; IMTs a GSIM need not support (zero IMT weights)."""
import textwrap

import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import GsimLogicTree
from oqcore.hazard.model import gsim_site_params, zero_weight_imts
from oqcore.hazard.site import build_site_collection
from oqcore.hazard.source.ruptures import site_azimuth
from oqcore.params import read_job_ini


@pytest.fixture(scope="module")
def registry():
    return oqcore.load_registry()


def job(tmp_path, registry, body, files=()):
    for name, text in files:
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip())
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = classical\n"
                   "intensity_measure_types_and_levels = {'PGA': [0.1, 0.2]}\n"
                   "investigation_time = 50\nmaximum_distance = 200\n"
                   + textwrap.dedent(body))
    return read_job_ini(str(ini), registry)


def gsim(registry, name):
    return registry.gsim(name)()


def test_z1pt4_from_the_reference(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites = 138.5 37.0, 137.8 36.2
        reference_vs30_value = 800
        reference_depth_to_1pt4km_per_sec = 81
        """)
    mf = gsim(registry, "MorikawaFujiwara2013SubSlab")
    sc = build_site_collection(oq, sorted(mf.REQUIRES_SITES_PARAMETERS))
    np.testing.assert_array_equal(sc["z1pt4"], [81, 81])
    cm = ContextMaker("Subduction IntraSlab", [mf], oq, sc)
    assert {"z1pt4", "lon", "lat"} <= set(cm.site_fields)
    ctx = cm.new_context(2)
    cm.set_sites(ctx, np.array([1, 0]))
    np.testing.assert_array_equal(ctx["lon"], [138.5, 137.8])


def test_missing_z1pt4_reference_is_an_error(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites = 138.5 37.0
        reference_vs30_value = 800
        """)
    with pytest.raises(InvalidInput, match="reference_depth_to_1pt4km_per_sec"):
        build_site_collection(oq, ["vs30", "z1pt4"])


def test_parameter_without_reference_needs_a_site_model(tmp_path, registry):
    oq = job(tmp_path, registry, """
        sites = 138.5 37.0
        reference_vs30_value = 800
        """)
    with pytest.raises(InvalidInput, match="site parameter '?siteclass"):
        build_site_collection(oq, ["siteclass"])


def test_text_site_class_reaches_the_contexts(tmp_path, registry):
    oq = job(tmp_path, registry, "site_model_file = sites.csv\n",
             [("sites.csv", "lon,lat,siteclass\n0.5,-0.5,C\n1.0,-0.5,A\n")])
    mv = gsim(registry, "McVerry2006AscSC")
    sc = build_site_collection(oq, sorted(mv.REQUIRES_SITES_PARAMETERS))
    cm = ContextMaker("Active Shallow Crust", [mv], oq, sc)
    ctx = cm.new_context(2)
    cm.set_sites(ctx, np.array([0, 1]))
    assert list(ctx["siteclass"]) == [b"C", b"A"]


def test_optional_distances_only_when_required(tmp_path, registry):
    oq = job(tmp_path, registry, "sites = 0 0\nreference_vs30_value = 600\n")
    sc = build_site_collection(oq, ["vs30"])
    plain = ContextMaker("Active Shallow Crust", [gsim(registry, "SadighEtAl1997")], oq, sc)
    assert not {"azimuth", "rvolc", "clon"} & set(plain.dtype.names)
    yu = ContextMaker("Active Shallow Crust", [gsim(registry, "YuEtAl2013Mw")], oq, sc)
    assert "azimuth" in yu.dtype.names
    zhao = ContextMaker("Subduction IntraSlab", [gsim(registry, "ZhaoEtAl2016SSlabPErg")],
                        oq, sc)
    assert {"rvolc", "clon", "clat"} <= set(zhao.dtype.names) and zhao.closest


def test_site_azimuth_is_clockwise_from_the_strike():
    az = site_azimuth(0.0, 0.0, np.array([0.0, 0.0, 90.0]), np.array([0.0, 1.0, 0.0]),
                      np.array([1.0, 0.0, 1.0]))
    np.testing.assert_allclose(az, [0.0, 90.0, 270.0], atol=1e-9)


LT = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><logicTree logicTreeID="lt">
<logicTreeBranchSet branchSetID="bs" uncertaintyType="gmpeModel"
  applyToTectonicRegionType="Active Shallow Crust">
 <logicTreeBranch branchID="b1"><uncertaintyModel>BooreEtAl2014</uncertaintyModel>
  <uncertaintyWeight>0.5</uncertaintyWeight>
  <uncertaintyWeight imt="PGA">0</uncertaintyWeight>
  <uncertaintyWeight imt="SA(0.2)">{w1}</uncertaintyWeight></logicTreeBranch>
 <logicTreeBranch branchID="b2"><uncertaintyModel>SiMidorikawa1999Asc</uncertaintyModel>
  <uncertaintyWeight>0.5</uncertaintyWeight>
  <uncertaintyWeight imt="PGA">1</uncertaintyWeight>
  <uncertaintyWeight imt="SA(0.2)">{w2}</uncertaintyWeight></logicTreeBranch>
</logicTreeBranchSet></logicTree></nrml>
"""


def test_zero_imt_weight_exempts_an_unsupported_imt(tmp_path, registry):
    path = tmp_path / "gmcLT.xml"
    path.write_text(LT.format(w1=1, w2=0))
    gslt = GsimLogicTree.from_file(str(path), registry)
    imts = [IMT.from_string("PGA"), IMT.from_string("SA(0.2)")]
    exempt = zero_weight_imts(gslt, imts)
    gsims = [b.value for b in gslt.branchsets[0].branches]
    assert exempt[gsims[1]] == {"SA(0.2)"}
    assert gsim_site_params(gsims, imts, exempt) == ["vs30"]
    with pytest.raises(Exception, match="SiMidorikawa1999Asc is not defined for SA"):
        gsim_site_params(gsims, imts)


def test_non_zero_weight_on_unsupported_imt_is_an_error(tmp_path, registry):
    path = tmp_path / "gmcLT.xml"
    path.write_text(LT.format(w1=0.5, w2=0.5))
    gslt = GsimLogicTree.from_file(str(path), registry)
    imts = [IMT.from_string("PGA"), IMT.from_string("SA(0.2)")]
    with pytest.raises(InvalidInput, match=r"gmcLT.xml.*non-zero weights assigned to "
                                           r"IMT\(s\) SA\(0.2\).*SiMidorikawa1999Asc"):
        zero_weight_imts(gslt, imts)
