"""Loading plugins: hooks called through pluggy (wrappers, tryfirst), misspelt hooks,
broken third-party entry points reported and left out, OQCORE_DISABLE_PLUGINS and
OQCORE_DISABLE_PLUGIN_AUTOLOAD, ``oq plugins`` and GET /v1/plugins."""
from __future__ import annotations

import io
import json
import logging
import os
import sys
import types

import pytest

from oqcore import hookimpl, load_registry
from oqcore.errors import DuplicatePlugin, PluginError
from oqcore.registry import CalculatorSpec, ExtractorSpec
from tests.conftest import run_oq, write_distribution

GOOD = '''
from oqcore import hookimpl
from oqcore.registry import CalculatorSpec


class GoodCalculator:
    def __init__(self, job):
        self.job = job

    def run(self):
        pass


SEEN = []


@hookimpl(wrapper=True)
def oq_register_calculators(registry):
    SEEN.append("classical" in registry.calculators())
    yield
    SEEN.append("classical" in registry.calculators())
    registry.add_calculator(CalculatorSpec("good_mode", GoodCalculator, "good"))
'''
IMPORT_ERROR = "raise ImportError('oqfake_importerr needs libfoo')\n"
MISSPELT = '''
from oqcore import hookimpl


@hookimpl
def oq_register_calculator(registry):
    pass
'''
RAISES = '''
from oqcore import hookimpl
from oqcore.registry import CalculatorSpec


@hookimpl
def oq_register_calculators(registry):
    registry.add_calculator(CalculatorSpec("raiser_mode", object, "half-done"))
    raise RuntimeError("raiser exploded")
'''
BAD_SIGNATURE = '''
from oqcore import hookimpl


@hookimpl
def oq_register_gsims(registry, extra):
    pass
'''


@pytest.fixture
def fake_site(tmp_path, monkeypatch):
    """Five third-party distributions on sys.path: one good, four broken."""
    site = tmp_path / "site"
    write_distribution(site, "oq-good", "1.2", {"oqfake_good": GOOD}, {"good": "oqfake_good"})
    write_distribution(site, "oq-importerr", "0.1", {"oqfake_importerr": IMPORT_ERROR},
                       {"importerr": "oqfake_importerr"})
    write_distribution(site, "oq-misspelt", "0.2", {"oqfake_misspelt": MISSPELT},
                       {"misspelt": "oqfake_misspelt"})
    write_distribution(site, "oq-raises", "0.3", {"oqfake_raises": RAISES},
                       {"raises": "oqfake_raises"})
    write_distribution(site, "oq-badsig", "0.4", {"oqfake_badsig": BAD_SIGNATURE},
                       {"badsig": "oqfake_badsig"})
    monkeypatch.syspath_prepend(str(site))
    yield site
    for name in [m for m in sys.modules if m.startswith("oqfake_")]:
        del sys.modules[name]


def by_name(reg) -> dict:
    return {info.name: info for info in reg.plugins()}


# ---------------------------------------------------------- broken entry points
def test_broken_entry_points_are_reported_and_left_out(fake_site, caplog):
    with caplog.at_level(logging.WARNING, logger="oqcore.registry"):
        reg = load_registry(environ={})
    assert {"classical", "good_mode"} <= set(reg.calculators())
    assert "raiser_mode" not in reg.calculators()  # its half-done registration is undone
    infos = by_name(reg)
    good = infos["good"]
    assert (good.status, good.distribution, good.version) == ("loaded", "oq-good", "1.2")
    assert good.registered == {"calculators": ["good_mode"]}
    assert good.hooks == ["oq_register_calculators"]
    assert reg.owner("calculator", "good_mode") == "good (from oq-good)"
    expected = {"importerr": ("oq-importerr", "ImportError: oqfake_importerr needs libfoo"),
                "misspelt": ("oq-misspelt", "oq_register_calculator"),
                "raises": ("oq-raises", "RuntimeError: raiser exploded"),
                "badsig": ("oq-badsig", "extra")}
    for name, (dist, error) in expected.items():
        info = infos[name]
        assert info.status == "broken" and info.distribution == dist, info
        assert error in info.error, info.error
        assert info.registered == {} and info.hooks == []
        warned = [r.getMessage() for r in caplog.records if "%s (from %s)" % (
            name, dist) in r.getMessage()]
        assert len(warned) == 1 and error in warned[0], warned
    assert infos["classical"].status == "loaded"
    assert infos["classical"].registered == {"calculators": ["classical"]}


