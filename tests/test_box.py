"""The animation takes exactly the still's place, under the theme's own styles: the same Markdown is built with the
plugin and with `enabled: false`, both are opened in Chromium at desktop and phone widths, and every image's box,
every block of text and the page's height are compared. The layer that plays must lie on the still's content box.

One build per theme and module; every check runs inside one page load per theme and width.
"""

from __future__ import annotations

import json

import pytest

from .chromium import ARTIFACTS, offline, require, serve
from .conftest import PHOTOS, Site

playwright = require()
pytestmark = pytest.mark.browser
THEMES = ("mkdocs", "readthedocs", "material")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TOLERANCE = 0.5  # px: the same place, to within rounding of sub-pixel layout (README: 0 px)
WORDS = " ".join(["The words wrap around the picture as the theme lays them out."] * 8)

# Every place an editor puts a picture; each image is found again by its alt text.
PAGE = f"""# Pictures everywhere

Some words before the first picture.

![Plain paragraph](img/rocket.jpg){{ data-animate }}

The paragraph after the plain picture.

![Mascot left](img/chelsea.png){{ align=left width=110 data-animate }}
{WORDS}

![Mascot right](img/coffee.png){{ align=right width=110 data-animate data-animate-output=webp }}
{WORDS}

<figure markdown="span">
  ![Figure with caption](img/flower.jpg){{ data-animate width=300 }}
  <figcaption>A flower, with its caption under it.</figcaption>
</figure>

The paragraph after the figure.

| Picture | Name |
| --- | --- |
| ![Table cell](img/grass.png){{ data-animate width=160 }} | Grass, in a table |

!!! note "A picture in an admonition"

    ![Admonition](img/coffee.png){{ data-animate data-animate-output=gif }}

    Text after the picture in the admonition.

- ![List item](img/rocket.jpg){{ data-animate width=240 }}
- The second item of the list.

[![Inside a link](img/chelsea.png){{ data-animate width=200 }}](other.md)

The last paragraph of the page.
"""
ALTS = [
    "Plain paragraph", "Mascot left", "Mascot right", "Figure with caption", "Table cell", "Admonition",
    "List item", "Inside a link",
]  # fmt: skip


def build(root, theme: str, enabled: bool) -> Site:
    """The same page under `theme`, with the plugin on or off."""
    site = Site.make(
        root, {"enabled": enabled}, search=True, site_name="Boxes",
        theme={"name": theme, **({"font": False} if theme == "material" else {"highlightjs": False})},
        markdown_extensions=["attr_list", "md_in_html", "admonition", "tables"],
    )  # fmt: skip
    for name in ("rocket.jpg", "chelsea.png", "coffee.png", "flower.jpg", "grass.png"):
        site.image(f"img/{name}", PHOTOS / name)
    site.page("index.md", PAGE)
    site.page("other.md", "# Another page\n")
    return site


@pytest.fixture(scope="module", params=THEMES)
def sites(request, tmp_path_factory):
    """The page under one theme, built with the plugin and without it, both served."""
    theme = request.param
    urls, servers = {}, []
    for enabled in (True, False):
        root = tmp_path_factory.mktemp(f"{theme}-{'on' if enabled else 'off'}")
        built = build(root, theme, enabled).build()
        if enabled:
            assert built.summary.startswith(f"animate: {len(ALTS)} image(s) animated"), built.summary
        server, url = serve(built.site)
        servers.append(server)
        urls[enabled] = url
    yield theme, urls
    for server in servers:
        server.shutdown()


