"""x264's settings for one clip, by the size of its frames: how hard it works and how much detail it keeps."""

from __future__ import annotations

# x264's preset by the frame's size. `slow` spends its effort where a pixel is large on screen; on a large frame the
# same effort costs four times as much for detail the eye cannot find. Measured on a 5 s parallax clip, one thread
# (benchmarks/cold_build.py --profile): 640x480 `slow` 1.5 CPU s, 141 KiB, 35.2 dB PSNR; 1280x960 `slow` 6.4 CPU s,
# 434 KiB, 37.2 dB; `fast` 3.1 s, 411 KiB, 37.0 dB; `faster` 2.5 s, 338 KiB, 36.2 dB; `veryfast` 1.5 s, 265 KiB,
# 35.6 dB: as true to the drawing as the small clip at `slow`, for 2x its bytes at 4x its pixels.
_PRESETS = ((400_000, "slow"), (800_000, "faster"), (None, "veryfast"))  # up to this many pixels a frame: preset
# x264's quality (CRF) by the frame's size: a small clip is shown with few, large pixels, whose detail the encoder
# must keep to stay as sharp as the still, and its bytes are few anyway (benchmarks/sharpness.py, 5 s: at 640x426,
# CRF 26 leaves the softest frame at 0.84-0.91 of the still's detail, 24 at 0.85-0.94 for a third more bytes; at
# 450x300, 24 leaves 0.81, 22 0.87; at 320x212, 23 leaves 0.86, 21 0.9). A 1280x960 clip of a 4032 px photo shown
# 690 px wide on a 1x or a 2x screen: CRF 26 leaves its softest frame at 0.6-0.75 of the still's detail, 24 (with the
# detail measured as shown, providers/local/detail.py) at 0.78-0.93, median 0.87-1.01, for 40% more bytes.
_QUALITY = ((120_000, "21"), (160_000, "22"), (None, "24"))  # up to this many pixels: CRF


# x264's own B-frame pyramid is kept: without it (`b-pyramid=none`, 10 to 16 MB less per encoder at 1024 px and up)
# every fourth frame change of a slow motion dips, a visible judder (benchmarks/sharpness.py measures it).
_X264 = "threads=1:sliced-threads=0"
# On the largest frames (`veryfast`), a look-ahead of 7 frames instead of 10: about 12 MB less per encoder at
# 1280x960, which pays for the pyramid in a cold build's memory, for bytes 10% lower and the same detail
# (benchmarks/sharpness.py on camera-size photos at 1280 px).
_LOOKAHEAD = ((800_000, ""), (None, ":rc-lookahead=7"))


def preset(size: tuple[int, int]) -> str:
    return _by_area(_PRESETS, size)


def crf(size: tuple[int, int]) -> str:
    return _by_area(_QUALITY, size)


def _by_area(table: tuple[tuple[int | None, str], ...], size: tuple[int, int]) -> str:
    area = size[0] * size[1]
    return next(value for limit, value in table if limit is None or area <= limit)


def args(size: tuple[int, int], count: int) -> list[str]:
    """ffmpeg's options for x264 on a clip of `count` frames of `size`: its CRF and preset by the size, and three
    times the bits for the last frames, so that the restart on a key frame where the loop begins again barely
    shows."""
    params = _X264 + _by_area(_LOOKAHEAD, size) + (f":zones={count - 6},{count - 1},b=3" if count > 12 else "")
    return ["-crf", crf(size), "-preset", preset(size), "-x264-params", params]
