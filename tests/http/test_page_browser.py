"""The web page driven in headless Chromium (selenium) against a real authenticated
server with the built-in plugins: log in, run the classical demo and follow its log,
plot its hazard curves, download their CSV, abort and remove a second job, log out.

A screenshot of each step is saved under the test's temporary folder, and copied to
tests/artifacts/page/ when OQ_KEEP_SCREENSHOTS=1. Without Chromium (or selenium) the
test is skipped, except in CI (CI=true), where it fails.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import time
import zipfile
from importlib.metadata import entry_points
from urllib.parse import urlsplit

import pytest

from tests.http.conftest import ROOT, Server
from tests.http.page_routes import PAGE_PATHS, documented_routes, route_of

DEMO = os.path.join(ROOT, "demos", "classical")
USER, PASSWORD = "pageuser", "page-user-password"
WAIT = 300  # seconds for a calculation under a loaded machine


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI needs the browser test: %s (.ci/run installs chromium and "
                    "chromium-driver)" % reason)
    pytest.skip(reason)


def _browser_paths() -> tuple[str, str]:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chrome or not driver:
        _missing("Chromium and its driver are not installed (apt-get install chromium "
                 "chromium-driver)")
    return chrome, driver


def builtin_plugins() -> list[str]:
    """The modules of the installed built-in plugins (entry points of oqcore)."""
    return sorted({ep.value for ep in entry_points(group="oqcore")
                   if ep.value.startswith(("oqcore.", "oqplugins."))
                   and ".aelo" not in ep.value})  # the stand-in replaces the real AELO


def page_server(folder: str, webui: dict) -> Server:
    """A started server with the built-in plugins, the aelo stand-in and the page user;
    ``webui``: its mode settings."""
    from oqhttp.auth import user_command
    srv = Server(folder, {"distribution": {"serialize_jobs": 1, "oq_distribute": "no"},
                          "webui": dict(webui, secret_key="page-test-secret")},
                 plugins=builtin_plugins() + ["tests.http.aeloplugin"])
    assert user_command(["add", USER, "--email", "page@example.org", "--password",
                         PASSWORD, "--level", "1"], srv.settings()) == 0
    return srv.start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An authenticated server (not in AELO mode: the page shows the run form, not the
    AELO form, although the aelo stand-in is registered)."""
    srv = page_server(str(tmp_path_factory.mktemp("page")), {"authentication": "true"})
    yield srv
    srv.stop()


class Shots:
    """Numbered screenshots of the steps."""

    def __init__(self, driver, folder: str, test: str):
        self.driver, self.folder, self.test, self.n = driver, folder, test, 0
        os.makedirs(folder, exist_ok=True)

    def __call__(self, name: str, element=None) -> str:
        self.n += 1
        path = os.path.join(self.folder, "%02d-%s.png" % (self.n, name))
        if element is not None:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})",
                                       element)
        self.driver.save_screenshot(path)
        return path

    def keep(self) -> None:
        """Copy the screenshots to tests/artifacts/page/<test>/ when
        OQ_KEEP_SCREENSHOTS=1."""
        if os.environ.get("OQ_KEEP_SCREENSHOTS") == "1" and self.n:
            dest = os.path.join(ROOT, "tests", "artifacts", "page", self.test)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(self.folder, dest)


@pytest.fixture
def browser(tmp_path, request):
    """A headless Chromium (selenium) downloading into tmp_path/downloads."""
    chrome, driver_path = _browser_paths()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[browser]')")
    downloads = str(tmp_path / "downloads")
    os.makedirs(downloads)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--window-size=1280,1500", "--no-first-run",
                "--disable-background-networking", "--disable-component-update"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                           "download.prompt_for_download": False})
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    drv.set_page_load_timeout(60)
    drv.set_script_timeout(30)
    drv.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                     "downloadPath": downloads})
    drv.downloads = downloads
    drv.shots = Shots(drv, str(tmp_path / "screenshots"), request.node.name)
    _CURRENT["driver"] = drv
    yield drv
    _CURRENT.clear()
    drv.shots.keep()
    drv.quit()


#: the browser of the running test, for the messages of timeouts
_CURRENT: dict = {}


