"""Sites: the site collection (N sites sorted by lon, lat, depth) and its parameters.

Sources of sites, as in OpenQuake: ``sites``, ``sites_csv``, ``site_model_file`` (CSV or
XML; also defines the sites when no other is given, otherwise associated to each site by
nearest neighbour within ``max_site_model_distance`` km), ``region`` +
``region_grid_spacing`` (a grid inside a polygon). Without a site model the reference_*
parameters of the job give vs30, vs30measured, z1pt0 (m) and z2pt5 (km).
"""
from __future__ import annotations

import csv
import math
import os
from typing import Sequence

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.inputs import read_text
from oqcore.hazard.geo import geodetic
from oqcore.nrml import reader
from oqcore.validators import is_number

#: standard site parameter dtypes
SITE_PARAMS = {
    "vs30": np.float64, "vs30measured": np.bool_, "z1pt0": np.float64, "z2pt5": np.float64,
    "backarc": np.uint8, "z1pt4": np.float64, "soiltype": np.int64, "region": np.int64,
    "siteclass": "S1", "geology": "S20", "custom_site_id": "S8", "xvf": np.float64,
    "kappa0": np.float64, "slope": np.float64, "f0": np.float64, "ampcode": "S8",
    "z_sed": np.float64, "ec8": "S1", "ec8_p18": "S2", "h800": np.float64,
    "amplfactor": np.float64, "freeface_ratio": np.float64, "T_15": np.float64,
    "F_15": np.float64, "D50_15": np.float64,
}
BASE_FIELDS = [("sids", np.uint32), ("lon", np.float64), ("lat", np.float64),
               ("depth", np.float64)]
#: site "parameters" a GSIM may require that are the site positions themselves
POSITION_PARAMS = ("lon", "lat", "depth")
#: sites farther than this (km) from every site-model point are an error (as the reference)
ASSOC_DIST = 8.0


class SiteCollection:
    """N sites in site-ID order.

    :ivar array: structured array with sids, lon, lat, depth and the site parameters
    """

    def __init__(self, array: np.ndarray):
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    @property
    def sids(self) -> np.ndarray:
        """Site IDs 0..N-1, shape (N,)."""
        return self.array["sids"]

    @property
    def lons(self) -> np.ndarray:
        """Longitudes in degrees, shape (N,)."""
        return self.array["lon"]

    @property
    def lats(self) -> np.ndarray:
        """Latitudes in degrees, shape (N,)."""
        return self.array["lat"]

    @property
    def depths(self) -> np.ndarray:
        """Depths in km (negative above sea level), shape (N,)."""
        return self.array["depth"]

    @property
    def xyz(self) -> np.ndarray:
        """Earth-centred Cartesian coordinates (N, 3) in km."""
        return geodetic.spherical_to_cartesian(self.lons, self.lats, self.depths)

    def param_names(self) -> list[str]:
        """Names of the site parameters (fields after sids/lon/lat/depth)."""
        return [n for n in self.array.dtype.names if n not in ("sids", "lon", "lat", "depth")]

    def __getitem__(self, name):
        return self.array[name]

    @classmethod
    def from_points(cls, lons, lats, depths=None, params: dict | None = None,
                    sort: bool = True) -> "SiteCollection":
        """Build from coordinates and per-site or scalar parameters; sorts by
        (lon, lat, depth) as given (rounded to 5 decimals), then brings lon into
        [-180, 180) (as the reference does: a site at lon 180 keeps its place)."""
        raw_lons = np.round(np.asarray(lons, float), 5)
        lats = np.round(np.asarray(lats, float), 5)
        n = len(raw_lons)
        depths = np.zeros(n) if depths is None else np.asarray(depths, float)
        params = params or {}
        order = np.lexsort((depths, lats, raw_lons)) if sort else np.arange(n)
        # longitudes in [-180, 180) as OpenQuake's fix_lon (180 -> -180)
        lons = np.round((raw_lons + 180.0) % 360.0 - 180.0, 5)
        dtype = list(BASE_FIELDS)
        for name, value in params.items():
            dt = SITE_PARAMS.get(name)
            if dt is None:
                dt = np.asarray(value).dtype
            dtype.append((name, dt))
        arr = np.zeros(n, dtype)
        arr["sids"] = np.arange(n)
        arr["lon"] = lons[order]
        arr["lat"] = lats[order]
        arr["depth"] = depths[order]
        for name, value in params.items():
            v = np.asarray(value)
            arr[name] = v[order] if v.ndim else v
        return cls(arr)


