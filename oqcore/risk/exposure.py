"""Exposure models: NRML XML (assets inline or in CSV files) and the assets' association
to hazard sites.

An :class:`Exposure` holds the assets as a structured array (one row per asset, in input
order) with ``id``, ``lon``, ``lat``, ``number``, ``area``, ``value-<cost type>``,
``occupants_<period>``, ``deductible-<ct>``, ``insurance_limit-<ct>``, ``residents`` (when
given: the people living in the asset) and one integer column per tag (indices into
``tagcol[tag]``, whose entry 0 is ``?``).

Asset CSV files may be gzip-compressed (``.gz``); their columns are renamed through
``<exposureFields>``; a column named after an occupancy period holds its occupants; columns
that are neither a field, a cost type, an occupancy nor a tag are ignored, as OpenQuake does.
"""
from __future__ import annotations

import csv
import gzip
import os
from typing import Sequence

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.inputs import resolve_input
from oqcore.nrml import reader
from oqcore.validators import is_number

#: cost types an exposure may declare (occupants are handled separately)
COST_TYPES = ("structural", "nonstructural", "contents", "business_interruption",
              "embodied_carbon")
OCCUPANCY_PERIODS = ("day", "night", "transit")
#: the names of the standard CSV columns (renamed through <exposureFields>)
STANDARD_FIELDS = ("id", "lon", "lat", "taxonomy", "number", "area")


@attrs.define
class Exposure:
    """Assets and their metadata.

    :ivar assets: structured array (A,), see the module docstring
    :ivar tagnames: tag names, ``taxonomy`` included, in alphabetical order
    :ivar tagcol: tag name -> list of values (index 0 is ``?``)
    :ivar cost_types: cost type -> (type, unit), e.g. ``{"structural": ("aggregated",
        "EUR")}``
    :ivar occupancy_periods: periods with occupants (``day``, ``night``...)
    :ivar source_of: asset index -> (file, line) for error messages
    """
    assets: np.ndarray
    tagnames: list
    tagcol: dict
    cost_types: dict
    occupancy_periods: list
    source_of: list = attrs.field(factory=list)

    @property
    def loss_types(self) -> list[str]:
        """The cost types with values, plus ``occupants`` when there are occupancies."""
        return list(self.cost_types) + (["occupants"] if self.occupancy_periods else [])

    def tag_values(self, tagname: str, idx=None) -> np.ndarray:
        """The text values of a tag for every asset (or the assets ``idx``)."""
        col = np.asarray(self.tagcol[tagname], dtype=object)
        a = self.assets[tagname] if idx is None else self.assets[tagname][idx]
        return col[a]

    def value(self, loss_type: str, time_event: str = "avg") -> np.ndarray:
        """Exposed value per asset for a loss type (occupants: at ``time_event``)."""
        if loss_type == "occupants":
            return self.assets["occupants_%s" % time_event]
        return self.assets["value-%s" % loss_type]


def _float(node_or_file, value, what, lineno=None):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise _err(node_or_file, "%s=%r is not a number" % (what, value), lineno) from None
    if not np.isfinite(x) or x < 0:
        raise _err(node_or_file, "%s=%r must be a finite number >= 0" % (what, value),
                   lineno)
    return x


def _err(where, msg, lineno=None):
    if isinstance(where, reader.Node):
        return where.error(msg)
    return InvalidInput(msg, fname=where, lineno=lineno)


def read_exposure(fnames: str | Sequence[str], ignore_missing_costs: Sequence[str] = (),
                  root: str | None = None) -> Exposure:
    """Read one or more exposure files (NRML; their assets inline or in CSV files).

    All the files must declare the same cost types. Errors (duplicate asset IDs,
    unknown cost types, missing or negative values) name the file and line.

    :param root: the directory the asset CSV files named in an exposure must be
        inside (the upload of a server job; None: anywhere), see
        :func:`oqcore.inputs.resolve_input`
    """
    if isinstance(fnames, str):
        fnames = [fnames]
    zipped = [f for f in fnames if f.lower().endswith(".zip")]
    if zipped:
        return _read_zipped(fnames, ignore_missing_costs, root)
    rows: list[dict] = []
    cost_types: dict = {}
    periods: list = []
    tagnames: list = []
    first = None
    for fname in fnames:
        header, rws = _read_one(fname, ignore_missing_costs, root)
        if first is None:
            first = header
            cost_types = header["cost_types"]
        elif set(header["cost_types"]) != set(cost_types):
            raise InvalidInput("the cost types %s differ from those of %s (%s)" % (
                sorted(header["cost_types"]), os.path.basename(fnames[0]),
                sorted(cost_types)), fname=fname)
        for p in header["periods"]:
            if p not in periods:
                periods.append(p)
        for t in header["tagnames"]:
            if t not in tagnames:
                tagnames.append(t)
        rows.extend(rws)
    if not rows:
        raise InvalidInput("the exposure has no assets", fname=fnames[0])
    return _build(rows, cost_types, periods, tagnames)


