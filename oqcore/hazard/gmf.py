"""Ground-motion fields: the random ground motion of the events of one rupture.

For an event e, a site s and an IMT m the ground-motion value is

    ln gmv = mean[m, s] + tau[m, s] * eps_between[m, e] + phi[m, s] * eps_within[m, s, e]

with the ln-mean and the between-event (``tau``) and within-event (``phi``) standard
deviations given by the GSIM for the rupture-site contexts. The epsilons are standard
normal variates truncated at +-``truncation_level`` (untruncated when it is None);
``truncation_level_between`` and ``truncation_level_within``, when given, replace it
for the between-event and within-event epsilons. A level 0 makes the epsilons of its
kind zero (both 0: the field is the median). The between-event epsilons of the IMTs
of an event are independent unless ``cross_correlation`` names a model
(:mod:`oqcore.hazard.cross_correlation`). A GSIM that only defines the total
standard deviation gets ``tau = 0, phi = sigma``: its between-event standard deviation
is reported as NaN (its between-event epsilon is drawn, unused). With a spatial
correlation model the within-event epsilons of an event are correlated over the
sites: the residuals ``phi * eps_within`` of the sites affected by the rupture are
mixed by the rows and columns of these sites in ``L_m``, the lower Cholesky factor of
the correlation matrix of the whole site collection.

Random numbers come from one ``numpy.random.default_rng(seed)`` stream per rupture,
shared by its GSIMs in order; for each GSIM with events the within-event epsilons are
drawn first (IMT by IMT, a (sites, events) block each), then the between-event ones
(IMT by IMT, or as the cross-correlation model draws them), all with
:func:`truncated_normal` (the stream of :func:`scipy.stats.truncnorm`, +-99 when
untruncated). This is the order of
OpenQuake 3.26, so the same seeds give the same fields; they depend on the seeds
only, never on the number of workers. The values are computed in float32.

The ``gmf_data`` dataset (datastore.md 3.3) is a table group with one row per stored
(site, event) pair, sorted by event ID then site ID, columns ``sid u4``, ``eid u4``
and one ``f4`` column per IMT named as the IMT (``PGA``, ``SA(0.2)``), in g (cm/s for
PGV); a pair is stored when at least one of its values reaches the
``minimum_intensity`` of its IMT (all its values are then stored). Attributes:
``__pdcolumns__``, ``imts`` (space separated), ``investigation_time`` (years, 0 for
scenarios), ``effective_time`` (years: investigation_time x ses_per_logic_tree_path
x R), ``num_events``. The companion table ``gmf_data/sigma_epsilon`` is not a column:
it is the dataset ``sigma_epsilon`` (E,) ``eid u4, rlz_id u2, sig_inter_<IMT> f4...,
eps_inter_<IMT> f4...``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from numba import njit
from scipy.special import log_ndtr, ndtr, ndtri_exp

from oqcore.errors import InvalidInput
from oqcore.hazard.components import convertible, to_geometric_mean
from oqcore.hazard.gsim.base import INTER_EVENT, INTRA_EVENT
from oqcore.hazard.gsim.toml_form import openquake_toml
from oqcore.hazard.imt import IMT

F32 = np.float32

#: the floor of the geometric means of avg_gmf when no minimum_intensity is given
MIN_IML = 1e-10


#: the bound used for "untruncated" epsilons (a normal truncated at +-99 sigma)
UNTRUNCATED = 99.0
#: levels at or below this give zero epsilons (nothing drawn)
ZERO_LEVEL = 1e-9


def truncated_normal(rng: np.random.Generator, truncation_level: float | None,
                     shape) -> np.ndarray:
    """Standard normal variates truncated at +-truncation_level (None means +-99,
    i.e. untruncated), by inversion of uniforms drawn from ``rng``: the stream and
    values of :meth:`scipy.stats.truncnorm.rvs` (which inverts ``rng.uniform``),
    without its per-call overhead.

    A level at or below 1e-9 gives zeros and draws nothing from ``rng``.

    :returns: float64 array of ``shape``
    """
    level = UNTRUNCATED if truncation_level is None else float(truncation_level)
    if level <= ZERO_LEVEL:
        return np.zeros(shape)
    return truncated_normal_ppf(rng.random(shape), level)


def truncated_normal_ppf(q: np.ndarray, level: float) -> np.ndarray:
    """The quantiles ``q`` of the standard normal truncated to [-level, level]:
    ``Phi^-1(Phi(-level) + q (1 - 2 Phi(-level)))``, in log space (accurate in the
    tails)."""
    with np.errstate(divide="ignore"):
        log_q = np.log(q)
    log_mass = np.log1p(-2.0 * ndtr(-level))
    return ndtri_exp(np.logaddexp(log_ndtr(-level), log_q + log_mass))


def gsim_draw_key(gsim) -> str:
    """The sorting key of the GSIMs of a rupture in draw order (the order in which
    they take their epsilons from the rupture's stream, and in which their
    realizations are listed for the events): the model's TOML text as OpenQuake
    writes it (:func:`oqcore.hazard.gsim.toml_form.openquake_toml`), compared as
    strings (as OpenQuake orders them)."""
    kwargs = {k: v for k, v in getattr(gsim, "kwargs", {}).items() if k != "mixture_model"}
    return openquake_toml(type(gsim).__name__, kwargs)


def uniform_choice(values: np.ndarray, num: int, seed: int) -> np.ndarray:
    """``num`` values picked uniformly (with replacement) from ``values``: the
    ``default_rng(seed)`` uniforms in [0, 1) placed on the cumulative sums of equal
    weights 1/len(values) (the first sum not below the uniform picks).

    :returns: array (num,) of the dtype of ``values``
    """
    values = np.asarray(values)
    cum = np.repeat(1.0 / len(values), len(values)).cumsum()
    idx = np.searchsorted(cum, np.random.default_rng(seed).random(num))
    return values[np.minimum(idx, len(values) - 1)]


def has_tau_phi(gsim) -> bool:
    """Whether a GSIM splits its standard deviation into between/within terms."""
    types = gsim.DEFINED_FOR_STANDARD_DEVIATION_TYPES
    return INTER_EVENT in types and INTRA_EVENT in types


def check_correlation(gsims: Sequence, correlation) -> None:
    """A spatial correlation model needs GSIMs with between/within-event terms:
    InvalidInput naming the first GSIM without them."""
    if correlation is None:
        return
    for gsim in gsims:
        if not has_tau_phi(gsim):
            raise InvalidInput("%s defines only the total standard deviation: it cannot "
                               "be used with a spatial correlation model" % gsim,
                               param="ground_motion_correlation_model")


def split_truncation(truncation) -> tuple[float | None, float | None]:
    """(between, within) truncation levels of ``truncation``: a pair, or one level
    (None = untruncated) used for both."""
    if isinstance(truncation, tuple):
        return truncation
    return truncation, truncation


def is_zero_level(level: float | None) -> bool:
    """Whether a truncation level makes its epsilons zero (nothing is drawn)."""
    return level is not None and level <= ZERO_LEVEL


def draw_epsilons(rng: np.random.Generator, truncation, num_sites: int, num_events: int,
                  cross=None, imts: Sequence[IMT] | None = None, num_imts: int = 1
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The epsilons of the events of one GSIM, drawn from ``rng`` in this order:

    1. the within-event epsilons, IMT after IMT, each a truncated-normal block
       (N sites, E events) filled row by row (site-major);
    2. the between-event epsilons, IMT after IMT, E values each (or, with a
       cross-correlation model, as that model draws them).

    A zero truncation level of a kind gives zeros of that kind and consumes nothing.

    :returns: (within (M, N, E) float32, between (M, E) float32)
    """
    t_between, t_within = split_truncation(truncation)
    M = len(imts) if imts is not None else num_imts
    N, E = num_sites, num_events
    eps_w = np.zeros((M, N, E), F32)
    if not is_zero_level(t_within):
        for m in range(M):
            eps_w[m] = truncated_normal(rng, t_within, (N, E))
    eps_b = np.zeros((M, E), F32)
    if not is_zero_level(t_between):
        if cross is not None:
            eps_b[:] = cross.sample(rng, t_between, imts, E)
        else:
            for m in range(M):
                eps_b[m] = truncated_normal(rng, t_between, E)
    return eps_w, eps_b


