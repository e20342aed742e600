"""Multi-fault sources: ruptures made of fault sections of a geometry model.

A ``geometryModel`` file (listed with the source model in the source-model logic
tree) holds the sections, each a kite surface (:mod:`oqcore.hazard.source.kite`,
meshed at the rupture mesh spacing). A ``multiFaultSource`` lists ruptures, each a
magnitude, a rake, the indexes of its sections and its probabilities of 0, 1, ...
occurrences; they come from ``multiPlanesRupture`` elements (``sectionIndexes``: the
section IDs) or, when the element is empty, from the HDF5 file beside the source
model (group ``<source id>`` with ``mag``, ``rake``, ``probs_occur`` and
``rupture_idxs``: space-separated section positions in the geometry model).
Magnitudes and rakes are kept in single precision, as OpenQuake keeps them.

With ``infer_occur_rates`` the ruptures are Poissonian with the rate
``-ln(P(0 occurrences))`` (1/yr); otherwise they are non-parametric.

Contexts: the distances to every section are computed once for all the sites; a
rupture's rrup and rjb are the minima over its sections; rx and ry0 come from the
generalised coordinates (GC2) of its sections' top edges; strike, dip, width and ztor
are the area-weighted values of its sections, and the hypocentre is the middle point
of the section closest to the centre of the rupture's bounding box (OpenQuake's
MultiSurface).
"""
from __future__ import annotations

import math
import os

import attrs
import numpy as np

from oqcore.hazard.geo import gc2
from oqcore.hazard.source.fault_ruptures import Sites, multi_surface_params
from oqcore.hazard.source.kite import kite_distances, kite_surface_of
from oqcore.hazard.source.mfd import ArbitraryMFD
from oqcore.hazard.source.nonparametric import NonParametricSource


@attrs.define
class GeometryModel:
    """The sections of a geometry model: ``ids`` in file order and ``surfaces``
    (section id -> :class:`~oqcore.hazard.source.kite.KiteSurface`)."""
    ids: list
    surfaces: dict
    fname: str = ""

    def resolve(self, index: str):
        """The section of an index: a section ID, else a 0-based position."""
        if index in self.surfaces:
            return index
        try:
            return self.ids[int(index)]
        except (ValueError, IndexError):
            raise KeyError(index) from None


def read_geometry_model(root, spacing: float) -> GeometryModel:
    """A <geometryModel> node -> :class:`GeometryModel` (kite sections meshed at
    ``spacing`` km)."""
    ids, surfaces = [], {}
    for sec in root:
        if sec.tag != "section":
            continue
        sid = sec.attr("id")
        if sid in surfaces:
            raise sec.error("duplicated section ID %r" % sid)
        kite = sec.find("kiteSurface")
        if kite is None:
            raise sec.error("section %r: only <kiteSurface> sections are supported" % sid)
        surfaces[sid] = kite_surface_of(kite, spacing)
        ids.append(sid)
    if not ids:
        raise root.error("the geometry model has no sections")
    return GeometryModel(ids, surfaces, root.fname or "")


@attrs.define
class MultiFaultSource(NonParametricSource):
    """Ruptures on sets of sections (see the module docstring).

    :ivar sections: R lists of section IDs
    :ivar mags, rakes: (R,) magnitudes and rakes (single precision values)
    :ivar occur_rates: (R,) Poisson rates when occurrence rates are inferred, else
        None
    :ivar geometry: the :class:`GeometryModel` (set by :func:`attach_sections`)
    """
    CODE = "F"
    sections: list = attrs.field(factory=list)
    mags: np.ndarray = attrs.field(factory=lambda: np.zeros(0))
    rakes: np.ndarray = attrs.field(factory=lambda: np.zeros(0))
    occur_rates: np.ndarray | None = None
    geometry: GeometryModel | None = None


def read_multi_fault(node, common: dict, infer_occur_rates: bool) -> MultiFaultSource:
    """A <multiFaultSource> node -> :class:`MultiFaultSource` (its sections are
    attached later, from the geometry model of the same logic-tree branch)."""
    mags, rakes, idxs, probs = [], [], [], []
    nodes = [n for n in node if n.tag != "faults"]
    if not nodes:
        mags, rakes, idxs, probs = _read_hdf5(node, common["fname"])
    for rn in nodes:
        from oqcore.hazard.rupture import _node_float
        from oqcore.hazard.source.nonparametric import probs_occur_of
        p = probs_occur_of(rn)
        if probs and len(p) != len(probs[0]):
            raise rn.error("probs_occur has %d values, the first rupture %d" % (
                len(p), len(probs[0])))
        probs.append(p)
        mags.append(_node_float(rn, "magnitude"))
        rakes.append(_node_float(rn, "rake"))
        text = rn.child("sectionIndexes").attr("indexes")
        idxs.append([s.strip() for s in text.replace(",", " ").split()])
    if not mags:
        raise node.error("source %r has no ruptures" % common["source_id"])
    mags = np.array(mags, np.float32).astype(float)
    rakes = np.array(rakes, np.float32).astype(float)
    probs = np.array(probs, float)
    rates = None
    if infer_occur_rates:
        with np.errstate(divide="ignore"):
            rates = -np.log(probs[:, 0])
        rates[rates <= 0] = 1e-30
    src = MultiFaultSource(**common, probs_occur=probs, sections=idxs, mags=mags,
                           rakes=rakes, occur_rates=rates)
    # magnitudes with their rates (or mean numbers of occurrences)
    mean = rates if rates is not None else probs @ np.arange(probs.shape[1])
    src.mfd = ArbitraryMFD([float(m) for m in mags], [float(r) for r in mean])
    return src


