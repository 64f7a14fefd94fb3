"""The local animator's camera: a slow push toward what matters in the picture, drawn with sub-pixel precision.

Every frame is cut from the still with a fractional box and resampled (Pillow's `resize(box=...)`), so slow motion
glides instead of stepping a whole pixel at a time, and the box always stays inside the picture: no border.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

# How far the camera pushes in: from 5% to 16% closer than the whole picture. Gentle on purpose.
ZOOM_NEAR = 1.16
ZOOM_FAR = 1.05


def detail_center(image: Image.Image) -> tuple[float, float]:
    """Where the eye goes, as fractions of width and height: the centroid of edges and contrast, pulled toward
    the middle (subjects rarely sit at the very edge, and texture is not a subject)."""
    small = image.convert("L").resize((64, max(8, round(64 * image.height / image.width))), Image.Resampling.BOX)
    luma = np.asarray(small, dtype=np.float32) / 255.0
    edges = np.abs(np.diff(luma, axis=1))[:-1, :] + np.abs(np.diff(luma, axis=0))[:, :-1]
    height, width = edges.shape
    ys, xs = np.mgrid[0:height, 0:width]
    xs = (xs + 1) / (width + 1)
    ys = (ys + 1) / (height + 1)
    prior = np.exp(-(((xs - 0.5) / 0.35) ** 2 + ((ys - 0.5) / 0.35) ** 2))
    weight = edges**2 * prior
    total = float(weight.sum())
    if total <= 1e-9:
        return 0.5, 0.5
    cx = float((weight * xs).sum() / total)
    cy = float((weight * ys).sum() / total)
    # Halfway between the detail and the middle: aim at the subject without cropping the rest away.
    return 0.5 + (cx - 0.5) * 0.6, 0.5 + (cy - 0.5) * 0.6


@dataclass(frozen=True)
class KenBurns:
    """A camera path over a still: zoom and centre as functions of a phase in [0, 1]."""

    target: tuple[float, float]  # where the push ends, as fractions of the picture
    zoom_far: float = ZOOM_FAR
    zoom_near: float = ZOOM_NEAR

    def box(self, progress: float, sway: float, size: tuple[int, int]) -> tuple[float, float, float, float]:
        """The source rectangle at `progress` (0 = far, 1 = near), nudged sideways by `sway` in [-1, 1]."""
        width, height = size
        zoom = self.zoom_far + (self.zoom_near - self.zoom_far) * progress
        box_w, box_h = width / zoom, height / zoom
        cx = 0.5 + (self.target[0] - 0.5) * progress
        cy = 0.5 + (self.target[1] - 0.5) * progress
        # A small sideways drift keeps the camera moving while the push turns round.
        cx += sway * (1 - 1 / self.zoom_far) * 0.35
        x0 = min(max(cx * width - box_w / 2, 0.0), width - box_w)
        y0 = min(max(cy * height - box_h / 2, 0.0), height - box_h)
        return x0, y0, x0 + box_w, y0 + box_h


def smoothstep(t: float) -> float:
    return t * t * (3 - 2 * t)


def kenburns_frames(
    image: Image.Image, size: tuple[int, int], count: int, periodic: bool, take: int = 1
) -> Iterator[np.ndarray]:
    """`count` frames of `size`. Periodic: out and back on an eased path, the last frame leading into the first
    (a seamless loop by construction). Otherwise one eased push from far to near.

    Another `take` is another camera, still fixed for that take: the drift turns the other way, and from the
    third take on the push aims a little beside the subject, around it."""
    cx, cy = detail_center(image)
    if take >= 3:
        angle = 2.4 * (take - 2)  # the golden angle, roughly: each take lands somewhere new
        cx, cy = cx + 0.12 * math.cos(angle), cy + 0.12 * math.sin(angle)
    path = KenBurns((min(max(cx, 0.0), 1.0), min(max(cy, 0.0), 1.0)))
    turn = 1 if take % 2 else -1
    for index in range(count):
        if periodic:
            phase = index / count
            progress = (1 - math.cos(2 * math.pi * phase)) / 2
            sway = turn * math.sin(2 * math.pi * phase)
        else:
            progress = smoothstep(index / max(1, count - 1))
            sway = 0.0
        box = path.box(progress, sway, image.size)
        frame = image.resize(size, Image.Resampling.BICUBIC, box=box)
        yield np.asarray(frame)


# --- 2.5D parallax ------------------------------------------------------------------------------------------

PARALLAX_MARGIN = 0.04  # of each side, kept out of frame so that the warp never reaches the picture's edge
PARALLAX_STRENGTH = 0.035  # camera orbit radius, as a fraction of the width: near and far parts part by this much

# The warp runs in whole numbers: positions in 1/64 px (finer than any eye sees in a motion of a pixel a frame or
# less), depth in 1/4096. Integer arithmetic gives the same frames on every machine, and it is about five times
# faster than the same warp in floats (benchmarks/cold_build.py --profile measures it).
_SUBPIXEL = 6  # bits: positions are in 1/64 px
_DEPTH_BITS = 12
# Each pixel is held as three 21-bit lanes of one uint64 (R, G, B), so one gather fetches a whole pixel and one
# multiply weighs all three channels: 255 * 64 * 64 < 2**21, so no lane ever spills into the next.
_LANE = 21
_ROWS = 32  # rows warped at once: the working arrays stay in the processor's cache


def _pack(pixels: np.ndarray, spare: int) -> np.ndarray:
    """RGB pixels as one uint64 each (and `spare` zeros after them), built in place: one array of the result's
    size at any time, not one per channel."""
    flat = pixels.reshape(-1, 3)
    packed = np.zeros(len(flat) + spare, dtype=np.uint64)
    for channel in (2, 1, 0):
        packed[: len(flat)] <<= np.uint64(_LANE)
        np.bitwise_or(packed[: len(flat)], flat[:, channel], out=packed[: len(flat)])
    return packed


def parallax_frames(
    image: Image.Image, depth: np.ndarray, size: tuple[int, int], count: int, take: int = 1
) -> Iterator[np.ndarray]:
    """`count` frames of a small camera orbit over the picture: near parts (depth 1) move against far ones
    (depth 0) about the middle distance. Each output pixel samples the picture backward, bilinearly, at its own
    depth's offset, so nothing tears and nothing is left empty; the orbit is periodic, so the loop is seamless.
    `depth` is a map of `image`'s size. Neither is kept once the warp is set up."""
    width, height = size
    margin_x, margin_y = round(width * PARALLAX_MARGIN), round(height * PARALLAX_MARGIN)
    source_size = (width + 2 * margin_x, height + 2 * margin_y)
    stride = source_size[0]
    # The depth, then the picture, each let go as soon as its reduced form is made: the largest moment of a worker.
    depth_map = Image.fromarray(depth.astype(np.float32), mode="F").resize(source_size, Image.Resampling.BILINEAR)
    del depth
    near = np.asarray(depth_map, dtype=np.float32)[margin_y : margin_y + height, margin_x : margin_x + width] - 0.5
    del depth_map
    near_q = np.round(near * (1 << _DEPTH_BITS)).astype(np.int32)
    del near
    # One spare row: the bilinear neighbours of the last row's pixels stay inside the array.
    packed = _pack(np.asarray(image.resize(source_size, Image.Resampling.LANCZOS)), spare=stride + 2)
    del image
    one = 1 << _SUBPIXEL
    xs = ((np.arange(width, dtype=np.int32) + margin_x) * one)[None, :]
    ys = ((np.arange(height, dtype=np.int32) + margin_y) * one)[:, None]
    x_max, y_max = (source_size[0] - 1) * one - 1, (source_size[1] - 1) * one - 1
    # Never further than the margin: the biggest offset is half the orbit (depth 0 or 1 against 0.5).
    radius = min(width * PARALLAX_STRENGTH, 1.8 * margin_x, 1.8 * margin_y * 2)
    turn = 1 if take % 2 else -1
    start = 0.9 * (take - 1)  # another take starts the orbit elsewhere
    half = 1 << (_DEPTH_BITS - 1)
    mask, fraction = np.uint64((1 << _LANE) - 1), one - 1
    rounding = np.uint64(sum(1 << (2 * _SUBPIXEL - 1 + lane * _LANE) for lane in range(3)))
    shifts = [np.uint64(2 * _SUBPIXEL + lane * _LANE) for lane in range(3)]
    for index in range(count):
        angle = start + turn * 2 * math.pi * index / count
        dx = round(radius * math.cos(angle) * one)  # the camera's offset this frame, in 1/64 px at depth +-1
        dy = round(0.5 * radius * math.sin(angle) * one)
        frame = np.empty((height, width, 3), dtype=np.uint8)
        for row in range(0, height, _ROWS):
            depth_rows = near_q[row : row + _ROWS]
            x = (depth_rows * dx + half) >> _DEPTH_BITS
            x += xs
            np.clip(x, 0, x_max, out=x)
            y = (depth_rows * dy + half) >> _DEPTH_BITS
            y += ys[row : row + _ROWS]
            np.clip(y, 0, y_max, out=y)
            wx, wy = (x & fraction).astype(np.uint64), (y & fraction).astype(np.uint64)
            at = (y >> _SUBPIXEL) * stride + (x >> _SUBPIXEL)
            left = np.uint64(one) - wx
            top = packed[at] * left + packed[at + 1] * wx
            at += stride
            bottom = packed[at] * left + packed[at + 1] * wx
            mixed = top * (np.uint64(one) - wy) + bottom * wy + rounding
            out = frame[row : row + _ROWS]
            for lane, shift in enumerate(shifts):
                out[..., lane] = (mixed >> shift) & mask
        yield frame
