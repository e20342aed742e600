"""Source-model and GSIM logic trees: parsing (NRML 0.4/0.5), enumeration, sampling.

A realization is one path through the source-model logic tree combined with one path
through the GSIM logic tree; its ``branch_path`` is written as OpenQuake does:
``<source-model path>~<gsim path>``, one character per branch set (``A`` for the
first branch, ``B`` for the second...; ``.`` where a branch set does not apply).
"""
from __future__ import annotations

import itertools
import math
import os
import re
from typing import Any, Sequence

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.inputs import resolve_input
from oqcore.nrml import reader

#: characters encoding branch indices in branch paths
BRANCH_CHARS = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                "%*,-./:;<=>?@[]^_{|}~")
SOURCE_UNCERTAINTIES = {
    "sourceModel", "maxMagGRRelative", "bGRRelative", "abGRAbsolute", "maxMagGRAbsolute",
    "abMaxMagAbsolute",
    "incrementalMFDAbsolute", "simpleFaultDipRelative", "simpleFaultDipAbsolute",
    "simpleFaultGeometryAbsolute", "complexFaultGeometryAbsolute",
    "characteristicFaultGeometryAbsolute", "truncatedGRFromSlipAbsolute",
    "setMSRAbsolute", "setLowerSeismDepthAbsolute", "recomputeMmax", "extendModel",
}
WEIGHT_TOLERANCE = 1e-6


def branch_char(index: int) -> str:
    """The one-character abbreviation of the ``index``-th branch of a branch set."""
    return BRANCH_CHARS[index]


@attrs.frozen
class Branch:
    """A logic-tree branch: ID, uncertainty value (parsed), weight, abbreviation."""
    branch_id: str
    value: Any
    weight: float
    char: str
    text: str = ""
    #: IMT-specific weights (``<uncertaintyWeight imt="SA(1.0)">``), IMT string -> weight
    imt_weights: dict = attrs.field(factory=dict, eq=False, hash=False)

    def weight_for(self, imt: str | None) -> float:
        """The weight of the branch for an IMT (the default weight if not given)."""
        if imt is None:
            return self.weight
        return self.imt_weights.get(imt, self.weight)


@attrs.frozen
class BranchSet:
    """A branch set with its uncertainty type and filters."""
    bs_id: str
    utype: str
    branches: tuple
    apply_to_branches: tuple = ()
    apply_to_sources: tuple = ()
    apply_to_trt: str | None = None
    lineno: int = 0


def _check_weights(bset_node, weights, fname):
    total = math.fsum(weights)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise InvalidInput("branch set %r: the weights %s sum to %s, not 1" % (
            bset_node.get("branchSetID"), weights, total), fname=fname,
            lineno=bset_node.lineno)


def _parse_imt_weights(node) -> dict:
    """IMT-specific weights of a branch: {IMT string: weight}."""
    from oqcore.hazard.imt import IMT
    out = {}
    for w in node.findall("uncertaintyWeight"):
        if "imt" in w.attrib:
            try:
                imt = str(IMT.from_string(w["imt"]))
                out[imt] = float(w.text)
            except (ValueError, InvalidInput):
                raise w.error("invalid IMT-dependent weight %r for %r" % (w.text, w["imt"]))
    return out


def _parse_weight(node) -> float:
    ws = [w for w in node.findall("uncertaintyWeight") if "imt" not in w.attrib]
    if not ws:
        raise node.error("<%s> has no <uncertaintyWeight>" % node.tag)
    w = ws[0]
    try:
        value = float(w.text)
    except ValueError:
        raise w.error("invalid weight %r" % w.text)
    if not 0 <= value <= 1:
        raise w.error("weight %s is not in [0, 1]" % value)
    return value


def _branchset_nodes(tree_node):
    """Branch sets in file order (inside branching levels for NRML 0.4, direct in 0.5)."""
    out = []
    for child in tree_node:
        if child.tag == "logicTreeBranchingLevel":
            out.extend(child.findall("logicTreeBranchSet"))
        elif child.tag == "logicTreeBranchSet":
            out.append(child)
    return out


