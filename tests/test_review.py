"""Review before it goes live: `mkdocs-animate review` (scripted and the gallery), the review file and
`publish: approved`, through real builds (the local animator, and the stand-in AI/ML API for what costs money)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from mkdocs_animate_plugin.review.decisions import Review
from mkdocs_animate_plugin.review.record import RECORD

from .conftest import PHOTOS, REPO, picture

ARTIFACTS = REPO / "test-artifacts"


def review(site, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs-animate review -f mkdocs.yml ARGS` as a separate process, as an editor or a script runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_animate_plugin.cli", "review", "-f", str(site.root / "mkdocs.yml"), *args],
        check=False, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


def listed(site, env: dict | None = None) -> dict[str, dict]:
    """`--list --json` by image."""
    done = review(site, "--list", "--json", env=env)
    assert done.returncode == 0, done.stderr
    return {row["image"]: row for row in json.loads(done.stdout)}


def shown(built, page: str = "index.html") -> list[str]:
    """The animation files a page of the built site shows."""
    html, folder = built.html(page), built.site / "assets" / "animate"
    names = os.listdir(folder) if folder.is_dir() else []
    return sorted(name for name in names if name in html and not name.startswith("animate."))


@pytest.fixture
def two(site):
    """A site with a cat (on two pages) and a dog."""
    site.image("img/cat.png", picture(320, 240, seed=1))
    site.image("img/dog.png", picture(320, 240, seed=2))
    site.page("index.md", "# Pets\n\n![A cat](img/cat.png)\n\nAnd a dog.\n\n![A dog](img/dog.png)\n")
    site.page("more.md", "# More\n\n![The cat again](img/cat.png)\n")
    return site


def test_scripted_review_through_real_builds(two):
    site = two
    # No build yet: the command builds first and says so; every animation is pending.
    done = review(site, "--list", "--json")
    assert done.returncode == 0, done.stderr
    assert "building the site first" in done.stderr
    rows = {row["image"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {"docs/img/cat.png", "docs/img/dog.png"}
    cat, dog = rows["docs/img/cat.png"], rows["docs/img/dog.png"]
    assert set(cat) >= {"key", "page", "image", "state", "prompt", "model", "cost"}
    assert cat["state"] == dog["state"] == "pending"
    assert cat["pages"] == ["index.md", "more.md"] and cat["page"] == "index.md"
    assert cat["model"] == "local (auto)" and cat["cost"] == 0 and cat["prompt"] is None and cat["take"] == 1

    # publish: approved: nothing approved yet, so every image keeps its still, counted as awaiting review.
    site.configure(publish="approved")
    built = site.build()
    assert "awaiting review: 3" in built.summary and "animate: 0 image(s) animated" in built.summary
    assert "data-animate-key" not in built.html("index.html") and not shown(built)

    # Approve the cat by the start of its key, reject the dog by its image path.
    done = review(site, "--approve", cat["key"][:8], "--reject", "docs/img/dog.png")
    assert done.returncode == 0, done.stderr
    assert f"approved  {cat['key']}" in done.stdout and f"rejected  {dog['key']}" in done.stdout
    text = (site.root / "animate-review.yml").read_text()
    assert text.splitlines()[3:] == [
        "docs/img/cat.png:",
        "  clips:",
        f"  - {{take: 1, clip: {cat['key']}, state: approved}}",
        "docs/img/dog.png:",
        "  clips:",
        f"  - {{take: 1, clip: {dog['key']}, state: rejected}}",
    ]
    built = site.build(strict=True)
    assert built.warnings == []
    assert "2 image(s) animated" in built.summary and "rejected: 1" in built.summary
    assert "awaiting review" not in built.summary
    assert len(shown(built)) == 1 and len(shown(built, "more/index.html")) == 1  # the cat, on both pages
    # The warm build replays its pages, and the decisions still hold.
    again = site.build()
    assert again.summary == built.summary and shown(again) == shown(built)

    # `--approve all` approves what is pending, never what an editor rejected.
    done = review(site, "--approve", "all")
    assert done.returncode == 0 and "nothing pending to approve" in done.stdout
    assert {image: row["state"] for image, row in listed(site).items()} == {
        "docs/img/cat.png": "approved",
        "docs/img/dog.png": "rejected",
    }
    table = review(site, "--list")
    assert table.returncode == 0 and "1 pending" not in table.stdout and "1 approved, 1 rejected" in table.stdout
    # An unknown key is an error that says where to look.
    done = review(site, "--approve", "0123456789")
    assert done.returncode != 0 and "no animation '0123456789' in the last build" in done.stderr

    # publish: all (the default) publishes everything, whatever the file says.
    site.configure(publish="all")
    assert "3 image(s) animated" in site.build().summary


def test_a_decision_belongs_to_the_clip_not_its_encoding(two):
    site = two
    site.configure(publish="approved")
    site.build()
    rows = listed(site)
    assert review(site, "--approve", "docs/img/cat.png").returncode == 0
    # Another output, width and frame rate: new files, the same clip, the same decision.
    site.configure(output="gif", width=128, fps=8)
    built = site.build(strict=False)
    files = shown(built)
    assert len(files) == 1 and files[0].endswith(".gif")
    after = listed(site)
    assert after["docs/img/cat.png"]["key"] == rows["docs/img/cat.png"]["key"]
    assert after["docs/img/cat.png"]["state"] == "approved"
    # A changed picture is a new clip: pending again, and the still stays.
    site.image("img/cat.png", picture(320, 240, seed=7))
    built = site.build()
    assert not shown(built) and "awaiting review: 3" in built.summary
    changed = listed(site)["docs/img/cat.png"]
    assert changed["key"] != rows["docs/img/cat.png"]["key"] and changed["state"] == "pending"


def test_the_key_a_page_carries_is_the_one_review_and_the_gallery_take(two):
    from mkdocs_animate_plugin.review.gallery import serve

    site = two
    built = site.build()
    carried = set(re.findall(r'data-animate-key="([^"]+)"', built.html("index.html")))
    rows = listed(site)
    assert carried == {rows["docs/img/cat.png"]["key"], rows["docs/img/dog.png"]["key"]}
    assert set(re.findall(r'data-animate-key="([^"]+)"', built.html("more/index.html"))) == {
        rows["docs/img/cat.png"]["key"]
    }
    # An editor who inspects the cat on the site approves it by the key its page carries.
    cat = rows["docs/img/cat.png"]["key"]
    done = review(site, "--approve", cat)
    assert done.returncode == 0 and f"approved  {cat}" in done.stdout
    gallery = serve(site.root / "animate-review.yml", site.cache)
    try:
        status, body = _request(gallery.url, "GET", "/api/clips")
        assert status == 200
        shown_keys = {clip["key"]: clip["state"] for clip in json.loads(body)["clips"]}
        assert set(shown_keys) == carried and shown_keys[cat] == "approved"
    finally:
        gallery.close()
    # Another encoding of the same clip: new files, the same key on the page.
    site.configure(output="gif", width=128)
    assert set(re.findall(r'data-animate-key="([^"]+)"', site.build().html("index.html"))) == carried


def test_retake_makes_exactly_one_new_paid_clip(paid_site, standin):
    site = paid_site
    site.configure(publish="approved")
    site.image("img/cat.png", picture(400, 300))
    site.page("index.md", "Cats sleep a lot.\n\n![A sleepy cat](img/cat.png)\n")
    first = site.build()
    assert standin.count("create") == 1 and "awaiting review: 1" in first.summary
    before = listed(site)["docs/img/cat.png"]
    assert "kling" in before["model"] and before["cost"] == pytest.approx(0.49)
    assert before["prompt"] == "The picture breathes gently: a soft breeze, slow light, calm."

    done = review(site, "--retake", before["key"])
    assert done.returncode == 0, done.stderr
    assert "the next build asks for the next take" in done.stdout
    assert "retakes: 1" in (site.root / "animate-review.yml").read_text()
    assert listed(site)["docs/img/cat.png"]["state"] == "rejected"  # the old take is not published

    # The next build asks for take 2: one new paid clip (the prompt is the cached one), pending again.
    built = site.build()
    assert standin.count("create") == 2 and standin.count("chat") == 1
    assert "1 new paid clip(s)" in built.summary and "awaiting review: 1" in built.summary
    after = listed(site)["docs/img/cat.png"]
    assert after["take"] == 2 and after["state"] == "pending" and after["key"] != before["key"]
    # The old take stays in the cache until pruned.
    assert len(list((site.cache / "clips").glob("*.mp4"))) == 2
    # A warm build pays nothing more; approving it publishes it.
    assert review(site, "--approve", after["key"]).returncode == 0
    built = site.build()
    assert standin.count("create") == 2 and len(shown(built)) == 1


def test_a_retake_counts_against_max_new(paid_site, standin):
    site = paid_site
    site.image("img/cat.png", picture(400, 300))
    site.page("index.md", "![A cat](img/cat.png)\n")
    site.build()
    site.configure(max_new=0)
    assert review(site, "--retake", "docs/img/cat.png").returncode == 0
    built = site.build()
    assert standin.count("create") == 1 and "over max_new: 1" in built.summary
    assert any("max_new allows 0" in warning for warning in built.warnings)


def test_a_broken_review_file_names_the_line_and_the_build_goes_on(two):
    site = two
    site.configure(publish="approved")
    site.build()
    rows = listed(site)
    cat, dog = rows["docs/img/cat.png"]["key"], rows["docs/img/dog.png"]["key"]
    path = site.root / "animate-review.yml"
    path.write_text(
        "# by hand\n"
        "docs/img/cat.png:\n"
        "  clips:\n"
        f"  - {{take: 1, clip: {cat}, state: approved}}\n"
        "docs/img/dog.png:\n"
        "  clips:\n"
        f"  - {{take: 1, clip: {dog}, state: aproved}}\n"
    )
    built = site.build()
    assert built.warnings == [
        f"animate: {path}:7: docs/img/dog.png: state must be approved or rejected, not 'aproved'; "
        "this entry counts as pending"
    ]
    assert "2 image(s) animated" in built.summary and "awaiting review: 1" in built.summary
    # --strict fails on it, as on any warning.
    with pytest.raises(Exception, match="warnings"):
        site.build(strict=True)
    # The command says the same, and writes nothing over a file with a mistake in it.
    done = review(site, "--approve", dog)
    assert done.returncode != 0 and f"{path}:7:" in done.stderr and "nothing was written" in done.stderr
    assert "aproved" in path.read_text()

    # Not YAML at all: one warning with the line; every animation is pending, the build goes on.
    path.write_text(f"docs/img/cat.png:\n  clips:\n  - {{take: 1, clip: {cat}, state: approved\n")
    built = site.build()
    assert len(built.warnings) == 1 and built.warnings[0].startswith(f"animate: {path}:4: not valid YAML")
    assert "every animation counts as pending" in built.warnings[0]
    assert "awaiting review: 3" in built.summary


def test_a_decision_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "animate-review.yml"
    clip = {"key": "a" * 20, "image": "docs/img/cat.png", "take": 1, "page_take": 1}
    Review.load(path).decide(clip, "approve")
    before = path.read_text()
    assert Review.load(path).state("a" * 20) == "approved"

    def killed(*args):
        raise OSError("killed")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(Exception, match="couldn't write"):
        Review.load(path).decide(clip, "reject")
    assert path.read_text() == before and list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def _request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    host = url.split("//")[1].rstrip("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def test_the_gallery_refuses_writes_from_other_origins(two):
    from mkdocs_animate_plugin.review.gallery import serve

    site = two
    site.build()
    key = listed(site)["docs/img/cat.png"]["key"]
    gallery = serve(site.root / "animate-review.yml", site.cache)
    try:
        url, origin = gallery.url, gallery.url.rstrip("/")
        body = json.dumps({"key": key, "action": "approve"}).encode()
        json_type = {"Content-Type": "application/json"}
        assert _request(url, "POST", "/api/decide", body, {**json_type, "Origin": "http://evil.example"})[0] == 403
        assert _request(url, "POST", "/api/decide", body, {**json_type, "Sec-Fetch-Site": "cross-site"})[0] == 403
        form = {"Content-Type": "text/plain", "Origin": origin}
        assert _request(url, "POST", "/api/decide", body, form)[0] == 415
        rebound = {**json_type, "Origin": origin, "Host": "evil.example"}
        assert _request(url, "POST", "/api/decide", body, rebound)[0] == 403
        assert not (site.root / "animate-review.yml").exists()
        status, answer = _request(url, "POST", "/api/decide", body, {**json_type, "Origin": origin})
        assert status == 200 and json.loads(answer)["state"] == "approved"
        # Opened as localhost, the gallery's page is still its own.
        local = {**json_type, "Origin": f"http://localhost:{gallery.port}", "Host": f"localhost:{gallery.port}"}
        assert _request(url, "POST", "/api/decide", body, local)[0] == 200
        assert Review.load(site.root / "animate-review.yml").state(key) == "approved"
        # Files only by the clip's key; the video in byte ranges.
        assert _request(url, "GET", f"/media/still/{key}")[0] == 200
        status, part = _request(url, "GET", f"/media/animation/{key}", headers={"Range": "bytes=0-99"})
        assert status == 206 and len(part) == 100
        assert _request(url, "GET", "/media/still/..%2F..%2Fmkdocs.yml")[0] == 404
    finally:
        gallery.close()


def test_the_command_serves_the_gallery_and_prints_its_url(two):
    site = two
    site.build()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs_animate_plugin.cli",
            "review",
            "-f",
            str(site.root / "mkdocs.yml"),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        assert line.startswith("Reviewing 2 animation(s) of ") and "http://127.0.0.1:" in line
        url = "http://" + line.split("http://", 1)[1].split()[0]
        status, body = _request(url, "GET", "/api/clips")
        assert status == 200 and {clip["image"] for clip in json.loads(body)["clips"]} == {
            "docs/img/cat.png",
            "docs/img/dog.png",
        }
        status, page = _request(url, "GET", "/")
        assert status == 200 and b"Review animations" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- the gallery in a real browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_gallery_in_a_browser(site):
    from mkdocs_animate_plugin.review.gallery import serve

    from .chromium import CHROMIUM, require

    playwright = require()
    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.image("img/owl.jpg", PHOTOS / "owl.jpg")
    site.page("index.md", "# Animals\n\n![A cat](img/cat.png)\n\nAnd an owl.\n\n![An owl](img/owl.jpg)\n")
    site.page("more.md", "# More\n\n![The cat again](img/cat.png)\n")
    site.configure(publish="approved", width=320)
    site.build()
    rows = listed(site)
    cat, dog = rows["docs/img/cat.png"]["key"], rows["docs/img/owl.jpg"]["key"]
    path = site.root / "animate-review.yml"
    gallery = serve(path, site.cache)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(gallery.url)
            cards = page.locator("article.clip")
            cards.first.wait_for()
            assert cards.count() == 2
            # Each animation beside its still, both loaded; the page(s), prompt, model, take and cost shown.
            page.wait_for_function(
                "() => [...document.querySelectorAll('.still img')].every(i => i.complete && i.naturalWidth > 0)"
                " && [...document.querySelectorAll('.media video')].every(v => v.readyState >= 2)"
            )
            card = page.locator(f"article.clip[data-key='{cat}']")
            assert card.locator(".pages").inner_text() == "index.md, more.md"
            assert card.locator(".prompt").inner_text() == "—" and card.locator(".model").inner_text() == "local (auto)"
            assert card.locator(".cost").inner_text() == "free"

            # Click Approve on the cat: the file has it at once.
            page.get_by_role("button", name="Approve docs/img/cat.png, take 1").click()
            page.wait_for_selector(f"article.clip[data-key='{cat}'][data-state='approved']")
            assert Review.load(path).state(cat) == "approved"
            # The keyboard: the owl's card focused, `r` rejects it.
            page.locator(f"article.clip[data-key='{dog}']").focus()
            page.keyboard.press("r")
            page.wait_for_selector(f"article.clip[data-key='{dog}'][data-state='rejected']")
            assert Review.load(path).state(dog) == "rejected"
            page.mouse.move(0, 0)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review-gallery.png"))
            # Filters by state.
            page.get_by_role("button", name="Approved").first.click()
            assert page.locator("article.clip").count() == 1
            page.get_by_role("button", name="Pending").click()
            assert page.locator("article.clip").count() == 0 and page.locator("#empty").is_visible()
            assert errors == []
            browser.close()
    finally:
        gallery.close()
    # The next build publishes the approved cat, and only it.
    built = site.build()
    assert "2 image(s) animated" in built.summary and "rejected: 1" in built.summary
    assert len(shown(built)) == 1
    # The README's copy: made where it is missing, or remade on request (a test run leaves the checkout as it was).
    readme = REPO / "docs" / "media" / "review-gallery.png"
    if not readme.exists() or os.environ.get("ANIMATE_README_MEDIA") == "1":
        shutil.copyfile(ARTIFACTS / "review-gallery.png", readme)
    assert RECORD == "review-record.json" and (site.cache / RECORD).is_file()


def test_plan_and_build_agree_under_publish_approved(two):
    """`plan` runs the build's own decisions: what it says a build shows, the build shows, and what it says the
    build keeps still for review, the build keeps still."""
    from .conftest import command

    site = two.configure(publish="approved")
    site.build()  # every clip made, none approved yet
    cat = listed(site)["docs/img/cat.png"]
    assert review(site, "--approve", cat["key"]).returncode == 0
    done = command("plan", "-f", str(site.root / "mkdocs.yml"))
    assert done.returncode == 0, done.stderr
    rows, page = {}, None
    for line in done.stdout.splitlines()[:-1]:
        if line.startswith("  "):
            rows[page, line.split()[0]] = line
        else:
            page = line
    assert set(rows) == {("index.md", "img/cat.png"), ("index.md", "img/dog.png"), ("more.md", "../img/cat.png")}
    for cat_row in (rows["index.md", "img/cat.png"], rows["more.md", "../img/cat.png"]):
        assert "cached" in cat_row and "kept still" not in cat_row
    assert "cached" in rows["index.md", "img/dog.png"]
    assert "kept still: awaiting review" in rows["index.md", "img/dog.png"]
    assert "; 1 left still" in done.stdout.splitlines()[-1]

    built = site.build()
    html = built.html("index.html")
    assert len(shown(built)) == 1 and 'alt="A cat"' in html
    shown_keys = {
        tag.split('data-animate-key="')[1].split('"')[0] for tag in html.split("<img")[1:] if "data-animate-key" in tag
    }
    assert len(shown_keys) == 1 and "awaiting review: 1" in built.summary
