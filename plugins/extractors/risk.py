"""Extract specs of risk calculations (extract-specs.md 5): exposure_metadata, assets,
asset_tags, agg_losses, agg_damages, losses_by_asset, damages-rlzs/-stats, agg_curves,
risk_stats, composite_risk_model.attrs."""
from __future__ import annotations

import json

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput
from oqcore.extract import ArrayWrapper, Table, literal, normalise_kinds
from oqcore.export import statistics
from oqcore.hazard.stats import compute_stats
from oqcore.registry import ExtractorSpec
from oqcore.risk.hazard_input import risk_weights
from oqcore.risk.model import LOSS_IDS

LOSS_NAMES = {v: k for k, v in LOSS_IDS.items()}


def _assetcol(ds):
    grp = ds["assetcol"]
    tagnames = grp.attrs["tagnames"].split()
    tags = {t: [v.decode("utf-8") for v in grp["tagcol/" + t][()]] for t in tagnames}
    return grp["array"][()], tagnames, tags


def _stats(ds) -> list[str]:
    return statistics(ds.read_json("oqparam"))


def _metadata(ds, names: bool) -> dict:
    assets, tagnames, tags = _assetcol(ds)
    meta: dict = dict(tags)
    meta["tagnames"] = tagnames
    meta["tagsizes"] = [len(tags[t]) for t in tagnames]
    if names:
        meta["names"] = ["value-number"] + [n for n in assets.dtype.names if n.startswith(
            ("value-", "occupants_"))]
    return meta


def extract_exposure_metadata(dstore, query, rest):
    """``json``: tag values (``?`` first), tagnames, tagsizes, value field names."""
    return ArrayWrapper(None, {"json": json.dumps(_metadata(dstore, True)).encode()})


def _matches(values: list[str], wanted) -> np.ndarray:
    """Indices of the tag values equal to any of ``wanted`` (query values may have been
    literal-evaluated: '01.1' arrives as 1.1)."""
    wanted = list(wanted)
    return np.array([i for i, v in enumerate(values)
                     if v in [str(w) for w in wanted] or literal(v) in wanted], int)


def _select(assets, tags, query) -> np.ndarray:
    """Mask of the assets matching every ``tag=value`` condition (``*`` ignored)."""
    mask = np.ones(len(assets), bool)
    for tag, wanted in query.items():
        if tag not in tags:
            raise InvalidInput("unknown tag %r (tags: %s)" % (tag, ", ".join(tags)),
                               param=tag)
        if "*" in [str(w) for w in wanted]:
            continue
        mask &= np.isin(assets[tag], _matches(tags[tag], wanted))
    return mask


def extract_assets(dstore, query, rest):
    """``array``: the asset records matching the tag filters; ``json``: tags."""
    assets, _names, tags = _assetcol(dstore)
    sel = assets[_select(assets, tags, query)]
    return ArrayWrapper(sel, {"json": json.dumps(_metadata(dstore, False)).encode()})


def extract_asset_tags(dstore, query, rest):
    """One member per tag: bytes ``"<tag>=<value>"`` (``?`` first)."""
    _assets, _names, tags = _assetcol(dstore)
    return ArrayWrapper(None, {t: np.array([("%s=%s" % (t, v)).encode("utf-8")
                                            for v in vals]) for t, vals in tags.items()})


def _star(query) -> str | None:
    stars = [t for t, v in query.items() if "*" in [str(x) for x in v]]
    if len(stars) > 1:
        raise InvalidInput("only one tag can have the value *")
    return stars[0] if stars else None


def _aggregate(dstore, query, values: np.ndarray, extra: dict) -> ArrayWrapper:
    """Sum ``values`` (A, ...) over the selected assets, or per value of the ``*`` tag."""
    assets, _names, tags = _assetcol(dstore)
    mask = _select(assets, tags, query)
    star = _star(query)
    conds = [("%s=%s" % (t, v)).encode() for t, vs in query.items() for v in vs
             if str(v) != "*"]
    attrs = dict(extra, selected=np.array(conds) if conds else np.zeros(0))
    if not mask.any():
        return ArrayWrapper(None, attrs)
    if star is None:
        return ArrayWrapper(values[mask].sum(axis=0), attrs)
    rows, labels = [], []
    for i, v in enumerate(tags[star]):
        m = mask & (assets[star] == i)
        if m.any():
            rows.append(values[m].sum(axis=0))
            labels.append(("%s=%s" % (star, v)).encode("utf-8"))
    attrs["tags"] = np.array(labels)
    return ArrayWrapper(np.array(rows), attrs)


