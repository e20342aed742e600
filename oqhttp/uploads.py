"""Uploaded inputs: saving multipart files and unpacking zip archives safely
(no path traversal, no links, bounded expansion), finding the job file, and a first
hardened parse of every XML input.
"""
from __future__ import annotations

import errno
import os
import posixpath
import shutil
import stat
import threading
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


class ServerBusy(Exception):
    """Concurrent uploads already use the whole expansion budget (503)."""


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


class ExpansionBudget:
    """The bytes that uploads being unpacked at the same time may write, together.

    :param limit: the budget in bytes (the ``max_unzipped_mb`` of the server)
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def reserve(self, nbytes: int) -> None:
        """Take ``nbytes`` from the budget, or raise :class:`ServerBusy`."""
        with self._lock:
            if self.used + nbytes > self.limit:
                raise ServerBusy("other uploads are being unpacked: retry in a moment")
            self.used += nbytes

    def release(self, nbytes: int) -> None:
        """Give back what :meth:`reserve` took."""
        with self._lock:
            self.used = max(0, self.used - nbytes)


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
                budget: ExpansionBudget | None = None) -> list[str]:
    """Unpack the zip file ``src`` (path or file object) into ``dest_dir``.

    The archive is measured first (:func:`measure_zip`): a refused archive writes
    nothing. The sizes are counted again while writing, since headers may lie.

    :param max_bytes: the most the archive may expand to, in total
    :param budget: the expansion budget shared with concurrent uploads
    :returns: the relative paths written
    :raises InvalidInput: not a zip, unsafe names, links, too many members, too large
        or too compressed (a zip bomb)
    :raises ServerBusy: concurrent uploads use the budget
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


def save_uploads(uploads: list, dest_dir: str, max_bytes: int,
                 budget: ExpansionBudget | None = None) -> list[str]:
    """Save Bottle FileUploads into ``dest_dir``; a ``.zip`` is unpacked.

    :param budget: the expansion budget shared with concurrent uploads
    :returns: the relative paths of the files written
    """
    written: list[str] = []
    left = max_bytes
    for up in uploads:
        raw = up.raw_filename or up.name or ""
        try:  # the WSGI layer decodes headers as latin-1; clients send UTF-8
            raw = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        rel = safe_name(os.path.basename(raw.replace("\\", "/")) or raw)
        if rel.lower().endswith(".zip"):
            up.file.seek(0)
            files = extract_zip(up.file, dest_dir, left, budget)
            left -= sum(os.path.getsize(os.path.join(dest_dir, f)) for f in files)
            written += files
            continue
        dest = _inside(dest_dir, rel)
        if os.path.lexists(dest):
            raise InvalidInput("the file %s is uploaded twice" % _short(rel))
        up.file.seek(0)
        try:
            with open(dest, "xb") as f:
                shutil.copyfileobj(up.file, f, CHUNK)
        except OSError as exc:
            raise _os_error(rel, exc) from None
        written.append(rel)
    return written


def find_job_ini(dest_dir: str, files: list[str], job_ini: str | None = None,
                 risk: bool = False) -> str:
    """The job file among ``files``: ``job_ini`` if given, else ``job.ini``, else the
    only ``.ini`` (with ``risk``, the one ending in ``risk.ini``).

    :raises InvalidInput: no .ini, or an ambiguous choice
    """
    inis = sorted(f for f in files if f.lower().endswith(".ini"))
    if job_ini:
        wanted = [f for f in inis if f == job_ini or posixpath.basename(f) == job_ini]
        if not wanted:
            raise InvalidInput("There is no %s in the archive (found: %s)" % (
                job_ini, ", ".join(inis) or "no .ini files"), param="job_ini")
        return os.path.join(dest_dir, wanted[0])
    if not inis:
        raise InvalidInput("There are no .ini files in the archive")
    if risk:
        risky = [f for f in inis if f.endswith("risk.ini")]
        if len(risky) == 1:
            return os.path.join(dest_dir, risky[0])
    named = [f for f in inis if posixpath.basename(f) == "job.ini"]
    if named:
        return os.path.join(dest_dir, min(named, key=len))
    if len(inis) == 1:
        return os.path.join(dest_dir, inis[0])
    raise InvalidInput("Several .ini files in the archive (%s): say which one with the "
                       "job_ini parameter" % ", ".join(inis), param="job_ini")


def check_xml_files(dest_dir: str, files: list[str]) -> None:
    """Parse every ``.xml`` input with the hardened reader (syntax, DTDs, entities).

    :raises InvalidInput: naming the file and the line
    """
    from oqcore.nrml.reader import MAX_BYTES, parse_bytes
    for rel in files:
        if not rel.lower().endswith(".xml"):
            continue
        with open(os.path.join(dest_dir, rel), "rb") as f:
            data = f.read(MAX_BYTES + 1)
        try:
            parse_bytes(data, rel)
        except InvalidInput as exc:
            raise InvalidInput(exc.msg, fname=rel, lineno=exc.lineno) from None
