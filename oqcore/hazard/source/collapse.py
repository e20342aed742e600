"""Point sources collapsed on a grid (the ``ps_grid_spacing`` approximation).

With ``ps_grid_spacing`` (km) the point sources of a group (explicit ones and those an
area or multi-point source stands for) are binned on a longitude-latitude grid: the
cells span the sources' bounding box, ``spacing`` km wide (the longitude step taken at
the sources' mean latitude), each cell holding the sources whose coordinates fall in it
(intervals ``[edge, next edge)`` from the west and south edges, the last one closed at
the easternmost or northernmost source). The sources
of a cell with two or more become one :class:`CollapsedPointSource`:

* location, seismogenic depths and aspect ratio: the averages of the sources' own,
  weighted by their total occurrence rates;
* one nodal plane (strike, dip, rake averaged with the nodal-plane weights of all the
  sources) and one hypocentral depth (averaged with the depth weights);
* the occurrence rates of a magnitude: the sum of the sources'.

Its contexts (:func:`collapsed_contexts`) follow OpenQuake's point-source treatment,
the effective distance lengthened by ``0.707 spacing``: sites farther than it from the
collapsed location (at the averaged hypocentral depth) see one planar rupture per
magnitude with the averaged plane and the whole rate; closer sites see every plane and
depth of every underlying source having the magnitude, the rate of the magnitude
shared equally among those sources. With few sites (no more than
``max_sites_disagg``) all the sites see one or the other, the exact planes as soon
as one site is close.
"""
from __future__ import annotations

import math
from typing import Iterator

import attrs
import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.source.typology import PointSource

#: km per degree of latitude used for the grid steps (OpenQuake's constant)
KM_TO_DEGREES = 0.0089932
#: the effective distances of a collapsed source grow by this fraction of the spacing
HALF_DIAGONAL = 0.707


class SummedMFD:
    """The occurrence rates of several sources added magnitude by magnitude."""

    def __init__(self, mfds: list):
        acc: dict = {}
        for mfd in mfds:
            for mag, rate in mfd.get_annual_occurrence_rates():
                acc[mag] = acc.get(mag, 0.0) + rate
        self.rates = sorted(acc.items())

    def get_annual_occurrence_rates(self) -> list:
        """[(magnitude, annual rate)] sorted by magnitude."""
        return list(self.rates)


@attrs.define
class CollapsedPointSource(PointSource):
    """A point source standing for the point sources of a grid cell (see the module
    docstring); ``sources`` are the underlying ones, ``grid_spacing`` the cell size
    (km)."""
    CODE = "p"
    sources: list = attrs.field(factory=list)
    grid_spacing: float = 0.0


def _average(sources: list) -> dict:
    from oqcore.hazard.source.mfd import occurrence_arrays
    node_w, planes, dep_w, deps, fracs = [], [], [], [], []
    for src in sources:
        for w, plane in src.nodal_planes:
            node_w.append(w)
            planes.append((plane.strike, plane.dip, plane.rake))
        for k, (w, dep) in enumerate(src.hypo_depths):
            dep_w.append(w)
            deps.append(dep)
            frac = None if src.hypo_dip_fracs is None else src.hypo_dip_fracs[k]
            fracs.append(0.5 if frac is None else frac)
    rate_w = [float(occurrence_arrays(s.mfd)[1].sum()) for s in sources]
    planes = np.array(planes)

    def by_rate(values):
        return float(np.average(values, weights=rate_w))

    return dict(
        strike=float(np.average(planes[:, 0], weights=node_w)),
        dip=float(np.average(planes[:, 1], weights=node_w)),
        rake=float(np.average(planes[:, 2], weights=node_w)),
        dep=float(np.average(deps, weights=dep_w)),
        frac=float(np.average(fracs, weights=dep_w)),
        lon=by_rate([s.lon for s in sources]), lat=by_rate([s.lat for s in sources]),
        usd=by_rate([s.upper_seismogenic_depth for s in sources]),
        lsd=by_rate([s.lower_seismogenic_depth for s in sources]),
        rar=(sources[0].rupture_aspect_ratio
             if not isinstance(sources[0].rupture_aspect_ratio, (int, float))
             else by_rate([s.rupture_aspect_ratio for s in sources])))