def compute_gmfs(mean_stds: np.ndarray, gsim, num_events: int, rng,
                 truncation, cholesky: Sequence | None = None,
                 cross=None, imts: Sequence[IMT] | None = None, amplify=None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ground-motion fields of ``num_events`` events of one rupture and one GSIM.

    The epsilons come from :func:`draw_epsilons`; the values are computed in float32
    from the float32 means and standard deviations, per IMT ``m`` (N, E):

    * GSIM with between/within terms: ``within = phi * eps_w`` (mixed over the sites
      by ``cholesky[m]`` when given), ``ln = (mean + within) + tau * eps_b``;
    * GSIM with only a total stddev: ``ln = mean + sigma * eps_w`` (eps_b drawn,
      unused, and its stddev reported as NaN);
    * both truncation levels zero: the median ``ln = mean``;

    and ``gmv = exp(ln)`` (for MMI ``gmv = ln``: the GSIM gives it in its units).

    :param mean_stds: (4, M, N) ln-mean, total, between- and within-event stddevs
        of the N sites (as :meth:`GMPE.get_mean_stds` returns them)
    :param gsim: the GSIM (to know whether it has between/within terms)
    :param num_events: E
    :param rng: a numpy Generator (shared by the GSIMs of a rupture) or a seed
    :param truncation: the truncation level of the epsilons (None = untruncated), or
        the pair (between-event level, within-event level); a level 0 gives zero
        epsilons of its kind (both 0: the median field)
    :param cholesky: None, or M lower-triangular (N, N) matrices mixing the within-event
        residuals ``phi * eps_w`` of the N sites (the rows and columns of these sites in
        the Cholesky factor of the correlation matrix of the whole site collection)
    :param cross: None (independent between-event epsilons of the IMTs) or a
        :class:`~oqcore.hazard.cross_correlation.CrossCorrelation` (needs ``imts``)
    :param imts: the M IMT objects (for ``cross`` and MMI)
    :param amplify: None, or a function (m, gmvs (N, E) float32) -> amplified gmvs
        applied to each IMT's values as soon as they are computed (site amplification,
        :class:`~oqcore.hazard.site_amplification.GmfAmplifier`, which draws from
        ``rng``)
    :returns: (gmvs (E, N, M) float32, sig_inter (M, E), eps_inter (M, E));
        sig_inter is NaN for a GSIM with only a total standard deviation
    """
    mean, sig, tau, phi = np.asarray(mean_stds, F32)
    M, N = mean.shape
    E = num_events
    rng = np.random.default_rng(rng)
    split = has_tau_phi(gsim)
    if cholesky is not None and not split:
        raise InvalidInput("%s defines only the total standard deviation: it cannot "
                           "be used with a spatial correlation model" % gsim,
                           param="ground_motion_correlation_model")
    eps_w, eps_b = draw_epsilons(rng, truncation, N, E, cross, imts, M)
    median = all(is_zero_level(t) for t in split_truncation(truncation))
    out = np.empty((E, N, M), F32)
    for m in range(M):
        mu = mean[m][:, None]
        if median:
            ln = np.repeat(mu, E, axis=1)
        elif not split:
            ln = mu + sig[m][:, None] * eps_w[m]
        else:
            within = phi[m][:, None] * eps_w[m]
            if cholesky is not None:
                within = (cholesky[m] @ within.astype(float)).astype(F32)
            ln = mu + within + tau[m][:, None] * eps_b[m]
        mmi = imts is not None and imts[m].string == "MMI"
        gmvs = ln if mmi else np.exp(ln)
        if amplify is not None:
            gmvs = amplify(m, gmvs)
        out[:, :, m] = gmvs.T
    if median:
        sig_inter = np.zeros((M, E), F32)
    elif split:
        sig_inter = np.repeat(tau.max(axis=1)[:, None], E, axis=1)
    else:
        sig_inter = np.full((M, E), np.nan, F32)
    return out, sig_inter, eps_b


def job_truncation(oq, correlation=None) -> tuple[float | None, float | None]:
    """The (between-event, within-event) truncation levels of a job:
    ``truncation_level_between`` / ``truncation_level_within``, each defaulting to
    ``truncation_level`` (None = untruncated).

    :raises InvalidInput: when both are 0 (median fields) with a spatial correlation
        model, which has nothing to correlate
    """
    level = getattr(oq, "truncation_level", None)
    if not isinstance(level, (int, float)):
        level = None
    between = oq.truncation_level_between
    within = oq.truncation_level_within
    pair = (level if between is None else between, level if within is None else within)
    if correlation is not None and pair == (0, 0):
        raise InvalidInput("median ground-motion fields (zero between- and within-event "
                           "truncation levels) cannot use a spatial correlation model",
                           param="ground_motion_correlation_model")
    return pair


def cap_extremes(gmvs: np.ndarray, mean: np.ndarray, max_iml: np.ndarray,
                 imts: Sequence[IMT]) -> None:
    """Replace in place the values above ``max_iml[m]`` by the median of their site
    and IMT (``exp(mean)`` in float32; the mean itself for MMI).

    :param gmvs: (E, N, M) float32; :param mean: (M, N) ln-means
    """
    for m, imt in enumerate(imts):
        if not np.isfinite(max_iml[m]):
            continue
        mu = np.asarray(mean[m], F32)
        median = mu if imt.string == "MMI" else np.exp(mu)
        big = gmvs[:, :, m] > max_iml[m]
        gmvs[:, :, m] = np.where(big, median[None, :], gmvs[:, :, m])


def extreme_imls(extreme_gmv: dict | None, imts: Sequence[str]) -> np.ndarray | None:
    """The ``extreme_gmv`` of each IMT (by name or ``default``), or None when none is
    finite."""
    ex = extreme_gmv or {}
    out = np.array([float(ex.get(imt, ex.get("default", np.inf))) for imt in imts])
    return out if np.isfinite(out).any() else None


def min_imls(minimum_intensity: dict, imts: Sequence[str]) -> np.ndarray:
    """The minimum intensity of each IMT (``minimum_intensity`` of the job: by IMT
    name or ``default``); 0 where none is given."""
    mi = minimum_intensity or {}
    return np.array([float(mi.get(imt, mi.get("default", 0.0))) for imt in imts])


def filter_gmvs(gmvs: np.ndarray, min_iml: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (event, site) pairs to store: those with at least one value reaching the
    minimum intensity of its IMT (their values are kept as they are, even those of
    the other IMTs below their thresholds, as OpenQuake does).

    :param gmvs: (E, N, M) values
    :param min_iml: (M,) thresholds (0 = no threshold)
    :returns: (gmvs, boolean mask (E, N) of the pairs to store)
    """
    keep = ((gmvs >= min_iml) & (gmvs > 0)).any(axis=2)
    return gmvs, keep


