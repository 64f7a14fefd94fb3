"""Where a clip's end meets its start: frames of a motion that does not loop by itself, made to loop.

Pure numpy on frames in any layout (RGB or I420: every operation is per sample), so a provider's decoded clip and
the local animator's drawing close the same way before the encoder takes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np


def crossfade_frames(fps: float) -> int:
    """How many frames the crossfade blends: about 0.6 s, enough to hide the seam without a long double image."""
    return max(2, round(0.6 * fps))


def looped_count(count: int, mode: str, fps: float) -> int:
    """How many frames `close_loop` gives for `count` frames."""
    if mode == "pingpong":
        return max(count, 2 * count - 2)
    if mode in ("crossfade", "auto") and count >= 2 * crossfade_frames(fps):
        return count - crossfade_frames(fps)
    return count


def close_loop(frames: Iterable[np.ndarray], mode: str, fps: float) -> Iterator[np.ndarray]:
    """Make the last frame lead smoothly into the first.

    `crossfade`: the clip's last K frames are blended into its first K, and the output starts at frame K, so the
    frame after the last is the one that naturally followed frame K-1. `pingpong`: the clip plays forward, then
    backward (the turning frames are not repeated). `none`: as it is.
    """
    if mode == "none":
        yield from frames
        return
    if mode == "pingpong":
        kept = list(frames)
        yield from kept
        yield from reversed(kept[1:-1])
        return
    overlap = crossfade_frames(fps)
    head: list[np.ndarray] = []
    tail: list[np.ndarray] = []
    for frame in frames:
        if len(head) < overlap:
            head.append(frame)
            continue
        tail.append(frame)
        if len(tail) > overlap:
            yield tail.pop(0)
    if len(tail) < overlap:  # too short to blend: play it as it is
        yield from head
        yield from tail
        return
    for m in range(overlap):
        # The last blend is all head: the loop point is then one plain step, the fade spread evenly before it.
        weight = (m + 1) / overlap
        blend = tail[m].astype(np.float32) * (1 - weight) + head[m].astype(np.float32) * weight
        yield np.clip(blend + 0.5, 0, 255).astype(np.uint8)
