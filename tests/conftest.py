"""Fixtures shared by the whole suite.

- ``example_plugin``: the third-party distribution in tests/example_plugin, installed
  (``pip install --no-deps --target``) into a throwaway folder of the test session, never
  into the test interpreter: the tests that need it run ``oq`` or Python in subprocesses
  whose PYTHONPATH holds that folder (:func:`with_example_plugin`), where
  ``load_registry()`` finds it through its entry point alone. (A ``--target`` folder
  rather than a nested venv: the test interpreter is usually a venv itself, whose
  packages a venv made with ``--system-site-packages`` would not see.)
- ``oq_env``: the environment of an ``oq`` subprocess with its own data directory.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLE_PLUGIN_DIR = ROOT / "tests" / "example_plugin"
EXAMPLE_PACKAGE = "oq_example_plugin"


def oq_command() -> list[str]:
    """The ``oq`` console script of this interpreter (or ``python -m oqcore.cli``)."""
    script = Path(sys.executable).parent / "oq"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "oqcore.cli"]


def run_oq(args, env: dict, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """Run ``oq ARGS`` (text output captured) with the environment ``env``."""
    return subprocess.run(oq_command() + [str(a) for a in args], env=env,
                          capture_output=True, text=True, timeout=timeout, **kw)


def run_engine_job(ini: str, datadir: str, distribute: str, overrides=None):
    """Create and run a job in-process with its own data directory and 2 cores.

    :returns: (Engine, job_id, final status)
    """
    import oqcore
    from oqcore.config import Settings
    from oqcore.jobs.runner import Engine
    settings = Settings.load(datadir=datadir, db_file=os.path.join(datadir, "db.sqlite3"),
                             oq_distribute=distribute, num_cores=2)
    eng = Engine(settings, oqcore.load_registry())
    job_id = eng.create_job(ini, overrides=overrides)
    return eng, job_id, eng.run(job_id, echo=False)


@pytest.fixture(scope="session")
def example_plugin(tmp_path_factory) -> Path:
    """The folder where oq_example_plugin (tests/example_plugin) is installed, with its
    ``.dist-info`` (entry points); see :func:`with_example_plugin`."""
    site = tmp_path_factory.mktemp("example_plugin") / "site"
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
           "--no-index", "--disable-pip-version-check", "-q", "--target", str(site),
           str(EXAMPLE_PLUGIN_DIR)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail("could not install %s:\n%s\n%s" % (EXAMPLE_PLUGIN_DIR, proc.stdout,
                                                        proc.stderr))
    return site


def with_example_plugin(env: dict, site: Path) -> dict:
    """A copy of the environment ``env`` whose PYTHONPATH starts with ``site`` (the
    folder of the ``example_plugin`` fixture) and the repository."""
    out = dict(env)
    out["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)] + [
        p for p in [env.get("PYTHONPATH")] if p])
    return out


def oq_environment(tmp_path: Path) -> dict:
    """Environment for ``oq`` subprocesses: OQ_DATADIR = tmp_path/oqdata and an
    openquake.cfg of its own (tmp_path/openquake.cfg) putting the job database there."""
    datadir = tmp_path / "oqdata"
    cfg = tmp_path / "openquake.cfg"
    cfg.write_text("[dbserver]\nfile = %s\n" % (datadir / "db.sqlite3"))
    env = dict(os.environ)
    env.update(OQ_DATADIR=str(datadir), OQ_CONFIG_FILE=str(cfg),
               PYTHONPATH=os.pathsep.join([str(ROOT)] + [
                   p for p in [os.environ.get("PYTHONPATH")] if p]))
    env.pop("OQCORE_PLUGINS", None)
    env.pop("OQCORE_SETTINGS", None)
    return env


@pytest.fixture
def oq_env(tmp_path):
    """:func:`oq_environment` of the test's tmp_path."""
    return oq_environment(tmp_path)


def write_distribution(site: Path, dist: str, version: str, modules: dict[str, str],
                       entry_points: dict[str, str]) -> Path:
    """An installed distribution in the folder ``site`` (to put on sys.path): the
    modules {name: source} and a ``.dist-info`` declaring ``entry_points`` {name:
    module} in the ``oqcore`` group. Returns ``site``."""
    site.mkdir(parents=True, exist_ok=True)
    for name, source in modules.items():
        (site / ("%s.py" % name)).write_text(source)
    info = site / ("%s-%s.dist-info" % (dist.replace("-", "_"), version))
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (
        dist, version))
    (info / "entry_points.txt").write_text("[oqcore]\n" + "".join(
        "%s = %s\n" % item for item in entry_points.items()))
    return site
