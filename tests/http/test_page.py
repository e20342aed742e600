"""The web page: served at / and /engine/ with its files, and its JavaScript requests
only routes of the documented REST API (checked on the source; the browser test checks
the requests the browser really makes)."""
from __future__ import annotations

import re

import pytest

from tests.http.page_routes import PAGE_PATHS, documented_routes, page_files, route_of

API_PREFIXES = ("/v1/", "/accounts/", "/reset_password")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def strip_comments(js: str) -> str:
    """JavaScript without its comments (block comments, and // comments that start a
    line or follow a blank, so '//' inside a URL string is kept)."""
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", r"\1", js, flags=re.M)


def path_literals(js: str) -> list[tuple[str, str]]:
    """(method, path) of every string literal of ``js`` starting with '/', with each
    ``${...}`` replaced by a sample value; POST when the literal is the first argument
    of a post* call or follows 'POST'."""
    out = []
    for m in re.finditer(r"(['\"`])(/[^'\"`\s]*)\1", js):
        before = js[:m.start()].rstrip()
        method = "POST" if (re.search(r"post\w*\($", before, re.I) or
                            before.endswith("'POST',")) else "GET"
        out.append((method, re.sub(r"\$\{[^}]*\}", "1", m.group(2))))
    return out


def test_documented_routes_parsed():
    routes = documented_routes()
    specs = {(m, s) for m, s, _ in routes}
    assert ("GET", "/v1/calc/:calc_id/log/[:start]:[:stop]") in specs
    assert ("POST", "/v1/calc/run") in specs
    assert route_of("GET", "/v1/calc/7/log/12:", routes)
    assert route_of("GET", "/v1/calc/7/log/size", routes)
    assert route_of("GET", "/v1/calc/result/3?export_type=csv&dload=true", routes)
    assert route_of("GET", "/v1/calc/list?limit=5", routes) is None  # not in the spec
    assert route_of("POST", "/v1/calc/7/status", routes) is None
    assert route_of("GET", "/v1/calc/7/abort", routes) is None


def test_page_javascript_uses_only_documented_routes():
    routes = documented_routes()
    files = page_files()
    scripts = {name: strip_comments(text) for name, text in files.items()
               if name.endswith(".js")}
    found = []
    for name, js in scripts.items():
        literals = path_literals(js)
        for method, path in literals:
            if PAGE_PATHS.match(path):
                continue
            assert path.startswith(API_PREFIXES), "%s: unexpected path %s" % (name, path)
            assert route_of(method, path, routes), "%s: %s %s is not documented" % (
                name, method, path)
            found.append((method, path))
        # every mention of an API path is one of the literals checked above
        mentions = sum(js.count(p) for p in API_PREFIXES)
        assert mentions == sum(p.count(q) for _, p in literals for q in API_PREFIXES), name
        # nothing from another origin (no CDN), and only api.js sends requests
        assert not re.search(r"https?://", js.replace(SVG_NAMESPACE, "")), name
        for sender in ("XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon",
                       "import("):
            assert sender not in js, "%s uses %s" % (name, sender)
        assert js.count("fetch(") == (1 if name == "api.js" else 0), name
    methods = {m for m, _ in found}
    assert methods == {"GET", "POST"}
    assert ("POST", "/v1/calc/run") in found and ("POST", "/v1/calc/aelo_run") in found
    assert ("POST", "/v1/calc/1/abort") in found and ("POST", "/v1/calc/1/remove") in found


def test_page_html_links_and_ids():
    files = page_files()
    page = files["index.html"]
    for ref in re.findall(r'(?:href|src|action)="([^"]*)"', page):
        assert (ref.startswith("#") or ref == "data:," or PAGE_PATHS.match(ref) or
                ref == "/reset_password/"), ref
    assert not re.search(r"https?://", page)
    ids = set(re.findall(r'\bid="([\w-]+)"', page))
    used = set(re.findall(r"\$\('#([\w-]+)", files["engine.js"]))
    assert used and used <= ids, used - ids
    # every input has a label
    for input_id in re.findall(r'<(?:input|select)[^>]*\bid="([\w-]+)"', page):
        assert 'for="%s"' % input_id in page, input_id


@pytest.mark.parametrize("path", ["/", "/engine/"])
def test_page_served(public, path):
    r = public.get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert 'data-auth="false"' in r.text and 'data-aelo="false"' in r.text
    assert 'data-run="true"' in r.text
    assert "{{" not in r.text
    policy = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_page_files_served(public):
    for name, text in page_files().items():
        if name == "index.html":
            continue
        r = public.get("/static/" + name)
        assert r.status_code == 200, name
        assert r.text == text
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        assert r.headers["Content-Type"].startswith(kind)
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    for bad in ("/static/index.html", "/static/nothere.js", "/static/..%2Fapp.py",
                "/static/.hidden.js", "/static/%2E%2E%2Froutes%2Fpage.js"):
        r = public.get(bad)
        assert r.status_code == 404, bad
        assert "error" in r.json()
        assert "oqhttp" not in r.text


def test_page_modes_in_authenticated_server(authsrv):
    """Reachable without a session (it shows the login form); it knows that logins are
    needed; no AELO form outside AELO mode (even with the aelo stand-in registered),
    the run form instead."""
    r = authsrv.get("/engine/")
    assert r.status_code == 200
    assert 'data-auth="true"' in r.text and 'data-aelo="false"' in r.text
    assert 'data-run="true"' in r.text
    assert authsrv.get("/static/engine.js").status_code == 200
    assert authsrv.get("/v1/calc/list").status_code == 403


def test_browser_test_fails_in_ci_without_a_browser(monkeypatch):
    """Outside CI a missing browser skips the browser test; under CI=true it fails."""
    from tests.http.test_page_browser import _missing
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs the browser test"):
        _missing("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        _missing("no chromium")
