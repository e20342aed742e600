"""Rate limits of logins and password reset requests, reset e-mails sent off the
request path, one valid reset link per user: on a server of their own with low limits
and an SMTP server that holds every message until the test lets it through."""
from __future__ import annotations

import re
import threading

import pytest
import requests

from oqcore.config import Settings
from oqcore.jobs.db import JobDB
from oqhttp import auth
from oqhttp.ratelimit import RateLimiter
from tests.http.conftest import PLUGINS, Mailbox, Server, free_port

USERS = {"dora": ("dora@example.org", "dora-password"),
         "egon": ("egon@example.org", "egon-password"),
         "fritz": ("fritz@example.org", "fritz-password")}
PER_USER, PER_ADDRESS = 3, 7
PER_EMAIL = 2


class Clock:
    """A fake monotonic clock."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# ------------------------------------------------------------------ unit level
def test_rate_limiter_window_slides():
    clock = Clock()
    lim = RateLimiter(2, 60, clock)
    assert lim.acquire("a") == 0 and lim.acquire("a") == 0
    assert lim.acquire("a") == pytest.approx(60)  # refused, and not counted
    assert lim.acquire("b") == 0  # another key
    clock.t += 30
    assert lim.retry_after("a") == pytest.approx(30)
    clock.t += 30
    assert lim.acquire("a") == 0  # the first events left the window
    assert lim.retry_after("a") == 0
    assert lim.acquire("a") == 0
    assert lim.acquire("a") > 0
    lim.release("a")  # a forgiven event frees its place
    assert lim.acquire("a") == 0
    assert RateLimiter(0, 60, clock).acquire("a") == 0  # no limit


def test_rate_limiter_memory_is_bounded():
    clock = Clock()
    lim = RateLimiter(1, 60, clock, max_keys=100)
    for i in range(1000):
        lim.acquire("name%d" % i)
    assert len(lim._events) <= 100


def _settings(tmp_path, **kw) -> Settings:
    return Settings(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"), **kw)


def test_throttled_logins_spend_no_password_hashing(tmp_path, monkeypatch):
    settings = _settings(tmp_path, login_failures_per_user=2,
                         login_failures_per_address=100)
    accounts = auth.Accounts(JobDB(settings.db_file), "key")
    accounts.add_user("dora", "", "dora-password")
    clock = Clock()
    limits = auth.Limits(settings, clock)
    calls = []

    class CountingHasher:
        """The argon2 hasher, counting the verifications."""

        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, *args):
            calls.append(1)
            return self.hasher.verify(*args)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    monkeypatch.setattr(accounts, "hasher", CountingHasher(accounts.hasher))
    assert limits.login(accounts, "dora", "dora-password", "1.2.3.4") is not None
    for _ in range(2):
        assert limits.login(accounts, "dora", "wrong-password", "1.2.3.4") is None
    assert len(calls) == 3  # successes do not count against the limit
    for password in ("wrong-password", "dora-password"):
        with pytest.raises(auth.Throttled) as exc:
            limits.login(accounts, "dora", password, "5.6.7.8")
        assert 0 < exc.value.wait <= 15 * 60
    assert len(calls) == 3  # no argon2 work on throttled attempts
    clock.t += 15 * 60 + 1
    assert limits.login(accounts, "dora", "dora-password", "1.2.3.4") is not None


def test_a_new_reset_link_cancels_the_old_ones(tmp_path):
    accounts = auth.Accounts(JobDB(str(tmp_path / "db.sqlite3")), "key")
    accounts.add_user("dora", "dora@example.org", "dora-password")
    accounts.add_user("egon", "egon@example.org", "egon-password")
    first = accounts.create_reset_token("dora", 10)
    other = accounts.create_reset_token("egon", 10)
    second = accounts.create_reset_token("dora", 10)
    with pytest.raises(auth.InvalidInput):
        accounts.reset_token_user(first)
    assert accounts.reset_token_user(other) == "egon"  # another user's link still works
    assert accounts.reset_token_user(second) == "dora"
    accounts.set_password("egon", "egon-new-password")  # a new password cancels links
    with pytest.raises(auth.InvalidInput):
        accounts.reset_token_user(other)
    assert accounts.use_reset_token(second, "dora-new-password") == "dora"
    with pytest.raises(auth.InvalidInput):
        accounts.use_reset_token(second, "dora-other-password")


def test_login_handler_on_its_own(tmp_path):
    """The account handlers are plain functions: called here without a server."""
    import io
    import types
    from urllib.parse import urlencode

    import bottle

    from oqhttp.routes import accounts as routes
    settings = _settings(tmp_path, authentication=True, login_failures_per_user=1)
    ctx = types.SimpleNamespace(auth_enabled=True, settings=settings,
                                accounts=auth.Accounts(JobDB(settings.db_file), "key"),
                                limits=auth.Limits(settings))
    ctx.accounts.add_user("dora", "", "dora-password")
    app = bottle.Bottle()
    app.config["oqhttp.context"] = ctx

    def login(password: str):
        body = urlencode({"username": "dora", "password": password}).encode()
        bottle.request.bind({
            "REQUEST_METHOD": "POST", "PATH_INFO": "/accounts/ajax_login/",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "REMOTE_ADDR": "10.0.0.1", "wsgi.url_scheme": "http", "HTTP_HOST": "x",
            "bottle.app": app})
        return routes.ajax_login()

    assert login("dora-password").status_code == 200
    assert login("wrong-password").status_code == 403
    r = login("dora-password")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 60


# ------------------------------------------------------------------ over HTTP
@pytest.fixture(scope="module")
def gated():
    """An SMTP server on loopback whose messages wait for the test."""
    from aiosmtpd.controller import Controller
    box = Mailbox(threading.Event())
    ctl = Controller(box, hostname="127.0.0.1", port=free_port())
    ctl.start()
    yield ctl.hostname, ctl.port, box
    box.gate.set()
    ctl.stop()


@pytest.fixture(scope="module")
def limited(tmp_path_factory, gated):
    """An authenticated server with low login and reset limits."""
    host, port, _box = gated
    srv = Server(str(tmp_path_factory.mktemp("limited")), {
        "distribution": {"serialize_jobs": 1, "oq_distribute": "no"},
        "webui": {"authentication": "true", "secret_key": "limits-key", "base_url": "{base}",
                  "login_failures_per_user": PER_USER,
                  "login_failures_per_address": PER_ADDRESS,
                  "reset_requests_per_email": PER_EMAIL,
                  "reset_requests_per_address": 20},
        "smtp": {"host": host, "port": port, "sender": "engine@example.org"}}, PLUGINS)
    settings = srv.settings()
    for name, (email, password) in USERS.items():
        assert auth.user_command(["add", name, "--email", email, "--password",
                                  password], settings) == 0
    srv.start()
    yield srv
    srv.stop()


def _login(srv, name, password) -> requests.Response:
    return srv.post("/accounts/ajax_login/", data={"username": name, "password": password})


def test_login_failures_are_limited_per_user(limited):
    for _ in range(PER_USER):
        assert _login(limited, "dora", "not-her-password").status_code == 403
    r = _login(limited, "dora", USERS["dora"][1])  # even the right password waits
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert "Too many failed logins" in r.json()["error"]
    assert "Set-Cookie" not in r.headers
    assert _login(limited, "egon", USERS["egon"][1]).status_code == 200  # others log in


def test_reset_answer_does_not_wait_for_the_mail(limited, gated):
    box = gated[2]
    box.gate.clear()
    n = len(box.messages)
    # the SMTP server holds the mail: an answer that waited for it would never come
    # within the 5 s (15 s of SMTP time-out in between)
    known = requests.post(limited.url("/reset_password/"),
                          data={"email": "fritz@example.org"}, timeout=5)
    unknown = requests.post(limited.url("/reset_password/"),
                            data={"email": "nobody@example.org"}, timeout=5)
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert len(box.messages) == n  # answered while the mail is still held
    box.gate.set()
    msgs = box.wait(n + 1)
    assert len(msgs) == n + 1 and msgs[-1]["To"] == "fritz@example.org"


def _link(msg) -> str:
    body = msg.get_payload(decode=True).decode()
    return re.search(r"(http://\S+/reset_password/confirm/\S+)", body).group(1)


def test_only_the_last_reset_link_works(limited, gated):
    box = gated[2]
    box.gate.set()
    n = len(box.messages)
    for i in range(2):
        assert limited.post("/reset_password/", data={"email": "egon@example.org"}
                            ).status_code == 200
        box.wait(n + i + 1)
    first, second = (_link(m) for m in box.messages[n:n + 2])
    assert first != second
    r = requests.post(first, data={"new_password": "egon-new-password"}, timeout=10)
    assert r.status_code == 400 and "expired" in r.json()["error"]
    r = requests.post(second, data={"new_password": "egon-new-password"}, timeout=10)
    assert r.status_code == 200
    assert _login(limited, "egon", "egon-new-password").status_code == 200


def test_reset_requests_are_limited(limited):
    for _ in range(PER_EMAIL):
        assert limited.post("/reset_password/", data={"email": "Someone@example.org"}
                            ).status_code == 200
    r = limited.post("/reset_password/", data={"email": "someone@EXAMPLE.org"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert limited.post("/reset_password/", data={"email": "else@example.org"}
                        ).status_code == 200  # another address is not throttled


def test_login_failures_are_limited_per_address(limited):
    """(last: it locks this client address out of the server)"""
    codes = [_login(limited, "ghost%d" % i, "whatever-pw").status_code
             for i in range(PER_ADDRESS + 1)]
    assert 429 in codes and set(codes) <= {403, 429}
    r = _login(limited, "fritz", USERS["fritz"][1])  # a name never tried before
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
