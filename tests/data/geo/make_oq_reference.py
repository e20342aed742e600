"""Generate the OpenQuake reference numbers used by tests/core/geo.

NOT a test and NOT imported by the tests: run it by hand with a Python that has
OpenQuake engine 3.26.2 installed (see README.md in this folder)::

    /tmp/oqref/bin/python tests/data/geo/make_oq_reference.py

It writes planar.json, simple_fault.json and complex_fault.json next to itself.
Fault geometries are read from the QA inputs in ../../../../shared/reference/qa
(or $OQ_QA_DIR); sites are drawn with a fixed seed and stored with the results.
"""
import json
import os
import sys
import types

import numpy as np

# openquake.hazardlib imports fiona at import time (for GeoPackage export only);
# geometry does not need it, so a stub is enough in a venv without GDAL
_fiona = types.ModuleType("fiona")
_crs = types.ModuleType("fiona.crs")
_crs.CRS = object
_fiona.crs = _crs
sys.modules.setdefault("fiona", _fiona)
sys.modules.setdefault("fiona.crs", _crs)

from openquake.baselib import __version__ as OQ_VERSION  # noqa: E402
from openquake.hazardlib import nrml, sourceconverter  # noqa: E402
from openquake.hazardlib.geo import Line, Point  # noqa: E402
from openquake.hazardlib.geo.mesh import Mesh  # noqa: E402
from openquake.hazardlib.geo.surface import (  # noqa: E402
    ComplexFaultSurface, SimpleFaultSurface)
from openquake.hazardlib.geo.surface.planar import (  # noqa: E402
    build_planar, get_distances_planar, planin_dt, project)
from openquake.hazardlib.source import ComplexFaultSource  # noqa: E402
from openquake.hazardlib.source.characteristic import (  # noqa: E402
    CharacteristicFaultSource)

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.environ.get("OQ_QA_DIR") or os.path.join(
    HERE, "..", "..", "..", "..", "shared", "reference", "qa")
RNG = np.random.default_rng(20261201)
DISTS = ("rrup", "rjb", "rx", "ry0")


def rnd(a):
    return np.round(np.asarray(a, float), 12).tolist()


def Sites(arr):
    """sites as an OpenQuake Mesh (it has .lons, .lats, .depths, .xyz)"""
    return Mesh(arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy())


def mesh_sites(mesh):
    """sites above the mesh: a node in the middle and the centre of a cell"""
    r, c = mesh.shape[0] // 2, mesh.shape[1] // 2
    lo, la = mesh.lons, mesh.lats
    return make_sites(lo.ravel(), la.ravel(), extra=[
        [lo[r, c], la[r, c], 0.0],
        [(lo[0, 0] + lo[1, 1]) / 2, (la[0, 0] + la[1, 1]) / 2, 0.0]])


def make_sites(lons, lats, n_grid=6, n_rand=16, pad=0.3, extra=()):
    """Sites around a surface: a grid over the padded bounding box, random ones,
    some far away, a few above the middle, at small depths/elevations."""
    lo0, lo1, la0, la1 = lons.min(), lons.max(), lats.min(), lats.max()
    if lo1 - lo0 > 180:  # date line
        lons = np.where(lons < 0, lons + 360, lons)
        lo0, lo1 = lons.min(), lons.max()
    gx, gy = np.meshgrid(np.linspace(lo0 - pad, lo1 + pad, n_grid),
                         np.linspace(la0 - pad, la1 + pad, n_grid))
    pts = [np.column_stack([gx.ravel(), gy.ravel(), np.zeros(gx.size)])]
    rl = RNG.uniform(lo0 - 1.5 * pad, lo1 + 1.5 * pad, n_rand)
    ra = RNG.uniform(la0 - 1.5 * pad, la1 + 1.5 * pad, n_rand)
    pts.append(np.column_stack([rl, ra, RNG.choice([0, 0, -0.1, 0.5], n_rand)]))
    cl, ca = lons.mean(), lats.mean()
    pts.append(np.array([[cl, ca, 0], [cl + 0.001, ca - 0.001, -0.1],
                         [cl + 2.5, ca, 0], [cl, ca - 3.0, 0], [cl - 1.2, ca + 1.1, 0]]))
    if len(extra):
        pts.append(np.array(extra, float))
    arr = np.concatenate(pts)
    arr[:, 0] = (arr[:, 0] + 180) % 360 - 180
    return arr


def surface_record(surf, sites):
    m = surf.mesh
    rec = dict(
        shape=list(m.shape), lons=rnd(m.lons), lats=rnd(m.lats), depths=rnd(m.depths),
        strike=float(surf.get_strike()), dip=float(surf.get_dip()),
        width=float(surf.get_width()), area=float(surf.get_area()),
        ztor=float(surf.get_top_edge_depth()),
        middle=[float(v) for v in (surf.get_middle_point().x,
                                   surf.get_middle_point().y,
                                   surf.get_middle_point().z)],
        bbox=[float(v) for v in surf.get_bounding_box()],
        sites=rnd(np.column_stack([sites.lons, sites.lats, sites.depths])))
    rec["rrup"] = rnd(surf.get_min_distance(sites))
    rec["rjb"] = rnd(surf.get_joyner_boore_distance(sites))
    rec["rx"] = rnd(surf.get_rx_distance(sites))
    rec["ry0"] = rnd(surf.get_ry0_distance(sites))
    return rec


