"""The cache shared across machines (`cache_url`), against a real S3-compatible server on 127.0.0.1: moto's
stand-alone server, started by the tests, every request it answers counted. Never the internet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import Site, objects, picture
from .standin import KEY

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto.moto_server.werkzeug_app")


def animations(built, page: str = "index.html") -> list[str]:
    """The animations a page shows, whatever the markup: the URLs under assets/animate/."""
    return sorted(set(re.findall(r"assets/animate/([0-9a-f]+\.\w+)", built.html(page))))


def shared_site(root: Path, url: str, images: int = 3, **options) -> Site:
    """A checkout of the same small site at `root`, with `cache_url`."""
    site = Site.make(root, {"cache_url": url, **options})
    for seed in range(images):
        site.image(f"img/{seed}.png", picture(320, 240, seed=seed))
    site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(images)))
    return site


def plan(root: Path) -> list:
    """`mkdocs-animate plan`'s rows, the mkdocs logger left as it was (the command takes it over)."""
    import logging

    from mkdocs_animate_plugin.cli.plan import dry_run

    logger = logging.getLogger("mkdocs")
    saved = logger.handlers[:], logger.level, logger.propagate
    try:
        return dry_run(root / "mkdocs.yml", {})[0]
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved


def requests_during(server, action):
    before = len(server.requests)
    result = action()
    return result, server.requests[before:]


# --- the store itself ---------------------------------------------------------------------------------------


def test_objects_are_checked_by_their_sha256(bucket, tmp_path):
    from mkdocs_animate_plugin.cache.shared import Remote

    name, client = bucket
    remote = Remote(f"s3://{name}/team")
    remote.write("index/a", b"hello", wait=True)
    assert remote.read("index/a") == (b"hello", None)
    assert client.head_object(Bucket=name, Key="team/index/a")["Metadata"]["sha256"]
    # Damaged in the store: other bytes under the same sha256, or no sha256 at all. Dropped, not used.
    sha = client.head_object(Bucket=name, Key="team/index/a")["Metadata"]["sha256"]
    client.put_object(Bucket=name, Key="team/index/a", Body=b"hellO", Metadata={"sha256": sha})
    body, problem = remote.read("index/a")
    assert body is None and "do not match" in problem
    assert "team/index/a" not in objects(bucket)
    client.put_object(Bucket=name, Key="team/index/b", Body=b"no hash")
    assert remote.read("index/b")[0] is None and "team/index/b" not in objects(bucket)
    assert remote.read("index/absent") == (None, None) and remote.down is None


def test_create_is_conditional(bucket):
    from mkdocs_animate_plugin.cache.shared import Remote

    name, _ = bucket
    first, second = Remote(f"s3://{name}"), Remote(f"s3://{name}")
    assert first.create("journal/k", b'{"id": null}') is True
    assert second.create("journal/k", b'{"id": "mine"}') is False
    assert second.read("journal/k")[0] == b'{"id": null}'


def test_a_folder_is_listed_once_per_build(bucket, server):
    from mkdocs_animate_plugin.cache.shared import Remote

    name, client = bucket
    for i in range(1205):  # more than one page of a listing (1000 names)
        client.put_object(Bucket=name, Key=f"p/animations/{i:05d}.mp4", Body=b"")
    remote = Remote(f"s3://{name}/p/")
    names, sent = requests_during(server, lambda: [remote.names("animations/") for _ in range(50)].pop())
    assert len(names) == 1205 and "animations/00042.mp4" in names
    assert len(sent) == 2 and remote.requests == 2  # two pages, once
    remote.write("animations/new.mp4", b"x", wait=True)
    assert "animations/new.mp4" in remote.names("animations/")


def test_the_url_is_checked_when_the_config_loads(site):
    site.configure(cache_url="s3://Not_A_Bucket/x")
    result = site.run("build")
    assert result.returncode != 0
    assert "cache_url" in result.stderr and "bucket name" in result.stderr


# --- builds -------------------------------------------------------------------------------------------------


def test_a_second_checkout_makes_nothing_new(bucket, server, tmp_path, provider_calls):
    url = f"s3://{bucket[0]}/site"
    first_site = shared_site(tmp_path / "a", url)
    time.sleep(2.1)  # what is remembered of an image waits until its file has settled (stills._SETTLED_NS)
    first = first_site.build()
    assert len(provider_calls) == 3 and len(animations(first)) == 3
    stored = objects(bucket)
    assert len([k for k in stored if k.startswith("site/animations/")]) == 3
    assert "site/index/memo/headers" in stored, "the records that spare reading images travel too"
    # Another machine: another path, an empty local cache, the same bucket.
    second_site = shared_site(tmp_path / "b", url)
    second, sent = requests_during(server, second_site.build)
    assert len(provider_calls) == 3, "nothing is made again"
    assert "(0 new, 3 from cache)" in second.summary and second.warnings == []
    assert animations(second) == animations(first)
    for name in animations(second):
        assert (second.site / "assets/animate" / name).read_bytes() == (
            first.site / "assets/animate" / name
        ).read_bytes()
    gets = [r for r in sent if r[0] == "GET" and "list-type" not in r[2]]
    assert len(gets) <= 3 + 2, sent  # the three animations, the two shared memos
    # Warm on both levels: no request for what the local cache has.
    third, sent = requests_during(server, second_site.build)
    assert "(0 new, 3 from cache)" in third.summary
    assert len(sent) <= 2, sent


