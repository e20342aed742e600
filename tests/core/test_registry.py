"""The plugin registry: discovery of the built-ins (directly and through entry points),
duplicate keys, failed lookups, the hookspecs, and no import-time side effects."""
from __future__ import annotations

import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
import tomllib
import types

import pytest

import oqcore
from oqcore import builtin_plugins, hookimpl, hookspecs, load_registry
from oqcore.config import Settings
from oqcore.errors import DuplicatePlugin, UnknownPlugin
from oqcore.extract import ArrayWrapper
from oqcore.hazard.gsim.base import GMPE
from oqcore.params import ParamSpec
from oqcore.registry import CalculatorSpec, ExporterSpec, ExtractorSpec, Registry
from oqcore.validators import string
from tests.conftest import ROOT

BUILTIN_CALCULATORS = {"classical"}
BUILTIN_EXPORTERS = {("hcurves", "csv"), ("hcurves", "npz"), ("hmaps", "csv"),
                     ("hmaps", "npz"), ("uhs", "csv"), ("uhs", "npz"),
                     ("realizations", "csv"), ("fullreport", "rst")}
BUILTIN_EXTRACTORS = {"hcurves", "hmaps", "uhs", "oqparam", "realizations", "weights",
                      "sitecol", "gsims_by_trt"}


def plugin(name: str, **hooks) -> types.ModuleType:
    """A plugin module called ``name`` whose hook implementations are ``hooks``."""
    mod = types.ModuleType(name)
    for hook_name, func in hooks.items():
        setattr(mod, hook_name, hookimpl(func))
    return mod


class DummyCalculator:
    def __init__(self, ctx):
        self.ctx = ctx

    def run(self):
        pass


class DummyGMPE(GMPE):
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA"])


def _writer(dstore, kind, fmt, export_dir):
    return []


def _extractor(dstore, query, rest):
    return ArrayWrapper()


def calculator_plugin(name, mode="dummy"):
    def oq_register_calculators(registry):
        registry.add_calculator(CalculatorSpec(mode, DummyCalculator, "dummy"))
    return plugin(name, oq_register_calculators=oq_register_calculators)


def exporter_plugin(name, kind="dummy", fmt="csv"):
    def oq_register_exporters(registry):
        registry.add_exporter(ExporterSpec(kind, fmt, _writer, "Dummy"))
    return plugin(name, oq_register_exporters=oq_register_exporters)


def extractor_plugin(name, spec="dummy"):
    def oq_register_extractors(registry):
        registry.add_extractor(ExtractorSpec(spec, _extractor))
    return plugin(name, oq_register_extractors=oq_register_extractors)


def gsim_plugin(name, gsim="DummyGMPE"):
    def oq_register_gsims(registry):
        registry.add_gsim(gsim, DummyGMPE)
    return plugin(name, oq_register_gsims=oq_register_gsims)


def param_plugin(name, param="dummy_param"):
    def oq_register_params(registry):
        registry.add_param(ParamSpec(param, string, "", "DUMMY", "a dummy"))
    return plugin(name, oq_register_params=oq_register_params)


# ------------------------------------------------------------------ discovery
def check_builtins(reg: Registry) -> None:
    assert BUILTIN_CALCULATORS <= set(reg.calculators())
    assert BUILTIN_EXPORTERS <= set(reg.exporters())
    assert BUILTIN_EXTRACTORS <= set(reg.extractors())
    gsims = reg.gsims()
    assert {"SadighEtAl1997", "BooreAtkinson2008", "ChiouYoungs2014"} <= set(gsims)
    assert all(issubclass(cls, GMPE) for cls in gsims.values())
    assert list(gsims) == sorted(gsims)
    assert {"calculation_mode", "maximum_distance", "sites"} <= set(reg.params())
    fmts = reg.export_formats("hcurves")
    assert fmts[0] == "csv" and "npz" in fmts  # csv first, then xml if any, then others


def test_builtins_without_entry_points():
    reg = load_registry(entry_points=False)
    check_builtins(reg)
    assert reg.owner("calculator", "classical") == "oqplugins.calculators.classical"
    assert reg.owner("gsim", "SadighEtAl1997") == "oqcore.hazard.gsim.library"


def test_builtins_through_entry_points():
    reg = load_registry(builtins=False)
    check_builtins(reg)
    assert reg.owner("calculator", "classical") == "classical (from oqcore)"


def test_nothing_without_entry_points_and_builtins():
    reg = load_registry(entry_points=False, builtins=False)
    assert reg.calculators() == {} and reg.exporters() == {} and reg.params() == {}


def test_builtins_are_declared_as_entry_points():
    with open(ROOT / "pyproject.toml", "rb") as f:
        declared = tomllib.load(f)["project"]["entry-points"]["oqcore"]
    assert sorted(declared.values()) == sorted(builtin_plugins.MODULES)
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="oqcore")
                 if ep.dist is not None and ep.dist.name == "oqcore"}
    assert installed == declared


