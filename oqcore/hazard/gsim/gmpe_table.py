"""Ground-motion models given as tables (OpenQuake's HDF5 GMPE-table format).

A table file holds, for K magnitudes and D distances::

    Mw               (K,)        moment magnitudes, increasing
    Distances        (D, 1, K)   distances (km); attribute ``metric`` names the distance
                                 (rrup, rjb, rhypo, repi)
    IMLs/PGA, /PGV   (D, 1, K)   median ground motions (g, cm/s)
    IMLs/SA          (D, P, K)   median spectral accelerations (g) at the P periods
    IMLs/T           (P,)        of IMLs/T (s), increasing
    Total/...        same layout: total standard deviations (natural log units);
                                 absent from tables whose model supplies its own sigma

A median is found in three steps: log-log interpolation in period between the
bracketing SA columns, linear-magnitude / log10-motion interpolation between the
bracketing magnitudes (magnitudes above the last one use the last one, below the first
one are an error), then linear interpolation in distance (``linear``) or, for the
USGS NGA-East tables, log10-distance / ln-motion interpolation (``loglog``). Sites
closer than the first table distance get its value; sites farther than the last one
(by more than 1 m) get 1e-20 g. Standard deviations are interpolated the same way in
period and magnitude and linearly in distance, clamped at both ends.
"""
from __future__ import annotations

import os
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, TOTAL, UnknownIMT
from oqcore.hazard.imt import IMT

#: median assigned beyond the last table distance (g)
FAR_MOTION = 1e-20
#: tolerance (km) on the first and last table distances
DIST_EPS = 1e-3
#: smallest distance (km) of a log-distance interpolation
MIN_LOG_DIST = 1e-5


def _interp_rows(x: np.ndarray, y: np.ndarray, x0: float) -> np.ndarray:
    """Linear interpolation of the columns of ``y`` (.., X) at ``x0`` (x increasing).

    The arithmetic is the usual two-point form on the bracketing pair, in float64.
    """
    x = np.asarray(x, np.float64)
    i = int(np.clip(np.searchsorted(x, x0), 1, len(x) - 1))
    lo, hi = x[i - 1], x[i]
    y_lo = np.asarray(y[..., i - 1], np.float64)
    y_hi = np.asarray(y[..., i], np.float64)
    return (y_hi - y_lo) / (hi - lo) * (x0 - lo) + y_lo


