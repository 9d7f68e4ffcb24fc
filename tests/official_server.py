"""A local HTTP server standing in for the official download servers (trade.gov, treasury.gov).

``/consolidated.csv`` and ``/sdn.csv`` serve the fixture files; ``/fail`` answers 503;
``/truncated/NAME`` announces the whole file and sends half; ``/rowcut/NAME`` sends only the first
four lines, with a length that matches (a well-formed but truncated file); ``/slow/NAME`` waits 2 s; ``/moved``
redirects; ``/html`` serves an HTML page with status 200. Conftests import the ``server`` fixture.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

SNAPSHOT = Path(__file__).parent / "fixtures" / "sources" / "snapshot"


class OfficialServer(BaseHTTPRequestHandler):
    """Serves the fixture files like the official servers, and misbehaves on request."""

    files: ClassVar[dict[str, Path]] = {
        "/consolidated.csv": SNAPSHOT / "csl" / "consolidated.csv",
        "/sdn.csv": SNAPSHOT / "ofac" / "sdn-2024-05-03.csv",
    }

    def do_GET(self) -> None:
        path = self.path
        if path == "/fail":
            self.send_error(503, "Service Unavailable")
            return
        if path.startswith("/slow"):
            time.sleep(2)
        truncated = path.startswith("/truncated")
        rowcut = path.startswith("/rowcut")
        name = path.removeprefix("/truncated").removeprefix("/slow").removeprefix("/rowcut")
        if name == "/moved":
            self.send_response(302)
            self.send_header("Location", "/consolidated.csv")
            self.end_headers()
            return
        if name == "/html":
            body = b"<html><body>Down for maintenance</body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        target = self.files.get(name)
        if target is None:
            self.send_error(404)
            return
        body = target.read_bytes()
        if rowcut:
            body = b"".join(body.splitlines(keepends=True)[:4])
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncated else body)
        if truncated:
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping for /slow must not hold up the tests' end


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL of a local server standing in for trade.gov and treasury.gov."""
    httpd = _Server(("127.0.0.1", 0), OfficialServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
