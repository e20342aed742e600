"""``oq plot SPEC CALC_ID...``: draw an extract spec with matplotlib.

A plot kind is looked up by the spec name in :data:`PLOTS` (name -> function); each
function receives the figure, the extractors of the calculations (local
:class:`~oqcore.extract.Extractor` or remote :class:`~oqcore.extract.WebExtractor`),
the spec name and its parsed query, and draws on the figure. Adding a plot for a new
spec is one function and one row of the table.
"""
from __future__ import annotations

import logging
import os
import re
import urllib.parse
from typing import Callable

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.extract import parse_query, split_spec

log = logging.getLogger("oqcore.plot")

#: the unit of an IMT family, for axis labels
IMT_UNITS = {"PGA": "g", "SA": "g", "PGV": "cm/s", "PGD": "cm", "MMI": "intensity",
             "IA": "m/s", "RSD": "s", "CAV": "g-s", "AvgSA": "g", "PGDfLatSpread": "m",
             "PGDfSettle": "m", "PGDfSlope": "m", "PGDfRupture": "m", "LSE": "fraction",
             "LiqProb": "probability", "Disp": "m"}


def imt_unit(imt: str) -> str:
    """The unit of the values of ``imt`` (``SA(0.1)`` -> g, ``PGV`` -> cm/s)."""
    return IMT_UNITS.get(imt.split("(")[0], "")


def imt_period(imt: str) -> float:
    """The period of a spectral IMT in seconds: 0 for PGA, T for SA(T)."""
    if imt == "PGA":
        return 0.0
    m = re.fullmatch(r"SA\(([^)]+)\)", imt)
    if not m:
        raise InvalidInput("%s is not a spectral IMT" % imt)
    return float(m.group(1))


# ------------------------------------------------------------------ helpers
def _query_string(query: dict) -> str:
    return urllib.parse.urlencode([(k, v) for k, vs in query.items() for v in vs])


def _first(query: dict, key: str, default=None):
    vals = query.get(key)
    return vals[0] if vals else default


def curve_members(aw, requested: list, stats: list, num_rlzs: int) -> list[tuple]:
    """(label, member name) of each curve of an hcurves/hmaps/uhs answer, in the order
    asked; InvalidInput naming a kind the calculation lacks.

    :param aw: the answer (members ``kind`` and one array per kind)
    :param requested: the ``kind`` values of the query
    :param stats: the statistics of the calculation
    :param num_rlzs: its number of realizations
    """
    for kind in map(str, requested):
        if kind in ("stats", "rlzs") or kind in stats:
            continue
        if re.fullmatch(r"rlz-\d+", kind) and int(kind[4:]) < num_rlzs:
            continue
        raise InvalidInput("kind=%s: the calculation has %s and %d realization(s) "
                           "(rlz-0..rlz-%d)" % (kind, ", ".join(stats) or "no statistics",
                                                num_rlzs, num_rlzs - 1), param="kind")
    out = []
    for name in [str(k) for k in np.atleast_1d(aw["kind"])] if "kind" in aw else []:
        member = "rlz-%03d" % int(name[4:]) if name.startswith("rlz-") else name
        if member not in aw:
            raise InvalidInput("%s is not stored in the calculation" % name, param="kind")
        out.append((name if not name.startswith("rlz-") else member, member))
    if not out:
        raise InvalidInput("nothing to plot for kind=%s" % "&kind=".join(map(str, requested)),
                           param="kind")
    return out


def _hazard_info(ex) -> tuple[dict, list, int, float, list]:
    """(imtls, stats, num_rlzs, investigation_time, poes) of a calculation."""
    params = ex.oqparam
    imtls = params.get("hazard_imtls") or params.get("intensity_measure_types_and_levels")
    stats = [str(s) for s in np.atleast_1d(ex.get("hcurves?kind=stats&site_id=0")["kind"])]
    num_rlzs = len(ex.get("weights").array)
    return imtls, stats, num_rlzs, float(params.get("investigation_time") or 0), list(
        params.get("poes") or [])


