"""Wherever a visitor goes and whatever they asked for: pages reached by Material's instant navigation, pictures
under mkdocs-glightbox's lightbox, Save-Data, stills the browser cannot draw, and a pause button seen on any picture.
Real builds, served on 127.0.0.1 and opened in headless Chromium (Debian's)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import yaml
from PIL import Image

from .chromium import ARTIFACTS, free_port, require, serve, tab_to_button
from .conftest import PHOTOS, Site, picture
from .test_browser import ITEMS, LAYER, MKDOCS_THEME, clip_requests, new_page, open_page, wait_playing

playwright = require()
pytestmark = pytest.mark.browser


def settle(page, url: str, count: int) -> None:
    """Open `url` and wait until its `count` animations are set up and have asked for what they ask for alone."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {ITEMS}.length === {count}")
    page.wait_for_timeout(500)


# --- instant navigation ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def instant(tmp_path_factory):
    """A Material site with `navigation.instant` and `site_url`: a home page without pictures links a page with one."""
    port = free_port()
    theme = {"name": "material", "features": ["navigation.instant"], "font": False}
    site = Site.make(tmp_path_factory.mktemp("instant"), search=True, theme=theme,
                     site_url=f"http://127.0.0.1:{port}/")  # fmt: skip
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.page("index.md", "# Home\n\nNo pictures on this page. On to [the pictures](pics.md).\n")
    site.page("pics.md", "# Pictures\n\n![A rocket on its pad](img/rocket.jpg)\n\nBack [home](index.md).\n")
    built = site.build(strict=True)
    assert "1 image(s) animated" in built.summary
    assert "animate.js" in built.html("index.html"), "a page without animations links the script too"
    server, url = serve(built.site, port)
    yield url
    server.shutdown()


