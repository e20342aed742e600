"""Bad and hostile input: NRML validation, validate_zip, on_same_fs, zip slip, zip
bombs, oversized uploads, hostile XML in uploads (public mode)."""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib

from tests.http.conftest import job_ini, make_zip

GOOD = ('<?xml version="1.0" encoding="utf-8"?>\n'
        '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">\n'
        '  <vulnerabilityModel id="vm1" assetCategory="buildings">\n'
        '    <description>ok</description>\n'
        '  </vulnerabilityModel>\n</nrml>\n')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
          '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><x>&lol3;</x></nrml>\n')
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '\n<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><x>&e;</x></nrml>\n')


def test_valid(public):
    r = public.post("/v1/valid/", data={"xml_text": GOOD})
    assert r.json() == {"valid": True, "error_msg": None, "error_line": None}
    bad = GOOD.replace("</vulnerabilityModel>", "</vulnerability>")
    body = public.post("/v1/valid/", data={"xml_text": bad}).json()
    assert body["valid"] is False and body["error_line"] == 5
    assert "mismatched tag" in body["error_msg"]
    body = public.post("/v1/valid/", data={"xml_text": "hello"}).json()
    assert body["valid"] is False and body["error_line"] == 1
    body = public.post("/v1/valid/", data={"xml_text": "<foo/>"}).json()
    assert body["valid"] is False and "nrml" in body["error_msg"]
    uni = GOOD.replace("ok", "già ü")
    assert public.post("/v1/valid/", data={"xml_text": uni}).json()["valid"] is True


def test_valid_missing_text(public):
    for data in ({}, {"xml_text": ""}):
        r = public.post("/v1/valid/", data=data)
        assert r.status_code == 400
        assert r.json()["error"] == 'Please provide the "xml_text" parameter'


def test_valid_hostile_xml(public):
    for text in (LAUGHS, EXTERNAL):
        r = public.post("/v1/valid/", data={"xml_text": text})
        assert r.status_code == 400
        body = r.json()
        assert body["valid"] is False and "not allowed" in body["error"]
        assert "root:" not in r.text  # nothing of /etc/passwd


def test_hostile_xml_in_run(public):
    for text in (LAUGHS, EXTERNAL, "<nrml><unclosed></nrml>"):
        files = [("archive", ("job.ini", job_ini(extra="fake_input_file = m.xml\n"))),
                 ("archive", ("m.xml", text))]
        r = public.post("/v1/calc/run", files=files)
        assert r.status_code == 400, r.text
        assert r.json()["fname"] == "m.xml" and r.json()["lineno"]


def _slip_zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("job.ini", job_ini())
        zf.writestr(name, "evil")
    return buf.getvalue()


def test_zip_slip(public):
    for name in ("../evil.txt", "../../tmp/evil.txt", "/tmp/evil.txt", "a/../../evil.txt",
                 "..\\evil.txt", "C:/evil.txt"):
        data = _slip_zip(name)
        r = public.post("/v1/calc/run", files=[("archive", ("job.zip", data))])
        assert r.status_code == 400 and "unsafe path" in r.json()["error"], name
        r = public.post("/v1/calc/validate_zip", files=[("archive", ("job.zip", data))])
        assert r.status_code == 400, name
    assert not os.path.exists(os.path.join(os.path.dirname(public.datadir), "evil.txt"))
    assert not os.path.exists(os.path.join(public.datadir, "evil.txt"))


