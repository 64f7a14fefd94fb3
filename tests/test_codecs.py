"""Lighter files: a video's AV1 source before its H.264 one (`video_codecs`), and animated AVIF (`output: avif`),
through real builds of small sites (160 px, 1 s clips) and the real ffmpeg. What Chromium makes of them is in
tests/test_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_animate_plugin.providers.local import motion
from mkdocs_animate_plugin.video import media
from mkdocs_animate_plugin.video import picture as images
from mkdocs_animate_plugin.video.outputs import av1_type

from .conftest import PHOTOS

AV1_TYPE = re.compile(r'^video/mp4; codecs="av01\.0\.\d\dM\.08"$')


def still_tag(html: str, alt: str) -> str:
    return next(tag for tag in re.findall(r"<img [^>]*>", html) if f'alt="{alt}"' in tag)


def attribute(tag: str, name: str) -> str:
    import html as html_module

    return html_module.unescape(re.search(rf' {name}="([^"]*)"', tag)[1])


def test_av1_and_h264_from_the_same_frames_av1_first(site, provider_calls):
    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.page("index.md", "# Cat\n\n![Chelsea the cat](img/cat.png)\n")
    site.configure(video_codecs=["av1", "h264"])
    built = site.build(strict=True)
    assert provider_calls == ["cat.png"], "the clip is asked for once, for both codecs"
    tag = still_tag(built.html("index.html"), "Chelsea the cat")
    sources = json.loads(attribute(tag, "data-animate-sources"))
    assert [s["type"] for s in sources][1:] == ["video/mp4"] and AV1_TYPE.match(sources[0]["type"]), sources
    # H.264 last, and still the one `data-animate-src` names (pages and readers that know one file keep working).
    assert sources[-1]["src"] == attribute(tag, "data-animate-src")
    assert attribute(tag, "data-animate-type") == "video/mp4"
    av1, h264 = (built.site / source["src"] for source in sources)
    assert av1 != h264
    infos = [media.probe(path) for path in (av1, h264)]
    assert [info.codec for info in infos] == ["av1", "h264"]
    assert {(i.width, i.height, i.frames, i.pix_fmt, i.has_audio) for i in infos} == {(160, 106, 24, "yuv420p", False)}
    assert av1_type(av1.read_bytes()[:65536]) == sources[0]["type"]
    head = av1.read_bytes()
    assert head.index(b"moov") < head.index(b"mdat"), "+faststart: the index first"
    # Warm: nothing made again, the same page.
    again = site.build(strict=True)
    assert provider_calls == ["cat.png"]
    assert again.html("index.html") == built.html("index.html")
    assert all((again.site / source["src"]).is_file() for source in sources), "both files put into the site again"
    # H.264 alone again: the very same file from the cache, and no list of sources.
    site.configure(video_codecs=["h264"])
    plain = site.build(strict=True)
    assert provider_calls == ["cat.png"]
    tag = still_tag(plain.html("index.html"), "Chelsea the cat")
    assert "data-animate-sources" not in tag
    assert attribute(tag, "data-animate-src").endswith(h264.name)


def test_a_missing_av1_source_is_made_again(site, provider_calls):
    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.page("index.md", "# Cat\n\n![Chelsea the cat](img/cat.png)\n")
    site.configure(video_codecs=["av1", "h264"])
    built = site.build(strict=True)
    sources = json.loads(attribute(still_tag(built.html("index.html"), "Chelsea the cat"), "data-animate-sources"))
    av1_name = Path(sources[0]["src"]).name
    (site.cache / "animations" / av1_name).unlink()
    again = site.build(strict=True)
    assert provider_calls == ["cat.png", "cat.png"]
    assert again.html("index.html") == built.html("index.html")
    assert (again.site / sources[0]["src"]).is_file()


def test_output_avif_is_an_animated_avif(site):
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.page("index.md", "# Rocket\n\n![A rocket](img/rocket.jpg){ data-animate-output=avif }\n")
    built = site.build(strict=True)
    tag = still_tag(built.html("index.html"), "A rocket")
    assert attribute(tag, "data-animate-type") == "image/avif"
    assert "data-animate-sources" not in tag
    path = built.site / attribute(tag, "data-animate-src")
    assert path.suffix == ".avif" and path.read_bytes()[4:12] == b"ftypavis"
    info = media.probe(path)
    assert (info.codec, info.width, info.frames) == ("av1", 160, 24), info


@pytest.mark.parametrize("kind", ["av1", "avif"])
def test_same_frames_give_the_same_bytes(tmp_path, kind):
    rocket = images.load(PHOTOS / "rocket.jpg", 200)
    ext = "mp4" if kind == "av1" else "avif"
    for name in ("a", "b"):
        frames = motion.kenburns_frames(rocket, (160, 106), 24, True)
        media.encode(frames, (160, 106), 24, kind, tmp_path / f"{name}.{ext}")
    assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes()


def test_an_odd_height_is_kept_though_svt_pads_it(tmp_path):
    rocket = images.load(PHOTOS / "rocket.jpg", 200)
    targets = [("av1", tmp_path / "a.mp4"), ("video", tmp_path / "h.mp4")]
    infos = media.encode_all(motion.kenburns_frames(rocket, (160, 98), 12, True), (160, 98), 24, targets)
    assert [(i.codec, i.width, i.height, i.frames) for i in infos] == [
        ("av1", 160, 98, 12),
        ("h264", 160, 98, 12),
    ]
    # One encode of both gives what two separate encodes give.
    media.encode(motion.kenburns_frames(rocket, (160, 98), 12, True), (160, 98), 24, "video", tmp_path / "alone.mp4")
    assert (tmp_path / "alone.mp4").read_bytes() == (tmp_path / "h.mp4").read_bytes()


def test_an_h264_file_is_not_taken_for_av1(tmp_path):
    rocket = images.load(PHOTOS / "rocket.jpg", 200)
    media.encode(motion.kenburns_frames(rocket, (160, 106), 12, True), (160, 106), 24, "video", tmp_path / "h.mp4")
    with pytest.raises(media.MediaError, match="expected av1 but the file holds h264"):
        media.check(media.probe(tmp_path / "h.mp4"), "av1")
    assert av1_type((tmp_path / "h.mp4").read_bytes()) is None


@pytest.mark.parametrize(
    "value",
    [["av1"], ["vp9", "h264"], "vp9", ["h264", "av1"], ["av1", "av1", "h264"], []],
)
def test_a_wrong_video_codecs_is_an_error_naming_the_option(tmp_path, value):
    import yaml
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    (tmp_path / "docs").mkdir()
    config = {"site_name": "x", "plugins": [{"animate": {"video_codecs": value}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    with pytest.raises((Abort, ConfigurationError)):
        load_config(str(tmp_path / "mkdocs.yml"))


def test_a_wrong_video_codecs_stops_a_real_build(site):
    site.page("index.md", "# Home\n")
    site.configure(video_codecs=["av1"])
    result = site.run("build")
    assert result.returncode == 1
    assert (
        "Plugin 'animate' option 'video_codecs': Expected a list of ('av1', 'h264'), each once, best first and "
        "'h264' last (every browser plays it), e.g. [av1, h264], but received: ['av1']"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    site.configure(video_codecs="av1,h264", output="avif")
    assert site.run("build").returncode == 0


def test_cache_prune_keeps_both_sources_of_a_video(site, provider_calls):
    """`cache prune` keeps what the site uses: a video's AV1 file as well as its H.264 one."""
    import subprocess
    import sys

    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.page("index.md", "# Cat\n\n![Chelsea the cat](img/cat.png)\n")
    site.configure(video_codecs=["av1", "h264"])
    site.build()
    before = sorted(p.name for p in (site.cache / "animations").glob("*.mp4"))
    assert len(before) == 2
    pruned = subprocess.run(
        [sys.executable, "-m", "mkdocs_animate_plugin.cli", "cache", "prune", "-f", str(site.root / "mkdocs.yml")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert pruned.returncode == 0, pruned.stderr
    assert sorted(p.name for p in (site.cache / "animations").glob("*.mp4")) == before
    site.build()
    assert provider_calls == ["cat.png"], "nothing was made again"
