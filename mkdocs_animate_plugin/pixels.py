"""What a picture is, judged from its pixels alone: the local answer of ``select: auto``.

An editor animates pictures (photographs and illustrations) and leaves instruments still (screenshots,
diagrams, charts, text, QR codes, logos and badges). Without a vision model the difference shows in a few
cheap statistics of a small copy:

* a camera or a brush leaves no two neighbouring pixels exactly alike, while software draws on a perfectly
  flat ground (a page, a plot area, the field around a logo);
* on that ground, instruments are drawn with thin strokes (letters, lines, axes, arrows) or with a handful of
  flat colours (logos, badges, bars, QR modules), and their edges run along long straight rows and columns;
* a cartoon or a portrait on a white ground is a solid shape of many colours and soft shading, with curved
  outlines.

Deterministic and local: numpy on a copy at most SAMPLE_WIDTH wide takes a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

VERSION = 1  # bump when the judgement changes: it is part of the cache key of the remembered verdicts

SAMPLE_WIDTH = 256  # the caller decodes and reduces to at most this width (JPEG draft mode makes it cheap)


@dataclass(frozen=True)
class Kind:
    name: str  # a short noun for the build summary: "left still (screenshot: 3, chart: 1)"
    animate: bool


@dataclass(frozen=True)
class Measures:
    """Fractions of the sample (0..1, except aspect), so that they hardly depend on its size."""

    flat: float  # pixels exactly equal to their right and lower neighbours: drawn by software
    smooth: float  # pixels that differ from their neighbours by only 1..3 levels: shading, gradients
    thin: float  # share of the figure (pixels away from the commonest colour, the ground of a page, a plot
    #              area, the field round a logo) within 2 px of that ground: strokes, not shapes
    colours: float  # share of the figure outside its 8 commonest colours (0 = a flat palette)
    straight: float  # share of the strong edges on long horizontal or vertical runs
    lines_of_text: float  # bands of inked rows between blank ones, per 100 rows: lines of lettering
    edges: float  # pixels on a strong edge: the square modules of a QR code make the most
    aspect: float  # width / height


def measure(image: Image.Image) -> Measures:
    rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    h, w, _ = rgb.shape
    step = np.maximum(np.abs(np.diff(rgb, axis=1)).max(axis=2)[:-1, :],
                      np.abs(np.diff(rgb, axis=0)).max(axis=2)[:, :-1])
    flat = float((step == 0).mean())
    smooth = float((step <= 3).mean()) - flat
    # colour codes on a 5-bit-per-channel grid: JPEG noise and anti-aliasing stay within a code or two
    q = rgb >> 3
    code = (q[..., 0] << 10) | (q[..., 1] << 5) | q[..., 2]
    g = int(np.argmax(np.bincount(code.ravel())))
    ground_rgb = np.array([g >> 10, (g >> 5) & 31, g & 31]) * 8 + 4
    ground = np.abs(rgb - ground_rgb).max(axis=2) <= 24
    figure = ~ground
    size = max(int(figure.sum()), 1)
    near = _grow(_grow(ground))
    thin = float((figure & near).sum() / size)
    counts = np.sort(np.bincount(code[figure], minlength=1))[::-1]
    colours = 1.0 - float(counts[:8].sum() / size)
    grey = (rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) // 1000
    across = np.abs(np.diff(grey, axis=1)) > 60  # vertical edges, as letters and columns make
    down = np.abs(np.diff(grey, axis=0)) > 60  # horizontal edges: rules, axes, window frames
    on_runs = _runs(down, min(32, max(8, w // 16))).sum() + _runs(across.T, min(32, max(8, h // 16))).sum()
    straight = float(on_runs / max(across.sum() + down.sum(), 1))
    inked = np.concatenate(([False], figure.mean(axis=1) > 0.02))
    lines_of_text = float(100 * (inked[1:] & ~inked[:-1]).sum() / h)
    edges = float((across.mean() + down.mean()) / 2)
    return Measures(flat, smooth, thin, colours, straight, lines_of_text, edges, w / h)


def _grow(mask: np.ndarray) -> np.ndarray:
    """``mask`` widened by one pixel in the four directions (the border counts as set)."""
    p = np.pad(mask, 1, constant_values=True)
    return mask | p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:]


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels of ``mask`` on a horizontal run at least ``length`` long."""
    if mask.shape[1] < length:
        return np.zeros_like(mask)
    c = np.cumsum(np.pad(mask.astype(np.int32), ((0, 0), (1, 0))), axis=1)
    starts = np.pad((c[:, length:] - c[:, :-length]) == length, ((0, 0), (0, length - 1)))
    s = np.cumsum(np.pad(starts.astype(np.int32), ((0, 0), (length, 0))), axis=1)
    return (s[:, length:] - s[:, :-length]) > 0  # some run of full length starts at most length-1 before


def kind_of(image: Image.Image) -> Kind:
    """The image is an RGB copy no wider than SAMPLE_WIDTH px (the caller makes it)."""
    m = measure(image)
    if m.flat < 0.25:  # noise everywhere: a camera or a painting that fills the frame
        return Kind("photograph", True)
    if m.thin < 0.45 and m.aspect <= 3 and m.straight < 0.35 and (m.colours >= 0.2 or m.smooth >= 0.3):
        return Kind("illustration", True)  # a solid, many-coloured or shaded shape with curved outlines
    return Kind(_still(m), False)


def _still(m: Measures) -> str:
    """Which instrument: only the reason shown in the summary, the decision is already made."""
    if 0.9 < m.aspect < 1.1 and m.colours < 0.2 and m.straight > 0.4 and m.edges > 0.045:
        return "QR code"  # square modules of one colour: straight edges everywhere
    if m.aspect > 3 or (m.thin < 0.45 and m.straight < 0.3):
        return "logo"  # a badge or word mark, or a few flat shapes
    if m.lines_of_text >= 5:
        return "text" if m.thin >= 0.9 else "screenshot"  # lines of letters, on a page or among panels
    return "chart" if m.straight > 0.3 else "diagram"  # axes, bars and grids; or boxes, arrows and curves
