"""Loop quality of what a real build makes: for each `loop` mode and output, the jump where the loop starts again
(mean absolute pixel difference from the last frame to the first) against the frame-to-frame motion inside."""

from __future__ import annotations

import lxml.html
import numpy as np
import pytest

from mkdocs_animate_plugin.video import media

from .conftest import PHOTOS, rgb


def seam(path) -> tuple[float, float]:
    """(jump at the loop point, median step inside), measured on frames reduced 4x: a jump of the picture shows
    there, the encoder's grain (which a fresh key frame at the start of a video resets) does not."""
    info = media.probe(path)
    frames = [reduce(f) for f in rgb(path, (info.width, info.height))]
    steps = [np.abs(b - a).mean() for a, b in zip(frames, frames[1:])]
    return float(np.abs(frames[0] - frames[-1]).mean()), float(np.median(steps))


def reduce(frame: np.ndarray, factor: int = 4) -> np.ndarray:
    height, width = (frame.shape[0] // factor) * factor, (frame.shape[1] // factor) * factor
    blocks = frame[:height, :width].astype(np.float32).reshape(height // factor, factor, width // factor, factor, 3)
    return blocks.mean(axis=(1, 3))


@pytest.mark.parametrize("motion", ["kenburns", "parallax"])
@pytest.mark.parametrize("loop", ["auto", "crossfade", "pingpong", "none"])
def test_loop_seam_per_mode_and_output(site, loop, motion):
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.configure(loop=loop, duration=2, local_motion=motion)
    site.page(
        "index.md",
        "\n\n".join(f"![{o}](img/rocket.jpg){{ data-animate-output={o} }}" for o in ("video", "gif", "webp")),
    )
    built = site.build()
    tree = lxml.html.fromstring(built.html("index.html"))
    files = [i.get("data-animate-src") for i in tree.xpath("//img[@data-animate-src]")]
    assert len(files) == 3
    for name in files:
        jump, step = seam(built.site / name)
        assert step > 0.1, f"{name}: the picture moves (gently: Ken Burns pushes in by 3% at most)"
        if loop == "none" and motion == "kenburns":  # the parallax orbit loops by construction, always
            # The push is gentle (3%), so the jump back is three steps and more, not much more.
            assert jump > 3 * step, f"{name}: without loop closing, the end jumps back ({jump:.2f} vs {step:.2f})"
        elif name.endswith(".mp4"):
            # A video restarts on a fresh key frame: the encoder's refresh of the grain is allowed on top of a
            # step (about 1 to 2 levels of 255, measured at quarter size), a jump of the picture is not.
            assert jump <= step + 1.8, f"{name} ({loop}): seam {jump:.2f} against steps of {step:.2f}"
        else:
            # GIF and WebP play at 12 fps: a seam of a step and the lossy encoder's refresh on top of it.
            assert jump <= 1.8 * step, f"{name} ({loop}): seam {jump:.2f} against steps of {step:.2f}"
