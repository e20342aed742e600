"""The ``oq`` command: ``oq engine ...``, ``oq extract``, ``oq plot``, ``oq shell``,
``oq info``, ``oq show``, ``oq abort``, ``oq purge``, ``oq reset``, ``oq db``,
``oq gsim-check``, ``oq plugins``, ``oq server``, ``oq user``.

Only what a command needs is imported: ``oq --version`` and ``oq engine --lhc`` never
load the plugins (nor numba, scipy or the hazard library)."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from oqcore.errors import InvalidInput, NotFound, OqcoreError, UnknownPlugin


def _engine(args=None):
    from oqcore.jobs.runner import Engine
    eng = Engine()
    eng.recover()
    return eng


def _parse_overrides(items) -> dict:
    """The ``-p`` overrides: each item ``NAME=VALUE`` or, as OpenQuake writes them,
    ``NAME1=VALUE1,NAME2=VALUE2`` (a comma piece without ``=`` continues the value
    before it, so that values with commas survive)."""
    out = {}
    for item in items or []:
        pieces = []
        for piece in item.split(","):
            if "=" in piece or not pieces:
                pieces.append(piece)
            else:
                pieces[-1] += "," + piece
        for pair in pieces:
            if "=" not in pair or not pair.split("=", 1)[0].strip():
                raise InvalidInput("-p expects name=value, got %r" % pair,
                                   fname="the command line")
            k, v = pair.split("=", 1)
            out[k.strip()] = v.strip()
    return out


#: the export formats of ``--eo``/``--eos`` when ``--exports`` is not given, in order of
#: priority (OpenQuake's default)
DEFAULT_EXPORTS = "csv,xml,rst"


def _formats(exports: str | None, default: str = "") -> list[str]:
    return [f.strip() for f in (exports or default).split(",") if f.strip()]


def export_outputs(eng, job_id: int, formats: list[str], export_dir: str) -> list[str]:
    """Export every output of a job in the given formats; return the files."""
    from oqcore.export import export
    files = []
    dstore = eng.open_datastore(job_id)
    try:
        for out in eng.db.get_outputs(job_id):
            for fmt in formats:
                try:
                    eng.registry.exporter(out["ds_key"], fmt)
                except UnknownPlugin:
                    continue
                files.extend(export(eng.registry, dstore, out["ds_key"], fmt, export_dir))
    finally:
        dstore.close()
    return files


def export_first_format(eng, job_id: int, ds_key: str, formats: list[str],
                        export_dir: str) -> list[str]:
    """Export output ``ds_key`` of a job in the first of ``formats`` it has an exporter
    for (``oq engine --eo/--eos``); an empty list when it has none of them."""
    from oqcore.export import export
    available = set(eng.registry.export_formats(ds_key))
    for fmt in formats:
        if fmt in available:
            with eng.open_datastore(job_id) as dstore:
                return export(eng.registry, dstore, ds_key, fmt, export_dir)
    return []


def _int_arg(value: str, option: str, what: str) -> int:
    """An integer argument of ``option``, or InvalidInput saying it expects ``what``."""
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("%s expects %s, got %r" % (option, what, value),
                           fname="the command line") from None


def _print_log(eng, job_id: int) -> None:
    """Print the log records of a job (``oq engine --sl``, ``oq db get_log``)."""
    for rec in eng.db.get_logs(job_id):
        print("[%s #%d %s] %s" % (rec["timestamp"], job_id, rec["level"].upper(),
                                 rec["message"]))


def _is_risk(calculation_mode: str) -> bool:
    """Risk calculations as ``oq engine --lrc`` lists them (OpenQuake's rule)."""
    return calculation_mode.endswith(("risk", "bcr", "damage"))


def _run_jobs(eng, args) -> int:
    """``oq engine --run INI [INI ...]``: the jobs one after the other; without ``--hc``
    and ``--multi`` every job after the first takes the first as its hazard."""
    from oqcore.jobs.logs import echo_level_number
    overrides = _parse_overrides(args.param)
    echo_level_number(args.log_level)  # a bad level fails before any job is created
    if not args.quiet:  # the job log repeats the job.ini warnings: print them once
        logging.getLogger("oqcore.params").setLevel(logging.ERROR)
    log_file = open(args.log_file, "a") if args.log_file else None
    try:
        first = None
        for ini in args.run:
            hc = args.hc
            if hc is None and first is not None and not args.multi:
                hc = first
            job_id = eng.create_job(ini, overrides=overrides, hc_id=hc)
            status = eng.run(job_id, echo=not args.quiet, echo_level=args.log_level,
                             log_file=log_file)
            logging.getLogger("oqcore.params").setLevel(logging.ERROR)  # said already
            job = eng.db.get_job(job_id)
            if status != "complete":
                print("Calculation %d %s: %s" % (job_id, status, job["reason"]),
                      file=sys.stderr)
                return 1
            first = job_id if first is None else first
            if args.exports:
                export_dir = os.path.abspath(args.export_dir or _job_export_dir(ini, eng))
                for f in export_outputs(eng, job_id, _formats(args.exports), export_dir):
                    print(f)
            else:
                _print_outputs(eng, job_id)
    finally:
        if log_file is not None:
            log_file.close()
    return 0


def _delete_uncompleted(eng) -> int:
    """``oq engine --duc``: remove the failed and aborted calculations (the running and
    queued ones are left alone)."""
    from oqcore.jobs.db import ACTIVE
    removed = 0
    for job in eng.db.list_jobs(order_dir="ASC"):
        if job["status"] != "complete" and job["status"] not in ACTIVE:
            eng.delete(job["id"])
            removed += 1
    print("Removed %d uncompleted calculation(s)" % removed)
    return 0


def cmd_engine(args) -> int:
    """``oq engine``."""
    if args.no_distribute:
        os.environ["OQ_DISTRIBUTE"] = "no"
    if args.db_version or args.upgrade_db or args.what_if_I_upgrade:
        return _db_version(args)
    if args.list_hazard_calculations or args.list_risk_calculations:
        return _list_calculations("risk" if args.list_risk_calculations else "hazard")
    eng = _engine()
    if args.run:
        return _run_jobs(eng, args)
    if args.list_outputs is not None:
        job_id = eng.db.resolve_id(args.list_outputs)
        eng.db.get_job(job_id)
        _print_outputs(eng, job_id)
        return 0
    if args.show_log is not None:
        job_id = eng.db.resolve_id(args.show_log)
        eng.db.get_job(job_id)
        _print_log(eng, job_id)
        return 0
    if args.export_output:
        output_id, target = args.export_output
        out = eng.db.get_output(_int_arg(output_id, "--eo", "an output ID (see --lo)"))
        files = export_first_format(eng, out["oq_job_id"], out["ds_key"], _formats(
            args.exports, DEFAULT_EXPORTS), os.path.expanduser(target))
        if not files:
            print("Output %s has no exporter for %s" % (output_id, args.exports
                                                        or DEFAULT_EXPORTS))
        for f in files:
            print(f)
        return 0
    if args.export_outputs:
        calc_id, target = args.export_outputs
        job_id = eng.db.resolve_id(_int_arg(calc_id, "--eos", "a calculation ID"))
        outputs = eng.db.get_outputs(job_id)
        if not outputs:
            print("Found nothing to export for job %d" % job_id)
        for out in outputs:
            print("Exporting %s..." % out["ds_key"])
            for f in export_first_format(eng, job_id, out["ds_key"], _formats(
                    args.exports, DEFAULT_EXPORTS), os.path.expanduser(target)):
                print(f)
        return 0
    if args.delete_uncompleted_calculations:
        return _delete_uncompleted(eng)
    if args.delete_calculation is not None:
        job_id = eng.db.resolve_id(args.delete_calculation)
        eng.delete(job_id)
        print("Removed calculation %d" % job_id)
        return 0
    print("nothing to do: see oq engine --help", file=sys.stderr)
    return 2


def cmd_compile(args) -> int:
    """``oq compile``: fill numba's cache by running a tiny calculation."""
    from oqcore.warmup import compile_kernels
    try:
        seconds = compile_kernels()
    except RuntimeError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    print("numba kernels compiled and cached in %.1f s" % seconds)
    return 0


def _db_version(args) -> int:
    """``oq engine --db-version``/``--upgrade-db``/``--what-if-I-upgrade``: the job
    database is created and kept up to date by oqcore itself."""
    from oqcore.config import Settings
    from oqcore.jobs.db import JobDB
    db = JobDB(Settings.load().db_file)  # creates it, or adds what a newer schema has
    if args.db_version:
        print(db.schema_version())
    else:
        print("Your database is already updated (%s): nothing to do" % db.schema_version())
    return 0


def _list_calculations(job_type: str = "hazard") -> int:
    """``oq engine --lhc`` (hazard calculations) or ``--lrc`` (risk calculations): the
    job table only (no plugins, no hazard library)."""
    from oqcore.config import Settings
    from oqcore.jobs.db import ACTIVE, JobDB
    from oqcore.jobs.runner import pid_alive
    db = JobDB(Settings.load().db_file)
    jobs = db.list_jobs(order_dir="ASC")
    if any(j["status"] in ACTIVE and not pid_alive(j["pid"]) for j in jobs):
        _engine()  # some job lost its process: mark it failed before listing
        jobs = db.list_jobs(order_dir="ASC")
    print("job_id |     status |          start_time |         description")
    for j in jobs:
        if _is_risk(j["calculation_mode"]) != (job_type == "risk"):
            continue
        print("%6d | %10s | %19s | %s" % (j["id"], j["status"],
                                          (j["start_time"] or "")[:19], j["description"]))
    return 0


def _job_export_dir(job_ini: str, eng) -> str:
    """The job's ``export_dir`` parameter (relative paths: from the job.ini folder)."""
    from oqcore.params import read_job_ini
    params = read_job_ini(job_ini, eng.registry)
    return os.path.join(os.path.dirname(os.path.abspath(job_ini)), params.export_dir or ".")


def _print_outputs(eng, job_id):
    outs = eng.db.get_outputs(job_id)
    print("  id | name")
    for o in sorted(outs, key=lambda o: o["display_name"]):
        print("%4d | %s" % (o["id"], o["display_name"]))


def cmd_extract(args) -> int:
    """``oq extract SPEC CALC_ID``: write the spec's npz."""
    from oqcore.extract import extract, to_npz_bytes
    eng = _engine()
    job_id = eng.db.resolve_id(int(args.calc_id))
    dstore = eng.open_datastore(job_id)
    try:
        obj = extract(dstore, args.spec, eng.registry)
        data = to_npz_bytes(obj)
    finally:
        dstore.close()
    out = args.out or "%s_%d.npz" % (args.spec.split("?")[0].replace("/", "-"), job_id)
    with open(out, "wb") as f:
        f.write(data)
    print(os.path.abspath(out))
    return 0


def cmd_gsim_check(args) -> int:
    """``oq gsim-check MODEL TABLE.csv``: worst relative error per result type and IMT."""
    from oqcore import load_registry
    from oqcore.hazard.gsim.verification import check
    from oqcore.hazard.logictree import parse_gsim
    registry = load_registry()
    model = args.model
    if model.lstrip().startswith("[") and "\n" not in model:
        # the TOML form typed on one line, with literal \n between its lines
        model = model.replace("\\n", "\n")
    gsim = parse_gsim(model, registry)
    results = check(gsim, args.table)
    worst = 0.0
    print("%-20s %-12s %12s" % ("result_type", "imt", "max_rel_err"))
    for rtype, imt, err, row in results:
        flag = "" if err <= args.rtol else "  FAIL (row %d)" % row
        print("%-20s %-12s %12.3e%s" % (rtype, imt, err, flag))
        worst = max(worst, err)
    ok = worst <= args.rtol
    print("%s: worst relative error %.3e (rtol %g)" % ("PASS" if ok else "FAIL", worst,
                                                       args.rtol))
    return 0 if ok else 1


def cmd_plugins(args) -> int:
    """``oq plugins [--json]``: every plugin found, with what it registered; broken and
    disabled plugins with the reason."""
    import json

    from oqcore import load_registry
    infos = load_registry().plugins()
    if args.json:
        print(json.dumps([i.to_dict() for i in infos], indent=1))
        return 0
    for info in infos:
        source = "%s %s" % (info.distribution, info.version) if info.distribution else ""
        print("%s [%s] %s %s" % (info.name, info.status, info.module, source))
        if info.error:
            print("    %s" % info.error)
        for table, keys in info.registered.items():
            shown = ", ".join(keys) if len(keys) <= 8 else "%s, ... (%d)" % (
                ", ".join(keys[:8]), len(keys))
            print("    %s: %s" % (table, shown))
    return 0


def cmd_server(argv) -> int:
    """``oq server``: delegated to oqhttp."""
    from oqhttp.server import main
    return main(argv) or 0


def cmd_user(argv) -> int:
    """``oq user``: delegated to oqhttp."""
    from oqhttp.auth import user_command
    return user_command(argv) or 0



def cmd_plot(args) -> int:
    """``oq plot SPEC CALC_ID... [--remote] [--out FILE.png]``."""
    from oqcore.extract import Extractor, WebExtractor
    from oqcore.plot import EXAMPLES, default_output, has_display, make_plot
    if args.spec == "examples":
        print(EXAMPLES)
        return 0
    if not args.calc_ids:
        raise InvalidInput("oq plot %s needs a calculation ID" % args.spec)
    extractors = []
    try:
        for cid in args.calc_ids:
            extractors.append(WebExtractor(int(cid)) if args.remote else Extractor(int(cid)))
        out = args.out
        if out is None and not has_display():
            out = default_output(args.spec, [ex.calc_id for ex in extractors])
        path = make_plot(args.spec, extractors, out)
    finally:
        for ex in extractors:
            ex.close()
    if path:
        print(path)
    return 0


def cmd_shell(args) -> int:
    """``oq shell [SCRIPT]``: IPython when installed, else the plain console, with the
    Extractor, the WebExtractor and numpy imported."""
    import numpy as np

    import oqcore
    from oqcore.extract import Extractor, WebExtractor
    namespace = {"Extractor": Extractor, "WebExtractor": WebExtractor, "np": np,
                 "numpy": np, "o": oqcore, "oqcore": oqcore, "__name__": "__main__"}
    if args.script:
        namespace["__file__"] = args.script
        sys.argv = [args.script] + list(args.script_args)
        with open(args.script, encoding="utf-8") as f:
            code = compile(f.read(), args.script, "exec")
        exec(code, namespace)
        return 0
    banner = ("oqcore %s shell: Extractor, WebExtractor, np and o (the oqcore package) "
              "are defined; e.g. Extractor(calc_id=-1).get('realizations')" %
              oqcore.__version__)
    try:
        import IPython
    except ImportError:
        import code
        code.interact(banner="Python console\n" + banner, local=namespace, exitmsg="")
        return 0
    print("IPython shell\n" + banner)
    IPython.start_ipython(argv=[], user_ns=namespace)
    return 0


def _describe(obj) -> str:
    """The first line of the documentation of a registry entry or a function."""
    doc = (getattr(obj, "doc", "") or getattr(getattr(obj, "func", None), "__doc__", "")
           or (obj.__doc__ if callable(obj) and not hasattr(obj, "func") else "")
           or "").strip()
    return doc.splitlines()[0] if doc else ""


def cmd_info(args) -> int:
    """``oq info [WHAT]``: calculators, exporters, extract specs, GSIMs, parameters,
    views, or the documentation of one parameter, GSIM, spec or calculator."""
    from oqcore import load_registry
    from oqcore.views import VIEWS
    what = args.what
    for flag in ("calculators", "exporters", "extracts", "gsims", "parameters", "views",
                 "plots"):
        if getattr(args, flag):
            what = flag
    if what is None:
        import oqcore
        print("oqcore %s (OpenQuake engine %s)" % (oqcore.__version__,
                                                   oqcore.ENGINE_VERSION))
        print("oq info calculators|exporters|extracts|gsims|parameters|views|plots|NAME")
        return 0
    if what == "views":
        for name, func in VIEWS.items():
            print("%-12s %s" % (name, _describe(func).rstrip(".")))
        return 0
    if what == "plots":
        from oqcore.plot import PLOTS
        for name, func in PLOTS.items():
            print("%-12s %s" % (name, _describe(func)))
        return 0
    registry = load_registry()
    if what == "calculators":
        for mode, spec in sorted(registry.calculators().items()):
            print("%-28s %s" % (mode, spec.doc))
        return 0
    if what == "exporters":
        for (kind, fmt), spec in sorted(registry.exporters().items()):
            print("%-28s %-6s %s" % (kind, fmt, spec.display_name))
        return 0
    if what in ("extracts", "extract"):
        for name, spec in sorted(registry.extractors().items()):
            print("%-22s %s" % (name, _describe(spec)))
        return 0
    if what == "gsims":
        for name in registry.gsims():
            print(name)
        return 0
    if what == "parameters":
        for name, spec in sorted(registry.params().items()):
            print("%-40s %s" % (name, spec.used_by))
        return 0
    return _info_name(registry, what)


def _info_name(registry, name: str) -> int:
    import difflib
    import json

    from oqcore.params import NODEFAULT
    params = registry.params()
    if name in params:
        spec = params[name]
        default = spec.default
        print("%s (used by %s)" % (name, spec.used_by or "-"))
        print("  %s" % spec.doc)
        if spec.alias_of:
            print("  alias of %s" % spec.alias_of)
        print("  default: %s" % ("none: it must be given" if default is NODEFAULT
                                 else json.dumps(default, default=str)))
        return 0
    gsims = registry.gsims()
    if name in gsims:
        cls = gsims[name]
        print(name)
        print((cls.__doc__ or "").strip())
        for attr in ("DEFINED_FOR_TECTONIC_REGION_TYPE", "REQUIRES_SITES_PARAMETERS",
                     "REQUIRES_RUPTURE_PARAMETERS", "REQUIRES_DISTANCES"):
            if hasattr(cls, attr):
                val = getattr(cls, attr)
                print("  %s: %s" % (attr.lower(), " ".join(sorted(map(str, val))) if
                                    isinstance(val, (set, frozenset, tuple, list)) else val))
        return 0
    for table in (registry.extractors(), registry.calculators()):
        if name in table:
            spec = table[name]
            print(name)
            print("  " + (getattr(spec, "doc", "") or _describe(spec)))
            return 0
    known = list(params) + list(gsims) + list(registry.extractors())
    close = difflib.get_close_matches(name, known, n=3)
    raise InvalidInput("%r is not a parameter, GSIM, extract spec or calculator%s" % (
        name, " (did you mean %s?)" % ", ".join(close) if close else ""))


def cmd_show(args) -> int:
    """``oq show WHAT [CALC_ID]``: a text view of a datastore."""
    from oqcore.views import show
    eng = _engine()
    job_id = eng.db.resolve_id(int(args.calc_id))
    eng.db.get_job(job_id)
    dstore = eng.open_datastore(job_id)
    try:
        print(show(dstore, args.what, eng.registry))
    finally:
        dstore.close()
    return 0


def cmd_abort(args) -> int:
    """``oq abort ID``: stop a running or queued calculation."""
    eng = _engine()
    job_id = eng.db.resolve_id(int(args.calc_id))
    job = eng.db.get_job(job_id)
    if job["status"] not in ("created", "submitted", "executing"):
        print("Calculation %d is %s: nothing to abort" % (job_id, job["status"]))
        return 0
    status = eng.abort(job_id)
    print("Calculation %d %s" % (job_id, status))
    return 0


def cmd_purge(args) -> int:
    """``oq purge ID``: remove a finished calculation (its datastore and records)."""
    eng = _engine()
    job_id = eng.db.resolve_id(int(args.calc_id))
    eng.delete(job_id)
    print("Removed calculation %d" % job_id)
    return 0


def cmd_reset(args) -> int:
    """``oq reset [--yes]``: remove every calculation and the job database."""
    import glob
    eng = _engine()
    from oqcore.jobs.db import ACTIVE
    running = [j["id"] for j in eng.db.list_jobs(relevant_only=False)
               if j["status"] in ACTIVE]
    if running:
        raise InvalidInput("calculations %s are running or queued: abort them first" %
                           ", ".join(map(str, running)))
    datadir = eng.settings.datadir
    files = sorted(glob.glob(os.path.join(datadir, "calc_*.hdf5")))
    if not args.yes:
        answer = input("Remove %d calculation file(s) in %s and the job database %s? "
                       "[y/N] " % (len(files), datadir, eng.settings.db_file))
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed")
            return 1
    for path in files:
        os.remove(path)
    db_file = eng.settings.db_file
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_file + suffix):
            os.remove(db_file + suffix)
    print("Removed %d calculation file(s) and %s" % (len(files), db_file))
    return 0