def wait_for(predicate, timeout=30, what="condition", step=0.1):
    """Poll ``predicate`` until it is truthy (bounded); return its value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    drv = _CURRENT.get("driver")
    shown = drv.execute_script(
        "return [document.querySelector('#notice')?.textContent,"
        " document.querySelector('#detail-summary')?.textContent,"
        " document.querySelector('#log')?.textContent]") if drv else None
    raise AssertionError("timed out waiting for %s; the page shows %s" % (what, shown))


def unstale(action, tries=20):
    """Run ``action``, again when the page re-rendered what it was reading (the list
    refreshes itself every few seconds)."""
    from selenium.common.exceptions import StaleElementReferenceException
    for _ in range(tries - 1):
        try:
            return action()
        except StaleElementReferenceException:
            time.sleep(0.05)
    return action()


def visible(drv, css):
    """The first displayed element matching ``css`` (None if none)."""
    from selenium.webdriver.common.by import By
    found = unstale(lambda: [e for e in drv.find_elements(By.CSS_SELECTOR, css)
                             if e.is_displayed()])
    return found[0] if found else None


def text_of(drv, css):
    """The text of the element matching ``css``."""
    from selenium.webdriver.common.by import By
    return unstale(lambda: drv.find_element(By.CSS_SELECTOR, css).text)


def log_lines(drv) -> int:
    return len([x for x in text_of(drv, "#log").splitlines() if x.strip()])


def status_of(drv) -> str:
    """The status shown for the open calculation ('' until its first answer)."""
    from selenium.webdriver.common.by import By
    return unstale(lambda: "".join(e.text for e in drv.find_elements(
        By.CSS_SELECTOR, "#detail-summary .status")))


def submit_files(drv, paths) -> int:
    """Choose ``paths`` in the run form, press Run; the new calculation's ID."""
    from selenium.webdriver.common.by import By
    old = text_of(drv, "#detail-title") if visible(drv, "#detail") else ""
    drv.find_element(By.ID, "run-files").send_keys("\n".join(paths))
    drv.find_element(By.ID, "run-submit").click()
    title = wait_for(lambda: visible(drv, "#detail") and text_of(drv, "#detail-title") != old
                     and text_of(drv, "#detail-title"), 60, "the new calculation")
    assert not text_of(drv, "#run-error")
    return int(title.split()[-1])


def slow_demo_zip(folder: str) -> str:
    """The demo as one zip, with a grid of sites so that it runs long enough to abort."""
    with open(os.path.join(DEMO, "job.ini")) as f:
        ini = f.read()
    # 600 sites and a 2 km area discretisation: a minute of work or more even on a
    # quiet machine (the test aborts it after a few seconds)
    sites = ", ".join("%.2f %.2f" % (11.5 + 0.05 * i, 41.5 + 0.05 * j)
                      for i in range(30) for j in range(20))
    ini = "\n".join("sites = " + sites if line.startswith("sites =") else line
                    for line in ini.splitlines() if not line.startswith(
                        "area_source_discretization")).replace(
        "description = ", "description = slow copy of ")
    ini += "\narea_source_discretization = 2.0\n"
    path = os.path.join(folder, "slow_demo.zip")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("job.ini", ini)
        for name in os.listdir(DEMO):
            if name.endswith(".xml"):
                zf.write(os.path.join(DEMO, name), name)
    return path


def requests_made(drv) -> list[tuple[str, str]]:
    """(method, url) of every request the browser sent (from the performance log)."""
    out = []
    for entry in drv.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            req = msg["params"]["request"]
            out.append((req["method"], req["url"]))
    return out


