"""The Python client: the local Extractor and the WebExtractor give the same arrays for
a real classical calculation, through a server started here in public and in
authenticated mode; the WebExtractor's errors (403, 404, wrong password, timeout,
unreachable server) are clear WebAPIErrors, never hangs."""
from __future__ import annotations

import json
import socket
import threading
import time

import numpy as np
import pytest

from oqcore.builtin_plugins import MODULES
from oqcore.extract import Extractor, WebAPIError, WebExtractor, _to_npz_value
from tests.conftest import DATA
from tests.http.conftest import USERS, Server, free_port, make_zip

CASE = DATA / "client" / "classical"

SPECS = [
    "oqparam", "realizations", "weights", "sitecol", "sitecol?field=vs30", "gsims_by_trt",
    "hcurves", "hcurves?kind=mean&imt=PGA", "hcurves?kind=mean&imt=PGA&site_id=0",
    "hcurves?kind=stats&imt=SA(0.1)&site_id=1", "hcurves?kind=rlzs",
    "hcurves?kind=rlz-1&kind=mean", "hcurves?kind=quantile-0.5&kind=mean",
    "hmaps", "hmaps?kind=mean&imt=PGA", "hmaps?kind=rlzs&site_id=3",
    "uhs", "uhs?kind=mean&site_id=0", "uhs?kind=stats", "hcurves-stats", "sources",
    "task_info", "task_info?kind=classical_task",
]


def submit_case(srv: Server, session=None) -> int:
    """Run the 2-realization classical case on ``srv``; return its ID once complete."""
    members = {p.name: p.read_bytes() for p in CASE.iterdir() if p.is_file()}
    job_id = srv.submit(files=[("archive", ("job.zip", make_zip(members)))], session=session)
    status = srv.wait(job_id, timeout=300, session=session)
    assert status == "complete", srv.get("/v1/calc/%d/traceback" % job_id, session).text
    return job_id


@pytest.fixture(scope="module")
def public_calc(tmp_path_factory):
    """A public server with the built-in plugins and one classical calculation."""
    srv = Server(str(tmp_path_factory.mktemp("client_public")),
                 {"distribution": {"serialize_jobs": 1, "oq_distribute": "no"}},
                 plugins=MODULES)
    srv.start()
    try:
        yield srv, submit_case(srv)
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def auth_calc(tmp_path_factory):
    """An authenticated server (users of conftest.USERS) with a calculation of alice."""
    from oqhttp.auth import user_command
    from tests.http.conftest import login
    srv = Server(str(tmp_path_factory.mktemp("client_auth")), {
        "distribution": {"serialize_jobs": 1, "oq_distribute": "no"},
        "webui": {"authentication": "true", "secret_key": "client-test-key"}},
        plugins=MODULES)
    settings = srv.settings()
    for name, (email, password, level) in USERS.items():
        assert user_command(["add", name, "--email", email, "--password", password,
                             "--level", str(level)], settings) == 0
    srv.start()
    try:
        yield srv, submit_case(srv, login(srv, "alice"))
    finally:
        srv.stop()


def local_extractor(srv: Server, calc_id: int) -> Extractor:
    """The local Extractor on the server's data directory."""
    from oqcore import load_registry
    return Extractor(calc_id, load_registry(plugins=[__import__(m, fromlist=["_"])
                                                     for m in MODULES],
                                            entry_points=False, builtins=False),
                     srv.settings())


def assert_same(local, remote, spec: str) -> None:
    """Same members, and each member the same array (dtype, shape, values) once the
    local value is encoded as the server encodes it."""
    lmembers = local.to_dict()
    assert list(lmembers) == remote.members() or sorted(lmembers) == sorted(
        remote.members()), spec
    for name, value in lmembers.items():
        a, b = _to_npz_value(value), np.asarray(remote[name])
        if a.dtype.metadata and "vlen" in a.dtype.metadata:
            a = a.astype(b.dtype)
        assert a.dtype == b.dtype and a.shape == b.shape, (spec, name, a.dtype, b.dtype,
                                                           a.shape, b.shape)
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(a, b, err_msg="%s %s" % (spec, name))
        else:
            assert a.tobytes() == b.tobytes(), (spec, name)