def test_a_wrapper_registrar_wraps_the_others(fake_site):
    import oqfake_good
    oqfake_good.SEEN.clear()
    load_registry(environ={})
    # before its yield the built-in registrars have not run, after it they have (the
    # hook fires again when the tables are rebuilt without a broken plugin)
    assert oqfake_good.SEEN[-2:] == [False, True]


def test_disabled_by_name(fake_site):
    reg = load_registry(environ={"OQCORE_DISABLE_PLUGINS": "good, importerr"})
    assert "good_mode" not in reg.calculators()
    infos = by_name(reg)
    for name in ("good", "importerr"):
        assert infos[name].status == "disabled"
        assert "OQCORE_DISABLE_PLUGINS" in infos[name].error
    assert infos["raises"].status == "broken"
    # a built-in can be disabled too
    reg = load_registry(environ={"OQCORE_DISABLE_PLUGINS": "classical"})
    assert "classical" not in reg.calculators()


@pytest.mark.parametrize("value", ["1", "yes", "true"])
def test_autoload_disabled_keeps_the_builtins(fake_site, value):
    reg = load_registry(environ={"OQCORE_DISABLE_PLUGIN_AUTOLOAD": value})
    assert "classical" in reg.calculators() and "good_mode" not in reg.calculators()
    assert reg.owner("calculator", "classical") == "classical (from oqcore)"
    infos = by_name(reg)
    for name in ("good", "importerr", "misspelt", "raises", "badsig"):
        assert infos[name].status == "disabled", infos[name]
        assert "OQCORE_DISABLE_PLUGIN_AUTOLOAD" in infos[name].error
    assert "oqfake_importerr" not in sys.modules


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_autoload_flag_off(fake_site, value):
    reg = load_registry(environ={"OQCORE_DISABLE_PLUGIN_AUTOLOAD": value})
    assert "good_mode" in reg.calculators()


def test_the_environment_is_read_by_default(fake_site, monkeypatch):
    monkeypatch.setenv("OQCORE_DISABLE_PLUGINS", "good")
    assert "good_mode" not in load_registry().calculators()


# ---------------------------------------------------------- explicit plugins fail
def module(name: str, **hooks) -> types.ModuleType:
    mod = types.ModuleType(name)
    for hook_name, func in hooks.items():
        setattr(mod, hook_name, func)
    return mod


def test_misspelt_hook_of_an_explicit_plugin_is_an_error():
    @hookimpl
    def oq_register_calculator(registry):
        pass
    with pytest.raises(PluginError) as info:
        load_registry(plugins=[module("typo_plugin",
                                      oq_register_calculator=oq_register_calculator)],
                      entry_points=False)
    msg = str(info.value)
    assert "typo_plugin" in msg and "oq_register_calculator" in msg, msg
    assert "oq_register_calculators" in msg  # the list of the real hooks


def test_failing_registrar_of_an_explicit_plugin_is_an_error():
    @hookimpl
    def oq_register_extractors(registry):
        raise ValueError("no way")
    with pytest.raises(PluginError, match=r"plugin failing_plugin: .*ValueError: no way"):
        load_registry(plugins=[module("failing_plugin",
                                      oq_register_extractors=oq_register_extractors)],
                      entry_points=False)


def test_duplicate_inside_a_wrapper_names_both():
    @hookimpl(wrapper=True)
    def oq_register_calculators(registry):
        yield
        registry.add_calculator(CalculatorSpec("classical", object))
    with pytest.raises(DuplicatePlugin, match="wrapping_plugin"):
        load_registry(plugins=[module("wrapping_plugin",
                                      oq_register_calculators=oq_register_calculators)],
                      entry_points=False)


