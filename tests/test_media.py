"""Real ffmpeg: what the encoder writes is what the probe says, loops close, and bad files are refused."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mkdocs_animate_plugin.errors import ImageProblem, MediaError
from mkdocs_animate_plugin.providers.local import motion
from mkdocs_animate_plugin.selection import stills
from mkdocs_animate_plugin.video import loops, media, yuv
from mkdocs_animate_plugin.video import picture as images
from mkdocs_animate_plugin.video.outputs import OUTPUTS
from tools import clip_measures

from .conftest import PHOTOS, rgb


def jump_and_steps(frames: list[np.ndarray]) -> tuple[float, float]:
    """The mean absolute difference at the loop point (last frame to first), and the median one inside the clip."""
    diff = [np.abs(frames[i + 1].astype(np.int16) - frames[i]).mean() for i in range(len(frames) - 1)]
    return float(np.abs(frames[0].astype(np.int16) - frames[-1]).mean()), float(np.median(diff))


@pytest.fixture(scope="module")
def rocket() -> Image.Image:
    return images.load(PHOTOS / "rocket.jpg", 200)


@pytest.mark.parametrize("output", ["video", "gif", "webp"])
def test_each_output_is_what_the_probe_says(tmp_path, rocket, output):
    frames = motion.kenburns_frames(rocket, (160, 106), 12, periodic=True)
    dest = tmp_path / f"out.{OUTPUTS[output].ext}"
    info = media.encode(frames, (160, 106), 12, output, dest)
    assert (info.codec, info.width, info.height, info.frames) == (OUTPUTS[output].codec, 160, 106, 12)
    assert not info.has_audio
    if output == "video":
        assert info.pix_fmt == "yuv420p"
        head = dest.read_bytes()
        assert head.index(b"moov") < head.index(b"mdat"), "+faststart puts the index first"
    if output == "gif":
        assert b"NETSCAPE2.0\x03\x01\x00\x00" in dest.read_bytes(), "loops forever"
    if output == "webp":
        with Image.open(dest) as im:
            assert im.is_animated and im.n_frames == 12 and im.info.get("loop") == 0


def test_same_frames_give_the_same_bytes(tmp_path, rocket):
    for name in ("a.mp4", "b.mp4"):
        media.encode(motion.kenburns_frames(rocket, (160, 106), 24, True), (160, 106), 24, "video", tmp_path / name)
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()


@pytest.mark.parametrize("loop", ["periodic", "crossfade", "pingpong"])
def test_loop_point_is_no_bigger_than_a_step(rocket, loop):
    count = 48
    if loop == "periodic":
        frames = list(motion.kenburns_frames(rocket, (160, 106), count, periodic=True))
    else:
        drawn = motion.kenburns_frames(rocket, (160, 106), count + loops.crossfade_frames(24), periodic=False)
        frames = list(loops.close_loop(drawn, loop, 24))
    jump, step = jump_and_steps(frames)
    assert step > 0.05, "the picture moves"
    assert jump <= 2.0 * step, (jump, step)
    # 'none' would jump: the measure can tell a seam from a loop.
    straight = list(motion.kenburns_frames(rocket, (160, 106), count, periodic=False))
    assert jump_and_steps(straight)[0] > 5 * jump_and_steps(straight)[1]


def test_motion_is_smooth_and_never_shows_a_border(rocket):
    frames = list(motion.kenburns_frames(rocket, (160, 106), 48, periodic=True))
    steps = [np.abs(frames[i + 1].astype(np.int16) - frames[i]).mean() for i in range(len(frames) - 1)]
    assert min(steps) > 0, "no repeated frames"
    # Smooth: each step close to the mean of its neighbours (no 0, 1, 0, 1 pixel judder), easing in and out of the
    # still at the loop point.
    lumas = [Image.fromarray(np.array(yuv.planes(frame, (160, 106))[0])) for frame in frames]
    assert clip_measures.judder(lumas) <= 0.05
    for frame in frames:
        luma = yuv.planes(frame, (160, 106))[0]
        edges = np.concatenate([luma[0], luma[-1], luma[:, 0], luma[:, -1]])
        assert edges.mean() > 30, "no black border (video black is 16)"


def test_sizes_are_even_and_never_upscaled():
    assert stills.even_size(451, 300, 640) == (450, 300)
    assert stills.even_size(640, 427, 640) == (640, 426)
    assert stills.even_size(4000, 3000, 640) == (640, 480)
    assert stills.even_size(101, 77, 640) == (100, 76)


def test_bad_files_are_refused(tmp_path, rocket):
    good = tmp_path / "good.mp4"
    media.encode(motion.kenburns_frames(rocket, (160, 106), 96, True), (160, 106), 24, "video", good)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    page = tmp_path / "page.mp4"
    page.write_bytes(b"<html><body>Access denied</body></html>")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for bad in (cut, page, empty, tmp_path / "missing.mp4"):
        with pytest.raises(MediaError):
            media.probe(bad)
    with pytest.raises(MediaError, match="expected gif"):
        media.check(media.probe(good), "gif")


def test_large_photo_is_decoded_reduced(tmp_path):
    big = tmp_path / "big.jpg"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (3000, 4000, 3), dtype=np.uint8)).save(big, quality=80)
    tracemalloc.start()
    image = images.load(big, 704)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert image.size == (704, 528)
    # A full decode is 36 MB of RGB; the JPEG draft decodes at 1/4 scale.
    assert peak < 12_000_000, peak
    assert images.probe(big) == images.StillInfo(4000, 3000, "JPEG")


def test_a_palette_still_at_a_quarter_of_its_size_decodes(tmp_path, rocket):
    """A GIF or an 8-bit PNG (palette images, which Pillow cannot reduce) shown at half its width or less."""
    for name in ("still.gif", "still-8bit.png"):
        rocket.convert("P").save(tmp_path / name)
        image = images.load(tmp_path / name, rocket.width // 4)
        assert (image.mode, image.width) == ("RGB", rocket.width // 4)


def test_a_still_with_a_colour_profile_is_drawn_as_the_browser_shows_it():
    """rocket.jpg carries Adobe RGB, which a browser applies; a clip carries no profile and is shown as sRGB, so the
    frames are drawn from the still converted to sRGB: the layer appears without a change of colour."""
    import io

    from PIL import ImageCms

    with Image.open(PHOTOS / "rocket.jpg") as still:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(still.info["icc_profile"]))
        raw = np.asarray(still.convert("RGB"), dtype=np.float64)
        shown = np.asarray(ImageCms.profileToProfile(still, profile, ImageCms.createProfile("sRGB")), dtype=np.float64)
    loaded = np.asarray(images.load(PHOTOS / "rocket.jpg", 640), dtype=np.float64)
    assert np.abs(loaded - shown).mean() < 0.5
    assert np.abs(loaded - raw).mean() > 3, "the profile changes what a visitor sees"


def test_exif_rotation_is_what_the_browser_shows(tmp_path):
    path = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (400, 300), (200, 100, 50)).save(path, exif=exif)
    assert images.probe(path) == images.StillInfo(300, 400, "JPEG")
    assert images.load(path, 640).size == (300, 400)


def test_a_turned_photo_is_decoded_as_wide_as_it_is_shown(tmp_path):
    """A phone's portrait: stored 1600x1200 and turned by EXIF, shown 1200x1600. Reduced while decoding for a
    400 px clip, it must still be 400 px wide as shown (not 300: the file's own height at a quarter scale)."""
    path = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (1600, 1200), (200, 100, 50)).save(path, exif=exif)
    assert images.load(path, 400).size == (400, 533)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16", "CMYK", "L", "1"])
