"""The kinds of web animation, one line each: what the option calls it, its file, how a browser is told what it
is, what ffmpeg writes and must find in it, and which frame rate it plays at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    name: str  # the value of `output` and `data-animate-output`
    ext: str
    mime: str
    codec: str  # what a probe of the file must find
    muxer: str
    signature: tuple[int, bytes]  # where a file of this kind starts, and how: a cached file is checked by it
    clip_rate: bool  # plays at the clip's own rate; the others at the `fps` option (GIF and WebP are heavy)


OUTPUTS = {
    output.name: output
    for output in (
        Output("video", "mp4", "video/mp4", "h264", "mp4", (4, b"ftyp"), clip_rate=True),
        Output("gif", "gif", "image/gif", "gif", "gif", (0, b"GIF8"), clip_rate=False),
        Output("webp", "webp", "image/webp", "webp_anim", "webp", (8, b"WEBP"), clip_rate=False),
    )
}
BY_EXT = {output.ext: output for output in OUTPUTS.values()}
NAMES = tuple(OUTPUTS)