def test_old_style_hookwrapper_and_tryfirst_run():
    order = []

    @hookimpl(hookwrapper=True)
    def oq_register_extractors(registry):
        order.append("old wrapper before")
        outcome = yield
        outcome.get_result()
        order.append("old wrapper after")
        registry.add_extractor(ExtractorSpec("late_spec", lambda *a: None))

    @hookimpl(tryfirst=True)
    def first(registry):
        order.append("first, hcurves=%s" % ("hcurves" in registry.extractors()))
    first.__name__ = "oq_register_extractors"
    reg = load_registry(plugins=[module("old", oq_register_extractors=oq_register_extractors),
                                 module("early", oq_register_extractors=first)],
                        entry_points=False)
    assert order == ["old wrapper before", "first, hcurves=False", "old wrapper after"]
    assert reg.owner("extractor", "late_spec") == "old"
    assert reg.owner("extractor", "hcurves") == "oqplugins.extractors.hazard"


def test_the_executor_must_follow_the_protocol():
    @hookimpl(tryfirst=True)
    def oq_select_executor(settings):
        return object()
    from oqcore.config import Settings
    reg = load_registry(plugins=[module("exe", oq_select_executor=oq_select_executor)],
                        entry_points=False)
    with pytest.raises(PluginError, match="not an Executor"):
        reg.select_executor(Settings(datadir="/x", db_file="/x/db", oq_distribute="no"))


# ---------------------------------------------------------- oq plugins, /v1/plugins
def test_oq_plugins_lists_broken_plugins_and_oq_still_works(fake_site, oq_env):
    oq_env["PYTHONPATH"] = os.pathsep.join([str(fake_site), oq_env["PYTHONPATH"]])
    oq_env.pop("OQCORE_DISABLE_PLUGINS", None)
    oq_env.pop("OQCORE_DISABLE_PLUGIN_AUTOLOAD", None)
    run = run_oq(["plugins"], oq_env)
    assert run.returncode == 0, run.stderr
    assert "good [loaded] oqfake_good oq-good 1.2" in run.stdout
    assert "    calculators: good_mode" in run.stdout
    assert "importerr [broken]" in run.stdout
    assert "ImportError: oqfake_importerr needs libfoo" in run.stdout
    assert "classical [loaded]" in run.stdout
    # the warning goes to stderr, naming plugin, distribution and error
    assert "raises (from oq-raises)" in run.stderr and "raiser exploded" in run.stderr
    listing = json.loads(run_oq(["plugins", "--json"], oq_env).stdout)
    assert {p["name"]: p["status"] for p in listing}["misspelt"] == "broken"
    # another command still runs
    lhc = run_oq(["engine", "--lhc"], oq_env)
    assert lhc.returncode == 0, lhc.stderr


def wsgi_get(app, path: str) -> tuple[str, bytes]:
    """Status and body of GET ``path`` on the WSGI ``app``."""
    from wsgiref.util import setup_testing_defaults
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    status = []
    body = b"".join(app(environ, lambda s, h, exc=None: status.append(s)))
    return status[0], body


def test_get_v1_plugins(fake_site, tmp_path):
    from oqcore.config import Settings
    from oqhttp.app import create_app
    settings = Settings.load(datadir=str(tmp_path / "data"),
                             db_file=str(tmp_path / "db.sqlite3"))
    app = create_app(load_registry(environ={}), settings)
    try:
        status, body = wsgi_get(app, "/v1/plugins")
    finally:
        app.close()
    assert status.startswith("200")
    plugins = {p["name"]: p for p in json.loads(body)}
    assert plugins["good"]["registered"] == {"calculators": ["good_mode"]}
    assert plugins["good"]["version"] == "1.2"
    assert plugins["raises"]["status"] == "broken"
    assert "raiser exploded" in plugins["raises"]["error"]
    assert plugins["executors"]["hooks"] == ["oq_select_executor"]
    assert plugins["hazard_csv"]["distribution"] == "oqcore"


def test_optional_hook_without_hookspec_is_accepted():
    @hookimpl(optionalhook=True)
    def oq_register_widgets(registry):
        pass
    reg = load_registry(plugins=[module("optional", oq_register_widgets=oq_register_widgets)],
                        entry_points=False, builtins=False)
    assert by_name(reg)["optional"].status == "loaded"


def test_no_executor_plugin_runs_tasks_in_process():
    from oqcore.config import Settings
    from oqcore.parallel import InProcessExecutor
    reg = load_registry(entry_points=False, builtins=False)
    executor = reg.select_executor(Settings(datadir="/x", db_file="/x/db"))
    assert isinstance(executor, InProcessExecutor)
