"""The hazard model of a job: logic trees, source models (with logic-tree
modifications applied), realizations and GSIMs per tectonic region type."""
from __future__ import annotations

import copy
import os

import attrs

from oqcore.errors import InvalidInput
from oqcore.nrml import reader
from oqcore.hazard import logictree as lt
from oqcore.hazard.source.model import (SourceConverter, read_geometry_file,
                                        read_source_model)
from oqcore.hazard.source.modify import apply_uncertainty


@attrs.define
class SourceModel:
    """The sources of one source-model logic-tree path, grouped by TRT.

    :ivar path: the branches of the path
    :ivar sources_by_trt: {trt: [sources]} (modifications applied)
    :ivar rlzs: ordinals of the realizations using it
    """
    path: tuple
    sources_by_trt: dict
    rlzs: list = attrs.field(factory=list)


@attrs.define
class HazardModel:
    """Everything a hazard calculator needs from the logic trees."""
    smlt: lt.SourceModelLogicTree
    gslt: lt.GsimLogicTree
    source_models: list
    realizations: list
    trts: list

    @property
    def weights(self):
        """Realization weights (R,)."""
        return [r.weight for r in self.realizations]

    def gsims_by_trt(self) -> dict:
        """TRT -> the distinct GSIMs used for it."""
        return self.gslt.gsims_by_trt()


def _applies_to(src, bset: lt.BranchSet) -> bool:
    if bset.apply_to_sources and src.source_id not in bset.apply_to_sources:
        return False
    if bset.apply_to_trt and src.trt != bset.apply_to_trt:
        return False
    return True


def read_hazard_model(oq, registry) -> HazardModel:
    """Read the logic trees and the source models of a job (validated up front)."""
    conv = SourceConverter(oq.width_of_mfd_bin, oq.area_source_discretization,
                           oq.rupture_mesh_spacing, oq.complex_fault_mesh_spacing,
                           bool(getattr(oq, "infer_occur_rates", False)),
                           getattr(oq, "floating_x_step", 0.0),
                           getattr(oq, "floating_y_step", 0.0))
    if "source_model_logic_tree" in oq.inputs:
        smlt = lt.SourceModelLogicTree.from_file(oq.inputs["source_model_logic_tree"],
                                                 oq.input_root)
    elif "source_model" in oq.inputs:
        smlt = lt.SourceModelLogicTree.single(oq.inputs["source_model"], oq.input_root)
    else:
        raise InvalidInput("missing source_model_logic_tree_file", param="source_model_"
                           "logic_tree_file")
    if oq.source_id:
        smlt = _reduce_to_sources(smlt, oq.source_id)
    cache: dict = {}
    geometries: dict = {}

    def sources_of(fname, branch_files=()):
        """The sources of a file, multi-fault ones on the sections of the
        geometry model among ``branch_files``."""
        geometry = None
        for f in branch_files:
            if f not in geometries:
                geometries[f] = read_geometry_file(f, conv)
            geometry = geometry or geometries[f]
        key = (fname, geometry.fname if geometry else "")
        if key not in cache:
            cache[key] = read_source_model(fname, conv, geometry)
        return cache[key]

    all_trts: list[str] = []
    ids_by_branch: dict[str, set] = {}  # sourceModel/extendModel branch -> source IDs
    for bset in smlt.branchsets:
        if bset.utype not in ("sourceModel", "extendModel"):
            continue
        for branch in bset.branches:
            ids = ids_by_branch.setdefault(branch.branch_id, set())
            files = smlt.files_of(branch)
            for fname in files:
                for src in sources_of(fname, files):
                    if oq.source_id and src.source_id not in oq.source_id:
                        continue
                    ids.add(src.source_id)
                    if src.trt not in all_trts:
                        all_trts.append(src.trt)
    _check_filters(smlt, ids_by_branch, all_trts)
    full_gslt = read_gsim_tree(oq, registry)
    trts_ordered = _trt_order(full_gslt, all_trts)
    if oq.collapse_gsim_logic_tree:
        full_gslt.check_branchset_ids(oq.collapse_gsim_logic_tree, "collapse_gsim_logic_tree")
    gslt = full_gslt.reduce(trts_ordered).collapse(oq.collapse_gsim_logic_tree)
    if not oq.number_of_logic_tree_samples:
        npaths = len(smlt.paths()) * len(gslt.paths())
        if npaths > oq.max_potential_paths:
            raise InvalidInput("the logic tree has %d paths, more than max_potential_paths="
                               "%d: use sampling (number_of_logic_tree_samples)" % (
                                   npaths, oq.max_potential_paths),
                               param="number_of_logic_tree_samples")
    rlzs = lt.realizations(smlt, lambda path: gslt, oq.number_of_logic_tree_samples,
                           oq.random_seed, oq.sampling_method)
    source_models: list[SourceModel] = []
    by_pid: dict[str, SourceModel] = {}
    for rlz in rlzs:
        pid = lt.path_id(rlz.sm_path)
        if pid not in by_pid:
            by_pid[pid] = _build_source_model(smlt, rlz.sm_path, sources_of, oq)
            source_models.append(by_pid[pid])
        by_pid[pid].rlzs.append(rlz.ordinal)
    return HazardModel(smlt, gslt, source_models, rlzs, trts_ordered)


