"""Extraction: ArrayWrapper, spec-string parsing (NAME, NAME?QUERY, NAME/REST) and the
.npz encoding served by ``oq extract`` and ``GET /v1/calc/:id/extract/:spec``.
"""
from __future__ import annotations

import ast
import io
import json
import urllib.parse
from typing import Any

import h5py
import numpy as np

from oqcore.errors import InvalidInput


class ArrayWrapper:
    """An optional main ``array`` plus named attributes; ``extra`` defaults to ["value"].

    Public attributes (not starting with ``_``) become npz members, in insertion order.
    """

    def __init__(self, array=None, attrs: dict | None = None, extra=None):
        self.__dict__["_names"] = []
        if array is not None and not (getattr(array, "ndim", 1) > 0 and len(array) == 0):
            self.array = array
        for k, v in (attrs or {}).items():
            setattr(self, k, v)
        if "extra" not in self._names:
            self.extra = ["value"] if extra is None else list(extra)

    def __setattr__(self, name, value):
        if not name.startswith("_") and name not in self._names:
            self._names.append(name)
        self.__dict__[name] = value

    def __delattr__(self, name):
        self._names.remove(name)
        del self.__dict__[name]

    def members(self) -> list[str]:
        """Public attribute names in npz order (``extra`` last unless set earlier)."""
        names = [n for n in self._names if n != "extra"]
        return names + ["extra"]

    def to_dict(self) -> dict:
        """The public attributes as a dict (npz order)."""
        return {n: getattr(self, n) for n in self.members()}

    def __repr__(self):
        shape = getattr(getattr(self, "array", None), "shape", None)
        return "<ArrayWrapper%s %s>" % (shape or "", self.members())


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


def from_npz(data: bytes | str) -> ArrayWrapper:
    """Rebuild an ArrayWrapper from npz bytes or a file path."""
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with np.load(src, allow_pickle=False) as npz:
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
