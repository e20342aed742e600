"""Sharing and tagging calculations, with OpenQuake's routes and answers:
``POST /v1/calc/:id/share`` and ``/unshare``; ``GET /v1/calc/list_tags``,
``create_tag/:name``, ``delete_tag/:name``, ``:id/add_tag/:name``,
``:id/remove_tag/:name``, ``:id/set_preferred_job_for_tag/:name``,
``unset_preferred_job_for_tag/:name``, ``get_preferred_job_for_tag/:name``.

Answers are ``{"success": ...}`` (200) or ``{"error": ...}`` (403 when the change is
refused, as OpenQuake). In authenticated mode only superusers (level 2) may share,
unshare, create, delete, add, remove or prefer tags; anybody logged in may list
the tags and ask for a preferred job. A shared job is visible to every logged-in
user, who may read and reuse it but not change it.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput
from oqcore.jobs.db import PREFERRED_MARK
from oqhttp.responses import error_response, json_response
from oqhttp.routes.common import bind, require_superuser

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

MAX_TAG = 100
#: characters a tag name may not have: separators of the list's ``tags`` field, the
#: preferred mark, path and markup characters
_FORBIDDEN = re.compile(r"[,/\\<>\"'`%s]" % PREFERRED_MARK)


def tag_name(name: str) -> str:
    """The tag name of a URL, checked: 1 to 100 printable characters, no commas,
    slashes, quotes, angle brackets or the preferred mark, not blank.

    :raises InvalidInput: (400) naming the rule broken
    """
    text = unicodedata.normalize("NFC", name)
    if not text.strip():
        raise InvalidInput("the tag name is empty", param="tag_name")
    if len(text) > MAX_TAG:
        raise InvalidInput("the tag name has more than %d characters" % MAX_TAG,
                           param="tag_name")
    if text != text.strip() or _FORBIDDEN.search(text) or any(
            unicodedata.category(c).startswith("C") for c in text):
        raise InvalidInput("invalid tag name %r: use letters, digits, spaces (not at the "
                           "ends) and punctuation other than , / \\ < > quotes and %s"
                           % (text[:40], PREFERRED_MARK), param="tag_name")
    return text


def _calc_for_change(ctx: "ServerContext", calc_id: str, what: str) -> dict:
    """The job ``calc_id`` that the caller (a superuser in authenticated mode) may
    change; 403 before any lookup for other users, 404 for an unknown job."""
    require_superuser(ctx, what)
    return ctx.job(calc_id, what)


def share(ctx: "ServerContext", calc_id: str, shared: bool) -> bottle.HTTPResponse:
    """Share (or unshare) a calculation: only a complete job can be shared."""
    job = _calc_for_change(ctx, calc_id, "share calculations" if shared else
                           "unshare calculations")
    job_id = job["id"]
    old = "shared" if job.get("shared") and job["status"] == "complete" else job["status"]
    new = "shared" if shared else "complete"
    if old == new:
        return json_response({"success": "Calculation %d was already %s" % (job_id, old)})
    if old not in ("complete", "shared"):
        if shared:
            msg = 'Can not share calculation %d from status "%s"' % (job_id, old)
        else:
            msg = ('Can not force the status of calculation %d from "%s" to "complete"'
                   % (job_id, old))
        return error_response(403, msg)
    ctx.db.set_shared(job_id, shared)
    return json_response({"success": 'The status of calculation %d was changed from "%s" '
                                     'to "%s"' % (job_id, old, new)})


def calc_share(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """POST /v1/calc/<calc_id>/share"""
    return share(ctx, calc_id, True)


def calc_unshare(ctx: "ServerContext", calc_id: str) -> bottle.HTTPResponse:
    """POST /v1/calc/<calc_id>/unshare"""
    return share(ctx, calc_id, False)


def list_tags(ctx: "ServerContext") -> bottle.HTTPResponse:
    """GET /v1/calc/list_tags"""
    return json_response({"success": "ok", "tags": ctx.db.tag_names()})


def create_tag(ctx: "ServerContext", name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/create_tag/<name>"""
    require_superuser(ctx, "create tags")
    name = tag_name(name)
    if ctx.db.create_tag(name):
        return json_response({"success": "Tag %s was created" % name})
    return json_response({"success": "Tag %s already exists" % name})


