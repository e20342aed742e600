"""Calculation routes: list, status, info, traceback, log, abort, remove, run,
validate_zip, datastore."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import socket
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqcore.jobs.db import ACTIVE, STATUSES, TERMINAL
from oqhttp import auth, uploads
from oqhttp.responses import error_response, json_response
from oqhttp.routes.common import (bind, check_datastore_download, new_scratch_dir,
                                  new_upload_dir, submit, traceback_lines, unpack_request,
                                  usable_job)

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

_SLICE = re.compile(r"^(\d{0,12}):(\d{0,12})$")
#: POST-only names under /v1/calc/ that a GET must not take for an ID
_POST_ONLY = ("run", "validate_zip", "aelo_run")


def _utc(stamp: str | None) -> datetime.datetime | None:
    if not stamp:
        return None
    try:
        return datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None


def list_item(job: dict, base_url: str) -> dict:
    """A job as an item of /v1/calc/list (and the body of /v1/calc/:id/status)."""
    start = _utc(job["start_time"] or job["create_time"])
    return {
        "id": job["id"], "owner": job["user_name"],
        "calculation_mode": job["calculation_mode"], "status": job["status"],
        "is_running": job["status"] in ("submitted", "executing"),
        "description": job["description"],
        "url": "%s/v1/calc/%d" % (base_url, job["id"]),
        "parent_id": job["hazard_calculation_id"],
        "abortable": job["status"] in ACTIVE,
        "size_mb": job["size_mb"],
        "start_time": start.strftime("%Y-%m-%d, %H:%M:%S UTC") if start else None,
        "relevant": bool(job["relevant"]), "tags": None}


def info(job: dict) -> dict:
    """The body of GET /v1/calc/:id."""
    start, stop = _utc(job["start_time"] or job["create_time"]), _utc(job["stop_time"])
    return {
        "id": job["id"], "description": job["description"], "user_name": job["user_name"],
        "calculation_mode": job["calculation_mode"],
        "hazard_calculation_id": job["hazard_calculation_id"], "status": job["status"],
        "is_running": job["status"] in ("submitted", "executing"),
        "start_time": str(start) if start else None,
        "stop_time": str(stop) if stop else None,
        "relevant": bool(job["relevant"]), "size_mb": job["size_mb"],
        "host": socket.gethostname(), "workflow_id": None,
        "reason": job.get("reason") or None}


def _log_row(r: dict) -> list:
    return [r["timestamp"][:22], r["level"].upper(), r["process"], r["message"]]


def calc_list(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/calc/list"""
    q = bottle.request.query
    limit = ctx.parse_int(q.get("limit"), "limit", 100)
    offset = ctx.parse_int(q.get("offset"), "offset", 0)
    if limit < 0 or offset < 0:
        raise InvalidInput("limit and offset must be >= 0")
    status = q.get("status") or None
    if status and status not in STATUSES:
        raise InvalidInput("unknown status %r (one of %s)" % (status, ", ".join(
            s for s in STATUSES if s != "deleted")), param="status")
    user = q.get("user") or q.get("user_name") or None
    jobs = ctx.visible_jobs(ctx.db.list_jobs(user_name=user, status=status))
    mode = q.get("calculation_mode")
    if mode:
        jobs = [j for j in jobs if j["calculation_mode"] == mode]
    running = q.get("is_running")
    if running:
        flag = running.lower() in ("1", "true", "yes")
        jobs = [j for j in jobs if (j["status"] in ("submitted", "executing")) == flag]
    base = ctx.base_url()
    return json_response([list_item(j, base) for j in jobs[offset:offset + limit]])


