"""The ``oq`` command as a subprocess, with OQ_DATADIR in a temporary folder: a classical
run of QA case 1 with exports compared with the reference, the listing, export, delete
and extract commands, ``oq gsim-check``, and the errors of a bad job.ini."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil

import numpy as np
import pytest

from tests.conftest import DATA, oq_environment, run_oq

CASE = DATA / "qa" / "classical_case_01"
JOB = CASE / "input" / "job.ini"
EXPECTED_FILES = ["hazard_curve-mean-PGA.csv", "hazard_curve-mean-SA(0.1).csv"]
SADIGH = DATA / "gsim" / "SadighEtAl1997" / "verification.csv"


def read_csv(path) -> tuple[str, list[str], np.ndarray]:
    """(metadata comment, header, numbers) of an exported CSV; the comment row is the
    first one, starting with '#'."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "#", rows[0]
    return rows[0][-1], rows[1], np.array([[float(x) for x in r] for r in rows[2:]])


def unsuffixed(path: str) -> str:
    """``hazard_curve-mean-PGA_12.csv`` -> ``hazard_curve-mean-PGA.csv``."""
    return re.sub(r"_\d+(\.\w+)$", r"\1", os.path.basename(path))


def copy_case(dest) -> str:
    """A copy of the case 1 inputs in ``dest``; return the job.ini path."""
    shutil.copytree(CASE / "input", dest)
    return str(dest / "job.ini")


@pytest.fixture(scope="module")
def case01(tmp_path_factory):
    """QA case 1 run once by ``oq engine --run --exports csv --export-dir``."""
    tmp = tmp_path_factory.mktemp("cli")
    env = oq_environment(tmp)
    export_dir = tmp / "exports"
    run = run_oq(["engine", "--run", JOB, "--exports", "csv", "--export-dir", export_dir],
                 env)
    return dict(tmp=tmp, env=env, run=run, export_dir=export_dir)


def test_run_exports_match_the_reference(case01):
    run = case01["run"]
    assert run.returncode == 0, run.stderr
    files = run.stdout.split()
    assert sorted(unsuffixed(f) for f in files) == EXPECTED_FILES
    assert all(os.path.dirname(f) == str(case01["export_dir"]) for f in files)
    for path in files:
        comment, header, got = read_csv(path)
        ref_comment, ref_header, expected = read_csv(CASE / "expected" / unsuffixed(path))
        assert header == ref_header
        assert got.shape == expected.shape == (4, 6)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)
        for item in ("generated_by='OpenQuake engine 3.26.2'", "kind='mean'",
                     "investigation_time=1.0"):
            assert item in comment and item in ref_comment
        imt = re.search(r"imt='([^']+)'", ref_comment).group(1)
        assert "imt='%s'" % imt in comment


def test_run_logs_and_warns(case01):
    err = case01["run"].stderr
    assert "did you mean 'minimum_magnitude'?" in err
    assert "finished correctly" in err


def test_list_calculations(case01):
    lhc = run_oq(["engine", "--lhc"], case01["env"])
    assert lhc.returncode == 0, lhc.stderr
    lines = lhc.stdout.splitlines()
    assert lines[0].split("|")[0].strip() == "job_id"
    [row] = [ln for ln in lines[1:] if ln.strip()]
    cols = [c.strip() for c in row.split("|")]
    assert cols[0] == "1" and cols[1] == "complete"
    assert cols[3] == "Classical Hazard QA Test, Case 1"


def test_list_outputs(case01):
    lo = run_oq(["engine", "--lo", "-1"], case01["env"])
    assert lo.returncode == 0, lo.stderr
    names = [ln.split("|")[1].strip() for ln in lo.stdout.splitlines()[1:] if "|" in ln]
    with open(CASE / "expected" / "outputs.json") as f:
        expected = sorted(o["name"] for o in json.load(f))
    assert sorted(names) == expected


def output_id(case01, name: str) -> int:
    lo = run_oq(["engine", "--lo", "1"], case01["env"])
    for ln in lo.stdout.splitlines()[1:]:
        oid, oname = (c.strip() for c in ln.split("|"))
        if oname == name:
            return int(oid)
    raise AssertionError("no output %r in %s" % (name, lo.stdout))


def test_export_output(case01, tmp_path):
    oid = output_id(case01, "Hazard Curves")
    eo = run_oq(["engine", "--eo", oid, tmp_path / "eo"], case01["env"])
    assert eo.returncode == 0, eo.stderr
    files = eo.stdout.split()
    assert sorted(unsuffixed(f) for f in files) == EXPECTED_FILES
    for path in files:  # the same files as --exports wrote
        with open(path, "rb") as a, open(case01["export_dir"] / os.path.basename(path),
                                         "rb") as b:
            assert a.read() == b.read()


