"""Route handlers are module-level functions (testable on their own) and route modules
share helpers only through oqhttp.routes.common."""
from __future__ import annotations

import ast
import os

import oqcore.params_table
from oqcore import load_registry
from oqcore.config import Settings

REFACTORED = ("calc", "results", "extract", "aelo", "valid")
ROUTES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "oqhttp", "routes")


def test_handlers_are_module_level(tmp_path):
    from oqhttp.app import create_app
    settings = Settings.load(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"))
    reg = load_registry(plugins=[oqcore.params_table], entry_points=False, builtins=False)
    app = create_app(reg, settings)
    try:
        seen = set()
        for route in app.routes:
            handler = getattr(route.callback, "func", route.callback)
            module = handler.__module__.rsplit(".", 1)[-1]
            if module not in REFACTORED:
                continue
            seen.add(module)
            assert "<locals>" not in handler.__qualname__, route.rule
            assert getattr(__import__(handler.__module__, fromlist=["x"]),
                           handler.__name__) is handler
    finally:
        app.close()
    assert seen == set(REFACTORED)


def test_route_modules_do_not_import_each_other():
    for name in os.listdir(ROUTES_DIR):
        if not name.endswith(".py") or name == "__init__.py":
            continue
        with open(os.path.join(ROUTES_DIR, name)) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.startswith("oqhttp.routes"):
                assert node.module == "oqhttp.routes.common", (name, node.module)