def has_depths(site_array: np.ndarray) -> bool:
    """True when some site of a stored site collection (a structured array with a
    ``depth`` field, km) lies off the surface: exports and extracts then carry a depth
    column."""
    return bool(np.any(site_array["depth"] != 0))


def _reference_params(oq, required: Sequence[str]) -> dict:
    params = {}
    vs30 = oq.reference_vs30_value
    params["vs30"] = vs30
    params["vs30measured"] = oq.reference_vs30_type == "measured"
    params["z1pt0"] = oq.reference_depth_to_1pt0km_per_sec
    params["z2pt5"] = oq.reference_depth_to_2pt5km_per_sec
    params["backarc"] = 0
    if "z1pt4" in required:
        params["z1pt4"] = oq.reference_depth_to_1pt4km_per_sec
    missing = []
    for name in required:
        if name not in params:
            raise InvalidInput("the GSIMs require the site parameter %s, which has no "
                               "reference value: give a site model (site_model_file) with "
                               "a %s column" % (name, name), param="site_model_file")
        if isinstance(params[name], float) and math.isnan(params[name]):
            missing.append(name)
    if missing:
        names = {"vs30": "reference_vs30_value", "z1pt0": "reference_depth_to_1pt0km_per_sec",
                 "z2pt5": "reference_depth_to_2pt5km_per_sec",
                 "z1pt4": "reference_depth_to_1pt4km_per_sec"}
        raise InvalidInput("the GSIMs require %s: set %s or give a site model" % (
            ", ".join(missing), ", ".join(names.get(m, m) for m in missing)),
            param=names.get(missing[0], missing[0]))
    return params


def _sites_file_params(oq, file_params: dict, required: Sequence[str]) -> dict:
    """Site parameters of a sites file that has parameter columns (no site model given):
    as OpenQuake, the job's reference values, when ``reference_vs30_value`` is set, win over
    the file for vs30, vs30measured, z1pt0, z2pt5 (and z1pt4); the other columns (xvf,
    region, backarc ...) come from the file; a required parameter found nowhere is an
    error naming it."""
    n = len(next(iter(file_params.values())))
    params = dict(file_params)
    if not math.isnan(oq.reference_vs30_value):
        ref = {"vs30": oq.reference_vs30_value,
               "vs30measured": oq.reference_vs30_type == "measured",
               "z1pt0": oq.reference_depth_to_1pt0km_per_sec,
               "z2pt5": oq.reference_depth_to_2pt5km_per_sec}
        if "z1pt4" in required:
            ref["z1pt4"] = oq.reference_depth_to_1pt4km_per_sec
        for name, value in ref.items():
            if not (isinstance(value, float) and math.isnan(value)):
                params[name] = np.full(n, value)
    _fill_from_reference(params, oq, required, n)
    params.setdefault("vs30measured", np.zeros(n, bool))
    _defaults(params, n)
    return params


