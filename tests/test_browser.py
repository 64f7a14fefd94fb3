"""What a visitor sees, in a real headless Chromium (Debian's), on built sites served on 127.0.0.1.

Without Chromium these tests are skipped with the reason, except under CI=true, where they must run.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from .chromium import ARTIFACTS, free_port, offline, require, serve, tab_to_button
from .conftest import PHOTOS, REPO, Site, picture

playwright = require()
pytestmark = pytest.mark.browser


# MkDocs' own theme, whose script expects its search box: each served site turns search on.
MKDOCS_THEME = {"name": "mkdocs", "highlightjs": False}


@pytest.fixture
def served(tmp_path):
    """An illustrated site with a video, a GIF and a WebP animation, built and served."""
    site = Site.make(tmp_path / "served", {"duration": 2}, search=True, theme=MKDOCS_THEME)
    for name in ("rocket.jpg", "chelsea.png", "coffee.png"):
        site.image(f"img/{name}", PHOTOS / name)
    site.page(
        "index.md",
        "# Animals and things\n\nSome text first.\n\n"
        "![A rocket on its pad](img/rocket.jpg)\n\nMore words between the pictures.\n\n"
        "![Chelsea the cat](img/chelsea.png){ data-animate-output=gif }\n\n"
        "![A cup of coffee](img/coffee.png){ data-animate-output=webp }\n\nThe end.\n",
    )
    built = site.build()
    server, url = serve(built.site)
    yield url
    server.shutdown()


def new_page(browser, **options):
    """A page in a new context, and its list of errors: a request that leaves 127.0.0.1 is one."""
    context = browser.new_context(**options)
    errors: list[str] = []
    offline(context, errors)
    return context.new_page(), errors


def open_page(browser, url: str, **options):
    page, errors = new_page(browser, **options)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A video that is stopped (reduced motion) cancels its download: that is not an error.
    page.on("requestfailed", lambda r: None if "ABORTED" in (r.failure or "") else errors.append(f"failed: {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, errors


STATE = """v => ({paused: v.paused, muted: v.muted, loop: v.loop, time: v.currentTime, ended: v.ended,
                  ready: v.readyState, width: v.getBoundingClientRect().width,
                  height: v.getBoundingClientRect().height})"""
ITEMS = "window.mkdocsAnimate.items()"
LAYER = "video.animate-layer"  # playwright's CSS locators reach into the open shadow roots the script makes


def wait_playing(page, index: int = 0) -> None:
    page.wait_for_function(
        f"() => {ITEMS}.length && !{ITEMS}[{index}].layer.paused && {ITEMS}[{index}].layer.currentTime > 0"
    )


def test_videos_play_muted_and_loop(browser, served):
    page, errors = open_page(browser, served + "/")
    video = page.locator(LAYER).first
    page.wait_for_function(f"() => {ITEMS}[0].layer.currentTime > 0.3")
    state = video.evaluate(STATE)
    assert not state["paused"] and state["muted"] and state["loop"]
    # Past the clip's end (2 s) it is still playing: it loops.
    page.wait_for_timeout(2600)
    later = video.evaluate(STATE)
    assert not later["paused"] and not later["ended"]
    assert video.evaluate("v => v.played.length ? v.played.end(v.played.length - 1) : 0") > 0
    # The layer does not repeat the alt text: the still keeps it.
    assert video.get_attribute("aria-hidden") == "true"
    assert page.locator("img[alt='A rocket on its pad']").count() == 1
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "example-site.png"), full_page=True)


def test_button_click_and_keyboard_pause_and_play(browser, served):
    page, errors = open_page(browser, served + "/")
    wait_playing(page)
    buttons = page.get_by_role("button", name="Pause animation")
    assert buttons.count() == 3, "one visible button per animation, video, GIF and WebP alike"
    video = page.locator(LAYER).first
    button = page.locator(".animate-button").first
    # The button, by mouse.
    button.click()
    assert video.evaluate("v => v.paused") and button.get_attribute("aria-label") == "Play animation"
    button.click()
    wait_playing(page)
    assert button.get_attribute("aria-label") == "Pause animation"
    # The button, by keyboard: Tab reaches it.
    tab_to_button(page)
    page.keyboard.press("Enter")
    assert video.evaluate("v => v.paused")
    page.keyboard.press("Space")
    wait_playing(page)
    # The animation itself: click, Enter and Space.
    video.click()
    assert video.evaluate("v => v.paused")
    video.click()
    wait_playing(page)
    video.focus()
    page.keyboard.press("Enter")
    assert video.evaluate("v => v.paused")
    page.keyboard.press("Space")
    wait_playing(page)
    # The GIF pauses too: its still shows; play shows the animation again.
    gif = page.locator("img.animate-layer").first
    gif.scroll_into_view_if_needed()
    page.wait_for_function(f"() => getComputedStyle({ITEMS}[1].layer).opacity === '1'")
    page.locator(".animate-button").nth(1).click()
    assert gif.evaluate("img => getComputedStyle(img).opacity") == "0"
    page.locator(".animate-button").nth(1).click()
    page.wait_for_function(f"() => getComputedStyle({ITEMS}[1].layer).opacity === '1'")
    assert errors == []


def test_reduced_motion_shows_the_stills(browser, served):
    page, errors = new_page(browser, reduced_motion="reduce")
    clips: list[str] = []
    page.on(
        "request", lambda r: clips.append(r.url) if "/assets/animate/" in r.url and "animate." not in r.url else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served + "/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {ITEMS}.length === 3")
    page.wait_for_timeout(500)
    assert clips == [], "no clip is downloaded"
    items = page.evaluate(
        f"() => {ITEMS}.map(i => [getComputedStyle(i.layer).opacity, i.button.getAttribute('aria-label')])"
    )
    assert items == [["0", "Play animation"]] * 3, "the stills show; the button offers to play"
    assert page.locator(LAYER).evaluate("v => v.paused && v.currentTime === 0")
    assert errors == []
    page.context.close()


def test_gif_and_webp_animate_normally(browser, served):
    page, errors = open_page(browser, served + "/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(f"() => {ITEMS}.slice(1).every(i => i.layer.complete && i.layer.naturalWidth)")
    sources = page.locator("img.animate-layer").evaluate_all("imgs => imgs.map(i => i.currentSrc)")
    assert [s.rsplit(".", 1)[-1] for s in sources] == ["gif", "webp"]
    sizes = page.locator("img.animate-layer").evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.alt])")
    assert sizes == [[160, ""], [160, ""]]
    assert errors == []


def test_layout_does_not_shift_while_animations_load(browser, served):
    page, errors = new_page(browser)
    page.add_init_script(
        """window.__shifts = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
           if (!e.hadRecentInput) window.__shifts += e.value; }).observe({type: 'layout-shift', buffered: true});"""
    )
    # Slow the animations down so that the page is laid out before they arrive.
    page.route("**/assets/animate/*.mp4", lambda route: (page.wait_for_timeout(700), route.continue_()))
    page.goto(served + "/")
    # The stills themselves load as they do without the plugin; from then on, nothing may move.
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    page.evaluate("window.__shifts = 0")
    still = page.locator("img[alt='A rocket on its pad']")
    before = still.bounding_box()
    wait_playing(page)
    assert still.bounding_box() == before and before["height"] > 50
    assert page.evaluate("window.__shifts") < 0.01
    assert errors == []


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    """A long page with 20 animations (20 different clips), far apart."""

    site = Site.make(tmp_path_factory.mktemp("twenty"), search=True, site_name="Twenty", theme=MKDOCS_THEME,
                     markdown_extensions=["attr_list"])  # fmt: skip
    site.image("img/a.png", picture(320, 240, seed=3))
    words = "\n\n".join(["Words between the pictures, as many as a page of an encyclopedia has."] * 6)
    site.page(
        "index.md",
        "# Twenty\n\n"
        + "\n\n".join(
            f"![Picture {n}](img/a.png){{ data-animate data-animate-take={n} }}\n\n{words}" for n in range(1, 21)
        ),
    )
    built = site.build()
    assert "20 image(s) animated from 20 animation(s)" in built.summary
    server, url = serve(built.site)
    yield url
    server.shutdown()


def test_only_the_animations_near_the_view_download_and_play(browser, twenty):
    page, errors = open_page(browser, twenty + "/", viewport={"width": 1280, "height": 900})
    clips: set[str] = set()
    page.on("request", lambda r: clips.add(r.url) if r.url.endswith(".mp4") else None)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    near = page.evaluate(f"""() => {ITEMS}.filter(i => {{ const r = i.still.getBoundingClientRect();
                                  return r.bottom > -450 && r.top < innerHeight + 450; }}).length""")
    opened = len(clips)
    assert 1 <= opened <= near <= 4, (opened, near)
    assert page.evaluate(f"() => {ITEMS}.filter(i => !i.layer.paused).length") <= near
    # Scrolled out of view: it pauses; back in view: it plays again, unless the visitor paused it.
    wait_playing(page)
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_function(f"() => {ITEMS}[0].layer.paused")
    page.evaluate("window.scrollTo(0, 0)")
    wait_playing(page)
    page.locator(".animate-button").first.click()
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_timeout(200)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    assert page.evaluate(f"() => {ITEMS}[0].layer.paused")
    # Down to the end: every clip comes near and is downloaded.
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 400):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(40)
    page.wait_for_timeout(500)
    assert len(clips) == 20
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "twenty-requests.txt").write_text(
        f"opened at the top: {opened} of 20 clips\nafter scrolling: {len(clips)}\n"
    )
    assert errors == []


def test_a_full_reload_sets_up_once_without_errors(browser, served):
    page, errors = open_page(browser, served + "/")
    wait_playing(page)
    page.reload()  # what mkdocs serve's live reload does
    page.wait_for_load_state("networkidle")
    wait_playing(page)
    assert page.locator(".animate-button").count() == 3
    assert errors == []


def test_a_still_the_theme_shows_small_gets_no_layer(browser, tmp_path):
    """A rule the build cannot read (inside `@media`) shows a mascot at 90 px: the build animates it, the browser
    neither downloads nor draws its layer; the photo beside it plays."""
    site = Site.make(tmp_path / "small", search=True, theme=MKDOCS_THEME, extra_css=["css/site.css"])
    site.page("css/site.css", "@media screen { .mascot { width: 90px } }\n")
    site.image("img/owl.png", picture(320, 240, seed=1))
    site.image("img/cat.png", picture(320, 240, seed=2))
    site.page("index.md", "# Two\n\n![Owl](img/owl.png){ .mascot }\n\n![Cat](img/cat.png)\n")
    built = site.build()
    assert "2 image(s) animated" in built.summary and 'data-animate-min="100x80"' in built.html("index.html")
    server, url = serve(built.site)
    try:
        page, errors = new_page(browser)
        clips: list[str] = []
        page.on("request", lambda r: clips.append(r.url) if r.url.endswith(".mp4") else None)
        page.goto(url + "/")
        page.wait_for_load_state("networkidle")
        wait_playing(page, 1)
        owl, cat = page.evaluate(f"() => {ITEMS}.map(i => [i.still.getBoundingClientRect().width, i.state])")
        assert owl[0] == 90 and cat[0] > 100
        boxes = page.evaluate(f"() => {ITEMS}.map(i => i.box.classList.contains('placed'))")
        assert boxes == [False, True], "the mascot's layer and button are not drawn"
        owl_clip = page.evaluate(f"() => {ITEMS}[0].still.getAttribute('data-animate-src')")
        assert len(clips) == 1 and not clips[0].endswith(owl_clip.rsplit("/", 1)[-1])
        assert errors == []
    finally:
        server.shutdown()


@pytest.fixture
def material_site(tmp_path):
    """The example site under mkdocs-material, with instant navigation, content tabs and a dark palette."""
    root = tmp_path / "example"
    shutil.copytree(REPO / "example_site", root, ignore=shutil.ignore_patterns("site", ".cache"))
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["theme"] = {"name": "material", "features": ["navigation.instant"], "palette": {"scheme": "slate"},
                       "font": False}  # fmt: skip
    config["plugins"] = ["search", {"animate": {"provider": "local", "width": 160, "duration": 1}}]
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), "pymdownx.superfences",
                                     {"pymdownx.tabbed": {"alternate_style": True}}]  # fmt: skip
    (root / "docs" / "tabs.md").write_text(
        '# Tabs\n\n=== "Shown"\n\n    ![In the shown tab](img/rocket.jpg){ data-animate }\n\n'
        '=== "Hidden"\n\n    ![In the hidden tab](img/coffee.png){ data-animate data-animate-take=9 }\n'
    )
    # Instant navigation needs site_url: serve where the site says it lives.
    port = free_port()
    config["site_url"] = f"http://127.0.0.1:{port}/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))

    built = Site(root).build(strict=True)
    assert "image(s) animated" in built.summary
    server, url = serve(built.site, port)
    yield url
    server.shutdown()


def test_material_instant_navigation_tabs_and_dark_mode(browser, material_site):
    page, errors = open_page(browser, material_site + "/")
    clips: list[str] = []
    page.on(
        "request", lambda r: clips.append(r.url) if "/assets/animate/" in r.url and "animate." not in r.url else None
    )
    page.wait_for_function(f"() => window.mkdocsAnimate && {ITEMS}.length")
    # Instant navigation swaps the page without a reload: the script must set up the new page's animations too.
    page.evaluate("window.__same_document = true")
    for _ in range(2):  # there and back and there again: no duplicate buttons
        page.locator("article a[href$='animals/cat/']").first.click()
        page.wait_for_url("**/animals/cat/")
        page.wait_for_function(f"() => {ITEMS}.length && {ITEMS}.every(i => i.still.isConnected)")
        wait_playing(page)
        page.go_back()
        page.wait_for_function(f"() => !location.pathname.includes('cat') && {ITEMS}.every(i => i.still.isConnected)")
    page.locator("article a[href$='animals/cat/']").first.click()
    page.wait_for_url("**/animals/cat/")
    assert page.evaluate("window.__same_document === true"), "instant navigation, not a reload"
    page.wait_for_function(f"() => {ITEMS}.length && {ITEMS}.every(i => i.still.isConnected)")
    wait_playing(page)
    stills = page.locator("img[data-animate-src]").count()
    assert page.locator(".animate-button").count() == stills == page.evaluate(f"{ITEMS}.length")
    video = page.locator(LAYER).first
    video.click()
    assert video.evaluate("v => v.paused")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    # Content tabs: the animation in the hidden tab neither plays nor downloads, until its tab is opened.
    page.goto(material_site + "/tabs/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {ITEMS}.length === 2")
    wait_playing(page, 0)
    page.wait_for_timeout(300)
    hidden = page.evaluate(f"() => {ITEMS}[1].still.getAttribute('data-animate-src')").rsplit("/", 1)[-1]
    assert not any(url.endswith(hidden) for url in clips)
    assert page.evaluate(f"() => {ITEMS}[1].layer.paused")
    page.get_by_text("Hidden", exact=True).click()
    wait_playing(page, 1)
    assert any(url.endswith(hidden) for url in clips), (hidden, clips)
    assert page.evaluate(f"() => {ITEMS}[0].layer.paused"), "the tab closed: its animation pauses"
    assert errors == []


# --- lighter files: AV1 before H.264 (video_codecs), animated AVIF (output: avif) ----------------------------------


@pytest.fixture(scope="module")
def lighter(tmp_path_factory):
    """A page with a video in AV1 and H.264 (`video_codecs: [av1, h264]`) and an animated AVIF, built and served."""

    site = Site.make(tmp_path_factory.mktemp("lighter"), {"duration": 2, "video_codecs": ["av1", "h264"]}, search=True,
                     site_name="Lighter", theme=MKDOCS_THEME, markdown_extensions=["attr_list"])  # fmt: skip
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.image("img/coffee.png", PHOTOS / "coffee.png")
    words = "\n\n".join(["Words between the pictures."] * 3)
    site.page("index.md", f"# Lighter\n\n![A rocket on its pad](img/rocket.jpg)\n\n{words}\n\n"
                          "![A cup of coffee](img/coffee.png){ data-animate-output=avif }\n\nThe end.\n")  # fmt: skip
    built = site.build(strict=True)
    server, url = serve(built.site)
    yield url
    server.shutdown()


def clip_requests(page) -> list[str]:
    clips: list[str] = []
    page.on("request", lambda r: clips.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith((".mp4", ".avif")) else None)
    return clips


def test_chromium_plays_the_av1_source_and_downloads_only_it(browser, lighter):
    page, errors = new_page(browser)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    clips = clip_requests(page)
    page.goto(lighter + "/")
    wait_playing(page)
    still = page.locator("img[alt='A rocket on its pad']")
    sources = json.loads(still.get_attribute("data-animate-sources"))
    av1, h264 = (s["src"].rsplit("/", 1)[-1] for s in sources)
    assert page.evaluate(f"() => {ITEMS}[0].layer.currentSrc").endswith("/" + av1)
    listed = page.locator(LAYER).evaluate("v => [...v.querySelectorAll('source')].map(s => s.getAttribute('type'))")
    assert listed == [sources[0]["type"], "video/mp4"] and "av01" in listed[0]
    assert page.locator(LAYER).evaluate("v => v.videoWidth") == 160
    page.wait_for_timeout(300)
    assert av1 in clips and h264 not in clips, clips
    assert errors == []
    page.context.close()


def test_where_av1_fails_the_h264_source_plays(browser, lighter):
    page, errors = open_page(browser, lighter + "/")
    still = page.locator("img[alt='A rocket on its pad']")
    av1 = json.loads(still.get_attribute("data-animate-sources"))[0]["src"].rsplit("/", 1)[-1]
    # A browser that cannot decode it: the AV1 file is refused before the page sets the layer up.
    page.route(f"**/{av1}", lambda route: route.abort())
    page.reload()
    wait_playing(page)
    assert page.evaluate(f"() => {ITEMS}[0].layer.currentSrc").endswith(still.get_attribute("data-animate-src"))
    assert page.evaluate(f"() => {ITEMS}[0].state") == "playing"
    # Only the refusal itself is reported (its request, and the console's line for it).
    assert [e for e in errors if av1 not in e and e != "Failed to load resource: net::ERR_FAILED"] == []


def test_chromium_shows_the_animated_avif(browser, lighter):
    page, errors = open_page(browser, lighter + "/")
    avif = page.locator("img.animate-layer")
    avif.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {ITEMS}[1].layer.complete && getComputedStyle({ITEMS}[1].layer).opacity === '1'")
    assert avif.evaluate("i => [i.currentSrc.split('.').pop(), i.naturalWidth, i.naturalHeight]") == ["avif", 160, 106]
    # It moves: two screenshots of the layer, a moment apart, differ.
    first = avif.screenshot()
    page.wait_for_timeout(700)
    assert avif.screenshot() != first
    assert errors == []


def test_lighter_files_with_reduced_motion_download_nothing(browser, lighter):
    page, errors = new_page(browser, reduced_motion="reduce")
    page.on("pageerror", lambda error: errors.append(str(error)))
    clips = clip_requests(page)
    page.goto(lighter + "/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {ITEMS}.length === 2")
    page.wait_for_timeout(500)
    assert clips == []
    labels = page.evaluate(
        f"() => {ITEMS}.map(i => [getComputedStyle(i.layer).opacity, i.button.getAttribute('aria-label')])"
    )
    assert labels == [["0", "Play animation"]] * 2
    # Asked to play, the video plays its AV1 source.
    page.locator(".animate-button").first.click()
    wait_playing(page)
    assert (
        clips and clips[0].endswith(".mp4") and page.evaluate(f"() => {ITEMS}[0].layer.currentSrc").endswith(clips[0])
    )
    assert errors == []
    page.context.close()


def test_lighter_files_by_keyboard_only(browser, lighter):
    page, errors = open_page(browser, lighter + "/")
    wait_playing(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        index = page.evaluate(f"""() => {ITEMS}.findIndex(i => i.button.getRootNode().activeElement === i.button)""")
        if index >= 0 and index not in reached:
            reached.append(index)
            page.keyboard.press("Enter")
            page.wait_for_function(f"() => {ITEMS}[{index}].state === 'paused'")
            page.keyboard.press("Space")
            page.wait_for_function(f"() => {ITEMS}[{index}].state === 'playing'")
        if len(reached) == 2:
            break
    assert reached == [0, 1], "Tab reaches the AV1 video's button, then the AVIF's"
    wait_playing(page)
    assert errors == []


def test_lighter_files_on_a_phone(browser, lighter):
    page, errors = open_page(
        browser, lighter + "/", viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    wait_playing(page)
    assert page.evaluate(f"() => {ITEMS}[0].layer.currentSrc").endswith(".mp4")
    for index in (0, 1):
        page.evaluate(f"() => {ITEMS}[{index}].still.scrollIntoView({{block: 'center'}})")
        page.wait_for_function(f"() => getComputedStyle({ITEMS}[{index}].layer).opacity === '1'")
        # The layer lies on the still's content box (inside the theme's border and padding).
        still, layer = page.evaluate(
            f"""() => [{ITEMS}[{index}].still, {ITEMS}[{index}].layer].map((e, n) => {{
                 const r = e.getBoundingClientRect(), s = getComputedStyle(e), px = v => n ? 0 : parseFloat(v);
                 const l = px(s.borderLeftWidth) + px(s.paddingLeft), t = px(s.borderTopWidth) + px(s.paddingTop);
                 const w = l + px(s.borderRightWidth) + px(s.paddingRight);
                 const h = t + px(s.borderBottomWidth) + px(s.paddingBottom);
                 return [r.left + l, r.top + t, r.width - w, r.height - h]; }})"""
        )
        assert all(abs(a - b) < 0.5 for a, b in zip(still, layer)), (still, layer)
        assert still[2] <= 390
    page.locator(".animate-button").first.tap()
    page.wait_for_function(f"() => {ITEMS}[0].state === 'paused'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
    assert errors == []
