"""Event-based jobs as OpenQuake takes them (its event_based/case_1): the ruptures and
events only (``ground_motion_fields = false``, no IMTs, no sites), and the GMFs of the
ruptures of a previous calculation named by ``hazard_calculation_id`` as a job file
(run first) or as a datastore file. Expected files by OpenQuake 3.26.2 (its case_1
events file; the GMFs of job_from_ses.ini with job_ses.ini at 20 SES)."""
import os
import shutil

import pytest

import oqcore
from oqcore.config import Settings
from oqcore.errors import InvalidInput
from oqcore.export import export
from oqcore.jobs.runner import Engine
from tests.qa.compare import compare

CASE = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "ses_case_1")
EXPECTED = os.path.join(CASE, "expected")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    datadir = str(tmp_path_factory.mktemp("sesdata"))
    settings = Settings.load(datadir=datadir, db_file=os.path.join(datadir, "db.sqlite3"),
                             oq_distribute="no", num_cores=1)
    return Engine(settings, oqcore.load_registry())


@pytest.fixture
def case(tmp_path):
    """A private copy of the case (the jobs name each other by relative paths)."""
    dest = tmp_path / "case"
    shutil.copytree(CASE, dest, ignore=shutil.ignore_patterns("expected"))
    return dest


def run(engine, ini, overrides=None):
    job_id = engine.create_job(str(ini), overrides=overrides)
    assert engine.run(job_id, echo=False) == "complete", engine.db.get_job(job_id)["reason"]
    return job_id


def exported(engine, job_id, kind, outdir, prefix=None):
    """The exported file of ``kind`` whose name starts with ``prefix`` (the kind)."""
    with engine.open_datastore(job_id) as ds:
        files = export(engine.registry, ds, kind, "csv", str(outdir))
    [fname] = [f for f in files if os.path.basename(f).startswith(prefix or kind)]
    return fname


def kinds(engine, job_id):
    return sorted(o["ds_key"] for o in engine.db.get_outputs(job_id))


def test_ruptures_and_events_only(engine, case, tmp_path):
    """No IMTs, no sites: the ruptures and events of OpenQuake (same events file)."""
    job_id = run(engine, case / "job_ruptures.ini", {"number_of_logic_tree_samples": "0"})
    assert "events" in kinds(engine, job_id) and "ruptures" in kinds(engine, job_id)
    assert "gmf_data" not in kinds(engine, job_id)
    with engine.open_datastore(job_id) as ds:
        assert "sitecol" not in ds and "gmf_data" not in ds
    events = exported(engine, job_id, "events", tmp_path)
    problems = compare(os.path.join(EXPECTED, "events-ruptures-samples0.csv"), events,
                       rtol=0)
    assert not problems, problems[:5]


def test_ground_motion_fields_need_imts(engine, case):
    with pytest.raises(InvalidInput) as err:
        engine.create_job(str(case / "job_ruptures.ini"),
                          overrides={"ground_motion_fields": "true", "sites": "0 0"})
    assert err.value.param == "intensity_measure_types"


def test_gmfs_of_the_ruptures_of_a_job_file(engine, case, tmp_path):
    """hazard_calculation_id = job_ses.ini: that job runs first and becomes the parent;
    the GMFs of its ruptures are OpenQuake's."""
    job_id = run(engine, case / "job_from_ses.ini")
    parent = engine.db.get_job(job_id)["hazard_calculation_id"]
    assert engine.db.get_job(parent)["status"] == "complete"
    assert engine.db.get_job(parent)["job_ini"].endswith("job_ses.ini")
    with engine.open_datastore(parent) as ds:
        assert len(ds["sitecol"]) == 1 and "gmf_data" not in ds
    for kind, name in (("gmf_data", "gmf-data.csv"), ("avg_gmf", "avg_gmf.csv"),
                       ("realizations", "realizations.csv")):
        problems = compare(os.path.join(EXPECTED, name), exported(
            engine, job_id, kind, tmp_path, name[:-4]), rtol=1e-4)
        assert not problems, (kind, problems[:5])