def test_fresh_registry_each_time():
    a = load_registry(entry_points=False)
    b = load_registry(entry_points=False)
    assert a is not b and a.pm is not b.pm
    assert a.calculator("classical") == b.calculator("classical")  # frozen attrs specs


def test_registry_entries_are_frozen():
    import attrs
    spec = load_registry(entry_points=False).calculator("classical")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        spec.mode = "other"


def test_extra_plugin_module_is_added():
    reg = load_registry(plugins=[calculator_plugin("my_plugin")], entry_points=False)
    assert reg.calculator("dummy").factory is DummyCalculator
    assert reg.owner("calculator", "dummy") == "my_plugin"
    assert "classical" in reg.calculators()


def test_every_registrar_fires_once():
    calls = []

    def make(hook):
        def impl(registry):
            assert isinstance(registry, Registry)
            calls.append(hook)
        impl.__name__ = hook
        return impl
    hooks = ["oq_register_params", "oq_register_gsims", "oq_register_calculators",
             "oq_register_exporters", "oq_register_extractors"]
    load_registry(plugins=[plugin("rec", **{h: make(h) for h in hooks})], entry_points=False,
                  builtins=False)
    assert sorted(calls) == sorted(hooks)


def test_builtin_hookimpls_match_hookspecs():
    reg = load_registry(entry_points=False)
    reg.pm.check_pending()  # raises if a hookimpl has no hookspec


# ------------------------------------------------------------------ conflicts
@pytest.mark.parametrize("factory, table", [
    (calculator_plugin, "calculator"), (exporter_plugin, "exporter"),
    (extractor_plugin, "extractor"), (gsim_plugin, "gsim"), (param_plugin, "param")])
def test_duplicate_names_both_plugins(factory, table):
    a, b = factory("plugin_alpha"), factory("plugin_beta")
    with pytest.raises(DuplicatePlugin) as info:
        load_registry(plugins=[a, b], entry_points=False, builtins=False)
    msg = str(info.value)
    assert "plugin_alpha" in msg and "plugin_beta" in msg and table in msg, msg


@pytest.mark.parametrize("make, key", [
    (lambda: calculator_plugin("intruder", "classical"), "classical"),
    (lambda: exporter_plugin("intruder", "hcurves", "csv"), "hcurves"),
    (lambda: extractor_plugin("intruder", "hcurves"), "hcurves"),
    (lambda: gsim_plugin("intruder", "SadighEtAl1997"), "SadighEtAl1997"),
    (lambda: param_plugin("intruder", "maximum_distance"), "maximum_distance")])
def test_duplicate_of_a_builtin_names_both(make, key):
    with pytest.raises(DuplicatePlugin) as info:
        load_registry(plugins=[make()], entry_points=False)
    msg = str(info.value)
    assert "intruder" in msg and "oq" in msg.replace("intruder", "") and key in msg, msg


def test_duplicate_of_an_entry_point_plugin_names_its_distribution():
    with pytest.raises(DuplicatePlugin) as info:
        load_registry(plugins=[calculator_plugin("intruder", "classical")])
    msg = str(info.value)
    assert "classical (from oqcore)" in msg and "intruder" in msg, msg


def test_same_format_of_another_kind_is_no_conflict():
    reg = load_registry(plugins=[exporter_plugin("a", "dummy", "csv"),
                                 exporter_plugin("b", "dummy", "xml")],
                        entry_points=False, builtins=False)
    assert reg.export_formats("dummy") == ["csv", "xml"]


# ------------------------------------------------------------------ lookups
@pytest.fixture
def builtins_registry():
    return load_registry(entry_points=False)


@pytest.mark.parametrize("lookup, present", [
    (lambda r: r.calculator("clasical"), "classical"),
    (lambda r: r.exporter("hcurves", "xlsx"), "hcurves/csv"),
    (lambda r: r.extractor("hcurvez"), "hcurves"),
    (lambda r: r.gsim("Sadigh1997"), "SadighEtAl1997"),
    (lambda r: r.param("maximum_distanse"), "maximum_distance")])
def test_unknown_lookup_lists_what_exists(builtins_registry, lookup, present):
    with pytest.raises(UnknownPlugin) as info:
        lookup(builtins_registry)
    exc = info.value
    assert isinstance(exc, KeyError)
    assert present in exc.available
    assert present in str(exc) and "available" in str(exc)


def test_unknown_lookup_in_an_empty_registry():
    reg = load_registry(entry_points=False, builtins=False)
    with pytest.raises(UnknownPlugin, match=r"Unknown calculation_mode 'classical'; "
                                            r"available: \(none\)"):
        reg.calculator("classical")


