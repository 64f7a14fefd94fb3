"""The cost of the network with `cache_url`: requests to the store and build time, against a real S3-compatible server
on 127.0.0.1 (moto's, from the test extra) that answers each request after an injected latency.

    python benchmarks/remote_cache.py [--pages 100] [--latency 0.05] [--width 320] [--duration 2] [--keep DIR]

Each build is a separate `mkdocs build` process, as in CI. Machine A builds cold (empty local cache, empty bucket),
then warm; machine B (another checkout path, an empty local cache, the same bucket) builds, then builds warm. For
comparison, the same site without `cache_url`, cold and warm. Prints, per build, the wall time and the requests the
store answered, by kind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from warm_build import ENV, make_site


class S3Server:
    """moto's S3 on 127.0.0.1 in a thread; each request is counted by kind, then answered after `latency` s."""

    def __init__(self, latency: float) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        app = DomainDispatcherApplication(create_backend_app)
        self.latency = latency
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

        def counted(environ, start_response):
            method, query = environ["REQUEST_METHOD"], environ.get("QUERY_STRING", "")
            kind = "LIST" if method == "GET" and "list-type" in query else method
            with self._lock:
                self.counts[kind] += 1
                if os.environ.get("BENCH_DEBUG"):
                    print("   ", kind, environ["PATH_INFO"], file=sys.stderr)
            time.sleep(self.latency)
            return app(environ, start_response)

        self._server = make_server("127.0.0.1", 0, counted, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def take(self) -> Counter[str]:
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts


def configure(root: Path, width: int, duration: int, url: str | None) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    options = config["plugins"][0]["animate"]
    options.update(width=width, duration=duration)
    if url:
        options["cache_url"] = url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def build(root: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], check=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before the store answers each request")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    import logging

    import boto3

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's line per request
    server = S3Server(args.latency)
    env = {**ENV, "AWS_ENDPOINT_URL": server.endpoint, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
           "AWS_EC2_METADATA_DISABLED": "true"}  # fmt: skip
    boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id="bench", aws_secret_access_key="bench",
                 region_name="us-east-1").create_bucket(Bucket="animations")  # fmt: skip
    url = "s3://animations/bench"

    work = args.keep or Path(tempfile.mkdtemp(prefix="animate-remote-bench-"))
    a, b, plain = work / "machine-a", work / "machine-b", work / "no-store"
    make_site(a, args.pages, args.width, args.duration)
    shutil.copytree(a, plain)
    configure(a, args.width, args.duration, url)
    configure(plain, args.width, args.duration, None)
    images = args.pages * 2
    print(f"{args.pages} pages, {images} images, {args.width} px, {args.duration} s clips; "
          f"the store answers each request after {args.latency * 1000:.0f} ms")  # fmt: skip

    rows = []

    def run(label: str, root: Path) -> None:
        server.take()
        seconds = build(root, env)
        time.sleep(0.2)  # late answers of the server's threads are counted with their build
        counts = server.take()
        rows.append((label, seconds, counts))
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "-"
        print(f"  {label:38} {seconds:7.2f} s  {sum(counts.values()):5} requests ({kinds})", flush=True)

    try:
        run("no store, cold", plain)
        run("no store, warm", plain)
        run("machine A, cold (empty bucket)", a)
        run("machine A, warm", a)
        shutil.copytree(a, b, ignore=shutil.ignore_patterns(".cache", "site"))  # another checkout, its own cache
        run("machine B, second machine (cold local)", b)
        run("machine B, warm", b)
        run("machine A, warm again", a)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
