"""What several route modules share: binding handlers to the server context, upload
directories and their unpacking, the answer to a submitted job, the parent job a new
job may use, and opening a job's datastore for a request.

Route modules import from here, never from each other.
"""
from __future__ import annotations

import datetime
import functools
import socket
import json
import os
import shutil
import tempfile
from typing import TYPE_CHECKING, Callable

import bottle

from oqcore.errors import InvalidInput, NotFound, PermissionDenied, UnknownPlugin
from oqcore.jobs.db import ACTIVE
from oqcore.jobs.runner import UPLOAD_PREFIX
from oqhttp import auth, uploads
from oqhttp.responses import error_response, json_response

if TYPE_CHECKING:
    from oqhttp.app import ServerContext


def aelo_available(ctx: "ServerContext") -> bool:
    """True when POST /v1/calc/aelo_run works: the server is in AELO mode (``[webui]
    application_mode = AELO``, as OpenQuake has the route only there) and an ``aelo``
    calculator is registered."""
    if not ctx.aelo_mode:
        return False
    try:
        ctx.registry.calculator("aelo")
    except UnknownPlugin:
        return False
    return True


# ------------------------------------------------------------------ job views
def utc_time(stamp: str | None) -> datetime.datetime | None:
    """A time stamp of the job table as an aware UTC datetime (None if absent)."""
    if not stamp:
        return None
    try:
        return datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None


def shown_status(job: dict) -> str:
    """The status a client sees: ``shared`` for a complete job that was shared (as
    OpenQuake, whose share route changes the status), else the job's status."""
    return "shared" if job.get("shared") and job["status"] == "complete" else job["status"]


def info(job: dict) -> dict:
    """The body of GET /v1/calc/:id."""
    start, stop = utc_time(job["start_time"] or job["create_time"]), utc_time(job["stop_time"])
    return {
        "id": job["id"], "description": job["description"], "user_name": job["user_name"],
        "calculation_mode": job["calculation_mode"],
        "hazard_calculation_id": job["hazard_calculation_id"], "status": shown_status(job),
        "is_running": job["status"] in ("submitted", "executing"),
        "start_time": str(start) if start else None,
        "stop_time": str(stop) if stop else None,
        "relevant": bool(job["relevant"]), "size_mb": job["size_mb"],
        "host": socket.gethostname(), "workflow_id": None,
        "reason": job.get("reason") or None}


def bind(ctx: "ServerContext", handler: Callable) -> Callable:
    """``handler(ctx, *url_args)`` as a Bottle callback taking the URL arguments only."""
    return functools.update_wrapper(functools.partial(handler, ctx), handler)


# ------------------------------------------------------------------ uploads
def files_of_request() -> list:
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
    return tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=ctx.settings.datadir)


def new_scratch_dir(ctx: "ServerContext", prefix: str) -> str:
    """A fresh private temporary directory (custom_tmp, else the system one)."""
    return tempfile.mkdtemp(prefix=prefix, dir=ctx.settings.custom_tmp or None)


def unpack_request(ctx: "ServerContext", dest: str, uploaded: list | None = None,
                   job_ini: str | None = None, risk: bool = False) -> str:
    """Save the uploaded inputs in ``dest``, check their XML; return the job file.

    :param uploaded: the Bottle FileUploads (default: those of the request)
    :raises InvalidInput: (400) no files, hostile archives, bad XML or no .ini
    """
    ups = files_of_request() if uploaded is None else uploaded
    if not ups:
        raise InvalidInput('Please provide the "archive" file(s) (or "job_config" and '
                           '"input_model_N")', param="archive")
    try:
        written = uploads.save_uploads(ups, dest, ctx.max_unzipped, ctx.expansion)
    except uploads.ServerBusy as exc:
        raise error_response(503, str(exc), {"Retry-After": "5"}) from None
    ini = uploads.find_job_ini(dest, written, job_ini, risk)
    uploads.check_xml_files(dest, written)
    return ini


def place_upload(ctx: "ServerContext", job_id: int, dest: str, ini: str) -> None:
    """Move the upload ``dest`` of a new job to its final directory (``ds_calc_dir``)
    and point the job's job.ini and input root there."""
    job = ctx.db.get_job(job_id)
    final = job["ds_calc_dir"]
    if final and not os.path.exists(final):
        os.rename(dest, final)
    else:
        final = dest
    _rebase_job(ctx, job, ini, dest, final, ds_calc_dir=final)


