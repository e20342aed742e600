"""Generate kite_meshes_holes.json: kite surfaces whose profiles (or the edges between
them) differ in length, meshed by OpenQuake engine 3.26.2 (grids with missing nodes).

NOT a test and NOT imported by the tests: run it by hand with OpenQuake's Python::

    /work/oqvenv/bin/python tests/data/source/make_kite_reference.py QA_TESTS_DATA

The profiles come from kite sections of OpenQuake's qa_tests_data (classical case_62,
case_65, case_67) plus two synthetic sets; each case stores the profiles, the spacing,
OpenQuake's grid (NaN for missing nodes), width, dip, strike, ztor, middle point, area
and, for a few sites, rrup, rjb, rx and ry0.
"""
import json
import os
import sys

import numpy as np
from openquake.hazardlib import nrml
from openquake.hazardlib.geo import Line, Point
from openquake.hazardlib.geo.mesh import Mesh
from openquake.hazardlib.geo.surface.kite_fault import KiteSurface

HERE = os.path.dirname(os.path.abspath(__file__))


def kite_profiles(fname, limit):
    out = []

    def walk(node):
        yield node
        for child in node:
            yield from walk(child)

    for node in walk(nrml.read(fname)):
        if node.tag.endswith("kiteSurface"):
            profs = []
            for p in node:
                coo = np.array(~p.LineString.posList, float).reshape(-1, 3)
                profs.append(coo.tolist())
            out.append(profs)
    return out[:limit]


def record(profs, spacing):
    lines = [Line([Point(*c) for c in p]) for p in profs]
    surf = KiteSurface.from_profiles(lines, spacing, spacing)
    m = surf.mesh
    lo, la = np.nanmean(m.lons), np.nanmean(m.lats)
    sites = np.array([[lo, la, 0.0], [lo + 0.2, la - 0.1, 0.0], [lo - 0.3, la + 0.25, 0.0],
                      [lo + 0.05, la + 0.4, 0.0]])
    smesh = Mesh(sites[:, 0], sites[:, 1], sites[:, 2])
    return dict(profiles=profs, spacing=spacing, lons=m.lons.tolist(),
                lats=m.lats.tolist(), depths=m.depths.tolist(),
                width=float(surf.get_width()), dip=float(surf.get_dip()),
                strike=float(surf.get_strike()), ztor=float(surf.get_top_edge_depth()),
                middle=[float(v) for v in (surf.get_middle_point().longitude,
                                           surf.get_middle_point().latitude,
                                           surf.get_middle_point().depth)],
                area=float(surf.get_area()), sites=sites.tolist(),
                rrup=surf.get_min_distance(smesh).tolist(),
                rjb=surf.get_joyner_boore_distance(smesh).tolist(),
                rx=surf.get_rx_distance(smesh).tolist(),
                ry0=surf.get_ry0_distance(smesh).tolist())


def main(qa):
    cases = []
    for prof in kite_profiles(os.path.join(qa, "classical/case_65/sections.xml"), 2):
        cases.append(record(prof, 5.0))
    for prof in kite_profiles(os.path.join(qa, "classical/case_62/Source_model_1_bis.xml"),
                              3):
        cases.append(record(prof, 1.0))
    for prof in kite_profiles(
            os.path.join(qa, "classical/case_67/ssm/test_source_sections.xml"), 2):
        cases.append(record(prof, 2.0))
    # synthetic: a short profile between two long ones; three diverging profiles
    cases.append(record([[[0, 0, 0], [0, 0.1, 15]], [[0.1, 0, 0], [0.1, 0.05, 8]],
                         [[0.2, 0, 0], [0.2, 0.1, 15]]], 2.0))
    cases.append(record([[[0, 0, 0], [0.0, 0.1, 10]], [[0.1, 0, 0], [0.12, 0.1, 10]],
                         [[0.2, 0, 0], [0.3, 0.12, 12]]], 2.0))
    with open(os.path.join(HERE, "kite_meshes_holes.json"), "w") as f:
        json.dump(cases, f)
    print("wrote %d cases" % len(cases))


if __name__ == "__main__":
    main(sys.argv[1])
