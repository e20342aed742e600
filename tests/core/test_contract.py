"""The data contract of the extract specs, key by key: each documented spec of the
calculators we have, run on the inputs of the reference recordings, gives the npz
members (names, dtypes, shapes and small values) that OpenQuake 3.26.2 answered over
REST (tests/data/client/rest, copied from the reference recordings;
extract-specs.md sections 3-5).

Table-driven: a calculator joins with its case in CASES and one row per spec in ROWS
(reference file, and the comparison):

* "exact": member names, dtypes, shapes and every recorded value;
* "fields": the same, except that our structured array may carry more fields among
  the documented ones, which keep their order (the site parameters of every GSIM
  family in ``sitecol``);
* "layout": for stochastic calculations, whose values come from a random draw that
  cannot be the reference's: member names, dtypes (the field names and types of
  structured arrays) and shapes, and the recorded values of the members that do not
  depend on the draw (``extra``, ``kind``, ``investigation_time``...). The members
  that do are listed in DRAWN with what is compared instead.

Specs documented without a recording are checked against DOC_ROWS (member names in
order, shapes, dtypes) on the same cases and on the disaggregation demo.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import urllib.parse

import numpy as np
import pytest

from tests.conftest import DATA, ROOT, oq_environment, run_oq

REST = DATA / "client" / "rest"

#: case name -> job.ini (the inputs of the reference recordings)
CASES = {
    "classical": DATA / "client" / "classical" / "job.ini",
    # QA event_based/case_1 with ses_per_logic_tree_path = 2000 (reference calc 2)
    "event_based": DATA / "client" / "event_based" / "job.ini",
    # QA scenario/case_1 with number_of_ground_motion_fields = 10 (reference calc 3)
    "scenario": DATA / "client" / "scenario" / "job.ini",
    # no recording: the documented disagg specs (DOC_ROWS) on our demo
    "disaggregation": ROOT / "demos" / "disaggregation" / "job.ini",
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
    ("event_based", "extract_event_based_realizations", "exact"),
    ("event_based", "extract_event_based_events", "layout"),
    ("event_based", "extract_event_based_gmf_data_event_id_0", "layout"),
    ("event_based", "extract_event_based_hcurves_kind_mean_imt_PGA", "layout"),
    ("event_based", "extract_event_based_rupture_info", "layout"),
    ("event_based", "extract_event_based_rupture_info_min_mag_5", "layout"),
    ("event_based", "extract_event_based_ruptures", "layout"),
    ("scenario", "extract_scenario_sitecol", "fields"),
    ("scenario", "extract_scenario_events", "layout"),
    ("scenario", "extract_scenario_gmf_data_event_id_0", "layout"),
]

#: the members of "layout" rows whose size or values are a random draw, and what is
#: compared instead: "size" (dtype kind and number of dimensions, not the length),
#: "close" (values within RTOL), "csv" (CSV text: the lines before the first row
#: exactly, then every row with the recorded number of columns and the recorded
#: first row's columns equal except those in CSV_DRAWN). The sizes of the other
#: members do not depend on the draw: the sites, the realizations, the ruptures of a
#: source (each of the 4 occurs about 1000 times in 2000 years), the IMT levels.
DRAWN = {
    # the number of events is a Poisson draw (mean 2.5 / year x 2000 years)
    "extract_event_based_events": {"array": "size"},
    # the mean of curves estimated from ~5000 events each, ours and the reference's
    "extract_event_based_hcurves_kind_mean_imt_PGA": {"mean": "close"},
    # the multiplicities are draws; the seeds follow our own seeding scheme
    "extract_event_based_ruptures": {"array": "csv"},
}
#: relative tolerance of "close": about 2.5 standard deviations of the difference of
#: two independent estimates of the rarest PoE (0.21 at 0.6 g, ~470 exceedances each)
RTOL = 0.15
CSV_DRAWN = {"seed", "multiplicity"}


@pytest.fixture(scope="module")
def datastores(tmp_path_factory):
    """case -> a function opening the datastore of that case, run on first use."""
    from oqcore.datastore import DataStore
    paths = {}
    tmp = tmp_path_factory.mktemp("contract")

    def open_case(case: str):
        if case not in paths:
            (tmp / case).mkdir()
            env = oq_environment(tmp / case)
            run = run_oq(["engine", "--run", CASES[case], "-q"], env, timeout=300)
            assert run.returncode == 0, run.stderr
            paths[case] = tmp / case / "oqdata" / "calc_1.hdf5"
        return DataStore(str(paths[case]), "r")
    return open_case


def rest_answer(dstore, request: dict) -> dict:
    """The npz members our server answers to a recorded request (same code path as
    GET /v1/calc/ID/extract/SPEC)."""
    from oqcore import load_registry
    from oqcore.extract import to_npz_bytes
    from oqhttp.routes.extract import run_extract
    spec = request["path"].split("/extract/", 1)[1]
    query = urllib.parse.urlencode(request.get("query", []), doseq=True)
    data = to_npz_bytes(run_extract(dstore, spec, query, load_registry()))
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def dtype_text(arr: np.ndarray) -> set:
    """The ways the recordings spell a dtype ('float32', '<U4', "[('a', '<f4')]")."""
    return {str(arr.dtype), arr.dtype.str}


def is_subsequence(names: list, within: tuple) -> bool:
    """True when ``names`` all occur in ``within`` in the same order."""
    rest = iter(within)
    return all(n in rest for n in names)


def check_csv(name: str, text: bytes, recorded: str) -> None:
    """The CSV text of a "csv" member against its recorded start (see DRAWN)."""
    got = list(csv.reader(io.StringIO(text.decode(), newline="")))
    ref = list(csv.reader(io.StringIO(recorded, newline="")))
    assert got[:2] == ref[:2], name  # the comment line and the header
    header = ref[1]
    assert len(got) > 2 and all(len(row) == len(header) for row in got[2:]), name
    first = ref[2]  # the recorded start cuts its last column short
    for col, exp, val in zip(header, first[:-1], got[2]):
        assert col in CSV_DRAWN or val == exp, (name, col, val, exp)
    assert got[2][len(first) - 1].startswith(first[-1]), (name, header[len(first) - 1])


@pytest.mark.parametrize("case, name, how", ROWS, ids=[r[1] for r in ROWS])
def test_contract(case, name, how, datastores):
    with open(REST / (name + ".json")) as f:
        ref = json.load(f)
    assert ref["response"]["status"] == 200
    expected = ref["response"]["body_summary"]["keys"]
    drawn = DRAWN.get(name, {})
    assert not drawn or how == "layout", name
    with datastores(case) as dstore:
        got = rest_answer(dstore, ref["request"])
    assert sorted(got) == sorted(expected), name
    for key, exp in expected.items():
        arr = got[key]
        draw = drawn.get(key)
        if draw in ("size", "csv"):
            assert arr.ndim == len(exp["shape"]), (name, key)
        else:
            assert list(arr.shape) == exp["shape"], (name, key)
        if how == "fields" and "fields" in exp:
            names = [n for n, _ in exp["fields"]]
            assert is_subsequence(names, arr.dtype.names), (name, key, arr.dtype.names)
            for fname, ftype in exp["fields"]:
                assert ftype in dtype_text(arr[fname]) or ftype == str(
                    arr.dtype[fname]), (name, key, fname)
        elif "json_keys" in exp:  # a JSON document: every recorded key is there
            assert arr.dtype.kind == "S"
            doc = json.loads(arr[()])
            assert set(exp["json_keys"]) <= set(doc), set(exp["json_keys"]) - set(doc)
        elif "bytes_start_hex" in exp:  # gzip bytes
            assert arr.dtype.kind == "S" and arr.tobytes()[:2] == b"\x1f\x8b"
        elif draw == "csv":  # a text of drawn length
            assert arr.dtype.kind == np.dtype(exp["dtype"]).kind == "S", (name, key)
            check_csv(name, arr.tobytes(), exp["value_start"])
        else:
            assert exp["dtype"] in dtype_text(arr), (name, key, exp["dtype"], arr.dtype)
        if "value" in exp and draw == "close":
            np.testing.assert_allclose(arr, exp["value"], rtol=RTOL, err_msg=name)
        elif "value" in exp:
            value = arr.tolist()
            assert value == exp["value"], (name, key, value, exp["value"])


def test_rupture_boundaries(datastores):
    """The WKT of the rupture boundaries (gzip-compressed in ``rupture_info``) as
    OpenQuake 3.26.2 writes them for the same ruptures: vertical planes project on
    a line, written as the distinct points, -0 as 0."""
    from oqcore import load_registry
    from oqcore.extract import extract
    with datastores("event_based") as dstore:
        aw = extract(dstore, "rupture_info", load_registry())
        lines = gzip.decompress(aw.boundaries).decode().split("\n")
        mags = aw.array["mag"].tolist()
        assert gzip.decompress(extract(dstore, "rupture_info?boundaries=no",
                                       load_registry()).boundaries) == b""
    half = {5.0: "0.01422", np.float32(5.1).item(): "0.01595"}  # PeerMSR, aspect 1
    assert lines == ["LINESTRING(0.00000 -%s, 0.00000 %s)" % (half[m], half[m])
                     for m in mags]


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
# members {name: (shape, dtype)}), the dtype a string, the field names of a structured
# array, [(field, type, shape)...] or {path: field names} for nested fields. The
# classical case: 4 sites, 2 realizations, 2 IMTs x 4 levels, 2 PoEs, 1 source.
LEVELS = ["0.1", "0.2", "0.4", "0.6"]
DOC_ROWS = [
    ("classical", "weights", {"extra": ((1,), "<U5"), "array": ((2,), "float64")}),
    ("classical", "sitecol?field=vs30", {"extra": ((1,), "<U5"),
                                         "array": ((4,), "float64")}),
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
    # event_based (1 site with a custom ID, PGA, 2 magnitudes 5.0 and 5.1)
    ("event_based", "num_events", {"num_events": ((), "int64"), "extra": ((1,), "<U5")}),
    ("event_based", "avg_gmf?imt=PGA", {
        "custom_site_id": ((1,), "<U8"), "lon": ((1,), "float64"),
        "lat": ((1,), "float64"), "PGA": ((1,), "float32"), "extra": ((1,), "<U5")}),
    ("event_based", "event_based_mfd?", {
        "mag": ((2,), "float64"), "freq": ((2,), "float64"), "extra": ((1,), "<U5")}),
    ("event_based", "rupture_info?min_mag=5.05&boundaries=no", {
        "investigation_time": ((), "float64"), "boundaries": ((), "|S20"),
        "extra": ((1,), "<U5"), "array": ((2,), [
            ("rup_id", "<i8", ()), ("source_id", "|S75", ()), ("multiplicity", "<u4", ()),
            ("mag", "<f4", ()), ("centroid_lon", "<f4", ()), ("centroid_lat", "<f4", ()),
            ("centroid_depth", "<f4", ()), ("trt", "|S50", ()), ("strike", "<f4", ()),
            ("dip", "<f4", ()), ("rake", "<f4", ())])}),
    ("scenario", "num_events", {"num_events": ((), "int64"), "extra": ((1,), "<U5")}),
    # disaggregation demo: 2 sites, PGA and SA(0.2), PoEs 0.1 0.02, one realization,
    # 4 magnitude bins, 21 distance bins, 3 epsilons, 10x10 lon/lat, 2 TRTs.
    # The rest-api.rst example: (4, 21, 1, 1), without the realization axis
    # (OpenQuake 3.26.2 itself keeps it: (4, 21, 1, 1, 1)).
    ("disaggregation",
     "disagg?kind=Mag_Dist&imt=PGA&site_id=0&poe_id=0&spec=rlzs-traditional", {
         "kind": ((1,), "<U8"), "imt": ((1,), "<U3"), "site_id": ((1,), "int64"),
         "poe_id": ((1,), "int64"), "spec": ((1,), "<U16"), "mag": ((4,), "float64"),
         "dist": ((21,), "float64"), "poe": ((1,), "float64"),
         "traditional": ((), "bool"), "shape_descr": ((4,), "<U4"),
         "weights": ((1,), "float64"), "extra": ((1,), "<U4"),
         "array": ((4, 21, 1, 1), "float64")}),
    ("disaggregation", "disagg?kind=Mag&site_id=1&spec=rlzs", {
        "kind": ((1,), "<U3"), "site_id": ((1,), "int64"), "spec": ((1,), "<U4"),
        "mag": ((4,), "float64"), "imt": ((2,), "<U7"), "poe": ((2,), "float64"),
        "traditional": ((), "bool"), "shape_descr": ((3,), "<U3"),
        "weights": ((1,), "float64"), "extra": ((1,), "<U4"),
        "array": ((4, 2, 2), "float64")}),
    ("disaggregation", "disagg?kind=Mag_Dist_Eps&site_id=0&imt=SA(0.2)&spec=rlzs", {
        "kind": ((1,), "<U12"), "imt": ((1,), "<U7"), "site_id": ((1,), "int64"),
        "spec": ((1,), "<U4"), "mag": ((4,), "float64"), "dist": ((21,), "float64"),
        "eps": ((3,), "float64"), "poe": ((2,), "float64"), "traditional": ((), "bool"),
        "shape_descr": ((5,), "<U4"), "weights": ((1,), "float64"),
        "extra": ((1,), "<U4"), "array": ((4, 21, 3, 1, 2), "float64")}),
    ("disaggregation", "disagg_layer?kind=Mag&kind=Lon_Lat", {
        "mag": ((5,), "float64"), "dist": ((22,), "float64"), "eps": ((4,), "float64"),
        "trt": ((2,), "|S24"), "extra": ((1,), "<U5"), "array": ((2,), [
            ("site_id", "<u4", ()), ("lon", "<f4", ()), ("lat", "<f4", ()),
            ("lon_bins", "<f4", (11,)), ("lat_bins", "<f4", (11,))]
            + [("Mag-%s-%s" % (imt, poe), "<f4", (4,))
               for imt in ("PGA", "SA(0.2)") for poe in ("0.1", "0.02")]
            + [("Lon_Lat-%s-%s" % (imt, poe), "<f4", (10, 10))
               for imt in ("PGA", "SA(0.2)") for poe in ("0.1", "0.02")]
            + [("iml-%s-%s" % (imt, poe), "<f4", (1,))
               for imt in ("PGA", "SA(0.2)") for poe in ("0.1", "0.02")])}),
    # ours (3.26.2 has no such spec; its mean_rates_by_src answers pickled objects):
    # the mean rates of each source by magnitude, distance, epsilon and IMT
    ("disaggregation", "disagg_by_src?site_id=1&imt=PGA", {
        "site_id": ((), "int64"), "source_id": ((2,), "|S13"), "mag": ((4,), "float64"),
        "dist": ((21,), "float64"), "eps": ((3,), "float64"), "imt": ((1,), "<U3"),
        "iml": ((1,), "float64"), "shape_descr": ((5,), "<U9"), "extra": ((1,), "<U5"),
        "array": ((2, 4, 21, 3, 1), "float64")}),
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
                                   "query": urllib.parse.parse_qsl(query)})
    assert list(got) == list(expected), spec  # the documented order, too
    for key, (shape, dtype) in expected.items():
        arr = got[key]
        assert arr.shape == shape, (spec, key, arr.shape)
        if isinstance(dtype, str):
            assert dtype in dtype_text(arr), (spec, key, arr.dtype)
        elif isinstance(dtype, list) and isinstance(dtype[0], tuple):  # field, type, shape
            assert [(n, arr.dtype[n].base.str, arr.dtype[n].shape)
                    for n in arr.dtype.names] == dtype, (spec, key, arr.dtype)
        elif isinstance(dtype, list):
            assert list(arr.dtype.names) == dtype, (spec, key)
        else:
            for path, names in dtype.items():
                assert _fields(arr, path) == names, (spec, key, path)
