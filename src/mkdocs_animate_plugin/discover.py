"""Which images of a page's content could be animated, and with which per-image settings. Pure: no files read.

The page is parsed with lxml (for links, captions and the text around each image); each image is paired with its
exact `<img>` tag in the text (`markup.img_tags`), which is what the rewrite later replaces.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from .markup import Tag, img_tags

OUTPUTS = ("video", "gif", "webp")
KEY_ATTRIBUTE = "data-animate-key"
_FALSE = ("false", "no", "off", "0")
_SPACE = re.compile(r"\s+")
CONTEXT_CHARS = 600
_BLOCKS = ("p", "li", "td", "th", "dd", "blockquote", "div", "section", "article", "main", "body")


@dataclass(frozen=True)
class Candidate:
    """An `<img>` of the page's content, with what its attributes ask for."""

    tag: Tag
    context: str = ""  # alt, caption, the paragraph around it: a hint for a vision model
    in_link: bool = False
    opted_in: bool = False  # data-animate: animate even below the size, even under `select: opt-in`
    opted_out: bool = False  # data-animate="false" or class no-animate
    output: str | None = None
    take: int = 1
    prompt: str | None = None
    problems: tuple[str, ...] = field(default=())  # attribute values that were ignored, for a warning

    @property
    def src(self) -> str:
        return self.tag.get("src") or ""


def _text(element: etree._Element | None) -> str:
    return _SPACE.sub(" ", element.text_content()).strip() if element is not None else ""


def _context(img: etree._Element) -> tuple[str, bool]:
    """The words around an image, and whether it sits inside a link."""
    parts = [img.get("alt") or "", img.get("title") or ""]
    in_link = False
    block = None
    for ancestor in img.iterancestors():
        if ancestor.tag == "a" and ancestor.get("href"):
            in_link = True
        if ancestor.tag == "figure":
            parts.append(_text(ancestor.find(".//figcaption")))
            block = ancestor  # the figure, not the paragraph inside it, stands among the page's paragraphs
        elif block is None and ancestor.tag in _BLOCKS:
            block = ancestor
    if block is not None and block.tag not in ("body", "article", "main"):
        parts.append(_text(block))
        for sibling in (block.getprevious(), block.getnext()):
            if sibling is not None and sibling.tag == "p":
                parts.append(_text(sibling))
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " | ".join(seen)[:CONTEXT_CHARS], in_link


def _options(tag: Tag) -> dict:
    """The per-image attributes, checked; a bad value is ignored and reported rather than failing the page."""
    problems: list[str] = []
    animate = tag.get("data-animate")
    classes = (tag.get("class") or "").split()
    output = tag.get("data-animate-output")
    if output is not None and output not in OUTPUTS:
        problems.append(f"data-animate-output={output!r} is not one of {', '.join(OUTPUTS)}")
        output = None
    take_text = tag.get("data-animate-take")
    take = 1
    if take_text is not None:
        if take_text.strip().isdigit() and int(take_text) >= 1:
            take = int(take_text)
        else:
            problems.append(f"data-animate-take={take_text!r} is not a whole number from 1")
    prompt = (tag.get("data-animate-prompt") or "").strip() or None
    return {
        "opted_in": animate is not None and animate.strip().lower() not in _FALSE,
        "opted_out": (animate is not None and animate.strip().lower() in _FALSE) or "no-animate" in classes,
        "output": output,
        "take": take,
        "prompt": prompt,
        "problems": tuple(problems),
    }


def find_images(
    text: str, content: Callable[[etree._Element], Sequence[etree._Element]] | None = None
) -> list[Candidate]:
    """The page's images in order. `content` picks the content elements of a whole document (for built sites);
    without it every image of `text` counts, as in the HTML MkDocs hands to `on_page_content`."""
    tags = list(img_tags(text))
    if not tags:
        return []
    root = lxml.html.document_fromstring(text) if text.strip() else None
    elements = list(root.iter("img")) if root is not None else []
    if len(elements) != len(tags) or any(el.get("src") != tag.get("src") for el, tag in zip(elements, tags)):
        # The parser and the tag scanner disagree (very broken HTML): pair nothing rather than the wrong image.
        raise ValueError("the page's <img> tags could not be matched one to one")
    inside = None
    if content is not None:
        inside = {id(el) for area in content(root) for el in area.iter("img")}
    found = []
    for element, tag in zip(elements, tags):
        if inside is not None and id(element) not in inside:
            continue
        if tag.get(KEY_ATTRIBUTE) or any(a.tag in ("video", "picture") for a in element.iterancestors()):
            continue  # an animation's fallback, or a <picture> that already chooses its own sources
        context, in_link = _context(element)
        found.append(Candidate(tag, context, in_link, **_options(tag)))
    return found


def content_areas(selector: str | None = None) -> Callable[[etree._Element], list[etree._Element]]:
    """What counts as a built page's content: the elements `selector` (CSS) matches, else the page's
    `<article>`s, else its `[role=main]`, else its `<main>`; never the header, navigation or footer around them."""
    if selector:
        from lxml.cssselect import CSSSelector

        try:
            match = CSSSelector(selector)
        except Exception as error:  # cssselect raises its own SelectorSyntaxError and ExpressionError
            raise ValueError(f"--content {selector!r} is not a CSS selector: {error}") from None
        return lambda root: match(root)

    def default(root: etree._Element) -> list[etree._Element]:
        for xpath in ("//article", "//*[@role='main']", "//main"):
            areas = root.xpath(xpath)
            if areas:
                return areas
        return []

    return default


def classify(src: str) -> str | None:
    """Why a URL can never be animated (remote, data: URI, SVG), or None for a local raster image."""
    if not src.strip():
        return "no src"
    parts = urlsplit(src.strip())
    if parts.scheme == "data":
        return "data URI"
    if parts.scheme or parts.netloc:
        return "remote"
    if unquote(parts.path).lower().endswith((".svg", ".svgz")):
        return "SVG"
    return None


def site_path(src: str, page_dir: str, site_prefix: str = "/") -> str | None:
    """The path within the site that `src` names, as a browser on a page in `page_dir` resolves it.

    Query and fragment are dropped, percent-escapes decoded; a root-relative URL is taken under the site's own
    prefix (the path of `site_url`). None for a URL that leaves the site."""
    path = unquote(urlsplit(src.strip()).path)
    if path.startswith("/"):
        prefix = "/" + site_prefix.strip("/") + "/" if site_prefix.strip("/") else "/"
        path = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    else:
        path = posixpath.join(page_dir, path)
    path = posixpath.normpath(path)
    if path.startswith("../") or path in ("..", ".", ""):
        return None
    return path
