"""Extract specs of disaggregation results: ``disagg`` (one site, one kind) and
``disagg_layer`` (every site, for maps)."""
from __future__ import annotations

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput
from oqcore.extract import ArrayWrapper
from oqcore.hazard import disagg
from oqcore.registry import ExtractorSpec

SPECS = ("rlzs", "stats", "rlzs-traditional", "stats-traditional")


def disagg_info(dstore) -> dict:
    """The ``disagg-info`` JSON of a disaggregation (InvalidInput if there is none)."""
    if "disagg-info" not in dstore:
        raise InvalidInput("this calculation has no disaggregation results")
    return dstore.read_json("disagg-info")


def read_bins(dstore) -> disagg.DisaggBins:
    """The bin edges stored in ``disagg-bins``."""
    b = dstore["disagg-bins"]
    return disagg.DisaggBins(b["Mag"][()], b["Dist"][()], b["Lon"][()], b["Lat"][()],
                             b["Eps"][()], [t.decode() for t in b["TRT"][()]])


def _one(query, key, cast=str, default=None):
    values = query.get(key)
    if not values:
        if default is None:
            raise InvalidInput("missing %s= in the disagg query" % key)
        return default
    try:
        return cast(values[0])
    except (TypeError, ValueError):
        raise InvalidInput("invalid %s=%r" % (key, values[0])) from None


def _indices(query, key, labels: list, what: str) -> list[int] | None:
    """Positions of the repeated ``key`` values among ``labels`` (None if absent)."""
    if key not in query:
        return None
    out = []
    for v in query[key]:
        if key == "poe_id":
            try:
                i = int(v)
            except (TypeError, ValueError):
                raise InvalidInput("invalid poe_id=%r" % v) from None
            if not 0 <= i < len(labels):
                raise InvalidInput("poe_id=%d out of range: the job has %d %s" % (
                    i, len(labels), what))
            out.append(i)
        else:
            if str(v) not in labels:
                raise InvalidInput("unknown %s %s (the job has %s)" % (what, v, labels))
            out.append(labels.index(str(v)))
    return out


def extract_disagg(dstore, query, rest=""):
    """``disagg?kind=K&site_id=S&spec=rlzs|stats|rlzs-traditional|stats-traditional
    [&imt=IMT...][&poe_id=P...]``: the matrix of one kind at one site, shape
    (*bins, M', P', Z), PoE of each bin (or its fraction of the total with
    ``-traditional``), with the bin centres of each dimension. With ``spec=rlzs*`` and a
    single disaggregated realization the Z axis is dropped: (*bins, M', P'), as in the
    rest-api.rst example."""
    aw = disagg_matrix(dstore, query)
    if not aw.spec[0].startswith("stats") and aw.array.shape[-1] == 1:
        aw.array = aw.array[..., 0]
    return aw


def disagg_matrix(dstore, query) -> ArrayWrapper:
    """The answer of extract ``disagg`` always with the Z axis (*bins, M', P', Z)."""
    info = disagg_info(dstore)
    kind = _one(query, "kind")
    if kind not in info["kinds"]:
        raise InvalidInput("kind=%s was not computed (disagg_outputs = %s)" % (
            kind, " ".join(info["kinds"])))
    spec = _one(query, "spec", default="rlzs")
    if spec not in SPECS:
        raise InvalidInput("spec=%s: expected one of %s" % (spec, ", ".join(SPECS)))
    sitecol = dstore["sitecol"]
    site_id = _one(query, "site_id", int)
    if not 0 <= site_id < len(sitecol):
        raise InvalidInput("site_id=%d out of range: the calculation has %d sites" % (
            site_id, len(sitecol)))
    stats = spec.startswith("stats")
    key = "disagg-%s/%s" % ("stats" if stats else "rlzs", kind)
    if key not in dstore:
        raise InvalidInput("no disagg-stats: a single realization was disaggregated; "
                           "use spec=rlzs" if stats else "%s not stored" % key)
    imts = info["imts"]
    poes_all = list(dstore["disagg-poes"][site_id, 0])
    mi = _indices(query, "imt", imts, "IMTs")
    pi = _indices(query, "poe_id", poes_all, "PoEs")
    arr = dstore[key][site_id]  # (*bins, M, P, Z)
    if spec.endswith("traditional"):
        total = -np.log1p(-arr).reshape(-1, *arr.shape[-3:]).sum(axis=0)  # (M, P, Z)
        arr = disagg.traditional(arr, -np.expm1(-total))
    if mi is not None:
        arr = arr[..., mi, :, :]
    if pi is not None:
        arr = arr[..., pi, :]
    aw = ArrayWrapper()
    del aw.extra
    # the query keys as parsed: one-element lists, as the reference answers them
    aw.kind = [kind]
    if mi is not None:
        aw.imt = [imts[m] for m in mi]
    aw.site_id = [site_id]
    if pi is not None:
        aw.poe_id = pi
    aw.spec = [spec]
    bins = read_bins(dstore)
    axes = disagg.kind_axes(kind)
    for axis in axes:
        c = bins.centres(axis, site_id)
        setattr(aw, axis, np.array([t.encode() for t in c]) if axis == "trt" else c)
    aw.imt = [imts[m] for m in mi] if mi is not None else list(imts)
    aw.poe = [poes_all[p] for p in pi] if pi is not None else poes_all
    aw.traditional = np.array(spec.endswith("traditional"))
    aw.shape_descr = axes + ["imt", "poe"]
    if stats:
        aw.extra = ["mean"]
    else:
        best = dstore["best_rlzs"][site_id]
        w = np.asarray(dstore["weights"][()], float)[best]
        aw.weights = w / w.sum()
        aw.extra = ["rlz%d" % r for r in best]
    aw.array = arr
    return aw


