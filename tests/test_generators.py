"""`mkdocs-animate site` on real builds of other generators: Sphinx (alabaster and Read the Docs themes), Hugo (a
theme whose content sits in `<div id="body-inner">`, no landmark) and Zensical (which ignores MkDocs plugins).

Each site shows real photographs (animated with `select: auto`), a small icon in its content (left still, "too
small") and a theme image outside the content (never looked at). The command runs as a user runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from .conftest import PHOTOS, command

# Small clips, the default `select: auto` (photos animated, icons left still).
ARGS = ["--width=160", "--duration=1", "--min-width=100", "--min-height=80"]
PHOTO_NAMES = ("chelsea.png", "rocket.jpg", "flower.jpg")


def animate(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command, run in `cwd` with its user cache folder in `cwd/xdg-cache`."""
    return command(*args, cwd=cwd, env={"XDG_CACHE_HOME": str(cwd / "xdg-cache"), **(env or {})})


def images(folder: Path, icon_name: str = "icon.png") -> None:
    """The three photos, an icon (a photo shrunk to 32 px) and a logo for the theme, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in PHOTO_NAMES:
        shutil.copy(PHOTOS / name, folder / name)
    with Image.open(PHOTOS / "coffee.png") as photo:
        photo.convert("RGB").resize((32, 32)).save(folder / icon_name)
        photo.convert("RGB").save(folder / "logo.jpg")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counts(stderr: str) -> dict[str, int]:
    summary = re.search(r"animate: (\d+) image\(s\) animated.*", stderr)
    pages = re.search(r"animate: (\d+) page\(s\) read, (\d+) with images", stderr)
    assert summary and pages, stderr
    still = re.search(r"too small: (\d+)", summary[0])
    return {
        "pages": int(pages[1]),
        "with images": int(pages[2]),
        "animated": int(summary[1]),
        "too small": int(still[1]) if still else 0,
    }


def run_site(name: str, site: Path, *extra: str, cwd: Path) -> tuple[dict[str, int], str]:
    """`site` once (timed, reported), then again: the second run changes nothing."""
    started = time.perf_counter()
    result = animate("site", str(site), *ARGS, *extra, cwd=cwd)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    found = counts(result.stderr)
    print(f"\n{name}: {found['pages']} pages, {found['animated']} animated, {seconds:.1f} s; {result.stderr}")
    before = tree_bytes(site)
    again = animate("site", str(site), *ARGS, *extra, cwd=cwd)
    assert again.returncode == 0, again.stderr
    assert tree_bytes(site) == before, "a second run changes nothing"
    return found, result.stderr


def animated_sources(html: str) -> list[str]:
    """The stills that show an animation: named on the `<img>` itself, or inside a `<video>` or `<picture>` of
    one (whichever markup the page uses)."""
    import lxml.html

    found = []
    for img in lxml.html.document_fromstring(html).iter("img"):
        wrapper = img.getparent()
        wrapped = (
            wrapper is not None
            and wrapper.tag in ("video", "picture")
            and "assets/animate/" in (lxml.html.tostring(wrapper, encoding="unicode"))
        )
        if img.get("data-animate-src") or wrapped:
            found.append(img.get("src") or "")
    return found


# --- Sphinx ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["alabaster", "sphinx_rtd_theme"])
def test_sphinx(tmp_path, theme):
    pytest.importorskip("sphinx")
    if theme == "sphinx_rtd_theme":
        pytest.importorskip("sphinx_rtd_theme")
    source = tmp_path / "src"
    images(source / "pics")
    (source / "conf.py").write_text(f"project = 'Pets'\nhtml_theme = {theme!r}\nhtml_logo = 'pics/logo.jpg'\n")
    (source / "index.rst").write_text(
        "Pets\n====\n\nCats sleep a lot.\n\n.. image:: pics/chelsea.png\n   :alt: A cat\n\n"
        ".. image:: pics/icon.png\n   :alt: An icon\n\n.. toctree::\n\n   space\n"
    )
    (source / "space.rst").write_text(
        "Space\n=====\n\n.. figure:: pics/rocket.jpg\n   :alt: A rocket\n\n   A rocket on its pad.\n\n"
        ".. image:: pics/flower.jpg\n   :alt: A flower\n"
    )
    out = tmp_path / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    found, _ = run_site(f"Sphinx ({theme})", out, cwd=tmp_path)
    assert found["animated"] == 3 and found["too small"] == 1, found
    # The content sits in [role=main] in both themes; the logo in the sidebar or header is never touched.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("logo.jpg") >= 1 and not any("logo" in s for s in animated_sources(index))
    assert len(animated_sources(index)) == 1


# --- Hugo --------------------------------------------------------------------------------------------------

BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<header id="header"><a href="/"><img src="/img/logo.jpg" alt="Site logo" width="400"></a></header>
<div id="wrapper">
<nav id="sidebar"><ul>{{ range .Site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<div id="body"><div id="body-inner">
<h1>{{ .Title }}</h1>
{{ block "main" . }}{{ end }}
</div></div>
</div>
<footer id="footer"><img src="/img/logo.jpg" alt="Logo again" width="400"> Made with Hugo</footer>
</body></html>
"""


