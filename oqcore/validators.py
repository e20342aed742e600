"""Validators turning job.ini text into values. Each takes a string, returns the value
or raises ValueError with a message saying what was expected."""
from __future__ import annotations

import ast
import math
import re
from typing import Any, Callable

import numpy as np

from oqcore.hazard.imt import IMT

_SPLIT = re.compile(r"[\s,]+")


def is_number(text: str) -> bool:
    """True if ``text`` reads as a float (e.g. to tell a CSV header from a data row)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _items(text: str) -> list[str]:
    text = text.strip().strip("[]")
    return [t for t in _SPLIT.split(text) if t]


def string(text: str) -> str:
    """Any string (stripped)."""
    return text.strip()


def nonempty_string(text: str) -> str:
    """A non-empty string."""
    text = text.strip()
    if not text:
        raise ValueError("a non-empty string is required")
    return text


def boolean(text: str) -> bool:
    """true/false/yes/no/1/0 (case-insensitive); empty means false."""
    if isinstance(text, bool):
        return text
    t = text.strip().lower()
    if t in ("true", "yes", "1", "on"):
        return True
    if t in ("false", "no", "0", "off", ""):
        return False
    raise ValueError("not a boolean: %r (use true or false)" % text)


def _float(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError("not a number: %r" % text) from None


def nonneg_float(text: str) -> float | None:
    """A float >= 0; empty means None."""
    if isinstance(text, str) and not text.strip():
        return None
    x = _float(text)
    if not x >= 0:
        raise ValueError("%s is not a float >= 0" % text)
    return x


def positive_float(text: str) -> float | None:
    """A float > 0 (a time span: 0 would make every probability zero); empty means
    None."""
    x = nonneg_float(text)
    if x is not None and not x > 0:
        raise ValueError("%s is not a float > 0" % text)
    return x


def nonneg_float_or_none(text: str) -> float | None:
    """A float >= 0, or empty/None for none."""
    if text is None or (isinstance(text, str) and text.strip().lower() in ("", "none", "null")):
        return None
    return nonneg_float(text)


def site_param_float(text: str) -> float:
    """A float >= 0, or -999 meaning unknown."""
    x = _float(text)
    if x != -999 and not x >= 0:
        raise ValueError("%s is not a float >= 0 (or -999)" % text)
    return x


def integer(text: str) -> int:
    """Any integer."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise ValueError("not an integer: %r" % text) from None


def nonneg_int(text: str) -> int:
    """An integer >= 0."""
    i = integer(text)
    if i < 0:
        raise ValueError("%s is not an integer >= 0" % text)
    return i


def positive_int(text: str) -> int:
    """An integer > 0."""
    i = integer(text)
    if i <= 0:
        raise ValueError("%s is not a positive integer" % text)
    return i


def calc_reference(text: str) -> int | str | None:
    """A previous calculation: its ID (negative means N-th last), or the file name
    (relative to the job.ini) of a job file to run first (``.ini``) or of a datastore
    (``.hdf5``); empty means None."""
    if text is None or not str(text).strip():
        return None
    t = str(text).strip()
    try:
        return int(t)
    except ValueError:
        if t.endswith((".ini", ".hdf5")):
            return t
        raise ValueError("not a calculation ID nor a .ini or .hdf5 file name: %r" % t
                         ) from None


def version(text: str) -> str | None:
    """An engine version string like 3.23 or 3.23.1."""
    t = text.strip()
    if not t:
        return None
    if not re.match(r"^\d+(\.\d+){0,2}$", t):
        raise ValueError("not a version string: %r" % text)
    return t


def float_list(text: str) -> list[float]:
    """Floats separated by spaces or commas."""
    return [_float(x) for x in _items(text)]


def int_list(text: str) -> list[int]:
    """Integers separated by spaces or commas."""
    return [integer(x) for x in _items(text)]


