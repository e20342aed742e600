"""CSV exporters of risk outputs (exports.md 4): avg_losses-rlzs/-stats, aggrisk,
aggrisk-stats, aggcurves, aggcurves-stats, risk_by_event, avg_losses_by, damages-rlzs/-stats,
loss_curves/loss_maps (classical_risk), bcr (classical_bcr)."""
from __future__ import annotations

import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import comment, export_name, fmt_float, write_csv
from oqcore.export import statistics
from oqcore.hazard.stats import compute_stats
from oqcore.registry import ExporterSpec
from oqcore.risk.amplification import LossAmplification
from oqcore.risk.hazard_input import risk_weights
from oqcore.risk.model import LOSS_IDS

LOSS_NAMES = {v: k for k, v in LOSS_IDS.items()}


def _oq(ds) -> dict:
    return ds.read_json("oqparam")


def _meta(ds) -> dict:
    return ds.read_json("risk_meta")


def _times(ds) -> dict:
    """investigation_time and risk_investigation_time (None omitted by ``comment``)."""
    oq = _oq(ds)
    T = oq.get("investigation_time")
    return {"investigation_time": T,
            "risk_investigation_time": oq.get("risk_investigation_time") or T}


def _stats(ds) -> list[str]:
    return statistics(_oq(ds))


def read_assetcol(ds) -> tuple[np.ndarray, dict]:
    """(assets array, {tag: values}) of a risk calculation."""
    grp = ds["assetcol"]
    tags = {t: [v.decode("utf-8") for v in grp["tagcol/" + t][()]]
            for t in grp.attrs["tagnames"].split()}
    return grp["array"][()], tags


def asset_header(tags: dict) -> list[str]:
    """asset_id, the tags in alphabetical order, lon, lat."""
    return ["asset_id"] + sorted(tags) + ["lon", "lat"]


def asset_rows(assets, tags) -> list[list[str]]:
    """The asset columns of each asset (in storage order)."""
    names = sorted(tags)
    cols = [np.asarray(tags[t], dtype=object)[assets[t]] for t in names]
    return [[a["id"].decode()] + [c[i] for c in cols] +
            [fmt_float(round(float(a["lon"]), 5), "%.5f"),
             fmt_float(round(float(a["lat"]), 5), "%.5f")]
            for i, a in enumerate(assets)]


def _rlz_kinds(ds, prefix) -> list[tuple[str, str, int]]:
    out = []
    if prefix + "-rlzs" in ds:
        R = len(risk_weights(ds))
        out += [("rlz-%03d" % r, "rlzs", r) for r in range(R)]
    return out


def export_avg_losses(dstore, kind, fmt, export_dir) -> list[str]:
    """avg_losses-rlz-NNN_<c>.csv or avg_losses-<stat>_<c>.csv."""
    assets, tags = read_assetcol(dstore)
    lts = _meta(dstore)["loss_types"]
    which = kind.split("-")[1]  # rlzs or stats
    labels = (["rlz-%03d" % r for r in range(len(risk_weights(dstore)))] if which == "rlzs"
              else _stats(dstore))
    base = asset_rows(assets, tags)
    out = []
    for i, label in enumerate(labels):
        data = [dstore["avg_losses-%s/%s" % (which, lt)][:, i] for lt in lts]
        rows = [b + [fmt_float(d[a], "%.5E") for d in data] for a, b in enumerate(base)]
        path = os.path.join(export_dir, export_name("avg_losses-" + label, dstore.calc_id,
                                                    "csv"))
        out.append(write_csv(path, asset_header(tags) + lts, rows,
                             comment(dstore, **_times(dstore))))
    return out


def agg_groups(ds) -> list[tuple[list[str], list[int]]]:
    """(tag names, agg_ids) per group, the total ([], [K]) first."""
    meta = _meta(ds)
    counts = meta.get("agg_counts", [])
    out = [([], [sum(counts)])]
    start = 0
    for tags, n in zip(meta["aggregate_by"], counts):
        out.append((tags, list(range(start, start + n))))
        start += n
    return out


