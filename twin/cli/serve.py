"""``twin serve``: the warm twin over HTTP and the what-if workbench (registered by
:mod:`twin.cli`; the server itself is :mod:`twin.serve`)."""

from __future__ import annotations

import argparse
import os
import sys

from twin.errors import TwinError

#: The environment variable that holds the token when ``--token`` is not given.
TOKEN_ENV = "ATLAS_TWIN_TOKEN"
LOOPBACK = ("127.0.0.1", "::1", "localhost")

EPILOG = f"""examples:
  twin serve                                  the workbench on http://127.0.0.1:8000
  twin serve --data-dir weather_files         serve the EPW files of a folder by name
  twin serve --host 0.0.0.0 --token s3cret    on every interface: clients send the token

Without --data-dir the server reads no file (built-in typical years and examples only).
Binding to another address than loopback needs a token (--token or ${TOKEN_ENV}); clients
send it as "Authorization: Bearer TOKEN", a browser opens http://HOST:PORT/?token=TOKEN once.
"""


def register(sub) -> None:
    """Add the ``serve`` subcommand to the ``twin`` subparsers *sub*."""
    p = sub.add_parser(
        "serve",
        help="serve the twin over HTTP with the what-if workbench page",
        description="Serve the twin over HTTP (JSON API and the what-if workbench at /), "
        "kernels and weather kept warm between requests.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--data-dir", metavar="DIR", help="folder of weather files served by name")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="simulation processes, each with warm kernels (default 1)",
    )
    p.add_argument("--token", help=f"required from clients (default: ${TOKEN_ENV})")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler for sweeps")
    p.add_argument(
        "--queue", type=int, default=None, help="requests waiting at most (default 8 per worker)"
    )


def run(args) -> int:
    from pathlib import Path

    from twin.cli.hugepages import restore_hugepage_advice

    restore_hugepage_advice()  # a long-lived server reuses its freed huge pages

    try:
        import uvicorn

        from twin.serve.app import create_app
        from twin.serve.config import ServeConfig
    except ImportError as exc:
        msg = (
            f"twin serve needs FastAPI, uvicorn and Jinja2 ({exc.name} is missing): "
            "pip install 'fastapi>=0.110' 'uvicorn>=0.29' 'jinja2>=3.1', or reinstall atlas-twin"
        )
        raise TwinError(msg) from None
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if args.host not in LOOPBACK and not token:
        msg = (
            f"--host {args.host}: serving beyond this machine needs a token "
            f"(--token T or the {TOKEN_ENV} environment variable)"
        )
        raise TwinError(msg)
    data_dir = Path(args.data_dir) if args.data_dir else None
    if data_dir is not None and not data_dir.is_dir():
        raise TwinError(f"--data-dir {args.data_dir}: not a directory")
    if not 1 <= args.workers <= 64:
        raise TwinError(f"--workers = {args.workers}: must be in [1, 64]")
    if not 0 < args.port < 65536:
        raise TwinError(f"--port = {args.port}: must be in [1, 65535]")
    queue = args.queue if args.queue is not None else 8 * args.workers
    if queue < 1:
        raise TwinError(f"--queue = {queue}: must be >= 1")
    config = ServeConfig(
        data_dir=data_dir,
        token=token,
        workers=args.workers,
        queue=queue,
        scheduler=args.scheduler,
    )
    where = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
    print(f"twin: warming {args.workers} simulation process(es)…", file=sys.stderr, flush=True)
    app = create_app(config)
    print(f"twin: serving the workbench on {where}", file=sys.stderr)
    if token:
        print(
            "twin: a token is required: send 'Authorization: Bearer <token>', or open "
            f"{where}?token=<token> once in a browser",
            file=sys.stderr,
        )
    if data_dir is not None:
        print(f"twin: weather files by name from {data_dir}", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info" if args.verbose else "warning",
        limit_concurrency=max(64, 4 * queue),
    )
    return 0