#: ``oq db`` commands: name -> (arguments, what it does)
DB_COMMANDS = {
    "list_calculations": ((), "every calculation (id, status, mode, user, description)"),
    "get_executing_jobs": ((), "the calculations running now"),
    "get_job": (("ID",), "the job row of a calculation as JSON"),
    "list_outputs": (("ID",), "the outputs of a calculation"),
    "get_log": (("ID",), "the log of a calculation"),
    "set_status": (("ID", "STATUS"), "set the status of a calculation"),
    "del_calc": (("ID",), "remove a calculation"),
}


def cmd_db(args) -> int:
    """``oq db COMMAND [ARGS]``: the job database (a subset of OpenQuake's commands)."""
    import json
    from oqcore.jobs.db import STATUSES
    name = args.db_command
    if name not in DB_COMMANDS:
        raise InvalidInput("unknown db command %r; the commands are %s" % (
            name, ", ".join(DB_COMMANDS)))
    need = DB_COMMANDS[name][0]
    if len(args.db_args) != len(need):
        raise InvalidInput("oq db %s needs %s" % (name, " ".join(need) or "no arguments"))
    if name in ("list_calculations", "get_executing_jobs"):
        from oqcore.config import Settings
        from oqcore.jobs.db import JobDB
        db = JobDB(Settings.load().db_file)
        jobs = db.list_jobs(order_dir="ASC", relevant_only=False)
        if name == "get_executing_jobs":
            jobs = [j for j in jobs if j["status"] == "executing"]
        for j in jobs:
            print("%d | %s | %s | %s | %s" % (j["id"], j["status"], j["calculation_mode"],
                                              j["user_name"], j["description"]))
        return 0
    eng = _engine()
    job_id = eng.db.resolve_id(int(args.db_args[0]))
    job = eng.db.get_job(job_id)
    if name == "get_job":
        print(json.dumps(job, indent=1, default=str))
    elif name == "list_outputs":
        _print_outputs(eng, job_id)
    elif name == "get_log":
        _print_log(eng, job_id)
    elif name == "set_status":
        status = args.db_args[1]
        if status not in STATUSES:
            raise InvalidInput("unknown status %r (one of %s)" % (status, ", ".join(
                STATUSES)))
        old = eng.db.set_status(job_id, status, eng.registry)
        print("Calculation %d: %s -> %s" % (job_id, old, eng.db.get_job(job_id)["status"]))
    elif name == "del_calc":
        eng.delete(job_id)
        print("Removed calculation %d" % job_id)
    return 0