def _key_values(ds) -> list[list[str]]:
    return [k.decode("utf-8").split("\t") for k in ds["agg_keys"][()]] \
        if "agg_keys" in ds else []


def _suffix(tags) -> str:
    return "-" + "-".join(tags)


def _value_columns(table: dict) -> list[str]:
    skip = {"agg_id", "rlz_id", "loss_id", "return_period", "variance", "event_id"}
    return [c for c in table if c not in skip]


def export_aggrisk(dstore, kind, fmt, export_dir) -> list[str]:
    """aggrisk-_<c>.csv and one aggrisk-<tags>_<c>.csv per aggregate_by group."""
    tab = dstore.read_table("aggrisk")
    meta = _meta(dstore)
    lss = meta["limit_states"]
    vals = dstore["agg_values"][()]
    keys = _key_values(dstore)
    R = len(risk_weights(dstore))
    vcols = _value_columns(tab)
    time_event = _oq(dstore).get("time_event") or "avg"
    out = []
    for tags, ids in agg_groups(dstore):
        header = ["loss_type"] + tags + (["rlz_id"] if R > 1 else [])
        for c in vcols:
            if c.startswith("dmg_"):
                d = int(c[4:])
                header.append("no_damage" if d == 0 else lss[d - 1])
            else:
                header += [c + "_value", c + "_ratio"]
        rows = []
        sel = np.isin(tab["agg_id"], ids)
        for i in np.flatnonzero(sel):
            k, lt = int(tab["agg_id"][i]), LOSS_NAMES[int(tab["loss_id"][i])]
            row = [_aggrisk_loss_type(lt, time_event)] + (keys[k] if tags else []) + (
                [str(tab["rlz_id"][i])] if R > 1 else [])
            for c in vcols:
                v = float(tab[c][i])
                if c.startswith("dmg_"):
                    row.append(fmt_float(v, "%.5E"))
                else:
                    exposed = _exposed(vals, c, lt, k, time_event)
                    row += [fmt_float(v, "%.5E"),
                            fmt_float(v / exposed if exposed else np.nan, "%.5E")]
            rows.append(row)
        path = os.path.join(export_dir, export_name("aggrisk" + _suffix(tags) if tags
                                                    else "aggrisk-", dstore.calc_id, "csv"))
        out.append(write_csv(path, header, rows, comment(dstore, **_times(dstore))))
    return out


def _aggrisk_loss_type(lt: str, time_event: str) -> str:
    """The loss type as aggrisk names it: occupants at their time of the event."""
    return "occupants_" + time_event if lt == "occupants" else lt


def _exposed(vals, col: str, lt: str, k: int, time_event: str) -> float:
    """What a value column of key k is a ratio of: people (occupants at the time of the
    event, residents), buildings, or the exposed value of the loss type (insured: of
    its ground-up loss type; a sum of loss types: the sum)."""
    col = col[:-4] if col.endswith(("_aep", "_oep")) else col
    if lt == "affectedpop" or col == "homeless":
        return _field(vals, "residents", k)
    if lt == "injured" or col in ("injured", "fatalities"):
        return _field(vals, "occupants_" + time_event, k)
    if col in ("collapsed", "non_operational"):
        return _field(vals, "number", k)
    lt = lt[:-4] if lt.endswith("_ins") else lt
    if lt == "occupants":
        lt = "occupants_" + time_event
    return sum(_field(vals, part, k) for part in lt.split("+"))


def _field(vals, name: str, k: int) -> float:
    return float(vals[name][k]) if name in vals.dtype.names else 0.0