def delete_tag(ctx: "ServerContext", name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/delete_tag/<name>"""
    require_superuser(ctx, "delete tags")
    name = tag_name(name)
    if ctx.db.delete_tag(name):
        return json_response({"success": "Tag %s was deleted" % name})
    return json_response({"success": "Tag %s does not exist" % name})


def add_tag(ctx: "ServerContext", calc_id: str, name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/add_tag/<name> (the tag is created if needed)"""
    job = _calc_for_change(ctx, calc_id, "tag calculations")
    name = tag_name(name)
    if not ctx.db.add_job_tag(job["id"], name):
        return error_response(403, "Job %d has the tag %s already" % (job["id"], name))
    return json_response({"success": "The tag %s was added to job %d" % (name, job["id"])})


def remove_tag(ctx: "ServerContext", calc_id: str, name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/remove_tag/<name>"""
    job = _calc_for_change(ctx, calc_id, "untag calculations")
    name = tag_name(name)
    if ctx.db.remove_job_tag(job["id"], name):
        return json_response({"success": "Tag %s was removed from job %d" % (
            name, job["id"])})
    return json_response({"success": "Tag %s was not associated with job %d" % (
        name, job["id"])})


def set_preferred(ctx: "ServerContext", calc_id: str, name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/<calc_id>/set_preferred_job_for_tag/<name>"""
    job = _calc_for_change(ctx, calc_id, "set the preferred job of a tag")
    name = tag_name(name)
    ctx.db.set_preferred(job["id"], name)
    return json_response({"success": "Job %d was set as preferred for tag %s" % (
        job["id"], name)})


def unset_preferred(ctx: "ServerContext", name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/unset_preferred_job_for_tag/<name>"""
    require_superuser(ctx, "unset the preferred job of a tag")
    name = tag_name(name)
    ctx.db.unset_preferred(name)
    return json_response({"success": "Tag %s has no preferred job now" % name})


def get_preferred(ctx: "ServerContext", name: str) -> bottle.HTTPResponse:
    """GET /v1/calc/get_preferred_job_for_tag/<name>: ``{"success": "ok", "job_id"}``
    (null when the tag has no preferred job, or one the caller may not see)."""
    name = tag_name(name)
    job_id = ctx.db.preferred_job(name)
    if job_id is not None and not ctx.visible_jobs([ctx.db.get_job(job_id)]):
        job_id = None
    return json_response({"success": "ok", "job_id": job_id})


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the share and tag routes to ``app`` (before the /v1/calc/<calc_id> route
    matches ``list_tags`` as an ID)."""
    app.post("/v1/calc/<calc_id>/share", callback=bind(ctx, calc_share))
    app.post("/v1/calc/<calc_id>/unshare", callback=bind(ctx, calc_unshare))
    app.get("/v1/calc/list_tags", callback=bind(ctx, list_tags))
    app.get("/v1/calc/create_tag/<name>", callback=bind(ctx, create_tag))
    app.get("/v1/calc/delete_tag/<name>", callback=bind(ctx, delete_tag))
    app.get("/v1/calc/<calc_id>/add_tag/<name>", callback=bind(ctx, add_tag))
    app.get("/v1/calc/<calc_id>/remove_tag/<name>", callback=bind(ctx, remove_tag))
    app.get("/v1/calc/<calc_id>/set_preferred_job_for_tag/<name>",
            callback=bind(ctx, set_preferred))
    app.get("/v1/calc/unset_preferred_job_for_tag/<name>",
            callback=bind(ctx, unset_preferred))
    app.get("/v1/calc/get_preferred_job_for_tag/<name>", callback=bind(ctx, get_preferred))
