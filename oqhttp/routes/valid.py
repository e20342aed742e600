"""POST /v1/valid/ (NRML validation) and POST /v1/on_same_fs."""
from __future__ import annotations

import os
import shutil
import zlib
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, PermissionDenied
from oqcore.inputs import inside
from oqcore.nrml.reader import MAX_BYTES, parse_string
from oqhttp.responses import json_response
from oqhttp.routes.common import bind, new_scratch_dir, user_shared_dir

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

#: reader messages that mean a hostile document (refused, not merely invalid)
HOSTILE = ("DTDs are not allowed", "entity declarations are not allowed",
           "external entities are not allowed")
#: the files of the job database that nothing but SQLite may open
DB_SIDECARS = ("", "-wal", "-shm", "-journal")


def check_nrml_text(ctx: "ServerContext", text: str) -> None:
    """Parse an NRML document and validate its values (see
    :func:`oqcore.hazard.model.check_nrml_content`); InvalidInput naming the line."""
    from oqcore.hazard.model import check_nrml_content
    data = text.encode("utf-8", "surrogateescape")
    parse_string(data, "xml_text")
    tmp = new_scratch_dir(ctx, "oqhttp-valid-")
    try:
        path = os.path.join(tmp, "xml_text")
        with open(path, "wb") as f:
            f.write(data)
        try:
            check_nrml_content(path, ctx.registry)
        except InvalidInput as exc:
            raise InvalidInput(exc.msg, None, exc.lineno, exc.param) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def valid(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/valid/"""
    text = bottle.request.forms.getunicode("xml_text")
    if not text:
        raise InvalidInput('Please provide the "xml_text" parameter', param="xml_text")
    if len(text) > MAX_BYTES:
        raise InvalidInput("xml_text is longer than %d characters" % MAX_BYTES,
                           param="xml_text")
    try:
        check_nrml_text(ctx, text)
    except InvalidInput as exc:
        body = {"valid": False, "error_msg": str(InvalidInput(exc.msg, None, exc.lineno)),
                "error_line": exc.lineno}
        if any(h in exc.msg for h in HOSTILE):
            return json_response(dict(body, error=body["error_msg"]), 400)
        return json_response(body)
    return json_response({"valid": True, "error_msg": None, "error_line": None})


def owned_dirs(ctx: "ServerContext") -> list[str]:
    """The directories whose files on_same_fs may check for this request: the upload
    directories of the caller's own jobs and the caller's folder of the shared
    directory (``[directory] shared_dir/<user>``), if any."""
    owner = ctx.owner_name()
    shared = user_shared_dir(ctx)
    dirs = [shared] if shared else []
    for job in ctx.db.list_jobs(user_name=owner, relevant_only=False):
        if job["ds_calc_dir"] and os.path.isdir(job["ds_calc_dir"]):
            dirs.append(job["ds_calc_dir"])
    return dirs


def is_job_database(ctx: "ServerContext", path: str) -> bool:
    """True if ``path`` is the job database or one of its SQLite side files (opening
    and closing them outside SQLite would drop SQLite's locks)."""
    real = os.path.realpath(path)
    db = os.path.realpath(ctx.settings.db_file)
    return any(real == db + s for s in DB_SIDECARS)


def on_same_fs(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/on_same_fs

    Answers only for the caller's own files (:func:`owned_dirs`); a path anywhere
    else is a 403 that says nothing about whether such a file exists.
    """
    form = bottle.request.forms
    fname, checksum = form.getunicode("filename"), form.get("checksum")
    if not fname or checksum is None or checksum == "":
        raise InvalidInput('Please provide the "filename" and "checksum" parameters')
    if "\0" in fname or len(fname) > 4096:
        raise InvalidInput("invalid filename", param="filename")
    try:
        expected = int(checksum)
    except ValueError:
        raise InvalidInput("checksum must be an integer, got %r" % checksum[:40],
                           param="checksum") from None
    if not os.path.isabs(fname) or is_job_database(ctx, fname) or not any(
            inside(fname, d) for d in owned_dirs(ctx)):
        raise PermissionDenied("%s is not one of your files on the server" %
                               os.path.basename(fname)[:100])
    real = os.path.realpath(fname)
    if not os.path.isfile(real):  # missing, or a directory, FIFO, device...
        return json_response({"success": False})
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            head = f.read(32)
    except OSError:
        return json_response({"success": False})
    return json_response({"success": zlib.adler32(head, 0) & 0xffffffff == expected})


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the validation routes to ``app``."""
    app.post("/v1/valid/", callback=bind(ctx, valid))
    app.post("/v1/on_same_fs", callback=bind(ctx, on_same_fs))