def read_site_model(path: str) -> dict[str, np.ndarray]:
    """Read a site model (CSV with lon, lat, params; or NRML XML <siteModel>)."""
    if path.endswith(".xml"):
        node = reader.parse(path)
        if node.tag != "siteModel":
            raise node.error("expected <siteModel>, got <%s>" % node.tag)
        rows = [s.attrib for s in node.findall("site")]
        if not rows:
            raise node.error("the site model has no sites")
        cols = {k: [] for k in rows[0]}
        for s, row in zip(node.findall("site"), rows):
            for k in cols:
                if k not in row:
                    raise s.error("site without %r" % k)
                cols[k].append(row[k])
    else:
        text = read_text(path, what="CSV file")
        lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("#")]
        rd = csv.reader(lines)
        first = next(rd, None)
        if first is None:
            raise InvalidInput("the file is empty", fname=path)
        header = [h.strip() for h in first]
        if is_number(header[0]):  # no header: lon, lat[, depth] rows (depth optional)
            rows = [header] + [r for r in rd if r]
            ncols = max(len(r) for r in rows)
            header = ["lon", "lat", "depth"][:ncols]
            if ncols == 3:
                rows = [r + ["0"] if len(r) == 2 else r for r in rows]
            rd = iter(rows)
        cols = {h: [] for h in header}
        for lineno, row in enumerate(rd, 2):
            if not row:
                continue
            if len(row) != len(header):
                raise InvalidInput("expected %d columns, got %d" % (len(header), len(row)),
                                   fname=path, lineno=lineno)
            for h, v in zip(header, row):
                cols[h].append(v.strip())
    out = {}
    for k, vals in cols.items():
        key = {"longitude": "lon", "latitude": "lat"}.get(k, k)
        if key in ("vs30measured", "vs30Type"):  # NRML: vs30Type="measured"/"inferred"
            out["vs30measured"] = np.array([v.lower() in ("1", "true", "measured")
                                            for v in vals])
        elif key == "custom_site_id":
            out[key] = np.array([v.encode() for v in vals])
        else:
            try:
                out[key] = np.array([float(v) for v in vals])
            except ValueError:
                if all(v.lower() in ("true", "false") for v in vals):  # backarc="False"
                    out[key] = np.array([float(v.lower() == "true") for v in vals])
                else:  # text columns are stored as bytes (HDF5-friendly)
                    out[key] = np.array([v.encode("utf-8") for v in vals])
    if "lon" not in out or "lat" not in out:
        raise InvalidInput("the site model needs lon and lat columns", fname=path)
    return out


#: site-model columns that must be non-negative or the -999 "unknown" sentinel
SENTINEL_COLUMNS = ("z1pt0", "z2pt5", "z1pt4")


def check_site_model_values(data: dict, fname: str, oq=None) -> None:
    """Refuse, as OpenQuake does, a site model with a negative vs30 (-999 is allowed
    with ``override_vs30``) or a negative z1pt0, z2pt5, z1pt4 other than -999.

    :raises InvalidInput: naming the file, the column and the site (1-based)
    """
    sentinel_vs30 = bool(getattr(oq, "override_vs30", None))
    for name in ("vs30",) + SENTINEL_COLUMNS:
        vals = data.get(name)
        if vals is None or vals.dtype.kind != "f":
            continue
        bad = vals < 0
        if name != "vs30" or sentinel_vs30:
            bad &= vals != -999.0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidInput("%s = %s at site %d (%s %s) is negative%s" % (
                name, vals[i], i + 1, data["lon"][i], data["lat"][i],
                "" if name == "vs30" and not sentinel_vs30 else
                " and not the -999 sentinel"), fname=fname)


def _grid_in_region(polygon, spacing: float):
    """Sites on a grid of ``spacing`` km inside the region dilated by ``spacing`` km."""
    import shapely.geometry
    from oqcore.hazard.source.area import discretize_polygon, resample_polygon
    lons, lats = (np.array(c, float) for c in zip(*polygon))
    if len(lons) > 3 and lons[0] == lons[-1] and lats[0] == lats[-1]:
        lons, lats = lons[:-1], lats[:-1]
    rlons, rlats = resample_polygon(lons, lats)
    proj = geodetic.OrthographicProjection(*geodetic.spherical_bounding_box(rlons, rlats))
    xx, yy = proj(rlons, rlats)
    dilated = shapely.geometry.Polygon(list(zip(xx, yy))).buffer(spacing)
    dx, dy = np.transpose(dilated.exterior.coords)
    dlons, dlats = proj.inverse(dx[:-1], dy[:-1])
    return discretize_polygon(np.asarray(dlons), np.asarray(dlats), spacing)


