"""Results, result downloads and extract specs (public mode)."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from tests.http.conftest import job_ini


@pytest.fixture(scope="module")
def calc(public):
    """A completed fake job and its outputs by type."""
    job_id = public.submit(job_ini("results"))
    assert public.wait(job_id) == "complete"
    outs = {o["type"]: o for o in public.get("/v1/calc/%d/results" % job_id).json()}
    return job_id, outs


def test_results_listing(public, calc):
    job_id, outs = calc
    assert set(outs) >= {"fake_curves", "fake_multi", "fake_empty"}
    o = outs["fake_curves"]
    assert set(o) == {"id", "name", "type", "outtypes", "url", "size_mb"}
    assert o["name"] == "Fake Curves" and o["outtypes"] == ["csv", "npz"]
    assert o["url"] == public.url("/v1/calc/result/%d?export_type=csv" % o["id"])
    assert outs["fake_multi"]["size_mb"] == -1.0
    alias = public.get("/v1/calc/%d/result/list" % job_id).json()
    assert alias == public.get("/v1/calc/%d/results" % job_id).json()


def test_results_of_failed_job_are_empty(public):
    job_id = public.submit(job_ini("no outputs", fail=True))
    public.wait(job_id)
    assert public.get("/v1/calc/%d/results" % job_id).json() == []


def test_download_one_file(public, calc):
    rid = calc[1]["fake_curves"]["id"]
    r = public.get("/v1/calc/result/%d" % rid, params={"export_type": "csv"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers["Content-Disposition"] == "inline; filename=output-%d-fake_curves_%d.csv" % (
        rid, calc[0])
    assert r.text.splitlines()[0] == "site_id,v0,v1,v2,v3"
    r = public.get("/v1/calc/result/%d" % rid, params={"export_type": "csv",
                                                       "dload": "true"})
    assert r.headers["Content-Disposition"].startswith("attachment; filename=output-")
    default = public.get("/v1/calc/result/%d" % rid)  # the first format
    assert default.status_code == 200 and default.text == r.text
    npz = public.get("/v1/calc/result/%d" % rid, params={"export_type": "npz"})
    arr = np.load(io.BytesIO(npz.content))["curves"]
    assert arr.shape == (3, 4)
    head = public.session_head = __import__("requests").head(
        public.url("/v1/calc/result/%d?export_type=csv" % rid), timeout=10)
    assert head.status_code == 200 and head.content == b""


def test_download_several_files_as_zip(public, calc):
    rid = calc[1]["fake_multi"]["id"]
    r = public.get("/v1/calc/result/%d" % rid, params={"export_type": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/x-zip"
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=output-%d-fake_multi-csv.zip" % rid)
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert names == ["part-a_%d.csv" % calc[0], "part-b_%d.csv" % calc[0]]


def test_download_errors(public, calc):
    rid = calc[1]["fake_curves"]["id"]
    r = public.get("/v1/calc/result/%d" % rid, params={"export_type": "pdf"})
    assert r.status_code == 404
    assert r.json()["error"] == "Could not export fake_curves in pdf (available: csv, npz)"
    r = public.get("/v1/calc/result/%d" % calc[1]["fake_empty"]["id"])
    assert r.status_code == 404 and "Nothing to export" in r.json()["error"]
    assert public.get("/v1/calc/result/999999").status_code == 404
    assert public.get("/v1/calc/result/abc").status_code == 400


def _npz(r):
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/octet-stream"
    return np.load(io.BytesIO(r.content), allow_pickle=False)


def test_extract_specs(public, calc):
    job_id = calc[0]
    npz = _npz(public.get("/v1/calc/%d/extract/fake_curves" % job_id))
    assert npz["array"].shape == (3, 4) and list(npz["extra"]) == ["value"]
    r = public.get("/v1/calc/%d/extract/fake_curves?site_id=1&kind=mean&kind=rlz-0"
                   % job_id)
    assert "filename=fake_curves.npz" in r.headers["Content-Disposition"]
    npz = _npz(r)
    assert npz["array"].tolist() == [[4, 5, 6, 7]] and list(npz["kind"]) == ["mean",
                                                                             "rlz-0"]
    raw = _npz(public.get("/v1/calc/%d/extract/fake_table" % job_id))  # raw group
    assert sorted(raw["array"]) == ["id", "value"]
    last = public.submit()
    assert public.wait(last) == "complete"
    assert _npz(public.get("/v1/calc/-1/extract/sitecol")) is not None  # the last job


def test_extract_attrs(public, calc):
    job_id = calc[0]
    npz = _npz(public.get("/v1/calc/%d/extract/fake_curves.attrs" % job_id))
    assert "array" not in npz.files and bytes(npz["imt"]) == b"PGA"
    assert int(npz["nsites"]) == 3
    npz = _npz(public.get("/v1/calc/%d/extract/sitecol.attrs" % job_id))  # a spec
    assert "array" not in npz.files and int(npz["nsites"]) == 3
    npz = _npz(public.get("/v1/calc/%d/extract/fake_table.attrs" % job_id))
    assert "array" not in npz.files  # (attributes starting with _ are private)


def test_extract_errors(public, calc):
    job_id = calc[0]
    r = public.get("/v1/calc/%d/extract/nonexistent" % job_id)
    assert r.status_code == 404 and "nonexistent" in r.json()["error"]
    r = public.get("/v1/calc/%d/extract/nonexistent?x=1" % job_id)
    assert r.status_code == 404 and "Unknown extract spec" in r.json()["error"]
    r = public.get("/v1/calc/%d/extract/a%%20b" % job_id)
    assert r.status_code == 400
    r = public.get("/v1/calc/%d/extract/fake_curves?site_id=7" % job_id)
    assert r.status_code == 400 and "site_id" in r.json()["error"]
    assert public.get("/v1/calc/%d/extract/nope.attrs" % job_id).status_code == 404
    assert public.get("/v1/calc/999999/extract/fake_curves").status_code == 404
