"""The hazard model of a job: logic trees, source models (with logic-tree
modifications applied), realizations and GSIMs per tectonic region type."""
from __future__ import annotations

import copy
import os

import attrs

from oqcore.errors import InvalidInput
from oqcore.nrml import reader
from oqcore.hazard import logictree as lt
from oqcore.hazard.source.model import SourceConverter, read_source_model


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


def _apply(src, bset: lt.BranchSet, branch: lt.Branch) -> None:
    utype = bset.utype
    if utype in ("maxMagGRRelative", "bGRRelative", "abGRAbsolute", "maxMagGRAbsolute",
                 "abMaxMagAbsolute", "incrementalMFDAbsolute"):
        src.mfd.modify(utype, branch.value)
    elif utype == "simpleFaultDipRelative":
        src.dip += branch.value
    elif utype == "simpleFaultDipAbsolute":
        src.dip = branch.value
    elif utype == "setLowerSeismDepthAbsolute":
        src.lower_seismogenic_depth = branch.value
    elif utype in ("simpleFaultGeometryAbsolute", "complexFaultGeometryAbsolute",
                   "characteristicFaultGeometryAbsolute"):
        _apply_geometry(src, utype, branch.value)
    else:
        raise InvalidInput("the uncertainty %s is not supported yet" % utype,
                           lineno=bset.lineno)


def _apply_geometry(src, utype: str, node) -> None:
    """Replace the geometry of a fault source with the one of an uncertainty model
    node (OpenQuake's *FaultGeometryAbsolute); the ``spacing`` attribute of the
    geometry sets the mesh spacing (km)."""
    conv = SourceConverter()

    def spacing(geom):
        value = geom.get("spacing")
        return src.mesh_spacing if value is None else float(value)

    if utype == "simpleFaultGeometryAbsolute":
        geom = node.find("simpleFaultGeometry")
        geom = node if geom is None else geom
        src.trace, src.upper_seismogenic_depth, src.lower_seismogenic_depth, src.dip = \
            conv._simple_geometry(geom)
        src.mesh_spacing = spacing(geom)
    elif utype == "complexFaultGeometryAbsolute":
        geom = node.find("complexFaultGeometry")
        geom = node if geom is None else geom
        src.edges = conv._complex_edges(geom)
        src.mesh_spacing = spacing(geom)
    else:  # characteristic: every geometry of the surface (a multi surface if many)
        surf = node.child("surface")
        geoms = list(surf)
        if not geoms:
            raise surf.error("empty <surface>")
        kinds = {g.tag for g in geoms}
        if len(kinds) > 1:
            raise surf.error("mixed surface geometries %s are not supported" % kinds)
        tag = geoms[0].tag
        if tag == "simpleFaultGeometry":
            src.surface_kind = "simple"
            src.surface_data = [conv._simple_geometry(g) for g in geoms]
        elif tag == "complexFaultGeometry":
            src.surface_kind = "complex"
            src.surface_data = [conv._complex_edges(g) for g in geoms]
        elif tag == "planarSurface":
            src.surface_kind = "planar"
            src.surface_data = [conv._planar(g) for g in geoms]
        else:
            raise geoms[0].error("unknown surface %r" % tag)
        src.mesh_spacing = spacing(geoms[0])


def _applies_to(src, bset: lt.BranchSet) -> bool:
    if bset.apply_to_sources and src.source_id not in bset.apply_to_sources:
        return False
    if bset.apply_to_trt and src.trt != bset.apply_to_trt:
        return False
    return True


def read_hazard_model(oq, registry) -> HazardModel:
    """Read the logic trees and the source models of a job (validated up front)."""
    conv = SourceConverter(oq.width_of_mfd_bin, oq.area_source_discretization,
                           oq.rupture_mesh_spacing, oq.complex_fault_mesh_spacing)
    if "source_model_logic_tree" in oq.inputs:
        smlt = lt.SourceModelLogicTree.from_file(oq.inputs["source_model_logic_tree"],
                                                 oq.input_root)
    elif "source_model" in oq.inputs:
        smlt = lt.SourceModelLogicTree.single(oq.inputs["source_model"], oq.input_root)
    else:
        raise InvalidInput("missing source_model_logic_tree_file", param="source_model_"
                           "logic_tree_file")
    cache: dict[str, list] = {}

    def sources_of(fname):
        if fname not in cache:
            cache[fname] = read_source_model(fname, conv)
        return cache[fname]

    all_trts: list[str] = []
    for branch in smlt.branchsets[0].branches:
        for fname in smlt.source_model_files((branch,)):
            for src in sources_of(fname):
                if oq.source_id and src.source_id not in oq.source_id:
                    continue
                if src.trt not in all_trts:
                    all_trts.append(src.trt)
    if "gsim_logic_tree" in oq.inputs:
        full_gslt = lt.GsimLogicTree.from_file(oq.inputs["gsim_logic_tree"], registry)
    elif oq.gsim and oq.gsim != "[FromFile]":
        full_gslt = lt.GsimLogicTree.from_gsim(oq.gsim, registry, ["*"])
    else:
        raise InvalidInput("missing gsim_logic_tree_file (or gsim)", param="gsim_logic_tree_file")
    trts_ordered = _trt_order(full_gslt, all_trts)
    gslt = full_gslt.reduce(trts_ordered)
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


def _build_source_model(smlt, path, sources_of, oq) -> SourceModel:
    srcs = []
    for fname in smlt.source_model_files(path):
        srcs.extend(copy.deepcopy(sources_of(fname)))
    if oq.source_id:
        srcs = [s for s in srcs if s.source_id in oq.source_id]
    mods = smlt.modifications(path)
    for src in srcs:
        for bset, br in mods:
            if _applies_to(src, bset):
                _apply(src, bset, br)
    by_trt: dict[str, list] = {}
    for src in srcs:
        by_trt.setdefault(src.trt, []).append(src)
    return SourceModel(path, by_trt)


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
    for v in oq.inputs.values():
        for p in (v if isinstance(v, list) else v.values() if isinstance(v, dict) else [v]):
            if os.path.isfile(p):
                out.append(p)
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
        read_source_model(fname, SourceConverter())
    elif root.tag == "logicTree" and any(
            bs.get("uncertaintyType") == "gmpeModel" for bs in root.iter("logicTreeBranchSet")):
        lt.GsimLogicTree.from_file(fname, registry)
    elif root.tag == "logicTree":
        lt.SourceModelLogicTree.from_file(fname, check_files=False)
