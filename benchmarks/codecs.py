"""Bytes per clip and encode CPU seconds of each kind of animation, at matched quality, on the example site.

    python benchmarks/codecs.py [--duration 5] [--sweep] [--only rocket.jpg]

The clips are the example site's at `width: auto` (each as wide as its still is shown, at most 1280 px), drawn by
the local animator: an offline build of the site finds them without making anything. Each clip's frames are drawn
once, then encoded as each kind the way a build encodes it (`media.encode`, the settings of `media._ENCODE_ARGS`):
H.264 and AV1 MP4 and AVIF at the clip's 24 fps, WebP and GIF at the `fps` option's 12. Quality is measured
against the frames the encoder was given (SSIM and PSNR on all planes, ffmpeg's `ssim` and `psnr` filters), so
each kind is judged against its own source, not against another compressed file.

Prints one row per clip and kind, then the totals per kind. CPU seconds are ffmpeg's (user + system), for the
encode and the probe that follows it, as in a build; the drawing is not counted. `--sweep` also encodes H.264 and
both AV1 encoders at other settings, to choose settings of equal SSIM.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import resource
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from mkdocs_animate_plugin.providers.base import AnimationRequest
from mkdocs_animate_plugin.providers.local.provider import draw
from mkdocs_animate_plugin.video import media, yuv
from mkdocs_animate_plugin.video.outputs import KINDS

ROOT = Path(__file__).resolve().parent.parent
KINDS_MEASURED = ("video", "av1", "avif", "webp", "gif")
NAMES = {"video": "H.264 MP4", "av1": "AV1 MP4", "avif": "AVIF", "webp": "WebP", "gif": "GIF"}
# --sweep: (label, kind, settings replacing the kind's own), each run as `media.encode` runs the kind.
SWEEP = [
    ("x264 crf 23", "video", ["-crf", "23"]),
    ("x264 crf 28", "video", ["-crf", "28"]),
    ("svt p6 crf 38", "av1", ["-preset", "6", "-crf", "38"]),
    ("svt p6 crf 46", "av1", ["-preset", "6", "-crf", "46"]),
    ("svt p8 crf 42", "av1", ["-preset", "8", "-crf", "42"]),
    ("svt p8 crf 46", "av1", ["-preset", "8", "-crf", "46"]),
    ("svt p10 crf 42", "av1", ["-preset", "10", "-crf", "42"]),
    ("svt p10 crf 46", "av1", ["-preset", "10", "-crf", "46"]),
    ("aom cpu6 crf 34", "av1", "aom"),
]
AOM = ["-c:v", "libaom-av1", "-cpu-used", "6", "-crf", "34", "-b:v", "0", "-row-mt", "1", "-threads", "2",
       "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an"]  # fmt: skip


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def example_requests(duration: int) -> list[AnimationRequest]:
    """The example site's clips at width: auto, found by an offline build that makes nothing."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_animate_plugin.build import jobs

    found: dict[tuple, AnimationRequest] = {}
    real = jobs.Jobs._job

    def spy(self, candidate, path, still):
        job = real(self, candidate, path, still)
        request = job.request()
        found.setdefault((str(request.image), request.width, request.height), request)
        return job

    jobs.Jobs._job = spy
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = load_config(str(ROOT / "example_site/mkdocs.yml"), site_dir=folder)
            for name, plugin in config.plugins.items():
                if name == "animate":
                    plugin.config.update(
                        {
                            "provider": "local",
                            "offline": True,
                            "width": "auto",
                            "cache_dir": f"{folder}/.cache",
                        }
                    )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    finally:
        jobs.Jobs._job = real
    return [
        AnimationRequest(
            image=r.image,
            image_sha256=r.image_sha256,
            image_width=r.image_width,
            image_height=r.image_height,
            width=r.width,
            height=r.height,
            fps=24,
            duration=duration,
            loop="auto",
            output="video",
        )
        for r in found.values()
    ]


