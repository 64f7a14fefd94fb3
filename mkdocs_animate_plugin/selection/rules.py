"""Which images an editor would animate. Pure: an image's attributes and what its file is in, a decision out.

The rules, in order (the first that applies decides):

    data-animate="false", class no-animate   still: "opted out"
    remote, data: URI, SVG                   still: it is not a local raster file
    a GIF, WebP or APNG that already moves   still: "already moving" (and a warning if it was marked data-animate)
    TIFF                                     still: "not a web format" (Chromium and Firefox cannot draw it)
    data-animate                             animated, whatever its size or look
    exclude_classes, exclude_images          still: "excluded class", "excluded image" (the editor's exceptions)
    inside a link                            still: a click on it must keep going where the link goes (a
                                             lightbox's link, or one to the image's own file, is no such link)
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
VERSION = 8  # 4: `width: auto` makes a clip for a 2x screen; 5: pixels judged in sRGB; 6: a turned JPEG's copy;
#             7: a figure never flat is shaded; 8: many hues laid flat make a map
NOT_DRAWN = {"TIFF"}  # formats the plugin reads that only Safari draws
MAX_AUTO_WIDTH = 1280  # `width: auto` never makes a clip wider than this
DENSITY = 2  # the screen's pixels per CSS pixel `width: auto` makes a clip for (a 1x screen draws it smaller)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$", re.IGNORECASE)
_STYLE = re.compile(r"(?:^|;)\s*(max-width|max-height|width|height)\s*:\s*([^;]+)", re.IGNORECASE)


@dataclass(frozen=True)
class LeftStill:
    """An image left still, wherever that is decided (the rules, the file, the build, the provider's judgement): the
    reason the summary counts it under, a detail, and whether the author should hear of it (a warning names page
    and image). The rules answer None for an image they animate."""

    reason: str
    detail: str = ""
    warn: bool = False


def page_excluded(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether `include` and `exclude` (glob patterns of page paths, `*` crossing folders) leave a page alone."""
    if include and not any(fnmatch.fnmatch(path, glob) for glob in include):
        return True
    return any(fnmatch.fnmatch(path, glob) for glob in exclude)


def excluded(
    image: str | None, classes: Sequence[str], images: Sequence[str], class_names: Sequence[str]
) -> LeftStill | None:
    """An editor's site-wide exception: a class of the image in `exclude_classes`, or its path (relative to
    docs_dir, with `/`) matching a glob of `exclude_images` (`*` crossing folders, as for pages)."""
    for name in classes:
        if name in class_names:
            return LeftStill("excluded class", f"class {name}")
    for glob in images if image else ():
        if fnmatch.fnmatch(image, glob):
            return LeftStill("excluded image", f"matches {glob}")
    return None


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


def by_markup(src: str, opted_in: bool, opted_out: bool, in_link: bool, mode: str) -> LeftStill | None:
    """The decision the page's markup alone makes, before the file is looked at; None where the file decides."""
    if opted_out:
        return LeftStill("opted out")
    problem = url_problem(src)
    if problem:
        return LeftStill(problem)
    if opted_in:
        return None
    if in_link:
        return LeftStill("inside a link")
    if mode == "opt-in":
        return LeftStill("not opted in")
    return None


def by_format(fmt: str, opted_in: bool) -> LeftStill | None:
    """A file most browsers cannot draw is left still (its page shows a broken image with or without the plugin):
    an animation laid over it would play in a broken box. None where the format is no obstacle."""
    if fmt in NOT_DRAWN:
        detail = f"most browsers cannot show {fmt}: save it as PNG or JPEG"
        return LeftStill("not a web format", detail, warn=opted_in)
    return None


def declared_size(attrs: Mapping[str, str], styled: Sequence[tuple[str, str, bool]] = ()) -> tuple[float | None, ...]:
    """The width and height in CSS pixels that the page declares for an image, then its max-width and max-height:
    the attributes (which `attr_list`'s `{ width=110 }` writes), over them the site's stylesheet rules that win
    (`styled`, see styles.py), over those the inline style, over all an `!important` rule, as in a browser. None
    where nothing is declared in pixels (`auto`, a percentage or an em depends on the layout): a rule that says
    `height: auto` overrides a `height` attribute."""
    values: dict[str, str | None] = {"width": attrs.get("width"), "height": attrs.get("height")}
    values.update((name, value) for name, value, important in styled if not important)
    values.update((name.lower(), value) for name, value in _STYLE.findall(attrs.get("style") or ""))
    values.update((name, value) for name, value, important in styled if important)
    return tuple(_pixels(values.get(name)) for name in ("width", "height", "max-width", "max-height"))


def _pixels(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None


def shown_size(
    attrs: Mapping[str, str], width: int, height: int, styled: Sequence[tuple[str, str, bool]] = ()
) -> tuple[float, float]:
    """How large the page shows an image of `width` x `height` pixels: a declared side keeps the picture's
    proportions for the other, as a browser does, and a max-width or max-height in pixels caps it."""
    shown_w, shown_h, most_w, most_h = declared_size(attrs, styled)
    fixed_h = shown_h is not None
    if shown_w is not None and shown_h is None:
        shown_h = height * shown_w / width
    elif shown_h is not None and shown_w is None:
        shown_w = width * shown_h / height
    shown_w, shown_h = (shown_w if shown_w is not None else width), (shown_h if shown_h is not None else height)
    if most_w is not None and shown_w > most_w:
        shown_w, shown_h = most_w, (shown_h if fixed_h else shown_h * most_w / shown_w)
    if most_h is not None and shown_h > most_h:
        shown_h = most_h
    return shown_w, shown_h


def by_picture(
    attrs: Mapping[str, str],
    size: tuple[int, int],
    moving: bool,
    opted_in: bool,
    mode: str,
    minimum: tuple[int, int],
    kind: Callable[[], tuple[str, bool]],
    styled: Sequence[tuple[str, str, bool]] = (),
) -> LeftStill | None:
    """The decision once the file is known: its size, whether it moves, and (for `auto`, asked only then) what
    kind of picture it is, as a (name, animate) pair. `styled`: what the site's stylesheets declare for it."""
    if moving:
        return LeftStill("already moving", "it has frames of its own; data-animate is ignored", warn=opted_in)
    if opted_in:
        return None
    width, height = size
    if width < minimum[0] or height < minimum[1]:
        return LeftStill("too small", f"{width}x{height} px")
    shown_w, shown_h = shown_size(attrs, width, height, styled)
    if shown_w < minimum[0] or shown_h < minimum[1]:
        return LeftStill("shown small", f"shown {shown_w:g}x{shown_h:g} px")
    if mode == "auto":
        name, animate = kind()
        if not animate:
            return LeftStill(name)
    return None


def clip_width(
    setting: int | str, attrs: Mapping[str, str], size: tuple[int, int], styled: Sequence[tuple[str, str, bool]] = ()
) -> int:
    """The widest the animation may be: `width` in pixels, or for `auto` as wide as the still is shown on a screen
    of `DENSITY` pixels per CSS pixel, where the file has them (a phone's or a laptop's screen shows such a still
    with its file's detail: a clip made for 1x would be softer there), at most `MAX_AUTO_WIDTH` and never wider
    than the file."""
    if setting != "auto":
        return int(setting)
    shown_w, _ = shown_size(attrs, *size, styled)
    return min(MAX_AUTO_WIDTH, size[0], max(2, round(shown_w * DENSITY)))