def _extract_epilog() -> str:
    """The list of extract specs (for ``oq extract --help``)."""
    from oqcore import load_registry
    specs = load_registry().extractors()
    return "extract specs:\n" + "\n".join("  %-22s %s" % (n, _describe(s))
                                          for n, s in sorted(specs.items()))


def build_parser(extract_help: bool = False) -> argparse.ArgumentParser:
    """The argument parser of ``oq`` (``extract_help``: list the extract specs in the
    help of ``oq extract``, which needs the plugins)."""
    import oqcore
    p = argparse.ArgumentParser(prog="oq", description="oqcore: the OpenQuake-compatible "
                                "engine")
    p.add_argument("--version", action="version", version="oqcore %s (OpenQuake engine "
                   "%s)" % (oqcore.__version__, oqcore.ENGINE_VERSION))
    sub = p.add_subparsers(dest="command")
    e = sub.add_parser("engine", help="run and manage calculations")
    e.add_argument("--run", metavar="JOB.ini", nargs="+",
                   help="run jobs; without --hc or --multi every job after the first uses "
                   "the first as its hazard (e.g. --run job_hazard.ini job_risk.ini)")
    e.add_argument("--hc", "--hazard-calculation-id", dest="hc", type=int, metavar="ID",
                   help="hazard calculation ID (negative = N-th last)")
    e.add_argument("-m", "--multi", action="store_true",
                   help="the jobs of --run are independent (none is the hazard of another)")
    e.add_argument("-e", "--exports", metavar="FMTS",
                   help="comma-separated formats in order of priority, e.g. csv,xml "
                   "(--run exports in all of them; --eo/--eos in the first an output has; "
                   "default for those: %s)" % DEFAULT_EXPORTS)
    e.add_argument("--export-dir", metavar="DIR",
                   help="where --run exports (default: the job's export_dir parameter)")
    e.add_argument("-p", "--param", action="append", metavar="NAME=VALUE[,NAME=VALUE]",
                   help="override job.ini parameters (repeatable)")
    e.add_argument("-l", "--log-level", default="info",
                   choices=["debug", "info", "warn", "warning", "error", "critical"],
                   help="the least level of the log records printed (default: info)")
    e.add_argument("-L", "--log-file", metavar="FILE",
                   help="append the log records to FILE instead of printing them")
    e.add_argument("--nd", "--no-distribute", dest="no_distribute", action="store_true",
                   help="run the tasks in the job process (debugging, profiling)")
    e.add_argument("--lhc", "--list-hazard-calculations", dest="list_hazard_calculations",
                   action="store_true", help="list the hazard calculations")
    e.add_argument("--lrc", "--list-risk-calculations", dest="list_risk_calculations",
                   action="store_true", help="list the risk calculations")
    e.add_argument("--lo", "--list-outputs", dest="list_outputs", type=int, metavar="ID",
                   help="list the outputs of calculation ID (negative = N-th last)")
    e.add_argument("--sl", "--show-log", dest="show_log", type=int, metavar="ID",
                   help="print the log of calculation ID (negative = N-th last)")
    e.add_argument("--eo", "--export-output", dest="export_output", nargs=2,
                   metavar=("OUTPUT_ID", "DIR"),
                   help="export output OUTPUT_ID (see --lo) into DIR")
    e.add_argument("--eos", "--export-outputs", dest="export_outputs", nargs=2,
                   metavar=("CALC_ID", "DIR"),
                   help="export every output of calculation CALC_ID into DIR")
    e.add_argument("--dc", "--delete-calculation", dest="delete_calculation", type=int,
                   metavar="ID", help="remove calculation ID: its datastore, outputs and "
                   "logs (negative = N-th last)")
    e.add_argument("--duc", "--delete-uncompleted-calculations",
                   dest="delete_uncompleted_calculations", action="store_true",
                   help="remove every failed or aborted calculation")
    e.add_argument("-y", "--yes", action="store_true",
                   help="do not ask for confirmation (oq engine never asks)")
    e.add_argument("-d", "--db-version", action="store_true",
                   help="print the version of the job database")
    e.add_argument("-u", "--upgrade-db", action="store_true",
                   help="bring the job database up to date (done on every start anyway)")
    e.add_argument("-w", "--what-if-I-upgrade", dest="what_if_I_upgrade",
                   action="store_true", help="what --upgrade-db would do")
    e.add_argument("-q", "--quiet", action="store_true", help="do not print the logs")
    x = sub.add_parser("extract", help="extract data from a calculation as .npz",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog=_extract_epilog() if extract_help else None)
    x.add_argument("spec", help="NAME, NAME?QUERY, NAME/REST or a datastore key, e.g. "
                   "'hcurves?kind=mean&imt=PGA' (oq info extracts lists the names)")
    x.add_argument("calc_id", help="calculation ID (negative = N-th last)")
    x.add_argument("--out", help="output .npz file (default: <spec>_<id>.npz here)")
    pl = sub.add_parser("plot", help="plot an extract spec (hcurves, hmaps, uhs, ...)")
    pl.add_argument("spec", help="e.g. 'hcurves?kind=mean&imt=PGA&site_id=0', "
                    "'hmaps?kind=mean&imt=PGA', 'uhs?kind=mean'; 'examples' lists more")
    pl.add_argument("calc_ids", nargs="*", metavar="CALC_ID",
                    help="calculation ID(s) (negative = N-th last); two or more compare")
    pl.add_argument("--remote", "--webapi", action="store_true",
                    help="extract through the engine server of openquake.cfg [webapi]")
    pl.add_argument("--out", metavar="FILE.png",
                    help="save the figure (PNG, PDF or SVG by extension) instead of "
                    "showing it; without a display the default is <spec>_<id>.png")
    sh = sub.add_parser("shell", help="a Python shell (IPython if installed) with the "
                        "Extractor imported, or run a script in it")
    sh.add_argument("script", nargs="?", help="a Python script to run")
    sh.add_argument("script_args", nargs=argparse.REMAINDER, help="its arguments")
    i = sub.add_parser("info", help="what is installed: calculators, exporters, extract "
                       "specs, GSIMs, parameters, or the doc of one NAME")
    i.add_argument("what", nargs="?", metavar="WHAT|NAME",
                   help="calculators, exporters, extracts, gsims, parameters, views, plots,"
                   " or a parameter/GSIM/spec name")
    for flag, text in [("calculators", "the calculators"), ("exporters", "the exporters"),
                       ("extracts", "the extract specs"), ("gsims", "the GSIMs"),
                       ("parameters", "the job.ini parameters"), ("views", "oq show views"),
                       ("plots", "oq plot kinds")]:
        i.add_argument("--" + flag, action="store_true", help="list " + text)
    s = sub.add_parser("show", help="a text view of a calculation (fullreport, params, "
                       "task_info, contents)")
    s.add_argument("what", help="the view: fullreport, params, task_info, contents")
    s.add_argument("calc_id", nargs="?", default="-1",
                   help="calculation ID (default: -1, the last)")
    a = sub.add_parser("abort", help="abort a running or queued calculation")
    a.add_argument("calc_id", help="calculation ID (negative = N-th last)")
    pu = sub.add_parser("purge", help="remove a finished calculation")
    pu.add_argument("calc_id", help="calculation ID (negative = N-th last)")
    r = sub.add_parser("reset", help="remove every calculation and the job database")
    r.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    d = sub.add_parser("db", help="query or fix the job database",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="commands:\n" + "\n".join(
                           "  %-20s %-10s %s" % (n, " ".join(a), t)
                           for n, (a, t) in DB_COMMANDS.items()))
    d.add_argument("db_command", metavar="COMMAND", help="one of the commands below")
    d.add_argument("db_args", nargs="*", metavar="ARG", help="its arguments")
    g = sub.add_parser("gsim-check", help="compare a GSIM with a verification table")
    g.add_argument("model", help="GSIM name, e.g. SadighEtAl1997, or its TOML form "
                   "with arguments, e.g. '[ParkerEtAl2020SInter]\\nregion = \"AK\"'")
    g.add_argument("table", help="verification table (CSV)")
    g.add_argument("--rtol", type=float, default=1e-6, help="relative tolerance")
    sub.add_parser("compile", help="compile the numba kernels into their on-disk cache "
                   "(run once after installing: the first calculation then starts at "
                   "full speed)")
    pg = sub.add_parser("plugins", help="list the plugins: what each registered, broken "
                        "and disabled ones with the reason")
    pg.add_argument("--json", action="store_true", help="JSON instead of text")
    sub.add_parser("server", help="run the REST server (oq server --help)", add_help=False)
    sub.add_parser("user", help="manage users (oq user --help)", add_help=False)
    return p


COMMANDS = {"engine": cmd_engine, "extract": cmd_extract, "plot": cmd_plot,
            "shell": cmd_shell, "info": cmd_info, "show": cmd_show, "abort": cmd_abort,
            "purge": cmd_purge, "reset": cmd_reset, "db": cmd_db,
            "gsim-check": cmd_gsim_check, "plugins": cmd_plugins, "compile": cmd_compile}


def main(argv=None) -> int:
    """Entry point of the ``oq`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "server":  # it configures its own logging (INFO)
        return cmd_server(argv[1:])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if argv and argv[0] == "user":
        return cmd_user(argv[1:])
    extract_help = argv[:1] == ["extract"] and ("-h" in argv or "--help" in argv)
    parser = build_parser(extract_help)
    args = parser.parse_args(argv)
    func = COMMANDS.get(args.command)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args)
    except (InvalidInput, NotFound, UnknownPlugin, OqcoreError) as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    except KeyError as exc:  # a spec or dataset the calculation lacks
        print("error: %s" % (exc.args[0] if exc.args else exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
