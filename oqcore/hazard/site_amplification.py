"""Site amplification functions (``amplification_csv``) of classical hazard jobs and of
ground-motion fields (event_based, scenario and the GMF risk jobs).

The CSV file starts with a comment line holding ``vs30_ref=<m/s>``, the vs30 of the
reference rock the functions amplify, then has the columns

* ``ampcode``: the site class, matched with the ``ampcode`` field of the site model (a
  file with a single class serves every site without an ``ampcode``);
* ``level`` (optional): the rock intensity (g) of the row; the factors are interpolated
  linearly between levels and kept constant beyond the first and last ones; without it a
  class has one row, the same factors at every level;
* ``from_mag``, ``from_rrup`` (optional, kernel method only): the lower bounds of the
  magnitude and rupture-distance (km) bin of the row; a rupture uses the bin of the
  largest bounds not above its magnitude and distance (the first bin below them all);
* one column per IMT (PGA, SA(T)): the median amplification factor (soil / rock);
* ``sigma_<IMT>`` (optional): the standard deviation of the factor's natural logarithm
  (0 when missing: a certain factor).

Two methods (``amplification_method``):

* ``convolution`` (the default) amplifies the rock hazard curve of each site and
  realization: the curve is resampled (log-log interpolation) on a geometric grid of rock
  intensities starting at the first job level, with ratio 0.9 times the smallest ratio of
  consecutive ``soil_intensities``, kept in [1.05, 1.1], up to the highest level of
  non-zero PoE; each grid interval occurs with the difference of the PoEs at its ends
  and, at its arithmetic mid-point x, exceeds a soil level s with probability
  ``1 - Phi((ln(s / x) - ln(AF(x))) / sigma(x))``; the soil curve, at the
  ``soil_intensities``, sums these products (:func:`amplify_curve`).
* ``kernel`` amplifies the ground motion of each rupture-site context: the (truncated)
  lognormal rock motion of the GSIM is cut into 39 intervals of ln(intensity), equally
  spaced from 4 times the largest sigma of the table below the job's first level to as
  much above its last level; an interval whose intensities have arithmetic mean x
  exceeds the job level s on soil with the probability above, the factor being the one of
  the rupture's magnitude-distance bin (:func:`kernel_poes`). The hazard curves are on
  the job's levels.

Ground-motion fields are amplified value by value (:class:`GmfAmplifier`): a rock value
x becomes ``AF(x) * x * exp(sigma(x) * eps)``, eps a standard normal of the rupture's
random stream.

``vs30_tolerance`` (m/s) bounds the difference between the sites' vs30 and ``vs30_ref``,
and GSIMs defined for a reference vs30 below ``vs30_ref`` are refused; a negative
tolerance disables both checks.
"""
from __future__ import annotations

import csv
from typing import Sequence

import attrs
import numpy as np
from scipy.special import ndtr

from oqcore.errors import InvalidInput
from oqcore.hazard.imt import IMT
from oqcore.hazard.stats import truncnorm_sf
from oqcore.risk.consequence import csv_rows

#: columns that are not IMTs
KEY_COLUMNS = ("ampcode", "level", "from_mag", "from_rrup")
#: PoEs at or below this are treated as zero by the convolution
TINY_POE = 1e-100
#: the kernel method cuts the rock motion into KERNEL_POINTS - 1 intervals spanning the
#: job's levels +- KERNEL_SIGMAS times the largest sigma of the table
KERNEL_POINTS = 40
KERNEL_SIGMAS = 4.0


