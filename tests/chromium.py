"""Debian's Chromium for the browser tests, driven by Playwright: found, or the tests are skipped with the reason,
except under CI=true, where they must run. Sites are served on 127.0.0.1 and nothing may leave it."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"


def require():
    """Playwright's sync API, or a skip (a failure under CI=true) that says what is missing."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError(
                "CI=true: the browser tests must run, but Chromium is missing (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="the test extra's playwright is not installed")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


def free_port() -> int:
    """A port free on 127.0.0.1, for a site whose `site_url` (which instant navigation needs) names it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(folder: Path, port: int = 0):
    """A site folder served on 127.0.0.1 in a thread: the server and its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def offline(context, errors: list[str]) -> None:
    """Nothing leaves 127.0.0.1: any other request is refused and counted as an error."""

    def refuse(route) -> None:
        errors.append(f"outside request: {route.request.url}")
        route.abort()

    context.route(lambda url: not url.startswith("http://127.0.0.1:"), refuse)


def tab_to_button(page, index: int = 0, presses: int = 40) -> None:
    """Press Tab until the pause button of the page's animation `index` has the focus, as a keyboard user does."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const b = window.mkdocsAnimate.items()[{index}].button; "
            "return b.getRootNode().activeElement === b; }"
        ):
            return
    raise AssertionError("Tab never reaches the pause button")
