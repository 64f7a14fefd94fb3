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
# 450x300, 24 leaves 0.81, 22 0.87; at 320x212, 23 leaves 0.86, 21 0.9).
_QUALITY = ((120_000, "21"), (160_000, "22"), (None, "24"))  # up to this many pixels: CRF

_X264 = "threads=1:sliced-threads=0"
# What the two fast presets leave out and a large frame needs, by the frame's size. Their quick sub-pixel search (subme
# 2 and 4) turns x264's psy-rd off, and the encoder smooths fine detail away. Measured on 5 s clips of 4032x3024 photos
# shown 690 CSS px wide (benchmarks/sharpness.py --camera), the softest frame's detail over the still's: at 1x 0.83-0.91
# without, 0.92-0.95 with subme 6 (where psy-rd starts); at 2x 0.76-0.91 and 0.86-0.93; bytes +24% on a detailed photo,
# none on grass. The price: a cold build of 60 such photos (benchmarks/cold_build.py --pages 30) takes 6.3 CPU s an
# animation instead of 5.0, and peaks at 388 MB instead of 378 (about what two runs differ by). On 0.4-0.8 MP frames
# (`faster`, trellis on already) subme 7. On the largest frames a look-ahead of 7 frames instead of 10: about 12 MB less
# per encoder at 1280x960, which pays for x264's own B-frame pyramid (without it every fourth frame change of a slow
# motion dips, a visible judder).
_TUNING = ((400_000, ""), (800_000, ":subme=7"), (None, ":subme=6:rc-lookahead=7"))


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
    params = _X264 + _by_area(_TUNING, size) + (f":zones={count - 6},{count - 1},b=3" if count > 12 else "")
    return ["-crf", crf(size), "-preset", preset(size), "-x264-params", params]
