"""The `mkdocs-animate` command, run as a user runs it (a separate process), on real pages and sites."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest

from mkdocs_animate_plugin.video import media

from .conftest import FAST, PHOTOS, command, picture
from .standin import KEY

SMALL = [f"--{k.replace('_', '-')}={v}" for k, v in FAST.items()]


animate = command


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def references(html: str) -> list[str]:
    return re.findall(r'(?:src|href|poster|srcset)="([^"]*)"', html)


HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Cats</title>
<link rel="stylesheet" href="/static/site.css">
</head><body>
<header><img src="/static/logo.png" alt="Logo" width="600"></header>
<nav><a href="/about/">About</a></nav>
<main>
<h1>Cats</h1>
<p>Cats sleep a lot.</p>
<p><img src="img/cat.png" alt="A cat"></p>
<p><img src="/img/dog.png" srcset="/img/dog.png 1x, img/dog@2x.png 2x" alt="A dog"></p>
<p><img src="http://127.0.0.1:9/gone.png" alt="Unreachable"></p>
</main>
<footer>Footer text</footer>
</body></html>
"""


@pytest.fixture
def web(tmp_path: Path):
    """A small web site served on 127.0.0.1 by the test."""
    root = tmp_path / "www"
    (root / "static").mkdir(parents=True)
    (root / "img").mkdir()
    (root / "pets").mkdir()
    (root / "pets" / "cats.html").write_text(HTML)
    (root / "pets" / "img").mkdir()
    picture(400, 300, seed=1).save(root / "pets" / "img" / "cat.png")
    picture(400, 300, seed=2).save(root / "img" / "dog.png")
    picture(400, 300, seed=2).save(root / "pets" / "img" / "dog@2x.png")
    picture(600, 200, seed=3).save(root / "static" / "logo.png")
    picture(64, 64, seed=4).save(root / "static" / "paper.png")
    (root / "static" / "site.css").write_text("body { background: url('paper.png'); }\n")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def check_saved_page(out: Path) -> lxml.html.HtmlElement:
    html = (out / "index.html").read_text()
    for ref in references(html):
        for url in ref.split(","):
            url = url.strip().split(" ")[0]
            if url.startswith(("http:", "https:", "#", "data:")):
                continue
            assert not url.startswith("/"), f"root-relative URL left: {url}"
            assert (out / url).is_file(), f"{url} is not saved"
    return lxml.html.fromstring(html)


