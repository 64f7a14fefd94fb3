"""Put each animation where its still image stood. Pure functions of text: no files, no network, no cache.

The still `<img>` stays in the page exactly as it was written (same element, same attributes, same place among its
siblings), so every rule of the theme (`img[align=left]`, `.md-typeset img[align]:only-child`, `figure img`, a frame,
`max-width`) lays it out as before and nothing on the page can move. The animation is only named on it:

    <img src=STILL alt=... data-animate-key=CLIP data-animate-src=ANIMATION data-animate-type=video/mp4
         data-animate-size=160x106>

The key a page carries is its clip's id (`Job.clip`), the one `mkdocs-animate review` and the gallery show and take
(`--approve KEY`): an editor who inspects a picture on the site can decide on it by that key. While a page is
planned, the mark (`mark`) is the animation's key, which the build waits on; the finished tag names the clip.

An image that was not opted in (`data-animate`) also carries the smallest size it is animated at, in CSS
pixels (`data-animate-min=300x200`): `animate.js` leaves a still the theme shows smaller alone.

A video in more than one codec (`video_codecs: [av1, h264]`) also lists every source, best first and the H.264 one
(still `data-animate-src`) last, as JSON: `data-animate-sources='[{"src": "KEY2.mp4", "type": "video/mp4;
codecs=\"av01.0.04M.08\""}, {"src": "KEY.mp4", "type": "video/mp4"}]'`.

`animate.js` draws the animation as a layer over the still's content box, from a shadow root on the nearest
ancestor that can hold one, so the page's own tree (what the theme's selectors and scripts see) gains no element.
Without the script, or with reduced motion, the visitor sees the still. The key stays on the tag so that a second
pass (`mkdocs-animate site` run twice) knows the image is done.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..selection.discover import KEY_ATTRIBUTE
from ..video.outputs import BY_EXT
from .tags import Tag, splice

ASSETS = (
    Path(__file__).parent.parent / "assets"
)  # what the package ships for pages: the pause script and style, templates
CSS_FILE = "animate.css"
JS_FILE = "animate.js"
MIME = {ext: output.mime for ext, output in BY_EXT.items()}


def mark(tag: Tag, key: str) -> tuple[int, int, str]:
    """An edit that tags an image with its animation key, so the finished page can find it again."""
    return tag.start + 4, tag.start + 4, f' {KEY_ATTRIBUTE}="{key}"'


def unmark(text: str, tag: Tag) -> tuple[int, int, str]:
    """The edit that gives back the original tag, exactly as it was before `mark`."""
    original = text[tag.start : tag.end].replace(f' {KEY_ATTRIBUTE}="{tag.get(KEY_ATTRIBUTE)}"', "", 1)
    return tag.start, tag.end, original


def animated(
    tag: Tag,
    text: str,
    animation_url: str,
    ext: str,
    size: tuple[int, int],
    still_size: tuple[int, int] | None = None,
    sources: list[tuple[str, str]] | tuple = (),
    *,
    clip: str,
    minimum: tuple[int, int] | None = None,
) -> str:
    """The markup that replaces `tag` (found in `text`): the original tag as written, with the animation named on
    it in `data-animate-*` attributes added at its end. `size` is the animation's; `still_size` is not needed: the
    still keeps its own box, whatever it is. `sources`: a video's other files (URL, MIME type), best first, which
    come before the one at `animation_url`. `clip`: the id review decisions belong to, which the tag carries.
    `minimum`: `min_width` x `min_height`, for an image not opted in: shown smaller than that by a rule the build
    could not read (`@media`, a remote stylesheet, a theme's script), its layer is neither downloaded nor drawn."""
    original = unmark(text, tag)[2]
    extra = {
        KEY_ATTRIBUTE: clip,
        "data-animate-src": animation_url,
        "data-animate-type": MIME[ext],
        "data-animate-size": f"{size[0]}x{size[1]}",
    }
    if minimum:
        extra["data-animate-min"] = f"{minimum[0]}x{minimum[1]}"
    if sources:
        listed = [*sources, (animation_url, MIME[ext])]
        extra["data-animate-sources"] = json.dumps([{"src": src, "type": kind} for src, kind in listed])
    added = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in extra.items())
    end = len(original) - 1  # before ">", or before "/>" where "/" is not the end of an unquoted value
    if original[end - 1] == "/" and original[end - 2] in "\"' \t\r\n":
        end -= 1
    while original[end - 1] in " \t\r\n":
        end -= 1
    return original[:end] + added + original[end:]


def add_assets(text: str, css_url: str, js_url: str) -> str:
    """Link the pause/reduced-motion style and script, once per page: in <head> and at the end of <body> (at the
    start and the end of a fragment)."""
    if css_url in text:
        return text
    head, body = text.find("</head>"), text.rfind("</body>")  # as nearly every page writes them
    if head == -1 or body == -1:
        lowered = text.lower()
        head = _end_tag(lowered, "</head", default=0)
        body = _end_tag(lowered, "</body", default=len(text), last=True)
    link = f'<link rel="stylesheet" href="{css_url}">'
    script = f'<script src="{js_url}" defer></script>'
    return splice(text, [(head, head, link), (body, body, script)])


def _end_tag(lowered: str, name: str, default: int, last: bool = False) -> int:
    """Where the first (or last) end tag `name`, e.g. "</head", starts in a lower-cased page."""
    position = lowered.rfind(name) if last else lowered.find(name)
    while position != -1 and lowered[position + len(name) : position + len(name) + 1] not in (
        ">",
        " ",
        "\n",
        "\t",
        "\r",
    ):
        position = lowered.rfind(name, 0, position) if last else lowered.find(name, position + 1)
    return default if position == -1 else position
