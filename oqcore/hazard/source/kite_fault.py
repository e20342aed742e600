"""Kite fault sources: floating ruptures on a kite surface, as OpenQuake 3.26 makes
them.

The surface comes from ``<kiteSurface>`` profiles, or from a
``<simpleFaultGeometry>`` whose simple-fault mesh (spacing 1.01 x the rupture mesh
spacing, a vertical dip taken as 89.9 degrees) gives one profile per column. It is
meshed (:mod:`oqcore.hazard.source.kite`) with the rupture mesh spacing along strike
and ``spacing / aspect ratio`` down dip.

For each magnitude the rupture area (km², from the scaling relation) becomes a
length and a width multiple of the two spacings (:func:`discrete_dimensions`); the
rupture covers ``round(length / spacing) + 1`` columns and ``round(width /
dip spacing) + 1`` rows of the mesh and floats over it with steps of
``floating_x_step`` (``floating_y_step``) times its size (1 node when 0), the last
position reaching the mesh end; positions with missing nodes are skipped. Each
position has the magnitude's rate divided by their number; its hypocentre is the
node at (round(rows / 2), round(cols / 2)) of the rupture mesh.
"""
from __future__ import annotations

import math

import attrs
import numpy as np

from oqcore.hazard.geo.mesh import RectangularMesh
from oqcore.hazard.geo.surface import SimpleFaultSurface
from oqcore.hazard.source.fault_ruptures import Sites, rupture_mesh_distances
from oqcore.hazard.source.kite import KiteSurface
from oqcore.hazard.source.typology import BaseSource


@attrs.define
class KiteFaultSource(BaseSource):
    """Floating ruptures on a kite surface (see the module docstring)."""
    CODE = "K"
    profiles: list = attrs.field(factory=list)   # arrays (n, 3) lon, lat, depth
    rake: float = 0.0
    msr: object = None
    rupture_aspect_ratio: float = 1.0
    mesh_spacing: float = 5.0
    floating_x_step: float = 0.0
    floating_y_step: float = 0.0


def profiles_from_simple_fault(trace, usd: float, lsd: float, dip: float,
                               spacing: float) -> list:
    """The profiles (mesh columns, arrays (n, 3)) of a simple-fault geometry."""
    if abs(dip - 90.0) < 1e-5:
        dip = 89.9
    mesh = SimpleFaultSurface.from_fault_data(np.asarray(trace, float), usd, lsd, dip,
                                              spacing * 1.01).mesh
    return [np.column_stack([mesh.lons[:, j], mesh.lats[:, j], mesh.depths[:, j]])
            for j in range(mesh.shape[1])]


def kite_fault_surface(src: KiteFaultSource) -> KiteSurface:
    """The whole surface of a kite fault source."""
    return KiteSurface.from_profiles(src.profiles,
                                     src.mesh_spacing / src.rupture_aspect_ratio,
                                     src.mesh_spacing)


