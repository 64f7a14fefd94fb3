"""Warm build overhead: a site of 300 pages / 600 images built cold, then warm, then with `enabled: false`.

    python benchmarks/warm_build.py [--pages 300] [--width 640] [--duration 5] [--repeat 9] [--keep DIR]

Each build is a separate `mkdocs build` process, as in CI; warm and plain builds alternate. Prints the cold time,
then, in wall time and in CPU time (user + system of the build's process), the median warm and plain times and the
warm overhead in percent (the target is within 5%): of the medians, and as the median of the differences between
each warm build and the plain build right after it (a shared machine's speed drifts by more than 5% over minutes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
# As on a user's machine, Python keeps compiled modules (some sandboxes set PYTHONDONTWRITEBYTECODE, which would
# make every build compile the plugin again, but not MkDocs, installed with its bytecode).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
PHOTOS = sorted((ROOT / "example_site/docs/img").glob("*.[jp][pn]g"))


def make_site(root: Path, pages: int, width: int, duration: int) -> None:
    docs = root / "docs"
    (docs / "img").mkdir(parents=True)
    rng = np.random.default_rng(7)
    bases = [Image.open(p).convert("RGB") for p in PHOTOS]
    for index in range(pages * 2):
        # Distinct images: a photo, cropped, flipped and tinted differently each time.
        base = bases[index % len(bases)]
        x, y = rng.integers(0, base.width // 6), rng.integers(0, base.height // 6)
        image = base.crop((x, y, x + base.width * 5 // 6, y + base.height * 5 // 6))
        image = ImageOps.mirror(image) if index % 2 else image
        tint = Image.new("RGB", image.size, tuple(int(v) for v in rng.integers(0, 255, 3)))
        Image.blend(image, tint, 0.12).save(docs / "img" / f"p{index:04d}.jpg", quality=85)
    for page in range(pages):
        folder = docs / f"section{page % 10}"
        folder.mkdir(exist_ok=True)
        text = f"# Page {page}\n\n" + "Some words about the picture. " * 40 + "\n\n"
        text += f"![First picture of page {page}](../img/p{2 * page:04d}.jpg)\n\nMore text.\n\n"
        text += f"![Second picture of page {page}](../img/p{2 * page + 1:04d}.jpg)\n"
        (folder / f"page{page:03d}.md").write_text(text)
    (docs / "index.md").write_text("# Home\n")
    config = {"site_name": "Bench", "plugins": [{"animate": {"provider": "local", "width": width,
              "duration": duration, "min_width": 100, "min_height": 80}}]}  # fmt: skip
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def set_enabled(root: Path, enabled: bool) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][0]["animate"]["enabled"] = enabled
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def build(root: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one build in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], check=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="build here (and reuse its cache) instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = args.keep or Path(folder)
        if not (root / "mkdocs.yml").exists():
            make_site(root, args.pages, args.width, args.duration)
        set_enabled(root, True)
        cold, _ = build(root)
        print(
            f"cold build ({args.pages} pages, {args.pages * 2} images, {args.width} px, {args.duration} s): "
            f"{cold:.1f} s"
        )
        runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for _ in range(args.repeat):
            for enabled in (True, False):  # alternated, so that a slow spell of the machine hits both
                set_enabled(root, enabled)
                runs[enabled].append(build(root))
        for index, measure in enumerate(("wall", "CPU")):
            warm = [run[index] for run in runs[True]]
            plain = [run[index] for run in runs[False]]
            w, p = statistics.median(warm), statistics.median(plain)
            # Each warm build is compared with the plain build right after it: the machine's slow spells cancel.
            paired = statistics.median(a - b for a, b in zip(warm, plain))
            print(f"{measure} time: warm median {w:.2f} s {[round(t, 2) for t in warm]}")
            print(f"{measure} time: enabled: false median {p:.2f} s {[round(t, 2) for t in plain]}")
            print(
                f"{measure} time: warm overhead {100 * (w - p) / p:+.1f}% of medians, {100 * paired / p:+.1f}% "
                f"({paired * 1000:+.0f} ms) by the median of paired differences (the target is within 5%)"
            )


if __name__ == "__main__":
    main()
