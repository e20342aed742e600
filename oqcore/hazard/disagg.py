"""Disaggregation of hazard: bin edges, the rate kernel and the projections on the
output kinds.

For each site, IMT m and disaggregation level ``iml[m, p]`` (the IML with probability
``poes[p]`` on the mean hazard curve, or ``iml_disagg``), every rupture contributes
``occurrence_rate * P(ground motion > iml, epsilon in bin e)`` to the bin of its
magnitude, distance (rrup), closest-point longitude/latitude, epsilon and TRT. The
epsilon split uses the truncated normal distribution on [-tl, tl]:
``P(eps in [max(lo, z), hi])`` with ``z = (ln iml - mean) / sigma``; with
``epsilon_star`` the whole probability of exceedance goes to the bin holding z.

The rates of a bin are annual rates; the "poe" form of a bin is
``1 - exp(-investigation_time * rate)``, and the "traditional" form is the fraction
``rate / total rate``. Summing rates over all the bins gives back the hazard curve at
the disaggregation level (as a rate); with ``epsilon_star`` only the ruptures with
z inside the epsilon bins count.

Bins follow OpenQuake's conventions: magnitudes in (lower, upper] bins (the lowest
edge included), distances, longitudes, latitudes and epsilons in [lower, upper) bins,
values beyond the last edge in the last bin.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

#: the six axes of the full disaggregation matrix (per IMT and level)
AXES = ("mag", "dist", "lon", "lat", "eps", "trt")

#: every output kind accepted in ``disagg_outputs``
KINDS = ("Mag", "Dist", "Mag_Dist", "Mag_Dist_Eps", "Lon_Lat", "Mag_Lon_Lat", "TRT",
         "TRT_Mag", "TRT_Lon_Lat", "TRT_Mag_Dist", "TRT_Mag_Dist_Eps")

#: km -> degrees of latitude (Earth radius 6371 km)
KM_TO_DEGREES = 0.0089932

#: the largest number of bins of the 6D matrix (per site, IMT and level)
MAX_MATRIX_SIZE = 1_000_000


def kind_axes(kind: str) -> list[str]:
    """The lower-case axis names of an output kind, e.g. 'Mag_Dist' -> ['mag', 'dist'].

    :raises ValueError: for a name that is not in :data:`KINDS`
    """
    if kind not in KINDS:
        raise ValueError("unknown disaggregation kind %r (known: %s)" %
                         (kind, ", ".join(KINDS)))
    return kind.lower().split("_")


# ---------------------------------------------------------------------------
# bin edges
# ---------------------------------------------------------------------------

def mag_edges(mags, width: float) -> np.ndarray:
    """Magnitude bin edges covering ``mags`` with bins of ``width`` aligned on its
    multiples; the highest magnitude always falls strictly inside the last bin."""
    lo, hi = min(mags), max(mags)
    n1 = int(math.floor(lo / width))
    n2 = int(math.ceil(hi / width))
    if n2 == n1 or hi >= round(width * n2, 3):
        n2 += 1
    return width * np.arange(n1, n2 + 1)


def dist_edges(maxdist: float, width: float) -> np.ndarray:
    """Distance bin edges 0, width, ... up to the first multiple >= ``maxdist`` (km)."""
    return width * np.arange(0, int(math.ceil(maxdist / width)) + 1)


def lon_lat_edges(lon: float, lat: float, maxdist: float, width: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Site-centred longitude and latitude edges spanning +- ``maxdist`` km.

    The number of bins (the same for both) is ``ceil(maxdist * KM_TO_DEGREES /
    width)``: ``width`` (degrees) sets the resolution of the latitude bins.
    """
    nbins = max(1, int(math.ceil(maxdist * KM_TO_DEGREES / width)))
    dlat = min(maxdist * KM_TO_DEGREES, 90.0)
    dlon = min(maxdist * KM_TO_DEGREES / math.cos(math.radians(lat)), 180.0)
    return (lon + np.linspace(-dlon, dlon, nbins + 1),
            lat + np.linspace(-dlat, dlat, nbins + 1))