def rupture_records(src, sites, surf_cls, max_per_mag=3):
    """Per magnitude: area, number of ruptures, and a few ruptures (index in the
    magnitude's list, sub-mesh corners/shape, hypocentre, distances)."""
    out = []
    nmag = len(src.get_annual_occurrence_rates())
    mags = {}
    for rup in src.iter_ruptures():
        mags.setdefault(rup.mag, []).append(rup)
    assert len(mags) == nmag
    idx = np.arange(0, len(sites.lons), 6)
    sub = Mesh(sites.lons[idx], sites.lats[idx], sites.depths[idx])
    mag_list = list(mags)
    detailed = {mag_list[0], mag_list[len(mag_list) // 2], mag_list[-1]}
    for mag, rups in mags.items():
        area = src.magnitude_scaling_relationship.get_median_area(mag, src.rake)
        picks = sorted({0, len(rups) // 2, len(rups) - 1})[:max_per_mag]
        if mag not in detailed:
            picks = []
        sel = []
        for i in picks:
            r = rups[i]
            m = r.surface.mesh
            hypo = r.hypocenter
            sel.append(dict(
                index=i, shape=list(m.shape),
                first=rnd([m.lons[0, 0], m.lats[0, 0], m.depths[0, 0]]),
                last=rnd([m.lons[-1, -1], m.lats[-1, -1], m.depths[-1, -1]]),
                hypo=rnd([hypo.x, hypo.y, hypo.z]),
                strike=float(r.surface.get_strike()),
                site_index=idx.tolist(),
                **{d: rnd(getattr(r.surface, meth)(sub)) for d, meth in zip(
                    DISTS, ("get_min_distance", "get_joyner_boore_distance",
                            "get_rx_distance", "get_ry0_distance"))}))
        out.append(dict(mag=float(mag), area=float(area), num_ruptures=len(rups),
                        ruptures=sel))
    return out


def load_sources(path, mesh_spacing, cf_spacing=None, width=0.1):
    conv = sourceconverter.SourceConverter(
        investigation_time=1., rupture_mesh_spacing=mesh_spacing,
        complex_fault_mesh_spacing=cf_spacing or mesh_spacing,
        width_of_mfd_bin=width, area_source_discretization=10.)
    sm = nrml.to_python(os.path.join(QA, path), conv)
    return [src for grp in sm.src_groups for src in grp]


# ---------------------------------------------------------------------------
def planar_cases():
    cases = []
    configs = [
        # lon, lat, usd, lsd, aspect, hypo depths, [(strike, dip, area)]
        (0.0, 0.0, 0.0, 10.0, 1.0, [0.5, 5.0, 9.8],
         [(0, 90, 1.2571), (0, 90, 31.6), (45, 60, 10.0), (330, 80, 120.0)]),
        (10.3, 44.1, 2.0, 15.0, 1.5, [1.0, 8.0, 14.0],
         [(12.5, 30, 55.0), (200, 45, 400.0), (275, 89.9, 5.0), (120, 15, 900.0)]),
        (-178.9, -29.5, 5.0, 25.0, 2.0, [10.0, 24.0],
         [(359.0, 70, 250.0), (180, 20, 2500.0)]),
    ]
    # hypocentres at a given fraction of the width down dip (hypoDepthDist with
    # fixed dip fractions): same as the second source, fractions 0.1 and 0.9
    configs.append(configs[1][:5] + ([3.0, 8.0],) + (configs[1][6],) + ([0.1, 0.9],))
    for lon, lat, usd, lsd, rar, depths, planes, *fracs in configs:
        fracs = np.array(fracs[0]) if fracs else None
        planin = np.zeros((len(planes), 1), planin_dt).view(np.recarray)
        for i, (strike, dip, area) in enumerate(planes):
            planin[i, 0] = (5.0, strike, dip, 0.0, 1.0, lon, lat, area)
        hdd = np.array([(1.0 / len(depths), d) for d in depths])
        pla = build_planar(planin, hdd, lon, lat, usd, lsd, rar,
                           dip_fracs=fracs)  # (M, 1, D)
        pla = pla.reshape(-1, 3).view(np.recarray)  # (M * D, 3) in (m, d) order
        # OpenQuake's corner order is tl, tr, bl, br; store TL, TR, BR, BL
        corners = pla.corners.transpose(0, 2, 1)[:, [0, 1, 3, 2], :]  # (U, 4, 3)
        allc = corners.reshape(-1, 3)
        sites = make_sites(allc[:, 0], allc[:, 1], n_grid=7, n_rand=20, pad=0.4)
        s = Sites(sites)
        rec = dict(lon=lon, lat=lat, usd=usd, lsd=lsd, aspect_ratio=rar,
                   hypo_depths=depths, planes=[list(p) for p in planes],
                   dip_fracs=None if fracs is None else fracs.tolist(),
                   corners=rnd(corners), strikes=rnd(pla.sdr[:, 0]),
                   width=rnd(pla.wlr[:, 0]), length=rnd(pla.wlr[:, 1]),
                   sites=rnd(sites))
        for d in ("rrup",):
            rec[d] = rnd(project(pla, s.xyz)[0])
        for d in ("rjb", "rx", "ry0"):
            rec[d] = rnd(get_distances_planar(pla, s, d))
        cases.append(rec)
    return cases


def simple_cases():
    cases = []
    specs = [
        ("classical/case_04/input/sm.xml", 5.0, None),
        ("classical/case_28/input/source_model.xml", 5.0, None),
        ("event_based_risk/case_4a/input/source_model.xml", 2.0, None),
        ("logictree/case_20/input/source_model.xml", 2.0, "SFLT1"),
        ("logictree/case_30/input/ssm/shallow/shallow_faults.xml", 5.0, "sf_84"),
    ]
    for path, spacing, only in specs:
        for src in load_sources(path, spacing):
            if only and src.source_id != only:
                continue
            if isinstance(src, CharacteristicFaultSource):
                surf = src.surface
                trace = None
                geom = surf.surface_nodes[0]
            elif hasattr(src, "fault_trace"):
                geom = None
                trace = src.fault_trace
                surf = SimpleFaultSurface.from_fault_data(
                    trace, src.upper_seismogenic_depth, src.lower_seismogenic_depth,
                    src.dip, spacing)
            else:
                continue
            if geom is not None:  # characteristic: rebuild from its node
                pos = [float(v) for v in geom[0][0].text]
                trace = Line([Point(pos[i], pos[i + 1]) for i in range(0, len(pos), 2)])
                dip = float(geom.dip.text)
                usd = float(geom.upperSeismoDepth.text)
                lsd = float(geom.lowerSeismoDepth.text)
            else:
                dip, usd, lsd = (src.dip, src.upper_seismogenic_depth,
                                 src.lower_seismogenic_depth)
            sites = Sites(mesh_sites(surf.mesh))
            rec = dict(source=path + ":" + src.source_id, trace=rnd(trace.coo[:, :2]),
                       usd=usd, lsd=lsd, fault_dip=dip, mesh_spacing=spacing,
                       resampled_trace=rnd(trace.resample(spacing).coo))
            rec.update(surface_record(surf, sites))
            if not isinstance(src, CharacteristicFaultSource):
                rec["aspect_ratio"] = float(src.rupture_aspect_ratio)
                rec["hypo_depths"] = [list(h) for h in (src.hypo_depth_list or [])]
                rec["magnitudes"] = rupture_records(src, sites, SimpleFaultSurface)
                rec["count_ruptures"] = int(src.count_ruptures())
            cases.append(rec)
    return cases


def complex_cases():
    cases = []
    specs = [
        ("derived/char_complex_zhao/input/source_model.xml", 5.0, None),
        ("logictree/case_20/input/source_model.xml", 2.0, "COMFLT1"),
        ("disagg/case_7/input/int_col_50km.xml", 100.0, None),
        ("logictree/case_30/input/ssm/shallow/int_kt.xml", 50.0, None),
        ("disagg/case_1/input/source_model.xml", 5.0, None),
    ]
    for path, spacing, only in specs:
        for src in load_sources(path, spacing, spacing, width=0.5):
            if only and src.source_id != only:
                continue
            if isinstance(src, ComplexFaultSource):
                edges = src.edges
            elif isinstance(src, CharacteristicFaultSource) and isinstance(
                    src.surface, ComplexFaultSurface):
                node = src.surface.surface_nodes[0]
                edges = []
                for e in node:
                    pos = [float(v) for v in e[0][0].text]
                    edges.append(Line([Point(*pos[i:i + 3])
                                       for i in range(0, len(pos), 3)]))
            else:
                continue
            surf = ComplexFaultSurface.from_fault_data(edges, spacing)
            sites = Sites(mesh_sites(surf.mesh))
            rec = dict(source=path + ":" + src.source_id,
                       edges=[rnd(e.coo) for e in edges], mesh_spacing=spacing)
            rec.update(surface_record(surf, sites))
            if isinstance(src, ComplexFaultSource):
                rec["aspect_ratio"] = float(src.rupture_aspect_ratio)
                rec["magnitudes"] = rupture_records(src, sites, ComplexFaultSurface)
                rec["count_ruptures"] = int(src.count_ruptures())
            cases.append(rec)
    return cases


def main():
    meta = dict(generated_by="tests/data/geo/make_oq_reference.py",
                openquake_version=OQ_VERSION)
    for name, fn in (("planar", planar_cases), ("simple_fault", simple_cases),
                     ("complex_fault", complex_cases)):
        cases = fn()
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(dict(meta=meta, cases=cases), f, separators=(",", ":"))
        print(name, len(cases), "cases")


if __name__ == "__main__":
    main()
