"""The offline animator: no network, no key, deterministic.

provider.py   `LocalProvider`, its options, and `draw` (one request -> its clip's frames)
motion.py     the camera: Ken Burns and the 2.5D parallax, drawn with sub-pixel precision
depth.py      depth for the parallax: from the picture itself, or an ONNX model
drawing.py    what a worker process runs: plain values in, frames out

The names below come from provider.py when first asked for, not when the package is imported: a worker process
imports drawing.py, and so this package, and must not load MkDocs with it (14 MB in each worker).
"""

from __future__ import annotations

from typing import Any

__all__ = ["VERSION", "LocalOptions", "LocalProvider", "draw"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import provider

    return getattr(provider, name)
