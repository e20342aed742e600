"""POST /v1/calc/aelo_run: an AELO calculation for one site.

The calculation itself belongs to an ``aelo`` calculator plugin; without one the route
answers 404 saying so. The inputs are checked here and written to a job.ini
(``calculation_mode = aelo``, ``sites``, ``reference_vs30_value``, ``description =
AELO for <site_name>``) run like any other job.
"""
from __future__ import annotations

import os
import re
import shutil
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, UnknownPlugin
from oqhttp.responses import error_response, json_response
from oqhttp.routes.common import bind, new_upload_dir, submit

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

_SITE_NAME = re.compile(r"^[\w\-:. ]{1,100}$", re.ASCII)
VS30_MIN, VS30_MAX = 150.0, 1525.0


def _float(value, label, lo, hi, name):
    if value is None or str(value).strip() == "":
        return None, '%s: "must be given"' % label
    try:
        x = float(value)
    except ValueError:
        return None, '%s: "%r is not a float"' % (label, value[:20])
    if not lo <= x <= hi:
        return None, '%s: "%s %s is outside [%s, %s]"' % (label, name, x, lo, hi)
    return x, None


def check_inputs(form) -> tuple[dict, list[str], list[str]]:
    """Validate lon, lat, vs30, site_name (or the spec's ``siteid``).

    :returns: (values, messages, names of the invalid inputs)
    """
    values, msgs, bad = {}, [], []
    for name, label, lo, hi in (("lon", "Longitude", -180.0, 180.0),
                                ("lat", "Latitude", -90.0, 90.0),
                                ("vs30", "Vs30", VS30_MIN, VS30_MAX)):
        x, msg = _float(form.get(name), label, lo, hi, name)
        if msg:
            msgs.append(msg)
            bad.append(name)
        values[name] = x
    site = (form.get("site_name") or form.get("siteid") or "").strip()
    if not site:
        msgs.append('Site name: "can not be empty"')
        bad.append("site_name")
    elif not _SITE_NAME.match(site):
        msgs.append('Site name: "only letters, digits, spaces and _-:. are allowed"')
        bad.append("site_name")
    values["site_name"] = site
    for opt in ("site_class", "asce_version"):
        v = (form.get(opt) or "").strip()
        if v and not re.match(r"^[\w.\-]{1,40}$", v, re.ASCII):
            msgs.append('%s: "invalid value"' % opt)
            bad.append(opt)
        values[opt] = v
    return values, msgs, bad


def job_ini_text(values: dict) -> str:
    """The job.ini of an AELO run."""
    lines = ["[general]", "calculation_mode = aelo",
             "description = AELO for %s" % values["site_name"],
             "sites = %s %s" % (values["lon"], values["lat"]),
             "reference_vs30_value = %s" % values["vs30"]]
    for opt in ("site_class", "asce_version"):
        if values.get(opt):
            lines.append("%s = %s" % (opt, values[opt]))
    return "\n".join(lines) + "\n"


def aelo_run(ctx: "ServerContext") -> bottle.HTTPResponse:
    """POST /v1/calc/aelo_run"""
    try:
        ctx.registry.calculator("aelo")
    except UnknownPlugin:
        return error_response(404, "AELO is not available on this server: no 'aelo' "
                              "calculator is registered")
    values, msgs, bad = check_inputs(bottle.request.forms)
    if bad:
        head = "Invalid input value" + ("s" if len(bad) > 1 else "")
        return json_response({"status": "failed", "error": head,
                              "error_msg": "\n".join([head] + msgs),
                              "invalid_inputs": bad}, 400)
    dest = new_upload_dir(ctx)
    ini = os.path.join(dest, "job.ini")
    try:
        with open(ini, "w", encoding="utf-8") as f:
            f.write(job_ini_text(values))
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    try:
        return submit(ctx, dest, ini)  # removes dest on failure
    except InvalidInput as exc:
        return json_response({"status": "failed", "error": str(exc),
                              "error_cls": type(exc).__name__,
                              "error_msg": str(exc)}, 400)


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the AELO route to ``app``."""
    app.post("/v1/calc/aelo_run", callback=bind(ctx, aelo_run))
