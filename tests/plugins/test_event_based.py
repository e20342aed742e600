"""The event_based and scenario calculators end to end: worker-count independence,
curves from GMFs against classical curves, exports, extract specs, input errors."""
import os

import numpy as np
import pytest

import oqcore
from oqcore.config import Settings
from oqcore.errors import InvalidInput
from oqcore.export import export
from oqcore.extract import extract
from oqcore.jobs.runner import Engine

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "gmf")
EB_JOB = os.path.join(DATA, "eb_vs_classical", "job.ini")
SC_JOB = os.path.join(DATA, "scenario", "job.ini")


def engine(tmp_path, distribute="no", cores=2):
    datadir = str(tmp_path / ("data-" + distribute))
    settings = Settings.load(datadir=datadir, db_file=os.path.join(datadir, "db.sqlite3"),
                             oq_distribute=distribute, num_cores=cores)
    return Engine(settings, oqcore.load_registry())


def run(eng, job_ini, overrides=None):
    job_id = eng.create_job(job_ini, overrides=overrides)
    assert eng.run(job_id, echo=False) == "complete", eng.db.get_job(job_id)["traceback"]
    return job_id


@pytest.fixture(scope="module")
def eb(tmp_path_factory):
    """The 50,000-year event-based job (one worker)."""
    eng = engine(tmp_path_factory.mktemp("eb"))
    return eng, run(eng, EB_JOB)


@pytest.fixture(scope="module")
def sc(tmp_path_factory):
    eng = engine(tmp_path_factory.mktemp("sc"))
    return eng, run(eng, SC_JOB)


def test_same_datasets_with_one_or_two_workers(tmp_path, eb, monkeypatch):
    """Same datasets with 2 workers, 1 worker, and 1 worker with other task sizes."""
    from oqplugins.calculators import event_based
    eng1, _ = eb
    eng2 = engine(tmp_path, "processpool", 2)
    small = {"ses_per_logic_tree_path": "5000"}
    jid2 = run(eng2, EB_JOB, small)
    jid3 = run(eng1, EB_JOB, small)
    monkeypatch.setattr(event_based, "RUPTURES_PER_TASK", 3)
    jid4 = run(eng1, EB_JOB, small)
    for other in (jid3, jid4):
        with eng2.open_datastore(jid2) as a, eng1.open_datastore(other) as b:
            for key in ("ruptures", "events", "sigma_epsilon"):
                np.testing.assert_array_equal(a[key][()], b[key][()])
            for col in ("sid", "eid", "PGA"):
                np.testing.assert_array_equal(a["gmf_data"][col][()],
                                              b["gmf_data"][col][()])


def test_curves_from_gmfs_agree_with_classical(tmp_path, eb):
    """50,000 years of GMFs: the hazard curves agree with the classical ones within
    5 % where poe > 1e-2."""
    eng, jid = eb
    cl = run(eng, EB_JOB, {"calculation_mode": "classical"})
    with eng.open_datastore(jid) as a, eng.open_datastore(cl) as b:
        ebc = a["hcurves-rlzs"][:, 0]  # (N, M, L1)
        clc = b["hcurves-rlzs"][:, 0]
    ok = clc > 1e-2
    assert ok.sum() >= 6
    np.testing.assert_allclose(ebc[ok], clc[ok], rtol=0.05)


def test_event_based_datasets(eb):
    eng, jid = eb
    with eng.open_datastore(jid) as ds:
        events = ds["events"][()]
        rups = ds["ruptures"][()]
        assert events["id"].tolist() == list(range(len(events)))
        assert rups["n_occ"].sum() == len(events)
        # Poisson: 10^(6-5) - 10^(6-7) = 9.9 events/year in M5-7, 50,000 years
        assert abs(len(events) - 495_000) < 4 * np.sqrt(495_000)
        assert events["year"].min() >= 1 and events["year"].max() <= 50_000
        eids = ds["gmf_data"]["eid"][()]
        assert (np.diff(eids.astype(np.int64)) >= 0).all()
        assert ds["gmf_data"].attrs["effective_time"] == 50_000


