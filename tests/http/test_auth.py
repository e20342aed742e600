"""Authenticated mode: login/logout, sessions, owners-only access, levels, password
reset by e-mail (a real aiosmtpd server), ``oq user``; public-mode account routes."""
from __future__ import annotations

import re

import pytest
import requests

from oqcore.jobs.db import JobDB
from oqhttp.auth import Accounts, user_command
from tests.http.conftest import USERS, job_ini, login


@pytest.fixture(scope="module")
def alice_job(authsrv):
    """A completed job of alice."""
    s = login(authsrv, "alice")
    job_id = authsrv.submit(job_ini("alice's"), session=s)
    assert authsrv.wait(job_id, session=s) == "complete"
    return job_id


def test_anonymous_is_refused(authsrv):
    for path in ("/v1/calc/list", "/v1/engine_version", "/v1/calc/1", "/v1/ini_defaults",
                 "/v1/calc/1/extract/fake_curves"):
        r = authsrv.get(path)
        assert r.status_code == 403, path
        assert "log in" in r.json()["error"]
    r = authsrv.post("/v1/calc/run", files=[("archive", ("job.ini", job_ini()))])
    assert r.status_code == 403
    assert authsrv.get("/v1/openapi.json").status_code == 200


def test_login_logout(authsrv):
    s = requests.Session()
    r = authsrv.post("/accounts/ajax_login/", s, data={"username": "alice",
                                                       "password": USERS["alice"][1]})
    assert r.status_code == 200 and r.text == "Successful login"
    cookie = r.headers["Set-Cookie"]
    assert "sessionid=" in cookie and "HttpOnly" in cookie and "SameSite" in cookie
    assert authsrv.get("/v1/calc/list", s).status_code == 200
    r = authsrv.post("/accounts/ajax_logout/", s)
    assert r.status_code == 200 and r.text == "Successful logout"
    assert authsrv.get("/v1/calc/list", s).status_code == 403


def test_bad_logins(authsrv):
    wrong_pw = authsrv.post("/accounts/ajax_login/", data={"username": "alice",
                                                           "password": "wrong-one!"})
    no_user = authsrv.post("/accounts/ajax_login/", data={"username": "mallory",
                                                          "password": "wrong-one!"})
    assert wrong_pw.status_code == no_user.status_code == 403
    assert wrong_pw.json() == no_user.json() == {"error": "Invalid login"}
    assert "Set-Cookie" not in wrong_pw.headers
    r = authsrv.post("/accounts/ajax_login/", data={"username": "alice"})
    assert r.status_code == 400
    assert authsrv.get("/accounts/ajax_login/").status_code == 405


def test_forged_cookies(authsrv):
    good = login(authsrv, "alice").cookies["sessionid"]
    token, sig = good.split(".")
    other = "y" if sig[0] == "x" else "x"  # a signature that differs from the good one
    for value in (token, token + "." + other + sig[1:], "abc.def", "x" * 50, good + "x",
                  "gAJ9cQAu.pickle"):
        r = requests.get(authsrv.url("/v1/calc/list"), cookies={"sessionid": value},
                         timeout=10)
        assert r.status_code == 403, value
    assert requests.get(authsrv.url("/v1/calc/list"), cookies={"sessionid": good},
                        timeout=10).status_code == 200


def test_owner_is_the_user(authsrv, alice_job):
    s = login(authsrv, "alice")
    assert authsrv.get("/v1/calc/%d" % alice_job, s).json()["user_name"] == "alice"
    items = authsrv.get("/v1/calc/list", s).json()
    assert items and {i["owner"] for i in items} == {"alice"}