def eps_edges(truncation_level: float, num_bins: int) -> np.ndarray:
    """``num_bins`` equal epsilon bins over [-truncation_level, truncation_level]."""
    return np.linspace(-truncation_level, truncation_level, num_bins + 1)


class DisaggBins:
    """The bin edges of a disaggregation.

    :ivar mag, dist, eps: edges (n+1,)
    :ivar lon, lat: site-specific edges (N, n+1)
    :ivar trt: the TRT names
    """

    def __init__(self, mag, dist, lon, lat, eps, trts):
        self.mag = np.asarray(mag, float)
        self.dist = np.asarray(dist, float)
        self.lon = np.asarray(lon, float).reshape(len(lon), -1)
        self.lat = np.asarray(lat, float).reshape(len(lat), -1)
        self.eps = np.asarray(eps, float)
        self.trt = list(trts)

    @property
    def shape(self) -> tuple:
        """(Ma, D, Lo, La, E, T) bin counts."""
        return (len(self.mag) - 1, len(self.dist) - 1, self.lon.shape[1] - 1,
                self.lat.shape[1] - 1, len(self.eps) - 1, len(self.trt))

    def centres(self, axis: str, sid: int = 0):
        """Bin centres along an axis (TRT names for 'trt')."""
        if axis == "trt":
            return list(self.trt)
        edges = getattr(self, axis)
        if axis in ("lon", "lat"):
            edges = edges[sid]
        return (edges[:-1] + edges[1:]) / 2.0


def build_bins(oq, sitecol, mags: list[float], trts: list[str],
               kinds: list[str] | None = None) -> DisaggBins:
    """The bin edges of a job (``disagg_bin_edges`` first, then the bin widths); a
    single epsilon bin when none of ``kinds`` has an epsilon axis.

    :param oq: JobParams (mag_bin_width, distance_bin_width, coordinate_bin_width,
        num_epsilon_bins, truncation_level, maximum_distance, disagg_bin_edges)
    :param sitecol: the SiteCollection (N sites)
    :param mags: the magnitudes of the model's ruptures
    :param trts: the tectonic region types of the model
    :param kinds: the output kinds (default: all)
    :raises ValueError: with the name of the parameter at fault
    """
    given = oq.disagg_bin_edges or {}
    check_edges(given, len(sitecol))
    maxdist = upper_maxdist(oq.maximum_distance)
    if "mag" in given:
        mag = given["mag"]
    else:
        if not mags:
            raise ValueError("no ruptures: cannot build the magnitude bins")
        mag = mag_edges(mags, _positive(oq, "mag_bin_width"))
    if "dist" in given:
        dist = given["dist"]
    elif getattr(oq, "distance_bin_width", None):
        dist = dist_edges(maxdist, _positive(oq, "distance_bin_width"))
    else:
        dist = [0.0, maxdist]
    if "lon" in given:
        lon, lat = [given["lon"]], [given["lat"]]
    else:
        width = _positive(oq, "coordinate_bin_width")
        pairs = [lon_lat_edges(float(x), float(y), maxdist, width)
                 for x, y in zip(sitecol.lons, sitecol.lats)]
        lon, lat = [p[0] for p in pairs], [p[1] for p in pairs]
    if "eps" in given:
        eps = given["eps"]
    else:
        with_eps = kinds is None or any("Eps" in k for k in kinds)
        eps = eps_edges(oq.truncation_level,
                        max(1, oq.num_epsilon_bins) if with_eps else 1)
    bins = DisaggBins(mag, dist, lon, lat, eps, trts)
    size = int(np.prod(bins.shape))
    if size > MAX_MATRIX_SIZE:
        raise ValueError("the disaggregation matrix has %d bins %s (more than %d): use "
                         "wider bins" % (size, bins.shape, MAX_MATRIX_SIZE))
    return bins


