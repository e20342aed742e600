"""Every response body of the server goes through here: one JSON helper, one error
shape (``{"error": message, ...details}``), and the mapping of oqcore errors to HTTP
status codes, in one place.
"""
from __future__ import annotations

import datetime
import json
import logging
import math
from typing import Any

import bottle

from oqcore.errors import InvalidInput, NotFound, PermissionDenied, UnknownPlugin

log = logging.getLogger("oqhttp")

JSON_TYPE = "application/json"
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


def _plain(obj: Any) -> Any:
    """A copy of ``obj`` made of JSON types only (numpy values, NaN/inf -> null)."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_plain(v) for v in obj]
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if isinstance(obj, (datetime.date, datetime.datetime)):
        return obj.isoformat()
    item = getattr(obj, "item", None)  # numpy scalar
    if callable(item) and getattr(obj, "ndim", 1) == 0:
        return _plain(item())
    tolist = getattr(obj, "tolist", None)  # numpy array
    if callable(tolist):
        return _plain(tolist())
    return str(obj)


def dumps(obj: Any) -> str:
    """The JSON text of ``obj`` (strict JSON: no NaN)."""
    return json.dumps(_plain(obj), allow_nan=False)


def json_response(obj: Any, status: int = 200, headers: dict | None = None
                  ) -> bottle.HTTPResponse:
    """The one JSON helper: ``obj`` (dict, list, number, string...) as a response."""
    resp = bottle.HTTPResponse(dumps(obj), status, headers)
    resp.content_type = JSON_TYPE
    return resp


def text_response(text: str, status: int = 200, content_type: str = TEXT_TYPE,
                  headers: dict | None = None) -> bottle.HTTPResponse:
    """A plain text (or HTML, with ``content_type``) response."""
    resp = bottle.HTTPResponse(text, status, headers)
    resp.content_type = content_type
    return resp


def error_response(status: int, message: str, headers: dict | None = None,
                   **details: Any) -> bottle.HTTPResponse:
    """The one error shape: ``{"error": message, **details}`` with an HTTP status.

    The result is an exception too: ``raise error_response(404, "...")`` works in
    routes and hooks.
    """
    body = {"error": message}
    body.update({k: v for k, v in details.items() if v is not None})
    return json_response(body, status, headers)


def status_of(exc: BaseException) -> int:
    """The HTTP status for an oqcore error (500 for anything else)."""
    if isinstance(exc, InvalidInput):
        return 400
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, (NotFound, UnknownPlugin)):
        return 404
    return 500


def from_exception(exc: BaseException) -> bottle.HTTPResponse:
    """The error response for an exception; server paths and tracebacks never leak."""
    status = status_of(exc)
    if status == 500:
        log.exception("internal error")
        return error_response(500, "Internal server error (%s); see the server log" %
                              type(exc).__name__)
    if isinstance(exc, InvalidInput):
        details = input_error_details(exc)
        return error_response(status, public_message(exc), **details)
    return error_response(status, str(exc).strip("'\""))


def input_error_details(exc: InvalidInput) -> dict:
    """param, lineno and the file's base name (never its server path) of an input error."""
    import os
    return {"param": exc.param, "lineno": exc.lineno,
            "fname": os.path.basename(str(exc.fname)) if exc.fname else None}


def public_message(exc: InvalidInput) -> str:
    """The message of an input error as a client may see it: the file by its base name."""
    details = input_error_details(exc)
    param = exc.param if exc.param and exc.param not in exc.msg else None
    return str(InvalidInput(exc.msg, details["fname"], exc.lineno, param))


class ErrorMapper:
    """Bottle plugin turning oqcore errors raised by a route into the error shape."""
    name = "oqhttp_errors"
    api = 2

    def apply(self, callback: Any, route: Any) -> Any:
        """Wrap a route callback."""
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except bottle.HTTPResponse:
                raise
            except Exception as exc:  # mapped here, in one place
                return from_exception(exc)
        return wrapper


def install_error_pages(app: bottle.Bottle) -> None:
    """JSON bodies for the errors Bottle raises itself (no route, wrong method...)."""
    messages = {400: "Bad request", 403: "Forbidden", 404: "Not found",
                405: "Method not allowed", 413: "Request body too large",
                500: "Internal server error"}

    def make(code):
        def handler(err: bottle.HTTPError) -> str:
            bottle.response.content_type = JSON_TYPE
            msg = messages[code]
            if code in (400, 413) and isinstance(err.body, str) and err.body:
                msg = err.body
            if code == 405:
                allow = bottle.response.get_header("Allow")
                if allow:
                    msg += " (allowed: %s)" % allow
            if code == 500 and err.exception is not None:
                log.error("unhandled error: %r\n%s", err.exception, err.traceback)
            return dumps({"error": msg})
        return handler

    for code in messages:
        app.error(code)(make(code))
