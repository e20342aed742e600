"""Zip archives unpacked safely: no path traversal, no links, a bounded expansion (zip
bombs), clear errors without server paths. Used for uploads (the server) and for zipped
job inputs (``exposure_file = exposure.zip``)."""
from __future__ import annotations

import errno
import os
import posixpath
import stat
import zipfile

from oqcore.errors import InvalidInput

#: the most members an archive may have
MAX_MEMBERS = 10_000
#: refuse members whose compression ratio exceeds this (and that expand past 1 MB)
MAX_RATIO = 200
CHUNK = 1 << 20
#: the longest file or directory name in an upload, in UTF-8 bytes (NAME_MAX)
MAX_NAME_BYTES = 255
#: the longest relative path in an upload, in UTF-8 bytes
MAX_PATH_BYTES = 1024
#: the most nested directories in an upload
MAX_DEPTH = 32


class UnsafeUpload(InvalidInput):
    """A hostile upload: path traversal, links, too many members, a zip bomb."""


def _short(name: str, n: int = 80) -> str:
    return repr(name if len(name) <= n else name[:n] + "...")


def safe_name(name: str) -> str:
    """A relative POSIX path inside an upload directory, or InvalidInput.

    Absolute paths, drive letters, ``..`` components, control characters, names
    longer than :data:`MAX_NAME_BYTES`, paths longer than :data:`MAX_PATH_BYTES` or
    deeper than :data:`MAX_DEPTH` are refused (zip slip, filesystem limits).
    """
    raw = name.replace("\\", "/")
    if not raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise UnsafeUpload("unsafe path in the upload: %s" % _short(name))
    if any(ord(c) < 32 for c in raw):
        raise UnsafeUpload("unsafe path in the upload: %s" % _short(name))
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        raise UnsafeUpload("unsafe path in the upload: %s" % _short(name))
    if len(parts) > MAX_DEPTH:
        raise InvalidInput("the path %s in the upload is more than %d directories deep"
                           % (_short(name), MAX_DEPTH))
    for p in parts:
        if len(p.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            raise InvalidInput("the name %s in the upload is longer than %d bytes" % (
                _short(p), MAX_NAME_BYTES))
    rel = posixpath.join(*parts)
    if len(rel.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise InvalidInput("the path %s in the upload is longer than %d bytes" % (
            _short(name), MAX_PATH_BYTES))
    return rel


def _os_error(what: str, exc: OSError) -> InvalidInput:
    """An InvalidInput for a filesystem error on an upload, without server paths."""
    if exc.errno == errno.ENAMETOOLONG:
        reason = "the name is too long"
    elif exc.errno == errno.EEXIST:
        reason = "the upload has it twice"
    elif exc.errno in (errno.EISDIR, errno.ENOTDIR):
        reason = "a file and a directory have the same name"
    else:
        reason = exc.strerror or type(exc).__name__
    return InvalidInput("cannot write %s: %s" % (_short(what), reason))


def measure_zip(infos: list, max_bytes: int) -> int:
    """Check the members of an archive before anything is written.

    :param infos: the ZipInfo of every member
    :param max_bytes: the most the archive may expand to
    :returns: the declared expanded size of the archive, in bytes
    :raises InvalidInput: too many members, links, unsafe or clashing names, a
        declared size over ``max_bytes`` or a suspicious compression ratio
    """
    if len(infos) > MAX_MEMBERS:
        raise UnsafeUpload("the archive has %d members, more than %d" % (
            len(infos), MAX_MEMBERS))
    total = 0
    files: set[str] = set()
    dirs: set[str] = set()
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeUpload("links are not allowed in archives: %s" % _short(
                info.filename))
        rel = safe_name(info.filename)
        parents = rel.split("/")[:-1]
        dirs.update("/".join(parents[:i + 1]) for i in range(len(parents)))
        if info.is_dir():
            dirs.add(rel)
            continue
        if rel in files:
            raise InvalidInput("the archive has %s twice" % _short(rel))
        files.add(rel)
        total += info.file_size
        if total > max_bytes:
            raise UnsafeUpload("the archive expands to more than %d MB" % (
                max_bytes // CHUNK))
        if info.file_size > CHUNK and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise UnsafeUpload("suspicious compression ratio in %s (a zip bomb?)" %
                               _short(info.filename))
    clash = sorted(files & dirs)
    if clash:
        raise InvalidInput("the archive has a file and a directory named %s" % _short(
            clash[0]))
    return total


def _inside(root: str, rel: str) -> str:
    dest = os.path.realpath(os.path.join(root, rel))
    if os.path.commonpath([dest, os.path.realpath(root)]) != os.path.realpath(root):
        raise UnsafeUpload("unsafe path in the upload: %r" % rel)
    return dest


def extract_zip(src, dest_dir: str, max_bytes: int,
                budget=None) -> list[str]:
    """Unpack the zip file ``src`` (path or file object) into ``dest_dir``.

    The archive is measured first (:func:`measure_zip`): a refused archive writes
    nothing. The sizes are counted again while writing, since headers may lie.

    :param max_bytes: the most the archive may expand to, in total
    :param budget: an expansion budget shared with concurrent uploads (``reserve(n)``,
        ``release(n)``), or None
    :returns: the relative paths written
    :raises InvalidInput: not a zip, unsafe names, links, too many members, too large
        or too compressed (a zip bomb)
    :raises: what ``budget.reserve`` raises when concurrent uploads use the budget
    """
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InvalidInput("the archive is not a valid zip file (%s)" % exc) from None
    with zf:
        infos = zf.infolist()
        declared = measure_zip(infos, max_bytes)
        if budget is not None:
            budget.reserve(declared)
        try:
            return _expand(zf, infos, dest_dir, max_bytes)
        finally:
            if budget is not None:
                budget.release(declared)


def _expand(zf: zipfile.ZipFile, infos: list, dest_dir: str, max_bytes: int) -> list[str]:
    written: list[str] = []
    total = 0
    for info in infos:
        rel = safe_name(info.filename)
        dest = _inside(dest_dir, rel)
        try:
            if info.is_dir():
                os.makedirs(dest, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
        except OSError as exc:
            raise _os_error(rel, exc) from None
        size = 0
        try:
            with zf.open(info) as fin, open(dest, "xb") as fout:
                while True:
                    block = fin.read(CHUNK)
                    if not block:
                        break
                    size += len(block)
                    total += len(block)
                    if total > max_bytes or size > info.file_size:
                        raise UnsafeUpload("the archive expands to more than it "
                                           "declares or to more than %d MB" % (
                                               max_bytes // CHUNK))
                    fout.write(block)
        except OSError as exc:
            raise _os_error(rel, exc) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
                RuntimeError, EOFError, ValueError) as exc:
            raise InvalidInput("cannot read %s from the archive: %s" % (
                _short(info.filename), exc)) from None
        written.append(rel)
    return written
