"""Extract specs of event-based and scenario calculations: ``rupture_info``,
``ruptures``, ``events``, ``num_events``, ``gmf_data``, ``avg_gmf``,
``event_based_mfd`` (extract-specs.md section 4)."""
from __future__ import annotations

import csv
import gzip
import io
import json

import numpy as np

from oqcore import hookimpl
from oqcore.errors import InvalidInput, NotFound
from oqcore.extract import ArrayWrapper
from oqcore.hazard.rupture import PLANAR, Rupture, decode_geometry
from oqcore.registry import ExtractorSpec

RUPTURE_INFO_DT = np.dtype([
    ("rup_id", np.int64), ("source_id", "S75"), ("multiplicity", np.uint32),
    ("mag", np.float32), ("centroid_lon", np.float32), ("centroid_lat", np.float32),
    ("centroid_depth", np.float32), ("trt", "S50"), ("strike", np.float32),
    ("dip", np.float32), ("rake", np.float32)])


def _first(query: dict, name: str, default=None):
    vals = query.get(name) if query else None
    return vals[0] if vals else default


def _float_param(query: dict, name: str, default: float) -> float:
    value = _first(query, name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise InvalidInput("%s must be a number, got %r" % (name, value), param=name) from None


def _need(dstore, key: str, what: str) -> None:
    if key not in dstore:
        raise NotFound("this calculation has no %s" % what)


def _oq(dstore) -> dict:
    return dstore.read_json("oqparam")


def source_names(dstore) -> tuple[list, list]:
    """(source IDs by source index, TRTs by source index) ([] for scenarios)."""
    if "source_info" not in dstore:
        return [], []
    tbl = dstore.read_table("source_info")
    return list(tbl["source_id"]), list(tbl["trt"])


def rupture_info_array(dstore, min_mag: float = 0.0) -> np.ndarray:
    """The rupture_info rows (RUPTURE_INFO_DT) of the stored ruptures with
    ``mag >= min_mag``, in rupture order."""
    _need(dstore, "ruptures", "ruptures")
    rups = dstore["ruptures"][()]
    geo = dstore["rupture_geoinfo"][()]
    names, trts = source_names(dstore)
    scenario = not names
    trt_scenario = ""
    if scenario:
        full = dstore.read_json("full_lt") if "full_lt" in dstore else {}
        trt_scenario = (full.get("trts") or ["*"])[0]
    keep = np.flatnonzero(rups["mag"] >= min_mag)
    out = np.zeros(len(keep), RUPTURE_INFO_DT)
    for j, i in enumerate(keep):
        r = rups[i]
        src = "no-source" if scenario else names[r["source_id"]]
        trt = trt_scenario if scenario else trts[r["source_id"]]
        out[j] = (r["id"], src.encode()[:75], r["n_occ"], r["mag"], geo[i]["centroid_lon"],
                  geo[i]["centroid_lat"], geo[i]["centroid_depth"], trt.encode()[:50],
                  geo[i]["strike"], geo[i]["dip"], r["rake"])
    return out


def stored_rupture(dstore, i: int) -> Rupture:
    """The i-th stored rupture with its geometry (strike/dip/width/ztor as stored)."""
    r = dstore["ruptures"][i]
    geo = dstore["rupture_geoinfo"][i]
    kind, elements = decode_geometry(dstore["rupgeoms"][i])
    return Rupture(float(r["mag"]), float(r["rake"]), "", tuple(r["hypo"]), kind, elements,
                   float(geo["strike"]), float(geo["dip"]), 0.0, 0.0)


def extract_rupture_info(dstore, query, rest):
    """``array`` of rupture_info rows; attributes ``investigation_time`` and
    ``boundaries`` (gzip-compressed WKT, one line per row; empty with
    ``boundaries=no``)."""
    min_mag = _float_param(query, "min_mag", 0.0)
    arr = rupture_info_array(dstore, min_mag)
    oq = _oq(dstore)
    if _first(query, "boundaries", "yes") == "no":
        text = ""
    else:
        mags = dstore["ruptures"]["mag"]
        idx = np.flatnonzero(mags >= min_mag)
        text = "\n".join(stored_rupture(dstore, int(i)).boundary_wkt() for i in idx)
    itime = (np.float64(oq["investigation_time"])
             if oq.get("calculation_mode") != "scenario" and oq.get("investigation_time")
             else np.array([]))
    wrapper = ArrayWrapper(arr, {"investigation_time": itime,
                                 "boundaries": gzip.compress(text.encode())})
    return wrapper


def extract_ruptures(dstore, query, rest):
    """``array``: the ruptures with their geometry as CSV text (bytes)."""
    min_mag = _float_param(query, "min_mag", 0.0)
    rup_id = _first(query, "rup_id")
    rups = dstore["ruptures"][()] if "ruptures" in dstore else None
    if rups is None:
        raise NotFound("this calculation has no ruptures")
    info = rupture_info_array(dstore, 0.0)
    oq = _oq(dstore)
    trts = sorted({r["trt"].decode() for r in info})
    out = io.StringIO()
    out.write("#,,,,,,,,,,\"trts=%r, ses_seed=%d\"\r\n" % (trts, oq.get("ses_seed", 42)))
    writer = csv.writer(out, lineterminator="\r\n")  # quotes only where needed
    writer.writerow(["seed", "mag", "rake", "lon", "lat", "dep", "multiplicity", "trt",
                     "kind", "mesh", "extra"])
    for i, r in enumerate(rups):
        if r["mag"] < min_mag or (rup_id is not None and str(r["id"]) != str(rup_id)):
            continue
        kind, elements = decode_geometry(dstore["rupgeoms"][i])
        surf = "PlanarSurface" if kind == PLANAR else "KiteSurface"
        if len(elements) > 1:
            surf = "MultiSurface"
        if kind == PLANAR:  # corners as one row: TL, TR, BL, BR
            elements = [el.reshape(3, 1, 4) for el in elements]
        # + 0.0 turns -0.0 into 0.0
        mesh = json.dumps([[[[round(float(x), 5) + 0.0 for x in row] for row in coord]
                            for coord in el] for el in elements])
        # the shortest text of the single-precision rate (0.6, not 0.6000000238418579)
        rate = float(str(np.float32(r["occurrence_rate"])))
        extra = json.dumps({"occurrence_rate": rate,
                            "source_id": info[i]["source_id"].decode(),
                            "rup_id": int(r["id"])})
        lon, lat, dep = r["hypo"]
        writer.writerow([
            int(r["seed"]), "%.6E" % r["mag"], "%.6E" % r["rake"], "%.5f" % lon,
            "%.5f" % lat, "%.6E" % dep, int(r["n_occ"]), info[i]["trt"].decode(),
            "ParametricProbabilisticRupture %s" % surf, mesh, extra])
    return ArrayWrapper(np.array(out.getvalue().encode()))


def extract_events(dstore, query, rest):
    """``array`` (E,): id, rup_id, rlz_id[, year, ses_id]."""
    _need(dstore, "events", "events")
    return ArrayWrapper(dstore["events"][()])


def extract_num_events(dstore, query, rest):
    """``num_events`` 0-d i8."""
    _need(dstore, "events", "events")
    return ArrayWrapper(None, {"num_events": np.int64(len(dstore["events"]))})


def extract_gmf_data(dstore, query, rest):
    """The GMF of one event (``event_id``, default 0) on the complete site collection:
    member ``rlz-NNN`` (N,) ``[custom_site_id,] lon, lat, <IMT>...`` (0 where nothing
    is stored)."""
    _need(dstore, "gmf_data", "ground-motion fields")
    raw = _first(query, "event_id", "0")
    try:
        eid = int(raw)
    except ValueError:
        raise InvalidInput("event_id must be an integer, got %r" % raw,
                           param="event_id") from None
    events = dstore["events"][()]
    if not 0 <= eid < len(events):
        raise InvalidInput("event_id %d is not in 0..%d" % (eid, len(events) - 1),
                           param="event_id")
    imts = dstore["gmf_data"].attrs["imts"].split()
    sitecol = dstore["sitecol"][()]
    grp = dstore["gmf_data"]
    eids = grp["eid"][()]
    sel = np.flatnonzero(eids == eid)
    dt = ([("custom_site_id", "S8")] if "custom_site_id" in sitecol.dtype.names else [])
    dt += [("lon", np.float64), ("lat", np.float64)] + [(imt, np.float32) for imt in imts]
    out = np.zeros(len(sitecol), dt)
    for name in ("custom_site_id", "lon", "lat"):
        if name in out.dtype.names:
            out[name] = sitecol[name]
    sids = grp["sid"][sel]
    for imt in imts:
        out[imt][sids] = grp[imt][sel]
    rlz = int(events[eid]["rlz_id"])
    return ArrayWrapper(None, {"rlz-%03d" % rlz: out})


def extract_avg_gmf(dstore, query, rest):
    """``custom_site_id``/``site_id``, ``lon``, ``lat`` and ``<IMT>`` (geometric mean
    over the events) for the sites with a positive average."""
    _need(dstore, "avg_gmf", "average ground-motion field")
    imts = dstore.labels("avg_gmf")["imt"]
    imt = _first(query, "imt", imts[0])
    if imt not in imts:
        raise InvalidInput("unknown IMT %r (known: %s)" % (imt, ", ".join(imts)),
                           param="imt")
    m = imts.index(imt)
    avg = dstore["avg_gmf"][0][:, m]
    sitecol = dstore["sitecol"][()]
    ok = np.flatnonzero(avg > 0)
    attrs = {}
    if "custom_site_id" in sitecol.dtype.names:
        attrs["custom_site_id"] = np.array([c.decode() for c in
                                            sitecol["custom_site_id"][ok]], "U8")
    else:
        attrs["site_id"] = ok.astype(np.uint32)
    attrs["lon"] = sitecol["lon"][ok]
    attrs["lat"] = sitecol["lat"][ok]
    attrs[imt] = avg[ok].astype(np.float32)
    return ArrayWrapper(None, attrs)


def event_based_mfd(dstore) -> tuple[np.ndarray, np.ndarray]:
    """(mags rounded to 0.1 ascending, annual frequencies): the sum of the rupture
    multiplicities of each magnitude bin / (investigation_time x SES x R)."""
    _need(dstore, "ruptures", "ruptures")
    oq = _oq(dstore)
    rups = dstore["ruptures"][()]
    R = len(dstore["weights"])
    if not oq.get("investigation_time"):
        raise InvalidInput("the ruptures have no investigation_time: no annual "
                           "frequencies")
    eff = oq["investigation_time"] * oq["ses_per_logic_tree_path"] * R
    # rounded in single precision, as the reference does (x.x5 magnitudes go to the
    # even neighbour: 4.85 -> 4.8, 4.95 -> 5.0)
    mags = np.round(np.round(rups["mag"].astype(np.float32), 1).astype(np.float64), 6)
    uniq = np.unique(mags)
    freq = np.array([rups["n_occ"][mags == m].sum() for m in uniq], float) / eff
    return uniq, freq


def extract_event_based_mfd(dstore, query, rest):
    """``mag`` f8 and ``freq`` f8 (see :func:`event_based_mfd`)."""
    mag, freq = event_based_mfd(dstore)
    return ArrayWrapper(None, {"mag": mag, "freq": freq})


@hookimpl
def oq_register_extractors(registry):
    """Register the event-based and scenario extract specs."""
    for name, func in [("rupture_info", extract_rupture_info),
                       ("ruptures", extract_ruptures), ("events", extract_events),
                       ("num_events", extract_num_events), ("gmf_data", extract_gmf_data),
                       ("avg_gmf", extract_avg_gmf),
                       ("event_based_mfd", extract_event_based_mfd)]:
        registry.add_extractor(ExtractorSpec(name, func, func.__doc__ or ""))
