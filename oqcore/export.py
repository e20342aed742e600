"""Helpers for exporters: OpenQuake's CSV conventions (CRLF, metadata comment row,
printf float formats, ``<base>_<calc_id>.<ext>`` names) and the ``export`` dispatcher."""
from __future__ import annotations

import csv
import os
from typing import Iterable, Sequence

import numpy as np

import oqcore


def fmt_float(x, fmt: str = "%.6E") -> str:
    """Format a float; zeros lose their minus sign; NaN -> NAN (like the reference)."""
    x = float(x)
    if np.isnan(x):
        return "NAN"
    s = fmt % x
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s


def export_name(base: str, calc_id: int, ext: str) -> str:
    """``<base>_<calc_id>.<ext>`` with ``/`` in the base replaced by ``-``."""
    return "%s_%d.%s" % (base.replace("/", "-"), calc_id, ext)


def write_csv(path: str, header: Sequence[str], rows: Iterable[Sequence[str]],
              comment: str | None = None) -> str:
    """Write a CSV file with CRLF line ends and an optional metadata comment row."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        if comment is not None:
            ncols = max(len(header), 2)
            w.writerow(["#"] + [""] * (ncols - 2) + [comment])
        w.writerow(header)
        for row in rows:
            w.writerow(row)
    return path


def comment(dstore, **extra) -> str:
    """The metadata comment of exported CSV files: generated_by, start_date, checksum,
    then the extra ``key=value`` items (values as Python literals, None omitted)."""
    attrs = dstore.attrs
    items = ["generated_by='OpenQuake engine %s'" % attrs.get("engine_version",
                                                            oqcore.ENGINE_VERSION),
             "start_date='%s'" % attrs.get("date", ""),
             "checksum=%d" % int(attrs.get("checksum32", 0))]
    for k, v in extra.items():
        if v is None:
            continue
        items.append("%s=%s" % (k, _pyrepr(v)))
    return ", ".join(items)


def _pyrepr(v) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (list, tuple)):
        return "[%s]" % ", ".join(_pyrepr(x) for x in v)
    if isinstance(v, dict):
        return "{%s}" % ", ".join("%s: %s" % (_pyrepr(k), _pyrepr(x)) for k, x in v.items())
    return repr(v)


def read_oqparam(dstore) -> dict:
    """The job parameters stored in ``dstore`` (``oqparam``, as a dict)."""
    return dstore.read_json("oqparam")


def curve_imtls(oqparam: dict) -> dict:
    """IMT -> levels of the stored hazard curves of the job parameters ``oqparam`` (a
    dict): the soil intensities of curves amplified by convolution, else the job's."""
    from oqcore.hazard.site_amplification import curve_levels
    return curve_levels(oqparam.get("intensity_measure_types_and_levels") or {},
                        oqparam.get("inputs") or {},
                        oqparam.get("amplification_method", "convolution"),
                        oqparam.get("soil_intensities"))


def statistics(oqparam: dict) -> list[str]:
    """The statistic names of the job parameters ``oqparam`` (a dict)."""
    from oqcore.params import statistic_names
    return statistic_names(oqparam.get("mean"), oqparam.get("std"),
                           oqparam.get("quantiles"), oqparam.get("max"))


def export_kinds(dstore) -> list[tuple[str, str, int]]:
    """The kinds of hazard curves and maps exported by default, as (kind name,
    ``rlzs``/``stats``, index) triples: the realizations (``rlz-000``...: when there
    are several and ``individual_rlzs``, or no statistics) then the statistics."""
    oq = read_oqparam(dstore)
    num_rlzs = len(dstore["weights"])
    stats = statistics(oq)
    out = []
    if (num_rlzs > 1 and oq.get("individual_rlzs")) or not stats:
        out += [("rlz-%03d" % r, "rlzs", r) for r in range(num_rlzs)]
    out += [(s, "stats", i) for i, s in enumerate(stats)]
    return out


def curve_name(kind: str, imt: str) -> str:
    """The base name of the hazard curve file of a kind and IMT
    (``hazard_curve-mean-PGA``, ``quantile_curve-0.1-PGA``)."""
    if kind.startswith("quantile-"):
        return "quantile_curve-%s-%s" % (kind[9:], imt)
    return "hazard_curve-%s-%s" % (kind, imt)


def map_name(kind: str, prefix: str) -> str:
    """The base name of the ``prefix`` (``map``, ``uhs``) file of a kind
    (``hazard_map-mean``, ``quantile_uhs-0.1``)."""
    if kind.startswith("quantile-"):
        return "quantile_%s-%s" % (prefix, kind[9:])
    return "hazard_%s-%s" % (prefix, kind)


def has_any(*keys: str):
    """An ``applies`` predicate for ExporterSpec: the datastore has one of ``keys``."""
    def applies(dstore) -> bool:
        return any(k in dstore for k in keys)
    return applies


def export(registry, dstore, kind: str, fmt: str, export_dir: str) -> list[str]:
    """Run the exporter of (kind, fmt); return the written file paths (sorted)."""
    spec = registry.exporter(kind, fmt)
    os.makedirs(export_dir, exist_ok=True)
    return sorted(spec.writer(dstore, kind, fmt, export_dir))
