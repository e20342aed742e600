"""Extract specs about any calculation: oqparam, realizations, weights, sitecol,
gsims_by_trt."""
from __future__ import annotations

import json

import numpy as np

from oqcore import hookimpl
from oqcore.extract import ArrayWrapper
from oqcore.registry import ExtractorSpec


#: sitecol columns that are not site parameters
_SITE_GEOMETRY = ("sids", "lon", "lat", "depth", "custom_site_id")


def extract_oqparam(dstore, query, rest):
    """``json``: the job parameters as JSON bytes, with the derived keys clients read:
    ``hazard_imtls`` (IMT -> levels, what OpenQuake's WebExtractor builds its IMTs
    from), ``req_site_params`` (the site parameters the GSIMs need) and
    ``all_cost_types``."""
    params = dstore.read_json("oqparam")
    params.setdefault("hazard_imtls", params.get("intensity_measure_types_and_levels") or {})
    if "req_site_params" not in params:
        names = dstore["sitecol"].dtype.names if "sitecol" in dstore else ()
        params["req_site_params"] = sorted(n for n in names or () if n not in _SITE_GEOMETRY)
    params.setdefault("all_cost_types", [])
    return ArrayWrapper(None, {"json": json.dumps(params).encode()})


def extract_realizations(dstore, query, rest):
    """``array`` (R,) of (rlz_id u4, branch_path S, weight f4)."""
    return ArrayWrapper(dstore["realizations"][()])


def extract_weights(dstore, query, rest):
    """``array`` f8 (R,): the realization weights."""
    return ArrayWrapper(np.asarray(dstore["weights"][()], np.float64))


def extract_sitecol(dstore, query, rest):
    """``array`` (N,) structured site collection, or one column with ``?field=``."""
    arr = dstore["sitecol"][()]
    if "field" in query:
        return ArrayWrapper(arr[str(query["field"][0])])
    return ArrayWrapper(arr)


def extract_gsims_by_trt(dstore, query, rest):
    """One member per TRT with its GSIMs (as strings)."""
    full = dstore.read_json("full_lt")
    return ArrayWrapper(None, {trt: np.array(["[%s]" % g for g in gs], dtype="U")
                               for trt, gs in full["gsims_by_trt"].items()})


def extract_task_info(dstore, query, rest):
    """One member per task name: (taskname S50, task_no u4, weight f4, duration f4 s,
    received i8 bytes, mem_gb f4) per task; ``kind=`` keeps one task name."""
    from oqcore.errors import InvalidInput
    if "task_info" not in dstore:
        raise KeyError("task_info: the calculation ran no tasks")
    arr = dstore["task_info"][()]
    names = [n.decode() for n in dict.fromkeys(arr["taskname"])]
    if "kind" in query:
        kind = str(query["kind"][0])
        if kind not in names:
            raise InvalidInput("no task named %r; the tasks are %s" % (kind, ", ".join(names)))
        names = [kind]
    return ArrayWrapper(None, {n: arr[arr["taskname"] == n.encode()] for n in names})


@hookimpl
def oq_register_extractors(registry):
    """Register the metadata extract specs."""
    for name, func in [("oqparam", extract_oqparam), ("realizations", extract_realizations),
                       ("weights", extract_weights), ("sitecol", extract_sitecol),
                       ("gsims_by_trt", extract_gsims_by_trt),
                       ("task_info", extract_task_info)]:
        registry.add_extractor(ExtractorSpec(name, func, func.__doc__ or ""))
