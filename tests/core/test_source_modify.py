"""Logic-tree source modifications (every source-model uncertainty type) against
OpenQuake's numbers (tests/data/logictree/modify_reference.json, made by
make_modify_reference.py with the oracle), plus their error cases."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.source.model import SourceConverter, read_source_model
from oqcore.hazard.source.modify import apply_uncertainty
from oqcore.hazard.source.scaling import msr_from_text

DATA = Path(__file__).parent.parent / "data" / "logictree"
REFERENCE = json.loads((DATA / "modify_reference.json").read_text())


@pytest.fixture(scope="module")
def sources():
    conv = SourceConverter(0.1, 10.0, 2.0, 2.0)
    return {s.source_id: s for s in read_source_model(str(DATA / "modify_sources.xml"),
                                                         conv)}


def _value(row):
    v = row["value"]
    if row["utype"] == "setMSRAbsolute":
        return msr_from_text(v)
    return tuple(v) if isinstance(v, list) else v


@pytest.mark.parametrize("row", REFERENCE, ids=lambda r: "%s-%s-%s" % (
    r["source_id"], r["utype"], r["value"]))
def test_modification_as_openquake(sources, row):
    src = copy.deepcopy(sources[row["source_id"]])
    apply_uncertainty(src, row["utype"], _value(row))
    expected = np.array(row["rates"])
    got = np.array(src.mfd.get_annual_occurrence_rates())
    assert got.shape == expected.shape
    np.testing.assert_allclose(got[:, 0], expected[:, 0], atol=1e-9)
    np.testing.assert_allclose(got[:, 1], expected[:, 1], rtol=1e-6)
    for name, value in row["attributes"].items():
        if name == "msr" and src.CODE == "X":
            continue  # characteristic sources have no scaling relation here
        if name == "msr":
            assert type(src.msr).__name__ == value
        else:
            assert getattr(src, name) == pytest.approx(value, rel=1e-12), name


def test_reference_covers_every_modifying_type():
    from oqcore.hazard.logictree import SOURCE_UNCERTAINTIES
    geometry = {"simpleFaultGeometryAbsolute", "complexFaultGeometryAbsolute",
                "characteristicFaultGeometryAbsolute", "areaSourceGeometryAbsolute"}
    covered = {r["utype"] for r in REFERENCE}
    # geometries are checked end to end (logictree/case_58, case_80 data)
    assert SOURCE_UNCERTAINTIES - {"sourceModel", "extendModel"} - geometry <= covered


@pytest.mark.parametrize("sid, utype, value, words", [
    ("ar", "simpleFaultDipAbsolute", 30.0, "simple fault sources only"),
    ("sf", "setUpperSeismDepthAbsolute", 1.0, "not to a SimpleFaultSource"),
    ("pt", "recomputeMmax", 0.0, "simple fault sources only"),
    ("ar", "maxMagGRRelative", 0.2, "incremental MFD"),
    ("sf", "bACRelative", 0.1, "truncated GR"),
    ("sf", "simpleFaultDipAbsolute", 95.0, "dip"),
    ("pt", "setLowerSeismDepthAbsolute", 0.5, "not be below"),
    ("sf", "setAspectRatioRelative", -2.0, "not positive"),
    ("sf", "maxMagGRRelative", -2.5, "minMag"),
    ("ch", "maxMagAndDeltaMagACRelative", (0.0, 2.6), "deltaMagAC"),
    ("ar", "truncatedGRFromSlipAbsolute", (5.0, 30.0, 9.1), "AreaSource"),
])
def test_modification_errors_name_the_source(sources, sid, utype, value, words):
    src = copy.deepcopy(sources[sid])
    with pytest.raises(InvalidInput) as info:
        apply_uncertainty(src, utype, value)
    msg = str(info.value)
    assert repr(sid) in msg and utype in msg and words in msg
    assert "modify_sources.xml" in msg  # the file of the source


def test_ac_mfd_from_reference_rates_round_trips():
    """The reference-rate form of the AC MFD gives back gamma and totalRate."""
    from oqcore.hazard.source.mfd_ac import AlternativeCharacteristicMFD
    mfd = AlternativeCharacteristicMFD(5.0, 7.5, 0.1, 1.0, 0.5, 0.3, 0.5, 0.05)
    a_gr, a_ac = mfd.zone_a_values()

    def exceedance(a, b, m, hi):  # zone rate above m
        return 10 ** (a - b * m) - 10 ** (a - b * hi)
    back = AlternativeCharacteristicMFD.from_reference_rates(
        5.0, 7.5, 0.1, 1.0, 0.5, 0.5, 5.5, exceedance(a_gr, 1.0, 5.5, 7.0),
        7.2, exceedance(a_ac, 0.5, 7.2, 7.5))
    assert back.gamma == pytest.approx(0.3, rel=1e-10)
    assert back.total_rate == pytest.approx(0.05, rel=1e-10)
    np.testing.assert_allclose(np.array(back.get_annual_occurrence_rates()),
                               np.array(mfd.get_annual_occurrence_rates()), rtol=1e-10)


def test_multi_point_mfd_keeps_only_the_last_modification():
    # OpenQuake 3.26 holds one modification per multi-point MFD: maxMagGRRelative
    # then bGRRelative leaves only the b-value change (logictree/case_28)
    from oqcore.hazard.source.mfd import MultiMFD, TruncatedGRMFD
    mfd = MultiMFD([TruncatedGRMFD(5.5, 6.93, 0.1, 1.0, 0.8), TruncatedGRMFD(5.5, 6.93, 0.1,
                                                                             1.2, 0.8)])
    mfd.modify("maxMagGRRelative", 0.2)
    assert mfd.get_min_max_mag()[1] == pytest.approx(7.05)
    mfd.modify("bGRRelative", 0.05)
    expected = [TruncatedGRMFD(5.5, 6.93, 0.1, a, 0.8) for a in (1.0, 1.2)]
    for m in expected:
        m.modify("bGRRelative", 0.05)
    got = mfd.get_annual_occurrence_rates()
    want = [p for m in expected for p in m.get_annual_occurrence_rates()]
    assert [m for m, _ in got] == pytest.approx([m for m, _ in want])
    assert [r for _, r in got] == pytest.approx([r for _, r in want], rel=1e-12)
