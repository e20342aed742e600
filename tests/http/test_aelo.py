"""AELO through real servers: the request checks (an AELO-mode server with the test
stand-in calculator), and the real ``aelo`` calculator in AELO mode on the test mosaic
(tests/data/aelo/mosaic), with a real SMTP server (aiosmtpd) receiving the e-mails."""
from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest

from oqcore.builtin_plugins import MODULES
from tests.http.conftest import USERS, Server, login, make_zip

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "aelo")
CCA_SITE = {"lon": "-90", "lat": "16.6", "vs30": "760", "site_name": "CCA test site"}


def mails_for(box, subject: str, srv: Server) -> list:
    """The messages with ``subject`` about a job of ``srv`` (its URL is in the text;
    several servers share the mailbox), waiting (bounded) for one."""
    import time
    deadline = time.time() + 15
    while True:
        found = [m for m in box.messages if m["Subject"] == subject
                 and srv.base in m.get_payload()]
        if found or time.time() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def standin(tmp_path_factory, smtp):
    """An AELO-mode server with the aelo stand-in calculator (users alice and bob)."""
    from oqhttp.auth import user_command
    from tests.http.conftest import PLUGINS
    host, port, _box = smtp
    srv = Server(str(tmp_path_factory.mktemp("aelo-standin")), {
        "distribution": {"serialize_jobs": 2, "oq_distribute": "no"},
        "webui": {"application_mode": "AELO", "secret_key": "test-secret-key",
                  "base_url": "{base}"},
        "smtp": {"host": host, "port": port, "sender": "engine@example.org"}},
        plugins=PLUGINS + ["tests.http.aeloplugin"])
    for name in ("alice", "bob"):
        email, password, level = USERS[name]
        assert user_command(["add", name, "--email", email, "--password", password,
                             "--level", str(level)], srv.settings()) == 0
    srv.start()
    yield srv
    srv.stop()


def test_aelo_run_outside_aelo_mode(public, authsrv):
    """As in OpenQuake, aelo_run exists only in AELO mode: 404 elsewhere, even where an
    aelo calculator is registered (authsrv has the stand-in)."""
    r = public.post("/v1/calc/aelo_run", data={"lon": "10", "lat": "45", "vs30": "760",
                                               "site_name": "x"})
    assert r.status_code == 404
    assert "only in AELO mode" in r.json()["error"]
    s = login(authsrv, "alice")
    r = authsrv.post("/v1/calc/aelo_run", s, data=CCA_SITE)
    assert r.status_code == 404
    assert "only in AELO mode" in r.json()["error"]
    assert authsrv.post("/v1/calc/aelo_run", data=CCA_SITE).status_code == 403  # no login
    assert all(j["calculation_mode"] != "aelo" for j in
               authsrv.get("/v1/calc/list", s).json())