class GroundMotionTable:
    """The content of one table file (see the module docstring for the layout).

    :ivar metric: distance name (``rrup``, ``rjb``, ``rhypo``, ``repi``)
    :ivar mags: (K,) magnitudes
    :ivar distances: (D, K) distances in km for each magnitude
    :ivar imls: {'PGA'|'PGV': (D, K), 'SA': (D, P, K)} medians
    :ivar periods: (P,) SA periods of ``imls`` (None without SA)
    :ivar stddevs, sigma_periods: the same for ``Total`` (None when absent)
    """

    def __init__(self, path: str, metric: str, mags, distances, imls: dict,
                 stddevs: dict | None):
        self.path = path
        self.metric = metric
        self.mags = np.asarray(mags)
        self.distances = np.asarray(distances)
        self.imls, self.periods = self._split(imls)
        self.stddevs, self.sigma_periods = self._split(stddevs) if stddevs else (None, None)
        self._cache: dict = {}

    def _split(self, group: dict):
        out = {}
        for name in ("PGA", "PGV"):
            if name in group:
                out[name] = group[name][:, 0, :]
        periods = None
        if "SA" in group:
            if "T" not in group:
                raise InvalidInput("spectral accelerations without periods (T)",
                                   fname=os.path.basename(self.path))
            out["SA"] = group["SA"]
            periods = np.asarray(group["T"])
        return out, periods

    @property
    def imt_names(self) -> frozenset:
        """The IMT names the table has medians for."""
        return frozenset(self.imls)

    def distances_for(self, mag: float) -> np.ndarray:
        """(D,) table distances used at magnitude ``mag`` (those of the last table
        magnitude below it; of the last table magnitude when none is below), in the
        table's dtype."""
        return self.distances[:, np.searchsorted(self.mags, mag) - 1]

    def values(self, mag: float, imt: IMT, stddev: bool = False) -> np.ndarray:
        """(D,) medians (or total stddevs) at magnitude ``mag`` for ``imt``.

        ``mag`` is taken rounded to 2 decimals; above the last table magnitude the last
        one is used. Raises :class:`UnknownIMT` for a period outside the table.
        """
        key = (round(float(mag), 2), imt, stddev)
        try:
            return self._cache[key]
        except KeyError:
            pass
        group = self.stddevs if stddev else self.imls
        periods = self.sigma_periods if stddev else self.periods
        if group is None:
            raise InvalidInput("the table has no standard deviations",
                               fname=os.path.basename(self.path))
        if imt.name in ("PGA", "PGV"):
            if imt.name not in group:
                raise UnknownIMT("%s not in table %s" % (imt, os.path.basename(self.path)))
            by_mag = group[imt.name]
        elif imt.name == "SA" and "SA" in group:
            period = round(imt.period, 7)
            if period < round(float(periods[0]), 7) or period > round(float(periods[-1]), 7):
                raise UnknownIMT("%s is outside the period range %s-%s of table %s" % (
                    imt, periods[0], periods[-1], os.path.basename(self.path)))
            log_t = np.log10(min(max(imt.period, periods[0]), periods[-1]))
            # (D, P, K) -> interpolate along P: move P last
            logs = np.log10(np.moveaxis(group["SA"], 1, -1))
            by_mag = 10.0 ** _interp_rows(np.log10(periods), logs, log_t)
        else:
            raise UnknownIMT("%s not in table %s" % (imt, os.path.basename(self.path)))
        mag = min(key[0], float(self.mags[-1]))
        if mag < self.mags[0]:
            raise InvalidInput("magnitude %.2f is below the range %.2f-%.2f of table %s" % (
                mag, self.mags[0], self.mags[-1], os.path.basename(self.path)))
        out = 10.0 ** _interp_rows(self.mags, np.log10(by_mag), mag)
        self._cache[key] = out
        return out


def read_table(path: str, with_stddevs: bool = True) -> GroundMotionTable:
    """Read a GMPE table file (HDF5); errors name the file."""
    import h5py
    name = os.path.basename(path)
    if not os.path.exists(path):
        raise InvalidInput("GMPE table %s not found" % name, fname=name)
    try:
        with h5py.File(path, "r") as f:
            metric = f["Distances"].attrs["metric"]
            metric = metric.decode() if isinstance(metric, bytes) else str(metric)
            mags = f["Mw"][:]
            dists = f["Distances"][:]
            imls = {k: f["IMLs"][k][:] for k in f["IMLs"]}
            stddevs = ({k: f["Total"][k][:] for k in f["Total"]}
                       if with_stddevs and "Total" in f else None)
    except (OSError, KeyError) as exc:
        raise InvalidInput("not a GMPE table (%s)" % exc, fname=name) from None
    if metric not in ("rrup", "rjb", "rhypo", "repi", "rx", "ry0"):
        raise InvalidInput("unknown distance metric %r" % metric, fname=name)
    if dists.ndim != 3 or dists.shape[2] != len(mags):
        raise InvalidInput("Distances must have shape (D, 1, %d)" % len(mags), fname=name)
    if with_stddevs and stddevs is None:
        raise InvalidInput("the table has no Total standard deviations", fname=name)
    return GroundMotionTable(path, metric, mags, dists[:, 0, :], imls, stddevs)


def read_packed_table(npz_path: str, name: str, with_stddevs: bool = True
                      ) -> GroundMotionTable:
    """Read table ``name`` from a packed .npz of tables (keys ``name|Mw``,
    ``name|Distances``, ``name|IMLs/SA``, ..., ``name|metric``)."""
    with np.load(npz_path) as npz:
        keys = [k for k in npz.files if k.startswith(name + "|")]
        if not keys:
            known = sorted({k.split("|")[0] for k in npz.files})
            raise InvalidInput("unknown table %r; known tables: %s" % (name, ", ".join(known)))
        data = {k.split("|", 1)[1]: npz[k] for k in keys}
    group = {}
    for key, arr in data.items():
        if "/" in key:
            top, sub = key.split("/", 1)
            group.setdefault(top, {})[sub] = arr
    stddevs = group.get("Total") if with_stddevs else None
    return GroundMotionTable(name, str(data["metric"]), data["Mw"], data["Distances"][:, 0, :],
                             group["IMLs"], stddevs)


