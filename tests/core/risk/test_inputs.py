"""Risk inputs: exposure (XML and CSV), vulnerability, fragility, consequences and
taxonomy mappings; every bad file fails with its name, line and reason."""
import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.risk.consequence import read_consequences, read_taxonomy_mapping
from oqcore.risk.exposure import associate, read_exposure
from oqcore.risk.fragility import damage_fractions, read_fragility
from oqcore.risk.vulnerability import read_vulnerability

HEAD = '<?xml version="1.0"?>\n<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">\n'

EXPOSURE = HEAD + """<exposureModel id="ex" category="buildings">
  <description>test</description>
  <conversions><costTypes>
    <costType name="structural" type="per_asset" unit="EUR"/>
  </costTypes></conversions>
  <occupancyPeriods>day night</occupancyPeriods>
  <tagNames>region</tagNames>
  <assets>%s</assets>
</exposureModel></nrml>
"""
ASSET = """
    <asset id="%s" number="2" taxonomy="RC">
      <location lon="10.0" lat="45.0"/>
      <costs><cost type="%s" value="%s"/></costs>
      <occupancies><occupancy occupants="4" period="day"/>
                   <occupancy occupants="8" period="night"/></occupancies>
      <tags region="north"/>
    </asset>"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_exposure_xml(tmp_path):
    fname = write(tmp_path, "exp.xml", EXPOSURE % (ASSET % ("a1", "structural", 100) +
                                                  ASSET % ("a2", "structural", 50)))
    ex = read_exposure(fname)
    np.testing.assert_allclose(ex.assets["value-structural"], [200, 100])  # per_asset
    np.testing.assert_allclose(ex.assets["occupants_avg"], [6, 6])
    assert ex.tagnames == ["region", "taxonomy"]
    assert list(ex.tag_values("region")) == ["north", "north"]


@pytest.mark.parametrize("assets,line,msg", [
    (ASSET % ("a1", "structural", 1) + ASSET % ("a1", "structural", 2), 18, "duplicate"),
    (ASSET % ("a1", "walls", 1), 13, "walls"),
    (ASSET % ("a1", "structural", -1), 13, "must be a finite number >= 0"),
])
def test_bad_exposure_xml(tmp_path, assets, line, msg):
    fname = write(tmp_path, "exp.xml", EXPOSURE % assets)
    with pytest.raises(InvalidInput) as err:
        read_exposure(fname)
    assert err.value.fname == fname and err.value.lineno == line
    assert msg in str(err.value)


def test_exposure_csv_with_renamed_fields(tmp_path):
    write(tmp_path, "assets.csv", "ASSET,lon,lat,taxonomy,number,structural,region\n"
          "a1,10,45,RC,1,100,north\na2,10.1,45,RM,2,200,south\n")
    xml = (HEAD + """<exposureModel id="ex" category="buildings">
  <description>d</description>
  <conversions><costTypes><costType name="structural" type="aggregated" unit="EUR"/>
  </costTypes></conversions>
  <exposureFields><field oq="id" input="ASSET"/></exposureFields>
  <tagNames>region</tagNames>
  <assets>assets.csv</assets>
</exposureModel></nrml>""")
    ex = read_exposure(write(tmp_path, "exp.xml", xml))
    assert [a.decode() for a in ex.assets["id"]] == ["a1", "a2"]
    assert ex.tagcol["region"] == ["?", "north", "south"]
    write(tmp_path, "assets.csv", "ASSET,lon,lat,taxonomy,number,structural,region\n"
          "a1,10,45,RC,1,100,north\na2,10.1,45,RM,2,abc,south\n")
    with pytest.raises(InvalidInput) as err:
        read_exposure(str(tmp_path / "exp.xml"))
    assert err.value.lineno == 3 and err.value.fname.endswith("assets.csv")


def test_exposure_csv_gzipped_with_period_columns_residents_and_extra_columns(tmp_path):
    import gzip
    with gzip.open(tmp_path / "assets.csv.gz", "wt") as f:
        f.write("ID,lon,lat,taxonomy,number,COST,CO2,DAY,NIGHT,RES,NOTE,region\n"
                "a1,10,45,RC,1,100,7,3,9,10,anything,north\n"
                "a2,10.1,45,RM,2,200,8,1,5,6,else,south\n")
    xml = (HEAD + """<exposureModel id="ex" category="buildings">
  <description>d</description>
  <conversions><costTypes>
    <costType name="structural" type="aggregated" unit="EUR"/>
    <costType name="embodied_carbon" type="aggregated" unit="CO2eqv"/>
  </costTypes></conversions>
  <exposureFields><field oq="id" input="ID"/><field oq="structural" input="COST"/>
    <field oq="embodied_carbon" input="CO2"/><field oq="day" input="DAY"/>
    <field oq="night" input="NIGHT"/><field oq="residents" input="RES"/></exposureFields>
  <occupancyPeriods>day night</occupancyPeriods>
  <tagNames>region</tagNames>
  <assets>assets.csv.gz</assets>
