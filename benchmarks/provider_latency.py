"""Wall time and peak memory of a paid build: 12 distinct images against the stand-in AI/ML API with 4 s latency,
`concurrency: 4`. The expectation is about ceil(12/4) x 4 s = 12 s, plus prompts, downloads and encoding.

    python benchmarks/provider_latency.py [--images 12] [--latency 4] [--concurrency 4]

Prints the build's wall time, the scheduler's bound, the calls the stand-in saw, and the build's peak RSS.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import picture  # noqa: E402
from tests.standin import KEY, StandIn  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--latency", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "standin").mkdir()
        standin = StandIn(root / "standin").start()
        standin.latency = args.latency
        docs = root / "site" / "docs"
        (docs / "img").mkdir(parents=True)
        for index in range(args.images):
            picture(800, 600, seed=index).save(docs / "img" / f"{index}.jpg", quality=90)
        (docs / "index.md").write_text("\n\n".join(f"![picture {i}](img/{i}.jpg)" for i in range(args.images)))
        config = {"site_name": "Bench", "plugins": [{"animate": {
            "provider": "aimlapi", "base_url": standin.base_url, "concurrency": args.concurrency,
            "max_new": args.images}}]}  # fmt: skip
        (root / "site" / "mkdocs.yml").write_text(yaml.safe_dump(config))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "site" / "mkdocs.yml")],
            check=True, env={**os.environ, "AIMLAPI_API_KEY": KEY},
        )  # fmt: skip
        wall = time.perf_counter() - started
        last_download = max(c["time"] for c in standin.calls if c["endpoint"] == "download") - (
            min(c["time"] for c in standin.calls)
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        standin.stop()
    bound = math.ceil(args.images / args.concurrency) * args.latency
    print(f"{args.images} images, latency {args.latency:g} s, concurrency {args.concurrency}")
    print(
        f"wall time: {wall:.1f} s (scheduler bound ceil({args.images}/{args.concurrency}) x {args.latency:g} s "
        f"= {bound:.0f} s)"
    )
    print(f"from the first provider call to the last clip downloaded: {last_download:.1f} s (the rest is encoding)")
    calls = {name: standin.count(name) for name in ("chat", "create", "poll", "download")}
    print(f"calls: {calls}")
    print(f"peak memory of the build (max RSS of the mkdocs process and its ffmpeg children): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