MEASURE = """alts => {
  const doc = r => ({left: r.left + scrollX, top: r.top + scrollY, width: r.width, height: r.height});
  const content = img => {
    const r = img.getBoundingClientRect(), s = getComputedStyle(img), n = v => parseFloat(v) || 0;
    const l = n(s.borderLeftWidth) + n(s.paddingLeft), t = n(s.borderTopWidth) + n(s.paddingTop);
    return doc({left: r.left + l, top: r.top + t,
                width: r.width - l - n(s.borderRightWidth) - n(s.paddingRight),
                height: r.height - t - n(s.borderBottomWidth) - n(s.paddingBottom)});
  };
  const out = {images: {}, text: [], height: document.documentElement.scrollHeight};
  for (const alt of alts) {
    const img = [...document.images].find(i => i.alt === alt);
    const info = {still: doc(img.getBoundingClientRect()), content: content(img),
                  float: getComputedStyle(img).float, animated: img.hasAttribute('data-animate-src')};
    if (window.mkdocsAnimate) {
      const item = window.mkdocsAnimate.items().find(i => i.still === img);
      if (item) {
        const layer = getComputedStyle(item.layer), box = getComputedStyle(item.box);
        info.layer = doc(item.layer.getBoundingClientRect());
        info.button = doc(item.button.getBoundingClientRect());
        info.shown = layer.opacity === '1' && box.visibility === 'visible';
        info.label = item.button.getAttribute('aria-label');
        info.state = item.state;
      }
    }
    out.images[alt] = info;
  }
  // Every block of text of the content, in order: none may move.
  const blocks = document.querySelectorAll('h1, p, li, td, th, figcaption, .admonition-title');
  for (const el of blocks) {
    if (!el.textContent.trim() || el.closest('nav, header, footer, .md-sidebar, .wy-nav-side, .navbar')) continue;
    out.text.push([el.textContent.trim().slice(0, 30), doc(el.getBoundingClientRect())]);
  }
  return out;
}"""


def measure(browser, url: str, size: tuple[int, int], screenshot: str | None = None) -> dict:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    offline(context, errors)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    # Walk down the page so that every animation comes near and loads, then back to the top.
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + size[1], size[1] // 2):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(60)
    if page.evaluate("!!window.mkdocsAnimate"):
        page.wait_for_function(
            "n => window.mkdocsAnimate.items().filter(i => getComputedStyle(i.layer).opacity === '1').length === n",
            arg=len(ALTS), timeout=15000,
        )  # fmt: skip
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(150)
    result = page.evaluate(MEASURE, ALTS)
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    context.close()
    result["errors"] = errors
    return result


def deviation(a: dict, b: dict) -> float:
    return max(abs(a[k] - b[k]) for k in ("left", "top", "width", "height"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_animation_takes_exactly_the_stills_place(browser, sites, width):
    theme, urls = sites
    size = WIDTHS[width]
    plain = measure(browser, urls[False], size, f"box-{theme}-{width}-still.png")
    animated = measure(browser, urls[True], size, f"box-{theme}-{width}.png")
    assert plain["errors"] == [] and animated["errors"] == []
    report = {"theme": theme, "width": width, "images": {}}
    for alt in ALTS:
        before, after = plain["images"][alt], animated["images"][alt]
        assert after["animated"] and "layer" in after, f"{alt}: not animated"
        moved = deviation(before["still"], after["still"])
        off = deviation(after["layer"], after["content"])
        report["images"][alt] = {"still moved": round(moved, 2), "layer off the still": round(off, 2)}
        assert moved <= TOLERANCE, f"{theme} {width} {alt}: the still moved {before['still']} -> {after['still']}"
        assert off <= TOLERANCE, f"{theme} {width} {alt}: the layer {after['layer']} is not on {after['content']}"
        assert after["float"] == before["float"]
        assert after["shown"], f"{alt}: the animation is not shown"
        assert after["label"] == "Pause animation" and after["state"] == "playing"
        # The button is inside the animation's box.
        button, layer = after["button"], after["layer"]
        assert layer["left"] <= button["left"] and button["left"] + button["width"] <= layer["left"] + layer["width"]
        assert layer["top"] <= button["top"] and button["top"] + button["height"] <= layer["top"] + layer["height"]
    assert [t for t, _ in plain["text"]] == [t for t, _ in animated["text"]]
    moves = [(deviation(a, b), text, a, b) for (text, a), (_, b) in zip(plain["text"], animated["text"])]
    text_moved = max(move[0] for move in moves)
    assert text_moved <= TOLERANCE, f"{theme} {width}: text moved: {[m for m in moves if m[0] > TOLERANCE]}"
    assert abs(plain["height"] - animated["height"]) <= TOLERANCE
    report["text moved"] = round(text_moved, 2)
    report["height"] = [plain["height"], animated["height"]]
    report["max"] = max(max(v.values()) for v in report["images"].values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"box-{theme}-{width}.json").write_text(json.dumps(report, indent=1))
