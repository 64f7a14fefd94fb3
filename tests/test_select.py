"""Which images an editor would animate: the rules of `select` on their own, then through real builds."""

from __future__ import annotations

import pytest
from PIL import Image

from mkdocs_animate_plugin.selection.rules import MAX_AUTO_WIDTH, by_picture, clip_width, declared_size, shown_size
from mkdocs_animate_plugin.video import media

from .conftest import PHOTOS, REPO

LABELLED = REPO / "tests" / "images" / "select"


@pytest.mark.parametrize(
    ("attrs", "size"),
    [
        ({}, (None, None)),
        ({"width": "110"}, (110, None)),
        ({"width": "110px", "height": " 80 "}, (110, 80)),
        ({"width": "50%"}, (None, None)),  # depends on the layout: not a size the page declares
        ({"style": "width: 90px; border: 0"}, (90, None)),
        ({"width": "400", "style": "width:120px"}, (120, None)),  # the inline style wins, as in a browser
        ({"style": "max-width: 20px; height: auto"}, (None, None)),
    ],
)
def test_declared_size(attrs, size):
    assert declared_size(attrs)[:2] == size


def test_the_sites_rules_override_attributes_and_inline_styles_override_them():
    rule = (("width", "90px", False),)
    assert declared_size({"width": "400"}, rule)[:2] == (90, None)
    assert declared_size({"style": "width: 120px"}, rule)[:2] == (120, None)
    assert declared_size({"style": "width: 120px"}, (("width", "90px", True),))[:2] == (90, None)
    # A theme's `height: auto` overrides the HTML attribute: the picture is shown at its own proportions.
    assert shown_size({"height": "200px"}, 688, 516, (("height", "auto", False),)) == (688, 516)
    assert shown_size({}, 688, 516, (("max-width", "344px", False),)) == (344, 258)


def test_shown_size_keeps_proportions():
    assert shown_size({"width": "110"}, 640, 427) == (110, pytest.approx(73.4, abs=0.1))
    assert shown_size({"height": "100"}, 600, 400) == (150, 100)
    assert shown_size({}, 600, 400) == (600, 400)


def decide(attrs=None, size=(640, 427), moving=False, opted_in=False, mode="auto", kind=("photograph", True)):
    asked = []

    def judge():
        asked.append(True)
        return kind

    return by_picture(attrs or {}, size, moving, opted_in, mode, (300, 200), judge), bool(asked)


def test_rules_in_order():
    assert decide()[0] is None  # animated
    assert decide(moving=True)[0].reason == "already moving" and not decide(moving=True)[0].warn
    marked_moving = decide(moving=True, opted_in=True)[0]
    assert (marked_moving.reason, marked_moving.warn) == ("already moving", True)
    assert decide(size=(200, 100))[0].reason == "too small"
    assert decide(attrs={"width": "110"})[0].reason == "shown small"
    assert decide(attrs={"width": "110"}, opted_in=True)[0] is None  # data-animate wins
    left, asked = decide(kind=("chart", False))
    assert (left.reason, asked) == ("chart", True)
    # The pixels are looked at only where they decide: not under `all`, not for an opted-in image.
    assert decide(kind=("chart", False), mode="all") == (decide(mode="all")[0], False)
    assert decide(kind=("chart", False), opted_in=True)[1] is False


def test_clip_width():
    assert clip_width(640, {}, (2000, 1000)) == 640
    assert clip_width("auto", {}, (900, 600)) == 900  # the file's width, where the page declares none
    # as wide as a 2x screen shows it, where the file has the pixels
    assert clip_width("auto", {"width": "300"}, (900, 600)) == 600
    assert clip_width("auto", {"width": "450"}, (900, 600)) == 900
    assert clip_width("auto", {}, (4032, 3024)) == MAX_AUTO_WIDTH


def test_real_photos_animated_and_instruments_left_still(site):
    """`select: auto` on real pictures: photographs animate; a real screenshot and a real chart stay still, each
    counted under its reason."""
    screenshot = LABELLED / "screenshot" / "mkdocs-material-crop.png"  # a real screenshot of a real theme
    chart = LABELLED / "chart" / "line.png"  # made with matplotlib
    site.configure(select="auto")
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.image("img/screen.png", screenshot)
    site.image("img/chart.png", chart)
    site.page(
        "index.md", "# Page\n\n![Rocket](img/rocket.jpg)\n\n![Editor](img/screen.png)\n\n![Plot](img/chart.png)\n"
    )
    built = site.build()
    html = built.html("index.html")
    assert html.count(".mp4") == 1
    assert "screenshot: 1" in built.summary and "chart: 1" in built.summary, built.summary
    assert '<img alt="Editor" src="img/screen.png" />' in html  # left exactly as it was
    # The verdicts are remembered with the cache: a rebuild (pages edited, so not replayed) judges nothing again.
    import mkdocs_animate_plugin.selection.pixels as pixels

    calls = []
    real = pixels.kind_of
    pixels.kind_of = lambda image, *lettering: calls.append(1) or real(image, *lettering)
    try:
        site.page("index.md", site.docs.joinpath("index.md").read_text() + "\nMore words.\n")
        again = site.build()
    finally:
        pixels.kind_of = real
    assert calls == [] and "screenshot: 1" in again.summary


def test_images_that_already_move_are_untouched(site):
    frames = [Image.open(PHOTOS / "rocket.jpg").convert("RGB").resize((320, 214)).rotate(angle) for angle in (0, 4, 8)]
    frames[0].save(site.docs / "led.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    frames[0].save(site.docs / "led.webp", save_all=True, append_images=frames[1:], duration=200, loop=0)
    frames[0].save(site.docs / "led.png", save_all=True, append_images=frames[1:], duration=200, loop=0)
    frames[0].save(site.docs / "still.gif")
    site.page(
        "index.md",
        "# LED\n\n![GIF](led.gif)\n\n![WebP](led.webp){ data-animate }\n\n"
        "![APNG](led.png)\n\n![Still GIF](still.gif)\n",
    )
    built = site.build()
    html = built.html("index.html")
    for tag in ('<img alt="GIF" src="led.gif" />', '<img alt="APNG" src="led.png" />'):
        assert tag in html
    assert '<img alt="WebP" data-animate src="led.webp" />' in html
    assert "already moving: 3" in built.summary and "1 image(s) animated" in built.summary
    assert built.warnings == [
        "animate: Couldn't animate 'led.webp' in 'index.md': it has frames of its own; data-animate is ignored"
    ]


def test_shown_small_and_width_auto(site):
    """A large file shown as an icon stays still; a picture gets a clip as wide as a 2x screen shows it, never
    wider than its file."""
    site.configure(width="auto", min_width=300, min_height=200)
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")  # 640x427
    site.page(
        "index.md",
        "# Sizes\n\n![Mascot](img/rocket.jpg){ align=left width=110 }\n\n"
        '<img src="img/rocket.jpg" alt="Styled" style="width: 90px">\n\n'
        "![Half](img/rocket.jpg){ width=320 }\n\n![Whole](img/rocket.jpg)\n",
    )
    built = site.build()
    assert "shown small: 2" in built.summary and "2 image(s) animated" in built.summary, built.summary
    sizes = sorted(
        (media.probe(path).width, media.probe(path).height)
        for path in (built.site / "assets" / "animate").glob("*.mp4")
    )
    assert sizes == [(640, 426)]  # shown 320 px wide: a 2x screen shows the file's 640 px, as the whole one
