"""The hazard a GMF-based risk calculation consumes: its sites, its events and its
ground-motion fields, read from a ``gmfs_file`` CSV or from the datastore dataset
``gmf_data`` of the same job or of the parent (``--hc``) job.

``gmf_data`` layout (datastore.md): a table group with columns ``sid u4``, ``eid u4``,
``gmv_0 .. gmv_<M-1> f4`` and attributes ``imts`` (space separated, the order of the
gmv columns), ``num_events``, ``investigation_time``, ``effective_time``; ``events`` is
a structured array ``id u4, rup_id i8, rlz_id u2`` (+ ``year``, ``ses_id`` when computed).
"""
from __future__ import annotations

import csv
import io

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.imt import IMT
from oqcore.hazard.site import SiteCollection, read_site_model

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


def geohash(lon: float, lat: float, length: int = 8) -> str:
    """The geohash of a point (``length`` base-32 characters)."""
    lo, hi = [-180.0, 180.0], [-90.0, 90.0]
    bits, ch, even, out = 0, 0, True, []
    while len(out) < length:
        rng, val = (lo, lon) if even else (hi, lat)
        mid = (rng[0] + rng[1]) / 2
        if val > mid:
            ch |= 1 << (4 - bits)
            rng[0] = mid
        else:
            rng[1] = mid
        even = not even
        bits += 1
        if bits == 5:
            out.append(_BASE32[ch])
            bits, ch = 0, 0
    return "".join(out)


def risk_sitecol(oq, asset_lons=None, asset_lats=None) -> SiteCollection:
    """The hazard sites of a risk job: ``sites``, ``sites_csv``, a site model, or (when
    none is given) the distinct asset locations; with a ``custom_site_id`` geohash."""
    depths = None
    order = None
    if oq.sites:
        pts = np.array([p + (0.0,) * (3 - len(p)) for p in oq.sites])
        lons, lats, depths = pts[:, 0], pts[:, 1], pts[:, 2]
    elif "sites" in oq.inputs or "site_model" in oq.inputs:
        fname = oq.inputs.get("sites") or oq.inputs["site_model"]
        data = read_site_model(fname if isinstance(fname, str) else fname[0])
        lons, lats, depths = data["lon"], data["lat"], data.get("depth")
        if "site_id" in data:  # explicit site IDs: the sites keep that order
            order = np.argsort(data["site_id"], kind="stable")
            if not np.array_equal(data["site_id"][order], np.arange(len(order))):
                raise InvalidInput("the site_id column must hold 0..%d" % (len(order) - 1),
                                   fname=fname if isinstance(fname, str) else fname[0])
    elif asset_lons is not None:
        pairs = np.unique(np.round(np.column_stack([asset_lons, asset_lats]), 5), axis=0)
        lons, lats = pairs[:, 0], pairs[:, 1]
    else:
        raise InvalidInput("no hazard sites: give sites, sites_csv or an exposure",
                           param="sites")
    lons = np.round(np.asarray(lons, float), 5)
    lats = np.round(np.asarray(lats, float), 5)
    if order is not None:
        lons, lats = lons[order], lats[order]
        depths = None if depths is None else np.asarray(depths)[order]
    cids = np.array([geohash(lo, la).encode() for lo, la in zip(lons, lats)])
    return SiteCollection.from_points(lons, lats, depths, {"custom_site_id": cids},
                                      sort=order is None)


@attrs.define
class Gmfs:
    """Ground-motion fields sorted by (site, event).

    :ivar sids: (n,) site indices
    :ivar eids: (n,) event indices
    :ivar gmvs: (n, M) ground-motion values, in the order of ``imts``
    :ivar imts: M IMT strings
    :ivar events: (E,) structured events (``id``, ``rup_id``, ``rlz_id``...)
    """
    sids: np.ndarray
    eids: np.ndarray
    gmvs: np.ndarray
    imts: list
    events: np.ndarray

    def imt_index(self, imt: str) -> int:
        """The column of an IMT; InvalidInput when the GMFs lack it."""
        if imt not in self.imts:
            raise InvalidInput("the risk model needs %s but the ground motion fields have "
                               "only %s" % (imt, ", ".join(self.imts)))
        return self.imts.index(imt)


