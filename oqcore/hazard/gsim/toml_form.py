"""The TOML form of a GSIM in a logic tree: ``Name`` or ``[Name]`` followed by arguments.

An ``uncertaintyModel`` holds a bare model name or a TOML document with one top-level
table, the model, whose keys are its arguments. Arguments may be nested tables, e.g.::

    [ModifiableGMPE]
    gmpe.AkkarEtAlRjb2014 = {}
    set_between_epsilon.epsilon_tau = 0.5

    [ModifiableGMPE.gmpe]
    KuehnEtAl2020SInter = {}

    [ChiouYoungs2014.mixture_model]
    factors = [0.8, 1.2]
    weights = [0.5, 0.5]

Attributes of the ``uncertaintyModel`` element (``gmpe_name="..."``) are arguments too.
Arguments whose name ends with ``_file`` or ``_table`` are paths relative to the logic
tree file. Models built from other models (``COMPOSITE``) receive a ``resolve`` function
turning ``{name: arguments}`` into a model through the registry.
"""
from __future__ import annotations

import ast
import difflib
import os
import re
import tomllib
from typing import Any

from oqcore.inputs import resolve_input
from oqcore.errors import InvalidInput, UnknownPlugin
from oqcore.hazard.gsim.base import _toml_value, toml_key


def toml_text(text: str, attrib: dict | None = None) -> str:
    """The TOML document of an ``uncertaintyModel`` text and its XML attributes."""
    text = text.strip()
    if not text.startswith("["):
        text = "[%s]" % text
    for key, raw in (attrib or {}).items():
        try:
            value = ast.literal_eval(raw)
        except (SyntaxError, ValueError):
            value = raw
        text += "\n%s = %s" % (toml_key(key), _toml_value(value))
    return text


def parse_gsim(text: str, registry, fname: str | None = None, lineno: int | None = None,
               attrib: dict | None = None, input_root: str | None = None):
    """A GSIM instance from ``Name`` or its TOML form (see the module docstring).

    :param registry: the plugin registry (``registry.gsim(name)`` gives a class)
    :param fname, lineno: where the text comes from (for error messages)
    :param attrib: the XML attributes of the ``uncertaintyModel`` element
    :param input_root: the folder file arguments must stay in (an upload), or None; see
        :func:`oqcore.inputs.resolve_input`
    :raises InvalidInput: naming file and line for unknown models, bad TOML or arguments
    """
    doc = toml_text(text, attrib)
    try:
        tables = _loads(doc)
    except tomllib.TOMLDecodeError as exc:
        head = doc.splitlines()[0].strip()
        raise InvalidInput("invalid GSIM %s: %s" % (head, exc), fname=fname,
                           lineno=lineno) from None
    if len(tables) != 1:
        raise InvalidInput("a GSIM must be one model, got %s" % (
            ", ".join(tables) or "none"), fname=fname, lineno=lineno)
    [(name, kwargs)] = tables.items()
    if not isinstance(kwargs, dict):
        raise InvalidInput("invalid GSIM %r" % text.strip(), fname=fname, lineno=lineno)
    basedir = os.path.dirname(fname) if fname else ""
    resolve = _resolver(registry, basedir, input_root, fname, lineno)
    try:
        return resolve(name, kwargs)
    except InvalidInput as exc:
        raise InvalidInput(exc.msg, fname=fname, lineno=lineno) from None
    except TypeError as exc:
        raise InvalidInput("%s: %s" % (name, exc), fname=fname, lineno=lineno) from None


_EMPTY_TABLE = re.compile(r"^\s*([\w.\"-]+?)\s*=\s*\{\s*\}\s*$")


def _loads(doc: str) -> dict:
    """Parse TOML, accepting like OpenQuake an empty inline table later extended by
    dotted keys (``site_term = {}`` then ``site_term.kind = "base"``), which strict
    TOML forbids: such empty tables are dropped before parsing."""
    try:
        return tomllib.loads(doc)
    except tomllib.TOMLDecodeError:
        lines = doc.splitlines()
        keep = []
        for i, line in enumerate(lines):
            m = _EMPTY_TABLE.match(line)
            if m and any(ln.strip().startswith(m.group(1) + ".") for ln in lines[i + 1:]):
                continue
            keep.append(line)
        if len(keep) == len(lines):
            raise
        return tomllib.loads("\n".join(keep))