def _stats_rows(dstore, table: str, by_period: bool) -> tuple[list, list]:
    """Per aggregate_by group (total first): (tag names, rows) of the statistics across
    realizations of ``table``: [return_period,] loss_type, values..., stat, tags."""
    tab = dstore.read_table(table)
    w = risk_weights(dstore)
    stats = _stats(dstore) or ["mean"]
    keys = _key_values(dstore)
    vcols = _value_columns(tab)
    out = []
    for tags, ids in agg_groups(dstore):
        rows = []
        for k in ids:
            sel_k = tab["agg_id"] == k
            periods = sorted(set(tab["return_period"][sel_k].tolist())) if by_period \
                else [None]
            for lid in sorted(set(tab["loss_id"][sel_k].tolist())):
                for rp in periods:
                    sel = sel_k & (tab["loss_id"] == lid)
                    if rp is not None:
                        sel &= tab["return_period"] == rp
                    data = np.zeros((len(w), len(vcols)))
                    data[tab["rlz_id"][sel].astype(int)] = np.column_stack(
                        [tab[c][sel] for c in vcols])
                    st = compute_stats(np.nan_to_num(data), stats, w)
                    for s, name in enumerate(stats):
                        rows.append(([str(rp)] if by_period else []) +
                                    [LOSS_NAMES[int(lid)]] +
                                    [fmt_float(x, "%.5E") for x in st[s]] + [name] +
                                    (keys[k] if tags else []))
        out.append((tags, rows))
    return vcols, out


def export_stats_tables(dstore, kind, fmt, export_dir) -> list[str]:
    """aggrisk-stats-_<c>.csv / aggcurves-stats-_<c>.csv (+ one per aggregate_by group):
    [return_period,] loss_type, values, stat, tags."""
    table = kind.split("-")[0]
    by_period = table == "aggcurves"
    vcols, groups = _stats_rows(dstore, table, by_period)
    out = []
    for tags, rows in groups:
        path = os.path.join(export_dir, export_name(
            kind + (_suffix(tags) if tags else "-"), dstore.calc_id, "csv"))
        header = (["return_period"] if by_period else []) + ["loss_type"] + vcols + [
            "stat"] + tags
        out.append(write_csv(path, header, rows, comment(dstore)))
    return out


def export_aggcurves(dstore, kind, fmt, export_dir) -> list[str]:
    """aggcurves-_<c>.csv (+ per group): tags, return_period, loss_type, [rlz_id],
    X_value, X_ratio."""
    tab = dstore.read_table("aggcurves")
    attrs = dstore["aggcurves"].attrs
    vals = dstore["agg_values"][()]
    keys = _key_values(dstore)
    R = len(risk_weights(dstore))
    vcols = _value_columns(tab)
    time_event = _oq(dstore).get("time_event") or "avg"
    extra = dict(_times(dstore))
    extra.pop("investigation_time")
    extra.update(num_events=int(attrs.get("num_events", 0)),
                 effective_time=float(attrs.get("effective_time", 0)),
                 limit_states=str(attrs.get("limit_states", "")))
    out = []
    for tags, ids in agg_groups(dstore):
        header = tags + ["return_period", "loss_type"] + (["rlz_id"] if R > 1 else [])
        for c in vcols:
            header += [c + "_value", c + "_ratio"]
        rows = []
        for i in np.flatnonzero(np.isin(tab["agg_id"], ids)):
            k, lt = int(tab["agg_id"][i]), LOSS_NAMES[int(tab["loss_id"][i])]
            row = (keys[k] if tags else []) + [str(tab["return_period"][i]), lt] + (
                [str(tab["rlz_id"][i])] if R > 1 else [])
            for c in vcols:
                v = float(tab[c][i])
                exposed = _exposed(vals, c, lt, k, time_event)
                row += [fmt_float(v, "%.5E"), fmt_float(v / exposed if exposed else np.nan,
                                                        "%.5E")]
            rows.append(row)
        path = os.path.join(export_dir, export_name("aggcurves" + (_suffix(tags) if tags
                                                                   else "-"),
                                                    dstore.calc_id, "csv"))
        out.append(write_csv(path, header, rows, comment(dstore, **extra)))
    return out


