"""openquake.cfg lookup and the engine Settings.

Files read in order, later ones overriding keys: the packaged defaults,
``<venv>/openquake.cfg`` (or ``/etc/openquake/openquake.cfg`` outside a virtualenv),
``~/openquake.cfg``, then ``$OQ_CONFIG_FILE``.
"""
from __future__ import annotations

import configparser
import os
import sys

import attrs

DEFAULTS = {
    "distribution": {"oq_distribute": "processpool", "num_cores": "0", "dask_scheduler": "",
                     "serialize_jobs": "2", "log_level": "info"},
    "dbserver": {"file": "", "host": "127.0.0.1", "port": "1907"},
    "directory": {"shared_dir": "", "custom_tmp": "", "mosaic_dir": ""},
    "webapi": {"server": "http://localhost:8800", "username": "", "password": ""},
    "webui": {"authentication": "false", "max_upload_mb": "200", "secret_key": "",
              "session_hours": "12", "reset_link_minutes": "60", "base_url": "",
              "max_unzipped_mb": "1000", "threads": "8",
              "login_failures_per_user": "5", "login_failures_per_address": "20",
              "login_window_minutes": "15", "reset_requests_per_email": "3",
              "reset_requests_per_address": "10", "reset_window_minutes": "60",
              "application_mode": "public"},
    "smtp": {"host": "", "port": "25", "user": "", "password": "", "tls": "false",
             "sender": "oqcore@localhost"},
    "memory": {"soft_mem_limit": "90", "hard_mem_limit": "99"},
}
#: the [webui] keys of the login and password reset limits
_LIMITS = ("login_failures_per_user", "login_failures_per_address", "login_window_minutes",
           "reset_requests_per_email", "reset_requests_per_address", "reset_window_minutes")


def config_files() -> list[str]:
    """The openquake.cfg files that exist, in reading order."""
    paths = []
    if sys.prefix != sys.base_prefix:
        paths.append(os.path.join(sys.prefix, "openquake.cfg"))
    else:
        paths.append("/etc/openquake/openquake.cfg")
    paths.append(os.path.join(os.path.expanduser("~"), "openquake.cfg"))
    env = os.environ.get("OQ_CONFIG_FILE")
    if env:
        paths.append(env)
    return [p for p in paths if os.path.exists(p)]


@attrs.frozen
class Settings:
    """Engine settings read from openquake.cfg and the environment.

    :ivar datadir: where calc_<id>.hdf5 files and the job database live (OQ_DATADIR)
    :ivar db_file: the SQLite job database
    :ivar num_cores: worker processes for tasks (0 = all cores)
    :ivar concurrent_jobs: how many jobs run at once (serialize_jobs)
    """
    datadir: str
    db_file: str
    oq_distribute: str = "processpool"
    num_cores: int = 0
    #: ``tcp://HOST:PORT`` of the Dask scheduler for ``oq_distribute = dask`` ("local": a
    #: private LocalCluster per job); [distribution] dask_scheduler or OQCORE_DASK_SCHEDULER
    dask_scheduler: str = ""
    concurrent_jobs: int = 2
    shared_dir: str = ""
    custom_tmp: str = ""
    authentication: bool = False
    max_upload_mb: float = 200.0
    secret_key: str = ""
    session_hours: float = 12.0
    reset_link_minutes: float = 60.0
    base_url: str = ""
    smtp: dict = attrs.field(factory=dict)
    webapi: dict = attrs.field(factory=dict)
    #: the most an uploaded archive may expand to (zip bombs), in MB
    max_unzipped_mb: float = 1000.0
    #: waitress worker threads of ``oq server``
    server_threads: int = 8
    #: failed logins allowed per user name, and per client address, in any
    #: ``login_window_minutes`` (then 429 until the window slides; 0 = no limit)
    login_failures_per_user: int = 5
    login_failures_per_address: int = 20
    login_window_minutes: float = 15.0
    #: password reset requests allowed per e-mail address, and per client address, in
    #: any ``reset_window_minutes`` (0 = no limit)
    reset_requests_per_email: int = 3
    reset_requests_per_address: int = 10
    reset_window_minutes: float = 60.0
    #: folder of the AELO mosaic (boundaries.geojson, <CODE>/in/job_vs30.ini); empty =
    #: the demo mosaic shipped with the package
    mosaic_dir: str = ""
    #: [webui] application_mode or OQ_APPLICATION_MODE: "public" or "AELO" (login
    #: required, only the AELO job submission)
    application_mode: str = "public"

    @classmethod
    def load(cls, **overrides) -> "Settings":
        """Read the openquake.cfg files and OQ_DATADIR; keyword overrides win."""
        cp = configparser.ConfigParser(interpolation=None)
        cp.read_dict(DEFAULTS)
        cp.read(config_files())
        datadir = os.environ.get("OQ_DATADIR") or os.path.join(
            os.path.expanduser("~"), "oqdata")
        db_file = cp.get("dbserver", "file") or os.path.join(datadir, "db.sqlite3")
        kw = dict(
            datadir=datadir, db_file=os.path.expanduser(db_file),
            oq_distribute=os.environ.get("OQ_DISTRIBUTE") or cp.get(
                "distribution", "oq_distribute"),
            num_cores=int(cp.get("distribution", "num_cores") or 0),
            dask_scheduler=(os.environ.get("OQCORE_DASK_SCHEDULER")
                            or cp.get("distribution", "dask_scheduler")),
            concurrent_jobs=max(1, int(cp.get("distribution", "serialize_jobs") or 1)),
            shared_dir=cp.get("directory", "shared_dir"),
            custom_tmp=cp.get("directory", "custom_tmp"),
            mosaic_dir=os.path.expanduser(cp.get("directory", "mosaic_dir")),
            application_mode=(os.environ.get("OQ_APPLICATION_MODE")
                              or cp.get("webui", "application_mode") or "public"),
            authentication=cp.getboolean("webui", "authentication"),
            max_upload_mb=float(cp.get("webui", "max_upload_mb")),
            secret_key=cp.get("webui", "secret_key"),
            session_hours=float(cp.get("webui", "session_hours")),
            reset_link_minutes=float(cp.get("webui", "reset_link_minutes")),
            base_url=cp.get("webui", "base_url"),
            smtp=dict(cp.items("smtp")), webapi=dict(cp.items("webapi")),
            max_unzipped_mb=float(cp.get("webui", "max_unzipped_mb")),
            server_threads=max(1, int(cp.get("webui", "threads") or 8)),
            **{k: float(cp.get("webui", k)) if k.endswith("_minutes") else
               int(cp.get("webui", k)) for k in _LIMITS},
        )
        kw.update(overrides)
        return cls(**kw)