EVENT_DT = [("id", np.uint32), ("rup_id", np.int64), ("rlz_id", np.uint16)]


def _imt_of(col: str, fname: str) -> str:
    name = col[4:] if col.startswith("gmv_") else col
    try:
        return str(IMT.from_string(name))
    except Exception:
        raise InvalidInput("column %r is not a ground-motion value gmv_<IMT>" % col,
                           fname=fname, lineno=1) from None


def _rows_one_by_one(fname, lines, header, usecols) -> np.ndarray:
    """Parse the data lines one by one (to name the first bad line)."""
    out = np.zeros((len(lines) - 1, len(usecols)))
    for k, (lineno, line) in enumerate(lines[1:]):
        row = next(csv.reader([line]))
        if len(row) != len(header):
            raise InvalidInput("expected %d columns, got %d" % (len(header), len(row)),
                               fname=fname, lineno=lineno)
        try:
            out[k] = [float(row[j]) for j in usecols]
        except ValueError as exc:
            raise InvalidInput(str(exc), fname=fname, lineno=lineno) from None
    return out


def _site_indices(fname, lines, col: int, custom_ids: list[str]) -> np.ndarray:
    """Site indices of the ``custom_site_id`` values of the data lines."""
    lookup = {c: i for i, c in enumerate(custom_ids)}
    out = np.zeros(len(lines) - 1)
    for k, (lineno, line) in enumerate(lines[1:]):
        cid = next(csv.reader([line]))[col].strip()
        if cid not in lookup:
            raise InvalidInput("unknown custom_site_id %r" % cid, fname=fname, lineno=lineno)
        out[k] = lookup[cid]
    return out