</exposureModel></nrml>""")
    ex = read_exposure(write(tmp_path, "exp.xml", xml))
    a = ex.assets
    np.testing.assert_allclose(a["value-embodied_carbon"], [7, 8])
    np.testing.assert_allclose(a["occupants_night"], [9, 5])
    np.testing.assert_allclose(a["occupants_avg"], [6, 3])
    from oqcore.risk.model import loss_type_value
    np.testing.assert_allclose(loss_type_value(a, "affectedpop"), [10, 6])  # residents
    np.testing.assert_allclose(loss_type_value(a, "injured", "night"), [9, 5])
    np.testing.assert_allclose(loss_type_value(a, "number"), [1, 2])
    assert "NOTE" not in a.dtype.names  # an undeclared column is ignored, as OpenQuake does


def test_zipped_exposure(tmp_path):
    import zipfile
    xml = EXPOSURE.replace("<tagNames>region</tagNames>", "<tagNames></tagNames>") % \
        "assets.csv"
    good = tmp_path / "exposure.zip"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("exposure.xml", xml)
        z.writestr("assets.csv", "id,lon,lat,taxonomy,number,structural\na1,10,45,RC,1,100\n")
    ex = read_exposure(str(good))
    np.testing.assert_allclose(ex.assets["value-structural"], [100])  # per_asset x 1
    assert ex.source_of[0][0] == str(good) + ":assets.csv"  # no temporary path
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../evil.xml", xml)
    with pytest.raises(InvalidInput, match="unsafe path") as err:
        read_exposure(str(bad))
    assert err.value.fname == str(bad)
    assert not (tmp_path.parent / "evil.xml").exists()


@pytest.mark.parametrize("name", ["../outside.csv", "/etc/passwd", "sub/../../outside.csv"])
def test_exposure_csv_must_stay_in_the_upload(tmp_path, name):
    upload = tmp_path / "upload"
    upload.mkdir()
    (tmp_path / "outside.csv").write_text("id,lon,lat,taxonomy,number,structural\n"
                                          "a1,10,45,RC,1,100\n")
    xml = EXPOSURE.replace("<tagNames>region</tagNames>", "<tagNames></tagNames>") % name
    fname = write(upload, "exp.xml", xml)
    with pytest.raises(InvalidInput) as err:
        read_exposure(fname, root=str(upload))
    assert name in str(err.value) and "/etc/passwd" not in str(err.value).replace(name, "")
    assert err.value.fname == fname and err.value.lineno == 10  # the <assets> line
    if not name.startswith("/"):  # the command line (no root) reads it
        assert len(read_exposure(fname).assets) == 1


def test_association_within_distance():
    idx, dist = associate([10.0, 10.05, 12.0], [45.0, 45.0, 45.0], [10.0, 10.1], [45.0, 45.0],
                          15.0)
    assert list(idx) == [0, 0, -1] or list(idx) == [0, 1, -1]
    assert dist[2] > 100


VULN = HEAD + """<vulnerabilityModel id="v" assetCategory="buildings"
  lossCategory="structural">
  <vulnerabilityFunction id="RC" dist="%s">
    <imls imt="PGA">%s</imls>
    <meanLRs>%s</meanLRs>
    <covLRs>0.1 0.1 0.1</covLRs>
  </vulnerabilityFunction>
