"""The offline animator: no network, no key, deterministic. What every user sees first, and what CI builds.

Two motions (`local_motion`): a Ken Burns push toward the subject, and a 2.5D parallax, a small camera orbit over
a depth map. `auto` gives photographs the parallax and flat artwork (few colours, large flat areas) Ken Burns.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .base import AnimationRequest, Clip, Provider

# Bump when the drawing changes, so that cached animations made by an older drawing are made again.
VERSION = 2


class LocalOptions(base.Config):
    local_motion = c.Choice(("auto", "kenburns", "parallax"), default="auto")
    depth_model = c.Optional(c.File(exists=True))


class LocalProvider(Provider):
    name = "local"
    paid = False
    options = LocalOptions

    def __init__(self, settings, cache) -> None:
        super().__init__(settings, cache)
        self.depth_model = None
        self._model_hash = None
        if self.options.depth_model is not None:
            from .. import images
            from ..depth import OnnxDepth

            model = Path(self.options.depth_model)
            self.depth_model = OnnxDepth(model)  # a clear error now if onnxruntime is missing
            self._model_hash = images.sha256(model)

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": VERSION, "motion": self.options.local_motion, "depth": self._model_hash}

    async def animate(self, request: AnimationRequest) -> Clip:
        import asyncio  # here, not above: a warm build never draws, and asyncio is slow to import

        return await asyncio.to_thread(draw, request, self.options.local_motion, self.depth_model)


def draw(request: AnimationRequest, motion_kind: str = "auto", depth_model=None) -> Clip:
    """The clip for one request; the frames are drawn lazily, as the encoder takes them."""
    from .. import depth, images, media, motion  # numpy and friends: only when something is drawn

    # Decode with headroom for the push-in (or the parallax margin), so the closest frame is still sharp.
    source = images.load(request.image, math.ceil(request.width * motion.ZOOM_NEAR * 1.1))
    size = (request.width, request.height)
    count = max(2, round(request.duration * request.fps))
    if motion_kind == "parallax" or (motion_kind == "auto" and depth.is_photograph(source)):
        depth_map = depth_model(source) if depth_model is not None else depth.estimate(source)
        frames = motion.parallax_frames(source, depth_map, size, count, request.take)
        return Clip(fps=request.fps, frames=frames, count=count, loop_closed=True)  # an orbit: seamless
    # auto and pingpong: a periodic path, seamless by construction. crossfade: a push with extra frames for
    # the blend. none: a single push.
    periodic = request.loop in ("auto", "pingpong")
    if request.loop == "crossfade":
        count += media.crossfade_frames(request.fps)
    frames = motion.kenburns_frames(source, size, count, periodic, request.take)
    return Clip(fps=request.fps, frames=frames, count=count, loop_closed=request.loop != "crossfade")
