"""Depth for the 2.5D parallax: estimated from the picture itself, or from an ONNX monocular-depth model.

The estimate combines cues a painter uses: lower in the frame is nearer, sharp detail is nearer than soft
background, saturated colour is nearer than hazy distance, and bright haze is far. It is computed small, then
smoothed with a guided filter so that it follows the edges of objects instead of bleeding across them.
Depth is in [0, 1], 1 the nearest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ...errors import AnimateError

WORK_WIDTH = 160  # the estimate is made this wide, then laid over the frame


def _box(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window, edges included, by cumulative sums: a fast box filter."""
    padded = np.pad(a, ((r + 1, r), (r + 1, r)), mode="edge")
    summed = padded.cumsum(0).cumsum(1)
    window = summed[2 * r + 1 :, 2 * r + 1 :] - summed[: -2 * r - 1, 2 * r + 1 :]
    window = window - summed[2 * r + 1 :, : -2 * r - 1] + summed[: -2 * r - 1, : -2 * r - 1]
    return window / (2 * r + 1) ** 2


def guided(guide: np.ndarray, source: np.ndarray, r: int = 4, eps: float = 1e-3) -> np.ndarray:
    """He et al.'s guided filter: smooths `source` where `guide` is flat, keeps its steps where `guide` has edges."""
    mean_i, mean_p = _box(guide, r), _box(source, r)
    cov = _box(guide * source, r) - mean_i * mean_p
    var = _box(guide * guide, r) - mean_i**2
    a = cov / (var + eps)
    b = mean_p - a * mean_i
    return _box(a, r) * guide + _box(b, r)


def _normalise(a: np.ndarray) -> np.ndarray:
    low, high = np.percentile(a, 2), np.percentile(a, 98)
    return np.clip((a - low) / max(high - low, 1e-6), 0, 1)


def estimate(image: Image.Image) -> np.ndarray:
    """A depth map of `image`'s size from the picture's own cues (see the module's docstring)."""
    height = max(8, round(WORK_WIDTH * image.height / image.width))
    small = np.asarray(image.resize((WORK_WIDTH, height), Image.Resampling.BOX), dtype=np.float32) / 255
    luma = small @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    ramp = np.linspace(0, 1, height, dtype=np.float32)[:, None].repeat(WORK_WIDTH, axis=1)
    gy, gx = np.gradient(luma)
    detail = _normalise(_box(np.hypot(gx, gy), 3))
    saturation = small.max(axis=2) - small.min(axis=2)
    haze = _normalise(_box(luma, 6)) * (1 - saturation)
    depth = 0.45 * ramp + 0.30 * detail + 0.15 * _normalise(saturation) + 0.10 * (1 - haze)
    depth = guided(luma, _box(depth, 2), r=5, eps=2e-3)
    return _resize(_normalise(depth), image.size)


def _resize(depth: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(depth.astype(np.float32), mode="F").resize(size, Image.Resampling.BILINEAR))


class OnnxDepth:
    """A monocular-depth model (e.g. MiDaS small) run with onnxruntime: its output is inverse depth, so larger
    values are nearer, as ours."""

    def __init__(self, path: Path) -> None:
        self.path = path  # what a worker process loads the model from: a session cannot be sent to it
        try:
            import onnxruntime
        except ImportError:
            raise AnimateError("depth_model needs onnxruntime: pip install 'mkdocs-animate-plugin[depth]'") from None
        try:
            self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own exception types for a bad file
            raise AnimateError(f"depth_model {path} cannot be loaded: {error}") from None
        model_input = self.session.get_inputs()[0]
        self.input = model_input.name
        shape = model_input.shape
        # A fixed input size is used as the model declares it; a free one gets MiDaS small's 256.
        self.size = (
            tuple(s if isinstance(s, int) and s > 0 else 256 for s in shape[2:4]) if len(shape) == 4 else (256, 256)
        )

    def __call__(self, image: Image.Image) -> np.ndarray:
        height, width = self.size
        pixels = np.asarray(image.resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32) / 255
        pixels = (pixels - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
        batch = pixels.transpose(2, 0, 1)[None].astype(np.float32)
        output = np.asarray(self.session.run(None, {self.input: batch})[0], dtype=np.float32)
        depth = output.reshape(output.shape[-2], output.shape[-1])
        luma = np.asarray(image.convert("L").resize(depth.shape[::-1], Image.Resampling.BOX), dtype=np.float32) / 255
        return _resize(_normalise(guided(luma, _normalise(depth), r=3, eps=2e-3)), image.size)


def is_photograph(image: Image.Image) -> bool:
    """Photographs get parallax, flat artwork Ken Burns. The cheap measure, on a 64 px copy: a photograph has
    many distinct colours (over 300 at 5 bits a channel) and few perfectly flat pixels (under 40% with no
    gradient); drawings, diagrams and cartoons have few colours and large flat areas."""
    small = np.asarray(image.resize((64, max(8, round(64 * image.height / image.width))), Image.Resampling.BOX))
    colours = len(np.unique((small >> 3).reshape(-1, 3), axis=0))
    luma = small.astype(np.int16).sum(axis=2)
    flat = (np.abs(np.diff(luma, axis=1))[:-1] + np.abs(np.diff(luma, axis=0))[:, :-1]) <= 3
    return colours > 300 and flat.mean() < 0.4
