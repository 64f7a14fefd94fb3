"""What a visitor sees of a clip beside its still, as numbers: the tests (tests/test_clips.py) and
benchmarks/sharpness.py measure with these same functions.

Everything is measured on luma (BT.601, as the clip holds it), at the size the still is shown (times the screen's
pixel ratio), both the still and the clip's frames resized there with Lanczos, as a browser would draw them.

- sharpness: the gradient energy (mean squared Laplacian) of a frame over the still's;
- ssim: the structural similarity of two pictures (7x7 windows, the usual constants);
- edge cut: how much of each edge of the still a frame leaves out, found by fitting the box of the still each
  frame shows (a zoom and a shift, Ken Burns' model; a motion that keeps the frame still at its edges fits 0);
- judder: how unevenly the picture changes from frame to frame: the mean distance of each step (the mean absolute
  change of a frame, reduced 4x as tests/test_quality.py reduces it) from the mean of its two neighbours, over the
  mean step. A smooth motion reads near 0, a step
  that dips every fourth frame by 20% about 0.1.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

try:  # the package by job (0.2)
    from mkdocs_animate_plugin.video import media, picture, yuv
except ImportError:  # an earlier checkout, measured by benchmarks/sharpness.py --before
    from mkdocs_animate_plugin import images as picture
    from mkdocs_animate_plugin import media, yuv

Size = tuple[int, int]


def still_luma(path: Path) -> Image.Image:
    """The still's luma, as a browser shows the file (EXIF orientation applied), in the clip's BT.601 range."""
    image = picture.load(path, 100_000)
    return yuv.from_image(image.convert("RGB"))[0]


def clip_luma(path: Path) -> list[Image.Image]:
    """The luma of each frame of a clip file, as ffmpeg decodes it."""
    info = media.probe(path)
    size = (info.width, info.height)
    return [Image.fromarray(np.array(yuv.planes(frame, size)[0])) for frame in media.decode(path, size)]


def shown(picture: Image.Image, size: Size) -> np.ndarray:
    """A luma picture drawn at `size` (the shown size times the pixel ratio), as floats."""
    resized = picture if picture.size == size else picture.resize(size, Image.Resampling.LANCZOS)
    return np.asarray(resized, dtype=np.float64)


def energy(plane: np.ndarray) -> float:
    """Mean squared Laplacian: how much fine detail a picture holds."""
    lap = 4 * plane[1:-1, 1:-1] - plane[:-2, 1:-1] - plane[2:, 1:-1] - plane[1:-1, :-2] - plane[1:-1, 2:]
    return float((lap**2).mean())


def sharpness(frames: Iterable[Image.Image], still: Image.Image, size: Size) -> list[float]:
    """Each frame's sharpness over the still's, both drawn at `size`."""
    reference = energy(shown(still, size))
    return [energy(shown(frame, size)) / reference for frame in frames]


def _mean7(plane: np.ndarray) -> np.ndarray:
    """Means over 7x7 windows (valid positions only), by summed areas."""
    summed = np.pad(plane, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (summed[7:, 7:] - summed[:-7, 7:] - summed[7:, :-7] + summed[:-7, :-7]) / 49


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """The mean structural similarity of two luma planes of the same shape (1 = the same picture)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mean_a, mean_b = _mean7(a), _mean7(b)
    var_a = _mean7(a * a) - mean_a**2
    var_b = _mean7(b * b) - mean_b**2
    cov = _mean7(a * b) - mean_a * mean_b
    index = ((2 * mean_a * mean_b + c1) * (2 * cov + c2)) / ((mean_a**2 + mean_b**2 + c1) * (var_a + var_b + c2))
    return float(index.mean())


def first_frame_ssim(frames: Sequence[Image.Image], still: Image.Image, size: Size) -> float:
    return ssim(shown(frames[0], size), shown(still, size))


def _fit_error(small: np.ndarray, reference: Image.Image, box: tuple[float, float, float, float]) -> float:
    drawn = reference.resize((small.shape[1], small.shape[0]), Image.Resampling.BILINEAR, box=box)
    return float(np.abs(np.asarray(drawn, dtype=np.float32) - small).mean())


def _fit_box(small: np.ndarray, reference: Image.Image, start: np.ndarray) -> np.ndarray:
    """The (zoom, x0, y0) whose box of `reference` looks most like `small`: a pattern search from `start`."""
    width, height = reference.size
    best = start.copy()

    def error(params: np.ndarray) -> float:
        zoom, x0, y0 = params
        if zoom < 1 or x0 < 0 or y0 < 0 or x0 + width / zoom > width or y0 + height / zoom > height:
            return float("inf")
        return _fit_error(small, reference, (x0, y0, x0 + width / zoom, y0 + height / zoom))

    best_error = error(best)
    steps = np.array([0.02, 4.0, 4.0])
    while steps[1] > 0.1:
        moved = False
        for axis in range(3):
            for sign in (1, -1):
                trial = best.copy()
                trial[axis] += sign * steps[axis]
                trial_error = error(trial)
                if trial_error < best_error:
                    best, best_error, moved = trial, trial_error, True
        if not moved:
            steps /= 2
    return best


def edge_cuts(frames: Sequence[Image.Image], still: Image.Image, width: int = 240) -> list[float]:
    """Per frame, the largest fraction of any edge of the still that the frame leaves out."""
    reference = still.resize((width, round(still.height * width / still.width)), Image.Resampling.LANCZOS)
    ref_w, ref_h = reference.size

    def box(params: np.ndarray) -> tuple[float, float, float, float]:
        zoom, x0, y0 = params
        return x0, y0, x0 + ref_w / zoom, y0 + ref_h / zoom

    # Where the search starts: boxes of a few zooms against each side and in the middle.
    starts = [
        np.array([zoom, (ref_w - ref_w / zoom) * fx, (ref_h - ref_h / zoom) * fy])
        for zoom in (1.0, 1.03, 1.06, 1.1, 1.16) for fx in (0, 0.5, 1) for fy in (0, 0.5, 1)
    ]  # fmt: skip
    cuts = []
    for frame in frames:
        small = np.asarray(frame.resize(reference.size, Image.Resampling.LANCZOS), dtype=np.float32)
        start = min(starts, key=lambda params: _fit_error(small, reference, box(params)))
        zoom, x0, y0 = _fit_box(small, reference, start)
        right, bottom = ref_w - (x0 + ref_w / zoom), ref_h - (y0 + ref_h / zoom)
        cuts.append(max(0.0, x0 / ref_w, y0 / ref_h, right / ref_w, bottom / ref_h))
    return cuts


def _reduced(frame: Image.Image, factor: int = 4) -> np.ndarray:
    """A frame's luma in blocks of `factor` x `factor` pixels, as tests/test_quality.py sees motion: a move of the
    picture shows there, the encoder's grain and a resampled texture's shimmer do not."""
    width, height = frame.width // factor, frame.height // factor
    plane = np.asarray(frame, dtype=np.float32)[: height * factor, : width * factor]
    return plane.reshape(height, factor, width, factor).mean(axis=(1, 3))


def judder(frames: Sequence[Image.Image]) -> float:
    """How unevenly the frames change (see the module's docstring), on frames reduced 4x."""
    planes = [_reduced(frame) for frame in frames]
    steps = np.array([np.abs(b - a).mean() for a, b in itertools.pairwise(planes)])
    uneven = np.abs(steps[1:-1] - (steps[:-2] + steps[2:]) / 2)
    return float(uneven.mean() / steps.mean())