def export_risk_by_event(dstore, kind, fmt, export_dir) -> list[str]:
    """risk_by_event_<c>.csv: the total aggregation only; losses sorted by increasing
    loss per loss type, damage by (loss type, event)."""
    tab = dstore.read_table("risk_by_event")
    meta = _meta(dstore)
    K = int(dstore["risk_by_event"].attrs["K"])
    sel = tab["agg_id"] == K
    ev = dstore["events"][()]
    eb = meta["event_based"]
    lss = meta["limit_states"]
    vcols = _value_columns(tab)
    names = [lss[int(c[4:]) - 1] if c.startswith("dmg_") else c for c in vcols]
    extra = [n for n in ("rup_id", "year") if eb and n in ev.dtype.names]
    header = ["event_id"] + names + ["loss_type"] + extra
    idx = np.flatnonzero(sel)
    rlz = ev["rlz_id"][tab["event_id"][idx].astype(int)]
    if "loss" in vcols:
        order = np.lexsort((tab["loss"][idx], rlz, tab["loss_id"][idx]))
    else:
        order = np.lexsort((tab["event_id"][idx], tab["loss_id"][idx]))
    idx = idx[order]
    pla = _amplified_event_losses(dstore, tab, idx, rlz[order])
    if pla is not None:
        header.append("pla_loss")
    rows = []
    for j, i in enumerate(idx):
        e = int(tab["event_id"][i])
        rows.append([str(e)] + [fmt_float(tab[c][i], "%.5E") for c in vcols] +
                    [LOSS_NAMES[int(tab["loss_id"][i])]] + [str(ev[n][e]) for n in extra] +
                    ([fmt_float(pla[j], "%.5E")] if pla is not None else []))
    times = _times(dstore) if eb else {}
    path = os.path.join(export_dir, export_name("risk_by_event", dstore.calc_id, "csv"))
    return [write_csv(path, header, rows, comment(dstore, **times))]


def _amplified_event_losses(dstore, tab, idx, rlz) -> np.ndarray | None:
    """Post-loss amplified event losses of the rows ``idx`` of risk_by_event (sorted by
    loss type, realization, loss): in each (loss type, realization) the i-th of n
    rows has return period effective_time / (n - i); None without amplification."""
    if "post_loss_amplification" not in dstore.hdf5:
        return None
    pla = dstore.read_table("post_loss_amplification")
    amplify = LossAmplification(np.asarray(pla["return_period"], float),
                                np.asarray(pla["pla_factor"], float))
    eff = float(dstore["risk_by_event"].attrs["effective_time"])
    out = np.zeros(len(idx))
    keys = np.column_stack([tab["loss_id"][idx], rlz])
    start = 0
    for stop in list(np.flatnonzero(np.any(keys[1:] != keys[:-1], axis=1)) + 1) + [len(idx)]:
        n = stop - start
        out[start:stop] = tab["loss"][idx[start:stop]] * amplify(eff / np.arange(n, 0, -1))
        start = stop
    return out


def export_avg_losses_by(dstore, kind, fmt, export_dir) -> list[str]:
    """avg_losses_by_-<tag>_<c>.csv (no comment line)."""
    out = []
    for tag in dstore["avg_losses_by"]:
        tab = dstore.read_table("avg_losses_by/" + tag)
        cols = list(tab)
        rows = [[str(tab[tag][i])] + [fmt_float(tab[c][i], "%.5E") for c in cols[1:]]
                for i in range(len(tab[tag]))]
        path = os.path.join(export_dir, export_name("avg_losses_by_-" + tag, dstore.calc_id,
                                                    "csv"))
        out.append(write_csv(path, cols, rows))
    return out


