"""Consequence models (CSV) and taxonomy mappings (CSV).

A consequence file has the columns ``taxonomy`` (or ``risk_id``, or the mapping field),
``consequence`` (losses, collapsed, injured, fatalities, homeless...), ``loss_type`` (absent
in the newer form with a ``peril`` column: the consequence then applies to every loss type
of the fragility model) and one column per limit state: the consequence ratio of each damage
state (times the exposed value, or the number of buildings/occupants).
"""
from __future__ import annotations

import csv

import numpy as np

from oqcore.errors import InvalidInput

KNOWN_CONSEQUENCES = ("losses", "collapsed", "injured", "fatalities", "homeless",
                      "non_operational")


def csv_rows(fname: str):
    """Yield (line number, header, {column: stripped text}) of the data rows of a CSV
    file (blank and ``#`` lines skipped); InvalidInput on a row of the wrong length."""
    with open(fname, newline="", encoding="utf-8-sig") as f:
        lines = [(i, ln) for i, ln in enumerate(f, 1) if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise InvalidInput("empty file", fname=fname)
    rd = csv.reader([ln for _, ln in lines])
    header = [h.strip() for h in next(rd)]
    for (lineno, _), row in zip(lines[1:], rd):
        if len(row) != len(header):
            raise InvalidInput("expected %d columns, got %d" % (len(header), len(row)),
                               fname=fname, lineno=lineno)
        yield lineno, header, {h: v.strip() for h, v in zip(header, row)}


def read_consequences(fname: str, limit_states: list) -> dict:
    """Read a consequence CSV.

    :returns: {(consequence, loss_type or None): {taxonomy: ratios (D,)}}; None when
        the file has no ``loss_type`` column
    """
    out: dict = {}
    for lineno, header, row in csv_rows(fname):
        if "consequence" not in header:
            raise InvalidInput("missing column 'consequence'", fname=fname, lineno=1)
        missing = [ls for ls in limit_states if ls not in header]
        if missing:
            raise InvalidInput("missing limit state column(s) %s" % ", ".join(missing),
                               fname=fname, lineno=1)
        taxo = row.get("taxonomy") or row.get("risk_id") or row[header[0]]
        try:
            ratios = np.array([float(row[ls]) for ls in limit_states])
        except ValueError as exc:
            raise InvalidInput(str(exc), fname=fname, lineno=lineno) from None
        if np.any(ratios < 0) or not np.all(np.isfinite(ratios)):
            raise InvalidInput("consequence ratios must be >= 0", fname=fname, lineno=lineno)
        key = (row["consequence"], row.get("loss_type"))
        if taxo in out.setdefault(key, {}):
            raise InvalidInput("duplicate %s/%s for %r" % (key + (taxo,)), fname=fname,
                               lineno=lineno)
        out[key][taxo] = ratios
    return out


def read_taxonomy_mapping(fname: str) -> dict[str, list[tuple[str, float]]]:
    """Read a taxonomy mapping CSV (``taxonomy, conversion, weight``; the risk ID column
    may also be called ``risk_id``).

    :returns: {exposure taxonomy: [(risk ID, weight), ...]} with weights summing to 1
    """
    out: dict = {}
    lines: dict = {}
    for lineno, header, row in csv_rows(fname):
        risk_col = "conversion" if "conversion" in header else "risk_id"
        if "taxonomy" not in header or risk_col not in header:
            raise InvalidInput("the mapping needs the columns taxonomy and conversion (or "
                               "risk_id)", fname=fname, lineno=1)
        try:
            w = float(row.get("weight") or 1)
        except ValueError:
            raise InvalidInput("invalid weight %r" % row["weight"], fname=fname,
                               lineno=lineno) from None
        if not 0 < w <= 1:
            raise InvalidInput("weight %s must be in (0, 1]" % w, fname=fname, lineno=lineno)
        out.setdefault(row["taxonomy"], []).append((row[risk_col], w))
        lines.setdefault(row["taxonomy"], lineno)
    for taxo, pairs in out.items():
        tot = sum(w for _, w in pairs)
        if abs(tot - 1) > 1e-6:
            raise InvalidInput("the weights of taxonomy %r sum to %s, not 1" % (taxo, tot),
                               fname=fname, lineno=lines[taxo])
    return out
