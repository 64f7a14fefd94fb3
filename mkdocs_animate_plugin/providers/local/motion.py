"""The local animator's camera: a slow push toward what matters in the picture, drawn with sub-pixel precision.

Every frame is cut from the still with a fractional box and resampled (Pillow's `resize(box=...)`), so slow motion
glides instead of stepping a whole pixel at a time, and the box always stays inside the picture: no border. Never
worse than the still: the first frame is the whole still, no frame leaves out more than 3% of any edge, and each
frame's fine detail is given back after resampling (`detail`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ...video import yuv
from . import detail

# How far the camera pushes in: from the whole picture (the first frame is the still) to 3% closer, so that no
# frame leaves out more than 3% of any edge, even where the push ends against one side. Gentle on purpose.
ZOOM_NEAR = 1.03
ZOOM_FAR = 1.0


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
        """The source rectangle at `progress` (0 = far, 1 = near), nudged sideways by `sway` in [-1, 1].

        The camera leans toward the target within the room the zoom leaves (never pressed against an edge, where
        it would stop short): a lean of 1 puts the box against one side, which at most leaves out 1 - 1/zoom."""
        width, height = size
        zoom = self.zoom_far + (self.zoom_near - self.zoom_far) * progress
        room = (1 - 1 / zoom) / 2  # how far the box's centre may move from the middle, as a fraction
        # Toward the subject, plus a small sideways drift that keeps the camera moving while the push turns round.
        lean_x = 0.75 * min(max(2 * self.target[0] - 1, -1.0), 1.0) + 0.25 * sway
        lean_y = min(max(2 * self.target[1] - 1, -1.0), 1.0)
        box_w, box_h = width / zoom, height / zoom
        x0 = (0.5 + room * lean_x) * width - box_w / 2
        y0 = (0.5 + room * lean_y) * height - box_h / 2
        return max(x0, 0.0), max(y0, 0.0), min(x0 + box_w, width), min(y0 + box_h, height)


def smoothstep(t: float | np.ndarray) -> float | np.ndarray:
    return t * t * (3 - 2 * t)


def kenburns_frames(
    image: Image.Image, size: tuple[int, int], count: int, periodic: bool, take: int = 1, target: float | None = None
) -> Iterator[np.ndarray]:
    """`count` I420 frames of `size`. Periodic: out and back on an eased path, the last frame leading into the
    first (a seamless loop by construction). Otherwise one eased push from far to near.

    Another `take` is another camera, still fixed for that take: the drift turns the other way, and from the
    third take on the push aims a little beside the subject, around it."""
    cx, cy = detail_center(image)
    if take >= 3:
        angle = 2.4 * (take - 2)  # the golden angle, roughly: each take lands somewhere new
        cx, cy = cx + 0.12 * math.cos(angle), cy + 0.12 * math.sin(angle)
    path = KenBurns((cx, cy))  # the path keeps its lean within the picture
    turn = 1 if take % 2 else -1
    luma, *chroma = yuv.from_image(image)
    target = detail.still_energy(luma, size) if target is None else target
    half = (size[0] // 2, size[1] // 2)
    for index in range(count):
        if periodic:
            phase = index / count
            progress = (1 - math.cos(2 * math.pi * phase)) / 2
            sway = turn * math.sin(2 * math.pi * phase)
        else:
            progress = smoothstep(index / max(1, count - 1))
            sway = 0.0
        box = path.box(progress, sway, image.size)
        frame = yuv.new(size)
        y, u, v = yuv.planes(frame, size)
        y[...] = np.asarray(luma.resize(size, Image.Resampling.BICUBIC, box=box))
        detail.restore(y, target)
        # Chroma is cut from its half-size planes with the same box, halved.
        for plane, drawn in zip((u, v), chroma):
            plane[...] = np.asarray(drawn.resize(half, Image.Resampling.BICUBIC, box=tuple(c / 2 for c in box)))
        yield frame


# --- 2.5D parallax ------------------------------------------------------------------------------------------

# The camera orbit's radius, as a fraction of the width: near and far parts part by up to twice this. At 3.5% (on an
# ellipse 0.6 as tall) a pseudo-depth's mistakes bent straight things visibly, a cup's rim or a launch tower; at 1.5%
# shapes hold, and the orbit is a circle, so the camera moves at one speed all round (steps within 1.6x of each
# other even at 160 px, where a sub-pixel move is mostly the interpolation's).
PARALLAX_STRENGTH = 0.015

# The warp runs in whole numbers: positions in 1/64 px (finer than any eye sees in a motion of a pixel a frame or
# less), depth in 1/4096. Integer arithmetic gives the same frames on every machine, and it is about five times
# faster than the same warp in floats (benchmarks/cold_build.py --profile measures it).
_SUBPIXEL = 6  # bits: positions are in 1/64 px
_DEPTH_BITS = 12
# A pixel's channels are held as 21-bit lanes of one unsigned integer (luma alone in a uint32, the two chromas in a
# uint64), so one gather fetches a whole pixel and one multiply weighs all its channels: 255 * 64 * 64 < 2**21, so
# no lane ever spills into the next.
_LANE = 21
_ROWS = 32  # rows warped at once: the working arrays stay in the processor's cache


class _Layer:
    """Planes of the picture warped together (the luma; or both chromas, at half size), packed into lanes, and
    where each of the frame's samples sits over them."""

    def __init__(self, planes: list[np.ndarray], near: np.ndarray) -> None:
        """`planes`: this layer of the picture; `near`: the depth (-0.5 far to 0.5 near) at each of its samples."""
        height, width = planes[0].shape
        self.dtype = np.uint32 if len(planes) == 1 else np.uint64
        # One spare row: the bilinear neighbours of the last row's samples stay inside the array.
        self.packed = np.zeros(height * width + width + 2, dtype=self.dtype)
        for plane in reversed(planes):  # built in place: one array of the result's size at any time
            self.packed[: height * width] <<= self.dtype(_LANE)
            self.packed[: height * width] |= plane.reshape(-1)
        self.stride, self.lanes = width, len(planes)
        self.near = np.round(near * (1 << _DEPTH_BITS)).astype(np.int32)
        one = 1 << _SUBPIXEL
        self.xs = (np.arange(near.shape[1], dtype=np.int32) * one)[None, :]
        self.ys = (np.arange(near.shape[0], dtype=np.int32) * one)[:, None]
        self.limits = ((width - 1) * one - 1, (height - 1) * one - 1)

    def draw(self, dx: int, dy: int, out: tuple[np.ndarray, ...]) -> None:
        """Sample the picture, each sample moved by its depth times (dx, dy) (1/64 px at depth +-1), bilinearly,
        into `out`: one plane per lane."""
        dtype, one = self.dtype, 1 << _SUBPIXEL
        mask, fraction, half = dtype((1 << _LANE) - 1), one - 1, 1 << (_DEPTH_BITS - 1)
        rounding = dtype(sum(1 << (2 * _SUBPIXEL - 1 + lane * _LANE) for lane in range(self.lanes)))
        shifts = [dtype(2 * _SUBPIXEL + lane * _LANE) for lane in range(self.lanes)]
        for row in range(0, len(self.near), _ROWS):
            depth_rows = self.near[row : row + _ROWS]
            x = (depth_rows * dx + half) >> _DEPTH_BITS
            x += self.xs
            np.clip(x, 0, self.limits[0], out=x)
            y = (depth_rows * dy + half) >> _DEPTH_BITS
            y += self.ys[row : row + _ROWS]
            np.clip(y, 0, self.limits[1], out=y)
            wx, wy = (x & fraction).astype(dtype), (y & fraction).astype(dtype)
            at = (y >> _SUBPIXEL) * self.stride + (x >> _SUBPIXEL)
            left = dtype(one) - wx
            top = self.packed[at] * left + self.packed[at + 1] * wx
            at += self.stride
            bottom = self.packed[at] * left + self.packed[at + 1] * wx
            mixed = top * (dtype(one) - wy) + bottom * wy + rounding
            for plane, shift in zip(out, shifts):
                plane[row : row + _ROWS] = (mixed >> shift) & mask