def test_rupture_info_extract(eb):
    eng, jid = eb
    with eng.open_datastore(jid) as ds:
        aw = extract(ds, "rupture_info?min_mag=6", eng.registry)
        names = aw.array.dtype.names
        assert names == ("rup_id", "source_id", "multiplicity", "mag", "centroid_lon",
                         "centroid_lat", "centroid_depth", "trt", "strike", "dip", "rake")
        assert (aw.array["mag"] >= 6).all() and len(aw.array)
        assert aw.array["trt"][0] == b"Active Shallow Crust"
        np.testing.assert_allclose(aw.array["dip"], 60, atol=1e-3)
        assert aw.investigation_time == 0.1
        mfd = extract(ds, "event_based_mfd", eng.registry)
        assert (np.diff(mfd.mag) > 0).all()
        num = extract(ds, "num_events", eng.registry)
        assert num.num_events == len(ds["events"])


def test_event_based_exports(eb, tmp_path):
    eng, jid = eb
    names = {o["ds_key"] for o in eng.db.get_outputs(jid)}
    assert {"gmf_data", "events", "ruptures", "event_based_mfd", "hcurves"} <= names
    with eng.open_datastore(jid) as ds:
        files = export(eng.registry, ds, "ruptures", "csv", str(tmp_path))
        with open(files[0], newline="") as f:
            lines = f.read().split("\r\n")
        assert "ses_per_logic_tree_path=500000" in lines[0]
        assert lines[1].startswith("rup_id,source_id,multiplicity,mag,centroid_lon")
        xml = export(eng.registry, ds, "ruptures", "xml", str(tmp_path))
        assert "<singlePlaneRupture" in open(xml[0]).read()


def test_scenario_outputs(sc, tmp_path):
    eng, jid = sc
    with eng.open_datastore(jid) as ds:
        assert len(ds["events"]) == 102
        assert len(ds["ruptures"]) == 1
        # maximum_distance = 5 km: only the site on the rupture gets a field
        assert set(ds["gmf_data"]["sid"][()]) == {0}
        files = export(eng.registry, ds, "gmf_data", "csv", str(tmp_path))
        base = sorted(os.path.basename(f).rsplit("_", 1)[0] for f in files)
        assert base == ["gmf-data", "sigma_epsilon", "sitemesh"]
        h5 = export(eng.registry, ds, "gmf_data", "hdf5", str(tmp_path))
        import h5py
        with h5py.File(h5[0]) as f:
            assert f["gmf_data"].attrs["num_events"] == 102
            assert len(f["gmf_data/PGA"]) == len(ds["gmf_data"]["PGA"])
            assert len(f["sitecol/lon"]) == 3
        aw = extract(ds, "gmf_data?event_id=3", eng.registry)
        rec = getattr(aw, "rlz-000")
        assert rec["custom_site_id"].tolist() == [b"7zzzzzzz", b"ebpbxfpy", b"ebpcpurv"]
        assert rec["PGA"][0] > 0 and rec["PGA"][1] == 0
        avg = extract(ds, "avg_gmf?imt=PGA", eng.registry)
        assert avg.custom_site_id.tolist() == ["7zzzzzzz"]
        info = extract(ds, "rupture_info", eng.registry)
        assert info.array["source_id"][0] == b"no-source"
        assert info.array["mag"][0] == pytest.approx(6.5)
    names = {o["ds_key"] for o in eng.db.get_outputs(jid)}
    assert "ruptures" not in names and {"gmf_data", "avg_gmf", "events"} <= names