# ------------------------------------------------------------------ hookspecs
def hookspec_functions() -> dict:
    return {name: obj for name, obj in vars(hookspecs).items()
            if callable(obj) and hasattr(obj, "oqcore_spec")}


def test_the_hookspecs():
    assert set(hookspec_functions()) == {
        "oq_register_calculators", "oq_register_exporters", "oq_register_extractors",
        "oq_register_params", "oq_register_gsims", "oq_select_executor",
        "oq_job_status_changed"}


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_hookspec_is_documented(name):
    func = hookspec_functions()[name]
    doc = inspect.getdoc(func)
    assert doc and doc.splitlines()[0].strip(), name
    for arg in inspect.signature(func).parameters:
        assert ":param %s:" % arg in doc, (name, arg)
    if func.oqcore_spec.get("firstresult"):
        assert ":returns:" in doc, name
    assert "fires" in doc.lower() or doc.startswith("Event"), name
    assert name.startswith("oq_")
    if name.startswith("oq_register_"):
        assert list(inspect.signature(func).parameters) == ["registry"]
        assert name.endswith("s")  # register_<plural>


def test_module_docstrings_for_plugin_authors():
    assert "hookimpl" in (hookspecs.__doc__ or "")
    assert oqcore.hookimpl.project_name == "oqcore"


def test_select_executor_first_result_wins():
    class MyExecutor:
        num_workers = 1

        def map(self, func, args):
            return (func(*a) for a in args)

        def shutdown(self):
            pass

    mine = MyExecutor()
    settings = Settings(datadir="/nonexistent", db_file="/nonexistent/db.sqlite3",
                        oq_distribute="processpool", num_cores=4)
    reg = load_registry(plugins=[plugin("exe", oq_select_executor=lambda settings: mine)],
                        entry_points=False)
    assert reg.select_executor(settings) is mine
    # a plugin answering None leaves the choice to the built-in
    reg = load_registry(plugins=[plugin("none", oq_select_executor=lambda settings: None)],
                        entry_points=False)
    from oqcore.parallel import InProcessExecutor
    ex = reg.select_executor(Settings(datadir="/x", db_file="/x/db", oq_distribute="no"))
    assert isinstance(ex, InProcessExecutor)
    assert list(ex.map(pow, [(2, 3), (3, 2)])) == [8, 9]


def test_job_status_changed_event(tmp_path):
    events = []
    reg = load_registry(plugins=[plugin(
        "listener", oq_job_status_changed=lambda job, old, new: events.append(
            (job["id"], old, new)))], entry_points=False, builtins=False)
    reg.job_status_changed(job={"id": 7}, old="created", new="submitted")
    assert events == [(7, "created", "submitted")]
    from oqcore.jobs.db import JobDB
    db = JobDB(str(tmp_path / "db.sqlite3"))
    jid = db.create_job("d", "u", "classical")
    db.set_status(jid, "submitted", reg)
    db.set_status(jid, "submitted", reg)  # no change: no event
    assert events[1:] == [(jid, "created", "submitted")]


def test_failing_status_listener_does_not_break_the_job(tmp_path):
    def boom(job, old, new):
        raise RuntimeError("listener failed")
    reg = load_registry(plugins=[plugin("boom", oq_job_status_changed=boom)],
                        entry_points=False, builtins=False)
    from oqcore.jobs.db import JobDB
    db = JobDB(str(tmp_path / "db.sqlite3"))
    jid = db.create_job("d", "u", "classical")
    assert db.set_status(jid, "complete", reg) == "created"
    assert db.get_job(jid)["status"] == "complete"


