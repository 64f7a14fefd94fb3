"""CPU seconds per clip for the local animator at full size, and the weight of each output for one image.

    python benchmarks/local_clip.py [IMAGE] [--width 640] [--duration 5]

Prints, per output kind: wall and CPU seconds (this process plus ffmpeg), frames, size and bytes.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from PIL import Image

from mkdocs_animate_plugin.providers.base import AnimationRequest
from mkdocs_animate_plugin.providers.local.provider import draw
from mkdocs_animate_plugin.selection import stills
from mkdocs_animate_plugin.video import media, yuv
from mkdocs_animate_plugin.video import picture as images
from mkdocs_animate_plugin.video.outputs import OUTPUTS

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def psnr(path: Path, frames: list, size: tuple[int, int]) -> float:
    decoded = np.stack(list(media.decode(path, size))).astype(np.float32)
    mse = float(((decoded - np.stack(frames[: len(decoded)]).astype(np.float32)) ** 2).mean())
    return 10 * np.log10(255**2 / max(mse, 1e-9))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("image", nargs="?", default=ROOT / "example_site/docs/img/rocket.jpg", type=Path)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--fps", type=int, default=12, help="GIF and WebP frame rate")
    args = parser.parse_args()
    still = images.probe(args.image)
    width, height = stills.even_size(still.width, still.height, args.width)
    print(f"{args.image.name}: {still.width}x{still.height} -> {width}x{height}, {args.duration} s")
    with tempfile.TemporaryDirectory() as folder:
        for output in ("video", "gif", "webp"):
            fps = 24 if output == "video" else args.fps
            request = AnimationRequest(
                image=args.image, image_sha256="", image_width=still.width, image_height=still.height,
                width=width, height=height, fps=fps, duration=args.duration, loop="auto", output=output,
            )  # fmt: skip
            started, cpu0 = time.perf_counter(), cpu()
            frames = list(draw(request).frames)
            drawn = cpu() - cpu0
            clip_frames = iter(frames)
            dest = Path(folder) / f"out.{OUTPUTS[output].ext}"
            info = media.encode(clip_frames, (width, height), fps, output, dest)
            wall, used = time.perf_counter() - started, cpu() - cpu0
            if output == "gif":
                plain = Path(folder) / "plain.gif"
                subprocess.run(
                    [
                        media.ffmpeg(),
                        "-v",
                        "error",
                        "-f",
                        "rawvideo",
                        "-pix_fmt",
                        yuv.PIX_FMT,
                        "-s",
                        f"{width}x{height}",
                        "-r",
                        str(fps),
                        "-i",
                        "-",
                        str(plain),
                    ],
                    input=b"".join(f.tobytes() for f in frames),
                    check=True,
                )
                print(
                    f"  gif    palette {psnr(dest, frames, (width, height)):.1f} dB, "
                    f"{dest.stat().st_size / 1024:.0f} KiB; plain ffmpeg GIF "
                    f"{psnr(plain, frames, (width, height)):.1f} dB, {plain.stat().st_size / 1024:.0f} KiB"
                )
            print(
                f"  {output:5}  wall {wall:5.2f} s  cpu {used:5.2f} s (drawing {drawn:4.2f} s)  "
                f"{info.frames:3d} frames @ {fps} fps  "
                f"{dest.stat().st_size / 1024:8.1f} KiB"
            )
        # Per motion: CPU seconds to draw one 5 s clip at 24 fps, on one core (the drawing is single-threaded).
        for kind in ("kenburns", "parallax"):
            request = AnimationRequest(
                image=args.image, image_sha256="", image_width=still.width, image_height=still.height,
                width=width, height=height, fps=24, duration=args.duration, loop="auto", output="video",
            )  # fmt: skip
            cpu0 = cpu()
            count = sum(1 for _ in draw(request, kind).frames)
            print(f"  {kind:9} drawing: {cpu() - cpu0:.2f} CPU s for {count} frames")
        # A 4000x3000 photo: peak memory of decoding it for a 640 px clip (JPEG draft decodes it reduced).
        big = Path(folder) / "big.jpg"
        Image.open(args.image).convert("RGB").resize((4000, 3000)).save(big, quality=90)
        tracemalloc.start()
        request = AnimationRequest(
            image=big, image_sha256="", image_width=4000, image_height=3000, width=640, height=480, fps=24,
            duration=1, loop="auto", output="video",
        )  # fmt: skip
        for _ in draw(request, "parallax").frames:
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"  4000x3000 photo -> 640 px parallax: peak Python memory {peak / 2**20:.0f} MiB "
            f"(a full decode is {4000 * 3000 * 3 / 2**20:.0f} MiB of RGB before any work; JPEG draft decodes at 1/4)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