@pytest.mark.parametrize("mode", ["public", "auth"])
def test_local_and_web_extractors_agree(mode, public_calc, auth_calc):
    srv, calc_id = public_calc if mode == "public" else auth_calc
    cred = {} if mode == "public" else {"username": "alice",
                                        "password": USERS["alice"][1]}
    with local_extractor(srv, calc_id) as local, \
            WebExtractor(calc_id, srv.base, timeout=20, **cred) as web:
        assert web.calc_id == local.calc_id == calc_id
        for spec in SPECS:
            assert_same(local.get(spec), web.get(spec), spec)
        assert web.oqparam == local.oqparam
        imtls = web.oqparam["hazard_imtls"]
        assert imtls == {"PGA": [0.1, 0.2, 0.4, 0.6], "SA(0.1)": [0.1, 0.2, 0.4, 0.6]}
        tasks = web.get("task_info").classical_task
        assert tasks.dtype.names == ("taskname", "task_no", "weight", "duration",
                                     "received", "mem_gb")
        assert len(tasks) >= 1 and np.all(tasks["duration"] > 0)
        mean = web.get("hcurves?kind=mean&imt=PGA").mean
        assert mean.shape == (4, 1, 4) and mean.dtype == np.float32
        assert np.all(np.diff(mean[:, 0], axis=1) <= 0)  # curves decrease with the level


def test_negative_ids_and_config(public_calc, tmp_path, monkeypatch):
    srv, calc_id = public_calc
    cfg = tmp_path / "openquake.cfg"
    cfg.write_text("[webapi]\nserver = %s\nusername =\npassword =\n" % srv.base)
    monkeypatch.setenv("OQ_CONFIG_FILE", str(cfg))
    with WebExtractor(-1, timeout=20) as web:  # server from [webapi]
        assert web.calc_id == calc_id and web.server == srv.base
        assert repr(web.get("realizations")) == "<ArrayWrapper(2,)>"
    with local_extractor(srv, -1) as local:
        assert local.calc_id == calc_id
        dic = vars(local.get("hcurves?kind=rlz-0"))
        assert dic["rlz-000"].shape == (4, 2, 4)  # (N, M, L1)


def test_authenticated_errors(auth_calc):
    srv, calc_id = auth_calc
    with pytest.raises(WebAPIError, match="permission denied: Invalid login"):
        WebExtractor(calc_id, srv.base, "alice", "wrong-password", timeout=20)
    with pytest.raises(WebAPIError, match="login required|permission denied"):
        WebExtractor(calc_id, srv.base, "", "", timeout=20)  # anonymous
    # bob is not the owner: the job is answered as unknown (no id enumeration)
    with pytest.raises(WebAPIError, match="Unknown calculation %d" % calc_id):
        WebExtractor(calc_id, srv.base, "bob", USERS["bob"][1], timeout=20)
    with WebExtractor(calc_id, srv.base, "boss", USERS["boss"][1], timeout=20) as web:
        assert web.get("weights").array.tolist() == [0.6, 0.4]  # a superuser sees all


def test_public_errors(public_calc):
    srv, calc_id = public_calc
    with pytest.raises(WebAPIError, match="not found: Unknown calculation 9999"):
        WebExtractor(9999, srv.base, timeout=20)
    with WebExtractor(calc_id, srv.base, timeout=20) as web:
        with pytest.raises(WebAPIError, match="not found: .*hcurvez.*hcurves"):
            web.get("hcurvez?kind=mean")
        with pytest.raises(WebAPIError, match="bad request: .*realization rlz-7"):
            web.get("hcurves?kind=rlz-7")
        with pytest.raises(WebAPIError, match="not found: No 'nothere' found"):
            web.get("nothere")
    with pytest.raises(WebAPIError, match="this WebExtractor is closed"):
        web.get("weights")


