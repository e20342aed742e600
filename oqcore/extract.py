"""Extraction: ArrayWrapper, spec-string parsing (NAME, NAME?QUERY, NAME/REST) and the
.npz encoding served by ``oq extract`` and ``GET /v1/calc/:id/extract/:spec``.
"""
from __future__ import annotations

import ast
import io
import json
import logging
import urllib.parse
import zipfile
from typing import Any

import h5py
import numpy as np

from oqcore.errors import InvalidInput, OqcoreError


class ArrayWrapper:
    """An optional main ``array`` plus named attributes; ``extra`` defaults to ["value"].

    Public attributes (not starting with ``_``) become npz members (see :meth:`members`);
    ``vars(aw)`` and ``aw.to_dict()`` give them as a dict, ``aw[name]`` one of them.
    """

    def __init__(self, array=None, attrs: dict | None = None, extra=None):
        if array is not None and not (getattr(array, "ndim", 1) > 0 and len(array) == 0):
            self.array = array
        for k, v in (attrs or {}).items():
            setattr(self, k, v)
        if "extra" not in self.__dict__:
            self.extra = ["value"] if extra is None else list(extra)

    def members(self) -> list[str]:
        """Public attribute names in npz order: the attributes in insertion order, then
        ``extra``, then ``array`` (the order of the reference answers)."""
        last = [n for n in ("extra", "array") if n in self.__dict__]
        names = [n for n in self.__dict__ if not n.startswith("_") and n not in last]
        return names + last

    def to_dict(self) -> dict:
        """The public attributes as a dict (npz order)."""
        return {n: getattr(self, n) for n in self.members()}

    def __getitem__(self, name: str):
        try:
            return self.__dict__[name]
        except KeyError:
            raise KeyError("%r is not a member of this result: it has %s" % (
                name, ", ".join(self.members()))) from None

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__

    @property
    def shape(self) -> tuple:
        """The shape of ``array`` (() when there is none)."""
        return tuple(getattr(self.__dict__.get("array"), "shape", ()))

    def __repr__(self):
        if "array" in self.__dict__:
            return "<ArrayWrapper%s>" % (self.shape,)
        return "<ArrayWrapper %s>" % " ".join(self.members())


class Table:
    """A table (DataFrame-like): ordered columns of equal length."""

    def __init__(self, columns: dict[str, Any]):
        self.columns = {k: np.asarray(v) for k, v in columns.items()}

    def to_dict(self) -> dict:
        """The columns in order."""
        return dict(self.columns)


def _plain_dtype(dt: np.dtype) -> np.dtype:
    """The same structured dtype without metadata (recursively)."""
    if dt.names:
        return np.dtype([(n, _plain_dtype(dt.fields[n][0])) for n in dt.names])
    if dt.subdtype:
        base, shape = dt.subdtype
        return np.dtype((_plain_dtype(base), shape))
    return np.dtype(dt.str)


def _to_npz_value(value):
    if isinstance(value, np.ndarray):
        if value.dtype.names:  # drop the dtype metadata h5py attaches
            try:
                return value.astype(_plain_dtype(value.dtype))
            except (TypeError, ValueError):
                return value
        return value
    if isinstance(value, str):
        return np.array(value.encode("utf-8"))
    if isinstance(value, bytes):
        return np.array(value)
    if isinstance(value, (bool, np.bool_)):
        return np.array(bool(value))
    if isinstance(value, (int, np.integer)):
        return np.array(int(value), np.int64)
    if isinstance(value, (float, np.floating)):
        return np.array(float(value), np.float64)
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            return np.zeros(0)
        if all(isinstance(v, str) for v in value):
            return np.array(value, dtype="U")
        if all(isinstance(v, (bool, np.bool_)) for v in value):
            return np.array(value, bool)
        if all(isinstance(v, (int, np.integer)) for v in value):
            return np.array(value, np.int64)
        try:
            return np.array(value, np.float64)
        except (TypeError, ValueError):
            return np.array(value, dtype=object)
    return np.array(value, dtype=object)