def quality(path: Path, raw: Path, size: tuple[int, int], fps: int) -> tuple[float, float]:
    """SSIM and PSNR of the file's frames against the raw frames it was made from."""
    stream = "0:v:1" if path.suffix == ".avif" else "0:v:0"
    graph = f"[{stream}]format=yuv444p,split[a][b];[1:v]format=yuv444p,split[c][d];[a][c]ssim;[b][d]psnr"
    result = subprocess.run(
        [media.ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path), "-f", "rawvideo", "-pix_fmt", yuv.PIX_FMT,
         "-s", f"{size[0]}x{size[1]}", "-r", str(fps), "-i", str(raw), "-lavfi", graph, "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    ssim = float(re.search(r"SSIM .*All:([\d.]+)", result.stderr)[1])
    psnr = re.search(r"PSNR .*average:([\d.inf]+)", result.stderr)[1]
    return ssim, float(psnr)


def measure(
    kind: str, frames: list, size, fps, folder: Path, raw: Path, override=None
) -> tuple[int, float, float, float]:
    dest = folder / f"out.{KINDS[kind].ext}"
    saved = list(media._ENCODE_ARGS[kind])
    if override == "aom":
        media._ENCODE_ARGS[kind] = AOM
    elif override:
        args = list(saved)
        for name, value in zip(override[::2], override[1::2]):
            if name in args:
                args[args.index(name) + 1] = value
            else:  # the video's CRF, which a build chooses by the frame's size
                args += [name, value]
        media._ENCODE_ARGS[kind] = args
    try:
        before = child_cpu()
        media.encode(iter(frames), size, fps, kind, dest, len(frames))
        used = child_cpu() - before
    finally:
        media._ENCODE_ARGS[kind] = saved
    ssim, psnr = quality(dest, raw, size, fps)
    return dest.stat().st_size, used, ssim, psnr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--fps", type=int, default=12, help="the fps option: GIF and WebP")
    parser.add_argument("--sweep", action="store_true", help="also other encoder settings")
    parser.add_argument("--only", help="one image of the example site, by file name")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores")
    requests = example_requests(args.duration)
    if args.only:
        requests = [r for r in requests if r.image.name == args.only]
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for request in requests:
            size = (request.width, request.height)
            print(f"{request.image.name}: {size[0]}x{size[1]}, {args.duration} s")
            for fps in (24, args.fps):
                drawn = draw(dataclasses.replace(request, fps=fps))
                frames = list(drawn.frames)
                raw = folder / "frames.yuv"
                raw.write_bytes(b"".join(frame.tobytes() for frame in frames))
                kinds = [k for k in KINDS_MEASURED if (KINDS[k].clip_rate if fps == 24 else not KINDS[k].clip_rate)]
                rows = [(NAMES[k], k, None) for k in kinds]
                if args.sweep and fps == 24:
                    rows += SWEEP
                for label, kind, override in rows:
                    size_bytes, used, ssim, psnr = measure(kind, frames, size, fps, folder, raw, override)
                    print(
                        f"  {label:16} {fps:2d} fps  {size_bytes / 1024:8.1f} KiB  {used:5.2f} CPU s  "
                        f"SSIM {ssim:.4f}  PSNR {psnr:5.2f} dB"
                    )
                    if override is None:
                        total = totals[label]
                        total[0] += size_bytes
                        total[1] += used
                        total[2] += ssim
                        total[3] += psnr
                        total[4] += 1
    print(f"\ntotals over {len(requests)} clip(s) of {args.duration} s (mean SSIM and PSNR):")
    print("| kind | KiB, all clips | KiB per clip | CPU s, all clips | SSIM | PSNR dB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, (size_bytes, used, ssim, psnr, n) in totals.items():
        print(
            f"| {label} | {size_bytes / 1024:.0f} | {size_bytes / 1024 / n:.0f} | {used:.1f} | {ssim / n:.4f} | "
            f"{psnr / n:.2f} |"
        )
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
