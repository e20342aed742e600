"""Fixtures shared by the whole suite.

- ``example_plugin``: the third-party distribution in tests/example_plugin, installed
  into the running interpreter (``pip install --no-deps --no-build-isolation``) when it
  is not importable yet, so that ``load_registry()`` finds it through entry points
  alone. It is never uninstalled.
- ``oq_env``: the environment of an ``oq`` subprocess with its own data directory.
"""
from __future__ import annotations

import importlib
import importlib.util
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


def _installed_is_current() -> bool:
    """True if the importable oq_example_plugin has the files of tests/example_plugin."""
    spec = importlib.util.find_spec(EXAMPLE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return False
    installed = Path(list(spec.submodule_search_locations)[0])
    source = EXAMPLE_PLUGIN_DIR / "src" / EXAMPLE_PACKAGE
    for path in source.glob("*.py"):
        other = installed / path.name
        if not other.exists() or other.read_bytes() != path.read_bytes():
            return False
    return True


@pytest.fixture(scope="session")
def example_plugin():
    """The oq_example_plugin package, installed (once) from tests/example_plugin."""
    importlib.invalidate_caches()
    if not _installed_is_current():
        cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
               "--no-index", "--disable-pip-version-check", "-q", str(EXAMPLE_PLUGIN_DIR)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            pytest.fail("could not install %s:\n%s\n%s" % (EXAMPLE_PLUGIN_DIR, proc.stdout,
                                                            proc.stderr))
        for name in [m for m in sys.modules if m.split(".")[0] == EXAMPLE_PACKAGE]:
            del sys.modules[name]
        importlib.invalidate_caches()
    return importlib.import_module(EXAMPLE_PACKAGE)


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
