"""Logging of a job into the database, record by record, as it happens."""
from __future__ import annotations

import datetime
import logging
import os

from oqcore.jobs.db import JobDB

LEVELS = {"DEBUG": "debug", "INFO": "info", "WARNING": "warning", "ERROR": "error",
          "CRITICAL": "critical"}


class DBHandler(logging.Handler):
    """A logging handler appending each record to the ``log`` table of a job."""

    def __init__(self, db: JobDB, job_id: int, level=logging.INFO):
        super().__init__(level)
        self.db = db
        self.job_id = job_id

    def emit(self, record: logging.LogRecord) -> None:
        try:
            ts = datetime.datetime.fromtimestamp(record.created).isoformat()
            self.db.add_log(self.job_id, LEVELS.get(record.levelname, "info"),
                            self.format(record), "%s:%d" % (record.processName, os.getpid()),
                            ts)
        except Exception:
            self.handleError(record)


def job_logger(db: JobDB, job_id: int, echo: bool = False,
               echo_level: str = "info") -> logging.Logger:
    """The logger of a job: writes to the database (and, if ``echo``, the records at
    ``echo_level`` or above to stderr: debug, info, warn, error or critical)."""
    logger = logging.getLogger("oqcore.job.%d" % job_id)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler = DBHandler(db, job_id)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    if echo:
        sh = logging.StreamHandler()
        sh.setLevel(echo_level_number(echo_level))
        sh.setFormatter(logging.Formatter("[%(asctime)s #" + str(job_id) +
                                          " %(levelname)s] %(message)s"))
        logger.addHandler(sh)
    return logger


def echo_level_number(name: str) -> int:
    """The :mod:`logging` level of a level name as ``oq engine --log-level`` takes it
    (debug, info, warn or warning, error, critical; any case)."""
    level = logging.getLevelName({"WARN": "WARNING"}.get(name.upper(), name.upper()))
    if not isinstance(level, int):
        raise ValueError("unknown log level %r (debug, info, warn, error, critical)" % name)
    return level
