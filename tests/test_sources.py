"""`mkdocs-animate page` on what people hand it: a plain article without landmarks, a Word document, an EPUB book,
and the documents it cannot read. The documents are made here, with python-docx and ebooklib, from real photos."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from .conftest import PHOTOS, command

ARGS = ["--width=160", "--duration=1", "--min-width=100", "--min-height=80"]  # select: auto, small clips


def animate(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command, run in `cwd` with its user cache folder in `cwd/xdg-cache`."""
    return command(*args, cwd=cwd, env={"XDG_CACHE_HOME": str(cwd / "xdg-cache"), **(env or {})})


def icon_bytes() -> bytes:
    """A 32 px icon: a photo shrunk to an icon's size."""
    buffer = io.BytesIO()
    with Image.open(PHOTOS / "coffee.png") as photo:
        photo.convert("RGB").resize((32, 32)).save(buffer, "PNG")
    return buffer.getvalue()


def summary(stderr: str) -> tuple[int, str]:
    line = re.search(r"animate: (\d+) image\(s\) animated.*", stderr)
    assert line, stderr
    return int(line[1]), line[0]


def animated_count(html: str) -> int:
    """Animations in the saved page, whichever markup shows them."""
    return len(re.findall(r"data-animate-src=|<video\b|<picture\b", html))