def boxes(page) -> int:
    """The animation boxes in every shadow root of the page: one per animation, never two."""
    return page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e => e.shadowRoot)
                   .reduce((n, e) => n + e.shadowRoot.querySelectorAll('.animate-box').length, 0)"""
    )


def test_a_page_reached_by_instant_navigation_plays_and_back_works(browser, instant):
    page, errors = open_page(browser, instant + "/")
    page.wait_for_function("() => window.mkdocsAnimate && window.document$")
    assert page.evaluate(f"{ITEMS}.length") == 0
    page.evaluate("window.__same_document = true")
    for _ in range(2):  # there, back, forward: the animation plays each time it is shown, with one layer
        page.locator("article a[href$='pics/']").first.click()
        page.wait_for_url("**/pics/")
        wait_playing(page)
        assert page.evaluate(f"{ITEMS}.length") == 1 and boxes(page) == 1
        page.go_back()
        page.wait_for_function(f"() => !location.pathname.includes('pics') && {ITEMS}.length === 0")
        assert boxes(page) == 0, "the old page's animation is forgotten"
    page.go_forward()
    page.wait_for_url("**/pics/")
    wait_playing(page)
    assert page.evaluate(f"{ITEMS}.length") == 1 and boxes(page) == 1
    assert page.evaluate("window.__same_document === true"), "instant navigation, not a reload"
    page.locator(".animate-button").click()
    assert page.locator(LAYER).evaluate("v => v.paused")
    assert errors == []


def test_content_swapped_by_any_script_is_set_up_again(browser, plain):
    # No document$ here (MkDocs' own theme): content that another script takes out and puts back is noticed.
    page, errors = open_page(browser, plain + "/")
    wait_playing(page)
    assert page.evaluate("window.document$") is None
    page.evaluate("window.__html = document.querySelector('[role=main]').innerHTML")
    page.evaluate("document.querySelector('[role=main]').replaceChildren()")
    page.wait_for_function(f"() => {ITEMS}.length === 0")
    assert boxes(page) == 0
    page.evaluate("document.querySelector('[role=main]').innerHTML = window.__html")
    page.wait_for_function(f"() => {ITEMS}.length === 2")
    wait_playing(page)
    assert boxes(page) == 2
    assert errors == []


# --- mkdocs-glightbox --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["glightbox first", "animate first"])
def lightbox(request, tmp_path_factory):
    """A Material site with mkdocs-glightbox before or after the plugin in `plugins:`."""
    site = Site.make(tmp_path_factory.mktemp("lightbox"), theme={"name": "material", "font": False})
    animate = yaml.safe_load((site.root / "mkdocs.yml").read_text())["plugins"]
    site.set(plugins=["glightbox", *animate] if request.param == "glightbox first" else [*animate, "glightbox"])
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.image("img/coffee.png", PHOTOS / "coffee.png")
    site.image("img/flower.jpg", PHOTOS / "flower.jpg")
    site.page(
        "index.md",
        "# Lightbox\n\n![A rocket on its pad](img/rocket.jpg)\n\nWords.\n\n"
        "![A cup of coffee](img/coffee.png){ data-animate-output=webp }\n\n"
        "[![A linked cup](img/coffee.png){ data-animate-take=2 }](other.md)\n\n"
        '<figure markdown="span">\n  ![A flower](img/flower.jpg){ width=300 }\n  <figcaption>A flower</figcaption>\n'
        "</figure>\n\nThe end.\n",
    )
    site.page("other.md", "# Other\n")
    built = site.build(strict=True)
    html = built.html("index.html")
    assert html.count('class="glightbox"') == 3 and html.count("data-animate-src") == 3, html
    assert "3 image(s) animated" in built.summary and "inside a link: 1" in built.summary
    server, url = serve(built.site)
    yield url
    server.shutdown()


def test_lightbox_pictures_animate_open_the_lightbox_and_pause(browser, lightbox):
    page, errors = open_page(browser, lightbox + "/")
    # The video in a paragraph, and the one in a figure (whose layer stands inside the link).
    assert page.evaluate(f"{ITEMS}.map(i => i.box.getRootNode().host.tagName)") == ["P", "P", "SPAN"]
    assert page.evaluate(f"{ITEMS}[2].box.getRootNode().host.parentElement.className") == "glightbox"
    for index, picture_file in ((0, "rocket.jpg"), (2, "flower.jpg")):
        page.evaluate(f"() => {ITEMS}[{index}].still.scrollIntoView({{block: 'center', behavior: 'instant'}})")
        wait_playing(page, index)
        # A click on the animation opens the lightbox, on the still's picture, as a click on the still did.
        box = page.evaluate(f"() => {{ const r = {ITEMS}[{index}].layer.getBoundingClientRect(); return [r.x, r.y]; }}")
        page.mouse.click(box[0] + 40, box[1] + 30)
        page.locator("#glightbox-body").wait_for(state="visible")
        assert page.locator("#glightbox-body .gslide.current img").get_attribute("src").endswith(picture_file)
        page.keyboard.press("Escape")
        page.locator("#glightbox-body").wait_for(state="detached")
        # The button pauses and plays, and opens nothing.
        page.locator(".animate-button").nth(index).click()
        assert page.evaluate(f"[{ITEMS}[{index}].state, {ITEMS}[{index}].layer.paused]") == ["paused", True]
        page.wait_for_timeout(300)
        assert page.locator("#glightbox-body").count() == 0
        page.locator(".animate-button").nth(index).click()
        wait_playing(page, index)
    # The WebP under its lightbox link too.
    page.evaluate(f"() => {ITEMS}[1].still.scrollIntoView({{block: 'center'}})")
    page.wait_for_function(f"() => getComputedStyle({ITEMS}[1].layer).opacity === '1'")
    page.locator(".animate-button").nth(1).click()
    assert page.evaluate(f"{ITEMS}[1].state") == "paused" and page.locator("#glightbox-body").count() == 0
    assert errors == []


# --- Save-Data, stills the browser cannot draw, the button's contrast ----------------------------------------------


def flat(level: int, seed: int) -> Image.Image:
    """An even picture of one brightness, with a little grain."""
    grain = np.random.default_rng(seed).normal(0, 3, (240, 320, 3))
    return Image.fromarray(np.clip(level + grain, 0, 255).astype(np.uint8))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A dark and a light picture animated; a page with a TIFF and with a still whose file is broken in the site."""
    site = Site.make(tmp_path_factory.mktemp("plain"), search=True, theme=MKDOCS_THEME)
    site.image("img/dark.png", flat(22, 1))
    site.image("img/light.png", flat(232, 2))
    site.image("img/photo.tif", picture(seed=7), format="TIFF")
    site.image("img/broken.png", picture(seed=8))
    site.page("index.md", "# Plain\n\n![Dark](img/dark.png)\n\nWords.\n\n![Light](img/light.png)\n")
    site.page("tiff.md", "# TIFF\n\n![A TIFF](img/photo.tif){ data-animate }\n\n![Broken](img/broken.png)\n")
    built = site.build()
    assert "not a web format: 1" in built.summary
    assert [w for w in built.warnings if "photo.tif" in w and "PNG or JPEG" in w], built.warnings
    assert "data-animate-src" not in built.html("tiff/index.html").split("photo.tif")[1].split(">")[0]
    # The browser cannot draw the still (its file damaged after the build): the animation must not show either.
    (built.site / "img" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    server, url = serve(built.site)
    yield url
    server.shutdown()


def test_save_data_downloads_nothing_until_play(browser, plain):
    page, errors = new_page(browser)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    clips = clip_requests(page)
    settle(page, plain + "/", 2)
    assert page.evaluate("navigator.connection.saveData") is True
    assert clips == [], "Save-Data: no clip downloaded"
    labels = page.evaluate(
        f"() => {ITEMS}.map(i => [getComputedStyle(i.layer).opacity, i.button.getAttribute('aria-label')])"
    )
    assert labels == [["0", "Play animation"]] * 2, "the stills show; the button offers to play"
    page.locator(".animate-button").first.click()
    wait_playing(page)
    assert len(clips) == 1, "only the animation asked for"
    assert errors == []
    page.context.close()


def test_no_layer_over_a_still_the_browser_cannot_draw(browser, plain):
    page, errors = new_page(browser)
    page.on("pageerror", lambda error: errors.append(str(error)))
    clips = clip_requests(page)
    settle(page, plain + "/tiff/", 1)
    broken = page.evaluate(
        f"""() => {{ const i = {ITEMS}[0]; return [i.still.getAttribute('alt'), i.still.naturalWidth, i.state,
                     getComputedStyle(i.box).visibility, getComputedStyle(i.button).visibility]; }}"""
    )
    assert broken == ["Broken", 0, "still", "hidden", "hidden"]
    assert clips == [], "nothing downloaded for a still that is not there"
    assert page.get_by_role("button", name="Pause animation").count() == 0
    assert errors == []
    page.context.close()


def luminance(rgb) -> float:
    """WCAG's relative luminance of an sRGB colour."""
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


UP_LEFT = np.linspace(0.5, 1.0, 7)  # half-turns from straight up to straight left


def ring(shot: np.ndarray, centre: tuple[float, float], radius: float, turns=UP_LEFT) -> np.ndarray:
    """The median colour on a circle around the button's centre, on the side where the picture is (up and left)."""
    x, y = centre
    points = [shot[round(y - radius * np.sin(np.pi * t)), round(x + radius * np.cos(np.pi * t))] for t in turns]
    return np.median(points, axis=0)


MARGIN = 12  # px around the button in its screenshots


# The theme scrolls smoothly (a focused element is scrolled to): wait for the button to stand still.
STILL_BUTTON = """async index => {
  const button = window.mkdocsAnimate.items()[index].button;
  window.mkdocsAnimate.items()[index].still.scrollIntoView({block: 'center', behavior: 'instant'});
  let last = null;
  for (let n = 0; n < 60; n++) {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const r = button.getBoundingClientRect();
    if (last && r.x === last.x && r.y === last.y) return [r.x, r.y, r.width];
    last = r;
  }
  return null;
}"""


def button_shot(page, index: int) -> np.ndarray:
    """The button of the animation `index` and the picture around it, as the screen shows them (1x), with the
    animation centred in the window."""
    x, y, width = page.evaluate(STILL_BUTTON, index)
    assert width == 28, "the button's size is as before"
    area = {"x": x - MARGIN, "y": y - MARGIN, "width": 28 + 2 * MARGIN, "height": 28 + 2 * MARGIN}
    return np.asarray(Image.open(io.BytesIO(page.screenshot(clip=area))).convert("RGB"))


@pytest.mark.parametrize("index", [0, 1], ids=["dark picture", "light picture"])
def test_the_button_stands_out_and_shows_its_focus(browser, plain, index):
    page, errors = open_page(browser, plain + "/", viewport={"width": 1000, "height": 800})
    page.evaluate(f"() => {ITEMS}[{index}].still.scrollIntoView({{block: 'center', behavior: 'instant'}})")
    wait_playing(page, index)
    before = button_shot(page, index)
    centre = (MARGIN + 14 - 0.5, MARGIN + 14 - 0.5)
    around, edge, disc = ring(before, centre, 19), ring(before, centre, 13), ring(before, centre, 10, [0.75])
    assert contrast(edge, disc) >= 3, "a light ring around a dark disc"
    assert max(contrast(edge, around), contrast(disc, around)) >= 3, (edge, disc, around)
    icon = before[round(centre[1]), round(centre[0]) - 2]
    assert contrast(icon, disc) >= 4.5
    # Focused by keyboard: a ring appears around it that differs from what was there by 3:1 at least.
    tab_to_button(page, index)
    focused = button_shot(page, index)
    changes = [contrast(ring(focused, centre, r), ring(before, centre, r)) for r in (15, 17)]
    assert max(changes) >= 3, changes
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(np.hstack([before, focused])).resize((8 * 2 * before.shape[1], 8 * before.shape[0]), 0).save(
        ARTIFACTS / f"button-{index}.png"
    )
    assert errors == []
