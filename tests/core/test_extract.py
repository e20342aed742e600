"""Extraction: spec parsing (NAME, NAME?QUERY, NAME/REST), query literals, kind
normalisation, the npz encoding, raw datastore paths and ``.attrs``
(../shared/spec/extract-specs.md, sections 1.1-1.7)."""
from __future__ import annotations

import io
import json

import h5py
import numpy as np
import pytest

from oqcore import hookimpl, load_registry
from oqcore.datastore import DataStore
from oqcore.errors import InvalidInput, UnknownPlugin
from oqcore.extract import (ArrayWrapper, Table, extract, from_npz, literal,
                            normalise_kinds, parse_query, split_spec, to_npz_bytes)
from oqcore.registry import ExtractorSpec


class EchoPlugin:
    """Registers ``echo``: an extract spec returning what it received."""

    @hookimpl
    def oq_register_extractors(self, registry):
        def echo(dstore, query, rest):
            return ArrayWrapper(None, {"query": json.dumps(query), "rest": rest})
        registry.add_extractor(ExtractorSpec("echo", echo))


@pytest.fixture
def registry():
    """A fresh registry: the built-in plugins and the ``echo`` spec."""
    return load_registry(plugins=[EchoPlugin()], entry_points=False)


@pytest.fixture
def dstore(tmp_path):
    """A small datastore: a labelled dataset with attributes, a table, a vlen-string
    dataset and a scalar."""
    ds = DataStore(str(tmp_path / "calc_7.hdf5"), "w")
    ds.save_labelled("hcurves-stats", np.arange(24, dtype=np.float32).reshape(2, 1, 3, 4),
                     site_id=2, stat=["mean"], imt=["PGA", "SA(0.1)", "SA(1.0)"], lvl=4)
    ds.hdf5["hcurves-stats"].attrs["nsites"] = 2
    ds.hdf5["hcurves-stats"].attrs["investigation_time"] = 50.0
    ds.save_table("source_info", {"source_id": np.array(["a", "b"], dtype=object),
                                  "num_ruptures": np.array([3, 4])})
    ds.hdf5["source_info"].attrs["K"] = 2
    ds["weights"] = np.array([0.4, 0.6])
    yield ds
    ds.close()


# ------------------------------------------------------------------ spec strings
@pytest.mark.parametrize("spec, expected", [
    ("hcurves", ("hcurves", "", "")),
    ("hcurves?kind=mean&imt=PGA", ("hcurves", "", "kind=mean&imt=PGA")),
    ("agg_losses/structural", ("agg_losses", "structural", "")),
    ("agg_losses/structural?taxonomy=RC", ("agg_losses", "structural?taxonomy=RC",
                                           "taxonomy=RC")),
    ("disagg/a/b?x=1?y", ("disagg", "a/b?x=1?y", "x=1?y")),
    # rule 1 comes first: a "/" anywhere, even in the query, splits the spec there
    ("weird?x=a/b", ("weird?x=a", "b", "")),
    ("hcurves-stats.attrs", ("hcurves-stats.attrs", "", "")),
])
def test_split_spec(spec, expected):
    assert split_spec(spec) == expected


def test_dispatch_name_rest_and_query(dstore, registry):
    aw = extract(dstore, "echo/structural/x?taxonomy=RC&taxonomy=W", registry)
    assert aw.rest == "structural/x"
    assert json.loads(aw.query) == {"taxonomy": ["RC", "W"]}
    aw = extract(dstore, "echo?site_id=0&kind=mean", registry)
    assert aw.rest == "" and json.loads(aw.query) == {"site_id": [0], "kind": ["mean"]}
    aw = extract(dstore, "echo", registry)  # a bare registered name: empty query
    assert aw.rest == "" and json.loads(aw.query) == {}


@pytest.mark.parametrize("spec", ["nosuch?x=1", "nosuch/rest"])
def test_unregistered_name_with_query_or_rest(dstore, registry, spec):
    with pytest.raises(UnknownPlugin) as info:
        extract(dstore, spec, registry)
    assert "echo" in info.value.available and "hcurves" in info.value.available


