"""The local animator's two motions: which one `auto` picks, what they look like, and a real ONNX depth model."""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import numpy as np
import pytest
from PIL import Image, ImageDraw

from mkdocs_animate_plugin.providers.local import depth, motion
from mkdocs_animate_plugin.selection import stills
from mkdocs_animate_plugin.video import media, yuv
from mkdocs_animate_plugin.video import picture as images

from .conftest import PHOTOS


def drawing() -> Image.Image:
    """Flat artwork: a few colours, large flat areas, black outlines."""
    art = Image.new("RGB", (400, 300), (250, 240, 200))
    draw = ImageDraw.Draw(art)
    draw.ellipse((100, 60, 260, 220), fill=(230, 70, 60), outline=(0, 0, 0), width=4)
    draw.rectangle((20, 230, 380, 290), fill=(90, 160, 80), outline=(0, 0, 0), width=3)
    return art


def test_auto_tells_photographs_from_artwork():
    for name in ("rocket.jpg", "chelsea.png", "coffee.png", "flower.jpg"):
        assert depth.is_photograph(images.load(PHOTOS / name, 640)), name
    assert not depth.is_photograph(drawing())


def test_depth_estimate_puts_the_ground_nearer_than_the_sky():
    rocket = images.load(PHOTOS / "rocket.jpg", 320)
    estimate = depth.estimate(rocket)
    assert estimate.shape == (rocket.height, rocket.width)
    assert 0 <= estimate.min() and estimate.max() <= 1
    assert estimate[-40:].mean() > estimate[:40].mean() + 0.3


def test_parallax_is_smooth_seamless_and_whole():
    still = images.load(PHOTOS / "chelsea.png", 220)
    size = stills.even_size(still.width, still.height, 160)
    frames = list(motion.parallax_frames(still, depth.estimate(still), size, 48))
    steps = [np.abs(b.astype(np.int16) - a).mean() for a, b in zip(frames, frames[1:])]
    assert min(steps) > 0.05, "it moves in every frame"
    assert max(steps) / min(steps) < 2.0, "smoothly: no judder"
    seam = np.abs(frames[0].astype(np.int16) - frames[-1]).mean()
    assert seam <= 1.3 * np.median(steps), "the orbit closes the loop"
    # Whole: every frame stays close to the picture itself (no tearing, streaks or holes), borders included.
    reference = [np.asarray(plane, dtype=np.int16) for plane in yuv.from_image(still.resize(size))]
    for frame in frames:
        for name, plane, still_plane in zip("YUV", yuv.planes(frame, size), reference):
            difference = np.abs(plane.astype(np.int16) - still_plane)
            assert difference.mean() < 12, name
            assert (difference > 80).mean() < 0.02, f"{name}: no large region of wrong (unfilled or torn) pixels"
        luma = yuv.planes(frame, size)[0]
        edges = np.concatenate([luma[0], luma[-1], luma[:, 0], luma[:, -1]])
        assert edges.mean() > 30, "no black border (video black is 16)"


@pytest.mark.parametrize("kind", ["kenburns", "parallax"])
def test_each_motion_is_deterministic_and_keyed(site, kind, tmp_path):
    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.page("index.md", "![cat](img/cat.png)\n")
    site.configure(local_motion=kind)
    first = site.build()
    src = (
        lxml.html.fromstring(first.html("index.html"))
        .xpath("//img[@data-animate-type='video/mp4']")[0]
        .get("data-animate-src")
    )
    made = (first.site / src).read_bytes()
    # Same image, same options, another cache: the same bytes.
    site.configure(cache_dir=str(tmp_path / "other-cache"))
    again = site.build()
    assert (again.site / src).read_bytes() == made
    # Another motion is another animation.
    site.configure(local_motion="parallax" if kind == "kenburns" else "kenburns")
    other = site.build()
    assert (
        lxml.html.fromstring(other.html("index.html"))
        .xpath("//img[@data-animate-type='video/mp4']")[0]
        .get("data-animate-src")
        != src
    )


def tiny_depth_model(path: Path) -> None:
    """An ONNX model of MiDaS's shape (1x3x64x64 in, 1x64x64 out) that calls brighter pixels nearer."""
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["image"], ["depth"], axes=[1], keepdims=0)],
        "tiny-depth",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 64, 64])],
        [helper.make_tensor_value_info("depth", TensorProto.FLOAT, [1, 64, 64])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def test_a_real_onnx_depth_model_drives_the_parallax(site, tmp_path):
    pytest.importorskip("onnxruntime", reason="the depth extra is not installed")
    model = tmp_path / "tiny-depth.onnx"
    tiny_depth_model(model)
    loaded = depth.OnnxDepth(model)
    left_dark = Image.fromarray(np.tile(np.linspace(0, 255, 200, dtype=np.uint8), (100, 1))).convert("RGB")
    estimate = loaded(left_dark)
    assert estimate.shape == (100, 200) and estimate[:, -20:].mean() > estimate[:, :20].mean() + 0.5
    site.image("img/cat.png", PHOTOS / "chelsea.png")
    site.page("index.md", "![cat](img/cat.png)\n")
    site.configure(local_motion="parallax", depth_model=str(model))
    built = site.build(strict=True)
    src = (
        lxml.html.fromstring(built.html("index.html"))
        .xpath("//img[@data-animate-type='video/mp4']")[0]
        .get("data-animate-src")
    )
    assert media.probe(built.site / src).frames == 24


def test_depth_model_without_the_extra_is_a_clear_configuration_error(site, tmp_path):
    model = tmp_path / "model.onnx"
    model.write_bytes(b"not needed: the import fails first")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "onnxruntime.py").write_text("raise ImportError('No module named onnxruntime')\n")
    site.page("index.md", "# Home\n")
    site.configure(depth_model=str(model))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])}
    result = site.run("build", env=env)
    assert result.returncode == 1
    assert "depth_model needs onnxruntime: pip install 'mkdocs-animate-plugin[depth]'" in result.stderr
    assert "Traceback" not in result.stderr
    missing = site.configure(depth_model=str(tmp_path / "nowhere.onnx")).run("build")
    assert missing.returncode == 1 and "option 'depth_model'" in missing.stderr
