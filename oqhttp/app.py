"""The Bottle application of the engine server: :func:`create_app` builds it.

Nothing happens at import time: the app, its job queue and its database access are
made by :func:`create_app`, and stopped by ``app.close()``.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Any

import bottle

from oqcore.errors import InvalidInput, NotFound
from oqcore.jobs.procs import os_user
from oqhttp import auth, responses, uploads
from oqhttp.responses import error_response

log = logging.getLogger("oqhttp")

MB = 1024 ** 2
#: paths open without a session in authenticated mode
PUBLIC_PATHS = ("/accounts/ajax_login/", "/accounts/ajax_logout/", "/v1/openapi.json")
#: routes that answer 404 in AELO mode (jobs are submitted only through aelo_run)
AELO_MODE_HIDDEN = ("/v1/calc/run", "/v1/calc/validate_zip", "/v1/calc/run_ini",
                    "/v1/calc/validate_ini")
_INT = re.compile(r"^-?\d{1,18}$")


class ServerContext:
    """What every route needs: registry, settings, engine, job DB, queue, accounts.

    :param registry: the plugin registry
    :param settings: the engine :class:`oqcore.config.Settings`
    :param engine: the :class:`oqcore.jobs.runner.Engine` (built when None)
    """
    name = "oqhttp_context"
    api = 2

    def __init__(self, registry, settings, engine=None):
        from oqcore.jobs.runner import Engine
        from oqhttp.queue import JobQueue
        self.registry = registry
        self.settings = settings
        self.engine = engine or Engine(settings, registry)
        self.db = self.engine.db
        #: AELO mode ([webui] application_mode = AELO): login required, and AELO jobs
        #: are the only jobs that can be submitted
        self.aelo_mode = str(settings.application_mode).upper() == "AELO"
        self.auth_enabled = bool(settings.authentication) or self.aelo_mode
        self.accounts = auth.Accounts(self.db, settings.secret_key)
        self.queue = JobQueue(self.engine, settings.concurrent_jobs)
        self.limits = auth.Limits(settings)
        self.mailer = auth.ResetMailer(self.accounts, settings.smtp,
                                       settings.reset_link_minutes)
        self.os_user = os_user()
        self.max_body = int(settings.max_upload_mb * MB)
        self.max_unzipped = int(settings.max_unzipped_mb * MB)
        #: what the uploads being unpacked at the same time may write, together
        self.expansion = uploads.ExpansionBudget(self.max_unzipped)

    # -------------------------------------------------------- bottle plugin API
    def apply(self, callback: Any, route: Any) -> Any:
        """No wrapping: the context is a plugin only to be closed with the app."""
        return callback

    def close(self) -> None:
        """Stop the job queue and the reset mailer (called by ``app.close()``)."""
        self.queue.stop()
        self.mailer.close()

    # -------------------------------------------------------- request helpers
    def user(self) -> auth.User | None:
        """The logged-in user of this request (None if anonymous)."""
        return bottle.request.environ.get("oqhttp.user")

    def owner_name(self) -> str:
        """The owner of jobs submitted by this request."""
        user = self.user()
        if self.auth_enabled and user is not None:
            return user.name
        return self.os_user

    def base_url(self) -> str:
        """``http://host[:port]`` as seen by the client (or [webui] base_url)."""
        if self.settings.base_url:
            return self.settings.base_url.rstrip("/")
        parts = bottle.request.urlparts
        return "%s://%s" % (parts.scheme, parts.netloc)

    def parse_int(self, value: str | None, name: str, default: int | None = None) -> int:
        """An integer request value, or a 400 naming it."""
        if value is None or value == "":
            if default is None:
                raise InvalidInput('Please provide the "%s" parameter' % name, param=name)
            return default
        if not _INT.match(value.strip()):
            raise InvalidInput("%s must be an integer, got %r" % (name, value[:40]),
                               param=name)  # the name is in the message
        return int(value)

    def job(self, calc_id: str, action: str = "see") -> dict:
        """The job row of ``calc_id`` (negative = counted from the last one).

        400 for a non-numeric ID; 404 for an unknown or removed one, and the very
        same 404 when the user may not ``action`` it (IDs cannot be probed).
        """
        cid = self.parse_int(calc_id, "calc_id")
        user = self.user()
        mine = user.name if (self.auth_enabled and user is not None and
                             not user.is_superuser) else None
        try:
            job_id = self.db.resolve_id(cid, mine)
            job = self.db.get_job(job_id)
        except NotFound:
            raise auth.unknown_job(calc_id) from None
        if job["status"] == "deleted":
            raise auth.unknown_job(calc_id)
        auth.check_job(user, job, self.auth_enabled, action, calc_id)
        return job

    def visible_jobs(self, jobs: list[dict]) -> list[dict]:
        """The jobs this request's user may see."""
        user = self.user()
        return [j for j in jobs if auth.can_see_job(user, j, self.auth_enabled)]


def create_app(registry, settings, engine=None) -> bottle.Bottle:
    """Build the engine server application.

    :param registry: the plugin registry (:func:`oqcore.load_registry`)
    :param settings: the engine Settings (:meth:`oqcore.config.Settings.load`)
    :param engine: an existing :class:`oqcore.jobs.runner.Engine` to use
    :returns: a Bottle app; its job queue runs until ``app.close()``. Jobs left
        unfinished by a previous server are marked failed first.
    """
    from oqhttp.routes import (accounts, aelo, calc, extract, inis, meta, page, results,
                               tags, valid)
    app = bottle.Bottle()
    app.config["json.enable"] = False  # every body goes through oqhttp.responses
    ctx = ServerContext(registry, settings, engine)
    app.config["oqhttp.context"] = ctx
    app.install(ctx)
    app.install(responses.ErrorMapper())
    responses.install_error_pages(app)

    @app.hook("before_request")
    def _guard() -> None:
        req = bottle.request
        length = req.content_length
        if length > ctx.max_body:
            raise error_response(413, "The request body (%.1f MB) exceeds the limit of "
                                 "%g MB" % (length / MB, settings.max_upload_mb))
        if ctx.aelo_mode and req.path in AELO_MODE_HIDDEN:
            raise error_response(404, "Not found: %s is not available in AELO mode"
                                 % req.path)
        user = None
        cookie = req.get_cookie(auth.SESSION_COOKIE)
        if cookie and ctx.auth_enabled:
            user = ctx.accounts.session_user(cookie)
        req.environ["oqhttp.user"] = user
        if ctx.auth_enabled and user is None and req.path.startswith("/v1/") and (
                req.path not in PUBLIC_PATHS):
            raise error_response(403, "Authentication required: log in through "
                                 "/accounts/ajax_login/")

    @app.hook("after_request")
    def _cors() -> None:
        if bottle.request.path.startswith("/v1/"):
            bottle.response.set_header("Access-Control-Allow-Origin", "*")

    # tags first: /v1/calc/create_tag/<name> before /v1/calc/<calc_id>/<route>
    for module in (tags, inis, calc, results, extract, aelo, valid, meta, accounts, page):
        module.install(app, ctx)
    recovered = ctx.engine.recover()
    if recovered:
        log.warning("marked failed the unfinished jobs %s", recovered)
    ctx.queue.start()
    os.makedirs(settings.datadir, exist_ok=True)
    return app


def context_of(app: bottle.Bottle) -> ServerContext:
    """The ServerContext of an app made by :func:`create_app`."""
    return app.config["oqhttp.context"]


def request_context() -> ServerContext:
    """The ServerContext of the app answering the current request (for route handlers
    written as module-level functions)."""
    return context_of(bottle.request.app)
