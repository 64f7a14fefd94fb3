"""What `mkdocs-animate page` reads a page from: an http(s) URL, an HTML, Markdown, Word (.docx) or EPUB file, each
turned into one HTML page and the URL its references are read against.

A document's own images are written into a scratch folder first, as plain files (never `data:` URIs, which are
never animated), and the page names them relatively: saving the page then copies them beside it like any image.
Word is read with mammoth, EPUB with ebooklib (the `documents` extra); both are imported only when used.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
import posixpath
import re
import string
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import SourceError
from ..markup import rewrite

EXTRA_HINT = "pip install 'mkdocs-animate-plugin[documents]'"
KINDS = "an http(s) URL, an .html, .md, .docx or .epub file"
_PAGE = rewrite.ASSETS / "page.html"
_FONTS = (".otf", ".ttf", ".woff", ".woff2")


def read_source(source: str, scratch: Path, fetch) -> tuple[str, str]:
    """The page's HTML and its own URL (what relative references are read against). `fetch(url)` gives
    (bytes, final URL, content type) of an http(s) URL; `scratch` is a folder for a document's images."""
    scheme = urlsplit(source).scheme
    if scheme in ("http", "https"):
        data, final, _ = fetch(source)
        return data.decode("utf-8", "replace"), final
    if len(scheme) > 1 and scheme != "file":
        raise SourceError(f"{source}: expected {KINDS}")
    path = Path(unquote(urlsplit(source).path)) if scheme == "file" else Path(source)
    if not path.is_file():
        raise SourceError(f"no such file: {source}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return path.read_text(encoding="utf-8", errors="replace"), path.resolve().as_uri()
    if suffix in (".md", ".markdown"):
        return markdown_page(path.read_text(encoding="utf-8-sig", errors="replace")), path.resolve().as_uri()
    if suffix == ".docx":
        return word_page(path, scratch), (scratch / "index.html").resolve().as_uri()
    if suffix == ".epub":
        return epub_page(path, scratch), (scratch / "index.html").resolve().as_uri()
    raise SourceError(f"{source}: expected {KINDS}")


def page(title: str, body: str) -> str:
    """A plain page (`assets/page.html`) around `body`, which it puts in `<main>`."""
    template = string.Template(_PAGE.read_text(encoding="utf-8"))
    return template.substitute(title=html.escape(title or "Page"), body=body)


def markdown_page(text: str) -> str:
    """A Markdown file as a plain page, with the extensions the plugin's attributes need."""
    import markdown
    from mkdocs.utils.meta import get_data

    text, meta = get_data(text)
    body = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "fenced_code"])
    heading = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), "Page")
    return page(str(meta.get("title") or heading), body)


