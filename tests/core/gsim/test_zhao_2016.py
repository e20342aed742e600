"""Zhao et al. (2016) with the non-ergodic volcanic path term against OpenQuake 3.26.2."""
import os

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.verification import check
from oqcore.hazard.gsim.zhao_2016 import ZhaoEtAl2016SSlabPErg, volcanic_path_lengths
from oqcore.hazard.logictree import parse_gsim

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim",
                    "ZhaoEtAl2016SSlabPErg")
ZONES = os.path.join(DATA, "volc_zones.geojson")


def test_volcanic_zones_table():
    """The table's contexts carry a random rvolc: the model must use its own path
    lengths through the zones instead (rtol 1e-6)."""
    gsim = ZhaoEtAl2016SSlabPErg(volc_arc_file=os.path.abspath(ZONES))
    results = check(gsim, os.path.join(DATA, "volc_zones_table.csv"))
    assert max(r[2] for r in results) <= 1e-6, sorted(results, key=lambda r: -r[2])[:3]


def test_path_lengths_span_the_bounds():
    gsim = ZhaoEtAl2016SSlabPErg(volc_arc_file=os.path.abspath(ZONES))
    lons = np.full(5, 147.0)
    lats = np.full(5, 44.9)
    rv = volcanic_path_lengths(lons, lats, np.array([147.0, 146.9, 140.0, 149.9, 150.0]),
                               np.array([44.91, 44.8, 40.0, 46.5, 30.0]), gsim.zones)
    assert ((rv == 0) | ((rv >= 12.0) & (rv <= 80.0))).all()
    assert rv.max() > 12.0


def test_file_argument_is_relative_to_the_logic_tree(tmp_path):
    (tmp_path / "zones.geojson").write_text(open(ZONES).read())
    gsim = parse_gsim('[ZhaoEtAl2016SSlabPErg]\nvolc_arc_file = "zones.geojson"',
                      load_registry(), fname=str(tmp_path / "gmpe_logic_tree.xml"))
    assert gsim.volc_arc_file == str(tmp_path / "zones.geojson")
    assert len(gsim.zones) == 1


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInput, match="volc_arc_file nowhere.geojson: no such file"):
        parse_gsim('[ZhaoEtAl2016SSlabPErg]\nvolc_arc_file = "nowhere.geojson"',
                   load_registry(), fname=str(tmp_path / "gmpe_logic_tree.xml"))
