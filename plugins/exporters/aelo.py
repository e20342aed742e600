"""Exporters of the aelo calculator: MCE spectra, ASCE 7 and ASCE 41 parameters (CSV),
the relevant sources (CSV) and a PNG of the spectra."""
from __future__ import annotations

import math
import os

from oqcore import hookimpl
from oqcore.export import comment, export_name, fmt_float, write_csv
from oqcore.registry import ExporterSpec


def _cell(value) -> str:
    """A CSV cell: floats in 5 significant digits, 'n.a.' for missing values."""
    if isinstance(value, float):
        return "n.a." if math.isnan(value) else fmt_float(value, "%.5E")
    if isinstance(value, list):
        return " ".join(map(str, value))
    return "" if value is None else str(value)


def _table(dstore, key: str, export_dir: str) -> list[str]:
    """One CSV of the JSON records ``key``: columns in first-seen order."""
    rows = dstore.read_json(key)
    header: list = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    path = os.path.join(export_dir, export_name(key, dstore.calc_id, "csv"))
    return [write_csv(path, header, [[_cell(r.get(k)) for k in header] for r in rows],
                      comment(dstore))]


def export_aelo_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """``aelo_mce``, ``mce_governing``, ``asce07``, ``asce41``, ``aelo_sources``,
    ``aelo_notes`` as CSV."""
    return _table(dstore, kind, export_dir)


def export_mce_png(dstore, kind, fmt, export_dir) -> list[str]:
    """The MCE, ProbMCE, DetMCE and DLL spectra of every site, one PNG."""
    from oqcore.aelo.plots import governing_mce_png
    path = os.path.join(export_dir, export_name("mce_spectra", dstore.calc_id, "png"))
    with open(path, "wb") as f:
        f.write(governing_mce_png(dstore.read_json("aelo_mce")))
    return [path]


@hookimpl
def oq_register_exporters(registry):
    """Register the AELO exporters."""
    add = registry.add_exporter
    for kind, name in (("aelo_mce", "MCE spectra (probabilistic, deterministic, governing)"),
                       ("mce_governing", "Governing MCE spectrum"),
                       ("asce07", "ASCE 7 parameters"), ("asce41", "ASCE 41 parameters"),
                       ("aelo_sources", "Relevant sources (deterministic MCE)"),
                       ("aelo_notes", "AELO notes")):
        add(ExporterSpec(kind, "csv", export_aelo_csv, name))
    add(ExporterSpec("aelo_mce", "png", export_mce_png, "MCE spectra",
                     content_type="image/png"))