def test_page_in_browser(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    drv, shot = browser, browser.shots
    seen = []

    # log in
    drv.get(server.url("/engine/"))
    wait_for(lambda: visible(drv, "#login-form"), what="the login form")
    assert not visible(drv, "#main")
    drv.find_element(By.ID, "login-user").send_keys(USER)
    drv.find_element(By.ID, "login-password").send_keys("wrong-password")
    drv.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait_for(lambda: text_of(drv, "#login-error"), what="the login error")
    assert "Wrong user name or password" in text_of(drv, "#login-error")
    shot("login-refused")
    drv.find_element(By.ID, "login-password").clear()
    drv.find_element(By.ID, "login-password").send_keys(PASSWORD)
    drv.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait_for(lambda: visible(drv, "#calcs"), what="the calculation list")
    assert visible(drv, "#logout") and visible(drv, "#run-form")
    assert not visible(drv, "#aelo")  # aelo_run exists only in AELO mode
    assert "No calculations yet" in text_of(drv, "#calcs tbody")
    shot("logged-in")

    # run the demo and follow its log until it completes
    demo = [os.path.join(DEMO, n) for n in sorted(os.listdir(DEMO))]
    calc_id = submit_files(drv, demo)
    wait_for(lambda: status_of(drv), 60, "the status of the new calculation")
    counts, statuses = [], []
    deadline = time.time() + WAIT
    while time.time() < deadline:
        status = status_of(drv)
        counts.append(log_lines(drv))
        statuses.append(status)
        if len(statuses) == 1:
            shot("demo-submitted", drv.find_element(By.ID, "detail"))
        elif status == "executing" and counts[-1] and "executing" not in statuses[:-1]:
            shot("demo-running", drv.find_element(By.ID, "detail"))  # when seen (1 s polls)
        if status in ("complete", "failed", "aborted"):
            break
        time.sleep(0.2)
    assert status == "complete", (status, text_of(drv, "#traceback"))
    assert statuses[0] in ("submitted", "executing"), statuses
    assert counts == sorted(counts), "the log lost lines"
    assert counts[-1] > counts[0], "the log did not update while the page was open"
    assert "finished correctly" in text_of(drv, "#log")
    assert text_of(drv, "#progress-text") == "complete"
    row = wait_for(lambda: visible(drv, "#outputs tr[data-type=hcurves]"), what="outputs")
    wait_for(lambda: unstale(lambda: text_of(
        drv, "#calcs tr[data-id='%d'] .status" % calc_id) == "complete"),
        what="the list to show complete")
    shot("demo-complete", row)

    # plot its hazard curves
    row.find_element(By.CSS_SELECTOR, ".plot-button").click()
    svg = wait_for(lambda: visible(drv, "#plot svg"), what="the plot")
    paths = svg.find_elements(By.CSS_SELECTOR, "path.series")
    legend = svg.text
    assert paths and "mean" in legend
    assert len(svg.find_elements(By.CSS_SELECTOR, "circle")) >= 20 * len(paths) // 2
    first = svg.get_attribute("innerHTML")
    shot("hazard-curves-plot", svg)
    imt = drv.find_element(By.CSS_SELECTOR, "#plot select[name=imt]")
    options = [o.get_attribute("value") for o in imt.find_elements(By.TAG_NAME, "option")]
    assert options == ["PGA", "SA(0.2)"]
    imt.find_element(By.CSS_SELECTOR, "option[value='SA(0.2)']").click()
    wait_for(lambda: visible(drv, "#plot svg") and
             visible(drv, "#plot svg").get_attribute("innerHTML") != first,
             what="the SA(0.2) curves")
    assert "SA(0.2)" in visible(drv, "#plot svg").text
    shot("hazard-curves-sa02", visible(drv, "#plot svg"))

    # the other plottable outputs: maps and spectra
    for kind in ("uhs", "hmaps", "hmaps-stats"):
        other = visible(drv, "#outputs tr[data-type='%s']" % kind)
        other.find_element(By.CSS_SELECTOR, ".plot-button").click()
        wait_for(lambda: visible(drv, "#plot svg") and kind_title(drv, other), 30,
                 "the %s plot" % kind)
        assert not drv.find_elements(By.CSS_SELECTOR, "#plot .error")
        marks = "path.series" if kind == "uhs" else "circle"
        assert visible(drv, "#plot svg").find_elements(By.CSS_SELECTOR, marks), kind
        shot("plot-" + kind, visible(drv, "#plot svg"))

    # download the hazard curves as CSV
    link = row.find_element(By.CSS_SELECTOR, "a[data-format=csv]")
    link.click()
    done = wait_for(lambda: [n for n in os.listdir(drv.downloads)
                             if not n.endswith(".crdownload")], 60, "the download")
    with open(os.path.join(drv.downloads, done[0]), "rb") as f:
        body = f.read()
    members = zipfile.ZipFile(io.BytesIO(body)).namelist() if body[:2] == b"PK" else [
        done[0]]
    assert any(m.startswith("hazard_curve-mean") and m.endswith(".csv") for m in members)
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        text = zf.read([m for m in members if m.startswith("hazard_curve-mean")][0]).decode()
    assert text.splitlines()[1].startswith("lon,lat,depth,poe-")
    shot("csv-downloaded", row)

    # a second, slower job: abort it, then remove it
    slow_id = submit_files(drv, [slow_demo_zip(str(tmp_path))])
    assert slow_id > calc_id
    wait_for(lambda: status_of(drv) == "executing" and log_lines(drv), WAIT,
             "the slow job to run")
    abort = drv.find_element(By.ID, "abort")
    assert abort.is_enabled() and not drv.find_element(By.ID, "remove").is_enabled()
    shot("slow-job-running", drv.find_element(By.ID, "detail"))
    abort.click()
    wait_for(lambda: status_of(drv) == "aborted", WAIT, "the job to be aborted")
    wait_for(lambda: drv.find_element(By.ID, "remove").is_enabled(), 30, "remove button")
    shot("slow-job-aborted", drv.find_element(By.ID, "detail"))
    drv.find_element(By.ID, "remove").click()
    alert = wait_for(lambda: _alert(drv), 10, "the confirmation")
    assert "Remove calculation %d" % slow_id in alert.text
    alert.accept()
    wait_for(lambda: "removed" in text_of(drv, "#notice"), 30, "the removal")
    wait_for(lambda: not drv.find_elements(By.CSS_SELECTOR, "#calcs tr[data-id='%d']"
                                           % slow_id), 30, "the list without the job")
    assert not visible(drv, "#detail")
    assert drv.find_elements(By.CSS_SELECTOR, "#calcs tr[data-id='%d']" % calc_id)
    shot("slow-job-removed")

    # narrow screen: still readable, no horizontal page scrolling
    drv.set_window_size(420, 900)
    time.sleep(0.3)
    assert drv.execute_script("return document.documentElement.scrollWidth") <= 440
    shot("narrow-screen")
    drv.set_window_size(1280, 1500)

    # log out
    drv.find_element(By.ID, "logout").click()
    wait_for(lambda: visible(drv, "#login-form"), what="the login form after logout")
    shot("logged-out")

    # every request the page made: its own files or a documented REST route
    routes = documented_routes()
    seen = requests_made(drv)
    assert seen
    origin = urlsplit(server.base)
    used = set()
    for method, url in seen:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc), url
        path = parts.path + ("?" + parts.query if parts.query else "")
        if method == "GET" and PAGE_PATHS.match(parts.path):
            continue
        spec = route_of(method, path, routes)
        assert spec, "undocumented request %s %s" % (method, url)
        used.add((method, spec))
    for needed in [("POST", "/accounts/ajax_login/"), ("POST", "/v1/calc/run"),
                   ("GET", "/v1/calc/:calc_id/log/[:start]:[:stop]"),
                   ("POST", "/v1/calc/:calc_id/abort"), ("POST", "/v1/calc/:calc_id/remove"),
                   ("GET", "/v1/calc/result/:result_id"), ("POST", "/accounts/ajax_logout/")]:
        assert needed in used, needed
    errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE" and
              "status of 4" not in e["message"]]
    assert not errors, errors


