"""The OpenAPI 3 description of every route, served at /v1/openapi.json.

:data:`ROUTES` is written by hand; ``tests/http/test_meta.py::test_openapi_matches_the_routes``
checks that it names exactly the routes of the app, method by method.
"""
from __future__ import annotations

import re

from oqcore import ENGINE_VERSION, __version__

_J = "application/json"


def _p(name: str, where: str = "path", desc: str = "", schema: str = "string",
       required: bool | None = None) -> dict:
    return {"name": name, "in": where, "description": desc,
            "required": where == "path" if required is None else required,
            "schema": {"type": schema}}


CALC = _p("calc_id", desc="calculation ID (negative: counted from the last one)")
ERR = {"description": "error", "content": {_J: {"schema": {"$ref":
                                                            "#/components/schemas/Error"}}}}


def _ok(desc: str, ctype: str = _J, schema: dict | None = None) -> dict:
    return {"description": desc, "content": {ctype: {"schema": schema or {}}}}


def _form(fields: dict, files: tuple = ()) -> dict:
    props = {k: {"type": "string", "description": v} for k, v in fields.items()}
    for f in files:
        props[f] = {"type": "array", "items": {"type": "string", "format": "binary"}}
    ctype = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    return {"content": {ctype: {"schema": {"type": "object", "properties": props}}}}


ON_CALC = {"400": ERR, "403": ERR, "404": ERR}
INCOMPLETE = dict(ERR, description="the job failed or was killed: its datastore is "
                  "incomplete")
BUSY = dict(ERR, description="concurrent uploads are being unpacked: retry later")

