"""Meta routes: ini_defaults, engine_version, engine_latest_version, available_gsims,
plugins, openapi.json."""
from __future__ import annotations

from typing import TYPE_CHECKING

import bottle

from oqhttp.responses import json_response, text_response

if TYPE_CHECKING:
    from oqhttp.app import ServerContext


def plugin_list(registry) -> list[dict]:
    """GET /v1/plugins: one dict per plugin (name, module, distribution, version, status
    ``loaded``/``broken``/``disabled``, error, hooks, registered {table: [keys]})."""
    return [info.to_dict() for info in registry.plugins()]


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the meta routes to ``app``."""

    @app.get("/v1/ini_defaults")
    def ini_defaults() -> bottle.HTTPResponse:
        """GET /v1/ini_defaults"""
        from oqcore.params import ini_defaults as defaults
        return json_response(defaults(ctx.registry))

    @app.get("/v1/engine_version")
    def engine_version() -> bottle.HTTPResponse:
        """GET /v1/engine_version"""
        from oqcore import ENGINE_VERSION
        return text_response(ENGINE_VERSION)

    @app.get("/v1/engine_latest_version")
    def engine_latest_version() -> bottle.HTTPResponse:
        """GET /v1/engine_latest_version"""
        # the server never calls out to the Internet: the latest version is unknown
        return text_response("None")

    @app.get("/v1/available_gsims")
    def available_gsims() -> bottle.HTTPResponse:
        """GET /v1/available_gsims"""
        return json_response(sorted(ctx.registry.gsims()))

    @app.get("/v1/plugins")
    def plugins() -> bottle.HTTPResponse:
        """GET /v1/plugins"""
        return json_response(plugin_list(ctx.registry))

    @app.get("/v1/openapi.json")
    def openapi() -> bottle.HTTPResponse:
        """GET /v1/openapi.json"""
        from oqhttp.openapi import openapi_spec
        return json_response(openapi_spec(ctx.base_url()))