def imt_objects(imts: Sequence[str]) -> list[IMT]:
    """IMT objects of IMT strings."""
    return [IMT.from_string(s) for s in imts]


class GmfParams:
    """What the GMF tasks need besides ruptures and sites.

    :param imts: M IMT strings (job order)
    :param truncation_level: of the epsilons (None = untruncated), or the pair
        (between-event level, within-event level)
    :param min_iml: (M,) minimum intensities (values below are zeroed)
    :param correlation: None or a correlation model with ``cholesky(lons, lats, imt)``
    :param cross: None or a between-event cross-correlation model of the IMTs
    :param max_iml: None or (M,) extreme values (``extreme_gmv``): a value above is
        replaced by the median of its site and IMT
    :param amplifier: None or a
        :class:`~oqcore.hazard.site_amplification.GmfAmplifier` (``amplification_csv``)
    :param to_geom_mean: convert the GSIMs' medians and total stddevs to the geometric
        mean of the horizontal components (``horiz_comp_to_geom_mean``)
    """

    def __init__(self, imts, truncation_level, min_iml, correlation=None, cross=None,
                 max_iml=None, amplifier=None, to_geom_mean=False):
        self.imts = list(imts)
        self.max_iml = None if max_iml is None else np.asarray(max_iml, float)
        self.imt_objs = imt_objects(self.imts)
        self.truncation_level = truncation_level
        self.min_iml = np.asarray(min_iml, float)
        self.correlation = correlation
        self.cross = cross
        self.amplifier = amplifier
        self.to_geom_mean = bool(to_geom_mean)
        self._mixing: dict = {}

    def mean_stds(self, gsim, ctx: np.ndarray) -> np.ndarray:
        """``gsim.get_mean_stds`` (4, M, K) at the job's IMTs, the medians and total
        stddevs turned into geometric means when asked and the GSIM's component can be
        converted (the between- and within-event stddevs are kept)."""
        ms = gsim.get_mean_stds(ctx, self.imt_objs)
        component = gsim.DEFINED_FOR_INTENSITY_MEASURE_COMPONENT
        if self.to_geom_mean and convertible(component):
            to_geometric_mean(ms, component, self.imt_objs)
        return ms

    def site_mixing(self, sitecol, imt: IMT) -> np.ndarray:
        """The lower Cholesky factor (N, N) of the within-event correlation matrix of
        all the N sites of ``sitecol`` for ``imt`` (computed once per IMT)."""
        if imt.string not in self._mixing:
            self._mixing[imt.string] = self.correlation.cholesky(
                sitecol.lons, sitecol.lats, imt)
        return self._mixing[imt.string]