# ------------------------------------------------------------------ hazard plots
def plot_hcurves(fig, extractors: list, name: str, query: dict) -> None:
    """Hazard curves of one site: one subplot per IMT, log-log, a line per
    (calculation, kind) labelled ``<calc_id>_<kind>``, a dashed line per PoE."""
    if "kind" not in query:
        query["kind"] = ["mean"]
    query.setdefault("site_id", [0])
    axes = {}
    for ex in extractors:
        imtls, stats, R, T, poes = _hazard_info(ex)
        aw = ex.get("%s?%s" % (name, _query_string(query)))
        imts = [str(i) for i in np.atleast_1d(aw["imt"])] if "imt" in aw else list(imtls)
        site = int(_first(query, "site_id"))
        for label, member in curve_members(aw, query["kind"], stats, R):
            curves = np.asarray(aw[member])  # (1, M', L1)
            for m, imt in enumerate(imts):
                if imt not in axes:
                    ax = fig.add_subplot(1, len(imts), len(axes) + 1)
                    ax.set_xscale("log")
                    ax.set_yscale("log")
                    ax.set_xlabel("%s (%s)" % (imt, imt_unit(imt)))
                    ax.set_ylabel("PoE in %g year%s" % (T, "" if T == 1 else "s"))
                    ax.set_title("hazard curves, site %d" % site)
                    ax.grid(True, which="both", alpha=0.4)
                    axes[imt] = ax
                y = curves[0, m]
                if not np.any(y > 0):
                    log.warning("the %s curve of calculation %d is zero for %s", label,
                                ex.calc_id, imt)
                axes[imt].plot(imtls[imt], np.where(y > 0, y, np.nan), marker=".",
                               label="%d_%s" % (ex.calc_id, label))
    for ax in axes.values():
        for poe in poes:  # after the curves: the log axis has its limits by now
            ax.axhline(poe, linestyle="--", color="grey", linewidth=0.8,
                       label="poe=%g" % poe)
        ax.legend(fontsize="small")


def plot_hmaps(fig, extractors: list, name: str, query: dict) -> None:
    """A hazard map: one subplot per PoE, the sites coloured by the map value (with
    two calculations, their difference)."""
    if len(extractors) > 2:
        raise InvalidInput("hmaps: one calculation, or two to compare")
    if len(query.get("kind", [])) > 1 or str(_first(query, "kind", "mean")) in (
            "stats", "rlzs"):
        raise InvalidInput("hmaps: give one kind (e.g. kind=mean)", param="kind")
    query.setdefault("kind", ["mean"])
    values, sites = [], None
    for ex in extractors:
        imtls, stats, R, T, poes = _hazard_info(ex)
        if "imt" not in query:
            raise InvalidInput("Missing imt= in %s (the calculation has %s)" % (
                name, ", ".join(imtls)), param="imt")
        aw = ex.get("%s?%s" % (name, _query_string(query)))
        [(label, member)] = curve_members(aw, query["kind"], stats, R)
        values.append(np.asarray(aw[member])[:, 0])  # (N, P)
        sitecol = ex.get("sitecol").array
        if sites is not None and len(sitecol) != len(sites):
            raise InvalidInput("hmaps: the calculations have different sites")
        sites = sitecol
    imt = str(query["imt"][0])
    data = values[0] if len(values) == 1 else values[0] - values[1]
    ids = "-".join(str(ex.calc_id) for ex in extractors)
    for p, poe in enumerate(poes):
        ax = fig.add_subplot(1, len(poes), p + 1)
        sc = ax.scatter(sites["lon"], sites["lat"], c=data[:, p], cmap="jet", s=60,
                        edgecolors="none")
        fig.colorbar(sc, ax=ax, label="%s%s (%s)" % (
            "difference of " if len(values) > 1 else "", imt, imt_unit(imt)))
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        what = "calcs %s, maxdiff=%.3g" % (ids, np.abs(data[:, p]).max()) if len(
            values) > 1 else "calculation %s" % ids
        ax.set_title("hmap %s, kind=%s, poe=%g\n%s, inv_time=%gy" % (
            imt, label, poe, what, T), fontsize="small")
        ax.grid(True, alpha=0.4)


def plot_uhs(fig, extractors: list, name: str, query: dict) -> None:
    """Uniform hazard spectra of one site: one subplot per PoE, a line per
    (calculation, kind) over the periods of PGA and SA(T)."""
    if "imt" in query:
        raise InvalidInput("Invalid imt= in uhs: the spectrum has every PGA/SA IMT",
                           param="imt")
    query.setdefault("kind", ["mean"])
    query.setdefault("site_id", [0])
    axes: list = []
    for ex in extractors:
        imtls, stats, R, T, poes = _hazard_info(ex)
        aw = ex.get("%s?%s" % (name, _query_string(query)))
        for label, member in curve_members(aw, query["kind"], stats, R):
            rec = np.asarray(aw[member])[0]  # poe -> imt -> value
            for p, pname in enumerate(rec.dtype.names):
                if len(axes) <= p:
                    ax = fig.add_subplot(len(rec.dtype.names), 1, p + 1)
                    ax.set_xlabel("period (s)")
                    ax.set_ylabel("g")
                    ax.set_title("UHS on site %s, poe=%g, inv_time=%gy" % (
                        _first(query, "site_id"), float(pname), T), fontsize="small")
                    ax.grid(True, alpha=0.4)
                    axes.append(ax)
                imts = rec[pname].dtype.names
                periods = [imt_period(i) for i in imts]
                order = np.argsort(periods)
                vals = np.array([rec[pname][i] for i in imts])
                axes[p].plot(np.array(periods)[order], vals[order], marker="o",
                             label="%d_%s_spectrum" % (ex.calc_id, label))
    for ax in axes:
        ax.legend(fontsize="small")