def test_page_from_a_url(web, tmp_path):
    out = tmp_path / "out"
    result = animate("page", f"{web}/pets/cats.html", "-o", str(out), *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tree = check_saved_page(out)
    assert [v.get("alt") for v in tree.xpath("//img[@data-animate-type='video/mp4']")] == ["A cat", "A dog"]
    # The header's large logo is the theme's, not the content's.
    assert tree.xpath("//header//img")[0].get("src").startswith("assets/")
    assert not tree.xpath("//header//img[@data-animate-src]")
    assert "Cats sleep a lot." in tree.text_content() and "Footer text" in tree.text_content()
    assert tree.xpath("//nav/a")[0].get("href") == f"{web}/about/"
    css = tree.xpath("//link[@rel='stylesheet']")
    saved_css = (out / css[0].get("href")).read_text()
    assert "url('" in saved_css and (out / "assets" / re.search(r"url\('([^']+)'\)", saved_css)[1]).is_file()
    assert "couldn't save http://127.0.0.1:9/gone.png" in result.stderr
    assert tree.xpath("//img[@alt='Unreachable']")[0].get("src") == "http://127.0.0.1:9/gone.png"
    for video in tree.xpath("//img[@data-animate-type='video/mp4']"):
        info = media.probe(out / video.get("data-animate-src"))
        assert info.codec == "h264" and info.width == 160


def test_page_from_a_local_html_file_and_a_content_selector(tmp_path):
    folder = tmp_path / "pages"
    (folder / "img").mkdir(parents=True)
    picture(400, 300).save(folder / "img" / "cat.png")
    (folder / "cats.html").write_text(
        '<html><body><div class="text"><img src="img/cat.png" alt="A cat"></div>'
        '<aside><img src="img/cat.png" alt="Side"></aside></body></html>'
    )
    out = tmp_path / "out"
    result = animate("page", str(folder / "cats.html"), "-o", str(out), "--content", ".text", *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tree = check_saved_page(out)
    assert [v.get("alt") for v in tree.xpath("//img[@data-animate-type='video/mp4']")] == ["A cat"]
    assert tree.xpath("//aside//img")[0].get("src").startswith("assets/")


def test_page_from_a_markdown_file(tmp_path):
    (tmp_path / "img").mkdir()
    shutil.copy(PHOTOS / "rocket.jpg", tmp_path / "img" / "rocket.jpg")
    (tmp_path / "rockets.md").write_text(
        "# Rockets\n\nA rocket pushes gas down.\n\n![A rocket](img/rocket.jpg){ data-animate-output=gif }\n"
    )
    out = tmp_path / "out"
    result = animate("page", str(tmp_path / "rockets.md"), "-o", str(out), *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tree = check_saved_page(out)
    (picture_element,) = tree.xpath("//img[@data-animate-src and @data-animate-type!='video/mp4']")
    gif = picture_element.get("data-animate-src")
    assert media.probe(out / gif).codec == "gif"
    assert tree.xpath("//title")[0].text == "Rockets"


LINKS = re.compile(r'<link rel="stylesheet" href="[^"]*animate\.css">|<script src="[^"]*animate\.js" defer></script>')


@pytest.fixture
def built(site, tmp_path):
    """A MkDocs site built with the plugin off, as any generator would leave it."""
    site.set(theme={"name": "material", "logo": "img/logo.png"})
    site.configure(enabled=False)
    site.image("img/logo.png", picture(900, 600, seed=9))
    site.image("img/cat.png", picture(400, 300, seed=1))
    site.page("index.md", "# Home\n\n![A cat](img/cat.png)\n\nText.\n")
    site.page("deep/page.md", "# Deep\n\n![The cat again](../img/cat.png)\n")
    site.build()
    return site.root / "site"


def test_site_animates_content_in_place_and_twice_changes_nothing(built, tmp_path):
    before = tree_bytes(built)
    result = animate("site", str(built), *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = tree_bytes(built)
    changed = {name for name in before if before[name] != after[name]}
    # The pages with content images, and every other page only links the script (instant navigation from it).
    assert changed == {"index.html", "deep/page/index.html", "404.html"}
    added = set(after) - set(before)
    assert all(name.startswith("assets/animate/") for name in added) and len(added) == 3  # mp4, css, js
    for page in ("index.html", "deep/page/index.html"):
        tree = lxml.html.fromstring(after[page])
        assert len(tree.xpath("//img[@data-animate-type='video/mp4']")) == 1
        assert all(not img.get("data-animate-src") for img in tree.xpath("//img[contains(@src, 'logo')]"))
        # Outside the animated image, the page is as it was: remove the additions and compare.
        text = after[page].decode()
        text = re.sub(
            r' data-animate-key="[^"]*" data-animate-src="[^"]*" data-animate-type="[^"]*"'
            r' data-animate-size="[^"]*"( data-animate-min="[^"]*")?',
            "",
            text,
        )
        text = LINKS.sub("", text)
        assert text == before[page].decode()
    assert LINKS.sub("", after["404.html"].decode()) == before["404.html"].decode() != after["404.html"].decode()
    again = animate("site", str(built), *SMALL, cwd=tmp_path)
    assert again.returncode == 0 and tree_bytes(built) == after


def test_plan_lists_makes_no_paid_call_and_writes_nothing(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300, seed=1))
    paid_site.image("img/dog.png", picture(400, 300, seed=2))
    paid_site.image("img/tiny.png", picture(50, 40, seed=3))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    env = {**os.environ, "AIMLAPI_API_KEY": KEY}
    assert paid_site.run("build", env=env).returncode == 0
    paid_site.page("index.md", "![cat](img/cat.png)\n\n![dog](img/dog.png)\n\n![tiny](img/tiny.png)\n")
    calls = len(standin.calls)
    cache_before = tree_bytes(paid_site.cache)
    result = animate("plan", "-f", str(paid_site.root / "mkdocs.yml"), env=env)
    assert result.returncode == 0, result.stderr
    assert len(standin.calls) == calls, "a plan makes no provider call"
    assert tree_bytes(paid_site.cache) == cache_before, "a plan writes nothing to the cache"
    lines = result.stdout.splitlines()
    assert lines[0] == "index.md"
    assert re.match(r"\s+img/cat\.png\s+cached$", lines[1])
    assert re.match(r"\s+img/dog\.png\s+new", lines[2])
    assert re.match(r"\s+img/tiny\.png\s+skipped: too small: 50x40 px$", lines[3])
    assert "1 paid generation(s), estimated $0.49" in lines[-1]
    assert len(lines) == 5, "standard output holds the plan alone"
    assert "image(s) animated" not in result.stderr and "Building documentation" not in result.stderr
    verbose = animate("plan", "--verbose", "-f", str(paid_site.root / "mkdocs.yml"), env=env)
    assert verbose.stdout == result.stdout and "Building documentation" in verbose.stderr


def test_cache_stats_prune_and_clear(site, tmp_path):
    site.image("img/a.png", picture(seed=1))
    site.image("img/b.png", picture(seed=2))
    site.page("index.md", "![a](img/a.png)\n\n![b](img/b.png){ data-animate-output=gif }\n")
    site.build()
    config = str(site.root / "mkdocs.yml")
    stats = animate("cache", "stats", "-f", config)
    assert stats.returncode == 0, stats.stderr
    assert "animations: 2" in stats.stdout
    assert re.search(r"video\s+1\s+[\d.]+ KiB", stats.stdout) and re.search(r"gif\s+1\s", stats.stdout)
    site.page("index.md", "![a](img/a.png)\n")  # b is no longer used
    pruned = animate("cache", "prune", "-f", config)
    assert pruned.returncode == 0, pruned.stderr
    assert "removed 1 file(s)" in pruned.stdout
    assert [p.suffix for p in (site.cache / "animations").iterdir()] == [".mp4"]
    assert "animations: 1" in animate("cache", "stats", "-f", config).stdout
    refused = animate("cache", "clear", "-f", config, stdin="n\n")
    assert refused.returncode == 1 and site.cache.exists()
    cleared = animate("cache", "clear", "-f", config, "--yes")
    assert cleared.returncode == 0 and not site.cache.exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["site", "{tmp}", "--output", "mov"],
            2,
            "Invalid value for --output: Expected one of: ('video', 'gif', 'webp', 'avif')",
        ),
        (
            ["site", "{tmp}", "--concurrency", "0"],
            2,
            "Invalid value for --concurrency: Expected a number of at least 1",
        ),
        (["site", "{tmp}/nowhere"], 2, "does not exist"),
        (["page", "{tmp}/missing.html", "-o", "{tmp}/out"], 1, "Error: no such file"),
        (["page", "http://127.0.0.1:9/page.html", "-o", "{tmp}/out"], 1, "Error: couldn't fetch the page"),
        (["page", "ftp://example.org/x.html", "-o", "{tmp}/out"], 1, "expected an http(s) URL"),
        (["site", "{tmp}", "--content", "main >"], 2, "is not a CSS selector"),
        (["plan", "-f", "{tmp}/none.yml"], 2, "does not exist"),
        (["site", "{tmp}", "--video-model", "kling"], 2, "the closest: kling-video/v1.5/pro/image-to-video, "),
    ],
)
def test_bad_arguments_give_one_clear_line(tmp_path, args, code, message):
    result = animate(*[a.format(tmp=tmp_path) for a in args], cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_every_subcommand_has_help():
    for args in (["--help"], ["page", "--help"], ["site", "--help"], ["plan", "--help"], ["render", "--help"],
                 ["cache", "--help"], ["cache", "stats", "--help"], ["cache", "prune", "--help"],
                 ["cache", "clear", "--help"], ["models", "--help"]):  # fmt: skip
        result = animate(*args)
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_models_lists_the_table_a_user_chooses_from():
    from mkdocs_animate_plugin.providers import models

    listing = animate("models")
    assert listing.returncode == 0, listing.stderr
    table = listing.stdout.split("\n\n")[0].splitlines()
    assert table[0].split()[:3] == ["video_model", "loop", "by"]
    rows = {line.split()[0]: line for line in table[1:]}
    assert set(rows) == set(models.MODELS)
    default = rows[models.DEFAULT_MODEL].split()
    assert default[1:7] == ["(default)", "end", "frame", "tail_image_url", "3–15", "off"]
    assert "$0.49 / 5 s" in rows["kling-video/v1.6/pro/image-to-video"]
    assert rows["luma/ray-3.2"].split()[1:4] == ["loop:", "true", "5,"]
    lines = [json.loads(line) for line in animate("models", "--json").stdout.splitlines()]
    assert [line["video_model"] for line in lines if line["default"]] == [models.DEFAULT_MODEL]
    assert {line["endpoint"] for line in lines} == {"/v2/video/generations", "/v2/generate/video/kling/generation"}


def test_site_honours_include_and_exclude(built, tmp_path):
    before = tree_bytes(built)
    result = animate("site", str(built), *SMALL, "--exclude", "deep/*", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = tree_bytes(built)
    assert after["deep/page/index.html"] == before["deep/page/index.html"]
    assert b"assets/animate/" in after["index.html"]
    assert "page excluded: 1" in result.stderr
    only = animate("site", str(built), *SMALL, "--include", "deep/*", cwd=tmp_path)
    assert only.returncode == 0 and b"assets/animate/" in tree_bytes(built)["deep/page/index.html"]


def test_a_page_from_the_web_never_reads_local_files(tmp_path):
    """`<img src="file:...">`, a `<base href="file:...">` or a stylesheet's `url(file:...)` on a web page would copy
    this machine's files into OUT: each is refused with a warning, and its reference left as it was."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    page = (
        f'<html><body><main><p>Hello</p><img src="{secret.as_uri()}" alt="x">'
        f'<style>body {{ background: url("{secret.as_uri()}") }}</style></main></body></html>'
    )
    folder = tmp_path / "www-file"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (folder / "page.html").write_text(page)
        out = tmp_path / "out"
        result = animate("page", f"http://127.0.0.1:{server.server_address[1]}/page.html", "-o", str(out), cwd=tmp_path)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "does not get to read local files" in result.stderr
    assert not any("not for the web" in p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())


def test_prune_without_the_key_keeps_the_paid_clips(paid_site, standin):
    """`provider: auto` with no key in the shell plans with the local animator: that plan must not prune what was
    paid for."""
    paid_site.image("img/cat.png", picture(400, 300, seed=1))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    paid_site.configure(provider="auto")
    assert paid_site.run("build", env={**os.environ, "AIMLAPI_API_KEY": KEY}).returncode == 0
    clips = sorted(p.name for p in (paid_site.cache / "clips").glob("*.mp4"))
    assert clips
    pruned = animate("cache", "prune", "-f", str(paid_site.root / "mkdocs.yml"), env={"AIMLAPI_API_KEY": ""})
    assert pruned.returncode == 0, pruned.stderr
    assert "paid clips kept" in pruned.stdout
    assert sorted(p.name for p in (paid_site.cache / "clips").glob("*.mp4")) == clips
