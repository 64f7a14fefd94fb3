"""The cache travels and is shared: moved to another path or machine, used by two builds at once, damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import lxml.html
import pytest

from mkdocs_animate_plugin.video import media

from .conftest import picture
from .standin import KEY


def videos(site_dir) -> list[str]:
    tree = lxml.html.fromstring((site_dir / "index.html").read_text())
    return [s.get("data-animate-src") for s in tree.xpath("//img[@data-animate-type='video/mp4']")]


def test_a_moved_cache_is_used_as_is(paid_site, standin, tmp_path):
    for seed in range(2):
        paid_site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    paid_site.page("index.md", "![a](img/0.png)\n\n![b](img/1.png)\n")
    paid_site.build()
    calls = len(standin.calls)
    # No absolute path or machine name in the cache: nothing in it names where it was made.
    for path in paid_site.cache.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert str(paid_site.root).encode() not in data, path
            assert os.uname().nodename.encode() not in data or len(os.uname().nodename) < 4, path
    # Another checkout path, new file dates (a CI cache restore or a git clone does not keep them).
    moved = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(paid_site.root, moved, copy_function=shutil.copyfile)
    from .conftest import Site

    built = Site(moved).build()
    assert len(videos(built.site)) == 2
    assert len(standin.calls) == calls, "a moved cache makes no provider call"
    assert "(0 new, 2 from cache)" in built.summary


def _build(root, env):
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / f"site-{len(env)}")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def test_two_builds_at_once_pay_once_and_corrupt_nothing(paid_site, standin):
    for seed in range(3):
        paid_site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    paid_site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(3)))
    standin.latency = 2.0
    env = {**os.environ, "AIMLAPI_API_KEY": KEY}
    first = _build(paid_site.root, env)
    second = _build(paid_site.root, {**env, "SECOND_BUILD": "1"})
    results = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert standin.count("create") == 3, "each image is paid for once, whichever build submits it"
    for name in ("site-" + str(len(env)), "site-" + str(len(env) + 1)):
        sources = videos(paid_site.root / name)
        assert len(sources) == 3, (name, [line for out in results for line in out[1].splitlines() if "WARNING" in line])
        for src in sources:
            assert media.probe(paid_site.root / name / src).codec == "h264"
    for path in (paid_site.cache / "animations").iterdir():
        assert not path.name.startswith("."), f"a temporary file was left: {path.name}"
        media.probe(path)


def test_two_local_builds_at_once(site):
    for seed in range(4):
        site.image(f"img/{seed}.png", picture(320, 240, seed=seed))
    site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png)" for i in range(4)))
    env = dict(os.environ)
    builds = [_build(site.root, env), _build(site.root, {**env, "SECOND_BUILD": "1"})]
    outputs = [b.communicate(timeout=300) for b in builds]
    assert all(b.returncode == 0 for b in builds), outputs
    files = sorted((site.cache / "animations").iterdir())
    assert len(files) == 4
    for path in files:
        assert media.probe(path).frames == 24
    rebuilt = site.build()
    assert "(0 new, 4 from cache)" in rebuilt.summary and rebuilt.warnings == []


@pytest.mark.parametrize("damage", ["truncated", "zero bytes", "wrong type", "missing"])
def test_a_damaged_entry_is_repaired_at_info_level_and_made_again(site, provider_calls, damage):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.build()
    (video,) = (site.cache / "animations").glob("*.mp4")
    size = video.stat().st_size
    if damage == "truncated":
        video.write_bytes(video.read_bytes()[: size // 3])
    elif damage == "zero bytes":
        video.write_bytes(b"")
    elif damage == "wrong type":
        picture().save(video, format="PNG")
        video.write_bytes(video.read_bytes()[:size].ljust(size, b"\0"))  # even at the same size
    else:
        video.unlink()
    built = site.build(strict=True)  # a repair is no fault of the author's: `--strict` lets it pass
    assert built.warnings == []
    (repair,) = [line for line in built.infos if "was dropped" in line]
    assert "made again" in repair
    assert len(provider_calls) == 2
    served = built.site / videos(built.site)[0]
    assert media.probe(served).frames == 24 and served.read_bytes() == video.read_bytes()


def test_the_index_stays_small(site):
    for seed in range(6):
        site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    site.page("index.md", "\n\n".join(f"![{i}](img/{i}.png){{ data-animate-output=gif }}" for i in range(6)))
    site.build()
    index_files = [p for p in (site.cache / "index").rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in index_files) < 256 * 1024
    # No animation's bytes in the index: it holds records, the files stay files.
    stored = b"".join(p.read_bytes() for p in index_files)
    for animation in (site.cache / "animations").iterdir():
        assert animation.read_bytes()[100:400] not in stored