def test_bad_rupture_file(tmp_path):
    job = tmp_path / "job.ini"
    job.write_text(open(SC_JOB).read())
    rup = open(os.path.join(DATA, "scenario", "rupture_model.xml")).read()
    (tmp_path / "rupture_model.xml").write_text(rup.replace("<magnitude>6.5",
                                                            "<magnitude>six"))
    eng = engine(tmp_path)
    with pytest.raises(InvalidInput) as exc:
        eng.create_job(str(job))
    assert "rupture_model.xml" in str(exc.value) and "line 6" in str(exc.value)


@pytest.mark.parametrize("override, needle", [
    ({"ses_per_logic_tree_path": "0"}, "ses_per_logic_tree_path"),
    ({"gsim": "SadighEtAl1997", "intensity_measure_types_and_levels": '{"PGV": [1, 2]}'},
     "SadighEtAl1997 is not defined for PGV"),
    ({"ground_motion_correlation_model": "HM2018"}, "not supported"),
])
def test_event_based_input_errors(tmp_path, override, needle):
    eng = engine(tmp_path)
    with pytest.raises(InvalidInput, match=needle.replace("(", r"\(")):
        eng.create_job(EB_JOB, overrides=override)


def test_scenario_from_gmfs_file(tmp_path):
    eng = engine(tmp_path)
    jid = run(eng, os.path.join(DATA, "gmfs_file", "job.ini"))
    with eng.open_datastore(jid) as ds:
        assert ds["events"].dtype.names == ("id", "rup_id", "rlz_id")
        assert len(ds["events"]) == 3
        gd = ds["gmf_data"]
        assert gd.attrs["imts"] == "PGA SA(0.3)"
        # a sites file with site_id keeps its order (as OpenQuake's sitemesh export of
        # gmf_ebrisk/case_2 shows): the file's sites 1 and 2 are the sites 1 and 2
        assert gd["eid"][:2].tolist() == [0, 0] and gd["sid"][:2].tolist() == [1, 2]
        np.testing.assert_allclose(gd["PGA"][:2], [0.3, 0.6])
        assert ds["sitecol"]["lon"].tolist() == [15.48, 15.56, 15.48]
        assert "ruptures" not in ds and "sigma_epsilon" not in ds
        with pytest.raises(Exception, match="no ruptures"):
            extract(ds, "rupture_info", eng.registry)
    names = {o["ds_key"] for o in eng.db.get_outputs(jid)}
    assert {"gmf_data", "events"} <= names and "ruptures" not in names


def test_ruptures_only(tmp_path):
    eng = engine(tmp_path)
    jid = run(eng, EB_JOB, {"ground_motion_fields": "false", "ses_per_logic_tree_path": "100"})
    with eng.open_datastore(jid) as ds:
        assert "gmf_data" not in ds and "hcurves-rlzs" not in ds
        assert len(ds["events"]) == ds["ruptures"]["n_occ"].sum() > 0
        assert len(ds["rupgeoms"]) == len(ds["ruptures"])
    names = {o["ds_key"] for o in eng.db.get_outputs(jid)}
    assert {"ruptures", "events", "event_based_mfd"} <= names and "gmf_data" not in names


def test_scenario_with_gsim_logic_tree(tmp_path):
    """Three GSIM branches: three realizations of 102 events each, weights as given,
    GMFs on all three sites within 200 km; no spatial correlation with a GSIM having
    only a total standard deviation."""
    eng = engine(tmp_path)
    lt = {"gsim_logic_tree_file": "three_gsim_logic_tree.xml", "maximum_distance": "200"}
    corr = {"ground_motion_correlation_model": "JB2009",
            "ground_motion_correlation_params": '{"vs30_clustering": True}'}
    with pytest.raises(InvalidInput, match="CauzziFaccioli2008 defines only the total"):
        eng.create_job(SC_JOB, overrides=dict(lt, **corr))
    jid = run(eng, SC_JOB, lt)
    with eng.open_datastore(jid) as ds:
        ev = ds["events"][()]
        assert np.bincount(ev["rlz_id"]).tolist() == [102, 102, 102]
        np.testing.assert_allclose(ds["weights"][()], [0.4, 0.4, 0.2])
        assert len(ds["gmf_data"]["sid"]) == 306 * 3
        assert ds["realizations"]["branch_path"].tolist() == [b"~A", b"~B", b"~C"]