# ------------------------------------------------------------------ disaggregation
def _bin_labels(values) -> list[str]:
    """Tick labels of the bin centres of one dimension (TRT names decoded)."""
    return [v.decode() if isinstance(v, bytes) else "%g" % v for v in values]


def _first_matrix(array, ndims: int) -> np.ndarray:
    """The bins of the first IMT, PoE and realization of a disagg ``array`` of shape
    (*bins, M', P'[, Z]) (Z is absent when a single realization was disaggregated)."""
    arr = np.asarray(array)
    return arr[(slice(None),) * ndims + (0,) * (arr.ndim - ndims)]


def plot_disagg(fig, extractors: list, name: str, query: dict) -> None:
    """A disaggregation matrix (extract-specs.md 3.11) for the first IMT, PoE and
    realization/statistic of the answer: bars for one dimension (side by side for
    several calculations), an image for two, one image per bin of the third for
    three."""
    for key, default in (("site_id", 0), ("poe_id", 0), ("spec", "rlzs")):
        query.setdefault(key, [default])
    if "kind" not in query:
        raise InvalidInput("Missing kind= in disagg (e.g. kind=Mag_Dist)", param="kind")
    answers = [ex.get("%s?%s" % (name, _query_string(query))) for ex in extractors]
    first = answers[0]
    dims = [str(d) for d in np.atleast_1d(first["shape_descr"])][:-2]  # minus imt, poe
    what = "%s=%s" % ("imt", np.atleast_1d(first["imt"])[0])
    poe = float(np.atleast_1d(first["poe"])[0])
    which = str(np.atleast_1d(first["extra"])[0])
    title = "%s, %s, poe=%g, %s, site %s" % (query["kind"][0], what, poe, which,
                                             query["site_id"][0])
    if len(dims) == 1:
        ax = fig.add_subplot(1, 1, 1)
        centres = _bin_labels(first[dims[0]])
        width = 0.8 / len(answers)
        for i, (ex, aw) in enumerate(zip(extractors, answers)):
            values = _first_matrix(aw["array"], 1)
            ax.bar(np.arange(len(values)) + i * width, values, width,
                   label="calc_%d" % ex.calc_id)
        ax.set_xticks(np.arange(len(centres)) + width * (len(answers) - 1) / 2, centres)
        ax.set_xlabel(dims[0])
        ax.set_ylabel("traditional fraction" if bool(first["traditional"]) else "PoE")
        ax.set_title(title, fontsize="small")
        ax.legend(fontsize="small")
        ax.grid(True, axis="y", alpha=0.4)
        return
    if len(dims) not in (2, 3):
        raise InvalidInput("disagg kind %s has %d dimensions: oq plot draws 1 to 3" % (
            query["kind"][0], len(dims)), param="kind")
    matrix = _first_matrix(first["array"], len(dims))
    if len(dims) == 2:
        matrix = matrix[..., None]
    nplots = matrix.shape[2]
    third = _bin_labels(first[dims[2]]) if len(dims) == 3 else [""]
    vmax = float(matrix.max()) or 1.0
    x, y = _bin_labels(first[dims[0]]), _bin_labels(first[dims[1]])
    grid = fig.add_gridspec(1, nplots + 1, width_ratios=[1] * nplots + [0.05])
    for j in range(nplots):
        ax = fig.add_subplot(grid[0, j])
        img = ax.imshow(matrix[:, :, j].T, origin="lower", cmap="jet", aspect="auto",
                        vmin=0, vmax=vmax)
        ax.set_xticks(range(len(x)), x, rotation=90 if len(x) > 8 else 0,
                      fontsize="small")
        ax.set_yticks(range(len(y)), y, fontsize="small")
        ax.set_xlabel(dims[0])
        ax.set_ylabel(dims[1])
        ax.set_title(title + ("\n%s=%s" % (dims[2], third[j]) if len(dims) == 3 else ""),
                     fontsize="x-small")
    fig.colorbar(img, cax=fig.add_subplot(grid[0, nplots]), label=(
        "traditional fraction" if bool(first["traditional"]) else "PoE"))


