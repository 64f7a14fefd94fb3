"""A stand-in for the AI/ML API, written from shared/PROVIDER-API.md, served over real HTTP on 127.0.0.1.

It answers chat completions (a motion prompt and a verdict: does motion suit the picture?), creates image-to-video
generations whose clips are real H.264 made from the submitted image, and serves the clips as a CDN would (no key).

Each model accepts what its published request schema says (`SCHEMAS`, the provider's own file, read here and not
through the plugin's table), and no field the schema does not name: any other field, a duration of the wrong type
or value, a missing required field or the wrong endpoint is a 400 with the documented body ("Body validation
error!" and a requestId; `refusals` says why). A clip comes back to its first frame only when the request asked
for it (the start image as the end frame, or `loop: true`), else it pans away; it has a sound track when the
model's audio switch is on (as sent, else its schema's default). A finished generation reports
`meta.usage.credits_used`.

    standin.fail("create", 429, 500)       the next two creates answer 429 (Retry-After: 0), then 500 (403 too)
    standin.fail("poll", "error")          the next generation that completes reports status "error"
    standin.fail("download", "truncate")   the next clip download is cut in half ("html", "slow", 404 too)
    standin.latency = 3.0                  seconds from submission to "completed"
    standin.answer = "lines"               the chat answers "YES"/"NO" on a first line ("json": an object; "plain")
    standin.credits = None                 finished generations report no cost (default: CREDITS per clip)
"""

from __future__ import annotations

import base64
import functools
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
UNSUITED = ("chart", "diagram", "screenshot")  # words in the text around an image that make the verdict "no"
CREDITS = 840_000  # what a clip costs by default: US$0.42
# The provider's own request schemas, as published (a copy of shared/aimlapi/video-request-schemas.json): the
# stand-in reads them itself, not through the plugin's table.
SCHEMAS_FILE = Path(__file__).parent / "data" / "aimlapi" / "video-request-schemas.json"
SCHEMAS = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))["models"]
CREATE_PATHS = {entry["path"] for entry in SCHEMAS.values()}
END_FRAMES = ("last_image_url", "tail_image_url")


@functools.cache
def _validator(model: str):
    """The model's published schema, closed: a field it does not name is refused. Made once per model."""
    from jsonschema import Draft7Validator

    return Draft7Validator({**SCHEMAS[model]["schema"], "additionalProperties": False})


def problem(body: dict, path: str = "/v2/video/generations") -> str | None:
    """Why the provider refuses this body, if it does: its model's published schema, with no field it does not name
    (a duration of the wrong type or value, a missing required field, an unknown field), or the wrong endpoint."""
    entry = SCHEMAS.get(body.get("model"))
    if entry is None:
        return f"no such model: {body.get('model')!r}"
    if path != entry["path"]:
        return f"{body['model']} is served at {entry['path']}, not {path}"
    errors = sorted(
        f"{'/'.join(map(str, error.absolute_path)) or 'body'}: {error.message}"
        for error in _validator(body["model"]).iter_errors(body)
    )
    if errors:
        return f"{body['model']}: {'; '.join(errors)}"
    if not str(body.get("image_url", "")).startswith("data:image/"):
        return "image_url is not an image"
    if len(str(body.get("prompt", ""))) > 2000:
        return "prompt is over 2000 characters"
    return None


