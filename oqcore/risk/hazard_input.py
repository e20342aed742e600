"""The hazard a risk calculation consumes: the ground-motion fields of a GMF-based
calculation (the ``gmf_data`` of this job or of its parent, ``--hc``, as stored by the
scenario and event_based calculators: see :mod:`oqcore.hazard.gmf` for the layout and
for the reader of ``gmfs_file``) and the hazard curves of a classical one
(``hazard_curves_file``).
"""
from __future__ import annotations

import csv

import attrs
import numpy as np

from oqcore.errors import InvalidInput


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


def read_gmfs(dstore) -> Gmfs:
    """The GMFs stored in ``dstore`` (or its parent), sorted by (site, event).

    The value columns are the IMT columns of ``gmf_data`` (named as the IMT); other
    columns (secondary perils) are skipped."""
    if "gmf_data" not in dstore:
        raise InvalidInput("the hazard calculation has no ground motion fields (gmf_data)",
                           param="hazard_calculation_id")
    grp = dstore["gmf_data"]
    imts = grp.attrs["imts"]
    imts = (imts.decode() if isinstance(imts, bytes) else imts).split()
    cols = imts
    sids = grp["sid"][()].astype(np.int64)
    eids = grp["eid"][()].astype(np.int64)
    gmvs = np.column_stack([grp[c][()] for c in cols]) if cols else np.zeros((len(sids), 0))
    order = np.lexsort((eids, sids))
    events = dstore["events"][()]
    return Gmfs(sids[order].astype(np.uint32), eids[order].astype(np.uint32),
                gmvs[order].astype(np.float32), imts, events)


def risk_weights(dstore) -> np.ndarray:
    """The weights (R,) of the realizations the risk outputs of ``dstore`` are given
    for: one realization of weight 1 when they are collected (``collect_rlzs``: the
    events of every realization count as one longer event set), else the stored
    realization weights."""
    if dstore.read_json("oqparam").get("collect_rlzs"):
        return np.ones(1)
    return dstore["weights"][()]


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
