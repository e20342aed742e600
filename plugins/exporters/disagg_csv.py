"""CSV and npz exporters of disaggregation matrices (``disagg-rlzs``, ``disagg-stats``
and the unlisted ``disagg-rlzs-traditional``/``disagg-stats-traditional``), in the file
names and layouts of OpenQuake 3.26: one file per site and kind, values as extract
``disagg`` returns them."""
from __future__ import annotations

import io
import os

import numpy as np

from oqcore import hookimpl
from oqcore.export import comment, export_name, fmt_float, has_any, write_csv
from oqcore.registry import ExporterSpec
from oqplugins.extractors.disagg import disagg_info, disagg_matrix, read_bins


def _spec(kind: str) -> str:
    """'disagg-rlzs-traditional' -> 'rlzs-traditional'."""
    return kind[len("disagg-"):]


def disagg_rows(aw, iml2: np.ndarray, imts: list) -> list[list[str]]:
    """The rows of one file: imt, iml, poe, bin centres, one value per column of
    ``aw.extra``; sorted by IMT name then PoE, bins in row-major order.

    :param aw: a :func:`disagg_matrix` answer (all IMTs and PoEs)
    :param iml2: (M, P) disaggregation levels of the site
    """
    axes = aw.shape_descr[:-2]
    centres = [getattr(aw, a) for a in axes]
    arr = aw.array  # (*bins, M, P, Z)
    nbins = arr.shape[:-3]
    keys = sorted(((imts[m], aw.poe[p], m, p) for m in range(len(imts))
                   for p in range(len(aw.poe))), key=lambda k: (k[0], k[1]))
    rows = []
    for imt, poe, m, p in keys:
        head = [imt, fmt_float(iml2[m, p], "%.5E"), fmt_float(poe, "%.5E")]
        for idx in np.ndindex(*nbins):
            dims = [c[i].decode() if isinstance(c[i], bytes) else fmt_float(c[i], "%.5E")
                    for c, i in zip(centres, idx)]
            rows.append(head + dims + [fmt_float(v, "%.5E") for v in arr[idx][m, p]])
    return rows


def export_disagg_csv(dstore, kind, fmt, export_dir) -> list[str]:
    """``<Kind>[-mean][-traditional]-<site_id>_<c>.csv`` for each site and kind whose
    matrix is not entirely zero."""
    info = disagg_info(dstore)
    spec = _spec(kind)
    sitecol = dstore["sitecol"][()]
    bins = read_bins(dstore)
    hmap3 = dstore["hmap3"][()]
    imts = info["imts"]
    stat = "-mean" if spec.startswith("stats") else ""
    trad = "-traditional" if spec.endswith("traditional") else ""
    out = []
    for s in range(len(sitecol)):
        md = dict(investigation_time=info["investigation_time"],
                  mag_bin_edges=bins.mag.tolist(), dist_bin_edges=bins.dist.tolist(),
                  lon_bin_edges=bins.lon[s].tolist(), lat_bin_edges=bins.lat[s].tolist(),
                  eps_bin_edges=bins.eps.tolist(), tectonic_region_types=bins.trt,
                  lon=float(sitecol["lon"][s]), lat=float(sitecol["lat"][s]))
        for k in info["kinds"]:
            aw = disagg_matrix(dstore, {"kind": [k], "site_id": [s], "spec": [spec]})
            if not aw.array.any():
                continue
            if not stat:
                md["weights"] = [float(w) for w in aw.weights]
                md["rlz_ids"] = [int(r[3:]) for r in aw.extra]
            header = ["imt", "iml", "poe"] + list(aw.shape_descr[:-2]) + list(aw.extra)
            name = "%s%s%s-%d" % (k, stat, trad, s)
            path = os.path.join(export_dir, export_name(name, dstore.calc_id, "csv"))
            out.append(write_csv(path, header, disagg_rows(aw, hmap3[s], imts),
                                 comment(dstore, **md)))
    return sorted(out)


