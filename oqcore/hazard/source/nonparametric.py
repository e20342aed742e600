"""Non-parametric seismic sources: explicit ruptures, each with its own probability
distribution of the number of occurrences in the investigation time.

A rupture occurring k times with probability p_k does not cause an exceedance with
probability ``sum_k p_k (1 - PoE)^k`` (PoE the probability that one occurrence
exceeds the level); see :mod:`oqcore.hazard.source.groups` for how the sources of a
group combine.

Ruptures come from the NRML rupture elements (:func:`oqcore.hazard.rupture.rupture_from_node`),
from ``griddedRupture`` elements (an unstructured cloud of points), or, when the
source element is empty, from the HDF5 file next to the source model (same name,
``.hdf5``), one group per source ID with the datasets ``magnitude`` (R,), ``rake``
(R,), ``hypocenter`` (R, 3), ``probs_occur`` (R, J), ``mesh3d`` (P, 3) and ``slice``
(R, 2) (the points of each rupture).
"""
from __future__ import annotations

import math
import os

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.source.fault_ruptures import Sites
from oqcore.hazard.source.mfd import ArbitraryMFD
from oqcore.hazard.source.typology import BaseSource


@attrs.define
class GriddedRupture:
    """A rupture on an unstructured cloud of points (lon, lat, depth).

    Distances (as OpenQuake's gridded surfaces): rrup is the smallest 3-D straight-line
    distance to the points, rjb the distance to the convex hull of their surface
    projection (0 inside; the nearest point beyond 40 km); rx and ry0 are not defined
    (NaN). ztor is the smallest depth; strike and
    dip come from the least-squares plane through the points (degrees).
    """
    mag: float
    rake: float
    trt: str
    hypo: tuple
    points: np.ndarray  # (P, 3)
    strike: float = math.nan
    dip: float = math.nan
    width: float = math.nan
    ztor: float = 0.0

    def __attrs_post_init__(self):
        self.points = np.asarray(self.points, float).reshape(-1, 3)
        self.ztor = float(self.points[:, 2].min())
        self.strike, self.dip = plane_strike_dip(self.points)

    def distances(self, sites: Sites) -> np.ndarray:
        """rrup, rjb, rx, ry0 (km) of N sites: array (4, N) (rx, ry0 NaN)."""
        from oqcore.hazard.geo.mesh import Mesh
        p = self.points
        mesh = Mesh(p[:, 0], p[:, 1], p[:, 2])
        out = np.full((4, len(sites)), np.nan)
        out[0] = mesh.get_min_distance(sites)
        out[1] = mesh.get_joyner_boore_distance(sites)
        return out


@attrs.define
class KiteRupture:
    """A rupture on one or more kite surfaces (a ``multiPlanesRupture`` of
    ``kiteSurface`` elements, meshed at the rupture mesh spacing).

    Distances: rrup and rjb are the minima over the surfaces (rjb of a kite surface:
    :meth:`~oqcore.hazard.source.kite.KiteSurface.rjb`); rx and ry0 those of the
    mesh for one surface, of the GC2 coordinates of the surfaces' top edges for
    several. strike, dip, width and ztor: the surface's, or the area-weighted ones
    of OpenQuake's MultiSurface.
    """
    mag: float
    rake: float
    trt: str
    hypo: tuple
    surfaces: list
    strike: float = 0.0
    dip: float = 0.0
    width: float = 0.0
    ztor: float = 0.0

    def __attrs_post_init__(self):
        from oqcore.hazard.source.fault_ruptures import multi_surface_params
        if len(self.surfaces) == 1:
            s = self.surfaces[0]
            self.strike, self.dip = s.get_strike(), s.get_dip()
            self.width, self.ztor = s.get_width(), s.get_top_edge_depth()
        else:
            ms = multi_surface_params(self.surfaces)
            self.strike, self.dip, self.width, self.ztor = (
                ms["strike"], ms["dip"], ms["width"], ms["ztor"])

    def distances(self, sites: Sites) -> np.ndarray:
        """rrup, rjb, rx, ry0 (km) of N sites: array (4, N)."""
        from oqcore.hazard.geo import gc2
        from oqcore.hazard.source.kite import kite_distances
        d = kite_distances(self.surfaces, sites)
        out = np.empty((4, len(sites)))
        out[0] = d[0].min(axis=0)
        out[1] = d[1].min(axis=0)
        if len(self.surfaces) == 1:
            out[2], out[3] = d[2][0], d[3][0]
        else:
            out[2], out[3] = gc2.multi_surface_rx_ry0(self.surfaces, sites.lons,
                                                      sites.lats)
        return out


