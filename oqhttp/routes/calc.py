"""Calculation routes: list, status, info, traceback, log, abort, remove, run,
validate_zip, datastore."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import socket
import tempfile
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound, UnknownPlugin
from oqcore.jobs.db import ACTIVE, STATUSES, TERMINAL
from oqhttp import uploads
from oqhttp.responses import error_response, json_response

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


def traceback_lines(ctx: "ServerContext", job: dict) -> list[str]:
    """The error lines of a job: its stored traceback, else its last ERROR log."""
    if job["status"] == "complete":
        return []
    tb = job.get("traceback") or ""
    if not tb:
        errors = [r for r in ctx.db.get_logs(job["id"]) if r["level"] in (
            "error", "critical")]
        tb = errors[-1]["message"] if errors else ""
    lines = tb.rstrip("\n").splitlines()
    if job["status"] in ("failed", "aborted") and job.get("reason") and (
            not lines or job["reason"] not in lines[-1]):
        lines.append(job["reason"])
    return lines


def _log_row(r: dict) -> list:
    return [r["timestamp"][:22], r["level"].upper(), r["process"], r["message"]]


def _files_of_request() -> list:
    """Uploaded files: ``archive`` (one zip or several files), or ``job_config`` +
    ``input_model_N`` (the spec)."""
    files = bottle.request.files
    ups = list(files.getall("archive"))
    if files.get("job_config") is not None:
        ups.append(files.get("job_config"))
    for key in sorted(k for k in files.keys() if k.startswith("input_model_")):
        ups.extend(files.getall(key))
    return ups


def new_upload_dir(ctx: "ServerContext") -> str:
    """A fresh private directory for an upload, inside the data directory."""
    os.makedirs(ctx.settings.datadir, exist_ok=True)
    return tempfile.mkdtemp(prefix=".upload-", dir=ctx.settings.datadir)


def unpack_request(ctx: "ServerContext", dest: str, job_ini: str | None = None, risk: bool = False
                   ) -> str:
    """Save the uploaded inputs in ``dest``, check their XML; return the job file.

    InvalidInput (400) for no files, hostile archives, bad XML or no .ini.
    """
    ups = _files_of_request()
    if not ups:
        raise InvalidInput('Please provide the "archive" file(s) (or "job_config" and '
                           '"input_model_N")', param="archive")
    written = uploads.save_uploads(ups, dest, ctx.max_unzipped)
    ini = uploads.find_job_ini(dest, written, job_ini, risk)
    uploads.check_xml_files(dest, written)
    return ini


def remove_files(ctx: "ServerContext", job: dict) -> list[str]:
    """Delete the files of a job (datastore, inputs); return their base names."""
    from oqcore.datastore import calc_path
    datadir = os.path.realpath(ctx.settings.datadir)
    removed = []
    h5 = calc_path(ctx.settings.datadir, job["id"])
    for path in (h5, h5.replace(".hdf5", "_tmp.hdf5")):
        if os.path.exists(path):
            os.remove(path)
            removed.append(os.path.basename(path))
    for d in (job.get("ds_calc_dir") or "", os.path.dirname(job.get("job_ini") or "")):
        real = os.path.realpath(d) if d else ""
        if real and real != datadir and os.path.commonpath([real, datadir]) == datadir \
                and os.path.isdir(real):
            shutil.rmtree(real, ignore_errors=True)
    return removed


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the calculation routes to ``app``."""

    @app.get("/v1/calc/list")
    def calc_list() -> bottle.HTTPResponse:
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

    @app.get("/v1/calc/<calc_id>/status")
    def calc_status(calc_id: str) -> bottle.HTTPResponse:
        """GET /v1/calc/<calc_id>/status (with ``progress``, the last progress line,
        while the job executes)"""
        job = ctx.job(calc_id)
        body = list_item(job, ctx.base_url())
        if job["status"] == "executing":
            from oqcore.progress import latest_progress
            body["progress"] = latest_progress(ctx.db, job["id"])
        return json_response(body)

    @app.get("/v1/calc/<calc_id>")
    def calc_info(calc_id: str) -> bottle.HTTPResponse:
        """GET /v1/calc/<calc_id>"""
        if calc_id in _POST_ONLY:
            raise bottle.HTTPError(405, headers={"Allow": "POST"})
        return json_response(info(ctx.job(calc_id)))

    @app.get("/v1/calc/<calc_id>/traceback")
    def calc_traceback(calc_id: str) -> bottle.HTTPResponse:
        """GET /v1/calc/<calc_id>/traceback"""
        return json_response(traceback_lines(ctx, ctx.job(calc_id)))

    @app.get("/v1/calc/<calc_id>/log/<spec>")
    def calc_log(calc_id: str, spec: str) -> bottle.HTTPResponse:
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

    @app.post("/v1/calc/<calc_id>/abort")
    def calc_abort(calc_id: str) -> bottle.HTTPResponse:
        """POST /v1/calc/<calc_id>/abort"""
        job = ctx.job(calc_id, "abort")
        job_id = job["id"]
        if job["status"] in TERMINAL:
            return error_response(409, "Job %d is not running" % job_id)
        if not ctx.queue.abort(job_id):
            ctx.engine.abort(job_id)
        return json_response({"success": "Killing job %d" % job_id})

    @app.post("/v1/calc/<calc_id>/remove")
    def calc_remove(calc_id: str) -> bottle.HTTPResponse:
        """POST /v1/calc/<calc_id>/remove"""
        try:
            job = ctx.job(calc_id, "remove")
        except NotFound:
            raise NotFound("Cannot delete calculation %s: ID does not exist" % calc_id)
        job_id = job["id"]
        if job["status"] in ACTIVE:
            return error_response(409, "Cannot delete calculation %d: it is %s; abort it "
                                  "first" % (job_id, job["status"]))
        children = [r["id"] for r in ctx.db.execute(
            "SELECT id FROM job WHERE hazard_calculation_id=? AND status != 'deleted'",
            (job_id,))]
        if children:
            return error_response(409, "Cannot delete calculation %d: there are "
                                  "calculations dependent from it: %s" % (job_id, children))
        ctx.db.delete_job(job_id)  # the row first: a half-removed job is never listed
        removed = remove_files(ctx, job)
        return json_response({"success": str(job_id), "removed_files": removed})

    @app.post("/v1/calc/run")
    def calc_run() -> bottle.HTTPResponse:
        """POST /v1/calc/run"""
        form = bottle.request.forms
        hc_id = None
        if form.get("hazard_job_id"):
            hc_id = ctx.parse_int(form.get("hazard_job_id"), "hazard_job_id")
        elif form.get("hazard_result"):
            rid = ctx.parse_int(form.get("hazard_result"), "hazard_result")
            try:
                hc_id = ctx.db.get_output(rid)["oq_job_id"]
            except NotFound:
                raise InvalidInput("hazard_result %d does not exist" % rid,
                                   param="hazard_result") from None
        if hc_id is not None:
            try:
                hc_id = ctx.job(str(hc_id), "use")["id"]
            except NotFound:
                raise InvalidInput("hazard_job_id %s does not exist" % hc_id,
                                   param="hazard_job_id") from None
        dest = new_upload_dir(ctx)
        try:
            ini = unpack_request(ctx, dest, form.getunicode("job_ini") or None,
                                 hc_id is not None)
            try:
                job_id = ctx.engine.create_job(ini, ctx.owner_name(), None, hc_id)
            except UnknownPlugin as exc:
                raise InvalidInput(str(exc), param="calculation_mode") from None
            except NotFound as exc:
                raise InvalidInput(str(exc)) from None
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
        job = ctx.db.get_job(job_id)
        final = job["ds_calc_dir"]
        if final and not os.path.exists(final):
            os.rename(dest, final)
            ctx.db.update_job(job_id, job_ini=os.path.join(final, os.path.relpath(ini, dest)))
        else:
            ctx.db.update_job(job_id, ds_calc_dir=dest)
        ctx.queue.submit(job_id)
        return json_response(submitted(ctx, job_id), headers={
            "Location": "%s/v1/calc/%d" % (ctx.base_url(), job_id)})

    @app.post("/v1/calc/validate_zip")
    def validate_zip() -> bottle.HTTPResponse:
        """POST /v1/calc/validate_zip"""
        if bottle.request.files.get("archive") is None:
            raise InvalidInput("Missing archive file", param="archive")
        dest = tempfile.mkdtemp(prefix="oqhttp-validate-", dir=ctx.settings.custom_tmp
                                or None)
        try:
            try:
                up = bottle.request.files.get("archive")
                written = uploads.save_uploads([up], dest, ctx.max_unzipped)
                ini = uploads.find_job_ini(dest, written, bottle.request.forms.getunicode(
                    "job_ini") or None)
                uploads.check_xml_files(dest, written)
                ctx.engine.validate(ini)
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

    @app.get("/v1/calc/<calc_id>/datastore")
    def calc_datastore(calc_id: str) -> bottle.HTTPResponse:
        """GET /v1/calc/<calc_id>/datastore"""
        job = ctx.job(calc_id, "download")
        path = ctx.engine.datastore_path(job["id"])
        if not os.path.exists(path):
            raise NotFound("Calculation %d has no datastore" % job["id"])
        resp = bottle.static_file(os.path.basename(path), os.path.dirname(path),
                                  mimetype="application/x-hdf", download=True)
        if isinstance(resp, bottle.HTTPError):
            raise NotFound("Calculation %d has no readable datastore" % job["id"])
        return resp


def submitted(ctx: "ServerContext", job_id: int) -> dict:
    """The answer to a run: status, job_id and the URIs to follow."""
    base = ctx.base_url()
    return {"status": "created", "job_id": job_id,
            "outputs_uri": "%s/v1/calc/%d/results" % (base, job_id),
            "log_uri": "%s/v1/calc/%d/log/0:" % (base, job_id),
            "traceback_uri": "%s/v1/calc/%d/traceback" % (base, job_id)}
