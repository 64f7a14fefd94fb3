"""Providers turn a still image into a clip. Built-in ones and third-party ones register under one entry point
group, `mkdocs_animate.providers`, so `provider: NAME` finds them all the same way; each is imported only when used.

A provider declares the options it adds (`Provider.options`, a MkDocs `Config`). The built-in providers' modules
import nothing heavy at the top, so that their options can be read while MkDocs loads the configuration.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from ..errors import AnimateError

if TYPE_CHECKING:
    from .base import Provider

GROUP = "mkdocs_animate.providers"
# Built-ins are listed here too, so that a source checkout that is not installed still finds them.
BUILTIN = {
    "local": "mkdocs_animate_plugin.providers.local:LocalProvider",
    "aimlapi": "mkdocs_animate_plugin.providers.aimlapi:AimlapiProvider",
}


@functools.cache
def _registered() -> dict[str, str]:
    found = dict(BUILTIN)
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point.value)
    return found


def auto_provider(api_key: str | None) -> str:
    """What `provider: auto` means: the AI/ML API where a key is found, else the offline animator."""
    return "aimlapi" if api_key else "local"


def provider_names() -> tuple[str, ...]:
    """Every name `provider:` accepts besides `auto`."""
    return tuple(sorted(_registered()))


def provider_class(name: str) -> type[Provider]:
    """Import the provider registered as `name`; a broken third-party package is reported, not raised raw."""
    target = _registered().get(name)
    if target is None:
        raise AnimateError(f"no provider named {name!r} (known: {', '.join(provider_names())})")
    module_name, _, attr = target.partition(":")
    try:
        module = __import__(module_name, fromlist=[attr])
        return getattr(module, attr)
    except (ImportError, AttributeError) as error:
        raise AnimateError(f"the provider {name!r} ({target}) cannot be loaded: {error}") from None
