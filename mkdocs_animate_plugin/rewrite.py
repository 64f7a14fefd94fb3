"""Put each animation where its still image stood. Pure functions of text: no files, no network, no cache.

    video:     <video autoplay loop muted playsinline poster=STILL ...><source src=MP4 type=video/mp4><img STILL></video>
    gif/webp:  <picture><source srcset=STILL media="(prefers-reduced-motion: reduce)"><img src=ANIMATION ...></picture>
"""

from __future__ import annotations

from .discover import KEY_ATTRIBUTE
from .markup import Tag, splice, start_tag

CSS_FILE = "animate.css"
JS_FILE = "animate.js"
MIME = {"mp4": "video/mp4", "gif": "image/gif", "webp": "image/webp"}
# What moves from the still <img> to the <video>: the rest stays on the fallback <img> inside it.
_VIDEO_TAKES = ("id", "title", "style", "width", "height")


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
) -> str:
    """The markup that replaces `tag` (found in `text`). `size` is the animation's; the page keeps the still's
    declared size, or gets the still's real size, so that the layout does not move while the animation loads.
    The fallback inside a video is the original tag as written, unless its id had to move to the video."""
    attrs: dict[str, str | None] = {k: v for k, v in tag.attrs.items() if k != KEY_ATTRIBUTE}
    sized = dict(attrs)
    if "width" not in attrs and "height" not in attrs and still_size:
        sized["width"], sized["height"] = str(still_size[0]), str(still_size[1])
    classes = " ".join(["animate", *(attrs.get("class") or "").split()])
    if ext != "mp4":
        attrs = sized  # the animation is this <img> itself
        picture = start_tag("picture", {"class": "animate animate-picture"})
        still = attrs.get("srcset") or attrs.get("src") or ""
        source = start_tag("source", {"srcset": still, "media": "(prefers-reduced-motion: reduce)"})
        attrs.pop("srcset", None)
        attrs.pop("sizes", None)
        attrs["src"] = animation_url
        attrs["class"] = classes
        attrs["tabindex"] = "0"
        return f"{picture}{source}{start_tag('img', attrs)}</picture>"
    video: dict[str, str | None] = {"class": classes}
    for name in _VIDEO_TAKES:
        if name in sized:
            video[name] = sized[name]
    if "id" in attrs:
        fallback = start_tag("img", {k: v for k, v in attrs.items() if k != "id"})
    else:
        fallback = unmark(text, tag)[2]
    alt = attrs.get("alt") or ""
    if alt:
        video["aria-label"] = alt
    video.update(
        {
            "poster": attrs.get("src") or "",
            "autoplay": None,
            "loop": None,
            "muted": None,
            "playsinline": None,
            "preload": "metadata",
            "tabindex": "0",
            "data-animate-size": f"{size[0]}x{size[1]}",
        }
    )
    source = start_tag("source", {"src": animation_url, "type": MIME[ext]})
    return f"{start_tag('video', video)}{source}{fallback}</video>"


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
    while position != -1 and lowered[position + len(name) : position + len(name) + 1] not in (">", " ", "\n", "\t", "\r"):
        position = lowered.rfind(name, 0, position) if last else lowered.find(name, position + 1)
    return default if position == -1 else position
