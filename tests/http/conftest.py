"""Fixtures of the server tests: real servers (``python -m oqhttp.server``, waitress)
on free loopback ports, each with its own openquake.cfg and data directory, and a real
SMTP server (aiosmtpd) on loopback."""
from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile

import pytest
import requests

from oqcore.jobs.procs import pid_alive  # noqa: F401  (used by the tests)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = ["oqcore.params_table", "oqcore.hazard.gsim.library", "tests.http.fakeplugin"]
TIMEOUT = 20  # seconds for one HTTP request

JOB_INI = """[general]
description = %(description)s
calculation_mode = fake
fake_duration = %(duration)s
fake_fail = %(fail)s
fake_log_rows = %(rows)s
"""


def job_ini(description="fake job", duration=0, fail=False, rows=3, extra="") -> str:
    """The text of a job.ini for the fake calculator."""
    return JOB_INI % dict(description=description, duration=duration,
                          fail=str(fail).lower(), rows=rows) + extra


def make_zip(members: dict) -> bytes:
    """A zip archive in memory from {name: text or bytes}."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An engine server process on a loopback port.

    :param root: its own directory (openquake.cfg, data directory)
    :param cfg: openquake.cfg sections {section: {key: value}}
    """

    def __init__(self, root: str, cfg: dict, plugins=PLUGINS, prefix=()):
        self.root = root
        self.prefix = list(prefix)  # e.g. a command running the server in a namespace
        self.datadir = os.path.join(root, "oqdata")
        self.cfg_path = os.path.join(root, "openquake.cfg")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.plugins = list(plugins)
        self.proc: subprocess.Popen | None = None
        os.makedirs(self.datadir, exist_ok=True)
        with open(self.cfg_path, "w") as f:
            for section, items in cfg.items():
                f.write("[%s]\n" % section)
                for k, v in items.items():
                    f.write("%s = %s\n" % (k, str(v).replace("{base}", self.base)))
        self.env = dict(os.environ, OQ_CONFIG_FILE=self.cfg_path, OQ_DATADIR=self.datadir,
                        PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.log_path = os.path.join(root, "server.log")

    @property
    def db_file(self) -> str:
        """The job database."""
        return os.path.join(self.datadir, "db.sqlite3")

    def settings(self):
        """The Settings the server reads."""
        from oqcore.config import Settings
        old = dict(os.environ)
        os.environ.update(OQ_CONFIG_FILE=self.cfg_path, OQ_DATADIR=self.datadir)
        try:
            return Settings.load()
        finally:
            os.environ.clear()
            os.environ.update(old)

    def start(self) -> "Server":
        """Start the process and wait (bounded) until it answers."""
        cmd = self.prefix + [sys.executable, "-m", "oqhttp.server", "--host", "127.0.0.1",
                             "--port", str(self.port), "--no-entry-points"]
        for p in self.plugins:
            cmd += ["--plugin", p]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server died: %s" % open(self.log_path).read())
            try:
                requests.get(self.base + "/v1/openapi.json", timeout=2)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("the server does not answer")

    def stop(self, sig=signal.SIGTERM) -> None:
        """Stop the process (SIGTERM: graceful; SIGKILL: a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    # ------------------------------------------------------------------ helpers
    def url(self, path: str) -> str:
        """The full URL of a path."""
        return self.base + path

    def get(self, path: str, session=None, **kw) -> requests.Response:
        """GET a path."""
        return (session or requests).get(self.url(path), timeout=TIMEOUT, **kw)

    def post(self, path: str, session=None, **kw) -> requests.Response:
        """POST to a path."""
        return (session or requests).post(self.url(path), timeout=TIMEOUT, **kw)

    def submit(self, ini: str | None = None, files=None, session=None, data=None) -> int:
        """POST /v1/calc/run with a job.ini (and other files); return the job ID."""
        if files is None:
            files = [("archive", ("job.ini", ini or job_ini()))]
        r = self.post("/v1/calc/run", session, files=files, data=data or {})
        assert r.status_code == 200, r.text
        return r.json()["job_id"]

    def run_folder(self, folder: str, timeout: float = 600) -> int:
        """Zip the files of ``folder``, run them as one job and check it completes;
        return the job ID."""
        members = {}
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    members[name] = f.read()
        job_id = self.submit(files=[("archive", ("job.zip", make_zip(members)))])
        assert self.wait(job_id, timeout=timeout) == "complete", self.get(
            "/v1/calc/%d/traceback" % job_id).json()
        return job_id

    def job_row(self, job_id: int) -> dict:
        """The job row, read from the database directly."""
        with sqlite3.connect(self.db_file, timeout=10) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM job WHERE id=?", (job_id,)).fetchone()
        return dict(row) if row else {}

    def wait(self, job_id: int, statuses=("complete", "failed", "aborted"), timeout=60,
             session=None) -> str:
        """Poll the status of a job until it is one of ``statuses`` (bounded)."""
        deadline = time.time() + timeout
        status = None
        while time.time() < deadline:
            r = self.get("/v1/calc/%d/status" % job_id, session)
            status = r.json().get("status")
            if status in statuses:
                return status
            time.sleep(0.1)
        raise AssertionError("job %d still %s after %ss" % (job_id, status, timeout))


class Mailbox:
    """Messages received by the aiosmtpd server.

    :param gate: when given, each message is answered and kept only once it is set
    """

    def __init__(self, gate: threading.Event | None = None):
        self.messages: list = []
        self.event = threading.Event()
        self.gate = gate

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd handler: keep the message (after the gate opens)."""
        import asyncio
        import email
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.02)  # without blocking the event loop
        self.messages.append(email.message_from_bytes(envelope.content))
        self.event.set()
        return "250 OK"

    def wait(self, n: int, timeout: float = 15) -> list:
        """Wait (bounded) until ``n`` messages arrived."""
        deadline = time.time() + timeout
        while len(self.messages) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture(scope="session")