def test_other_users_jobs(authsrv, alice_job):
    """A job of someone else is answered exactly like a job that does not exist."""
    bob = login(authsrv, "bob")
    assert alice_job not in [i["id"] for i in authsrv.get("/v1/calc/list", bob).json()]
    missing = authsrv.get("/v1/calc/list", login(authsrv, "boss")).json()[0]["id"] + 1000
    for path in ("/v1/calc/%d", "/v1/calc/%d/status", "/v1/calc/%d/results",
                 "/v1/calc/%d/result/list", "/v1/calc/%d/extract/fake_curves",
                 "/v1/calc/%d/datastore", "/v1/calc/%d/log/:", "/v1/calc/%d/log/size",
                 "/v1/calc/%d/traceback"):
        r = authsrv.get(path % alice_job, bob)
        unknown = authsrv.get(path % missing, bob)
        assert r.status_code == unknown.status_code == 404, path
        assert r.json()["error"] == "Unknown calculation %d" % alice_job, path
        assert unknown.json()["error"] == "Unknown calculation %d" % missing, path
        assert set(r.json()) == set(unknown.json()), path
    rid = authsrv.get("/v1/calc/%d/results" % alice_job, login(authsrv, "alice")).json()[0]
    r = authsrv.get("/v1/calc/result/%d" % rid["id"], bob)
    assert r.status_code == 404 and r.json()["error"] == "Unknown result %d" % rid["id"]
    assert authsrv.get("/v1/calc/result/%d" % (rid["id"] + 10 ** 6), bob).json() == {
        "error": "Unknown result %d" % (rid["id"] + 10 ** 6)}
    for action in ("abort", "remove"):
        r = authsrv.post("/v1/calc/%d/%s" % (alice_job, action), bob)
        unknown = authsrv.post("/v1/calc/%d/%s" % (missing, action), bob)
        assert r.status_code == unknown.status_code == 404, action
        assert r.json()["error"].replace(str(alice_job), "N") == \
            unknown.json()["error"].replace(str(missing), "N"), action
    r = authsrv.post("/v1/calc/run", bob, files=[("archive", ("job.ini", job_ini()))],
                     data={"hazard_job_id": str(alice_job)})
    unknown = authsrv.post("/v1/calc/run", bob, files=[("archive", ("job.ini", job_ini()))],
                           data={"hazard_job_id": str(missing)})
    # a parent reference is refused alike for a foreign and a missing job (#8 items 3, 6)
    assert r.status_code == unknown.status_code == 403
    assert r.json()["error"].replace(str(alice_job), "N") == \
        unknown.json()["error"].replace(str(missing), "N")
    assert authsrv.job_row(alice_job)["status"] == "complete"  # untouched


def test_superuser_sees_everything(authsrv, alice_job):
    boss = login(authsrv, "boss")
    assert alice_job in [i["id"] for i in authsrv.get("/v1/calc/list", boss).json()]
    assert authsrv.get("/v1/calc/%d" % alice_job, boss).status_code == 200
    outs = authsrv.get("/v1/calc/%d/results" % alice_job, boss).json()
    assert "exposure" in [o["type"] for o in outs]
    alice_outs = authsrv.get("/v1/calc/%d/results" % alice_job, login(authsrv, "alice")
                             ).json()
    assert "exposure" not in [o["type"] for o in alice_outs]  # hidden below level 2
    alice_only = authsrv.get("/v1/calc/list", boss, params={"user": "alice"}).json()
    assert {i["owner"] for i in alice_only} == {"alice"}


def test_level_zero_extract_whitelist(authsrv):
    carol = login(authsrv, "carol")
    job_id = authsrv.submit(job_ini("carol's"), session=carol)
    authsrv.wait(job_id, session=carol)
    assert authsrv.get("/v1/calc/%d/extract/sitecol" % job_id, carol).status_code == 200
    r = authsrv.get("/v1/calc/%d/extract/fake_curves" % job_id, carol)
    assert r.status_code == 403
    assert authsrv.get("/v1/calc/%d/extract/fake_curves" % job_id,
                       login(authsrv, "boss")).status_code == 200


def test_owner_can_abort_and_remove(authsrv):
    s = login(authsrv, "bob")
    job_id = authsrv.submit(job_ini("bob's long", duration=60), session=s)
    authsrv.wait(job_id, ("executing",), 30, session=s)
    assert authsrv.post("/v1/calc/%d/abort" % job_id, s).status_code == 200
    assert authsrv.wait(job_id, session=s, timeout=10) == "aborted"
    assert authsrv.post("/v1/calc/%d/remove" % job_id, s).status_code == 200
    assert authsrv.get("/v1/calc/%d" % job_id, s).status_code == 404


def _link(msg) -> str:
    body = msg.get_payload(decode=True).decode() if not msg.is_multipart() else \
        msg.get_payload(0).get_payload(decode=True).decode()
    return re.search(r"(http://\S+/reset_password/confirm/\S+)", body).group(1)


