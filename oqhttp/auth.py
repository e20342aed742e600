"""Accounts of the engine server: users (argon2 hashes) in the job database,
server-side sessions behind an HMAC-signed cookie (never pickle), permissions,
rate limits of logins and reset requests, password reset by a time-limited e-mailed
link (mailed by a background thread), and ``oq user``.

Levels: 0 = restricted (own jobs, whitelisted extract specs), 1 = normal (own jobs),
2 = superuser (every job). Tokens are random; the database keeps only their SHA-256.
A job a user may not see is answered exactly like a job that does not exist.
"""
from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import hmac
import logging
import queue
import secrets
import smtplib
import sys
import threading
import time
from email.message import EmailMessage
from typing import Any, Callable

import argon2

from oqcore.errors import InvalidInput, NotFound, PermissionDenied
from oqcore.jobs.db import JobDB, now
from oqhttp.ratelimit import RateLimiter, seconds

log = logging.getLogger("oqhttp.auth")

SESSION_COOKIE = "sessionid"
SUPERUSER_LEVEL = 2
MIN_PASSWORD = 8

#: extract specs a level-0 user may ask for (NAME, or NAME followed by "/" or ".")
EXTRACTABLE = (
    "agg_curves", "agg_damages", "agg_losses", "agg_risk", "aggrisk_tags", "asset_risk",
    "asset_tags", "composite_risk_model", "damages-rlzs", "damages-stats",
    "disagg_layer", "events", "exposure_metadata", "exposure_by_location",
    "exposure_by_lse", "gmf_data", "hcurves", "hmaps", "losses_by_asset",
    "losses_by_location", "losses_by_site", "mmi_tags", "oqparam", "realizations",
    "risk_by_event", "rupture_info", "sitecol", "uhs")

_EXTRA_SCHEMA = """
CREATE TABLE IF NOT EXISTS oqhttp_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL
);
"""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _later(hours: float = 0, minutes: float = 0) -> str:
    t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return (t + datetime.timedelta(hours=hours, minutes=minutes)).isoformat()


def _expired(stamp: str) -> bool:
    try:
        return datetime.datetime.fromisoformat(stamp) <= datetime.datetime.fromisoformat(
            now())
    except ValueError:
        return True


class User(dict):
    """A user row: ``name``, ``email``, ``level`` (no hash)."""

    @property
    def name(self) -> str:
        """The user name."""
        return self["name"]

    @property
    def level(self) -> int:
        """The permission level (2 = superuser)."""
        return int(self["level"])

    @property
    def is_superuser(self) -> bool:
        """True for level 2 and above."""
        return self.level >= SUPERUSER_LEVEL


