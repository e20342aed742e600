"""Every built-in GSIM against its verification tables (tests/data/gsim/<Model>/).

``verification.csv`` is computed with the default arguments; ``verification_<arg>_<value>.csv``
with the arguments given, in the TOML form of a GSIM logic tree, by the folder's
``arguments.json`` ({file name: TOML text}); ``{here}`` in the TOML text stands for the
model's folder (for arguments naming data files kept there).
"""
import json
import os

import pytest

from oqcore import load_registry
from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.gsim.verification import check
from oqcore.hazard.logictree import parse_gsim

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim")
TABLES = sorted(d for d in os.listdir(DATA) if os.path.exists(
    os.path.join(DATA, d, "verification.csv")))
#: folders of models needing arguments (e.g. ModifiableGMPE): argument tables only
ARGUMENT_ONLY = sorted(d for d in os.listdir(DATA) if d not in TABLES and os.path.exists(
    os.path.join(DATA, d, "arguments.json")))
RTOL = 1e-6


def _argument_tables():
    out = []
    for model in TABLES + ARGUMENT_ONLY:
        path = os.path.join(DATA, model, "arguments.json")
        if os.path.exists(path):
            with open(path) as f:
                here = os.path.abspath(os.path.join(DATA, model))
                out.extend((model, fname, toml.replace("{here}", here))
                           for fname, toml in sorted(json.load(f).items()))
    return out


def _assert_close(results):
    assert results
    bad = [r for r in results if not r[2] <= RTOL]
    assert not bad, "worst errors: %s" % sorted(bad, key=lambda r: -r[2])[:5]


@pytest.mark.parametrize("model", TABLES)
def test_verification_table(model):
    gsims = builtin_gsims()
    assert model in gsims, "no built-in GSIM %s" % model
    _assert_close(check(gsims[model](), os.path.join(DATA, model, "verification.csv")))


@pytest.mark.parametrize("model, fname, toml", _argument_tables(),
                         ids=lambda v: v if "\n" not in str(v) else "")
def test_verification_table_with_arguments(model, fname, toml):
    gsim = parse_gsim(toml, load_registry())
    assert gsim.kwargs, "the table %s/%s needs arguments" % (model, fname)
    _assert_close(check(gsim, os.path.join(DATA, model, fname)))


def test_every_argument_table_is_listed():
    listed = {(m, f) for m, f, _ in _argument_tables()}
    for model in TABLES + ARGUMENT_ONLY:
        for fname in os.listdir(os.path.join(DATA, model)):
            if fname.startswith("verification_"):
                assert (model, fname) in listed, "%s/%s lacks its arguments" % (model, fname)


@pytest.mark.parametrize("alias, model, fname", [
    ("ParkerEtAl2020SInterCascadiaSeattle", "ParkerEtAl2020SInter",
     "verification_basin_Seattle.csv"),
    ("ParkerEtAl2020SSlabAleutian", "ParkerEtAl2020SSlab",
     "verification_saturation_region_Aleutian.csv"),
    ("AbrahamsonGulerce2020SInterJapan", "AbrahamsonGulerce2020SInter",
     "verification_region_JPN.csv"),
    ("AbrahamsonGulerce2020SSlabCentralAmericaMexico", "AbrahamsonGulerce2020SSlab",
     "verification_region_CAM.csv")])
def test_alias_reproduces_its_argument_table(alias, model, fname):
    gsim = parse_gsim(alias, load_registry())
    assert str(gsim) == alias
    _assert_close(check(gsim, os.path.join(DATA, model, fname)))