def read_gsim_tree(oq, registry) -> lt.GsimLogicTree:
    """The GSIM logic tree of a job: ``gsim_logic_tree_file``, else ``gsim``."""
    if "gsim_logic_tree" in oq.inputs:
        return lt.GsimLogicTree.from_file(oq.inputs["gsim_logic_tree"], registry,
                                          oq.input_root)
    if oq.gsim and oq.gsim != "[FromFile]":
        return lt.GsimLogicTree.from_gsim(oq.gsim, registry, ["*"], oq.job_ini,
                                          oq.input_root)
    raise InvalidInput("missing gsim_logic_tree_file (or gsim)", param="gsim_logic_tree_file")


def rupture_file_model(oq, registry, trts: list[str]) -> HazardModel:
    """The hazard model of ruptures given by a file (``rupture_model_file``) instead of
    sources: one pseudo source model without sources, the GSIM logic tree reduced to
    the tectonic region types ``trts`` (all of them when it has one branch set), its
    realizations enumerated or sampled as for sources."""
    full_gslt = read_gsim_tree(oq, registry)
    if len(full_gslt.branchsets) == 1:  # every rupture takes its models
        gslt = full_gslt
    else:
        gslt = full_gslt.reduce(_trt_order(full_gslt, trts))
    smlt = lt.SourceModelLogicTree.single(oq.inputs["rupture_model"], oq.input_root)
    rlzs = lt.realizations(smlt, lambda path: gslt, oq.number_of_logic_tree_samples,
                           oq.random_seed, oq.sampling_method)
    sm = SourceModel(rlzs[0].sm_path, {trt: [] for trt in gslt.trts},
                     [r.ordinal for r in rlzs])
    return HazardModel(smlt, gslt, [sm], rlzs, list(gslt.trts))


def _build_source_model(smlt, path, sources_of, oq) -> SourceModel:
    srcs = []
    files = smlt.source_model_files(path)
    for fname in files:
        srcs.extend(copy.deepcopy(sources_of(fname, files)))
    mods = smlt.modifications(path)
    # extendModel branches right after the source model add their files' sources
    while mods and mods[0][0].utype == "extendModel":
        bset, br = mods.pop(0)
        known = {s.source_id for s in srcs}
        extra_files = smlt.files_of(br)
        extra = [s for f in extra_files for s in copy.deepcopy(sources_of(f, extra_files))]
        common = known & {s.source_id for s in extra}
        if common:
            raise InvalidInput("extendModel branch %r: %s already in the source model" % (
                br.branch_id, ", ".join(sorted(common))), fname=smlt.fname,
                lineno=bset.lineno)
        srcs.extend(extra)
    if any(bset.utype == "extendModel" for bset, _ in mods):
        bset = next(b for b, _ in mods if b.utype == "extendModel")
        raise InvalidInput("extendModel branch set %r must follow the sourceModel branch "
                           "set or another extendModel" % bset.bs_id, fname=smlt.fname,
                           lineno=bset.lineno)
    if oq.source_id:
        srcs = [s for s in srcs if s.source_id in oq.source_id]
    for src in srcs:
        for bset, br in mods:
            if _applies_to(src, bset):
                apply_uncertainty(src, bset.utype, br.value)
    by_trt: dict[str, list] = {}
    for src in srcs:
        by_trt.setdefault(src.trt, []).append(src)
    return SourceModel(path, by_trt)


def _reduce_to_sources(smlt, source_ids):
    """The tree without the branch sets whose applyToSources name none of
    ``source_ids`` (the ``source_id`` job parameter), as OpenQuake reduces it."""
    keep = [bs for bs in smlt.branchsets
            if not bs.apply_to_sources or set(bs.apply_to_sources) & set(source_ids)]
    if len(keep) == len(smlt.branchsets):
        return smlt
    return lt.SourceModelLogicTree(keep, smlt.fname, smlt.input_root)