class StandIn:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.latency = 0.0
        self.calls: list[dict] = []
        self.faults: dict[str, list] = defaultdict(list)
        self.generations: dict[str, dict] = {}
        self.refusals: list[str] = []  # why each 400 was given
        self.answer = "json"
        self.credits: int | None = CREDITS
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
                        {
                            "endpoint": endpoint,
                            "path": self.path,
                            "body": body,
                            "time": time.monotonic(),
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                        }
                    )

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {KEY}":
                    self._error(401, "Invalid API key")
                    return False
                return True

            def _error(self, status: int, message: str, headers=None) -> None:
                """The documented error body: {message, path, requestId, statusCode, timestamp}."""
                with standin._lock:
                    request_id = f"req-{len(standin.calls):05d}"
                body = {
                    "message": message,
                    "path": urlsplit(self.path).path,
                    "requestId": request_id,
                    "statusCode": status,
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
                self._send(status, body, headers=headers)

            def _injected(self, endpoint: str) -> bool:
                fault = standin._fault(endpoint)
                if isinstance(fault, int):
                    headers = {"Retry-After": "0"} if fault == 429 else {}
                    message = {400: "Body validation error!", 403: "Insufficient credits"}.get(
                        fault, f"injected {fault}"
                    )
                    self._error(fault, message, headers=headers)
                    return True
                if fault is not None:
                    standin.faults[endpoint].insert(0, fault)  # not for this step: keep it
                return False

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                path = urlsplit(self.path).path
                endpoint = "create" if path in CREATE_PATHS else {"/v1/chat/completions": "chat"}.get(path)
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
                                     "message": {"role": "assistant", "content": standin._chat(body)}}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                    })  # fmt: skip
                refusal = problem(body, path)
                if refusal:
                    with standin._lock:
                        standin.refusals.append(refusal)
                    return self._error(400, "Body validation error!")
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
                    return self._send(
                        200,
                        {
                            "id": generation,
                            "status": "error",
                            "video": None,
                            "error": {"name": "GenerationError", "message": "injected failure"},
                        },
                    )
                url = f"{standin.base_url}/files/{generation}.mp4"
                meta = {"usage": {"credits_used": standin.credits}} if standin.credits is not None else None
                return self._send(200, {"id": generation, "status": "completed", "error": None, "meta": meta,
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

    # --- what the API does -------------------------------------------------------------------------------

    def _chat(self, body: dict) -> str:
        """The vision model's answer: motion suits the picture unless the text around it names an instrument."""
        text = " ".join(
            part.get("text", "") for message in body.get("messages", []) if isinstance(message.get("content"), list)
            for part in message["content"] if part.get("type") == "text"
        ).lower()  # fmt: skip
        suited = not any(word in text for word in UNSUITED)
        reason = "a photograph" if suited else "a chart with axes and labels"
        if self.answer == "lines":
            return f"YES\n{PROMPT}" if suited else f"NO: {reason}"
        if self.answer == "plain":
            return PROMPT
        answer = {"suits_motion": suited, "reason": reason, "prompt": PROMPT if suited else ""}
        return "```json\n" + json.dumps(answer) + "\n```"

    def _make_clip(self, generation: str, body: dict) -> None:
        """A real H.264 clip of the submitted image, 720 px wide, 24 fps, as long as asked (larger than the page
        needs, as real clips are). It pans out and back to where it began when asked to loop (the start image as
        its end frame, or `loop: true`), else it pans away; it has a sound track when the model makes sound."""
        header, _, data = body["image_url"].partition(",")
        still = self.folder / f"{generation}.jpg"
        still.write_bytes(base64.b64decode(data))
        seconds = int(body.get("duration", 5))
        fields = SCHEMAS[body["model"]]["schema"]["properties"]
        ends = [body.get(end) for end in END_FRAMES if end in fields]
        loops = body.get("loop") is True or body["image_url"] in ends
        pan = f"16*(1-cos(2*PI*t/{seconds}))" if loops else f"32*t/{seconds}"
        switches = [name for name in fields if name.startswith("generate_audio")]
        sound = any(body.get(name, fields[name].get("default", False)) is True for name in switches)
        audio = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"] if sound else []
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-loop", "1", "-i", str(still), *audio,
             "-t", str(seconds), "-r", "24", "-vf", f"scale=752:-2,crop=720:ih-16:'{pan}':8,format=yuv420p",
             "-c:v", "libx264", "-preset", "ultrafast", *(["-c:a", "aac", "-shortest"] if sound else ["-an"]),
             str(self.folder / f"{generation}.mp4")],
            check=True,
        )  # fmt: skip
