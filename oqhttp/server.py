"""``oq server [--host 127.0.0.1] [--port 8800]``: the engine server on waitress."""
from __future__ import annotations

import argparse
import importlib
import ipaddress
import logging
import signal
import sys

log = logging.getLogger("oqhttp.server")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``oq server``."""
    p = argparse.ArgumentParser(prog="oq server", description="run the engine server "
                                "(the OpenQuake REST API)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8800, help="port to listen on")
    p.add_argument("--threads", type=int, default=None,
                   help="request threads (default: [webui] threads, 8)")
    p.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                   help="an extra plugin module to load (repeatable)")
    p.add_argument("--no-entry-points", action="store_true",
                   help="load only the --plugin modules, not the installed plugins")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; return the exit status.

    Settings come from openquake.cfg (and OQ_DATADIR); the body-size limit is
    ``[webui] max_upload_mb``; the number of concurrent jobs ``[distribution]
    serialize_jobs``; authentication ``[webui] authentication``.
    """
    import waitress

    from oqcore import load_registry
    from oqcore.config import Settings
    from oqhttp.app import context_of, create_app

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s %(levelname)s] %(message)s")
    settings = Settings.load()
    mods = [importlib.import_module(m) for m in args.plugin]
    if args.no_entry_points:
        registry = load_registry(plugins=mods, entry_points=False, builtins=False)
    else:
        registry = load_registry(plugins=mods)
    if not settings.authentication and not _is_loopback(args.host):
        log.warning("listening on %s without authentication: anyone who can reach it "
                    "may run and remove calculations", args.host)
    app = create_app(registry, settings)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    # the app answers 413 in JSON above the limit; waitress refuses far bigger bodies
    # before they are read
    limit = int(settings.max_upload_mb * 1024 ** 2)
    log.info("engine server on http://%s:%d (%s mode, %d concurrent jobs)", args.host,
             args.port, "authenticated" if settings.authentication else "public",
             settings.concurrent_jobs)
    try:
        waitress.serve(app, host=args.host, port=args.port,
                       threads=args.threads or settings.server_threads,
                       max_request_body_size=max(2 * limit, limit + 16 * 1024 ** 2),
                       ident="oqcore",
                       channel_timeout=300, _quiet=True)
    except KeyboardInterrupt:
        pass
    finally:
        context_of(app).queue.stop()
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
