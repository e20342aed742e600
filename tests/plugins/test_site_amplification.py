"""Jobs with site amplification functions (amplification_csv): the classical demo job
amplified by convolution and by the kernel method, the checks of classical/case_55's
inputs in classical, disaggregation and event_based jobs (the amplified GMFs are checked
against OpenQuake in tests/data/qa_gmf/scenario_case_1_amplified)."""
import os
import shutil

import numpy as np
import pytest

import oqcore
from oqcore.datastore import DataStore
from oqcore.errors import InvalidInput
from oqcore.export import export
from oqcore.hazard import site_amplification as sa
from oqcore.params import read_job_ini
from oqplugins.calculators.classical import ClassicalCalculator
from tests.conftest import run_engine_job

HERE = os.path.dirname(__file__)
DEMO_DIR = os.path.join(HERE, "..", "..", "demos", "classical")
CASE_55 = os.path.join(HERE, "..", "data", "site_amplification", "case_55")

SAF = """#,,,,,vs30_ref=760
ampcode,level,PGA,SA(0.2),sigma_PGA,sigma_SA(0.2)
A,0.01,2.0,2.5,0.3,0.3
A,1.0,1.2,1.4,0.4,0.4
"""
SOIL = [0.01, 0.05, 0.1, 0.3, 0.6]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("amp") / "job"
    shutil.copytree(DEMO_DIR, work)
    (work / "saf.csv").write_text(SAF)
    return work


def run(demo_dir, tmp, overrides):
    overrides = dict(overrides, individual_rlzs="true")
    eng, job_id, status = run_engine_job(str(demo_dir / "job.ini"), str(tmp), "processpool",
                                         overrides)
    assert status == "complete", eng.db.get_job(job_id)["traceback"]
    return eng, eng.datastore_path(job_id)


@pytest.fixture(scope="module")
def rock(demo_dir, tmp_path_factory):
    return run(demo_dir, tmp_path_factory.mktemp("rock"), {})


def test_convolution_amplifies_the_rock_curves(demo_dir, rock, tmp_path):
    eng, path = run(demo_dir, tmp_path, {"amplification_csv": "saf.csv",
                                         "soil_intensities": " ".join(map(str, SOIL))})
    oq = read_job_ini(str(demo_dir / "job.ini"), eng.registry)
    table = sa.read_amplification_table(str(demo_dir / "saf.csv"))
    with DataStore(rock[1]) as r, DataStore(path) as ds:
        rock_poes = r["hcurves-rlzs"][()].transpose(1, 0, 2, 3)  # (R, N, M, L1)
        soil = ds["hcurves-rlzs"][()]  # (N, R, M, A)
        codes = np.array(["A"] * soil.shape[0], object)
        expected = sa.amplify_curves(table, codes, oq.imtls, SOIL, rock_poes)
        np.testing.assert_allclose(soil, expected.transpose(1, 0, 2, 3), rtol=1e-5,
                                   atol=1e-12)
        # the statistics are those of the amplified curves
        weights = ds["weights"][()]
        mean = ds["hcurves-stats"][:, 0]
        np.testing.assert_allclose(mean, np.einsum("nrml,r->nml", soil, weights),
                                   rtol=1e-5)
        assert ds.read_json("hcurves-info")["imtls"] == {"PGA": SOIL, "SA(0.2)": SOIL}
        # hazard maps within the soil intensities
        hmaps = ds["hmaps-stats"][()]
        assert (hmaps <= SOIL[-1]).all() and hmaps.max() > 0
        files = export(eng.registry, ds, "hcurves", "csv", str(tmp_path / "out"))
    with open(files[0]) as f:
        header = [line for line in f if not line.startswith("#")][0].strip().split(",")
    assert header[-len(SOIL):] == ["poe-%.7f" % x for x in SOIL]