@attrs.define
class SiteMesh:
    """The hazard sites of a job before their parameters are set.

    :ivar lons, lats: degrees, shape (N,)
    :ivar depths: km, shape (N,), or None (all at the surface)
    :ivar params: per-site parameter columns read with the sites ({name: (N,) array}):
        the site model's when it defines the sites, a sites file's otherwise
    :ivar custom_ids: custom_site_id column of a sites file (N,) or None
    :ivar sorted: False when the order of the sites must be kept (site_id column,
        or a site model defining the sites of an event-based or scenario job)
    :ivar origin: "sites", "sites_csv", "grid", "site_model" or "exposure"
    """
    lons: np.ndarray
    lats: np.ndarray
    depths: np.ndarray | None = None
    params: dict = attrs.Factory(dict)
    custom_ids: np.ndarray | None = None
    sorted: bool = True
    origin: str = "sites"

    def take(self, idx: np.ndarray) -> "SiteMesh":
        """The sites of indices ``idx`` (in that order)."""
        def pick(a):
            return None if a is None else np.asarray(a)[idx]
        return attrs.evolve(self, lons=pick(self.lons), lats=pick(self.lats),
                            depths=pick(self.depths), custom_ids=pick(self.custom_ids),
                            params={k: pick(v) for k, v in self.params.items()})


def site_model_files(oq) -> list[str]:
    """The site model files of a job (``site_model_file`` may name several)."""
    sm = oq.inputs.get("site_model")
    if not sm:
        return []
    return [sm] if isinstance(sm, str) else list(sm)


def read_site_models(oq) -> dict[str, np.ndarray]:
    """The site model of a job: its files read (and checked) one after the other,
    their rows concatenated in file order. Every file must have the same columns.

    :returns: {column: (N,) array}, with lon and lat in degrees
    :raises InvalidInput: naming the file whose columns or values are wrong
    """
    fnames = site_model_files(oq)
    datas = []
    for fname in fnames:
        data = read_site_model(fname)
        check_site_model_values(data, fname, oq)
        _check_duplicate_sites(data, fname)
        if datas and set(data) != set(datas[0]):
            raise InvalidInput("the columns %s differ from those of %s (%s)" % (
                ", ".join(sorted(data)), os.path.basename(fnames[0]),
                ", ".join(sorted(datas[0]))), fname=fname, param="site_model_file")
        datas.append(data)
    if len(datas) == 1:
        return datas[0]
    out = {}
    for k in datas[0]:
        arrays = [d[k] for d in datas]
        if arrays[0].dtype.kind == "S":  # text columns: the widest width
            width = max(a.dtype.itemsize for a in arrays)
            arrays = [a.astype("S%d" % width) for a in arrays]
        out[k] = np.concatenate(arrays)
    return out


def _check_duplicate_sites(data: dict, fname: str) -> None:
    """A site model lists each location once (OpenQuake refuses duplicates too).

    :raises InvalidInput: naming the file, the location and the two sites (1-based)"""
    pairs = np.column_stack([data["lon"], data["lat"]])
    _, first, counts = np.unique(pairs, axis=0, return_index=True, return_counts=True)
    if (counts > 1).any():
        i = int(np.min(first[counts > 1]))
        j = int(np.flatnonzero((pairs == pairs[i]).all(axis=1))[1])
        raise InvalidInput("site %d (%s %s) repeats site %d: a site model lists each "
                           "location once" % (j + 1, pairs[i][0], pairs[i][1], i + 1),
                           fname=fname, param="site_model_file")


def _convex_hull(lons, lats) -> list[tuple[float, float]]:
    """The convex hull (lon, lat vertices) of points, drawn on the orthographic
    projection centred on them; one or two points give a sliver 5 m wide, as
    OpenQuake's."""
    import shapely.geometry
    lons, lats = np.asarray(lons, float), np.asarray(lats, float)
    proj = geodetic.OrthographicProjection.from_lons_lats(lons, lats)
    xx, yy = proj(lons, lats)
    hull = shapely.geometry.MultiPoint(np.column_stack([xx, yy])).convex_hull
    if not isinstance(hull, shapely.geometry.Polygon):
        hull = hull.buffer(0.005, 1)
    hx, hy = np.transpose(hull.exterior.coords[:-1])
    hlons, hlats = proj.inverse(hx, hy)
    return list(zip(np.atleast_1d(hlons), np.atleast_1d(hlats)))