def test_export_output_in_another_format(case01, tmp_path):
    oid = output_id(case01, "Hazard Curves")
    eo = run_oq(["engine", "--eo", oid, tmp_path, "--exports", "npz"], case01["env"])
    assert eo.returncode == 0, eo.stderr
    [path] = eo.stdout.split()
    assert path.endswith(".npz")
    with np.load(path) as npz:
        assert npz.files  # readable


def test_extract(case01, tmp_path):
    out = tmp_path / "f.npz"
    ex = run_oq(["extract", "hcurves?kind=mean&imt=PGA", "-1", "--out", out], case01["env"])
    assert ex.returncode == 0, ex.stderr
    assert ex.stdout.strip() == str(out)
    _, _, expected = read_csv(CASE / "expected" / "hazard_curve-mean-PGA.csv")
    with np.load(out) as npz:
        assert npz["mean"].shape == (4, 1, 3)  # (N, M', L1)
        np.testing.assert_allclose(npz["mean"][:, 0], expected[:, 3:], rtol=1e-6, atol=0)
        assert list(npz["kind"]) == ["mean"] and list(npz["imt"]) == ["PGA"]


def test_extract_unknown_spec(case01, tmp_path):
    ex = run_oq(["extract", "hcurvez?kind=mean", "-1", "--out", tmp_path / "x.npz"],
                case01["env"])
    assert ex.returncode == 1
    assert "hcurvez" in ex.stderr and "hcurves" in ex.stderr
    assert not (tmp_path / "x.npz").exists()


def test_unknown_gsim_exits_1_naming_file_and_line(tmp_path):
    env = oq_environment(tmp_path)
    ini = copy_case(tmp_path / "input")
    gslt = tmp_path / "input" / "gsim_logic_tree.xml"
    gslt.write_text(gslt.read_text().replace("SadighEtAl1997", "SadighEtAl1998"))
    run = run_oq(["engine", "--run", ini, "-q"], env)
    assert run.returncode == 1
    # refused before the job exists or failed in the worker: the message is the same
    assert "%s, line 11: unknown GSIM 'SadighEtAl1998' (did you mean 'SadighEtAl1997'?)" % (
        gslt) in run.stderr
    assert "Traceback" not in run.stderr


def test_delete_calculation(case01, tmp_path):
    # a copy of the data directory of the case 1 run, so the other tests keep theirs
    shutil.copytree(case01["tmp"] / "oqdata", tmp_path / "oqdata")
    env = oq_environment(tmp_path)
    datastore = tmp_path / "oqdata" / "calc_1.hdf5"
    assert datastore.exists()
    dc = run_oq(["engine", "--dc", "-1"], env)
    assert dc.returncode == 0, dc.stderr
    assert dc.stdout.strip() == "Removed calculation 1"
    assert not datastore.exists()
    assert (case01["tmp"] / "oqdata" / "calc_1.hdf5").exists()
    lo = run_oq(["engine", "--lo", "1"], env)
    assert lo.returncode == 1 and "calculation 1 does not exist" in lo.stderr
    dc = run_oq(["engine", "--dc", "-1"], env)
    assert dc.returncode == 1 and "no 1-th last calculation" in dc.stderr


def test_bad_value_exits_1_naming_the_parameter(tmp_path):
    env = oq_environment(tmp_path)
    ini = copy_case(tmp_path / "input")
    with open(ini) as f:
        text = f.read()
    with open(ini, "w") as f:
        f.write(text.replace("truncation_level = 2.0", "truncation_level = two"))
    run = run_oq(["engine", "--run", ini], env)
    assert run.returncode == 1
    lineno = text.splitlines().index("truncation_level = 2.0") + 1
    assert "truncation_level" in run.stderr
    assert "%s, line %d" % (ini, lineno) in run.stderr
    assert "Traceback" not in run.stderr
    lhc = run_oq(["engine", "--lhc"], env)
    assert len(lhc.stdout.strip().splitlines()) == 1  # no job was created


def test_missing_job_ini(tmp_path):
    run = run_oq(["engine", "--run", tmp_path / "nothere.ini"], oq_environment(tmp_path))
    assert run.returncode == 1 and "file not found" in run.stderr


def test_engine_without_action(tmp_path):
    run = run_oq(["engine"], oq_environment(tmp_path))
    assert run.returncode == 2 and "nothing to do" in run.stderr