def _parse_source_value(utype: str, text: str, node, fname: str):
    t = text.strip()
    try:
        if utype in ("maxMagGRRelative", "bGRRelative", "maxMagGRAbsolute",
                     "simpleFaultDipRelative", "simpleFaultDipAbsolute",
                     "setLowerSeismDepthAbsolute"):
            return float(t)
        if utype == "abGRAbsolute":
            a, b = (float(x) for x in t.split())
            return (a, b)
        if utype == "abMaxMagAbsolute":
            a, b, mmax = (float(x) for x in t.split())
            return (a, b, mmax)
        if utype == "incrementalMFDAbsolute":
            mfd = node.child("uncertaintyModel").find("incrementalMFD")
            if mfd is None:
                raise node.error("incrementalMFDAbsolute needs an <incrementalMFD>")
            rates = mfd.child("occurRates").floats()
            return (float(mfd["minMag"]), float(mfd["binWidth"]), rates)
    except (ValueError, TypeError):
        raise InvalidInput("invalid %s value %r" % (utype, t), fname=fname, lineno=node.lineno)
    if utype == "sourceModel":
        return t
    return node.child("uncertaintyModel")  # geometry uncertainties keep their node


class SourceModelLogicTree:
    """The source-model logic tree.

    :ivar branchsets: in file order; the first has uncertaintyType sourceModel
    :ivar fname: the logic-tree file
    :ivar input_root: the directory the source model files must be inside (None:
        anywhere, see :func:`oqcore.inputs.resolve_input`)
    """

    def __init__(self, branchsets: list[BranchSet], fname: str = "",
                 input_root: str | None = None):
        self.branchsets = branchsets
        self.fname = fname
        self.input_root = input_root

    @classmethod
    def from_file(cls, fname: str, input_root: str | None = None,
                  check_files: bool = True) -> "SourceModelLogicTree":
        """Parse and validate a source_model_logic_tree.xml (its source model files
        inside ``input_root`` when given; their existence checked unless
        ``check_files`` is False, for a tree validated alone)."""
        root = reader.parse(fname)
        if root.tag != "logicTree":
            raise root.error("expected <logicTree>, got <%s>" % root.tag)
        bsets = []
        seen_ids: set[str] = set()
        for i, bs in enumerate(_branchset_nodes(root)):
            utype = bs.attr("uncertaintyType")
            if utype not in SOURCE_UNCERTAINTIES:
                raise bs.error("unknown uncertaintyType %r" % utype)
            if i == 0 and utype != "sourceModel":
                raise bs.error("the first branch set must be of type sourceModel")
            branches = []
            for j, br in enumerate(bs.findall("logicTreeBranch")):
                bid = br.attr("branchID")
                if bid in seen_ids:
                    raise br.error("duplicated branchID %r" % bid)
                seen_ids.add(bid)
                text = br.child("uncertaintyModel").text
                value = _parse_source_value(utype, text, br, fname)
                if utype == "sourceModel":
                    for path in text.split():
                        full = resolve_input(path, os.path.dirname(fname), input_root,
                                             fname=fname, lineno=br.lineno)
                        if check_files and not os.path.exists(full):
                            raise br.error("source model file not found: %s" % path)
                branches.append(Branch(bid, value, _parse_weight(br), branch_char(j), text))
            if not branches:
                raise bs.error("branch set %r has no branches" % bs.get("branchSetID"))
            _check_weights(bs, [b.weight for b in branches], fname)
            bsets.append(BranchSet(
                bs.get("branchSetID", "bs%d" % i), utype, tuple(branches),
                tuple(bs.get("applyToBranches", "").split()),
                tuple(bs.get("applyToSources", "").split()),
                bs.get("applyToTectonicRegionType"), bs.lineno))
        if not bsets:
            raise root.error("the logic tree has no branch sets")
        return cls(bsets, fname, input_root)

    @classmethod
    def single(cls, source_model_path: str, input_root: str | None = None
               ) -> "SourceModelLogicTree":
        """A trivial tree with one source model (``source_model_file`` in the job.ini)."""
        name = os.path.basename(source_model_path)
        br = Branch("b1", name, 1.0, "A", name)
        return cls([BranchSet("bs0", "sourceModel", (br,))],
                   os.path.join(os.path.dirname(source_model_path), "_"), input_root)

    def _applies(self, bset: BranchSet, chosen: list[Branch]) -> bool:
        if not bset.apply_to_branches:
            return True
        ids = {b.branch_id for b in chosen if b is not None}
        return bool(ids & set(bset.apply_to_branches))

    def paths(self) -> list[tuple[tuple, float]]:
        """Every full path: ((branch or None per branch set), weight), in enumeration order."""
        out: list[tuple[tuple, float]] = []

        def walk(i, chosen, weight):
            if i == len(self.branchsets):
                out.append((tuple(chosen), weight))
                return
            bset = self.branchsets[i]
            if not self._applies(bset, chosen):
                walk(i + 1, chosen + [None], weight)
                return
            for br in bset.branches:
                walk(i + 1, chosen + [br], weight * br.weight)
        walk(0, [], 1.0)
        return out


    def source_model_files(self, path: tuple) -> list[str]:
        """The absolute source model files of a path."""
        base = os.path.dirname(self.fname)
        return [resolve_input(p, base, self.input_root, fname=self.fname)
                for p in path[0].value.split()]

    def modifications(self, path: tuple) -> list[tuple[BranchSet, Branch]]:
        """The (branch set, branch) pairs after the source model, where they apply."""
        return [(bs, br) for bs, br in zip(self.branchsets[1:], path[1:]) if br is not None]




