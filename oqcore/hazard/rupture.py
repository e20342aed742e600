"""Single ruptures: the ruptures of scenarios and the sampled ruptures of event-based
calculations, their rupture-site contexts and their stored geometry.

A :class:`Rupture` has a magnitude, a rake, a hypocentre and a surface made of one or
more elements, each a grid of points (3, rows, cols) of lon, lat (degrees) and depth
(km): planar elements are 2 x 2 grids (``[[TL, TR], [BL, BR]]``), fault elements the
rupture mesh. Its ``strike``, ``dip``, ``width`` and ``ztor`` are those the GSIMs see.

Stored geometry (dataset ``rupgeoms``, one float32 vector per rupture):
``[kind, n_el, rows_1, cols_1, ..., rows_n, cols_n, lons_1, lats_1, depths_1, ...]``
with ``kind`` 0 for planar and 1 for mesh elements.
"""
from __future__ import annotations

import csv
import json

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.contexts import rupture_param_fields
from oqcore.hazard.geo import gc2, geodetic
from oqcore.hazard.geo.mesh import RectangularMesh
from oqcore.hazard.geo.planar import PlanarSurface, planar_distances
from oqcore.hazard.geo.surface import BaseSurface, ComplexFaultSurface, SimpleFaultSurface
from oqcore.hazard.source.fault_ruptures import (Sites, multi_surface_params,
                                                 rupture_mesh_distances)

PLANAR, MESH = 0, 1


