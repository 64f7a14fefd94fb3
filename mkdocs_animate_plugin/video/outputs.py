"""The kinds of web animation, one line each: what the option calls it, its file, how a browser is told what it
is, what ffmpeg writes and must find in it, and which frame rate it plays at.

A video may also come in other codecs, as further `<source>`s before its H.264 one (`video_codecs`): those are
kinds too (`VIDEO_CODECS`), with the same file extension as the video, but not values of `output`."""

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
        # An AV1 image sequence: an image layer like WebP, but a video codec, so it keeps the clip's rate.
        Output("avif", "avif", "image/avif", "av1", "avif", (8, b"avis"), clip_rate=True),
    )
}
BY_EXT = {output.ext: output for output in OUTPUTS.values()}
NAMES = tuple(OUTPUTS)

# The codecs of a video's `<source>`s (`video_codecs`), each a kind: H.264 is the video itself and always last.
# An AV1 MP4's MIME type names its codec as the file's own header does (`av1_type`), so that a browser that cannot
# decode it skips to the next source without downloading it.
AV1 = Output("av1", "mp4", "video/mp4", "av1", "mp4", (4, b"ftyp"), clip_rate=True)
VIDEO_CODECS = {"av1": AV1, "h264": OUTPUTS["video"]}
KINDS = {**OUTPUTS, "av1": AV1}  # every kind of file `media.encode` writes


def av1_type(head: bytes) -> str | None:
    """The MIME type of an AV1 MP4 from the first bytes of its file (its `av1C` box: profile, level, tier, bit
    depth, as RFC 6381 and the AV1-ISOBMFF codecs parameter write them), e.g. `video/mp4; codecs="av01.0.04M.08"`;
    None if the bytes hold no such box."""
    at = head.find(b"av1C")
    if at == -1 or len(head) < at + 7:
        return None
    profile, level = head[at + 5] >> 5, head[at + 5] & 0x1F
    tier, high, twelve = head[at + 6] >> 7, (head[at + 6] >> 6) & 1, (head[at + 6] >> 5) & 1
    depth = 12 if twelve else 10 if high else 8
    return f'video/mp4; codecs="av01.{profile}.{level:02d}{"H" if tier else "M"}.{depth:02d}"'