# ------------------------------------------------------------------ ruptures
def plot_rupture_info(fig, extractors: list, name: str, query: dict) -> None:
    """A map of the rupture centroids (extract-specs.md 4.8), coloured by magnitude,
    sized by multiplicity, with the sites as black triangles."""
    ax = fig.add_subplot(1, 1, 1)
    for ex in extractors:
        query.setdefault("boundaries", ["no"])
        rups = ex.get("%s?%s" % (name, _query_string(query)))
        if "array" not in rups:
            raise InvalidInput("no rupture matches %s" % _query_string(query))
        arr = rups.array
        mult = np.asarray(arr["multiplicity"], float)
        sc = ax.scatter(arr["centroid_lon"], arr["centroid_lat"], c=arr["mag"],
                        cmap="jet", s=10 + 40 * mult / mult.max(), alpha=0.7,
                        label="calc_%d: %d ruptures" % (ex.calc_id, len(arr)))
        sites = ex.get("sitecol").array
        ax.scatter(sites["lon"], sites["lat"], marker="^", color="black", s=25,
                   label="calc_%d: %d sites" % (ex.calc_id, len(sites)))
    fig.colorbar(sc, ax=ax, label="magnitude")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("rupture centroids (size: multiplicity)", fontsize="small")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.4)


#: spec name -> plot function(fig, extractors, spec name, query dict)
PLOTS: dict[str, Callable] = {
    "hcurves": plot_hcurves,
    "hmaps": plot_hmaps,
    "uhs": plot_uhs,
    "disagg": plot_disagg,
    "rupture_info": plot_rupture_info,
}


#: what ``oq plot examples`` prints
EXAMPLES = """\
oq plot 'hcurves?kind=mean&imt=PGA&site_id=0' ID    # site_id defaults to 0
oq plot 'hcurves?kind=rlzs&imt=PGA' ID               # every realization
oq plot 'hcurves?kind=stats&imt=PGA' ID              # every statistic
oq plot 'hcurves?kind=rlzs&kind=mean&imt=PGA' ID     # kinds combine
oq plot 'hcurves?kind=quantile-0.5&kind=mean&imt=PGA' ID
oq plot 'hcurves?kind=rlz-0&kind=rlz-2&kind=rlz-5&imt=PGA' ID
oq plot 'hcurves?kind=mean&imt=PGA' ID1 ID2          # compare calculations
oq plot 'hmaps?kind=mean&imt=PGA' ID [ID2]           # a map per PoE; two IDs: difference
oq plot 'uhs?kind=mean&site_id=0' ID
oq plot 'disagg?kind=Mag_Dist&imt=PGA&site_id=0&poe_id=0&spec=rlzs' ID
oq plot 'rupture_info?min_mag=6' ID
options: --remote (through [webapi] server of openquake.cfg), --out FILE.png"""


def _pyplot(interactive: bool):
    try:
        import matplotlib
    except ImportError:
        raise InvalidInput("oq plot needs matplotlib: pip install 'oqcore[plot]'") from None
    if not interactive:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def has_display() -> bool:
    """True when a window can be opened (X11 or Wayland)."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def draw(spec: str, extractors: list, interactive: bool = False):
    """The matplotlib Figure of ``spec`` for the calculations of ``extractors``.

    InvalidInput for a spec without a plot, a bad query, a kind the calculation lacks.
    """
    name, rest, qs = split_spec(spec)
    func = PLOTS.get(name)
    if func is None:
        raise InvalidInput("oq plot cannot draw %r; it draws %s" % (
            name, ", ".join(sorted(PLOTS))), param="spec")
    query = parse_query(qs)
    plt = _pyplot(interactive)
    fig = plt.figure(figsize=(10, 6))
    try:
        func(fig, extractors, name, query)
    except BaseException:
        plt.close(fig)
        raise
    fig.suptitle(spec, fontsize="small")
    fig.tight_layout()
    return fig


def make_plot(spec: str, extractors: list, out: str | None = None) -> str | None:
    """Draw ``spec`` (see :func:`draw`); save it to ``out`` (PNG, PDF, SVG by
    extension) and return the path, or show it in a window when ``out`` is None."""
    fig = draw(spec, extractors, interactive=out is None)
    import matplotlib.pyplot as plt
    try:
        if out is None:
            plt.show()
            return None
        fig.savefig(out, dpi=100)
        return os.path.abspath(out)
    finally:
        plt.close(fig)


def default_output(spec: str, calc_ids: list[int]) -> str:
    """``hcurves_kind-mean_imt-PGA_12.png`` from a spec and calculation IDs."""
    text = re.sub(r"[^\w.()-]+", "_", spec.replace("=", "-")).strip("_")
    return "%s_%s.png" % (text[:100], "_".join(map(str, calc_ids)))
