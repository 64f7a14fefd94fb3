"""From an image of a page to the animation it gets: its file, the editor's rules, and the key of its animation.

The key is the sha256 of everything that changes the animation (the image's bytes, the provider and its
settings, the size and the output), never of paths, dates or names: a cache moves between machines as it is.
The clip id hashes only what makes the clip (not `output`, `width` or `fps`, which only encode it): a review
decision belongs to it (review/decisions.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import make_key
from ..config import Settings
from ..errors import ImageProblem, MissingImage
from ..providers.base import AnimationRequest
from ..selection import discover, rules
from ..selection.discover import Candidate
from ..selection.rules import LeftStill
from ..selection.stills import Still, Stills, even_size
from ..video.outputs import OUTPUTS

if TYPE_CHECKING:
    from ..review.decisions import Review

VIDEO_FPS = 24  # the rate the local animator draws video at; remote clips keep their own
CACHE_FORMAT = 1  # part of every key: bump when the way animations are made changes for every provider
# The settings that change what a build does with a page, beside the provider: part of the key of a page's record.
PLANNING_SETTINGS = (
    "width", "output", "video_codecs", "fps", "duration", "loop", "select", "min_width", "min_height",
    "exclude_images", "exclude_classes",
)  # fmt: skip

Resolver = Callable[[str], "str | os.PathLike[str] | None"]  # a page's image URL -> its file, if in the site


@dataclass(frozen=True)
class Job:
    """An image to animate: its file, what the file is, and the key of its animation."""

    key: str
    path: str
    still: Still
    request: Callable[[], AnimationRequest]  # built only for an image to be made or planned
    clip: str = ""  # what review decisions belong to: the key without the encoding (output, size, fps)
    take: int = 1  # the take asked of the provider: the page's, plus the retakes the review file asks for
    page_take: int = 1  # the page's own (data-animate-take)
    # A video's other sources (`video_codecs`), best first: (codec, key) of each file encoded from the same frames
    # as the H.264 one, which `key` names and which comes last.
    sources: tuple[tuple[str, str], ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """The keys of every file its animation is made of: its own, then its other sources'."""
        return (self.key, *(key for _, key in self.sources))


def source_key(key: str, codec: str) -> str:
    """The key of a video's source in another codec than H.264: made from the same frames, so named after it."""
    return make_key({"video": key, "codec": codec})


@dataclass
class Jobs:
    """Turns a page's images into jobs, with one build's settings and provider."""

    settings: Settings
    identity: dict
    stills: Stills
    review: Review | None = None  # its retakes move an image's take on
    images_root: Path | None = None  # what `exclude_images` globs are relative to (docs_dir in a build)

    def fingerprint(self) -> str:
        """Whatever, beside a page's text, decides what planning does with the page."""
        settings = self.settings
        retakes = self.review.identity() if self.review else None
        return make_key(
            {
                "format": CACHE_FORMAT,
                "discover": discover.VERSION,
                "select": rules.VERSION,
                "provider": self.identity,
                **{name: getattr(settings, name) for name in PLANNING_SETTINGS},
                **({"retakes": retakes} if retakes else {}),
                **({"styles": settings.styles.fingerprint} if settings.styles else {}),
            }
        )

    def look(self, candidate: Candidate, resolve: Resolver) -> Job | LeftStill:
        settings = self.settings
        src = candidate.src
        decision = rules.by_markup(src, candidate.opted_in, candidate.opted_out, candidate.in_link, settings.select)
        if decision:
            return decision
        found = resolve(src)
        path = os.fspath(found) if found else None
        if not candidate.opted_in:
            decision = rules.excluded(
                self._name(path), candidate.classes, settings.exclude_images, settings.exclude_classes
            )
            if decision:
                return decision
        still = self.stills.get(path) if path else MissingImage("no such file in the site")
        if isinstance(still, ImageProblem):
            return LeftStill(still.reason, str(still), warn=True)
        decision = rules.by_format(still.format, candidate.opted_in)
        if decision:
            return decision
        try:
            decision = rules.by_picture(
                candidate.tag.attrs,
                (still.width, still.height),
                still.moving,
                candidate.opted_in,
                settings.select,
                (settings.min_width, settings.min_height),
                lambda: astuple(self.stills.kind(path, still)),
                candidate.styled,
            )
        except ImageProblem as problem:
            return LeftStill(problem.reason, str(problem), warn=True)
        return decision or self._job(candidate, path, still)

    def _name(self, path: str | None) -> str | None:
        """An image's path as `exclude_images` names it: relative to `images_root`, with `/`."""
        if path is None or not (self.settings.exclude_images and self.images_root):
            return None
        return Path(os.path.relpath(path, self.images_root)).as_posix()

    def _job(self, candidate: Candidate, path: str, still: Still) -> Job:
        settings = self.settings
        output = candidate.output or settings.output
        size = (still.width, still.height)
        clip_width = rules.clip_width(settings.width, candidate.tag.attrs, size, candidate.styled)
        width, height = even_size(still.width, still.height, clip_width)
        own_rate = OUTPUTS[output].clip_rate
        fps = VIDEO_FPS if own_rate else settings.fps
        take = candidate.take + (self.review.offset(path) if self.review else 0)
        made = {
            "image": still.sha256,
            "provider": self.identity,
            "prompt": candidate.prompt,
            "duration": settings.duration,
            "loop": settings.loop,
            "take": take,
        }
        key = make_key(
            {
                "format": CACHE_FORMAT,
                **made,
                "output": output,
                "size": [width, height],
                "fps": None if own_rate else fps,
            }
        )

        def request() -> AnimationRequest:
            """Its context is read from the page only now: a build that finds the animation cached never does."""
            return AnimationRequest(
                image=Path(path),
                image_sha256=still.sha256,
                image_width=still.width,
                image_height=still.height,
                width=width,
                height=height,
                fps=fps,
                duration=settings.duration,
                loop=settings.loop,
                output=output,
                take=take,
                prompt=candidate.prompt,
                opted_in=candidate.opted_in,
                context=candidate.context,
            )

        codecs = settings.video_codecs[:-1] if output == "video" else ()
        sources = tuple((codec, source_key(key, codec)) for codec in codecs)
        return Job(key, path, still, request, make_key(made), take, candidate.take, sources)
