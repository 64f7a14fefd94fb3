"""Wall time of 1, 2 and 4 shards (`mkdocs-animate render --shard K/N`) running at once, against one cold build,
on the paid path (the stand-in AI/ML API, each clip ready `--latency` s after it is submitted) and with the local
animator. A shared store: moto's S3 on 127.0.0.1. Each shard is a process with its own checkout and local cache,
as a CI runner; then a publishing build on another checkout with an empty local cache.

    python benchmarks/shards.py [--images 12] [--latency 10] [--concurrency 2] [--local-images 16] [--width 320]

Here the "runners" share this machine's cores: the paid path's time is the provider's (waiting), so shards add up
there; the local animator's is CPU, so shards gain only as far as there are cores (printed: `nproc`).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from remote_cache import S3Server  # noqa: E402  (found through the path set above)

from tests.conftest import aws_env, picture  # noqa: E402
from tests.standin import KEY, StandIn  # noqa: E402


def make_site(root: Path, images: int, options: dict) -> None:
    """A site of `images` distinct pictures, four to a page."""
    (root / "docs" / "img").mkdir(parents=True)
    for index in range(images):
        picture(640, 480, seed=index).save(root / "docs" / "img" / f"{index}.jpg", quality=90)
    for page in range(0, images, 4):
        names = range(page, min(page + 4, images))
        text = "\n\n".join(f"Some words.\n\n![picture {i}](img/{i}.jpg)" for i in names)
        (root / "docs" / f"page{page // 4}.md").write_text(text)
    config = {"site_name": "Bench", "plugins": [{"animate": {"min_width": 100, "min_height": 80, **options}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def checkout(template: Path, root: Path, cache_url: str | None) -> Path:
    """A copy of the site (a runner's checkout: no cache, no site), with `cache_url` set or not."""
    shutil.copytree(template, root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    if cache_url:
        config["plugins"][0]["animate"]["cache_url"] = cache_url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def at_once(commands: list[list[str]], env: dict) -> tuple[float, list[int]]:
    """Start every command at once and wait for all: the wall time, and what each made (its summary's "N new")."""
    started = time.perf_counter()
    runs = [
        subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for c in commands
    ]
    made = []
    for run, command in zip(runs, commands):
        _, err = run.communicate()
        if run.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{err}")
        made.append(sum(int(n) for n in re.findall(r"\((\d+) new, \d+ from cache\)", err)))
    return time.perf_counter() - started, made


def scenario(label: str, template: Path, work: Path, url: str, env: dict, paid) -> None:
    """One cold build, then 1, 2 and 4 shards at once (each with a new prefix in the store) and a publishing build."""
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-f"]
    render = [sys.executable, "-m", "mkdocs_animate_plugin.cli", "render", "-f"]
    print(f"{label}:", flush=True)
    before = paid()
    alone, made = at_once([mkdocs + [str(checkout(template, work / label / "alone", None))]], env)
    print(f"  one build (no store)   {alone:6.1f} s   {made[0]} made, {paid() - before} paid", flush=True)
    for n in (1, 2, 4):
        prefix = f"{url}/{label}-{n}"
        shards = [render + [str(checkout(template, work / label / f"{n}-runner{k}", prefix)), "--shard", f"{k}/{n}"]
                  for k in range(1, n + 1)]  # fmt: skip
        before = paid()
        wall, made = at_once(shards, env)
        spent = paid() - before
        publish, again = at_once([mkdocs + [str(checkout(template, work / label / f"{n}-publish", prefix))]], env)
        shares = "+".join(map(str, made))
        print(
            f"  {n} shard(s) at once    {wall:6.1f} s   {shares} made, {spent} paid; then the publishing build "
            f"{publish:5.1f} s, {again[0]} made, {paid() - before - spent} paid",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=12, help="images of the paid site")
    parser.add_argument("--latency", type=float, default=10.0, help="seconds from submission to a clip (paid path)")
    parser.add_argument("--concurrency", type=int, default=2, help="generations in flight per runner (paid path)")
    parser.add_argument("--local-images", type=int, default=16, help="images of the local animator's site")
    parser.add_argument("--width", type=int, default=320)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    import boto3

    server = S3Server(0.0)
    store = aws_env(server.endpoint)  # what a CI job sets
    env = {**os.environ, **store, "AIMLAPI_API_KEY": KEY}
    boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=store["AWS_ACCESS_KEY_ID"],
                 aws_secret_access_key=store["AWS_SECRET_ACCESS_KEY"],
                 region_name="us-east-1").create_bucket(Bucket="animations")  # fmt: skip
    print(f"{os.cpu_count()} cores (nproc); the store on 127.0.0.1, no added latency")
    with tempfile.TemporaryDirectory(prefix="animate-shards-bench-") as folder:
        work = Path(folder)
        (work / "standin").mkdir()
        standin = StandIn(work / "standin").start()
        standin.latency = args.latency
        try:
            paid = {"provider": "aimlapi", "base_url": standin.base_url, "concurrency": args.concurrency,
                    "max_new": args.images, "width": args.width, "duration": 5}  # fmt: skip
            make_site(work / "templates" / "paid", args.images, paid)
            print(
                f"paid path: {args.images} images, a clip {args.latency:g} s after submission, "
                f"concurrency {args.concurrency} per runner, {args.width} px"
            )
            scenario(
                "paid",
                work / "templates" / "paid",
                work,
                "s3://animations",
                env,
                lambda: standin.count("create"),
            )
        finally:
            standin.stop()
        local = {"provider": "local", "width": args.width, "duration": 2}
        make_site(work / "templates" / "local", args.local_images, local)
        print(f"local animator: {args.local_images} images, {args.width} px, 2 s clips")
        scenario("local", work / "templates" / "local", work, "s3://animations", env, lambda: 0)


if __name__ == "__main__":
    main()
