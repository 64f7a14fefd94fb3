"""The offline animator: no network, no key, deterministic. What every user sees first, and what CI builds.

Two motions (`local_motion`): a Ken Burns push toward the subject, and a 2.5D parallax, a small camera orbit over
a depth map. `auto` gives photographs the parallax and flat artwork (few colours, large flat areas) Ken Burns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..base import AnimationRequest, Clip, Provider

# Bump when the drawing changes, so that cached animations made by an older drawing are made again.
# 5: the first frame is the still, edges kept within 3%, detail given back after resampling; B-frame pyramid again
# 6: a large still's detail measured as shown at the clip's size; CRF 24 on the largest frames; 7: a gentler orbit
# 8: a still with an embedded colour profile drawn in sRGB, as a browser shows it; 9: x264's psy-rd on the large
# frames (subme 6 and 7, x264.py), which kept their detail too little; 10: a photo turned by EXIF (a phone's
# portrait) decoded as wide as it is shown, not drawn from a copy up to half too small
VERSION = 10


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
            from ... import disk
            from .depth import OnnxDepth

            model = Path(self.options.depth_model)
            self.depth_model = OnnxDepth(model)  # a clear error now if onnxruntime is missing
            self._model_hash = disk.sha256(model)

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": VERSION, "motion": self.options.local_motion, "depth": self._model_hash}

    @property
    def default_concurrency(self) -> int:
        """Without a `concurrency` option, one clip is drawn per core."""
        from ...build.workers import cores

        return cores()

    async def animate(self, request: AnimationRequest) -> Clip:
        # Nothing is decoded or drawn here: the clip is a recipe, drawn where it is encoded (a worker process, one
        # per core), so that no still waits in memory for its turn and every core draws.
        return draw(request, self.options.local_motion, self.depth_model)


def draw(request: AnimationRequest, motion_kind: str = "auto", depth_model=None) -> Clip:
    """The clip for one request: its frames are a recipe (`media.Frames`), drawn lazily as the encoder takes them.
    Its loop is closed by the drawing itself (a periodic path, or the crossfade drawn in), so every clip has
    `duration * fps` frames."""
    from ...video import media
    from . import drawing

    count = max(2, round(request.duration * request.fps))
    model = str(depth_model.path) if depth_model is not None else None
    # Plain values only: a worker process unpickles them without importing MkDocs or the providers.
    args = (request.image, (request.width, request.height), count, request.fps, request.loop, request.take)
    frames = media.Frames(drawing.frames, (*args, motion_kind, model), count)
    return Clip(fps=request.fps, frames=frames, count=count, loop_closed=True)
