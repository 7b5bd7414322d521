"""``cahier serve [BOOK] [--port N]``: build, serve and rebuild on every change.

The book is built into ``BOOK/_build/html`` and served on http://127.0.0.1:8000 (the port is fixed
on purpose: answers are stored per origin, and the origin includes the port). sphinx-autobuild's
watcher (``RebuildServer``, ``IgnoreFilter``) rebuilds the book when a page, ``_config.yml`` or
``_toc.yml`` changes, lists its findings, and tells the open pages to reload. Its own reload
script is inline, which the pages' Content-Security-Policy refuses: here the pages load it as a
file of the same host (``/_cahier/reload.js``), as the policy allows.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from ..messages import __, use_language
from .book import Book, add_book_argument, build_html
from .findings import CahierError, Stop, report

RELOAD_PATH = "/_cahier/reload.js"
RELOAD_SCRIPT = """// cahier serve: reload the page when the book has been rebuilt.
(() => {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/websocket-reload`);
  socket.addEventListener("message", () => location.reload());
})();
"""
#: Never watched: what the build writes, version control, environments, caches.
IGNORED = [
    "_build",
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
    ".jupyter_cache",
]


class Rebuild:
    """Build the book and list its findings (run by the watcher in a separate process)."""

    def __init__(self, book: str, outdir: str):
        self.book, self.outdir = book, outdir

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> int:
        try:
            book = Book(self.book)
            use_language(book.language)
            if changed_paths:
                names = ", ".join(book.display(path) for path in list(changed_paths)[:5])
                print(
                    __("cahier: changed: {files}; rebuilding…").format(files=names),
                    file=sys.stderr,
                )
            findings = build_html(book, Path(self.outdir)).findings
        except Stop as stop:  # a YAML mistake: said at its line; the next save rebuilds
            findings = stop.findings
        except CahierError as error:
            findings = [error.finding]
        status = report(findings, "text")
        sys.stdout.flush()
        return status


def inject_reload_script(app):
    """ASGI middleware: every HTML page loads the reload script, after the page's own."""
    tag = f'<script src="{RELOAD_PATH}"></script>\n'.encode()

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state = {"html": False}

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    state["html"] = True
                    if "content-length" in headers:
                        headers["content-length"] = str(int(headers["content-length"]) + len(tag))
            elif (
                message["type"] == "http.response.body"
                and state["html"]
                and not message.get("more_body", False)
            ):
                message["body"] = message.get("body", b"") + tag
            await send(message)

        await app(scope, receive, send_wrapper)

    return middleware


def make_app(book: Book, outdir: Path, rebuild: Rebuild):
    """The Starlette application: the built site, the reload script and its web socket."""
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    ignore = IgnoreFilter([str(book.root / name) for name in IGNORED] + [str(outdir)], [])
    watcher = RebuildServer([book.root], ignore, change_callback=rebuild)

    async def reload_script(_request):
        return Response(RELOAD_SCRIPT, media_type="text/javascript")

    site = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Route(RELOAD_PATH, reload_script),
            Mount("/", app=StaticFiles(directory=outdir, html=True), name="site"),
        ],
        lifespan=watcher.lifespan,
    )
    return inject_reload_script(site), watcher


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    book = Book(args.book)
    outdir = Path(args.out).resolve() if args.out else book.root / "_build" / "html"
    with socket.socket() as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError:
            raise CahierError(
                __(
                    "port {port} is already in use (another `cahier serve`, or another program): "
                    "stop it, or choose another port with --port"
                ).format(port=args.port)
            ) from None
    outdir.mkdir(parents=True, exist_ok=True)
    rebuild = Rebuild(str(book.root), str(outdir))
    rebuild()
    app, _watcher = make_app(book, outdir, rebuild)
    url = f"http://{args.host}:{args.port}/"
    print(
        __("cahier: {url} (rebuilt on every change; Ctrl+C to stop)").format(url=url),
        file=sys.stderr,
    )
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help=__("build, serve and rebuild on every change"),
        description=__(
            "Build the book, serve it on http://127.0.0.1:8000 and rebuild it when a file "
            "changes; open pages reload by themselves."
        ),
    )
    add_book_argument(serve)
    serve.add_argument("--port", type=int, default=8000, help=__("default: 8000"))
    serve.add_argument("--host", default="127.0.0.1", help=__("default: 127.0.0.1"))
    serve.add_argument("--out", metavar="DIR", help=__("default: BOOK/_build/html"))
    serve.set_defaults(func=cmd_serve)