def read_gmfs_csv(fname: str, num_sites: int, num_gmfs: int | None = None,
                  custom_ids: list[str] | None = None) -> Gmfs:
    """Read a GMF CSV: ``sid`` (or ``site_id``, or ``custom_site_id`` when the sites'
    ``custom_ids`` are given), ``eid`` (or ``event_id``), optional ``rlzi``/``rlz_id``,
    and one ``gmv_<IMT>`` column per IMT.

    Events are 0..E-1 with E = max(event ID + 1, ``number_of_ground_motion_fields``).
    """
    with open(fname, newline="", encoding="utf-8-sig") as f:
        lines = [(i, ln) for i, ln in enumerate(f, 1) if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise InvalidInput("empty GMF file", fname=fname)
    header = [h.strip() for h in next(csv.reader([lines[0][1]]))]
    sidcol = next((h for h in ("sid", "site_id") if h in header), None)
    eidcol = next((h for h in ("eid", "event_id") if h in header), None)
    by_cid = sidcol is None and "custom_site_id" in header and custom_ids is not None
    if (sidcol is None and not by_cid) or eidcol is None:
        raise InvalidInput("the GMF file needs the columns sid (or site_id) and eid (or "
                           "event_id), got %s" % ", ".join(header), fname=fname, lineno=1)
    rlzcol = next((h for h in ("rlzi", "rlz_id") if h in header), None)
    gcols = [h for h in header if h not in (sidcol, eidcol, rlzcol, "custom_site_id")]
    if not gcols:
        raise InvalidInput("no gmv_<IMT> columns", fname=fname, lineno=1)
    imts = [_imt_of(c, fname) for c in gcols]
    idx = {h: i for i, h in enumerate(header)}
    n = len(lines) - 1
    cols = ([] if by_cid else [sidcol]) + [eidcol] + ([rlzcol] if rlzcol else []) + gcols
    try:  # fast path; a bad row is located by the slow one
        table = np.loadtxt(io.StringIO("".join(ln for _, ln in lines[1:])), delimiter=",",
                           usecols=[idx[c] for c in cols], ndmin=2, dtype=float)
        if table.shape != (n, len(cols)) or any(ln.count(",") != len(header) - 1
                                                for _, ln in lines[1:]):
            raise ValueError
    except ValueError:
        table = _rows_one_by_one(fname, lines, header, [idx[c] for c in cols])
    if by_cid:
        table = np.column_stack([_site_indices(fname, lines, idx["custom_site_id"],
                                               custom_ids), table])

    def fail(mask, msg):
        bad = np.flatnonzero(mask)
        if len(bad):
            raise InvalidInput(msg, fname=fname, lineno=lines[bad[0] + 1][0])
    ids = table[:, :2 + bool(rlzcol)]
    fail(np.any(ids != np.floor(ids), axis=1), "site, event and realization IDs must be "
         "integers")
    sids = table[:, 0].astype(np.int64)
    eids = table[:, 1].astype(np.int64)
    rlzs = table[:, 2].astype(np.int64) if rlzcol else np.zeros(n, np.int64)
    fail((sids < 0) | (sids >= num_sites), "site ID not among the %d sites" % num_sites)
    fail((eids < 0) | (rlzs < 0), "negative event or realization ID")
    gmvs = table[:, 2 + bool(rlzcol):]
    fail(np.any(~np.isfinite(gmvs) | (gmvs < 0), axis=1),
         "ground-motion values must be finite and >= 0")
    gmvs = gmvs.astype(np.float32)
    key = sids * (eids.max() + 1 if n else 1) + eids
    uniq, first = np.unique(key, return_index=True)
    if len(uniq) < n:
        dup = np.setdiff1d(np.arange(n), first)[0]
        raise InvalidInput("repeated (site, event) pair (%d, %d)" % (sids[dup], eids[dup]),
                           fname=fname, lineno=lines[dup + 1][0])
    E = max(int(eids.max()) + 1 if n else 0, num_gmfs or 0)
    events = np.zeros(E, EVENT_DT)
    events["id"] = np.arange(E)
    rlz_of = np.zeros(E, np.int64)
    rlz_of[eids] = rlzs
    events["rlz_id"] = rlz_of
    order = np.lexsort((eids, sids))
    return Gmfs(sids[order].astype(np.uint32), eids[order].astype(np.uint32),
                gmvs[order], imts, events)


def save_gmfs(dstore, gmfs: Gmfs, investigation_time=None, effective_time=None) -> None:
    """Store ``events`` and the ``gmf_data`` table (see the module docstring)."""
    dstore["events"] = gmfs.events
    cols = {"sid": gmfs.sids.astype(np.uint32), "eid": gmfs.eids.astype(np.uint32)}
    for m in range(len(gmfs.imts)):
        cols["gmv_%d" % m] = gmfs.gmvs[:, m].astype(np.float32)
    dstore.save_table("gmf_data", cols)
    grp = dstore.hdf5["gmf_data"]
    grp.attrs["imts"] = " ".join(gmfs.imts)
    grp.attrs["num_events"] = len(gmfs.events)
    if investigation_time is not None:
        grp.attrs["investigation_time"] = investigation_time
        grp.attrs["effective_time"] = effective_time or investigation_time


def read_gmfs(dstore) -> Gmfs:
    """The GMFs stored in ``dstore`` (or its parent), sorted by (site, event).

    Accepts value columns named ``gmv_<m>`` (index into the ``imts`` attribute),
    ``gmv_<IMT>`` or ``<IMT>``."""
    if "gmf_data" not in dstore:
        raise InvalidInput("the hazard calculation has no ground motion fields (gmf_data)",
                           param="hazard_calculation_id")
    grp = dstore["gmf_data"]
    names = grp.attrs["__pdcolumns__"].split()
    attr_imts = grp.attrs.get("imts", "")
    attr_imts = attr_imts.decode() if isinstance(attr_imts, bytes) else attr_imts
    attr_imts = attr_imts.split()
    imts, cols = [], []
    for n in names:
        if n in ("sid", "eid", "rlz_id") or n.startswith(("sig_", "eps_")):
            continue
        tail = n[4:] if n.startswith("gmv_") else n
        if tail.isdigit() and int(tail) < len(attr_imts):
            imt = attr_imts[int(tail)]
        else:
            try:
                imt = str(IMT.from_string(tail))
            except Exception:
                continue  # secondary perils and other extra columns
        imts.append(imt)
        cols.append(n)
    sids = grp["sid"][()].astype(np.int64)
    eids = grp["eid"][()].astype(np.int64)
    gmvs = np.column_stack([grp[c][()] for c in cols]) if cols else np.zeros((len(sids), 0))
    order = np.lexsort((eids, sids))
    events = dstore["events"][()]
    return Gmfs(sids[order].astype(np.uint32), eids[order].astype(np.uint32),
                gmvs[order].astype(np.float32), imts, events)


def avg_gmf(gmfs: Gmfs, num_sites: int, weights: np.ndarray) -> np.ndarray:
    """Average and standard deviation of the GMFs per site and IMT, (2, N, M), as the
    reference computes them: each stored value weighs its realization's weight over
    the number of events of that realization."""
    rlz = gmfs.events["rlz_id"].astype(np.int64)
    n_ev = np.bincount(rlz, minlength=len(weights)).astype(float)
    w_ev = np.asarray(weights)[rlz] / np.maximum(n_ev[rlz], 1)
    w = w_ev[gmfs.eids.astype(np.int64)]
    sids = gmfs.sids.astype(np.int64)
    wsum = np.bincount(sids, w, num_sites)
    M = gmfs.gmvs.shape[1]
    out = np.zeros((2, num_sites, M), np.float32)
    ok = wsum > 0
    for m in range(M):
        x = gmfs.gmvs[:, m].astype(float)
        mean = np.bincount(sids, w * x, num_sites)[ok] / wsum[ok]
        var = np.bincount(sids, w * x ** 2, num_sites)[ok] / wsum[ok] - mean ** 2
        out[0, ok, m] = mean
        out[1, ok, m] = np.sqrt(np.maximum(var, 0))
    return out


def read_hazard_curves_csv(fname: str) -> dict:
    """Read hazard curves exported as CSV (``lon, lat[, depth], poe-<iml>...`` with
    ``imt`` and ``investigation_time`` in the comment line).

    :returns: {"lons", "lats" (N,), "imt", "imls" (L,), "poes" (N, L),
        "investigation_time"}
    """
    import re
    with open(fname, newline="", encoding="utf-8-sig") as f:
        lines = list(enumerate(f, 1))
    meta = "".join(ln for _, ln in lines if ln.startswith("#"))
    body = [(i, ln) for i, ln in lines if ln.strip() and not ln.startswith("#")]
    if not body:
        raise InvalidInput("empty hazard curves file", fname=fname)
    imt = re.search(r"imt='([^']+)'", meta)
    itime = re.search(r"investigation_time=([0-9.eE+-]+)", meta)
    rd = csv.reader([ln for _, ln in body])
    header = [h.strip() for h in next(rd)]
    pcols = [j for j, h in enumerate(header) if h.startswith("poe-")]
    if "lon" not in header or "lat" not in header or not pcols:
        raise InvalidInput("expected the columns lon, lat, poe-<iml>...", fname=fname,
                           lineno=body[0][0])
    try:
        imls = np.array([float(header[j][4:]) for j in pcols])
    except ValueError:
        raise InvalidInput("bad poe-<iml> column", fname=fname, lineno=body[0][0]) from None
    if np.any(np.diff(imls) <= 0):
        raise InvalidInput("the IMLs of the poe- columns must increase", fname=fname,
                           lineno=body[0][0])
    lons, lats, poes = [], [], []
    for (lineno, _), row in zip(body[1:], rd):
        try:
            lons.append(float(row[header.index("lon")]))
            lats.append(float(row[header.index("lat")]))
            p = [float(row[j]) for j in pcols]
        except (ValueError, IndexError):
            raise InvalidInput("bad row", fname=fname, lineno=lineno) from None
        if any(not 0 <= x <= 1 for x in p):
            raise InvalidInput("PoEs must be in [0, 1]", fname=fname, lineno=lineno)
        poes.append(p)
    return {"lons": np.array(lons), "lats": np.array(lats),
            "imt": imt.group(1) if imt else "PGA", "imls": imls, "poes": np.array(poes),
            "investigation_time": float(itime.group(1)) if itime else None}