def test_scenario_from_rupture_csv(tmp_path):
    """OpenQuake's rupture CSV; the GSIM branch set of the rupture's TRT is used."""
    eng = engine(tmp_path)
    jid = run(eng, os.path.join(DATA, "scenario_csv", "job.ini"))
    with eng.open_datastore(jid) as ds:
        np.testing.assert_allclose(ds["weights"][()], [0.6, 0.4])
        assert len(ds["events"]) == 20
        assert ds["ruptures"]["mag"][0] == pytest.approx(7.05)
        assert set(ds["gmf_data"]["sid"][()]) == {0, 1, 2}


def test_event_based_without_events(tmp_path):
    eng = engine(tmp_path)
    jid = run(eng, EB_JOB, {"investigation_time": "1e-9", "ses_per_logic_tree_path": "1"})
    with eng.open_datastore(jid) as ds:
        assert len(ds["events"]) == 0 and len(ds["ruptures"]) == 0
        assert len(ds["gmf_data"]["sid"]) == 0
        assert not ds["hcurves-rlzs"][()].any()
        mfd = extract(ds, "event_based_mfd", eng.registry)
        assert len(mfd.mag) == 0
    names = {o["ds_key"] for o in eng.db.get_outputs(jid)}
    assert "ruptures" not in names


def test_rupture_info_session_with_extractor(tmp_path, monkeypatch):
    """The user's session on the last calculation of the data directory:
    ``Extractor(calc_id=-1).get('rupture_info?min_mag=5')`` on an event-based job
    gives one row per stored rupture of magnitude >= 5 with OpenQuake's dtype."""
    from oqcore.extract import Extractor
    eng = engine(tmp_path)
    jid = run(eng, EB_JOB, {"ses_per_logic_tree_path": "20000"})  # 2,000 years
    monkeypatch.setenv("HOME", str(tmp_path))  # no user openquake.cfg
    monkeypatch.delenv("OQ_CONFIG_FILE", raising=False)
    monkeypatch.setenv("OQ_DATADIR", eng.settings.datadir)
    with Extractor(calc_id=-1) as ex:
        assert ex.calc_id == jid
        aw = ex.get("rupture_info?min_mag=5")
        big6 = ex.get("rupture_info?min_mag=6").array
        rups = ex.dstore["ruptures"][()]
        events = ex.dstore["events"][()]
    arr = aw.array
    assert [(n, arr.dtype[n].str) for n in arr.dtype.names] == [
        ("rup_id", "<i8"), ("source_id", "|S75"), ("multiplicity", "<u4"),
        ("mag", "<f4"), ("centroid_lon", "<f4"), ("centroid_lat", "<f4"),
        ("centroid_depth", "<f4"), ("trt", "|S50"), ("strike", "<f4"), ("dip", "<f4"),
        ("rake", "<f4")]
    big = rups[rups["mag"] >= 5]
    assert 0 < len(arr) == len(big) and (arr["mag"] >= 5).all()
    assert arr["rup_id"].tolist() == big["id"].tolist()
    # the multiplicities are the events of each rupture
    counts = np.bincount(events["rup_id"], minlength=rups["id"].max() + 1)
    assert arr["multiplicity"].tolist() == counts[arr["rup_id"]].tolist()
    assert set(arr["trt"]) == {b"Active Shallow Crust"}
    assert 0 < len(big6) < len(arr) and (big6["mag"] >= 6).all()
    assert big6["rup_id"].tolist() == rups["id"][rups["mag"] >= 6].tolist()
    assert aw.investigation_time == 0.1
    # the centroids lie in the source region, at the source depths
    assert (np.abs(arr["centroid_lon"]) < 3).all() and (arr["centroid_depth"] > 0).all()