class Accounts:
    """Users, sessions and reset tokens stored in the job database.

    :param db: the :class:`oqcore.jobs.db.JobDB`
    :param secret_key: the key signing session cookies; when empty, a random key is
        generated once and kept in the database
    """

    def __init__(self, db: JobDB, secret_key: str = ""):
        self.db = db
        self.hasher = argon2.PasswordHasher()
        self._dummy_hash = None
        if secret_key:
            self.key = secret_key.encode("utf-8")
        else:
            self.key = self._stored_secret().encode("utf-8")

    def _stored_secret(self) -> str:
        conn = self.db.connect()
        with conn:
            conn.executescript(_EXTRA_SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO oqhttp_secret (id, value) VALUES (1, ?)",
                        (secrets.token_urlsafe(48),))
        return self.db.execute("SELECT value FROM oqhttp_secret WHERE id=1")[0]["value"]

    # ------------------------------------------------------------ users
    def add_user(self, name: str, email: str, password: str, level: int = 1) -> User:
        """Create a user; InvalidInput if the name is taken or the input is bad."""
        name = (name or "").strip()
        if not name or len(name) > 150 or any(c.isspace() for c in name):
            raise InvalidInput("invalid user name %r" % name, param="name")
        if email and "@" not in email:
            raise InvalidInput("invalid e-mail address %r" % email, param="email")
        check_password(password)
        if int(level) not in (0, 1, 2):
            raise InvalidInput("the level must be 0, 1 or 2", param="level")
        if self.get_user(name) is not None:
            raise InvalidInput("the user %r already exists" % name, param="name")
        self.db.execute("INSERT INTO user (name, email, password_hash, level, created) "
                        "VALUES (?,?,?,?,?)", (name, email or "", self.hasher.hash(password),
                                               int(level), now()))
        return self.get_user(name)

    def remove_user(self, name: str) -> None:
        """Delete a user with its sessions and reset tokens; NotFound if unknown."""
        if self.get_user(name) is None:
            raise NotFound("there is no user %r" % name)
        self.db.execute("DELETE FROM session WHERE user_name=?", (name,))
        self.db.execute("DELETE FROM reset_token WHERE user_name=?", (name,))
        self.db.execute("DELETE FROM user WHERE name=?", (name,))

    def list_users(self) -> list[User]:
        """Every user, by name."""
        return [User(name=r["name"], email=r["email"], level=r["level"],
                     created=r["created"])
                for r in self.db.execute("SELECT * FROM user ORDER BY name")]

    def get_user(self, name: str) -> User | None:
        """The user called ``name`` or None."""
        rows = self.db.execute("SELECT * FROM user WHERE name=?", (name,))
        if not rows:
            return None
        r = rows[0]
        return User(name=r["name"], email=r["email"], level=r["level"])

    def users_by_email(self, email: str) -> list[User]:
        """The users with this e-mail address (case-insensitive)."""
        return [User(name=r["name"], email=r["email"], level=r["level"])
                for r in self.db.execute("SELECT * FROM user WHERE lower(email)=lower(?)",
                                         (email.strip(),))]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if ``password`` is right, else None (same work either way)."""
        rows = self.db.execute("SELECT * FROM user WHERE name=?", (name,))
        if not rows or not rows[0]["password_hash"]:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash(secrets.token_hex(8))
            try:
                self.hasher.verify(self._dummy_hash, password or "")
            except argon2.exceptions.VerificationError:
                pass
            return None
        row = rows[0]
        try:
            self.hasher.verify(row["password_hash"], password or "")
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return None
        if self.hasher.check_needs_rehash(row["password_hash"]):
            self.db.execute("UPDATE user SET password_hash=? WHERE name=?",
                            (self.hasher.hash(password), name))
        return User(name=row["name"], email=row["email"], level=row["level"])

    def set_password(self, name: str, password: str) -> None:
        """Change a password; close every session and cancel every reset link of that
        user."""
        check_password(password)
        if self.get_user(name) is None:
            raise NotFound("there is no user %r" % name)
        self.db.execute("UPDATE user SET password_hash=? WHERE name=?",
                        (self.hasher.hash(password), name))
        self.db.execute("DELETE FROM session WHERE user_name=?", (name,))
        self.db.execute("DELETE FROM reset_token WHERE user_name=?", (name,))

    # ------------------------------------------------------------ sessions
    def sign(self, token: str) -> str:
        """The cookie value: ``token.signature`` (HMAC-SHA256, base64url)."""
        mac = hmac.new(self.key, token.encode("ascii"), hashlib.sha256).digest()
        return token + "." + base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def unsign(self, value: str | None) -> str | None:
        """The token of a cookie value whose signature is right, else None."""
        if not value or value.count(".") != 1:
            return None
        token = value.split(".", 1)[0]
        try:
            token.encode("ascii")
        except UnicodeEncodeError:
            return None
        return token if hmac.compare_digest(self.sign(token), value) else None

    def open_session(self, user_name: str, hours: float) -> str:
        """A new session for a user; returns the signed cookie value."""
        token = secrets.token_urlsafe(32)
        self.db.execute("DELETE FROM session WHERE expires < ?", (now(),))
        self.db.execute("INSERT INTO session (token, user_name, expires) VALUES (?,?,?)",
                        (_digest(token), user_name, _later(hours=hours)))
        return self.sign(token)

    def session_user(self, cookie: str | None) -> User | None:
        """The user of a signed session cookie, or None (bad, unknown or expired)."""
        token = self.unsign(cookie)
        if token is None:
            return None
        rows = self.db.execute("SELECT * FROM session WHERE token=?", (_digest(token),))
        if not rows:
            return None
        if _expired(rows[0]["expires"]):
            self.db.execute("DELETE FROM session WHERE token=?", (_digest(token),))
            return None
        return self.get_user(rows[0]["user_name"])

    def close_session(self, cookie: str | None) -> None:
        """Forget a session."""
        token = self.unsign(cookie)
        if token is not None:
            self.db.execute("DELETE FROM session WHERE token=?", (_digest(token),))

    # ------------------------------------------------------------ password reset
    def create_reset_token(self, user_name: str, minutes: float) -> str:
        """A one-time token valid for ``minutes``; the earlier tokens of the user stop
        working (only the last link mailed is good)."""
        token = secrets.token_urlsafe(32)
        conn = self.db.connect()
        with conn:
            conn.execute("DELETE FROM reset_token WHERE user_name=? OR expires < ?",
                         (user_name, now()))
            conn.execute("INSERT INTO reset_token (token, user_name, expires) "
                         "VALUES (?,?,?)", (_digest(token), user_name,
                                            _later(minutes=minutes)))
        return token

    def reset_token_user(self, token: str) -> str:
        """The user of a valid reset token; InvalidInput if unknown, used or expired."""
        rows = self.db.execute("SELECT * FROM reset_token WHERE token=?", (_digest(token),))
        if not rows or rows[0]["used"] or _expired(rows[0]["expires"]):
            raise InvalidInput("This password reset link is invalid or has expired: "
                               "ask for a new one")
        return rows[0]["user_name"]

    def use_reset_token(self, token: str, password: str) -> str:
        """Set a new password through a reset token (once); return the user name."""
        name = self.reset_token_user(token)
        check_password(password)
        conn = self.db.connect()
        with conn:  # claimed once, even by two requests at the same time
            claimed = conn.execute("UPDATE reset_token SET used=1 WHERE token=? AND used=0",
                                   (_digest(token),)).rowcount
        if not claimed:
            raise InvalidInput("This password reset link is invalid or has expired: "
                               "ask for a new one")
        self.set_password(name, password)
        return name


def check_password(password: str) -> None:
    """InvalidInput unless the password has at least MIN_PASSWORD characters."""
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidInput("the password must have at least %d characters" % MIN_PASSWORD,
                           param="password")


# ------------------------------------------------------------------ permissions
#: what a user may do with a calculation shared by somebody else (read and reuse it);
#: every other action (abort, remove, share, tag...) needs the owner or a superuser
SHARED_ACTIONS = ("see", "see the results of", "download the results of", "extract from",
                  "download", "use")


def can_see_job(user: User | None, job: dict, auth_enabled: bool,
                action: str = "see") -> bool:
    """Whether ``user`` may ``action`` ``job`` (always in public mode): the owner and
    superusers may do anything; other logged-in users may read a shared job
    (:data:`SHARED_ACTIONS`)."""
    if not auth_enabled:
        return True
    if user is None:
        return False
    if user.is_superuser or job["user_name"] == user.name:
        return True
    return bool(job.get("shared")) and action in SHARED_ACTIONS


def unknown_job(calc_id: Any) -> NotFound:
    """The error for a job ID that does not exist, or that the user may not see (the
    same answer for both, so that IDs cannot be probed)."""
    return NotFound("Unknown calculation %s" % calc_id)


def check_job(user: User | None, job: dict, auth_enabled: bool, action: str = "see",
              calc_id: Any = None) -> None:
    """:func:`unknown_job` (404) unless ``user`` may see and act on the job.

    :param action: what the user asked to do (see :func:`can_see_job`; logged, never
        answered)
    :param calc_id: the ID as the request gave it (default: the job's ID)
    """
    if not can_see_job(user, job, auth_enabled, action):
        if can_see_job(user, job, auth_enabled):  # shared: visible, not theirs to change
            raise PermissionDenied("User %s may not %s calculation %d: it belongs to %s"
                                   % (user.name, action, job["id"], job["user_name"]))
        log.info("user %s may not %s job %d: answered as unknown",
                 user.name if user else "anonymous", action, job["id"])
        raise unknown_job(job["id"] if calc_id is None else calc_id)


def can_extract(user: User | None, spec: str, auth_enabled: bool) -> bool:
    """Level-0 users may only extract the whitelisted specs."""
    if not auth_enabled or user is None or user.level >= 1:
        return True
    name = spec.split("?", 1)[0]
    return any(name == w or name.startswith(w + "/") or name.startswith(w + ".")
               for w in EXTRACTABLE)


# ------------------------------------------------------------------ rate limits
#: the longest user name or e-mail address kept as a rate-limit key (longer ones are
#: cut: no account has them, and memory stays bounded)
MAX_KEY = 256


class Throttled(Exception):
    """Too many attempts: try again after ``wait`` seconds."""

    def __init__(self, message: str, wait: float):
        super().__init__(message)
        self.wait = wait


class Limits:
    """The rate limits of the account routes, in the server's memory: failed logins
    per user name and per client address, reset requests per e-mail address and per
    client address ([webui] ``login_*`` and ``reset_*`` in openquake.cfg).

    :param settings: the engine Settings
    :param clock: a monotonic clock in seconds
    """

    def __init__(self, settings, clock: Callable[[], float] = time.monotonic):
        window = settings.login_window_minutes * 60
        self.login_user = RateLimiter(settings.login_failures_per_user, window, clock)
        self.login_address = RateLimiter(settings.login_failures_per_address, window, clock)
        window = settings.reset_window_minutes * 60
        self.reset_email = RateLimiter(settings.reset_requests_per_email, window, clock)
        self.reset_address = RateLimiter(settings.reset_requests_per_address, window, clock)

    def login(self, accounts: Accounts, name: str, password: str, address: str
              ) -> User | None:
        """The user if the password is right, else None; :class:`Throttled` (before any
        password hashing) once the name or the address had too many failures."""
        wait = _acquire_both(self.login_user, name[:MAX_KEY], self.login_address, address)
        if wait:
            raise Throttled("Too many failed logins: try again in %d seconds" %
                            seconds(wait), wait)
        user = accounts.authenticate(name, password)
        if user is not None:  # only failures count
            self.login_user.release(name[:MAX_KEY])
            self.login_address.release(address)
        return user

    def reset_request(self, email: str, address: str) -> None:
        """Count a reset request; :class:`Throttled` above the limits."""
        wait = _acquire_both(self.reset_email, email.strip().lower()[:MAX_KEY],
                             self.reset_address, address)
        if wait:
            raise Throttled("Too many password reset requests: try again in %d seconds"
                            % seconds(wait), wait)


def _acquire_both(first: RateLimiter, key1: str, second: RateLimiter, key2: str
                  ) -> float:
    """Record an event in both limiters, or in none; return the wait (0 = allowed)."""
    wait = first.acquire(key1)
    if wait:
        return wait
    wait = second.acquire(key2)
    if wait:
        first.release(key1)
    return wait


class ResetMailer:
    """Answers password reset requests off the request path, so that the answer takes
    the same time whether or not the address has an account: a daemon thread looks the
    address up, makes a token per user (cancelling the earlier ones) and mails the links.

    :param accounts: the :class:`Accounts`
    :param smtp: the [smtp] settings
    :param minutes: how long a link is valid
    """

    def __init__(self, accounts: Accounts, smtp: dict, minutes: float):
        self.accounts = accounts
        self.smtp = smtp
        self.minutes = minutes
        self._requests: queue.Queue = queue.Queue(maxsize=1000)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, email: str, base_url: str) -> None:
        """Queue a request for ``email``; links point to ``base_url``."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="oqhttp-mailer",
                                                daemon=True)
                self._thread.start()
        try:
            self._requests.put_nowait((email, base_url))
        except queue.Full:
            log.error("too many password reset e-mails waiting: request dropped")

    def close(self, timeout: float = 5) -> None:
        """Stop the thread after the requests already queued."""
        if self._thread is not None:
            self._requests.put((None, None))
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            email, base = self._requests.get()
            if email is None:
                return
            try:
                self.send(email, base)
            except Exception:  # the thread must survive a bad request
                log.exception("password reset request failed")

    def send(self, email: str, base_url: str) -> None:
        """Mail a reset link to every user with this address (none: nothing)."""
        for user in self.accounts.users_by_email(email):
            token = self.accounts.create_reset_token(user.name, self.minutes)
            link = "%s/reset_password/confirm/%s" % (base_url.rstrip("/"), token)
            try:
                send_mail(self.smtp, user["email"], "OpenQuake engine: password reset",
                          reset_mail_text(user.name, link, self.minutes))
            except Exception as exc:
                log.error("cannot send the reset e-mail to %s: %s", user.name, exc)


