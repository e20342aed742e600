"""Text views of a datastore for ``oq show WHAT CALC_ID``: looked up by name in
:data:`VIEWS` (name -> function(dstore, registry) -> text)."""
from __future__ import annotations

import json
from typing import Callable

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.validators import is_number


def text_table(header: list[str], rows: list) -> str:
    """A plain text table with aligned columns (right-aligned numbers)."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [bool(rows) and all(is_number(r[i]) for r in cells[1:])
               for i in range(len(header))]

    def line(r):
        return " | ".join(c.rjust(w) if num else c.ljust(w)
                          for c, w, num in zip(r, widths, numeric)).rstrip()
    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def _fmt(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (float, np.floating)):
        return "%.6g" % value
    return str(value)


def view_fullreport(dstore, registry) -> str:
    """The Full Report (as exported in rst)."""
    import tempfile

    from oqcore.export import export
    with tempfile.TemporaryDirectory() as tmp:
        [path] = export(registry, dstore, "fullreport", "rst", tmp)
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\n")


def view_params(dstore, registry) -> str:
    """The job parameters that differ from their defaults, one per line."""
    params = dstore.read_json("oqparam")
    specs = registry.params()
    rows = []
    for name in sorted(params):
        value = params[name]
        spec = specs.get(name)
        default = getattr(spec, "default", None)
        if name in ("inputs", "base_path", "description", "calculation_mode") or (
                spec is not None and _same(value, default)):
            continue
        rows.append([name, json.dumps(value)])
    for kind, path in sorted(params.get("inputs", {}).items()):
        rows.append(["inputs.%s" % kind, json.dumps(path)])
    head = "%s (%s)" % (params.get("description", ""), params.get("calculation_mode", ""))
    return head + "\n\n" + text_table(["parameter", "value"], rows)


def _same(value, default) -> bool:
    from oqcore.params import NODEFAULT
    if value is None and (default is NODEFAULT or (isinstance(default, float) and
                                                   default != default)):
        return True  # mandatory elsewhere, or NaN: "unset"
    try:
        return json.dumps(value, sort_keys=True) == json.dumps(default, sort_keys=True)
    except TypeError:
        return False


def view_task_info(dstore, registry) -> str:
    """Per task name: number of tasks, mean/min/max duration (s), total time, bytes
    received and peak worker memory."""
    if "task_info" not in dstore:
        raise InvalidInput("this calculation has no task_info (it ran no tasks)")
    arr = dstore["task_info"][()]
    rows = []
    for name in dict.fromkeys(arr["taskname"]):
        sub = arr[arr["taskname"] == name]
        d = sub["duration"]
        rows.append([name, len(sub), float(d.mean()), float(d.min()), float(d.max()),
                     float(d.sum()), int(sub["received"].sum()), float(sub["mem_gb"].max())])
    return text_table(["taskname", "num_tasks", "mean_s", "min_s", "max_s", "total_s",
                       "received_bytes", "max_mem_gb"], rows)


def view_contents(dstore, registry) -> str:
    """The datasets of the datastore with their shapes and sizes."""
    rows = []
    for key in sorted(dstore.keys()):
        obj = dstore[key]
        shape = getattr(obj, "shape", "")
        rows.append([key, shape, dstore.getsize(key)])
    return text_table(["key", "shape", "bytes"], rows)


#: view name -> function(dstore, registry) -> text
VIEWS: dict[str, Callable] = {
    "fullreport": view_fullreport,
    "params": view_params,
    "task_info": view_task_info,
    "contents": view_contents,
}


def show(dstore, what: str, registry) -> str:
    """The text of view ``what``; InvalidInput listing the views for an unknown one."""
    func = VIEWS.get(what)
    if func is None:
        raise InvalidInput("unknown view %r; the views are %s" % (what, ", ".join(VIEWS)))
    return func(dstore, registry)