#: the most a zipped exposure may expand to, in bytes
MAX_UNZIPPED = 4 << 30


def _read_zipped(fnames: Sequence[str], ignore_missing_costs, root) -> Exposure:
    """An exposure given as zip archives (``exposure_file = exposure.zip``): each archive
    is unpacked safely into a temporary folder and its exposure XML files are read."""
    import tempfile

    from oqcore.archives import extract_zip
    with tempfile.TemporaryDirectory(prefix="oqcore-exposure-") as tmp:
        paths = []
        for k, fname in enumerate(fnames):
            if not fname.lower().endswith(".zip"):
                paths.append(fname)
                continue
            dest = os.path.join(tmp, str(k))
            try:
                written = extract_zip(fname, dest, MAX_UNZIPPED)
            except InvalidInput as exc:
                raise InvalidInput(exc.msg, fname=fname) from None
            xmls = sorted(w for w in written if w.lower().endswith(".xml"))
            if not xmls:
                raise InvalidInput("the archive has no exposure XML file", fname=fname)
            paths += [os.path.join(dest, x) for x in xmls]
        exposure = read_exposure(paths, ignore_missing_costs, root=None)
        for k, (f, line) in enumerate(exposure.source_of):  # no temporary paths in errors
            for z, fname in enumerate(fnames):
                prefix = os.path.join(tmp, str(z)) + os.sep
                if f.startswith(prefix):
                    exposure.source_of[k] = ("%s:%s" % (fname, f[len(prefix):]), line)
        return exposure


def _build(rows, cost_types, periods, tagnames) -> Exposure:
    seen: dict = {}
    for r in rows:
        if r["id"] in seen:
            f, ln = seen[r["id"]]
            raise InvalidInput("duplicate asset ID %r (first at %s line %s)" % (
                r["id"], os.path.basename(f), ln), fname=r["_file"], lineno=r["_line"])
        seen[r["id"]] = (r["_file"], r["_line"])
    tags = sorted(set(tagnames) | {"taxonomy"})
    tagcol = {t: ["?"] for t in tags}
    index = {t: {"?": 0} for t in tags}
    idlen = max(len(r["id"].encode()) for r in rows)
    dt = [("id", "S%d" % max(idlen, 1)), ("ordinal", np.uint32), ("lon", np.float64),
          ("lat", np.float64), ("site_id", np.uint32), ("number", np.float64),
          ("area", np.float64)]
    dt += [("value-%s" % ct, np.float64) for ct in cost_types]
    dt += [("deductible-%s" % ct, np.float64) for ct in cost_types]
    dt += [("insurance_limit-%s" % ct, np.float64) for ct in cost_types]
    if any(r.get("retrofitted") is not None for r in rows):
        dt.append(("retrofitted", np.float64))
    if any(r.get("residents") is not None for r in rows):
        dt.append(("residents", np.float64))
    # occupants_avg: given (a column of its own) or the mean over the periods
    given_avg = "avg" in periods
    periods = [p for p in periods if p != "avg"]
    occ = list(periods) + (["avg"] if periods or given_avg else [])
    dt += [("occupants_%s" % p, np.float64) for p in occ]
    dt += [(t, np.uint32) for t in tags]
    arr = np.zeros(len(rows), dt)
    arr["id"] = [r["id"].encode() for r in rows]
    arr["ordinal"] = np.arange(len(rows))
    for name in ("lon", "lat", "number", "area"):
        arr[name] = [r[name] for r in rows]
    for ct in cost_types:
        # a value missing for a cost type in ignore_missing_costs counts as 0
        arr["value-%s" % ct] = [r["values"].get(ct, 0.0) for r in rows]
        arr["deductible-%s" % ct] = [r["deductibles"].get(ct, 0.0) for r in rows]
        arr["insurance_limit-%s" % ct] = [r["limits"].get(ct, np.nan) for r in rows]
    if "retrofitted" in arr.dtype.names:
        arr["retrofitted"] = [r.get("retrofitted") or np.nan for r in rows]
    if "residents" in arr.dtype.names:
        arr["residents"] = [r.get("residents", 0.0) for r in rows]
    if periods:
        occs = np.array([[r["occupants"].get(p, 0.0) for p in periods] for r in rows])
        for k, p in enumerate(periods):
            arr["occupants_%s" % p] = occs[:, k]
        arr["occupants_avg"] = occs.mean(axis=1)
    if given_avg:
        arr["occupants_avg"] = [r["occupants"].get("avg", a) for r, a in zip(
            rows, arr["occupants_avg"])]
    for t in tags:
        vals = [r["taxonomy"] if t == "taxonomy" else r["tags"].get(t, "?") for r in rows]
        idx = index[t]
        for v in vals:
            if v not in idx:
                idx[v] = len(tagcol[t])
                tagcol[t].append(v)
        arr[t] = [idx[v] for v in vals]
    src = [(r["_file"], r["_line"]) for r in rows]
    return Exposure(arr, tags, tagcol, dict(cost_types),
                    list(periods) or (["avg"] if given_avg else []), src)