def check_edges(given: dict, num_sites: int) -> None:
    """Check ``disagg_bin_edges``: known axes, at least 2 increasing numbers each, lon
    and lat together and only for a single site.

    :raises ValueError: naming the axis
    """
    if ("lon" in given) != ("lat" in given):
        raise ValueError("give both lon and lat edges")
    if "lon" in given and num_sites != 1:
        raise ValueError("lon/lat edges need exactly one site, not %d" % num_sites)
    for name, edges in given.items():
        if name not in ("mag", "dist", "lon", "lat", "eps"):
            raise ValueError("unknown axis %r (expected mag, dist, lon, lat, eps)" % name)
        try:
            e = [float(x) for x in edges]
        except (TypeError, ValueError):
            raise ValueError("%s edges must be numbers, got %r" % (name, edges)) from None
        if len(e) < 2 or any(b <= a for a, b in zip(e, e[1:])):
            raise ValueError("%s edges must be at least 2 increasing values, got %s" %
                             (name, e))


def _positive(oq, name: str) -> float:
    value = getattr(oq, name, None)
    if not value or value <= 0:
        raise ValueError("%s must be positive for disaggregation, got %r" % (name, value))
    return float(value)


def upper_maxdist(maximum_distance: dict) -> float:
    """The largest integration distance (km) of a parsed ``maximum_distance``."""
    out = 0.0
    for value in maximum_distance.values():
        if isinstance(value, (list, tuple)):
            out = max(out, max(d for _, d in value))
        else:
            out = max(out, float(value))
    return out


# ---------------------------------------------------------------------------
# bin indices and the rate kernel
# ---------------------------------------------------------------------------

def bin_indices(ctx: np.ndarray, bins: DisaggBins) -> tuple:
    """Magnitude, distance, longitude and latitude bin indices of the context rows
    (arrays (K,) of int64); rows with a magnitude outside the bins get -1 as
    magnitude index (they are skipped by the kernel)."""
    Ma, D, Lo, La = bins.shape[:4]
    magi = np.searchsorted(bins.mag, ctx["mag"], side="left") - 1
    magi[magi == -1] = 0  # the lowest edge belongs to the first bin
    magi[magi >= Ma] = -1
    disti = np.clip(np.searchsorted(bins.dist, ctx["rrup"], side="right") - 1, 0, D - 1)
    sids = ctx["sids"].astype(np.int64)
    lon_e, lat_e = bins.lon[sids], bins.lat[sids]   # (K, Lo+1), (K, La+1)
    rel = (ctx["clon"] - lon_e[:, 0] + 180.0) % 360.0 - 180.0  # date-line safe
    loni = (rel[:, None] >= (lon_e[:, 1:-1] - lon_e[:, :1])).sum(axis=1)
    lati = (ctx["clat"][:, None] >= lat_e[:, 1:-1]).sum(axis=1)
    return (magi.astype(np.int64), disti.astype(np.int64),
            np.clip(loni, 0, Lo - 1).astype(np.int64),
            np.clip(lati, 0, La - 1).astype(np.int64))


@njit(cache=True)
def add_disagg_rates(mean, sig, logiml, occ, sids, magi, disti, loni, lati, eps,
                     tl, epsstar, out):
    """Add the disaggregated exceedance rates of K contexts to ``out``.

    :param mean, sig: (M, K) ln-means and total stddevs of one GSIM
    :param logiml: (N, M, P) ln of the disaggregation levels (-inf: skipped)
    :param occ: (K,) annual occurrence rates; :param sids: (K,) site indices
    :param magi, disti, loni, lati: (K,) bin indices (magi -1: skipped)
    :param eps: (E+1,) epsilon edges; :param tl: truncation level (> 0)
    :param epsstar: True to bin by epsilon* instead of epsilon
    :param out: (N, Ma, D, Lo, La, E, M, P) accumulated annual rates
    """
    M, K = mean.shape
    P = logiml.shape[2]
    E = len(eps) - 1
    sqrt2 = math.sqrt(2.0)
    phi_b = 0.5 * math.erfc(-tl / sqrt2)
    denom = 2.0 * phi_b - 1.0
    cdf_e = np.empty(E + 1)
    for e in range(E + 1):
        x = min(max(eps[e], -tl), tl)
        cdf_e[e] = 0.5 * math.erfc(-x / sqrt2)
    for k in range(K):
        mi = magi[k]
        if mi < 0:
            continue
        s, di, lo, la, r = sids[k], disti[k], loni[k], lati[k], occ[k]
        for m in range(M):
            mu, sd = mean[m, k], sig[m, k]
            for p in range(P):
                li = logiml[s, m, p]
                if li == -np.inf:
                    continue
                if sd > 0.0:
                    z = (li - mu) / sd
                elif li < mu:
                    z = -np.inf
                else:
                    z = np.inf
                if z >= tl:
                    continue  # no exceedance within the truncation
                zc = max(z, -tl)
                cdf_z = 0.5 * math.erfc(-zc / sqrt2)
                if epsstar:
                    if eps[0] <= z < eps[E]:
                        e = 0
                        while z >= eps[e + 1]:
                            e += 1
                        out[s, mi, di, lo, la, e, m, p] += r * (phi_b - cdf_z) / denom
                    continue
                for e in range(E):
                    low = cdf_e[e] if eps[e] > zc else cdf_z
                    if cdf_e[e + 1] > low:
                        out[s, mi, di, lo, la, e, m, p] += r * (cdf_e[e + 1] - low) / denom