def _rebase_job(ctx: "ServerContext", job: dict, ini: str, dest: str, final: str,
                **fields) -> None:
    """Point a job's job.ini, input root and parent datastore file from the upload
    ``dest`` to ``final``; so too the job created for the job file named by its
    ``hazard_calculation_id`` (run first, from the same upload)."""
    def moved(path):
        return os.path.join(final, os.path.relpath(os.path.realpath(path),
                                                   os.path.realpath(dest)))
    extra = json.loads(job["params"] or "{}")
    extra["input_root"] = os.path.realpath(final)
    if extra.get("parent_path"):
        extra["parent_path"] = moved(extra["parent_path"])
    ctx.db.update_job(job["id"], params=json.dumps(extra), job_ini=moved(ini), **fields)
    if extra.get("run_parent") and job["hazard_calculation_id"]:
        parent = ctx.db.get_job(job["hazard_calculation_id"])
        _rebase_job(ctx, parent, parent["job_ini"], dest, final)


def submitted(ctx: "ServerContext", job_id: int) -> dict:
    """The answer to a run: status, job_id and the URIs to follow."""
    base = ctx.base_url()
    return {"status": "created", "job_id": job_id,
            "outputs_uri": "%s/v1/calc/%d/results" % (base, job_id),
            "log_uri": "%s/v1/calc/%d/log/0:" % (base, job_id),
            "traceback_uri": "%s/v1/calc/%d/traceback" % (base, job_id)}


def create_job(ctx: "ServerContext", ini: str, root: str, hc_id: int | None = None,
               owner: str | None = None) -> int:
    """Validate the job file ``ini`` (its inputs confined to ``root``) and create its job
    row; return the job ID.

    The job may use a parent job (``hc_id``, or ``hazard_calculation_id`` in the
    job.ini) only if the caller may use that job.
    :raises InvalidInput: (400) invalid job file or parent
    """
    try:
        params = ctx.engine.validate(ini, root=root)
        if hc_id is None and isinstance(params.hazard_calculation_id, int):
            # (a job or datastore file of the upload is the engine's business)
            hc_id = usable_job(ctx, params.hazard_calculation_id, "hazard_calculation_id")
        return ctx.engine.create_job(ini, owner or ctx.owner_name(), None, hc_id, root,
                                     params)
    except UnknownPlugin as exc:
        raise InvalidInput(str(exc), param="calculation_mode") from None
    except NotFound as exc:
        raise InvalidInput(str(exc)) from None


def submit(ctx: "ServerContext", dest: str, ini: str, hc_id: int | None = None
           ) -> bottle.HTTPResponse:
    """Create the job of the upload ``dest`` (job file ``ini``), queue it and answer.

    ``dest`` is removed on failure.
    """
    try:
        job_id = create_job(ctx, ini, dest, hc_id)
        place_upload(ctx, job_id, dest, ini)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    ctx.queue.submit(job_id)
    return json_response(submitted(ctx, job_id), headers={
        "Location": "%s/v1/calc/%d" % (ctx.base_url(), job_id)})


def usable_job(ctx: "ServerContext", calc_id, param: str) -> int:
    """The ID of the job ``calc_id`` that the caller may use as a parent (negative:
    counted from the caller's own last job).

    Public mode: 400 naming ``param`` when there is no such job. Authenticated mode:
    403 naming ``param`` for a job of somebody else AND for a job that does not exist,
    with the same body, so that a parent reference cannot probe which ids exist.
    """
    try:
        cid = int(calc_id)
        if cid < 0:  # the caller's own jobs, for superusers too
            cid = ctx.db.resolve_id(cid, ctx.owner_name())
        return ctx.job(str(cid), "use")["id"]
    except (NotFound, InvalidInput):
        if ctx.auth_enabled:
            raise PermissionDenied(
                "%s: %s is not a calculation you may use" % (param, calc_id)) from None
        raise InvalidInput("%s %s does not exist" % (param, calc_id), param=param) from None


def invalid_answer(exc: Exception, root: str) -> bottle.HTTPResponse:
    """``{valid: false, error_msg, error_line}`` (200) for an error found while checking
    a job whose files are in ``root`` (file names shown relative to it); a hostile
    upload is re-raised (400)."""
    if isinstance(exc, uploads.UnsafeUpload):
        raise exc
    msg, line = str(exc).strip("'\""), None
    if isinstance(exc, InvalidInput):
        fname = os.path.relpath(exc.fname, root) if exc.fname and \
            os.path.isabs(str(exc.fname)) else exc.fname
        msg = str(InvalidInput(exc.msg, fname, exc.lineno, exc.param))
        line = exc.lineno
    return json_response({"valid": False, "error_msg": msg, "error_line": line})


def validation_answer(ctx: "ServerContext", ini: str, root: str) -> bottle.HTTPResponse:
    """The answer of validate_zip and validate_ini: ``{valid, error_msg, error_line}``
    (always 200) for the job file ``ini`` checked as a run would check it (inputs
    confined to ``root``, same parent-job rules)."""
    try:
        params = ctx.engine.validate(ini, root=root)
        if isinstance(params.hazard_calculation_id, int):
            usable_job(ctx, params.hazard_calculation_id, "hazard_calculation_id")
    except (InvalidInput, UnknownPlugin, NotFound) as exc:
        return invalid_answer(exc, root)
    return json_response({"valid": True, "error_msg": None, "error_line": None})