def test_plain_article_without_landmarks(tmp_path):
    folder = tmp_path / "article"
    folder.mkdir()
    shutil.copy(PHOTOS / "chelsea.png", folder / "cat.png")
    shutil.copy(PHOTOS / "rocket.jpg", folder / "rocket.jpg")
    (folder / "index.html").write_text(
        "<!doctype html><html><head><title>Pets</title></head><body>"
        '<div class="top" role="banner"><img src="rocket.jpg" alt="Banner" width="400"></div>'
        "<h1>Pets</h1><p>Cats sleep.</p><p><img src='cat.png' alt='A cat'></p>"
        "<p>Rockets fly.</p><p><img src='rocket.jpg' alt='A rocket'></p>"
        "<footer><img src='cat.png' alt='Footer cat' width='400'></footer></body></html>"
    )
    out = tmp_path / "out"
    result = animate("page", str(folder / "index.html"), "-o", str(out), *ARGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    count, line = summary(result.stderr)
    assert count == 2, line
    assert "no <article>, [role=main] or <main>" in result.stderr  # says how it found the content
    html = (out / "index.html").read_text(encoding="utf-8")
    assert animated_count(html) == 2, "the banner and the footer are not content"
    # No -f: the cache is the user's, one line says where, and nothing is written in the current folder.
    assert f"cache in {tmp_path / 'xdg-cache' / 'mkdocs-animate'}" in result.stderr
    assert (tmp_path / "xdg-cache" / "mkdocs-animate").is_dir() and not (tmp_path / ".cache").exists()


def test_page_with_no_content_found_says_to_give_content(tmp_path):
    shutil.copy(PHOTOS / "chelsea.png", tmp_path / "cat.png")
    (tmp_path / "all-chrome.html").write_text(
        "<html><body><header><img src='cat.png' alt='A cat'></header></body></html>"
    )
    result = animate("page", str(tmp_path / "all-chrome.html"), "-o", str(tmp_path / "out"), *ARGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "found no content in" in result.stderr and "--content SELECTOR" in result.stderr


def test_cache_dir_overrides_the_users(tmp_path):
    shutil.copy(PHOTOS / "chelsea.png", tmp_path / "cat.png")
    (tmp_path / "cat.md").write_text("# Cat\n\n![A cat](cat.png)\n")
    out, cache = tmp_path / "out", tmp_path / "here"
    result = animate("page", str(tmp_path / "cat.md"), "-o", str(out), *ARGS, "--cache-dir", str(cache), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)[0] == 1 and (cache / "animations").is_dir()
    assert "cache in" not in result.stderr and not (tmp_path / "xdg-cache").exists()


# --- Word --------------------------------------------------------------------------------------------------


def make_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading("Animals and machines", level=1)
    document.add_paragraph("Chelsea the cat likes the sun.")
    document.add_picture(str(PHOTOS / "chelsea.png"), width=Cm(12))
    document.add_paragraph("A rocket on its launch pad.")
    document.add_picture(str(PHOTOS / "rocket.jpg"), width=Cm(12))
    document.add_paragraph("An icon beside a line of text:")
    document.add_picture(io.BytesIO(icon_bytes()), width=Cm(0.8))
    document.save(str(path))


def page_of(document: Path, out: Path) -> str:
    """`mkdocs-animate page DOCUMENT -o OUT`: its two photos animated and its icon left still; the page's HTML."""
    result = animate("page", str(document), "-o", str(out), *ARGS, cwd=document.parent)
    assert result.returncode == 0, result.stderr
    count, line = summary(result.stderr)
    assert count == 2 and "too small: 1" in line, line
    return (out / "index.html").read_text(encoding="utf-8")


def test_word_document(tmp_path):
    pytest.importorskip("mammoth")
    make_docx(tmp_path / "animals.docx")
    out = tmp_path / "out"
    html = page_of(tmp_path / "animals.docx", out)
    assert "<title>Animals and machines</title>" in html and "Chelsea the cat likes the sun." in html
    assert animated_count(html) == 2 and "data:image" not in html
    # Every image is a file beside the page, named relatively: the folder opens with no server.
    for src in re.findall(r'<img[^>]* src="([^"]+)"', html):
        assert not src.startswith(("/", "file:", "http")) and (out / src).is_file(), src


# --- EPUB --------------------------------------------------------------------------------------------------


def make_epub(path: Path) -> None:
    epub = pytest.importorskip("ebooklib.epub")
    book = epub.EpubBook()
    book.set_identifier("animals-1")
    book.set_title("A Book of Animals")
    book.set_language("en")
    files = {"images/cat.png": PHOTOS / "chelsea.png", "images/rocket.jpg": PHOTOS / "rocket.jpg"}
    for name, source in files.items():
        kind = "image/png" if name.endswith(".png") else "image/jpeg"
        book.add_item(epub.EpubItem(uid=name, file_name=name, media_type=kind, content=source.read_bytes()))
    book.add_item(epub.EpubItem(uid="icon", file_name="images/icon.png", media_type="image/png", content=icon_bytes()))
    one = epub.EpubHtml(title="Cats", file_name="text/one.xhtml", lang="en")
    one.content = (
        "<html><body><h1>Cats</h1><p>Chelsea sleeps.</p><p><img src='../images/cat.png' alt='A cat'/></p>"
        "<p><img src='../images/icon.png' alt='icon'/> See <a href='two.xhtml#pad'>the pad</a>.</p></body></html>"
    )
    two = epub.EpubHtml(title="Rockets", file_name="text/two.xhtml", lang="en")
    two.content = (
        "<html><body><h1>Rockets</h1><p id='pad'>On the pad.</p>"
        "<p><img src='../images/rocket.jpg' alt='A rocket'/></p></body></html>"
    )
    book.add_item(one)
    book.add_item(two)
    book.toc = [one, two]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", one, two]
    epub.write_epub(str(path), book)


def test_epub_book_every_chapter_in_reading_order(tmp_path):
    make_epub(tmp_path / "animals.epub")
    out = tmp_path / "out"
    html = page_of(tmp_path / "animals.epub", out)
    assert "<title>A Book of Animals</title>" in html
    assert html.index("Chelsea sleeps.") < html.index("On the pad."), "chapters in reading order"
    assert 'href="#pad"' in html and 'id="pad"' in html, "a link between chapters leads within the page"
    assert animated_count(html) == 2


# --- what cannot be read -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "Couldn't read"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "protected by a password"),
        ("broken.epub", b"this is not a book", "Couldn't read"),
        ("notes.txt", b"hello", "expected an http(s) URL"),
    ],
)
def test_unreadable_documents_are_one_clear_error(tmp_path, name, data, message):
    pytest.importorskip("mammoth")
    pytest.importorskip("ebooklib")
    (tmp_path / name).write_bytes(data)
    result = animate("page", str(tmp_path / name), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_zip_that_is_no_word_document(tmp_path):
    pytest.importorskip("mammoth")
    import zipfile

    with zipfile.ZipFile(tmp_path / "other.docx", "w") as archive:
        archive.writestr("hello.txt", "not a document")
    result = animate("page", str(tmp_path / "other.docx"), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1 and "Couldn't read" in result.stderr and "Traceback" not in result.stderr, (
        result.stderr
    )


def test_missing_extra_is_named(tmp_path):
    # A module named `mammoth` that cannot be imported stands for the extra not being installed.
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / "mammoth.py").write_text("raise ImportError('No module named mammoth')\n")
    (tmp_path / "a.docx").write_bytes(b"PK")
    path = os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])
    result = animate(
        "page", str(tmp_path / "a.docx"), "-o", str(tmp_path / "out"), cwd=tmp_path, env={"PYTHONPATH": path}
    )
    assert result.returncode == 1, result.stderr
    assert "pip install 'mkdocs-animate-plugin[documents]'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("html", "found", "how"),
    [
        ("<body><header><img src=h></header><main><img src=m></main><img src=b></body>", ["m"], "landmark"),
        ("<body><div role=main><img src=r></div><article><img src=a></article></body>", ["a"], "landmark"),
        ("<body><article><img src=a><article><img src=c></article></article></body>", ["a", "c"], "landmark"),
        (
            (
                "<body><div id=wrap><nav><img src=n></nav><div id=body-inner><img src=c></div></div>"
                "<div role=contentinfo><img src=f></div><img src=t></body>"
            ),
            ["c", "t"],
            "body",
        ),
        ("<body><aside><img src=s></aside><footer><img src=f></footer></body>", [], "none"),
    ],
)
def test_content_areas(html, found, how):
    from mkdocs_animate_plugin.selection.discover import content_areas, find_images

    areas = content_areas()
    assert [c.src for c in find_images(f"<html>{html}</html>", areas)] == found
    assert areas.how == how