# ------------------------------------------------------------------ queries
def test_parse_query():
    q = parse_query("kind=rlz-0&kind=mean&site_id=0&imt=SA(0.1)&poes=[0.1,0.02]"
                    "&flag=True&x=1e3&name='abc'&t=(1,2)&blank=&none=None")
    assert q == {"kind": ["rlz-0", "mean"], "site_id": [0], "imt": ["SA(0.1)"],
                 "poes": [[0.1, 0.02]], "flag": [True], "x": [1000.0], "name": ["abc"],
                 "t": [(1, 2)], "blank": [""], "none": [None]}
    assert all(isinstance(v, list) for v in q.values())
    assert type(q["site_id"][0]) is int and type(q["x"][0]) is float


def test_query_values_are_never_executed():
    q = parse_query("a=__import__('os').getcwd()&b=1%2B1&c=[1,2]*9**9**9&d=lambda: 0")
    assert q == {"a": ["__import__('os').getcwd()"], "b": ["1+1"], "c": ["[1,2]*9**9**9"],
                 "d": ["lambda: 0"]}


def test_loss_type_keeps_the_plus():
    q = parse_query("loss_type=structural+nonstructural&loss_type=contents&x=a+b")
    assert q["loss_type"] == ["structural+nonstructural", "contents"]
    assert q["x"] == ["a b"]  # elsewhere "+" is a space, as in any query string


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("-3", -3), ("0.1", 0.1), ("True", True), ("None", None), ("[1, 2]", [1, 2]),
    ("{'a': 1}", {"a": 1}), ("'x'", "x"), ("PGA", "PGA"), ("SA(0.1)", "SA(0.1)"),
    ("rlz-3", "rlz-3"), ("quantile-0.15", "quantile-0.15"), ("", ""), ("1 2", "1 2"),
    ("9" * 5000, "9" * 5000)])
def test_literal(text, value):
    got = literal(text)
    assert got == value and type(got) is type(value)


# ------------------------------------------------------------------ kinds
STATS = ["mean", "std", "quantile-0.15", "quantile-0.85", "max"]


@pytest.mark.parametrize("kinds, names, ks, rlzs", [
    (["mean"], ["mean"], [0], False),
    (["quantile-0.15", "mean"], ["quantile-0.15", "mean"], [2, 0], False),
    (["stats"], STATS, [0, 1, 2, 3, 4], False),
    (["rlzs"], ["rlz-000", "rlz-001", "rlz-002"], [0, 1, 2], True),
    (["rlz-2"], ["rlz-2"], [2], True),
    (["rlz-002"], ["rlz-002"], [2], True),  # kept verbatim as typed
    (["mean", "rlz-1"], ["mean", "rlz-1"], [0, 1], True),
    (["median"], [], [], False),  # unknown names are silently ignored
    (["rlz-x"], [], [], False),
    ([], [], [], False),
])
def test_normalise_kinds(kinds, names, ks, rlzs):
    assert normalise_kinds(kinds, STATS, 3) == (names, ks, rlzs)


def test_stat_not_computed_is_ignored():
    assert normalise_kinds(["max"], ["mean"], 1) == ([], [], False)


@pytest.mark.parametrize("kind", ["rlz-3", "rlz-30", "rlz--1"])
def test_realization_out_of_range(kind):
    with pytest.raises(InvalidInput, match="realization"):
        normalise_kinds([kind], STATS, 3)


