"""What crosses the wire: the still sent as a data URL the models accept, the clip got back probed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import MediaError, ProviderError

if TYPE_CHECKING:
    from ...video import media


def probe_clip(path: Path) -> media.MediaInfo:
    """A clip is usable when all of it decodes as video with some frames; its codec and pixel format are the
    model's business (the animation is encoded afresh)."""
    from ...video import media

    info = media.probe(path)
    if info.frames < 2 or not info.fps:
        raise MediaError(f"{path.name} has {info.frames} frame(s)")
    return info


def data_url(path: Path, max_side: int, min_side: int, max_aspect: float | None = 2.5) -> str:
    """The image as a JPEG data URL the model accepts: no side over `max_side`, none under `min_side`, an aspect
    ratio within `max_aspect` (None: any)."""
    import base64
    import io

    from ...video import picture

    image = picture.load(path, max_side)
    if image.height > max_side:
        image = image.resize((max(1, round(image.width * max_side / image.height)), max_side))
    aspect = image.width / image.height
    if max_aspect and (aspect > max_aspect or aspect < 1 / max_aspect):
        raise ProviderError(
            f"the image's aspect ratio {image.width}:{image.height} is beyond what the model takes "
            f"(1:{max_aspect:g} to {max_aspect:g}:1)"
        )
    if min_side and min(image.size) < min_side:
        # The model refuses small images; a larger copy is sent, and the animation keeps the still's own size.
        scale = min_side / min(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
