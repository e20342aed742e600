"""Where the input files of a job may be: :func:`resolve_input` turns a path named by a
job (a job.ini value, a logic-tree branch, any file reference in an input) into the
absolute path to read, and with a confinement root refuses every path that leaves it.

The command line reads local files as OpenQuake does (no root). The engine server runs
every job with the job's own upload directory as root, so a job may read its own
upload and nothing else: not another user's upload, not the data directory (the job
database, datastores), not system files. Every input reader goes through here.
"""
from __future__ import annotations

import os

from oqcore.errors import InvalidInput


def inside(path: str, root: str) -> bool:
    """True if ``path`` resolves (after symbolic links) inside directory ``root``."""
    real, rroot = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, rroot]) == rroot
    except ValueError:  # different drives
        return False


def resolve_input(path: str, base: str, root: str | None = None, *,
                  param: str | None = None, fname: str | None = None,
                  lineno: int | None = None) -> str:
    """The absolute path of the input ``path`` named in a file of directory ``base``.

    :param path: the path as written by the user (relative to ``base``, or absolute)
    :param base: the directory of the file naming it
    :param root: the confinement directory (None: no confinement, as on the CLI)
    :param param, fname, lineno: where the path was named, for the error message
    :returns: the normalized absolute path; with ``root``, its real path (symbolic
        links resolved), always inside ``root``
    :raises InvalidInput: NUL in the path; with ``root``, an absolute path or one that
        leaves ``root``. The message quotes the path as written, never what it
        resolves to, and says nothing about whether such a file exists.
    """
    text = path.strip()
    if not text or "\0" in text:
        raise InvalidInput("invalid file name %r" % text[:100], fname=fname,
                           lineno=lineno, param=param)
    if root is None:
        return text if os.path.isabs(text) else os.path.normpath(os.path.join(base, text))
    if os.path.isabs(text) or text.startswith("~") or (len(text) > 1 and text[1] == ":"):
        raise InvalidInput("%r: absolute paths are not allowed; name a file of the "
                           "upload, relative to the file naming it" % text[:100],
                           fname=fname, lineno=lineno, param=param)
    full = os.path.join(base, text)
    if not inside(full, root):
        raise InvalidInput("%r is not a file of the upload: inputs must stay inside the "
                           "uploaded files" % text[:100], fname=fname, lineno=lineno,
                           param=param)
    return os.path.realpath(full)


def read_text(path: str, max_bytes: int | None = None, what: str = "text file") -> str:
    """The content of a UTF-8 text input (a BOM is dropped).

    :param max_bytes: the largest size accepted (None: any)
    :param what: what the file should be, for the messages ("job.ini", "CSV file")
    :raises InvalidInput: naming the file (and the line of the first bad byte) for a
        missing file, a directory, a file over ``max_bytes``, NUL bytes or bytes that
        are not UTF-8
    """
    try:
        with open(path, "rb") as f:
            data = f.read(-1 if max_bytes is None else max_bytes + 1)
    except FileNotFoundError:
        raise InvalidInput("file not found", fname=path) from None
    except IsADirectoryError:
        raise InvalidInput("a directory, not a %s" % what, fname=path) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InvalidInput("a %s may not exceed %d bytes" % (what, max_bytes), fname=path)
    nul = data.find(b"\0")
    if nul >= 0:
        raise InvalidInput("a binary file, not a %s (NUL bytes)" % what, fname=path,
                           lineno=data[:nul].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("not a UTF-8 %s (byte 0x%02x)" % (what, data[exc.start]),
                           fname=path, lineno=data[:exc.start].count(b"\n") + 1) from None
