"""The plugin's options, each declared once and validated the MkDocs way, and the settings a build reads them from.

    AnimateConfig   the plugin's own options, then the built-in providers' (declared by each provider, in its
                    `options`, and named here, flat beside the plugin's own, as they always were)
    load            loads and validates them, with a third-party provider's own options, which sit under its
                    name (`provider: fade` with `fade: {strength: 0.3}`), validated against its `Config`
    Settings        the validated options, read by name, with what a build resolves: the provider `auto` picks,
                    the key from the environment, `cache_dir` against the folder of mkdocs.yml

This module reads the providers' declarations; no provider imports it. Only MkDocs' public config API is used:
options are class attributes, read back with `options_of`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .providers.aimlapi import AimlapiOptions
from .providers.local import LocalOptions
from .video import outputs

if TYPE_CHECKING:
    from .selection.styles import SiteStyles

SELECTS = ("auto", "all", "opt-in")
LOOPS = ("auto", "crossfade", "pingpong", "none")


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
    """`auto` (as wide as the still is shown on a 2x screen, at most `MAX_AUTO_WIDTH`) or a number of pixels."""

    def __init__(self) -> None:
        super().__init__(int, default="auto", minimum=16)

    def run_validation(self, value: object) -> object:
        if value == "auto":
            return value
        try:
            return super().run_validation(value)
        except base.ValidationError:
            raise base.ValidationError(f"Expected 'auto' or a number of pixels of at least 16 but received: {value!r}")


class VideoCodecs(c.BaseConfigOption):
    """The codecs of a video's `<source>`s, best first: `av1` (smaller, for browsers that decode it), and `h264`,
    which every browser plays, always last. A comma-separated string (`--video-codecs av1,h264`) is read as the
    list."""

    def __init__(self) -> None:
        super().__init__()
        self.default = ["h264"]

    def run_validation(self, value: object) -> list[str]:
        given = value
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",")]
        names = tuple(outputs.VIDEO_CODECS)
        if (
            not isinstance(value, list)
            or not all(isinstance(item, str) and item in names for item in value)
            or len(set(value)) != len(value)
            or value[-1:] != ["h264"]
        ):
            raise base.ValidationError(
                f"Expected a list of {names}, each once, best first and 'h264' last (every browser plays it), "
                f"e.g. [av1, h264], but received: {given!r}"
            )
        return value


class ProviderName(c.Type):
    """`auto`, a built-in provider, or any name registered under the `mkdocs_animate.providers` entry points."""

    def __init__(self) -> None:
        super().__init__(str, default="auto")

    def run_validation(self, value: object) -> str:
        from .providers import provider_names  # here: the registry reads the installed entry points

        value = super().run_validation(value)
        names = ("auto", *provider_names())
        if value not in names:
            raise base.ValidationError(f"Expected one of: {names} but received: {value!r}")
        return value


class CacheUrl(c.Type):
    """`s3://bucket/prefix`: the shared second level of the cache; boto3 (the `s3` extra) must be installed."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        import importlib.util

        from .cache.shared import INSTALL, parse_url

        value = super().run_validation(value)
        try:
            parse_url(value)
        except ValueError as error:
            raise base.ValidationError(str(error)) from None
        if importlib.util.find_spec("boto3") is None:
            raise base.ValidationError(f"An s3:// cache needs boto3, which is not installed: {INSTALL}")
        return value


class AnimateConfig(base.Config):
    enabled = c.Type(bool, default=True)
    provider = ProviderName()
    duration = Number(int, default=5, minimum=1, maximum=30)
    min_width = Number(int, default=300, minimum=0)
    min_height = Number(int, default=200, minimum=0)
    select = c.Choice(SELECTS, default="auto")
    output = c.Choice(outputs.NAMES, default="video")
    video_codecs = VideoCodecs()
    width = Width()
    fps = Number(int, default=12, minimum=1, maximum=60)
    loop = c.Choice(LOOPS, default="auto")
    # Unset: the provider's own default (the local animator: one per core; a provider that declares none: 4).
    concurrency = c.Optional(Number(int, default=None, minimum=1))
    max_new = Number(int, default=20, minimum=0)
    offline = c.Type(bool, default=False)
    serve = c.Choice(("cache", "generate"), default="cache")
    timeout = Number((int, float), default=3600, minimum=1)
    cache_dir = c.Type(str, default=".cache/plugin/animate")
    cache_url = c.Optional(CacheUrl())  # a second level shared by every machine: s3://bucket/prefix (cache/shared.py)
    cost_per_clip = Number((int, float), default=0.49, minimum=0)
    include = c.ListOfItems(c.Type(str), default=[])
    exclude = c.ListOfItems(c.Type(str), default=[])
    # An editor's site-wide exceptions: images (globs of paths relative to docs_dir) and classes never animated.
    exclude_images = c.ListOfItems(c.Type(str), default=[])
    exclude_classes = c.ListOfItems(c.Type(str), default=[])
    # `approved`: only the animations approved in `review_file` reach the site (see review/decisions.py).
    publish = c.Choice(("all", "approved"), default="all")
    review_file = c.Type(str, default="animate-review.yml")

    # The built-in providers' own options, flat beside the plugin's (as they always were): each is declared by its
    # provider and only named here.
    local_motion = LocalOptions.local_motion
    depth_model = LocalOptions.depth_model
    api_key = AimlapiOptions.api_key
    base_url = AimlapiOptions.base_url
    prompt_model = AimlapiOptions.prompt_model
    video_model = AimlapiOptions.video_model
    instructions = AimlapiOptions.instructions
    negative_prompt = AimlapiOptions.negative_prompt