def export_src_loss_table(dstore, kind, fmt, export_dir) -> list[str]:
    """src_loss_<loss type>_<c>.csv: source, value (total loss of the ruptures of the
    source; zero rows dropped)."""
    out = []
    for lt in dstore["src_loss_table"]:
        key = "src_loss_table/" + lt
        vals = dstore[key][()]
        rows = [[src, fmt_float(v, "%.5E")]
                for src, v in zip(dstore.labels(key)["source"], vals) if v != 0]
        path = os.path.join(export_dir, export_name("src_loss_" + lt, dstore.calc_id, "csv"))
        out.append(write_csv(path, ["source", "value"], rows, comment(dstore,
                                                                      **_times(dstore))))
    return out


def export_damages(dstore, kind, fmt, export_dir) -> list[str]:
    """avg_damages-rlz-NNN_<c>.csv (scenario_damage), avg_risk-rlz-NNN_<c>.csv
    (event_based_damage: consequences per risk_investigation_time),
    damages-rlz-NNN_<c>.csv (classical_damage); with modal_damage_state the most
    likely damage state per loss type."""
    oq = _oq(dstore)
    meta = _meta(dstore)
    assets, tags = read_assetcol(dstore)
    arr = dstore[kind][()]
    which = kind.split("-")[1]
    labels = (["rlz-%03d" % r for r in range(arr.shape[1])] if which == "rlzs"
              else _stats(dstore))
    mode = oq.get("calculation_mode")
    lss = ["no_damage"] + meta["limit_states"]
    prefix = {"event_based_damage": "avg_risk", "classical_damage": "damages"}.get(
        mode, "avg_damages")
    fields = list(arr.dtype.names)
    scale = 1.0
    if mode == "event_based_damage":
        fields = [f for f in fields if f.split("-", 1)[1] not in lss]
        if not fields:
            return []
        R = len(risk_weights(dstore))
        T = oq.get("investigation_time") or 1
        ratio = (oq.get("risk_investigation_time") or T) / (
            T * oq.get("ses_per_logic_tree_path", 1))
        scale = len(dstore["events"]) * ratio / R
    base = asset_rows(assets, tags)
    out = []
    for i, label in enumerate(labels):
        if oq.get("modal_damage_state") and mode != "event_based_damage":
            header = asset_header(tags) + ["modal-ds-%s" % lt for lt in meta["loss_types"]]
            rows = []
            for a, b in enumerate(base):
                row = list(b)
                for lt in meta["loss_types"]:
                    v = [arr["%s-%s" % (lt, s)][a, i] for s in lss]
                    row.append(lss[int(np.argmax(v))])
                rows.append(row)
        else:
            header = asset_header(tags) + fields
            rows = [b + [fmt_float(arr[f][a, i] * scale, "%.6E") for f in fields]
                    for a, b in enumerate(base)]
        path = os.path.join(export_dir, export_name("%s-%s" % (prefix, label),
                                                    dstore.calc_id, "csv"))
        out.append(write_csv(path, header, rows, comment(dstore, **_times(dstore))))
    return out


def _labels(ds, which: str, n: int) -> list[str]:
    return ["rlz-%03d" % r for r in range(n)] if which == "rlzs" else (_stats(ds) or
                                                                       ["mean"])[:n]


def export_loss_curves(dstore, kind, fmt, export_dir) -> list[str]:
    """loss_curves-<rlz-NNN|stat>_<c>.csv: asset_id, loss_type, loss_value, loss_ratio,
    poe (classical_risk)."""
    assets, _tags = read_assetcol(dstore)
    meta = _meta(dstore)
    which = kind.split("-")[1]
    out = []
    data = {lt: dstore["loss_curves-%s/%s" % (which, lt)][()] for lt in meta["loss_types"]}
    n = next(iter(data.values())).shape[1]
    rit = _times(dstore)["risk_investigation_time"]
    for i, label in enumerate(_labels(dstore, which, n)):
        rows = []
        ids = [rec["id"].decode() for rec in assets]
        for lt, arr in data.items():  # per loss type, the assets by ID
            for a in sorted(range(len(assets)), key=ids.__getitem__):
                rec = assets[a]
                value = float(arr[a, i, 0, -1]) or 1.0
                for loss, poe in zip(arr[a, i, 0], arr[a, i, 1]):
                    rows.append([rec["id"].decode(), lt, fmt_float(loss, "%.5E"),
                                 fmt_float(loss / value, "%.5E"), fmt_float(poe, "%.5E")])
        path = os.path.join(export_dir, export_name("loss_curves-" + label, dstore.calc_id,
                                                    "csv"))
        out.append(write_csv(path, ["asset_id", "loss_type", "loss_value", "loss_ratio",
                                    "poe"], rows,
                             "kind=%r, risk_investigation_time=%r" % (label, rit)))
    return out


