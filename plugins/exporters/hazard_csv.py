"""CSV exporters of hazard outputs: hcurves, hmaps, uhs, realizations,
mean_rates_by_src, site_model — in the file names and layouts of OpenQuake 3.26."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import (comment, curve_imtls, curve_name, export_kinds, export_name,
                           fmt_float, has_any, map_name, read_oqparam, statistics,
                           write_csv)
from oqcore.hazard.imt import uhs_indices
from oqcore.hazard.site import has_depths
from oqcore.registry import ExporterSpec


def _site_header(sitecol, depth=True) -> list[str]:
    """[custom_site_id,] lon, lat[, depth]."""
    cid = ["custom_site_id"] if "custom_site_id" in sitecol.dtype.names else []
    return cid + ["lon", "lat"] + (["depth"] if depth else [])


def _lonlat(sitecol, n, depth=True, single=False):
    """The site columns of row n; with ``single`` the coordinates are rounded to single
    precision first, as OpenQuake writes them in hazard-curve files (135.68 ->
    135.67999)."""
    row = []
    if "custom_site_id" in sitecol.dtype.names:
        cid = sitecol["custom_site_id"][n]
        row.append(cid.decode() if isinstance(cid, bytes) else str(cid))
    names = ["lon", "lat"] + (["depth"] if depth else [])
    row += [fmt_float(float(np.float32(sitecol[k][n])) if single else sitecol[k][n], "%.5f")
            for k in names]
    return row


def _level(imt: str, x: float) -> str:
    if imt in ("PGA", "PGV") or imt.startswith("SA("):
        return "%.7f" % x
    return "%.5e" % x


def export_hcurves_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per (kind, IMT): lon, lat, depth, poe-<level>..."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    imtls = curve_imtls(oq)
    T = oq["investigation_time"]
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hcurves-" + which][:, idx]  # (N, M, L1)
        for m, (imt, levels) in enumerate(imtls.items()):
            header = _site_header(sitecol) + ["poe-" + _level(imt, x) for x in levels]
            rows = [_lonlat(sitecol, n, single=True) + [fmt_float(v) for v in arr[n, m]]
                    for n in range(len(sitecol))]
            path = os.path.join(export_dir, export_name(curve_name(name, imt),
                                                        dstore.calc_id, "csv"))
            out.append(write_csv(path, header, rows, comment(
                dstore, kind=name, investigation_time=T, imt=imt)))
    return out


def export_hmaps_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per kind: lon, lat, [depth], <IMT>-<poe>..."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    imts = list(oq["intensity_measure_types_and_levels"])
    poes = oq["poes"]
    depth = has_depths(sitecol)
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hmaps-" + which][:, idx]  # (N, M, P)
        header = _site_header(sitecol, depth) + [
            "%s-%s" % (imt, poe) for imt in imts for poe in poes]
        rows = [_lonlat(sitecol, n, depth) + [fmt_float(v) for v in arr[n].reshape(-1)]
                for n in range(len(sitecol))]
        path = os.path.join(export_dir, export_name(map_name(name, "map"), dstore.calc_id,
                                                    "csv"))
        out.append(write_csv(path, header, rows, comment(
            dstore, kind=name, investigation_time=oq["investigation_time"])))
    return out


def export_hmaps_stats_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per statistic and return period: lon, lat, [depth], <IMT>..."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    imts = list(oq["intensity_measure_types_and_levels"])
    T = oq["investigation_time"]
    depth = has_depths(sitecol)
    arr = dstore["hmaps-stats"][()]  # (N, S, M, P)
    out = []
    for s, stat in enumerate(statistics(oq)):
        for p, poe in enumerate(oq["poes"]):
            rp = int(round(-T / np.log(1 - poe)))
            header = _site_header(sitecol, depth) + imts
            rows = [_lonlat(sitecol, n, depth) + [fmt_float(v) for v in arr[n, s, :, p]]
                    for n in range(len(sitecol))]
            name = "%s-%dy" % (map_name(stat, "map"), rp)
            path = os.path.join(export_dir, export_name(name, dstore.calc_id, "csv"))
            out.append(write_csv(path, header, rows, comment(dstore)))
    return out


def _hmaps_stats(ds) -> bool:
    """With several realizations and hazard_maps (always in disaggregation)."""
    oq = read_oqparam(ds)
    return ((bool(oq.get("hazard_maps")) or oq.get("calculation_mode") == "disaggregation")
            and "hmaps-stats" in ds and len(ds["weights"]) > 1)


def export_uhs_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per kind: lon, lat, [depth], <poe>~<IMT> for PGA and SA IMTs."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    imts = list(oq["intensity_measure_types_and_levels"])
    spectral = uhs_indices(imts)
    poes = oq["poes"]
    depth = has_depths(sitecol)
    out = []
    for name, which, idx in export_kinds(dstore):
        arr = dstore["hmaps-" + which][:, idx]  # (N, M, P)
        header = _site_header(sitecol, depth) + [
            "%.6f~%s" % (poe, imts[m]) for poe in poes for m in spectral]
        rows = []
        for n in range(len(sitecol)):
            vals = [fmt_float(arr[n, m, p]) for p in range(len(poes)) for m in spectral]
            rows.append(_lonlat(sitecol, n, depth) + vals)
        path = os.path.join(export_dir, export_name(map_name(name, "uhs"), dstore.calc_id,
                                                    "csv"))
        out.append(write_csv(path, header, rows, comment(
            dstore, kind=name, investigation_time=oq["investigation_time"])))
    return out


def export_realizations_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """realizations_<c>.csv: rlz_id, branch_path, weight (%.7e)."""
    arr = dstore["realizations"][()]
    rows = [[str(int(r["rlz_id"])), r["branch_path"].decode(),
             "%.7e" % float(r["weight"])] for r in arr]
    path = os.path.join(export_dir, export_name("realizations", dstore.calc_id, "csv"))
    return [write_csv(path, ["rlz_id", "branch_path", "weight"], rows, comment(dstore))]


def export_mean_rates_by_src(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per site: source_id, imt, iml, afoe (afoe > 0, sorted)."""
    oq = read_oqparam(dstore)
    sitecol = dstore["sitecol"][()]
    arr = dstore["mean_rates_by_src"][()]  # (N, M, L1, Ns)
    labels = dstore.labels("mean_rates_by_src")
    src_ids = labels["src_id"]
    imtls = oq["intensity_measure_types_and_levels"]
    out = []
    for n in range(len(sitecol)):
        rows = []
        for j, sid in enumerate(src_ids):
            for m, (imt, levels) in enumerate(imtls.items()):
                for lvl, iml in enumerate(levels):
                    v = arr[n, m, lvl, j]
                    if v > 0:
                        rows.append((str(sid), imt, iml, v))
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        text = [[r[0], r[1], fmt_float(r[2], "%.5E"), fmt_float(r[3], "%.5E")] for r in rows]
        extra = dict(lon=round(float(sitecol["lon"][n]), 5),
                     lat=round(float(sitecol["lat"][n]), 5))
        if "vs30" in sitecol.dtype.names:
            extra["vs30"] = float(sitecol["vs30"][n])
        path = os.path.join(export_dir, export_name("mean_rates_by_src-%d" % n,
                                                    dstore.calc_id, "csv"))
        out.append(write_csv(path, ["source_id", "imt", "iml", "afoe"], text,
                             comment(dstore, **extra)))
    return out


