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
from typing import Any, Sequence

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.toml_form import parse_gsim  # noqa: F401 (re-exported)
from oqcore.inputs import resolve_input
from oqcore.nrml import reader

#: characters encoding branch indices in branch paths
BRANCH_CHARS = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                "%*,-./:;<=>?@[]^_{|}~")
#: every source-model uncertainty type of OpenQuake 3.26 (the first branch set is
#: ``sourceModel``; ``extendModel`` adds source files to the path's model; the others
#: modify sources, see :mod:`oqcore.hazard.source.modify`)
SOURCE_UNCERTAINTIES = {
    "sourceModel", "extendModel",
    # MFD parameters
    "maxMagGRRelative", "maxMagGRRelativeNoMoBalance", "maxMagGRAbsolute",
    "bGRRelative", "bGRAbsolute", "abGRAbsolute", "abMaxMagAbsolute",
    "bACRelative", "bACAbsolute",
    "maxMagAndDeltaMagACRelative", "maxMagAndDeltaMagACRelativeNoMoBalance",
    "incrementalMFDAbsolute", "truncatedGRFromSlipAbsolute", "recomputeMmax",
    # geometry and rupture parameters
    "simpleFaultDipRelative", "simpleFaultDipAbsolute",
    "simpleFaultGeometryAbsolute", "complexFaultGeometryAbsolute",
    "characteristicFaultGeometryAbsolute", "areaSourceGeometryAbsolute",
    "setMSRAbsolute", "setAspectRatioAbsolute", "setAspectRatioRelative",
    "setLowerSeismDepthAbsolute", "setLowerSeismDepthRelative",
    "setUpperSeismDepthAbsolute", "setUpperSeismDepthRelative",
}
#: branch values that are pairs / triples of floats
_FLOAT_TUPLES = {"abGRAbsolute": 2, "maxMagAndDeltaMagACRelative": 2,
                 "maxMagAndDeltaMagACRelativeNoMoBalance": 2, "abMaxMagAbsolute": 3}
#: branch values kept as their <uncertaintyModel> node (geometries)
_NODE_VALUES = {"simpleFaultGeometryAbsolute", "complexFaultGeometryAbsolute",
                "characteristicFaultGeometryAbsolute"}
#: the dummy branch of a path where a branch set does not apply
DUMMY_ID = "."
WEIGHT_TOLERANCE = 1e-6


def branch_char(index: int) -> str:
    """The one-character abbreviation of the ``index``-th branch of a branch set."""
    return BRANCH_CHARS[index]


@attrs.frozen
class Branch:
    """A logic-tree branch: ID, uncertainty value (parsed), weight, abbreviation."""
    branch_id: str
    #: the parsed value; compared through ``text`` (it may be an array or a node)
    value: Any = attrs.field(eq=False)
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


def _parse_source_value(utype: str, node, fname: str):
    """The value of a source-model branch from its ``<uncertaintyModel>``: file names
    (sourceModel, extendModel), a MSR, an area polygon, fault activity data, a node
    (fault geometries), a tuple of floats or a float (every other type)."""
    um = node.child("uncertaintyModel")
    text = (um.text or "").strip()
    if utype in ("sourceModel", "extendModel"):
        return text  # may be empty: a branch without (extra) sources
    if utype in _NODE_VALUES:
        return um
    if utype == "setMSRAbsolute":
        from oqcore.hazard.source.scaling import msr_from_text
        try:
            return msr_from_text(text)
        except InvalidInput as exc:
            raise um.error(exc.msg) from None
    try:
        if utype == "incrementalMFDAbsolute":
            mfd = um.find("incrementalMFD")
            if mfd is None:
                raise um.error("incrementalMFDAbsolute needs an <incrementalMFD>")
            rates = mfd.child("occurRates").floats()
            return (float(mfd["minMag"]), float(mfd["binWidth"]), rates)
        if utype == "truncatedGRFromSlipAbsolute":
            fad = um.find("faultActivityData")
            if fad is None:
                raise um.error("truncatedGRFromSlipAbsolute needs a <faultActivityData>")
            return (fad.attr("slipRate", float), fad.attr("rigidity", float),
                    fad.attr("constant_term", float, 9.1))
        if utype == "areaSourceGeometryAbsolute":
            geom = um.child("areaGeometry")
            pos = geom.child("Polygon").child("exterior").child("LinearRing").child("posList")
            coo = pos.floats()
            if len(coo) % 2 or len(coo) < 6:
                raise pos.error("a polygon needs at least 3 lon, lat pairs")
            usd = geom.child("upperSeismoDepth").float_text()
            lsd = geom.child("lowerSeismoDepth").float_text()
            return (np.array(coo[::2]), np.array(coo[1::2]), usd, lsd)
        if utype in _FLOAT_TUPLES:
            values = tuple(float(x) for x in text.split())
            if len(values) != _FLOAT_TUPLES[utype]:
                raise ValueError
            return values
        return float(text)
    except InvalidInput:
        raise
    except (ValueError, TypeError):
        n = _FLOAT_TUPLES.get(utype, 1)
        raise InvalidInput("invalid %s value %r: expected %s" % (
            utype, text, "a float" if n == 1 else "%d floats separated by spaces" % n),
            fname=fname, lineno=um.lineno) from None


