"""Fragility models (NRML 0.5, and 0.4 discrete/continuous sets): for each taxonomy,
the probability of reaching or exceeding each limit state at a ground-motion value.

Discrete functions interpolate linearly between given points; continuous ones are
lognormal CDFs with the given mean and standard deviation (in IML units), clipped to
[minIML, maxIML]. Below ``noDamageLimit`` the probabilities are 0.
"""
from __future__ import annotations

import attrs
import numpy as np
from scipy.special import ndtr

from oqcore.nrml import reader


@attrs.define
class FragilityFunctions:
    """The D limit-state curves of one taxonomy.

    :ivar id: taxonomy or risk ID
    :ivar imt: intensity measure type
    :ivar limit_states: D names
    :ivar format: ``discrete`` or ``continuous``
    :ivar imls: (L,) levels of a discrete function
    :ivar poes: (D, L) probabilities of a discrete function
    :ivar params: (D, 2) mean and stddev of a continuous function
    :ivar no_damage_limit: IML below which nothing is damaged (or None)
    :ivar min_iml, max_iml: clipping range of a continuous function
    """
    id: str
    imt: str
    limit_states: list
    format: str
    imls: np.ndarray | None = None
    poes: np.ndarray | None = None
    params: np.ndarray | None = None
    no_damage_limit: float | None = None
    min_iml: float = 0.0
    max_iml: float = np.inf

    @property
    def first_iml(self) -> float:
        """The lowest intensity the function is defined from: the no-damage limit when
        below the first level of a discrete function, else that level; ``minIML`` for a
        continuous one (OpenQuake's lowest level of the function, the ``minimum_intensity``
        of GMFs computed for it)."""
        if self.format == "discrete":
            ndl = self.no_damage_limit
            return float(ndl) if ndl and ndl < self.imls[0] else float(self.imls[0])
        return float(self.min_iml)

    def poes_of(self, gmvs: np.ndarray) -> np.ndarray:
        """Probabilities of exceedance of each limit state, (D, n) for n values."""
        gmvs = np.asarray(gmvs, float)
        D = len(self.limit_states)
        out = np.zeros((D, len(gmvs)))
        if self.format == "discrete":
            xs, ys = self.imls, self.poes
            ndl = self.no_damage_limit
            if ndl is not None and ndl < xs[0]:
                xs = np.concatenate([[ndl], xs])
                ys = np.concatenate([np.zeros((D, 1)), ys], axis=1)
            for d in range(D):
                out[d] = np.interp(gmvs, xs, ys[d], left=0.0)
        else:
            x = np.clip(gmvs, self.min_iml, self.max_iml)
            for d, (mean, std) in enumerate(self.params):
                sig = np.sqrt(np.log(1.0 + (std / mean) ** 2))
                mu = np.log(mean) - sig ** 2 / 2.0
                with np.errstate(divide="ignore"):
                    out[d] = ndtr((np.log(x) - mu) / sig) if sig > 0 else (
                        np.log(x) >= mu).astype(float)
        if self.no_damage_limit is not None:
            out[:, gmvs < self.no_damage_limit] = 0.0
        return out

    def to_dict(self) -> dict:
        """A JSON-friendly form (stored in the ``crm`` table)."""
        d = {"kind": "fragility", "id": self.id, "imt": self.imt, "format": self.format,
             "limit_states": self.limit_states, "no_damage_limit": self.no_damage_limit}
        if self.format == "discrete":
            d.update(imls=self.imls.tolist(), poes=self.poes.tolist())
        else:
            d.update(params=self.params.tolist(), min_iml=self.min_iml,
                     max_iml=None if np.isinf(self.max_iml) else self.max_iml)
        return d


#: damage fractions below this are taken as zero (OpenQuake's threshold: it removes the
#: round-off of the differences of PoEs, and the negative fractions of crossing curves)
MIN_DAMAGE_FRACTION = 1e-7


def damage_fractions(poes: np.ndarray) -> np.ndarray:
    """Fractions in each damage state (D+1, n) from limit-state PoEs (D, n), as
    OpenQuake computes them: state i = Pi - Pi+1, the last = PD, each set to zero below
    :data:`MIN_DAMAGE_FRACTION` (so a state whose PoE is below the next one's, where
    the curves cross, gets none), and no damage = what the damage states leave."""
    poes = np.asarray(poes, float)
    D, n = poes.shape
    out = np.empty((D + 1, n))
    out[1:D] = poes[:-1] - poes[1:]
    out[D] = poes[-1]
    out[1:][out[1:] < MIN_DAMAGE_FRACTION] = 0.0
    out[0] = np.maximum(1.0 - out[1:].sum(axis=0), 0.0)
    return out


