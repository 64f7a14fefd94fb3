"""A stand-in for the AI/ML API, written from shared/PROVIDER-API.md, served over real HTTP on 127.0.0.1.

It answers chat completions, creates image-to-video generations whose clips are real H.264 made from the
submitted image, and serves the clips as a CDN would (no key). Latency and faults can be injected per endpoint:

    standin.fail("create", 429, 500)       the next two creates answer 429 (Retry-After: 0), then 500
    standin.fail("poll", "error")          the next generation that completes reports status "error"
    standin.fail("download", "truncate")   the next clip download is cut in half ("html", "slow", 404 too)
    standin.latency = 3.0                  seconds from submission to "completed"
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import imageio_ffmpeg

KEY = "sk-test-5ecret-9f8e7d6c5b4a"
PROMPT = "The picture breathes gently: a soft breeze, slow light, calm."


class StandIn:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.latency = 0.0
        self.calls: list[dict] = []
        self.faults: dict[str, list] = defaultdict(list)
        self.generations: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._clip_lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- control from the tests -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, endpoint: str, *faults: object) -> None:
        with self._lock:
            self.faults[endpoint].extend(faults)

    def count(self, endpoint: str) -> int:
        return sum(call["endpoint"] == endpoint for call in self.calls)

    def _fault(self, endpoint: str) -> object | None:
        with self._lock:
            return self.faults[endpoint].pop(0) if self.faults[endpoint] else None

    # --- the API ----------------------------------------------------------------------------------------

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes | dict, kind: str = "application/json", headers=None) -> None:
                data = json.dumps(body).encode() if isinstance(body, dict) else body
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _record(self, endpoint: str, body: dict | None = None) -> None:
                with standin._lock:
                    standin.calls.append(
                        {"endpoint": endpoint, "path": self.path, "body": body, "time": time.monotonic(),
                         "headers": {k.lower(): v for k, v in self.headers.items()}}
                    )

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {KEY}":
                    self._send(401, {"error": {"message": "Invalid API key"}})
                    return False
                return True

            def _injected(self, endpoint: str) -> bool:
                fault = standin._fault(endpoint)
                if isinstance(fault, int):
                    headers = {"Retry-After": "0"} if fault == 429 else {}
                    self._send(fault, {"error": {"message": f"injected {fault}"}}, headers=headers)
                    return True
                if fault is not None:
                    standin.faults[endpoint].insert(0, fault)  # not for this step: keep it
                return False

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                path = urlsplit(self.path).path
                endpoint = {"/v1/chat/completions": "chat", "/v2/video/generations": "create"}.get(path)
                self._record(endpoint or path, body)
                if endpoint is None:
                    return self._send(404, {"error": "not found"})
                if not self._authorised() or self._injected(endpoint):
                    return None
                if endpoint == "chat":
                    return self._send(200, {
                        "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model"),
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": PROMPT}}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                    })  # fmt: skip
                image = body.get("image_url", "")
                if not image.startswith("data:image/") or str(body.get("duration")) not in ("5", "10"):
                    return self._send(400, {"error": {"message": "image_url and duration 5 or 10 are required"}})
                with standin._lock:
                    generation = f"gen-{len(standin.generations) + 1:04d}"
                    standin.generations[generation] = {"body": body, "created": time.time()}
                return self._send(201, {"id": generation, "status": "queued"})

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path.startswith("/files/"):
                    return self._file(parts.path.rsplit("/", 1)[-1])
                self._record("poll")
                if parts.path != "/v2/video/generations":
                    return self._send(404, {"error": "not found"})
                if not self._authorised() or self._injected("poll"):
                    return None
                generation = parse_qs(parts.query).get("generation_id", [""])[0]
                record = standin.generations.get(generation)
                if record is None:
                    return self._send(404, {"error": {"message": "no such generation"}})
                age = time.time() - record["created"]
                if age < standin.latency:
                    status = "queued" if age < standin.latency / 2 else "generating"
                    return self._send(200, {"id": generation, "status": status, "video": None, "error": None})
                with standin._clip_lock:  # two builds may poll the same generation at once: make it once
                    if "outcome" not in record:
                        fault = standin._fault("poll")
                        if fault == "error":
                            record["outcome"] = "error"
                        else:
                            if fault is not None:
                                standin.faults["poll"].insert(0, fault)
                            standin._make_clip(generation, record["body"])
                            record["outcome"] = "completed"
                if record["outcome"] == "error":
                    return self._send(200, {"id": generation, "status": "error", "video": None,
                                            "error": {"name": "GenerationError", "message": "injected failure"}})  # fmt: skip
                url = f"{standin.base_url}/files/{generation}.mp4"
                return self._send(200, {"id": generation, "status": "completed", "error": None,
                                        "video": {"url": url, "content_type": "video/mp4"}})  # fmt: skip

            def _file(self, name: str) -> None:
                self._record("download")
                if "Authorization" in self.headers:
                    return self._send(400, {"error": "the CDN must not be sent the key"})
                clip = standin.folder / name
                fault = standin._fault("download")
                if isinstance(fault, int):
                    return self._send(fault, b"gone", "text/plain")
                if not clip.is_file():
                    return self._send(404, b"no such file", "text/plain")
                data = clip.read_bytes()
                if fault == "html":
                    return self._send(200, b"<html><body>Access denied</body></html>", "text/html")
                if fault == "truncate":
                    data = data[: len(data) // 2]
                if fault == "slow":
                    time.sleep(2)
                return self._send(200, data, "video/mp4")

        return Handler

    def _make_clip(self, generation: str, body: dict) -> None:
        """A real H.264 clip of the submitted image, as Kling's are larger than the page needs: a slow pan across it,
    720 px wide, 24 fps, as long as asked."""
        header, _, data = body["image_url"].partition(",")
        still = self.folder / f"{generation}.jpg"
        still.write_bytes(base64.b64decode(data))
        seconds = int(body.get("duration", 5))
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-loop", "1", "-i", str(still), "-t", str(seconds),
             "-r", "24", "-vf", f"scale=752:-2,crop=720:ih-16:32*t/{seconds}:8,format=yuv420p",
             "-c:v", "libx264", "-preset", "ultrafast", "-an", str(self.folder / f"{generation}.mp4")],
            check=True,
        )  # fmt: skip
