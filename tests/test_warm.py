"""Warm builds: what the last build found is remembered, so a rebuild reads next to nothing, yet misses no change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import lxml.html
import pytest

from mkdocs_animate_plugin import disk
from mkdocs_animate_plugin.video import picture as images

from .conftest import picture


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which image files a build hashes and opens with Pillow (a spy: the real functions still run)."""
    seen: dict[str, list[str]] = {"hashed": [], "probed": []}
    real_hash, real_probe = disk.sha256, images.probe

    def hashing(path):
        seen["hashed"].append(path.name)
        return real_hash(path)

    def probing(path):
        seen["probed"].append(path.name)
        return real_probe(path)

    monkeypatch.setattr(disk, "sha256", hashing)
    monkeypatch.setattr(images, "probe", probing)
    return seen


def video_file(built) -> str:
    """The animation a page shows (read at once: the next build writes over the site)."""
    (still,) = lxml.html.fromstring(built.html("index.html")).xpath("//img[@data-animate-type='video/mp4']")
    return still.get("data-animate-src")


def settle() -> None:
    """Files changed in the last 2 s are never taken as unchanged by their stamp (they may change again within the
    same clock tick): wait that long, as a real rebuild is separated from the last edit."""
    time.sleep(2.1)


def test_an_unchanged_image_is_not_read_again(site, reads, provider_calls):
    site.image("img/a.png", picture(seed=1))
    site.page("index.md", "![a](img/a.png)\n")
    settle()
    shown = video_file(site.build())
    assert reads["hashed"] == ["a.png"] and reads["probed"] == ["a.png"]
    assert video_file(site.build()) == shown
    assert reads["hashed"] == ["a.png"] and reads["probed"] == ["a.png"], "the warm build read the image again"
    assert len(provider_calls) == 1


def test_an_image_changed_in_place_is_noticed_even_with_its_old_date(site, reads, provider_calls):
    # A BMP of the same size has the same length whatever it shows: only the bytes differ.
    path = site.image("img/a.bmp", picture(320, 240, seed=1))
    site.page("index.md", "![a](img/a.bmp)\n")
    settle()
    shown = video_file(site.build())
    before = os.stat(path)
    picture(320, 240, seed=2).save(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a tool that keeps dates would leave it
    assert os.stat(path).st_size == before.st_size
    assert video_file(site.build()) != shown
    assert reads["hashed"] == ["a.bmp", "a.bmp"]
    assert len(provider_calls) == 2, "the changed picture must get a new animation"


def test_a_fresh_checkout_with_a_restored_cache_hashes_but_never_decodes(site, reads, provider_calls, tmp_path):
    site.image("img/a.png", picture(seed=1))
    site.image("img/b.png", picture(seed=2))
    site.page("index.md", "![a](img/a.png)\n\n![b](img/b.png)\n")
    settle()
    site.build()
    # A CI runner: the repository checked out anew (new inodes and dates), the cache restored from elsewhere.
    checkout = tmp_path / "runner" / "checkout"
    shutil.copytree(site.root, checkout, ignore=shutil.ignore_patterns("site"))
    type(site)(checkout).build()
    assert sorted(reads["hashed"]) == ["a.png", "a.png", "b.png", "b.png"]
    assert sorted(reads["probed"]) == ["a.png", "b.png"], "image headers travel with the cache"
    assert len(provider_calls) == 2


def test_warnings_and_counts_are_the_same_on_every_build(site):
    site.image("img/big.png", picture(320, 240, seed=1))
    site.image("img/small.png", picture(40, 30, seed=2))
    site.page("good.md", "![big](img/big.png)\n\n![small](img/small.png)\n")
    site.page("bad.md", "![big](img/big.png){ data-animate-take=zero }\n\n![gone](img/missing.png)\n")
    builds, pages = [], []
    for _ in range(3):
        builds.append(site.build())
        pages.append(builds[-1].html("good/index.html").split("<!--\nMkDocs version")[0])
    warnings = [sorted(w for w in build.warnings if w.startswith("animate:")) for build in builds]
    assert len(warnings[0]) == 2 and warnings[1] == warnings[0] and warnings[2] == warnings[0]
    assert "2 image(s) animated from 1 animation(s) (1 new, 0 from cache); 2 left still" in builds[0].summary
    still = builds[0].summary.split(";")[1]
    assert "missing: 1" in still and "too small: 1" in still
    for build in builds[1:]:
        assert "2 image(s) animated from 1 animation(s) (0 new, 1 from cache)" in build.summary
        assert build.summary.split(";")[1:] == builds[0].summary.split(";")[1:]
    assert pages[1] == pages[0] and pages[2] == pages[0]


def test_an_edited_page_gets_fresh_markup(site, provider_calls):
    site.image("img/a.png", picture(seed=1))
    site.page("index.md", "![A cat](img/a.png)\n")
    site.build()
    site.page("index.md", "Now with a word before it.\n\n![A sleeping cat](img/a.png)\n")
    built = site.build()
    (video,) = lxml.html.fromstring(built.html("index.html")).xpath("//img[@data-animate-type='video/mp4']")
    assert video.get("alt") == "A sleeping cat"
    assert len(provider_calls) == 1, "the same picture keeps its animation"


def test_a_warm_build_loads_neither_pillow_lxml_nor_numpy(site):
    site.image("img/a.png", picture(seed=1))
    site.page("index.md", "![a](img/a.png)\n")
    settle()
    site.build()
    script = (
        "import sys\n"
        "from mkdocs.__main__ import cli\n"
        "try:\n"
        "    cli(['build', '-q', '-f', sys.argv[1]])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted(m for m in ('PIL', 'lxml', 'numpy') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(site.root / "mkdocs.yml")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert "data-animate-src=" in (site.root / "site" / "index.html").read_text()