# ------------------------------------------------------------------ npz encoding
def npz_members(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def test_npz_encoding_of_python_values():
    aw = ArrayWrapper(np.arange(6, dtype=np.float32).reshape(2, 3), {
        "imt": "SA(0.1)", "kind": ["mean", "max"], "k": [0, 4], "poes": [0.1, 0.02],
        "rlzs": False, "num": 3, "it": 50.0, "none_yet": [], "_private": "hidden"})
    m = npz_members(to_npz_bytes(aw))
    # the order of the reference answers: the attributes, then extra, then array
    assert list(m) == ["imt", "kind", "k", "poes", "rlzs", "num", "it", "none_yet",
                       "extra", "array"]
    expected = {"array": ("float32", (2, 3)), "imt": ("|S7", ()), "kind": ("<U4", (2,)),
                "k": ("int64", (2,)), "poes": ("float64", (2,)), "rlzs": ("bool", ()),
                "num": ("int64", ()), "it": ("float64", ()), "none_yet": ("float64", (0,)),
                "extra": ("<U5", (1,))}
    assert {k: (v.dtype.str if v.dtype.kind == "S" or v.dtype.kind == "U" else
                v.dtype.name, v.shape) for k, v in m.items()} == expected
    assert m["imt"][()] == b"SA(0.1)"
    assert m["extra"].tolist() == ["value"]


def test_npz_round_trip():
    arr = np.zeros(3, [("lon", np.float64), ("lat", np.float64), ("id", np.uint32)])
    arr["lon"] = [1.5, 2.5, 3.5]
    arr["id"] = [7, 8, 9]
    aw = ArrayWrapper(arr, {"imt": "PGA", "kind": ["mean"], "k": [0], "it": 50.0},
                      extra=["poe-0.1", "poe-0.2"])
    data = to_npz_bytes(aw)
    assert data[:2] == b"PK"  # a zip archive
    back = from_npz(data)
    assert back.members() == aw.members()
    np.testing.assert_array_equal(back.array, arr)
    assert back.array.dtype == arr.dtype
    assert back.imt == b"PGA"  # strings travel as UTF-8 bytes
    assert back.kind.tolist() == ["mean"] and back.k.tolist() == [0]
    assert float(back.it) == 50.0
    assert list(back.extra) == ["poe-0.1", "poe-0.2"]
    assert to_npz_bytes(back) and npz_members(to_npz_bytes(back)).keys() == npz_members(
        data).keys()


def test_npz_is_compressed():
    zeros = ArrayWrapper(np.zeros(100_000))
    assert len(to_npz_bytes(zeros)) < 10_000


def test_empty_array_is_not_a_member():
    assert ArrayWrapper(np.array([])).members() == ["extra"]
    assert ArrayWrapper(np.zeros((0, 3))).members() == ["extra"]
    assert ArrayWrapper([]).members() == ["extra"]
    assert ArrayWrapper(None, {"a": 1}).members() == ["a", "extra"]


ZERO_D = ("ArrayWrapper.__init__ calls len() on a 0-d array (it has __len__, but len() "
          "raises TypeError: len() of unsized object)")


def test_zero_dimensional_array_is_kept():
    aw = ArrayWrapper(np.array(0.5))
    assert aw.members() == ["extra", "array"]
    assert float(from_npz(to_npz_bytes(aw)).array) == 0.5


def test_raw_scalar_dataset(dstore, registry):
    dstore.save_json("hcurves-info", {"num_rlzs": 1})
    aw = extract(dstore, "hcurves-info", registry)
    assert json.loads(aw.array[()]) == {"num_rlzs": 1}


def test_object_members_are_pickled_as_in_the_reference():
    data = to_npz_bytes(ArrayWrapper(None, {"mixed": ["a", 1]}))
    with pytest.raises(ValueError):
        npz_members(data)  # a client refusing pickles cannot read it
    with np.load(io.BytesIO(data), allow_pickle=True) as npz:
        assert npz["mixed"].tolist() == ["a", 1]


def test_table_encoding():
    t = Table({"source_id": ["a", "bb"], "num_ruptures": [3, 4], "weight": [0.5, 0.25]})
    m = npz_members(to_npz_bytes(t))
    assert list(m) == ["source_id", "num_ruptures", "weight"]  # no array, no extra
    assert m["source_id"].tolist() == ["a", "bb"]
    assert m["num_ruptures"].dtype.kind == "i" and m["weight"].dtype == np.float64


# ------------------------------------------------------------------ raw paths, .attrs
def test_raw_dataset(dstore, registry):
    aw = extract(dstore, "hcurves-stats", registry)
    members = aw.members()
    assert members[-2:] == ["extra", "array"]
    assert set(members[:-2]) == {"json", "nsites", "investigation_time"}
    assert aw.array.shape == (2, 1, 3, 4) and aw.array.dtype == np.float32
    assert json.loads(aw.json)["shape_descr"] == ["site_id", "stat", "imt", "lvl"]
    m = npz_members(to_npz_bytes(aw))
    assert m["json"].dtype.kind == "S"  # a string attribute travels as bytes
    np.testing.assert_array_equal(m["array"], np.arange(24).reshape(2, 1, 3, 4))


def test_raw_group(dstore, registry):
    aw = extract(dstore, "source_info", registry)
    assert aw.array.tolist() == ["num_ruptures", "source_id"]  # member names
    assert aw.K == 2


def test_attrs_of_a_dataset(dstore, registry):
    aw = extract(dstore, "hcurves-stats.attrs", registry)
    assert set(aw.members()) == {"json", "nsites", "investigation_time", "extra"}
    assert aw.members()[-1] == "extra"
    assert not hasattr(aw, "array")
    assert isinstance(aw.json, bytes)
    assert json.loads(aw.json) == {"shape_descr": ["site_id", "stat", "imt", "lvl"],
                                   "site_id": 2, "stat": ["mean"],
                                   "imt": ["PGA", "SA(0.1)", "SA(1.0)"], "lvl": 4}
    assert aw.nsites == 2 and aw.investigation_time == 50.0
    m = npz_members(to_npz_bytes(aw))
    assert int(m["nsites"]) == 2 and float(m["investigation_time"]) == 50.0
    assert json.loads(m["json"][()].decode())["lvl"] == 4


def test_attrs_of_a_group_and_of_a_bare_dataset(dstore, registry):
    aw = extract(dstore, "source_info.attrs", registry)
    assert aw.__pdcolumns__ == b"source_id num_ruptures" and aw.K == 2
    assert extract(dstore, "weights.attrs", registry).members() == ["extra"]


@pytest.mark.parametrize("spec", ["nothere", "nothere.attrs"])
def test_missing_raw_path(dstore, registry, spec):
    with pytest.raises(KeyError, match="No 'nothere' found"):
        extract(dstore, spec, registry)


def test_registered_name_wins_over_the_raw_path(dstore, registry):
    # "weights" is a dataset here and a built-in spec: the spec serves it
    aw = extract(dstore, "weights", registry)
    assert aw.array.dtype == np.float64
    np.testing.assert_allclose(aw.array, [0.4, 0.6], rtol=0)


def test_vlen_strings_are_decoded(tmp_path, registry):
    with DataStore(str(tmp_path / "calc_8.hdf5"), "w") as ds:
        ds.hdf5["names"] = np.array(["a", "bb"], dtype=h5py.string_dtype())
        aw = extract(ds, "names", registry)
        with np.load(io.BytesIO(to_npz_bytes(aw)), allow_pickle=True) as npz:
            assert [x.decode() if isinstance(x, bytes) else x
                    for x in npz["array"].tolist()] == ["a", "bb"]


# ------------------------------------------------------------------ the local Extractor
def test_extractor_goes_through_the_registry(tmp_path, registry):
    """Extractor(-1) finds the last calculation of the job database, runs third-party
    specs (``echo``) and raw paths, and closes its datastore."""
    from oqcore.config import Settings
    from oqcore.datastore import calc_path
    from oqcore.errors import NotFound
    from oqcore.extract import Extractor
    from oqcore.jobs.db import JobDB
    settings = Settings.load(datadir=str(tmp_path), db_file=str(tmp_path / "db.sqlite3"))
    db = JobDB(settings.db_file)
    first = db.create_job("first", "me", "classical")
    last = db.create_job("last", "me", "classical")
    for job_id in (first, last):
        with DataStore(calc_path(str(tmp_path), job_id), "w") as ds:
            ds["weights"] = np.array([1.0 * job_id])
            ds.save_json("oqparam", {"description": "job %d" % job_id})
    with Extractor(-1, registry, settings) as ex:
        assert ex.calc_id == last and repr(ex) == "<Extractor calc_id=%d>" % last
        aw = ex.get("echo/structural?taxonomy=RC")
        assert aw.rest == "structural" and json.loads(aw.query) == {"taxonomy": ["RC"]}
        assert ex.get("weights").array.tolist() == [float(last)]
        assert ex.oqparam["description"] == "job %d" % last
    assert not ex.dstore.hdf5  # closed
    with Extractor(-2, registry, settings) as ex:
        assert ex.calc_id == first
    with pytest.raises(NotFound, match="calculation 99 does not exist"):
        Extractor(99, registry, settings)
    with pytest.raises(NotFound, match="no 3-th last calculation"):
        Extractor(-3, registry, settings)


def test_array_wrapper_access():
    aw = ArrayWrapper(np.zeros((3, 2)), {"imt": "PGA", "rlz-000": np.ones(2)})
    assert repr(aw) == "<ArrayWrapper(3, 2)>" and aw.shape == (3, 2)
    assert aw["rlz-000"].tolist() == [1.0, 1.0] and "imt" in aw and "mean" not in aw
    assert vars(aw) == aw.to_dict() and list(vars(aw)) == ["array", "imt", "rlz-000",
                                                           "extra"]
    with pytest.raises(KeyError, match="'mean' is not a member of this result: it has "
                       "imt, rlz-000, extra, array"):
        aw["mean"]
    no_array = ArrayWrapper(None, {"mean": np.zeros(2), "kind": ["mean"]})
    assert repr(no_array) == "<ArrayWrapper mean kind extra>" and no_array.shape == ()
