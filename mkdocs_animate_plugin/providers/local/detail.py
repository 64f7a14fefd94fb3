"""Fine detail kept through resampling: every frame as sharp as the still it comes from.

Any sub-pixel move or resize (a zoom of 1.003, a half-pixel shift, 427 rows drawn in 426) softens a picture shown
at its file's own size, and the encoder softens it again. So each drawn frame's luma is sharpened (plus its own
Laplacian, the classic sharpening, which lifts the finest detail that resampling loses first), just enough to give
it back the still's fine detail: its gradient energy (mean squared Laplacian), the measure benchmarks/sharpness.py
compares. The amount is solved per frame, not guessed: the Laplacian is linear, so the energy of `plane + c * L`
is a quadratic in c. Rows are taken a band at a time, so the working arrays stay small and in the cache.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

_MOST = 0.4  # the strongest sharpening: a frame with next to no detail left is not made into noise
# The energy a frame is given back, over the still's: above it by what the encoder takes away (B-frames most).
_TARGET = 1.2
_BAND = 64  # rows at a time


def _laplacian(plane: np.ndarray) -> np.ndarray:
    return 4 * plane[1:-1, 1:-1] - plane[:-2, 1:-1] - plane[2:, 1:-1] - plane[1:-1, :-2] - plane[1:-1, 2:]


def _sums(plane: np.ndarray) -> tuple[float, float, float]:
    """Over the plane: the mean of L*L (its energy), of L*M and of M*M, where L is its Laplacian and M the
    Laplacian of L (how L itself changes when the plane is sharpened by L)."""
    height, width = plane.shape
    sums = np.zeros(3)
    for top in range(2, height - 2, _BAND):
        values = plane[top - 2 : min(top + _BAND, height - 2) + 2].astype(np.float32)
        lap = _laplacian(values)
        change = _laplacian(lap).ravel()
        lap = lap[1:-1, 1:-1].ravel()
        sums += np.dot(lap, lap), np.dot(lap, change), np.dot(change, change)
    have, cross, gain = sums / max(1, (height - 4) * (width - 4))
    return float(have), float(cross), float(gain)


def energy(plane: np.ndarray) -> float:
    """How much fine detail a uint8 luma plane holds: its mean squared Laplacian."""
    return _sums(plane)[0]


def still_energy(luma: Image.Image, size: tuple[int, int]) -> float:
    """The detail of the still's luma at the clip's `size`, as a browser shows it there. A still of the clip's size
    (to the rounding of even sides) is taken as it is: resampling it would soften it. A larger one is reduced,
    which keeps its detail and packs it into fewer pixels, as on screen (a camera photo decoded for a 1280 px clip
    at 1451 px holds a quarter less detail per pixel than the photo shown at 1280)."""
    if luma.width <= 1.02 * size[0]:
        return energy(np.asarray(luma))
    return energy(np.asarray(luma.resize(size, Image.Resampling.LANCZOS)))


def shown_energy(path: Path, size: tuple[int, int]) -> float:
    """The detail of the still as a browser shows the file at the clip's `size`: the file reduced straight to it.
    The copy the drawing decodes (with headroom for the push) and reduces again holds more or less detail than that,
    by the file's size; the still on screen is what a frame is measured against."""
    from ...video import picture, yuv

    width = picture.probe(path).width
    # A file of about the clip's size is shown as it is; a larger one is reduced straight to the clip's width.
    still = picture.load(path, width if width <= 1.02 * size[0] else size[0])
    return energy(np.asarray(yuv.from_image(still)[0]))  # at the clip's size already: nothing to reduce


def restore(plane: np.ndarray, target: float) -> None:
    """Sharpen a drawn uint8 luma plane in place until its energy is `target` (times a margin for the encoder);
    a plane already that sharp is left as it is."""
    target *= _TARGET
    have, cross, gain = _sums(plane)
    if have >= target or gain <= 1e-9:
        return
    # The energy of plane + c * L is have + 2 c cross + c^2 gain: the root that reaches the target.
    amount = min(_MOST, (-cross + np.sqrt(cross * cross + gain * (target - have))) / gain)
    source = plane.copy()
    for top in range(1, plane.shape[0] - 1, _BAND):
        bottom = min(top + _BAND, plane.shape[0] - 1)
        values = source[top - 1 : bottom + 1].astype(np.float32)
        sharpened = values[1:-1, 1:-1] + amount * _laplacian(values) + 0.5
        plane[top:bottom, 1:-1] = np.clip(sharpened, 0, 255).astype(np.uint8)