def disagg_contexts(ctx: np.ndarray, mean_stds: list, bins: DisaggBins,
                    logiml: np.ndarray, truncation_level: float, epsstar: bool,
                    out: np.ndarray, probs: np.ndarray | None = None,
                    time_span: float = 1.0) -> None:
    """Add the disaggregated exceedance rates of a context array to ``out``.

    :param ctx: K contexts (with ``clon``, ``clat``)
    :param mean_stds: G arrays (2, M, K): ln-means and total stddevs of the GSIMs
    :param logiml: (N, M, P) ln of the disaggregation levels (-inf: skipped)
    :param out: (G, N, Ma, D, Lo, La, E, M, P) annual rates
    :param probs: (K, J) probabilities of 0..J-1 occurrences in ``time_span`` years
        of non-parametric ruptures (then each bin of probability x of a rupture gets
        the equivalent rate ``-ln(sum_j p_j (1 - x)^j) / time_span``)
    """
    magi, disti, loni, lati = bin_indices(ctx, bins)
    ok = magi >= 0
    if not ok.any():
        return
    if probs is not None:
        _disagg_nonparametric(ctx, mean_stds, (magi, disti, loni, lati), ok, bins,
                              logiml, truncation_level, epsstar, out, probs, time_span)
        return
    c = np.ascontiguousarray
    occ = c(ctx["occurrence_rate"][ok], np.float64)
    sids = c(ctx["sids"][ok], np.int64)
    idx = [c(a[ok]) for a in (magi, disti, loni, lati)]
    eps = c(bins.eps)
    for g, ms in enumerate(mean_stds):
        add_disagg_rates(c(ms[0][:, ok]), c(ms[1][:, ok]), logiml, occ, sids, *idx, eps,
                         float(truncation_level), epsstar, out[g])


def disagg_kept(kept: list, bins: DisaggBins, logiml: np.ndarray,
                truncation_level: float, epsstar: bool, out: np.ndarray) -> int:
    """Add the disaggregated rates of kept contexts to ``out`` (G, N, Ma, D, Lo, La,
    E, M, P).

    :param kept: (ctx, mean_stds, source, [probs_occur or None, time_span,
        [mutex tag]]) entries (see :func:`oqcore.hazard.source.groups.group_pnes`);
        the entries of mutually exclusive sources of a group are combined: per bin,
        ``rate = -ln(1 - grp_probability * sum_s w_s (1 - exp(-T rate_s))) / T``
    :returns: the number of contexts
    """
    n = 0
    mutex: dict = {}
    for ctx, mean_stds, _src, *extra in kept:
        n += len(ctx)
        if len(extra) == 3:
            mutex.setdefault(extra[2].group, []).append((ctx, mean_stds, extra))
            continue
        disagg_contexts(ctx, mean_stds, bins, logiml, truncation_level, epsstar, out,
                        *extra)
    for entries in mutex.values():
        poe = np.zeros_like(out)
        T = 1.0
        for ctx, mean_stds, (probs, T, tag) in entries:
            rates = np.zeros_like(out)
            disagg_contexts(ctx, mean_stds, bins, logiml, truncation_level, epsstar,
                            rates, probs, T)
            poe += tag.weight * -np.expm1(-T * rates)
        with np.errstate(divide="ignore"):
            out += -np.log1p(-entries[0][2][2].grp_probability * poe) / T
    return n


