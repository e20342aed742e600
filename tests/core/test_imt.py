"""IMTs as OpenQuake 3.26.2 writes them (EAS/FAS/DRVT by frequency, SDi by period and
strength ratio, the durations), and a job.ini naming them: accepted where the GSIMs
define them, refused with the model and the IMT named where they do not."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

import oqcore
from oqcore.config import Settings
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT
from oqcore.jobs.runner import Engine
from oqcore.validators import imt_names, imtls

CASE_74 = os.path.join(os.path.dirname(__file__), "..", "data", "qa_classical",
                       "classical_case_74", "input")


@pytest.mark.parametrize("text,string,period", [
    ("EAS(1.0)", "EAS(1.000000)", 1.0),
    ("EAS(1)", "EAS(1.000000)", 1.0),
    ("EAS(0.25)", "EAS(0.250000)", 4.0),
    ("FAS(2.0)", "FAS(2.000000)", 0.5),
    ("DRVT(10)", "DRVT(10.000000)", 0.1),
    ("SDi(1,2)", "SDi(1.0,2.0)", 1.0),
    ("SDi(0.5, 4.5)", "SDi(0.5,4.5)", 0.5),
    ("CAV", "CAV", 0.0), ("IA", "IA", 0.0), ("PGD", "PGD", 0.0), ("RSD", "RSD", 0.0),
    ("RSD575", "RSD575", 0.0), ("RSD595", "RSD595", 0.0), ("RSD2080", "RSD2080", 0.0),
    ("SA(1.0", "SA(1.0)", 1.0),  # no closing parenthesis (logictree case_20 job_bis.ini)
])
def test_imt_strings(text, string, period):
    imt = IMT.from_string(text)
    assert imt.string == str(imt) == string
    assert imt.period == pytest.approx(period)
    assert IMT.from_string(string) == imt  # printing then parsing gives it back
    if text.startswith("SDi"):
        assert imt.strength_ratio == float(text.split(",")[1].rstrip(")"))
    if text.startswith(("EAS", "FAS", "DRVT")):
        assert imt.frequency == pytest.approx(1 / period)


@pytest.mark.parametrize("text,words", [
    ("EAS(0)", "frequency must be positive"), ("FAS(-1)", "frequency must be positive"),
    ("SDi(1)", "period and strength ratio"), ("SDi", "period and strength ratio"),
    ("SDi(1,0)", "strength ratio must be positive"), ("SDi(0,2)", "period must be"),
    ("EAS(x)", "unknown IMT"), ("RSD9095", "unknown IMT"), ("EAS(1.0)x", "unknown IMT"),
    ("SA(", "unknown IMT"), ("SA(1.0))", "unknown IMT"),
])
def test_bad_imts(text, words):
    with pytest.raises(InvalidInput, match=words.replace("(", r"\(")):
        IMT.from_string(text)


def test_job_ini_values():
    assert imt_names("PGA, SDi(1.0,2.0) EAS(1) RSD2080") == [
        "PGA", "SDi(1.0,2.0)", "EAS(1.000000)", "RSD2080"]
    assert list(imtls('{"EAS(1.0)": [0.1, 0.2], "SDi(1,2)": [1, 2]}')) == [
        "EAS(1.000000)", "SDi(1.0,2.0)"]


def test_bayless_abrahamson_needs_a_frequency():
    from oqcore.hazard.gsim.bayless_abrahamson_2018 import BaylessAbrahamson2018
    gsim = BaylessAbrahamson2018()
    ctx = make_context(2, mag=6.0, rake=0.0, ztor=1.0, rrup=[10.0, 50.0], vs30=400.0,
                       z1pt0=-999.0)
    out = gsim.get_mean_stds(ctx, [IMT.from_string("EAS(1.0)")])
    assert np.all(np.isfinite(out)) and out[0, 0, 0] > out[0, 0, 1]  # decays with distance
    for bad in ("EAS", "FAS(1.0)", "PGA"):
        with pytest.raises(UnknownIMT, match="BaylessAbrahamson2018"):
            gsim.get_mean_stds(ctx, [IMT.from_string(bad)])
    with pytest.raises(UnknownIMT, match="outside the frequency range"):
        gsim.get_mean_stds(ctx, [IMT.from_string("EAS(200)")])


@pytest.fixture
def engine(tmp_path):
    datadir = tmp_path / "oqdata"
    settings = Settings.load(datadir=str(datadir), db_file=str(datadir / "db.sqlite3"),
                             num_cores=1, oq_distribute="no")
    return Engine(settings, oqcore.load_registry())


def _case(tmp_path, imt: str | None = None, gsim: str | None = None) -> str:
    """classical/case_74 (EAS with BaylessAbrahamson2018), optionally with another IMT
    or GSIM; returns the job.ini path."""
    folder = tmp_path / "case"
    shutil.copytree(CASE_74, folder)
    ini = folder / "job.ini"
    if imt:
        ini.write_text(ini.read_text().replace('"EAS(1.0)"', '"%s"' % imt))
    if gsim:
        lt = folder / "gmpe_logic_tree.xml"
        lt.write_text(lt.read_text().replace("BaylessAbrahamson2018", gsim))
    return str(ini)


def test_job_with_eas_accepted(engine, tmp_path):
    """Validated and created (its run and outputs: tests/qa classical_case_74, slow)."""
    job_id = engine.create_job(_case(tmp_path))
    assert engine.db.get_job(job_id)["status"] == "created"


@pytest.mark.parametrize("imt,gsim,words", [
    (None, "SadighEtAl1997", "SadighEtAl1997 is not defined for EAS(1.000000)"),
    ("SDi(1.0,2.0)", None, "BaylessAbrahamson2018 is not defined for SDi(1.0,2.0)"),
    ("RSD575", None, "BaylessAbrahamson2018 is not defined for RSD575"),
    ("EAS(0)", None, "invalid IMT 'EAS(0)'"),
])
def test_job_with_undefined_imt_refused(engine, tmp_path, imt, gsim, words):
    ini = _case(tmp_path, imt, gsim)
    try:
        job_id = engine.create_job(ini)
    except InvalidInput as exc:  # refused before the job exists
        assert words in str(exc)
        return
    assert engine.run(job_id, echo=False) == "failed"
    job = engine.db.get_job(job_id)
    assert words in job["reason"] + job["traceback"]
