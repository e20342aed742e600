"""Verification tables: compare a model with expected medians and stddevs.

Layout (OpenQuake's convention): ``rup_*``, ``dist_*``, ``site_*`` input columns, then
``result_type`` (MEAN, TOTAL_STDDEV, INTER_EVENT_STDDEV, INTRA_EVENT_STDDEV), then
``damping`` (not an IMT), then one column per IMT (``pga``, ``pgv``, SA period).
MEAN is the median in linear units; stddevs are in natural-log units.
"""
from __future__ import annotations

import csv
from typing import Sequence

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, make_context
from oqcore.hazard.imt import IMT

RESULT_INDEX = {"MEAN": 0, "TOTAL_STDDEV": 1, "INTER_EVENT_STDDEV": 2,
                "INTRA_EVENT_STDDEV": 3}
_BOOL_FIELDS = {"vs30measured", "backarc"}


def _imt_of_column(col: str) -> IMT:
    low = col.strip().lower()
    if low in ("pga", "pgv", "pgd", "cav", "ia", "mmi"):
        return IMT.from_string(low.upper() if low not in ("ia",) else "IA")
    try:
        return IMT("SA", float(col))
    except ValueError:
        raise InvalidInput("column %r is not an IMT" % col)


class VerificationTable:
    """A parsed verification table.

    :ivar ctx: the N distinct contexts (record array)
    :ivar imts: the M IMTs of the columns
    :ivar expected: {result type: array (M, N)} (MEAN in linear units)
    """

    def __init__(self, path: str):
        self.path = path
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        if "result_type" not in header:
            raise InvalidInput("no result_type column", fname=path, lineno=1)
        rt = header.index("result_type")
        first_imt = rt + 1
        if first_imt < len(header) and header[first_imt] == "damping":
            first_imt += 1
        inputs = header[:rt]
        self.imt_columns = header[first_imt:]
        self.imts = [_imt_of_column(c) for c in self.imt_columns]
        groups: dict[str, list[list[str]]] = {}
        for lineno, row in enumerate(rows, 2):
            if not row:
                continue
            groups.setdefault(row[rt], []).append(row)
        for key in groups:
            if key not in RESULT_INDEX:
                raise InvalidInput("unknown result type %r" % key, fname=path)
        first = next(iter(groups.values()))
        n = len(first)
        columns = {}
        for i, col in enumerate(inputs):
            name = col.split("_", 1)[1]
            try:
                vals = np.array([float(r[i]) for r in first])
            except ValueError:  # a text site parameter (e.g. a site class letter)
                vals = np.array([r[i].encode() for r in first])
            columns[name] = vals.astype(bool) if name in _BOOL_FIELDS else vals
        self.ctx = make_context(n, **columns)
        self.expected = {}
        for key, grp in groups.items():
            if len(grp) != n:
                raise InvalidInput("result type %s has %d rows, expected %d" % (
                    key, len(grp), n), fname=path)
            arr = np.array([[float(x) for x in r[first_imt:]] for r in grp])
            self.expected[key] = arr.T  # (M, N)


def check(gsim: GMPE, path: str, imts: Sequence[IMT] | None = None):
    """Compare ``gsim`` with the table at ``path``.

    :returns: list of (result_type, imt string, max relative error, worst row index)
    """
    table = VerificationTable(path)
    imts = list(table.imts if imts is None else imts)
    idx = [table.imts.index(imt) for imt in imts]
    computed = gsim.get_mean_stds(table.ctx, imts)
    out = []
    for key, exp in table.expected.items():
        got = computed[RESULT_INDEX[key]]
        if key == "MEAN":
            got = np.exp(got)
        for m, imt in zip(idx, imts):
            e = exp[m]
            g = got[imts.index(table.imts[m])]
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.abs(g - e) / np.abs(e)
            rel = np.where((g == e), 0.0, rel)
            rel = np.where(np.isnan(rel), np.inf, rel)
            worst = int(np.argmax(rel))
            out.append((key, str(table.imts[m]), float(rel[worst]), worst))
    return out