def kind_title(drv, row) -> bool:
    """True when the plot shown is the one of the output in ``row``."""
    from selenium.webdriver.common.by import By
    name = row.find_element(By.CSS_SELECTOR, "td").text
    return text_of(drv, "#plot h3") == name


def _alert(drv):
    from selenium.common.exceptions import NoAlertPresentException
    try:
        return drv.switch_to.alert
    except NoAlertPresentException:
        return None


@pytest.fixture(scope="module")
def fake_server(tmp_path_factory):
    """A public server with the fake calculator only (for the list and the modules)."""
    from tests.http.conftest import PLUGINS
    srv = Server(str(tmp_path_factory.mktemp("page-public")), {
        "distribution": {"serialize_jobs": 2, "oq_distribute": "no"}}, plugins=PLUGINS)
    srv.start()
    yield srv
    srv.stop()


def test_page_list_is_paged(fake_server, browser):
    """Newest first, 20 a page, the pager buttons move between pages."""
    from selenium.webdriver.common.by import By
    from tests.http.conftest import job_ini
    drv = browser
    ids = [fake_server.submit(job_ini("paged job %d" % i)) for i in range(23)]
    drv.get(fake_server.url("/"))
    wait_for(lambda: visible(drv, "#calcs tbody tr[data-id]"), what="the list")
    assert not visible(drv, "#login") and not visible(drv, "#logout")
    assert not visible(drv, "#aelo")  # no aelo calculator: no AELO form

    def shown():
        return unstale(lambda: [int(r.get_attribute("data-id")) for r in drv.find_elements(
            By.CSS_SELECTOR, "#calcs tbody tr[data-id]")])
    newest = sorted(ids, reverse=True)
    assert shown() == newest[:20]
    assert "Page 1 of 2 (23 calculations)" in text_of(drv, "#page-info")
    assert not drv.find_element(By.ID, "prev").is_enabled()
    drv.find_element(By.ID, "next").click()
    assert shown() == newest[20:]
    assert not drv.find_element(By.ID, "next").is_enabled()
    drv.shots("second-page")
    drv.find_element(By.ID, "prev").click()
    assert shown() == newest[:20]
    # opening a calculation by its link (keyboard: Enter on the focused link)
    from selenium.webdriver.common.keys import Keys
    unstale(lambda: drv.find_element(
        By.CSS_SELECTOR, "#calcs tr[data-id='%d'] a.open" % ids[-1]).send_keys(Keys.ENTER))
    wait_for(lambda: visible(drv, "#detail") and "paged job 22" in text_of(
        drv, "#detail-summary"), 30, "the calculation")
    assert drv.switch_to.active_element == drv.find_element(By.ID, "detail")