@attrs.define
class Rupture:
    """One earthquake rupture.

    :ivar mag: magnitude; :ivar rake: degrees; :ivar trt: tectonic region type
    :ivar hypo: (lon, lat, depth) of the hypocentre
    :ivar kind: PLANAR or MESH
    :ivar elements: list of arrays (3, rows, cols) (lon, lat, depth)
    :ivar strike, dip, width, ztor: degrees, degrees, km, km
    :ivar middle: the middle point (lon, lat, depth) of surfaces whose own definition
        of it the elements do not carry (kite sections), else None
    """
    mag: float
    rake: float
    trt: str
    hypo: tuple
    kind: int
    elements: list
    strike: float
    dip: float
    width: float
    ztor: float
    middle: tuple | None = None

    # ------------------------------------------------------------ geometry
    def surfaces(self) -> list:
        """The elements as PlanarSurface / BaseSurface objects."""
        out = []
        for el in self.elements:
            if self.kind == PLANAR:
                tl, tr, bl, br = (el[:, 0, 0], el[:, 0, 1], el[:, 1, 0], el[:, 1, 1])
                out.append(PlanarSurface(self.strike, max(self.dip, 1e-6), tl, tr, br, bl,
                                         check=False))
            else:
                out.append(BaseSurface(RectangularMesh(el[0], el[1], el[2])))
        return out

    def footprint(self) -> tuple[np.ndarray, np.ndarray]:
        """lons, lats (degrees) of the nodes of every element (corners of planes)."""
        return (np.concatenate([np.ravel(el[0]) for el in self.elements]),
                np.concatenate([np.ravel(el[1]) for el in self.elements]))

    def centroid(self) -> tuple:
        """The middle point of the surface (lon, lat, depth); for several elements
        the middle point of the element closest to the middle of the bounding box."""
        if self.middle is not None:
            return self.middle
        if len(self.elements) == 1 and self.kind == PLANAR:
            el = self.elements[0]  # the middle of TL and BR, as PlanarSurface
            lon, lat = geodetic.get_middle_point(el[0, 0, 0], el[1, 0, 0], el[0, 1, 1],
                                                 el[1, 1, 1])
            return float(lon), float(lat), float(el[2, 0, 0] + el[2, 1, 1]) / 2.0
        surfs = self.surfaces()
        if len(surfs) == 1:
            return tuple(float(x) for x in surfs[0].get_middle_point())
        return multi_surface_params(surfs)["hypo"]

    def outline(self) -> np.ndarray:
        """The plan-view outline (K, 3) of the surface: for each element its top edge,
        right edge, bottom edge reversed and left edge reversed, the elements one after
        the other (lon, lat, depth)."""
        parts = []
        for el in self.elements:
            parts.append(np.concatenate([el[:, 0, :], el[:, 1:, -1], el[:, -1, :-1][:, ::-1],
                                         el[:, :-1, 0][:, ::-1]], axis=1).T)
        return np.concatenate(parts)

    def hypo_in_outline(self) -> bool:
        """Whether the hypocentre lies in (or on) the plan-view outline of the surface
        (always False for a vertical surface, whose outline has no area)."""
        from shapely.geometry import Point, Polygon
        return bool(Polygon(self.outline()[:, :2]).covers(Point(self.hypo[:2])))

    def geometric_strike(self) -> float:
        """The strike as a surface reports it (degrees in [0, 360)): for planes the
        azimuth of the top edge of the plane (TL -> TR), else ``strike`` (that of the
        multi-surface for several planes)."""
        if self.kind != PLANAR or len(self.elements) > 1:
            return self.strike
        el = self.elements[0]
        return float(geodetic.azimuth(el[0, 0, 0], el[1, 0, 0], el[0, 0, 1], el[1, 0, 1]))

    def stored_dip(self) -> float:
        """The dip a stored plane reports (degrees): for planes the angle of the left edge
        of the plane (TL -> BL) below the horizontal, from the corners as stored
        (float32, see :meth:`encode`), else ``dip`` (that of the multi-surface for
        several planes)."""
        if self.kind != PLANAR or len(self.elements) > 1:
            return self.dip
        el = self.elements[0].astype(np.float32).astype(float)
        top, bottom = el[:, 0, 0], el[:, 1, 0]
        length = geodetic.distance(top[0], top[1], top[2], bottom[0], bottom[1], bottom[2])
        if length == 0:
            return self.dip
        return float(np.degrees(np.arcsin(np.clip((bottom[2] - top[2]) / length, -1, 1))))

    def boundary_wkt(self) -> str:
        """The surface boundary as WKT: POLYGON of the outline of each element (top
        edge, right edge, bottom edge reversed, left edge reversed), coordinates %.5f;
        LINESTRING when fewer than 4 distinct points."""
        rings = []
        for el in self.elements:
            lo, la = el[0], el[1]
            ring = (list(zip(lo[0], la[0])) + list(zip(lo[1:, -1], la[1:, -1]))
                    + list(zip(lo[-1, -2::-1], la[-1, -2::-1]))
                    + list(zip(lo[-2:0:-1, 0], la[-2:0:-1, 0])))
            rings.append(ring)
        def text(point):  # %.5f, with -0.00000 written 0.00000
            return "%.5f %.5f" % (round(point[0], 5) + 0.0, round(point[1], 5) + 0.0)

        distinct = list(dict.fromkeys(text(p) for r in rings for p in r))
        if len(distinct) < 4:  # the distinct points in boundary order
            return "LINESTRING(%s)" % ", ".join(distinct)
        polys = ["((%s))" % ", ".join(text(p) for p in r + r[:1]) for r in rings]
        if len(polys) == 1:
            return "POLYGON%s" % polys[0]
        return "MULTIPOLYGON(%s)" % ", ".join(polys)

    def encode(self) -> np.ndarray:
        """The geometry as a float32 vector (see the module docstring)."""
        head = [self.kind, len(self.elements)]
        for el in self.elements:
            head += [el.shape[1], el.shape[2]]
        body = [el.reshape(-1) for el in self.elements]
        return np.concatenate([np.array(head, np.float32)] + body).astype(np.float32)

    # ------------------------------------------------------------ distances
    def distances(self, sites: Sites) -> np.ndarray:
        """rrup, rjb, rx, ry0 (km) of N sites: array (4, N)."""
        if self.kind == PLANAR:
            corners = np.array([[el[:, 0, 0], el[:, 0, 1], el[:, 1, 1], el[:, 1, 0]]
                                for el in self.elements])  # (n, 4, 3)
            pts = np.column_stack([sites.lons, sites.lats, sites.depths])
            d = np.array(planar_distances(corners, pts, np.full(len(corners),
                                                                 self.strike)))
        else:
            meshes = [RectangularMesh(el[0], el[1], el[2]) for el in self.elements]
            strikes = [BaseSurface(m).get_strike() for m in meshes]
            d = rupture_mesh_distances(meshes, strikes, sites)
        if d.shape[1] == 1:
            return d[:, 0]
        out = np.empty((4, len(sites)))
        out[0] = d[0].min(axis=0)
        out[1] = d[1].min(axis=0)
        out[2], out[3] = gc2.multi_surface_rx_ry0(self.surfaces(), sites.lons, sites.lats)
        return out


