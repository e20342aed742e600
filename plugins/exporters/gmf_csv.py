"""CSV (and XML) exporters of event-based and scenario outputs: ``gmf_data``
(gmf-data, sitemesh, sigma_epsilon), ``avg_gmf``, ``events``, ``ruptures`` (csv, xml),
``event_based_mfd`` — layouts of exports.md sections 3.9-3.13."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import comment, export_name, fmt_float, has_any, write_csv
from oqcore.registry import ExporterSpec
from oqplugins.exporters.hazard_csv import _lonlat, _site_header
from oqplugins.extractors.gmfs import event_based_mfd, rupture_info_array, stored_rupture


def _oq(dstore) -> dict:
    return dstore.read_json("oqparam")


def _site_ids(sitecol) -> list[str]:
    if "custom_site_id" in sitecol.dtype.names:
        return [c.decode() for c in sitecol["custom_site_id"]]
    return [str(i) for i in range(len(sitecol))]


def export_gmf_data_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """gmf-data (event_id, gmv_<IMT>..., custom_site_id), sitemesh and sigma_epsilon."""
    sitecol = dstore["sitecol"][()]
    grp = dstore["gmf_data"]
    imts = grp.attrs["imts"].split()
    ids = _site_ids(sitecol)
    has_cid = "custom_site_id" in sitecol.dtype.names
    eid = grp["eid"][()]
    sid = grp["sid"][()]
    order = np.lexsort((sid, eid))
    cols = [grp[imt][()][order] for imt in imts]  # values >= 0: plain %.5E
    header = (["event_id"] + ["gmv_" + imt for imt in imts] + ["custom_site_id"] if has_cid
              else ["site_id", "event_id"] + ["gmv_" + imt for imt in imts])
    row_fmt = ("%d," + ",".join(["%.5E"] * len(imts)) + ",%s" if has_cid
               else "%d,%d," + ",".join(["%.5E"] * len(imts)))
    cid = dstore.calc_id
    path = os.path.join(export_dir, export_name("gmf-data", cid, "csv"))
    write_csv(path, header, [], comment(dstore))
    with open(path, "a", newline="", encoding="utf-8") as f:
        for start in range(0, len(order), 100_000):
            chunk = order[start:start + 100_000]
            vals = [c[start:start + 100_000].tolist() for c in cols]
            es, ss = eid[chunk].tolist(), sid[chunk].tolist()
            if has_cid:
                lines = [row_fmt % ((e,) + tuple(v) + (ids[s],))
                         for e, s, *v in zip(es, ss, *vals)]
            else:
                lines = [row_fmt % ((s, e) + tuple(v)) for e, s, *v in zip(es, ss, *vals)]
            if lines:
                f.write("\r\n".join(lines) + "\r\n")
    out = [path]
    mesh = [[ids[n], "%.5f" % sitecol["lon"][n], "%.5f" % sitecol["lat"][n]]
            for n in range(len(sitecol))]
    out.append(write_csv(os.path.join(export_dir, export_name("sitemesh", cid, "csv")),
                         ["custom_site_id" if has_cid else "site_id", "lon", "lat"], mesh,
                         comment(dstore)))
    if "sigma_epsilon" in dstore:
        se = dstore["sigma_epsilon"][()]
        names = ["sig_inter_" + imt for imt in imts] + ["eps_inter_" + imt for imt in imts]
        srows = [[str(r["eid"]), str(r["rlz_id"])] + [fmt_float(r[n], "%.6E") for n in names]
                 for r in se]
        out.append(write_csv(os.path.join(export_dir, export_name("sigma_epsilon", cid,
                                                                  "csv")),
                             ["event_id", "rlz_id"] + names, srows, comment(dstore)))
    return out


def export_gmf_data_hdf5(dstore, kind, fmt, export_dir) -> list[str]:
    """gmf-data_<c>.hdf5: group ``sitecol`` (one dataset per column) and group
    ``gmf_data`` (sid, eid, one dataset per IMT, ``sigma_epsilon``) with the attributes
    of the datastore's gmf_data."""
    import h5py
    path = os.path.join(export_dir, export_name("gmf-data", dstore.calc_id, "hdf5"))
    sitecol = dstore["sitecol"][()]
    src = dstore["gmf_data"]
    with h5py.File(path, "w") as h5:
        grp = h5.create_group("sitecol")
        for name in sitecol.dtype.names:
            grp[name] = sitecol[name]
        grp = h5.create_group("gmf_data")
        for name in src.attrs["__pdcolumns__"].split():
            grp[name] = src[name][()]
        if "sigma_epsilon" in dstore:
            grp["sigma_epsilon"] = dstore["sigma_epsilon"][()]
        for k, v in src.attrs.items():
            grp.attrs[k] = v
    return [path]


