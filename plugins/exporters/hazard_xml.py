"""NRML (XML) exporters of hazard curves, maps and uniform hazard spectra, in the legacy
OpenQuake layouts (hazardCurves, hazardMap, uniformHazardSpectra)."""
from __future__ import annotations

import os

from oqcore import hookimpl
from oqcore.export import (curve_imtls, curve_name, export_kinds, export_name, has_any, map_name,
                           read_oqparam)
from oqcore.hazard.imt import IMT, uhs_indices
from oqcore.nrml.writer import Element, floats_text, write
from oqcore.registry import ExporterSpec


def _kind_attrs(dstore, kind: str) -> dict:
    if kind.startswith("quantile-"):
        return {"statistics": "quantile", "quantileValue": float(kind[9:])}
    if kind.startswith("rlz-"):
        r = int(kind[4:])
        path = dstore["realizations"][r]["branch_path"].decode()
        sm, _, gs = path.partition("~")
        return {"smltPath": sm, "gsimltPath": gs}
    return {"statistics": kind}


def _imt_attrs(imt: str) -> dict:
    obj = IMT.from_string(imt)
    if obj.name == "SA":
        return {"IMT": "SA", "saPeriod": obj.period, "saDamping": 5.0}
    return {"IMT": obj.name}


def _point(lon, lat) -> Element:
    return Element("gml:Point", nodes=[Element("gml:pos", text="%s %s" % (
        round(float(lon), 5), round(float(lat), 5)))])


def export_hcurves_xml(dstore, kind, fmt, export_dir) -> list[str]:
    """One hazardCurves document per (kind, IMT)."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    T = oq["investigation_time"]
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hcurves-" + which][:, idx]
        for m, (imt, levels) in enumerate(curve_imtls(oq).items()):
            attrib = dict(investigationTime=T, **_imt_attrs(imt), **_kind_attrs(dstore, name))
            nodes = [Element("IMLs", text=floats_text(levels))]
            for n, site in enumerate(sitecol):
                nodes.append(Element("hazardCurve", nodes=[
                    _point(site["lon"], site["lat"]),
                    Element("poEs", text=floats_text(arr[n, m]))]))
            path = os.path.join(export_dir, export_name(curve_name(name, imt),
                                                        dstore.calc_id, "xml"))
            out.append(write([Element("hazardCurves", attrib, nodes=nodes)], path))
    return out


def export_hmaps_xml(dstore, kind, fmt, export_dir) -> list[str]:
    """One hazardMap document per (kind, IMT, PoE)."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hmaps-" + which][:, idx]
        for m, imt in enumerate(oq["intensity_measure_types_and_levels"]):
            for p, poe in enumerate(oq["poes"]):
                attrib = dict(investigationTime=oq["investigation_time"], poE=poe,
                              **_imt_attrs(imt), **_kind_attrs(dstore, name))
                nodes = [Element("node", {"lon": round(float(s["lon"]), 5),
                                          "lat": round(float(s["lat"]), 5),
                                          "iml": float(arr[n, m, p])})
                         for n, s in enumerate(sitecol)]
                base = "%s-%s-%s" % (map_name(name, "map"), imt, poe)
                path = os.path.join(export_dir, export_name(base, dstore.calc_id, "xml"))
                out.append(write([Element("hazardMap", attrib, nodes=nodes)], path))
    return out


def export_uhs_xml(dstore, kind, fmt, export_dir) -> list[str]:
    """One uniformHazardSpectra document per (kind, PoE)."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    imts = list(oq["intensity_measure_types_and_levels"])
    spectral = uhs_indices(imts)
    periods = [IMT.from_string(imts[m]).sort_period for m in spectral]
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hmaps-" + which][:, idx]
        for p, poe in enumerate(oq["poes"]):
            attrib = dict(investigationTime=oq["investigation_time"], poE=poe,
                          **_kind_attrs(dstore, name))
            nodes = [Element("periods", text=floats_text(periods))]
            for n, s in enumerate(sitecol):
                nodes.append(Element("uhs", nodes=[
                    _point(s["lon"], s["lat"]),
                    Element("IMLs", text=floats_text(arr[n, spectral, p]))]))
            base = "%s-%s" % (map_name(name, "uhs"), poe)
            path = os.path.join(export_dir, export_name(base, dstore.calc_id, "xml"))
            out.append(write([Element("uniformHazardSpectra", attrib, nodes=nodes)], path))
    return out


@hookimpl
def oq_register_exporters(registry):
    """Register the hazard XML exporters."""
    has_hmaps = has_any("hmaps-stats", "hmaps-rlzs")
    registry.add_exporter(ExporterSpec("hcurves", "xml", export_hcurves_xml, "Hazard Curves",
                                       "application/xml",
                                       applies=has_any("hcurves-stats", "hcurves-rlzs")))
    registry.add_exporter(ExporterSpec("hmaps", "xml", export_hmaps_xml, "Hazard Maps",
                                       "application/xml", applies=has_hmaps))
    registry.add_exporter(ExporterSpec("uhs", "xml", export_uhs_xml, "Uniform Hazard Spectra",
                                       "application/xml", applies=has_hmaps))
