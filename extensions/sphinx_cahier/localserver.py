"""Serving a built site on 127.0.0.1 and launching Debian's Chromium: for ``cahier pdf``, the
browser tests and the benchmark, which all print or load the site as a participant would."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

#: Headless Chromium in a container with no network but loopback: no sandbox (root), no GPU,
#: and none of the background connections that a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The Chromium to drive: ``CAHIER_CHROMIUM``, else Debian's; None when there is none."""
    explicit = os.environ.get("CAHIER_CHROMIUM")
    if explicit:
        return explicit
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return None


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site quietly, with the MIME types the site needs."""

    # ES modules must be served as JavaScript, whatever the machine's MIME database says.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, handler_class: type[SiteHandler] = SiteHandler) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port while the block runs; yield its URL.

    ``handler_class`` (a ``SiteHandler`` subclass) lets tests add their own routes."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
