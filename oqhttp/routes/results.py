"""Result routes: the outputs of a calculation and their download in a format, the
job's inputs as a zip (``job_zip``) and its images (``download_png``)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqhttp import auth
from oqhttp.responses import error_response, json_response, public_message
from oqhttp.routes.common import bind, new_scratch_dir, open_datastore, require_superuser

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


def job_input_files(ctx: "ServerContext", job: dict) -> tuple[str, list[str]]:
    """``(folder, files)``: the input files of a job and the folder they are stored
    relative to in its job zip.

    An uploaded job has a folder of its own: every file of it. A job run from files on
    the server: its job.ini, the files it names and the source models of its logic tree.
    :raises NotFound: the inputs are gone
    """
    from oqcore.hazard import logictree as lt
    from oqcore.hazard.model import input_files
    from oqcore.jobs.runner import UPLOAD_PREFIX
    ini = job["job_ini"]
    root = json.loads(job["params"] or "{}").get("input_root")
    if not ini or not os.path.isfile(ini):
        raise NotFound("The input files of calculation %d are no longer on the server"
                       % job["id"])
    datadir = os.path.realpath(ctx.settings.datadir)
    if root and os.path.dirname(os.path.realpath(root)) == datadir and (
            os.path.basename(root) == "calc_%d" % job["id"] or
            os.path.basename(root).startswith(UPLOAD_PREFIX)):
        files = [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]
        return root, sorted(f for f in files if os.path.isfile(f) and not os.path.islink(f))
    try:
        params = ctx.engine.validate(ini, root=root)
    except (InvalidInput, UnknownPlugin) as exc:  # the files changed since the run
        raise NotFound("The input files of calculation %d changed since it ran: %s" % (
            job["id"], public_message(exc) if isinstance(exc, InvalidInput) else exc)
        ) from None
    files = {os.path.realpath(ini)} | {os.path.realpath(f) for f in input_files(params)}
    if "source_model_logic_tree" in params.inputs:
        smlt = lt.SourceModelLogicTree.from_file(params.inputs["source_model_logic_tree"],
                                                 root)
        for branch in smlt.branchsets[0].branches:
            files.update(os.path.realpath(f) for f in smlt.source_model_files((branch,)))
    folder = os.path.commonpath(sorted(files | {os.path.realpath(ini)}))
    if os.path.isfile(folder):
        folder = os.path.dirname(folder)
    return folder, sorted(f for f in files if os.path.isfile(f))


def calc_job_zip(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/job_zip: the job's input files as ``job_<id>.zip`` (only
    superusers in authenticated mode, as in OpenQuake)."""
    require_superuser(ctx, "download the inputs of a calculation")
    job = ctx.job(calc_id, "download")
    folder, files = job_input_files(ctx, job)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, os.path.relpath(path, folder))
    body = buf.getvalue()
    return bottle.HTTPResponse(body, 200, {
        "Content-Type": "application/x-zip",
        "Content-Disposition": "attachment; filename=job_%d.zip" % job["id"],
        "Content-Length": str(len(body))})


#: the image names of download_png: a file name ending in .png, no folders
_PNG_NAME = re.compile(r"^[\w()-][\w().-]{0,99}\.png$")
#: OpenQuake's names of the AELO images -> the output type whose png export draws it
PNG_ALIASES = {"mce_spectra.png": "aelo_mce", "mce.png": "aelo_mce"}


def calc_download_png(ctx: "ServerContext", calc_id: str, name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/download_png/<name>: an image of a calculation: one the
    calculation stored (``png/<name>``, e.g. AELO's governing_mce.png, hcurves.png,
    disagg_by_src-All-IMTs.png), else ``<output type>.png`` (or OpenQuake's name of
    it) drawn by the output's png exporter."""
    job = ctx.job(calc_id, "download the results of")
    if not _PNG_NAME.match(name) or ".." in name:
        raise InvalidInput("invalid image name %r: expected NAME.png" % name[:100],
                           param="name")
    kind = PNG_ALIASES.get(name, name[:-4])
    missing = NotFound("Calculation %d has no image %s" % (job["id"], name))
    tmp = new_scratch_dir(ctx, "oqhttp-png-")
    try:
        with open_datastore(ctx, job) as dstore:
            if "png/" + name in dstore:
                body = dstore["png/" + name][()].tobytes()
            else:
                if kind not in {o["ds_key"] for o in ctx.db.get_outputs(job["id"])}:
                    raise missing
                try:
                    spec = ctx.registry.exporter(kind, "png")
                except UnknownPlugin:
                    raise missing from None
                paths = [p for p in spec.writer(dstore, kind, "png", tmp) or []
                         if os.path.isfile(p)]
                if not paths:
                    raise missing
                with open(paths[0], "rb") as f:
                    body = f.read()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return bottle.HTTPResponse(body, 200, {"Content-Type": "image/png",
                                           "Content-Length": str(len(body))})


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the result routes to ``app``."""
    app.get("/v1/calc/<calc_id>/job_zip", callback=bind(ctx, calc_job_zip))
    app.get("/v1/calc/<calc_id>/download_png/<name>", callback=bind(ctx, calc_download_png))
    app.get("/v1/calc/<calc_id>/results", callback=bind(ctx, calc_results),
            name="calc_results")
    app.get("/v1/calc/<calc_id>/result/list", callback=bind(ctx, calc_results),
            name="calc_result_list")
    app.get("/v1/calc/result/<result_id>", callback=bind(ctx, calc_result))