def decode_geometry(vec: np.ndarray) -> tuple[int, list]:
    """(kind, elements) from a vector written by :meth:`Rupture.encode`."""
    vec = np.asarray(vec, float)
    kind, n = int(vec[0]), int(vec[1])
    shapes = vec[2:2 + 2 * n].astype(int).reshape(n, 2)
    pos = 2 + 2 * n
    elements = []
    for rows, cols in shapes:
        size = 3 * rows * cols
        elements.append(vec[pos:pos + size].reshape(3, rows, cols))
        pos += size
    return kind, elements


def rupture_context(rup: Rupture, cmaker, maxdist: float, rate: float = 0.0):
    """The contexts of a rupture with the sites within ``maxdist`` km (rrup).

    :param cmaker: a :class:`~oqcore.hazard.contexts.ContextMaker`
    :returns: a context array (one row per site, in site order)
    """
    sitecol = cmaker.sitecol
    sites = Sites.of(sitecol)
    d = rup.distances(sites)
    sids = np.flatnonzero(d[0] <= maxdist)
    ctx = cmaker.new_context(len(sids))
    if len(sids) == 0:
        return ctx
    ctx["mag"] = rup.mag
    ctx["rake"] = rup.rake
    ctx["dip"] = rup.dip
    ctx["strike"] = rup.strike
    ctx["ztor"] = rup.ztor
    ctx["width"] = rup.width
    hlon, hlat, hdep = rup.hypo
    ctx["hypo_lon"] = hlon
    ctx["hypo_lat"] = hlat
    ctx["hypo_depth"] = hdep
    ctx["occurrence_rate"] = rate
    ctx["rrup"] = d[0][sids]
    ctx["rjb"] = d[1][sids]
    ctx["rx"] = d[2][sids]
    ctx["ry0"] = d[3][sids]
    repi = geodetic.geodetic_distance(hlon, hlat, sites.lons[sids], sites.lats[sids])
    ctx["repi"] = repi
    ctx["rhypo"] = np.sqrt(repi ** 2 + (hdep - sites.depths[sids]) ** 2)
    for name, value in rupture_param_fields(cmaker, lambda: [rup.footprint()], 0).items():
        ctx[name] = value
    if "azimuth" in ctx.dtype.names:
        from oqcore.hazard.source.ruptures import site_azimuth
        ctx["azimuth"] = site_azimuth(hlon, hlat, rup.strike, sites.lons[sids],
                                      sites.lats[sids])
    cmaker.set_sites(ctx, sids)
    return cmaker.finish(ctx)


# ---------------------------------------------------------------- builders
def planar_rupture(mag: float, rake: float, trt: str, hypo, corners: np.ndarray,
                   strike: float | None = None, dip: float | None = None,
                   width: float | None = None) -> Rupture:
    """A rupture of one or more planes.

    :param corners: (n, 4, 3) corners in TL, TR, BR, BL order
    :param strike, dip: of the first plane when None (computed from the corners)
    :param width: km, for one plane of known strike and dip (else computed)
    """
    corners = np.asarray(corners, float).reshape(-1, 4, 3)
    elements = [np.array([[c[0], c[1]], [c[3], c[2]]]).transpose(2, 0, 1)
                for c in corners]
    if len(corners) == 1 and width is not None:  # a point-source plane
        return Rupture(float(mag), float(rake), trt, tuple(float(h) for h in hypo),
                       PLANAR, elements, float(strike), float(dip), float(width),
                       float(corners[0, 0, 2]))
    surfs = [PlanarSurface.from_corner_points(*c) if strike is None else
             PlanarSurface(strike, dip, *c, check=False) for c in corners]
    return Rupture(float(mag), float(rake), trt, tuple(float(h) for h in hypo), PLANAR,
                   elements, **_surface_params(surfs))


