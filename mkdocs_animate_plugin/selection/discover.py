"""Which images of a page's content could be animated, and with which per-image settings. Pure: no files read.

The page is parsed with lxml (for links, captions and the text around each image); each image is paired with its
exact `<img>` tag in the text (`markup.img_tags`), which is what the rewrite later replaces. What lxml found for a
page can be given back (`Candidate.recall`, `find_images(known=...)`): the same text is then not parsed again,
unless a vision model needs the words around an image.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..markup.tags import Tag, img_tags
from ..video.outputs import NAMES

if TYPE_CHECKING:
    from lxml import etree

    from .styles import SiteStyles

KEY_ATTRIBUTE = "data-animate-key"
_FALSE = ("false", "no", "off", "0")
_SPACE = re.compile(r"\s+")
_URL_SYNTAX = re.compile(r"[:?#%\t\r\n]")  # what only `urlsplit` and `unquote` can read
CONTEXT_CHARS = 600
VERSION = 3  # of what `find_images` chooses: part of the key under which a build remembers a page's images
_BLOCKS = ("p", "li", "td", "th", "dd", "blockquote", "div", "section", "article", "main", "body")


class Page:
    """A page's text, parsed with lxml only when something needs its tree."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: etree._Element | None = None

    @property
    def root(self) -> etree._Element | None:
        if self._root is None and self.text.strip():
            import lxml.html  # not imported at all by a warm build that finds every page as it was

            self._root = lxml.html.document_fromstring(self.text)
        return self._root

    def images(self) -> list[etree._Element]:
        return list(self.root.iter("img")) if self.root is not None else []


@dataclass(frozen=True)
class Candidate:
    """An `<img>` of the page's content, with what its attributes ask for."""

    tag: Tag
    page: Page = field(repr=False, compare=False)  # where `context` is read
    index: int = 0  # among the page's `<img>` tags
    in_link: bool = False
    opted_in: bool = False  # data-animate: animate even below the size, even under `select: opt-in`
    opted_out: bool = False  # data-animate="false" or class no-animate
    output: str | None = None
    take: int = 1
    prompt: str | None = None
    problems: tuple[str, ...] = field(default=())  # attribute values that were ignored, for a warning
    styled: tuple = ()  # what the site's stylesheets declare for its size (styles.py)

    @property
    def src(self) -> str:
        return self.tag.get("src") or ""

    @property
    def classes(self) -> list[str]:
        return (self.tag.get("class") or "").split()

    @functools.cached_property
    def context(self) -> str:
        """Alt, caption and the paragraph around the image: a hint for a vision model. Read only for an image
        that is to be made, not on every build."""
        return _context(self.page.images()[self.index])

    @property
    def recall(self) -> list:
        """What lxml told of this image, for `find_images(known=...)`."""
        return [self.index, self.in_link, [list(item) for item in self.styled]]


def _text(element: etree._Element | None) -> str:
    return _SPACE.sub(" ", element.text_content()).strip() if element is not None else ""


def _context(img: etree._Element) -> str:
    """The words around an image: its alt and title, its figure's caption, its paragraph and the ones beside it."""
    parts = [img.get("alt") or "", img.get("title") or ""]
    block = None
    for ancestor in img.iterancestors():
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
    return " | ".join(seen)[:CONTEXT_CHARS]


def _ancestors(img: etree._Element) -> tuple[bool, bool]:
    """Whether the image sits inside a link (other than a lightbox's), and inside a `<video>` or `<picture>`."""
    in_link = in_media = False
    link = None
    for ancestor in img.iterancestors():
        if link is None and ancestor.tag == "a" and ancestor.get("href"):
            link = ancestor
            in_link = not _lightbox(ancestor, img)
        elif ancestor.tag in ("video", "picture"):
            in_media = True
    return in_link, in_media


def opted_in(tag: Tag) -> bool:
    """Marked `data-animate` (not "false"): animated even below the size."""
    animate = tag.get("data-animate")
    return animate is not None and animate.strip().lower() not in _FALSE


def _lightbox(link: etree._Element, img: etree._Element) -> bool:
    """Whether a link only shows the picture larger (a click on the animation opens it as it did on the still):
    mkdocs-glightbox's (class `glightbox`, on every content image), or any link to the image's own file."""
    if "glightbox" in (link.get("class") or "").split():
        return True
    src = _path(img.get("src") or "")
    return src != "." and _path(link.get("href")) == src


def _path(url: str) -> str:
    return posixpath.normpath(unquote(urlsplit(url.strip()).path))


def _options(tag: Tag) -> dict:
    """The per-image attributes, checked; a bad value is ignored and reported rather than failing the page."""
    problems: list[str] = []
    animate = tag.get("data-animate")
    classes = (tag.get("class") or "").split()
    output = tag.get("data-animate-output")
    if output is not None and output not in NAMES:
        problems.append(f"data-animate-output={output!r} is not one of {', '.join(NAMES)}")
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
        "opted_in": opted_in(tag),
        "opted_out": (animate is not None and animate.strip().lower() in _FALSE) or "no-animate" in classes,
        "output": output,
        "take": take,
        "prompt": prompt,
        "problems": tuple(problems),
    }


