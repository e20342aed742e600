"""GridAdjustedGMPE: a model corrected by residual terms mapped on H3 cells.

In a GSIM logic tree::

    [GridAdjustedGMPE]
    gmpe_name = "AkkarEtAlRjb2014"
    grid_hdf5_file = "grid_adjustments.hdf5"

(or ``gmpe.AkkarEtAlRjb2014 = {}``). The HDF5 file holds, as a JSON root attribute
``res_terms``, the correction terms ``{term: {"location": ..., "sig_adjustment": ...,
"sig_comp_modified": ...}}``, and for each term one group per IMT (``/dS2S/PGA``) with
the datasets ``cell_id`` (H3 cell ids, text) and ``<term>`` (the correction per cell,
ln units; per km for path terms). For every IMT having a group the correction is added
to the ln-mean:

* ``location = "site"`` / ``"hypo"``: the value of the cell holding the site / the
  hypocentre, the finest resolution of the grid first; 0 outside every cell;
* ``location = "path"``: the path from the site to the epicentre sampled at 100
  great-circle points; each point inside a cell adds the cell's value times the
  spacing of the points (km). By default the cells are placed as OpenQuake 3.26 places
  them (``path_cells = "openquake"``: latitudes and longitudes of the cell vertices
  exchanged, see :class:`PathCells`); ``path_cells = "geographic"`` uses the cells
  where they are.

``sig_adjustment`` (``none`` by default, ``sub``, ``add`` or ``replace``) changes the
standard deviation ``sig_comp_modified`` (``tau``, ``phi`` or ``sig``) by a value given
as the group attribute ``<term>_sig`` (one value) or the dataset ``<term>_sig`` (per
cell, site and hypocentre terms only): ``sub``/``add`` subtract/add its square from/to
the variance, ``replace`` sets it; changing tau or phi recomputes the total.
"""
from __future__ import annotations

import json
import os

import h3
import h5py
import numpy as np
import shapely

from oqcore.errors import InvalidInput
from oqcore.hazard.geo import geodetic
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import GMPE, INTER_EVENT, INTRA_EVENT, check_choice
from oqcore.hazard.imt import IMT
from oqcore.hazard.source.area import resample_polygon

LOCATIONS = ("site", "hypo", "path")
SIGMA_ACTIONS = ("none", "sub", "add", "replace")
SIGMA_COMPONENTS = ("tau", "phi", "sig")
#: points sampling a site-to-epicentre path
PATH_POINTS = 100
#: where the cells of path terms lie (see :class:`PathCells`)
PATH_CELLS = ("openquake", "geographic")


class CellGrid:
    """Values on H3 cells (possibly of several resolutions): ``lookup(lats, lons)``."""

    def __init__(self, cells, values):
        self.values = {str(c): float(v) for c, v in zip(cells, values)}
        #: the resolutions present, finest first
        self.resolutions = sorted({h3.get_resolution(c) for c in self.values}, reverse=True)

    def lookup(self, lats, lons) -> np.ndarray:
        """The value of the finest cell holding each point (0 outside), shape (N,)."""
        lats = np.asarray(lats, float)
        lons = np.asarray(lons, float)
        out = np.zeros(len(lats))
        points, inverse = np.unique(np.column_stack([lats, lons]), axis=0,
                                    return_inverse=True)
        found = np.zeros(len(points))
        for i, (lat, lon) in enumerate(points):
            for res in self.resolutions:
                value = self.values.get(h3.latlng_to_cell(lat, lon, res))
                if value is not None:
                    found[i] = value
                    break
        out[:] = found[inverse.ravel()]
        return out