def test_scenario_truncation_levels_and_cross_correlation(tmp_path):
    """Job parameters reach the fields: truncation_level_between = 0 gives zero
    between-event epsilons; cross_correlation = GodaAtkinson2009 correlates those of
    PGA and SA(0.3) (0.717); a within-event model is refused."""
    eng = engine(tmp_path)
    two = {"intensity_measure_types": "PGA, SA(0.3)", "truncation_level": "3",
           "number_of_ground_motion_fields": "3000"}
    jid = run(eng, SC_JOB, dict(two, truncation_level_between="0"))
    with eng.open_datastore(jid) as ds:
        se = ds["sigma_epsilon"][()]
        assert not se["eps_inter_PGA"].any() and not se["eps_inter_SA(0.3)"].any()
        assert (se["sig_inter_PGA"] > 0).all()
        pga = ds["gmf_data"]["PGA"][()]
        assert np.log(pga).std() > 0.3  # the within-event term is there
    jid = run(eng, SC_JOB, dict(two, cross_correlation="GodaAtkinson2009"))
    with eng.open_datastore(jid) as ds:
        se = ds["sigma_epsilon"][()]
        rho = np.corrcoef(se["eps_inter_PGA"], se["eps_inter_SA(0.3)"])[0, 1]
        assert rho == pytest.approx(0.717, abs=0.04)
        assert np.abs(se["eps_inter_PGA"]).max() <= 3
    with pytest.raises(InvalidInput, match="cross_correlation"):
        eng.create_job(SC_JOB, overrides=dict(two, cross_correlation="BakerJayaram2008"))


def test_station_data_is_refused_not_ignored(tmp_path):
    import shutil
    work = tmp_path / "job"
    shutil.copytree(os.path.dirname(SC_JOB), work)
    (work / "stations.csv").write_text("STATION_ID,LONGITUDE,LATITUDE,PGA_VALUE\n"
                                       "S1,0.0,0.0,0.1\n")
    with open(work / "job.ini", "a") as f:
        f.write("\nstation_data_file = stations.csv\n")
    eng = engine(tmp_path)
    with pytest.raises(InvalidInput, match="station data are not supported") as exc:
        eng.create_job(str(work / "job.ini"))
    assert exc.value.param == "station_data_file"


@pytest.mark.parametrize("job", ["SC_JOB", "EB_JOB"])
def test_secondary_perils_are_refused_not_ignored(tmp_path, job):
    eng = engine(tmp_path)
    with pytest.raises(InvalidInput, match="secondary perils") as exc:
        eng.create_job(globals()[job], overrides={
            "secondary_perils": "HazusLiquefaction, HazusDeformation"})
    assert exc.value.param == "secondary_perils"


def test_scenario_rupture_from_csv_keeps_its_seed(tmp_path):
    """The seed column of a rupture CSV file seeds the scenario's fields (OpenQuake reads
    it with the rupture); other rupture inputs use ses_seed."""
    import shutil

    from oqcore.params import read_job_ini
    from oqplugins.calculators.scenario import scenario_rupture_seed
    src = os.path.join(DATA, "..", "qa_gmf", "scenario_case_34", "input")
    shutil.copytree(src, tmp_path / "job")
    csv_path = tmp_path / "job" / "rupture.csv"
    lines = csv_path.read_text().splitlines()
    lines[2] = "7" + lines[2][lines[2].index(","):]  # seed 0 -> 7
    csv_path.write_text("\n".join(lines) + "\n")
    reg = oqcore.load_registry()
    oq = read_job_ini(str(tmp_path / "job" / "job.ini"), reg)
    assert oq.ses_seed == 42 and scenario_rupture_seed(oq) == 7
    oq = read_job_ini(SC_JOB, reg)
    assert scenario_rupture_seed(oq) == oq.ses_seed
