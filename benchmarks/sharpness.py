"""Is the animation ever worse than the still? For each photo of the example site and of the shared photos, each
local motion, the clip the local animator and the encoder make (at `width: auto`, the size the page shows it):

    python benchmarks/sharpness.py [--duration 2] [--motion kenburns] [IMAGE ...]
    python benchmarks/sharpness.py --before REV      # the same, with the plugin as it was at REV (a git worktree)
    python benchmarks/sharpness.py --plugin-path DIR # the same, with another checkout of the plugin
    python benchmarks/sharpness.py --camera          # and camera-size copies (4032x3024, as the cold build makes)

A picture is measured at the size a theme shows it: its file's width, or the content column's (`--column`, 690 CSS
px by default: Material's at a 1280 px window) where the file is wider, as a build with `width: auto` sizes its clip.

Prints per clip: the least and the median frame's sharpness over the still's at 1x and at 2x (the same clip on a
screen of twice the pixels), the first frame's SSIM against the still, the largest edge cut, the judder and the
clip's bytes (tools/clip_measures.py says how each is measured). Targets: least >= 0.85, median >= 0.9, SSIM >=
0.97, cut <= 3%, judder <= 0.04.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ("chelsea.png", "coffee.png", "flower.jpg", "grass.png", "rocket.jpg")  # flower.jpg: see LICENSES.md
FOLDERS = (ROOT / "example_site" / "docs" / "img", ROOT.parent / "shared" / "images")


def photos(given: list[Path]) -> list[Path]:
    """The photos asked for, or those of the example site and the shared folder, each picture once."""
    found, seen = [], set()
    for path in given or [folder / name for folder in FOLDERS for name in PHOTOS]:
        if path.is_file() and (digest := hashlib.sha256(path.read_bytes()).hexdigest()) not in seen:
            seen.add(digest)
            found.append(path)
    return found


def camera_photos(folder: Path) -> list[Path]:
    """4032x3024 copies of two shared photos: a smooth enlargement, and one with the grain the cold build adds
    (benchmarks/cold_build.py), whose finest detail is noise: an encoder keeps little of it, and a 1280 px clip
    cannot hold what a 2x screen shows of it at 1380 px."""
    import numpy as np
    from cold_build import SIZES, camera_photo

    made = []
    for name in ("rocket.jpg", "grass.png"):
        for grain in (0, 5):
            made.append(folder / f"camera{'-grain' * bool(grain)}-{Path(name).stem}.jpg")
            camera_photo(FOLDERS[1] / name, SIZES[0], np.random.default_rng(11), made[-1], grain)
    return made


def make_clip(image: Path, motion: str, duration: int, dest: Path, column: int) -> tuple[int, int]:
    """The clip a build with the local provider makes of `image` at `width: auto`, shown at most `column` CSS px
    wide, written to `dest`; returns the size it is shown at, in CSS px."""
    from mkdocs_animate_plugin.providers.base import AnimationRequest
    from mkdocs_animate_plugin.providers.local import draw

    try:  # the package by job (0.2)
        from mkdocs_animate_plugin.selection import rules, stills
        from mkdocs_animate_plugin.video import media, picture
    except ImportError:  # a checkout from before it (`--before`)
        from mkdocs_animate_plugin import images as picture
        from mkdocs_animate_plugin import media, stills
        from mkdocs_animate_plugin import select as rules

    still = picture.probe(image)
    shown = min(still.width, column)
    width = rules.clip_width("auto", {"width": str(shown)}, (still.width, still.height))
    size = stills.even_size(still.width, still.height, width)
    request = AnimationRequest(
        image=image, image_sha256="", image_width=still.width, image_height=still.height,
        width=size[0], height=size[1], fps=24, duration=duration, loop="auto", output="video",
    )  # fmt: skip
    clip = draw(request, motion)
    media.encode(clip.frames, size, 24, "video", dest, clip.count)
    return shown, round(still.height * shown / still.width)


def measure(image: Path, motion: str, duration: int, folder: Path, column: int) -> str:
    import clip_measures as m

    dest = folder / f"{image.stem}-{motion}.mp4"
    shown = make_clip(image, motion, duration, dest, column)
    still, frames = m.still_luma(image), m.clip_luma(dest)
    figures = []
    for ratio in (1, 2):
        size = (shown[0] * ratio, shown[1] * ratio)
        sharp = m.sharpness(frames, still, size)
        figures.append(f"{min(sharp):5.2f} {statistics.median(sharp):5.2f}")
    first = m.first_frame_ssim(frames, still, shown)
    cut = max(m.edge_cuts(frames, still))
    return (
        f"{image.name:12} {motion:9} {figures[0]}   {figures[1]}   {first:5.3f} {100 * cut:5.1f}% "
        f"{m.judder(frames):6.3f} {dest.stat().st_size / 1024:7.1f}"
    )


def run_elsewhere(plugin: Path, argv: list[str]) -> None:
    """This script again, with `plugin` first on the path."""
    subprocess.run([sys.executable, __file__, "--plugin-path", str(plugin), *argv], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("images", nargs="*", type=Path)
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--motion", choices=("kenburns", "parallax"), action="append")
    parser.add_argument("--camera", action="store_true", help="also camera-size copies of two shared photos")
    parser.add_argument("--column", type=int, default=690, help="the content column's width, in CSS px")
    parser.add_argument("--before", metavar="REV", help="measure the plugin as it was at this git revision")
    parser.add_argument("--plugin-path", type=Path, help="a checkout of the plugin to measure instead")
    args = parser.parse_args()
    rest = [str(p) for p in args.images] + [f"--duration={args.duration}", f"--column={args.column}"]
    rest += ["--camera"] * args.camera
    rest += [f"--motion={name}" for name in args.motion or ()]
    if args.before:
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder) / "before"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), args.before],
                           check=True)  # fmt: skip
            try:
                run_elsewhere(tree, rest)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
        return
    if args.plugin_path:  # first here and in the worker processes that draw the frames
        os.environ["PYTHONPATH"] = str(args.plugin_path)
        sys.path.insert(0, str(args.plugin_path))
    sys.path.append(str(ROOT / "tools"))
    sys.path.append(str(ROOT / "benchmarks"))
    import mkdocs_animate_plugin

    print(f"plugin: {Path(mkdocs_animate_plugin.__file__).parent.parent}; {args.duration} s clips, 24 fps, video")
    print("image        motion    1x least/median  2x least/median  SSIM   cut  judder  KiB")
    with tempfile.TemporaryDirectory() as folder:
        images = photos([path.resolve() for path in args.images])
        if args.camera:
            images += camera_photos(Path(folder))
        os.chdir(folder)  # the worker processes (`python -c`) would import the package found where they start
        for image in images:
            for motion in args.motion or ("kenburns", "parallax"):
                print(measure(image, motion, args.duration, Path(folder), args.column), flush=True)


if __name__ == "__main__":
    main()