def _disagg_nonparametric(ctx, mean_stds, idx, ok, bins, logiml, truncation_level,
                          epsstar, out, probs, time_span) -> None:
    # each row's bin probabilities (the kernel with rate 1 on a one-bin grid), then
    # the equivalent rates of its occurrence probabilities
    c = np.ascontiguousarray
    eps = c(bins.eps)
    E, (_, M, P) = len(eps) - 1, logiml.shape
    zero = np.zeros(1, np.int64)
    for k in np.flatnonzero(ok):
        s = int(ctx["sids"][k])
        cell = (s,) + tuple(int(a[k]) for a in idx)
        for g, ms in enumerate(mean_stds):
            x = np.zeros((1, 1, 1, 1, 1, E, M, P))
            add_disagg_rates(c(ms[0][:, k:k + 1]), c(ms[1][:, k:k + 1]),
                             c(logiml[s:s + 1]), np.ones(1), zero, zero, zero, zero, zero,
                             eps, float(truncation_level), epsstar, x)
            x = x[0, 0, 0, 0, 0]
            pne = np.zeros_like(x)
            for j, pj in enumerate(probs[k]):
                pne += pj * (1.0 - x) ** j
            with np.errstate(divide="ignore"):
                out[g][cell] += -np.log(pne) / time_span


def disagg_rates_numpy(mean, sig, logiml, occ, sids, magi, disti, loni, lati, eps, tl,
                       epsstar, out) -> None:
    """Plain numpy twin of :func:`add_disagg_rates` (used by the tests)."""
    from scipy.special import ndtr
    phi_b = ndtr(tl)
    denom = 2 * phi_b - 1
    cdf_e = ndtr(np.clip(eps, -tl, tl))
    for k in range(mean.shape[1]):
        if magi[k] < 0:
            continue
        idx = (sids[k], magi[k], disti[k], loni[k], lati[k])
        for m in range(mean.shape[0]):
            with np.errstate(divide="ignore"):
                z = (logiml[sids[k], m] - mean[m, k]) / sig[m, k]   # (P,)
            for p, zp in enumerate(z):
                if not np.isfinite(logiml[sids[k], m, p]) or zp >= tl:
                    continue
                cz = ndtr(max(zp, -tl))
                if epsstar:
                    e = np.searchsorted(eps, zp, side="right") - 1
                    if 0 <= e < len(eps) - 1:
                        out[idx + (e, m, p)] += occ[k] * (phi_b - cz) / denom
                    continue
                low = np.where(eps[:-1] > max(zp, -tl), cdf_e[:-1], cz)
                contrib = np.clip(cdf_e[1:] - low, 0, None) / denom
                out[idx][:, m, p] += occ[k] * contrib


# ---------------------------------------------------------------------------
# projections
# ---------------------------------------------------------------------------

def project(rates6: np.ndarray, kind: str) -> np.ndarray:
    """Rates summed over the axes a kind does not keep.

    :param rates6: (Ma, D, Lo, La, E, T, ...) rates (trailing axes kept, e.g. M, P)
    :returns: (*kind bins, ...) in the order of the kind's axes
    """
    axes = kind_axes(kind)
    drop = tuple(i for i, a in enumerate(AXES) if a not in axes)
    summed = rates6.sum(axis=drop)
    kept = [a for a in AXES if a in axes]
    order = [kept.index(a) for a in axes]
    extra = list(range(len(kept), summed.ndim))
    return summed.transpose(order + extra)


def traditional(poes: np.ndarray, total_poes: np.ndarray) -> np.ndarray:
    """The traditional form: ``ln(1 - p) / ln(1 - p_tot)`` (fractions of the total
    rate); ``total_poes`` broadcasts on the last axes of ``poes``; 0 where the total
    is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log1p(-poes) / np.log1p(-total_poes)
    return np.where(total_poes > 0, out, 0.0)
