"""Tests of oqcore.hazard.source.fault_ruptures: rupture counts, rates, and contexts
compared with OpenQuake 3.26.2 (tests/data/source/fault_contexts.json, see the README
there)."""
import json
import os
import types

import numpy as np
import pytest

from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.geo.surface import top_edge_ry0
from oqcore.hazard.site import SiteCollection
from oqcore.hazard.source import fault_ruptures as fr
from oqcore.hazard.source.model import SourceConverter, read_source_model
from oqcore.hazard.source.ruptures import mag_rates

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "source")
with open(os.path.join(DATA, "fault_contexts.json")) as f:
    REF = json.load(f)
CASES = {c["name"]: c for c in REF["cases"]}
#: tolerances: geometry and distances to 2e-7 km / degrees (the JSON keeps 9
#: decimals; multi-surface parameters and GC2 rx/ry0 are single precision in
#: OpenQuake and reproduced as such), rates relative 1e-9
ATOL = 2e-7
#: rjb (km) of floating ruptures comes from the window kernel without OpenQuake's
#: shapely polygon (dilated and simplified by 5 m): within 3 m of it
RJB_ATOL = 3e-3
FIELDS = ["mag", "rake", "dip", "strike", "ztor", "width", "hypo_depth", "hypo_lon",
          "hypo_lat", "rrup", "rjb", "rx", "ry0", "rhypo", "repi"]


def _oq(maxdist):
    return types.SimpleNamespace(
        maximum_distance={"default": maxdist}, imtls={"PGA": [0.1]},
        truncation_level=3.0, minimum_distance=0.0, pointsource_distance=None,
        max_sites_disagg=10, min_mag=lambda trt: 0.0,
        max_distance=lambda trt: maxdist)


def _setup(case, tmp_path):
    fname = tmp_path / ("%s.xml" % case["name"])
    fname.write_text(case["source_model"])
    conv = SourceConverter(case["width_of_mfd_bin"], 10.0, case["rupture_mesh_spacing"],
                           case["complex_fault_mesh_spacing"])
    [src] = read_source_model(str(fname), conv)
    s = np.array(case["sites"])
    sitecol = SiteCollection.from_points(s[:, 0], s[:, 1], s[:, 2],
                                         {"vs30": np.full(len(s), 760.0)}, sort=False)
    cmaker = ContextMaker(src.trt, [], _oq(case["maximum_distance"]), sitecol)
    return src, cmaker


def _contexts(src, cmaker):
    ctxs = list(fr.fault_contexts(src, cmaker))
    return np.concatenate(ctxs) if ctxs else cmaker.new_context(0)


def _sorted(arrs):
    keys = [np.round(np.asarray(arrs[k], float), 6) for k in
            ("rrup", "hypo_depth", "hypo_lat", "hypo_lon", "sids", "mag")]
    return np.lexsort(keys)


#: OpenQuake's mean strike of a mesh whose rows run north-south is decided by rounding
#: (see NS_STRIKE_TOL in tests/core/geo/test_faults.py): there the strike is compared
#: modulo 180 within this tolerance (degrees) and ry0 is recomputed with OpenQuake's
#: strike
NS_STRIKE_TOL = 0.05


def _ns_trending(strikes):
    return bool((abs((np.asarray(strikes) + 90) % 180 - 90) < NS_STRIKE_TOL).all())


@pytest.mark.parametrize("name", sorted(CASES))
def test_contexts_match_openquake(name, tmp_path):
    case = CASES[name]
    src, cmaker = _setup(case, tmp_path)
    ctx = _contexts(src, cmaker)
    exp = {k: np.array(v) for k, v in case["contexts"].items()}
    assert len(ctx) == len(exp["mag"])
    i, j = _sorted(ctx), _sorted(exp)
    np.testing.assert_array_equal(ctx["sids"][i], exp["sids"][j].astype(int))
    ns = _ns_trending(exp["strike"])
    for f in FIELDS:
        if ns and f in ("strike", "ry0"):
            continue
        np.testing.assert_allclose(ctx[f][i], exp[f][j], rtol=1e-9,
                                   atol=RJB_ATOL if f == "rjb" else ATOL, err_msg=f)
    if ns:
        delta = (ctx["strike"][i] - exp["strike"][j] + 90) % 180 - 90
        assert (abs(delta) < NS_STRIKE_TOL).all()
        [surface] = fr.characteristic_surfaces(src)
        top = surface.mesh[0:1]
        sites = cmaker.sitecol
        for k, (sid, strike) in enumerate(zip(exp["sids"][j].astype(int),
                                              exp["strike"][j])):
            ry0 = top_edge_ry0(top.lons[0], top.lats[0], strike,
                               np.asarray(sites.lons)[[sid]],
                               np.asarray(sites.lats)[[sid]])
            np.testing.assert_allclose(ry0, exp["ry0"][j][k], rtol=1e-9, atol=ATOL)
    np.testing.assert_allclose(ctx["occurrence_rate"][i], exp["occurrence_rate"][j],
                               rtol=1e-9, atol=0, err_msg="occurrence_rate")


def _all_sites_cmaker(src, case):
    # one site on the fault and an integration distance covering everything
    s = np.array(case["sites"])[:1]
    sitecol = SiteCollection.from_points(s[:, 0], s[:, 1], s[:, 2],
                                         {"vs30": np.full(1, 760.0)}, sort=False)
    return ContextMaker(src.trt, [], _oq(1000.0), sitecol)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rupture_counts_and_rates(name, tmp_path):
    case = CASES[name]
    src, _ = _setup(case, tmp_path)
    cmaker = _all_sites_cmaker(src, case)
    ctx = _contexts(src, cmaker)
    # one site: one row per rupture, as many as OpenQuake's count_ruptures
    assert len(ctx) == case["num_ruptures"]
    mags, rates = mag_rates(src)
    for mag, rate in zip(mags, rates):
        sel = ctx["mag"] == round(mag, 3)
        assert sel.any()
        np.testing.assert_allclose(ctx["occurrence_rate"][sel].sum(), rate, rtol=1e-12)


def test_floating_counts_by_magnitude(tmp_path):
    src, _ = _setup(CASES["simple"], tmp_path)
    surface = fr.simple_fault_surface(src)
    rows, cols = surface.mesh.shape
    mags, _ = mag_rates(src)
    counts = [len(fr.simple_fault_rupture_set(src, surface.mesh,
                                              src.msr.get_median_area(m, src.rake)))
              for m in mags]
    # bigger ruptures have fewer positions; the largest still fits on the fault
    assert counts == sorted(counts, reverse=True)
    assert 1 <= counts[-1] and counts[0] <= rows * cols


def test_filtering_by_distance(tmp_path):
    case = CASES["simple"]
    src, cmaker = _setup(case, tmp_path)
    ctx = _contexts(src, cmaker)
    assert (ctx["rrup"] <= case["maximum_distance"]).all()
    far = len(case["sites"]) - 1  # the last site is far away
    assert far not in ctx["sids"]


def test_multi_surface_params(tmp_path):
    src, _ = _setup(CASES["char_planes"], tmp_path)
    surfaces = fr.characteristic_surfaces(src)
    ms = fr.multi_surface_params(surfaces)
    areas = np.array([s.get_area() for s in surfaces])
    np.testing.assert_allclose(ms["area"], areas.sum(), rtol=1e-6)
    dips = np.array([s.get_dip() for s in surfaces])
    np.testing.assert_allclose(ms["dip"], areas @ dips / areas.sum(), rtol=1e-6)


def test_unsupported_typology():
    with pytest.raises(ValueError):
        list(fr.fault_contexts(object(), None))
