"""Progress of the tasks of a job: a line at every 10 % of the tasks and, from the
heartbeat, whenever the interval passed without one; task_info rows per task."""
from __future__ import annotations

import logging
import time

import numpy as np

from oqcore.parallel import InProcessExecutor
from oqcore.progress import TASK_INFO_DTYPE, Progress, nbytes, task_info_array, track


class ListLog:
    """A logger stand-in keeping the messages."""

    def __init__(self):
        self.messages: list[str] = []

    def info(self, msg, *args):
        self.messages.append(msg % args if args else msg)


def square(x):
    """A task: x squared, as an array."""
    return np.array([x * x])


def test_a_line_every_10_percent():
    log = ListLog()
    records: list = []
    out = list(track(InProcessExecutor(), square, [(i,) for i in range(25)], log, records))
    assert [int(o[0]) for o in out] == [i * i for i in range(25)]
    assert log.messages[0] == "square: 25 tasks submitted"
    done = [m for m in log.messages if "tasks done" in m]
    counts = [int(m.split()[1].split("/")[0]) for m in done]
    # 10 % of 25 tasks = 2.5 tasks: lines at 3, 5, 8, 10, 13, 15, 18, 20, 23, 25
    assert counts == [3, 5, 8, 10, 13, 15, 18, 20, 23, 25]
    assert done[-1].startswith("square: 25/25 tasks done (100%), ")
    arr = task_info_array(records)
    assert arr.dtype == TASK_INFO_DTYPE and len(arr) == 25
    assert set(arr["taskname"]) == {b"square"} and arr["task_no"].tolist() == list(range(25))
    assert np.all(arr["duration"] >= 0) and np.all(arr["received"] == 8)


def test_heartbeat_while_a_task_runs():
    log = ListLog()
    prog = Progress(log, "slow", 2, every_s=0.2).start()
    time.sleep(0.9)  # one long task: the heartbeat speaks meanwhile
    prog.task_done()
    prog.stop()
    beats = [m for m in log.messages if m.startswith("slow: 0/2 tasks done (0%)")]
    assert len(beats) >= 2
    assert log.messages[-1].startswith("slow: 1/2 tasks done (50%)")


def test_nbytes():
    assert nbytes((np.zeros(3), {"a": np.zeros((2, 2), np.float32)}, 5)) == 24 + 16 + 8


def test_job_logger_gets_progress(tmp_path):
    from oqcore.jobs.db import JobDB
    from oqcore.jobs.logs import job_logger
    db = JobDB(str(tmp_path / "db.sqlite3"))
    job_id = db.create_job("x", "u", "classical")
    log = job_logger(db, job_id)
    list(track(InProcessExecutor(), square, [(1,), (2,)], log, []))
    msgs = [r["message"] for r in db.get_logs(job_id)]
    assert msgs[0] == "square: 2 tasks submitted"
    assert msgs[-1].startswith("square: 2/2 tasks done (100%)")
    logging.getLogger(log.name).handlers.clear()