def kite_rupture_from_node(node, trt: str, spacing: float) -> KiteRupture:
    """A ``multiPlanesRupture`` of ``kiteSurface`` elements -> :class:`KiteRupture`."""
    from oqcore.hazard.rupture import _node_float
    from oqcore.hazard.source.kite import kite_surface_of
    surfaces = [kite_surface_of(k, spacing) for k in node.findall("kiteSurface")]
    h = node.child("hypocenter")
    return KiteRupture(_node_float(node, "magnitude"), _node_float(node, "rake"), trt,
                       (h.attr("lon", float), h.attr("lat", float),
                        h.attr("depth", float)), surfaces)


def plane_strike_dip(points: np.ndarray) -> tuple[float, float]:
    """Strike and dip (degrees) of the least-squares plane through points (lon, lat,
    depth), projected orthographically around their centre; a line of two points
    has the strike of its azimuth and a NaN dip."""
    lons, lats, deps = points[:, 0], points[:, 1], points[:, 2]
    lon0, lat0 = float(np.mean(lons)), float(np.mean(lats))
    x, y = _ortho(lons, lats, lon0, lat0)
    if len(points) == 2:
        return float(np.degrees(np.arctan2(x[1] - x[0], y[1] - y[0])) % 360), math.nan
    coo = np.column_stack([x, y, -deps])
    centred = coo - coo.mean(axis=0)
    normal = np.linalg.svd(centred)[2][2]
    if normal[2] < 0:
        normal = -normal
    horiz = math.hypot(normal[0], normal[1])
    if horiz == 0:
        return 0.0, 0.0
    phi = math.degrees(math.acos(max(-1.0, min(1.0, normal[1] / horiz))))
    strike = (360 - phi - 90) % 360 if normal[0] < 0 else (phi - 90) % 360
    dip = 90 - math.degrees(math.acos(max(-1.0, min(1.0, horiz / np.linalg.norm(normal)))))
    return float(strike), float(dip)


def _ortho(lons, lats, lon0, lat0):
    # orthographic projection (km) on a sphere of radius 6371 km
    r = 6371.0
    lam, phi = np.radians(lons - lon0), np.radians(lats)
    phi0 = math.radians(lat0)
    x = r * np.cos(phi) * np.sin(lam)
    y = r * (math.cos(phi0) * np.sin(phi) - math.sin(phi0) * np.cos(phi) * np.cos(lam))
    return x, y


@attrs.define
class NonParametricSource(BaseSource):
    """Explicit ruptures with their probabilities of occurrence.

    :ivar ruptures: R ruptures (:class:`~oqcore.hazard.rupture.Rupture` or
        :class:`GriddedRupture`)
    :ivar probs_occur: (R, J) probability of 0, 1, ..., J-1 occurrences in the
        investigation time
    :ivar rup_weights: (R,) weights of mutually exclusive ruptures (None otherwise)
    """
    CODE = "N"
    ruptures: list = attrs.field(factory=list)
    probs_occur: np.ndarray = attrs.field(factory=lambda: np.zeros((0, 1)))
    rup_weights: np.ndarray | None = None


def probs_occur_of(node) -> list[float]:
    """The ``probs_occur`` attribute of a rupture node, checked (non-negative,
    summing to 1)."""
    try:
        probs = [float(x) for x in node.attr("probs_occur").split()]
    except ValueError:
        raise node.error("probs_occur must be numbers, got %r" % node.get("probs_occur"))
    if not probs or min(probs) < 0 or abs(sum(probs) - 1) > 1e-6:
        raise node.error("probs_occur %s must be non-negative and sum to 1" % probs)
    return probs


def gridded_rupture_from_node(node, trt: str) -> GriddedRupture:
    """A <griddedRupture> node (magnitude, rake, hypocenter, griddedSurface)."""
    from oqcore.hazard.rupture import _node_float
    pos = node.child("griddedSurface").child("posList")
    coo = pos.floats()
    if len(coo) % 3 or not coo:
        raise pos.error("a griddedSurface needs lon, lat, depth triples")
    h = node.child("hypocenter")
    return GriddedRupture(_node_float(node, "magnitude"), _node_float(node, "rake"), trt,
                          (h.attr("lon", float), h.attr("lat", float),
                           h.attr("depth", float)), np.array(coo).reshape(-1, 3))


