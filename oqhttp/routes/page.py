"""The web page of the engine server: ``/`` and ``/engine/`` (the same page), its
assets under ``/static/``.

The page is plain HTML plus small JavaScript modules (``oqhttp/static/``); everything it
shows comes from the documented REST routes. The server only tells it, through
attributes of ``<body>``, whether logins are needed, whether AELO runs exist and
whether ordinary runs exist (not in AELO mode), so the
page needs no request of its own to find out.
"""
from __future__ import annotations

import html
import os
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import NotFound
from oqhttp.responses import HTML_TYPE, text_response
from oqhttp.routes.common import aelo_available

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

STATIC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "static")
#: content types of the assets (the platform's mimetypes table is not trusted for .js)
ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".svg": "image/svg+xml"}


def index_html(ctx: "ServerContext") -> str:
    """The page, with the server's modes in ``<body data-auth data-aelo data-run>``
    (``data-run``: whether POST /v1/calc/run exists, i.e. not in AELO mode)."""
    from oqcore import ENGINE_VERSION
    with open(os.path.join(STATIC_DIR, "index.html"), encoding="utf-8") as f:
        text = f.read()
    return text.replace("{{auth}}", "true" if ctx.auth_enabled else "false").replace(
        "{{aelo}}", "true" if aelo_available(ctx) else "false").replace(
        "{{run}}", "false" if ctx.aelo_mode else "true").replace(
        "{{version}}", html.escape(ENGINE_VERSION))


#: the page loads and contacts nothing but this server
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def engine_page() -> bottle.HTTPResponse:
    """GET / and GET /engine/"""
    from oqhttp.app import request_context
    return text_response(index_html(request_context()), content_type=HTML_TYPE, headers={
        "Cache-Control": "no-cache", "Content-Security-Policy": PAGE_POLICY,
        "X-Content-Type-Options": "nosniff"})


def asset(name: str) -> bottle.HTTPResponse:
    """GET /static/<name>: a file of the page (404 for anything else)."""
    ext = os.path.splitext(name)[1]
    if "/" in name or "\\" in name or name.startswith(".") or ext not in ASSET_TYPES:
        raise NotFound("No such file: /static/%s" % name[:80])
    path = os.path.join(STATIC_DIR, name)
    if not os.path.isfile(path):
        raise NotFound("No such file: /static/%s" % name[:80])
    with open(path, "rb") as f:
        body = f.read()
    return bottle.HTTPResponse(body, 200, {"Content-Type": ASSET_TYPES[ext],
                                           "Cache-Control": "no-cache",
                                           "X-Content-Type-Options": "nosniff"})


#: (method, path, handler) of every page route
ROUTES = (
    ("GET", "/", engine_page),
    ("GET", "/engine/", engine_page),
    ("GET", "/static/<name>", asset),
)


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the page routes to ``app``."""
    for method, path, handler in ROUTES:
        app.route(path, method, handler)
