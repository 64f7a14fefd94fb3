"""The review gallery: the standard library's HTTP server on 127.0.0.1, a page (assets/gallery.*) and a small API.

    GET  /                       the gallery page; /gallery.css, /gallery.js beside it
    GET  /api/clips              the last build's clips with their states (record.rows), pending first
    GET  /media/still/<key>      the clip's still, from the site's sources
    GET  /media/animation/<key>  one animation of the clip, from the cache (byte ranges for video)
    POST /api/decide             {"key": ..., "action": "approve" | "reject" | "retake"}: written to the file at once

Only files the build's record names are served, by the clip's key, never by a path from the URL. Every request
must name this server as its Host (a page on another site cannot reach it through DNS tricks), and a write must
come from the gallery's own page: its Origin is this server and its body JSON (which no other site's page can send
here without a preflight this server never answers).
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..cache.layout import ANIMATIONS
from ..markup import rewrite
from .decisions import Review, ReviewError, decide
from .record import read_record, rows

HOST = "127.0.0.1"
PAGE_FILES = {"/": "gallery.html", "/gallery.css": "gallery.css", "/gallery.js": "gallery.js"}
ACTIONS = ("approve", "reject", "retake")
MAX_BODY = 4096
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class Gallery:
    """The gallery of one site: its review file and its cache (where the build's record is)."""

    def __init__(self, review_file: Path, cache_root: Path, *, port: int = 0) -> None:
        self.review_file = review_file
        self.cache_root = cache_root
        try:
            self.server = ThreadingHTTPServer((HOST, port), _handler(self))
        except OSError:
            if port == 0:
                raise
            self.server = ThreadingHTTPServer((HOST, 0), _handler(self))  # the port is taken: any free one
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._thread: threading.Thread | None = None

    def hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    def start(self) -> Gallery:
        """Serve from a thread (for tests and embedding); `serve_forever` serves from this one."""
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()

    # --- what the handler asks ----------------------------------------------------------------------------

    def clips(self) -> tuple[list[dict[str, Any]], Review]:
        review = Review.load(self.review_file)
        return rows(read_record(self.cache_root), review), review

    def file_of(self, kind: str, key: str) -> Path | None:
        """The still or the animation of the clip `key`, as the record names them."""
        for clip in read_record(self.cache_root):
            if clip.get("key") != key:
                continue
            if kind == "still":
                return Review(self.review_file).root / clip["image"]
            if kind == "animation" and clip.get("animation"):
                name = Path(str(clip["animation"])).name  # a file of the cache's animations, nothing else
                return self.cache_root / ANIMATIONS / name
        return None

    def decide(self, key: str, action: str) -> dict[str, Any]:
        listed, _ = self.clips()
        row = next((r for r in listed if r["key"] == key), None)
        if row is None:
            raise ReviewError(f"no animation {key!r} in the last build")
        decide(self.review_file, row, action)
        listed, _ = self.clips()
        return next(r for r in listed if r["key"] == key)


class _Handler(BaseHTTPRequestHandler):
    """The gallery's answers: its page, the clips as JSON, the stills and animations (with ranges), decisions."""

    server_version = "mkdocs-animate-review"
    gallery: Gallery  # set on the subclass each gallery serves with (`_handler`)

    def log_message(self, *args: object) -> None:
        pass  # the command's terminal shows its URL, not every request

    def _send(self, status: int, body: bytes | dict | list, kind: str = "application/json", headers=None) -> None:
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, message: str) -> None:
        self._send(status, {"error": message})

    def _host_ok(self) -> bool:
        if self.headers.get("Host", "") not in self.gallery.hosts():
            self._refuse(403, "this gallery answers only on its own address")
            return False
        return True

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path in PAGE_FILES:
            name = PAGE_FILES[path]
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            headers = {"Content-Security-Policy": "default-src 'self'; img-src 'self'; media-src 'self'"}
            return self._send(200, (rewrite.ASSETS / name).read_bytes(), f"{kind}; charset=utf-8", headers)
        if path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        if path == "/api/clips":
            listed, review = self.gallery.clips()
            return self._send(
                200, {"clips": listed, "problems": review.problems, "file": str(self.gallery.review_file)}
            )
        parts = path.split("/")
        if len(parts) == 4 and parts[1] == "media" and parts[2] in ("still", "animation"):
            file = self.gallery.file_of(parts[2], parts[3])
            if file is not None and file.is_file():
                return self._file(file)
        self._refuse(404, "not found")

    def _file(self, file: Path) -> None:
        size = file.stat().st_size
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        start, end = 0, size - 1
        match = _RANGE.match(self.headers.get("Range", "").strip())
        status, headers = 200, {"Accept-Ranges": "bytes"}
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            else:  # the last N bytes
                start = max(0, size - int(match.group(2)))
            if start > end or start >= size:
                return self._send(416, b"", kind, {"Content-Range": f"bytes */{size}"})
            status, headers["Content-Range"] = 206, f"bytes {start}-{end}/{size}"
        with open(file, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start + 1)
        self._send(status, data, kind, headers)

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        if not self._from_own_page():
            return self._refuse(403, "a decision is accepted only from the gallery's own page")
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self._refuse(415, "expected application/json")
        if urlsplit(self.path).path != "/api/decide":
            return self._refuse(404, "not found")
        decision = self._decision()
        if decision is None:
            return
        try:
            row = self.gallery.decide(*decision)
        except ReviewError as error:
            return self._refuse(409, str(error))
        self._send(200, row)

    def _from_own_page(self) -> bool:
        """A write comes from the gallery's own page: the browser names its origin, and only a page of this origin
        may send JSON here (another site's would need a CORS preflight, which is never answered)."""
        origin = self.headers.get("Origin")
        if origin is not None:
            return origin in {f"http://{host}" for host in self.gallery.hosts()}
        return self.headers.get("Sec-Fetch-Site") in (None, "same-origin", "none")

    def _decision(self) -> tuple[str, str] | None:
        """The key and action of a decision's small JSON body; None once it is refused."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self._refuse(400, "expected a small JSON body")
        try:
            body = json.loads(self.rfile.read(length))
            key, action = str(body["key"]), str(body["action"])
        except (ValueError, KeyError, TypeError):
            return self._refuse(400, 'expected {"key": ..., "action": ...}')
        if action not in ACTIONS:
            return self._refuse(400, f"action must be one of {', '.join(ACTIONS)}")
        return key, action


def _handler(gallery: Gallery) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"gallery": gallery})


def serve(review_file: Path, cache_root: Path, port: int = 0) -> Gallery:
    """A gallery serving from a thread; `close()` stops it."""
    return Gallery(review_file, cache_root, port=port).start()


__all__ = ["Gallery", "serve"]