def extract_agg_losses(dstore, query, rest):
    """Average losses of ``rest`` (loss type) summed over the selected assets: (S,) or
    (T, S) with one ``*`` tag."""
    lt = rest
    key = "avg_losses-stats/" + lt if "avg_losses-stats" in dstore else \
        "avg_losses-rlzs/" + lt
    if key not in dstore:
        raise InvalidInput("no average losses for loss type %r" % lt, param="loss_type")
    data = dstore[key][()].astype(np.float32)
    labels = _stats(dstore) if "stats" in key else ["mean"]
    if "rlzs" in key:
        data = data[:, :1]
    return _aggregate(dstore, query, data, {"stats": np.array(labels)})


def extract_agg_damages(dstore, query, rest):
    """Damage distributions of ``rest`` summed over the selected assets: (R, D) or
    (T, R, D)."""
    arr = dstore["damages-rlzs"][()]
    fields = [f for f in arr.dtype.names if f.startswith(rest + "-")]
    if not fields:
        raise InvalidInput("no damages for loss type %r" % rest, param="loss_type")
    data = np.stack([arr[f] for f in fields], axis=-1).astype(np.float32)  # (A, R, D)
    return _aggregate(dstore, query, data, {"stats": b""})


def _asset_records(dstore, fields) -> np.ndarray:
    assets, tagnames, tags = _assetcol(dstore)
    names = sorted(tags)
    dt = [("id", "S100")] + [(t, "S100") for t in names] + [("lon", np.float32),
                                                            ("lat", np.float32)]
    dt += [(f, np.float32) for f in fields]
    out = np.zeros(len(assets), dt)
    out["id"] = assets["id"]
    for t in names:
        out[t] = [tags[t][i].encode("utf-8") for i in assets[t]]
    out["lon"], out["lat"] = assets["lon"], assets["lat"]
    return out


def extract_losses_by_asset(dstore, query, rest):
    """One member per realization/statistic: (A,) asset records + average losses."""
    meta = dstore.read_json("risk_meta")
    lts = meta["loss_types"]
    out = {}
    for which in ("rlzs", "stats"):
        if "avg_losses-%s" % which not in dstore:
            continue
        data = {lt: dstore["avg_losses-%s/%s" % (which, lt)][()] for lt in lts}
        n = next(iter(data.values())).shape[1]
        labels = ["rlz-%03d" % r for r in range(n)] if which == "rlzs" else _stats(dstore)
        for i, label in enumerate(labels[:n]):
            rec = _asset_records(dstore, lts)
            for lt in lts:
                rec[lt] = data[lt][:, i]
            out[label] = rec
    return ArrayWrapper(None, out)


def _damages(kind):
    def extract_damages(dstore, query, rest):
        """One member per realization/statistic: asset records + damage fields."""
        arr = dstore[kind][()]
        labels = ["rlz-%03d" % r for r in range(arr.shape[1])] if kind.endswith("rlzs") \
            else _stats(dstore)
        out = {}
        for i, label in enumerate(labels[:arr.shape[1]]):
            rec = _asset_records(dstore, arr.dtype.names)
            for f in arr.dtype.names:
                rec[f] = arr[f][:, i]
            out[label] = rec
        return ArrayWrapper(None, out)
    return extract_damages


