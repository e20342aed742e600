"""The data contract of the extract specs, key by key: each documented spec of the
calculators we have, run on the inputs of the reference recordings, gives the npz
members (names, dtypes, shapes and small values) that OpenQuake 3.26.2 answered over
REST (tests/data/client/rest, copied from the reference recordings;
extract-specs.md sections 3-5).

Table-driven: a calculator joins with its case in CASES and one row per spec in ROWS
(reference file, and the comparison: "exact", or "fields" where our structured array
may carry more fields after the documented ones, e.g. the site parameters of every
GSIM family in ``sitecol``).
"""
from __future__ import annotations

import io
import json
import urllib.parse

import numpy as np
import pytest

from tests.conftest import DATA, oq_environment, run_oq

REST = DATA / "client" / "rest"

#: case name -> job.ini (the inputs of the reference recordings)
CASES = {
    "classical": DATA / "client" / "classical" / "job.ini",
}

#: (case, reference file (without .json), comparison)
ROWS = [
    ("classical", "extract_classical_oqparam", "exact"),
    ("classical", "extract_classical_realizations", "exact"),
    ("classical", "extract_classical_sitecol", "fields"),
    ("classical", "extract_classical_sources", "exact"),
    ("classical", "extract_classical_hcurves_kind_mean", "exact"),
    ("classical", "extract_classical_hcurves_kind_mean_imt_PGA", "exact"),
    ("classical", "extract_classical_hcurves_kind_mean_imt_PGA_site_id_0", "exact"),
    ("classical", "extract_classical_hcurves_kind_rlz-0_imt_PGA", "exact"),
    ("classical", "extract_classical_hcurves_kind_rlzs_imt_PGA", "exact"),
    ("classical", "extract_classical_hcurves_kind_stats_imt_PGA", "exact"),
    ("classical", "extract_classical_hcurves_kind_foo_imt_PGA", "exact"),
    ("classical", "extract_classical_hmaps_kind_mean_imt_PGA", "exact"),
    ("classical", "extract_classical_hmaps_kind_stats_imt_PGA", "exact"),
    ("classical", "extract_classical_uhs_kind_mean", "exact"),
    ("classical", "extract_classical_uhs_kind_stats", "exact"),
]


@pytest.fixture(scope="module")
def datastores(tmp_path_factory):
    """case -> a function opening the datastore of that case, run once."""
    from oqcore.datastore import DataStore
    paths = {}
    tmp = tmp_path_factory.mktemp("contract")
    for case, ini in CASES.items():
        (tmp / case).mkdir()
        env = oq_environment(tmp / case)
        run = run_oq(["engine", "--run", ini, "-q"], env)
        assert run.returncode == 0, run.stderr
        paths[case] = tmp / case / "oqdata" / "calc_1.hdf5"
    return lambda case: DataStore(str(paths[case]), "r")


def rest_answer(dstore, request: dict) -> dict:
    """The npz members our server answers to a recorded request (same code path as
    GET /v1/calc/ID/extract/SPEC)."""
    from oqcore import load_registry
    from oqcore.extract import to_npz_bytes
    from oqhttp.routes.extract import run_extract
    spec = request["path"].split("/extract/", 1)[1]
    query = urllib.parse.urlencode(request.get("query", {}), doseq=True)
    data = to_npz_bytes(run_extract(dstore, spec, query, load_registry()))
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def dtype_text(arr: np.ndarray) -> set:
    """The ways the recordings spell a dtype ('float32', '<U4', "[('a', '<f4')]")."""
    return {str(arr.dtype), arr.dtype.str}


@pytest.mark.parametrize("case, name, how", ROWS, ids=[r[1] for r in ROWS])
def test_contract(case, name, how, datastores):
    with open(REST / (name + ".json")) as f:
        ref = json.load(f)
    assert ref["response"]["status"] == 200
    expected = ref["response"]["body_summary"]["keys"]
    with datastores(case) as dstore:
        got = rest_answer(dstore, ref["request"])
    assert sorted(got) == sorted(expected), name
    for key, exp in expected.items():
        arr = got[key]
        assert list(arr.shape) == exp["shape"], (name, key)
        if how == "fields" and "fields" in exp:
            names = [n for n, _ in exp["fields"]]
            assert list(arr.dtype.names[:len(names)]) == names, (name, key)
            for fname, ftype in exp["fields"]:
                assert ftype in dtype_text(arr[fname]) or ftype == str(
                    arr.dtype[fname]), (name, key, fname)
        elif "json_keys" in exp:  # a JSON document: every recorded key is there
            assert arr.dtype.kind == "S"
            doc = json.loads(arr[()])
            assert set(exp["json_keys"]) <= set(doc), set(exp["json_keys"]) - set(doc)
        elif "bytes_start_hex" in exp:  # gzip bytes
            assert arr.dtype.kind == "S" and arr.tobytes()[:2] == b"\x1f\x8b"
        else:
            assert exp["dtype"] in dtype_text(arr), (name, key, exp["dtype"], arr.dtype)
        if "value" in exp:
            value = arr.tolist()
            assert value == exp["value"], (name, key, value, exp["value"])