def _read_hdf5(node, fname: str):
    from oqcore.hazard.source.nonparametric import hdf5_datasets
    d = hdf5_datasets(node, fname, ("mag", "rake", "probs_occur", "rupture_idxs"))
    idxs = [(x.decode() if isinstance(x, bytes) else str(x)).split()
            for x in d["rupture_idxs"]]
    return (list(d["mag"]), list(d["rake"]), idxs,
            [list(map(float, p)) for p in d["probs_occur"]])


def attach_sections(src: MultiFaultSource, geometry: GeometryModel | None) -> None:
    """Resolve the section indexes of a source against a geometry model.

    :raises InvalidInput: without a geometry model, or for unknown sections
    """
    from oqcore.errors import InvalidInput
    where = "%s, line %d" % (os.path.basename(src.fname), src.lineno)
    if geometry is None:
        raise InvalidInput("%s: the multiFaultSource %r needs a geometry model (list "
                           "its sections file in the source model logic tree)" % (
                               where, src.source_id))
    resolved = []
    for r, idx in enumerate(src.sections):
        try:
            resolved.append([geometry.resolve(i) for i in idx])
        except KeyError as exc:
            raise InvalidInput("%s: rupture %d of %r uses the unknown section %s" % (
                where, r, src.source_id, exc)) from None
    src.sections = resolved
    src.geometry = geometry


def multi_fault_contexts(src: MultiFaultSource, cmaker):
    """The contexts of the ruptures of a multi-fault source (see the module
    docstring), with occurrence rates when inferred (else NaN).

    :returns: (context array (K,), rupture index (K,))
    """
    from oqcore.hazard.contexts import rupture_param_fields
    from oqcore.hazard.source.ruptures import rupture_context
    geo = src.geometry
    sitecol = cmaker.sitecol
    allsites = Sites.of(sitecol)
    used = sorted({s for secs in src.sections for s in secs}, key=geo.ids.index)
    pos = {s: i for i, s in enumerate(used)}
    surfaces = [geo.surfaces[s] for s in used]
    # rrup, rjb, rx, ry0 of every section and site: (4, S, N)
    d = kite_distances(surfaces, allsites)
    ctxs, idx = [], []
    for r, secs in enumerate(src.sections):
        maxdist = cmaker.max_dist(src.mags[r])
        if maxdist <= 0 or src.mags[r] < cmaker.min_mag:  # minimum_magnitude
            continue
        rows = [pos[s] for s in secs]
        rrup = d[0][rows].min(axis=0)
        sids = np.flatnonzero(rrup <= maxdist)
        if len(sids) == 0:
            continue
        surfs = [surfaces[i] for i in rows]
        sites = Sites.of(sitecol, sids)
        if len(surfs) == 1:
            s = surfs[0]
            par = dict(strike=s.get_strike(), dip=s.get_dip(), width=s.get_width(),
                       ztor=s.get_top_edge_depth(), hypo=s.get_middle_point())
            rx, ry0 = d[2][rows[0]][sids], d[3][rows[0]][sids]
        else:
            par = multi_surface_params(surfs)
            rx, ry0 = gc2.multi_surface_rx_ry0(surfs, sites.lons, sites.lats)
        rate = math.nan if src.occur_rates is None else float(src.occur_rates[r])
        hypo = par["hypo"]
        ctx = rupture_context(
            cmaker, sids, (hypo[0], hypo[1], hypo[2]), sites.lons, sites.lats,
            sites.depths, mag=src.mags[r], rake=float(src.rakes[r]),
            dip=par["dip"], strike=par["strike"], ztor=par["ztor"], width=par["width"],
            occurrence_rate=rate, rrup=rrup[sids], rjb=d[1][rows][:, sids].min(axis=0),
            rx=rx, ry0=ry0, **rupture_param_fields(cmaker, lambda: [(
                np.concatenate([np.ravel(s.mesh.lons) for s in surfs]),
                np.concatenate([np.ravel(s.mesh.lats) for s in surfs]))], 0))
        ctxs.append(ctx)
        idx.append(np.full(len(ctx), r))
    if not ctxs:
        return cmaker.new_context(0), np.zeros(0, int)
    return np.concatenate(ctxs).view(np.recarray), np.concatenate(idx)