def options_of(config_class: type[base.Config]) -> list[tuple[str, base.BaseConfigOption]]:
    """The options a `Config` class declares (its own and those it inherits), in the order they are written."""
    found: dict[str, base.BaseConfigOption] = {}
    for klass in reversed(config_class.__mro__):
        found.update((name, value) for name, value in vars(klass).items() if isinstance(value, base.BaseConfigOption))
    return list(found.items())


def load(config: AnimateConfig, options: dict[str, Any]) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
    """Load and validate the plugin's options into `config`, as MkDocs does, and a third-party provider's own
    options (under its name) against the `Config` that provider declares (`Provider.options`)."""
    options = dict(options)
    name = options.get("provider")
    declared = _third_party_options(name) if isinstance(name, str) else None
    section = options.pop(name, None) if declared is not None else None
    config.load_dict(options)
    failed, warnings = config.validate()
    if declared is None or failed:
        return failed, warnings
    try:
        config[name] = declared.validate(section or {})
        warnings.extend((name, message) for message in declared.warnings)
    except base.ValidationError as error:
        failed.append((name, error))
    finally:
        declared.reset_warnings()
    return failed, warnings


def _third_party_options(name: str) -> c.SubConfig | None:
    """The sub-config of the options a provider that is not built in declares, if it declares any."""
    from .providers import BUILTIN, provider_class, provider_names

    if name in BUILTIN or name not in provider_names():
        return None
    declared = provider_class(name).options
    return c.SubConfig(declared) if declared is not None else None


class Settings:
    """The validated options of one build, read by name (`settings.fps`, `settings.video_model`), with what the
    build resolves: the provider `auto` picks, the key from the environment, and `cache_dir` against the folder of
    mkdocs.yml (as MkDocs resolves its own paths). No MkDocs object travels below the plugin and the command but
    the validated options themselves."""

    def __init__(
        self,
        config: base.Config,
        *,
        provider: str,
        api_key: str | None,
        cache_dir: Path,
        provider_options: Any,
        review_file: Path | None = None,
        docs_dir: Path | None = None,
        styles: SiteStyles | None = None,
    ) -> None:
        self._config = config
        self.provider = provider
        self.api_key = api_key
        self.cache_dir = cache_dir
        self.review_file = review_file  # resolved against the folder of mkdocs.yml, like `cache_dir`
        self.docs_dir = docs_dir  # what `exclude_images` is relative to (None: the folder the pages' images are in)
        self.styles = styles  # the site's stylesheets' sizing rules (styles.py), where the build can read them
        # The chosen provider's own options: the flat ones for a built-in provider, its sub-config for another.
        self.provider_options = provider_options

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._config[name]
        except KeyError:
            raise AttributeError(f"no option named {name!r}") from None

    def __repr__(self) -> str:
        # The key is left out, so that no log line or traceback can show it.
        return f"Settings(provider={self.provider!r}, cache_dir={self.cache_dir!r})"

    @classmethod
    def from_config(
        cls,
        config: AnimateConfig,
        config_file: str | os.PathLike | None,
        docs_dir: str | None = None,
        styles: SiteStyles | None = None,
    ) -> Settings:
        """Resolve `auto`, the key, `cache_dir` and `review_file` (against the folder of mkdocs.yml, as MkDocs does)."""
        from .providers import BUILTIN, auto_provider
        from .providers.aimlapi import KEY_ENV

        root = Path(config_file).resolve().parent if config_file else Path.cwd()
        api_key = config.api_key or os.environ.get(KEY_ENV) or None
        provider = auto_provider(api_key) if config.provider == "auto" else config.provider
        options = config if provider in BUILTIN else config.get(provider)
        return cls(
            config,
            provider=provider,
            api_key=api_key,
            cache_dir=root / config.cache_dir,
            provider_options=options,
            review_file=root / config.review_file,
            docs_dir=Path(docs_dir) if docs_dir else None,
            styles=styles,
        )
