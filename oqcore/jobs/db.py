"""The job database (SQLite): jobs, their logs and outputs, and users.

Every process opens its own connection (WAL mode); writes are short transactions.
Statuses: created -> submitted -> executing -> complete | failed | aborted.
"""
from __future__ import annotations

import datetime
import os
import sqlite3
import threading
from typing import Any, Iterable

from oqcore.errors import InvalidInput, NotFound

TERMINAL = ("complete", "failed", "aborted", "deleted")
ACTIVE = ("created", "submitted", "executing")
STATUSES = ACTIVE + TERMINAL

SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    description TEXT NOT NULL DEFAULT '',
    user_name TEXT NOT NULL DEFAULT '',
    calculation_mode TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'created',
    is_running INTEGER NOT NULL DEFAULT 0,
    pid INTEGER NOT NULL DEFAULT 0,
    pid_start INTEGER NOT NULL DEFAULT 0,
    hazard_calculation_id INTEGER REFERENCES job(id) ON DELETE SET NULL,
    job_ini TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    ds_calc_dir TEXT NOT NULL DEFAULT '',
    size_mb REAL,
    create_time TEXT NOT NULL,
    start_time TEXT,
    stop_time TEXT,
    traceback TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    relevant INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    timestamp TEXT NOT NULL,
    level TEXT NOT NULL,
    process TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_job ON log(job_id);
