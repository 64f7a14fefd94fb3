"""The offline animator: no network, no key, deterministic. What every user sees first, and what CI builds."""

from __future__ import annotations

import asyncio
import math
from typing import Any

from .base import AnimationRequest, Clip, Provider

# Bump when the drawing changes, so that cached animations made by an older drawing are made again.
VERSION = 1


class LocalProvider(Provider):
    name = "local"
    paid = False

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": VERSION, "motion": "kenburns"}

    async def animate(self, request: AnimationRequest) -> Clip:
        return await asyncio.to_thread(draw, request)


def draw(request: AnimationRequest) -> Clip:
    """The clip for one request; the frames are drawn lazily, as the encoder takes them."""
    from .. import images, media, motion  # numpy and friends: only when something is drawn

    # Decode with headroom for the push-in, so the closest frame is still sharp.
    source = images.load(request.image, math.ceil(request.width * motion.ZOOM_NEAR * 1.1))
    count = max(2, round(request.duration * request.fps))
    # auto and pingpong: a periodic path, seamless by construction. crossfade: a push with extra frames for
    # the blend. none: a single push.
    periodic = request.loop in ("auto", "pingpong")
    if request.loop == "crossfade":
        count += media.crossfade_frames(request.fps)
    frames = motion.kenburns_frames(source, (request.width, request.height), count, periodic, request.take)
    return Clip(fps=request.fps, frames=frames, count=count, loop_closed=request.loop != "crossfade")