def path_string(path: tuple) -> str:
    """Branch abbreviations of a path, ``.`` where a branch set did not apply."""
    return "".join(b.char if b is not None else "." for b in path)


# ------------------------------------------------------------------ GSIMs
_TOML_HEAD = re.compile(r"^\s*\[\s*([A-Za-z_][\w]*)\s*\]\s*$")


def parse_gsim(text: str, registry, fname: str | None = None, lineno: int | None = None):
    """A GSIM instance from ``Name`` or the TOML form ``[Name]\\nkey = value``."""
    text = text.strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    kwargs: dict[str, Any] = {}
    if lines and _TOML_HEAD.match(lines[0]):
        name = _TOML_HEAD.match(lines[0]).group(1)
        import tomllib
        try:
            kwargs = tomllib.loads("\n".join(lines[1:]))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput("invalid arguments for %s: %s" % (name, exc), fname=fname,
                               lineno=lineno) from None
    else:
        name = text
    if fname:  # file arguments are relative to the logic-tree file, as in OpenQuake
        base = os.path.dirname(os.path.abspath(fname))
        for k, v in kwargs.items():
            if k.endswith(("_file", "_table")) and isinstance(v, str):
                kwargs[k] = os.path.normpath(os.path.join(base, v))
    try:
        cls = registry.gsim(name)
    except KeyError:
        from oqcore.errors import UnknownPlugin
        known = list(registry.gsims())
        raise InvalidInput("unknown GSIM %r%s" % (name, _did_you_mean(name, known)),
                           fname=fname, lineno=lineno) from UnknownPlugin("GSIM", name, [])
    try:
        return cls(**kwargs)
    except InvalidInput as exc:
        raise InvalidInput(exc.msg, fname=fname, lineno=lineno) from None
    except TypeError as exc:
        raise InvalidInput("%s: %s" % (name, exc), fname=fname, lineno=lineno) from None


def _did_you_mean(name, known):
    import difflib
    close = difflib.get_close_matches(name, known, n=1)
    return " (did you mean %r?)" % close[0] if close else ""