def to_npz_bytes(obj) -> bytes:
    """Encode an ArrayWrapper or Table as compressed .npz bytes."""
    members = obj.to_dict()
    arrays = {}
    for k, v in members.items():
        arr = _to_npz_value(v)
        if arr.dtype.metadata and "vlen" in arr.dtype.metadata:
            arr = np.array([x.decode() if isinstance(x, bytes) else x for x in arr],
                           dtype=object)
        arrays[k] = arr
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def from_npz(data: bytes | str, allow_pickle: bool = False) -> ArrayWrapper:
    """Rebuild an ArrayWrapper from npz bytes or a file path (object members need
    ``allow_pickle``)."""
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with np.load(src, allow_pickle=allow_pickle) as npz:
        attrs = {k: npz[k] for k in npz.files}
    array = attrs.pop("array", None)
    extra = attrs.pop("extra", None)
    aw = ArrayWrapper(array, attrs, list(extra) if extra is not None else None)
    return aw


# ------------------------------------------------------------------ query strings
def literal(value: str):
    """Python-literal evaluation when possible, else the string itself."""
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return value


def parse_query(qs: str) -> dict[str, list]:
    """Parse a query string: repeated keys accumulate; values literal-evaluated.

    ``loss_type`` values keep a literal ``+`` (``structural+nonstructural``).
    """
    out: dict[str, list] = {}
    for key, value in urllib.parse.parse_qsl(qs, keep_blank_values=True):
        if key == "loss_type":
            value = value.replace(" ", "+")
            out.setdefault(key, []).append(value)
        else:
            out.setdefault(key, []).append(literal(value))
    return out


def split_spec(spec: str) -> tuple[str, str, str]:
    """``NAME/REST``, ``NAME?QUERY`` or ``NAME`` -> (name, rest, query).

    With a ``/`` the name receives everything after it (``rest`` may hold ``?``).
    """
    if "/" in spec:
        name, rest = spec.split("/", 1)
        query = rest.split("?", 1)[1] if "?" in rest else ""
        return name, rest, query
    if "?" in spec:
        name, query = spec.split("?", 1)
        return name, "", query
    return spec, "", ""


def normalise_kinds(kinds: list, stats: list[str], num_rlzs: int) -> tuple[list, list, bool]:
    """Expand ``kind`` values (mean, stats, rlzs, rlz-N, quantile-q) -> (names, k, rlzs).

    Unknown names are ignored; ``rlz-N`` is kept verbatim; N >= R raises InvalidInput.
    """
    names, ks, rlzs = [], [], False
    for kind in kinds:
        kind = str(kind)
        if kind == "stats":
            for i, s in enumerate(stats):
                names.append(s)
                ks.append(i)
        elif kind == "rlzs":
            rlzs = True
            for r in range(num_rlzs):
                names.append("rlz-%03d" % r)
                ks.append(r)
        elif kind.startswith("rlz-"):
            try:
                r = int(kind[4:])
            except ValueError:
                continue
            if r >= num_rlzs or r < 0:
                raise InvalidInput("Invalid realization %s: the calculation has %d" % (
                    kind, num_rlzs))
            rlzs = True
            names.append(kind)
            ks.append(r)
        elif kind in stats:
            names.append(kind)
            ks.append(stats.index(kind))
    return names, ks, rlzs


# ------------------------------------------------------------------ dispatching
def _attrs_of(obj) -> dict:
    out = {}
    for k, v in obj.attrs.items():
        if isinstance(v, str):
            v = v.encode("utf-8")
        out[k] = v
    return out


def raw_extract(dstore, key: str) -> ArrayWrapper:
    """The raw datastore fallback: a dataset, a group (member names) or ``key.attrs``."""
    if key.endswith(".attrs"):
        path = key[:-6]
        try:
            obj = dstore[path]
        except KeyError:
            raise KeyError("No %r found in the datastore" % path) from None
        return ArrayWrapper(None, _attrs_of(obj))
    try:
        obj = dstore[key]
    except KeyError:
        raise KeyError("No %r found in the datastore" % key) from None
    if isinstance(obj, h5py.Dataset):
        arr = obj[()]
        return ArrayWrapper(arr if np.ndim(arr) else np.asarray(arr), _attrs_of(obj))
    return ArrayWrapper(np.array(list(obj.keys()), dtype="U"), _attrs_of(obj))