# ------------------------------------------------------------------ gsim-check
def test_gsim_check_passes(tmp_path):
    run = run_oq(["gsim-check", "SadighEtAl1997", SADIGH], oq_environment(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS" in run.stdout.splitlines()[-1]


def test_gsim_check_takes_the_toml_form_on_one_line(tmp_path):
    # the model with its arguments, lines separated by a literal backslash-n
    table = DATA / "gsim" / "ParkerEtAl2020SInter" / "verification_region_Cascadia.csv"
    env = oq_environment(tmp_path)
    run = run_oq(["gsim-check", '[ParkerEtAl2020SInter]\\nregion = "Cascadia"', table], env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS" in run.stdout.splitlines()[-1]
    # the default (global) model does not reproduce the Cascadia table
    run = run_oq(["gsim-check", "ParkerEtAl2020SInter", table], env)
    assert run.returncode == 1


def test_gsim_check_names_an_unknown_argument(tmp_path):
    run = run_oq(["gsim-check", "[ParkerEtAl2020SInter]\nregoin = 'AK'", SADIGH],
                 oq_environment(tmp_path))
    assert run.returncode != 0
    assert "ParkerEtAl2020SInter" in run.stderr and "regoin" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.fixture
def perturbed_table(tmp_path):
    """A copy of the Sadigh et al. (1997) table with one MEAN PGA value 0.1% too high."""
    with open(SADIGH, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    col, rt = header.index("pga"), header.index("result_type")
    row = next(i for i, r in enumerate(rows) if i and r[rt] == "MEAN")
    rows[row][col] = repr(float(rows[row][col]) * 1.001)
    path = tmp_path / "perturbed.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_gsim_check_fails_on_a_perturbed_table(tmp_path, perturbed_table):
    env = oq_environment(tmp_path)
    run = run_oq(["gsim-check", "SadighEtAl1997", perturbed_table, "--rtol", "1e-6"], env)
    assert run.returncode == 1, run.stdout
    lines = run.stdout.splitlines()
    assert lines[-1].startswith("FAIL")
    failing = [ln.split()[:2] for ln in lines[1:-1] if "FAIL" in ln]
    assert failing == [["MEAN", "PGA"]]
    # the perturbation is 1e-3: a looser tolerance accepts it
    run = run_oq(["gsim-check", "SadighEtAl1997", perturbed_table, "--rtol", "2e-3"], env)
    assert run.returncode == 0, run.stdout


def test_gsim_check_unknown_model(tmp_path):
    run = run_oq(["gsim-check", "Sadigh1997", SADIGH], oq_environment(tmp_path))
    assert run.returncode == 1
    assert "SadighEtAl1997" in run.stderr  # did you mean


def test_engine_options_as_openquake_spells_them(case01, tmp_path):
    """--eos exports every output in the first format it has, --sl prints the log,
    --lrc lists only risk calculations, -d prints the database version."""
    env = case01["env"]
    eos = run_oq(["engine", "--eos", "-1", tmp_path / "eos", "-e", "npz,rst,xml,csv"], env)
    assert eos.returncode == 0, eos.stderr
    exported = sorted(os.listdir(tmp_path / "eos"))
    # the report has rst only; the curves npz, csv and xml: npz comes first
    assert [f for f in exported if not f.endswith(".npz")] == ["report_1.rst"]
    assert "Exporting hcurves..." in eos.stdout
    log = run_oq(["engine", "--sl", "1"], env)
    assert log.returncode == 0 and "#1 INFO]" in log.stdout and "Running" in log.stdout
    lrc = run_oq(["engine", "--lrc"], env)
    assert lrc.stdout.strip().splitlines()[1:] == []  # case 1 is a hazard calculation
    assert run_oq(["engine", "-d"], env).stdout.startswith("oqcore-")
    bad = run_oq(["engine", "--eos", "one", tmp_path], env)
    assert bad.returncode == 1 and "--eos expects a calculation ID" in bad.stderr


def test_overrides_in_openquake_comma_form():
    from oqcore.cli import _parse_overrides
    assert _parse_overrides(["investigation_time=1,poes=0.1", "sites=0 0,1 1"]) == {
        "investigation_time": "1", "poes": "0.1", "sites": "0 0,1 1"}
    from oqcore.errors import InvalidInput
    with pytest.raises(InvalidInput, match="name=value"):
        _parse_overrides(["=3"])


def test_run_several_inis_chains_them_to_the_first(tmp_path):
    """``--run A.ini B.ini``: B takes A as its hazard calculation; with --multi it does
    not; the log level filters what is printed."""
    env = oq_environment(tmp_path)
    run = run_oq(["engine", "--run", JOB, JOB, "-l", "warn", "-q"], env)
    assert run.returncode == 0, run.stderr
    job2 = json.loads(run_oq(["db", "get_job", "2"], env).stdout)
    assert job2["hazard_calculation_id"] == 1
    run = run_oq(["engine", "--run", JOB, "--multi", "-l", "warn",
                  "-L", tmp_path / "log.txt"], env)
    assert run.returncode == 0, run.stderr
    assert json.loads(run_oq(["db", "get_job", "3"], env).stdout)[
        "hazard_calculation_id"] is None
    text = (tmp_path / "log.txt").read_text()
    assert "#3 WARNING]" in text or text == ""  # only warnings and above
    assert "INFO]" not in text and "INFO]" not in run.stderr