# ------------------------------------------------------ no import-time side effects
IMPORT_PROBE = r"""
import builtins, dis, gc, importlib.util, json, os, sqlite3, sys, threading
TOPS = sys.argv[1:]
ROOTS = tuple(os.path.join(p, "") for top in TOPS
              for p in importlib.util.find_spec(top).submodule_search_locations)
events = []
current = [None]

def _caller_in_project():
    # the innermost frame of a project module, unless it is importing something (what a
    # third-party library does while being imported is not ours) or numba is in between
    # (@njit(cache=True) probes its cache folder and reads the source when decorating)
    f = sys._getframe(2)
    while f is not None:
        if os.sep + "numba" + os.sep in f.f_code.co_filename:
            return None
        if f.f_code.co_filename.startswith(ROOTS):
            op = dis.opname[f.f_code.co_code[f.f_lasti]] if f.f_lasti >= 0 else ""
            if op in ("IMPORT_NAME", "IMPORT_FROM", "IMPORT_STAR"):
                return None
            return "%s:%d" % (f.f_code.co_filename, f.f_lineno)
        f = f.f_back
    return None

def spy(kind, real):
    def wrapper(*args, **kwargs):
        where = _caller_in_project()
        if where:
            events.append([kind, current[0], where, repr(args[:1])])
        return real(*args, **kwargs)
    return wrapper

builtins.open = spy("open", builtins.open)
os.open = spy("os.open", os.open)
sqlite3.connect = spy("sqlite3.connect", sqlite3.connect)
import h5py, pluggy, bottle
h5py.File.__init__ = spy("h5py.File", h5py.File.__init__)
pluggy.PluginManager.__init__ = spy("PluginManager", pluggy.PluginManager.__init__)
bottle.Bottle.__init__ = spy("Bottle", bottle.Bottle.__init__)

def fds():
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            out[fd] = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            pass
    return out

before = fds()
threads_before = threading.active_count()
import importlib, pkgutil
names = []
for top in TOPS:
    current[0] = top
    pkg = importlib.import_module(top)
    names.append(top)
    for info in pkgutil.walk_packages(pkg.__path__, top + "."):
        current[0] = info.name
        importlib.import_module(info.name)
        names.append(info.name)
gc.collect()
from oqcore.registry import Registry
leaked = {fd: p for fd, p in fds().items() if fd not in before and not p.startswith(
    ("pipe:", "anon_inode:", "socket:", "/dev/"))}
print(json.dumps({
    "modules": names, "events": events, "open_fds": leaked,
    "registries": sum(isinstance(o, Registry) for o in gc.get_objects()),
    "plugin_managers": sum(isinstance(o, pluggy.PluginManager) for o in gc.get_objects()),
    "apps": sum(isinstance(o, bottle.Bottle) for o in gc.get_objects()),
    "threads": threading.active_count() - threads_before,
}))
"""


@pytest.fixture(scope="module")
def import_probe(tmp_path_factory):
    """Import every module of oqcore, oqplugins and oqhttp in a fresh interpreter whose
    working directory, HOME and OQ_DATADIR are empty folders; report what happened."""
    tmp = tmp_path_factory.mktemp("imports")
    return run_import_probe(tmp, ["oqcore", "oqplugins", "oqhttp"], str(ROOT))


def run_import_probe(tmp, packages, pythonpath):
    """Run IMPORT_PROBE on ``packages`` in ``tmp``/cwd (HOME ``tmp``/home, OQ_DATADIR
    ``tmp``/oqdata); return its report plus ``created``: the new paths under ``tmp``."""
    home, cwd = tmp / "home", tmp / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = dict(os.environ, HOME=str(home), OQ_DATADIR=str(tmp / "oqdata"),
               PYTHONPATH=pythonpath, PYTHONDONTWRITEBYTECODE="1")
    env.pop("OQ_CONFIG_FILE", None)
    existing = set(tmp.rglob("*"))
    proc = subprocess.run([sys.executable, "-c", IMPORT_PROBE] + packages, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["created"] = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*")
                               if p not in existing)
    return report


def test_import_probe_sees_side_effects(tmp_path):
    """The probe itself: a package with import-time side effects is caught."""
    pkg = tmp_path / "src" / "sidefx"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text(
        "import os, threading, time, pluggy\n"
        "PM = pluggy.PluginManager('sidefx')\n"
        "LOG = open(os.path.join(os.environ['OQ_DATADIR'] + '.log'), 'w')\n"
        "threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n")
    report = run_import_probe(tmp_path, ["sidefx"], str(tmp_path / "src"))
    assert report["modules"] == ["sidefx", "sidefx.bad"]
    assert [e[:2] for e in report["events"]] == [["PluginManager", "sidefx.bad"],
                                                ["open", "sidefx.bad"]]
    assert report["plugin_managers"] == 1
    assert list(report["open_fds"].values()) == [str(tmp_path / "oqdata.log")]
    assert report["created"] == ["oqdata.log"]
    assert report["threads"] == 1


def test_import_probe_covers_the_packages(import_probe):
    mods = import_probe["modules"]
    for name in ("oqcore.registry", "oqcore.cli", "oqcore.jobs.runner", "oqcore.datastore",
                 "oqplugins.calculators.classical", "oqhttp.app"):
        assert name in mods


def test_import_builds_no_registry_or_app(import_probe):
    kinds = [e for e in import_probe["events"] if e[0] in ("PluginManager", "Bottle")]
    assert kinds == []
    assert import_probe["registries"] == 0
    assert import_probe["plugin_managers"] == 0
    assert import_probe["apps"] == 0


def test_import_opens_and_creates_no_files(import_probe):
    files = [e for e in import_probe["events"] if e[0] not in ("PluginManager", "Bottle")]
    assert files == []
    assert import_probe["open_fds"] == {}
    assert import_probe["created"] == []


def test_import_starts_no_threads(import_probe):
    assert import_probe["threads"] == 0