def rupture_gmfs(ctx: np.ndarray, gsims: Sequence, gsim_idx: np.ndarray,
                 eids: np.ndarray, rlzs: np.ndarray, seed, params: GmfParams,
                 sitecol, mean_stds: dict | None = None) -> dict:
    """The stored GMF rows of the events of one rupture.

    :param ctx: the rupture's contexts with the sites within the integration distance
    :param gsims: the GSIMs of the rupture's tectonic region type
    :param mean_stds: optional {GSIM index: (4, M, N) mean and stddevs of ``ctx``}
        already computed (else computed here)
    :param gsim_idx: (E,) index in ``gsims`` of the GSIM of each event's realization
    :param eids, rlzs: (E,) event IDs and realizations
    :param seed: the rupture's seed: one ``numpy.random.default_rng(seed)`` stream is
        shared by the GSIMs of the rupture having events, in draw order
        (:func:`gsim_draw_key`; see :func:`compute_gmfs` for the draws of each)
    :returns: dict with ``sid`` (K,), ``eid`` (K,), ``gmv`` (K, M) sorted by (eid, sid)
        and ``sigeps``: a SIGEPS structured array (E,) of the events (eid, rlz_id,
        sig (M,), eps (M,)), sorted by eid; all empty when no ground motion of the
        rupture reaches the minimum intensity
    """
    M = len(params.imts)
    sids = np.asarray(ctx["sids"], np.uint32)
    chol = None
    if params.correlation is not None:
        chol = [params.site_mixing(sitecol, imt)[np.ix_(sids, sids)]
                for imt in params.imt_objs]
    rng = np.random.default_rng(seed)
    amplify = None
    if params.amplifier is not None:
        def amplify(m, gmvs):
            return params.amplifier.amplify(m, gmvs, sids, rng)
    parts_sid, parts_eid, parts_gmv, sigeps = [], [], [], []
    for g in sorted(np.unique(gsim_idx), key=lambda g: gsim_draw_key(gsims[g])):
        sel = np.flatnonzero(gsim_idx == g)
        gsim = gsims[g]
        if mean_stds is not None and g in mean_stds:
            ms = mean_stds[g]
        else:
            ms = params.mean_stds(gsim, ctx)
        gmvs, sig, eps = compute_gmfs(ms, gsim, len(sel), rng,
                                      params.truncation_level, chol, params.cross,
                                      params.imt_objs, amplify)
        if params.max_iml is not None:
            cap_extremes(gmvs, ms[0], params.max_iml, params.imt_objs)
        gmvs, keep = filter_gmvs(gmvs, params.min_iml)
        # the k-th field computed for the GSIM (its events in ID order) is stored for
        # its k-th event by (realization, event ID): OpenQuake 3.26's labelling, which
        # differs from the event order when the GSIM serves several realizations
        label = np.argsort(rlzs[sel], kind="stable")
        e_idx, s_idx = np.nonzero(keep)
        parts_sid.append(sids[s_idx])
        parts_eid.append(eids[sel][label[e_idx]])
        parts_gmv.append(gmvs[e_idx, s_idx])
        # every event has its sigma and epsilon, with or without ground motions above
        # the minimum intensity, when the rupture has some (as OpenQuake stores them)
        ev = np.arange(len(sel))
        se = np.zeros(len(ev), sigeps_dtype(M))
        se["eid"] = eids[sel][ev]
        se["rlz_id"] = rlzs[sel][ev]
        se["sig"] = sig[:, ev].T
        se["eps"] = eps[:, ev].T
        sigeps.append(se)
    if not sum(len(p) for p in parts_sid):  # no ground motion above the minimum
        return dict(sid=np.zeros(0, np.uint32), eid=np.zeros(0, np.uint32),
                    gmv=np.zeros((0, M), F32), sigeps=np.zeros(0, sigeps_dtype(M)))
    sid = np.concatenate(parts_sid)
    eid = np.concatenate(parts_eid).astype(np.uint32)
    gmv = np.concatenate(parts_gmv)
    order = np.lexsort((sid, eid))
    se = np.concatenate(sigeps)
    se = se[np.argsort(se["eid"], kind="stable")]
    return dict(sid=sid[order], eid=eid[order], gmv=gmv[order], sigeps=se)


