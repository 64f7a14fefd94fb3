"""Frames as the encoders take them: I420, the planar YUV 4:2:0 of ffmpeg's `yuv420p` (BT.601, video range).

One frame is one uint8 array of `shape(size)`: the luma plane's rows, then the two chroma planes at half the width
and height, one after the other. The local animator draws in these planes, so a frame is half the bytes of RGB
everywhere it goes (the drawing, the pipe, ffmpeg's queues) and ffmpeg converts nothing: at 1280x960 that is about
40 MB less per encoder and a third less ffmpeg CPU (benchmarks/cold_build.py). Chroma is drawn at half size from
chroma reduced from the whole picture: the same 4:2:0 the encoder would make, made once.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

PIX_FMT = "yuv420p"  # ffmpeg's name for this layout

# RGB to BT.601 Y, Cb, Cr in video range (luma 16..235, chroma 16..240), as ffmpeg converts an untagged RGB frame.
# Pillow applies it in C, rounded (its own YCbCr mode is JPEG's full range).
_BT601 = (
    65.481 / 255, 128.553 / 255, 24.966 / 255, 16,
    -37.797 / 255, -74.203 / 255, 112.0 / 255, 128,
    112.0 / 255, -93.786 / 255, -18.214 / 255, 128,
)  # fmt: skip


def shape(size: tuple[int, int]) -> tuple[int, int]:
    """The array shape of one frame of `size` (width, height; both even)."""
    width, height = size
    return height * 3 // 2, width


def new(size: tuple[int, int]) -> np.ndarray:
    return np.empty(shape(size), dtype=np.uint8)


def planes(frame: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of a frame's Y, U (Cb) and V (Cr) planes: writing to them draws the frame."""
    width, height = size
    chroma = frame[height:].reshape(2, height // 2, width // 2)
    return frame[:height], chroma[0], chroma[1]


def from_image(image: Image.Image) -> tuple[Image.Image, Image.Image, Image.Image]:
    """An RGB still as three single-band images: Y at its size, then Cb and Cr at half its size (rounded up),
    each chroma sample the mean of the 2x2 pixels it covers."""
    y, cb, cr = image.convert("RGB", _BT601).split()  # bands of an "RGB" image that hold Y, Cb and Cr
    half = ((image.width + 1) // 2, (image.height + 1) // 2)
    return y, cb.resize(half, Image.Resampling.BOX), cr.resize(half, Image.Resampling.BOX)


def join(y: Image.Image, u: Image.Image, v: Image.Image) -> np.ndarray:
    """One frame from its three planes, drawn as images."""
    frame = new(y.size)
    for plane, drawn in zip(planes(frame, y.size), (y, u, v)):
        plane[...] = np.asarray(drawn)
    return frame
