"""The offline animator: no network, no key, deterministic.

provider.py   `LocalProvider`, its options, and `draw` (one request -> its clip's frames)
motion.py     the camera: Ken Burns and the 2.5D parallax, drawn with sub-pixel precision
depth.py      depth for the parallax: from the picture itself, or an ONNX model
drawing.py    what a worker process runs: plain values in, frames out
"""

from .provider import VERSION, LocalOptions, LocalProvider, draw

__all__ = ["VERSION", "LocalOptions", "LocalProvider", "draw"]