def test_oqparam_levels(datastores):
    """WebExtractor clients build their IMTs from ``hazard_imtls``."""
    from oqcore import load_registry
    from oqcore.extract import extract
    with datastores("classical") as dstore:
        doc = json.loads(extract(dstore, "oqparam", load_registry()).json)
    assert doc["hazard_imtls"] == {"PGA": [0.1, 0.2, 0.4, 0.6],
                                   "SA(0.1)": [0.1, 0.2, 0.4, 0.6]}
    assert doc["req_site_params"] == ["backarc", "vs30", "vs30measured", "z1pt0", "z2pt5"]


def test_sources_values(datastores):
    import gzip

    from oqcore import load_registry
    from oqcore.extract import extract
    reg = load_registry()
    with datastores("classical") as dstore:
        aw = extract(dstore, "sources", reg)
        # one point source: 3 magnitudes x 1 plane x 1 depth; 3 ruptures x 4 sites
        assert aw.array.tolist() == [(b"P", 12, 3)]
        assert gzip.decompress(aw.src_gz) == b"1"
        with pytest.raises(KeyError, match="no source with id nosuch"):
            extract(dstore, "sources?source_id=nosuch", reg)
        with pytest.raises(KeyError, match="no source with code in S"):
            extract(dstore, "sources?code=S", reg)


# ------------------------------------------------------------------ documented specs
# Specs documented in extract-specs.md without a recording: (case, spec, expected
# members {name: (shape, dtype or structured field names)}). "N", "R" ... are the sizes
# of the case (4 sites, 2 realizations, 2 IMTs x 4 levels, 2 PoEs, 1 source).
LEVELS = ["0.1", "0.2", "0.4", "0.6"]
DOC_ROWS = [
    ("classical", "weights", {"array": ((2,), "float64"), "extra": ((1,), "<U5")}),
    ("classical", "sitecol?field=vs30", {"array": ((4,), "float64"),
                                         "extra": ((1,), "<U5")}),
    ("classical", "gsims_by_trt", {"active shallow crust": ((2,), "<U19"),
                                   "extra": ((1,), "<U5")}),
    ("classical", "hcurves", {
        "investigation_time": ((), "float64"),
        "all": ((4,), {"": ["lon", "lat", "mean", "quantile-0.5"],
                       "mean": ["PGA", "SA(0.1)"], "mean/PGA": LEVELS,
                       "quantile-0.5/SA(0.1)": LEVELS}),
        "extra": ((1,), "<U5")}),
    ("classical", "hmaps", {
        "investigation_time": ((), "float64"),
        "all": ((4,), {"": ["lon", "lat", "mean", "quantile-0.5"],
                       "mean": ["PGA", "SA(0.1)"], "mean/PGA": ["0.1", "0.02"]}),
        "extra": ((1,), "<U5")}),
    ("classical", "uhs", {
        "investigation_time": ((), "float64"),
        "all": ((4,), {"": ["lon", "lat", "mean", "quantile-0.5"],
                       "mean": ["0.100000", "0.020000"],
                       "mean/0.100000": ["PGA", "SA(0.1)"]}),
        "extra": ((1,), "<U5")}),
    ("classical", "hmaps?kind=stats&imt=SA(0.1)&site_id=0", {
        "mean": ((1, 1, 2), "float32"), "quantile-0.5": ((1, 1, 2), "float32"),
        "kind": ((2,), "<U12"), "imt": ((1,), "<U7"), "site_id": ((1,), "int64"),
        "k": ((2,), "int64"), "rlzs": ((), "bool"), "extra": ((1,), "<U5")}),
    ("classical", "task_info?kind=classical_task", {
        "classical_task": ((1,), ["taskname", "task_no", "weight", "duration",
                                  "received", "mem_gb"]),
        "extra": ((1,), "<U5")}),
]


def _fields(arr: np.ndarray, path: str) -> list:
    dt = arr.dtype
    for part in filter(None, path.split("/")):
        dt = dt[part]
    return list(dt.names)


@pytest.mark.parametrize("case, spec, expected", DOC_ROWS, ids=[r[1] for r in DOC_ROWS])
def test_documented_spec(case, spec, expected, datastores):
    name, _, query = spec.partition("?")
    with datastores(case) as dstore:
        got = rest_answer(dstore, {"path": "/v1/calc/1/extract/" + name,
                                   "query": dict(q.split("=") for q in query.split("&")
                                                 if q)})
    assert list(got) == list(expected), spec  # the documented order, too
    for key, (shape, dtype) in expected.items():
        arr = got[key]
        assert arr.shape == shape, (spec, key, arr.shape)
        if isinstance(dtype, str):
            assert dtype in dtype_text(arr), (spec, key, arr.dtype)
        elif isinstance(dtype, list):
            assert list(arr.dtype.names) == dtype, (spec, key)
        else:
            for path, names in dtype.items():
                assert _fields(arr, path) == names, (spec, key, path)