def test_a_store_that_is_down_costs_one_warning(bucket, tmp_path, provider_calls, monkeypatch):
    import socket

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    site = shared_site(tmp_path / "a", f"s3://{bucket[0]}/site")
    time.sleep(2.1)  # settled images: the first build learns all there is, the second has nothing to share
    started = time.monotonic()
    built = site.build()
    assert len(animations(built)) == 3 and len(provider_calls) == 3
    (warning,) = built.warnings
    assert "shared cache" in warning and "local cache" in warning and "could not be reached" in warning
    assert time.monotonic() - started < 60
    again = site.build()  # warm locally: the store is not even asked
    assert again.warnings == [] and "(0 new, 3 from cache)" in again.summary


def test_refused_credentials_cost_one_warning_and_are_never_shown(bucket, tmp_path, provider_calls, monkeypatch):
    import moto.settings

    monkeypatch.setattr(moto.settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # the server now checks credentials
    site = shared_site(tmp_path / "a", f"s3://{bucket[0]}/site")
    built = site.build()
    assert len(animations(built)) == 3 and len(provider_calls) == 3
    (warning,) = built.warnings
    assert "refused the credentials" in warning and "InvalidAccessKeyId" in warning
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in warning and os.environ["AWS_ACCESS_KEY_ID"] not in warning
    for path in site.cache.rglob("*"):
        if path.is_file():
            assert b"testing-secret" not in path.read_bytes()


def test_an_object_damaged_in_the_store_is_dropped_and_made_again(bucket, tmp_path, provider_calls):
    name, client = bucket
    url = f"s3://{name}/site"
    shared_site(tmp_path / "a", url).build()
    stored = sorted(k for k in objects(bucket) if k.startswith("site/animations/"))
    good = client.get_object(Bucket=name, Key=stored[0])
    body, meta = good["Body"].read(), good["Metadata"]
    client.put_object(Bucket=name, Key=stored[0], Body=body[: len(body) // 2] + b"\0" * (len(body) // 2), Metadata=meta)
    built = shared_site(tmp_path / "b", url).build(strict=True)  # a repair is no fault of the author's
    assert built.warnings == []
    assert len(provider_calls) == 4, "the damaged one alone is made again"
    assert any("damaged" in line for line in built.infos)
    assert "(1 new, 2 from cache)" in built.summary
    for _ in range(50):  # the upload of the one made again runs in the background, and is awaited at the end
        if objects(bucket).get(stored[0]) == len(body):
            break
        time.sleep(0.1)
    assert client.get_object(Bucket=name, Key=stored[0])["Body"].read() == body, "the store has a sound copy again"


def test_a_dry_run_counts_what_the_store_has(bucket, tmp_path, provider_calls):
    url = f"s3://{bucket[0]}/site"
    shared_site(tmp_path / "a", url).build()
    before = objects(bucket)
    rows = plan(shared_site(tmp_path / "b", url).root)
    assert [row.state for row in rows] == ["cached"] * 3
    assert objects(bucket) == before, "a dry run writes nothing to the store"


# --- paid generations ---------------------------------------------------------------------------------------


def paid_checkout(root: Path, url: str, standin, images: int = 3) -> Site:
    return shared_site(root, url, images, provider="aimlapi", base_url=standin.base_url, duration=5)


def _build(site: Site, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(site.root / "mkdocs.yml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip


def test_two_machines_at_once_pay_each_image_once(bucket, standin, tmp_path, monkeypatch):
    monkeypatch.setenv("AIMLAPI_API_KEY", KEY)
    url = f"s3://{bucket[0]}/site"
    standin.latency = 2.0
    env = dict(os.environ)
    sites = [paid_checkout(tmp_path / name, url, standin) for name in ("a", "b")]
    builds = [_build(site, env) for site in sites]
    outputs = [b.communicate(timeout=300) for b in builds]
    assert all(b.returncode == 0 for b in builds), outputs
    assert standin.count("create") == 3, "each image is paid for once, whichever machine claims it"
    for site, (_, err) in zip(sites, outputs):
        assert "WARNING" not in err, err
        html = (site.root / "site" / "index.html").read_text()
        assert len(set(re.findall(r"assets/animate/([0-9a-f]+\.\w+)", html))) == 3
    stored = objects(bucket)
    assert len([k for k in stored if k.startswith("site/clips/")]) == 3, "the paid clips are shared"
    assert not [k for k in stored if k.startswith("site/index/journal/")], "no claim is left behind"
    # A third machine, with a new output: the clips come from the store, nothing is paid.
    third = paid_checkout(tmp_path / "c", url, standin)
    third.configure(output="gif")
    built = third.build()
    assert len(set(re.findall(r"assets/animate/([0-9a-f]+\.gif)", built.html("index.html")))) == 3
    assert standin.count("create") == 3 and built.warnings == []


def test_a_claim_left_by_a_killed_machine_is_polled_not_paid_again(bucket, standin, tmp_path, monkeypatch):
    """A machine claimed a clip, submitted it and was killed while waiting: another polls its id, pays nothing."""
    name, client = bucket
    url = f"s3://{name}/site"
    monkeypatch.setenv("AIMLAPI_API_KEY", KEY)
    standin.latency = 600.0
    killed = _build(paid_checkout(tmp_path / "killed", url, standin, images=1), dict(os.environ))
    record: dict = {}
    try:
        for _ in range(600):  # until the claim in the store holds the generation id
            keys = [k for k in objects(bucket) if k.startswith("site/index/journal/")]
            if keys:
                record = json.loads(client.get_object(Bucket=name, Key=keys[0])["Body"].read())
                if record.get("id"):
                    break
            time.sleep(0.1)
    finally:
        killed.kill()
        killed.communicate()
    assert record.get("id") and standin.count("create") == 1
    standin.latency = 0.0
    built = paid_checkout(tmp_path / "other", url, standin, images=1).build()
    assert built.warnings == [] and "(1 new, 0 from cache)" in built.summary
    assert standin.count("create") == 1, "the id in the store was polled; nothing was paid twice"
    assert len(animations(built)) == 1
