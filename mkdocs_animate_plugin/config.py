"""The plugin's options, declared and validated the MkDocs way, and the plain settings built from them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from . import outputs
from .providers import provider_names

SELECTS = ("auto", "all", "opt-in")
LOOPS = ("auto", "crossfade", "pingpong", "none")
MOTIONS = ("auto", "kenburns", "parallax")
API_KEY_ENV = "AIMLAPI_API_KEY"

DEFAULT_INSTRUCTIONS = (
    "You write motion prompts for an image-to-video model that animates illustrations in a children's "
    "encyclopedia. Look at the image and the text around it and describe, in one or two plain sentences, a "
    "gentle, calm five-second scene: small natural movements of the subject and its surroundings (breathing, "
    "blinking, leaves swaying, water rippling, steam rising), a slow steady camera, nothing frightening, no new "
    "objects, no text, no cuts. Answer with the prompt only, no preamble."
)


class Number(c.Type):
    """A whole (or real) number with a lower bound, refusing booleans, which Python counts as ints."""

    def __init__(
        self, kind: type | tuple[type, ...], default: object, minimum: float, maximum: float | None = None
    ) -> None:
        super().__init__(kind, default=default)
        self.minimum = minimum
        self.maximum = maximum

    def run_validation(self, value: object) -> object:
        if isinstance(value, bool):
            raise base.ValidationError(f"Expected a number but received: {value!r}")
        value = super().run_validation(value)
        if value < self.minimum:  # type: ignore[operator]
            raise base.ValidationError(f"Expected a number of at least {self.minimum} but received: {value!r}")
        if self.maximum is not None and value > self.maximum:  # type: ignore[operator]
            raise base.ValidationError(f"Expected a number of at most {self.maximum} but received: {value!r}")
        return value


class Width(Number):
    """`auto` (as wide as the still is shown, at most `MAX_AUTO_WIDTH`) or a number of pixels."""

    def __init__(self) -> None:
        super().__init__(int, default="auto", minimum=16)

    def run_validation(self, value: object) -> object:
        if value == "auto":
            return value
        try:
            return super().run_validation(value)
        except base.ValidationError:
            raise base.ValidationError(f"Expected 'auto' or a number of pixels of at least 16 but received: {value!r}")


class ProviderName(c.Type):
    """`auto`, a built-in provider, or any name registered under the `mkdocs_animate.providers` entry points."""

    def __init__(self) -> None:
        super().__init__(str, default="auto")

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        names = ("auto", *provider_names())
        if value not in names:
            raise base.ValidationError(f"Expected one of: {names} but received: {value!r}")
        return value


class AnimateConfig(base.Config):
    enabled = c.Type(bool, default=True)
    provider = ProviderName()
    api_key = c.Optional(c.Type(str))
    base_url = c.Type(str, default="https://api.aimlapi.com")
    prompt_model = c.Type(str, default="gpt-4o")
    video_model = c.Type(str, default="kling-video/v1.6/pro/image-to-video")
    duration = Number(int, default=5, minimum=1, maximum=30)
    min_width = Number(int, default=300, minimum=0)
    min_height = Number(int, default=200, minimum=0)
    select = c.Choice(SELECTS, default="auto")
    output = c.Choice(outputs.NAMES, default="video")
    width = Width()
    fps = Number(int, default=12, minimum=1, maximum=60)
    loop = c.Choice(LOOPS, default="auto")
    local_motion = c.Choice(MOTIONS, default="auto")
    depth_model = c.Optional(c.File(exists=True))
    concurrency = Number(int, default=4, minimum=1)
    max_new = Number(int, default=20, minimum=0)
    offline = c.Type(bool, default=False)
    serve = c.Choice(("cache", "generate"), default="cache")
    timeout = Number((int, float), default=900, minimum=1)
    cache_dir = c.Type(str, default=".cache/plugin/animate")
    cost_per_clip = Number((int, float), default=0.49, minimum=0)
    instructions = c.Type(str, default=DEFAULT_INSTRUCTIONS)
    include = c.ListOfItems(c.Type(str), default=[])
    exclude = c.ListOfItems(c.Type(str), default=[])


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline needs, resolved: no MkDocs object travels below the plugin and the command."""

    provider: str
    base_url: str
    prompt_model: str
    video_model: str
    duration: int
    min_width: int
    min_height: int
    select: str
    output: str
    width: int | str  # "auto" or pixels
    fps: int
    loop: str
    local_motion: str
    depth_model: Path | None
    concurrency: int
    max_new: int
    offline: bool
    timeout: float
    cache_dir: Path
    cost_per_clip: float
    instructions: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # The key is kept out of repr() so that no log line or traceback can show it.
    api_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, config: AnimateConfig, config_file: str | os.PathLike | None) -> Settings:
        """Resolve `auto`, the key and `cache_dir` (against the folder of mkdocs.yml, as MkDocs does)."""
        root = Path(config_file).resolve().parent if config_file else Path.cwd()
        api_key = config.api_key or os.environ.get(API_KEY_ENV) or None
        provider = config.provider
        if provider == "auto":
            provider = "aimlapi" if api_key and "aimlapi" in provider_names() else "local"
        return cls(
            provider=provider,
            base_url=config.base_url.rstrip("/"),
            prompt_model=config.prompt_model,
            video_model=config.video_model,
            duration=config.duration,
            min_width=config.min_width,
            min_height=config.min_height,
            select=config.select,
            output=config.output,
            width=config.width,
            fps=config.fps,
            loop=config.loop,
            local_motion=config.local_motion,
            depth_model=Path(config.depth_model) if config.depth_model else None,
            concurrency=config.concurrency,
            max_new=config.max_new,
            offline=config.offline,
            timeout=float(config.timeout),
            cache_dir=root / config.cache_dir,
            cost_per_clip=float(config.cost_per_clip),
            instructions=config.instructions,
            include=tuple(config.include),
            exclude=tuple(config.exclude),
            api_key=api_key,
        )