#: (method, path) -> operation
ROUTES: dict[tuple[str, str], dict] = {
    ("GET", "/v1/calc/list"): {
        "summary": "List the calculations, newest first",
        "parameters": [_p("limit", "query", "at most this many (default 100)", "integer"),
                       _p("offset", "query", "skip this many", "integer"),
                       _p("user", "query", "only the jobs of this user"),
                       _p("status", "query", "only the jobs in this status"),
                       _p("calculation_mode", "query", "only this calculation mode"),
                       _p("is_running", "query", "true/false")],
        "responses": {"200": _ok("list of jobs", schema={
            "type": "array", "items": {"$ref": "#/components/schemas/Job"}}), "400": ERR}},
    ("GET", "/v1/calc/{calc_id}/status"): {
        "summary": "The status of a calculation (an item of the list)",
        "parameters": [CALC], "responses": {"200": _ok("job", schema={
            "$ref": "#/components/schemas/Job"}), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}"): {
        "summary": "Status and times of a calculation", "parameters": [CALC],
        "responses": {"200": _ok("job info"), "405": ERR, **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/traceback"): {
        "summary": "The traceback of a failed calculation (list of lines)",
        "parameters": [CALC], "responses": {"200": _ok("lines"), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/log/{spec}"): {
        "summary": "A slice [start]:[stop] of the log (rows [time, level, process, "
                   "message]), or 'size' for the number of rows",
        "parameters": [CALC, _p("spec", desc="'start:stop' (both optional) or 'size'")],
        "responses": {"200": _ok("rows or number"), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/results"): {
        "summary": "The outputs of a calculation", "parameters": [CALC],
        "responses": {"200": _ok("outputs", schema={"type": "array", "items": {
            "$ref": "#/components/schemas/Output"}}), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/result/list"): {
        "summary": "Same as /v1/calc/{calc_id}/results", "parameters": [CALC],
        "responses": {"200": _ok("outputs"), **ON_CALC}},
    ("GET", "/v1/calc/result/{result_id}"): {
        "summary": "Download an output in a format",
        "parameters": [_p("result_id", desc="output ID"),
                       _p("export_type", "query", "the format (default: the first one)"),
                       _p("dload", "query", "true: as an attachment")],
        "responses": {"200": _ok("the file, or a zip of files", "application/octet-stream"),
                      "409": ERR, "410": INCOMPLETE, **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/extract/{spec}"): {
        "summary": "Extract data as .npz (NAME, NAME?QUERY, NAME/REST, NAME.attrs)",
        "parameters": [CALC, _p("spec", desc="extract spec; the query string is passed "
                                             "on")],
        "responses": {"200": _ok("npz", "application/octet-stream"), "409": ERR,
                      "410": INCOMPLETE, **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/datastore"): {
        "summary": "Download the HDF5 datastore (not for level-0 users)",
        "parameters": [CALC],
        "responses": {"200": _ok("calc_<id>.hdf5", "application/x-hdf"), "409": ERR,
                      "410": INCOMPLETE, **ON_CALC}},
    ("POST", "/v1/calc/{calc_id}/abort"): {
        "summary": "Abort a queued or running calculation (SIGTERM)", "parameters": [CALC],
        "responses": {"200": _ok("{success}"), "409": ERR, **ON_CALC}},
    ("POST", "/v1/calc/{calc_id}/remove"): {
        "summary": "Remove a calculation: its row, logs, outputs and files",
        "parameters": [CALC],
        "responses": {"200": _ok("{success}"), "409": ERR, **ON_CALC}},
    ("POST", "/v1/calc/run"): {
        "summary": "Run a calculation (every input must be a file of the upload)",
        "requestBody": _form({"hazard_job_id": "parent calculation",
                              "hazard_result": "an output of the parent calculation",
                              "job_ini": "the name of the job file in the upload"},
                             ("archive", "job_config", "input_model_1")),
        "responses": {"200": _ok("{status, job_id, outputs_uri, log_uri, traceback_uri}"),
                      "400": ERR, "403": ERR, "413": ERR, "503": BUSY}},
    ("POST", "/v1/calc/aelo_run"): {
        "summary": "Run an AELO calculation for a site of the mosaic (design ground "
                   "motions of ASCE 7 and ASCE 41); the owner is e-mailed when it ends",
        "requestBody": _form({"lon": "longitude in [-180, 180]",
                              "lat": "latitude in [-90, 90]",
                              "vs30": "m/s in [150, 3000], one or more values "
                                      "(optional with a site class other than custom)",
                              "site_name": "site name (alias: siteid)",
                              "site_class": "optional, see /v1/aelo_site_classes",
                              "asce_version": "ASCE7-16 (default) or ASCE7-22"}),
        "responses": {"200": _ok("{status, job_id, outputs_uri, log_uri, traceback_uri"
                                 "[, WARNING]}"),
                      "400": ERR, "403": ERR, "404": ERR}},
    ("GET", "/v1/aelo_site_classes"): {
        "summary": "The AELO site classes per ASCE 7 version, with their vs30 values",
        "responses": {"200": _ok("{version: {class: {vs30, label}}}")}},
    ("POST", "/v1/calc/validate_zip"): {
        "summary": "Check a job.zip as run would (nothing is run)",
        "requestBody": _form({"job_ini": "the name of the job file in the upload"},
                             ("archive",)),
        "responses": {"200": _ok("{valid, error_msg, error_line}"), "400": ERR,
                      "403": ERR, "413": ERR, "503": BUSY}},
    ("POST", "/v1/valid/"): {
        "summary": "Check an NRML text: syntax, and the values of source models and GSIM "
                   "logic trees",
        "requestBody": _form({"xml_text": "NRML"}),
        "responses": {"200": _ok("{valid, error_msg, error_line}"), "400": ERR}},
    ("POST", "/v1/on_same_fs"): {
        "summary": "Whether the server sees one of the caller's files (adler32 of its "
                   "first 32 bytes, start value 0); only files of the caller's uploads "
                   "and of shared_dir/<user>; 403 for any other path",
        "requestBody": _form({"filename": "path", "checksum": "integer"}),
        "responses": {"200": _ok("{success}"), "400": ERR, "403": ERR}},
    ("GET", "/v1/ini_defaults"): {
        "summary": "The defaults of the job.ini parameters",
        "responses": {"200": _ok("object")}},
    ("GET", "/v1/engine_version"): {
        "summary": "The OpenQuake engine version emulated",
        "responses": {"200": _ok("version", "text/plain")}},
    ("GET", "/v1/engine_latest_version"): {
        "summary": "Whether a newer version exists ('None': unknown)",
        "responses": {"200": _ok("text", "text/plain")}},
    ("GET", "/v1/available_gsims"): {
        "summary": "The available ground-motion models",
        "responses": {"200": _ok("names")}},
    ("GET", "/v1/plugins"): {
        "summary": "The plugins of the server: what each registered; broken and disabled "
                   "ones with the reason",
        "description": "One object per plugin found (entry points of the 'oqcore' group "
                       "and plugins given to the server): name, module, distribution, "
                       "version, status ('loaded', 'broken': left out because of "
                       "'error', 'disabled': OQCORE_DISABLE_PLUGINS or "
                       "OQCORE_DISABLE_PLUGIN_AUTOLOAD), hooks (the hooks it implements) "
                       "and registered ({calculators, exporters, extractors, params, "
                       "gsims: [names]}).",
        "responses": {"200": _ok("list of plugins", schema={
            "type": "array", "items": {"$ref": "#/components/schemas/Plugin"}})}},
    ("GET", "/v1/openapi.json"): {
        "summary": "This description", "responses": {"200": _ok("OpenAPI 3")}},
    ("POST", "/accounts/ajax_login/"): {
        "summary": "Log in (authenticated mode); sets the session cookie. Too many "
                   "failures for a name or from an address: 429 with Retry-After",
        "requestBody": _form({"username": "", "password": ""}),
        "responses": {"200": _ok("Successful login", "text/plain"), "400": ERR,
                      "403": ERR, "404": ERR, "429": ERR}},
    ("POST", "/accounts/ajax_logout/"): {
        "summary": "Log out", "responses": {"200": _ok("Successful logout", "text/plain"),
                                            "404": ERR}},
    ("GET", "/reset_password/"): {
        "summary": "The page asking for the e-mail address of an account",
        "responses": {"200": _ok("page", "text/html"), "404": ERR}},
    ("POST", "/reset_password/"): {
        "summary": "Send a time-limited reset link to the e-mail address (the same "
                   "answer for any address; 429 with Retry-After when repeated too often)",
        "requestBody": _form({"email": ""}),
        "responses": {"200": _ok("page", "text/html"), "400": ERR, "429": ERR,
                      "503": ERR}},
    ("GET", "/reset_password/confirm/{token}"): {
        "summary": "The page choosing a new password", "parameters": [_p("token")],
        "responses": {"200": _ok("page", "text/html"), "400": _ok("expired", "text/html")}},
    ("POST", "/reset_password/confirm/{token}"): {
        "summary": "Set the new password", "parameters": [_p("token")],
        "requestBody": _form({"new_password": "", "new_password2": ""}),
        "responses": {"200": _ok("page", "text/html"), "400": ERR}},
    ("GET", "/"): {
        "summary": "The web page: calculations, runs, logs, downloads and plots",
        "responses": {"200": _ok("page", "text/html")}},
    ("GET", "/engine/"): {
        "summary": "The web page (the same as /)",
        "responses": {"200": _ok("page", "text/html")}},
    ("GET", "/static/{name}"): {
        "summary": "A file of the web page (JavaScript module or style sheet)",
        "parameters": [_p("name")],
        "responses": {"200": _ok("file", "text/javascript"), "404": ERR}},
}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"],
              "properties": {"error": {"type": "string"}}},
    "Job": {"type": "object", "properties": {
        k: {"type": t} for k, t in (
            ("id", "integer"), ("owner", "string"), ("calculation_mode", "string"),
            ("status", "string"), ("is_running", "boolean"), ("description", "string"),
            ("url", "string"), ("parent_id", "integer"), ("abortable", "boolean"),
            ("size_mb", "number"), ("start_time", "string"), ("relevant", "boolean"))}},
    "Plugin": {"type": "object", "properties": {
        "name": {"type": "string"}, "module": {"type": "string"},
        "distribution": {"type": "string"}, "version": {"type": "string"},
        "status": {"type": "string", "enum": ["loaded", "broken", "disabled"]},
        "error": {"type": "string"},
        "hooks": {"type": "array", "items": {"type": "string"}},
        "registered": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}}}},
    "Output": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "type": {"type": "string"},
        "outtypes": {"type": "array", "items": {"type": "string"}},
        "url": {"type": "string"}, "size_mb": {"type": "number"}}},
}


def openapi_path(rule: str) -> str:
    """A Bottle rule (``/v1/calc/<calc_id>/extract/<spec:path>``) as an OpenAPI path."""
    return re.sub(r"<(\w+)(?::[^>]*)?>", r"{\1}", rule)


def openapi_spec(server_url: str = "") -> dict:
    """The OpenAPI 3 document."""
    paths: dict[str, dict] = {}
    for (method, path), op in ROUTES.items():
        paths.setdefault(path, {})[method.lower()] = dict(
            op, operationId=(method.lower() + path).replace("/", "_").strip("_").replace(
                "{", "").replace("}", ""))
    doc = {"openapi": "3.0.3",
           "info": {"title": "oqcore engine server", "version": __version__,
                    "description": "The OpenQuake engine %s REST API" % ENGINE_VERSION},
           "paths": paths, "components": {"schemas": SCHEMAS}}
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