def _surface_params(surfaces: list) -> dict:
    """strike, dip, width, ztor of one surface or of a multi surface."""
    if len(surfaces) == 1:
        s = surfaces[0]
        return dict(strike=s.get_strike(), dip=s.get_dip(), width=s.get_width(),
                    ztor=s.get_top_edge_depth())
    ms = multi_surface_params(surfaces)
    return {k: ms[k] for k in ("strike", "dip", "width", "ztor")}


def mesh_rupture(mag: float, rake: float, trt: str, hypo, surfaces: list) -> Rupture:
    """A rupture on one or more mesh surfaces (Simple/ComplexFaultSurface or
    BaseSurface objects), with their strike, dip, width and ztor."""
    elements = [np.array([s.mesh.lons, s.mesh.lats, s.mesh.depths], float)
                for s in surfaces]
    params = _surface_params(surfaces)
    if hypo is None:
        hypo = surfaces[0].get_middle_point()
    return Rupture(float(mag), float(rake), trt, tuple(float(h) for h in hypo), MESH,
                   elements, **params)


def rupture_from_geometry(mag: float, rake: float, trt: str, hypo, kind: int,
                          elements: list) -> Rupture:
    """A rupture from its surface elements (see :func:`decode_geometry`): planes
    (2 x 2 grids [[TL, TR], [BL, BR]]) get the strike, dip, width and top depth of
    their corners, meshes those of their surfaces."""
    if kind == PLANAR:
        corners = [[el[:, 0, 0], el[:, 0, 1], el[:, 1, 1], el[:, 1, 0]] for el in elements]
        return planar_rupture(mag, rake, trt, hypo, corners)
    surfs = [BaseSurface(RectangularMesh(*np.asarray(el, float))) for el in elements]
    return mesh_rupture(mag, rake, trt, hypo, surfs)


def stored_ruptures(dstore, trts: list[str]) -> list[Rupture]:
    """The ruptures of a calculation (datasets ``ruptures`` and ``rupgeoms``), in
    stored order.

    :param trts: the tectonic region type of each source number (``source_id``), or a
        single one for every rupture
    """
    recs = dstore["ruptures"][()]
    geoms = dstore["rupgeoms"]
    out = []
    for i, rec in enumerate(recs):
        kind, elements = decode_geometry(geoms[i])
        trt = trts[0] if len(trts) == 1 else trts[int(rec["source_id"])]
        out.append(rupture_from_geometry(float(rec["mag"]), float(rec["rake"]), trt,
                                         tuple(float(h) for h in rec["hypo"]), kind,
                                         elements))
    return out


def _node_float(node, tag):
    child = node.child(tag)
    try:
        return float(child.text.strip())
    except ValueError:
        raise child.error("<%s> must be a number, got %r" % (tag, child.text.strip())
                          ) from None


