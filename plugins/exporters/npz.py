"""npz exporters: the extract spec of the same name without query, as a .npz file."""
from __future__ import annotations

import os

from oqcore import hookimpl
from oqcore.export import export_name, has_any
from oqcore.extract import extract, to_npz_bytes
from oqcore.registry import ExporterSpec


def make_npz_writer(registry):
    """A writer exporting ``extract(dstore, kind)`` to ``<kind>_<c>.npz``."""
    def writer(dstore, kind, fmt, export_dir):
        obj = extract(dstore, kind, registry)
        path = os.path.join(export_dir, export_name(kind, dstore.calc_id, "npz"))
        with open(path, "wb") as f:
            f.write(to_npz_bytes(obj))
        return [path]
    return writer



def export_mean_rates_by_src_npz(dstore, kind, fmt, export_dir):
    """mean_rates_by_src_<c>.npz: ``array`` (N, M, L1, Nsrc) with its axis labels."""
    import json

    from oqcore.extract import ArrayWrapper
    labels = dstore.labels(kind)
    aw = ArrayWrapper(dstore[kind][()], {
        "shape_descr": labels["shape_descr"], "imt": labels["imt"],
        "src_id": [str(s) for s in labels["src_id"]],
        "json": json.dumps(labels).encode()})
    path = os.path.join(export_dir, export_name(kind, dstore.calc_id, "npz"))
    with open(path, "wb") as f:
        f.write(to_npz_bytes(aw))
    return [path]


@hookimpl
def oq_register_exporters(registry):
    """Register npz exports of hcurves, hmaps and uhs."""
    writer = make_npz_writer(registry)
    has_hcurves = has_any("hcurves-stats", "hcurves-rlzs")
    has_hmaps = has_any("hmaps-stats", "hmaps-rlzs")
    registry.add_exporter(ExporterSpec("hcurves", "npz", writer, "Hazard Curves",
                                       applies=has_hcurves))
    registry.add_exporter(ExporterSpec("hmaps", "npz", writer, "Hazard Maps", applies=has_hmaps))
    registry.add_exporter(ExporterSpec("uhs", "npz", writer, "Uniform Hazard Spectra",
                                       applies=has_hmaps))
    registry.add_exporter(ExporterSpec(
        "realizations", "npz", writer, "Realizations",
        applies=lambda ds: "weights" in ds and len(ds["weights"]) > 1))
    registry.add_exporter(ExporterSpec("mean_rates_by_src", "npz",
                                       export_mean_rates_by_src_npz,
                                       "Hazard Curves per Source"))