# ------------------------------------------------------------------ e-mail
def smtp_configured(smtp: dict) -> bool:
    """True when openquake.cfg [smtp] names a host."""
    return bool((smtp or {}).get("host"))


def send_mail(smtp: dict, to: str, subject: str, body: str) -> None:
    """Send a plain-text e-mail with the [smtp] settings of openquake.cfg
    (``host``, ``port``, ``user``, ``password``, ``tls``, ``sender``)."""
    if not smtp_configured(smtp):
        raise RuntimeError("no SMTP host configured in openquake.cfg [smtp]")
    msg = EmailMessage()
    msg["From"] = smtp.get("sender") or "oqcore@localhost"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    port = int(smtp.get("port") or 25)
    with smtplib.SMTP(smtp["host"], port, timeout=15) as conn:
        if str(smtp.get("tls", "")).lower() in ("1", "true", "yes", "on"):
            conn.starttls()
        if smtp.get("user"):
            conn.login(smtp["user"], smtp.get("password", ""))
        conn.send_message(msg)


def reset_mail_text(user_name: str, link: str, minutes: float) -> str:
    """The body of the password reset e-mail."""
    return ("Hello %s,\n\nsomeone (hopefully you) asked to reset your password on the "
            "OpenQuake engine server.\nTo choose a new password, open this link within "
            "%d minutes:\n\n%s\n\nIf you did not ask for it, ignore this message.\n" % (
                user_name, round(minutes), link))


