"""The Full Report (``fullreport``, rst): a human-oriented summary of a calculation."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import export_name
from oqcore.registry import ExporterSpec


def rst_table(header, rows) -> str:
    """An RST grid table."""
    cols = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cols) for i in range(len(header))]
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    head = "+" + "+".join("=" * (w + 2) for w in widths) + "+"

    def line(r):
        return "|" + "|".join(" %s " % c.ljust(w) for c, w in zip(r, widths)) + "|"
    out = [sep, line(cols[0]), head]
    for r in cols[1:]:
        out += [line(r), sep]
    return "\n".join(out)


def export_report(dstore, kind, fmt, export_dir) -> list[str]:
    """report_<c>.rst with the datastore attributes and sizes."""
    oq = dstore.read_json("oqparam")
    attrs = dstore.attrs
    title = oq.get("description", "no description")
    lines = [title, "=" * len(title), ""]
    lines.append(rst_table(["checksum32", "date", "engine_version", "input_size"], [[
        int(attrs.get("checksum32", 0)), attrs.get("date", ""),
        attrs.get("engine_version", ""), "{:_d}".format(int(attrs.get("input_size", 0)))]]))
    N = len(dstore["sitecol"]) if "sitecol" in dstore else 0
    imtls = oq.get("intensity_measure_types_and_levels") or {}
    L = sum(len(v) for v in imtls.values())
    R = len(dstore["weights"]) if "weights" in dstore else 1
    lines += ["", "num_sites = %d, num_levels = %d, num_rlzs = %d" % (N, L, R), ""]
    if "full_lt" in dstore:
        full = dstore.read_json("full_lt")
        lines += ["Required parameters per tectonic region type",
                  "--------------------------------------------"]
        lines.append(rst_table(["trt", "gsims"], [[t, " ".join("[%s]" % g for g in gs)]
                                                  for t, gs in full["gsims_by_trt"].items()]))
        lines.append("")
    if "source_info" in dstore:
        tab = dstore.read_table("source_info")
        codes, counts = np.unique(tab["code"].astype(str), return_counts=True)
        lines += ["Sources by typology", "-------------------"]
        lines.append(rst_table(["code", "num_sources"], list(zip(codes, counts))))
        lines.append("")
    lines += ["Datasets", "--------"]
    lines.append(rst_table(["key", "size (bytes)"], [[k, dstore.getsize(k)]
                                                     for k in sorted(dstore.keys())]))
    path = os.path.join(export_dir, export_name("report", dstore.calc_id, "rst"))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    return [path]


@hookimpl
def oq_register_exporters(registry):
    """Register the Full Report."""
    registry.add_exporter(ExporterSpec("fullreport", "rst", export_report, "Full Report",
                                       applies=lambda ds: True))