</vulnerabilityModel></nrml>
"""


def test_vulnerability_mean_and_sampling(tmp_path):
    _lc, vfs = read_vulnerability(write(tmp_path, "v.xml", VULN % (
        "LN", "0.1 0.2 0.4", "0.1 0.3 0.5")))
    vf = vfs["RC"]
    np.testing.assert_allclose(vf.mean_loss_ratios([0.05, 0.15, 0.4, 1.0]),
                               [0, 0.2, 0.5, 0.5])
    rng = np.random.default_rng(42)
    draws = vf.sample(np.full(20000, 0.2), rng)
    assert abs(draws.mean() - 0.3) < 0.003  # lognormal with the given mean
    assert abs(draws.std() / draws.mean() - 0.1) < 0.005


@pytest.mark.parametrize("dist,imls,lrs,msg", [
    ("LN", "0.1 0.2 0.4", "0.1 -0.3 0.5", "invalid mean loss ratio -0.3"),
    ("LN", "0.1 0.3 0.2", "0.1 0.3 0.5", "strictly increasing"),
    ("XX", "0.1 0.2 0.4", "0.1 0.3 0.5", "unknown distribution"),
    ("BT", "0.1 0.2 0.4", "0.1 0.3 1.5", "> 1 is invalid"),
])
def test_bad_vulnerability(tmp_path, dist, imls, lrs, msg):
    fname = write(tmp_path, "v.xml", VULN % (dist, imls, lrs))
    with pytest.raises(InvalidInput) as err:
        read_vulnerability(fname)
    assert err.value.fname == fname and err.value.lineno is not None
    assert msg in str(err.value)


FRAG = HEAD + """<fragilityModel id="f" assetCategory="buildings" lossCategory="structural">
  <description>d</description>
  <limitStates>LS1 LS2</limitStates>
  <fragilityFunction id="RC" format="discrete">
    <imls imt="PGA" noDamageLimit="0.05">0.1 0.2 0.3</imls>
    <poes ls="LS1">%s</poes>
    <poes ls="LS2">0.0 0.1 0.5</poes>
  </fragilityFunction>
  <fragilityFunction id="RM" format="continuous" shape="logncdf">
    <imls imt="PGA" noDamageLimit="0.05" minIML="0.01" maxIML="3"/>
    <params ls="LS1" mean="0.3" stddev="0.15"/>
    <params ls="LS2" mean="0.6" stddev="0.3"/>
  </fragilityFunction>
</fragilityModel></nrml>
"""


def test_fragility_and_damage_fractions(tmp_path):
    _lc, lss, ffs = read_fragility(write(tmp_path, "f.xml", FRAG % "0.2 0.5 0.9"))
    assert lss == ["LS1", "LS2"]
    poes = ffs["RC"].poes_of(np.array([0.01, 0.2, 0.5]))
    np.testing.assert_allclose(poes, [[0, 0.5, 0.9], [0, 0.1, 0.5]])
    cont = ffs["RM"].poes_of(np.array([0.3, 0.6, 10.0]))
    assert (cont[0] >= cont[1]).all() and cont[0, 2] == cont[0, 2]
    fr = damage_fractions(np.concatenate([poes, cont], axis=1))
    np.testing.assert_allclose(fr.sum(axis=0), 1.0)


def test_a_severer_state_above_a_milder_one_counts_as_reaching_both(tmp_path):
    # as in OpenQuake: a function that only reaches LS2 puts the buildings in LS2
    _lc, _lss, ffs = read_fragility(write(tmp_path, "f.xml", FRAG % "0.0 0.05 0.4"))
    fr = damage_fractions(ffs["RC"].poes_of(np.array([0.2, 0.3])))
    np.testing.assert_allclose(fr, [[0.9, 0.5], [0.0, 0.0], [0.1, 0.5]])


@pytest.mark.parametrize("ls1,msg", [("0.2 0.5 1.3", "[0, 1]"),
                                     ("0.5 0.2 0.9", "must not decrease")])
def test_bad_fragility(tmp_path, ls1, msg):
    fname = write(tmp_path, "f.xml", FRAG % ls1)
    with pytest.raises(InvalidInput) as err:
        read_fragility(fname)
    assert err.value.fname == fname and err.value.lineno in (8, 9)
    assert msg in str(err.value)


def test_consequences_and_mapping(tmp_path):
    c = read_consequences(write(tmp_path, "c.csv", "taxonomy,consequence,loss_type,LS1,LS2\n"
                                "RC,losses,structural,0.1,0.6\n"), ["LS1", "LS2"])
    np.testing.assert_allclose(c[("losses", "structural")]["RC"], [0.1, 0.6])
    with pytest.raises(InvalidInput, match="line 3"):
        read_consequences(write(tmp_path, "c2.csv", "taxonomy,consequence,loss_type,LS1,LS2\n"
                                "RC,losses,structural,0.1,0.6\nRM,losses,structural,x,1\n"),
                          ["LS1", "LS2"])
    m = read_taxonomy_mapping(write(tmp_path, "m.csv", "taxonomy,conversion,weight\n"
                                    "A,RC,0.4\nA,RM,0.6\n"))
    assert m == {"A": [("RC", 0.4), ("RM", 0.6)]}
    with pytest.raises(InvalidInput, match="sum to"):
        read_taxonomy_mapping(write(tmp_path, "m2.csv", "taxonomy,conversion,weight\n"
                                    "A,RC,0.4\nA,RM,0.5\n"))


def test_newer_consequence_and_mapping_forms(tmp_path):
    """risk_id columns, and a consequence file with a peril column instead of loss_type:
    it applies to every loss type of the fragility model."""
    c = read_consequences(write(tmp_path, "c.csv", "risk_id,consequence,peril,LS1,LS2\n"
                                "RC,losses,groundshaking,0.1,0.6\n"), ["LS1", "LS2"])
    np.testing.assert_allclose(c[("losses", None)]["RC"], [0.1, 0.6])
    m = read_taxonomy_mapping(write(tmp_path, "m.csv", "taxonomy,risk_id,weight\nA,RC,1\n"))
    assert m == {"A": [("RC", 1.0)]}


def test_a_risk_model_in_the_per_peril_form_with_consequences(tmp_path):
    from types import SimpleNamespace

    from oqcore.risk.model import read_risk_model
    frag = write(tmp_path, "f.xml", FRAG % "0.2 0.5 0.9")
    csq = write(tmp_path, "c.csv", "taxonomy,consequence,peril,LS1,LS2\nRC,losses,gs,0.1,0.6\n"
                "RM,losses,gs,0.2,0.7\n")
    oq = SimpleNamespace(inputs={"groundshaking_fragility": {"structural": frag},
                                 "consequence": {"taxonomy": [csq]}})
    crm = read_risk_model(oq, "fragility")
    assert crm.loss_types == ["structural"]
    np.testing.assert_allclose(crm.consequences[("losses", "structural")]["RM"], [0.2, 0.7])
    # damage counts buildings: no structural value is needed without a losses consequence
    assets = np.zeros(1, [("number", float)])
    crm.consequences.clear()
    crm.check_values(assets)
    oq.inputs["liquefaction_fragility"] = {"structural": frag}
    with pytest.raises(InvalidInput, match="peril 'liquefaction'"):
        read_risk_model(oq, "fragility")


def test_hazard_sites_from_the_exposure():
    """A hazard job with an exposure and no sites: the distinct asset locations, as in
    OpenQuake's sitemesh of scenario_damage/case_4 (job_haz.ini)."""
    import os

    from oqcore import load_registry
    from oqcore.hazard.site import build_site_collection
    from oqcore.params import read_job_ini
    ini = os.path.join(os.path.dirname(__file__), "..", "..", "data", "risk",
                       "scenario_damage_case_4", "input", "job_haz.ini")
    oq = read_job_ini(ini, load_registry())
    assert not oq.sites and "sites" not in oq.inputs
    sitecol = build_site_collection(oq, ["vs30"])
    np.testing.assert_allclose(sitecol.lons, [81.2985, 83.0823, 85.7477])
    np.testing.assert_allclose(sitecol.lats, [29.1098, 27.9006, 27.9015])
    assert np.all(sitecol["vs30"] == 760.0)