@attrs.frozen
class AmplificationFunction:
    """The amplification of one site class (and magnitude-distance bin).

    :param levels: (K,) increasing rock intensities (g), or None: one row for all levels
    :param medians: IMT string -> (K,) median factors (soil / rock)
    :param sigmas: IMT string -> (K,) stddevs of the factors' natural logarithms
    """
    levels: np.ndarray | None
    medians: dict
    sigmas: dict

    def at(self, imt: str, imls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Median factors and log stddevs, both (n,), at rock intensities ``imls`` (n,)
        in g (linear interpolation, constant beyond the first and last levels)."""
        med, sig = self.medians[imt], self.sigmas[imt]
        if self.levels is None:
            return np.full(len(imls), med[0]), np.full(len(imls), sig[0])
        return np.interp(imls, self.levels, med), np.interp(imls, self.levels, sig)


@attrs.frozen
class AmplificationTable:
    """The amplification functions of an ``amplification_csv`` file.

    :param fname: the file
    :param vs30_ref: m/s, the reference rock of the functions
    :param imts: the IMT columns
    :param functions: (ampcode, from_mag, from_rrup) -> AmplificationFunction (the
        bounds are 0 without bins)
    :param bins: ampcode -> (magnitude lower bounds (increasing), distance lower bounds
        (km, increasing))
    :param binned: whether the file has from_mag/from_rrup columns
    """
    fname: str
    vs30_ref: float
    imts: list
    functions: dict
    bins: dict
    binned: bool

    @property
    def codes(self) -> list[str]:
        """The site classes of the table, in file order."""
        return list(self.bins)

    def max_sigma(self) -> float:
        """The largest log stddev of the table (every class, bin and IMT)."""
        return max((float(s.max()) for fn in self.functions.values()
                    for s in fn.sigmas.values()), default=0.0)

    def bin_bounds(self, code: str, mags: np.ndarray, rrups: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
        """The magnitude and distance (km) lower bounds of the bins of class ``code``
        for ruptures of magnitudes ``mags`` at ``rrups`` km (both (K,)): the largest
        bounds not above them, the first ones for values below every bound."""
        mag_bounds, dist_bounds = self.bins[code]
        i = np.searchsorted(mag_bounds, mags, side="right") - 1
        j = np.searchsorted(dist_bounds, rrups, side="right") - 1
        return mag_bounds[np.maximum(i, 0)], dist_bounds[np.maximum(j, 0)]

    def function(self, code: str, mag: float = 0.0, rrup: float = 0.0
                 ) -> AmplificationFunction:
        """The function of class ``code`` for a rupture of magnitude ``mag`` at
        ``rrup`` km (see :meth:`bin_bounds`)."""
        m, d = self.bin_bounds(code, np.array([mag]), np.array([rrup]))
        return self.functions[code, float(m[0]), float(d[0])]


def _header_params(fname: str) -> tuple[dict, int]:
    """The key=value cells of the comment lines before the header of a CSV, and the
    line number of the header."""
    params: dict = {}
    with open(fname, newline="", encoding="utf-8-sig") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            if not line.startswith("#"):
                return params, lineno
            for cell in next(csv.reader([line.lstrip("#")]), []):
                key, eq, value = cell.partition("=")
                if eq:
                    params[key.strip()] = value.strip().strip("'\"")
    raise InvalidInput("no header line (ampcode, <IMT>...)", fname=fname)


def _number(row: dict, col: str, fname: str, lineno: int, low: float = -np.inf,
            strict: bool = False) -> float:
    """The float in column ``col``, finite and above ``low`` (or not below it)."""
    try:
        value = float(row[col])
    except ValueError:
        raise InvalidInput("%s=%r is not a number" % (col, row[col]), fname=fname,
                           lineno=lineno) from None
    if not np.isfinite(value) or value < low or (strict and value == low):
        raise InvalidInput("%s=%s must be %s %s" % (col, row[col], ">" if strict else ">=",
                                                   low), fname=fname, lineno=lineno)
    return value


def read_amplification_table(fname: str) -> AmplificationTable:
    """Read and check an ``amplification_csv`` file (see the module docstring).

    :raises InvalidInput: naming the file, the line and the reason
    """
    try:
        params, header_line = _header_params(fname)
        rows = list(csv_rows(fname))
    except UnicodeDecodeError as exc:
        raise InvalidInput("not a UTF-8 text file (byte %d)" % exc.start,
                           fname=fname) from None
    if "vs30_ref" not in params:
        raise InvalidInput("missing vs30_ref=<m/s> in the comment line before the header",
                           fname=fname, lineno=1)
    try:
        vs30_ref = float(params["vs30_ref"])
    except ValueError:
        vs30_ref = float("nan")
    if not vs30_ref > 0 or not np.isfinite(vs30_ref):
        raise InvalidInput("vs30_ref=%s is not a positive number" % params["vs30_ref"],
                           fname=fname, lineno=1)
    if not rows:
        raise InvalidInput("no amplification functions", fname=fname, lineno=header_line)
    header = rows[0][1]
    imts = _imt_columns(header, fname, header_line)
    has_level = "level" in header
    binned = "from_mag" in header or "from_rrup" in header
    if binned and not ("from_mag" in header and "from_rrup" in header):
        raise InvalidInput("from_mag and from_rrup go together", fname=fname,
                           lineno=header_line)
    data: dict = {}  # (code, mag, rrup) -> [(level, medians (I,), sigmas (I,), lineno)]
    for lineno, _, row in rows:
        code = row["ampcode"]
        if not code:
            raise InvalidInput("empty ampcode", fname=fname, lineno=lineno)
        if len(code.encode()) > 8:
            raise InvalidInput("ampcode %r is longer than 8 characters" % code,
                               fname=fname, lineno=lineno)
        mag = _number(row, "from_mag", fname, lineno) if binned else 0.0
        rrup = _number(row, "from_rrup", fname, lineno, 0.0) if binned else 0.0
        level = _number(row, "level", fname, lineno, 0.0, strict=True) if has_level else 0.0
        meds = [_number(row, col, fname, lineno, 0.0, strict=True) for col in imts.values()]
        sigs = [_number(row, "sigma_" + col, fname, lineno, 0.0)
                if "sigma_" + col in header else 0.0 for col in imts.values()]
        group = data.setdefault((code, mag, rrup), [])
        for other in group:
            if other[0] == level:
                raise InvalidInput("duplicate function for ampcode %s%s%s (line %d)" % (
                    code, " from_mag=%s from_rrup=%s" % (mag, rrup) if binned else "",
                    " level=%s" % level if has_level else "", other[3]),
                    fname=fname, lineno=lineno)
        group.append((level, meds, sigs, lineno))
    functions, bins = {}, {}
    for (code, mag, rrup), group in data.items():
        group.sort(key=lambda g: g[0])
        med = np.array([g[1] for g in group]).T  # (I, K)
        sig = np.array([g[2] for g in group]).T
        functions[code, mag, rrup] = AmplificationFunction(
            np.array([g[0] for g in group]) if has_level else None,
            dict(zip(imts, med)), dict(zip(imts, sig)))
        mags, dists = bins.setdefault(code, (set(), set()))
        mags.add(mag)
        dists.add(rrup)
    bins = {code: (np.array(sorted(m)), np.array(sorted(d))) for code, (m, d) in bins.items()}
    for code, (mags, dists) in bins.items():  # every magnitude bin has every distance
        for mag in mags:
            for rrup in dists:
                if (code, float(mag), float(rrup)) not in functions:
                    raise InvalidInput("ampcode %s has no function for from_mag=%s "
                                       "from_rrup=%s (every magnitude bin needs every "
                                       "distance bin)" % (code, mag, rrup), fname=fname)
    return AmplificationTable(fname, vs30_ref, list(imts), functions, bins, binned)


def _imt_columns(header: Sequence[str], fname: str, lineno: int) -> dict[str, str]:
    """IMT string -> its column in the header (``SA(5)`` is the IMT ``SA(5.0)``), in
    order, after checking every column."""
    if "ampcode" not in header:
        raise InvalidInput("missing column ampcode", fname=fname, lineno=lineno)
    if len(set(header)) < len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise InvalidInput("duplicate column %s" % dup, fname=fname, lineno=lineno)
    imts: dict = {}
    for col in header:
        if col in KEY_COLUMNS or col.startswith("sigma_"):
            continue
        try:
            imt = IMT.from_string(col)
        except InvalidInput:
            raise InvalidInput("unknown column %r (expected ampcode, level, from_mag, "
                               "from_rrup, PGA, SA(T), sigma_<IMT>)" % col, fname=fname,
                               lineno=lineno) from None
        if imt.name not in ("PGA", "SA"):
            raise InvalidInput("site amplification works only with PGA and SA, got %s"
                               % col, fname=fname, lineno=lineno)
        if str(imt) in imts:
            raise InvalidInput("columns %s and %s are the same IMT" % (imts[str(imt)], col),
                               fname=fname, lineno=lineno)
        imts[str(imt)] = col
    for col in header:
        if col.startswith("sigma_") and col[6:] not in header:
            raise InvalidInput("column %s has no column %s" % (col, col[6:]),
                               fname=fname, lineno=lineno)
    if not imts:
        raise InvalidInput("no IMT column (PGA, SA(T))", fname=fname, lineno=lineno)
    return imts


def _check_imts(table: AmplificationTable, imts: Sequence[str], param: str) -> None:
    """Refuse job IMTs missing from the table or other than PGA and SA."""
    missing = [imt for imt in imts if imt not in table.imts]
    if missing:
        raise InvalidInput("no amplification column for %s (of the job's %s)"
                           % (", ".join(missing), param), fname=table.fname)
    for imt in imts:
        if IMT.from_string(imt).name not in ("PGA", "SA"):
            raise InvalidInput("site amplification works only with PGA and SA, got %s"
                               % imt, param=param)


def check_job(table: AmplificationTable, oq) -> None:
    """Refuse a job whose parameters do not fit its amplification table: IMTs other
    than PGA and SA or missing from the table, soil_intensities missing (convolution,
    at least 2 increasing) or given (kernel), bins with the convolution method."""
    _check_imts(table, oq.imts, "intensity_measure_types_and_levels")
    soil = oq.soil_intensities
    if oq.amplification_method == "convolution":
        if table.binned:
            raise InvalidInput("from_mag/from_rrup bins need amplification_method = "
                               "kernel", fname=table.fname)
        if not soil or len(soil) < 2:
            raise InvalidInput("the convolution method needs at least 2 soil intensities",
                               param="soil_intensities")
        if np.any(np.diff(soil) <= 0) or soil[0] <= 0:
            raise InvalidInput("must be positive and increasing", param="soil_intensities")
    elif soil:
        raise InvalidInput("used only by amplification_method = convolution (the kernel "
                           "method amplifies to the job's levels)", param="soil_intensities")


def check_gmf_job(table: AmplificationTable, oq) -> None:
    """Refuse a GMF job (event_based, scenario) whose parameters do not fit its
    amplification table: IMTs other than PGA and SA or missing from the table,
    ``soil_intensities``, magnitude-distance bins (classical kernel method only)."""
    _check_imts(table, oq.imts, "intensity_measure_types")
    if table.binned:
        raise InvalidInput("from_mag/from_rrup bins are used only by the kernel method "
                           "of classical jobs, not to amplify ground-motion fields",
                           fname=table.fname)
    if oq.soil_intensities:
        raise InvalidInput("used only by classical jobs (amplification_method = "
                           "convolution)", param="soil_intensities")


def read_job_amplification(oq, sitecol, gsims: Sequence = (), gmfs: bool = False
                           ) -> tuple:
    """The amplification functions of a job (``amplification_csv``) and the class of
    each site, after checking them against the job (:func:`check_job`, or
    :func:`check_gmf_job` for a job amplifying ground-motion fields), its sites and
    GSIMs (:func:`check_vs30`).

    :returns: (AmplificationTable, (N,) site classes)
    """
    table = read_amplification_table(oq.inputs["amplification"])
    (check_gmf_job if gmfs else check_job)(table, oq)
    sm = oq.inputs.get("site_model")
    codes = site_codes(table, sitecol, sm if isinstance(sm, str) or not sm else sm[0])
    arr = sitecol.array
    ref = getattr(oq, "reference_vs30_value", None)
    vs30 = arr["vs30"] if "vs30" in arr.dtype.names else np.full(
        len(arr), ref if ref else np.nan)
    check_vs30(table, vs30, oq.vs30_tolerance, gsims)
    return table, codes


def site_codes(table: AmplificationTable, sitecol, site_model: str | None = None
               ) -> np.ndarray:
    """The amplification class of each site, (N,) strings: the site model's ``ampcode``,
    the table's only class for sites without one.

    :raises InvalidInput: for a class missing from the table, or a site without class
        when the table has several
    """
    arr = sitecol.array
    n = len(arr)
    raw = arr["ampcode"] if "ampcode" in arr.dtype.names else np.full(n, b"")
    codes = np.array([c.decode() if isinstance(c, bytes) else str(c) for c in raw],
                     dtype=object)
    blank = codes == ""
    if blank.any():
        if len(table.codes) > 1:
            i = int(np.flatnonzero(blank)[0])
            raise InvalidInput("site %d (%s %s) has no ampcode and %s has several "
                               "amplification functions (%s)" % (
                                   i, arr["lon"][i], arr["lat"][i], table.fname,
                                   " ".join(table.codes)), fname=site_model)
        codes[blank] = table.codes[0]
    missing = sorted(set(codes) - set(table.codes))
    if missing:
        raise InvalidInput("the sites' ampcode %s %s not in %s (%s)" % (
            " ".join(missing), "is" if len(missing) == 1 else "are", table.fname,
            " ".join(table.codes)), fname=site_model)
    return codes


def check_vs30(table: AmplificationTable, vs30: np.ndarray, tolerance: float,
               gsims: Sequence = ()) -> None:
    """Refuse sites whose vs30 (m/s) differs from the table's ``vs30_ref`` by more
    than ``tolerance`` m/s, and GSIMs defined for a reference rock softer than it
    (a negative tolerance disables both checks)."""
    if tolerance < 0:
        return
    for gsim in gsims:
        ref = getattr(gsim, "DEFINED_FOR_REFERENCE_VELOCITY", None)
        if ref and ref < table.vs30_ref:
            raise InvalidInput("%s is defined for a reference vs30 of %s m/s, below "
                               "vs30_ref=%s of the amplification functions" % (
                                   gsim, ref, table.vs30_ref), fname=table.fname,
                               lineno=1)
    bad = np.flatnonzero(np.abs(np.asarray(vs30, float) - table.vs30_ref) > tolerance)
    if len(bad):
        raise InvalidInput("vs30=%s of site %d differs from vs30_ref=%s of %s by more "
                           "than %s m/s" % (vs30[bad[0]], bad[0], table.vs30_ref,
                                            table.fname, tolerance),
                           param="vs30_tolerance")


def exceedance_given_rock(soil_levels: np.ndarray, rock_imls: np.ndarray,
                          medians: np.ndarray, sigmas: np.ndarray) -> np.ndarray:
    """P(soil motion > s | rock motion x) for soil levels s (A,) and rock intensities x
    (n,) with median factors and log stddevs (n,): (A, n); a zero stddev gives a step
    (1 below the amplified motion, 0 above, 0.5 at it)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.log(soil_levels[:, None] / (rock_imls * medians)[None, :])
        z = dev / sigmas[None, :]
    step = np.where(dev < 0, 1.0, np.where(dev > 0, 0.0, 0.5))
    return np.where(sigmas[None, :] > 0, ndtr(-z), step)


def rock_grid(rock_levels: np.ndarray, soil_levels: np.ndarray) -> np.ndarray:
    """The geometric grid of rock intensities (g) of the convolution: from the lowest
    rock level up to the first point at or above the highest one, with ratio 0.9 times
    the smallest ratio of consecutive soil levels, kept within [1.05, 1.1]."""
    ratio = float(np.min(soil_levels[1:] / soil_levels[:-1])) * 0.9
    ratio = min(max(ratio, 1.05), 1.1)
    grid = [float(np.min(rock_levels))]
    top = float(np.max(rock_levels))
    while grid[-1] < top:
        grid.append(grid[-1] * ratio)
    return np.array(grid)


def amplify_curve(rock_levels: np.ndarray, rock_poes: np.ndarray, soil_levels: np.ndarray,
                  fn: AmplificationFunction, imt: str) -> np.ndarray:
    """Convolution of one rock hazard curve with an amplification function.

    :param rock_levels: (L1,) increasing rock intensities (g)
    :param rock_poes: (L1,) PoEs of the rock curve
    :param soil_levels: (A,) increasing soil intensities (g)
    :param fn: the amplification function of the site
    :param imt: the IMT of the curve
    :returns: (A,) PoEs of the soil curve (see the module docstring)
    """
    positive = rock_poes > TINY_POE
    if not positive.any():
        return np.zeros(len(soil_levels))
    levels, poes = rock_levels[positive], rock_poes[positive]
    grid = rock_grid(rock_levels, soil_levels)
    grid = grid[grid <= levels.max()]
    grid_poes = 10.0 ** np.interp(np.log10(grid), np.log10(levels), np.log10(poes))
    occurrence = -np.diff(grid_poes)  # (n,) probability of each interval
    mids = (grid[:-1] + grid[1:]) / 2
    medians, sigmas = fn.at(imt, mids)
    return exceedance_given_rock(soil_levels, mids, medians, sigmas) @ occurrence


def amplify_curves(table: AmplificationTable, codes: np.ndarray, imtls: dict,
                   soil_levels: Sequence[float], poes: np.ndarray) -> np.ndarray:
    """Soil hazard curves of every realization and site by convolution.

    :param codes: (N,) amplification class of each site (:func:`site_codes`)
    :param imtls: IMT -> rock levels (L1,) of the job
    :param soil_levels: (A,) soil intensities (g)
    :param poes: (R, N, M, L1) rock PoEs
    :returns: (R, N, M, A) soil PoEs
    """
    soil = np.asarray(soil_levels, float)
    R, N, M, _ = poes.shape
    out = np.zeros((R, N, M, len(soil)))
    for m, (imt, levels) in enumerate(imtls.items()):
        levels = np.asarray(levels, float)
        for n in range(N):
            fn = table.function(codes[n])
            for r in range(R):
                out[r, n, m] = amplify_curve(levels, poes[r, n, m], soil, fn, imt)
    return out


def kernel_poes(mean: np.ndarray, sig: np.ndarray, loglevels: np.ndarray,
                truncation_level, max_sigma: float, fn: AmplificationFunction,
                imt: str) -> np.ndarray:
    """PoEs on soil of the contexts of one amplification function (kernel method).

    :param mean: (K,) ln-means of the rock motion (g)
    :param sig: (K,) their total stddevs
    :param loglevels: (L1,) ln of the job's levels (g) of the IMT
    :param truncation_level: of the rock motion's normal distribution (None: none)
    :param max_sigma: the largest log stddev of the amplification table
    :param fn: the amplification function (of the class and bin of the contexts)
    :param imt: the IMT
    :returns: (K, L1) PoEs
    """
    edges = np.linspace(loglevels.min() - KERNEL_SIGMAS * max_sigma,
                        loglevels.max() + KERNEL_SIGMAS * max_sigma, KERNEL_POINTS)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (edges[None, :] - mean[:, None]) / sig[:, None]  # (K, P)
    sf = truncnorm_sf(truncation_level, z)
    occurrence = sf[:, :-1] - sf[:, 1:]  # (K, P-1) rock motion in each interval
    mids = (np.exp(edges[:-1]) + np.exp(edges[1:])) / 2
    medians, sigmas = fn.at(imt, mids)
    return occurrence @ exceedance_given_rock(np.exp(loglevels), mids, medians, sigmas).T


@attrs.define
class KernelAmplifier:
    """The kernel method for a :class:`~oqcore.hazard.contexts.ContextMaker`.

    :param table: the amplification functions
    :param codes: (N,) class of each site
    :param imts: the IMT strings of the job (M)
    :param loglevels: (M, L1) ln of the job's levels
    :param truncation_level: of the GSIMs' normal distributions
    """
    table: AmplificationTable
    codes: np.ndarray
    imts: list
    loglevels: np.ndarray
    truncation_level: float | None

    def poes(self, mean: np.ndarray, sig: np.ndarray, sids: np.ndarray, mags: np.ndarray,
             rrups: np.ndarray) -> np.ndarray:
        """Soil PoEs (K, M*L1) of K contexts from their rock ln-means and stddevs
        (M, K), site indices, magnitudes and rupture distances (km) (K,)."""
        M, L1 = self.loglevels.shape
        K = len(sids)
        out = np.zeros((K, M * L1))
        max_sigma = self.table.max_sigma()
        codes = self.codes[sids]
        groups = []  # (function, context indices)
        for code in np.unique(codes):
            rows = np.flatnonzero(codes == code)
            bounds = np.column_stack(self.table.bin_bounds(code, mags[rows], rrups[rows]))
            keys, inverse = np.unique(bounds, axis=0, return_inverse=True)
            for b, (mag, rrup) in enumerate(keys):
                groups.append((self.table.functions[code, float(mag), float(rrup)],
                               rows[inverse.ravel() == b]))
        for fn, idx in groups:
            for m, imt in enumerate(self.imts):
                out[idx, m * L1:(m + 1) * L1] = kernel_poes(
                    mean[m, idx], sig[m, idx], self.loglevels[m], self.truncation_level,
                    max_sigma, fn, imt)
        return out


@attrs.define
class GmfAmplifier:
    """Amplification of ground-motion fields: each value x (g) of a site is multiplied
    by the median factor of its class at rock level x and by a lognormal noise of the
    class's sigma at x (drawn from the rupture's random stream, site by site, E values
    each, after the IMT's fields are computed: OpenQuake's order of draws).

    :param table: the amplification functions
    :param codes: (N,) class of each site of the site collection
    :param imts: the M IMT strings of the job
    """
    table: AmplificationTable
    codes: np.ndarray
    imts: list

    def amplify(self, m: int, gmvs: np.ndarray, sids: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
        """Amplified values (n, E) float32 of IMT ``m`` for rock values ``gmvs`` (n, E)
        in g at the sites ``sids`` (n,)."""
        out = np.empty_like(gmvs)
        imt = self.imts[m]
        for i, sid in enumerate(sids):
            medians, sigmas = self.table.function(self.codes[sid]).at(imt, gmvs[i])
            noise = rng.normal(np.zeros(len(gmvs[i])), sigmas)
            out[i] = np.exp(np.log(medians * gmvs[i]) + noise)
        return out


def curve_levels(imtls: dict, inputs: dict, method: str,
                 soil_intensities: Sequence[float] | None) -> dict:
    """IMT -> levels of the stored hazard curves: the ``soil_intensities`` of every IMT
    when the curves are amplified by convolution, else the job's levels ``imtls``."""
    if "amplification" in inputs and method == "convolution" and soil_intensities:
        return {imt: list(soil_intensities) for imt in imtls}
    return dict(imtls)


def refuse(oq, calculator: str) -> None:
    """Refuse ``amplification_csv`` in a calculator that does not amplify."""
    if "amplification" in oq.inputs:
        raise InvalidInput("site amplification functions are not supported by %s (only "
                           "by classical, event_based and scenario jobs)" % calculator,
                           param="amplification_csv")
