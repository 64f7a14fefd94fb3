"""The size a site's own CSS shows a content image at: the theme's stylesheets and `extra_css`, read once a build.

Only rules that can size an image count: their declarations of `width`, `height`, `max-width` and `max-height`,
whose selector's subject is an `<img>` or any element (`.mascot`, `.md-typeset img`, `img[alt$=icon]`). Rules
inside `@media` and other at-rules depend on the window and are left out; a selector cssselect cannot read or that
depends on the visitor (`:hover`, `::before`) is left out too.

A page's content (the HTML of `on_page_content`) is matched as the theme places it: inside the theme's own content
wrappers (mkdocs-material's `article.md-content__inner.md-typeset`, MkDocs' `div.col-md-9[role=main]`, ...), else
inside `<main><article>`, so that `.md-typeset img` matches a content image and `.md-header .md-logo img` does not.

For each image the winners of the cascade are kept as (property, value, important): `select.declared_size` lays
them over the HTML attributes (which every rule overrides) and the inline style, as a browser does.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The elements each theme puts a page's content in, outermost first (as its main template writes them).
WRAPPERS = {
    "material": '<div class="md-container" data-md-component="container"><main class="md-main" data-md-component='
    '"main"><div class="md-main__inner md-grid"><div class="md-content" data-md-component="content">'
    '<article class="md-content__inner md-typeset">',
    "mkdocs": '<div class="container"><div class="row"><div class="col-md-9" role="main">',
    "readthedocs": '<div class="wy-grid-for-nav"><section class="wy-nav-content-wrap"><div class="wy-nav-content">'
    '<div class="rst-content"><div role="main" class="document"><div class="section">',
}
GENERIC = "<main><article>"
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(
    r"(?:^|;)\s*(max-width|max-height|width|height)\s*:\s*([^;!]+?)\s*(!\s*important)?\s*(?=;|$)",
    re.IGNORECASE,
)

Styled = tuple[tuple[str, str, bool], ...]  # (property, value, important) of the rules that win, per image


@dataclass(frozen=True)
class Rule:
    xpath: str
    subject: tuple[str | None, frozenset[str], frozenset[str]]  # the subject's element, classes and ids
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[tuple[str, str, bool], ...]


class SiteStyles:
    """The sizing rules of a site's stylesheets, and the theme's content wrappers to match a page's content in.

    The stylesheets are parsed only when a page is planned: a warm build, which replays its pages, never needs
    them, and their fingerprint (which a page's record is kept under) is the hash of their text."""

    def __init__(self, sheets: Sequence[str], theme: str | None) -> None:
        self.sheets = tuple(sheets)
        self.wrapper = WRAPPERS.get(theme or "", GENERIC)
        self.fingerprint = hashlib.sha256(repr((self.wrapper, self.sheets)).encode()).hexdigest()[:20]

    @functools.cached_property
    def rules(self) -> list[Rule]:
        found: list[Rule] = []
        for text in self.sheets:
            for selectors, block in _rules(text):
                declarations = tuple(
                    (name.lower(), value.strip().lower(), bool(important))
                    for name, value, important in _DECLARATION.findall(block)
                )
                if declarations:
                    found.extend(_compiled(selectors, declarations, len(found)))
        return found

    def styled(self, text: str) -> list[Styled]:
        """For each `<img>` of a page's content (in order), the declarations of its winning rules. Called only for a
        page with images (discover.find_images)."""
        if not self.rules:
            return []
        import lxml.html

        root = lxml.html.document_fromstring(f"<html><body>{self.wrapper}{text}</body></html>")
        images = list(root.iter("img"))
        classes = {name for img in images for name in (img.get("class") or "").split()}
        ids = {img.get("id") for img in images if img.get("id")}
        index = {id(img): n for n, img in enumerate(images)}
        won: list[dict[tuple[str, bool], tuple]] = [{} for _ in images]  # (property, important) -> the winner
        for rule in self.rules:
            element, need_classes, need_ids = rule.subject
            if element not in (None, "img") or not need_classes <= classes or not need_ids <= ids:
                continue
            for matched in root.xpath(rule.xpath):
                n = index.get(id(matched))
                if n is None:
                    continue
                for name, value, important in rule.declarations:
                    kept = won[n].get((name, important))
                    if kept is None or (rule.specificity, rule.order) >= kept[:2]:
                        won[n][(name, important)] = (rule.specificity, rule.order, value)
        return [tuple((name, kept[2], important) for (name, important), kept in wins.items()) for wins in won]


def _rules(text: str) -> Iterable[tuple[str, str]]:
    """The (selectors, declarations) of a stylesheet's top-level rules; at-rules and their blocks skipped."""
    text = _COMMENT.sub("", text)
    position, depth, start = 0, 0, 0
    selectors = ""
    skipping = False
    while position < len(text):
        char = text[position]
        if char == "{":
            if depth == 0:
                selectors = text[start:position].strip()
                skipping = selectors.startswith("@")
                start = position + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                if not skipping:
                    yield selectors, text[start:position]
                start = position + 1
            depth = max(depth, 0)
        elif char == ";" and depth == 0:
            start = position + 1  # an @import or @charset
        position += 1


def _compiled(selectors: str, declarations: tuple, order: int) -> list[Rule]:
    from cssselect import GenericTranslator, SelectorError, parse
    from cssselect.xpath import ExpressionError

    try:
        parsed = parse(selectors)
    except SelectorError:
        return []
    rules = []
    for selector in parsed:
        if selector.pseudo_element is not None:
            continue
        try:
            xpath = GenericTranslator().selector_to_xpath(selector)
        except (ExpressionError, SelectorError):  # :hover, :focus and the like: the visitor's, not the page's
            continue
        rules.append(Rule(xpath, _subject(selector.parsed_tree), selector.specificity(), order, declarations))
    return rules


def _subject(tree) -> tuple[str | None, frozenset[str], frozenset[str]]:
    """What the element a selector styles must be: its tag (None: any), its classes and its ids."""
    from cssselect.parser import Class, CombinedSelector, Element, Hash

    classes, ids = set(), set()
    while True:
        if isinstance(tree, CombinedSelector):
            tree = tree.subselector
        elif isinstance(tree, Element):
            return (tree.element.lower() if tree.element else None), frozenset(classes), frozenset(ids)
        else:
            if isinstance(tree, Class):
                classes.add(tree.class_name)
            elif isinstance(tree, Hash):
                ids.add(tree.id)
            tree = tree.selector


def site_sheets(docs_dir: str, extra_css: Sequence[str], theme_dirs: Sequence[str]) -> list[str]:
    """The texts of the theme's stylesheets, then of the site's local `extra_css`, in that order (as pages link
    them). A remote `extra_css` is not fetched."""
    texts = []
    for folder in reversed(list(theme_dirs)):  # the theme's own first, a custom_dir's after
        for path in sorted(Path(folder).rglob("*.css")):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    for name in extra_css:
        path = Path(docs_dir) / name.split("?", 1)[0]
        if "://" not in name and path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts
