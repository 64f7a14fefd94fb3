"""What a build tells while it works and when it ends: progress in a piped log, and the loose ends of a build."""

from __future__ import annotations

import time

from mkdocs_animate_plugin.build import progress

from .conftest import PHOTOS, picture


def test_a_piped_build_logs_progress_counted_when_files_are_made(site, monkeypatch):
    """With output piped (as in CI) a plain line comes through MkDocs' logger while work goes on; an animation
    counts as made only once its file is in the cache."""
    monkeypatch.setattr(progress, "LOG_EVERY", 0.2)
    seen: list[tuple[str, int]] = []
    real = progress.Progress.line

    def line(self):
        text = real(self)
        seen.append((text, len(list((site.cache / "animations").glob("*.mp4")))))
        return text

    monkeypatch.setattr(progress.Progress, "line", line)
    for n in range(3):
        site.image(f"img/{n}.png", picture(seed=n))
    site.page("index.md", "".join(f"![{n}](img/{n}.png)\n\n" for n in range(3)))
    built = site.build()
    lines = [text for text in built.infos if "animation(s) made" in text]
    assert lines, built.infos
    for text, files in seen:
        made = int(text.split(" of ")[0])
        assert made <= files, (text, files)  # never ahead of the files
    assert all(" of 3 animation(s) made" in text for text in lines)
    # A warm build has nothing to make and says nothing but its summary.
    again = site.build()
    assert not [text for text in again.infos if "animation(s) made" in text]


def test_a_piped_builds_total_is_known_from_its_first_line(site, monkeypatch):
    """Work starts as soon as the first page is planned, but the line waits until every page is: its total is what
    the build makes, and it never grows ("3 of 4", never "1 of 2" then "3 of 8")."""
    import asyncio

    from mkdocs_animate_plugin.build.pipeline import Pipeline
    from mkdocs_animate_plugin.providers.local import LocalProvider

    monkeypatch.setattr(progress, "LOG_EVERY", 0.05)
    plan, animate = Pipeline.plan_page, LocalProvider.animate

    def slow_page(self, *args, **kwargs):  # pages that take long to plan, as on a large site: work goes on meanwhile
        text = plan(self, *args, **kwargs)
        time.sleep(0.25)
        return text

    async def slow_clip(self, request):  # clips that take longer than planning, as they do
        await asyncio.sleep(0.5)
        return await animate(self, request)

    monkeypatch.setattr(Pipeline, "plan_page", slow_page)
    monkeypatch.setattr(LocalProvider, "animate", slow_clip)
    for n in range(8):
        site.image(f"img/{n}.png", picture(seed=n))
    for page in range(4):
        site.page(f"p{page}.md", "".join(f"![{n}](img/{n}.png)\n\n" for n in (2 * page, 2 * page + 1)))
    built = site.build()
    lines = [text for text in built.infos if "animation(s) made" in text]
    assert lines and all(" of 8 animation(s) made" in text for text in lines), lines
    assert "(8 new, 0 from cache)" in built.summary


def test_progress_estimates_the_time_left():
    p = progress.Progress(interval=60)
    for _ in range(4):
        p.add()
    p.counted()
    p._started = time.monotonic() - 30  # 30 s in, one of four done
    p.done(made=True)
    assert p.line().startswith("1 of 4 animation(s) made, 0 failed, 0m 30s, about 1m 30s left")
    p.close()


def test_a_killed_builds_temporary_files_are_removed(site):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.build()
    folder = site.cache / "animations"
    stale = folder / ".0123456789abcdef0123.999.1.tmp.mp4"
    stale.write_bytes(b"half a file")
    old = time.time() - 2 * 86400
    import os

    os.utime(stale, (old, old))
    site.build()
    assert not stale.exists()


def test_a_truncated_jpeg_is_unreadable_like_a_corrupt_png(site):
    data = (PHOTOS / "rocket.jpg").read_bytes()
    site.image("img/cut.jpg", data[: len(data) // 2])
    site.image("img/bad.png", (PHOTOS / "chelsea.png").read_bytes()[:3000])
    site.page("index.md", "![cut](img/cut.jpg)\n\n![bad](img/bad.png)\n")
    built = site.build()
    assert "unreadable: 2" in built.summary and "0 failed" in built.summary, built.summary
    assert len(built.warnings) == 2 and all("in 'index.md'" in w for w in built.warnings)
