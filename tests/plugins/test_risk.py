"""GMF-based and classical risk calculators on small jobs (tests/data/risk): outputs
against OpenQuake 3.26.2, direct numpy checks, conservation laws, parent jobs."""
import json
import os
import shutil

import numpy as np
import pytest

import oqcore
from oqcore.config import Settings
from oqcore.export import export
from oqcore.extract import extract
from oqcore.jobs.runner import Engine
from tests.qa.compare import compare

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "risk")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    datadir = str(tmp_path_factory.mktemp("riskdata"))
    settings = Settings.load(datadir=datadir, db_file=os.path.join(datadir, "db.sqlite3"),
                             oq_distribute="no", num_cores=1)
    return Engine(settings, oqcore.load_registry())


def run(engine, case, ini, hc=None, overrides=None, tmp=None):
    src = os.path.join(DATA, case, "input")
    if tmp is not None:
        shutil.copytree(src, tmp / case)
        src = str(tmp / case)
    job_id = engine.create_job(os.path.join(src, ini), hc_id=hc, overrides=overrides)
    status = engine.run(job_id, echo=False)
    assert status == "complete", engine.db.get_job(job_id)["traceback"]
    return job_id


def export_all(engine, job_id, outdir):
    files = []
    with engine.open_datastore(job_id) as ds:
        for out in engine.db.get_outputs(job_id):
            kind = out["ds_key"]
            if "csv" in engine.registry.export_formats(kind):
                files += export(engine.registry, ds, kind, "csv", str(outdir))
    return {os.path.basename(f).rsplit("_", 1)[0] + ".csv": f for f in files}


def check_expected(case, produced):
    problems = []
    exp = os.path.join(DATA, case, "expected")
    for name in sorted(n for n in os.listdir(exp) if n.endswith(".csv")):
        if name not in produced:
            problems.append("missing " + name)
        else:
            problems += compare(os.path.join(exp, name), produced[name])
    assert not problems, problems[:5]


@pytest.mark.parametrize("case,ini", [("scenario_risk_case_1", "job_risk.ini"),
                                      ("gmf_ebrisk_case_2", "job.ini"),
                                      ("scenario_damage_mean", "job_risk.ini"),
                                      ("scenario_damage_consequences", "job_sd.ini"),
                                      ("classical_risk_case_1", "job.ini"),
                                      ("classical_damage_case_1a", "job.ini"),
                                      ("scenario_risk_insurance", "job.ini"),
                                      ("scenario_damage_residents", "job.ini"),
                                      ("gmf_ebrisk_pla", "job_pla.ini"),
                                      ("gmf_ebrisk_hdf5", "job.ini"),
                                      ("classical_risk_flat", "job.ini")])
def test_outputs_as_openquake(engine, tmp_path, case, ini):
    job_id = run(engine, case, ini)
    check_expected(case, export_all(engine, job_id, tmp_path))


def test_classical_loss_curves_as_openquake_to_printed_digits(engine, tmp_path):
    """Loss curves from annual frequencies of occurrence of the hazard (the PoEs
    printed by OpenQuake with 6 digits are matched to 2e-5)."""
    job_id = run(engine, "classical_risk_case_1", "job.ini")
    produced = export_all(engine, job_id, tmp_path)
    exp = os.path.join(DATA, "classical_risk_case_1", "expected", "loss_curves-mean.csv")
    assert not compare(exp, produced["loss_curves-mean.csv"], rtol=2e-5)