class GsimLogicTree:
    """The GSIM logic tree: one gmpeModel branch set per tectonic region type.

    :ivar branchsets: list of BranchSet (values are GSIM instances), file order
    """

    def __init__(self, branchsets: list[BranchSet], fname: str = ""):
        self.branchsets = branchsets
        self.fname = fname

    @classmethod
    def from_file(cls, fname: str, registry) -> "GsimLogicTree":
        """Parse a gsim_logic_tree.xml; unknown models/arguments name file and line."""
        root = reader.parse(fname)
        if root.tag != "logicTree":
            raise root.error("expected <logicTree>, got <%s>" % root.tag)
        bsets = []
        trts = set()
        for i, bs in enumerate(_branchset_nodes(root)):
            utype = bs.attr("uncertaintyType")
            if utype != "gmpeModel":
                raise bs.error("uncertaintyType %r is not allowed in a GSIM logic tree" % utype)
            trt = bs.get("applyToTectonicRegionType")
            if trt is None:
                raise bs.error("missing applyToTectonicRegionType")
            if trt in trts:
                raise bs.error("two branch sets for %r" % trt)
            trts.add(trt)
            branches = []
            for j, br in enumerate(bs.findall("logicTreeBranch")):
                um = br.child("uncertaintyModel")
                gsim = parse_gsim(um.text, registry, fname, um.lineno)
                branches.append(Branch(br.attr("branchID"), gsim, _parse_weight(br),
                                       branch_char(j), um.text.strip(),
                                       _parse_imt_weights(br)))
            if not branches:
                raise bs.error("branch set %r has no branches" % bs.get("branchSetID"))
            _check_weights(bs, [b.weight for b in branches], fname)
            for imt in {i for b in branches for i in b.imt_weights}:
                _check_weights(bs, [b.weight_for(imt) for b in branches], fname)
            bsets.append(BranchSet(bs.get("branchSetID", "bs%d" % i), utype, tuple(branches),
                                   apply_to_trt=trt, lineno=bs.lineno))
        return cls(bsets, fname)

    @classmethod
    def from_gsim(cls, text: str, registry, trts: Sequence[str] = ("*",)) -> "GsimLogicTree":
        """The trivial tree of ``gsim = Name`` in a job.ini (same model for every TRT)."""
        gsim = parse_gsim(text, registry, None, None)
        return cls([BranchSet("bs%d" % i, "gmpeModel", (Branch("b1", gsim, 1.0, "A", text),),
                              apply_to_trt=trt) for i, trt in enumerate(trts)])

    @property
    def trts(self) -> list[str]:
        """Tectonic region types, in branch-set order (alphabetical after reduce)."""
        return [bs.apply_to_trt for bs in self.branchsets]

    def reduce(self, trts: Sequence[str]) -> "GsimLogicTree":
        """The tree restricted to the given TRTs (those of the source models), matched
        case-insensitively; ``*`` branch sets are renamed to each TRT."""
        wanted = {t.lower(): t for t in trts}
        out = []
        for bs in self.branchsets:
            if bs.apply_to_trt == "*":
                for t in trts:
                    out.append(attrs.evolve(bs, apply_to_trt=t))
            elif bs.apply_to_trt.lower() in wanted:
                out.append(attrs.evolve(bs, apply_to_trt=wanted[bs.apply_to_trt.lower()]))
        out.sort(key=lambda bs: bs.apply_to_trt)  # the reference orders TRTs alphabetically
        missing = set(wanted) - {bs.apply_to_trt.lower() for bs in out}
        if missing:
            raise InvalidInput("the GSIM logic tree has no branch set for %s" % ", ".join(
                sorted(wanted[m] for m in missing)), fname=self.fname)
        return GsimLogicTree(out, self.fname)

    def paths(self) -> list[tuple[tuple, float]]:
        """Every combination of branches (one per branch set) and its weight."""
        out = []
        for combo in itertools.product(*[bs.branches for bs in self.branchsets]):
            w = 1.0
            for b in combo:
                w *= b.weight
            out.append((combo, w))
        return out


    def gsims_by_trt(self) -> dict[str, list]:
        """TRT -> distinct GSIMs of its branch set."""
        return {bs.apply_to_trt: [b.value for b in bs.branches] for bs in self.branchsets}


@attrs.frozen
class Realization:
    """One logic-tree realization.

    :ivar ordinal: 0..R-1
    :ivar sm_path: the source-model path (branches or None)
    :ivar gsim_path: the GSIM path (one branch per TRT branch set)
    :ivar weight: the realization weight (1/R when sampling)
    """
    ordinal: int
    sm_path: tuple
    gsim_path: tuple
    weight: float
    trts: tuple
    #: IMT -> weight where the GSIM logic tree has IMT-dependent weights
    imt_weights: dict = attrs.field(factory=dict, eq=False, hash=False)

    def weight_for(self, imt: str | None) -> float:
        """The realization weight for an IMT."""
        if imt is None:
            return self.weight
        return self.imt_weights.get(imt, self.weight)

    @property
    def branch_path(self) -> str:
        """``<sm path>~<gsim path>``."""
        return path_string(self.sm_path) + "~" + path_string(self.gsim_path)

    def gsim_by_trt(self) -> dict:
        """TRT -> the GSIM of this realization."""
        return {trt: b.value for trt, b in zip(self.trts, self.gsim_path)}


def uniform_numbers(size, seed: int, sampling_method: str = "early_weights") -> np.ndarray:
    """Uniform numbers in [0, 1) of shape ``size`` (latin hypercube for *_latin)."""
    xs = np.random.default_rng(seed).uniform(size=size)
    if sampling_method.endswith("latin"):
        if np.ndim(xs) == 1:
            return (np.argsort(xs) + xs) / len(xs)
        s = xs.shape[0]
        for i in range(xs.shape[1]):
            xs[:, i] = (np.argsort(xs[:, i]) + xs[:, i]) / s
    return xs