def collapse(sources: list, name: str, spacing: float) -> CollapsedPointSource:
    """The :class:`CollapsedPointSource` of two or more point sources."""
    from oqcore.hazard.source.typology import NodalPlane
    avg = _average(sources)
    first = sources[0]
    fracs = None if all(s.hypo_dip_fracs is None for s in sources) else [avg["frac"]]
    return CollapsedPointSource(
        source_id=name, name=name, trt=first.trt,
        mfd=SummedMFD([s.mfd for s in sources]), group=first.group,
        lon=avg["lon"], lat=avg["lat"], upper_seismogenic_depth=avg["usd"],
        lower_seismogenic_depth=avg["lsd"], msr=first.msr,
        rupture_aspect_ratio=avg["rar"],
        nodal_planes=[(1.0, NodalPlane(avg["strike"], avg["dip"], avg["rake"]))],
        hypo_depths=[(1.0, avg["dep"])], hypo_dip_fracs=fracs, sources=list(sources),
        grid_spacing=spacing)


def grid_cells(lons: np.ndarray, lats: np.ndarray, spacing: float) -> list:
    """Index arrays of the points in each grid cell (see the module docstring), cells
    in the order of their first point; [] when the points span no area (a single
    longitude or latitude)."""
    if len(np.unique(lons)) == 1 or len(np.unique(lats)) == 1:
        return []
    dx = spacing * KM_TO_DEGREES / math.cos(math.radians(lats.mean()))
    dy = spacing * KM_TO_DEGREES
    xbin = _bins(lons, dx)
    ybin = _bins(lats, dy)
    cells: dict = {}
    for k, key in enumerate(zip(xbin, ybin)):
        cells.setdefault(key, []).append(k)
    return [np.array(v) for v in cells.values()]


def _bins(values: np.ndarray, step: float) -> np.ndarray:
    lo, hi = values.min(), values.max()
    n = math.ceil((hi - lo) / step)
    edges = np.arange(lo, hi, (hi - lo) / n)
    return np.searchsorted(edges, values, side="right")


def grid_point_sources(sources: list, spacing: float, prefix: str = "cps") -> list:
    """The sources with their point sources collapsed cell by cell (see the module
    docstring): other sources first, then collapsed sources and lone point sources in
    the order of the cells. Nothing changes without a spacing or with fewer than two
    point sources."""
    points = [s for s in sources if type(s) is PointSource]
    if not spacing or len(points) < 2:
        return list(sources)
    others = [s for s in sources if type(s) is not PointSource]
    cells = grid_cells(np.array([p.lon for p in points]),
                       np.array([p.lat for p in points]), spacing)
    if not cells:
        return list(sources)
    out, cnt = others, 0
    for idx in cells:
        if len(idx) > 1:
            cnt += 1
            out.append(collapse([points[i] for i in idx], "%s-%04d" % (prefix, cnt),
                                spacing))
        else:
            out.append(points[idx[0]])
    return out