def export_disagg_npz(dstore, kind, fmt, export_dir) -> list[str]:
    """``<kind>_<c>.npz``: one member ``<Kind>-<site_id>`` per site and kind (the
    extract ``disagg`` array, all IMTs and PoEs), plus the bin edges and labels."""
    info = disagg_info(dstore)
    spec = _spec(kind)
    bins = read_bins(dstore)
    members = {"mag": bins.mag, "dist": bins.dist, "eps": bins.eps,
               "lon": bins.lon, "lat": bins.lat,
               "trt": np.array([t.encode() for t in bins.trt]),
               "imt": np.array(info["imts"], dtype="S"),
               "poe": dstore["disagg-poes"][()]}
    for s in range(len(dstore["sitecol"])):
        for k in info["kinds"]:
            aw = disagg_matrix(dstore, {"kind": [k], "site_id": [s], "spec": [spec]})
            members["%s-%d" % (k, s)] = aw.array
    buf = io.BytesIO()
    np.savez_compressed(buf, **members)
    path = os.path.join(export_dir, export_name(kind, dstore.calc_id, "npz"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    return [path]


def export_mean_disagg_by_src(dstore, kind, fmt, export_dir) -> list[str]:
    """One file per site: source_id, mag, dist, eps, imt, afoe (annual rate > 0), in
    (source, mag, dist, eps, imt) order; ``mean_disagg_by_src_<c>.csv`` for one site."""
    sitecol = dstore["sitecol"][()]
    N = len(sitecol)
    out = []
    for s in range(N):
        key = "mean_disagg_by_src/%d" % s
        arr = dstore[key][()]  # (Nsrc, Ma, D, E, M)
        lab = dstore.labels(key)
        iml = dstore[key].attrs["iml"]
        rows = []
        for idx in zip(*np.nonzero(arr > 0)):
            j, a, d, e, m = idx
            rows.append([str(lab["source_id"][j]), fmt_float(lab["mag"][a], "%.5E"),
                         fmt_float(lab["dist"][d], "%.5E"), fmt_float(lab["eps"][e], "%.5E"),
                         lab["imt"][m], fmt_float(arr[idx], "%.5E")])
        extra = dict(lon=round(float(sitecol["lon"][s]), 5),
                     lat=round(float(sitecol["lat"][s]), 5))
        if "vs30" in sitecol.dtype.names:
            extra["vs30"] = float(sitecol["vs30"][s])
        extra["iml_disagg"] = {imt: float(x) for imt, x in zip(lab["imt"], iml)}
        name = "mean_disagg_by_src" if N == 1 else "mean_disagg_by_src-%d" % s
        path = os.path.join(export_dir, export_name(name, dstore.calc_id, "csv"))
        out.append(write_csv(path, ["source_id", "mag", "dist", "eps", "imt", "afoe"], rows,
                             comment(dstore, **extra)))
    return out


def _never(dstore) -> bool:
    return False


@hookimpl
def oq_register_exporters(registry):
    """Register the disaggregation exporters."""
    add = registry.add_exporter
    for kind, name, applies in [
            ("disagg-rlzs", "Disaggregation Outputs Per Realization",
             has_any("disagg-rlzs")),
            ("disagg-stats", "Statistical Disaggregation Outputs", has_any("disagg-stats")),
            ("disagg-rlzs-traditional", "Disaggregation Outputs Per Realization "
             "(traditional)", _never),
            ("disagg-stats-traditional", "Statistical Disaggregation Outputs "
             "(traditional)", _never)]:
        add(ExporterSpec(kind, "csv", export_disagg_csv, name, applies=applies))
        add(ExporterSpec(kind, "npz", export_disagg_npz, name, applies=applies,
                         content_type="application/octet-stream"))
    add(ExporterSpec("mean_disagg_by_src", "csv", export_mean_disagg_by_src,
                     "Mag-Dist-Eps Disaggregation per Source"))
