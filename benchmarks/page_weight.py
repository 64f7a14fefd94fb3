"""Bytes a visitor's browser transfers for each page of the example site, before and after lighter files.

    python benchmarks/page_weight.py [--duration 5] [--keep DIR]

The example site is built (local animator, `width: auto`) three ways, into one cache:

    before      the defaults: videos in H.264 alone; the pictures its editor made GIF or WebP stay so
    av1         `video_codecs: [av1, h264]`
    av1+avif    the same, and the pictures made GIF or WebP made animated AVIF instead (`data-animate-output`)

Each page is opened in headless Chromium (Debian's, as the tests use it) in a fresh context (an empty browser
cache), served from 127.0.0.1, at 1280x900 and as a phone (390x844, where the pages are longer than the view).
Bytes are what went over the wire (Chrome DevTools' `encodedDataLength`, headers included): on first view (the
page loaded, the network quiet for a moment), and after scrolling to the end. Prints each page, the animation
bytes apart, and which page is the heaviest.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
ANIMATION = re.compile(r"/assets/animate/[0-9a-f]+\.(mp4|gif|webp|avif)$")
VARIANTS = {
    "before": {},
    "av1": {"video_codecs": ["av1", "h264"]},
    "av1+avif": {"video_codecs": ["av1", "h264"]},
}


def build(root: Path, variant: str, duration: int, cache: Path) -> tuple[Path, float]:
    """The example site, copied, set for `variant`, built by `mkdocs build` in its own process."""
    folder = root / variant
    shutil.copytree(ROOT / "example_site", folder, ignore=shutil.ignore_patterns("site", ".cache"))
    if variant.endswith("avif"):
        for page in (folder / "docs").rglob("*.md"):
            text = page.read_text()
            page.write_text(re.sub(r'data-animate-output="(gif|webp)"', 'data-animate-output="avif"', text))
    config_path = folder / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "animate" in plugin:
            plugin["animate"] = {**(plugin["animate"] or {}), "provider": "local", "duration": duration,
                                 "cache_dir": str(cache), **VARIANTS[variant]}  # fmt: skip
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "AIMLAPI_API_KEY"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_path)], check=True, env=env)
    return folder / "site", time.perf_counter() - started


def serve(folder: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


VIEWPORTS = {
    "desktop 1280x900": {"viewport": {"width": 1280, "height": 900}},
    "phone 390x844": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
                      "has_touch": True},
}  # fmt: skip


def weigh(browser, url: str, viewport: dict) -> dict[str, int]:
    """Bytes over the wire on first view and after scrolling to the end: all, and the animations'."""
    context = browser.new_context(**viewport)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    totals = {"all": 0, "animations": 0}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))

    def finished(event) -> None:
        size = int(event["encodedDataLength"])
        totals["all"] += size
        if ANIMATION.search(urls.get(event["requestId"], "")):
            totals["animations"] += size

    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    first = dict(totals)
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 900, 300):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    context.close()
    return {"first": first["all"], "first_anim": first["animations"], "end": totals["all"],
            "end_anim": totals["animations"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load: {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} cores")
    root = args.keep or Path(tempfile.mkdtemp(prefix="page-weight-"))
    cache = root / "cache"
    results: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for variant in VARIANTS:
                site, seconds = build(root, variant, args.duration, cache)
                print(f"{variant}: built in {seconds:.1f} s")
                server, base = serve(site)
                try:
                    pages = sorted(site.rglob("index.html"))
                    pages = [p for p in pages if "search" not in p.parts and p.parent.name != "404"]
                    for html in pages:
                        path = "/" + html.parent.relative_to(site).as_posix()
                        path = "/" if path == "/." else path + "/"
                        for name, viewport in VIEWPORTS.items():
                            results.setdefault((path, name), {})[variant] = weigh(browser, base + path, viewport)
                finally:
                    server.shutdown()
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    heaviest = max(results, key=lambda key: results[key]["before"]["end"])[0]
    print("\n| page | viewport | variant | first view KiB (animations) | after scrolling to the end KiB (animations) |")
    print("| --- | --- | --- | --- | --- |")
    for (path, name), variants in sorted(results.items(), key=lambda item: (item[0][0] != heaviest, item[0])):
        for variant, w in variants.items():
            mark = " (heaviest)" if path == heaviest else ""
            print(f"| {path}{mark} | {name} | {variant} | {w['first'] / 1024:.0f} ({w['first_anim'] / 1024:.0f}) | "
                  f"{w['end'] / 1024:.0f} ({w['end_anim'] / 1024:.0f}) |")  # fmt: skip
    print(f"\nheaviest page: {heaviest}")
    print(f"load: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