def test_scenario_average_losses_equal_numpy(engine):
    """avg loss = mean over events of mean loss ratio(gmv) x value, per asset."""
    job_id = run(engine, "gmf_ebrisk_case_2", "job.ini",
                 overrides={"calculation_mode": "scenario_risk"})
    gmf = np.loadtxt(os.path.join(DATA, "gmf_ebrisk_case_2", "input", "gmfs_3_2IM.csv"),
                     delimiter=",", skiprows=1)
    # RC on PGA, RM on SA(0.3) (see vulnerability_2IM.xml); every value is 1
    funcs = {"RM": ([0.1, 0.2, 0.3, 0.5, 0.7], [0.05, 0.1, 0.2, 0.4, 0.8], 3),
             "RC": ([0.1, 0.2, 0.3, 0.5, 0.7], [0.0035, 0.07, 0.14, 0.28, 0.56], 2)}
    with engine.open_datastore(job_id) as ds:
        assets = ds["assetcol/array"][()]
        taxos = [t.decode() for t in ds["assetcol/tagcol/taxonomy"][()]]
        avg = ds["avg_losses-rlzs/structural"][()][:, 0]
        for a, rec in enumerate(assets):
            imls, lrs, col = funcs[taxos[rec["taxonomy"]]]
            rows = gmf[gmf[:, 0] == rec["site_id"]]
            x = rows[:, col]
            lr = np.where(x < imls[0], 0, np.interp(x, imls, lrs))
            expected = lr.sum() / 3 * rec["value-structural"]
            np.testing.assert_allclose(avg[a], expected, rtol=1e-6)


def test_damage_states_sum_to_buildings(engine):
    job_id = run(engine, "scenario_damage_mean", "job_risk.ini",
                 overrides={"discrete_damage_distribution": "true"})
    with engine.open_datastore(job_id) as ds:
        number = ds["assetcol/array"][()]["number"]
        dmg = ds["damages-rlzs"][()]
        tot = sum(dmg["structural-%s" % s][:, 0] for s in ("no_damage", "LS1", "LS2"))
        np.testing.assert_allclose(tot, number, rtol=1e-6)
        for s in ("no_damage", "LS1", "LS2"):  # integer numbers of buildings
            np.testing.assert_array_equal(dmg["structural-" + s], np.round(
                dmg["structural-" + s]))


def test_aggregate_by_tags_sum_to_total(engine, tmp_path):
    job_id = run(engine, "scenario_risk_case_1", "job_risk.ini", overrides={
        "aggregate_by": "taxonomy; OCC, taxonomy", "region": "15.40 38.30, 15.63 38.30, "
        "15.63 38.01, 15.40 38.01", "asset_hazard_distance": "50"})
    with engine.open_datastore(job_id) as ds:
        tab = ds.read_table("aggrisk")
        keys = ds["agg_keys"][()]
        K = len(keys)
        total = tab["loss"][tab["agg_id"] == K].sum()
        assert total > 0
        meta = ds.read_json("risk_meta")
        start = 0
        for n in meta["agg_counts"]:
            sel = (tab["agg_id"] >= start) & (tab["agg_id"] < start + n)
            np.testing.assert_allclose(tab["loss"][sel].sum(), total, rtol=1e-5)
            start += n
        aw = extract(ds, "agg_losses/structural?taxonomy=*", engine.registry)
        np.testing.assert_allclose(aw.array.sum(), total, rtol=1e-5)
    files = export_all(engine, job_id, tmp_path)
    assert "aggrisk-taxonomy.csv" in files and "aggrisk-OCC-taxonomy.csv" in files


def test_risk_from_parent_gmfs(engine, tmp_path):
    """A risk job reads the gmf_data of its parent (--hc) and leaves it untouched."""
    parent = run(engine, "scenario_risk_case_1", "job_risk.ini")
    path = engine.datastore_path(parent)
    before = os.path.getmtime(path), os.path.getsize(path)
    ini = tmp_path / "job.ini"
    src = os.path.join(DATA, "scenario_risk_case_1", "input")
    ini.write_text("[general]\ncalculation_mode = scenario_risk\nexposure_file = %s\n"
                   "structural_vulnerability_file = %s\n"
                   "minimum_asset_loss = {'structural': 200}\n" % (
                       os.path.join(src, "exposure_model.xml"),
                       os.path.join(src, "vulnerability.xml")))
    child = engine.create_job(str(ini), hc_id=parent)
    assert engine.run(child, echo=False) == "complete"
    with engine.open_datastore(parent) as p, engine.open_datastore(child) as c:
        a = p["avg_losses-rlzs/structural"][()]
        b = c["avg_losses-rlzs/structural"][()]
        # the child keeps all three assets (no region); a2 has the same losses
        ids = [x.decode() for x in c["assetcol/array"]["id"]]
        np.testing.assert_allclose(b[ids.index("a2")], a[0], rtol=1e-6)
    # a failing risk job (bad vulnerability) does not touch the parent
    bad = tmp_path / "bad.xml"
    bad.write_text(open(os.path.join(src, "vulnerability.xml")).read().replace(
        "3.5000E-03", "-3.5000E-03"))
    ini.write_text(ini.read_text().replace(os.path.join(src, "vulnerability.xml"), str(bad)))
    with pytest.raises(oqcore.errors.InvalidInput, match="line"):
        engine.create_job(str(ini), hc_id=parent)
    assert (os.path.getmtime(path), os.path.getsize(path)) == before