def _grid_polygon(oq, assets: np.ndarray | None) -> list:
    """The polygon gridded with ``region_grid_spacing``: ``region``, else the convex
    hull of the ``assets`` of the exposure, else that of the site model."""
    if oq.region:
        return oq.region
    if assets is not None:
        return _convex_hull(assets["lon"], assets["lat"])
    if site_model_files(oq):
        data = read_site_models(oq)
        return _convex_hull(data["lon"], data["lat"])
    raise InvalidInput("region_grid_spacing needs a region, an exposure_file or a "
                       "site_model_file whose area to grid", param="region_grid_spacing")


def has_sites(oq) -> bool:
    """True when the job gives its hazard sites one way or another (see
    :func:`site_mesh`)."""
    return bool(oq.sites or "sites" in oq.inputs or oq.region_grid_spacing or
                site_model_files(oq) or "exposure" in oq.inputs)


def site_mesh(oq, site_model_order: bool = False,
              assets: np.ndarray | None = None) -> SiteMesh:
    """The hazard sites of a job, from (first given wins) ``sites``, ``sites_csv``,
    ``region_grid_spacing`` (a grid over ``region``, the exposure or the site model),
    ``site_model_file``, ``exposure_file`` (the asset locations).

    :param site_model_order: a site model defining the sites keeps its order
    :param assets: the assets of the job's exposure (:func:`exposure_assets`), if any
    :raises InvalidInput: when none is given
    """
    if oq.sites:
        pts = np.array([p + (0.0,) * (3 - len(p)) for p in oq.sites])
        return SiteMesh(pts[:, 0], pts[:, 1], pts[:, 2], origin="sites")
    if "sites" in oq.inputs:
        return _sites_file_mesh(oq.inputs["sites"])
    if oq.region_grid_spacing:
        try:
            lons, lats = _grid_in_region(_grid_polygon(oq, assets),
                                         oq.region_grid_spacing)
        except InvalidInput:
            raise
        except Exception as exc:  # a degenerate polygon
            raise InvalidInput("could not grid the region with region_grid_spacing = %s "
                               "km: %s" % (oq.region_grid_spacing, exc),
                               param="region_grid_spacing") from None
        return SiteMesh(np.asarray(lons), np.asarray(lats), origin="grid")
    if site_model_files(oq):
        data = read_site_models(oq)
        params = {k: v for k, v in data.items() if k not in ("lon", "lat", "depth")}
        return SiteMesh(data["lon"], data["lat"], data.get("depth"), params,
                        sorted=not site_model_order, origin="site_model")
    if assets is not None:
        lons, lats = asset_locations(assets)
        return SiteMesh(lons, lats, origin="exposure")
    raise InvalidInput("no sites: set sites, sites_csv, site_model_file, region or "
                       "exposure_file", param="sites")


def _sites_file_mesh(fname: str) -> SiteMesh:
    """The sites of a ``sites_csv`` file, with its parameter columns and, with a
    ``site_id`` column (0..N-1), in that order."""
    data = read_site_model(fname)
    lons, lats = np.asarray(data["lon"]), np.asarray(data["lat"])
    mesh = SiteMesh(lons, lats, data.get("depth"),
                    {k: v for k, v in data.items() if k in SITE_PARAMS and
                     k != "custom_site_id"},
                    data.get("custom_site_id"), origin="sites_csv")
    if "site_id" in data:  # explicit site IDs 0..N-1: the sites keep that order
        order = np.argsort(data["site_id"], kind="stable")
        if not np.array_equal(data["site_id"][order], np.arange(len(lons))):
            raise InvalidInput("the site_id column must hold 0..%d" % (len(lons) - 1),
                               fname=fname)
        mesh = attrs.evolve(mesh.take(order), sorted=False)
    return mesh