def _ff(node: reader.Node, limit_states: list) -> FragilityFunctions:
    fid = node.attr("id")
    fmt = node.attr("format")
    inode = node.child("imls")
    imt = inode.attr("imt")
    ndl = inode.attr("noDamageLimit", float, None)
    if fmt == "discrete":
        imls = np.array(inode.floats())
        if len(imls) == 0 or np.any(imls < 0) or np.any(np.diff(imls) <= 0):
            raise inode.error("function %s: the IMLs must be >= 0 and strictly "
                              "increasing" % fid)
        rows = {}
        for p in node.findall("poes"):
            ls = p.attr("ls")
            if ls not in limit_states:
                raise p.error("function %s: unknown limit state %r (%s)" % (
                    fid, ls, " ".join(limit_states)))
            vals = np.array(p.floats())
            if len(vals) != len(imls):
                raise p.error("function %s: %d PoEs for %d IMLs" % (fid, len(vals),
                                                                      len(imls)))
            if np.any((vals < 0) | (vals > 1)):
                raise p.error("function %s: PoEs must be in [0, 1]" % fid)
            if np.any(np.diff(vals) < 0):
                raise p.error("function %s, limit state %s: the PoEs must not decrease "
                              "with the IML" % (fid, ls))
            rows[ls] = (p, vals)
        missing = [ls for ls in limit_states if ls not in rows]
        if missing:
            raise node.error("function %s: no PoEs for %s" % (fid, ", ".join(missing)))
        # a limit state with PoEs above those of a milder one is allowed, as in
        # OpenQuake (e.g. a function reaching only the last state): damage_fractions
        # then gives the milder state nothing
        poes = np.array([rows[ls][1] for ls in limit_states])
        return FragilityFunctions(fid, imt, limit_states, "discrete", imls=imls,
                                  poes=poes, no_damage_limit=ndl)
    if fmt != "continuous":
        raise node.error("function %s: unknown format %r (discrete or continuous)" % (
            fid, fmt))
    params = {}
    for p in node.findall("params"):
        ls = p.attr("ls")
        if ls not in limit_states:
            raise p.error("function %s: unknown limit state %r" % (fid, ls))
        mean, std = p.attr("mean", float), p.attr("stddev", float)
        if mean <= 0 or std < 0:
            raise p.error("function %s: mean must be > 0 and stddev >= 0" % fid)
        params[ls] = (mean, std)
    missing = [ls for ls in limit_states if ls not in params]
    if missing:
        raise node.error("function %s: no params for %s" % (fid, ", ".join(missing)))
    min_iml = inode.attr("minIML", float, 0.0)
    max_iml = inode.attr("maxIML", float, np.inf)
    if max_iml <= min_iml:
        raise inode.error("function %s: maxIML must be greater than minIML" % fid)
    return FragilityFunctions(fid, imt, limit_states, "continuous",
                              params=np.array([params[ls] for ls in limit_states]),
                              no_damage_limit=ndl, min_iml=min_iml, max_iml=max_iml)


def read_fragility(fname: str) -> tuple[str | None, list, dict[str, FragilityFunctions]]:
    """Read a fragility model.

    :returns: (loss category or None, limit states, {function ID: FragilityFunctions})
    """
    node = reader.parse(fname)
    if node.tag != "fragilityModel":
        raise node.error("expected <fragilityModel>, got <%s>" % node.tag)
    lsnode = node.child("limitStates")
    limit_states = lsnode.text.split()
    if not limit_states:
        raise lsnode.error("no limit states")
    if len(set(limit_states)) != len(limit_states):
        raise lsnode.error("repeated limit state")
    out: dict = {}
    for ff in node.findall("fragilityFunction"):
        f = _ff(ff, limit_states)
        if f.id in out:
            raise ff.error("duplicate fragility function %r" % f.id)
        out[f.id] = f
    if not out:
        raise node.error("the fragility model has no functions")
    return node.get("lossCategory"), limit_states, out