class PathCells:
    """Cells of a path term as polygons: their boundary vertices joined by great-circle
    arcs (resampled every 100 km), tested in an orthographic projection centred on each
    cell, boundary included.

    :param geographic: False to place each vertex, as OpenQuake 3.26 does, at the
        longitude of its latitude and the latitude of its longitude (which moves the
        cells of most grids off the Earth's populated latitudes, so that the path terms
        vanish there); True for the cells where they are
    """

    def __init__(self, cells, values, geographic: bool = False):
        self.values = np.array([float(v) for v in values])
        self.polygons = []
        for cell in cells:
            lats, lons = np.array(h3.cell_to_boundary(str(cell))).T
            if not geographic:
                lons, lats = lats, lons
            rlons, rlats = resample_polygon(lons, lats)
            proj = geodetic.OrthographicProjection.from_lons_lats(rlons, rlats)
            self.polygons.append((proj, shapely.Polygon(np.column_stack(proj(rlons, rlats)))))

    def weighted_counts(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """For points (P, K) of P paths: the sum over cells of the cell value times the
        number of the path's points inside the cell, shape (P,)."""
        out = np.zeros(len(lons))
        for value, (proj, polygon) in zip(self.values, self.polygons):
            xx, yy = proj(lons, lats)
            out += value * shapely.intersects_xy(polygon, xx, yy).sum(axis=1)
        return out


def path_correction(cells: PathCells, hypo_lons, hypo_lats, site_lons, site_lats):
    """The path term (N,): for each site-to-epicentre path, the value per km of each
    cell times the length of the path inside it, from PATH_POINTS samples equally
    spaced on the great circle (both ends included)."""
    slons, slats = np.asarray(site_lons, float), np.asarray(site_lats, float)
    hlons, hlats = np.asarray(hypo_lons, float), np.asarray(hypo_lats, float)
    length = geodetic.geodetic_distance(slons, slats, hlons, hlats)
    heading = geodetic.azimuth(slons, slats, hlons, hlats)
    steps = np.arange(PATH_POINTS) / (PATH_POINTS - 1.0)
    lons, lats = geodetic.point_at(slons[:, None], slats[:, None], heading[:, None],
                                   length[:, None] * steps)
    lons[:, 0], lats[:, 0] = slons, slats
    lons[:, -1], lats[:, -1] = hlons, hlats
    spacing = geodetic.geodetic_distance(lons[:, 0], lats[:, 0], lons[:, 1], lats[:, 1])
    return spacing * cells.weighted_counts(lons, lats)


class _Term:
    """One correction term for one IMT: its mean grid and sigma adjustment."""

    def __init__(self, name: str, location: str, action: str, component: str | None,
                 mean: CellGrid, sigma: CellGrid | float | None):
        self.name, self.location, self.action = name, location, action
        self.component, self.mean, self.sigma = component, mean, sigma


def read_grid_terms(path: str, owner: str = "GridAdjustedGMPE",
                    geographic: bool = False) -> tuple[dict, dict]:
    """Read the correction terms of a grid HDF5 file (``geographic``: see
    :class:`PathCells`).

    :returns: ({IMT string: [_Term, ...]}, {term: configuration})
    :raises InvalidInput: naming the file for a missing or inconsistent content
    """
    fname = os.path.basename(path)

    def error(msg):
        return InvalidInput("%s: %s" % (owner, msg), fname=fname)

    try:
        f = h5py.File(path, "r")
    except OSError:
        raise error("cannot read the HDF5 file") from None
    terms: dict[str, list[_Term]] = {}
    with f:
        try:
            config = json.loads(f.attrs["res_terms"])
        except KeyError:
            raise error("the file has no res_terms attribute") from None
        except (TypeError, ValueError):
            raise error("res_terms is not a JSON object") from None
        if not isinstance(config, dict) or not config:
            raise error("res_terms must be a non-empty JSON object {term: {location: ...}}")
        for term, cfg in config.items():
            if not isinstance(cfg, dict) or cfg.get("location") not in LOCATIONS:
                raise error("the location of term %r must be one of %s" % (
                    term, ", ".join(LOCATIONS)))
            action = cfg.get("sig_adjustment", "none")
            if action not in SIGMA_ACTIONS:
                raise error("the sig_adjustment of term %r must be one of %s" % (
                    term, ", ".join(SIGMA_ACTIONS)))
            component = cfg.get("sig_comp_modified")
            if action != "none" and component not in SIGMA_COMPONENTS:
                raise error("term %r needs sig_comp_modified, one of %s" % (
                    term, ", ".join(SIGMA_COMPONENTS)))
            if term not in f:
                raise error("no group for the term %r" % term)
            for imt_key, grp in f[term].items():
                try:
                    imt = str(IMT.from_string(imt_key))
                except InvalidInput:
                    raise error("unknown IMT %r in the group of %r" % (imt_key, term)) from None
                if "cell_id" not in grp or term not in grp:
                    raise error("%s/%s needs the datasets cell_id and %s" % (
                        term, imt_key, term))
                cells = [c.decode() if isinstance(c, bytes) else str(c)
                         for c in grp["cell_id"][:]]
                try:
                    mean = (PathCells(cells, grp[term][:], geographic)
                            if cfg["location"] == "path" else CellGrid(cells, grp[term][:]))
                except (ValueError, TypeError) as exc:  # h3: an invalid cell id
                    raise error("%s/%s: invalid H3 cell ids (%s)" % (
                        term, imt_key, exc)) from None
                sigma = _read_sigma(grp, term, imt_key, cfg["location"], action, cells,
                                    error)
                terms.setdefault(imt, []).append(
                    _Term(term, cfg["location"], action, component, mean, sigma))
    return terms, config


def _read_sigma(grp, term, imt_key, location, action, cells, error):
    """The sigma adjustment of one term and IMT: None, a number or a CellGrid."""
    if action == "none":
        return None
    key = "%s_sig" % term
    in_attrs, in_data = key in grp.attrs, key in grp
    if in_attrs and in_data:
        raise error("%s/%s has both an attribute and a dataset %s: give one" % (
            term, imt_key, key))
    if not (in_attrs or in_data):
        raise error("%s/%s lacks %s (sig_adjustment = %s)" % (term, imt_key, key, action))
    if in_attrs:
        value = float(grp.attrs[key])
        if value < 0:
            raise error("%s/%s: %s is negative" % (term, imt_key, key))
        return value
    if location == "path":
        raise error("%s/%s: a path term takes one sigma value (attribute %s), not one "
                    "per cell" % (term, imt_key, key))
    values = grp[key][:]
    if np.any(values < 0):
        raise error("%s/%s: %s has negative values" % (term, imt_key, key))
    return CellGrid(cells, values)


def _points(ctx, location):
    """(lats, lons) where a site or hypocentre term is looked up."""
    if location == "hypo":
        return ctx.hypo_lat, ctx.hypo_lon
    return ctx.lat, ctx.lon


class GridAdjustedGMPE(GMPE):
    """A model plus residual corrections mapped on H3 cells (see the module docstring)."""

    abstract = False
    COMPOSITE = True
    PATH_ARGUMENTS = ("grid_hdf5_file",)

    def __init__(self, resolve=None, **kwargs):
        name = type(self).__name__
        self.kwargs = dict(kwargs)
        self.mixture = None
        path = kwargs.get("grid_hdf5_file")
        if not isinstance(path, str):
            raise InvalidInput("%s needs grid_hdf5_file, the HDF5 file of the corrections"
                               % name)
        self.gmpe = site_terms.inner_model(name, kwargs, resolve,
                                           ("grid_hdf5_file", "path_cells"))
        site_terms.copy_definitions(self, self.gmpe)
        path_cells = kwargs.get("path_cells", "openquake")
        check_choice(name, "path_cells", path_cells, PATH_CELLS)
        self.terms, config = read_grid_terms(path, name, path_cells == "geographic")
        locations = {cfg["location"] for cfg in config.values()}
        if locations & {"hypo", "path"}:
            self.REQUIRES_RUPTURE_PARAMETERS = (self.REQUIRES_RUPTURE_PARAMETERS
                                                | frozenset(["hypo_lat", "hypo_lon"]))
        if locations & {"site", "path"}:
            self.REQUIRES_SITES_PARAMETERS = (self.REQUIRES_SITES_PARAMETERS
                                              | frozenset(["lat", "lon"]))
        if any(cfg.get("sig_adjustment", "none") != "none" and
               cfg.get("sig_comp_modified") in ("tau", "phi") for cfg in config.values()):
            if not {INTER_EVENT, INTRA_EVENT} <= self.DEFINED_FOR_STANDARD_DEVIATION_TYPES:
                raise InvalidInput("%s: the file adjusts tau or phi but %s has no between- "
                                   "and within-event standard deviations" % (
                                       name, type(self.gmpe).__name__))

    def check_imt(self, imt: IMT) -> None:
        self.gmpe.check_imt(imt)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self.gmpe.compute(ctx, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            for term in self.terms.get(str(imt), ()):
                if term.location == "path":
                    mean[m] += path_correction(term.mean, ctx.hypo_lon, ctx.hypo_lat,
                                               ctx.lon, ctx.lat)
                else:
                    mean[m] += term.mean.lookup(*_points(ctx, term.location))
                if term.action != "none":
                    self._adjust_sigma(term, ctx, imt, sig[m], tau[m], phi[m])

    def _adjust_sigma(self, term: _Term, ctx, imt, sig, tau, phi) -> None:
        value = (term.sigma.lookup(*_points(ctx, term.location))
                 if isinstance(term.sigma, CellGrid) else term.sigma)
        target = {"tau": tau, "phi": phi, "sig": sig}[term.component]
        if term.action == "replace":
            target[:] = value
        else:
            variance = target ** 2 + (-1.0 if term.action == "sub" else 1.0) * value ** 2
            if np.any(variance < 0):
                raise InvalidInput("GridAdjustedGMPE: subtracting %s of term %s makes the %s "
                                   "of %s negative" % (term.name + "_sig", term.name,
                                                      term.component, imt))
            target[:] = np.sqrt(variance)
        if term.component != "sig":
            sig[:] = np.sqrt(tau ** 2 + phi ** 2)
