"""Meta routes: ini_defaults, engine_version, engine_latest_version, available_gsims,
plugins, openapi.json."""
from __future__ import annotations

from typing import TYPE_CHECKING

import bottle

from oqhttp.responses import json_response, text_response
from oqhttp.routes.common import bind

if TYPE_CHECKING:
    from oqhttp.app import ServerContext


def plugin_list(registry) -> list[dict]:
    """GET /v1/plugins: one dict per plugin (name, module, distribution, version, status
    ``loaded``/``broken``/``disabled``, error, hooks, registered {table: [keys]})."""
    return [info.to_dict() for info in registry.plugins()]


def ini_defaults(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/ini_defaults: {parameter: default} of every registered job parameter."""
    from oqcore.params import ini_defaults as defaults
    return json_response(defaults(ctx.registry))


def engine_version(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/engine_version (text)"""
    from oqcore import ENGINE_VERSION
    return text_response(ENGINE_VERSION)


def engine_latest_version(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/engine_latest_version: the server never calls out to the Internet, so
    the latest version is unknown ("None")."""
    return text_response("None")


def available_gsims(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/available_gsims: the names of the registered GSIMs, sorted."""
    return json_response(sorted(ctx.registry.gsims()))


def plugins(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/plugins (see :func:`plugin_list`)"""
    return json_response(plugin_list(ctx.registry))


def openapi(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/openapi.json: the OpenAPI 3 description, served at this base URL."""
    from oqhttp.openapi import openapi_spec
    return json_response(openapi_spec(ctx.base_url()))


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the meta routes to ``app``."""
    app.get("/v1/ini_defaults", callback=bind(ctx, ini_defaults))
    app.get("/v1/engine_version", callback=bind(ctx, engine_version))
    app.get("/v1/engine_latest_version", callback=bind(ctx, engine_latest_version))
    app.get("/v1/available_gsims", callback=bind(ctx, available_gsims))
    app.get("/v1/plugins", callback=bind(ctx, plugins))
    app.get("/v1/openapi.json", callback=bind(ctx, openapi))