def smtp():
    """A real SMTP server on loopback: (host, port, mailbox)."""
    from aiosmtpd.controller import Controller
    box = Mailbox()
    port = free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    yield "127.0.0.1", port, box
    ctl.stop()


@pytest.fixture(scope="session")
def public(tmp_path_factory):
    """A public-mode server (2 concurrent jobs, in-process tasks)."""
    srv = Server(str(tmp_path_factory.mktemp("public")), {
        "distribution": {"serialize_jobs": 2, "oq_distribute": "no"},
        "webui": {"max_upload_mb": 2, "max_unzipped_mb": 5}})
    srv.start()
    yield srv
    srv.stop()


USERS = {"alice": ("alice@example.org", "alice-password", 1),
         "bob": ("bob@example.org", "bob-password", 1),
         "boss": ("boss@example.org", "boss-password", 2),
         "carol": ("carol@example.org", "carol-password", 0)}


@pytest.fixture(scope="session")
def authsrv(tmp_path_factory, smtp):
    """An authenticated-mode server with users alice, bob (level 1), boss (level 2),
    carol (level 0), sending mail to the aiosmtpd server; it has an aelo stand-in."""
    from oqhttp.auth import user_command
    host, port, _box = smtp
    srv = Server(str(tmp_path_factory.mktemp("auth")), {
        "distribution": {"serialize_jobs": 2, "oq_distribute": "no"},
        "webui": {"authentication": "true", "secret_key": "test-secret-key",
                  "reset_link_minutes": 5, "base_url": "{base}"},
        "smtp": {"host": host, "port": port, "sender": "engine@example.org"}},
        plugins=PLUGINS + ["tests.http.aeloplugin", "oqplugins.calculators.risk"])
    settings = srv.settings()
    for name, (email, password, level) in USERS.items():
        assert user_command(["add", name, "--email", email, "--password", password,
                             "--level", str(level)], settings) == 0
    srv.start()
    yield srv
    srv.stop()


def login(srv: Server, name: str) -> requests.Session:
    """A requests session logged in as ``name``."""
    s = requests.Session()
    r = srv.post("/accounts/ajax_login/", s, data={"username": name,
                                                   "password": USERS[name][1]})
    assert r.status_code == 200, r.text
    return s