def read_nonparametric(node, common: dict, mesh_spacing: float,
                       complex_spacing: float) -> NonParametricSource:
    """A <nonParametricSeismicSource> node -> :class:`NonParametricSource` (ruptures
    from the node or, when it is empty, from the HDF5 file beside the model)."""
    from oqcore.hazard.rupture import rupture_from_node
    trt = common["trt"]
    weights = node.get("rup_weights")
    rups, probs = [], []
    if len(node) == 0:
        rups, probs = _read_hdf5(node, common["fname"], trt)
    for rn in node:
        p = probs_occur_of(rn)
        if probs and len(p) != len(probs[0]):
            raise rn.error("probs_occur has %d values, the first rupture %d: they must "
                           "have the same length" % (len(p), len(probs[0])))
        probs.append(p)
        if rn.tag == "griddedRupture":
            rups.append(gridded_rupture_from_node(rn, trt))
        elif rn.find("kiteSurface") is not None:
            rups.append(kite_rupture_from_node(rn, trt, mesh_spacing))
        else:
            rups.append(rupture_from_node(rn, mesh_spacing, complex_spacing, trt))
    if not rups:
        raise node.error("source %r has no ruptures" % common["source_id"])
    rw = None
    if weights is not None:
        try:
            rw = np.array([float(w) for w in weights.split()])
        except ValueError:
            raise node.error("rup_weights must be numbers, got %r" % weights)
        if len(rw) != len(rups):
            raise node.error("rup_weights has %d values for %d ruptures" % (
                len(rw), len(rups)))
    probs = np.array(probs, float)
    common = dict(common, mfd=occurrence_mfd(rups, probs))
    return NonParametricSource(**common, ruptures=rups, probs_occur=probs,
                               rup_weights=rw)


def occurrence_mfd(ruptures: list, probs_occur: np.ndarray) -> ArbitraryMFD:
    """The magnitudes of the ruptures with their mean numbers of occurrences in the
    investigation time (``sum_k k p_k``), as an MFD (what magnitude-based code
    such as bin edges and task weights needs)."""
    mean = probs_occur @ np.arange(probs_occur.shape[1])
    return ArbitraryMFD([float(r.mag) for r in ruptures], [float(m) for m in mean])


def hdf5_datasets(node, fname: str, names: tuple) -> dict:
    """The datasets ``names`` of the group ``<source id>`` of the HDF5 file beside a
    source model (same name, ``.hdf5``), for sources whose element is empty.

    :raises InvalidInput: naming the node when the file, group or a dataset is missing
    """
    import h5py
    path = os.path.splitext(fname)[0] + ".hdf5"
    sid = node.attr("id")
    if not os.path.exists(path):
        raise node.error("source %r has no ruptures and there is no %s" % (
            sid, os.path.basename(path)))
    with h5py.File(path, "r") as h:
        if sid not in h:
            raise node.error("%s has no group %r" % (os.path.basename(path), sid))
        try:
            return {n: h[sid][n][:] for n in names}
        except KeyError as exc:
            raise node.error("%s, group %r: missing dataset %s" % (
                os.path.basename(path), sid, exc)) from None


def _read_hdf5(node, fname: str, trt: str) -> tuple[list, list]:
    d = hdf5_datasets(node, fname, ("magnitude", "rake", "hypocenter", "probs_occur",
                                    "mesh3d", "slice"))
    rups = [GriddedRupture(float(m), float(r), trt, tuple(float(x) for x in hy),
                           d["mesh3d"][a:b]) for m, r, hy, (a, b) in
            zip(d["magnitude"], d["rake"], d["hypocenter"], d["slice"])]
    return rups, [list(map(float, p)) for p in d["probs_occur"]]


def check_probs_occur(probs: np.ndarray, where: str) -> None:
    """Raise InvalidInput unless every row of ``probs`` sums to 1."""
    bad = np.abs(probs.sum(axis=1) - 1) > 1e-6
    if bad.any():
        raise InvalidInput("%s: probs_occur of rupture %d do not sum to 1" % (
            where, int(np.flatnonzero(bad)[0])))


def nonparametric_contexts(src: NonParametricSource, cmaker):
    """The contexts of the ruptures of a non-parametric source, with the index of
    the rupture of each row.

    :returns: (context array (K,), rupture index (K,))
    """
    from oqcore.hazard.rupture import rupture_context
    from oqcore.hazard.source.multi_fault import MultiFaultSource, multi_fault_contexts
    if isinstance(src, MultiFaultSource):
        return multi_fault_contexts(src, cmaker)
    ctxs, idx = [], []
    for r, rup in enumerate(src.ruptures):
        maxdist = cmaker.max_dist(rup.mag)
        if maxdist <= 0 or rup.mag < cmaker.min_mag:  # minimum_magnitude
            continue
        ctx = rupture_context(rup, cmaker, maxdist, math.nan)
        if len(ctx):
            ctxs.append(ctx)
            idx.append(np.full(len(ctx), r))
    if not ctxs:
        return cmaker.new_context(0), np.zeros(0, int)
    return np.concatenate(ctxs).view(np.recarray), np.concatenate(idx)
