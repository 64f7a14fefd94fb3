"""Still images: their real size from the header, a safe reduced decode, and their content hash.

Pillow reads only the header on `Image.open`, so discovery costs next to nothing on a warm build; pixels are decoded
only for images that have no cached animation yet, and then reduced as early as the format allows.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import ImageProblem

# Formats the plugin animates; anything else Pillow happens to read (ICO, PSD, ...) is left still.
FORMATS = {"PNG", "JPEG", "MPO", "WEBP", "GIF", "TIFF", "BMP"}
# EXIF orientations 5 to 8 turn the picture a quarter: browsers show it with width and height swapped.
_QUARTER_TURNS = {5, 6, 7, 8}
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class StillInfo:
    """A still image as a browser shows it: size after EXIF orientation, and its format."""

    width: int
    height: int
    format: str
    moving: bool = False  # a multi-frame GIF, WebP or APNG: it has its own animation


def _describe_unknown(path: Path) -> str:
    """Say what a file is when Pillow cannot read it, for the warning (HEIC saved as .jpg is common)."""
    head = path.read_bytes()[:64] if path.stat().st_size else b""
    if not head:
        return "the file is empty"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif", b"avif"):
        brand = head[8:12].decode()
        kind = "AVIF" if brand == "avif" else "HEIC/HEIF"
        return f"the file is {kind}, not {path.suffix or 'an image'}: save it as JPEG or PNG"
    if head.lstrip()[:1] == b"<":
        return "the file is text (HTML or XML), not an image"
    return "Pillow cannot identify this file as an image"


def probe(path: Path) -> StillInfo:
    """Read the size from the header only, refusing what cannot or must not be decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                fmt = im.format or "?"
                orientation = (
                    im.getexif().get(_ORIENTATION_TAG, 1) if fmt in ("JPEG", "MPO", "WEBP", "TIFF", "PNG") else 1
                )
                # A second frame is what makes an image move (Pillow reads APNG's and WebP's frame count from
                # the header; a GIF is read up to its second frame).
                moving = fmt in ("GIF", "PNG", "WEBP") and bool(getattr(im, "is_animated", False))
    except FileNotFoundError:
        raise ImageProblem("the file does not exist") from None
    except UnidentifiedImageError:
        raise ImageProblem(_describe_unknown(path)) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(
            f"the image is too large to decode safely (over Pillow's limit of {Image.MAX_IMAGE_PIXELS} pixels)"
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(f"the file cannot be read: {error}") from None
    if fmt not in FORMATS:
        raise ImageProblem(f"{fmt} images are not animated (PNG, JPEG, WebP, GIF, TIFF and BMP are)")
    if width * height > (Image.MAX_IMAGE_PIXELS or 0) > 0:
        raise ImageProblem(
            f"the image is too large to decode safely ({width}x{height} px, over Pillow's limit of "
            f"{Image.MAX_IMAGE_PIXELS} pixels)"
        )
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return StillInfo(width, height, fmt, moving)


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The picture in sRGB, as a browser shows it: a still with another embedded profile (a camera's Adobe RGB, a
    phone's Display P3) is drawn colour-managed, while a clip carries no profile and is shown as sRGB, so its colours
    are converted here, or the animation would appear beside the still with a visible change of colour. A profile
    that cannot be read leaves the pixels as they are, as a browser does."""
    from PIL import ImageCms

    if not icc or image.mode != "RGB":
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).lower().replace(" ", ""):
            return image
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image


def load(path: Path, max_width: int) -> Image.Image:
    """Decode to RGB no wider than `max_width`, reduced while decoding where the format allows (JPEG draft).

    A GIF gives its first frame; transparency is laid on white, as most pages are; EXIF orientation is applied
    as browsers apply it.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                orientation = im.getexif().get(_ORIENTATION_TAG, 1)
                # `max_width` is the width shown, after the EXIF turn: a turned file's own height.
                shown_width = im.height if orientation in _QUARTER_TURNS else im.width
                if shown_width > max_width:
                    # JPEG decodes at 1/2, 1/4 or 1/8 scale directly: never the full 4000x3000 frame.
                    scale = max_width / shown_width
                    im.draft("RGB", (max(1, round(im.width * scale)), max(1, round(im.height * scale))))
                im.seek(0)
                im.load()
                icc = im.info.get("icc_profile")
                # Only a copy that changes something: each is a whole frame, and a 4032x3024 photo decodes at
                # 2016x1512 even for a 1280 px clip (a worker's memory is mostly its largest moment, here).
                if orientation != 1:
                    im = ImageOps.exif_transpose(im)
                if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                    rgba = im.convert("RGBA")
                    im = Image.new("RGB", rgba.size, (255, 255, 255))
                    im.paste(rgba, mask=rgba.getchannel("A"))
                elif im.mode.startswith("I;16") or im.mode == "I":
                    im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")
                elif im.mode != "RGB":
                    im = im.convert("RGB")
                # Reduced once its mode is RGB (Pillow reduces no palette image).
                factor = im.width // max_width
                if factor >= 2:
                    im = im.reduce(factor)
                im = _in_srgb(im, icc)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageProblem(f"the image cannot be decoded: {error}") from None
    if im.width > max_width:
        im = im.resize((max_width, max(1, round(im.height * max_width / im.width))), Image.Resampling.LANCZOS)
    return im
