"""Extract specs of hazard results: hcurves, hmaps, uhs, mean_rates_by_src, sources."""
from __future__ import annotations

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput
from oqcore.extract import ArrayWrapper, normalise_kinds
from oqcore.hazard.imt import uhs_indices
from oqcore.hazard.site import has_depths
from oqcore.registry import ExtractorSpec


def _info(dstore) -> dict:
    return dstore.read_json("hcurves-info")


def _kinds(dstore, query):
    info = _info(dstore)
    kinds = query.get("kind")
    if not kinds:
        raise InvalidInput("missing kind= in the query")
    names, ks, rlzs = normalise_kinds(kinds, info["stats"], info["num_rlzs"])
    return info, names, ks, rlzs


def _select(dstore, query, prefix):
    """Members per kind (N', M', X) + the normalised query, each kind from its dataset."""
    info, names, ks, rlzs = _kinds(dstore, query)
    imts = list(info["imtls"])
    aw = ArrayWrapper()
    del aw.extra
    members = {}
    for name, k in zip(names, ks):
        if name.startswith("rlz-"):
            key = "%s-rlzs" % prefix
            if key not in dstore:
                raise KeyError("%s not stored: set individual_rlzs = true" % key)
            arr = dstore[key][:, k]
            mname = "rlz-%03d" % k
        else:
            arr = dstore["%s-stats" % prefix][:, k]
            mname = name
        arr = np.asarray(arr, np.float32)
        if "site_id" in query:
            arr = arr[[int(s) for s in query["site_id"][:1]]]
        if "imt" in query:
            idx = []
            for imt in query["imt"]:
                if str(imt) not in imts:
                    raise InvalidInput("unknown IMT %s (the job has %s)" % (imt, imts))
                idx.append(imts.index(str(imt)))
            arr = arr[:, idx]
        members[mname] = arr
    for mname, arr in members.items():
        setattr(aw, mname, arr)
    for key in query:
        if key == "kind":
            aw.kind = names
        elif key == "imt":
            aw.imt = [str(i) for i in query["imt"]]
        elif key == "site_id":
            aw.site_id = [int(s) for s in query["site_id"]]
    aw.k = ks
    aw.rlzs = rlzs
    aw.extra = ["value"]
    return aw


def _all_records(dstore, prefix, fields_of):
    """The no-query form: investigation_time + ``all`` (N,) with one field per stat."""
    info = _info(dstore)
    sitecol = dstore["sitecol"][()]
    stats = info["stats"]
    depth = has_depths(sitecol)
    base = [("lon", np.float64), ("lat", np.float64)] + ([("depth", np.float64)]
                                                         if depth else [])
    inner = fields_of(info)
    order = sorted(range(len(stats)), key=lambda i: stats[i])
    dt = np.dtype(base + [(stats[i], inner) for i in order])
    arr = np.zeros(len(sitecol), dt)
    arr["lon"] = sitecol["lon"]
    arr["lat"] = sitecol["lat"]
    if depth:
        arr["depth"] = sitecol["depth"]
    data = dstore["%s-stats" % prefix][()] if stats else None
    for i in order:
        fill = arr[stats[i]]
        _fill(fill, data[:, i], info)
    return ArrayWrapper(None, {"investigation_time": float(info["investigation_time"]),
                               "all": arr})


def _fill(rec, data, info):
    imts = list(info["imtls"])
    for m, imt in enumerate(imts):
        sub = rec[imt]
        for j, name in enumerate(sub.dtype.names):
            sub[name] = data[:, m, j]


def extract_hcurves(dstore, query, rest):
    """Hazard curves: per kind (N', M', L1) f4; without query ``all``."""
    if not query:
        def fields(info):
            return [(imt, [(str(float(x)), np.float32) for x in lv])
                    for imt, lv in info["imtls"].items()]
        return _all_records(dstore, "hcurves", fields)
    return _select(dstore, query, "hcurves")


def _poes(dstore):
    return dstore.read_json("oqparam")["poes"]


def extract_hmaps(dstore, query, rest):
    """Hazard maps: per kind (N', M', P) f4; without query ``all``."""
    if "hmaps-stats" not in dstore and "hmaps-rlzs" not in dstore:
        raise KeyError("hmaps: the calculation has no poes")
    poes = _poes(dstore)
    if not query:
        def fields(info):
            return [(imt, [(str(p), np.float32) for p in poes]) for imt in info["imtls"]]
        return _all_records(dstore, "hmaps", fields)
    return _select(dstore, query, "hmaps")


