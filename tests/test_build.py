"""Real `mkdocs build` runs: which images are animated, what the site gets, what the cache keeps."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from mkdocs_animate_plugin.video import media
from mkdocs_animate_plugin.video.outputs import OUTPUTS

from .conftest import PHOTOS, picture


def videos(html: str) -> list:
    return lxml.html.fromstring(html).xpath("//img[@data-animate-type='video/mp4']")


def first(element, tag: str):
    """The first `tag` inside `element` (libxml2 does not know <source> is empty, so it may nest what follows)."""
    return element.xpath(f".//{tag}")[0]


def test_example_photo_becomes_a_looping_video(site, provider_calls):
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.page("index.md", "# Rockets\n\n![A rocket on its pad](img/rocket.jpg){ #launch title=Lift-off }\n")
    built = site.build()
    html = built.html("index.html")
    (video,) = videos(html)
    # The still stays as it was written; the animation is named on it, and animate.js lays it over the still.
    assert video.get("src") == "img/rocket.jpg" and video.get("alt") == "A rocket on its pad"
    assert video.get("id") == "launch" and video.get("title") == "Lift-off"
    assert video.get("width") is None and video.get("height") is None  # the still's own box, untouched
    assert video.get("data-animate-type") == "video/mp4" and video.get("data-animate-size") == "160x106"
    src = video.get("data-animate-src")
    assert re.fullmatch(r"assets/animate/[0-9a-f]{20}\.mp4", src)
    info = media.probe(built.site / src)
    assert (info.codec, info.pix_fmt, info.width, info.height, info.has_audio) == ("h264", "yuv420p", 160, 106, False)
    assert info.frames == 24 and info.fps == 24
    assert 'href="assets/animate/animate.css"' in html and 'src="assets/animate/animate.js"' in html
    assert (built.site / "assets/animate/animate.js").is_file()
    assert provider_calls == ["rocket.jpg"]
    assert "1 image(s) animated from 1 animation(s) (1 new, 0 from cache)" in built.summary


def test_warm_rebuild_uses_the_cache_and_makes_no_call(site, provider_calls):
    site.image("img/a.png", picture(320, 240, seed=1))
    site.image("img/b.png", picture(320, 240, seed=2))
    site.page("index.md", "![a](img/a.png)\n\n![b](img/b.png)\n")
    first = site.build()
    assert len(provider_calls) == 2
    cached = sorted(p.name for p in (site.cache / "animations").iterdir())
    second = site.build()
    assert len(provider_calls) == 2, "a warm rebuild must not animate again"
    assert "(0 new, 2 from cache)" in second.summary
    assert sorted(p.name for p in (site.cache / "animations").iterdir()) == cached
    assert first.html("index.html") == second.html("index.html")


def test_same_image_on_many_pages_is_made_once(site, provider_calls):
    site.image("img/a.png", picture())
    site.image("copy/a-again.png", (site.docs / "img/a.png").read_bytes())  # same bytes, another name
    site.page("index.md", "![a](img/a.png)\n")
    site.page("one/two.md", "![a](../img/a.png)\n\n![a](../copy/a-again.png)\n")
    site.page("one/two/three.md", "![a](../../img/a.png)\n")
    built = site.build()
    assert provider_calls == ["a.png"]
    assert "4 image(s) animated from 1 animation(s)" in built.summary
    assert len(list((built.site / "assets/animate").glob("*.mp4"))) == 1


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_urls_at_every_page_depth(site, directory_urls):
    site.set(use_directory_urls=directory_urls)
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.page("one/page.md", "![a](../img/a.png)\n")
    site.page("one/two/deep.md", "![a](../../img/a.png)\n")
    built = site.build()
    pages = ["index.html", "one/page/index.html", "one/two/deep/index.html"]
    if not directory_urls:
        pages = ["index.html", "one/page.html", "one/two/deep.html"]
    for page in pages:
        html = built.html(page)
        (video,) = videos(html)
        page_dir = (built.site / page).parent
        for url in (video.get("data-animate-src"), video.get("src")):
            assert not url.startswith("/")
            assert (page_dir / url).resolve().is_file(), (page, url)
        css = re.search(r'<link rel="stylesheet" href="([^"]+animate\.css)"', html)[1]
        assert (page_dir / css).resolve().is_file()


def test_url_forms_resolve_to_the_file(site):
    site.set(site_url="https://example.org/encyclopedia/")
    site.image("img/a b é.png", picture(seed=3))
    site.image("img/plain.png", picture(seed=4))
    site.page(
        "animals/cat.md",
        "\n\n".join(
            [
                "![spaces and accents](../img/a%20b%20%C3%A9.png)",
                '<img src="/encyclopedia/img/plain.png?v=3#top" alt="root-relative with query and fragment">',
                '<img src="../../img/plain.png#x" alt="relative to the page URL">',
            ]
        ),
    )
    built = site.build()
    assert len(videos(built.html("animals/cat/index.html"))) == 3
    assert built.warnings == []


def test_rules_decide_which_images_move(site):
    site.configure(min_width=200, min_height=150)
    big, small = picture(320, 240, seed=5), picture(120, 90, seed=6)
    site.image("img/big.png", big)
    site.image("img/small.png", small)
    # A file named as if large but small in pixels: its real size counts.
    site.image("img/large-1920x1080.png", small)
    site.page(
        "index.md",
        "\n\n".join(
            [
                "![big](img/big.png)",
                "![small, opted in](img/small.png){ data-animate }",
                "![small](img/small.png){ #plain-small }",
                "![not by name](img/large-1920x1080.png)",
                '![opted out](img/big.png){ data-animate="false" }',
                "![no-animate class](img/big.png){ .no-animate }",
                "[![in a link](img/big.png)](https://example.org)",
                "![remote](https://example.org/cat.png)",
                "![data](data:image/png;base64,iVBORw0KGgo=)",
                "![svg](img/drawing.svg)",
            ]
        ),
    )
    site.image("img/drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"/>')
    built = site.build()
    html = built.html("index.html")
    labels = [v.get("alt") for v in videos(html)]
    assert labels == ["big", "small, opted in"]
    assert "left still (" in built.summary
    for reason in ("too small: 2", "opted out: 2", "inside a link: 1", "remote: 1", "data URI: 1", "SVG: 1"):
        assert reason in built.summary, reason
    assert built.warnings == []
    # Images left still are exactly as MkDocs wrote them: no marker, no change.
    assert html.count("data-animate-key") == len(videos(html))  # only the animated ones are named
    assert '<img alt="small" id="plain-small" src="img/small.png" />' in html


def test_opt_in_selection_and_page_rules(site):
    site.configure(select="opt-in", exclude=["private/*"])
    site.image("img/a.png", picture())
    site.page("index.md", "![plain](img/a.png)\n\n![chosen](img/a.png){ data-animate }\n")
    site.page("still.md", "---\nanimate: false\n---\n\n![chosen](img/a.png){ data-animate }\n")
    site.page("private/notes.md", "![chosen](../img/a.png){ data-animate }\n")
    built = site.build()
    assert [v.get("alt") for v in videos(built.html("index.html"))] == ["chosen"]
    assert videos(built.html("still/index.html")) == []
    assert videos(built.html("private/notes/index.html")) == []
    for reason in ("not opted in: 1", "page opted out: 1", "page excluded: 1"):
        assert reason in built.summary


def test_include_limits_the_pages(site):
    site.configure(include=["animals/*"])
    site.image("img/a.png", picture())
    site.page("index.md", "![home](img/a.png)\n")
    site.page("animals/cat.md", "![cat](../img/a.png)\n")
    built = site.build()
    assert videos(built.html("index.html")) == []
    assert len(videos(built.html("animals/cat/index.html"))) == 1


def test_per_image_output_take_and_prompt(site, provider_calls):
    site.image("img/a.png", picture())
    site.page(
        "index.md",
        "\n\n".join(
            [
                "![gif](img/a.png){ data-animate-output=gif }",
                "![webp](img/a.png){ data-animate-output=webp }",
                "![take two](img/a.png){ data-animate-take=2 }",
                "![default](img/a.png)",
                '![told](img/a.png){ data-animate-prompt="The sun slowly rises." }',
                "![bad](img/a.png){ data-animate-output=mov data-animate-take=zero }",
            ]
        ),
    )
    built = site.build()
    tree = lxml.html.fromstring(built.html("index.html"))
    pictures = tree.xpath("//img[@data-animate-src and @data-animate-type!='video/mp4']")
    assert [p.get("alt") for p in pictures] == ["gif", "webp"]
    for pic, ext in zip(pictures, ("gif", "webp")):
        img = pic
        assert img.get("data-animate-src").endswith(f".{ext}") and img.get("src") == "img/a.png"
        info = media.probe(built.site / img.get("data-animate-src"))
        assert info.codec == OUTPUTS[ext].codec and info.width == 160 and info.frames == 12  # fps 12, 1 s
    keys = {v.get("alt"): v.get("data-animate-src") for v in tree.xpath("//img[@data-animate-type='video/mp4']")}
    assert keys["take two"] != keys["default"] and keys["told"] != keys["default"]
    assert keys["bad"] == keys["default"]  # bad attribute values are ignored, with a warning
    assert any("data-animate-output='mov'" in w for w in built.warnings)
    assert any("data-animate-take='zero'" in w for w in built.warnings)
    # gif, webp, take 2, default (shared by "bad"), told: five animations, each made once.
    assert len(provider_calls) == 5


def test_hostile_files_stay_still_with_a_warning(site, tmp_path):
    site.image("img/good.png", picture())
    site.image("img/empty.png", b"")
    site.image("img/text.jpg", b"<html>not an image</html>")
    site.image("img/heic.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    full = picture(400, 300).save(tmp_path / "full.png") or (tmp_path / "full.png").read_bytes()
    site.image("img/truncated.png", full[: len(full) // 2])
    site.image("img/truncated.jpg", (PHOTOS / "rocket.jpg").read_bytes()[:20000])
    site.page(
        "index.md",
        "\n\n".join(
            f"![{name}](img/{name})"
            for name in (
                "good.png",
                "empty.png",
                "text.jpg",
                "heic.jpg",
                "truncated.png",
                "truncated.jpg",
                "missing.png",
            )
        ),
    )
    built = site.build()
    html = built.html("index.html")
    assert [v.get("alt") for v in videos(html)] == ["good.png"]
    text = "\n".join(built.warnings)
    assert "'img/empty.png' in 'index.md': the file is empty" in text
    assert "'img/text.jpg' in 'index.md': the file is text" in text
    assert "'img/heic.jpg' in 'index.md': the file is HEIC/HEIF, not .jpg" in text
    assert "'img/missing.png' in 'index.md': no such file in the site" in text
    assert "Couldn't animate 'img/truncated.png' in 'index.md'" in text
    # A truncated JPEG's header reads fine: it fails when decoded, and the warning still names page and image.
    assert "Couldn't animate 'img/truncated.jpg' in 'index.md': the image cannot be decoded" in text
    # Unreadable is one word whenever it shows: in the header (a corrupt PNG) or only when decoded (a cut JPEG).
    assert "(unreadable: 5, missing: 1); 0 failed" in built.summary
    for name in ("empty.png", "text.jpg", "heic.jpg", "truncated.png", "truncated.jpg", "missing.png"):
        assert f'src="img/{name}"' in html
    assert html.count("data-animate-key") == len(videos(html))


def test_decompression_bomb_is_never_decoded(site):
    from PIL import Image

    # 12000x12000 of one colour compresses to a few hundred KB: the header alone says it is too big.
    Image.new("L", (12000, 12000), 128).save(site.docs / "bomb.png", optimize=False)
    site.page("index.md", "![bomb](bomb.png)\n")
    built = site.build()
    assert videos(built.html("index.html")) == []
    assert any("bomb.png" in w and "too large to decode safely" in w for w in built.warnings)


def test_strict_build_fails_on_a_broken_image(site):
    site.image("img/empty.png", b"")
    site.page("index.md", "![empty](img/empty.png)\n")
    result = site.run("build", "--strict")
    assert result.returncode != 0
    assert "the file is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_is_written_into_docs(site):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    before = sorted(p.relative_to(site.docs) for p in site.docs.rglob("*"))
    site.build()
    assert sorted(p.relative_to(site.docs) for p in site.docs.rglob("*")) == before


def test_theme_images_are_never_touched(site):
    # A large logo in mkdocs-material's header: it is the theme's, not the page's content.
    site.set(theme={"name": "material", "logo": "img/logo.png", "favicon": "img/logo.png"})
    site.image("img/logo.png", picture(1000, 800, seed=8))
    site.image("img/a.png", picture(seed=9))
    site.page("index.md", "# Home\n\n![content](img/a.png)\n")
    built = site.build()
    tree = lxml.html.fromstring(built.html("index.html"))
    assert [v.get("alt") for v in tree.xpath("//img[@data-animate-type='video/mp4']")] == ["content"]
    logos = [img for img in tree.xpath("//img") if img.get("src", "").endswith("logo.png")]
    assert logos and all(not img.get("data-animate-src") for img in logos)


def test_cache_is_keyed_by_content_and_settings(site, provider_calls):
    site.image("img/a.png", picture(seed=1))
    site.page("index.md", "![a](img/a.png)\n")
    site.build()
    site.configure(loop="crossfade")
    site.build()
    site.configure(width=128)
    site.build()
    site.image("img/a.png", picture(seed=2))  # same name, new picture
    site.build()
    site.configure(fps=10)  # fps only changes GIF and WebP: the video stays cached
    site.build()
    assert len(provider_calls) == 4


def test_interrupted_write_never_leaves_a_served_file(site):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.build()
    folder = site.cache / "animations"
    (video,) = folder.glob("*.mp4")
    # What a kill mid-encode leaves: a temporary file. It is never served, and the entry stays whole.
    (folder / f".{video.stem}.999.1.tmp.mp4").write_bytes(b"half")
    built = site.build()
    src = videos(built.html("index.html"))[0].get("data-animate-src")
    assert Path(src).name == video.name
    assert media.probe(built.site / src).frames == 24


def test_damaged_cache_entry_is_made_again(site, provider_calls):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.build()
    (video,) = (site.cache / "animations").glob("*.mp4")
    video.write_bytes(video.read_bytes()[:1000])
    built = site.build()
    assert any("was dropped" in line and "bytes" in line for line in built.infos)
    assert len(provider_calls) == 2
    assert media.probe(video).frames == 24


def test_enabled_false_does_nothing_at_all(site, tmp_path):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.configure(enabled=False)
    built = site.build()
    assert not (site.root / ".cache").exists()
    assert not (built.site / "assets/animate").exists()
    html = built.html("index.html")
    assert "data-animate" not in html


def test_a_site_folder_that_cannot_take_an_animation_keeps_the_still(site):
    """The site's folder of animations cannot be written (here: a file stands where the folder goes): the page
    keeps its still, the build goes on, and the warning names page and image."""
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.build()  # cached now
    site_dir = site.root / "site"
    import shutil

    shutil.rmtree(site_dir / "assets")
    (site_dir / "assets").write_text("not a folder")
    site.set(site_dir=str(site_dir))
    from mkdocs.commands import build as build_module

    real = build_module.utils.clean_directory
    build_module.utils.clean_directory = lambda path: None  # keep the obstacle in place, as a read-only disk would
    try:
        built = site.build()
    finally:
        build_module.utils.clean_directory = real
    html = built.html("index.html")
    assert 'src="img/a.png"' in html and "data-animate-src" not in html
    assert "1 failed" in built.summary
    assert any("'img/a.png' in 'index.md'" in w and "couldn't copy the animations" in w for w in built.warnings), (
        built.warnings
    )
