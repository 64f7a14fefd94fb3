"""What a visitor sees, in a real headless Chromium (Debian's), on built sites served on 127.0.0.1.

Without Chromium these tests are skipped with the reason, except under CI=true, where they must run.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from .conftest import PHOTOS, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true: the browser tests must run, but Chromium is missing (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="the test extra's playwright is not installed")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def serve(folder: Path, port: int = 0):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def served(site):
    """An illustrated site with a video, a GIF and a WebP animation, built and served."""
    for name in ("rocket.jpg", "chelsea.png", "coffee.png"):
        site.image(f"img/{name}", PHOTOS / name)
    site.configure(duration=2)
    site.set(theme={"name": "mkdocs", "highlightjs": False})
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text())
    site.set(plugins=[*config["plugins"], "search"])  # the theme's script expects its search box
    site.page(
        "index.md",
        "# Animals and things\n\nSome text first.\n\n"
        "![A rocket on its pad](img/rocket.jpg)\n\nMore words between the pictures.\n\n"
        "![Chelsea the cat](img/chelsea.png){ data-animate-output=gif }\n\n"
        "![A cup of coffee](img/coffee.png){ data-animate-output=webp }\n\nThe end.\n",
    )
    built = site.build()
    server, url = serve(built.site)
    yield url
    server.shutdown()


def offline(context, errors: list[str]) -> None:
    """Nothing leaves 127.0.0.1: any other request is refused and counted as an error."""

    def refuse(route) -> None:
        errors.append(f"outside request: {route.request.url}")
        route.abort()

    context.route(lambda url: not url.startswith("http://127.0.0.1:"), refuse)


def open_page(browser, url: str, **options):
    context = browser.new_context(**options)
    errors: list[str] = []
    offline(context, errors)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A video that is stopped (reduced motion) cancels its download: that is not an error.
    page.on("requestfailed", lambda r: None if "ABORTED" in (r.failure or "") else errors.append(f"failed: {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, errors


STATE = """v => ({paused: v.paused, muted: v.muted, loop: v.loop, time: v.currentTime, ended: v.ended,
                  ready: v.readyState, width: v.getBoundingClientRect().width, height: v.getBoundingClientRect().height})"""


def test_videos_play_muted_and_loop(browser, served):
    page, errors = open_page(browser, served + "/")
    video = page.locator("video.animate")
    page.wait_for_function("() => document.querySelector('video.animate').currentTime > 0.3")
    state = video.evaluate(STATE)
    assert not state["paused"] and state["muted"] and state["loop"]
    # Past the clip's end (2 s) it is still playing: it loops.
    page.wait_for_timeout(2600)
    later = video.evaluate(STATE)
    assert not later["paused"] and not later["ended"]
    played = video.evaluate("v => v.played.length ? v.played.end(v.played.length - 1) : 0")
    assert played > 0
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "example-site.png"), full_page=True)


def test_click_and_keyboard_pause_and_play(browser, served):
    page, errors = open_page(browser, served + "/")
    video = page.locator("video.animate")
    page.wait_for_function("() => !document.querySelector('video.animate').paused")
    video.click()
    assert video.evaluate("v => v.paused") and video.get_attribute("aria-pressed") == "true"
    video.click()
    page.wait_for_function("() => !document.querySelector('video.animate').paused")
    video.focus()
    page.keyboard.press("Enter")
    assert video.evaluate("v => v.paused")
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('video.animate').paused")
    # The GIF pauses too: its still takes its place.
    gif = page.locator("picture.animate img").first
    gif.focus()
    page.keyboard.press("Enter")
    assert gif.evaluate("img => img.currentSrc").endswith("img/chelsea.png")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('picture.animate img').currentSrc.endsWith('.gif')")
    assert errors == []


def test_reduced_motion_shows_the_stills(browser, served):
    page, errors = open_page(browser, served + "/", reduced_motion="reduce")
    page.wait_for_function("() => document.querySelector('video.animate[data-animate-ready]')")
    page.wait_for_timeout(500)
    video = page.locator("video.animate")
    state = video.evaluate(STATE)
    assert state["paused"] and state["time"] == 0, "no motion: the poster (the still image) is shown"
    sources = page.locator("picture.animate img").evaluate_all("imgs => imgs.map(i => i.currentSrc)")
    assert [s.rsplit("/", 1)[-1] for s in sources] == ["chelsea.png", "coffee.png"]
    assert errors == []


def test_gif_and_webp_animate_normally(browser, served):
    page, errors = open_page(browser, served + "/")
    sources = page.locator("picture.animate img").evaluate_all("imgs => imgs.map(i => i.currentSrc)")
    assert [s.rsplit(".", 1)[-1] for s in sources] == ["gif", "webp"]
    sizes = page.locator("picture.animate img").evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.complete])")
    assert all(width == 160 and complete for width, complete in sizes)
    assert errors == []


def test_layout_does_not_shift_while_animations_load(browser, served):
    context = browser.new_context()
    errors: list[str] = []
    offline(context, errors)
    page = context.new_page()
    page.add_init_script(
        """window.__shifts = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
           if (!e.hadRecentInput) window.__shifts += e.value; }).observe({type: 'layout-shift', buffered: true});"""
    )
    # Slow the animations down so that the page is laid out before they arrive.
    page.route("**/assets/animate/*.mp4", lambda route: (page.wait_for_timeout(700), route.continue_()))
    page.goto(served + "/")
    before = page.locator("video.animate").evaluate("v => v.getBoundingClientRect().height")
    page.wait_for_function("() => document.querySelector('video.animate').readyState >= 2")
    after = page.locator("video.animate").evaluate("v => v.getBoundingClientRect().height")
    assert before == after and before > 50
    assert page.evaluate("window.__shifts") < 0.01
    assert errors == []


@pytest.fixture
def material_site(tmp_path):
    """The example site under mkdocs-material, with instant navigation and a dark palette."""
    root = tmp_path / "example"
    shutil.copytree(REPO / "example_site", root, ignore=shutil.ignore_patterns("site", ".cache"))
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["theme"] = {"name": "material", "features": ["navigation.instant"], "palette": {"scheme": "slate"},
                       "font": False}  # fmt: skip
    config["plugins"] = ["search", {"animate": {"provider": "local", "width": 160, "duration": 1}}]
    # Instant navigation needs site_url: serve where the site says it lives.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config["site_url"] = f"http://127.0.0.1:{port}/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    from .conftest import Site

    built = Site(root).build(strict=True)
    assert "image(s) animated" in built.summary
    server, url = serve(built.site, port)
    yield url
    server.shutdown()


def test_material_instant_navigation_and_dark_mode(browser, material_site):
    page, errors = open_page(browser, material_site + "/")
    page.wait_for_function("() => document.querySelector('video.animate[data-animate-ready]')")
    # Instant navigation swaps the page without a reload: the script must set up the new page's videos too.
    page.evaluate("window.__same_document = true")
    page.locator("article a[href$='animals/cat/']").first.click()
    page.wait_for_url("**/animals/cat/")
    assert page.evaluate("window.__same_document === true"), "instant navigation, not a reload"
    video = page.locator("video.animate")
    page.wait_for_function("() => document.querySelector('video.animate[data-animate-ready]')")
    page.wait_for_function("() => !document.querySelector('video.animate').paused")
    video.click()
    assert video.evaluate("v => v.paused")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert errors == []