def build_site_collection(oq, required: Sequence[str],
                          site_model_order: bool = False) -> SiteCollection:
    """The site collection of a job (see the module docstring).

    The sites are those of :func:`site_mesh`; with an exposure, only the sites
    having assets (see :func:`sites_with_assets`) are kept, unless the hazard is
    given (:func:`hazard_given`). Their parameters come from
    the site model when it defines the sites, else from the nearest site-model point,
    else from a sites file's columns, else from the job's reference_* values.

    :param oq: JobParams
    :param required: site parameters required by the GSIMs of the job
    :param site_model_order: when the site model defines the sites, keep its order
        (as OpenQuake's classical, event-based and scenario calculators) instead of
        sorting them
    """
    # site coordinates are always there: only true site parameters need values
    required = [name for name in required if name not in ("lon", "lat", "depth")]
    other_sites = bool(oq.sites or "sites" in oq.inputs or (
        oq.region if oq.region_grid_spacing else site_model_files(oq)))
    assets = None  # read when they define or select the sites
    if "exposure" in oq.inputs and not (hazard_given(oq) and other_sites):
        assets = exposure_assets(oq)
    mesh = site_mesh(oq, site_model_order, assets)
    if assets is not None and not hazard_given(oq):
        mesh = mesh.take(sites_with_assets(oq, assets, mesh.lons, mesh.lats))
    n = len(mesh.lons)
    if mesh.origin == "site_model":
        params = dict(mesh.params)
        _fill_from_reference(params, oq, required, n)
        params.setdefault("vs30measured", np.zeros(n, bool))
        _defaults(params, n)
    elif site_model_files(oq):
        params = _associated_site_params(oq, mesh, required)
    elif mesh.params:
        params = _sites_file_params(oq, mesh.params, required)
    else:
        params = _reference_params(oq, required)
        _fill_from_reference(params, oq, required, n)
    if mesh.custom_ids is not None:
        params["custom_site_id"] = mesh.custom_ids
    return SiteCollection.from_points(*_override_vs30(
        oq, mesh.lons, mesh.lats, mesh.depths, params), sort=mesh.sorted)


def _associated_site_params(oq, mesh: SiteMesh, required) -> dict:
    """The parameters of the closest site-model point of each site: within
    ``region_grid_spacing`` x 1.414 km for a grid (farther ones are used all the
    same), within :data:`ASSOC_DIST` km otherwise (farther is an error)."""
    data = read_site_models(oq)
    lons, lats = np.asarray(mesh.lons), np.asarray(mesh.lats)
    idx, dist = _nearest(data["lon"], data["lat"], lons, lats)
    grid = mesh.origin == "grid"
    assoc_dist = oq.region_grid_spacing * 1.414 if grid else ASSOC_DIST
    far = np.flatnonzero(dist > assoc_dist)
    if len(far) and not grid:
        i = far[0]
        raise InvalidInput("There is nothing closer than %s km to site (%s %s)" % (
            assoc_dist, lons[i], lats[i]), fname=site_model_files(oq)[0])
    params = {k: v[idx] for k, v in data.items() if k not in ("lon", "lat", "depth")}
    _fill_from_reference(params, oq, required, len(idx))
    params.setdefault("vs30measured", np.zeros(len(idx), bool))
    _defaults(params, len(idx))
    return params


def hazard_given(oq) -> bool:
    """True when the job reads its hazard (ground-motion fields, hazard curves, a
    rupture dictionary, a parent calculation) instead of computing it: then its sites
    are kept whether they have assets or not, as OpenQuake does."""
    return bool({"gmfs", "hazard_curves", "station_data"} & set(oq.inputs) or
                oq.hazard_calculation_id is not None or getattr(oq, "rupture_dict", None))


def hazard_distance(oq) -> float:
    """km: the largest distance between an asset and its hazard site,
    ``region_grid_spacing`` x 1.414 for a grid, else the largest value of
    ``asset_hazard_distance`` (15 km by default)."""
    if oq.region_grid_spacing:
        return oq.region_grid_spacing * 1.414
    return float(max((oq.asset_hazard_distance or {"default": 15}).values()))