def export_site_model(dstore, kind, fmt, export_dir) -> list[str]:
    """site_model_<c>.csv: every column of the site collection."""
    sitecol = dstore["sitecol"][()]
    names = list(sitecol.dtype.names)
    rows = []
    for rec in sitecol:
        row = []
        for n in names:
            value = rec[n]
            if n in ("lon", "lat", "depth"):
                row.append(fmt_float(value, "%.5f"))
            elif isinstance(value, (np.floating, float)):
                row.append(fmt_float(value, "%.5E"))
            elif isinstance(value, (np.bool_, bool)):
                row.append(str(int(value)))
            elif isinstance(value, bytes):
                row.append(value.decode())
            else:
                row.append(str(value))
        rows.append(row)
    path = os.path.join(export_dir, export_name("site_model", dstore.calc_id, "csv"))
    return [write_csv(path, names, rows, comment(dstore))]


def _flag(name):
    def applies(ds):
        return bool(read_oqparam(ds).get(name)) and ("hmaps-stats" in ds or "hmaps-rlzs" in ds)
    return applies


def _many_rlzs(ds) -> bool:
    return "weights" in ds and len(ds["weights"]) > 1


def _site_model(ds) -> bool:
    """With a site model, or sites with custom ids, or sites read from a CSV (stored as
    the dataset ``site_model``)."""
    return "sitecol" in ds and ("site_model" in (read_oqparam(ds).get("inputs") or {}) or
                                "site_model" in ds.hdf5 or
                                "custom_site_id" in ds["sitecol"].dtype.names)


@hookimpl
def oq_register_exporters(registry):
    """Register the hazard CSV exporters."""
    add = registry.add_exporter
    add(ExporterSpec("hcurves", "csv", export_hcurves_csv, "Hazard Curves",
                     applies=has_any("hcurves-stats", "hcurves-rlzs")))
    add(ExporterSpec("hmaps", "csv", export_hmaps_csv, "Hazard Maps",
                     applies=_flag("hazard_maps")))
    add(ExporterSpec("hmaps-stats", "csv", export_hmaps_stats_csv, "Hazard Maps Statistics",
                     applies=_hmaps_stats))
    add(ExporterSpec("uhs", "csv", export_uhs_csv, "Uniform Hazard Spectra",
                     applies=_flag("uniform_hazard_spectra")))
    add(ExporterSpec("realizations", "csv", export_realizations_csv, "Realizations",
                     applies=_many_rlzs))
    add(ExporterSpec("mean_rates_by_src", "csv", export_mean_rates_by_src,
                     "Hazard Curves per Source"))
    add(ExporterSpec("site_model", "csv", export_site_model, "Site Model",
                     applies=_site_model))
