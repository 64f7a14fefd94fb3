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

from ...video import yuv

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
    """`count` I420 frames of `size`. Periodic: out and back on an eased path, the last frame leading into the
    first (a seamless loop by construction). Otherwise one eased push from far to near.

    Another `take` is another camera, still fixed for that take: the drift turns the other way, and from the
    third take on the push aims a little beside the subject, around it."""
    cx, cy = detail_center(image)
    if take >= 3:
        angle = 2.4 * (take - 2)  # the golden angle, roughly: each take lands somewhere new
        cx, cy = cx + 0.12 * math.cos(angle), cy + 0.12 * math.sin(angle)
    path = KenBurns((min(max(cx, 0.0), 1.0), min(max(cy, 0.0), 1.0)))
    turn = 1 if take % 2 else -1
    luma, *chroma = yuv.from_image(image)
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
        # Chroma is cut from its half-size planes with the same box, halved.
        y = luma.resize(size, Image.Resampling.BICUBIC, box=box)
        u, v = (plane.resize(half, Image.Resampling.BICUBIC, box=tuple(c / 2 for c in box)) for plane in chroma)
        yield yuv.join(y, u, v)


# --- 2.5D parallax ------------------------------------------------------------------------------------------

PARALLAX_MARGIN = 0.04  # of each side, kept out of frame so that the warp never reaches the picture's edge
PARALLAX_STRENGTH = 0.035  # camera orbit radius, as a fraction of the width: near and far parts part by this much

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

    def __init__(self, planes: list[np.ndarray], near: np.ndarray, margin: tuple[int, int]) -> None:
        """`planes`: this layer of the picture, margins included; `near`: the depth (-0.5 far to 0.5 near) at each
        sample of the frame; `margin`: where the frame starts in the picture, in 1/64 px."""
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
        self.xs = (np.arange(near.shape[1], dtype=np.int32) * one + margin[0])[None, :]
        self.ys = (np.arange(near.shape[0], dtype=np.int32) * one + margin[1])[:, None]
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


def parallax_frames(
    image: Image.Image, depth: np.ndarray, size: tuple[int, int], count: int, take: int = 1
) -> Iterator[np.ndarray]:
    """`count` I420 frames of a small camera orbit over the picture: near parts (depth 1) move against far ones
    (depth 0) about the middle distance. Each sample of the frame is taken from the picture backward, bilinearly,
    at its own depth's offset, so nothing tears and nothing is left empty; the orbit is periodic, so the loop is
    seamless. Chroma is warped at half size, as the frame holds it. `depth` is a map of `image`'s size. Neither
    is kept once the warp is set up."""
    width, height = size
    margin_x, margin_y = round(width * PARALLAX_MARGIN), round(height * PARALLAX_MARGIN)
    source_size = (width + 2 * margin_x, height + 2 * margin_y)
    # The depth, then the picture, each let go as soon as its reduced form is made: the largest moment of a worker.
    depth_map = Image.fromarray(depth.astype(np.float32), mode="F").resize(source_size, Image.Resampling.BILINEAR)
    del depth
    near = np.asarray(depth_map, dtype=np.float32)[margin_y : margin_y + height, margin_x : margin_x + width] - 0.5
    del depth_map
    near_half = np.asarray(Image.fromarray(near, mode="F").resize((width // 2, height // 2), Image.Resampling.BOX))
    y, u, v = yuv.from_image(image.resize(source_size, Image.Resampling.LANCZOS))
    del image
    one = 1 << _SUBPIXEL
    # Chroma sample i covers the frame's pixels 2i and 2i+1, as chroma pixel j covers the picture's 2j and 2j+1:
    # the same place in half-size units, margins halved.
    luma = _Layer([np.asarray(y)], near, (margin_x * one, margin_y * one))
    chroma = _Layer([np.asarray(u), np.asarray(v)], near_half, (margin_x * one // 2, margin_y * one // 2))
    del y, u, v, near, near_half
    # Never further than the margin: the biggest offset is half the orbit (depth 0 or 1 against 0.5).
    radius = min(width * PARALLAX_STRENGTH, 1.8 * margin_x, 1.8 * margin_y * 2)
    turn = 1 if take % 2 else -1
    start = 0.9 * (take - 1)  # another take starts the orbit elsewhere
    for index in range(count):
        angle = start + turn * 2 * math.pi * index / count
        dx = round(radius * math.cos(angle) * one)  # the camera's offset this frame, in 1/64 px at depth +-1
        dy = round(0.5 * radius * math.sin(angle) * one)
        frame = yuv.new(size)
        planes = yuv.planes(frame, size)
        luma.draw(dx, dy, planes[:1])
        chroma.draw(round(dx / 2), round(dy / 2), planes[1:])  # in half-size pixels
        yield frame