# ------------------------------------------------------------------ oq user
def user_command(argv: list[str] | None = None, settings: Any = None) -> int:
    """``oq user add NAME --email E --password P [--level N] | remove NAME | list``.

    :param argv: the arguments after ``oq user``
    :param settings: engine Settings (default: openquake.cfg)
    :returns: the exit status
    """
    parser = argparse.ArgumentParser(prog="oq user", description="manage the users of "
                                     "the engine server (authenticated mode)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--email", default="")
    add.add_argument("--password", help="the password (asked for when missing)")
    add.add_argument("--level", type=int, default=1, choices=(0, 1, 2),
                     help="0 restricted, 1 normal, 2 superuser")
    rm = sub.add_parser("remove", help="remove a user")
    rm.add_argument("name")
    sub.add_parser("list", help="list the users")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if settings is None:
        from oqcore.config import Settings
        settings = Settings.load()
    accounts = Accounts(JobDB(settings.db_file), settings.secret_key)
    try:
        if args.cmd == "add":
            password = args.password
            if password is None:
                import getpass
                password = getpass.getpass("Password for %s: " % args.name)
            accounts.add_user(args.name, args.email, password, args.level)
            print("Added user %s (level %d)" % (args.name, args.level))
        elif args.cmd == "remove":
            accounts.remove_user(args.name)
            print("Removed user %s" % args.name)
        else:
            for u in accounts.list_users():
                print("%s\t%s\tlevel %d" % (u["name"], u["email"] or "-", u["level"]))
    except (InvalidInput, NotFound) as exc:
        print("Error: %s" % exc, file=sys.stderr)
        return 1
    return 0

