"""Rupture-site contexts and their contribution to hazard curves.

A :class:`ContextMaker` serves one tectonic region type: its G GSIMs, the M IMTs and
L1 levels of the job, the integration distance and the truncation level. For each
source it builds context arrays (one row per rupture-site pair within the integration
distance) and turns them into annual exceedance rates per site, summed over ruptures:
``rates[g, sid, m*L1 + l] += occurrence_rate * PoE``. Hazard curves follow as
``1 - exp(-investigation_time * rate)`` (Poissonian sources).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from numba import njit
from scipy.special import ndtr

from oqcore.hazard.components import convertible, to_geometric_mean
from oqcore.hazard.gsim.base import CONTEXT_FIELDS, as_columns
from oqcore.hazard.imt import IMT
from oqcore.hazard.stats import truncnorm_sf

RUPTURE_FIELDS = ("mag", "rake", "dip", "strike", "ztor", "width", "hypo_depth",
                  "hypo_lon", "hypo_lat", "occurrence_rate")
DISTANCE_FIELDS = ("rrup", "rjb", "rx", "ry0", "rhypo", "repi")
SITE_FIELDS = ("vs30", "vs30measured", "z1pt0", "z2pt5", "backarc", "z_sed")
#: distances computed only for the GSIMs requiring them (``rvolc`` stays 0 km, as in
#: OpenQuake 3.26.2, which does not compute the path length through volcanic zones)
OPTIONAL_DISTANCES = ("azimuth", "rvolc")
#: lon, lat of the rupture point closest to the site (disaggregation only)
CLOSEST_FIELDS = ("clon", "clat")
#: rupture parameters computed only for the GSIMs requiring them
OPTIONAL_RUPTURE = ("in_cshm",)
#: the region of the Canterbury seismic hazard model (CSHM) behind ``in_cshm``: lon
#: and lat bounds (degrees) given by M. Gerstenberger (2018) for the Christchurch
#: models (Bradley 2013b, McVerry et al. 2006 as modified in 2011)
CSHM_BOUNDS = (171.6, 173.2, -43.9, -43.3)


def in_cshm(lons: np.ndarray, lats: np.ndarray) -> bool:
    """Whether any of the points (a rupture's mesh nodes, degrees) lies strictly inside
    the CSHM region (a point on its border is outside)."""
    lo0, lo1, la0, la1 = CSHM_BOUNDS
    lons, lats = np.asarray(lons), np.asarray(lats)
    return bool(np.any((lons > lo0) & (lons < lo1) & (lats > la0) & (lats < la1)))


def surface_points(surface) -> tuple[np.ndarray, np.ndarray]:
    """lons, lats (degrees) of the nodes of a rupture surface: its mesh, or the four
    corners of a planar surface."""
    mesh = getattr(surface, "mesh", None)
    if mesh is not None:
        return mesh.lons, mesh.lats
    corners = surface.corners
    return corners[..., 0], corners[..., 1]


def round_mag(mag):
    """Magnitudes as the GSIMs see them: rounded to 3 decimals the way numpy rounds
    (scale, round half to even, unscale), as OpenQuake does for the contexts of every
    source typology. Python's ``round`` differs on some bin centres (4.0035 gives
    4.003, numpy 4.004).

    :param mag: a magnitude or an array of them
    """
    return np.round(mag, 3)


def rupture_param_fields(cmaker, footprints, index) -> dict:
    """The optional rupture parameters of contexts, as keyword fields.

    :param footprints: a callable returning, for each of R ruptures, the (lons, lats)
        of its surface nodes (called only when the contexts need them)
    :param index: (K,) the rupture of each context row (or a scalar)
    :returns: {} or {"in_cshm": (K,) booleans}
    """
    if "in_cshm" not in cmaker.dtype.names:
        return {}
    flags = np.array([in_cshm(lons, lats) for lons, lats in footprints()], bool)
    return {"in_cshm": flags[index]}


def context_dtype(site_fields: Sequence[str], closest: bool = False,
                  site_dtype: np.dtype | None = None,
                  distances: Sequence[str] = (),
                  rupture_params: Sequence[str] = ()) -> np.dtype:
    """The dtype of context arrays: rupture, distance and site fields plus ``sids``
    (and ``clon``, ``clat`` when ``closest``; the optional ``distances`` and
    ``rupture_params`` after the standard ones). Site fields take their dtype from
    ``site_dtype`` (the site collection's) when given, so that text parameters such as
    ``geology`` keep their width."""
    names = (list(RUPTURE_FIELDS) + list(rupture_params) + list(DISTANCE_FIELDS)
             + list(distances) + list(site_fields) + ["sids"])
    if closest:
        names += list(CLOSEST_FIELDS)
    site_types = {f: site_dtype[f] for f in site_fields} if site_dtype is not None else {}
    return np.dtype([(n, site_types.get(n, CONTEXT_FIELDS.get(n, np.float64)))
                     for n in names])


def context_site_fields(gsims: Sequence, site_names: Sequence[str]) -> list[str]:
    """The site parameters copied into contexts: the standard ones the site collection
    has, then every other parameter a GSIM requires (xvf, slope, geology, ...)."""
    fields = [f for f in SITE_FIELDS if f in site_names]
    for gsim in gsims:
        for name in sorted(getattr(gsim, "REQUIRES_SITES_PARAMETERS", ())):
            if name in site_names and name not in fields:
                fields.append(name)
    return fields


class ContextMaker:
    """Builds contexts and rates for the sources of one TRT.

    :param trt: tectonic region type
    :param gsims: G GSIM instances
    :param oq: JobParams (imtls, truncation_level, maximum_distance, ...)
    :param sitecol: the SiteCollection
    :param closest: whether contexts carry the closest point of the rupture to the
        site (``clon``, ``clat``, needed by disaggregation by location)
    """

    def __init__(self, trt: str, gsims: Sequence, oq, sitecol, closest: bool = False):
        self.trt = trt
        self.gsims = list(gsims)
        self.maximum_distance = dict(oq.maximum_distance)
        self.imts = [IMT.from_string(s) for s in oq.imtls]
        self.levels = np.array([oq.imtls[s] for s in oq.imtls], float)  # (M, L1)
        # MMI models predict the intensity itself, not its logarithm
        self.loglevels = np.array([lv if imt.name == "MMI" else np.log(lv)
                                   for imt, lv in zip(self.imts, self.levels)])
        self.truncation_level = oq.truncation_level
        self.minimum_distance = oq.minimum_distance or 0.0
        psd = oq.pointsource_distance or {}
        #: km, or [[mag, km], ...] (magnitude-dependent, see :meth:`psdist`)
        self.pointsource_distance = psd.get(trt, psd.get("default", 100.0))
        if not isinstance(self.pointsource_distance, list):
            self.pointsource_distance = float(self.pointsource_distance)
        self.fewsites = len(sitecol) <= oq.max_sites_disagg
        #: False (job parameter ``split_sources``): area and multi-point sources stay
        #: whole, every rupture of their points is kept, with no point-source collapse
        self.split_sources = bool(getattr(oq, "split_sources", True))
        self.sitecol = sitecol
        self.site_fields = context_site_fields(self.gsims, sitecol.array.dtype.names)
        # some GSIMs read the closest point of the rupture (clon, clat) themselves
        self.closest = closest or any("clon" in g.REQUIRES_DISTANCES for g in self.gsims)
        needed = set().union(*(g.REQUIRES_DISTANCES for g in self.gsims))
        needed_rup = set().union(*(getattr(g, "REQUIRES_RUPTURE_PARAMETERS", ())
                                   for g in self.gsims))
        self.dtype = context_dtype(self.site_fields, self.closest, sitecol.array.dtype,
                                   [d for d in OPTIONAL_DISTANCES if d in needed],
                                   [p for p in OPTIONAL_RUPTURE if p in needed_rup])
        self.min_mag = oq.min_mag(trt)
        self.sf_table = normal_sf_table()
        self.N = len(sitecol)
        self.L = self.levels.size
        #: the GSIMs whose ground motions are turned into geometric means
        self.to_gm = [bool(getattr(oq, "horiz_comp_to_geom_mean", False)) and convertible(
            g.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT) for g in self.gsims]
        #: site amplification by the kernel method (a
        #: :class:`~oqcore.hazard.site_amplification.KernelAmplifier`), or None
        self.amplifier = None

    def max_dist(self, mag: float) -> float:
        """Integration distance in km for a magnitude."""
        return max_distance(self.maximum_distance, self.trt, mag)

    def empty_rates(self) -> np.ndarray:
        """Zero rates, shape (G, N, M*L1)."""
        return np.zeros((len(self.gsims), self.N, self.L))

    def new_context(self, n: int) -> np.recarray:
        """A zero context array of n rows."""
        return np.zeros(n, self.dtype).view(np.recarray)

    def set_sites(self, ctx: np.ndarray, sids: np.ndarray) -> None:
        """Copy the site parameters of ``sids`` into the context rows."""
        ctx["sids"] = sids
        arr = self.sitecol.array
        for f in self.site_fields:
            ctx[f] = arr[f][sids]

    @staticmethod
    def within(rrup: np.ndarray, max_dist: float, planar: bool) -> np.ndarray:
        """The integration-distance test of rupture-site pairs, as OpenQuake does it:
        ``rrup < max_dist`` for the planar ruptures of point and area sources
        (``planar``), ``rrup <= max_dist`` for the ruptures of fault sources.

        :param rrup: rupture distances (km), any shape
        :param max_dist: the integration distance (km) of the ruptures' magnitude
        :returns: a boolean mask of the shape of ``rrup``
        """
        return rrup < max_dist if planar else rrup <= max_dist

    def finish(self, ctx: np.ndarray) -> np.ndarray:
        """Round the magnitudes (:func:`round_mag`) and apply ``minimum_distance`` (km)
        to the distances of contexts already filtered by :meth:`within`; return them."""
        ctx["mag"] = round_mag(ctx["mag"])
        if self.minimum_distance:
            for f in DISTANCE_FIELDS:
                np.maximum(ctx[f], self.minimum_distance, out=ctx[f])
        return ctx

    def add_rates(self, ctx: np.recarray, rates: np.ndarray) -> list:
        """Add the exceedance rates of the contexts to ``rates`` (G, N, M*L1).

        :returns: G arrays (2, M, K): the ln-means and total stddevs of the contexts
        """
        out: list = []
        if len(ctx) == 0:
            return out
        ctx = as_columns(ctx)  # the G models share the contiguous field copies
        sids = np.ascontiguousarray(ctx.sids, np.int64)
        occ = np.ascontiguousarray(ctx.occurrence_rate, np.float64)
        code, phi_b = _truncation_code(self.truncation_level)
        for g, gsim in enumerate(self.gsims):
            # a model's PoE is a weighted sum of normal PoEs (one term for most models,
            # several for mixture models and PoE-averaging models): sum the terms' rates;
            # IMTs a GSIM does not define (zero IMT weights) have PoE 0
            if all(imt.name in gsim.DEFINED_FOR_INTENSITY_MEASURE_TYPES for imt in self.imts):
                comps = gsim.poe_components(ctx, self.imts)
            else:
                comps = [(1.0, supported_mean_stds(gsim, ctx, self.imts))]
            for weight, ms in comps:  # ms: (4, M, K)
                if self.to_gm[g]:
                    to_geometric_mean(ms, gsim.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT,
                                      self.imts)
                w_occ = occ if weight == 1.0 else occ * weight
                if self.amplifier is not None:  # PoEs on soil (kernel method)
                    poes = self.amplifier.poes(ms[0], ms[1], sids, ctx.mag, ctx.rrup)
                    _accumulate(rates[g], sids, poes * w_occ[:, None])
                    continue
                add_poes(np.ascontiguousarray(ms[0]), np.ascontiguousarray(ms[1]),
                         self.loglevels, w_occ, sids, code, phi_b, self.sf_table, rates[g])
            out.append(ms[:2])
        return out


def supported_mean_stds(gsim, ctx: np.recarray, imts: Sequence[IMT]) -> np.ndarray:
    """``gsim.get_mean_stds`` (4, M, K) where the IMTs a GSIM does not define (allowed
    only with zero IMT-dependent weights) get an ln-mean of -inf (PoE 0) and unit
    stddevs."""
    ok = [m for m, imt in enumerate(imts)
          if imt.name in gsim.DEFINED_FOR_INTENSITY_MEASURE_TYPES]
    if len(ok) == len(imts):
        return gsim.get_mean_stds(ctx, imts)
    out = np.ones((4, len(imts), len(ctx)))
    out[0] = -np.inf
    if ok:
        out[:, ok] = gsim.get_mean_stds(ctx, [imts[m] for m in ok])
    return out


def _truncation_code(truncation_level) -> tuple[int, float]:
    """(0, 1) for no truncation, (1, .5) for a step function, (2, Phi(tl)) otherwise."""
    if truncation_level is None:
        return 0, 1.0
    if truncation_level == 0:
        return 1, 0.5
    return 2, float(ndtr(truncation_level))


#: spacing (standard deviations) of the nodes of :func:`normal_sf_table`
SF_STEP = 1.0 / 256.0
#: the table covers z in [-SF_ZMAX, SF_ZMAX]; erfc is evaluated outside
SF_ZMAX = 9.0


def normal_sf_table(step: float = SF_STEP, zmax: float = SF_ZMAX) -> np.ndarray:
    """Nodes of the standard normal survival function Q(z) = 1 - Phi(z) for the cubic
    Hermite interpolation of :func:`add_poes`.

    :returns: (2, T) array: Q at z_i = -zmax + i * step, and ``step`` times its
        derivative -phi(z_i); interpolating it costs a tenth of an erfc and its
        relative error is below 5e-9 (at z = 9, 1e-10 below z = 5)
    """
    z = np.linspace(-zmax, zmax, int(round(2 * zmax / step)) + 1)
    return np.array([ndtr(-z), -step * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)])


@njit(cache=True)
def _normal_sf(z, table, zmax, inv_step):
    """Q(z) = 1 - Phi(z) by cubic Hermite interpolation of ``table``
    (:func:`normal_sf_table`), erfc beyond its ends."""
    x = (z + zmax) * inv_step
    if not (x >= 0.0 and x < table.shape[1] - 1):
        return 0.5 * math.erfc(z / math.sqrt(2.0))
    i = int(x)
    t = x - i
    u = 1.0 - t
    return (u * u * (1.0 + 2.0 * t) * table[0, i] + t * u * u * table[1, i]
            + t * t * (3.0 - 2.0 * t) * table[0, i + 1] - t * t * u * table[1, i + 1])


@njit(cache=True)
def add_poes(mean, sig, loglevels, occ, sids, code, phi_b, sf_table, out):
    """out[sids[k], m*L1 + l] += occ[k] * PoE(level l of IMT m | mean, sig of context k).

    :param mean, sig: (M, K) ln-means and total stddevs
    :param loglevels: (M, L1) ln of the levels (increasing)
    :param occ: (K,) occurrence rates; :param sids: (K,) site indices
    :param code: 0 untruncated, 1 step (truncation 0), 2 truncated at ±tl with
        ``phi_b = Phi(tl)``
    :param sf_table: :func:`normal_sf_table` (with the default step and range)
    :param out: (N, M*L1) accumulated rates
    """
    M, K = mean.shape
    L1 = loglevels.shape[1]
    sqrt2 = math.sqrt(2.0)
    q_b = 1.0 - phi_b
    inv_denom = 1.0 / (2.0 * phi_b - 1.0) if code == 2 else 1.0
    inv_step = 1.0 / SF_STEP
    # truncated: Phi(z) <= 1 - phi_b for z <= -tl (PoE clipped to 1) and Phi(z) >=
    # phi_b for z >= tl (PoE 0), so Q is needed only for |z| < tl (a margin of
    # 1e-6 keeps the results those of the formula, rounding included)
    tl = -sqrt2 * _erfcinv_phi(phi_b) + 1e-6 if code == 2 else np.inf
    for m in range(M):  # IMT by IMT: the means and stddevs are read in memory order
        base = m * L1
        levels = loglevels[m]
        for k in range(K):
            s = sids[k]
            r = occ[k]
            mu = mean[m, k]
            sd = sig[m, k]
            if code == 1 or sd == 0.0:
                for lv in range(L1):
                    x = levels[lv] - mu
                    p = 1.0 if x < 0 else (0.5 if x == 0 else 0.0)
                    if p == 0.0:
                        break  # levels increase: every higher level has PoE 0
                    out[s, base + lv] += r * p
                continue
            inv_sd = 1.0 / sd
            for lv in range(L1):
                z = (levels[lv] - mu) * inv_sd
                if z < -tl:
                    out[s, base + lv] += r
                    continue
                if z > tl:
                    break
                q = _normal_sf(z, sf_table, SF_ZMAX, inv_step)
                if code == 0:
                    p = q
                else:
                    p = (q - q_b) * inv_denom
                    if p < 0.0:
                        p = 0.0
                    elif p > 1.0:
                        p = 1.0
                if p == 0.0:
                    break  # levels increase: every higher level has PoE 0
                out[s, base + lv] += r * p


def psdist_at(psd, mag: float) -> float:
    """The point-source distance (km) at magnitude ``mag`` from a float or
    [[mag, km], ...] pairs (linear interpolation, the end values outside)."""
    if isinstance(psd, list):
        mags, dists = zip(*psd)
        return float(np.interp(mag, mags, dists))
    return float(psd)


@njit(cache=True)
def _erfcinv_phi(phi_b):
    """-tl / sqrt(2) for ``phi_b = Phi(tl)``, by bisection on erfc (so that the
    cut-offs of :func:`add_poes` agree with its own erfc): the x with
    ``0.5 * erfc(-x) = 1 - phi_b``, x < 0."""
    lo, hi = -40.0, 0.0
    target = 1.0 - phi_b
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 0.5 * math.erfc(-mid) < target:
            lo = mid
        else:
            hi = mid
    return lo


def max_distance(md: dict, trt: str, mag: float | None = None) -> float:
    """The integration distance (km) for a TRT and magnitude from the parsed
    ``maximum_distance`` ({'default': km} or {trt: km or [[mag, km], ...]})."""
    value = md.get(trt, md.get("default"))
    if value is None:
        lower = {k.lower(): v for k, v in md.items()}
        value = lower.get(trt.lower())
    if value is None and md:  # no default: the largest distance given (as the reference)
        value = max(md.values(), key=lambda v: max(d for _, d in v) if isinstance(v, list)
                    else v)
    if value is None:
        from oqcore.errors import InvalidInput
        raise InvalidInput("no maximum_distance for %r (given: %s)" % (trt, md),
                           param="maximum_distance")
    if isinstance(value, list):
        if mag is None:
            return max(d for _, d in value)
        mags, dists = zip(*value)
        # outside the magnitude range of the pairs the distance is 0: the ruptures are
        # discarded, as the reference does
        return float(np.interp(mag, mags, dists, left=0.0, right=0.0))
    if mag is not None and not MINMAG <= mag <= MAXMAG:
        return 0.0
    return float(value)


#: magnitude range of a scalar integration distance (as in the reference)
MINMAG, MAXMAG = 2.5, 10.2


def add_poes_numpy(mean, sig, loglevels, occ, sids, truncation_level, out) -> None:
    """Plain numpy twin of :func:`add_poes` (same arguments, except the truncation
    level instead of its code), the reference its tests compare it with."""
    M, L1 = loglevels.shape
    contrib = np.empty((mean.shape[1], M * L1))
    for m in range(M):
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (loglevels[m][None, :] - mean[m][:, None]) / sig[m][:, None]
        contrib[:, m * L1:(m + 1) * L1] = truncnorm_sf(truncation_level, z)
    _accumulate(out, np.asarray(sids, np.int64), contrib * occ[:, None])


def _accumulate(out: np.ndarray, sids: np.ndarray, contrib: np.ndarray) -> None:
    """out[sids[k]] += contrib[k] for every row k."""
    order = np.argsort(sids, kind="stable")
    s = sids[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    sums = np.add.reduceat(contrib[order], starts, axis=0)
    out[s[starts]] += sums


def rates_to_poes(rates: np.ndarray, investigation_time: float) -> np.ndarray:
    """PoEs in ``investigation_time`` from annual rates (Poisson)."""
    return -np.expm1(-investigation_time * rates)