def _read_one(fname: str, ignore_missing_costs, root=None) -> tuple[dict, list[dict]]:
    node = reader.parse(fname)
    if node.tag != "exposureModel":
        raise node.error("expected <exposureModel>, got <%s>" % node.tag)
    cost_types = {}
    area_type = "aggregated"
    conv = node.find("conversions")
    ctnode = conv.find("costTypes") if conv is not None else None
    for ct in (ctnode.findall("costType") if ctnode is not None else []):
        name = ct.attr("name")
        if name == "area":  # the area of the assets, as an <area> conversion gives it
            area_type = ct.get("type", "aggregated")
            if area_type not in ("aggregated", "per_asset"):
                raise ct.error("the area type must be aggregated or per_asset, got %r"
                               % area_type)
            continue
        if name not in COST_TYPES:
            raise ct.error("unknown cost type %r (known: %s)" % (name, ", ".join(COST_TYPES)))
        typ = ct.get("type", "aggregated")
        if typ not in ("aggregated", "per_asset", "per_area"):
            raise ct.error("cost type %r: unknown type %r (aggregated, per_asset or "
                           "per_area)" % (name, typ))
        cost_types[name] = (typ, ct.get("unit", ""))
    if conv is not None and conv.find("area") is not None:
        area_type = conv.find("area").get("type", "aggregated")
    tn = node.find("tagNames")
    tagnames = tn.text.split() if tn is not None and tn.text else []
    periods = []
    op = node.find("occupancyPeriods")
    if op is not None and op.text:
        periods = [p.strip() for p in op.text.replace(",", " ").split()]
    fields = {}
    ef = node.find("exposureFields")
    if ef is not None:
        for f in ef.findall("field"):
            # one input column may feed several fields (e.g. night and residents)
            fields.setdefault(f.attr("input"), []).append(f.attr("oq"))
    header = {"cost_types": cost_types, "tagnames": tagnames, "periods": periods,
              "area_type": area_type, "ignore_missing_costs": set(ignore_missing_costs)}
    assets_node = node.child("assets")
    rows: list[dict] = []
    if assets_node.nodes:
        for a in assets_node.findall("asset"):
            rows.append(_xml_asset(a, header, fname))
    elif assets_node.text:
        base = os.path.dirname(fname)
        for name in assets_node.text.split():
            path = resolve_input(name, base, root, fname=fname,
                                 lineno=assets_node.lineno)
            if not os.path.isfile(path):
                raise assets_node.error("asset file not found: %s" % name)
            rows.extend(_csv_assets(path, header, fields, ignore_missing_costs))
    for p in header["periods"]:
        if p not in periods:
            periods.append(p)
    return header, rows


def _scale(r: dict, header: dict) -> dict:
    """Total values from per_asset / per_area cost types."""
    number, area = r["number"], r["area"]
    if header["area_type"] == "per_asset":
        area = area * number
    for ct, (typ, _unit) in header["cost_types"].items():
        if ct not in r["values"]:
            continue
        if typ == "per_asset":
            r["values"][ct] *= number
        elif typ == "per_area":
            r["values"][ct] *= area
    return r