def probabilities(text: str) -> list[float]:
    """Floats in [0, 1] separated by spaces or commas (brackets ignored)."""
    out = float_list(text)
    for p in out:
        if not 0 <= p <= 1:
            raise ValueError("%s is not a probability in [0, 1]" % p)
    return out


def names(text: str) -> list[str]:
    """Names separated by spaces or commas."""
    return _items(text)


def name_groups(text: str) -> list[list[str]]:
    """Name lists separated by ';' (e.g. ``region, taxonomy; policy``)."""
    return [names(g) for g in text.split(";") if g.strip()]


def imt_names(text: str) -> list[str]:
    """IMT names separated by commas or spaces, e.g. ``PGA, SA(0.3)``."""
    out = []
    for tok in re.findall(r"[A-Za-z0-9_]+\([^)]*\)|[A-Za-z0-9_]+", text):
        out.append(str(IMT.from_string(tok)))
    return out


def choice(*choices: str) -> Callable[[str], str]:
    """One of the given strings."""
    def validate(text: str) -> str:
        t = text.strip()
        if t not in choices:
            raise ValueError("%r is not one of %s" % (t, ", ".join(repr(c) for c in choices)))
        return t
    validate.__doc__ = "one of %s" % ", ".join(choices)
    return validate


def optional(validator: Callable[[str], Any]) -> Callable[[str], Any]:
    """``validator``, with an empty text meaning None."""
    def validate(text: str):
        if not str(text).strip():
            return None
        return validator(text)
    validate.__doc__ = "empty or %s" % (validator.__doc__ or "")
    return validate


def choice_int(*choices: int) -> Callable[[str], int]:
    """One of the given integers."""
    def validate(text: str) -> int:
        i = integer(text)
        if i not in choices:
            raise ValueError("%s is not one of %s" % (i, choices))
        return i
    return validate


def regex(pattern: str) -> Callable[[str], str | None]:
    """A string matching ``pattern``; empty means None."""
    rx = re.compile(pattern)

    def validate(text: str):
        t = text.strip()
        if not t:
            return None
        if not rx.match(t):
            raise ValueError("%r does not match %s" % (t, pattern))
        return t
    return validate


def _literal(text: str):
    t = text.strip()
    t = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", t))
    t = re.sub(r"\bnull\b", "None", t)
    try:
        return ast.literal_eval(t)
    except (ValueError, SyntaxError):
        raise ValueError("not a valid literal: %r" % text) from None


def literal_dict(text: str) -> dict:
    """A Python/JSON literal dict; empty means {}."""
    if isinstance(text, dict):
        return text
    if not text.strip():
        return {}
    d = _literal(text)
    if not isinstance(d, dict):
        raise ValueError("a dictionary is required, got %r" % text)
    return d


def literal_list(text: str) -> list:
    """A Python/JSON literal list; empty means []."""
    if not text.strip():
        return []
    v = _literal(text)
    if not isinstance(v, (list, tuple)):
        raise ValueError("a list is required, got %r" % text)
    return list(v)


def floatdict(text: str) -> dict:
    """A float, stored as {'default': x}, or a dict key -> float."""
    if isinstance(text, dict):
        return text
    t = text.strip()
    if not t:
        return {}
    if t.startswith("{"):
        d = _literal(t)
        out = {}
        for k, v in d.items():
            out[k] = _float(v)
        return out
    return {"default": _float(t)}


def _logscale(match) -> str:
    a, b, n = (x.strip() for x in match.group(1).split(","))
    a, b, n = float(a), float(b), int(n)
    if a <= 0 or b <= a or n < 2:
        raise ValueError("invalid logscale(%s)" % match.group(1))
    vals = np.exp(np.linspace(math.log(a), math.log(b), n))
    return "[%s]" % ", ".join(repr(float(v)) for v in vals)


#: the level that stands for a first level of 0
MIN_LEVEL = 1e-10