def test_kernel_amplifies_each_rupture(demo_dir, rock, tmp_path):
    binned = ("#,,,,,,,vs30_ref=760\n"
              "ampcode,from_mag,from_rrup,PGA,SA(0.2),sigma_PGA,sigma_SA(0.2)\n"
              "A,4.0,0,1.8,2.2,0.3,0.3\nA,6.0,0,1.4,1.6,0.3,0.3\n")
    (demo_dir / "binned.csv").write_text(binned)
    eng, path = run(demo_dir, tmp_path, {"amplification_csv": "binned.csv",
                                         "amplification_method": "kernel"})
    with DataStore(rock[1]) as r, DataStore(path) as ds:
        rock_poes, soil = r["hcurves-rlzs"][()], ds["hcurves-rlzs"][()]
        assert soil.shape == rock_poes.shape  # on the job's levels
        positive = rock_poes > 1e-6
        # factors above 1: the soil curves are above the rock ones
        assert (soil[positive] > rock_poes[positive]).all()
        assert (soil <= 1).all()
        imtls = ds.read_json("hcurves-info")["imtls"]
        assert list(imtls) == ["PGA", "SA(0.2)"] and len(imtls["PGA"]) == 20


def check(overrides, ini=os.path.join(CASE_55, "job.ini")):
    reg = oqcore.load_registry()
    ClassicalCalculator.check_inputs(read_job_ini(ini, reg, overrides), reg)


def test_case_55_inputs():
    check({})
    check({"amplification_csv": "amplification2bis.csv"})
    with pytest.raises(InvalidInput, match="BooreAtkinson2008 is defined for a reference "
                       "vs30 of 760.0 m/s, below vs30_ref=900.0") as exc:
        check({"amplification_csv": "amplification2tris.csv"})
    assert exc.value.fname.endswith("amplification2tris.csv") and exc.value.lineno == 1
    check({"amplification_csv": "amplification2tris.csv", "vs30_tolerance": "-1"})
    # the site model's second site (its order is the order of the sites)
    with pytest.raises(InvalidInput, match="vs30=730.0 of site 1 differs from "
                       "vs30_ref=760.0") as exc:
        check({"vs30_tolerance": "20"})
    assert exc.value.param == "vs30_tolerance"
    with pytest.raises(InvalidInput, match="only by amplification_method = convolution"):
        check({"amplification_method": "kernel"})
    with pytest.raises(InvalidInput, match="no amplification column for SA\\(1.0\\)"):
        check({"intensity_measure_types_and_levels": '{"PGA": [0.1, 0.2], '
                                                      '"SA(1.0)": [0.1, 0.2]}'})


def test_disaggregation_refuses_amplification():
    with pytest.raises(InvalidInput, match="not supported by disaggregation"):
        check({"calculation_mode": "disaggregation", "poes_disagg": "0.1"})


def test_gmf_jobs_check_their_amplification():
    reg = oqcore.load_registry()
    oq = read_job_ini(os.path.join(CASE_55, "job.ini"), reg,
                      {"calculation_mode": "event_based"})
    with pytest.raises(InvalidInput, match="used only by classical jobs") as exc:
        reg.calculator("event_based").input_checker()(oq, reg)
    assert exc.value.param == "soil_intensities"


def test_risk_job_does_not_ignore_amplification_of_parent_gmfs(tmp_path):
    """GMFs of a parent job (--hc) computed without amplification are not silently
    taken by a risk job with amplification_csv."""
    from oqcore.config import Settings
    from oqcore.jobs.runner import Engine
    settings = Settings.load(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"),
                             oq_distribute="no", num_cores=1)
    engine = Engine(settings, oqcore.load_registry())
    src = os.path.join(HERE, "..", "data", "risk", "scenario_risk_case_1", "input")
    parent = engine.create_job(os.path.join(src, "job_risk.ini"))
    assert engine.run(parent, echo=False) == "complete"
    (tmp_path / "amp.csv").write_text("#vs30_ref=760\nampcode,PGA\nA,1.5\n")
    ini = tmp_path / "job.ini"
    ini.write_text("[general]\ncalculation_mode = scenario_risk\nexposure_file = %s\n"
                   "structural_vulnerability_file = %s\namplification_csv = amp.csv\n" % (
                       os.path.join(src, "exposure_model.xml"),
                       os.path.join(src, "vulnerability.xml")))
    child = engine.create_job(str(ini), hc_id=parent)
    assert engine.run(child, echo=False) == "failed"
    assert "are not amplified and are not recomputed here" in engine.db.get_job(
        child)["traceback"]