def test_no_hazard_is_a_clear_error(engine, tmp_path):
    src = os.path.join(DATA, "scenario_risk_case_1", "input")
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = scenario_damage\nexposure_file = %s\n"
                   "structural_fragility_file = %s\n" % (
                       os.path.join(src, "exposure_model.xml"),
                       os.path.join(DATA, "scenario_damage_mean", "input",
                                    "fragility_discrete.xml")))
    job_id = engine.create_job(str(ini))
    assert engine.run(job_id, echo=False) == "failed"
    assert "gmfs_file" in engine.db.get_job(job_id)["traceback"]


def test_extract_specs(engine):
    job_id = run(engine, "scenario_damage_mean", "job_risk.ini")
    reg = engine.registry
    with engine.open_datastore(job_id) as ds:
        assert len(extract(ds, "assets", reg).array) == 3
        tags = extract(ds, "asset_tags", reg)
        assert list(tags.taxonomy) == [b"taxonomy=?", b"taxonomy=RM", b"taxonomy=RC"]
        meta = json.loads(extract(ds, "exposure_metadata", reg).json)
        assert meta["tagnames"] == ["CRESTA", "region", "taxonomy"]
        assert "value-structural" in meta["names"]
        assert len(extract(ds, "assets?taxonomy=RM", reg).array) == 2
        dm = extract(ds, "agg_damages/structural", reg)
        np.testing.assert_allclose(dm.array.sum(), 6000, rtol=1e-6)
        dm = extract(ds, "agg_damages/structural?taxonomy=RM", reg)
        np.testing.assert_allclose(dm.array.sum(), 4000, rtol=1e-6)
        crm = json.loads(extract(ds, "composite_risk_model.attrs", reg).json)
        assert crm["limit_states"] == ["LS1", "LS2"] and crm["covs"] == 0


def test_gmfs_by_custom_site_id(engine, tmp_path):
    """A GMF file keyed by custom_site_id (as exported) gives the same losses."""
    src = tmp_path / "scenario_risk_case_1"
    run(engine, "scenario_risk_case_1", "job_risk.ini", tmp=tmp_path)
    rows = open(src / "gmf_scenario.csv").read().splitlines()
    lines = ["event_id,gmv_PGA,custom_site_id"] + [
        "%s,%s,sqg14hdk" % (r.split(",")[1], r.split(",")[2]) for r in rows[1:]]
    (src / "gmf_scenario.csv").write_text("\n".join(lines) + "\n")
    job_id = engine.create_job(str(src / "job_risk.ini"))
    assert engine.run(job_id, echo=False) == "complete"
    with engine.open_datastore(job_id) as ds:
        np.testing.assert_allclose(ds["avg_losses-rlzs/structural"][()][0, 0], 412.367,
                                   rtol=1e-5)
    (src / "gmf_scenario.csv").write_text("\n".join(lines[:3] + ["2,0.3,nowhere"]) + "\n")
    with pytest.raises(oqcore.errors.InvalidInput, match="line 4.*nowhere"):
        engine.validate(str(src / "job_risk.ini"))


