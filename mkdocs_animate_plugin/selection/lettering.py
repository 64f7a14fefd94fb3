"""Where a picture has lettering: a second, optional signal of ``select: auto`` (the `text` extra).

Pixel statistics (pixels.py) cannot tell a map tile, a shop listing or a photographed page from a photograph:
all are noisy and many-coloured. Their words tell them apart: an instrument is labelled (place names, prices,
menus, axes, lines of print), while a photograph or an illustration has at most a word or two (a sign, a
title). PaddleOCR's text-detection network (PP-OCRv4 det, Apache-2.0), which the `rapidocr-onnxruntime`
wheel ships inside it, marks the pixels of lettering; the separate patches it marks are counted. Only the
model file is used, run with onnxruntime: the package's code (and OpenCV, which it imports) is never loaded.

Without the extra installed, `regions` answers None and the pixels alone decide. Deterministic: one thread, a
fixed input size; about 70 ms a picture on one core, once per distinct picture (the verdict is cached).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from ..video import picture

SIDE = 512  # the longer side the network sees (a multiple of 32): a page's letters shown 700 px wide survive
THRESHOLD = 0.3  # the network's own cut between lettering and the rest (rapidocr's `thresh`)
SMALLEST = 20  # a patch smaller than this many pixels is noise, not a word


@functools.cache
def model() -> Path | None:
    """The detection model inside the installed `rapidocr-onnxruntime` wheel, found without importing it."""
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("onnxruntime") is None:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("models/*det*.onnx"))
    return found[-1] if found else None


def signature() -> str:
    """Which signals judge a picture here, kept with each cached verdict: installing the extra judges anew."""
    found = model()
    return f"text:{found.name}" if found else "pixels"


@functools.cache
def _session(path: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1  # the same answer on every machine
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def regions(path: Path) -> int | None:
    """How many separate patches of lettering the picture has (None: the extra is not installed)."""
    found = model()
    if found is None:
        return None
    image = picture.load(path, 2 * SIDE)
    scale = SIDE / max(image.size)
    size = tuple(max(32, round(side * scale / 32) * 32) for side in image.size)
    pixels = np.asarray(image.resize(size), dtype=np.float32) / 127.5 - 1
    session = _session(found)
    chart = session.run(None, {session.get_inputs()[0].name: pixels.transpose(2, 0, 1)[None]})[0][0, 0]
    return count(chart > THRESHOLD, SMALLEST)


def count(mask: np.ndarray, smallest: int) -> int:
    """The 8-connected patches of `mask` with at least `smallest` pixels, joined run by run, row by row."""
    parent: list[int] = []
    size: list[int] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    above: list[tuple[int, int, int]] = []
    for row in mask:
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        runs = []
        for start, end in zip(edges[::2], edges[1::2]):
            label = len(parent)
            parent.append(label)
            size.append(int(end - start))
            for a_start, a_end, a_label in above:
                if a_start <= end and start <= a_end:  # touching, diagonals included
                    mine, theirs = root(label), root(a_label)
                    if mine != theirs:
                        parent[theirs] = mine
                        size[mine] += size[theirs]
            runs.append((int(start), int(end), label))
        above = runs
    return sum(1 for i in range(len(parent)) if parent[i] == i and size[i] >= smallest)
