"""Meta routes and the OpenAPI description."""
from __future__ import annotations

import inspect

import oqcore.params_table
import tests.http.fakeplugin
from oqcore import ENGINE_VERSION, load_registry
from oqcore.config import Settings
from oqcore.params import ini_defaults
from tests.conftest import ROOT


def test_engine_version(public):
    r = public.get("/v1/engine_version")
    assert r.status_code == 200 and r.text == ENGINE_VERSION
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert public.get("/v1/engine_latest_version").text == "None"


def test_ini_defaults(public):
    body = public.get("/v1/ini_defaults").json()
    reg = load_registry(plugins=[oqcore.params_table, tests.http.fakeplugin],
                        entry_points=False, builtins=False)
    expected = ini_defaults(reg)
    assert set(body) == set(expected)
    assert body["fake_duration"] == 0.0 and body["description"] == expected["description"]


def test_available_gsims(public):
    gsims = public.get("/v1/available_gsims").json()
    assert isinstance(gsims, list) and gsims == sorted(gsims) and len(gsims) > 10
    assert all(isinstance(g, str) for g in gsims)


def served_routes(tmp_path) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every route of the app."""
    from oqhttp.app import create_app
    from oqhttp.openapi import openapi_path
    settings = Settings.load(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"))
    reg = load_registry(plugins=[oqcore.params_table], entry_points=False, builtins=False)
    app = create_app(reg, settings)
    try:
        return {(r.method, openapi_path(r.rule)) for r in app.routes}
    finally:
        app.close()


def test_openapi_matches_the_routes(tmp_path):
    """Every route of the app is described, and nothing else."""
    from oqhttp.openapi import ROUTES, openapi_spec
    served = served_routes(tmp_path)
    assert served == set(ROUTES)
    doc = openapi_spec("http://x")
    assert doc["openapi"].startswith("3.")
    n = sum(len(ops) for ops in doc["paths"].values())
    assert n == len(served)
    for path, ops in doc["paths"].items():
        params = {p["name"] for op in ops.values() for p in op.get("parameters", [])
                  if p["in"] == "path"}
        assert params == set(seg[1:-1] for seg in path.split("/") if seg.startswith("{"))


def test_openapi_served(public):
    doc = public.get("/v1/openapi.json").json()
    assert "/v1/calc/{calc_id}/extract/{spec}" in doc["paths"]
    assert doc["servers"] == [{"url": public.base}]


def test_no_import_time_app():
    import oqhttp.app
    import oqhttp.server
    for mod in (oqhttp.app, oqhttp.server):
        import bottle
        assert not [v for v in vars(mod).values() if isinstance(v, bottle.Bottle)]
    assert "argv" in inspect.signature(oqhttp.server.main).parameters


def test_readme_lists_exactly_the_routes(tmp_path):
    """README.md's route list (between the ``routes`` markers) is the route table."""
    from oqhttp.openapi import openapi_path
    text = (ROOT / "README.md").read_text()
    block = text.split("<!-- routes -->")[1].split("<!-- /routes -->")[0]
    listed = {(m, openapi_path(p)) for m, p in (line.split() for line in block.splitlines()
                                                 if line.strip())}
    assert listed == served_routes(tmp_path)


def test_get_plugins_of_the_server(public):
    plugins = {p["name"]: p for p in public.get("/v1/plugins").json()}
    fake = plugins["tests.http.fakeplugin"]
    assert fake["status"] == "loaded" and fake["registered"]["calculators"] == ["fake"]
    assert plugins["oqcore.hazard.gsim.library"]["registered"]["gsims"]