def calc_status(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/status (with ``progress``, the last progress line, while
    the job executes)"""
    job = ctx.job(calc_id)
    body = list_item(job, ctx.base_url())
    if job["status"] == "executing":
        from oqcore.progress import latest_progress
        body["progress"] = latest_progress(ctx.db, job["id"])
    return json_response(body)


def calc_info(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>"""
    if calc_id in _POST_ONLY:
        raise bottle.HTTPError(405, headers={"Allow": "POST"})
    return json_response(info(ctx.job(calc_id)))


def calc_traceback(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/traceback"""
    return json_response(traceback_lines(ctx, ctx.job(calc_id)))


def calc_log(ctx: "ServerContext", calc_id: str, spec: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/log/<spec>"""
    job = ctx.job(calc_id)
    size = ctx.db.log_size(job["id"])
    if spec == "size":
        return json_response(size)
    m = _SLICE.match(spec)
    if not m:
        raise InvalidInput("Invalid log slice %r: use [start]:[stop] with integers "
                           "or 'size'" % spec[:40])
    start = int(m.group(1) or 0)
    stop = int(m.group(2)) if m.group(2) else None
    if start > size:
        raise InvalidInput("Log slice out of range: start %d > %d rows" % (start, size))
    if stop is not None and stop < start:
        raise InvalidInput("Log slice out of range: stop %d < start %d" % (stop, start))
    rows = ctx.db.get_logs(job["id"], start, stop)
    return json_response([_log_row(r) for r in rows])


def calc_abort(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """POST /v1/calc/<calc_id>/abort"""
    job = ctx.job(calc_id, "abort")
    job_id = job["id"]
    if job["status"] in TERMINAL:
        return error_response(409, "Job %d is not running" % job_id)
    if not ctx.queue.abort(job_id):
        ctx.engine.abort(job_id)
    return json_response({"success": "Killing job %d" % job_id})


def calc_remove(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """POST /v1/calc/<calc_id>/remove

    Only the dependent jobs that the caller can see block the removal: another
    user's child keeps its own datastore and loses its link to this job.
    """
    try:
        job = ctx.job(calc_id, "remove")
    except NotFound:
        raise NotFound("Cannot delete calculation %s: ID does not exist" % calc_id)
    job_id = job["id"]
    if job["status"] in ACTIVE:
        return error_response(409, "Cannot delete calculation %d: it is %s; abort it "
                              "first" % (job_id, job["status"]))
    children = [dict(r) for r in ctx.db.execute(
        "SELECT * FROM job WHERE hazard_calculation_id=? AND status != 'deleted'",
        (job_id,))]
    mine = [c["id"] for c in children if auth.can_see_job(ctx.user(), c, ctx.auth_enabled)]
    if mine:
        return error_response(409, "Cannot delete calculation %d: there are "
                              "calculations dependent from it: %s" % (job_id, mine))
    ctx.db.delete_job(job_id)  # the row first: a half-removed job is never listed
    removed = ctx.engine.remove_files(job)
    return json_response({"success": str(job_id), "removed_files": removed})


def calc_run(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/run"""
    form = bottle.request.forms
    hc_id = None
    if form.get("hazard_job_id"):
        hc_id = ctx.parse_int(form.get("hazard_job_id"), "hazard_job_id")
        hc_id = usable_job(ctx, hc_id, "hazard_job_id")
    elif form.get("hazard_result"):
        rid = ctx.parse_int(form.get("hazard_result"), "hazard_result")
        try:
            hc_id = ctx.db.get_output(rid)["oq_job_id"]
        except NotFound:
            raise InvalidInput("hazard_result %d does not exist" % rid,
                               param="hazard_result") from None
        hc_id = usable_job(ctx, hc_id, "hazard_result")
    dest = new_upload_dir(ctx)
    try:
        ini = unpack_request(ctx, dest, None, form.getunicode("job_ini") or None,
                             hc_id is not None)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return submit(ctx, dest, ini, hc_id)


def validate_zip(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/validate_zip

    The archive is checked as ``run`` would check it (same confinement of the
    inputs, same parent-job rules); nothing is run.
    """
    up = bottle.request.files.get("archive")
    if up is None:
        raise InvalidInput("Missing archive file", param="archive")
    dest = new_scratch_dir(ctx, "oqhttp-validate-")
    try:
        try:
            ini = unpack_request(ctx, dest, [up], bottle.request.forms.getunicode(
                "job_ini") or None)
            params = ctx.engine.validate(ini, root=dest)
            if params.hazard_calculation_id is not None:
                usable_job(ctx, params.hazard_calculation_id, "hazard_calculation_id")
        except (InvalidInput, UnknownPlugin, NotFound) as exc:
            if isinstance(exc, uploads.UnsafeUpload):
                raise
            msg, line = str(exc).strip("'\""), None
            if isinstance(exc, InvalidInput):
                fname = os.path.relpath(exc.fname, dest) if exc.fname and \
                    os.path.isabs(str(exc.fname)) else exc.fname
                msg = str(InvalidInput(exc.msg, fname, exc.lineno, exc.param))
                line = exc.lineno
            return json_response({"valid": False, "error_msg": msg,
                                  "error_line": line})
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    return json_response({"valid": True, "error_msg": None, "error_line": None})


def calc_datastore(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/datastore"""
    job = ctx.job(calc_id, "download")
    path = check_datastore_download(ctx, job)
    resp = bottle.static_file(os.path.basename(path), os.path.dirname(path),
                              mimetype="application/x-hdf", download=True)
    if isinstance(resp, bottle.HTTPError):
        raise NotFound("Calculation %d has no readable datastore" % job["id"])
    return resp


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the calculation routes to ``app``."""
    app.get("/v1/calc/list", callback=bind(ctx, calc_list))
    app.get("/v1/calc/<calc_id>/status", callback=bind(ctx, calc_status))
    app.get("/v1/calc/<calc_id>", callback=bind(ctx, calc_info))
    app.get("/v1/calc/<calc_id>/traceback", callback=bind(ctx, calc_traceback))
    app.get("/v1/calc/<calc_id>/log/<spec>", callback=bind(ctx, calc_log))
    app.post("/v1/calc/<calc_id>/abort", callback=bind(ctx, calc_abort))
    app.post("/v1/calc/<calc_id>/remove", callback=bind(ctx, calc_remove))
    app.post("/v1/calc/run", callback=bind(ctx, calc_run))
    app.post("/v1/calc/validate_zip", callback=bind(ctx, validate_zip))
    app.get("/v1/calc/<calc_id>/datastore", callback=bind(ctx, calc_datastore))
