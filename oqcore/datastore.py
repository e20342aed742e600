"""The HDF5 datastore: one ``calc_<id>.hdf5`` per calculation (h5py).

Storage patterns (see the data contract): plain datasets, table groups (one dataset
per column, attribute ``__pdcolumns__``), labelled arrays (attribute ``json`` with
``shape_descr``), and JSON objects (a scalar string dataset with ``__pyclass__``).
A datastore opened with a parent (``hazard_calculation_id``) reads missing keys there.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any

import h5py
import numpy as np


log = logging.getLogger(__name__)

#: root attribute written last by the runner: a datastore without it is incomplete
COMPLETE_ATTR = "oqcore_complete"


def calc_path(datadir: str, calc_id: int) -> str:
    """Path of the datastore of a calculation."""
    return os.path.join(datadir, "calc_%d.hdf5" % calc_id)


class DataStore:
    """A thin wrapper around an h5py File.

    :param path: the calc_<id>.hdf5 file
    :param mode: 'r' (read), 'r+' or 'a' (append), 'w' (create/truncate)
    :param parent: an optional parent DataStore for keys missing here
    """

    def __init__(self, path: str, mode: str = "r", parent: "DataStore | None" = None):
        self.path = path
        self.mode = mode
        self.parent = parent
        if mode != "r":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.hdf5 = h5py.File(path, mode)
        base = os.path.basename(path)
        self.calc_id = int(base[5:].split(".")[0].split("_")[0]) if base.startswith(
            "calc_") else 0

    # ------------------------------------------------------------ basics
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Close the file (and the parent's)."""
        if self.hdf5:
            try:
                self.hdf5.close()
            except Exception as exc:  # closing must not hide the error being handled
                log.warning("calculation %d: closing %s failed: %s: %s", self.calc_id,
                            self.path, type(exc).__name__, exc)
        if self.parent is not None:
            self.parent.close()

    def flush(self) -> None:
        """Write buffers to disk."""
        self.hdf5.flush()

    def mark_complete(self) -> None:
        """Record that the calculation wrote everything (called last by the runner)."""
        self.hdf5.attrs[COMPLETE_ATTR] = True
        self.hdf5.flush()

    @property
    def complete(self) -> bool:
        """True if the runner finished writing this datastore (:meth:`mark_complete`)."""
        return bool(self.hdf5.attrs.get(COMPLETE_ATTR, False))

    def __contains__(self, key: str) -> bool:
        return key in self.hdf5 or (self.parent is not None and key in self.parent)

    def __getitem__(self, key: str):
        if key in self.hdf5:
            return self.hdf5[key]
        if self.parent is not None and key in self.parent:
            return self.parent[key]
        raise KeyError("%s not in %s" % (key, os.path.basename(self.path)))

    def __setitem__(self, key: str, value) -> None:
        if key in self.hdf5:
            del self.hdf5[key]
        arr = np.asarray(value)
        if arr.dtype.kind == "U":
            arr = np.char.encode(arr, "utf-8")
        self.hdf5[key] = arr

    def __delitem__(self, key: str) -> None:
        del self.hdf5[key]

    def keys(self) -> list[str]:
        """Top-level keys (of this file only)."""
        return list(self.hdf5.keys())

    @property
    def attrs(self):
        """The root attributes (engine_version, date, checksum32, input_size)."""
        return self.hdf5.attrs

    def get_attr(self, key: str, name: str, default=None):
        """An attribute of a dataset or group, or ``default``."""
        try:
            obj = self[key]
        except KeyError:
            return default
        return obj.attrs.get(name, default)

    def read(self, key: str) -> np.ndarray:
        """The whole dataset ``key`` as a numpy array."""
        return self[key][()]

    def getsize(self, key: str | None = None) -> int:
        """Bytes used by a dataset/group (or the whole file)."""
        if key is None:
            return os.path.getsize(self.path)
        obj = self[key]
        if isinstance(obj, h5py.Dataset):
            return int(obj.id.get_storage_size())
        total = 0

        def visit(_name, o):
            nonlocal total
            if isinstance(o, h5py.Dataset):
                total += int(o.id.get_storage_size())
        obj.visititems(visit)
        return total

    # ------------------------------------------------------------ patterns
    def save_json(self, key: str, obj: Any, pyclass: str = "") -> None:
        """Store a JSON-serialisable object as a scalar string dataset."""
        self[key] = np.array(json.dumps(obj, default=_json_default).encode("utf-8"))
        if pyclass:
            self.hdf5[key].attrs["__pyclass__"] = pyclass

    def read_json(self, key: str) -> Any:
        """Read back an object stored by :meth:`save_json`."""
        raw = self[key][()]
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        return json.loads(raw)

    def save_table(self, key: str, columns: dict[str, np.ndarray]) -> None:
        """Store a table group: one 1-D dataset per column, ``__pdcolumns__`` attribute."""
        if key in self.hdf5:
            del self.hdf5[key]
        grp = self.hdf5.create_group(key)
        for name, col in columns.items():
            col = np.asarray(col)
            if col.dtype.kind in "UO":
                col = np.array([str(c).encode("utf-8") for c in col],
                               dtype=h5py.string_dtype())
            grp[name] = col
        grp.attrs["__pdcolumns__"] = " ".join(columns)

    def create_table(self, key: str, dtypes: dict[str, Any]) -> None:
        """Create an empty, extendable table group (one chunked 1-D dataset per
        column) to be filled with :meth:`extend_table`."""
        if key in self.hdf5:
            del self.hdf5[key]
        grp = self.hdf5.create_group(key)
        for name, dt in dtypes.items():
            grp.create_dataset(name, (0,), dt, maxshape=(None,), chunks=(1 << 16,))
        grp.attrs["__pdcolumns__"] = " ".join(dtypes)

    def extend_table(self, key: str, columns: dict[str, np.ndarray]) -> None:
        """Append rows (equal-length arrays, one per column) to a table made by
        :meth:`create_table`."""
        grp = self.hdf5[key]
        for name, col in columns.items():
            dset = grp[name]
            n = len(dset)
            dset.resize((n + len(col),))
            dset[n:] = col

    def read_table(self, key: str) -> dict[str, np.ndarray]:
        """Read a table group as {column: array} in column order (strings decoded)."""
        grp = self[key]
        names = grp.attrs["__pdcolumns__"].split()
        out = {}
        for n in names:
            arr = grp[n][()]
            if arr.dtype.kind in "OS":
                arr = np.array([a.decode("utf-8") if isinstance(a, bytes) else a
                                for a in arr], dtype=object)
            out[n] = arr
        return out

    def save_labelled(self, key: str, array: np.ndarray, **axes) -> None:
        """Store a labelled array: ``axes`` maps each dimension name to labels or a size."""
        self[key] = array
        descr = {"shape_descr": list(axes)}
        for name, labels in axes.items():
            descr[name] = labels if isinstance(labels, (int, np.integer)) else list(labels)
        self.hdf5[key].attrs["json"] = json.dumps(descr, default=_json_default)

    def labels(self, key: str) -> dict:
        """The ``json`` attribute of a labelled array, parsed."""
        return json.loads(self.get_attr(key, "json", "{}"))


def _json_default(obj):
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, bytes):
        return obj.decode("utf-8")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError("not JSON serialisable: %r" % type(obj))