def extract_agg_curves(dstore, query, rest):
    """Aggregate loss curves of one loss type: (K', P, EP) for ``kind=rlzs`` or the
    statistics, ``absolute=1`` losses or ``0`` ratios; one aggregation key selected
    by the tag values of the first aggregate_by group (the total otherwise)."""
    tab = dstore.read_table("aggcurves")
    lt = str(query.get("loss_type", ["structural"])[0])
    if "absolute" not in query:
        raise InvalidInput("agg_curves needs absolute=0 or 1", param="absolute")
    absolute = bool(query["absolute"][0])
    meta = dstore.read_json("risk_meta")
    keys = [k.decode("utf-8").split("\t") for k in dstore["agg_keys"][()]] \
        if "agg_keys" in dstore else []
    K = len(keys)
    agg_id = K
    tagvals = {}
    if meta["aggregate_by"]:
        first = meta["aggregate_by"][0]
        if all(t in query for t in first):
            want = [str(query[t][0]) for t in first]
            for k in range(meta["agg_counts"][0]):
                if keys[k] == want:
                    agg_id = k
            tagvals = {t: [str(query[t][0])] for t in first}
    lid = LOSS_IDS.get(lt)
    sel = (tab["agg_id"] == agg_id) & (tab["loss_id"] == lid)
    if not sel.any():
        raise InvalidInput("no curves for %s" % lt, param="loss_type")
    eps = [c for c in tab if c not in ("agg_id", "rlz_id", "loss_id", "return_period")]
    periods = sorted(set(tab["return_period"][sel].tolist()))
    R = int(tab["rlz_id"].max()) + 1
    arr = np.zeros((R, len(periods), len(eps)))
    for i in np.flatnonzero(sel):
        arr[int(tab["rlz_id"][i]), periods.index(int(tab["return_period"][i]))] = [
            tab[c][i] for c in eps]
    if not absolute:
        vals = dstore["agg_values"][()]
        name = lt if lt in vals.dtype.names else None
        if name:
            arr = arr / (vals[name][agg_id] or 1)
    kinds = [str(k) for k in query.get("kind", ["rlzs"])]
    stats = _stats(dstore)
    names, ks, rlzs = normalise_kinds(kinds, stats, R)
    if not rlzs:
        w = risk_weights(dstore)
        arr = compute_stats(np.nan_to_num(arr), names, w)
    else:
        arr = arr[ks]
    units = [str(u) for u in dstore.read_table("exposure")["unit"]]
    js = {"shape_descr": ["kind", "return_period", "ep_field"] + list(tagvals),
          "kind": names, "return_period": periods, "units": units, "ep_field": eps}
    js.update(tagvals)
    for _t in tagvals:
        arr = arr[..., None]
    return ArrayWrapper(arr, {"json": json.dumps(js).encode()})


def extract_risk_stats(dstore, query, rest):
    """Statistics across realizations of ``aggrisk`` or ``aggcurves`` (a table)."""
    if rest not in ("aggrisk", "aggcurves"):
        raise InvalidInput("risk_stats/<aggrisk|aggcurves>, got %r" % rest)
    tab = dstore.read_table(rest)
    w = risk_weights(dstore)
    stats = _stats(dstore) or ["mean"]
    by = ["agg_id"] + (["return_period"] if rest == "aggcurves" else []) + ["loss_id"]
    vcols = [c for c in tab if c not in by + ["rlz_id"]]
    keys = sorted(set(zip(*[tab[c].tolist() for c in by])))
    out: dict = {c: [] for c in by[:-1] + ["loss_type"] + vcols + ["stat"]}
    for key in keys:
        sel = np.ones(len(tab["agg_id"]), bool)
        for c, v in zip(by, key):
            sel &= tab[c] == v
        data = np.zeros((len(w), len(vcols)))
        data[tab["rlz_id"][sel].astype(int)] = np.column_stack([tab[c][sel] for c in vcols])
        st = compute_stats(np.nan_to_num(data), stats, w)
        for s, name in enumerate(stats):
            for c, v in zip(by[:-1], key[:-1]):
                out[c].append(v)
            out["loss_type"].append(LOSS_NAMES.get(int(key[-1]), str(key[-1])))
            for j, c in enumerate(vcols):
                out[c].append(st[s, j])
            out["stat"].append(name)
    return Table({k: np.array(v) for k, v in out.items()})


def extract_crm_attrs(dstore, query, rest):
    """``json``: consequences, covs (0/1), limit_states, loss_types."""
    a = dstore["crm"].attrs
    covs = 0
    for f in dstore.read_table("crm")["riskfunc"]:
        d = json.loads(f)
        if any(c > 0 for c in d.get("covs", [])):
            covs = 1
            break
    return ArrayWrapper(None, {
        "json": json.dumps({"consequences": str(a.get("consequences", "")).split(),
                            "covs": covs,
                            "limit_states": str(a.get("limit_states", "")).split(),
                            "loss_types": str(a.get("loss_types", "")).split()}).encode()})


@hookimpl
def oq_register_extractors(registry):
    """Register the risk extract specs."""
    for name, func in [
            ("exposure_metadata", extract_exposure_metadata), ("assets", extract_assets),
            ("asset_tags", extract_asset_tags), ("agg_losses", extract_agg_losses),
            ("agg_damages", extract_agg_damages), ("losses_by_asset", extract_losses_by_asset),
            ("damages-rlzs", _damages("damages-rlzs")),
            ("damages-stats", _damages("damages-stats")),
            ("agg_curves", extract_agg_curves), ("risk_stats", extract_risk_stats),
            ("composite_risk_model.attrs", extract_crm_attrs)]:
        registry.add_extractor(ExtractorSpec(name, func, func.__doc__ or ""))