def test_gmfs_of_the_ruptures_of_a_datastore_file(engine, case, tmp_path):
    """hazard_calculation_id = a calc_<id>.hdf5 copied next to the job.ini."""
    parent = run(engine, case / "job_ses.ini")
    shutil.copy(engine.datastore_path(parent), case / "ses.hdf5")
    ini = case / "job_from_file.ini"
    ini.write_text((case / "job_from_ses.ini").read_text().replace(
        "hazard_calculation_id = job_ses.ini", "hazard_calculation_id = ses.hdf5"))
    job_id = run(engine, ini)
    assert engine.db.get_job(job_id)["hazard_calculation_id"] is None
    problems = compare(os.path.join(EXPECTED, "gmf-data.csv"),
                       exported(engine, job_id, "gmf_data", tmp_path, "gmf-data"), rtol=1e-4)
    assert not problems, problems[:5]


@pytest.mark.parametrize("value,message", [
    ("missing.hdf5", "file not found"),
    ("notes.txt", "not a calculation ID"),
    ("bogus.hdf5", "not the datastore of a calculation"),
    ("job_from_ses.ini", "name each other"),
])
def test_bad_hazard_calculation_files(engine, case, value, message):
    (case / "bogus.hdf5").write_text("not HDF5")
    ini = case / "job_bad.ini"
    ini.write_text((case / "job_from_ses.ini").read_text().replace(
        "hazard_calculation_id = job_ses.ini", "hazard_calculation_id = " + value))
    if value == "job_from_ses.ini":  # a job file naming itself through another
        ini = case / "job_from_ses.ini"
        ini.write_text(ini.read_text().replace("job_ses.ini", "job_bad.ini"))
    with pytest.raises(InvalidInput) as err:
        engine.create_job(str(ini))
    assert message in str(err.value)
    assert err.value.param == "hazard_calculation_id"


def test_scenario_sites_of_an_exposure_only(engine, tmp_path):
    """A scenario with an exposure, a grid spacing and ground_motion_fields = false (no
    rupture, no IMTs), as OpenQuake's scenario/case_10: the grid sites with assets."""
    grid = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "exposure_grid")
    shutil.copy(os.path.join(grid, "exposure_model.xml"), tmp_path)
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = scenario\nexposure_file = "
                   "exposure_model.xml\nregion_grid_spacing = 8\n"
                   "ground_motion_fields = false\n")
    job_id = run(engine, ini)
    with engine.open_datastore(job_id) as ds:
        assert len(ds["sitecol"]) == 93 and "gmf_data" not in ds and "events" not in ds


def test_ruptures_of_a_nonparametric_source(engine, tmp_path):
    """OpenQuake's event_based/case_8: the ruptures of a non-parametric source occur as
    their probabilities of occurrence draw them (same ruptures, multiplicities,
    geometry and events as OpenQuake); the strike and dip of a multi-plane rupture are
    those of the multi-surface."""
    case = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "nonparametric")
    job_id = run(engine, os.path.join(case, "job.ini"))
    for kind in ("ruptures", "events"):
        problems = compare(os.path.join(case, "expected", kind + ".csv"),
                           exported(engine, job_id, kind, tmp_path))
        assert not problems, problems[:5]


def test_cluster_groups_refused(engine, tmp_path):
    """The sampling of cluster (and mutually exclusive) source groups is refused, not
    done as if their sources were independent."""
    case = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "nonparametric")
    for name in ("job.ini", "gmpe_logic_tree.xml", "source_model_logic_tree.xml"):
        shutil.copy(os.path.join(case, name), tmp_path)
    text = open(os.path.join(case, "source_model.xml")).read()
    assert text.count("<sourceGroup") == 1
    text = text.replace("<sourceGroup", '<sourceGroup name="g" cluster="true" '
                        'tom="PoissonTOM" occurrence_rate="0.01"')
    (tmp_path / "source_model.xml").write_text(text)
    with pytest.raises(InvalidInput, match="cluster source group"):
        engine.create_job(str(tmp_path / "job.ini"))