def test_password_reset(authsrv, smtp):
    box = smtp[2]
    page = authsrv.get("/reset_password/")
    assert page.status_code == 200 and 'name="email"' in page.text
    n = len(box.messages)
    r = authsrv.post("/reset_password/", data={"email": "nobody@example.org"})
    assert r.status_code == 200  # the same answer, and no mail
    r2 = authsrv.post("/reset_password/", data={"email": "BOB@example.org"})
    assert r2.status_code == 200 and r2.text == r.text
    msgs = box.wait(n + 1)
    assert len(msgs) == n + 1
    msg = msgs[-1]
    assert msg["To"] == "bob@example.org" and msg["From"] == "engine@example.org"
    link = _link(msg)
    assert link.startswith(authsrv.base)
    form = requests.get(link, timeout=10)
    assert form.status_code == 200 and "new_password" in form.text
    r = requests.post(link, data={"new_password": "short", "new_password2": "short"},
                      timeout=10)
    assert r.status_code == 400
    r = requests.post(link, data={"new_password": "bob-new-password",
                                  "new_password2": "different-one"}, timeout=10)
    assert r.status_code == 400
    r = requests.post(link, data={"new_password": "bob-new-password",
                                  "new_password2": "bob-new-password"}, timeout=10)
    assert r.status_code == 200
    old = authsrv.post("/accounts/ajax_login/", data={"username": "bob",
                                                      "password": USERS["bob"][1]})
    assert old.status_code == 403
    new = authsrv.post("/accounts/ajax_login/", data={"username": "bob",
                                                      "password": "bob-new-password"})
    assert new.status_code == 200
    again = requests.post(link, data={"new_password": "another-password"}, timeout=10)
    assert again.status_code == 400  # a link works once
    Accounts(JobDB(authsrv.db_file)).set_password("bob", USERS["bob"][1])
    assert authsrv.post("/reset_password/", data={"email": "not-an-address"}
                        ).status_code == 400


def test_expired_reset_link(authsrv):
    accounts = Accounts(JobDB(authsrv.db_file))
    token = accounts.create_reset_token("alice", minutes=-1)
    link = authsrv.url("/reset_password/confirm/%s" % token)
    r = requests.get(link, timeout=10)
    assert r.status_code == 400 and "expired" in r.text
    r = requests.post(link, data={"new_password": "whatever-long"}, timeout=10)
    assert r.status_code == 400 and "expired" in r.json()["error"]
    r = requests.get(authsrv.url("/reset_password/confirm/garbage"), timeout=10)
    assert r.status_code == 400
    assert authsrv.post("/accounts/ajax_login/", data={
        "username": "alice", "password": USERS["alice"][1]}).status_code == 200


def test_user_command(authsrv, capsys):
    settings = authsrv.settings()
    assert user_command(["add", "dave", "--email", "d@example.org", "--password",
                         "dave-password"], settings) == 0
    assert user_command(["add", "dave", "--password", "dave-password"], settings) == 1
    assert user_command(["add", "eve", "--password", "short"], settings) == 1
    capsys.readouterr()
    assert user_command(["list"], settings) == 0
    out = capsys.readouterr().out
    assert "dave\td@example.org\tlevel 1" in out and "alice" in out
    s = login_as(authsrv, "dave", "dave-password")
    assert authsrv.get("/v1/calc/list", s).status_code == 200
    assert user_command(["remove", "dave"], settings) == 0
    assert authsrv.get("/v1/calc/list", s).status_code == 403  # sessions gone too
    assert user_command(["remove", "dave"], settings) == 1


def login_as(srv, name, password) -> requests.Session:
    """A session logged in with explicit credentials."""
    s = requests.Session()
    assert srv.post("/accounts/ajax_login/", s, data={"username": name,
                                                      "password": password}
                    ).status_code == 200
    return s


def test_public_mode_has_no_accounts(public):
    assert public.post("/accounts/ajax_login/", data={"username": "a", "password": "b"}
                       ).status_code == 404
    assert public.post("/accounts/ajax_logout/").status_code == 404
    assert public.get("/reset_password/").status_code == 404


def test_negative_ids_are_per_user(authsrv, alice_job):
    bob = login(authsrv, "bob")
    job_id = authsrv.submit(job_ini("bob's last"), session=bob)
    authsrv.wait(job_id, session=bob)
    alice = login(authsrv, "alice")
    last = authsrv.get("/v1/calc/-1", alice).json()
    assert last["user_name"] == "alice"
    assert authsrv.get("/v1/calc/-1", bob).json()["id"] == job_id
