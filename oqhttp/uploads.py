"""Uploaded inputs: saving multipart files and unpacking zip archives safely
(no path traversal, no links, bounded expansion), finding the job file, and a first
hardened parse of every XML input.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import threading

from oqcore.archives import (  # noqa: F401 (re-exported: the upload API)
    CHUNK, MAX_DEPTH, MAX_MEMBERS, MAX_NAME_BYTES, MAX_PATH_BYTES, MAX_RATIO, UnsafeUpload,
    _inside, _os_error, _short, extract_zip, measure_zip, safe_name)
from oqcore.errors import InvalidInput


class ServerBusy(Exception):
    """Concurrent uploads already use the whole expansion budget (503)."""


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
