"""Which images an editor would animate. Pure: an image's attributes and what its file is in, a decision out.

The rules, in order (the first that applies decides):

    data-animate="false", class no-animate   still: "opted out"
    remote, data: URI, SVG                   still: it is not a local raster file
    a GIF, WebP or APNG that already moves   still: "already moving" (and a warning if it was marked data-animate)
    data-animate                             animated, whatever its size or look
    inside a link                            still: a click on it must keep going where the link goes
    select: opt-in                           still: "not opted in"
    smaller than min_width x min_height      still: "too small" (the file), "shown small" (as the page shows it)
    select: auto                             still unless it looks like a photograph or an illustration
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Of these rules and of the pixel judgement (`pixels`): bump when either changes, so that what a build remembered
# (a page's record, a picture's verdict) is decided again.
VERSION = 3  # 3: `width: auto` makes a clip for a 2x screen
MAX_AUTO_WIDTH = 1280  # `width: auto` never makes a clip wider than this
DENSITY = 2  # the screen's pixels per CSS pixel `width: auto` makes a clip for (a 1x screen draws it smaller)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$", re.IGNORECASE)
_STYLE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([^;]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """Whether an image is animated; if not, the reason the summary counts it under, and whether the author
    should hear about it (a warning names page and image)."""

    animate: bool
    reason: str = ""
    detail: str = ""
    warn: bool = False


ANIMATE = Decision(True)


def page_excluded(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether `include` and `exclude` (glob patterns of page paths, `*` crossing folders) leave a page alone."""
    if include and not any(fnmatch.fnmatch(path, glob) for glob in include):
        return True
    return any(fnmatch.fnmatch(path, glob) for glob in exclude)


def url_problem(src: str) -> str | None:
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


def by_markup(src: str, opted_in: bool, opted_out: bool, in_link: bool, mode: str) -> Decision | None:
    """The decision the page's markup alone makes, before the file is looked at; None where the file decides."""
    if opted_out:
        return Decision(False, "opted out")
    problem = url_problem(src)
    if problem:
        return Decision(False, problem)
    if opted_in:
        return None
    if in_link:
        return Decision(False, "inside a link")
    if mode == "opt-in":
        return Decision(False, "not opted in")
    return None


def declared_size(attrs: Mapping[str, str]) -> tuple[float | None, float | None]:
    """The width and height in CSS pixels that the page declares for an image (attributes, which `attr_list`'s
    `{ width=110 }` writes, or an inline style, which wins as in a browser); None where nothing is declared in
    pixels (a percentage or `auto` depends on the layout)."""
    size: dict[str, float | None] = {"width": _pixels(attrs.get("width")), "height": _pixels(attrs.get("height"))}
    for name, value in _STYLE.findall(attrs.get("style") or ""):
        if _pixels(value) is not None:
            size[name.lower()] = _pixels(value)
    return size["width"], size["height"]


def _pixels(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None


def shown_size(attrs: Mapping[str, str], width: int, height: int) -> tuple[float, float]:
    """How large the page shows an image of `width` x `height` pixels: a declared side keeps the picture's
    proportions for the other, as a browser does."""
    shown_w, shown_h = declared_size(attrs)
    if shown_w is not None and shown_h is None:
        shown_h = height * shown_w / width
    elif shown_h is not None and shown_w is None:
        shown_w = width * shown_h / height
    return (shown_w if shown_w is not None else width), (shown_h if shown_h is not None else height)


def by_picture(
    attrs: Mapping[str, str],
    size: tuple[int, int],
    moving: bool,
    opted_in: bool,
    mode: str,
    minimum: tuple[int, int],
    kind: Callable[[], tuple[str, bool]],
) -> Decision:
    """The decision once the file is known: its size, whether it moves, and (for `auto`, asked only then) what
    kind of picture it is, as a (name, animate) pair."""
    if moving:
        return Decision(False, "already moving", "it has frames of its own; data-animate is ignored", warn=opted_in)
    if opted_in:
        return ANIMATE
    width, height = size
    if width < minimum[0] or height < minimum[1]:
        return Decision(False, "too small", f"{width}x{height} px")
    shown_w, shown_h = shown_size(attrs, width, height)
    if shown_w < minimum[0] or shown_h < minimum[1]:
        return Decision(False, "shown small", f"shown {shown_w:g}x{shown_h:g} px")
    if mode == "auto":
        name, animate = kind()
        if not animate:
            return Decision(False, name)
    return ANIMATE


def clip_width(setting: int | str, attrs: Mapping[str, str], size: tuple[int, int]) -> int:
    """The widest the animation may be: `width` in pixels, or for `auto` as wide as the still is shown on a screen
    of `DENSITY` pixels per CSS pixel, where the file has them (a phone's or a laptop's screen shows such a still
    with its file's detail: a clip made for 1x would be softer there), at most `MAX_AUTO_WIDTH` and never wider
    than the file."""
    if setting != "auto":
        return int(setting)
    shown_w, _ = shown_size(attrs, *size)
    return min(MAX_AUTO_WIDTH, size[0], max(2, round(shown_w * DENSITY)))