def sigeps_dtype(M: int) -> np.dtype:
    """Between-event terms of events: eid, rlz_id, sig (M,) and eps (M,)."""
    return np.dtype([("eid", np.uint32), ("rlz_id", np.uint16), ("sig", F32, (M,)),
                     ("eps", F32, (M,))])


@njit(cache=True)
def exceedance_counts(sid, rlz, gmv, levels, out):
    """out[r, s, m, l] += number of rows of site s and realization r with
    gmv[:, m] >= levels[m, l].

    :param sid, rlz: (K,) site and realization of each row
    :param gmv: (K, M) values
    :param levels: (M, L1) increasing levels
    :param out: (R, N, M, L1) counts (float64)
    """
    K, M = gmv.shape
    L1 = levels.shape[1]
    for k in range(K):
        s = sid[k]
        r = rlz[k]
        for m in range(M):
            v = gmv[k, m]
            for lv in range(L1):
                if v >= levels[m, lv]:
                    out[r, s, m, lv] += 1.0
                else:
                    break


def exceedance_counts_numpy(sid, rlz, gmv, levels, R, N) -> np.ndarray:
    """Plain numpy twin of :func:`exceedance_counts`: (R, N, M, L1)."""
    M, L1 = levels.shape
    out = np.zeros((R, N, M, L1))
    for m in range(M):
        for lv in range(L1):
            hit = gmv[:, m] >= levels[m, lv]
            np.add.at(out[:, :, m, lv], (rlz[hit], sid[hit]), 1.0)
    return out