def test_pm_sampling_is_the_discrete_draw_seeded_by_the_event():
    """A PM function inverts one uniform per event exactly as scipy's rv_discrete draws
    with seed master_seed + event ID; motions below the first IML give the first ratio."""
    from scipy import stats

    from oqcore.risk.vulnerability import VulnerabilityFunction
    probs = np.array([[.8, .3, 0.], [.2, .5, .4], [0., .2, .6]])  # (K loss ratios, IMLs)
    vf = VulnerabilityFunction("v", "PGA", np.array([.1, .3, .6]),
                               np.array([.04, .29, .52]), np.zeros(3), "PM",
                               loss_ratios=np.array([0., .5, 1.]), probs=probs)
    gmvs = np.array([.05, .1, .2, .45, .9, .25, .33])
    eids = np.arange(len(gmvs)) + 7
    master_seed = 42
    u = np.array([np.random.RandomState(master_seed + e).random_sample() for e in eids])
    got = vf.sample_pm(gmvs, u)
    for g, e, lr in zip(gmvs, eids, got):
        if g < .1:
            assert lr == 0.0
            continue
        p = [np.interp(min(g, .6), vf.imls, row) for row in probs]
        k = stats.rv_discrete(values=(np.arange(3), p), seed=master_seed + e).rvs()
        assert lr == vf.loss_ratios[k]


def test_area_as_a_cost_type(tmp_path):
    """<costType name="area" type="per_asset"> gives the area of the assets (as
    OpenQuake's scenario/case_16): per_area values are value x area x number."""
    write(tmp_path, "assets.csv", "id,lon,lat,taxonomy,number,area,structural\n"
          "a1,10,45,RC,2,50,100\n")
    xml = (HEAD + """<exposureModel id="ex" category="buildings">
  <description>d</description>
  <conversions><costTypes>
    <costType name="area" type="per_asset" unit="SQM"/>
    <costType name="structural" type="per_area" unit="USD"/>
  </costTypes></conversions>
  <assets>assets.csv</assets>
</exposureModel></nrml>""")
    ex = read_exposure(write(tmp_path, "exp.xml", xml))
    np.testing.assert_allclose(ex.assets["value-structural"], [100 * 50 * 2])
    assert "area" not in ex.cost_types