def export_avg_gmf_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """avg_gmf: custom_site_id, lon, lat, <IMT>... (%.5E) for sites with a positive
    average."""
    sitecol = dstore["sitecol"][()]
    imts = dstore.labels("avg_gmf")["imt"]
    avg = dstore["avg_gmf"][0]  # (N, M)
    header = _site_header(sitecol, depth=False) + imts
    rows = []
    for n in np.flatnonzero((avg > 0).any(axis=1)):
        row = _lonlat(sitecol, n, depth=False)
        row[-2:] = [fmt_float(sitecol["lon"][n], "%.5E"), fmt_float(sitecol["lat"][n],
                                                                    "%.5E")]
        rows.append(row + [fmt_float(v, "%.5E") for v in avg[n]])
    path = os.path.join(export_dir, export_name("avg_gmf", dstore.calc_id, "csv"))
    return [write_csv(path, header, rows, comment(dstore))]


def export_events_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """events: event_id, rup_id, rlz_id[, year, ses_id]."""
    ev = dstore["events"][()]
    names = ["id", "rup_id", "rlz_id"] + [n for n in ("year", "ses_id")
                                          if n in ev.dtype.names]
    rows = [[str(r[n]) for n in names] for r in ev]
    header = ["event_id"] + names[1:]
    path = os.path.join(export_dir, export_name("events", dstore.calc_id, "csv"))
    return [write_csv(path, header, rows, comment(dstore))]


def export_ruptures_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """ruptures: the rupture_info columns sorted by rup_id, floats %.6E."""
    oq = _oq(dstore)
    info = rupture_info_array(dstore)
    info = info[np.argsort(info["rup_id"], kind="stable")]
    floats = ("mag", "centroid_lon", "centroid_lat", "centroid_depth", "strike", "dip",
              "rake")
    rows = []
    for r in info:
        row = []
        for name in info.dtype.names:
            v = r[name]
            if name in floats:
                row.append(fmt_float(v, "%.6E"))
            elif isinstance(v, bytes):
                row.append(v.decode())
            else:
                row.append(str(v))
        rows.append(row)
    header = ["rup_id", "source_id", "multiplicity", "mag", "centroid_lon", "centroid_lat",
              "centroid_depth", "trt", "strike", "dip", "rake"]
    path = os.path.join(export_dir, export_name("ruptures", dstore.calc_id, "csv"))
    return [write_csv(path, header, rows, comment(
        dstore, investigation_time=oq["investigation_time"],
        ses_per_logic_tree_path=oq["ses_per_logic_tree_path"]))]


