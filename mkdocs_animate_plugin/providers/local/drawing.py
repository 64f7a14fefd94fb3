"""The local animator's drawing, as a worker process runs it: plain values in (a path, sizes, the motion), frames
out. It imports nothing of MkDocs or of the providers, so that each worker holds only what drawing needs."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def frames(
    image: Path,
    size: tuple[int, int],
    count: int,
    fps: float,
    loop: str,
    take: int,
    motion_kind: str,
    model: str | None,
) -> Iterator[np.ndarray]:
    """Draw the `count` frames of one clip, decoding the still first (an unreadable still raises `ImageProblem`
    here). The loop is closed by the drawing itself: a periodic path, or the crossfade drawn in."""
    from ...video import loops, picture  # numpy and friends: only when something is drawn
    from . import depth, detail, motion

    # The detail each frame is given back: the still's, as a browser shows the file at the clip's size.
    target = detail.shown_energy(image, size)
    # Decode with headroom for the push-in, so the closest frame is still sharp.
    source = picture.load(image, math.ceil(size[0] * motion.ZOOM_NEAR * 1.1))
    if motion_kind == "parallax" or (motion_kind == "auto" and depth.is_photograph(source)):
        depth_map = _depth_model(model)(source) if model is not None else depth.estimate(source)
        drawn = motion.parallax_frames(source, depth_map, size, count, take, target)  # an orbit: seamless
        del source, depth_map  # the drawing keeps what it needs, reduced: the still is let go before it starts
        yield from drawn
        return
    # auto and pingpong: a periodic path, seamless by construction. none: a single push. crossfade: a push with
    # extra frames, the last blended into the first.
    if loop == "crossfade":
        drawn = motion.kenburns_frames(source, size, count + loops.crossfade_frames(fps), False, take, target)
        del source
        yield from loops.close_loop(drawn, "crossfade", fps)
        return
    drawn = motion.kenburns_frames(source, size, count, loop in ("auto", "pingpong"), take, target)
    del source
    yield from drawn


@functools.cache
def _depth_model(path: str):
    """The depth model, loaded once per worker process."""
    from .depth import OnnxDepth

    return OnnxDepth(Path(path))