def read_gmfs_csv(fname: str, sitecol, sites_fname: str | None = None) -> dict:
    """Ground-motion fields from a CSV file (``gmfs_file``): columns ``sid`` /
    ``site_id`` (the row of the sites file, in its order) or ``custom_site_id``,
    ``eid`` / ``event_id``, and one ``gmv_<IMT>`` (or ``<IMT>``) column per IMT.

    :param sitecol: the site collection of the job (sorted by lon, lat)
    :param sites_fname: the sites CSV whose rows the site indices refer to (None: the
        indices are site IDs of ``sitecol``)
    :returns: dict with ``imts`` (list), ``sid`` (K,) u4 site IDs of ``sitecol``,
        ``eid`` (K,) u4, ``gmv`` (K, M) f4, sorted by (eid, sid), and ``num_events``
    """
    import csv as _csv
    with open(fname, newline="", encoding="utf-8-sig") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise InvalidInput("empty GMF file", fname=fname)
    rows = list(_csv.reader(lines))
    header = [h.strip() for h in rows[0]]
    site_col = next((h for h in ("sid", "site_id", "custom_site_id") if h in header), None)
    event_col = next((h for h in ("eid", "event_id") if h in header), None)
    if site_col is None or event_col is None:
        raise InvalidInput("the GMF file needs a site column (sid, site_id or "
                           "custom_site_id) and an event column (eid or event_id)",
                           fname=fname, lineno=1)
    imt_cols = [h for h in header if h not in (site_col, event_col, "rlz_id", "rlzi")]
    imts = [h[4:] if h.startswith("gmv_") else h for h in imt_cols]
    for imt, col in zip(imts, imt_cols):
        try:
            IMT.from_string(imt)
        except InvalidInput:
            raise InvalidInput("unknown IMT column %r" % col, fname=fname, lineno=1) from None
    if site_col == "custom_site_id":
        cids = [c.decode() for c in sitecol["custom_site_id"]]
        index = {c: i for i, c in enumerate(cids)}
    else:
        index = _site_index(sitecol, sites_fname)
    pos = {h: i for i, h in enumerate(header)}
    K = len(rows) - 1
    sid = np.zeros(K, np.uint32)
    eid = np.zeros(K, np.uint32)
    gmv = np.zeros((K, len(imts)), F32)
    for k, row in enumerate(rows[1:]):
        lineno = k + 2
        if len(row) != len(header):
            raise InvalidInput("expected %d columns, got %d" % (len(header), len(row)),
                               fname=fname, lineno=lineno)
        key = row[pos[site_col]].strip()
        try:
            s = index[key if site_col == "custom_site_id" else int(key)]
            e = int(row[pos[event_col]])
            vals = [float(row[pos[c]]) for c in imt_cols]
        except (KeyError, ValueError):
            raise InvalidInput("invalid row %s (unknown site or not a number)" % row,
                               fname=fname, lineno=lineno) from None
        if e < 0 or min(vals) < 0:
            raise InvalidInput("negative event ID or ground motion", fname=fname,
                               lineno=lineno)
        sid[k], eid[k], gmv[k] = s, e, vals
    order = np.lexsort((sid, eid))
    return dict(imts=imts, sid=sid[order], eid=eid[order], gmv=gmv[order],
                num_events=int(eid.max()) + 1 if K else 0)