def _resolver(registry, basedir: str, input_root: str | None = None,
              fname: str | None = None, lineno: int | None = None):
    """A function (name, arguments) -> model instance, recursive for composite models.

    File arguments (a class's ``PATH_ARGUMENTS``, by default those named ``*_file`` or
    ``*_table``) are resolved against ``basedir`` and confined to ``input_root``."""

    def resolve(name: str, kwargs: dict[str, Any]):
        try:
            cls = registry.gsim(name)
        except KeyError:
            known = list(registry.gsims())
            close = difflib.get_close_matches(name, known, n=1)
            hint = " (did you mean %r?)" % close[0] if close else ""
            raise InvalidInput("unknown GSIM %r%s" % (name, hint)) from UnknownPlugin(
                "GSIM", name, [])
        if not isinstance(kwargs, dict):
            raise InvalidInput("the arguments of %s must be a table, got %r" % (name, kwargs))
        kwargs = dict(kwargs)
        path_keys = getattr(cls, "PATH_ARGUMENTS", None)
        for key, value in kwargs.items():
            is_path = key in path_keys if path_keys is not None else key.endswith(
                ("_file", "_table"))
            if is_path and isinstance(value, str):
                kwargs[key] = resolve_input(value, basedir, input_root, param=key,
                                            fname=fname, lineno=lineno)
        if getattr(cls, "COMPOSITE", False):
            return cls(resolve=resolve, **kwargs)
        return cls(**kwargs)

    return resolve


def single_model(owner: str, key: str, spec) -> tuple[str, dict]:
    """The (name, arguments) of ``{name: arguments}``, the form of a nested model.

    :param owner, key: the composite model and its argument (for error messages)
    """
    if not isinstance(spec, dict) or len(spec) != 1:
        raise InvalidInput("%s: %s must name exactly one model as {Name = {...}}, got %r" % (
            owner, key, spec))
    [(name, kwargs)] = spec.items()
    if not isinstance(kwargs, dict):
        raise InvalidInput("%s: the arguments of %s.%s must be a table, got %r" % (
            owner, key, name, kwargs))
    return name, kwargs


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def openquake_toml(name: str, kwargs: dict) -> str:
    """The text OpenQuake keys a model by (its ``_toml``: what orders the GSIMs of a
    rupture and names a realization's branch): ``{name: kwargs}`` laid out as the
    ``toml`` package writes it, arguments in the order given, nested tables as
    ``[Name.key]`` sections after the plain values of their parent (breadth first, an
    empty line between sections), absolute paths reduced to their file name."""
    out: list[str] = []
    level = {name: kwargs}
    first = True
    while level:
        deeper: dict = {}
        for section, table in level.items():
            lines, subs = _toml_section(table)
            if lines or not subs:
                if not first:
                    out.append("")
                out.append("[%s]" % section)
                out.extend(lines)
                first = False
            for key, sub in subs.items():
                deeper["%s.%s" % (section, key)] = sub
        level = deeper
    return "\n".join(out).strip()


def _toml_section(table: dict) -> tuple[list[str], dict]:
    """(the ``key = value`` lines, {quoted key: sub-table}) of one table."""
    lines, subs = [], {}
    for key, value in table.items():
        qkey = key if _BARE_KEY.match(key) else _toml_string(key)
        if isinstance(value, dict):
            subs[qkey] = value
        elif value is not None:
            lines.append("%s = %s" % (qkey, _toml_scalar(value)))
    return lines, subs


def _toml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if os.path.isabs(value):
            value = os.path.basename(value)
        return _toml_string(value)
    if isinstance(value, float):
        return "{}".format(value).replace("e+0", "e+").replace("e-0", "e-")
    if isinstance(value, (list, tuple)):
        return "[" + "".join(" %s," % _toml_scalar(v) for v in value) + "]"
    return str(value)


def _toml_string(text: str) -> str:
    body = repr(text)[1:-1]
    if repr(text).startswith("'"):
        body = body.replace("\\'", "'")
    return '"%s"' % body.replace('"', '\\"')