def test_every_pixel_mode_becomes_rgb(tmp_path, mode):
    base = Image.new("RGB", (64, 48), (10, 200, 30))
    converted = base.convert(mode) if mode != "I;16" else Image.new("I;16", (64, 48), 30000)
    path = tmp_path / ("x.tiff" if mode in ("CMYK", "I;16") else "x.png")
    converted.save(path)
    image = images.load(path, 640)
    assert image.mode == "RGB" and image.size == (64, 48)


def test_gif_and_tiff_and_bmp_are_read(tmp_path, rocket):
    frames = [rocket.convert("P"), rocket.rotate(5).convert("P")]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:])
    rocket.save(tmp_path / "a.tiff")
    rocket.save(tmp_path / "a.bmp")
    for name, fmt in (("a.gif", "GIF"), ("a.tiff", "TIFF"), ("a.bmp", "BMP")):
        assert images.probe(tmp_path / name).format == fmt
        assert images.load(tmp_path / name, 640).size == rocket.size


def test_unsupported_format_is_named(tmp_path):
    Image.new("RGB", (32, 32)).save(tmp_path / "icon.ico")
    with pytest.raises(ImageProblem, match="ICO images are not animated"):
        images.probe(tmp_path / "icon.ico")


def test_another_take_is_another_motion(rocket):
    one, two = (list(motion.kenburns_frames(rocket, (160, 106), 24, True, take=t)) for t in (1, 2))
    again = list(motion.kenburns_frames(rocket, (160, 106), 24, True, take=1))
    assert all(np.array_equal(a, b) for a, b in zip(one, again)), "a take is deterministic"
    assert np.abs(one[6].astype(np.int16) - two[6]).mean() > 1, "take 2 moves differently"


