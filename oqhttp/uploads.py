"""Uploaded inputs: saving multipart files and unpacking zip archives safely
(no path traversal, no links, bounded expansion), finding the job file, and a first
hardened parse of every XML input.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import stat
import zipfile

from oqcore.errors import InvalidInput

#: the most members an archive may have
MAX_MEMBERS = 10_000
#: refuse members whose compression ratio exceeds this (and that expand past 1 MB)
MAX_RATIO = 200
CHUNK = 1 << 20


class UnsafeUpload(InvalidInput):
    """A hostile upload: path traversal, links, too many members, a zip bomb."""


def safe_name(name: str) -> str:
    """A relative POSIX path inside an upload directory, or InvalidInput.

    Absolute paths, drive letters, ``..`` components and control characters are
    refused (zip slip).
    """
    raw = name.replace("\\", "/")
    if not raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise UnsafeUpload("unsafe path in the upload: %r" % name)
    if any(ord(c) < 32 for c in raw):
        raise UnsafeUpload("unsafe path in the upload: %r" % name)
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        raise UnsafeUpload("unsafe path in the upload: %r" % name)
    return posixpath.join(*parts)


def _inside(root: str, rel: str) -> str:
    dest = os.path.realpath(os.path.join(root, rel))
    if os.path.commonpath([dest, os.path.realpath(root)]) != os.path.realpath(root):
        raise UnsafeUpload("unsafe path in the upload: %r" % rel)
    return dest


def extract_zip(src, dest_dir: str, max_bytes: int) -> list[str]:
    """Unpack the zip file ``src`` (path or file object) into ``dest_dir``.

    :param max_bytes: the most the archive may expand to, in total
    :returns: the relative paths written
    :raises InvalidInput: not a zip, unsafe names, links, too many members, too large
        or too compressed (a zip bomb); the sizes are counted while writing, not
        taken from the headers
    """
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput("the archive is not a valid zip file (%s)" % exc) from None
    written: list[str] = []
    total = 0
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeUpload("the archive has %d members, more than %d" % (
                len(infos), MAX_MEMBERS))
        for info in infos:
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeUpload("links are not allowed in archives: %r" % info.filename)
            rel = safe_name(info.filename)
            dest = _inside(dest_dir, rel)
            if info.is_dir():
                os.makedirs(dest, exist_ok=True)
                continue
            if info.file_size > max_bytes - total:
                raise UnsafeUpload("the archive expands to more than %d MB" % (
                    max_bytes // CHUNK))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            size = 0
            try:
                with zf.open(info) as fin, open(dest, "wb") as fout:
                    while True:
                        block = fin.read(CHUNK)
                        if not block:
                            break
                        size += len(block)
                        total += len(block)
                        if total > max_bytes:
                            raise UnsafeUpload("the archive expands to more than %d MB" % (
                                max_bytes // CHUNK))
                        if size > CHUNK and size > MAX_RATIO * max(info.compress_size, 1):
                            raise UnsafeUpload("suspicious compression ratio in %r "
                                               "(a zip bomb?)" % info.filename)
                        fout.write(block)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
                    RuntimeError, EOFError, OSError) as exc:
                raise InvalidInput("cannot read %r from the archive: %s" % (
                    info.filename, exc)) from None
            written.append(rel)
    return written


def save_uploads(uploads: list, dest_dir: str, max_bytes: int) -> list[str]:
    """Save Bottle FileUploads into ``dest_dir``; a single ``.zip`` is unpacked.

    :returns: the relative paths of the files written
    """
    written: list[str] = []
    for up in uploads:
        raw = up.raw_filename or up.name or ""
        try:  # the WSGI layer decodes headers as latin-1; clients send UTF-8
            raw = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        rel = safe_name(os.path.basename(raw.replace("\\", "/")) or raw)
        if rel.lower().endswith(".zip"):
            up.file.seek(0)
            written += extract_zip(up.file, dest_dir, max_bytes)
            continue
        dest = _inside(dest_dir, rel)
        if os.path.exists(dest):
            raise InvalidInput("the file %r is uploaded twice" % rel)
        up.file.seek(0)
        with open(dest, "wb") as f:
            shutil.copyfileobj(up.file, f, CHUNK)
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