def _dummy_branch() -> Branch:
    """A fresh dummy branch (a path through a branch set that does not apply to it)."""
    return Branch(DUMMY_ID, None, 1.0, DUMMY_ID)


class SourceModelLogicTree:
    """The source-model logic tree.

    The branch sets form a tree as in OpenQuake: a branch set follows every branch of
    the previous one, or only the branches named in its ``applyToBranches`` (the
    others then continue through a dummy branch, ``.`` in branch paths). A path is
    the tuple of branches met from the root to a leaf (dummy branches included).

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
        self._link()

    def _link(self) -> None:
        """Attach each branch set to the branches it follows (``self._child``:
        id(branch) -> child branch-set index or dummy branch)."""
        self._child: dict[int, Any] = {}
        self._bset_of: dict[int, int] = {}
        self._dummies: list[Branch] = []  # keeps the dummy branches alive
        by_id = {}
        for k, bset in enumerate(self.branchsets):
            for br in bset.branches:
                self._bset_of[id(br)] = k
        previous = list(self.branchsets[0].branches)
        by_id.update((b.branch_id, b) for b in previous)
        for k, bset in enumerate(self.branchsets[1:], 1):
            prev_ids = [b.branch_id for b in previous]
            targets = list(bset.apply_to_branches) or prev_ids
            dummies = []
            if set(prev_ids) - set(targets):
                for bid in targets:
                    br = by_id.get(bid)
                    if br is None:
                        raise InvalidInput(
                            "branch set %r: applyToBranches names %r, which is not a "
                            "branch of a previous branch set" % (bset.bs_id, bid),
                            fname=self.fname, lineno=bset.lineno)
                    if isinstance(self._child.get(id(br)), int):
                        raise InvalidInput(
                            "branch set %r: branch %r already has a child branch set "
                            "(%r)" % (bset.bs_id, bid,
                                      self.branchsets[self._child[id(br)]].bs_id),
                            fname=self.fname, lineno=bset.lineno)
                    self._child[id(br)] = k
                # every open end not named goes on through a dummy branch (OpenQuake
                # extends only one of several dummy ends, in no defined order)
                for br in previous:
                    if br.branch_id not in targets:
                        dummy = _dummy_branch()
                        self._dummies.append(dummy)
                        self._child[id(br)] = dummy
                        dummies.append(dummy)
            else:
                for br in previous:
                    self._child[id(br)] = k
            by_id.update((b.branch_id, b) for b in bset.branches)
            previous = list(bset.branches) + dummies

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
        seen_bsets: set[str] = set()
        for i, bs in enumerate(_branchset_nodes(root)):
            utype = bs.attr("uncertaintyType")
            if utype == "gmpeModel":
                raise bs.error("uncertaintyType gmpeModel is not allowed in a source-model "
                               "logic tree")
            if utype not in SOURCE_UNCERTAINTIES:
                raise bs.error("unknown uncertaintyType %r" % utype)
            if i == 0 and utype != "sourceModel":
                raise bs.error("the first branch set must be of type sourceModel")
            if i > 0 and utype == "sourceModel":
                raise bs.error("only the first branch set can be of type sourceModel")
            _check_filters(bs, utype)
            bs_id = bs.get("branchSetID", "bs%d" % i)
            if bs_id in seen_bsets:
                raise bs.error("duplicated branchSetID %r" % bs_id)
            seen_bsets.add(bs_id)
            branches = []
            texts = []
            empty: list[Branch] = []
            for j, br in enumerate(bs.findall("logicTreeBranch")):
                bid = br.attr("branchID")
                if bid in seen_ids:
                    raise br.error("duplicated branchID %r" % bid)
                seen_ids.add(bid)
                text = br.child("uncertaintyModel").text or ""
                texts.append(text.strip())
                value = _parse_source_value(utype, br, fname)
                if utype in ("sourceModel", "extendModel"):
                    for path in text.split():
                        full = resolve_input(path, os.path.dirname(fname), input_root,
                                             fname=fname, lineno=br.lineno)
                        if check_files and not os.path.exists(full):
                            raise br.error("source model file not found: %s" % path)
                if j >= len(BRANCH_CHARS):
                    raise bs.error("branch set %r has more than %d branches: split it" % (
                        bs_id, len(BRANCH_CHARS)))
                branch = Branch(bid, value, _parse_weight(br), branch_char(j), text.strip())
                if utype in ("sourceModel", "extendModel") and not value:
                    empty.append(branch)
                else:
                    branches.append(branch)
            if empty:  # the branches without files are one, last (as OpenQuake does)
                branches.append(attrs.evolve(empty[-1], weight=math.fsum(
                    b.weight for b in empty)))
            if not branches:
                raise bs.error("branch set %r has no branches" % bs_id)
            if "".join(texts) and len(set(texts)) < len(texts):
                raise bs.error("branch set %r has duplicated uncertainty values: %s" % (
                    bs_id, " ".join(texts)))
            _check_weights(bs, [b.weight for b in branches], fname)
            bsets.append(BranchSet(
                bs_id, utype, tuple(branches),
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

    def _next(self, branch: Branch):
        """What follows a branch: a branch-set index, a dummy branch or None (leaf)."""
        return self._child.get(id(branch))

    def paths(self) -> list[tuple[tuple, float]]:
        """Every full path: (branches from the root, dummies included; weight), in
        tree order."""
        out: list[tuple[tuple, float]] = []

        def follow(branch, prefix, weight):
            path, weight = prefix + (branch,), weight * branch.weight
            nxt = self._next(branch)
            if nxt is None:
                out.append((path, weight))
            elif isinstance(nxt, int):
                for br in self.branchsets[nxt].branches:
                    follow(br, path, weight)
            else:
                follow(nxt, path, weight)
        for br in self.branchsets[0].branches:
            follow(br, (), 1.0)
        return out

    def sample_path(self, xs: Sequence[float], sampling_method: str) -> tuple:
        """The path chosen by the uniform numbers ``xs`` (one per branch set)."""
        chosen = []
        k = 0
        while True:
            br = _choose(self.branchsets[k].branches, xs[k], sampling_method)
            chosen.append(br)
            nxt = self._next(br)
            while isinstance(nxt, Branch):  # dummy branches
                chosen.append(nxt)
                nxt = self._next(nxt)
            if nxt is None:
                return tuple(chosen)
            k = nxt

    def source_model_files(self, path: tuple) -> list[str]:
        """The absolute source model files of a path (the sourceModel branch)."""
        return self.files_of(path[0])

    def files_of(self, branch: Branch) -> list[str]:
        """The absolute files of a sourceModel or extendModel branch."""
        base = os.path.dirname(self.fname)
        return [resolve_input(p, base, self.input_root, fname=self.fname)
                for p in branch.value.split()]

    def modifications(self, path: tuple) -> list[tuple[BranchSet, Branch]]:
        """The (branch set, branch) pairs after the source model that change the
        sources of a path: as in OpenQuake, they stop at the first dummy branch
        (a branch set that did not apply ends the modifications of the path)."""
        out = []
        for br in path[1:]:
            if br.branch_id == DUMMY_ID and br.value is None:
                break
            out.append((self.branchsets[self._bset_of[id(br)]], br))
        return out


def _check_filters(bs, utype: str) -> None:
    """The filters a branch set may have (OpenQuake's rules): none on sourceModel,
    at most one of applyToSources / applyToTectonicRegionType, applyToSources on
    the dip uncertainties."""
    filters = [f for f in ("applyToSources", "applyToTectonicRegionType") if f in bs.attrib]
    if utype == "sourceModel" and filters:
        raise bs.error("filters are not allowed on the sourceModel branch set")
    if len(filters) > 1:
        raise bs.error("only one filter is allowed per branch set, got %s" % " and ".join(
            filters))
    if utype.startswith("simpleFaultDip") and "applyToSources" not in bs.attrib:
        raise bs.error("uncertainty of type %r must define applyToSources" % utype)


def path_string(path: tuple) -> str:
    """Branch abbreviations of a path, ``.`` for a dummy branch (or a GSIM branch
    set that does not apply)."""
    return "".join(b.char if b is not None else "." for b in path)


# ------------------------------------------------------------------ GSIMs
class GsimLogicTree:
    """The GSIM logic tree: one gmpeModel branch set per tectonic region type.

    :ivar branchsets: list of BranchSet (values are GSIM instances), file order
    """

    def __init__(self, branchsets: list[BranchSet], fname: str = ""):
        self.branchsets = branchsets
        self.fname = fname

    @classmethod
    def from_file(cls, fname: str, registry, input_root: str | None = None
                  ) -> "GsimLogicTree":
        """Parse a gsim_logic_tree.xml; unknown models/arguments name file and line.
        Files named by models (GMPE tables) must lie inside ``input_root``."""
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
                gsim = parse_gsim(um.text, registry, fname, um.lineno, um.attrib,
                                  input_root)
                # the branchID is optional (OpenQuake names GSIM branches itself)
                bid = br.get("branchID") or "g%s%d" % (branch_char(j), i)
                branches.append(Branch(bid, gsim, _parse_weight(br),
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
    def from_gsim(cls, text: str, registry, trts: Sequence[str] = ("*",),
                  job_ini: str | None = None, input_root: str | None = None
                  ) -> "GsimLogicTree":
        """The trivial tree of ``gsim = Name`` in a job.ini (same model for every TRT);
        file arguments (a GMPE table) are relative to ``job_ini`` and must lie inside
        ``input_root`` (when given)."""
        gsim = parse_gsim(text, registry, job_ini, None, input_root=input_root)
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


    def check_branchset_ids(self, bs_ids: Sequence[str], param: str) -> None:
        """Raise InvalidInput naming ``param`` if an ID is no branch set of the tree."""
        known = [bs.bs_id for bs in self.branchsets]
        unknown = [i for i in bs_ids if i not in known]
        if unknown:
            raise InvalidInput("no GSIM branch set %s in %s (branch sets: %s)" % (
                ", ".join(unknown), os.path.basename(self.fname) or "the GSIM logic tree",
                ", ".join(known)), param=param)

    def collapse(self, bs_ids: Sequence[str]) -> "GsimLogicTree":
        """The tree where each branch set named in ``bs_ids`` (``branchSetID``, job
        parameter ``collapse_gsim_logic_tree``) with more than one branch becomes a
        single branch ``gA<i>`` (``i``: the index of its TRT) whose model averages the
        probabilities of exceedance of the branches' models with the branches'
        weights (:class:`~oqcore.hazard.gsim.composite.AvgPoeGMPE`); its weight is the
        sum of theirs. IMT-dependent weights are not used by the collapsed branch.
        IDs of no branch set here are ignored (see :meth:`check_branchset_ids`).
        """
        from oqcore.hazard.gsim.composite import AvgPoeGMPE
        out = []
        for i, bs in enumerate(self.branchsets):
            if bs.bs_id not in bs_ids or len(bs.branches) < 2:
                out.append(bs)
                continue
            models = iter([b.value for b in bs.branches])
            spec = {b.branch_id: {type(b.value).__name__: dict(b.value.kwargs, weight=b.weight)}
                    for b in bs.branches}
            # the branches' models are already built: hand them over in order
            gsim = AvgPoeGMPE(resolve=lambda name, kwargs, it=models: next(it), **spec)
            branch = Branch("gA%d" % i, gsim, sum(b.weight for b in bs.branches),
                            branch_char(0), str(gsim))
            out.append(attrs.evolve(bs, branches=(branch,)))
        return GsimLogicTree(out, self.fname)

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
    sampled = [smlt.sample_path(row, sampling_method) for row in probs]
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
