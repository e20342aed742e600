"""From sources to rupture-site contexts (the hot path of classical PSHA).

Point sources follow OpenQuake's treatment: one planar rupture per magnitude, nodal
plane and hypocentral depth; for sites farther than the effective point-source
distance the nodal planes and depths of a magnitude collapse into one rupture with the
weighted-average plane and depth and the whole rate of the magnitude.
"""
from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.closest import planar_closest_points
from oqcore.hazard.geo.planar import build_planar_corners, plane_frame, planar_distances
from oqcore.hazard.source.area import discretize_polygon
from oqcore.hazard.source.mfd import occurrence_arrays
from oqcore.hazard.contexts import psdist_at, rupture_param_fields
from oqcore.hazard.source.typology import (AreaSource, MultiPointSource, PointSource,
                                           aspect_ratio_at)


def mag_rates(src, min_mag: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Magnitudes and annual rates of a source's MFD with mag >= min_mag."""
    mags, rates = occurrence_arrays(src.mfd)
    keep = (mags >= min_mag) & (rates > 0)
    return mags[keep], rates[keep]


def rupture_context(cmaker, sids: np.ndarray, hypo: tuple, site_lons: np.ndarray,
                    site_lats: np.ndarray, site_depths: np.ndarray, **fields
                    ) -> np.ndarray:
    """A finished context array with one row per rupture-site pair.

    :param sids: (K,) site index of every pair
    :param hypo: (lons, lats, depths) of the pairs' hypocentres (arrays (K,) or
        scalars; degrees, km)
    :param site_lons, site_lats, site_depths: (K,) the pairs' sites
    :param fields: the other rupture fields and distances (mag, rake, dip, strike,
        ztor, width, occurrence_rate, rrup, rjb, rx, ry0), arrays (K,) or scalars
    :returns: ``cmaker.finish`` of the array, with ``repi`` (great-circle distance
        from the hypocentre) and ``rhypo`` (that and the depth difference combined)
    """
    ctx = cmaker.new_context(len(sids))
    for name, value in fields.items():
        ctx[name] = value
    ctx["hypo_lon"], ctx["hypo_lat"], ctx["hypo_depth"] = hypo
    repi = geodetic.geodetic_distance(hypo[0], hypo[1], site_lons, site_lats)
    ctx["repi"] = repi
    ctx["rhypo"] = np.sqrt(repi ** 2 + (ctx["hypo_depth"] - site_depths) ** 2)
    if "azimuth" in ctx.dtype.names:
        ctx["azimuth"] = site_azimuth(hypo[0], hypo[1], ctx["strike"], site_lons, site_lats)
    cmaker.set_sites(ctx, sids)
    return cmaker.finish(ctx)


def site_azimuth(lon, lat, strike, site_lons, site_lats) -> np.ndarray:
    """Azimuth (degrees in [0, 360)) of the sites seen from a rupture reference point
    (lon, lat), measured clockwise from the rupture strike: OpenQuake's ``azimuth``
    distance (the reference point is the hypocentre of point-source ruptures).

    :param lon, lat, strike: scalars or arrays (K,); :param site_lons, site_lats: (K,)
    """
    return (geodetic.azimuth(lon, lat, site_lons, site_lats) - strike) % 360.0


def area_to_points(src: AreaSource) -> list[PointSource]:
    """Split an area source into point sources on its discretisation grid (rates split
    evenly)."""
    lons, lats = discretize_polygon(src.polygon_lons, src.polygon_lats, src.discretization)
    n = len(lons)
    out = []
    for i, (lon, lat) in enumerate(zip(lons, lats)):
        mfd = _scaled_mfd(src.mfd, 1.0 / n)
        out.append(PointSource(
            source_id="%s:%d" % (src.source_id, i), name=src.name, trt=src.trt, mfd=mfd,
            lon=float(lon), lat=float(lat),
            upper_seismogenic_depth=src.upper_seismogenic_depth,
            lower_seismogenic_depth=src.lower_seismogenic_depth, msr=src.msr,
            rupture_aspect_ratio=src.rupture_aspect_ratio, nodal_planes=src.nodal_planes,
            hypo_depths=src.hypo_depths, hypo_dip_fracs=src.hypo_dip_fracs))
    return out


def multi_point_to_points(src: MultiPointSource) -> list[PointSource]:
    """The point sources of a multi-point source (ids ``<id>:<i>``), each with its
    own MFD."""
    return [PointSource(
        source_id="%s:%d" % (src.source_id, i), name=src.name, trt=src.trt, mfd=mfd,
        lon=float(lon), lat=float(lat),
        upper_seismogenic_depth=src.upper_seismogenic_depth,
        lower_seismogenic_depth=src.lower_seismogenic_depth, msr=src.msr,
        rupture_aspect_ratio=src.rupture_aspect_ratio, nodal_planes=src.nodal_planes,
        hypo_depths=src.hypo_depths, hypo_dip_fracs=src.hypo_dip_fracs)
        for i, (lon, lat, mfd) in enumerate(zip(src.lons, src.lats, src.mfd.mfds))]


def point_sources_of(src) -> list[PointSource] | None:
    """The point sources an area or multi-point source stands for (None for other
    typologies); their ids are ``<id>:<i>``."""
    if isinstance(src, AreaSource):
        return area_to_points(src)
    if isinstance(src, MultiPointSource):
        return multi_point_to_points(src)
    return None


class _ScaledMFD:
    """An MFD whose rates are multiplied by a factor."""

    def __init__(self, mfd, factor):
        self.mfd = mfd
        self.factor = factor

    def get_annual_occurrence_rates(self):
        return [(m, r * self.factor) for m, r in self.mfd.get_annual_occurrence_rates()]


def _scaled_mfd(mfd, factor):
    return _ScaledMFD(mfd, factor)


def _site_xyz(sitecol) -> np.ndarray:
    return geodetic.spherical_to_cartesian(sitecol.lons, sitecol.lats, sitecol.depths)


def _point_planes(src: PointSource, mags, strikes, dips, rakes, hdeps, fracs=None):
    """Corners (U, D, 4, 3) for the U = len(strikes) planes of every magnitude
    (``fracs``: down-dip fractions of the hypocentre per depth, None for 0.5)."""
    areas = np.array([src.msr.get_median_area(m, r) for m, r in zip(mags, rakes)])
    corners, _centres = build_planar_corners(
        src.lon, src.lat, hdeps, strikes, dips, areas,
        aspect_ratio_at(src.rupture_aspect_ratio, float(mags[0])),
        src.upper_seismogenic_depth, src.lower_seismogenic_depth, fracs)
    return corners, areas


def _radius(src: PointSource, mag: float, area: float, dip: float) -> float:
    usd, lsd = src.upper_seismogenic_depth, src.lower_seismogenic_depth
    rdip = math.radians(dip)
    max_width = (lsd - usd) / math.sin(rdip)
    length = math.sqrt(area * aspect_ratio_at(src.rupture_aspect_ratio, mag))
    width = area / length
    if width > max_width:
        width = max_width
        length = area / width
    return math.sqrt(length ** 2 + (width * math.cos(rdip)) ** 2) / 2.0


def point_contexts(src: PointSource, cmaker, collapse: bool = True
                   ) -> Iterator[np.ndarray]:
    """Contexts of a point source (see the module docstring).

    :param collapse: False for the points of an area or multi-point source kept whole
        (``split_sources = false``): every nodal plane and depth reaches every site,
        and a pair is kept up to the integration distance included, as for the
        ruptures of other source typologies
    """
    mags, rates = mag_rates(src, cmaker.min_mag)
    if len(mags) == 0:
        return
    sitecol = cmaker.sitecol
    plane_weights = np.array([p for p, _ in src.nodal_planes])
    strikes = np.array([n.strike for _, n in src.nodal_planes])
    dips = np.array([n.dip for _, n in src.nodal_planes])
    rakes = np.array([n.rake for _, n in src.nodal_planes])
    depth_weights = np.array([p for p, _ in src.hypo_depths])
    hdeps = np.array([d for _, d in src.hypo_depths])
    magdist = np.array([cmaker.max_dist(m) for m in mags])
    positive = magdist > 0
    if not positive.any():
        return
    maxdist = magdist[np.flatnonzero(positive)[-1]]
    src_xyz = geodetic.spherical_to_cartesian(src.lon, src.lat, 0.0).reshape(3)
    cdist = np.sqrt(((_site_xyz(sitecol) - src_xyz) ** 2).sum(axis=1))
    last_area = src.msr.get_median_area(mags[-1], rakes[-1])
    radius_max = _radius(src, mags[-1], last_area, dips[-1])
    mask = cdist <= maxdist + min(radius_max, maxdist / 2.0)
    sids_all = np.flatnonzero(mask)
    if len(sids_all) == 0:
        return
    # (nodal plane, hypocentral depth) combinations of every magnitude
    n_combinations = len(plane_weights) * len(depth_weights)
    if n_combinations > 1:
        avg_strike = float(np.average(strikes, weights=plane_weights))
        avg_dip = float(np.average(dips, weights=plane_weights))
        avg_rake = float(np.average(rakes, weights=plane_weights))
        avg_dep = float(np.average(hdeps, weights=depth_weights))
    for m, (mag, rate) in enumerate(zip(mags, rates)):
        if magdist[m] <= 0:
            continue
        full = (strikes, dips, rakes, hdeps, np.outer(plane_weights, depth_weights) * rate,
                src.hypo_dip_fracs)
        if n_combinations == 1 or not collapse:
            groups = [(full, sids_all)]
        else:
            area_m = src.msr.get_median_area(mag, rakes[-1])
            psdist = min(_radius(src, mag, area_m, dips[-1]), magdist[m] / 2.0) + \
                psdist_at(cmaker.pointsource_distance, mag)
            close = sids_all[cdist[sids_all] <= psdist]
            far = sids_all[cdist[sids_all] > psdist]
            avg = (np.array([avg_strike]), np.array([avg_dip]), np.array([avg_rake]),
                   np.array([avg_dep]), np.array([[rate]]), None)
            if cmaker.fewsites:
                groups = [(avg, sids_all)] if len(close) == 0 else [(full, sids_all)]
            else:
                groups = []
                if len(far):
                    groups.append((avg, far))
                if len(close):
                    groups.append((full, close))
        for (stk, dp, rk, hd, rr, fr), sids in groups:
            ctx = _planar_contexts(src, cmaker, mag, stk, dp, rk, hd, rr, sids, magdist[m],
                                   fr, planar=collapse)
            if len(ctx):
                yield ctx


def _planar_contexts(src, cmaker, mag, strikes, dips, rakes, hdeps, rates, sids, maxdist,
                     fracs=None, planar: bool = True):
    """Contexts of the planes (nodal planes x depths) of one magnitude and some sites.

    :param rates: (n_planes, n_depths) occurrence rates
    :param planar: the integration-distance test of :meth:`ContextMaker.within`
    """
    U, D = len(strikes), len(hdeps)
    corners, areas = _point_planes(src, np.full(U, mag), strikes, dips, rakes, hdeps,
                                   fracs)
    corners = corners.reshape(U * D, 4, 3)
    stk = np.repeat(strikes, D)
    sitecol = cmaker.sitecol
    pts = np.column_stack([sitecol.lons[sids], sitecol.lats[sids], sitecol.depths[sids]])
    rrup, rjb, rx, ry0 = planar_distances(corners, pts, stk)
    # only the (plane, site) pairs within the integration distance become contexts,
    # in the row-major order of the (R, N) pair matrices
    keep = cmaker.within(rrup, maxdist, planar=planar)
    r_idx, n_idx = np.nonzero(keep)
    if len(r_idx) == 0:
        return cmaker.new_context(0)
    closest = {}
    if cmaker.closest:
        clon, clat = planar_closest_points(corners, pts)
        closest["clon"], closest["clat"] = clon[keep], clat[keep]
    kept_pts = pts[n_idx]
    return rupture_context(
        cmaker, sids[n_idx],
        (src.lon, src.lat, np.tile(hdeps, U)[r_idx]),
        kept_pts[:, 0], kept_pts[:, 1], kept_pts[:, 2],
        mag=mag, rake=np.repeat(rakes, D)[r_idx], dip=np.repeat(dips, D)[r_idx],
        strike=stk[r_idx], ztor=corners[r_idx, 0, 2],
        width=plane_widths(corners)[r_idx],
        occurrence_rate=rates.reshape(-1)[r_idx], rrup=rrup[keep], rjb=rjb[keep],
        rx=rx[keep], ry0=ry0[keep], **closest,
        **rupture_param_fields(cmaker, lambda: [(c[:, 0], c[:, 1]) for c in corners], r_idx))


def plane_widths(corners: np.ndarray) -> np.ndarray:
    """Down-dip widths (km) of rupture planes as OpenQuake's contexts give them:
    measured on the plane fitted to the corners in Earth-centred Cartesian space
    (a little less than the nominal width of a long plane, whose corners are placed
    along great circles).

    :param corners: (..., 4, 3) lon, lat, depth in TL, TR, BR, BL order
    :returns: (...,) widths
    """
    return plane_frame(corners)["width"]


def source_contexts(src, cmaker) -> Iterator[np.ndarray]:
    """Contexts of any supported source."""
    if getattr(src, "sources", None) is not None and isinstance(src, PointSource):
        from oqcore.hazard.source.collapse import collapsed_contexts
        yield from collapsed_contexts(src, cmaker)
    elif isinstance(src, PointSource):
        yield from point_contexts(src, cmaker)
    elif isinstance(src, (AreaSource, MultiPointSource)):
        for ps in point_sources_of(src):
            yield from point_contexts(ps, cmaker, collapse=cmaker.split_sources)
    elif getattr(src, "CODE", "") == "K":
        from oqcore.hazard.source.kite_fault import kite_fault_contexts
        yield from kite_fault_contexts(src, cmaker)
    else:
        from oqcore.hazard.source import fault_ruptures
        yield from fault_ruptures.fault_contexts(src, cmaker)


def batched_contexts(sources, cmaker, batch_rows: int, counts: dict | None = None
                     ) -> Iterator[np.ndarray]:
    """The contexts of ``sources`` concatenated in batches of about ``batch_rows`` rows
    (so that each GSIM is called on large arrays).

    :param counts: if given, ``{source_id: number of contexts}`` is accumulated in it
    """
    buffer: list = []
    size = 0
    for src in sources:
        for ctx in source_contexts(src, cmaker):
            if counts is not None:
                counts[src.source_id] = counts.get(src.source_id, 0) + len(ctx)
            buffer.append(ctx)
            size += len(ctx)
            if size >= batch_rows:
                yield np.concatenate(buffer)
                buffer, size = [], 0
    if buffer:
        yield np.concatenate(buffer)