def test_hugo_theme_without_landmarks(tmp_path):
    hugo = shutil.which("hugo")
    if hugo is None:
        if os.environ.get("CI") == "true":
            pytest.fail("hugo is not installed (apt-get install hugo): under CI=true this test must run")
        pytest.skip("hugo is not installed (apt-get install hugo)")
    root = tmp_path / "hugo"
    layouts = root / "themes" / "plain" / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(BASEOF)
    (layouts / "single.html").write_text('{{ define "main" }}{{ .Content }}{{ end }}')
    (layouts / "list.html").write_text('{{ define "main" }}{{ .Content }}{{ end }}')
    (root / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Pets"\ntheme = "plain"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
    )
    images(root / "static" / "img")
    content = root / "content"
    (content / "animals").mkdir(parents=True)
    (content / "_index.md").write_text("---\ntitle: Home\n---\nWelcome.\n\n![A cat](/img/chelsea.png)\n")
    (content / "animals" / "rocket.md").write_text(
        "---\ntitle: Rocket\n---\nA rocket.\n\n![A rocket](/img/rocket.jpg)\n\n![icon](/img/icon.png)\n"
    )
    (content / "animals" / "flower.md").write_text("---\ntitle: Flower\n---\n![A flower](../../img/flower.jpg)\n")
    (content / "animals" / "words.md").write_text("---\ntitle: Words\n---\nNo pictures here.\n")
    build = subprocess.run(
        [hugo, "--quiet", "-s", str(root), "-d", str(root / "public")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    found, stderr = run_site("Hugo (no landmark)", root / "public", cwd=tmp_path)
    assert found["animated"] == 3 and found["too small"] == 1, found
    # Every page with images had no landmark; the summary says so.
    assert re.search(r"no such landmark \(.*\) in [1-9]", stderr)
    assert "no content found in 0" in stderr
    home = (root / "public" / "index.html").read_text(encoding="utf-8")
    assert home.count('src="/img/logo.jpg"') == 2, "the theme's images stay as they were"
    assert animated_sources(home) and not any("logo" in s for s in animated_sources(home))

    # A selector that matches nothing: the summary says no content was found, and to give --content.
    nowhere = animate("site", str(root / "public"), *ARGS, "--content", "#nowhere", cwd=tmp_path)
    assert nowhere.returncode == 0 and "(give --content SELECTOR)" in nowhere.stderr, nowhere.stderr


# --- Zensical ----------------------------------------------------------------------------------------------

ZENSICAL_TOML = """[project]
site_name = "Pets"
site_url = "https://example.org/"

[project.plugins.animate]
width = 160
duration = 1
min_width = 100
min_height = 80
"""

MKDOCS_YML = """site_name: Pets
site_url: https://example.org/
theme:
  name: material
plugins:
  - search
  - animate:
      width: 160
      duration: 1
      min_width: 100
      min_height: 80
"""


def zensical_project(root: Path, config: tuple[str, str]) -> Path:
    docs = root / "docs"
    images(docs / "img")
    (docs / "index.md").write_text(
        "# Pets\n\nCats sleep a lot.\n\n![A cat](img/chelsea.png)\n\n![icon](img/icon.png)\n"
    )
    (docs / "space.md").write_text("# Space\n\n![A rocket](img/rocket.jpg)\n")
    (docs / "quiet.md").write_text("---\nanimate: false\n---\n# Quiet\n\n![A flower](img/flower.jpg)\n")
    (root / config[0]).write_text(config[1])
    build = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", config[0]],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return root / "site"


@pytest.mark.parametrize("config", [("zensical.toml", ZENSICAL_TOML), ("mkdocs.yml", MKDOCS_YML)], ids=lambda c: c[0])
def test_zensical(tmp_path, config):
    pytest.importorskip("zensical")
    root = tmp_path / "project"
    site = zensical_project(root, config)
    assert not (site / "assets" / "animate").exists(), "Zensical itself never runs the plugin"

    # Without -f: the command says it could read the project beside the site, and keeps no cache in the folder.
    hint = animate("site", str(site), "--offline", cwd=root)
    assert hint.returncode == 0, hint.stderr
    assert f"give -f {root / config[0]}" in hint.stderr
    assert f"cache in {root / 'xdg-cache' / 'mkdocs-animate'}" in hint.stderr
    assert not (root / ".cache" / "plugin").exists()

    found, _ = run_site(f"Zensical ({config[0]})", site, "-f", str(root / config[0]), cwd=root)
    # The options came from the project; `animate: false` kept the flower still; the cache sits beside it.
    assert found["animated"] == 2 and found["too small"] == 1, found
    assert (root / ".cache" / "plugin" / "animate" / "animations").is_dir()
    quiet = (site / "quiet" / "index.html").read_text(encoding="utf-8")
    assert "flower.jpg" in quiet and not animated_sources(quiet)
    assert animated_sources((site / "space" / "index.html").read_text(encoding="utf-8"))