def test_event_based_damage_with_consequences(engine, tmp_path):
    """Average damage per event sums to the buildings; consequences per
    risk_investigation_time; aggregate curves of the consequences."""
    src = tmp_path / "eb"
    shutil.copytree(os.path.join(DATA, "scenario_damage_consequences", "input"), src)
    job_id = engine.create_job(str(src / "job_sd.ini"), overrides={
        "calculation_mode": "event_based_damage", "investigation_time": "10",
        "aggregate_by": "taxonomy"})
    assert engine.run(job_id, echo=False) == "complete"
    with engine.open_datastore(job_id) as ds:
        dmg = ds["damages-rlzs"][()]
        tot = sum(dmg["structural-%s" % s][:, 0] for s in ("no_damage", "LS1", "LS2"))
        np.testing.assert_allclose(tot, ds["assetcol/array"]["number"], rtol=1e-6)
        curves = ds.read_table("aggcurves")
        assert set(curves) >= {"losses", "collapsed", "return_period"}
    files = export_all(engine, job_id, tmp_path / "out")
    assert "avg_risk-rlz-000.csv" in files and "aggcurves-taxonomy.csv" in files


def test_total_losses_must_name_model_loss_types(engine):
    ini = os.path.join(DATA, "scenario_risk_case_1", "input", "job_risk.ini")
    with pytest.raises(oqcore.errors.InvalidInput, match="total_losses: contents"):
        engine.create_job(ini, overrides={"total_losses": "structural+contents"})


def test_far_assets_need_discard_assets(engine, tmp_path):
    """Event based: assets far from every hazard site are an error naming them, unless
    discard_assets; scenarios discard them with a warning."""
    ini = os.path.join(DATA, "gmf_ebrisk_case_2", "input", "job.ini")
    sites = tmp_path / "sites.csv"
    sites.write_text("site_id,lon,lat\n0,15.48,38.09\n1,16.5,38.17\n2,16.5,38.25\n")
    over = {"asset_hazard_distance": "5", "sites_csv": str(sites)}
    job_id = engine.create_job(ini, overrides=over)
    assert engine.run(job_id, echo=False) == "failed"
    tb = engine.db.get_job(job_id)["traceback"]
    assert "2 asset(s)" in tb and "a2, a3" in tb and "discard_assets" in tb
    job_id = engine.create_job(ini, overrides=dict(over, discard_assets="true"))
    assert engine.run(job_id, echo=False) == "complete"
    with engine.open_datastore(job_id) as ds:
        assert [a.decode() for a in ds["discarded"]["asset_ref"]] == ["a2", "a3"]


def test_bcr_as_openquake(engine, tmp_path):
    """classical_bcr against OpenQuake 3.26.2 (the annual losses differ by ~0.15%)."""
    job_id = run(engine, "classical_bcr_case_1", "job_risk.ini")
    files = export_all(engine, job_id, tmp_path)
    exp = np.genfromtxt(os.path.join(DATA, "classical_bcr_case_1", "expected",
                                     "bcr-rlz-000.csv"), delimiter=",", names=True)
    got = np.genfromtxt(files["bcr-rlz-000.csv"], delimiter=",", names=True)
    for name in ("annual_loss_orig", "annual_loss_retro", "bcr"):
        np.testing.assert_allclose(got[name], exp[name], rtol=2e-3)


def test_exposure_export_reads_back(engine, tmp_path):
    """The exported exposure (XML + asset CSV) is a valid exposure of the same assets."""
    from oqcore.risk.exposure import read_exposure
    job_id = run(engine, "scenario_damage_mean", "job_risk.ini")
    with engine.open_datastore(job_id) as ds:
        files = export(engine.registry, ds, "exposure", "zip", str(tmp_path))
        ex = read_exposure([f for f in files if f.endswith(".xml")][0])
        assert sorted(a.decode() for a in ex.assets["id"]) == ["a1", "a2", "a3"]
        np.testing.assert_allclose(sorted(ex.assets["value-structural"]), [1000, 2000, 3000])
        assert ex.tagcol["region"] == ["?", "Alhué"]


