"""The mosaic: which regional hazard model covers a site.

A mosaic folder holds ``boundaries.geojson`` (a FeatureCollection of Polygon or
MultiPolygon features in lon/lat, property ``name`` = the 3-letter model code),
``aelo_changelog.ini`` and one ``<CODE>/in/job_vs30.ini`` per model. The package ships a
demo mosaic (the boundaries of every model and the CCA and PAC models);
openquake.cfg ``[directory] mosaic_dir`` names another.

Lookup rule: drop the excluded codes; a code matches when the point lies strictly inside
one of its polygons; codes are tried in alphabetical order and the last match wins.
"""
from __future__ import annotations

import configparser
import json
import os
from functools import lru_cache

import shapely
import shapely.geometry

from oqcore.errors import InvalidInput

#: the demo mosaic shipped with the package
DEMO_MOSAIC = os.path.join(os.path.dirname(__file__), "mosaic")
BOUNDARIES = "boundaries.geojson"
MODEL_INI = os.path.join("in", "job_vs30.ini")
#: codes AELO never uses (the USA has its own design maps)
AELO_EXCLUDE = ("USA",)


def mosaic_dir(configured: str = "") -> str:
    """The mosaic folder: ``configured`` (openquake.cfg) or the demo mosaic."""
    return configured or DEMO_MOSAIC


@lru_cache(maxsize=4)
def _read_boundaries(path: str, mtime: float) -> tuple:
    """((code, geometry), ...) sorted by code, geometries merged per code."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise InvalidInput("the mosaic boundaries cannot be read (%s)"
                           % type(exc).__name__, fname=BOUNDARIES) from None
    by_code: dict[str, list] = {}
    for i, feat in enumerate(data.get("features", [])):
        try:
            code = str(feat["properties"]["name"])
            geom = shapely.geometry.shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidInput("feature %d has no valid name or geometry" % i,
                               fname=BOUNDARIES) from None
        by_code.setdefault(code, []).append(geom)
    out = []
    for code in sorted(by_code):
        geom = shapely.union_all(by_code[code]) if len(by_code[code]) > 1 \
            else by_code[code][0]
        shapely.prepare(geom)
        out.append((code, geom))
    return tuple(out)


def boundaries(folder: str) -> tuple:
    """The (code, polygon) pairs of the mosaic in ``folder``, sorted by code."""
    path = os.path.join(folder, BOUNDARIES)
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        raise InvalidInput("File not found: %s" % BOUNDARIES) from None
    return _read_boundaries(path, mtime)


def find_model(lon: float, lat: float, folder: str,
               exclude: tuple = AELO_EXCLUDE) -> str:
    """The code of the model covering (lon, lat) (degrees).

    :raises InvalidInput: no model covers the point
    """
    point = shapely.geometry.Point(lon, lat)
    found = None
    for code, geom in boundaries(folder):
        if code not in exclude and geom.contains(point):
            found = code   # alphabetical order: the last match wins
    if found is None:
        raise InvalidInput("Site at lon=%s lat=%s is not covered by any model!"
                           % (float(lon), float(lat)))
    return found


def model_ini(folder: str, code: str) -> str:
    """The path of ``<code>/in/job_vs30.ini`` in the mosaic ``folder``.

    :raises InvalidInput: the model folder or its job file is missing (the message
        names the path relative to the mosaic, never the server's folders)
    """
    path = os.path.join(folder, code, MODEL_INI)
    if not os.path.isfile(path):
        raise InvalidInput("File not found: %s" % os.path.join(code, MODEL_INI))
    return path


def aelo_version(folder: str) -> str:
    """The AELO version: the first section of ``aelo_changelog.ini`` ('' if none)."""
    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read(os.path.join(folder, "aelo_changelog.ini"), encoding="utf-8")
    except configparser.Error:
        return ""
    sections = cp.sections()
    return sections[0] if sections else ""