def rupture_from_node(node, mesh_spacing: float, complex_spacing: float | None = None,
                      trt: str = "*") -> Rupture:
    """A rupture from an NRML rupture element (``simpleFaultRupture``,
    ``complexFaultRupture``, ``singlePlaneRupture``, ``multiPlanesRupture``)."""
    from oqcore.hazard.source.model import SourceConverter
    conv = SourceConverter()
    mag = _node_float(node, "magnitude")
    if not 0 < mag < 11:
        raise node.child("magnitude").error("magnitude %s is out of range (0, 11)" % mag)
    rake = _node_float(node, "rake")
    if not -180 <= rake <= 180:
        raise node.child("rake").error("rake %s is out of range [-180, 180]" % rake)
    h = node.child("hypocenter")
    hypo = (h.attr("lon", float), h.attr("lat", float), h.attr("depth", float))
    tag = node.tag
    try:
        if tag == "simpleFaultRupture":
            trace, usd, lsd, dip = conv._simple_geometry(node.child("simpleFaultGeometry"))
            surf = SimpleFaultSurface.from_fault_data(trace, usd, lsd, dip, mesh_spacing)
            return mesh_rupture(mag, rake, trt, hypo, [surf])
        if tag == "complexFaultRupture":
            edges = conv._complex_edges(node.child("complexFaultGeometry"))
            surf = ComplexFaultSurface.from_fault_data(edges, complex_spacing or mesh_spacing)
            return mesh_rupture(mag, rake, trt, hypo, [surf])
        if tag == "multiPlanesRupture" and node.find("kiteSurface") is not None:
            return kite_rupture(mag, rake, trt, hypo, node, mesh_spacing)
        if tag in ("singlePlaneRupture", "multiPlanesRupture"):
            planes = node.findall("planarSurface")
            if not planes:
                raise node.error("<%s> needs at least one <planarSurface> (or "
                                 "<kiteSurface>)" % tag)
            corners = []
            for p in planes:
                c = conv._planar(p)["corners"]  # TL, TR, BL, BR
                corners.append([c[0], c[1], c[3], c[2]])
            return planar_rupture(mag, rake, trt, hypo, corners)
    except InvalidInput:
        raise
    except ValueError as exc:
        raise node.error("invalid rupture geometry: %s" % exc) from None
    raise node.error("unknown or unsupported rupture typology <%s> (supported: "
                     "simpleFaultRupture, complexFaultRupture, singlePlaneRupture, "
                     "multiPlanesRupture)" % tag)


def kite_rupture(mag: float, rake: float, trt: str, hypo, node,
                 mesh_spacing: float) -> Rupture:
    """A rupture on the ``kiteSurface`` elements of a node, meshed at
    ``mesh_spacing`` km; its middle point is that of the kite surfaces."""
    from oqcore.hazard.source.fault_ruptures import multi_surface_params
    from oqcore.hazard.source.kite import kite_surface_of
    surfs = [kite_surface_of(k, mesh_spacing) for k in node.findall("kiteSurface")]
    rup = mesh_rupture(mag, rake, trt, hypo, surfs)
    middle = (surfs[0].get_middle_point() if len(surfs) == 1 else
              multi_surface_params(surfs)["hypo"])
    rup.middle = tuple(float(x) for x in middle)
    return rup


def read_rupture_file(fname: str, mesh_spacing: float,
                      complex_spacing: float | None = None) -> Rupture:
    """The rupture of a ``rupture_model_file``: NRML (.xml) or CSV (the layout of the
    ``ruptures`` extract, first row used)."""
    if fname.lower().endswith(".csv"):
        return read_rupture_csv(fname)
    from oqcore.nrml.reader import parse
    node = parse(fname)
    return rupture_from_node(node, mesh_spacing, complex_spacing)


CSV_FIELDS = ("seed", "mag", "rake", "lon", "lat", "dep", "multiplicity", "trt", "kind",
              "mesh", "extra")


def read_rupture_csv(fname: str) -> Rupture:
    """The first rupture of a CSV file of ruptures (see :func:`read_rupture_rows`)."""
    return read_rupture_rows(fname, 1)[0]["rupture"]