# ------------------------------------------------------------------ server files
def user_shared_dir(ctx: "ServerContext") -> str | None:
    """The caller's folder of the shared directory (``[directory] shared_dir/<user>``),
    the only place whose files the server-path routes (run_ini, validate_ini,
    jobs_from_inis, on_same_fs) may read for this caller; None without shared_dir."""
    if not ctx.settings.shared_dir:
        return None
    return os.path.join(ctx.settings.shared_dir, ctx.owner_name())


def server_job_ini(ctx: "ServerContext", path: str | None, param: str = "job_ini"
                   ) -> tuple[str, str]:
    """``(job file, confinement root)`` for a job.ini named by its path on the server.

    Only a ``.ini`` file in the caller's folder of the shared directory
    (:func:`user_shared_dir`) may be named; its inputs must stay in that folder.
    :raises InvalidInput: (400) no or malformed path, not a .ini, no such file
    :raises PermissionDenied: (403) no shared directory, or a path outside the caller's
        folder (the same answer whether such a file exists or not)
    """
    from oqcore.inputs import inside
    if not path or not path.strip():
        raise InvalidInput('Please provide the "%s" parameter (the path of a job.ini on '
                           'the server)' % param, param=param)
    path = path.strip()
    if "\0" in path or len(path) > 4096:
        raise InvalidInput("invalid path", param=param)
    shown = os.path.basename(path)[:100]
    root = user_shared_dir(ctx)
    if root is None:
        raise PermissionDenied("%s: this server reads no job files of its own: "
                               "[directory] shared_dir is not set" % param)
    if not os.path.isabs(path) or not inside(path, root) or inside(
            path, ctx.settings.datadir):
        raise PermissionDenied("%s: %s is not one of your files on the server (only "
                               "files of shared_dir/%s may be named)" % (
                                   param, shown, ctx.owner_name()))
    real = os.path.realpath(path)
    if not real.endswith(".ini"):
        raise InvalidInput("%s: %s is not a .ini file" % (param, shown), param=param)
    if not os.path.isfile(real):
        raise InvalidInput("%s: %s: no such file" % (param, shown), param=param)
    return real, os.path.realpath(root)


def require_superuser(ctx: "ServerContext", what: str) -> None:
    """PermissionDenied (403) unless the caller may ``what``: in authenticated mode only
    superusers (level 2) may, as in OpenQuake; in public mode everybody."""
    user = ctx.user()
    if ctx.auth_enabled and (user is None or not user.is_superuser):
        raise PermissionDenied("Only superusers (level 2) may %s" % what)


# ------------------------------------------------------------------ datastores
def open_datastore(ctx: "ServerContext", job: dict):
    """Open the datastore of ``job`` for this request's user.

    The parent's datastore is read through only when the user may see the parent.
    404: no datastore; 409: the job is running and its datastore cannot be read
    now; 410: the job ended and left an incomplete datastore.
    """
    parent_ok = False
    hc = job.get("hazard_calculation_id")
    if hc:
        try:
            parent_ok = auth.can_see_job(ctx.user(), ctx.db.get_job(hc), ctx.auth_enabled)
        except NotFound:
            parent_ok = False
    try:
        dstore = ctx.engine.open_datastore(job["id"], with_parent=parent_ok)
    except NotFound:
        raise NotFound("Calculation %d has no datastore" % job["id"]) from None
    except OSError as exc:
        # a complete job's file still locked: its processes are letting it go
        if job["status"] in ACTIVE or (job["status"] == "complete" and "lock" in str(exc)):
            raise error_response(409, "The datastore of calculation %d cannot be read "
                                 "now: the job is %s" % (job["id"], job["status"]))
        raise incomplete(job) from None
    if not dstore.complete and job["status"] not in ACTIVE:
        dstore.close()
        raise incomplete(job)
    return dstore


def incomplete(job: dict) -> bottle.HTTPResponse:
    """The 410 answer for the datastore a failed or killed job left behind."""
    return error_response(410, "Calculation %d %s; its datastore is incomplete" % (
        job["id"], "failed" if job["status"] == "failed" else "ended " + job["status"]))


def check_datastore_download(ctx: "ServerContext", job: dict) -> str:
    """The path of the datastore of ``job`` that this request may download whole.

    Level-0 users may extract only the whitelisted outputs, so never the whole
    datastore (403); the datastore must exist (404) and be complete (409/410).
    """
    user = ctx.user()
    if ctx.auth_enabled and user is not None and user.level < 1:
        raise PermissionDenied("User %s may not download whole datastores: level-0 "
                               "users may only extract %s" % (
                                   user.name, ", ".join(auth.EXTRACTABLE)))
    with open_datastore(ctx, job) as dstore:
        if not dstore.complete:
            raise error_response(409, "Calculation %d is %s: its datastore is not "
                                 "complete yet" % (job["id"], job["status"]))
        return dstore.path


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