def export_ruptures_xml(dstore, kind, fmt, export_dir) -> list[str]:
    """ruptures in NRML 0.5: one ``<ruptureCollection>`` with a rupture element per
    stored rupture (``singlePlaneRupture``/``multiPlanesRupture`` for planes, a
    ``griddedRupture`` mesh otherwise), with ``id``, ``multiplicity`` attributes."""
    from xml.sax.saxutils import quoteattr
    info = rupture_info_array(dstore)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5" '
             'xmlns:gml="http://www.opengis.net/gml">', "<ruptureCollection>"]
    for i, r in enumerate(info):
        rup = stored_rupture(dstore, i)
        planar = rup.kind == 0
        tag = ("singlePlaneRupture" if len(rup.elements) == 1 else "multiPlanesRupture"
               ) if planar else "griddedRupture"
        lines.append('<%s id=%s multiplicity="%d" tectonicRegion=%s>' % (
            tag, quoteattr(str(r["rup_id"])), r["multiplicity"],
            quoteattr(r["trt"].decode())))
        lines.append("<magnitude>%s</magnitude>" % fmt_float(r["mag"], "%.6E"))
        lines.append("<rake>%s</rake>" % fmt_float(r["rake"], "%.6E"))
        lon, lat, dep = rup.hypo
        lines.append('<hypocenter lon="%.5f" lat="%.5f" depth="%.5f"/>' % (lon, lat, dep))
        for el in rup.elements:
            if planar:
                lines.append('<planarSurface>')
                for name, (a, b) in (("topLeft", (0, 0)), ("topRight", (0, 1)),
                                     ("bottomLeft", (1, 0)), ("bottomRight", (1, 1))):
                    lines.append('<%s lon="%.5f" lat="%.5f" depth="%.5f"/>' % (
                        name, el[0, a, b], el[1, a, b], el[2, a, b]))
                lines.append('</planarSurface>')
            else:
                rows, cols = el.shape[1:]
                pts = " ".join("%.5f %.5f %.5f" % (el[0, i, j], el[1, i, j], el[2, i, j])
                               for i in range(rows) for j in range(cols))
                lines.append('<mesh rows="%d" columns="%d">%s</mesh>' % (rows, cols, pts))
        lines.append("</%s>" % tag)
    lines += ["</ruptureCollection>", "</nrml>"]
    path = os.path.join(export_dir, export_name("ruptures", dstore.calc_id, "xml"))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return [path]


def export_event_based_mfd_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """event_based_mfd: mag, freq (%.7e)."""
    mag, freq = event_based_mfd(dstore)
    rows = [["%.7e" % m, "%.7e" % f] for m, f in zip(mag, freq)]
    path = os.path.join(export_dir, export_name("event_based_mfd", dstore.calc_id, "csv"))
    return [write_csv(path, ["mag", "freq"], rows, comment(dstore))]


def _event_based_ruptures(ds) -> bool:
    return ("ruptures" in ds and len(ds["ruptures"]) > 0 and
            _oq(ds).get("calculation_mode") != "scenario" and "source_info" in ds)


def _ruptures_in_time(ds) -> bool:
    """Event-based ruptures with an investigation time (ruptures read from a file
    without one have no annual frequencies)."""
    return _event_based_ruptures(ds) and bool(_oq(ds).get("investigation_time"))


@hookimpl
def oq_register_exporters(registry):
    """Register the GMF, event and rupture exporters."""
    add = registry.add_exporter
    add(ExporterSpec("gmf_data", "csv", export_gmf_data_csv, "Ground Motion Fields",
                     applies=has_any("gmf_data")))
    add(ExporterSpec("gmf_data", "hdf5", export_gmf_data_hdf5, "Ground Motion Fields",
                     content_type="application/x-hdf5", applies=has_any("gmf_data")))
    add(ExporterSpec("avg_gmf", "csv", export_avg_gmf_csv, "Average Ground Motion Field",
                     applies=has_any("avg_gmf")))
    add(ExporterSpec("events", "csv", export_events_csv, "Events",
                     applies=has_any("events")))
    add(ExporterSpec("ruptures", "csv", export_ruptures_csv, "Earthquake Ruptures",
                     applies=_event_based_ruptures))
    add(ExporterSpec("ruptures", "xml", export_ruptures_xml, "Earthquake Ruptures",
                     content_type="application/xml", applies=_event_based_ruptures))
    add(ExporterSpec("event_based_mfd", "csv", export_event_based_mfd_csv,
                     "Annual Frequency of Events", applies=_ruptures_in_time,
                     size_key="-"))