def _pinned(near: np.ndarray, band: float) -> np.ndarray:
    """The depth, eased to the middle distance (0: it does not move) within `band` pixels of the frame's edges, so
    that the whole picture stays in frame, its edges where the editor framed them, and the warp never samples
    outside it."""
    height, width = near.shape
    xs = np.minimum(np.arange(width) + 0.5, width - 0.5 - np.arange(width)) / band
    ys = np.minimum(np.arange(height) + 0.5, height - 0.5 - np.arange(height)) / band
    ease = np.minimum(np.clip(ys, 0, 1)[:, None], np.clip(xs, 0, 1)[None, :]).astype(np.float32)
    return near * smoothstep(ease)


def parallax_frames(
    image: Image.Image,
    depth: np.ndarray,
    size: tuple[int, int],
    count: int,
    take: int = 1,
    target: float | None = None,
) -> Iterator[np.ndarray]:
    """`count` I420 frames of a small camera orbit over the picture: near parts (depth 1) move against far ones
    (depth 0) about the middle distance. Each sample of the frame is taken from the picture backward, bilinearly,
    at its own depth's offset, so nothing tears and nothing is left empty; the orbit is periodic, so the loop is
    seamless, and it starts where the camera took the picture, so the first frame is the still. Chroma is warped
    at half size, as the frame holds it. `depth` is a map of `image`'s size. Neither is kept once the warp is set
    up."""
    width, height = size
    # The orbit's radius: at depth +-0.5 a sample moves by up to the radius (the camera's offset reaches twice it).
    radius = width * PARALLAX_STRENGTH
    target = detail.still_energy(yuv.from_image(image)[0], size) if target is None else target
    # The depth, then the picture, each let go as soon as its reduced form is made: the largest moment of a worker.
    depth_map = Image.fromarray(depth.astype(np.float32), mode="F").resize(size, Image.Resampling.BILINEAR)
    del depth
    near = _pinned(np.asarray(depth_map, dtype=np.float32) - 0.5, 1.5 * radius)
    del depth_map
    near_half = np.asarray(Image.fromarray(near, mode="F").resize((width // 2, height // 2), Image.Resampling.BOX))
    y, u, v = yuv.from_image(image.resize(size, Image.Resampling.LANCZOS))
    del image
    # Chroma sample i covers the frame's pixels 2i and 2i+1, as chroma pixel j covers the picture's 2j and 2j+1.
    luma = _Layer([np.asarray(y)], near)
    chroma = _Layer([np.asarray(u), np.asarray(v)], near_half)
    del y, u, v, near, near_half
    one = 1 << _SUBPIXEL
    turn = 1 if take % 2 else -1
    start = 0.9 * (take - 1)  # another take leans another way first
    for index in range(count):
        angle = turn * 2 * math.pi * index / count
        # A circle through the camera's own place (offset 0 at the first frame), turned by the take.
        ox, oy = radius * (math.cos(angle) - 1), radius * math.sin(angle)
        dx = round((ox * math.cos(start) - oy * math.sin(start)) * one)  # in 1/64 px at depth +-1
        dy = round((ox * math.sin(start) + oy * math.cos(start)) * one)
        frame = yuv.new(size)
        planes = yuv.planes(frame, size)
        luma.draw(dx, dy, planes[:1])
        detail.restore(planes[0], target)
        chroma.draw(round(dx / 2), round(dy / 2), planes[1:])  # in half-size pixels
        yield frame
