"""Routes naming job files on the server instead of uploading them, as OpenQuake's:
``POST /v1/calc/run_ini``, ``POST /v1/calc/validate_ini``, ``GET /v1/calc/jobs_from_inis``;
and ``POST /v1/calc/run_scenario_calc_from_ses_rupture/:rup_id`` (OpenQuake's PAPERS
entry point, which needs a data set this server does not have).

A server path is accepted only inside the caller's folder of the shared directory
(``[directory] shared_dir/<user>``, :func:`oqhttp.routes.common.server_job_ini`), and
the job's inputs must stay in that folder: a client cannot make the server read
another user's files, the data directory or system files.
"""
from __future__ import annotations

import json
import os
import shutil
from typing import TYPE_CHECKING

import bottle

from oqcore.calculator import inputs_checksum
from oqcore.errors import InvalidInput, NotFound, PermissionDenied, UnknownPlugin
from oqhttp.responses import error_response, json_response, public_message
from oqhttp.routes.common import (bind, create_job, info, new_scratch_dir, server_job_ini,
                                  submitted, usable_job, validation_answer)

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

#: the most job files one jobs_from_inis request may name
MAX_INIS = 100
#: the largest job.ini accepted as an upload by validate_ini (bytes)
MAX_INI_BYTES = 1024 ** 2


def job_info(ctx: "ServerContext", job_id: int) -> dict:
    """The answer to run_ini: OpenQuake's job fields (``job_id`` for ``id``; no server
    path) and the URIs of :func:`~oqhttp.routes.common.submitted`."""
    job = ctx.db.get_job(job_id)
    body = info(job)
    body.pop("id")
    body.update(submitted(ctx, job_id), pid=0, stop_time=None,
                start_time=(job["start_time"] or job["create_time"])[:19])
    return body


def _job_owner(ctx: "ServerContext") -> str | None:
    """The ``job_owner`` of the form: allowed in public mode and to superusers only (a
    user may not create jobs in another user's name)."""
    owner = (bottle.request.forms.getunicode("job_owner") or "").strip()
    if not owner:
        return None
    user = ctx.user()
    if ctx.auth_enabled and (user is None or not user.is_superuser):
        raise PermissionDenied("job_owner: only superusers (level 2) may run a job in "
                               "another user's name")
    if len(owner) > 100 or any(not c.isprintable() for c in owner):
        raise InvalidInput("job_owner: invalid user name", param="job_owner")
    return owner