def _xml_asset(a: reader.Node, header: dict, fname: str) -> dict:
    aid = a.attr("id")
    if not aid or any(c.isspace() for c in aid):
        raise a.error("invalid asset id %r" % aid)
    loc = a.child("location")
    lon = loc.attr("lon", float)
    lat = loc.attr("lat", float)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise loc.error("invalid location (%s, %s)" % (lon, lat))
    r = {"id": aid, "lon": lon, "lat": lat, "taxonomy": a.attr("taxonomy").strip(),
         "number": _float(a, a.get("number", "1"), "number"),
         "area": _float(a, a.get("area", "1"), "area"),
         "values": {}, "deductibles": {}, "limits": {}, "occupants": {}, "tags": {},
         "_file": fname, "_line": a.lineno}
    costs = a.find("costs")
    for c in (costs.findall("cost") if costs is not None else []):
        ct = c.attr("type")
        if ct not in header["cost_types"]:
            raise c.error("asset %s: cost type %r is not declared in <costTypes>" % (
                aid, ct))
        r["values"][ct] = _float(c, c.attr("value"), "value")
        if "deductible" in c.attrib:
            r["deductibles"][ct] = _float(c, c["deductible"], "deductible")
        if "insuranceLimit" in c.attrib:
            r["limits"][ct] = _float(c, c["insuranceLimit"], "insuranceLimit")
        if "retrofitted" in c.attrib:  # retrofitting cost (classical_bcr)
            r["retrofitted"] = _float(c, c["retrofitted"], "retrofitted")
    missing = [ct for ct in header["cost_types"] if ct not in r["values"]
               and ct not in header["ignore_missing_costs"]]
    if missing:
        raise a.error("asset %s has no value for %s" % (aid, ", ".join(missing)))
    occ = a.find("occupancies")
    for o in (occ.findall("occupancy") if occ is not None else []):
        period = o.attr("period")
        r["occupants"][period] = _float(o, o.attr("occupants"), "occupants")
        if period not in header["periods"]:
            header["periods"].append(period)
    tags = a.find("tags")
    if tags is not None:
        for k, v in tags.attrib.items():
            if k not in header["tagnames"]:
                raise tags.error("asset %s: tag %r is not in <tagNames>" % (aid, k))
            r["tags"][k] = v.strip()
    return _scale(r, header)


def _open_text(path: str):
    """A CSV file for reading as text, gunzipped when its name ends with ``.gz``."""
    if path.endswith(".gz"):
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return open(path, newline="", encoding="utf-8-sig")


def _csv_assets(path: str, header: dict, fields: dict, ignore_missing_costs) -> list[dict]:
    with _open_text(path) as f:
        rd = csv.reader(f)
        try:
            header_row = [h.strip() for h in next(rd)]
        except StopIteration:
            raise InvalidInput("empty asset file", fname=path) from None
        # (field name, column index): a column renamed to several fields feeds them all
        pairs = [(n, i) for i, h in enumerate(header_row) for n in fields.get(h, [h])]
        # the layout of exported exposures: value-<cost type> columns
        names = [n[6:] if n.startswith("value-") else n for n, _ in pairs]
        columns = [i for _, i in pairs]
        for req in ("id", "lon", "lat", "taxonomy"):
            if req not in names:
                raise InvalidInput("missing column %r (have %s)" % (req, ", ".join(names)),
                                   fname=path, lineno=1)
        # occupants: occupants_<period> columns, or columns named after a declared period
        names = ["occupants_" + n if n in header["periods"] else n for n in names]
        occ_cols = [n for n in names if n.startswith("occupants_")]
        for n in occ_cols:
            p = n[len("occupants_"):]
            if p not in header["periods"]:
                header["periods"].append(p)
        data, linenos = [], []
        for lineno, row in enumerate(rd, 2):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header_row):
                raise InvalidInput("expected %d columns, got %d" % (len(header_row),
                                                                     len(row)),
                                   fname=path, lineno=lineno)
            data.append(row)
            linenos.append(lineno)
    if not data:
        return []
    text = {n: [row[i].strip() for row in data] for n, i in zip(names, columns)}

    def numbers(name, default=None, positive=True):
        """The column as floats (empty cells: default, or NaN); bad cells named."""
        vals = text.get(name)
        if vals is None:
            return np.full(len(data), np.nan if default is None else default)
        try:
            out = np.array([float(v) if v else (np.nan if default is None else default)
                            for v in vals])
        except ValueError:
            k = next(i for i, v in enumerate(vals) if v and not is_number(v))
            raise InvalidInput("%s=%r is not a number" % (name, vals[k]), fname=path,
                               lineno=linenos[k]) from None
        bad = ~np.isnan(out) & (~np.isfinite(out) | (out < 0)) if positive else \
            ~np.isfinite(out)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InvalidInput("%s=%r must be a finite number%s" % (
                name, vals[k], " >= 0" if positive else ""), fname=path, lineno=linenos[k])
        return out

    lons, lats = numbers("lon", positive=False), numbers("lat", positive=False)
    number, area = numbers("number", 1.0), numbers("area", 1.0)
    costs = {}
    for ct in header["cost_types"]:
        vals = numbers(ct)
        missing = np.isnan(vals)
        if missing.any() and ct not in ignore_missing_costs:
            k = int(np.flatnonzero(missing)[0])
            raise InvalidInput("asset %s has no value for %s" % (text["id"][k], ct),
                               fname=path, lineno=linenos[k])
        costs[ct] = vals
    retro = numbers("retrofitted") if "retrofitted" in text else None
    residents = numbers("residents", 0.0) if "residents" in text else None
    occs = {n[len("occupants_"):]: numbers(n) for n in occ_cols}
    tagnames = [t for t in header["tagnames"] if t in text]
    rows = []
    for k, aid in enumerate(text["id"]):
        if not aid:
            raise InvalidInput("empty asset id", fname=path, lineno=linenos[k])
        r = {"id": aid, "lon": lons[k], "lat": lats[k], "taxonomy": text["taxonomy"][k],
             "number": number[k], "area": area[k],
             "values": {ct: v[k] for ct, v in costs.items() if not np.isnan(v[k])},
             "deductibles": {}, "limits": {},
             "occupants": {p: v[k] for p, v in occs.items() if not np.isnan(v[k])},
             "tags": {t: text[t][k] for t in tagnames if text[t][k]},
             "_file": path, "_line": linenos[k]}
        if retro is not None and not np.isnan(retro[k]):
            r["retrofitted"] = retro[k]
        if residents is not None:
            r["residents"] = residents[k]
        rows.append(_scale(r, header))
    return rows