def test_palette_gif_is_lighter_and_truer_than_a_plain_conversion(tmp_path, rocket):
    import subprocess

    frames = rgb(list(motion.kenburns_frames(rocket, (160, 106), 24, periodic=True)), (160, 106))
    ours = tmp_path / "ours.gif"
    media.encode(iter(frames), (160, 106), 12, "gif", ours)
    plain = tmp_path / "plain.gif"
    subprocess.run(
        [media.ffmpeg(), "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "160x106", "-r", "12",
         "-i", "-", str(plain)], input=b"".join(f.tobytes() for f in frames), check=True,
    )  # fmt: skip

    def error(path: Path) -> float:
        decoded = rgb(path, (160, 106))
        return float(np.mean([np.abs(a.astype(np.int16) - b).mean() for a, b in zip(decoded, frames)]))

    assert ours.stat().st_size <= plain.stat().st_size, (ours.stat().st_size, plain.stat().st_size)
    assert error(ours) < error(plain) / 2


def test_frames_drawn_in_i420_show_the_picture_a_player_shows(rocket):
    """The local animator draws in the encoder's own planes (BT.601, video range): converted back by ffmpeg, as a
    player converts them, a frame is the picture, colours and contrast included."""
    still = rocket.crop((0, 0, 160, 106))
    frame = yuv.join(*yuv.from_image(still))
    shown = rgb([frame], still.size)[0].astype(np.int16)
    difference = np.abs(shown - np.asarray(still, dtype=np.int16))
    assert difference.mean() < 3, difference.mean()
    assert abs(float(shown.mean()) - float(np.asarray(still).mean())) < 1, "the same brightness: no range mix-up"


def test_a_frame_of_the_wrong_shape_is_refused(tmp_path):
    """RGB and I420 frames are both taken; anything else is named, not fed to ffmpeg as noise."""
    wrong = [np.zeros((106, 160, 4), dtype=np.uint8)]
    with pytest.raises(MediaError, match=r"shape \(106, 160, 4\) is neither I420 nor RGB of 160x106"):
        media.encode(iter(wrong), (160, 106), 12, "video", tmp_path / "wrong.mp4")
    rgb_frames = [np.full((106, 160, 3), (200, 60, 30), dtype=np.uint8)] * 12
    info = media.encode(iter(rgb_frames), (160, 106), 12, "video", tmp_path / "rgb.mp4")
    assert (info.width, info.height, info.frames) == (160, 106, 12)
    red, green, blue = rgb(tmp_path / "rgb.mp4", (160, 106))[0].reshape(-1, 3).mean(axis=0)
    assert abs(red - 200) < 4 and abs(green - 60) < 4 and abs(blue - 30) < 4
