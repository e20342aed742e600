"""POST /v1/valid/ (NRML validation) and POST /v1/on_same_fs."""
from __future__ import annotations

import os
import tempfile
import zlib
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, PermissionDenied
from oqcore.nrml.reader import parse_string
from oqhttp.responses import json_response

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

#: reader messages that mean a hostile document (refused, not merely invalid)
HOSTILE = ("DTDs are not allowed", "entity declarations are not allowed",
           "external entities are not allowed")


def allowed_dirs(settings) -> list[str]:
    """The directories on_same_fs may look into: data, temporary, shared."""
    dirs = [settings.datadir, settings.custom_tmp or tempfile.gettempdir(),
            settings.shared_dir]
    return [os.path.realpath(d) for d in dirs if d]


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the validation routes to ``app``."""

    @app.post("/v1/valid/")
    def valid() -> bottle.HTTPResponse:
        """POST /v1/valid/"""
        text = bottle.request.forms.getunicode("xml_text")
        if not text:
            raise InvalidInput('Please provide the "xml_text" parameter', param="xml_text")
        try:
            parse_string(text)
        except InvalidInput as exc:
            body = {"valid": False, "error_msg": str(exc), "error_line": exc.lineno}
            if any(h in exc.msg for h in HOSTILE):
                return json_response(dict(body, error=str(exc)), 400)
            return json_response(body)
        return json_response({"valid": True, "error_msg": None, "error_line": None})

    @app.post("/v1/on_same_fs")
    def on_same_fs() -> bottle.HTTPResponse:
        """POST /v1/on_same_fs"""
        form = bottle.request.forms
        fname, checksum = form.getunicode("filename"), form.get("checksum")
        if not fname or checksum is None or checksum == "":
            raise InvalidInput('Please provide the "filename" and "checksum" parameters')
        try:
            expected = int(checksum)
        except ValueError:
            raise InvalidInput("checksum must be an integer, got %r" % checksum[:40],
                               param="checksum") from None
        real = os.path.realpath(fname)
        if not any(os.path.commonpath([real, d]) == d for d in allowed_dirs(ctx.settings)):
            raise PermissionDenied("%s is outside the data, temporary and shared "
                                   "directories of the server" % os.path.basename(fname))
        if not os.path.isfile(real):  # missing, or a directory, FIFO, device...
            return json_response({"success": False})
        try:
            with open(real, "rb") as f:
                head = f.read(32)
        except OSError:
            return json_response({"success": False})
        return json_response({"success": zlib.adler32(head, 0) & 0xffffffff == expected})