def test_unreachable_server():
    port = free_port()  # nothing listens there
    t0 = time.time()
    with pytest.raises(WebAPIError, match="cannot reach the engine server at "
                       "http://127.0.0.1:%d" % port):
        WebExtractor(1, "http://127.0.0.1:%d" % port, timeout=5)
    assert time.time() - t0 < 5


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    conns, stop = [], threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(sock.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % sock.getsockname()[1]
    stop.set()
    thread.join(2)
    for c in conns:
        c.close()
    sock.close()


def test_timeout_is_bounded(silent_server):
    t0 = time.time()
    with pytest.raises(WebAPIError, match="did not answer in 1 s"):
        WebExtractor(1, silent_server, timeout=1)
    assert time.time() - t0 < 10


def test_no_server_configured(tmp_path, monkeypatch):
    cfg = tmp_path / "openquake.cfg"
    cfg.write_text("[webapi]\nserver =\n")
    monkeypatch.setenv("OQ_CONFIG_FILE", str(cfg))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(WebAPIError, match=r"no \[webapi\] server"):
        WebExtractor(1)


def test_large_answers_warn(public_calc, monkeypatch, caplog):
    import oqcore.extract
    srv, calc_id = public_calc
    monkeypatch.setattr(oqcore.extract, "LARGE_BYTES", 10)
    with WebExtractor(calc_id, srv.base, timeout=20) as web, caplog.at_level("WARNING"):
        web.get("weights")
    assert any("local Extractor" in r.getMessage() for r in caplog.records)


def test_progress_in_the_log(public_calc):
    srv, calc_id = public_calc
    log = srv.get("/v1/calc/%d/log/0:" % calc_id).json()
    msgs = [row[-1] if isinstance(row, list) else row["message"] for row in log]
    done = [m for m in msgs if "tasks done" in m]
    assert done and done[-1].startswith("classical_task: ")
    assert "(100%)" in done[-1] and "s elapsed" in done[-1]
    assert sum("tasks submitted" in m for m in msgs) == 1


def test_progress_in_the_status_while_running(tmp_path):
    """A job's /status carries its last progress line while it executes."""
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1,
                                                  "oq_distribute": "no"}},
                 plugins=["oqcore.params_table", "oqcore.parallel", "tests.http.taskplugin"])
    srv.start()
    try:
        ini = ("[general]\ndescription = sleepy\ncalculation_mode = sleepy\n"
               "sleepy_tasks = 10\nsleepy_seconds = 0.4\n")
        job_id = srv.submit(ini)
        seen = set()
        deadline = time.time() + 60
        while time.time() < deadline:
            st = srv.get("/v1/calc/%d/status" % job_id).json()
            if st["status"] == "executing" and st.get("progress"):
                seen.add(st["progress"].split(",")[0])
            if st["status"] in ("complete", "failed", "aborted"):
                break
            time.sleep(0.1)
        assert st["status"] == "complete", srv.get("/v1/calc/%d/traceback" % job_id).text
        assert "progress" not in st
        assert any(s.startswith("sleepy_task: ") and "tasks done" in s for s in seen), seen
        log = srv.get("/v1/calc/%d/log/:" % job_id).json()
        text = json.dumps(log)
        assert "sleepy_task: 10 tasks submitted" in text
        assert "sleepy_task: 10/10 tasks done (100%)" in text
        # one line per 10 %: 10 tasks give 10 lines (and no more without slow tasks)
        assert text.count("tasks done") >= 10
    finally:
        srv.stop()


def test_oq_plot_remote(public_calc, tmp_path):
    """``oq plot --remote`` draws through the server of ``[webapi]``."""
    pytest.importorskip("matplotlib")
    from tests.conftest import oq_environment, run_oq
    srv, calc_id = public_calc
    env = oq_environment(tmp_path)  # an empty data directory: only the server has it
    with open(env["OQ_CONFIG_FILE"], "a") as f:
        f.write("[webapi]\nserver = %s\n" % srv.base)
    out = tmp_path / "remote.png"
    run = run_oq(["plot", "hcurves?kind=stats&imt=PGA", str(calc_id), "--remote",
                  "--out", out], env)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run = run_oq(["plot", "hcurves?kind=mean&imt=PGA", str(calc_id), "--out", out], env)
    assert run.returncode == 1 and "calculation %d does not exist" % calc_id in run.stderr
    run = run_oq(["plot", "hcurves?kind=mean&imt=PGA", "999", "--remote", "--out", out],
                 env)
    assert run.returncode == 1 and "not found: Unknown calculation 999" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.fixture
def not_an_engine_server():
    """An HTTP server answering 200 with an HTML page to every GET."""
    import http.server

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html>hello</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    srv = http.server.HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % srv.server_port
    srv.shutdown()
    srv.server_close()


def test_not_an_engine_server(not_an_engine_server):
    with pytest.raises(WebAPIError, match="did not send an .npz for oqparam"):
        WebExtractor(1, not_an_engine_server, timeout=5)