def imtls(text: str) -> dict[str, list[float]]:
    """Dict IMT -> strictly increasing positive levels; ``logscale(min, max, n)`` allowed;
    ``[0]`` alone is an IMT without levels, a first level 0 becomes :data:`MIN_LEVEL`."""
    if isinstance(text, dict):
        raw = text
    else:
        t = re.sub(r"logscale\(([^)]*)\)", _logscale, text)
        raw = _literal(t)
        if not isinstance(raw, dict):
            raise ValueError("a dictionary IMT -> levels is required")
    out: dict[str, list[float]] = {}
    for key, levels in raw.items():
        imt = str(IMT.from_string(str(key)))
        if isinstance(levels, (int, float)):
            levels = [levels]
        levels = [float(x) for x in levels]
        if not levels:
            raise ValueError("no levels for %s" % key)
        if levels == [0.0]:  # the IMT without levels, as OpenQuake takes it
            out[imt] = levels
            continue
        if levels[0] == 0 and len(levels) > 1 and levels[1] > MIN_LEVEL:
            levels[0] = MIN_LEVEL  # a first level 0 is the smallest level, as OpenQuake
        if any(x <= 0 for x in levels) and imt != "MMI":
            raise ValueError("the levels of %s must be positive" % key)
        if any(b <= a for a, b in zip(levels, levels[1:])):
            raise ValueError("the levels of %s are not strictly increasing" % key)
        out[imt] = levels
    return out


def maximum_distance(text: str) -> dict:
    """A distance in km, a dict TRT -> km or TRT -> [(mag, km), ...].

    Stored as {'default': km} or {TRT: km or [[mag, km], ...]}.
    """
    if isinstance(text, dict):
        return text
    t = text.strip()
    if not t:
        raise ValueError("a maximum distance is required")
    if t.startswith("{"):
        d = _literal(t)
        out = {}
        for k, v in d.items():
            if isinstance(v, (list, tuple)):
                pairs = [[float(m), float(x)] for m, x in v]
                if any(x < 0 for _, x in pairs):
                    raise ValueError("negative distance for %s" % k)
                out[k] = sorted(pairs)
            else:
                x = _float(v)
                if x < 0:
                    raise ValueError("negative distance for %s" % k)
                out[k] = x
        return out
    if t.startswith("["):
        v = _literal(t)
        pairs = sorted([float(m), float(x)] for m, x in v)
        if any(x < 0 for _, x in pairs):
            raise ValueError("negative maximum_distance")
        return {"default": pairs}
    x = _float(t)
    if x < 0:
        raise ValueError("negative maximum_distance")
    return {"default": x}


def distance_dict(text: str) -> dict:
    """Like :func:`maximum_distance` (km, a list of (magnitude, km) pairs, or a dict
    TRT -> either), but empty text gives {} (the parameter's default applies)."""
    if isinstance(text, dict):
        return text
    return maximum_distance(text) if text.strip() else {}


def _lonlat(tok: list[str], what: str) -> tuple:
    vals = [_float(x) for x in tok]
    if len(vals) not in (2, 3):
        raise ValueError("%s: expected 'lon lat [depth]', got %r" % (what, " ".join(tok)))
    lon, lat = vals[0], vals[1]
    if not -180 <= lon <= 180:
        raise ValueError("longitude %s out of range" % lon)
    if not -90 <= lat <= 90:
        raise ValueError("latitude %s out of range" % lat)
    return tuple(vals)


def site_list(text: str) -> list[tuple]:
    """``lon lat[ depth], lon lat, ...`` -> list of (lon, lat[, depth])."""
    if not text.strip():
        return []
    return [_lonlat(p.split(), "sites") for p in text.split(",") if p.strip()]


def coordinates_polygon(text: str) -> list[tuple] | None:
    """``lon lat, lon lat, ...`` (at least 3 points) -> list of (lon, lat)."""
    if not text.strip():
        return None
    pts = [_lonlat(p.split(), "region")[:2] for p in text.split(",") if p.strip()]
    if len(pts) < 3:
        raise ValueError("a region needs at least 3 points")
    return pts