def _check_filters(smlt, ids_by_branch: dict, trts: list) -> None:
    """The filters of the branch sets against the source models (OpenQuake's rules):
    known TRTs and source IDs, a source in several source models needs
    applyToBranches, an *Absolute uncertainty on a model with several sources needs
    applyToSources with one source."""
    nsources = sum(len(ids) for ids in ids_by_branch.values())
    for bset in smlt.branchsets[1:]:
        def error(msg):
            return InvalidInput("branch set %r: %s" % (bset.bs_id, msg), fname=smlt.fname,
                                lineno=bset.lineno)
        if bset.apply_to_trt and bset.apply_to_trt not in trts:
            raise error("the source models have no sources of tectonic region type %r" %
                        bset.apply_to_trt)
        if bset.utype.endswith("Absolute") and nsources > 1 and len(
                bset.apply_to_sources) != 1:
            raise error("uncertainty of type %s must define applyToSources with one "
                        "source ID" % bset.utype)
        for src_id in bset.apply_to_sources:
            branches = [b for b, ids in ids_by_branch.items() if src_id in ids]
            if not branches:
                raise error("source %r is not in the source models" % src_id)
            if len(branches) > 1 and not bset.apply_to_branches:
                raise error("source %r is in the models of branches %s: applyToBranches "
                            "must be given with applyToSources" % (
                                src_id, ", ".join(sorted(branches))))


def _trt_order(gslt, trts):
    """TRTs in GSIM logic-tree order, restricted to those with sources."""
    lower = {t.lower(): t for t in trts}
    out = []
    for bs_trt in gslt.trts:
        if bs_trt == "*":
            return list(trts)
        if bs_trt.lower() in lower:
            out.append(lower[bs_trt.lower()])
    for t in trts:
        if t not in out:
            out.append(t)
    return out


def gsim_site_params(gsims, imts, exempt: dict | None = None) -> list[str]:
    """The site parameters the GSIMs need (sorted), after checking that each GSIM
    supports each IMT (:class:`~oqcore.hazard.gsim.base.UnknownIMT` otherwise).

    :param gsims: GSIM instances
    :param imts: IMT objects
    :param exempt: GSIM -> IMT strings it need not support (see
        :func:`zero_weight_imts`)
    """
    required: set = set()
    exempt = exempt or {}
    for g in gsims:
        required |= g.REQUIRES_SITES_PARAMETERS
        for imt in imts:
            if str(imt) not in exempt.get(g, ()):
                g.check_imt(imt)
    return sorted(required)


def zero_weight_imts(gslt: lt.GsimLogicTree, imts) -> dict:
    """GSIM -> the IMTs (strings) that every branch of the GSIM weighs 0 through
    IMT-dependent weights (``<uncertaintyWeight imt="...">0</uncertaintyWeight>``):
    the GSIM need not support them, its results there do not count.

    :raises InvalidInput: naming the GSIM logic-tree file, when a branch gives a
        non-zero weight to an IMT its GSIM does not support (with IMT-dependent weights)
    """
    out: dict = {}
    for bs in gslt.branchsets:
        for br in bs.branches:
            if not br.imt_weights:
                continue
            gsim = br.value
            zero = {str(i) for i in imts if br.weight_for(str(i)) == 0}
            bad = [str(i) for i in imts if br.weight_for(str(i)) > 0 and i.name
                   not in gsim.DEFINED_FOR_INTENSITY_MEASURE_TYPES]
            if bad:
                raise InvalidInput(
                    "non-zero weights assigned to IMT(s) %s that the GSIM %s does not "
                    "support (branch %s)" % (", ".join(bad), gsim, br.branch_id),
                    fname=gslt.fname, lineno=bs.lineno)
            out[gsim] = out.get(gsim, zero) & zero
    return out


def input_files(oq) -> list[str]:
    """Every input file of the job (for the checksum and the input size)."""
    out = []

    def collect(v) -> None:  # a path, or lists and dictionaries of paths, nested
        if isinstance(v, (list, tuple)):
            for x in v:
                collect(x)
        elif isinstance(v, dict):
            for x in v.values():
                collect(x)
        elif isinstance(v, str) and os.path.isfile(v):
            out.append(v)
    collect(list(oq.inputs.values()))
    return out


def check_nrml_content(fname: str, registry) -> None:
    """Validate the values of an NRML file, not only its syntax.

    Source models are converted source by source (MFD parameters, geometries,
    magnitude-scaling relations...), GSIM logic trees are built (known models,
    arguments, weights), source-model logic trees are checked without their source
    model files (branch values, weights, uncertainty types); other documents are only
    parsed.

    :raises InvalidInput: naming the file and the line
    """
    root = reader.parse(fname)
    if root.tag == "sourceModel":
        read_source_model(fname, SourceConverter(), require_sections=False)
    elif root.tag == "logicTree" and any(
            bs.get("uncertaintyType") == "gmpeModel" for bs in root.iter("logicTreeBranchSet")):
        lt.GsimLogicTree.from_file(fname, registry, os.path.dirname(os.path.abspath(fname)))
    elif root.tag == "logicTree":
        lt.SourceModelLogicTree.from_file(fname, check_files=False)
