"""The offline animator: no network, no key, deterministic. What every user sees first, and what CI builds.

Two motions (`local_motion`): a Ken Burns push toward the subject, and a 2.5D parallax, a small camera orbit over
a depth map. `auto` gives photographs the parallax and flat artwork (few colours, large flat areas) Ken Burns.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .base import AnimationRequest, Clip, Provider

if TYPE_CHECKING:
    import numpy as np

# Bump when the drawing changes, so that cached animations made by an older drawing are made again.
VERSION = 3  # 3: the parallax warp in whole numbers (1/64 px); H.264 preset by frame size


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

    @property
    def default_concurrency(self) -> int:
        """Without a `concurrency` option, one clip is drawn per core."""
        from ..scheduler import cores

        return cores()

    async def animate(self, request: AnimationRequest) -> Clip:
        # Nothing is decoded or drawn here: the clip is a recipe, drawn where it is encoded (a worker process, one
        # per core), so that no still waits in memory for its turn and every core draws.
        return draw(request, self.options.local_motion, self.depth_model)


def draw(request: AnimationRequest, motion_kind: str = "auto", depth_model=None) -> Clip:
    """The clip for one request: its frames are a recipe (`media.Frames`), drawn lazily as the encoder takes them.
    Its loop is closed by the drawing itself (a periodic path, or the crossfade drawn in), so every clip has
    `duration * fps` frames."""
    from .. import media

    count = max(2, round(request.duration * request.fps))
    model = str(depth_model.path) if depth_model is not None else None
    frames = media.Frames(_frames, (request, motion_kind, model), count)
    return Clip(fps=request.fps, frames=frames, count=count, loop_closed=True)


def _frames(request: AnimationRequest, motion_kind: str, model: str | None) -> Iterator[np.ndarray]:
    """Draw the frames of one clip, decoding the still first (an unreadable still raises `ImageProblem` here)."""
    from .. import depth, images, media, motion  # numpy and friends: only when something is drawn

    # Decode with headroom for the push-in (or the parallax margin), so the closest frame is still sharp.
    source = images.load(request.image, math.ceil(request.width * motion.ZOOM_NEAR * 1.1))
    size = (request.width, request.height)
    count = max(2, round(request.duration * request.fps))
    if motion_kind == "parallax" or (motion_kind == "auto" and depth.is_photograph(source)):
        depth_map = _depth_model(model)(source) if model is not None else depth.estimate(source)
        frames = motion.parallax_frames(source, depth_map, size, count, request.take)  # an orbit: seamless
        del source, depth_map  # the drawing keeps what it needs, reduced: the still is let go before it starts
        yield from frames
        return
    # auto and pingpong: a periodic path, seamless by construction. none: a single push. crossfade: a push with
    # extra frames, the last blended into the first.
    if request.loop == "crossfade":
        frames = motion.kenburns_frames(source, size, count + media.crossfade_frames(request.fps), False, request.take)
        del source
        yield from media.close_loop(frames, "crossfade", request.fps)
        return
    frames = motion.kenburns_frames(source, size, count, request.loop in ("auto", "pingpong"), request.take)
    del source
    yield from frames


@functools.cache
def _depth_model(path: str):
    """The depth model, loaded once per worker process."""
    from ..depth import OnnxDepth

    return OnnxDepth(Path(path))