def _need(module: str, kind: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise SourceError(
            f"Reading {kind} needs the 'documents' extra ({module} is not installed): {EXTRA_HINT}"
        ) from None


def _unreadable(path: Path, kind: str, why: str) -> SourceError:
    return SourceError(f"Couldn't read '{path}' as {kind}: {why}")


def _zip_check(path: Path, kind: str) -> zipfile.ZipFile:
    """Word and EPUB files are zip archives; a password-protected Word file is not (it is an encrypted OLE file)."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable(
            path, kind, "it is protected by a password (or is an old binary .doc); save an unprotected copy"
        )
    try:
        archive = zipfile.ZipFile(path)
        broken = archive.testzip()
    except (zipfile.BadZipFile, OSError) as error:
        raise _unreadable(path, kind, f"the file is damaged or not a {kind} ({error})") from None
    if broken is not None:
        raise _unreadable(path, kind, f"the file is damaged ({broken} is corrupt)")
    return archive


def word_page(path: Path, scratch: Path) -> str:
    """A Word document as one page, its images saved in `scratch/media/`."""
    mammoth = _need("mammoth", "Word documents")
    _zip_check(path, "a Word document").close()
    media = scratch / "media"
    media.mkdir(parents=True, exist_ok=True)

    def save(image) -> dict:
        with image.open() as stream:
            data = stream.read()
        ext = mimetypes.guess_extension(image.content_type or "") or ".bin"
        name = f"{hashlib.sha1(data).hexdigest()[:12]}{'.jpg' if ext == '.jpe' else ext}"
        (media / name).write_bytes(data)
        return {"src": f"media/{name}"}

    try:
        with path.open("rb") as file:
            result = mammoth.convert_to_html(file, convert_image=mammoth.images.img_element(save))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:  # a zip with no Word document inside
        raise _unreadable(path, "a Word document", f"{type(error).__name__}: {error}") from None
    body = result.value
    heading = re.search(r"<h1>(.*?)</h1>", body)
    title = re.sub(r"<[^>]+>", "", heading[1]) if heading else path.stem
    return page(html.unescape(title), body)


def epub_page(path: Path, scratch: Path) -> str:
    """An EPUB as one page: every chapter of the spine in reading order, each in a `<section>`; links between
    chapters become links within the page. Its images are saved in `scratch/` at their paths in the book."""
    _need("ebooklib", "EPUB books")
    from ebooklib import ITEM_DOCUMENT, epub

    archive = _zip_check(path, "an EPUB book")
    with archive:
        _refuse_drm(archive, path)
    try:
        book = epub.read_epub(str(path), {"ignore_ncx": True})
    except Exception as error:  # noqa: BLE001 (ebooklib raises EpubException, KeyError, lxml errors ... on a broken book)
        raise _unreadable(path, "an EPUB book", f"{type(error).__name__}: {error}") from None
    chapters = []
    for idref, *_ in book.spine:
        item = book.get_item_with_id(idref)
        if item is not None and item.get_type() == ITEM_DOCUMENT:
            chapters.append(item)
    if not chapters:
        raise _unreadable(path, "an EPUB book", "its spine lists no chapter")
    anchors = {item.file_name: f"chapter-{number}" for number, item in enumerate(chapters, 1)}
    for item in book.get_items():
        if item.get_type() != ITEM_DOCUMENT and item.media_type.startswith("image/"):
            target = (scratch / item.file_name).resolve()
            if target.is_relative_to(scratch.resolve()):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.get_content())
    sections = [_chapter(item, anchors) for item in chapters]
    titles = book.get_metadata("DC", "title")
    return page(titles[0][0] if titles else path.stem, "\n".join(sections))


def _refuse_drm(archive: zipfile.ZipFile, path: Path) -> None:
    """A book whose chapters are encrypted (DRM) cannot be read; fonts alone may be obfuscated (that is allowed)."""
    try:
        text = archive.read("META-INF/encryption.xml").decode("utf-8", "replace")
    except KeyError:
        return
    for uri in re.findall(r'URI="([^"]+)"', text):
        if not uri.lower().endswith(_FONTS):
            raise _unreadable(path, "an EPUB book", "it is protected by DRM (its chapters are encrypted)")


def _chapter(item, anchors: dict[str, str]) -> str:
    """One chapter's body as a `<section>`, its references made relative to the book's root."""
    import lxml.html

    here = posixpath.dirname(item.file_name)
    try:
        root = lxml.html.document_fromstring(item.get_content())
    except Exception as error:  # noqa: BLE001 (lxml's ParserError and XMLSyntaxError on an empty or broken chapter)
        return f"<!-- {html.escape(item.file_name)}: {html.escape(str(error))} -->"
    body = root.find("body")
    if body is None:
        return ""
    for element in body.iter("img", "a", "image"):
        for attribute in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(attribute)
            if not value or urlsplit(value).scheme or value.startswith(("#", "/")):
                continue
            target, _, fragment = value.partition("#")
            joined = posixpath.normpath(posixpath.join(here, unquote(target)))
            if element.tag == "a" and joined in anchors:
                element.set(attribute, "#" + (fragment or anchors[joined]))
            else:
                element.set(attribute, joined + (f"#{fragment}" if fragment else ""))
    inner = (html.escape(body.text) if body.text else "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
    return f'<section class="chapter" id="{anchors[item.file_name]}">\n{inner}\n</section>'
