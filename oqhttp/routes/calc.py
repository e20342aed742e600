"""Calculation routes: list, status, info, traceback, log, abort, remove, run,
validate_zip, datastore."""
from __future__ import annotations

import os
import re
import shutil
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqcore.jobs.db import ACTIVE, PREFERRED_MARK, STATUSES, TERMINAL
from oqhttp import auth
from oqhttp.responses import error_response, json_response
from oqhttp.routes.common import (bind, check_datastore_download, info, invalid_answer,
                                  new_scratch_dir, new_upload_dir, shown_status, submit,
                                  traceback_lines, unpack_request, usable_job, utc_time,
                                  validation_answer)

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

_SLICE = re.compile(r"^(\d{0,12}):(\d{0,12})$")
#: POST-only names under /v1/calc/ that a GET must not take for an ID
_POST_ONLY = ("run", "validate_zip", "aelo_run", "run_ini", "validate_ini")


def list_item(job: dict, base_url: str, tags: list[str] | None = None) -> dict:
    """A job as an item of /v1/calc/list (and the body of /v1/calc/:id/status);
    ``tags``: its tag names (the preferred ones marked), shown as OpenQuake does
    (``"foo★, bar"``, null without tags)."""
    start = utc_time(job["start_time"] or job["create_time"])
    return {
        "id": job["id"], "owner": job["user_name"],
        "calculation_mode": job["calculation_mode"], "status": shown_status(job),
        "is_running": job["status"] in ("submitted", "executing"),
        "description": job["description"],
        "url": "%s/v1/calc/%d" % (base_url, job["id"]),
        "parent_id": job["hazard_calculation_id"],
        "abortable": job["status"] in ACTIVE,
        "size_mb": job["size_mb"],
        "start_time": start.strftime("%Y-%m-%d, %H:%M:%S UTC") if start else None,
        "relevant": bool(job["relevant"]), "tags": ", ".join(tags) if tags else None}


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
    if status and status not in STATUSES + ("shared",):
        raise InvalidInput("unknown status %r (one of %s)" % (status, ", ".join(
            s for s in STATUSES + ("shared",) if s != "deleted")), param="status")
    user = q.get("user") or q.get("user_name") or None
    jobs = ctx.visible_jobs(ctx.db.list_jobs(
        user_name=user, status="complete" if status == "shared" else status))
    if status:
        jobs = [j for j in jobs if shown_status(j) == status]
    mode = q.get("calculation_mode")
    if mode:
        jobs = [j for j in jobs if j["calculation_mode"] == mode]
    running = q.get("is_running")
    if running:
        flag = running.lower() in ("1", "true", "yes")
        jobs = [j for j in jobs if (j["status"] in ("submitted", "executing")) == flag]
    if not _flag(q.get("include_shared"), True):
        me = ctx.owner_name()
        jobs = [j for j in jobs if not j.get("shared") or j["user_name"] == me]
    tags = ctx.db.job_tags()
    tag = q.getunicode("filter_by_tag") or ""
    if tag and tag != "0":
        jobs = [j for j in jobs if any(t.rstrip(PREFERRED_MARK) == tag
                                       for t in tags.get(j["id"], ()))]
    if _flag(q.get("preferred_only"), False):
        jobs = [j for j in jobs if any(t.endswith(PREFERRED_MARK)
                                       for t in tags.get(j["id"], ()))]
    base = ctx.base_url()
    return json_response([list_item(j, base, tags.get(j["id"]))
                          for j in jobs[offset:offset + limit]])


def _flag(value: str | None, default: bool) -> bool:
    """A boolean query value (1/0, true/false, yes/no); ``default`` when absent."""
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def calc_status(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/status (with ``progress``, the last progress line, while
    the job executes)"""
    job = ctx.job(calc_id)
    body = list_item(job, ctx.base_url(), ctx.db.job_tags([job["id"]]).get(job["id"]))
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
        except (InvalidInput, UnknownPlugin, NotFound) as exc:
            return invalid_answer(exc, dest)
        return validation_answer(ctx, ini, dest)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


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