def exposure_assets(oq) -> np.ndarray:
    """The assets of the job's exposure inside ``region`` (all without a region).

    :raises InvalidInput: when there is none"""
    from oqcore.risk.exposure import inside_region, read_exposure
    assets = read_exposure(oq.inputs["exposure"], getattr(oq, "ignore_missing_costs", None)
                           or (), oq.input_root).assets
    if oq.region:
        assets = assets[inside_region(assets["lon"], assets["lat"], oq.region)]
    if not len(assets):
        raise InvalidInput("the exposure has no assets%s" % (
            " inside the region" if oq.region else ""), param="exposure_file")
    return assets


def sites_with_assets(oq, assets: np.ndarray, lons, lats) -> np.ndarray:
    """Indices (sorted) of the hazard sites having assets: each asset (of
    :func:`exposure_assets`) goes to its closest site within :func:`hazard_distance`,
    as OpenQuake associates them.

    :raises InvalidInput: when assets are farther from every site and
        ``discard_assets`` is not set (scenario jobs drop them), or when no site has
        an asset
    """
    from oqcore.risk.exposure import associate, check_far_assets
    dist_km = hazard_distance(oq)
    sids, dist = associate(assets["lon"], assets["lat"], lons, lats, dist_km)
    check_far_assets(oq, assets, sids < 0, dist, dist_km)
    return np.unique(sids[sids >= 0])


def with_params_of(sitecol: SiteCollection, other: np.ndarray) -> tuple[SiteCollection, int]:
    """The sites of ``sitecol`` with the site parameters of the closest site of
    ``other`` (a stored site collection, e.g. the parent calculation's).

    :returns: (the new SiteCollection, how many sites are farther than
        :data:`ASSOC_DIST` km from their closest one)
    """
    idx, dist = _nearest(other["lon"], other["lat"], sitecol.lons, sitecol.lats)
    skip = {"sids", "lon", "lat", "depth", "custom_site_id"}
    names = [n for n in other.dtype.names if n not in skip]
    dt = [(n, sitecol.array.dtype[n]) for n in sitecol.array.dtype.names
          if n in ("sids", "lon", "lat", "depth", "custom_site_id")]
    dt += [(n, other.dtype[n]) for n in names]
    arr = np.zeros(len(sitecol), dt)
    for n, _ in dt:
        arr[n] = sitecol.array[n] if n not in names else other[n][idx]
    return SiteCollection(arr), int((dist > ASSOC_DIST).sum())