def read_gmfs_hdf5(fname: str) -> tuple[dict, dict]:
    """Ground-motion fields exported by OpenQuake as HDF5 (``gmfs_file = x.hdf5``): a
    group ``gmf_data`` with the columns ``sid``, ``eid``, ``gmv_<m>`` and the attributes
    ``imts`` and ``num_events``, and a group ``sitecol`` with the site columns.

    :returns: (GMFs as :func:`read_gmfs_csv`, sites {column: (N,) array} in the order
        of the file, ``sid`` indexing them)
    """
    import h5py
    try:
        with h5py.File(fname, "r") as h5:
            grp, sgrp = h5["gmf_data"], h5["sitecol"]
            imts = grp.attrs["imts"].split()
            imts = [i.decode() if isinstance(i, bytes) else str(i) for i in imts]
            sid = grp["sid"][()].astype(np.uint32)
            eid = grp["eid"][()].astype(np.uint32)
            gmv = np.column_stack([grp["gmv_%d" % m][()] for m in range(len(imts))]
                                  ).astype(F32) if len(imts) else np.zeros((len(sid), 0))
            num_events = int(grp.attrs["num_events"]) if "num_events" in grp.attrs else (
                int(eid.max()) + 1 if len(eid) else 0)
            sites = {name: sgrp[name][()] for name in sgrp}
    except (OSError, KeyError) as exc:
        raise InvalidInput("not a GMF file exported by OpenQuake (groups gmf_data and "
                           "sitecol): %s" % exc, fname=fname) from None
    for imt in imts:
        IMT.from_string(imt)
    if "sids" in sites:  # the site IDs of the file: its rows
        pos = np.full(int(sites["sids"].max()) + 1 if len(sites["sids"]) else 0, -1,
                      np.int64)
        pos[sites["sids"]] = np.arange(len(sites["sids"]))
        if len(sid) and (sid.max() >= len(pos) or (pos[sid] < 0).any()):
            raise InvalidInput("gmf_data refers to sites missing in sitecol", fname=fname)
        sid = pos[sid].astype(np.uint32) if len(sid) else sid
    if len(eid) and eid.max() >= num_events:
        raise InvalidInput("event IDs beyond num_events=%d" % num_events, fname=fname)
    if len(gmv) and (gmv < 0).any():
        raise InvalidInput("negative ground motion", fname=fname)
    order = np.lexsort((sid, eid))
    return (dict(imts=imts, sid=sid[order], eid=eid[order], gmv=gmv[order],
                 num_events=num_events), sites)


def _site_index(sitecol, sites_fname: str | None) -> dict:
    """{site index of the GMF file: site ID of sitecol}."""
    if sites_fname is None:
        return {i: i for i in range(len(sitecol))}
    from oqcore.hazard.site import read_site_model
    data = read_site_model(sites_fname)
    ids = data.get("site_id", np.arange(len(data["lon"])))
    where = {(round(float(lo), 5), round(float(la), 5)): i
             for i, (lo, la) in enumerate(zip(sitecol.lons, sitecol.lats))}
    out = {}
    for sid, lo, la in zip(ids, data["lon"], data["lat"]):
        key = (round(float(lo), 5), round(float(la), 5))
        if key in where:
            out[int(sid)] = where[key]
    return out
