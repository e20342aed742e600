"""Floating ruptures on fault meshes: where OpenQuake 3.26's simple and complex fault
sources place the ruptures of a given size, in the order it generates them.

A rupture is a sub-mesh ``whole_mesh[rows, cols]`` given by a pair of slices; its
hypocentre is the middle point of the sub-mesh
(:meth:`RectangularMesh.get_middle_point`) unless a hypocentre distribution says
otherwise.
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.hazard.geo.geodetic import round_half_away
from oqcore.hazard.geo.mesh import RectangularMesh


def simple_fault_rupture_dimensions(fault_length: float, fault_width: float,
                                    area: float, aspect_ratio: float,
                                    mesh_spacing: float) -> tuple:
    """Number of mesh nodes (along strike, down dip) of a floating rupture.

    The rupture of ``area`` km² and ``length / width = aspect_ratio`` is reshaped
    (keeping its area) if it is longer or wider than the fault, or made as large as
    the fault if its area is at least the fault's; its sides are then rounded to
    whole numbers of mesh cells.

    :param fault_length, fault_width: (columns - 1) and (rows - 1) times the mesh
        spacing, km
    :param area: rupture area from the magnitude scaling relation, km²
    :param aspect_ratio: rupture length / width
    :param mesh_spacing: km
    :returns: (rup_cols, rup_rows)
    """
    length = math.sqrt(area * aspect_ratio)
    width = area / length
    if area >= fault_length * fault_width:
        length, width = fault_length, fault_width
    elif width > fault_width:
        length = length * (width / fault_width)
        width = fault_width
    elif length > fault_length:
        width = width * (length / fault_length)
        length = fault_length
    rup_cols = int(round_half_away(length / mesh_spacing) + 1)
    rup_rows = int(round_half_away(width / mesh_spacing) + 1)
    return rup_cols, rup_rows


def simple_fault_rupture_slices(mesh_shape: tuple, mesh_spacing: float, area: float,
                                aspect_ratio: float) -> list:
    """The floating ruptures of one magnitude on a simple fault mesh, in
    OpenQuake's order (down dip outer loop, along strike inner loop).

    :param mesh_shape: (rows, cols) of the whole fault mesh
    :param mesh_spacing: the rupture mesh spacing used to build it, km
    :param area: rupture area, km²
    :param aspect_ratio: rupture length / width
    :returns: list of (row_slice, col_slice); each rupture has the rate of the
        magnitude divided by the length of the list
    """
    rows, cols = mesh_shape
    rup_cols, rup_rows = simple_fault_rupture_dimensions(
        float((cols - 1) * mesh_spacing), float((rows - 1) * mesh_spacing),
        area, aspect_ratio, mesh_spacing)
    n_along = cols - rup_cols + 1
    n_down = rows - rup_rows + 1
    return [(slice(r, r + rup_rows), slice(c, c + rup_cols))
            for r in range(n_down) for c in range(n_along)]


def simple_fault_hypo_fractions(first_row: int, rup_rows: int, usd: float, dip: float,
                                mesh_spacing: float, hypo_depths) -> list:
    """Down-dip hypocentre positions of a floating rupture for a hypocentral depth
    distribution (as OpenQuake 3.26's simple fault sources with ``hypoDepthDist``).

    Depths outside the rupture's depth range are dropped and the remaining weights
    renormalised; depths giving the same fraction are merged.

    :param first_row, rup_rows: the rupture's first mesh row and number of rows
    :param usd: upper seismogenic depth, km
    :param dip: fault dip, degrees
    :param mesh_spacing: km
    :param hypo_depths: list of (weight, depth km[, fixed dip fraction or None])
    :returns: list of (dip_fraction, weight)
    :raises ValueError: if no depth falls inside the rupture
    """
    step = mesh_spacing * math.sin(math.radians(dip))
    top = usd + first_row * step
    bottom = usd + (first_row + rup_rows - 1) * step
    weights: dict = {}
    for item in hypo_depths:
        prob, depth = item[0], item[1]
        fixed = item[2] if len(item) > 2 else None
        if top <= depth <= bottom:
            frac = fixed if fixed is not None else (depth - top) / (bottom - top)
            weights[frac] = weights.get(frac, 0.0) + prob
    if not weights:
        raise ValueError("no hypocentral depth falls in the depth range of the "
                         "floating rupture [%.2f, %.2f] km" % (top, bottom))
    total = sum(weights.values())
    return [(f, w / total) for f, w in weights.items()]


def simple_fault_floating(mesh: RectangularMesh, mesh_spacing: float, area: float,
                          aspect_ratio: float, usd: float = 0.0, dip: float = 90.0,
                          hypo_depths=None) -> list:
    """The floating ruptures of one magnitude on a simple fault with their
    hypocentres, in OpenQuake's order.

    Without ``hypo_depths`` there is one rupture per position, its hypocentre the
    middle point of the sub-mesh and weight 1. With a hypocentral depth
    distribution (``hypoDepthDist``) every position gives one rupture per distinct
    down-dip fraction (see :func:`simple_fault_hypo_fractions`), its hypocentre the
    mesh node at (0.5 along strike, fraction down dip) and its weight the
    renormalised probability.

    :param mesh: whole fault mesh
    :param mesh_spacing: km
    :param area: rupture area, km²
    :param aspect_ratio: length / width
    :param usd, dip: upper seismogenic depth (km) and dip (degrees) of the fault,
        needed with ``hypo_depths``
    :param hypo_depths: None or a list of (weight, depth km[, fixed fraction])
    :returns: list of ``(slices, hypocentre, weight)``, slices a (row, col) pair,
        hypocentre (lon, lat, depth); the rate of a rupture is the magnitude's rate
        times weight divided by the number of positions
    """
    from oqcore.hazard.geo.surface import BaseSurface
    out = []
    for slices in simple_fault_rupture_slices(mesh.shape, mesh_spacing, area,
                                              aspect_ratio):
        sub = mesh[slices]
        if not hypo_depths:
            out.append((slices, sub.get_middle_point(), 1.0))
            continue
        surf = BaseSurface(sub)
        fracs = simple_fault_hypo_fractions(slices[0].start, sub.shape[0], usd, dip,
                                            mesh_spacing, hypo_depths)
        for frac, weight in fracs:
            out.append((slices, surf.get_hypo_location(mesh_spacing, (0.5, frac)),
                        weight))
    return out


def complex_fault_rupture_slices(rupture_area: float, rupture_length: float,
                                 cell_area: np.ndarray, cell_length: np.ndarray
                                 ) -> list:
    """The floating ruptures of one magnitude on a complex fault mesh, in OpenQuake's
    order (OpenQuake's ``_float_ruptures``).

    For each starting cell (row-major) the rupture takes the number of columns whose
    accumulated length is closest to ``rupture_length`` and then the number of rows
    whose accumulated area is closest to ``rupture_area``; ruptures running out of
    the mesh are dropped or cut as OpenQuake does.

    :param rupture_area: km²
    :param rupture_length: km (sqrt(area * aspect ratio))
    :param cell_area, cell_length: (rows - 1, cols - 1) from
        :meth:`RectangularMesh.get_cell_dimensions`
    :returns: list of index expressions into the node mesh: ``slice(None)`` (the
        whole fault) or (row_slice, col_slice)
    """
    nrows, ncols = cell_length.shape
    if rupture_area >= np.sum(cell_area):
        return [slice(None)]
    out = []
    dead_ends = set()
    for row in range(nrows):
        for col in range(ncols):
            if col in dead_ends:
                continue
            lengths = np.add.accumulate(cell_length[row, col:])
            n_cols = int(np.argmin(np.abs(lengths - rupture_length)))
            last_col = n_cols + col + 1
            if last_col == ncols and lengths[n_cols] < rupture_length and col != 0:
                break  # too short from here on: next row
            areas = np.add.accumulate(np.sum(cell_area[row:, col:last_col], axis=1))
            n_rows = int(np.argmin(np.abs(areas - rupture_area)))
            last_row = n_rows + row + 1
            if last_row == nrows and areas[n_rows] < rupture_area:
                if row == 0:
                    if last_col == ncols:
                        return out
                    # widen the rupture using the whole height
                    areas = np.add.accumulate(np.sum(cell_area[:, col:], axis=0))
                    n_cols = int(np.argmin(np.abs(areas - rupture_area)))
                    last_col = n_cols + col + 1
                    if last_col == ncols and areas[n_cols] < rupture_area:
                        return out
                else:
                    dead_ends.add(col)
            out.append((slice(row, last_row + 1), slice(col, last_col + 1)))
    return out


def complex_fault_ruptures(mesh: RectangularMesh, rupture_area: float,
                           aspect_ratio: float) -> list:
    """Sub-meshes of the floating ruptures of one magnitude on a complex fault.

    :returns: list of :class:`RectangularMesh`
    """
    _, cell_length, _, cell_area = mesh.get_cell_dimensions()
    slices = complex_fault_rupture_slices(
        rupture_area, math.sqrt(rupture_area * aspect_ratio), cell_area, cell_length)
    return [mesh[s] for s in slices]


def simple_fault_ruptures(mesh: RectangularMesh, mesh_spacing: float,
                          rupture_area: float, aspect_ratio: float) -> list:
    """Sub-meshes of the floating ruptures of one magnitude on a simple fault.

    :returns: list of :class:`RectangularMesh`
    """
    return [mesh[s] for s in simple_fault_rupture_slices(
        mesh.shape, mesh_spacing, rupture_area, aspect_ratio)]


def count_floating_ruptures(kind: str, mesh: RectangularMesh, mesh_spacing: float,
                            areas, aspect_ratio: float) -> list:
    """Number of floating ruptures per magnitude.

    :param kind: ``'simple'`` or ``'complex'``
    :param mesh: the whole fault mesh
    :param mesh_spacing: km (used by simple faults)
    :param areas: rupture areas (M,) of the magnitudes, km²
    :param aspect_ratio: rupture length / width
    :returns: list of M integers
    """
    if kind == "simple":
        return [len(simple_fault_rupture_slices(mesh.shape, mesh_spacing, a,
                                                aspect_ratio)) for a in areas]
    if kind == "complex":
        _, cell_length, _, cell_area = mesh.get_cell_dimensions()
        return [len(complex_fault_rupture_slices(a, math.sqrt(a * aspect_ratio),
                                                 cell_area, cell_length))
                for a in areas]
    raise ValueError("kind must be 'simple' or 'complex', got %r" % kind)