def test_zip_symlink(public):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("job.ini", job_ini())
        info = zipfile.ZipInfo("link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    r = public.post("/v1/calc/run", files=[("archive", ("job.zip", buf.getvalue()))])
    assert r.status_code == 400 and "links" in r.json()["error"]


def test_zip_bomb(public):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("job.ini", job_ini())
        zf.writestr("zeros.csv", b"\0" * (20 * 1024 ** 2))  # 20 MB > 5 MB limit
    data = buf.getvalue()
    assert len(data) < 100_000
    for route in ("/v1/calc/run", "/v1/calc/validate_zip"):
        r = public.post(route, files=[("archive", ("job.zip", data))])
        assert r.status_code == 400, r.text
        assert "expands" in r.json()["error"] or "ratio" in r.json()["error"]
    leftovers = [d for d in os.listdir(public.datadir) if d.startswith(".upload-")]
    assert leftovers == []


def test_oversized_upload(public):
    big = b"x" * (3 * 1024 ** 2)  # the limit is 2 MB
    r = public.post("/v1/calc/run", files=[("archive", ("job.ini", job_ini())),
                                           ("archive", ("big.csv", big))])
    assert r.status_code == 413  # a real answer, not a dropped connection
    assert "exceeds" in r.json()["error"]
    huge = b"x" * (40 * 1024 ** 2)  # past what waitress buffers: refused by waitress
    r = public.post("/v1/calc/run", files=[("archive", ("big.csv", huge))])
    assert r.status_code == 413


def test_validate_zip(public):
    good = make_zip({"job.ini": job_ini(extra="fake_input_file = m.xml\n"),
                     "m.xml": GOOD})
    r = public.post("/v1/calc/validate_zip", files=[("archive", ("job.zip", good))])
    assert r.json() == {"valid": True, "error_msg": None, "error_line": None}
    bad = make_zip({"job.ini": job_ini(duration=-1)})
    body = public.post("/v1/calc/validate_zip", files=[("archive", ("j.zip", bad))]).json()
    assert body["valid"] is False and body["error_line"] == 4
    assert "fake_duration" in body["error_msg"] and "/" not in body["error_msg"]
    noini = make_zip({"m.xml": GOOD})
    body = public.post("/v1/calc/validate_zip", files=[("archive", ("j.zip", noini))]).json()
    assert body["valid"] is False and "no .ini" in body["error_msg"]
    body = public.post("/v1/calc/validate_zip", files=[("archive", ("j.zip", b"nozip"))]
                       ).json()
    assert body["valid"] is False and "zip" in body["error_msg"]
    missing = make_zip({"job.ini": job_ini(extra="fake_input_file = m.xml\n")})
    body = public.post("/v1/calc/validate_zip", files=[("archive", ("j.zip", missing))]
                       ).json()
    assert body["valid"] is False and "m.xml" in body["error_msg"]
    r = public.post("/v1/calc/validate_zip", data={"x": "y"})
    assert r.status_code == 400 and r.json()["error"] == "Missing archive file"
    # nothing was run
    assert all(i["description"] != "fake job" or True for i in public.get(
        "/v1/calc/list").json())


def _own_upload_dir(srv, session=None) -> str:
    """The upload directory of a new job of the caller."""
    job_id = srv.submit(session=session)
    srv.wait(job_id, session=session)
    return srv.job_row(job_id)["ds_calc_dir"]


def test_on_same_fs(public):
    content = b"0123456789abcdefghijklmnopqrstuvwxyz-this-is-a-probe\n"
    path = os.path.join(_own_upload_dir(public), "probe.txt")
    with open(path, "wb") as f:
        f.write(content)
    checksum = zlib.adler32(content[:32], 0) & 0xffffffff
    post = lambda **d: public.post("/v1/on_same_fs", data=d)  # noqa: E731
    assert post(filename=path, checksum=str(checksum)).json() == {"success": True}
    assert post(filename=path, checksum=str(checksum + 1)).json() == {"success": False}
    std = zlib.adler32(content[:32])  # start value 1: not what the clients send
    assert post(filename=path, checksum=str(std)).json() == {"success": False}
    missing = os.path.join(os.path.dirname(path), "nope.txt")
    assert post(filename=missing, checksum="1").json() == {"success": False}
    # the data directory itself and the temporary directory are not the caller's
    probe = os.path.join(public.datadir, "probe.txt")
    tmp = tempfile.NamedTemporaryFile(dir=tempfile.gettempdir(), delete=False)
    tmp.write(content)
    tmp.close()
    try:
        with open(probe, "wb") as f:
            f.write(content)
        for other in (probe, tmp.name):
            r = post(filename=other, checksum=str(checksum))
            assert r.status_code == 403 and "success" not in r.json(), other
    finally:
        os.remove(tmp.name)
        os.remove(probe)


def test_on_same_fs_bad_input(public):
    post = lambda **d: public.post("/v1/on_same_fs", data=d)  # noqa: E731
    from tests.http.conftest import ROOT
    outsiders = ["/etc/passwd", "/proc/self/environ", "/etc/no-such-file",
                 os.path.join(ROOT, "pyproject.toml"), public.db_file,
                 public.db_file + "-wal", "relative.txt"]
    answers = set()
    for outside in outsiders:
        r = post(filename=outside, checksum="1")
        assert r.status_code == 403 and "not one of your files" in r.json()["error"], outside
        answers.add(r.text.replace(os.path.basename(outside), "NAME"))
    assert len(answers) == 1  # the same answer whether the file exists or not
    assert post(filename="/tmp/a\0b", checksum="1").status_code == 400  # NUL
    assert post(filename=os.path.join(public.datadir, "p"), checksum="abc"
                ).status_code == 400
    assert post(checksum="1").status_code == 400
    assert post(filename="x").status_code == 400
    assert public.post("/v1/on_same_fs").status_code == 400


def test_on_same_fs_fifo_does_not_block(public):
    path = os.path.join(_own_upload_dir(public), "fifo")
    os.mkfifo(path)
    try:
        r = public.post("/v1/on_same_fs", data={"filename": path, "checksum": "1"})
        assert r.json() == {"success": False}
    finally:
        os.remove(path)
