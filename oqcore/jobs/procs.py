"""The operating-system side of jobs: which process runs a job (PID and start time,
so that a reused PID is not taken for the job's process), killing process groups,
dying with the parent, the OS user.
"""
from __future__ import annotations

import logging
import os
import signal
import sys

log = logging.getLogger(__name__)


def die_with_parent(sig: int = signal.SIGTERM):
    """A ``preexec_fn`` asking the kernel to send ``sig`` to the child when its parent
    dies (Linux ``PR_SET_PDEATHSIG``); None where that is not available."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(1, int(sig))  # PR_SET_PDEATHSIG
    return preexec


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (field 3 onwards), or None
    where there is no such file (no process, or no procfs)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except OSError:
        return None
    return raw.rsplit(")", 1)[-1].split()


def pid_alive(pid: int) -> bool:
    """True if a process with this PID exists (and is not a zombie)."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    fields = _stat_fields(pid)
    return fields is None or fields[0] != "Z"


def process_start(pid: int) -> int:
    """The start time of process ``pid`` in clock ticks after boot (field 22 of
    /proc/<pid>/stat), or 0 where it cannot be read (no such process, no procfs).

    Together with the PID it names one process: a PID reused by the kernel comes with
    another start time.
    """
    if not pid or pid <= 0:
        return 0
    fields = _stat_fields(pid)
    try:
        return int(fields[19]) if fields else 0  # field 22 counted from 1, minus 3
    except (IndexError, ValueError):
        return 0


def same_process(pid: int, start: int | None) -> bool:
    """True if the process recorded as (``pid``, ``start``) still runs.

    A live PID whose start time differs from ``start`` is another process that got the
    PID again. Without a recorded start (0 or None: old rows, no procfs) only the PID is
    checked.
    """
    if not pid_alive(pid):
        return False
    if not start:
        return True
    now = process_start(pid)
    return now == 0 or now == int(start)


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process group led by ``pid``: a job worker starts its own
    session, so its tasks share its group, which outlives the leader. A group already
    gone is no error; a PID that leads no group (it was reused) gets nothing."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    except OSError as exc:
        log.warning("cannot signal the process group %d: %s", pid, exc)


def os_user() -> str:
    """The name of the OS user running this process ("openquake" when unknown)."""
    try:
        import getpass
        return getpass.getuser()
    except Exception:  # no login name, no passwd entry
        return os.environ.get("USER") or "openquake"