def find_images(
    text: str,
    content: Callable[[etree._Element], Sequence[etree._Element]] | None = None,
    known: list[list] | None = None,
    styles: SiteStyles | None = None,
) -> list[Candidate]:
    """The page's images in order. `content` picks the content elements of a whole document (for built sites);
    without it every image of `text` counts, as in the HTML MkDocs hands to `on_page_content`. `known` is what the
    candidates of this same text recalled (for the same `content` and `styles`): lxml is then not needed.
    `styles`: the site's stylesheets, matched against the page for the size they show each image at."""
    tags = list(img_tags(text))
    if not tags:
        return []
    page = Page(text)
    if known is not None:
        return [
            Candidate(tags[index], page, index, bool(in_link), **_options(tags[index]), styled=_styled(styled))
            for index, in_link, styled in known
            if 0 <= index < len(tags)
        ]
    elements = page.images()
    if len(elements) != len(tags) or any(el.get("src") != tag.get("src") for el, tag in zip(elements, tags)):
        # The parser and the tag scanner disagree (very broken HTML): pair nothing rather than the wrong image.
        raise ValueError("the page's <img> tags could not be matched one to one")
    inside = None
    if content is not None:
        inside = {id(el) for area in content(page.root) for el in area.iter("img")}
    styled = styles.styled(text) if styles is not None else []
    found = []
    for index, (element, tag) in enumerate(zip(elements, tags)):
        if inside is not None and id(element) not in inside:
            continue
        in_link, in_media = _ancestors(element)
        if in_media or tag.get(KEY_ATTRIBUTE):
            continue  # an animation's fallback, or a <picture> that already chooses its own sources
        own = styled[index] if index < len(styled) else ()
        found.append(Candidate(tag, page, index, in_link, **_options(tag), styled=own))
    return found


def _styled(recalled: list) -> tuple:
    return tuple((str(name), str(value), bool(important)) for name, value, important in recalled)


# What surrounds a page's content rather than being part of it: elements and ARIA roles.
_CHROME_TAGS = ("header", "nav", "aside", "footer")
_CHROME_ROLES = ("banner", "navigation", "complementary", "contentinfo", "search")
_LANDMARKS = ("//article", "//*[@role='main']", "//main")


class ContentAreas:
    """What counts as a built page's content, as a callable on the page's lxml root (see `content_areas`).

    Each call notes how it found the content in `how`, for the command's summary: "selector" (`--content`),
    "landmark" (`<article>`, `[role=main]`, `<main>`), "body" (no landmark: the `<body>` less its chrome) or "none";
    and `outside`, how many of the page's images were left out as not content."""

    def __init__(self, selector: str | None = None) -> None:
        self.selector = selector
        self._match = None
        if selector:
            from lxml.cssselect import CSSSelector

            try:
                self._match = CSSSelector(selector)
            except Exception as error:  # noqa: BLE001 (cssselect raises its own SelectorSyntaxError and ExpressionError)
                raise ValueError(f"--content {selector!r} is not a CSS selector: {error}") from None
        self.how: str | None = None
        self.outside = 0

    def __call__(self, root: etree._Element) -> list[etree._Element]:
        areas, how = self._find(root)
        self.how = how if areas else "none"
        inside = {id(img) for area in areas for img in area.iter("img")}
        self.outside = sum(1 for img in root.iter("img") if id(img) not in inside)
        return areas

    def _find(self, root: etree._Element) -> tuple[list[etree._Element], str]:
        if self._match is not None:
            return self._match(root), "selector"
        for xpath in _LANDMARKS:
            areas = root.xpath(xpath)
            if areas:
                # An <article> inside another (a comment, a card) is already part of the outer one.
                return [a for a in areas if not any(p in areas for p in a.iterancestors())], "landmark"
        body = root.find("body") if root.tag == "html" else root
        return (_without_chrome(body) if body is not None else []), "body"


def _is_chrome(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False  # a comment or processing instruction
    return element.tag in _CHROME_TAGS or (element.get("role") or "").strip().lower() in _CHROME_ROLES


def _without_chrome(element: etree._Element) -> list[etree._Element]:
    """The largest subtrees of `element` with no header, navigation, sidebar or footer in them."""
    if _is_chrome(element):
        return []
    if not any(_is_chrome(inner) for inner in element.iterdescendants()):
        return [element]
    kept: list[etree._Element] = []
    for child in element:
        kept.extend(_without_chrome(child))
    return kept


def content_areas(selector: str | None = None) -> ContentAreas:
    """What counts as a built page's content: the elements `selector` (CSS) matches, else the page's
    `<article>`s, else its `[role=main]`, else its `<main>`; where a page has none of these landmarks, its `<body>`
    without `header`, `nav`, `aside` and `footer` (and the ARIA roles banner, navigation, complementary,
    contentinfo, search). Never the header, navigation or footer around the content."""
    return ContentAreas(selector)


def site_path(src: str, page_dir: str, site_prefix: str = "/") -> str | None:
    """The path within the site that `src` names, as a browser on a page in `page_dir` resolves it.

    Query and fragment are dropped, percent-escapes decoded; a root-relative URL is taken under the site's own
    prefix (the path of `site_url`). None for a URL that leaves the site."""
    src = src.strip()
    # Most images are plain relative paths: only a URL with more in it is taken apart (this runs per image per build).
    path = unquote(urlsplit(src).path) if _URL_SYNTAX.search(src) or src.startswith("//") else src
    if path.startswith("/"):
        prefix = "/" + site_prefix.strip("/") + "/" if site_prefix.strip("/") else "/"
        path = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    else:
        path = posixpath.join(page_dir, path)
    path = posixpath.normpath(path)
    if path.startswith("../") or path in ("..", ".", ""):
        return None
    return path
