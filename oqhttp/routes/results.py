"""Result routes: the outputs of a calculation and their download in a format."""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqhttp import auth
from oqhttp.responses import error_response, json_response
from oqhttp.routes.common import bind, new_scratch_dir, open_datastore

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

#: output types hidden from users below level 2 when authentication is on
HIDDEN_TYPES = ("exposure", "job")


def outtypes(registry, kind: str) -> list[str]:
    """The export formats listed for an output type (``txt`` never listed)."""
    return [f for f in registry.export_formats(kind) if f != "txt"]


def calc_results(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/results (and /result/list)"""
    job = ctx.job(calc_id, "see the results of")
    user = ctx.user()
    hide = ctx.auth_enabled and (user is None or user.level < auth.SUPERUSER_LEVEL)
    base = ctx.base_url()
    out = []
    for o in ctx.db.get_outputs(job["id"]):
        if hide and o["ds_key"] in HIDDEN_TYPES:
            continue
        types = outtypes(ctx.registry, o["ds_key"])
        url = "%s/v1/calc/result/%d" % (base, o["id"])
        if types:
            url += "?export_type=%s" % types[0]
        out.append({"id": o["id"], "name": o["display_name"], "type": o["ds_key"],
                    "outtypes": types, "url": url, "size_mb": o["size_mb"]})
    return json_response(out)


def calc_result(ctx: "ServerContext", result_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/result/<result_id>"""
    rid = ctx.parse_int(result_id, "result_id")
    try:
        output = ctx.db.get_output(rid)
    except NotFound:
        raise NotFound("Unknown result %d" % rid) from None
    try:  # an output of a job the user may not see is unknown too
        job = ctx.job(str(output["oq_job_id"]), "download the results of")
    except NotFound:
        raise NotFound("Unknown result %d" % rid) from None
    kind = output["ds_key"]
    types = outtypes(ctx.registry, kind)
    fmt = bottle.request.query.get("export_type") or (types[0] if types else "")
    try:
        spec = ctx.registry.exporter(kind, fmt)
    except UnknownPlugin:
        return error_response(404, "Could not export %s in %s (available: %s)" % (
            kind, fmt or "?", ", ".join(types) or "none"))
    dload = (bottle.request.query.get("dload") or "").lower() == "true"
    tmp = new_scratch_dir(ctx, "oqhttp-export-")
    try:
        with open_datastore(ctx, job) as dstore:
            try:
                paths = [p for p in spec.writer(dstore, kind, fmt, tmp) or []
                         if os.path.isfile(p)]
            except (InvalidInput, KeyError, ValueError) as exc:
                return error_response(400, "Could not export %s in %s: %s" % (
                    kind, fmt, str(exc).strip("'\"")))
        if not paths:
            return error_response(404, "Nothing to export for export_type=%s, %s" % (
                fmt, kind))
        if len(paths) == 1:
            name = os.path.basename(paths[0])
            with open(paths[0], "rb") as f:
                body = f.read()
            ctype = spec.content_type or "text/plain"
        else:
            name = "%s-%s.zip" % (kind, fmt)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in paths:
                    zf.write(p, os.path.basename(p))
            body = buf.getvalue()
            ctype = "application/x-zip"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    disp = "attachment" if dload or len(paths) > 1 else "inline"
    resp = bottle.HTTPResponse(body, 200)
    resp.content_type = ctype
    resp.set_header("Content-Disposition", "%s; filename=output-%d-%s" % (
        disp, rid, name))
    resp.set_header("Content-Length", str(len(body)))
    return resp


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the result routes to ``app``."""
    app.get("/v1/calc/<calc_id>/results", callback=bind(ctx, calc_results),
            name="calc_results")
    app.get("/v1/calc/<calc_id>/result/list", callback=bind(ctx, calc_results),
            name="calc_result_list")
    app.get("/v1/calc/result/<result_id>", callback=bind(ctx, calc_result))