def asset_locations(assets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct locations of assets (rounded to 5 decimals, sorted by lon, lat):
    the hazard sites of a job with an exposure and no sites.

    :returns: (lons, lats) arrays in degrees
    """
    pairs = np.unique(np.round(np.column_stack([assets["lon"], assets["lat"]]), 5), axis=0)
    return pairs[:, 0], pairs[:, 1]


def z1pt0_from_vs30(vs30):
    """Depth (m) to vs = 1 km/s from vs30 (m/s): Chiou and Youngs (2014) California."""
    vs30 = np.asarray(vs30, float)
    return np.exp(-7.15 / 4.0 * np.log((vs30 ** 4 + 571.0 ** 4) / (1360.0 ** 4 + 571.0 ** 4)))


def z2pt5_from_vs30(vs30):
    """Depth (km) to vs = 2.5 km/s from vs30 (m/s): Campbell and Bozorgnia (2014) California."""
    return np.exp(7.089 - 1.144 * np.log(np.asarray(vs30, float)))


def _override_vs30(oq, lons, lats, depths, params: dict) -> tuple:
    """Apply ``override_vs30`` (m/s), as OpenQuake does: one value replaces every vs30;
    several values replicate each site of unknown vs30 (-999, or the only site) once per
    value (site-major order) and keep the other sites as they are. The basin depths of
    every site follow the new vs30s (California relations).

    A replicated site i gets the custom site id ``<id[:5]>:<class>`` (its custom id, else
    its ``siteid``, else its index i; the class is the ASCE 7-22 class of the vs30); a kept
    site its custom id, else its new index. Returns (lons, lats, depths, params).
    """
    values = list(getattr(oq, "override_vs30", None) or [])
    if not values:
        return lons, lats, depths, params
    from oqcore.hazard.asce import site_class
    n = len(lons)
    old_vs30 = np.broadcast_to(np.asarray(params.get("vs30", -999.0), float), (n,))
    if len(values) == 1 or n == 1:
        multiply = np.ones(n, bool)
    else:
        multiply = old_vs30 == -999.0
    counts = np.where(multiply, len(values), 1)
    idx = np.repeat(np.arange(n), counts)
    lons, lats = np.asarray(lons, float)[idx], np.asarray(lats, float)[idx]
    if depths is not None:
        depths = np.asarray(depths, float)[idx]
    old_ids = params.get("custom_site_id")
    siteids = list(getattr(oq, "siteid", None) or [])
    params = {k: v if np.ndim(v) == 0 else np.asarray(v)[idx] for k, v in params.items()}
    vs30, ids = [], []
    for i in range(n):
        if old_ids is not None:
            own = old_ids[i].decode() if isinstance(old_ids[i], bytes) else str(old_ids[i])
        elif siteids:
            own = siteids[min(i, len(siteids) - 1)]
        else:
            own = None
        if multiply[i]:
            prefix = (own if own is not None else str(i))[:5]
            vs30.extend(values)
            ids.extend("%s:%s" % (prefix, site_class(v)) for v in values)
        else:
            vs30.append(old_vs30[i])
            ids.append(own if own is not None else str(len(ids)))
    params["vs30"] = vs30 = np.array(vs30, float)
    if "z1pt0" in params:
        params["z1pt0"] = z1pt0_from_vs30(vs30)
    if "z2pt5" in params:
        params["z2pt5"] = z2pt5_from_vs30(vs30)
    params["custom_site_id"] = np.array([i.encode()[:8] for i in ids])
    return lons, lats, depths, params


def _fill_from_reference(params: dict, oq, required, n: int) -> None:
    """Site parameters the GSIMs need but the site model lacks come from reference_*;
    a required parameter without a reference value is an error naming it."""
    for name in required:
        if name not in params and name not in POSITION_PARAMS:
            ref = _reference_params(oq, [name])
            if name not in ref:
                raise InvalidInput(
                    "the GSIMs require the site parameter %r: give it as a column of the "
                    "site model" % name, param="site_model_file")
            params[name] = np.full(n, ref[name])


def _defaults(params: dict, n: int) -> None:
    for name, default in (("z1pt0", -999.0), ("z2pt5", -999.0), ("backarc", 0)):
        params.setdefault(name, np.full(n, default))


def _nearest(mlons, mlats, lons, lats):
    idx = np.zeros(len(lons), int)
    dist = np.zeros(len(lons))
    for i, (lo, la) in enumerate(zip(lons, lats)):
        d = geodetic.geodetic_distance(lo, la, mlons, mlats)
        idx[i] = int(np.argmin(d))
        dist[i] = d[idx[i]]
    return idx, dist


_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


def geohash(lon: float, lat: float, length: int = 8) -> str:
    """The geohash of a point (bits alternate lon, lat; a value on the middle of an
    interval goes to the lower half), ``length`` base-32 characters."""
    lo = [-180.0, 180.0]
    la = [-90.0, 90.0]
    chars = []
    bits = 0
    nbits = 0
    even = True
    while len(chars) < length:
        rng, val = (lo, lon) if even else (la, lat)
        mid = (rng[0] + rng[1]) / 2.0
        if val > mid:
            bits = bits * 2 + 1
            rng[0] = mid
        else:
            bits = bits * 2
            rng[1] = mid
        even = not even
        nbits += 1
        if nbits == 5:
            chars.append(_BASE32[bits])
            bits = nbits = 0
    return "".join(chars)


def with_custom_site_ids(sitecol: SiteCollection) -> SiteCollection:
    """The site collection with a ``custom_site_id`` field (the 8-character geohash of
    each site) unless it already has one."""
    arr = sitecol.array
    if "custom_site_id" in arr.dtype.names:
        return sitecol
    dt = arr.dtype.descr + [("custom_site_id", "S8")]
    out = np.zeros(len(arr), dt)
    for name in arr.dtype.names:
        out[name] = arr[name]
    out["custom_site_id"] = [geohash(lo, la).encode() for lo, la in zip(arr["lon"],
                                                                       arr["lat"])]
    return SiteCollection(out)