def _choose(branches: Sequence[Branch], x: float, sampling_method: str) -> Branch:
    if sampling_method.startswith("early"):
        idx = int(np.searchsorted(np.cumsum([b.weight for b in branches]), x))
    else:  # late: all branches equally likely, weights applied afterwards
        n = len(branches)
        idx = int(np.searchsorted(np.arange(1 / n, 1, 1 / n), x))
    return branches[min(idx, len(branches) - 1)]


def path_id(path: tuple) -> str:
    """The path ID: branch IDs joined by ``~`` (``.`` where a branch set does not apply)."""
    return "~".join(b.branch_id if b is not None else "." for b in path)


def _path_weight(path: tuple) -> float:
    w = 1.0
    for b in path:
        if b is not None:
            w *= b.weight
    return w


def realizations(smlt: SourceModelLogicTree, gslt_by_path, num_samples: int = 0,
                 seed: int = 42, sampling_method: str = "early_weights") -> list[Realization]:
    """Enumerate (``num_samples`` = 0) or sample the realizations, as OpenQuake orders them.

    Full enumeration: source-model paths sorted by path ID, each combined with every
    GSIM path (product of the TRT branch sets). Sampling: ``num_samples`` source-model
    paths drawn with ``seed`` (grouped by path ID) and as many GSIM paths drawn with
    ``seed + 1``; early_* weights are 1/R, late_* weights are the branch products
    normalised.

    :param gslt_by_path: function sm path -> the reduced GsimLogicTree of that path
    """
    out: list[Realization] = []
    if num_samples == 0:
        paths = sorted(smlt.paths(), key=lambda pw: path_id(pw[0]))
        for sm_path, sm_w in paths:
            gslt = gslt_by_path(sm_path)
            trts = tuple(gslt.trts)
            for gpath, gw in gslt.paths():
                out.append(Realization(len(out), sm_path, gpath, sm_w * gw, trts,
                                       _imt_weights(sm_w, gpath)))
        return _normalise(out)
    nbs = len(smlt.branchsets)
    probs = uniform_numbers((num_samples, nbs), seed, sampling_method)
    sampled = []
    for row in probs:
        chosen: list = []
        for i, bset in enumerate(smlt.branchsets):
            if not smlt._applies(bset, chosen):
                chosen.append(None)
                continue
            chosen.append(_choose(bset.branches, row[i], sampling_method))
        sampled.append(tuple(chosen))
    sampled.sort(key=path_id)  # grouped by path, as the reference does
    gslt = gslt_by_path(sampled[0])
    T = len(gslt.branchsets)
    gprobs = uniform_numbers((num_samples, T), seed + 1, sampling_method)
    for i in range(num_samples):
        sm_path = sampled[i]
        g = gslt_by_path(sm_path)
        gpath = tuple(_choose(bs.branches, gprobs[i, t], sampling_method)
                      for t, bs in enumerate(g.branchsets))
        if sampling_method.startswith("early"):
            w = 1.0 / num_samples
        else:
            w = _path_weight(sm_path) * _path_weight(gpath)
        # with sampling the reference uses the default weight for every IMT
        out.append(Realization(i, sm_path, gpath, w, tuple(g.trts)))
    return _normalise(out)


def _imt_weights(sm_weight: float, gpath: tuple) -> dict:
    imts = {i for b in gpath for i in b.imt_weights}
    out = {}
    for imt in imts:
        w = sm_weight
        for b in gpath:
            w *= b.weight_for(imt)
        out[imt] = w
    return out


def _normalise(rlzs: list) -> list:
    """Rescale the weights (default and per IMT) to sum to 1."""
    total = sum(r.weight for r in rlzs)
    imts = {i for r in rlzs for i in r.imt_weights}
    totals = {i: sum(r.weight_for(i) for r in rlzs) for i in imts}
    if abs(total - 1) <= 1e-12 and all(abs(t - 1) <= 1e-12 for t in totals.values()):
        return rlzs
    return [attrs.evolve(r, weight=r.weight / total,
                         imt_weights={i: r.weight_for(i) / totals[i] for i in imts})
            for r in rlzs]