def extract(dstore, spec: str, registry):
    """Run an extract spec string on a datastore; return an ArrayWrapper or Table.

    Dispatch: NAME/REST and NAME?QUERY need a registered NAME (UnknownPlugin
    otherwise); a bare registered NAME gets an empty query; anything else is a raw
    datastore path (with ``.attrs`` giving the attributes of that path).
    """
    name, rest, query = split_spec(spec)
    if "/" in spec or "?" in spec:
        ext = registry.extractor(name)
        return ext.func(dstore, parse_query(query), rest.split("?", 1)[0] if rest else "")
    if name in registry.extractors():
        return registry.extractor(name).func(dstore, {}, "")
    return raw_extract(dstore, spec)


def jsonable(obj) -> str:
    """JSON text of a dict with numpy values."""
    def default(o):
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)
    return json.dumps(obj, default=default)


# ------------------------------------------------------------------ clients
log = logging.getLogger("oqcore.extract")

#: above this many bytes a remote extraction logs a warning (use the local Extractor)
LARGE_BYTES = 100 * 1024 ** 2


class WebAPIError(OqcoreError):
    """A remote extraction failed: the server refused it, does not know the calculation
    or spec, or could not be reached in time. The message says which."""


class Extractor:
    """Extract data from a calculation of this machine, through the extract-spec
    registry (third-party specs included).

    :param calc_id: a calculation ID; negative = the N-th last (-1 = the last)
    :param registry: the plugin registry (default: the installed plugins)
    :param settings: engine settings (default: openquake.cfg and OQ_DATADIR)

    Opening the Extractor opens the datastore read-only; close it with :meth:`close`
    or use it as a context manager.
    """

    def __init__(self, calc_id: int, registry=None, settings=None):
        from oqcore.jobs.runner import Engine
        eng = Engine(settings, registry)
        self.calc_id = eng.db.resolve_id(int(calc_id))
        eng.db.get_job(self.calc_id)  # NotFound for an unknown calculation
        self.registry = eng.registry
        self.dstore = eng.open_datastore(self.calc_id)

    @property
    def oqparam(self) -> dict:
        """The job parameters as the ``oqparam`` spec gives them (a dict)."""
        return json.loads(bytes(np.asarray(self.get("oqparam").json)))

    def get(self, spec: str):
        """Run the extract spec ``spec`` (NAME, NAME?QUERY, NAME/REST or a datastore
        path) and return its ArrayWrapper (or Table)."""
        return extract(self.dstore, spec, self.registry)

    def close(self) -> None:
        """Close the datastore."""
        self.dstore.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<%s calc_id=%d>" % (type(self).__name__, self.calc_id)


def webapi_config() -> dict:
    """``[webapi]`` of openquake.cfg (server, username, password), read from the same
    files and in the same order as the engine settings (see :mod:`oqcore.config`)."""
    import configparser

    from oqcore.config import DEFAULTS, config_files
    cp = configparser.ConfigParser(interpolation=None)
    cp.read_dict({"webapi": DEFAULTS["webapi"]})
    cp.read(config_files())
    return dict(cp.items("webapi"))


