"""CSV exporters of ground-motion fields and events (``gmf_data``, ``avg_gmf``,
``events``), in the layouts of OpenQuake 3.26 (exports.md 3.9-3.11)."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import comment, export_name, fmt_float, write_csv
from oqcore.registry import ExporterSpec
from oqcore.risk.hazard_input import read_gmfs


def _site_ids(sitecol) -> tuple[str, list[str]]:
    if "custom_site_id" in sitecol.dtype.names:
        return "custom_site_id", [c.decode() if isinstance(c, bytes) else str(c)
                                  for c in sitecol["custom_site_id"]]
    return "site_id", [str(s) for s in sitecol["sids"]]


def export_gmf_data_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """gmf-data_<c>.csv (rows by event, then site) and sitemesh_<c>.csv."""
    sitecol = dstore["sitecol"][()]
    gm = read_gmfs(dstore)
    idname, ids = _site_ids(sitecol)
    order = np.lexsort((gm.sids, gm.eids))
    head = ["gmv_%s" % imt for imt in gm.imts]
    if idname == "custom_site_id":
        header = ["event_id"] + head + [idname]
        rows = ([str(gm.eids[i])] + [fmt_float(x, "%.5E") for x in gm.gmvs[i]] +
                [ids[gm.sids[i]]] for i in order)
    else:
        header = ["site_id", "event_id"] + head
        rows = ([str(gm.sids[i]), str(gm.eids[i])] + [fmt_float(x, "%.5E")
                                                       for x in gm.gmvs[i]] for i in order)
    c = dstore.calc_id
    p1 = write_csv(os.path.join(export_dir, export_name("gmf-data", c, "csv")), header, rows,
                   comment(dstore))
    mesh = ([ids[n], fmt_float(sitecol["lon"][n], "%.5f"), fmt_float(sitecol["lat"][n], "%.5f")]
            for n in range(len(sitecol)))
    p2 = write_csv(os.path.join(export_dir, export_name("sitemesh", c, "csv")),
                   [idname, "lon", "lat"], mesh, comment(dstore))
    return [p1, p2]


def export_avg_gmf_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """avg_gmf_<c>.csv: average per site and IMT (sites with a positive average)."""
    sitecol = dstore["sitecol"][()]
    avg = dstore["avg_gmf"][()][0]  # (N, M)
    imts = dstore["gmf_data"].attrs["imts"]
    imts = (imts.decode() if isinstance(imts, bytes) else imts).split()
    idname, ids = _site_ids(sitecol)
    rows = ([ids[n], fmt_float(sitecol["lon"][n], "%.5E"), fmt_float(sitecol["lat"][n], "%.5E")]
            + [fmt_float(x, "%.5E") for x in avg[n]]
            for n in range(len(sitecol)) if np.any(avg[n] > 0))
    path = os.path.join(export_dir, export_name("avg_gmf", dstore.calc_id, "csv"))
    return [write_csv(path, [idname, "lon", "lat"] + imts, rows, comment(dstore))]


def export_events_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """events_<c>.csv: event_id, rup_id, rlz_id[, year, ses_id]."""
    ev = dstore["events"][()]
    extra = [n for n in ("year", "ses_id") if n in ev.dtype.names]
    rows = ([str(e["id"]), str(e["rup_id"]), str(e["rlz_id"])] + [str(e[n]) for n in extra]
            for e in np.sort(ev, order="id"))
    path = os.path.join(export_dir, export_name("events", dstore.calc_id, "csv"))
    return [write_csv(path, ["event_id", "rup_id", "rlz_id"] + extra, rows, comment(dstore))]


def _own(key):
    """Exposed when this calculation (not its parent) stored ``key``."""
    return lambda ds: key in ds.hdf5


@hookimpl
def oq_register_exporters(registry):
    """Register the GMF, average GMF and events exporters."""
    add = registry.add_exporter
    add(ExporterSpec("gmf_data", "csv", export_gmf_data_csv, "Ground Motion Fields",
                     applies=_own("gmf_data")))
    add(ExporterSpec("avg_gmf", "csv", export_avg_gmf_csv, "Average Ground Motion Field",
                     applies=_own("avg_gmf")))
    add(ExporterSpec("events", "csv", export_events_csv, "Events", applies=_own("events")))