def median_linear(values: np.ndarray, dists: np.ndarray, table_dists: np.ndarray
                  ) -> np.ndarray:
    """Medians at ``dists`` (N,) km from ``values`` (D,) at ``table_dists`` (D,) km,
    linear in distance (see the module docstring for the ends)."""
    out = np.interp(dists, table_dists, values)
    out[dists < table_dists[0] + DIST_EPS] = values[0]
    out[dists > table_dists[-1] + DIST_EPS] = FAR_MOTION
    return out


def median_loglog(values: np.ndarray, dists: np.ndarray, table_dists: np.ndarray
                  ) -> np.ndarray:
    """Medians at ``dists`` (N,) km, ln(motion) linear in log10(distance); table
    distances under 1e-5 km count as 1e-5 km. The logarithms of the table distances
    are taken in the table's own precision (float32 tables stay float32 there)."""
    table_dists = np.maximum(table_dists, np.asarray(MIN_LOG_DIST, table_dists.dtype))
    with np.errstate(divide="ignore"):
        out = np.exp(np.interp(np.log10(dists), np.log10(table_dists), np.log(values)))
    out[dists <= table_dists[0]] = values[0]
    out[dists > table_dists[-1] + DIST_EPS] = FAR_MOTION
    return out


def stddev_linear(values: np.ndarray, dists: np.ndarray, table_dists: np.ndarray
                  ) -> np.ndarray:
    """Standard deviations at ``dists`` (N,) km, linear in distance, clamped at the ends."""
    return np.interp(dists, table_dists, values)


def magnitude_groups(mag: np.ndarray):
    """Yield (rounded magnitude, index array) for each distinct magnitude (2 decimals)."""
    rounded = np.round(mag, 2)
    for m in np.unique(rounded):
        yield float(m), np.flatnonzero(rounded == m)


class GMPETable(GMPE):
    """A model read from an HDF5 table (argument ``gmpe_table``: its path, relative to
    the logic-tree file naming it). Total standard deviation only; the distance and
    the IMTs are those of the table."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])

    ARGUMENTS = {"gmpe_table": None}
    #: the argument naming the table
    TABLE_ARGUMENT = "gmpe_table"
    #: arguments that are file paths, resolved against the logic-tree file's folder
    PATH_ARGUMENTS = ("gmpe_table",)
    #: how medians are interpolated in distance: median_linear or median_loglog
    median_at = staticmethod(median_linear)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not getattr(self, self.TABLE_ARGUMENT):
            raise InvalidInput("%s needs the argument %s" % (type(self).__name__,
                                                             self.TABLE_ARGUMENT))
        self.table = self.load_table()
        self.REQUIRES_DISTANCES = frozenset([self.table.metric])
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = self.table.imt_names

    def load_table(self) -> GroundMotionTable:
        """The table of this model (subclasses may look elsewhere)."""
        return read_table(self.gmpe_table)

    def table_medians(self, mag: float, dists: np.ndarray, imt: IMT) -> np.ndarray:
        """Medians (N,) at magnitude ``mag`` for the distances ``dists`` (N,) km."""
        return self.median_at(self.table.values(mag, imt), dists,
                              self.table.distances_for(mag))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = getattr(ctx, self.table.metric)
        for mag, idx in magnitude_groups(ctx.mag):
            d = dist[idx]
            for m, imt in enumerate(imts):
                mean[m, idx] = np.log(self.table_medians(mag, d, imt))
                sig[m, idx] = stddev_linear(self.table.values(mag, imt, stddev=True), d,
                                            self.table.distances_for(mag))

    def check_imt(self, imt: IMT) -> None:
        if imt.name not in self.DEFINED_FOR_INTENSITY_MEASURE_TYPES:
            raise UnknownIMT("%s (table %s) is not defined for %s" % (
                type(self).__name__, os.path.basename(self.table.path), imt))