def test_post_loss_amplification_needs_no_avg_losses(engine):
    """OpenQuake's rule: the average losses per asset are not amplified."""
    with pytest.raises(Exception, match="avg_losses"):
        run(engine, "gmf_ebrisk_pla", "job_pla.ini", overrides={"avg_losses": "true"})


def test_amplification_factors_between_periods():
    from oqcore.risk.amplification import read_amplification
    amp = read_amplification(os.path.join(DATA, "gmf_ebrisk_pla", "input", "pla_model.csv"))
    # 1 below the first period, linear between rows, the last factor above the last
    np.testing.assert_allclose(amp(np.array([0.5, 7.5, 75, 20000])),
                               [1.0, 1.046, (1.1738 + 1.209) / 2, 1.4])


@pytest.mark.parametrize("rows,match", [("A,.5,.6", "exceeds the insurance limit"),
                                        ("Z,.5,.1", "not a value of the exposure"),
                                        ("A,1.5,.1", "fraction between 0 and 1")])
def test_bad_policy_file_names_its_line(tmp_path, rows, match):
    from oqcore.errors import InvalidInput
    from oqcore.risk.insurance import read_insurance
    fname = tmp_path / "policy.csv"
    fname.write_text("policy,insurance_limit,deductible\nB,1,0\n" + rows + "\n")
    with pytest.raises(InvalidInput, match=match) as exc:
        read_insurance({"structural": str(fname)}, ["?", "A", "B"], ["structural"])
    assert exc.value.lineno == 3


def test_insured_losses_between_deductible_and_limit():
    from oqcore.risk.insurance import InsuranceCover
    cover = InsuranceCover("structural", np.array([0, .1, 0.]), np.array([0, .5, 0.]),
                           np.array([False, True, False]))
    # value 100: deductible 10, limit 50; the asset without a policy insures nothing
    got = cover.insured(np.array([5., 30., 80., 30.]), np.full(4, 100.),
                        np.array([1, 1, 1, 2]))
    np.testing.assert_allclose(got, [0, 20, 40, 0])


def test_risk_model_of_the_hazard_job_and_its_minimum_intensity(engine, tmp_path):
    """scenario_damage/case_6 of OpenQuake: the fragility model is given in the hazard
    job only; its minIML (continuous functions) is the minimum intensity of the GMFs,
    so that some sites have no ground motion in some events (their buildings count as
    undamaged there), and damage fractions below 1e-7 are dropped, as OpenQuake does."""
    case = "scenario_damage_case_6"
    hc = run(engine, case, "job_h.ini")
    job_id = run(engine, case, "job_r.ini", hc=hc)
    # the GMFs as OpenQuake keeps them: the rows where every IMT is below its minimum
    # intensity (0.025 g on PGA, none on SA(0.4)) are left out
    gmfs = export_all(engine, hc, tmp_path / "hazard")
    assert not compare(os.path.join(DATA, case, "expected", "job_h", "gmf-data.csv"),
                       gmfs["gmf-data.csv"])
    check_expected(case, export_all(engine, job_id, tmp_path))
    with engine.open_datastore(job_id) as ds:
        dmg = ds["damages-rlzs"][()]
        number = ds["assetcol/array"][()]["number"]
        states = [n for n in dmg.dtype.names]
        np.testing.assert_allclose(sum(dmg[n][:, 0] for n in states), number, rtol=1e-6)


def test_damage_fractions_of_crossing_curves_as_openquake():
    from oqcore.risk.fragility import damage_fractions
    # P(Moderate) < P(Extensive): Moderate gets nothing, Slight keeps P1 - P2; tiny
    # fractions are dropped; no damage is what the states leave
    poes = np.array([[0.5, 0.3], [0.1, 0.2], [0.2, 0.1], [5e-8, 0.05]])
    fr = damage_fractions(poes)
    np.testing.assert_allclose(fr[:, 0], [0.4 + 5e-8, 0.4, 0.0, 0.2 - 5e-8, 0.0], atol=1e-12)
    np.testing.assert_allclose(fr[:, 1], [0.7, 0.1, 0.1, 0.05, 0.05])
    np.testing.assert_allclose(fr.sum(axis=0), 1.0)