class WebExtractor(Extractor):
    """Extract data from a calculation of an engine server through its REST API.

    :param calc_id: a calculation ID of the server; negative = the N-th last of the
        calculations the user sees
    :param server: the server URL (default: ``[webapi] server`` of openquake.cfg)
    :param username: login name (default: ``[webapi] username``; empty: no login)
    :param password: password (default: ``[webapi] password``)
    :param timeout: seconds to wait for each answer

    Meant for small and medium results (mean curves and maps): large extractions, e.g.
    every realization of a big model, belong to the local :class:`Extractor` on the
    server machine. Every failure raises :class:`WebAPIError` with a clear message.
    """

    def __init__(self, calc_id: int, server: str | None = None,
                 username: str | None = None, password: str | None = None,
                 timeout: float = 60.0):
        import http.cookiejar
        import urllib.request
        cfg = webapi_config()
        self.server = (cfg.get("server", "") if server is None else server).rstrip("/")
        if not self.server:
            raise WebAPIError("no server given and no [webapi] server in openquake.cfg")
        if "://" not in self.server:
            self.server = "http://" + self.server
        username = cfg.get("username", "") if username is None else username
        password = cfg.get("password", "") if password is None else password
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        if username:
            self._request("/accounts/ajax_login/", {"username": username,
                                                    "password": password or ""})
        calc_id = int(calc_id)
        if calc_id < 0:  # the server counts from the last calculation the user sees
            calc_id = int(json.loads(self._request("/v1/calc/%d/status" % calc_id))["id"])
        self.calc_id = calc_id
        self.get("oqparam")  # fails early for an unknown or forbidden calculation

    def _request(self, path: str, form: dict | None = None) -> bytes:
        """GET (or POST ``form``) ``path``; the body, or WebAPIError."""
        import socket
        import urllib.error
        import urllib.request
        if self._opener is None:
            raise WebAPIError("this WebExtractor is closed")
        url = self.server + path
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data, headers={"Accept": "*/*"})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                size = int(resp.headers.get("Content-Length") or 0)
                if size > LARGE_BYTES:
                    log.warning("%s sends %.0f MB: large extractions belong to the "
                                "local Extractor on the server machine", url, size / 1e6)
                return resp.read()
        except urllib.error.HTTPError as exc:
            raise WebAPIError("%s: %s" % (_http_reason(exc.code), _error_text(exc))
                              ) from None
        except (socket.timeout, TimeoutError):
            raise WebAPIError("%s did not answer in %g s" % (self.server, self.timeout)
                              ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise WebAPIError("%s did not answer in %g s" % (
                    self.server, self.timeout)) from None
            raise WebAPIError("cannot reach the engine server at %s (%s)" % (
                self.server, getattr(reason, "strerror", None) or reason)) from None
        except (OSError, ValueError) as exc:  # connection reset, bad URL
            raise WebAPIError("cannot talk to the engine server at %s (%s)" % (
                self.server, exc)) from None

    def get(self, spec: str) -> ArrayWrapper:
        """GET /v1/calc/ID/extract/SPEC and rebuild the ArrayWrapper from the .npz."""
        path = "/v1/calc/%d/extract/%s" % (self.calc_id, urllib.parse.quote(
            spec, safe="/?=&+-_.()[],'"))
        data = self._request(path)
        if len(data) > LARGE_BYTES:
            log.warning("%s: %.0f MB came through the server; the local Extractor "
                        "reads large results faster", spec, len(data) / 1e6)
        if not data.startswith(b"PK"):  # an .npz is a zip archive
            raise WebAPIError("%s did not send an .npz for %s (is it an engine server?)"
                              % (self.server, spec))
        try:
            return from_npz(data)
        except ValueError:  # object members travel as pickles: never loaded from a server
            raise WebAPIError("%s holds Python objects (pickles), which are not loaded "
                              "from a server: use the local Extractor" % spec) from None
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise WebAPIError("%s did not send an .npz for %s (%s)" % (
                self.server, spec, exc)) from None

    def close(self) -> None:
        """Forget the session."""
        self._opener = None

    def __repr__(self):
        return "<WebExtractor %s calc_id=%d>" % (self.server, self.calc_id)


def _http_reason(code: int) -> str:
    return {400: "bad request", 401: "login required", 403: "permission denied",
            404: "not found", 409: "not ready"}.get(code, "server error %d" % code)


def _error_text(exc) -> str:
    """The ``error`` of a JSON error body, else the start of the body."""
    try:
        body = exc.read()
    except OSError:
        body = b""
    try:
        return str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        text = body.decode("utf-8", "replace").strip()
        return text[:300] or exc.reason
