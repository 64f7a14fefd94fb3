"""Real MkDocs builds of small sites made in a temporary folder, with small clips (160 px, 1 s) to stay fast."""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
PHOTOS = REPO / "example_site" / "docs" / "img"
FAST = {"width": 160, "duration": 1, "min_width": 100, "min_height": 80, "select": "all"}


def picture(width: int = 320, height: int = 240, seed: int = 1) -> Image.Image:
    """A picture with a subject and a background: smooth sky, ground, a disc and some detail, fixed by `seed`."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width]
    sky = np.stack([80 + 100 * ys / height, 140 + 60 * ys / height, 230 - 40 * ys / height], axis=-1)
    ground = ys > height * 0.65
    sky[ground] = [70, 140, 60]
    noise = rng.normal(0, 6, (height, width, 1))
    image = Image.fromarray(np.clip(sky + noise, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    cx, cy, r = width * (0.3 + 0.4 * rng.random()), height * 0.5, min(width, height) * 0.18
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(240, 200, 40), outline=(90, 50, 10), width=3)
    for _ in range(12):
        x, y = rng.integers(0, width), rng.integers(int(height * 0.66), height)
        draw.line((x, y, x + rng.integers(-6, 6), y - rng.integers(8, 30)), fill=(30, 90, 30), width=2)
    return image


@dataclass
class Built:
    site: Path
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)

    def html(self, page: str) -> str:
        return (self.site / page).read_text(encoding="utf-8")

    @property
    def summary(self) -> str:
        return next(line for line in self.infos if "image(s) animated" in line)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Site:
    root: Path

    @classmethod
    def make(cls, root: Path, options: dict | None = None, search: bool = False, **mkdocs_options: object) -> Site:
        """A new site at `root`: an empty docs/ and a mkdocs.yml with the plugin on, set for small fast clips (and
        `options`), after MkDocs' search if `search`; `mkdocs_options` set or replace the rest."""
        config = {"site_name": "Test", "docs_dir": "docs", "markdown_extensions": ["attr_list", "md_in_html"]}
        animate = {"animate": {"provider": "local", **FAST, **(options or {})}}
        config.update(plugins=["search", animate] if search else [animate], **mkdocs_options)
        (root / "docs").mkdir(parents=True)
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
        return cls(root)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "plugin" / "animate"

    def page(self, path: str, text: str) -> Site:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return self

    def image(self, path: str, image: Image.Image | bytes | Path, **save: object) -> Path:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(image, Path):
            target.write_bytes(image.read_bytes())
        elif isinstance(image, bytes):
            target.write_bytes(image)
        else:
            image.save(target, **save)
        return target

    def configure(self, **options: object) -> Site:
        config = yaml.safe_load((self.root / "mkdocs.yml").read_text())
        plugin = next(entry["animate"] for entry in config["plugins"] if isinstance(entry, dict) and "animate" in entry)
        plugin.update(options)
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
        return self

    def set(self, **mkdocs_options: object) -> Site:
        config = yaml.safe_load((self.root / "mkdocs.yml").read_text())
        config.update(mkdocs_options)
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
        return self

    def build(self, strict: bool = False, command: str = "build") -> Built:
        """A real in-process `mkdocs build`, with MkDocs' log records collected."""
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        level = logger.level
        logger.setLevel(logging.INFO)
        try:
            config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
            config.plugins.on_startup(command=command, dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        records = handler.records
        return Built(
            site=Path(config.site_dir),
            warnings=[r.getMessage() for r in records if r.levelno >= logging.WARNING],
            infos=[r.getMessage() for r in records if r.levelno == logging.INFO],
        )

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """`mkdocs ARGS` as a separate process, as a user or CI runs it."""
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", *args, "-f", str(self.root / "mkdocs.yml")],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip


def rgb(source: Path | list[np.ndarray], size: tuple[int, int]) -> list[np.ndarray]:
    """Frames as a visitor sees them, in RGB: a file's (decoded by ffmpeg), or I420 frames converted by ffmpeg as a
    player converts them."""
    from mkdocs_animate_plugin.video import media, yuv

    width, height = size
    raw = b"" if isinstance(source, Path) else b"".join(frame.tobytes() for frame in source)
    given = ["-i", str(source)] if isinstance(source, Path) else [
        "-f", "rawvideo", "-pix_fmt", yuv.PIX_FMT, "-s", f"{width}x{height}", "-i", "-"]  # fmt: skip
    out = subprocess.run(
        [media.ffmpeg(), "-v", "error", *given, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        input=raw,
        capture_output=True,
        check=True,
    ).stdout
    return list(np.frombuffer(out, dtype=np.uint8).reshape(-1, height, width, 3))


def command(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None):
    """`mkdocs-animate ARGS` as a separate process, as a user runs it; `env` is laid over the test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_animate_plugin.cli", *args],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})}, input=stdin, timeout=600,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder (where the command keeps its cache without -f) is a temporary one in every test,
    for the test and for the commands it runs: no test writes into the real ~/.cache."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty site with the plugin on, set for small fast clips; add pages and images, then build."""
    return Site.make(tmp_path)


@pytest.fixture
def provider_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the local provider's real calls (a spy: each call still runs the real animator)."""
    from mkdocs_animate_plugin.providers.local.provider import LocalProvider

    calls: list[str] = []
    real = LocalProvider.animate

    async def counting(self, request):
        calls.append(request.image.name)
        return await real(self, request)

    monkeypatch.setattr(LocalProvider, "animate", counting)
    return calls


@pytest.fixture
def standin(tmp_path_factory: pytest.TempPathFactory):
    """The stand-in AI/ML API on 127.0.0.1 (tests/standin.py)."""
    from .standin import StandIn

    server = StandIn(tmp_path_factory.mktemp("standin")).start()
    yield server
    server.stop()


@pytest.fixture
def paid_site(site: Site, standin, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A site set to the aimlapi provider, pointed at the stand-in, with the key in the environment."""
    from .standin import KEY

    site.configure(provider="aimlapi", base_url=standin.base_url, duration=5)
    monkeypatch.setenv("AIMLAPI_API_KEY", KEY)
    return site


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (tests/chromium.py says when it is skipped)."""
    from .chromium import CHROMIUM, FLAGS, require

    with require().sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


# --- a shared store (`cache_url`): moto's S3 on 127.0.0.1 ------------------------------------------------------

_buckets = itertools.count()


class S3Server:
    """moto's S3 on 127.0.0.1, in a thread: each request is counted (method, path, query), after `latency` s."""

    def __init__(self, latency: float = 0.0) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        app = DomainDispatcherApplication(create_backend_app)
        self.latency = latency
        self.requests: list[tuple[str, str, str]] = []

        def counted(environ, start_response):
            self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], environ.get("QUERY_STRING", "")))
            if self.latency:
                time.sleep(self.latency)
            return app(environ, start_response)

        self._server = make_server("127.0.0.1", 0, counted, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def aws_env(endpoint: str) -> dict[str, str]:
    """What a CI job sets: the endpoint and the credentials, and nothing read from this machine's ~/.aws."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing-key-id",
        "AWS_SECRET_ACCESS_KEY": "testing-secret-0123456789",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@pytest.fixture(scope="module")
def server():
    s3 = S3Server()
    yield s3
    s3.stop()


@pytest.fixture
def bucket(server, monkeypatch):
    """A new, empty bucket on the server, the environment pointed at it; its boto3 client for the test's own eyes."""
    for name, value in aws_env(server.endpoint).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    import boto3

    name = f"animations-{os.getpid()}-{next(_buckets)}"
    client = boto3.client("s3", endpoint_url=server.endpoint)
    client.create_bucket(Bucket=name)
    return name, client


def objects(bucket) -> dict[str, int]:
    name, client = bucket
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
    return {o["Key"]: o["Size"] for page in pages for o in page.get("Contents", ())}