def inside_region(lons, lats, polygon) -> np.ndarray:
    """Boolean mask (A,) of the points strictly inside a polygon of (lon, lat) pairs."""
    import shapely
    poly = shapely.Polygon(polygon)
    return shapely.contains_xy(poly, np.asarray(lons, float), np.asarray(lats, float))


def associate(lons, lats, site_lons, site_lats, max_km: float) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """The closest site of each asset within ``max_km`` km.

    :returns: (site index per asset (A,) int64, -1 when none is close enough,
        distance in km (A,))
    """
    from scipy.spatial import cKDTree
    from oqcore.hazard.geo import geodetic
    sxyz = geodetic.spherical_to_cartesian(np.asarray(site_lons), np.asarray(site_lats))
    axyz = geodetic.spherical_to_cartesian(np.asarray(lons), np.asarray(lats))
    dist, idx = cKDTree(sxyz).query(axyz, k=1)
    idx = np.where(dist <= max_km, idx, -1)
    return idx.astype(np.int64), dist


def check_far_assets(oq, assets: np.ndarray, far: np.ndarray, dist: np.ndarray,
                     dist_km: float) -> None:
    """Refuse assets farther than ``dist_km`` km from every hazard site unless
    ``discard_assets`` is set (scenario jobs always drop them, as OpenQuake), and a job
    where no asset has a hazard site.

    :param assets: the assets (A,) with ``id``
    :param far: (A,) True for the assets without a hazard site close enough
    :param dist: (A,) km to the closest hazard site
    :raises InvalidInput: naming ``asset_hazard_distance`` and the first assets
    """
    if not len(assets):
        raise InvalidInput("the exposure has no assets%s" % (
            " inside the region" if oq.region else ""), param="exposure_file")
    nfar = int(far.sum())
    if nfar and not oq.discard_assets and not str(oq.calculation_mode).startswith(
            "scenario"):
        names = ", ".join(a.decode() for a in assets["id"][far][:5])
        raise InvalidInput(
            "%d asset(s) farther than asset_hazard_distance=%s km from any hazard site "
            "(%s%s): set discard_assets = true to ignore them" % (
                nfar, dist_km, names, "..." if nfar > 5 else ""),
            param="asset_hazard_distance")
    if nfar == len(assets):
        i = int(np.argmin(dist))
        raise InvalidInput(
            "no asset is within asset_hazard_distance=%s km of a hazard site%s (the "
            "closest, %s, is %.1f km away)" % (
                dist_km, " inside the region" if oq.region else "",
                assets["id"][i].decode(), dist[i]), param="asset_hazard_distance")