def test_gsim_table_relative_to_the_job_file(engine, tmp_path, monkeypatch):
    """``gsim = [GMPETable]`` with ``gmpe_table = "./table.hdf5"`` (OpenQuake's
    scenario/case_35): the table is found next to the job.ini, whatever the working
    directory."""
    tables = os.path.join(os.path.dirname(__file__), "..", "data", "gsim_tables")
    shutil.copy(os.path.join(tables, "Wcrust_med_rhypo.hdf5"), tmp_path)
    (tmp_path / "rupture.xml").write_text(
        '<?xml version="1.0"?><nrml xmlns="http://openquake.org/xmlns/nrml/0.5">'
        '<singlePlaneRupture><magnitude>6.5</magnitude><rake>90</rake>'
        '<hypocenter lon="0" lat="0" depth="10"/><planarSurface strike="0" dip="90">'
        '<topLeft lon="0" lat="-0.1" depth="5"/><topRight lon="0" lat="0.1" depth="5"/>'
        '<bottomLeft lon="0" lat="-0.1" depth="15"/><bottomRight lon="0" lat="0.1" '
        'depth="15"/></planarSurface></singlePlaneRupture></nrml>')
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = scenario\nsites = 0.2 0\n"
                   "gsim = [GMPETable]\n  gmpe_table = \"./Wcrust_med_rhypo.hdf5\"\n"
                   "rupture_model_file = rupture.xml\nintensity_measure_types = PGA\n"
                   "truncation_level = 0\nmaximum_distance = 300\n"
                   "number_of_ground_motion_fields = 1\n")
    monkeypatch.chdir(os.path.dirname(tables))  # not the job's folder
    job_id = run(engine, ini)
    with engine.open_datastore(job_id) as ds:
        assert len(ds["gmf_data/PGA"]) == 1 and ds["gmf_data/PGA"][0] > 0


def test_ruptures_of_a_multi_fault_source(engine, tmp_path):
    """OpenQuake's event_based/case_29: the ruptures of a multi-fault source (kite
    sections) sampled from their probabilities of occurrence, with the middle points of
    their kite surfaces as centroids; same ruptures and GMFs as OpenQuake."""
    case = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "multi_fault")
    job_id = run(engine, os.path.join(case, "job.ini"))
    for kind, name in (("ruptures", "ruptures"), ("gmf_data", "gmf_data")):
        problems = compare(os.path.join(case, "expected", name + ".csv"),
                           exported(engine, job_id, kind, tmp_path,
                                    "gmf-data" if kind == "gmf_data" else kind))
        assert not problems, problems[:5]


def test_ruptures_of_a_csv_file(engine, tmp_path):
    """OpenQuake's scenario/case_13: an event_based job without sources nor
    investigation time, its ruptures (two TRTs) in a CSV file, each occurring
    number_of_ground_motion_fields x 10 GSIM paths times: the events, ruptures, GMFs and
    epsilons of OpenQuake 3.26.2 (GSIM branches without branchID)."""
    case = os.path.join(os.path.dirname(__file__), "..", "data", "gmf", "rupture_file")
    job_id = run(engine, os.path.join(case, "job.ini"))
    assert "event_based_mfd" not in kinds(engine, job_id)  # no investigation time
    for kind, name in (("events", "events"), ("realizations", "realizations"),
                       ("ruptures", "ruptures"), ("gmf_data", "gmf-data"),
                       ("gmf_data", "sigma_epsilon"), ("avg_gmf", "avg_gmf")):
        problems = [p for p in compare(os.path.join(case, "expected", name + ".csv"),
                                       exported(engine, job_id, kind, tmp_path, name))
                    if "NAN != NAN" not in p]
        assert not problems, (name, problems[:5])
