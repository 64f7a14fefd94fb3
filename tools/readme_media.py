"""Make the README's pictures with the project's own pipeline: build example_site/ with the local provider, then
save a strip of frames from each animation, and a small GIF made by a real build with `output: gif`.

    python tools/readme_media.py        # writes docs/media/frames-*.jpg and docs/media/cat.gif
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml
from PIL import Image

from mkdocs_animate_plugin.video import media

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "media"


def build(config: Path, site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], check=True)


def strip(video: Path, height: int = 150, count: int = 4) -> np.ndarray:
    info = media.probe(video)
    rgb = subprocess.run(
        [media.ffmpeg(), "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = list(np.frombuffer(rgb, dtype=np.uint8).reshape(-1, info.height, info.width, 3))
    picks = [frames[round(i * (len(frames) - 1) / count)] for i in range(count)]
    row = np.concatenate([np.pad(f, ((0, 0), (0, 6), (0, 0)), constant_values=255) for f in picks], axis=1)
    image = Image.fromarray(row)
    return np.asarray(image.resize((round(image.width * height / image.height), height), Image.Resampling.LANCZOS))


def screenshot(folder: Path, target: Path) -> None:
    """The cat page as headless Chromium shows it (the browser tests save the same kind of picture)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    root = folder.parent.parent

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        page = browser.new_page(viewport={"width": 900, "height": 640})
        page.route(lambda url: not url.startswith("http://127.0.0.1:"), lambda route: route.abort())
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{folder.relative_to(root).as_posix()}/")
        # The animation is a layer the script lays over the still (see README, "Where the animation stands").
        page.wait_for_function("() => window.mkdocsAnimate.items().some(item => item.layer.currentTime > 1)")
        page.screenshot(path=str(target))
        browser.close()
    server.shutdown()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for motion in ("kenburns", "parallax"):
            example = Path(folder) / f"example-{motion}"
            shutil.copytree(ROOT / "example_site", example, ignore=shutil.ignore_patterns("site", ".cache"))
            config = (example / "mkdocs.yml").read_text().replace("provider: auto", f"local_motion: {motion}")
            (example / "mkdocs.yml").write_text(config)
            build(example / "mkdocs.yml", example / "site")
            videos = sorted((example / "site" / "assets" / "animate").glob("*.mp4"), key=lambda p: p.name)
            rows = [strip(v, height=110) for v in videos[:3]]
            width = max(r.shape[1] for r in rows)
            rows = [np.pad(r, ((0, 6), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
            Image.fromarray(np.concatenate(rows, axis=0)).convert("RGB").save(OUT / f"frames-{motion}.jpg", quality=85)
        screenshot(example / "site" / "animals" / "cat", OUT / "screenshot.png")

        # A small GIF by a real build: the cat page alone, output gif, 320 px wide.
        root = Path(folder) / "gif"
        (root / "docs" / "img").mkdir(parents=True)
        shutil.copy(ROOT / "example_site/docs/img/chelsea.png", root / "docs/img/chelsea.png")
        (root / "docs" / "index.md").write_text("![Chelsea the cat](img/chelsea.png)\n")
        config = {"site_name": "GIF", "plugins": [{"animate": {"provider": "local", "output": "gif", "width": 320}}]}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
        build(root / "mkdocs.yml", root / "site")
        (gif,) = (root / "site" / "assets" / "animate").glob("*.gif")
        shutil.copy(gif, OUT / "cat.gif")
    for name in ("frames-kenburns.jpg", "frames-parallax.jpg", "cat.gif", "screenshot.png"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
