"""AELO routes: ``POST /v1/calc/aelo_run`` (an AELO job for one site) and
``GET /v1/aelo_site_classes``.

The request is checked as a whole (one 400 listing every invalid field); the site's
model is found in the mosaic; the job is the model's ``job_vs30.ini`` with the AELO
overrides (:mod:`oqcore.aelo.job`), run by the normal queue with the ``aelo``
calculator. When the job ends its owner gets an e-mail ([smtp] of openquake.cfg).
"""
from __future__ import annotations

import json
import logging
import shutil
import threading
from typing import TYPE_CHECKING

import bottle

from oqcore.aelo import mosaic
from oqcore.aelo.job import write_job
from oqcore.aelo.site_inputs import AELO_SITE_CLASSES, check_site_inputs
from oqcore.errors import InvalidInput
from oqhttp import auth
from oqhttp.responses import error_response, json_response, public_message
from oqhttp.routes.common import (aelo_available, bind, new_upload_dir, submit,
                                  traceback_lines)

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

log = logging.getLogger(__name__)
NO_EMAIL_WARNING = ("The user has no e-mail address: no notification will be sent when "
                    "the job ends")


def invalid_inputs_response(problems: list) -> bottle.HTTPResponse:
    """The 400 answer listing every invalid field."""
    head = "Invalid input value" + ("s" if len(problems) > 1 else "")
    lines = [head] + ['%s: "%s"' % (label, reason) for _, label, reason in problems]
    return json_response({"status": "failed", "error": head,
                          "error_msg": "\n".join(lines),
                          "invalid_inputs": [field for field, _, _ in problems]}, 400)


class AeloMailer:
    """E-mails the owner of an AELO job when it ends (completion or failure).

    :param ctx: the server context (settings, job DB)
    """

    def __init__(self, ctx: "ServerContext"):
        self.ctx = ctx
        self._jobs: dict[int, dict] = {}
        self._lock = threading.Lock()

    def watch(self, job_id: int, info: dict) -> None:
        """Mail ``info['email']`` when job ``job_id`` ends; ``info`` also has the site
        fields and ``results_url``."""
        with self._lock:
            self._jobs[job_id] = info

    def job_ended(self, job_id: int) -> None:
        """Queue listener: send the mail in a thread of its own."""
        with self._lock:
            info = self._jobs.pop(job_id, None)
        if info is not None:
            threading.Thread(target=self._send, args=(job_id, info), daemon=True,
                             name="aelo-mail-%d" % job_id).start()

    def message(self, job_id: int, info: dict) -> tuple[str, str]:
        """(subject, body) of the mail of a job that ended."""
        job = self.ctx.db.get_job(job_id)
        lines = ["Site name: %s" % info["site_name"],
                 "Longitude: %s, latitude: %s" % (info["lon"], info["lat"]),
                 "Vs30: %s m/s" % " ".join("%g" % v for v in info["vs30"]),
                 "Site class: %s" % info["site_class"],
                 "ASCE standard: %s" % info["asce_version"],
                 "Model: %s" % info["model"],
                 "AELO version: %s" % (info["aelo_version"] or "n.a.")]
        if job["status"] == "complete":
            subject = "Job %d finished correctly" % job_id
            lines += ["", "Please find the results here:", info["results_url"]]
        else:
            subject = "Job %d failed" % job_id
            error = [ln for ln in traceback_lines(self.ctx, job) if ln.strip()]
            lines += ["", "Error: %s" % (error[-1] if error else job["status"]),
                      "Log: %s" % info["results_url"].replace("/results", "/log/0:")]
        return subject, "\n".join(lines) + "\n"

    def _send(self, job_id: int, info: dict) -> None:
        try:
            subject, body = self.message(job_id, info)
            auth.send_mail(self.ctx.settings.smtp, info["email"], subject, body)
        except Exception:  # a mail problem must not reach the job or the server
            log.exception("job %d: the AELO e-mail could not be sent", job_id)


def aelo_run(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/aelo_run"""
    if not ctx.aelo_mode:
        return error_response(404, "Not found: /v1/calc/aelo_run exists only in AELO "
                              "mode ([webui] application_mode = AELO)")
    if not aelo_available(ctx):
        return error_response(404, "AELO is not available on this server: no 'aelo' "
                              "calculator is registered")
    values, problems = check_site_inputs(bottle.request.forms)
    if problems:
        return invalid_inputs_response(problems)
    folder = mosaic.mosaic_dir(ctx.settings.mosaic_dir)
    dest = new_upload_dir(ctx)
    try:
        try:
            ini, code = write_job(values, folder, dest)
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
        response = submit(ctx, dest, ini)  # removes dest on failure
    except InvalidInput as exc:
        msg = public_message(exc)  # no server path in the body
        return json_response({"status": "failed", "error": msg,
                              "error_cls": "ValueError", "error_msg": msg}, 400)
    answer = json.loads(response.body)
    user = ctx.user()
    email = (user.get("email") or "") if user is not None else ""
    if email and auth.smtp_configured(ctx.settings.smtp):
        ctx.aelo_mailer.watch(answer["job_id"], dict(
            values, email=email, model=code, aelo_version=mosaic.aelo_version(folder),
            results_url="%s/v1/calc/%d/results" % (ctx.base_url(), answer["job_id"])))
    elif not email:
        answer["WARNING"] = NO_EMAIL_WARNING
    else:
        answer["WARNING"] = "No SMTP server is configured: no notification will be sent"
    return json_response(answer, headers={k: v for k, v in response.headerlist
                                          if k == "Location"})


def aelo_site_classes(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/aelo_site_classes: per ASCE 7 version, the site classes with their vs30
    values (m/s) and labels."""
    return json_response({version: {cls: {"vs30": vs30, "label": label}
                                    for cls, (vs30, label) in classes.items()}
                          for version, classes in AELO_SITE_CLASSES.items()})


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the AELO routes to ``app`` and the e-mail listener to the job queue."""
    ctx.aelo_mailer = AeloMailer(ctx)
    ctx.queue.listeners.append(ctx.aelo_mailer.job_ended)
    app.post("/v1/calc/aelo_run", callback=bind(ctx, aelo_run))
    app.get("/v1/aelo_site_classes", callback=bind(ctx, aelo_site_classes))