def export_asset_fields(dstore, kind, fmt, export_dir) -> list[str]:
    """loss_maps-<label>_<c>.csv and bcr-<label>_<c>.csv: asset columns + one column
    per field of the stored (A, R) or (A, S) records (bcr of a single loss type: the
    fields without the loss-type prefix, as the reference)."""
    assets, tags = read_assetcol(dstore)
    arr = dstore[kind][()]
    base_name, which = kind.rsplit("-", 1)
    names = list(arr.dtype.names)
    if base_name == "bcr" and len(_meta(dstore)["loss_types"]) == 1:
        names = [n.split("-", 1)[1] for n in names]
    out = []
    for i, label in enumerate(_labels(dstore, which, arr.shape[1])):
        rows = [b + [fmt_float(arr[f][a, i], "%.5E") for f in arr.dtype.names]
                for a, b in enumerate(asset_rows(assets, tags))]
        path = os.path.join(export_dir, export_name("%s-%s" % (base_name, label),
                                                    dstore.calc_id, "csv"))
        # the reference writes bcr files without the comment line
        out.append(write_csv(path, asset_header(tags) + names, rows, None if
                             base_name == "bcr" else comment(dstore, **_times(dstore))))
    return out


def export_exposure(dstore, kind, fmt, export_dir) -> list[str]:
    """assetcol_<c>.csv (no comment line; id, lon, lat, values, occupants,
    ideductible, tag values) and exposure_<c>.xml (NRML 0.5 pointing to the CSV)."""
    from oqcore.nrml.writer import Element, write as write_nrml
    assets, tags = read_assetcol(dstore)
    expo = dstore.read_table("exposure")
    cts = [ct for ct in expo["loss_type"] if "value-%s" % ct in assets.dtype.names]
    occ = [n for n in assets.dtype.names if n.startswith("occupants_")]
    header = ["id", "lon", "lat"] + ["value-%s" % ct for ct in cts] + occ + ["ideductible"] \
        + sorted(t for t in tags)
    rows = []
    for a in assets:
        ded = sum(float(a["deductible-%s" % ct]) for ct in cts)
        rows.append([a["id"].decode(), fmt_float(a["lon"], "%.5E"),
                     fmt_float(a["lat"], "%.5E")] +
                    [fmt_float(a["value-%s" % ct], "%.5E") for ct in cts] +
                    [fmt_float(a[n], "%.5E") for n in occ] + [fmt_float(ded, "%.5E")] +
                    [tags[t][a[t]] for t in sorted(tags)])
    c = dstore.calc_id
    csv_name = export_name("assetcol", c, "csv")
    p1 = write_csv(os.path.join(export_dir, csv_name), header, rows)
    types = [Element("costType", {"name": lt, "type": typ, "unit": unit})
             for lt, typ, unit in zip(expo["loss_type"], expo["cost_type"], expo["unit"])
             if lt != "occupants"]
    model = Element("exposureModel", {"category": "buildings", "id": "exposure"}, nodes=[
        Element("description", text="Generated exposure"),
        Element("conversions", nodes=[Element("costTypes", nodes=types)]),
        Element("occupancyPeriods", text=""),
        Element("tagNames", text=" ".join(t for t in sorted(tags) if t != "taxonomy")),
        Element("assets", text=csv_name)])
    p2 = os.path.join(export_dir, export_name("exposure", c, "xml"))
    write_nrml([model], p2)
    return [p1, p2]


