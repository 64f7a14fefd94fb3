"""Never worse than the still: a real build's clip of a real photo, beside the still, as a visitor sees both at the
size the page shows it, on a 1x and a 2x screen (tools/clip_measures.py, which benchmarks/sharpness.py prints)."""

from __future__ import annotations

import statistics

import lxml.html
import numpy as np
import pytest
from PIL import Image, ImageFilter

from tools import clip_measures as m

from .conftest import PHOTOS


def built_clip(site, motion: str, shown: str = "", size: tuple[int, int] = (320, 213), duration: int = 2):
    """Build a page showing a real photo (rocket.jpg, resized to `size`) with `local_motion: motion` at
    `width: auto`; the still's path and the clip's."""
    photo = Image.open(PHOTOS / "rocket.jpg").resize(size, Image.Resampling.LANCZOS)
    still = site.image("img/rocket.png" if size[0] <= 640 else "img/rocket.jpg", photo)  # a camera's as a JPEG
    site.configure(width="auto", duration=duration, local_motion=motion)
    site.page("index.md", f"![A rocket]({still.relative_to(site.docs).as_posix()}){{ data-animate {shown} }}")
    built = site.build()
    [src] = lxml.html.fromstring(built.html("index.html")).xpath("//img/@data-animate-src")
    return still, built.site / src


@pytest.mark.parametrize("motion", ["kenburns", "parallax"])
def test_the_clip_is_as_sharp_whole_and_steady_as_the_still(site, motion):
    still_path, clip = built_clip(site, motion)
    still, frames = m.still_luma(still_path), m.clip_luma(clip)
    assert len(frames) == 48
    for ratio in (1, 2):
        sharp = m.sharpness(frames, still, (still.width * ratio, still.height * ratio))
        assert min(sharp) >= 0.85, f"{ratio}x: the softest frame has {min(sharp):.2f} of the still's detail"
        assert statistics.median(sharp) >= 0.9, f"{ratio}x: the median frame {statistics.median(sharp):.2f}"
    first = m.first_frame_ssim(frames, still, still.size)
    assert first >= 0.97, f"the layer appears with a visible change (SSIM {first:.3f})"
    cut = max(m.edge_cuts(frames, still))
    assert cut <= 0.03, f"a frame leaves out {100 * cut:.1f}% of an edge"


def test_a_still_shown_smaller_than_its_file_gets_a_clip_for_a_2x_screen(site):
    still_path, clip = built_clip(site, "kenburns", "width=120")
    still, frames = m.still_luma(still_path), m.clip_luma(clip)
    assert frames[0].width == 240, "twice the shown width: the file has the pixels"
    sharp = m.sharpness(frames, still, (240, 160))  # as a 2x screen shows it
    assert min(sharp) >= 0.85 and statistics.median(sharp) >= 0.9


def test_a_camera_size_photo_keeps_its_detail_in_a_large_clip(site):
    """A 2560 px photo shown 640 CSS px wide gets a 1280 px clip, which x264 encodes with its fast presets: still
    as sharp as the still where the page shows it."""
    still_path, clip = built_clip(site, "kenburns", "width=640", size=(2560, 1704), duration=1)
    still, frames = m.still_luma(still_path), m.clip_luma(clip)
    assert frames[0].size == (1280, 852)
    for size in ((640, 426), (1280, 852)):
        sharp = m.sharpness(frames, still, size)
        assert min(sharp) >= 0.85, f"at {size}: the softest frame has {min(sharp):.2f} of the still's detail"
        assert statistics.median(sharp) >= 0.9, f"at {size}: the median frame {statistics.median(sharp):.2f}"


def test_the_measures_tell_a_worse_clip(tmp_path):
    """Each measure can fail: a softened, shifted, cropped or stuttering clip reads worse than the targets."""
    still = m.still_luma(PHOTOS / "rocket.jpg").resize((320, 213), Image.Resampling.LANCZOS)
    size = still.size
    soft = still.filter(ImageFilter.GaussianBlur(0.7))
    assert m.sharpness([soft], still, size)[0] < 0.85 and m.sharpness([still], still, size)[0] == 1
    shifted = still.transform(size, Image.Transform.AFFINE, (1, 0, 1.5, 0, 1, 0), Image.Resampling.BICUBIC)
    assert m.first_frame_ssim([shifted], still, size) < 0.97
    cropped = still.resize(size, Image.Resampling.BICUBIC, box=(16, 10, 320, 213))  # 5% of the left, of the top
    assert 0.04 <= max(m.edge_cuts([still, cropped], still)) <= 0.06
    assert max(m.edge_cuts([still], still)) <= 0.005
    # A steady pan, and the same pan with every fourth step twice as long
    pans = [still.resize(size, Image.Resampling.BICUBIC, box=(x, 0, 300 + x, 200)) for x in np.linspace(0, 20, 40)]
    assert m.judder(pans) <= 0.04
    doubled = [pans[i] for i in range(40) if i % 4 != 3]
    assert m.judder(doubled) > 0.04