def discrete_dimensions(area: float, spacing: float, aspect: float,
                        spacing_y: float) -> tuple:
    """Length and width (km) of a rupture of ``area`` km², multiples of the
    spacings, chosen among the floor/ceil candidates as OpenQuake 3.26 does
    (aspect ratios within 0.01 above an integer are raised by 0.05 first).

    :returns: (length, width), (None, None) for a one-cell rupture far from the area
    :raises ValueError: when no candidate is within 25% of the area
    """
    if aspect % 1 < 0.01:
        aspect += 0.05
    root = math.sqrt(area * aspect)
    l1 = math.ceil(root / spacing) * spacing
    l2 = math.floor(root / spacing) * spacing
    widths = [math.ceil(l1 / aspect / spacing_y) * spacing_y,
              math.floor(l1 / aspect / spacing_y) * spacing_y,
              math.ceil(l2 / aspect / spacing_y) * spacing_y,
              math.floor(l2 / aspect / spacing_y) * spacing_y]
    # OpenQuake pairs the candidates cyclically: (l1, w1), (l2, w2), (l1, w3), ...
    a = np.array([l1, l2] * 4)
    b = np.array(widths * 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = int(np.argmin(np.abs(a * b - area) ** 0.5 + np.abs(a / b - aspect) * spacing))
    lng, wdt = float(a[idx]), float(b[idx])
    error = abs(lng * wdt - area) / area
    if abs(wdt - spacing_y) < 1e-10 or abs(lng - spacing) < 1e-10 and error > 0.3:
        return None, None
    if error > 0.25 and lng > 1e-10 and wdt > 1e-10:
        raise ValueError("a rupture of %.1f km² cannot be made of %.2f x %.2f km cells "
                         "(closest %.1f km²)" % (area, spacing, spacing_y, lng * wdt))
    return lng, wdt


def _steps(size: int, step: float) -> int:
    return max(1, int(math.floor(size * step))) if step else 1


def floating_positions(shape: tuple, rup_len: int, rup_wid: int, f_strike: int,
                       f_dip: int, finite: np.ndarray) -> list:
    """(row, col) of the top-left nodes of the floating ruptures of ``rup_wid`` rows
    and ``rup_len`` columns on a mesh of ``shape``.

    :param finite: (rows, cols) boolean mask of the existing nodes
    """
    nx, ny = shape[1] - rup_len + 1, shape[0] - rup_wid + 1
    xs, ys = np.arange(0, nx, f_strike), np.arange(0, ny, f_dip)
    while len(xs) and f_strike > 1 and xs[-1] != shape[1] - rup_len:
        f_strike -= 1
        xs = np.arange(0, nx, f_strike)
    while len(ys) and f_dip > 1 and ys[-1] != shape[0] - rup_wid:
        f_dip -= 1
        ys = np.arange(0, ny, f_dip)
    out = []
    for i in xs:
        for j in ys:
            block = finite[j:j + rup_wid, i:i + rup_len]
            if block.all() and block.sum() >= 4:
                out.append((int(j), int(i)))
    return out


def kite_rupture_meshes(src: KiteFaultSource, surface: KiteSurface, mag: float
                        ) -> list:
    """The rupture meshes (RectangularMesh) of one magnitude: windows of the grid
    whose nodes all exist."""
    mesh = surface.raw
    area = src.msr.get_median_area(mag, src.rake)
    dip_spacing = src.mesh_spacing / src.rupture_aspect_ratio
    lng, wdt = discrete_dimensions(area, src.mesh_spacing, src.rupture_aspect_ratio,
                                   dip_spacing)
    if lng is None:
        return []
    rup_len = int(np.round(lng / src.mesh_spacing)) + 1
    rup_wid = int(np.round(wdt / dip_spacing)) + 1
    f_strike = _steps(rup_len, src.floating_x_step)
    # OpenQuake tests floating_x_step for both directions
    f_dip = _steps(rup_wid, src.floating_y_step) if src.floating_x_step else 1
    pos = floating_positions(mesh.shape, rup_len, rup_wid, f_strike, f_dip,
                             np.isfinite(mesh.lons))
    return [mesh[j:j + rup_wid, i:i + rup_len] for j, i in pos]


def kite_fault_contexts(src: KiteFaultSource, cmaker):
    """Contexts of a kite fault source, one array per magnitude."""
    from oqcore.hazard.contexts import rupture_param_fields
    from oqcore.hazard.source.ruptures import mag_rates, rupture_context
    mags, rates = mag_rates(src, cmaker.min_mag)
    if len(mags) == 0:
        return
    surface = kite_fault_surface(src)
    allsites = Sites.of(cmaker.sitecol)
    for mag, rate in zip(mags, rates):
        maxdist = cmaker.max_dist(mag)
        if maxdist <= 0:
            continue
        meshes = kite_rupture_meshes(src, surface, mag)
        if not meshes:
            continue
        surfs = [KiteSurface(RectangularMesh(m.lons, m.lats, m.depths)) for m in meshes]
        strikes = np.array([s.get_strike() for s in surfs])
        d = rupture_mesh_distances([s.mesh for s in surfs], strikes, allsites)
        ctxs = []
        for r, s in enumerate(surfs):
            sids = np.flatnonzero(d[0][r] <= maxdist)
            if len(sids) == 0:
                continue
            sites = Sites.of(cmaker.sitecol, sids)
            rows, cols = s.mesh.shape
            hr, hc = int(np.round(rows / 2)), int(np.round(cols / 2))
            hr, hc = min(hr, rows - 1), min(hc, cols - 1)
            hypo = (s.mesh.lons[hr, hc], s.mesh.lats[hr, hc], s.mesh.depths[hr, hc])
            ctxs.append(rupture_context(
                cmaker, sids, hypo, sites.lons, sites.lats, sites.depths,
                mag=mag, rake=src.rake, dip=s.get_dip(),
                strike=strikes[r], ztor=s.get_top_edge_depth(), width=s.get_width(),
                occurrence_rate=rate / len(surfs), rrup=d[0][r][sids],
                rjb=s.rjb(sites.lons, sites.lats), rx=d[2][r][sids],
                ry0=d[3][r][sids],
                **rupture_param_fields(cmaker, lambda: [(s.mesh.lons, s.mesh.lats)], 0)))
        if ctxs:
            yield np.concatenate(ctxs).view(np.recarray)


def count_kite_ruptures(src: KiteFaultSource, min_mag: float = 0.0) -> int:
    """The number of ruptures of a kite fault source."""
    from oqcore.hazard.source.ruptures import mag_rates
    surface = kite_fault_surface(src)
    return sum(len(kite_rupture_meshes(src, surface, m))
               for m in mag_rates(src, min_mag)[0])
