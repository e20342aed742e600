"""The node grid of a kite surface, built from its down-dip profiles.

The method (the one OpenQuake 3.26 uses, so that the meshes agree node by node):

1. each profile (lon, lat, depth from the top down) is resampled at the profile
   spacing (straight-line steps from its top point); profiles of different lengths give
   different numbers of points: the shorter ones are padded with missing nodes (NaN)
   at the bottom;
2. the reference profile is the first one, or the longest when the resampled
   lengths differ by more than a tenth of the profile spacing;
3. on each side of the reference profile (towards the last profile, then towards
   the first one) the i-th points of the profiles form the i-th edge. An edge may
   be interrupted by missing nodes: each run of two or more consecutive existing
   points is handled apart. Runs that start at the reference profile are resampled
   at the edge spacing (keeping both extremes; the last point dropped when there are
   three or more); the k-th resampled points of those runs define the k-th new
   profile, a straight line (least squares in a local orthographic projection).
   A run that starts farther away is not resampled but cut by the new profile lines:
   its nodes are the crossings, and it starts at the column of the first line it
   crosses;
4. the two sides are joined at the reference profile (the shorter side padded with
   missing rows); a node is dropped (NaN) when it has no existing neighbour along
   its row or along its column; rows are sorted by mean depth and swapped where a
   row lies above the one before it; all-NaN rows and columns are removed;
5. the columns are reversed when the top edge does not follow the right-hand rule:
   its azimuth is not within 60 degrees of the strike of the least-squares plane of
   the nodes, or, in the first cell with four nodes, the down-dip direction is within
   40 degrees of the strike minus 90.

The result is a (rows, columns, 3) array of lon, lat, depth with NaN for the
missing nodes (a mesh "with holes" when the profiles or the edges differ in length).
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.geo import geodetic
from oqcore.hazard.geo.line import resample_coords

#: a projected line steeper than this is vertical (x = intercept)
VERTICAL_SLOPE = 1e20
#: km: projected x coordinates closer than this are on one vertical line
SAME_X = 1e-5


def profile_length(coo: np.ndarray) -> float:
    """Length (km) of a polyline (n, 3) of lon, lat, depth, along straight segments."""
    return float(np.sum(geodetic.distance(coo[:-1, 0], coo[:-1, 1], coo[:-1, 2],
                                          coo[1:, 0], coo[1:, 1], coo[1:, 2])))


def kite_grid(profiles: list, profile_spacing: float, edge_spacing: float) -> np.ndarray:
    """The kite grid of ``profiles`` (arrays (n, 3) of lon, lat, depth): an array
    (rows, columns, 3), NaN for missing nodes (see the module docstring).

    :raises ValueError: for fewer than two profiles or grids of fewer than two rows
        or columns
    """
    if len(profiles) < 2:
        raise ValueError("a kite surface needs at least two profiles")
    rprof = [resample_coords(np.asarray(p, float), profile_spacing) for p in profiles]
    lengths = np.array([profile_length(p) for p in rprof])
    ref = int(np.argmax(lengths)) if lengths.max() - lengths.min() > \
        0.1 * profile_spacing else 0
    arr = np.full((len(rprof), max(len(p) for p in rprof), 3), np.nan)
    for i, p in enumerate(rprof):
        arr[i, :len(p)] = p
    pts = np.concatenate(rprof)
    proj = geodetic.OrthographicProjection(pts[:, 0].min(), pts[:, 0].max(),
                                           pts[:, 1].max(), pts[:, 1].min())
    fwd = _side_columns(arr[ref:], edge_spacing, proj) if ref < len(arr) - 1 else []
    bwd = _side_columns(arr[ref::-1], edge_spacing, proj) if ref > 0 else []
    if fwd and bwd:
        fwd, bwd = _same_rows(fwd, bwd)
        bwd = bwd[1:]  # the reference profile is in both
    cols = fwd[::-1] + bwd
    if len(cols) < 2:
        raise ValueError("the profiles give fewer than two columns of nodes: decrease "
                         "the mesh spacing")
    msh = np.array(cols).transpose(1, 0, 2)  # (rows, columns, 3)
    _drop_isolated_nodes(msh)
    msh = _sort_rows(msh)
    msh = _without_empty_lines(msh)
    if 1 in msh.shape[:2]:
        raise ValueError("the kite mesh has a single row or column of nodes")
    return _right_hand(msh)


def _runs(column: np.ndarray, edge: int) -> list:
    """[start, stop, edge] of each run of two or more consecutive existing points."""
    out, start = [], -1
    finite = np.isfinite(column[:, 0])
    for i, ok in enumerate(finite):
        if ok and start < 0:
            start = i
        elif not ok and start >= 0:
            if i - start > 1:
                out.append([start, i, edge])
            start = -1
    if start >= 0 and len(finite) - start > 1:
        out.append([start, len(finite), edge])
    return out


def _side_columns(parr: np.ndarray, spacing: float, proj) -> list:
    """The new profiles (arrays (rows, 3)) of one side: ``parr`` (P, n, 3) holds the
    resampled profiles from the reference one outwards."""
    runs = [r for e in range(parr.shape[1]) for r in _runs(parr[:, e], e)]
    if not runs:
        return []
    runs = np.array(runs)
    # by start profile, then longer runs first, then edge index
    runs = runs[np.lexsort((runs[:, 2], -runs[:, 1], runs[:, 0]))]
    pieces = []  # (first column, edge index, nodes (k, 3))
    lines: list = []  # (slope, intercept) of the new profiles, projected
    starts = np.unique(runs[:, 0])
    for start in starts:
        for s, e, edge in runs[runs[:, 0] == start]:
            if start == starts[0]:
                nodes = resample_coords(parr[s:e, edge], spacing, keep_last=True)
                if len(nodes) >= 3:
                    nodes = nodes[:-1]
                pieces.append((0, edge, nodes))
            else:
                nodes, first = _crossings(parr[s:e, edge], lines, proj)
                pieces.append((first, edge, nodes))
        lines.extend(_profile_lines(pieces, start, proj))
    return _grid_columns(_edges(pieces))


def _crossings(edge: np.ndarray, lines: list, proj) -> tuple:
    """The points where the segments of ``edge`` (k, 3) cross the projected profile
    lines (strictly inside the segments' boxes), depths interpolated along x, and the
    index of the first line crossed."""
    pts, idx = [], []
    for k in range(len(edge) - 1):
        xp, yp = proj(edge[k:k + 2, 0], edge[k:k + 2, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (yp[1] - yp[0]) / (xp[1] - xp[0])
            intercept = yp[0] - slope * xp[0]
            for i, (lslope, lcept) in enumerate(lines):
                if lslope >= VERTICAL_SLOPE:
                    xi = lcept
                else:
                    xi = (intercept - lcept) / (lslope - slope)
                yi = xi * slope + intercept
                if (xp.min() < xi < xp.max()) and (yp.min() < yi < yp.max()):
                    lo, la = proj.inverse(np.array([xi]), np.array([yi]))
                    ratio = (xi - xp[0]) / (xp[1] - xp[0])
                    zi = edge[k, 2] + ratio * (edge[k + 1, 2] - edge[k, 2])
                    pts.append([lo[0], la[0], zi])
                    idx.append(i)
    if not idx:
        raise ValueError("an edge between the profiles does not cross any of the "
                         "resampled profiles: check the profiles or the mesh spacing")
    return np.array(pts), min(idx)


def _profile_lines(pieces: list, first: int, proj) -> list:
    """Least-squares lines (slope, intercept; x = intercept when vertical) through the
    k-th nodes of the pieces that begin at column ``first``."""
    columns: list = []
    for col0, _, nodes in pieces:
        if col0 != first:
            continue
        for k, node in enumerate(nodes):
            if len(columns) == k:
                columns.append([node])
            else:
                columns[k].append(node)
    out = []
    for col in columns:
        col = np.array(col)
        xp, yp = proj(col[:, 0], col[:, 1])
        if np.all(np.abs(xp[0] - xp) < SAME_X):
            out.append((VERTICAL_SLOPE, float(xp[0])))
        else:
            xm, ym = xp.mean(), yp.mean()
            slope = ((xp - xm) * (yp - ym)).sum() / ((xp - xm) ** 2).sum()
            out.append((float(slope), float(ym - slope * xm)))
    return out


def _edges(pieces: list) -> dict:
    """edge index -> list of nodes (lists of 3 floats, NaN-padded before a piece that
    begins after column 0), in the order the pieces were made."""
    edges: dict = {}
    for col0, edge, nodes in pieces:
        nodes = np.asarray(nodes, float).reshape(-1, 3)
        if edge not in edges:
            if len(nodes) < 2 and col0 == 0:
                continue  # a single node is no edge
            edges[edge] = [[np.nan] * 3] * col0 + nodes.tolist()
        else:
            pad = col0 - len(edges[edge]) if col0 > 0 else 0
            if pad < 0:
                raise ValueError("the edges between the profiles overlap: check the "
                                 "profiles or the mesh spacing")
            edges[edge].extend([[np.nan] * 3] * pad + nodes.tolist())
    return edges


def _grid_columns(edges: dict) -> list:
    """The columns (arrays (rows, 3)) of the grid whose rows are the edges."""
    rows = list(edges.values())
    ncols = max(len(r) for r in rows)
    grid = np.full((len(rows), ncols, 3), np.nan)
    for i, r in enumerate(rows):
        grid[i, :len(r)] = r
    return [grid[:, j] for j in range(ncols)]


def _same_rows(fwd: list, bwd: list) -> tuple:
    """Pad the columns of the side with fewer rows with missing rows at the bottom."""
    nf, nb = len(fwd[0]), len(bwd[0])
    if nf < nb:
        fwd = [np.vstack([c, np.full((nb - nf, 3), np.nan)]) for c in fwd]
    elif nb < nf:
        bwd = [np.vstack([c, np.full((nf - nb, 3), np.nan)]) for c in bwd]
    return fwd, bwd


def _drop_isolated_nodes(msh: np.ndarray) -> None:
    """In place, row by row: a node without an existing neighbour along its row, or
    along its column, becomes missing."""
    rows, cols = msh.shape[:2]
    ok = np.isfinite(msh[..., 0])
    for i in range(rows):
        for j in range(cols):
            row_nb = (j > 0 and ok[i, j - 1]) or (j < cols - 1 and ok[i, j + 1])
            col_nb = (i > 0 and ok[i - 1, j]) or (i < rows - 1 and ok[i + 1, j])
            if not (row_nb and col_nb):
                msh[i, j] = np.nan
                ok[i, j] = False


def _sort_rows(msh: np.ndarray) -> np.ndarray:
    """Rows by mean depth of their nodes, then a row swapped with any later row
    lying above it somewhere (same columns)."""
    depth = np.array([np.nanmean(r[:, 2]) if np.isfinite(r[:, 2]).any() else np.nan
                      for r in msh])
    msh = msh[np.argsort(depth)].copy()
    for u in range(msh.shape[0] - 1):
        for low in range(u, msh.shape[0] - 1):
            both = np.isfinite(msh[u, :, 2]) & np.isfinite(msh[low, :, 2])
            if np.any(msh[low, both, 2] - msh[u, both, 2] < 0):
                msh[[u, low]] = msh[[low, u]]
    return msh


def _without_empty_lines(msh: np.ndarray) -> np.ndarray:
    ok = np.isfinite(msh[..., 0])
    msh = msh[ok.any(axis=1)]
    ok = np.isfinite(msh[..., 0])
    return msh[:, ok.any(axis=0)]


def _right_hand(msh: np.ndarray) -> np.ndarray:
    """Reverse the columns when the mesh does not follow the right-hand rule (step 5
    of the module docstring)."""
    from oqcore.hazard.source.nonparametric import plane_strike_dip
    pts = msh.reshape(-1, 3)
    pts = pts[np.isfinite(pts[:, 0])]
    strike, _ = plane_strike_dip(pts)
    top = msh[0][np.isfinite(msh[0, :, 0])]
    az = float(geodetic.azimuth(top[0, 0], top[0, 1], top[-1, 0], top[-1, 1]))
    if abs((strike - az + 180) % 360 - 180) >= 60:
        msh = msh[:, ::-1]
    cell = _first_full_cell(msh)
    if cell is None:
        raise ValueError("the kite mesh has no cell with four nodes")
    i, j = cell
    az_strike = float(geodetic.azimuth(msh[i, j, 0], msh[i, j, 1],
                                       msh[i, j + 1, 0], msh[i, j + 1, 1]))
    az_dip = float(geodetic.azimuth(msh[i, j, 0], msh[i, j, 1],
                                    msh[i + 1, j, 0], msh[i + 1, j, 1]))
    if abs((az_strike - 90) % 360 - az_dip) < 40:
        msh = msh[:, ::-1]
    return msh


def _first_full_cell(msh: np.ndarray):
    """(row, column) of the first cell with four existing nodes, scanning the rows
    from the top (from the second column after the first row, as OpenQuake)."""
    ok = np.isfinite(msh[..., 0])
    rows, cols = ok.shape
    i = j = 0
    while True:
        if ok[i:i + 2, j:j + 2].all() and i + 1 < rows and j + 1 < cols:
            return i, j
        j += 1
        if j + 1 >= cols:
            i += 1
            j = 1
            if i + 1 >= rows:
                return None
