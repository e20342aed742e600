"""Writing NRML documents in OpenQuake's layout: root ``nrml`` (0.5 namespace, ``gml``
prefix), 4-space indentation, one attribute per line in alphabetical order with the
closing ``>`` on its own line, text on its own indented line, floats as ``%.7E``."""
from __future__ import annotations

from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

NRML05 = "http://openquake.org/xmlns/nrml/0.5"
GML = "http://www.opengis.net/gml"


class Element:
    """A node to write: ``tag``, ``attrib`` (values turned to text), ``text``, children."""

    def __init__(self, tag: str, attrib: dict | None = None, text=None,
                 nodes: Iterable["Element"] | None = None):
        self.tag = tag
        self.attrib = attrib or {}
        self.text = text
        self.nodes = list(nodes or [])


def floats_text(values, fmt: str = "%.7E") -> str:
    """Space-separated floats."""
    return " ".join(fmt % float(v) for v in values)


def _text(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write(node: Element, out: list, indent: int) -> None:
    pad = "    " * indent
    if node.attrib:
        out.append("%s<%s" % (pad, node.tag))
        for k in sorted(node.attrib):
            out.append("%s%s=%s" % (pad, k, quoteattr(_text(node.attrib[k]))))
        head_end = "%s>" % pad
    else:
        out.append("%s<%s>" % (pad, node.tag))
        head_end = None
    if head_end is not None:
        out.append(head_end)
    if node.text is not None:
        out.append("%s    %s" % (pad, escape(_text(node.text))))
    for child in node.nodes:
        _write(child, out, indent + 1)
    out.append("%s</%s>" % (pad, node.tag))


def to_nrml(nodes: Iterable[Element]) -> str:
    """The text of an NRML 0.5 document holding ``nodes``."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<nrml", 'xmlns="%s"' % NRML05,
           'xmlns:gml="%s"' % GML, ">"]
    for n in nodes:
        _write(n, out, 1)
    out.append("</nrml>")
    return "\n".join(out) + "\n"


def write(nodes: Iterable[Element], path: str) -> str:
    """Write an NRML 0.5 file; return its path."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_nrml(nodes))
    return path
