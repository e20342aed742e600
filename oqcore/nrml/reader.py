"""A hardened NRML/XML reader: no DTDs, no entities, no network; line numbers kept.

Built on expat directly (as defusedxml does) so that every :class:`Node` knows the line
where it starts; errors are :class:`~oqcore.errors.InvalidInput` with file and line.
"""
from __future__ import annotations

import io
import xml.parsers.expat as expat
from typing import Iterator

from oqcore.errors import InvalidInput

NRML04 = "http://openquake.org/xmlns/nrml/0.4"
NRML05 = "http://openquake.org/xmlns/nrml/0.5"
GML = "http://www.opengis.net/gml"
NAMESPACES = (NRML04, NRML05)

#: refuse files larger than this (bytes) to protect memory
MAX_BYTES = 1 << 30
#: the deepest element nesting accepted (NRML needs about 10 levels)
MAX_NESTING = 100


class Node:
    """An XML element: local ``tag``, ``attrib`` dict, ``text``, children, ``lineno``."""

    __slots__ = ("tag", "ns", "attrib", "text", "nodes", "lineno", "fname")

    def __init__(self, tag: str, attrib: dict, lineno: int, ns: str = "",
                 fname: str | None = None):
        self.tag = tag
        self.ns = ns
        self.attrib = attrib
        self.text = ""
        self.nodes: list[Node] = []
        self.lineno = lineno
        self.fname = fname

    def __iter__(self) -> Iterator["Node"]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, name: str) -> str:
        return self.attrib[name]

    def get(self, name: str, default=None):
        """An attribute or ``default``."""
        return self.attrib.get(name, default)

    def find(self, tag: str) -> "Node | None":
        """The first child with this local tag, or None."""
        for n in self.nodes:
            if n.tag == tag:
                return n
        return None

    def findall(self, tag: str) -> list["Node"]:
        """Every child with this local tag."""
        return [n for n in self.nodes if n.tag == tag]

    def child(self, tag: str) -> "Node":
        """The first child with this tag; InvalidInput naming file and line if absent."""
        n = self.find(tag)
        if n is None:
            raise self.error("<%s> is missing a <%s> element" % (self.tag, tag))
        return n

    def iter(self, tag: str | None = None) -> Iterator["Node"]:
        """Depth-first iteration over this node and its descendants."""
        if tag is None or self.tag == tag:
            yield self
        for n in self.nodes:
            yield from n.iter(tag)

    def error(self, msg: str) -> InvalidInput:
        """An InvalidInput located at this node."""
        return InvalidInput(msg, fname=self.fname, lineno=self.lineno)

    def attr(self, name: str, convert=str, default=InvalidInput):
        """Attribute ``name`` converted by ``convert``; clear errors when missing/bad."""
        if name not in self.attrib:
            if default is InvalidInput:
                raise self.error("<%s> has no attribute %r" % (self.tag, name))
            return default
        try:
            return convert(self.attrib[name])
        except (TypeError, ValueError) as exc:
            raise self.error("<%s %s=%r>: %s" % (self.tag, name, self.attrib[name], exc))

    def float_text(self) -> float:
        """The text as a float (InvalidInput at this line otherwise)."""
        try:
            return float(self.text)
        except ValueError:
            raise self.error("<%s>: %r is not a number" % (self.tag, self.text.strip()))

    def floats(self) -> list[float]:
        """The whitespace-separated floats of the text."""
        try:
            return [float(x) for x in self.text.split()]
        except ValueError:
            raise self.error("<%s>: expected numbers, got %r" % (
                self.tag, self.text.strip()[:60]))

    def __repr__(self):
        return "<Node %s line %d>" % (self.tag, self.lineno)


def _split(name: str) -> tuple[str, str]:
    if " " in name:
        ns, tag = name.split(" ", 1)
        return ns, tag
    return "", name


class _Builder:
    def __init__(self, fname):
        self.fname = fname
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.parser = expat.ParserCreate(namespace_separator=" ")
        p = self.parser
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.data
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.entity
        p.UnparsedEntityDeclHandler = self.entity
        p.ExternalEntityRefHandler = self.external
        p.buffer_text = True

    def _fail(self, msg):
        raise InvalidInput(msg, fname=self.fname, lineno=self.parser.CurrentLineNumber)

    def doctype(self, *args):
        self._fail("DTDs are not allowed in NRML files")

    def entity(self, *args):
        self._fail("entity declarations are not allowed in NRML files")

    def external(self, *args):
        self._fail("external entities are not allowed in NRML files")

    def start(self, name, attrs):
        if len(self.stack) >= MAX_NESTING:
            self._fail("elements nested more than %d deep" % MAX_NESTING)
        ns, tag = _split(name)
        attrib = {_split(k)[1]: v for k, v in attrs.items()}
        node = Node(tag, attrib, self.parser.CurrentLineNumber, ns, self.fname)
        if self.stack:
            self.stack[-1].nodes.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, name):
        node = self.stack.pop()
        node.text = node.text.strip()

    def data(self, text):
        if self.stack:
            self.stack[-1].text += text


def parse_bytes(data: bytes, fname: str | None = None) -> Node:
    """Parse XML bytes into a :class:`Node` tree (hardened)."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("file too large (%d bytes)" % len(data), fname=fname)
    b = _Builder(fname)
    try:
        b.parser.Parse(data, True)
    except InvalidInput:
        raise
    except expat.ExpatError as exc:
        raise InvalidInput(expat.errors.messages[exc.code] if hasattr(exc, "code")
                           else str(exc), fname=fname, lineno=exc.lineno) from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot decode
        raise InvalidInput("unsupported XML encoding (%s): use UTF-8" % exc, fname=fname,
                           lineno=b.parser.CurrentLineNumber) from None
    if b.root is None:
        raise InvalidInput("empty XML document", fname=fname)
    return b.root


def parse(fname: str) -> Node:
    """Parse an NRML file and return the first child of ``<nrml>`` (the model node).

    The root must be ``nrml`` in the 0.4 or 0.5 namespace.
    """
    try:
        with open(fname, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput("file not found", fname=fname) from None
    return _model_node(parse_bytes(data, fname), fname)


def parse_string(text: str | bytes, fname: str | None = None) -> Node:
    """Like :func:`parse` for an in-memory document."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return _model_node(parse_bytes(data, fname), fname)


def _model_node(root: Node, fname) -> Node:
    if root.tag != "nrml":
        raise root.error("the root element must be <nrml>, got <%s>" % root.tag)
    if root.ns and root.ns not in NAMESPACES:  # no namespace at all is accepted
        raise root.error("unknown NRML namespace %r (expected %s or %s)" % (
            root.ns, NRML04, NRML05))
    if not root.nodes:
        raise root.error("<nrml> is empty")
    model = root.nodes[0]
    return model


def read_xml_safely(stream: io.BufferedIOBase, fname: str | None = None) -> Node:
    """Parse any XML stream with the same protections (returns the root node)."""
    return parse_bytes(stream.read(MAX_BYTES + 1), fname)
