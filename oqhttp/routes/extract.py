"""GET /v1/calc/:id/extract/:spec -> an .npz made by the extract-spec registry."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import bottle

from oqcore import extract as oqextract
from oqcore.errors import InvalidInput, PermissionDenied, UnknownPlugin
from oqhttp import auth
from oqhttp.responses import error_response
from oqhttp.routes.common import bind, open_datastore

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

_SPEC = re.compile(r"^[-/_.\w]+$")


def attrs_of(obj) -> oqextract.ArrayWrapper:
    """The attributes of an extracted object, without the object itself: every
    member but ``array`` (for a table, its column names)."""
    if isinstance(obj, oqextract.Table):
        return oqextract.ArrayWrapper(None, {"columns": list(obj.columns)})
    members = {k: v for k, v in obj.to_dict().items() if k not in ("array", "extra")}
    extra = getattr(obj, "extra", None)
    return oqextract.ArrayWrapper(None, members, list(extra) if extra is not None else None)


def run_extract(dstore, name: str, query: str, registry) -> Any:
    """Extract ``name[?query]``; ``NAME.attrs`` gives the attributes of a datastore
    object or, for a registered spec, of what that spec returns."""
    spec = name + ("?" + query if query else "")
    if name.endswith(".attrs") and "/" not in name:
        base = name[:-6]
        if base in dstore:
            return oqextract.raw_extract(dstore, name)
        obj = oqextract.extract(dstore, base + ("?" + query if query else ""), registry)
        return attrs_of(obj)
    return oqextract.extract(dstore, spec, registry)


def calc_extract(ctx: "ServerContext", calc_id: str, spec: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/extract/<spec:path>"""
    job = ctx.job(calc_id, "extract from")
    if not _SPEC.match(spec) or len(spec) > 200:
        raise InvalidInput("Invalid extract spec %r: letters, digits and -_./ only" %
                           spec[:60], param="spec")
    query = bottle.request.query_string
    if not auth.can_extract(ctx.user(), spec, ctx.auth_enabled):
        raise PermissionDenied("User %s may not extract %s" % (ctx.user().name, spec))
    with open_datastore(ctx, job) as dstore:
        try:
            obj = run_extract(dstore, spec, query, ctx.registry)
            data = oqextract.to_npz_bytes(obj)
        except UnknownPlugin as exc:
            return error_response(404, str(exc).strip('"'))
        except KeyError as exc:
            return error_response(404, str(exc.args[0] if exc.args else exc))
        except (InvalidInput, ValueError, TypeError, IndexError) as exc:
            return error_response(400, "Cannot extract %s: %s" % (spec, exc))
    resp = bottle.HTTPResponse(data, 200)
    resp.content_type = "application/octet-stream"
    resp.set_header("Content-Disposition", "attachment; filename=%s.npz" % (
        spec.replace("/", "-")))
    resp.set_header("Content-Length", str(len(data)))
    return resp


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the extract route to ``app``."""
    app.get("/v1/calc/<calc_id>/extract/<spec:path>", callback=bind(ctx, calc_extract))
