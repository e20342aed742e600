"""The ``oq`` command: ``oq engine ...``, ``oq extract``, ``oq gsim-check``, ``oq plugins``,
``oq server``, ``oq user``."""
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
    out = {}
    for item in items or []:
        if "=" not in item:
            raise InvalidInput("-p expects name=value, got %r" % item)
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


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


def cmd_engine(args) -> int:
    """``oq engine``."""
    eng = _engine()
    if args.run:
        overrides = _parse_overrides(args.param)
        hc = args.hc
        job_id = eng.create_job(args.run, overrides=overrides, hc_id=hc)
        status = eng.run(job_id, echo=not args.quiet)
        job = eng.db.get_job(job_id)
        if status != "complete":
            print("Calculation %d %s: %s" % (job_id, status, job["reason"]), file=sys.stderr)
            return 1
        if args.exports:
            fmts = [f.strip() for f in args.exports.split(",") if f.strip()]
            export_dir = os.path.abspath(args.export_dir or _job_export_dir(args.run, eng))
            files = export_outputs(eng, job_id, fmts, export_dir)
            for f in files:
                print(f)
        else:
            _print_outputs(eng, job_id)
        return 0
    if args.list_hazard_calculations:
        jobs = eng.db.list_jobs(order_dir="ASC")
        print("job_id |     status |          start_time |         description")
        for j in jobs:
            print("%6d | %10s | %19s | %s" % (j["id"], j["status"],
                                              (j["start_time"] or "")[:19], j["description"]))
        return 0
    if args.list_outputs is not None:
        job_id = eng.db.resolve_id(args.list_outputs)
        eng.db.get_job(job_id)
        _print_outputs(eng, job_id)
        return 0
    if args.export_output:
        output_id, target = args.export_output
        out = eng.db.get_output(int(output_id))
        dstore = eng.open_datastore(out["oq_job_id"])
        from oqcore.export import export
        try:
            fmt = args.exports.split(",")[0] if args.exports else eng.registry.export_formats(
                out["ds_key"])[0]
            for f in export(eng.registry, dstore, out["ds_key"], fmt, target):
                print(f)
        finally:
            dstore.close()
        return 0
    if args.delete_calculation is not None:
        job_id = eng.db.resolve_id(args.delete_calculation)
        eng.delete(job_id)
        print("Removed calculation %d" % job_id)
        return 0
    print("nothing to do: see oq engine --help", file=sys.stderr)
    return 2


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
    gsim = parse_gsim(args.model, registry)
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``oq``."""
    p = argparse.ArgumentParser(prog="oq", description="oqcore: the OpenQuake-compatible "
                                "engine")
    sub = p.add_subparsers(dest="command")
    e = sub.add_parser("engine", help="run and manage calculations")
    e.add_argument("--run", metavar="JOB.ini", help="run a job")
    e.add_argument("--hc", type=int, help="hazard calculation ID (negative = N-th last)")
    e.add_argument("--exports", help="comma-separated formats, e.g. csv,npz")
    e.add_argument("--export-dir", "-e",
                   help="where to export (default: the job's export_dir parameter)")
    e.add_argument("-p", "--param", action="append", help="override name=value")
    e.add_argument("--lhc", "--list-hazard-calculations", dest="list_hazard_calculations",
                   action="store_true", help="list calculations")
    e.add_argument("--lo", "--list-outputs", dest="list_outputs", type=int, metavar="ID")
    e.add_argument("--eo", "--export-output", dest="export_output", nargs=2,
                   metavar=("OUTPUT_ID", "DIR"))
    e.add_argument("--dc", "--delete-calculation", dest="delete_calculation", type=int,
                   metavar="ID")
    e.add_argument("-q", "--quiet", action="store_true", help="do not print the logs")
    x = sub.add_parser("extract", help="extract data from a calculation as .npz")
    x.add_argument("spec")
    x.add_argument("calc_id")
    x.add_argument("--out", help="output .npz file")
    g = sub.add_parser("gsim-check", help="compare a GSIM with a verification table")
    g.add_argument("model")
    g.add_argument("table")
    g.add_argument("--rtol", type=float, default=1e-6)
    pl = sub.add_parser("plugins", help="list the plugins: what each registered, broken "
                        "and disabled ones with the reason")
    pl.add_argument("--json", action="store_true", help="JSON instead of text")
    sub.add_parser("server", help="run the REST server (oq server --help)", add_help=False)
    sub.add_parser("user", help="manage users (oq user --help)", add_help=False)
    return p


def main(argv=None) -> int:
    """Entry point of the ``oq`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if argv and argv[0] == "server":
        return cmd_server(argv[1:])
    if argv and argv[0] == "user":
        return cmd_user(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "engine":
            return cmd_engine(args)
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "gsim-check":
            return cmd_gsim_check(args)
        if args.command == "plugins":
            return cmd_plugins(args)
    except (InvalidInput, NotFound, UnknownPlugin, OqcoreError) as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
