"""What a picture is, judged from its pixels alone: the local answer of ``select: auto``.

An editor animates pictures (photographs and illustrations) and leaves instruments still (screenshots,
diagrams, charts, text, QR codes, logos and badges). Without a vision model the difference shows in a few
cheap statistics of a small copy:

* a camera or a brush leaves no two neighbouring pixels exactly alike, while software draws on a perfectly
  flat ground (a page, a plot area, the field around a logo);
* on that ground, instruments are drawn with thin strokes (letters, lines, axes, arrows) or with a handful of
  flat colours (logos, badges, bars, QR modules), and their edges run along long straight rows and columns;
* a cartoon or a portrait on a white ground is a solid shape of many colours and soft shading, with curved
  outlines; an object photographed on white, however pale, has no two neighbouring pixels alike.

A map's regions are flat fills with no shading that run off the frame, or many hues each laid perfectly flat; a
window's panels frame a photograph or a map in long straight edges both ways.

Which instrument it is only names it in the build summary, so an editor sees why a picture stayed still:
axes inset from the frame make a chart; panels and rules that run off the frame a screenshot; many lines of
letters with an even right margin text, ragged or on a dark ground a screenshot; flat solid shapes a logo
(or a pie, if there are many colours); strokes and boxes with short labels a diagram.

Deterministic and local: numpy on a copy at most SAMPLE_WIDTH wide takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

# When the judgement changes, bump `rules.VERSION`: builds remember each picture's verdict under it.

SAMPLE_WIDTH = 256  # the caller decodes and reduces to at most this width (JPEG draft mode makes it cheap)
MAP_FILLS = 5  # hues laid flat that make a map (141 of kgeography's maps: 10 at the median, 5 or more in 130)
_CODES = np.arange(1 << 15)  # colour codes, 5 bits a channel (see `measure`)
_HUES = np.ptp(np.stack([_CODES >> 10, (_CODES >> 5) & 31, _CODES & 31]), axis=0) >= 6  # not a grey: 48+ levels
LETTERED = 4  # patches of lettering that make a picture an instrument: photographs have a sign or two


@dataclass(frozen=True)
class Kind:
    name: str  # a short noun for the build summary: "left still (screenshot: 3, chart: 1)"
    animate: bool


@dataclass(frozen=True)
class Measures:
    """Fractions of the sample (mostly 0..1) or counts per 100 rows, so that they hardly depend on its size."""

    flat: float  # pixels exactly equal to their right and lower neighbours: drawn by software
    smooth: float  # pixels that differ from their neighbours by only 1..3 levels: shading, gradients
    figure_flat: float  # the same as `flat`, of the figure alone: a shape filled by software, not a lit object
    thin: float  # share of the figure (pixels away from the commonest colour, the ground of a page, a plot
    #              area, the field round a logo) within 2 px of that ground: strokes, not shapes
    colours: float  # share of the figure outside its 8 commonest colours (0 = a flat palette)
    straight: float  # share of the strong edges on long horizontal or vertical runs
    lines_of_text: float  # bands of inked rows between blank ones, per 100 rows: lines of lettering
    edges: float  # pixels on a strong edge: the square modules of a QR code make the most
    aspect: float  # width / height
    rule_h: float  # longest horizontal edge short of the full width, / width: an axis, a box side
    rule_v: float  # the same for vertical edges, / height
    spans: float  # rows and columns with an edge from border to border, per 100: window chrome, a header bar
    border: float  # share of the outermost pixels off the ground: panels, bars and sidebars run off the frame
    dark: bool  # the ground is dark: an editor or a terminal, not a printed page
    palette: int  # figure colours that each cover 5% of the figure: the slices of a pie, the parts of a logo
    fills: int  # hues laid perfectly flat, each over 0.3% of the picture: a map's regions, coloured apart
    justified: float  # share of the bands of ink that end at the commonest right margin: a block of prose


def measure(image: Image.Image) -> Measures:
    rgb = np.asarray(image.convert("RGB"), dtype=np.int32)
    h, w, _ = rgb.shape
    step = np.maximum(
        np.abs(np.diff(rgb, axis=1)).max(axis=2)[:-1, :], np.abs(np.diff(rgb, axis=0)).max(axis=2)[:, :-1]
    )
    alike = step == 0
    flat = float(alike.mean())
    smooth = float((step <= 3).mean()) - flat
    # colour codes on a 5-bit-per-channel grid: JPEG noise and anti-aliasing stay within a code or two
    q = rgb >> 3
    code = (q[..., 0] << 10) | (q[..., 1] << 5) | q[..., 2]
    g = int(np.argmax(np.bincount(code.ravel())))
    ground_rgb = np.array([g >> 10, (g >> 5) & 31, g & 31]) * 8 + 4
    ground = np.abs(rgb - ground_rgb).max(axis=2) <= 24
    figure = ~ground
    size = max(int(figure.sum()), 1)
    inner = figure[:-1, :-1]  # where `step` is known
    figure_flat = float(alike[inner].mean()) if inner.any() else 1.0
    near = _grow(_grow(ground))
    thin = float((figure & near).sum() / size)
    counts = np.sort(np.bincount(code[figure], minlength=1))[::-1]
    colours = 1.0 - float(counts[:8].sum() / size)
    grey = (rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) // 1000
    dx, dy = np.abs(np.diff(grey, axis=1)), np.abs(np.diff(grey, axis=0))
    across, down = dx > 60, dy > 60  # vertical edges, as letters and columns make; horizontal: rules, axes, frames
    on_runs = _runs(down, min(32, max(8, w // 16))).sum() + _runs(across.T, min(32, max(8, h // 16))).sum()
    straight = float(on_runs / max(across.sum() + down.sum(), 1))
    inked = np.concatenate(([False], figure.mean(axis=1) > 0.02))
    lines_of_text = float(100 * (inked[1:] & ~inked[:-1]).sum() / h)
    edges = float((across.mean() + down.mean()) / 2)
    faint_h, faint_v = _longest(dy > 24) / w, _longest((dx > 24).T) / h  # faint too: grey rules, a sidebar's edge
    rule_h, rule_v = float(faint_h[faint_h < 0.97].max(initial=0)), float(faint_v[faint_v < 0.97].max(initial=0))
    spans = 100 * float((faint_h >= 0.97).sum() + (faint_v >= 0.97).sum()) / (h + w)
    border = float(np.concatenate([figure[0], figure[-1], figure[:, 0], figure[:, -1]]).mean())
    dark = bool(ground_rgb @ np.array([299, 587, 114]) < 80_000)
    palette = int((counts >= 0.05 * size).sum())
    codes = code[:-1, :-1].ravel()  # where `step` is known
    area = np.bincount(codes, minlength=1 << 15)
    flat_area = np.bincount(codes, weights=alike.ravel(), minlength=1 << 15)
    fills = int(((area >= 0.003 * codes.size) & (flat_area >= 0.6 * area) & _HUES).sum())
    return Measures(
        flat,
        smooth,
        figure_flat,
        thin,
        colours,
        straight,
        lines_of_text,
        edges,
        w / h,
        rule_h,
        rule_v,
        spans,
        border,
        dark,
        palette,
        fills,
        _justified(figure),
    )


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


def _longest(mask: np.ndarray) -> np.ndarray:
    """The longest run of ``mask`` in each row."""
    at = np.arange(1, mask.shape[1] + 1)
    return (at - np.maximum.accumulate(np.where(mask, 0, at), axis=1)).max(axis=1, initial=0)


def _justified(figure: np.ndarray) -> float:
    """Share of the bands of inked rows whose right end lies at the commonest one (within 3% of the width).

    Prose is set in a block with an even right margin; the lines of a screenshot (menus, code, short
    paragraphs beside panels) end anywhere."""
    inked = np.concatenate(([False], figure.mean(axis=1) > 0.02, [False]))
    starts, ends = np.flatnonzero(inked[1:] & ~inked[:-1]), np.flatnonzero(~inked[1:] & inked[:-1])
    if len(starts) == 0:
        return 0.0
    right = np.array([figure.shape[1] - np.argmax(figure[a:b].any(axis=0)[::-1]) for a, b in zip(starts, ends)])
    return float(np.mean(np.abs(right - np.median(right)) < 0.03 * figure.shape[1]))


def kind_of(image: Image.Image, lettering: Callable[[], int | None] = lambda: None) -> Kind:
    """The image is an RGB copy no wider than SAMPLE_WIDTH px (the caller makes it). `lettering`: how many
    patches of lettering the whole picture has (lettering.py; None where unknown), asked only of a picture the
    pixels would animate."""
    m = measure(image)
    kind = _kind(m)
    if kind.animate and (lettering() or 0) >= LETTERED:
        return Kind(_still(m), False)  # labelled all over: a map, a listing, a page, a window
    return kind


def _kind(m: Measures) -> Kind:
    framed = min(m.rule_h, m.rule_v) >= 0.7  # long straight edges both ways, inset from the frame: panels
    if m.flat < 0.25:  # noise everywhere: a camera or a painting that fills the frame (unless a window frames it)
        return Kind("screenshot", False) if framed else Kind("photograph", True)
    solid = m.thin < 0.45 or (m.thin < 0.6 and m.colours >= 0.8)  # shapes, or strokes of many hues (a pencil's)
    # Shading: many colours, soft gradients, or a figure with no two neighbouring pixels alike (a white shirt
    # photographed on white: few colours, and the backdrop dilutes its gradients)
    shaded = m.colours >= 0.2 or m.smooth >= 0.3 or m.figure_flat < 0.2
    if solid and shaded and 1 / 3 <= m.aspect <= 3 and m.straight < 0.35 and not framed:
        # flat fills with no shading that run off the frame, or many hues each laid flat: a map's regions, which
        # a cartoon (a few hues, shaded or outlined; at most 5 in 98 of tuxpaint's) does not have
        if (m.flat >= 0.5 and m.smooth < 0.1 and m.border >= 0.2) or m.fills >= MAP_FILLS:
            return Kind("map", False)  # countries, regions, sea
        return Kind("illustration", True)  # a solid, many-coloured or shaded shape with curved outlines
    return Kind(_still(m), False)


def _still(m: Measures) -> str:
    """Which instrument: only the reason shown in the summary, the decision is already made."""
    if 0.9 < m.aspect < 1.1 and m.colours < 0.2 and m.straight > 0.4 and m.edges > 0.045:
        return "QR code"  # square modules of one colour: straight edges everywhere
    if m.aspect > 3:  # a strip: a badge or word mark, a pipeline of boxes, or a line or two of lettering
        return "logo" if m.thin < 0.7 else "diagram" if m.straight > 0.3 else "text"
    if 0.5 <= m.rule_h and 0.5 <= m.rule_v:
        return "chart"  # axes: a long horizontal and a long vertical line, inset from the frame
    if m.border >= 0.2 and (m.spans > 0 or max(m.rule_h, m.rule_v) >= 0.6):
        return "screenshot"  # panels that run off the frame: a header bar, a sidebar
    if m.thin < 0.45:  # solid flat shapes
        return "chart" if m.palette >= 4 else "logo"  # the many slices of a pie; a logo's one or two colours
    if m.dark or m.lines_of_text >= 5:  # many lines of letters: a page of prose, or a window of them
        if m.straight >= 0.1:
            return "diagram"  # the labels of boxes joined by lines
        return "text" if m.justified >= 0.5 and not m.dark else "screenshot"
    return "chart" if m.border > 0.5 else "diagram"  # a tinted plot panel in a margin; boxes, arrows, curves