def _many(ds) -> bool:
    return "weights" in ds and len(risk_weights(ds)) > 1


def _per_rlz(key):
    """Per-realization outputs are hidden when R > 1 unless individual_rlzs."""
    def applies(ds):
        return key in ds.hdf5 and (not _many(ds) or bool(_oq(ds).get("individual_rlzs")))
    return applies


def _aggrisk_stats(ds) -> bool:
    if "aggrisk" not in ds.hdf5:
        return False
    return _oq(ds).get("calculation_mode") == "scenario_risk" or _many(ds)


@hookimpl
def oq_register_exporters(registry):
    """Register the risk CSV exporters."""
    add = registry.add_exporter
    add(ExporterSpec("avg_losses-rlzs", "csv", export_avg_losses, "Average Asset Losses",
                     applies=_per_rlz("avg_losses-rlzs")))
    add(ExporterSpec("avg_losses-stats", "csv", export_avg_losses,
                     "Average Asset Losses Statistics",
                     applies=lambda ds: "avg_losses-stats" in ds.hdf5))
    add(ExporterSpec("aggrisk", "csv", export_aggrisk, "Aggregate Risk",
                     applies=_per_rlz("aggrisk")))
    add(ExporterSpec("aggrisk-stats", "csv", export_stats_tables,
                     "Aggregate Risk Statistics", applies=_aggrisk_stats))
    add(ExporterSpec("aggcurves", "csv", export_aggcurves, "Aggregate Risk Curves",
                     applies=_per_rlz("aggcurves")))
    add(ExporterSpec("aggcurves-stats", "csv", export_stats_tables,
                     "Aggregate Risk Curves Statistics",
                     applies=lambda ds: "aggcurves" in ds.hdf5 and _many(ds)))
    add(ExporterSpec("risk_by_event", "csv", export_risk_by_event, "Aggregated Risk By Event",
                     applies=lambda ds: "risk_by_event" in ds.hdf5))
    add(ExporterSpec("src_loss_table", "csv", export_src_loss_table, "Source Loss Table",
                     applies=lambda ds: "src_loss_table" in ds.hdf5))
    add(ExporterSpec("avg_losses_by", "csv", export_avg_losses_by, "Average Losses By",
                     applies=lambda ds: "avg_losses_by" in ds.hdf5))
    add(ExporterSpec("damages-rlzs", "csv", export_damages, "Asset Risk Distributions",
                     applies=_per_rlz("damages-rlzs")))
    add(ExporterSpec("damages-stats", "csv", export_damages, "Asset Risk Statistics",
                     applies=lambda ds: "damages-stats" in ds.hdf5))
    add(ExporterSpec("exposure", "zip", export_exposure, "Exposure",
                     content_type="application/x-zip",
                     applies=lambda ds: "assetcol" in ds.hdf5))
    add(ExporterSpec("loss_curves-rlzs", "csv", export_loss_curves, "Loss Curves",
                     applies=lambda ds: "loss_curves-rlzs" in ds.hdf5))
    add(ExporterSpec("loss_curves-stats", "csv", export_loss_curves, "Loss Curves Statistics",
                     applies=lambda ds: "loss_curves-stats" in ds.hdf5))
    for name, display in (("loss_maps", "Loss Maps"), ("bcr", "Benefit Cost Ratios")):
        add(ExporterSpec(name + "-rlzs", "csv", export_asset_fields, display,
                         applies=_per_rlz(name + "-rlzs")))
        add(ExporterSpec(name + "-stats", "csv", export_asset_fields, display + " Statistics",
                         applies=(lambda key: lambda ds: key in ds.hdf5)(name + "-stats")))