def test_aelo_invalid_inputs(standin):
    """Every validation case of the reference answers 400 with all its invalid fields."""
    authsrv = standin
    s = login(authsrv, "alice")
    r = authsrv.post("/v1/calc/aelo_run", s)
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == "failed"
    assert body["invalid_inputs"] == ["lon", "lat", "site_name", "vs30"]
    assert body["error_msg"].startswith("Invalid input values\nLongitude: ")
    cases = [({"lon": "200", "lat": "-95", "vs30": "760", "site_name": "x"},
              ["lon", "lat"]),
             ({"lon": "10", "lat": "45", "vs30": "-760", "site_name": "x"}, ["vs30"]),
             ({"lon": "10", "lat": "45", "vs30": "100", "site_name": "x"}, ["vs30"]),
             ({"lon": "10", "lat": "45", "vs30": "5000", "site_name": "x"}, ["vs30"]),
             ({"lon": "ten", "lat": "45", "vs30": "760", "site_name": "x"}, ["lon"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": ""}, ["site_name"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "<script>"},
              ["site_name"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "x",
               "site_class": "Z"}, ["site_class"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "x",
               "site_class": "D", "asce_version": "ASCE7-99"}, ["asce_version"]),
             ({"lon": "10", "lat": "45", "vs30": "760", "site_name": "x",
               "site_class": "D"}, ["vs30"])]
    for data, bad in cases:
        r = authsrv.post("/v1/calc/aelo_run", s, data=data)
        assert r.status_code == 400, data
        assert r.json()["invalid_inputs"] == bad, data
        assert r.json()["error_msg"].count("\n") == len(bad)
    r = authsrv.post("/v1/calc/aelo_run", s, data={"lon": "-100", "lat": "40",
                                                   "vs30": "760", "site_name": "Kansas"})
    assert r.status_code == 400
    assert r.json()["error_msg"] == "Site at lon=-100.0 lat=40.0 is not covered by any model!"
    # the spec's siteid is accepted; EUR has no folder in the demo mosaic
    r = authsrv.post("/v1/calc/aelo_run", s, data={"lon": "10", "lat": "45", "vs30": "760",
                                                   "siteid": "SITE_1"})
    assert r.status_code == 400
    assert r.json()["error_msg"] == "File not found: EUR/in/job_vs30.ini"
    assert authsrv.post("/v1/calc/aelo_run", data={"lon": "1"}).status_code == 403


def test_aelo_site_classes(standin):
    s = login(standin, "alice")
    body = standin.get("/v1/aelo_site_classes", s).json()
    assert set(body) == {"ASCE7-16", "ASCE7-22"}
    assert body["ASCE7-22"]["BC"]["vs30"] == [760.0]
    assert body["ASCE7-16"]["default"]["vs30"] == [260.0, 365.0, 530.0]


def test_aelo_run_stand_in(standin, smtp):
    """The demo mosaic's CCA model, run by the stand-in; alice gets the e-mail."""
    authsrv = standin
    s = login(authsrv, "alice")
    r = authsrv.post("/v1/calc/aelo_run", s, data=dict(CCA_SITE, site_name="",
                                                       siteid="CCA_site"))
    assert r.status_code == 200, r.text
    body = r.json()
    job_id = body["job_id"]
    assert body["status"] == "created" and "WARNING" not in body
    assert body["outputs_uri"] == authsrv.url("/v1/calc/%d/results" % job_id)
    assert authsrv.wait(job_id, session=s) == "complete"
    info = authsrv.get("/v1/calc/%d" % job_id, s).json()
    assert info["description"] == "AELO for CCA_site"
    assert info["calculation_mode"] == "aelo" and info["user_name"] == "alice"
    [mail] = mails_for(smtp[2], "Job %d finished correctly" % job_id, authsrv)
    assert mail["To"] == USERS["alice"][0]
    text = mail.get_payload()
    for part in ("CCA_site", "ASCE7-16", "Model: CCA", "AELO version: 2.1.0",
                 authsrv.url("/v1/calc/%d/results" % job_id)):
        assert part in text, part


@pytest.fixture(scope="module")
def aelosrv(tmp_path_factory, smtp):
    """An AELO-mode server with the real calculators and the test mosaic."""
    from oqhttp.auth import user_command
    host, port, _box = smtp
    srv = Server(str(tmp_path_factory.mktemp("aelo")), {
        "distribution": {"serialize_jobs": 1, "oq_distribute": "no"},
        "directory": {"mosaic_dir": os.path.abspath(os.path.join(DATA, "mosaic"))},
        "webui": {"application_mode": "AELO", "secret_key": "test-secret-key",
                  "base_url": "{base}"},
        "smtp": {"host": host, "port": port, "sender": "engine@example.org"}},
        plugins=MODULES)
    settings = srv.settings()
    email, password, level = USERS["alice"]
    assert user_command(["add", "alice", "--email", email, "--password", password,
                         "--level", str(level)], settings) == 0
    assert user_command(["add", "bob", "--password", USERS["bob"][1]], settings) == 0
    srv.start()
    yield srv
    srv.stop()


def read_csv(text: str) -> list[dict]:
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def test_aelo_mode_routes(aelosrv):
    assert aelosrv.post("/v1/calc/aelo_run", data=CCA_SITE).status_code == 403
    assert aelosrv.get("/v1/calc/list").status_code == 403
    s = login(aelosrv, "alice")
    zipped = make_zip({"job.ini": "[general]\ncalculation_mode = classical\n"})
    for path in ("/v1/calc/run", "/v1/calc/validate_zip", "/v1/calc/run_ini",
                 "/v1/calc/validate_ini"):
        r = aelosrv.post(path, s, files=[("archive", ("job.zip", zipped))])
        assert r.status_code == 404, path


def test_aelo_real_job(aelosrv, smtp):
    """The test model (CCA's inputs, shallow-crust GMMs only) through the real
    calculator: listed, outputs exported through the registry, e-mail received."""
    s = login(aelosrv, "alice")
    r = aelosrv.post("/v1/calc/aelo_run", s, data=dict(CCA_SITE, site_class="BC"))
    assert r.status_code == 200, r.text
    job_id = r.json()["job_id"]
    assert job_id in [j["id"] for j in aelosrv.get("/v1/calc/list", s).json()]
    assert aelosrv.wait(job_id, session=s, timeout=300) == "complete", aelosrv.get(
        "/v1/calc/%d/traceback" % job_id, s).text
    outputs = {o["type"]: o for o in aelosrv.get("/v1/calc/%d/results" % job_id, s).json()}
    for kind in ("hcurves", "uhs", "mean_rates_by_src", "aelo_mce", "mce_governing",
                 "asce07", "asce41", "aelo_sources"):
        assert kind in outputs, sorted(outputs)
    assert "png" in outputs["aelo_mce"]["outtypes"]
    r = aelosrv.get("/v1/calc/result/%d?export_type=csv" % outputs["asce07"]["id"], s)
    [row] = read_csv(r.text)
    assert row["custom_site_id"] == "iJ9Wl:BC"
    mce = read_csv(aelosrv.get("/v1/calc/result/%d?export_type=csv"
                               % outputs["aelo_mce"]["id"], s).text)
    by_imt = {m["imt"]: m for m in mce}
    assert float(row["Ss"]) == pytest.approx(float(by_imt["SA(0.2)"]["MCE"]))
    for m in mce:   # MCE = min(ProbMCE, max(DetMCE, DLL))
        expected = min(float(m["ProbMCE"]), max(float(m["DetMCE"]), float(m["DLL"])))
        assert float(m["MCE"]) == pytest.approx(expected, abs=1e-5)
    png = aelosrv.get("/v1/calc/result/%d?export_type=png" % outputs["aelo_mce"]["id"], s)
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    # the same image through download_png, by OpenQuake's name and by output type
    # and the pictures the calculation stored, by OpenQuake's names
    for name in ("mce_spectra.png", "aelo_mce.png", "governing_mce.png", "hcurves.png",
                 "disagg_by_src-All-IMTs.png"):
        r = aelosrv.get("/v1/calc/%d/download_png/%s" % (job_id, name), s)
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", name
        assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    for name, status in (("site.png", 404), ("asce07.png", 404), ("x.jpg", 400),
                         (".hidden.png", 400), ("a..png", 400)):
        r = aelosrv.get("/v1/calc/%d/download_png/%s" % (job_id, name), s)
        assert r.status_code == status, name
    assert aelosrv.get("/v1/calc/%d/download_png/..%%2Fx.png" % job_id, s).status_code in (
        400, 404)
    assert aelosrv.get("/v1/calc/99999/download_png/aelo_mce.png", s).status_code == 404
    [mail] = mails_for(smtp[2], "Job %d finished correctly" % job_id, aelosrv)
    assert "Site class: BC" in mail.get_payload()
    # the test model is CCA without its unused GMM branch sets: same hazard
    compare_with_reference(aelosrv, s, job_id, "CCA")


def test_aelo_failure_mail_and_no_email_warning(aelosrv, smtp):
    """A model whose levels stop too low fails after the hazard: the owner is told;
    a user without an e-mail address gets the WARNING in the answer."""
    s = login(aelosrv, "alice")
    r = aelosrv.post("/v1/calc/aelo_run", s, data={
        "lon": "-88.6", "lat": "15.8", "vs30": "760", "site_name": "too low",
        "asce_version": "ASCE7-22"})
    assert r.status_code == 200, r.text
    job_id = r.json()["job_id"]
    assert aelosrv.wait(job_id, session=s, timeout=300) == "failed"
    [mail] = mails_for(smtp[2], "Job %d failed" % job_id, aelosrv)
    assert "the max iml is too low" in mail.get_payload()
    bob = login(aelosrv, "bob")
    r = aelosrv.post("/v1/calc/aelo_run", bob, data={
        "lon": "-88.6", "lat": "15.8", "vs30": "760", "site_name": "no mail",
        "asce_version": "ASCE7-22"})
    assert r.status_code == 200 and "no e-mail address" in r.json()["WARNING"]
    aelosrv.wait(r.json()["job_id"], session=bob, timeout=300)


def _expected_curves(folder: str) -> dict:
    out = {}
    for name in os.listdir(folder):
        if name.startswith("hazard_curve-mean-"):
            with open(os.path.join(folder, name)) as f:
                [row] = read_csv(f.read())
            out[name] = np.array([float(v) for k, v in row.items() if k.startswith("poe-")])
    return out


def _gsims_of(folder: str) -> set:
    """The GSIM names of the logic-tree files of a model folder."""
    import re
    names = set()
    for fname in os.listdir(folder):
        if fname.endswith(".xml"):
            with open(os.path.join(folder, fname)) as f:
                names |= set(re.findall(r"<uncertaintyModel>\s*(\w+)\s*<", f.read()))
    return names


def _msrs_of(folder: str) -> set:
    """The magnitude-scaling relations named by the source models of a model folder."""
    import re
    names = set()
    for root, _, files in os.walk(folder):
        for fname in files:
            if fname.endswith(".xml"):
                with open(os.path.join(root, fname)) as f:
                    names |= set(re.findall(r"<magScaleRel>\s*(\w+)\s*<", f.read()))
    return names


def _output_files(srv, s, output_id: int) -> dict:
    """{file name: text} of an output exported as CSV (one file or a zip)."""
    import zipfile
    r = srv.get("/v1/calc/result/%d?export_type=csv" % output_id, s)
    assert r.status_code == 200, r.text
    if r.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            return {n: zf.read(n).decode() for n in zf.namelist()}
    name = r.headers.get("Content-Disposition", "x.csv").split("filename=")[-1].strip('"')
    return {name.split("-", 2)[-1] if name.startswith("output-") else name: r.text}


def compare_with_reference(srv, s, job_id: int, code: str) -> None:
    """Mean hazard curves and UHS of a job against OpenQuake's for model ``code``
    (tests/data/aelo/<code>-expected), rtol 1e-3 (atol 1e-7 for the tails)."""
    outputs = {o["type"]: o["id"] for o in
               srv.get("/v1/calc/%d/results" % job_id, s).json()}
    got = {}
    for kind in ("hcurves", "uhs"):
        for name, text in _output_files(srv, s, outputs[kind]).items():
            got[os.path.basename(name)] = read_csv(text)
    expected_dir = os.path.join(DATA, "%s-expected" % code)
    names = [n for n in sorted(os.listdir(expected_dir))
             if n.startswith(("hazard_curve-mean-", "hazard_uhs-mean"))]
    assert len(names) == 4
    for name in names:
        with open(os.path.join(expected_dir, name)) as f:
            [exp] = read_csv(f.read())
        [mine] = [rows for n, rows in got.items() if n.startswith(name[:-4] + "_")]
        cols = [k for k in exp if k.startswith("poe-") or "~" in k]
        np.testing.assert_allclose([float(mine[0][k]) for k in cols],
                                   [float(exp[k]) for k in cols], rtol=1e-3, atol=1e-7,
                                   err_msg=name)


@pytest.mark.slow
@pytest.mark.parametrize("code,lon,lat", [("CCA", "-90", "16.6"), ("PAC", "160", "-9.4")])
def test_demo_models_match_reference(tmp_path, smtp, code, lon, lat):
    """The shipped demo models through aelo_run against OpenQuake 3.26.2: mean hazard
    curves and UHS within rtol 1e-3, and the completion e-mail. Skipped while a GSIM of
    the model is not registered."""
    from oqcore import load_registry
    from oqcore.aelo import mosaic
    from oqcore.errors import UnknownPlugin
    from oqhttp.auth import user_command
    registry = load_registry()
    for name in sorted(_gsims_of(os.path.join(mosaic.DEMO_MOSAIC, code, "in"))):
        try:
            registry.gsim(name)
        except UnknownPlugin:
            pytest.skip("GSIM %s of the %s model is not registered yet" % (name, code))
    from oqcore.hazard.source.scaling import MSRS
    for name in sorted(_msrs_of(os.path.join(mosaic.DEMO_MOSAIC, code, "in")) - set(MSRS)):
        pytest.skip("magnitude-scaling relation %s of the %s model is not implemented yet"
                    % (name, code))
    host, port, box = smtp
    srv = Server(str(tmp_path), {
        "distribution": {"serialize_jobs": 1, "num_cores": 2},
        "webui": {"application_mode": "AELO", "secret_key": "k", "base_url": "{base}"},
        "smtp": {"host": host, "port": port}}, plugins=MODULES)
    email, password, level = USERS["alice"]
    assert user_command(["add", "alice", "--email", email, "--password", password],
                        srv.settings()) == 0
    srv.start()
    try:
        s = login(srv, "alice")
        r = srv.post("/v1/calc/aelo_run", s, data={
            "lon": lon, "lat": lat, "vs30": "760", "site_class": "BC",
            "asce_version": "ASCE7-16", "site_name": "%s test site" % code})
        assert str(tmp_path) not in r.text  # never a server path, even when refused
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        assert srv.wait(job_id, session=s, timeout=900) == "complete", srv.get(
            "/v1/calc/%d/traceback" % job_id, s).text
        compare_with_reference(srv, s, job_id, code)
        assert mails_for(box, "Job %d finished correctly" % job_id, srv)
    finally:
        srv.stop()


def test_aelo_abort(aelosrv, smtp):
    """An AELO job is a normal job: it can be aborted, and its owner is told."""
    s = login(aelosrv, "alice")
    r = aelosrv.post("/v1/calc/aelo_run", s, data=dict(CCA_SITE, site_name="to abort", vs30="",
                                                       site_class="default"))
    assert r.status_code == 200, r.text
    job_id = r.json()["job_id"]
    assert aelosrv.wait(job_id, ("executing", "complete", "failed"), session=s) == \
        "executing"
    r = aelosrv.post("/v1/calc/%d/abort" % job_id, s)
    assert r.status_code == 200, r.text
    assert aelosrv.wait(job_id, session=s) == "aborted"
    [mail] = mails_for(smtp[2], "Job %d failed" % job_id, aelosrv)
    assert "to abort" in mail.get_payload()


def test_page_in_aelo_mode(standin):
    """In AELO mode the page offers the AELO form and not the run form (POST
    /v1/calc/run answers 404 there)."""
    r = standin.get("/engine/")
    assert r.status_code == 200
    assert 'data-aelo="true"' in r.text and 'data-run="false"' in r.text
    s = login(standin, "alice")
    r = standin.post("/v1/calc/run", s, files=[("archive", ("job.zip", make_zip(
        {"job.ini": "[general]\ncalculation_mode = aelo\n"})))])
    assert r.status_code == 404