def run_ini(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/run_ini: form ``job_ini`` (path on the server), optional
    ``hazard_job_id`` and ``job_owner``. The job reads its inputs in place."""
    form = bottle.request.forms
    if (form.getunicode("notify_to") or "").strip():
        raise InvalidInput("notify_to: job-completion callbacks are not supported by this "
                           "server; follow the job with /v1/calc/<id>/status",
                           param="notify_to")
    owner = _job_owner(ctx)
    ini, root = server_job_ini(ctx, form.getunicode("job_ini"))
    hc_id = None
    if form.get("hazard_job_id"):
        hc_id = usable_job(ctx, ctx.parse_int(form.get("hazard_job_id"), "hazard_job_id"),
                           "hazard_job_id")
    job_id = create_job(ctx, ini, root, hc_id, owner)
    # the job has no upload folder: its own (absent) calc_<id> folder, never the whole
    # data directory, is what other routes take for the job's files
    ctx.db.update_job(job_id, ds_calc_dir=os.path.join(ctx.settings.datadir,
                                                       "calc_%d" % job_id))
    ctx.queue.submit(job_id)
    return json_response(job_info(ctx, job_id), headers={
        "Location": "%s/v1/calc/%d" % (ctx.base_url(), job_id)})


def validate_ini(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/validate_ini: ``job_ini`` as a path on the server (form field) or
    as an uploaded file (a job.ini without input files of its own); answers
    ``{valid, error_msg, error_line}`` as validate_zip."""
    up = bottle.request.files.get("job_ini")
    if up is None:
        ini, root = server_job_ini(ctx, bottle.request.forms.getunicode("job_ini"))
        return validation_answer(ctx, ini, root)
    data = up.file.read(MAX_INI_BYTES + 1)
    if len(data) > MAX_INI_BYTES:
        raise InvalidInput("job_ini: an uploaded job.ini may not exceed %d bytes"
                           % MAX_INI_BYTES, param="job_ini")
    tmp = new_scratch_dir(ctx, "oqhttp-validate-")
    try:
        ini = os.path.join(tmp, "job.ini")
        with open(ini, "wb") as f:
            f.write(data)
        return validation_answer(ctx, ini, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def job_with_checksum(ctx: "ServerContext", checksum: int) -> int:
    """The newest complete job visible to the caller whose inputs had ``checksum``
    (0 if none)."""
    for job in ctx.visible_jobs(ctx.db.list_jobs(status="complete", relevant_only=False)):
        try:
            with ctx.engine.open_datastore(job["id"], with_parent=False) as dstore:
                stored = dstore.attrs.get("checksum32")
        except (NotFound, OSError, KeyError):
            continue
        if stored is not None and int(stored) == checksum:
            return job["id"]
    return 0


def jobs_from_inis(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/calc/jobs_from_inis?ini=PATH&ini=PATH...: for each job.ini, the ID of a
    complete calculation with the same inputs (0 if none), as ``{"success": [IDs],
    "error": ""}``; a job.ini that cannot be read: 400 ``{"success": [], "error"}``."""
    paths = bottle.request.query.getall("ini")
    if len(paths) > MAX_INIS:
        raise InvalidInput("at most %d ini parameters" % MAX_INIS, param="ini")
    ids = []
    for raw in paths:
        try:
            path = raw.encode("latin-1").decode("utf-8")
        except UnicodeError:
            path = raw
        ini, root = server_job_ini(ctx, path, "ini")
        try:
            params = ctx.engine.validate(ini, root=root)
        except (InvalidInput, UnknownPlugin) as exc:
            msg = public_message(exc) if isinstance(exc, InvalidInput) else str(exc)
            return json_response({"success": [], "error": "%s: %s" % (
                os.path.basename(ini), msg)}, 400)
        ids.append(job_with_checksum(ctx, inputs_checksum(params)[0]))
    return json_response({"success": ids, "error": ""})


def run_scenario_from_ses(ctx: "ServerContext", rup_id: str) -> bottle.HTTPResponse:
    """POST /v1/calc/run_scenario_calc_from_ses_rupture/<rup_id>: OpenQuake runs a
    scenario damage job for a rupture of the PAPERS stochastic event set, with the
    PAPERS exposure, site and fragility models installed on its server; this server
    has no such data set, so after checking the request it answers 404 saying so."""
    if not rup_id.isdigit() or len(rup_id) > 20:
        raise InvalidInput("rup_id must be a non-negative integer, got %r" % rup_id[:40],
                           param="rup_id")
    consequence = bottle.request.forms.getunicode("consequence_model")
    if consequence:
        try:
            json.loads(consequence)
        except ValueError:
            raise InvalidInput("consequence_model must be a JSON list of file names",
                               param="consequence_model") from None
    return error_response(404, "Rupture %s: the PAPERS stochastic event set and its "
                          "exposure, site and fragility models are not installed on this "
                          "server" % rup_id)


#: POST-only names under /v1/calc/ (a GET of one must not be taken for a job ID)
POST_ONLY = ("run_ini", "validate_ini")


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the server-path routes to ``app``."""
    app.post("/v1/calc/run_ini", callback=bind(ctx, run_ini))
    app.post("/v1/calc/validate_ini", callback=bind(ctx, validate_ini))
    app.get("/v1/calc/jobs_from_inis", callback=bind(ctx, jobs_from_inis))
    app.post("/v1/calc/run_scenario_calc_from_ses_rupture/<rup_id>",
             callback=bind(ctx, run_scenario_from_ses))