def collapsed_contexts(cps: CollapsedPointSource, cmaker) -> Iterator[np.ndarray]:
    """Contexts of a collapsed point source (see the module docstring)."""
    from oqcore.hazard.contexts import psdist_at
    from oqcore.hazard.source.ruptures import (_planar_contexts, _radius, _site_xyz,
                                               mag_rates)
    mags, rates = mag_rates(cps, cmaker.min_mag)
    if len(mags) == 0:
        return
    magdist = np.array([cmaker.max_dist(m) for m in mags])
    positive = magdist > 0
    if not positive.any():
        return
    [(_, plane)] = cps.nodal_planes
    [(_, dep)] = cps.hypo_depths
    extra = cps.grid_spacing * HALF_DIAGONAL
    maxdist = magdist[np.flatnonzero(positive)[-1]]
    # the collapsed location is at the averaged hypocentral depth (distances to it
    # are 3-D chords)
    src_xyz = geodetic.spherical_to_cartesian(cps.lon, cps.lat, dep).reshape(3)
    cdist = np.sqrt(((_site_xyz(cmaker.sitecol) - src_xyz) ** 2).sum(axis=1))
    area = cps.msr.get_median_area(mags[-1], plane.rake)
    radius = min(_radius(cps, mags[-1], area, plane.dip), maxdist / 2.0) + extra
    sids_all = np.flatnonzero(cdist <= maxdist + radius)
    if len(sids_all) == 0:
        return
    fracs = cps.hypo_dip_fracs
    for m, (mag, rate) in enumerate(zip(mags, rates)):
        if magdist[m] <= 0:
            continue
        area = cps.msr.get_median_area(mag, plane.rake)
        psdist = min(_radius(cps, mag, area, plane.dip), magdist[m] / 2.0) + extra + \
            psdist_at(cmaker.pointsource_distance, mag)
        close = sids_all[cdist[sids_all] <= psdist]
        far = sids_all[cdist[sids_all] > psdist]
        if cmaker.fewsites:
            far, close = (sids_all, close[:0]) if len(close) == 0 else (far[:0], sids_all)
        if len(far):
            ctx = _planar_contexts(cps, cmaker, mag, np.array([plane.strike]),
                                   np.array([plane.dip]), np.array([plane.rake]),
                                   np.array([dep]), np.array([[rate]]), far, magdist[m],
                                   fracs)
            if len(ctx):
                yield ctx
        if len(close):
            yield from _underlying_contexts(cps, cmaker, mag, rate, close, magdist[m])


def _underlying_contexts(cps, cmaker, mag, rate, sids, maxdist):
    from oqcore.hazard.source.mfd import occurrence_arrays
    from oqcore.hazard.source.ruptures import _planar_contexts
    having = [s for s in cps.sources if np.isclose(occurrence_arrays(s.mfd)[0],
                                                   mag).any()]
    share = rate / len(having)
    for src in having:
        pw = np.array([p for p, _ in src.nodal_planes])
        dw = np.array([p for p, _ in src.hypo_depths])
        ctx = _planar_contexts(
            src, cmaker, mag, np.array([n.strike for _, n in src.nodal_planes]),
            np.array([n.dip for _, n in src.nodal_planes]),
            np.array([n.rake for _, n in src.nodal_planes]),
            np.array([d for _, d in src.hypo_depths]), np.outer(pw, dw) * share, sids,
            maxdist, src.hypo_dip_fracs)
        if len(ctx):
            yield ctx


def equivalent_distance_sources(sources: list, trt: str, oq) -> list:
    """The sources of a TRT with an equivalent-distance table (``reqv_hdf5`` or
    ``reqv_file``, keyed by TRT) as OpenQuake 3.26 prepares them: every source with
    nodal planes (point, area, multi-point), unless listed in ``reqv_ignore_sources``,
    keeps one nodal plane and one hypocentral depth (their weighted averages) and
    becomes point-like (PointMSR: ruptures of no area). Other TRTs are unchanged."""
    tables = (oq.inputs or {}).get("reqv")
    if not isinstance(tables, dict) or trt not in tables:
        return sources
    ignore = set(getattr(oq, "reqv_ignore_sources", None) or ())
    return [collapse_planes(src) if hasattr(src, "nodal_planes") and
            src.source_id not in ignore else src for src in sources]


def collapse_planes(src):
    """A copy of a source with nodal planes (point, area or multi-point) with a single
    nodal plane and a single depth (the weighted averages of its own) and PointMSR."""
    from oqcore.hazard.source.scaling import PointMSR
    from oqcore.hazard.source.typology import NodalPlane
    ws = np.array([w for w, _ in src.nodal_planes])
    planes = np.array([(p.strike, p.dip, p.rake) for _, p in src.nodal_planes])
    plane = NodalPlane(*(float(np.average(planes[:, k], weights=ws)) for k in range(3)))
    dws = np.array([w for w, _ in src.hypo_depths])
    dep = float(np.average([d for _, d in src.hypo_depths], weights=dws))
    return attrs.evolve(src, nodal_planes=[(1.0, plane)], hypo_depths=[(1.0, dep)],
                        msr=PointMSR(), hypo_dip_fracs=None)
