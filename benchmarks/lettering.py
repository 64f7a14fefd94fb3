"""What the lettering signal (the `text` extra) costs per picture, beside the pixel rules alone.

    python benchmarks/lettering.py [--every 3]

Judges every `--every`-th picture of the labelled set tests/images/select/ three ways and prints milliseconds a
picture (median and mean, one core: the model runs on one thread): the pixel rules alone (decode a 256 px copy
and measure it), the lettering alone (decode a copy, run the detection model, count the patches), and the
judgement a build makes (`stills.judge`: the lettering only where the pixels would animate).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from mkdocs_animate_plugin.selection import lettering
from mkdocs_animate_plugin.selection.pixels import SAMPLE_WIDTH, kind_of
from mkdocs_animate_plugin.selection.stills import judge
from mkdocs_animate_plugin.video import picture

SET = Path(__file__).resolve().parent.parent / "tests" / "images" / "select"


def timed(files: list[Path], work) -> list[float]:
    spent = []
    for path in files:
        start = time.perf_counter()
        work(path)
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=3)
    files = sorted(p for p in SET.glob("*/*") if p.suffix in (".png", ".jpg"))[:: parser.parse_args().every]
    if lettering.model() is None:
        raise SystemExit("the text extra is not installed: pip install 'mkdocs-animate-plugin[text]'")
    lettering.regions(files[0])  # the model is loaded once per process: not counted per picture
    for name, work in (("pixels", lambda p: kind_of(picture.load(p, SAMPLE_WIDTH))),
                       ("lettering", lettering.regions), ("judge (both)", judge)):  # fmt: skip
        spent = timed(files, work)
        print(f"{name:>13}: {statistics.median(spent):6.1f} ms median, {statistics.mean(spent):6.1f} ms mean "
              f"({len(files)} pictures)")  # fmt: skip


if __name__ == "__main__":
    main()
