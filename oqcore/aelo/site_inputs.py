"""The inputs of an AELO request, checked all at once.

:func:`check_site_inputs` returns every problem, each as ``(field, label, reason)``, so
that one answer lists all of them.
"""
from __future__ import annotations

import math
import re
from typing import Mapping

from oqcore.hazard.asce import ASCE7_VERSIONS

VS30_MIN, VS30_MAX = 150.0, 3000.0
MAX_VS30_VALUES = 5
_SITE_NAME = re.compile(r"^[\w\-:. ]{1,100}$", re.ASCII)
#: the site classes offered per ASCE 7 version: class -> (vs30 values in m/s, label)
AELO_SITE_CLASSES = {
    "ASCE7-16": {
        "default": ([260.0, 365.0, 530.0], "Default (site classes C, CD, D)"),
        "A": ([1500.0], "A - hard rock"),
        "B": ([1080.0], "B - rock"),
        "BC": ([760.0], "BC - B/C boundary"),
        "C": ([530.0], "C - very dense soil and soft rock"),
        "D": ([260.0], "D - stiff soil"),
        "E": ([150.0], "E - soft clay soil"),
        "custom": ([], "Specify vs30"),
    },
    "ASCE7-22": {
        "default": ([260.0, 365.0, 530.0], "Default (site classes C, CD, D)"),
        "A": ([1500.0], "A - hard rock"),
        "B": ([1080.0], "B - medium hard rock"),
        "BC": ([760.0], "BC - soft rock"),
        "C": ([530.0], "C - very dense sand or hard clay"),
        "CD": ([365.0], "CD - dense sand or very stiff clay"),
        "D": ([260.0], "D - medium dense sand or stiff clay"),
        "DE": ([185.0], "DE - loose sand or medium stiff clay"),
        "E": ([150.0], "E - very loose sand or soft clay"),
        "custom": ([], "Specify vs30"),
    },
}
DEFAULT_ASCE_VERSION = "ASCE7-16"


def _text(form: Mapping, name: str) -> str:
    value = form.get(name)
    return "" if value is None else str(value).strip()


def _coordinate(form, name, label, limit):
    text = _text(form, name)
    try:
        x = float(text)
    except ValueError:
        return None, (name, label, "%r is not a float" % text[:30])
    if not math.isfinite(x):
        return None, (name, label, "%r is not a finite number" % text[:30])
    if x > limit:
        return None, (name, label, "%s %s > %g" % (label.lower(), x, limit))
    if x < -limit:
        return None, (name, label, "%s %s < %g" % (label.lower(), x, -limit))
    return x, None


def _vs30_list(text: str):
    """(values, reason): vs30 values separated by commas or spaces."""
    if not text:
        return None, "must be given (m/s), or a site class"
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    if len(parts) > MAX_VS30_VALUES:
        return None, "at most %d values are allowed" % MAX_VS30_VALUES
    values = []
    for p in parts:
        try:
            v = float(p)
        except ValueError:
            return None, "%r is not a float" % p[:30]
        if not math.isfinite(v):
            return None, "%r is not a finite number" % p[:30]
        if v < VS30_MIN:
            return None, "vs30 %s is smaller than the minimum (%d)" % (v, VS30_MIN)
        if v > VS30_MAX:
            return None, "vs30 %s is larger than the maximum (%d)" % (v, VS30_MAX)
        values.append(v)
    if len(set(values)) < len(values):
        return None, "repeated values"
    return values, None


def check_site_inputs(form: Mapping) -> tuple[dict, list[tuple[str, str, str]]]:
    """Check lon, lat, site_name (alias ``siteid``), vs30, asce_version, site_class.

    :param form: the request's fields (strings)
    :returns: (values, problems); values has ``lon``, ``lat`` (degrees), ``site_name``,
        ``vs30`` (list of m/s), ``asce_version``, ``site_class``; each problem is
        (field, label, reason)
    """
    values: dict = {}
    problems = []
    for name, label, limit in (("lon", "Longitude", 180.0), ("lat", "Latitude", 90.0)):
        values[name], prob = _coordinate(form, name, label, limit)
        if prob:
            problems.append(prob)
    site = _text(form, "site_name") or _text(form, "siteid")
    if not site:
        problems.append(("site_name", "Site name", "can not be empty"))
    elif not _SITE_NAME.match(site):
        problems.append(("site_name", "Site name",
                         "only letters, digits, spaces and _-:. are allowed (at most 100)"))
    values["site_name"] = site
    version = _text(form, "asce_version") or DEFAULT_ASCE_VERSION
    if version not in ASCE7_VERSIONS:
        problems.append(("asce_version", "ASCE version", "%r is not one of %s" % (
            version[:30], ", ".join(ASCE7_VERSIONS))))
        version = None
    values["asce_version"] = version
    cls = _text(form, "site_class")
    vs30_text = _text(form, "vs30")
    vs30, vs30_reason = _vs30_list(vs30_text)
    if cls and version:
        classes = AELO_SITE_CLASSES[version]
        if cls not in classes:
            problems.append(("site_class", "Site class", "%r is not one of %s for %s" % (
                cls[:30], ", ".join(classes), version)))
            cls = None
        elif cls != "custom":
            expected = classes[cls][0]
            if not vs30_text:
                vs30, vs30_reason = list(expected), None
            elif vs30 is not None and sorted(vs30) != sorted(expected):
                problems.append(("vs30", "Vs30", "site class %s needs vs30 = %s, not %s" % (
                    cls, " ".join("%g" % v for v in expected),
                    " ".join("%g" % v for v in vs30))))
                vs30 = None
    elif cls and not version:
        cls = None   # cannot be judged without a valid version
    if vs30_reason:
        problems.append(("vs30", "Vs30", vs30_reason))
    if not cls and vs30 is not None and version:
        cls = "custom"
    values["vs30"] = vs30
    values["site_class"] = cls
    return values, problems