CREATE TABLE IF NOT EXISTS output (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    oq_job_id INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    ds_key TEXT NOT NULL,
    size_mb REAL NOT NULL DEFAULT -1
);
CREATE TABLE IF NOT EXISTS user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    level INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
    token TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tag (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (LENGTH(name) > 0)
);
CREATE TABLE IF NOT EXISTS job_tag (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    is_preferred INTEGER NOT NULL DEFAULT 0 CHECK (is_preferred IN (0, 1)),
    UNIQUE (job_id, tag_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS job_tag_preferred ON job_tag(tag_id) WHERE is_preferred = 1;
CREATE TABLE IF NOT EXISTS reset_token (
    token TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    expires TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
"""
#: columns added to the job table after its first release: (name, declaration)
NEW_COLUMNS = (("pid_start", "INTEGER NOT NULL DEFAULT 0"),
               ("shared", "INTEGER NOT NULL DEFAULT 0"))
#: the star marking the preferred job of a tag in a job's list of tags (as OpenQuake)
PREFERRED_MARK = "\u2605"


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()


class JobDB:
    """Access to the job database at ``path`` (created on first use)."""

    def __init__(self, path: str):
        self.path = path
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._local = threading.local()
        with self.connect() as conn:
            conn.executescript(SCHEMA)
            cols = {r["name"] for r in conn.execute("PRAGMA table_info(job)")}
            for col, decl in NEW_COLUMNS:
                if col not in cols:  # a database made by an older version
                    conn.execute("ALTER TABLE job ADD COLUMN %s %s" % (col, decl))

    def schema_version(self) -> str:
        """The schema revision of this database, ``oqcore-<n>`` (n: 1 plus the column
        additions made since the first schema; each start adds the missing ones)."""
        with self.connect() as conn:
            cols = {r["name"] for r in conn.execute("PRAGMA table_info(job)")}
        return "oqcore-%d" % (1 + sum(col in cols for col, _ in NEW_COLUMNS))

    def connect(self) -> sqlite3.Connection:
        """A connection of this thread (autocommit off; use as a context manager)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            self._local.pid = os.getpid()
        return conn

    def execute(self, sql: str, args: Iterable = ()) -> list[sqlite3.Row]:
        """Run one statement in its own transaction; return the rows."""
        conn = self.connect()
        with conn:
            return conn.execute(sql, tuple(args)).fetchall()

    # ------------------------------------------------------------------ jobs
    def create_job(self, description: str, user_name: str, calculation_mode: str,
                   job_ini: str = "", params: str = "{}", hc_id: int | None = None,
                   ds_calc_dir: str = "") -> int:
        """Insert a job in status ``created``; return its ID."""
        conn = self.connect()
        with conn:
            cur = conn.execute(
                "INSERT INTO job (description, user_name, calculation_mode, status, job_ini,"
                " params, hazard_calculation_id, create_time) VALUES (?,?,?,?,?,?,?,?)",
                (description, user_name, calculation_mode, "created", job_ini, params,
                 hc_id, now()))
            job_id = cur.lastrowid
            if ds_calc_dir:
                conn.execute("UPDATE job SET ds_calc_dir=? WHERE id=?",
                             (os.path.join(ds_calc_dir, "calc_%d" % job_id), job_id))
        return job_id

    def get_job(self, job_id: int) -> dict:
        """The job row as a dict; NotFound if there is none."""
        rows = self.execute("SELECT * FROM job WHERE id=?", (job_id,))
        if not rows:
            raise NotFound("calculation %s does not exist" % job_id)
        return dict(rows[0])

    def resolve_id(self, job_id: int, user_name: str | None = None) -> int:
        """Turn a negative ID (-1 = last, -2 = the one before...) into a real ID."""
        if job_id >= 0:
            return job_id
        sql = "SELECT id FROM job WHERE status != 'deleted'"
        args: list[Any] = []
        if user_name:
            sql += " AND user_name=?"
            args.append(user_name)
        sql += " ORDER BY id DESC LIMIT 1 OFFSET ?"
        args.append(-job_id - 1)
        rows = self.execute(sql, args)
        if not rows:
            raise NotFound("there is no %d-th last calculation" % -job_id)
        return rows[0]["id"]

    def update_job(self, job_id: int, **fields) -> None:
        """Set columns of a job row."""
        if not fields:
            return
        cols = ", ".join("%s=?" % k for k in fields)
        self.execute("UPDATE job SET %s WHERE id=?" % cols, (*fields.values(), job_id))

    def set_status(self, job_id: int, new: str, registry=None, **fields) -> str:
        """Move a job to status ``new`` (terminal statuses are final); return the old one.

        Terminal statuses set ``stop_time`` and ``is_running = 0``; ``executing`` sets
        ``start_time``. Fires ``oq_job_status_changed`` when a registry is given.
        """
        if new not in STATUSES:
            raise InvalidInput("unknown status %r" % new)
        conn = self.connect()
        with conn:
            row = conn.execute("SELECT status FROM job WHERE id=?", (job_id,)).fetchone()
            if row is None:
                raise NotFound("calculation %s does not exist" % job_id)
            old = row["status"]
            if old in TERMINAL and new != "deleted":
                return old
            fields["status"] = new
            if new == "executing":
                fields.setdefault("start_time", now())
                fields["is_running"] = 1
            if new in TERMINAL:
                fields.setdefault("stop_time", now())
                fields["is_running"] = 0
            cols = ", ".join("%s=?" % k for k in fields)
            conn.execute("UPDATE job SET %s WHERE id=?" % cols, (*fields.values(), job_id))
        if registry is not None and old != new:
            try:
                registry.job_status_changed(job=self.get_job(job_id), old=old, new=new)
            except Exception:  # a notification must never break the job
                import logging
                logging.getLogger(__name__).exception(
                    "calculation %d: an oq_job_status_changed listener failed (%s -> %s)",
                    job_id, old, new)
        return old

    def list_jobs(self, user_name: str | None = None, status: str | None = None,
                  limit: int | None = None, offset: int = 0, relevant_only: bool = True,
                  order_dir: str = "DESC") -> list[dict]:
        """Jobs, newest first, with optional filters."""
        sql = "SELECT * FROM job WHERE status != 'deleted'"
        args: list[Any] = []
        if relevant_only:
            sql += " AND relevant=1"
        if user_name:
            sql += " AND user_name=?"
            args.append(user_name)
        if status:
            sql += " AND status=?"
            args.append(status)
        sql += " ORDER BY id %s" % ("ASC" if order_dir.upper() == "ASC" else "DESC")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            args.append(int(offset))
        return [dict(r) for r in self.execute(sql, args)]

    def delete_job(self, job_id: int) -> None:
        """Remove a job row with its logs and outputs (one transaction)."""
        self.execute("UPDATE job SET hazard_calculation_id=NULL WHERE hazard_calculation_id=?",
                     (job_id,))
        self.execute("DELETE FROM job WHERE id=?", (job_id,))

    # ------------------------------------------------------------ sharing, tags
    def set_shared(self, job_id: int, shared: bool) -> None:
        """Mark a job shared (visible to every logged-in user) or not."""
        self.execute("UPDATE job SET shared=? WHERE id=?", (int(bool(shared)), job_id))

    def tag_names(self) -> list[str]:
        """Every tag, by name."""
        return [r["name"] for r in self.execute("SELECT name FROM tag ORDER BY name")]

    def _tag_id(self, conn: sqlite3.Connection, name: str, create: bool) -> int | None:
        row = conn.execute("SELECT id FROM tag WHERE name=?", (name,)).fetchone()
        if row is not None:
            return row["id"]
        if not create:
            return None
        return conn.execute("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid

    def create_tag(self, name: str) -> bool:
        """Create the tag ``name``; False if it existed already."""
        conn = self.connect()
        with conn:
            existed = self._tag_id(conn, name, False) is not None
            self._tag_id(conn, name, True)
        return not existed

    def delete_tag(self, name: str) -> bool:
        """Delete the tag ``name`` (and its associations); False if there was none."""
        conn = self.connect()
        with conn:
            return conn.execute("DELETE FROM tag WHERE name=?", (name,)).rowcount > 0

    def add_job_tag(self, job_id: int, name: str) -> bool:
        """Tag a job (the tag is created if needed); False if it had the tag already."""
        conn = self.connect()
        with conn:
            tag_id = self._tag_id(conn, name, True)
            return conn.execute("INSERT OR IGNORE INTO job_tag (job_id, tag_id) VALUES "
                                "(?, ?)", (job_id, tag_id)).rowcount > 0

    def remove_job_tag(self, job_id: int, name: str) -> bool:
        """Remove a tag from a job; False if the job did not have it."""
        conn = self.connect()
        with conn:
            tag_id = self._tag_id(conn, name, False)
            if tag_id is None:
                return False
            return conn.execute("DELETE FROM job_tag WHERE job_id=? AND tag_id=?",
                                (job_id, tag_id)).rowcount > 0

    def set_preferred(self, job_id: int, name: str) -> None:
        """Make ``job_id`` the preferred job of tag ``name`` (tagging it if needed; the
        previous preferred job keeps the tag), in one transaction."""
        conn = self.connect()
        with conn:
            tag_id = self._tag_id(conn, name, True)
            conn.execute("UPDATE job_tag SET is_preferred=0 WHERE tag_id=? AND "
                         "is_preferred=1", (tag_id,))
            conn.execute("INSERT INTO job_tag (job_id, tag_id, is_preferred) VALUES "
                         "(?, ?, 1) ON CONFLICT(job_id, tag_id) DO UPDATE SET "
                         "is_preferred=1", (job_id, tag_id))

    def unset_preferred(self, name: str) -> None:
        """Tag ``name`` has no preferred job any more (its jobs keep the tag)."""
        self.execute("UPDATE job_tag SET is_preferred=0 WHERE is_preferred=1 AND tag_id="
                     "(SELECT id FROM tag WHERE name=?)", (name,))

    def preferred_job(self, name: str) -> int | None:
        """The ID of the preferred job of tag ``name`` (None if none)."""
        rows = self.execute(
            "SELECT jt.job_id FROM job_tag jt JOIN tag t ON t.id=jt.tag_id JOIN job j ON "
            "j.id=jt.job_id WHERE t.name=? AND jt.is_preferred=1 AND j.status != 'deleted'",
            (name,))
        return rows[0]["job_id"] if rows else None

    def job_tags(self, job_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
        """{job ID: tag names}, the preferred ones first and marked with
        :data:`PREFERRED_MARK`, then by name (every tagged job, or only ``job_ids``)."""
        sql = ("SELECT jt.job_id, t.name, jt.is_preferred FROM job_tag jt JOIN tag t ON "
               "t.id=jt.tag_id ORDER BY jt.job_id, jt.is_preferred DESC, t.name")
        wanted = None if job_ids is None else set(job_ids)
        out: dict[int, list[str]] = {}
        for r in self.execute(sql):
            if wanted is None or r["job_id"] in wanted:
                out.setdefault(r["job_id"], []).append(
                    r["name"] + (PREFERRED_MARK if r["is_preferred"] else ""))
        return out

    # ------------------------------------------------------------------ logs
    def add_log(self, job_id: int, level: str, message: str, process: str = "",
                timestamp: str | None = None) -> None:
        """Append a log record."""
        self.execute("INSERT INTO log (job_id, timestamp, level, process, message) "
                     "VALUES (?,?,?,?,?)", (job_id, timestamp or now(), level, process,
                                            message))

    def get_logs(self, job_id: int, start: int = 0, stop: int | None = None) -> list[dict]:
        """Log records of a job, as a Python slice [start:stop] of the full list."""
        rows = [dict(r) for r in self.execute(
            "SELECT timestamp, level, process, message FROM log WHERE job_id=? ORDER BY id",
            (job_id,))]
        return rows[start:stop]

    def log_size(self, job_id: int) -> int:
        """How many log records a job has."""
        return self.execute("SELECT count(*) AS n FROM log WHERE job_id=?", (job_id,))[0]["n"]

    # --------------------------------------------------------------- outputs
    def add_output(self, job_id: int, display_name: str, ds_key: str,
                   size_mb: float = -1.0) -> int:
        """Register an output of a job; return its ID."""
        conn = self.connect()
        with conn:
            cur = conn.execute("INSERT INTO output (oq_job_id, display_name, ds_key, size_mb) "
                               "VALUES (?,?,?,?)", (job_id, display_name, ds_key, size_mb))
            return cur.lastrowid

    def get_outputs(self, job_id: int) -> list[dict]:
        """Outputs of a job, by ID."""
        return [dict(r) for r in self.execute(
            "SELECT * FROM output WHERE oq_job_id=? ORDER BY id", (job_id,))]

    def get_output(self, output_id: int) -> dict:
        """One output row; NotFound if none."""
        rows = self.execute("SELECT * FROM output WHERE id=?", (output_id,))
        if not rows:
            raise NotFound("output %s does not exist" % output_id)
        return dict(rows[0])
