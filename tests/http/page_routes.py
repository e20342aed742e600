"""What the web page may request: the routes documented in rest-api.rst (a copy in
tests/data) and the page's own files. Used by the static check of the page's JavaScript
and by the browser test, which checks every request the browser made."""
from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlsplit

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "oqhttp", "static")
#: query parameters the spec documents, by route
DOCUMENTED_QUERY = {"/v1/calc/result/:result_id": {"export_type", "dload"}}
#: the page itself: its HTML and its files
PAGE_PATHS = re.compile(r"^/(engine/)?$|^/static/[\w.-]+\.(js|css)$")


def documented_routes(path: str = os.path.join(DATA, "rest-api.rst")) -> list[tuple]:
    """(method, spec path, regex) of every route heading of rest-api.rst."""
    routes = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(GET|POST) /?(\S+)\s*$", line)
            if not m:
                continue
            spec = "/" + m.group(2)
            rx = ""
            for part in re.split(r"(\[:\w+\]|:\w+)", spec):
                if part.startswith("[:"):
                    rx += r"(?:[^/:]+)?"
                elif re.fullmatch(r":\w+", part):
                    rx += r"[^/:]+"
                else:
                    rx += re.escape(part)
            routes.append((m.group(1), spec, re.compile("^%s$" % rx)))
    return routes


def route_of(method: str, url: str, routes: list[tuple]) -> str | None:
    """The documented route of a request (None if undocumented, query included)."""
    parts = urlsplit(url)
    for meth, spec, rx in routes:
        if meth == method and rx.match(parts.path):
            allowed = DOCUMENTED_QUERY.get(spec, set())
            if set(parse_qs(parts.query, keep_blank_values=True)) <= allowed:
                return spec
    return None


def page_files() -> dict[str, str]:
    """{file name: text} of the page's files."""
    out = {}
    for name in sorted(os.listdir(STATIC)):
        with open(os.path.join(STATIC, name), encoding="utf-8") as f:
            out[name] = f.read()
    return out
