"""Server safety in authenticated mode: hazard_calculation_id in a job.ini obeys
ownership, children never read another user's parent, another user's child does not
block a removal, level-0 users cannot download datastores, on_same_fs answers only
for the caller's own files, uploads cannot reach another user's upload."""
from __future__ import annotations

import os
import sqlite3
import zlib

import pytest

from tests.http.conftest import job_ini, login, make_zip

SECRET = b"<secret>alice's private data</secret>\n"


def _run(srv, session, ini: str, data=None, **files):
    members = [("archive", ("job.ini", ini))] + [
        ("archive", (name, content)) for name, content in files.items()]
    return srv.post("/v1/calc/run", session, files=members, data=data or {})


@pytest.fixture(scope="module")
def alice_secret(authsrv):
    """A complete job of alice with a secret input (stored as ``fake_input``)."""
    alice = login(authsrv, "alice")
    r = _run(authsrv, alice, job_ini("alice secret", extra="fake_input_file = s.xml\n"),
             **{"s.xml": SECRET})
    assert r.status_code == 200, r.text
    job_id = r.json()["job_id"]
    assert authsrv.wait(job_id, session=alice) == "complete"
    return job_id


def test_hazard_calculation_id_obeys_ownership(authsrv, alice_secret):
    bob = login(authsrv, "bob")
    ini = job_ini(extra="hazard_calculation_id = %d\n" % alice_secret)
    n_before = len(authsrv.get("/v1/calc/list", login(authsrv, "boss")).json())
    r = _run(authsrv, bob, ini)
    assert r.status_code == 403, r.text
    r = authsrv.post("/v1/calc/validate_zip", bob, files=[
        ("archive", ("j.zip", make_zip({"job.ini": ini})))])
    assert r.status_code == 403, r.text
    assert len(authsrv.get("/v1/calc/list", login(authsrv, "boss")).json()) == n_before
    foreign = r.json()["error"].replace(str(alice_secret), "N")
    r = _run(authsrv, bob, job_ini(extra="hazard_calculation_id = 999999\n"))
    # a missing parent gets the same answer as a foreign one: ids cannot be probed
    assert r.status_code == 403 and "hazard_calculation_id" in r.json()["error"]
    assert r.json()["error"].replace("999999", "N") == foreign
    # -1 is the caller's own last job, not the last job of the server
    own = authsrv.submit(session=bob)
    assert authsrv.wait(own, session=bob) == "complete"
    alice_last = authsrv.submit(session=login(authsrv, "alice"))
    r = _run(authsrv, bob, job_ini(extra="hazard_calculation_id = -1\n"))
    assert r.status_code == 200, r.text
    child = r.json()["job_id"]
    assert authsrv.job_row(child)["hazard_calculation_id"] == own != alice_last
    authsrv.wait(child, session=bob)
    boss = login(authsrv, "boss")  # a superuser's -1 is his own last job too
    boss_own = authsrv.submit(session=boss)
    authsrv.wait(boss_own, session=boss)
    authsrv.wait(authsrv.submit(session=bob), session=bob)
    r = _run(authsrv, boss, job_ini(extra="hazard_calculation_id = -1\n"))
    assert r.status_code == 200, r.text
    assert authsrv.job_row(r.json()["job_id"])["hazard_calculation_id"] == boss_own
    authsrv.wait(r.json()["job_id"], session=boss)


def test_child_never_reads_another_users_parent(authsrv, alice_secret):
    bob = login(authsrv, "bob")
    own = authsrv.submit(session=bob)
    assert authsrv.wait(own, session=bob) == "complete"
    with sqlite3.connect(authsrv.db_file, timeout=10) as conn:  # as an old server left it
        conn.execute("UPDATE job SET hazard_calculation_id=? WHERE id=?", (alice_secret, own))
    r = authsrv.get("/v1/calc/%d/extract/fake_input" % own, bob)
    assert r.status_code == 404 and b"private" not in r.content, r.text
    boss = login(authsrv, "boss")  # who may see both reads through
    assert authsrv.get("/v1/calc/%d/extract/fake_input" % own, boss).status_code == 200


def test_other_users_child_does_not_block_remove(authsrv):
    alice, boss = login(authsrv, "alice"), login(authsrv, "boss")
    parent = authsrv.submit(session=alice)
    assert authsrv.wait(parent, session=alice) == "complete"
    child = authsrv.submit(session=boss, data={"hazard_job_id": str(parent)})
    assert authsrv.wait(child, session=boss) == "complete"
    r = authsrv.post("/v1/calc/%d/remove" % parent, alice)
    assert r.status_code == 200, r.text
    assert authsrv.job_row(child)["hazard_calculation_id"] is None
    assert str(child) not in r.text
    # the caller's own dependent job still blocks
    parent = authsrv.submit(session=alice)
    authsrv.wait(parent, session=alice)
    child = authsrv.submit(session=alice, data={"hazard_job_id": str(parent)})
    authsrv.wait(child, session=alice)
    r = authsrv.post("/v1/calc/%d/remove" % parent, alice)
    assert r.status_code == 409 and str(child) in r.json()["error"]


def test_level_zero_datastore(authsrv):
    carol = login(authsrv, "carol")
    job_id = authsrv.submit(session=carol)
    assert authsrv.wait(job_id, session=carol) == "complete"
    r = authsrv.get("/v1/calc/%d/datastore" % job_id, carol)
    assert r.status_code == 403 and "level-0" in r.json()["error"]
    assert r.content[:4] != b"\x89HDF"
    assert authsrv.get("/v1/calc/%d/extract/sitecol" % job_id, carol).status_code == 200
    boss = login(authsrv, "boss")
    assert authsrv.get("/v1/calc/%d/datastore" % job_id, boss).status_code == 200


def test_on_same_fs_only_own_files(authsrv, alice_secret):
    path = os.path.join(authsrv.job_row(alice_secret)["ds_calc_dir"], "s.xml")
    checksum = str(zlib.adler32(SECRET[:32], 0) & 0xffffffff)
    data = {"filename": path, "checksum": checksum}
    r = authsrv.post("/v1/on_same_fs", login(authsrv, "alice"), data=data)
    assert r.json() == {"success": True}
    for user in ("bob", "boss"):  # not even a superuser confirms others' files
        r = authsrv.post("/v1/on_same_fs", login(authsrv, user), data=data)
        assert r.status_code == 403 and "success" not in r.json()


def test_upload_cannot_reach_another_users_upload(authsrv, alice_secret):
    calc_dir = os.path.basename(authsrv.job_row(alice_secret)["ds_calc_dir"])
    bob = login(authsrv, "bob")
    r = _run(authsrv, bob, job_ini(extra="fake_input_file = ../%s/s.xml\n" % calc_dir))
    assert r.status_code == 400 and r.json()["param"] == "fake_input_file"
    assert b"private" not in r.content