def extract_uhs(dstore, query, rest):
    """Uniform hazard spectra: per kind (N',) records poe%.6f -> IMT -> f4."""
    if "hmaps-stats" not in dstore and "hmaps-rlzs" not in dstore:
        raise KeyError("uhs: the calculation has no poes")
    poes = _poes(dstore)
    info = _info(dstore)
    imts = list(info["imtls"])
    spectral = uhs_indices(imts)
    dt = np.dtype([("%.6f" % p, [(imts[m], np.float32) for m in spectral]) for p in poes])

    def to_uhs(arr):  # (N, M, P) -> (N,) records
        out = np.zeros(len(arr), dt)
        for p, poe in enumerate(poes):
            for m in spectral:
                out["%.6f" % poe][imts[m]] = arr[:, m, p]
        return out
    if not query:
        sitecol = dstore["sitecol"][()]
        stats = info["stats"]
        depth = has_depths(sitecol)
        base = [("lon", np.float64), ("lat", np.float64)] + (
            [("depth", np.float64)] if depth else [])
        order = sorted(range(len(stats)), key=lambda i: stats[i])
        all_ = np.zeros(len(sitecol), base + [(stats[i], dt) for i in order])
        all_["lon"], all_["lat"] = sitecol["lon"], sitecol["lat"]
        if depth:
            all_["depth"] = sitecol["depth"]
        data = dstore["hmaps-stats"][()]
        for i in order:
            all_[stats[i]] = to_uhs(data[:, i])
        return ArrayWrapper(None, {"investigation_time": float(info["investigation_time"]),
                                   "all": all_})
    if "imt" in query:
        raise InvalidInput("uhs does not accept imt=")
    aw = _select(dstore, query, "hmaps")
    for name in list(aw.members()):
        val = getattr(aw, name)
        if isinstance(val, np.ndarray) and val.ndim == 3:
            setattr(aw, name, to_uhs(val))
    return aw


def extract_mean_rates_by_src(dstore, query, rest):
    """(src_id, rate) sorted by decreasing rate at ``iml`` for ``site_id`` and ``imt``."""
    if "mean_rates_by_src" not in dstore:
        raise KeyError("mean_rates_by_src: set disagg_by_src = true")
    site_id = int(query.get("site_id", [0])[0])
    try:
        imt = str(query["imt"][0])
        iml = float(query["iml"][0])
    except KeyError:
        raise InvalidInput("mean_rates_by_src needs imt= and iml=") from None
    info = _info(dstore)
    imts = list(info["imtls"])
    levels = info["imtls"][imt]
    labels = dstore.labels("mean_rates_by_src")
    arr = dstore["mean_rates_by_src"][site_id, imts.index(imt)]  # (L1, Ns)
    rates = [float(np.interp(iml, levels, arr[:, j])) for j in range(arr.shape[1])]
    out = np.zeros(len(rates), [("src_id", object), ("rate", np.float64)])
    out["src_id"] = labels["src_id"]
    out["rate"] = rates
    out = out[np.argsort(-out["rate"], kind="stable")]
    return ArrayWrapper(out, {"site_id": site_id, "imt": imt, "iml": iml})


def extract_sources(dstore, query, rest):
    """``array`` (code S1, num_ctxs u8, num_ruptures u4) of the sources, grouped by
    typology code with at most ``limit`` (100) per code, and ``src_gz``: their IDs
    joined by ``;``, gzipped. ``source_id=`` and ``code=`` select (repeatable)."""
    import gzip
    tab = dstore.read_table("source_info")
    ids = np.array([str(s) for s in tab["source_id"]], dtype=object)
    codes = np.array([str(c) for c in tab["code"]], dtype=object)
    n = len(ids)
    nctx = np.asarray(tab.get("num_ctxs", np.zeros(n)), np.uint64)
    nrup = np.asarray(tab.get("num_ruptures", np.zeros(n)), np.uint32)
    keep = np.ones(n, bool)
    if "source_id" in query:
        wanted = {str(s) for s in query["source_id"]}
        keep &= np.array([i in wanted for i in ids], bool)
        if not keep.any():
            raise KeyError("There is no source with id %s" % ", ".join(sorted(wanted)))
    if "code" in query:
        wanted = {str(c) for c in query["code"]}
        keep &= np.array([c in wanted for c in codes], bool)
        if not keep.any():
            raise KeyError("There is no source with code in %s" % ", ".join(sorted(wanted)))
    try:
        limit = int(query.get("limit", [100])[0])
    except (TypeError, ValueError):
        raise InvalidInput("limit must be an integer") from None
    rows = []
    for code in sorted(set(codes[keep])):
        rows.extend(np.flatnonzero(keep & (codes == code))[:max(limit, 0)])
    arr = np.zeros(len(rows), [("code", "S1"), ("num_ctxs", np.uint64),
                               ("num_ruptures", np.uint32)])
    arr["code"] = [codes[i].encode() for i in rows]
    arr["num_ctxs"] = nctx[rows]
    arr["num_ruptures"] = nrup[rows]
    src_gz = gzip.compress(";".join(ids[i] for i in rows).encode("utf-8"))
    return ArrayWrapper(arr, {"src_gz": src_gz})


@hookimpl
def oq_register_extractors(registry):
    """Register the hazard extract specs."""
    for name, func in [("hcurves", extract_hcurves), ("hmaps", extract_hmaps),
                       ("uhs", extract_uhs), ("mean_rates_by_src", extract_mean_rates_by_src),
                       ("sources", extract_sources)]:
        registry.add_extractor(ExtractorSpec(name, func, func.__doc__ or ""))