def extract_disagg_layer(dstore, query, rest=""):
    """``disagg_layer[?kind=K...]``: one record per site with the weighted mean (over
    the disaggregated realizations) of each kind, IMT and PoE, and the IMLs."""
    info = disagg_info(dstore)
    kinds = [str(k) for k in query.get("kind", [])] or info["kinds"]
    for k in kinds:
        if k not in info["kinds"]:
            raise InvalidInput("kind=%s was not computed (disagg_outputs = %s)" % (
                k, " ".join(info["kinds"])))
    sitecol = dstore["sitecol"][()]
    bins = read_bins(dstore)
    best = dstore["best_rlzs"][()]
    hmap3 = dstore["hmap3"][()]
    weights = np.asarray(dstore["weights"][()], float)
    imts = info["imts"]
    poes = dstore["disagg-poes"][()]
    N, Z = best.shape
    P = hmap3.shape[2]
    fields = [("site_id", np.uint32), ("lon", np.float32), ("lat", np.float32),
              ("lon_bins", np.float32, (bins.lon.shape[1],)),
              ("lat_bins", np.float32, (bins.lat.shape[1],))]
    mats = {k: dstore["disagg-rlzs/%s" % k][()] for k in kinds}
    for k in kinds:
        shp = mats[k].shape[1:-3]
        for imt in imts:
            for p in range(P):
                fields.append(("%s-%s-%s" % (k, imt, poes[0, 0, p]), np.float32, shp))
    for imt in imts:
        for p in range(P):
            fields.append(("iml-%s-%s" % (imt, poes[0, 0, p]), np.float32, (Z,)))
    arr = np.zeros(N, fields)
    arr["site_id"] = np.arange(N)
    arr["lon"], arr["lat"] = sitecol["lon"], sitecol["lat"]
    arr["lon_bins"], arr["lat_bins"] = bins.lon, bins.lat
    for s in range(N):
        w = weights[best[s]]
        w = w / w.sum()
        for k in kinds:
            for m, imt in enumerate(imts):
                for p in range(P):
                    mat = mats[k][s][..., m, p, :]  # (*bins, Z)
                    arr[s]["%s-%s-%s" % (k, imt, poes[0, 0, p])] = mat @ w
        for m, imt in enumerate(imts):
            for p in range(P):
                arr[s]["iml-%s-%s" % (imt, poes[0, 0, p])] = hmap3[s, m, p]
    return ArrayWrapper(arr, {"mag": bins.mag, "dist": bins.dist, "eps": bins.eps,
                              "trt": np.array([t.encode() for t in bins.trt])})


def extract_disagg_by_src(dstore, query, rest=""):
    """``disagg_by_src?site_id=S[&imt=IMT...]`` (with ``disagg_by_src = true``): the mean
    annual rates of each source by magnitude, distance and epsilon at the first
    disaggregation level of the site, ``array`` (Nsrc, Ma, D, E, M')."""
    info = disagg_info(dstore)
    site_id = _one(query, "site_id", int, default=0)
    key = "mean_disagg_by_src/%d" % site_id
    if key not in dstore:
        if "mean_disagg_by_src" not in dstore:
            raise InvalidInput("no disaggregation by source: set disagg_by_src = true")
        raise InvalidInput("site_id=%d out of range: the calculation has %d sites" % (
            site_id, len(dstore["sitecol"])))
    labels = dstore.labels(key)
    arr = dstore[key][()]
    iml = np.asarray(dstore[key].attrs["iml"], float)
    mi = _indices(query, "imt", info["imts"], "IMTs")
    if mi is not None:
        arr, iml = arr[..., mi], iml[mi]
    imts = [info["imts"][m] for m in mi] if mi is not None else list(info["imts"])
    return ArrayWrapper(arr, {
        "site_id": site_id, "source_id": np.array(labels["source_id"], dtype="S"),
        "mag": np.array(labels["mag"]), "dist": np.array(labels["dist"]),
        "eps": np.array(labels["eps"]), "imt": imts, "iml": iml,
        "shape_descr": ["source_id", "mag", "dist", "eps", "imt"]})


@hookimpl
def oq_register_extractors(registry):
    """Register the disaggregation extract specs."""
    for name, func in [("disagg", extract_disagg), ("disagg_layer", extract_disagg_layer),
                       ("disagg_by_src", extract_disagg_by_src)]:
        registry.add_extractor(ExtractorSpec(name, func, func.__doc__ or ""))
