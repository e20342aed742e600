"""GridAdjustedGMPE: against OpenQuake 3.26.2 on the grid file of its classical case_11
(tests/data/gsim/GridAdjustedGMPE), and on small grid files written here."""
import json
import os

import h3
import h5py
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.geo import geodetic
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.grid_adjusted import PATH_POINTS
from oqcore.hazard.gsim.verification import check
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim", "GridAdjustedGMPE")
GRID = os.path.join(DATA, "grid_adjustments.hdf5")


def _model(path, extra=""):
    toml = '[GridAdjustedGMPE]\ngmpe_name = "AkkarEtAlRjb2014"\ngrid_hdf5_file = %s\n%s' % (
        json.dumps(path), extra)
    return parse_gsim(toml, load_registry())


@pytest.mark.parametrize("table", ["oracle_case_11_grid.csv", "oracle_path_cells.csv"])
def test_against_openquake(table):
    # case_11_grid: sites and hypocentres among the cells (site and hypocentre terms);
    # path_cells: where OpenQuake 3.26 puts the cells of path terms
    results = check(_model(GRID), os.path.join(DATA, table))
    assert max(r[2] for r in results) <= 1e-6


def _grid_file(path, terms, cell, value=0.01, sig=None, sig_attr=None):
    with h5py.File(path, "w") as f:
        f.attrs["res_terms"] = json.dumps(terms)
        for term in terms:
            grp = f.create_group("%s/PGA" % term)
            grp["cell_id"] = np.array([cell.encode()])
            grp[term] = np.array([value])
            if sig is not None:
                grp["%s_sig" % term] = np.array([sig])
            if sig_attr is not None:
                grp.attrs["%s_sig" % term] = sig_attr
    return path


def _ctx(lons, lats, hlons, hlats):
    n = len(lons)
    return make_context(n, mag=6.0, rake=0.0, rjb=10.0, vs30=400.0, lon=lons, lat=lats,
                        hypo_lon=hlons, hypo_lat=hlats)


def test_geographic_path_inside_one_cell(tmp_path):
    cell = h3.latlng_to_cell(45.0, 10.0, 4)
    lat0, lon0 = h3.cell_to_latlng(cell)
    path = _grid_file(str(tmp_path / "g.hdf5"), {"att": {"location": "path"}}, cell)
    ctx = _ctx([lon0, lon0 + 0.02], [lat0, lat0], [lon0 + 0.02, 120.0], [lat0, -30.0])
    base = parse_gsim("AkkarEtAlRjb2014", load_registry()).get_mean_stds(ctx, [IMT("PGA")])
    geo = _model(path, 'path_cells = "geographic"').get_mean_stds(ctx, [IMT("PGA")])
    spacing = geodetic.geodetic_distance(lon0, lat0, lon0 + 0.02, lat0) / (PATH_POINTS - 1)
    # a path wholly inside the cell: every point counts
    assert geo[0, 0, 0] - base[0, 0, 0] == pytest.approx(0.01 * PATH_POINTS * spacing)
    # a long path leaves the cell after a few points
    extra = geo[0, 0, 1] - base[0, 0, 1]
    assert 0 < extra < 0.01 * PATH_POINTS * spacing * 1000
    # OpenQuake's placement puts this cell near lon 45, lat 10: no term here
    oq = _model(path).get_mean_stds(ctx, [IMT("PGA")])
    np.testing.assert_allclose(oq, base)


@pytest.mark.parametrize("action, expected", [
    ("replace", lambda s: 0.2), ("add", lambda s: np.sqrt(s ** 2 + 0.04)),
    ("sub", lambda s: np.sqrt(s ** 2 - 0.04))])
def test_sigma_actions_on_total(tmp_path, action, expected):
    cell = h3.latlng_to_cell(45.0, 10.0, 3)
    terms = {"dS2S": {"location": "site", "sig_adjustment": action, "sig_comp_modified": "sig"}}
    path = _grid_file(str(tmp_path / "g.hdf5"), terms, cell, value=0.1, sig=0.2)
    ctx = _ctx([10.0, -70.0], [45.0, 10.0], [10.0, 10.0], [45.0, 45.0])
    base = parse_gsim("AkkarEtAlRjb2014", load_registry()).get_mean_stds(ctx, [IMT("PGA")])
    got = _model(path).get_mean_stds(ctx, [IMT("PGA")])
    assert got[0, 0, 0] == pytest.approx(base[0, 0, 0] + 0.1)
    assert got[0, 0, 1] == pytest.approx(base[0, 0, 1])  # outside every cell: no term
    assert got[1, 0, 0] == pytest.approx(expected(base[1, 0, 0]))


@pytest.mark.parametrize("terms, kw, message", [
    ({"t": {"location": "epicentre"}}, {}, "location of term"),
    ({"t": {"location": "site", "sig_adjustment": "sub"}}, {"sig": 0.1},
     "sig_comp_modified"),
    ({"t": {"location": "site", "sig_adjustment": "sub", "sig_comp_modified": "phi"}},
     {"sig": 0.1, "sig_attr": 0.1}, "both"),
    ({"t": {"location": "path", "sig_adjustment": "sub", "sig_comp_modified": "sig"}},
     {"sig": 0.1}, "one sigma value"),
    ({"t": {"location": "site", "sig_adjustment": "add", "sig_comp_modified": "tau"}},
     {}, "lacks t_sig"),
])
def test_bad_grid_files(tmp_path, terms, kw, message):
    path = _grid_file(str(tmp_path / "bad.hdf5"), terms, h3.latlng_to_cell(45, 10, 3), **kw)
    with pytest.raises(InvalidInput, match=message):
        _model(path)


def test_bad_arguments(tmp_path):
    with pytest.raises(InvalidInput, match="path_cells"):
        _model(GRID, 'path_cells = "sideways"')
    with pytest.raises(InvalidInput, match="res_terms"):
        with h5py.File(str(tmp_path / "empty.hdf5"), "w"):
            pass
        _model(str(tmp_path / "empty.hdf5"))
