"""What a provider is given and what it gives back.

A provider's one job: make a clip from a still image. It knows nothing of HTML, pages or the cache's layout;
the pipeline closes the loop (where the provider did not), encodes the web animation and caches it.

    class MyOptions(Config):             # the options it adds, validated by MkDocs: in mkdocs.yml under
        strength = c.Type(float, default=0.5)   # the provider's name (`mine: {strength: 0.3}`)

    class MyProvider(Provider):
        name = "mine"
        paid = True                      # counts against max_new and the cost estimate
        options = MyOptions

        def __init__(self, settings, cache): ...   # cache: a `cache.ProviderCache`, this provider's corner
        def identity(self) -> dict:      # what, beside the request, changes the clip (models, version)
            return {"name": self.name, "version": 1, "strength": self.options.strength}
        def paid_key(self, request) -> str | None:   # paid providers: the key a request is paid under
            ...
        async def animate(self, request) -> Clip:
            ...                          # return Clip(path=downloaded_mp4, fps=24) or Clip(frames=..., ...)
        async def aclose(self) -> None: ...

This module imports nothing of the package's configuration: `config` reads the providers' option declarations,
never the other way round.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import numpy as np
    from mkdocs.config.base import Config

    from ..cache import ProviderCache


@dataclass(frozen=True)
class AnimationRequest:
    """One still image to animate, with the settings that apply to it."""

    image: Path
    image_sha256: str
    image_width: int  # the still's real size, as a browser shows it
    image_height: int
    width: int  # the animation's size: at most `width` wide, even sides, never upscaled
    height: int
    fps: int  # the rate a provider that draws its own frames should draw at
    duration: int
    loop: str
    output: str
    take: int = 1
    prompt: str | None = None  # data-animate-prompt: no vision model call
    # data-animate: the image is animated whatever a provider's judgement of it (see `errors.NotSuited`).
    opted_in: bool = False
    context: str = field(default="", compare=False)  # alt, caption, nearby text: a hint for the vision model


@dataclass
class Clip:
    """A provider's result: either frames it drew (uint8 of the request's size: RGB, `(height, width, 3)`, or I420 as
    `yuv` lays it out) or a video file it fetched."""

    fps: float
    frames: Iterator[np.ndarray] | None = None
    count: int = 0
    path: Path | None = None
    # True when the motion already loops (a periodic camera path, or the model's end frame): nothing to close.
    loop_closed: bool = False
    # US dollars a clip paid for in this build cost, on the first clip made from it only; `cost_reported`: the
    # provider said so (else it is the provider's estimate).
    cost: float | None = None
    cost_reported: bool = False


class Provider(ABC):
    """The provider interface: `animate` plus `aclose`, an async context manager."""

    name: str = "?"
    paid: bool = False
    # The options the provider adds, as a MkDocs `Config` subclass. A third-party provider's are written under its
    # name in mkdocs.yml; the built-in providers' sit beside the plugin's own, as they always have.
    options: ClassVar[type[Config] | None] = None
    submitted: int = 0  # new paid generations started in this build, for the cost in the summary
    default_concurrency: int = 4  # generations in flight at once where the `concurrency` option is not set

    def __init__(self, settings: Any, cache: ProviderCache) -> None:
        # settings: `config.Settings`, every option by name (the provider's own too); `self.options`: only its own.
        self.settings = settings
        self.options = settings.provider_options
        self.cache = cache

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """Everything besides the request that changes the result; it enters the cache key."""

    def ready(self) -> None:
        """Raise `AnimateError` if the provider cannot make anything (a missing key); only checked when the
        build may generate, so that an offline build needs no key."""

    def paid_key(self, request: AnimationRequest) -> str | None:
        """For a paid provider: the key under which `request` is paid (the same request, the same key: it is
        paid once). Free providers: None."""
        return None

    def estimate(self) -> float | None:
        """US dollars a new paid clip is expected to cost, where the provider knows better than the
        `cost_per_clip` option (None: it does not)."""
        return None

    def written_prompt(self, image_sha256: str) -> str | None:
        """The prompt a vision model wrote for the image, where the provider asks one (shown in the review
        gallery); None for providers that write none."""
        return None

    def needs_payment(self, request: AnimationRequest) -> str | None:
        """The key of the paid generation `request` would start, or None when it costs nothing (a free
        provider, a clip kept from an earlier build, or one already paid for or being paid for: claimed)."""
        key = self.paid_key(request)
        if key is None or self.cache.is_kept(key) or self.cache.claimed(key) is not None:
            return None
        return key

    @abstractmethod
    async def animate(self, request: AnimationRequest) -> Clip:
        """Make the clip, raising `ProviderError` (or another `AnimateError`) when it cannot."""

    async def aclose(self) -> None:
        """Release connections; called once when the build ends."""

    async def __aenter__(self) -> Provider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
