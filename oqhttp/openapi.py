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
TAG = _p("name", desc="tag name (1-100 characters; no , / \\ < > quotes or \u2605)")
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
                       _p("is_running", "query", "true/false"),
                       _p("filter_by_tag", "query", "only the jobs with this tag"),
                       _p("preferred_only", "query", "1: only the preferred jobs of tags"),
                       _p("include_shared", "query", "0: not the jobs others shared")],
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
                   "motions of ASCE 7 and ASCE 41); the owner is e-mailed when it ends. "
                   "Only in AELO mode (404 otherwise)",
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
    ("POST", "/v1/calc/run_ini"): {
        "summary": "Run the job.ini at a path on the server (a file of the caller's folder "
                   "of [directory] shared_dir; its inputs must stay there); not in AELO mode",
        "requestBody": _form({"job_ini": "absolute path of the job.ini on the server",
                              "hazard_job_id": "parent calculation",
                              "job_owner": "owner of the job (public mode or superusers)",
                              "notify_to": "not supported: 400 when given"}),
        "responses": {"200": _ok("OpenQuake's job fields (job_id, status, description, "
                                 "user_name, calculation_mode, hazard_calculation_id, "
                                 "...) and outputs_uri, log_uri, traceback_uri"),
                      "400": ERR, "403": ERR, "404": ERR}},
    ("POST", "/v1/calc/validate_ini"): {
        "summary": "Check a job.ini as run_ini would (nothing is run): a path on the "
                   "server (form field) or an uploaded job.ini; not in AELO mode",
        "requestBody": _form({"job_ini": "path on the server, or the uploaded file"},
                             ("job_ini",)),
        "responses": {"200": _ok("{valid, error_msg, error_line}"), "400": ERR,
                      "403": ERR, "404": ERR, "413": ERR}},
    ("GET", "/v1/calc/jobs_from_inis"): {
        "summary": "For each job.ini on the server (as run_ini), the ID of the newest "
                   "complete calculation visible to the caller with the same input "
                   "checksum, 0 if none",
        "parameters": [_p("ini", "query", "path of a job.ini (repeatable, at most 100)",
                          required=False)],
        "responses": {"200": _ok("{success: [IDs], error: ''}"),
                      "400": _ok("{success: [], error}"), "403": ERR}},
    ("POST", "/v1/calc/run_scenario_calc_from_ses_rupture/{rup_id}"): {
        "summary": "OpenQuake's PAPERS entry point (a scenario damage job for a rupture of "
                   "the PAPERS event set): this server has no PAPERS data set, 404",
        "parameters": [_p("rup_id", desc="rupture ID (integer)")],
        "requestBody": _form({"consequence_model": "JSON list", "exposure_filepath": "",
                              "fragility_curves": "", "mapping": "", "job_owner": "",
                              "notify_to": ""}),
        "responses": {"400": ERR, "404": ERR}},
    ("GET", "/v1/calc/{calc_id}/job_zip"): {
        "summary": "The input files of a calculation as job_<id>.zip (superusers only in "
                   "authenticated mode)",
        "parameters": [CALC],
        "responses": {"200": _ok("zip", "application/x-zip"), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/download_png/{name}"): {
        "summary": "An image of a calculation: one it stored (AELO: governing_mce.png, "
                   "hcurves.png, disagg_by_src-All-IMTs.png), else <output type>.png drawn "
                   "by the output's png exporter (AELO's mce_spectra.png, mce.png too)",
        "parameters": [CALC, _p("name", desc="NAME.png")],
        "responses": {"200": _ok("image", "image/png"), "409": ERR, "410": INCOMPLETE,
                      **ON_CALC}},
    ("POST", "/v1/calc/{calc_id}/share"): {
        "summary": "Share a complete calculation: every logged-in user may read and reuse "
                   "it; its status shows 'shared' (superusers only in authenticated mode)",
        "parameters": [CALC],
        "responses": {"200": _ok("{success}"), **ON_CALC}},
    ("POST", "/v1/calc/{calc_id}/unshare"): {
        "summary": "Unshare a calculation (status back to 'complete')",
        "parameters": [CALC],
        "responses": {"200": _ok("{success}"), **ON_CALC}},
    ("GET", "/v1/calc/list_tags"): {
        "summary": "Every tag name",
        "responses": {"200": _ok("{success: 'ok', tags: [names]}")}},
    ("GET", "/v1/calc/create_tag/{name}"): {
        "summary": "Create a tag (superusers only in authenticated mode)",
        "parameters": [TAG], "responses": {"200": _ok("{success}"), "400": ERR, "403": ERR}},
    ("GET", "/v1/calc/delete_tag/{name}"): {
        "summary": "Delete a tag and its associations",
        "parameters": [TAG], "responses": {"200": _ok("{success}"), "400": ERR, "403": ERR}},
    ("GET", "/v1/calc/{calc_id}/add_tag/{name}"): {
        "summary": "Tag a calculation (the tag is created if needed); 403 if it has it",
        "parameters": [CALC, TAG], "responses": {"200": _ok("{success}"), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/remove_tag/{name}"): {
        "summary": "Remove a tag from a calculation",
        "parameters": [CALC, TAG], "responses": {"200": _ok("{success}"), **ON_CALC}},
    ("GET", "/v1/calc/{calc_id}/set_preferred_job_for_tag/{name}"): {
        "summary": "Make a calculation the preferred one of a tag (tagging it if needed)",
        "parameters": [CALC, TAG], "responses": {"200": _ok("{success}"), **ON_CALC}},
    ("GET", "/v1/calc/unset_preferred_job_for_tag/{name}"): {
        "summary": "The tag has no preferred calculation any more",
        "parameters": [TAG], "responses": {"200": _ok("{success}"), "400": ERR, "403": ERR}},
    ("GET", "/v1/calc/get_preferred_job_for_tag/{name}"): {
        "summary": "The preferred calculation of a tag (job_id null if none)",
        "parameters": [TAG],
        "responses": {"200": _ok("{success: 'ok', job_id}"), "400": ERR}},
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
            ("size_mb", "number"), ("start_time", "string"), ("relevant", "boolean"),
            ("tags", "string"))}},
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