ZIP_CSV = ('#,,,"generated_by=\'test\', kind=\'mean\', investigation_time=50.0, '
           'imt=\'PGA\'"\r\nlon,lat,depth,poe-0.1,poe-0.2\r\n1.5,2.5,0,0.5,"0.25"\r\n')


def test_page_modules_read_exports(fake_server, browser):
    """data.js reads stored and deflated zip members and the engine's CSV layout;
    plots.js scales, periods and its table of renderers."""
    import base64
    drv = browser
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hazard_curve-mean-PGA.csv", ZIP_CSV, zipfile.ZIP_DEFLATED)
        zf.writestr("notes.txt", "not a table", zipfile.ZIP_STORED)
        zf.writestr("stored.csv", "lon,lat,PGA-0.1\n1,2,0.3\n", zipfile.ZIP_STORED)
    drv.get(fake_server.url("/"))
    wait_for(lambda: visible(drv, "#calcs"), what="the page")
    got = drv.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        Promise.all([import('/static/data.js'), import('/static/plots.js')])
          .then(async ([data, plots]) => {
            const tables = await data.csvTables(bytes.buffer, 'x.csv');
            const single = await data.csvTables(
              new TextEncoder().encode('a,b\\n1,2\\n').buffer, 'one.csv');
            const scale = plots.makeScale([0.003, 0.7], true, 0, 100);
            done({tables, single, ticks: scale.ticks, mid: scale.at(0.1),
                  periods: ['PGA', 'SA(0.2)', 'PGV'].map(plots.periodOf),
                  renderers: Object.keys(plots.RENDERERS),
                  kinds: Object.values(plots.RENDERERS).map((f) => typeof f),
                  numbers: [0.001, 1e-6, 12345.678, 0].map(plots.formatNumber)});
          }).catch((e) => done({error: String(e)}));
    """, base64.b64encode(buf.getvalue()).decode())
    assert "error" not in got, got
    curves, stored = got["tables"]
    assert curves["name"] == "hazard_curve-mean-PGA.csv"
    assert curves["meta"] == {"generated_by": "test", "kind": "mean",
                              "investigation_time": "50.0", "imt": "PGA"}
    assert curves["header"] == ["lon", "lat", "depth", "poe-0.1", "poe-0.2"]
    assert curves["rows"] == [[1.5, 2.5, 0, 0.5, 0.25]]
    assert stored == {"name": "stored.csv", "meta": {}, "header": ["lon", "lat", "PGA-0.1"],
                      "rows": [[1, 2, 0.3]]}
    assert got["single"] == [{"name": "one.csv", "meta": {}, "header": ["a", "b"],
                              "rows": [[1, 2]]}]
    assert got["ticks"] == [0.001, 0.01, 0.1, 1]
    assert got["mid"] == pytest.approx(200 / 3)
    assert got["periods"] == [0, 0.2, None]
    assert {"hcurves", "uhs", "hmaps"} <= set(got["renderers"])
    assert set(got["kinds"]) == {"function"}
    assert got["numbers"] == ["0.001", "1e-6", "12350", "0"]  # 4 significant digits


def test_page_recovers_from_failed_refreshes(fake_server, browser):
    """Requests failing for a while (network down) are reported, and the live updates
    go on once they succeed again."""
    from tests.http.conftest import job_ini
    drv = browser
    calc_id = fake_server.submit(job_ini("flaky network job", duration=2, rows=4))
    drv.get(fake_server.url("/#calc-%d" % calc_id))
    wait_for(lambda: "flaky network job" in text_of(drv, "#detail-summary"), 30, "the job")
    drv.execute_script("""
        const real = window.fetch;
        let failures = 0;
        window.fetch = (...args) => (failures++ < 4
          ? Promise.reject(new TypeError('network down')) : real(...args));""")
    wait_for(lambda: "network down" in text_of(drv, "#notice"), 30, "the error notice")
    drv.shots("network-down")
    wait_for(lambda: status_of(drv) == "complete", 60, "the job to be followed again")
    wait_for(lambda: visible(drv, "#outputs tbody tr"), 30, "the outputs")
    assert log_lines(drv) >= 4
    assert "network down" not in text_of(drv, "#notice")  # the error notice went


@pytest.fixture(scope="module")
def aelo_server(tmp_path_factory):
    """An AELO-mode server with the aelo stand-in."""
    srv = page_server(str(tmp_path_factory.mktemp("page-aelo")),
                      {"application_mode": "AELO"})
    yield srv
    srv.stop()


def test_page_aelo_mode_in_browser(aelo_server, browser):
    """AELO mode: the AELO form and no run form; an invalid site is refused with the
    server's reasons, a valid one runs."""
    from selenium.webdriver.common.by import By
    drv, shot = browser, browser.shots
    drv.get(aelo_server.url("/engine/"))
    wait_for(lambda: visible(drv, "#login-form"), what="the login form")
    drv.find_element(By.ID, "login-user").send_keys(USER)
    drv.find_element(By.ID, "login-password").send_keys(PASSWORD)
    drv.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait_for(lambda: visible(drv, "#calcs"), what="the calculation list")
    assert visible(drv, "#aelo-form") and not visible(drv, "#run")
    # the AELO form: an invalid site is refused with the server's reasons, a valid one runs
    drv.find_element(By.ID, "aelo-lon").send_keys("-90")  # inside the demo model CCA
    drv.find_element(By.ID, "aelo-lat").send_keys("95")
    drv.find_element(By.ID, "aelo-site").send_keys("Page test site")
    drv.find_element(By.CSS_SELECTOR, "#aelo-form button").click()
    wait_for(lambda: "Latitude" in text_of(drv, "#aelo-error"), 30, "the AELO error")
    shot("aelo-refused", drv.find_element(By.ID, "aelo"))
    drv.find_element(By.ID, "aelo-lat").clear()
    drv.find_element(By.ID, "aelo-lat").send_keys("16.6")
    drv.find_element(By.CSS_SELECTOR, "#aelo-form button").click()
    wait_for(lambda: visible(drv, "#detail") and "AELO for Page test site" in text_of(
        drv, "#detail-summary"), 60, "the AELO calculation")
    wait_for(lambda: status_of(drv) == "complete", WAIT, "the AELO calculation to end")
    assert not text_of(drv, "#aelo-error")
    used = {(m, urlsplit(u).path) for m, u in requests_made(drv)}
    assert ("POST", "/v1/calc/aelo_run") in used
    assert not any(p == "/v1/calc/run" for _, p in used)
