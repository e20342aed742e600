"""Reference values of the logic-tree source modifications, computed by OpenQuake.

Run with the ORACLE's Python (OpenQuake 3.26.2 installed), from the repository root::

    /work/oqvenv/bin/python tests/data/logictree/make_modify_reference.py \\
        tests/data/logictree/modify_sources.xml tests/data/logictree/modify_reference.json

For each (source, uncertainty type, value) of CASES it applies the uncertainty to a fresh
copy of the source and records the MFD (magnitude, rate) bins and the source
attributes the uncertainty may change. The project never imports OpenQuake: only the
JSON file is used by tests/core/test_source_modify.py.
"""
import copy
import json
import sys

from openquake.hazardlib import nrml, sourceconverter, valid
from openquake.hazardlib.lt import apply_uncertainty

#: (source_id, uncertainty type, value as the logic tree gives it)
CASES = [
    ("sf", "maxMagGRRelative", 0.3), ("sf", "maxMagGRRelative", -0.4),
    ("sf", "maxMagGRRelativeNoMoBalance", 0.2), ("sf", "maxMagGRAbsolute", 7.3),
    ("sf", "bGRRelative", 0.1), ("sf", "bGRRelative", -0.15), ("sf", "bGRAbsolute", 1.1),
    ("sf", "abGRAbsolute", (3.5, 1.05)), ("sf", "abMaxMagAbsolute", (3.4, 0.9, 7.2)),
    ("sf", "simpleFaultDipRelative", 10.0), ("sf", "simpleFaultDipAbsolute", 70.0),
    ("sf", "setLowerSeismDepthAbsolute", 22.0), ("sf", "setLowerSeismDepthRelative", -3.0),
    ("sf", "setAspectRatioAbsolute", 3.0), ("sf", "setAspectRatioRelative", -0.5),
    ("sf", "setMSRAbsolute", "Leonard2014_Interplate"),
    ("sf", "recomputeMmax", 0.0), ("sf", "recomputeMmax", 1.0), ("sf", "recomputeMmax", -2.0),
    ("sf", "truncatedGRFromSlipAbsolute", (5.0, 32.0, 9.1)),
    ("sf", "truncatedGRFromSlipAbsolute", (2.0, 30.0, 9.05)),
    ("cf", "truncatedGRFromSlipAbsolute", (3.0, 30.0, 9.1)),
    ("cf", "setAspectRatioAbsolute", 1.0),
    ("ar", "incrementalMFDAbsolute", (5.25, 0.1, [0.003, 0.002, 0.001])),
    ("ar", "setLowerSeismDepthAbsolute", 12.0), ("ar", "setUpperSeismDepthAbsolute", 3.0),
    ("ar", "setUpperSeismDepthRelative", 2.5), ("ar", "setLowerSeismDepthRelative", 5.0),
    ("pt", "setUpperSeismDepthAbsolute", 4.0), ("pt", "setLowerSeismDepthRelative", -2.0),
    ("pt", "setAspectRatioRelative", 0.8), ("pt", "maxMagGRRelative", 0.25),
    ("pt", "bGRRelative", -0.1), ("pt", "setMSRAbsolute", "PeerMSR"),
    ("ch", "bGRRelative", 0.1), ("ch", "bGRRelative", -0.1), ("ch", "bACRelative", 0.2),
    ("ch", "bGRAbsolute", 0.9), ("ch", "bACAbsolute", 0.3), ("ch", "maxMagGRAbsolute", 7.7),
    ("ch", "maxMagAndDeltaMagACRelative", (0.3, 0.1)),
    ("ch", "maxMagAndDeltaMagACRelative", (-0.2, -0.1)),
    ("ch", "maxMagAndDeltaMagACRelativeNoMoBalance", (0.3, 0.1)),
]


def attributes(src):
    out = {}
    for ours, theirs in [("dip", "dip"), ("upper_seismogenic_depth", "upper_seismogenic_depth"),
                         ("lower_seismogenic_depth", "lower_seismogenic_depth"),
                         ("rupture_aspect_ratio", "rupture_aspect_ratio")]:
        if getattr(src, theirs, None) is not None:
            out[ours] = float(getattr(src, theirs))
    if hasattr(src, "magnitude_scaling_relationship"):
        out["msr"] = type(src.magnitude_scaling_relationship).__name__
    return out


def main(sources_xml, out_json):
    conv = sourceconverter.SourceConverter(width_of_mfd_bin=0.1, rupture_mesh_spacing=2.0,
                                         complex_fault_mesh_spacing=2.0,
                                         area_source_discretization=10.0)
    [group] = nrml.to_python(sources_xml, conv).src_groups
    by_id = {src.source_id: src for src in group}
    rows = []
    for sid, utype, value in CASES:
        src = copy.deepcopy(by_id[sid])
        arg = valid.mag_scale_rel(value) if utype == "setMSRAbsolute" else value
        apply_uncertainty(utype, src, arg)
        rows.append(dict(source_id=sid, utype=utype, value=value,
                         rates=[[float(m), float(r)]
                                for m, r in src.mfd.get_annual_occurrence_rates()],
                         attributes=attributes(src)))
    with open(out_json, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
