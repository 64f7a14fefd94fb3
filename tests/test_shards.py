"""`mkdocs-animate render --shard K/N`: the cold work of a site split across runners that share a store (moto's S3
on 127.0.0.1, started by the tests), each runner a separate process with its own checkout and local cache."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .conftest import PHOTOS, Site, command, objects, picture
from .standin import KEY
from .test_remote import animations

pytest.importorskip("boto3")
pytest.importorskip("moto.moto_server.werkzeug_app")

IMAGES = 6


def checkout(root: Path, **options) -> Site:
    """A checkout of a site of two pages and `IMAGES` pictures, one of them on both pages."""
    site = Site.make(root, options)
    for seed in range(IMAGES):
        site.image(f"img/{seed}.png", picture(320, 240, seed=seed))
    site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(3)))
    site.page("more.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(2, IMAGES)))
    return site


def render(site: Site, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`mkdocs-animate render` as a runner starts it: a process of its own, its output piped."""
    return subprocess.Popen([sys.executable, "-m", "mkdocs_animate_plugin.cli", "render", "-f",
                             str(site.root / "mkdocs.yml"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip


def counts(summary: str) -> tuple[int, int]:
    """(new, from cache) of a summary line."""
    found = re.search(r"\((\d+) new, (\d+) from cache\)", summary)
    assert found, summary
    return int(found[1]), int(found[2])


def summary_of(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if "image(s) animated" in line)


def uploads(requests: list) -> Counter:
    """The animations uploaded to the store, by name: each PUT the store answered."""
    return Counter(path.rsplit("/", 1)[1] for method, path, _ in requests if method == "PUT" and "/animations/" in path)


def whole(bucket, name: str) -> bool:
    """An object in the store is whole: its bytes are those its sha256 was computed from when it was written."""
    answer = bucket[1].get_object(Bucket=bucket[0], Key=name)
    return hashlib.sha256(answer["Body"].read()).hexdigest() == answer["Metadata"].get("sha256")


def stored(bucket) -> set[str]:
    return {key.rsplit("/", 1)[1] for key in objects(bucket) if "/animations/" in key}


# --- without a store ------------------------------------------------------------------------------------------


def test_shards_make_the_site_between_them_and_write_no_site(tmp_path):
    site = checkout(tmp_path / "a")
    made = []
    for k in (1, 2):
        result = command("render", "-f", str(site.root / "mkdocs.yml"), "--shard", f"{k}/2")
        assert result.returncode == 0, result.stderr
        summary = summary_of(result.stderr)
        assert "0 failed" in summary and "another shard's" in summary, summary
        made.append(counts(summary)[0])
        assert f"shard {k}/2: {made[-1]} of the site's {IMAGES} animation(s) are its own" in result.stderr
    assert sum(made) == IMAGES and all(made), made
    assert not (site.root / "site").exists(), "a render writes no site"
    built = site.build()
    assert "(0 new, 6 from cache)" in built.summary and "7 image(s) animated" in built.summary


def test_a_render_fails_only_as_a_build_would(tmp_path):
    site = checkout(tmp_path / "a")
    site.image("img/bad.png", (PHOTOS / "chelsea.png").read_bytes()[:40])  # found unreadable by every shard
    site.page("broken.md", "![bad](img/bad.png)\n")
    mkdocs_yml = str(site.root / "mkdocs.yml")
    lenient = command("render", "-f", mkdocs_yml, "--shard", "1/3")
    assert lenient.returncode == 0 and "unreadable: 1" in lenient.stderr, lenient.stderr
    strict = command("render", "-f", mkdocs_yml, "--shard", "1/3", "--strict")
    assert strict.returncode == 1 and "strict" in strict.stderr, strict.stderr
    wrong = command("render", "-f", mkdocs_yml, "--shard", "4/3")
    assert wrong.returncode == 2 and "K must be from 1 to N" in wrong.stderr


# --- N runners and one store ----------------------------------------------------------------------------------


def test_three_paid_shards_at_once_then_a_publishing_build_that_pays_nothing(bucket, server, standin, tmp_path,
                                                                            monkeypatch):  # fmt: skip
    monkeypatch.setenv("AIMLAPI_API_KEY", KEY)
    url = f"s3://{bucket[0]}/site"
    paid = {"cache_url": url, "provider": "aimlapi", "base_url": standin.base_url, "duration": 5}
    standin.latency = 1.0
    before = len(server.requests)
    runners = [render(checkout(tmp_path / f"runner{k}", **paid), "--shard", f"{k}/3", env=dict(os.environ))
               for k in (1, 2, 3)]  # fmt: skip
    outputs = [runner.communicate(timeout=300) for runner in runners]
    assert all(runner.returncode == 0 for runner in runners), outputs
    assert all("WARNING" not in err for _, err in outputs), outputs
    assert sum(counts(summary_of(err))[0] for _, err in outputs) == IMAGES, "each animation made by one runner"
    assert standin.count("create") == IMAGES, "each clip paid for once"
    sent = uploads(server.requests[before:])
    assert len(sent) == IMAGES and set(sent.values()) == {1}, sent
    assert stored(bucket) == set(sent)
    # The publishing build: another machine, an empty local cache. All from the store, nothing made or paid.
    publishing = checkout(tmp_path / "publish", **paid)
    before = len(server.requests)
    built = publishing.build()
    assert "(0 new, 6 from cache)" in built.summary and "0 new paid clip(s)" in built.summary, built.summary
    assert built.warnings == [] and standin.count("create") == IMAGES
    assert not uploads(server.requests[before:])
    # What one machine alone would show (it pays again, at the stand-in): the same animations on every page.
    alone = checkout(tmp_path / "alone", **{k: v for k, v in paid.items() if k != "cache_url"}).build()
    assert "(6 new, 0 from cache)" in alone.summary
    for page in ("index.html", "more/index.html"):
        assert animations(built, page) == animations(alone, page) and animations(alone, page)


def test_a_render_shares_what_its_local_cache_alone_has(bucket, server, tmp_path):
    """A runner's cache restored from an earlier run (or left by a killed one): sent to the store, not made again;
    and a render of what the store has downloads nothing."""
    site = checkout(tmp_path / "a")
    site.build()  # before the store: the animations are in the local cache alone
    site.configure(cache_url=f"s3://{bucket[0]}/site")
    result = command("render", "-f", str(site.root / "mkdocs.yml"))
    assert result.returncode == 0 and "(0 new, 6 from cache)" in summary_of(result.stderr), result.stderr
    assert len(stored(bucket)) == IMAGES and all(whole(bucket, f"site/animations/{n}") for n in stored(bucket))
    before = len(server.requests)
    fresh = checkout(tmp_path / "b", cache_url=f"s3://{bucket[0]}/site")
    result = command("render", "-f", str(fresh.root / "mkdocs.yml"), "--shard", "2/2")
    assert result.returncode == 0 and counts(summary_of(result.stderr))[0] == 0, result.stderr
    assert not [r for r in server.requests[before:] if r[0] == "GET" and "/animations/" in r[1]]
    assert not uploads(server.requests[before:])


def test_a_killed_shard_run_again_makes_only_what_is_missing(bucket, server, tmp_path):
    count = 10

    def photos(root: Path) -> Site:  # one page of larger pictures: a run long enough to be killed in
        site = Site.make(root, {"cache_url": f"s3://{bucket[0]}/site", "width": 320, "duration": 1})
        for seed in range(count):
            site.image(f"img/{seed}.png", picture(640, 480, seed=seed))
        return site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(count)))

    site = photos(tmp_path / "runner")
    killed = render(site, "--shard", "1/1", "--concurrency", "1", env=dict(os.environ))
    try:
        while len(stored(bucket)) < 2 and killed.poll() is None:
            time.sleep(0.05)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.communicate()
    at_kill = stored(bucket)
    assert 2 <= len(at_kill) < count, "killed mid-run"
    assert all(whole(bucket, f"site/animations/{name}") for name in stored(bucket)), "never a partial object"
    before = len(server.requests)
    again = render(site, "--shard", "1/1", env=dict(os.environ))
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    new, cached = counts(summary_of(err))
    assert new + cached == count and new <= count - len(at_kill), err
    assert not set(uploads(server.requests[before:])) & at_kill, "what the store had is not sent again"
    assert len(stored(bucket)) == count and all(whole(bucket, f"site/animations/{n}") for n in stored(bucket))
    built = photos(tmp_path / "publish").build()  # another machine
    assert f"(0 new, {count} from cache)" in built.summary and len(animations(built)) == count