def read_rupture_rows(fname: str, limit: int | None = None) -> list[dict]:
    """The ruptures of a CSV file with the columns of the ``ruptures`` extract:
    ``seed,mag,rake,lon,lat,dep,multiplicity,trt,kind,mesh,extra``; ``mesh`` is a JSON
    list of surface elements, each [lons, lats, depths] as (rows, cols) lists. Planes
    (``kind`` ending in ``PlanarSurface``, or a ``MultiSurface`` of planes) have their
    corners as one row of 4 points, TL, TR, BL, BR, as OpenQuake writes them.

    :param limit: read at most this many ruptures
    :returns: dicts with ``seed`` (int, 0 when empty), ``multiplicity``, ``trt``,
        ``rate`` (``occurrence_rate`` of ``extra``, else NaN) and ``rupture``
    :raises InvalidInput: naming the file and line of a bad row
    """
    with open(fname, newline="", encoding="utf-8") as f:
        numbered = [(i, ln) for i, ln in enumerate(f, 1) if not ln.startswith("#")]
    reader = csv.DictReader([ln for _, ln in numbered])
    missing = set(CSV_FIELDS[1:10]) - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput("missing columns %s" % ", ".join(sorted(missing)), fname=fname)
    out = []
    for k, row in enumerate(reader):
        if limit is not None and len(out) >= limit:
            break
        lineno = numbered[reader.line_num - 1][0] if reader.line_num <= len(numbered) \
            else None
        try:
            elements = [np.array(el, float) for el in json.loads(row["mesh"])]
            if not elements or any(el.ndim != 3 or el.shape[0] != 3 for el in elements):
                raise ValueError("mesh must be a list of [lons, lats, depths] grids")
            planar = row["kind"].endswith(("PlanarSurface", "MultiSurface")) and all(
                el.shape[1] * el.shape[2] == 4 for el in elements)
            hypo = (float(row["lon"]), float(row["lat"]), float(row["dep"]))
            mag, rake = float(row["mag"]), float(row["rake"])
            if planar:  # one row TL, TR, BL, BR -> [[TL, TR], [BL, BR]]
                rup = rupture_from_geometry(mag, rake, row["trt"], hypo, PLANAR,
                                            [el.reshape(3, 2, 2) for el in elements])
            else:
                rup = rupture_from_geometry(mag, rake, row["trt"], hypo, MESH, elements)
            extra = json.loads(row.get("extra") or "{}")
            out.append(dict(seed=int(float(row.get("seed") or 0)),
                            multiplicity=int(float(row["multiplicity"])), trt=row["trt"],
                            rate=float(extra.get("occurrence_rate", "nan"))
                            if isinstance(extra, dict) else float("nan"), rupture=rup))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidInput("invalid rupture: %s" % exc, fname=fname,
                               lineno=lineno) from None
    if not out:
        raise InvalidInput("no rupture in the file", fname=fname)
    return out


def rupture_from_dict(d: dict, aspect_ratio: float = 1.0) -> Rupture:
    """A planar rupture from ``rupture_dict`` = {lon, lat, dep, mag, rake, strike, dip}
    (+ optional ``trt``, ``aspect_ratio``, ``msr``): a plane centred on the hypocentre,
    its area from the magnitude scaling relation (``msr``, by name; Wells &
    Coppersmith 1994 by default)."""
    from oqcore.hazard.geo.planar import build_planar_corners
    from oqcore.hazard.source.scaling import msr_from_text
    need = ("lon", "lat", "dep", "mag", "rake")
    missing = [k for k in need if k not in d]
    if missing:
        raise InvalidInput("missing %s" % ", ".join(missing),
                           param="rupture_dict")
    try:
        mag, rake = float(d["mag"]), float(d["rake"])
        strike, dip = float(d.get("strike", 0)), float(d.get("dip", 90))
        lon, lat, dep = float(d["lon"]), float(d["lat"]), float(d["dep"])
        ar = float(d.get("aspect_ratio", aspect_ratio))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(str(exc), param="rupture_dict") from None
    try:
        msr = msr_from_text(str(d.get("msr", "WC1994")))
    except InvalidInput as exc:
        raise InvalidInput(exc.msg, param="rupture_dict") from None
    area = msr.get_median_area(mag, rake)
    corners, _ = build_planar_corners(lon, lat, [dep], [strike], [dip], [area], ar,
                                      0.0, max(dep * 2, 100.0))
    return planar_rupture(mag, rake, d.get("trt", "*"), (lon, lat, dep), corners[0, 0],
                          strike, dip)
