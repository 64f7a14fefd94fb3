"""ffmpeg (the binary imageio-ffmpeg ships, run as a subprocess): encode frames, decode clips, probe files.

Frames travel as uint8 arrays piped to ffmpeg's stdin, I420 (`yuv`, as the local animator draws and `decode` gives)
or RGB (a third party's provider may draw either), so a provider that draws its own frames and one that fetches a
video file (a remote model) end in the same encoder (`loops` closes a loop first). Frames given as a recipe
(`Frames`) are drawn in a worker process that feeds its own ffmpeg: drawing is Python and numpy, which one
process's GIL would serialize, and a frame then never leaves the process that drew it. Either way frames are
streamed: one frame is drawn while ffmpeg takes the last, never a clip's worth at once.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MediaError
from . import x264, yuv
from .outputs import KINDS

# The encoder settings MEDIA-NOTES.md measured as the best weight for the quality; fixed thread counts and
# bitexact flags make the same frames give the same bytes on any machine. H.264 gets one encoder thread: a build
# encodes one clip per core at once, which uses the cores better than threads within a clip and holds fewer frames.
_ENCODE_ARGS = {
    "video": [
        "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-an", "-threads", "1",
    ],
    "gif": [
        "-filter_complex",
        # A palette made for the clip, 40 colours with ordered dither: lighter than ffmpeg's plain GIF (a fixed
        # 3-3-2 palette) on colour photos at every size, and far truer (about 32 dB against 21 dB PSNR);
        # benchmarks/local_clip.py measures both.
        "split[a][b];[a]palettegen=stats_mode=diff:max_colors=40[p];"
        "[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle",
        "-loop", "0",
    ],
    "webp": ["-c:v", "libwebp_anim", "-lossless", "0", "-quality", "75", "-compression_level", "4", "-loop", "0"],
    # SVT-AV1, the lightest setting at least as true as the H.264 above on every clip of the example site (SSIM and
    # PSNR against the frames given): about 40% of its bytes for about 1.1 times its CPU (benchmarks/codecs.py;
    # libaom at the same quality is 3 to 5 times slower). `lp=2` fixes its parallelism: same frames, same bytes.
    "av1": [
        "-c:v", "libsvtav1", "-preset", "8", "-crf", "46", "-pix_fmt", "yuv420p", "-svtav1-params", "lp=2",
        "-movflags", "+faststart", "-an",
    ],
    "avif": ["-c:v", "libsvtav1", "-preset", "8", "-crf", "46", "-pix_fmt", "yuv420p", "-svtav1-params", "lp=2",
             "-loop", "0"],
}  # fmt: skip
_BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact"]


# SVT-AV1 prints a banner of its settings on stderr whatever ffmpeg's log level; its own variable keeps it to errors.
# ffmpeg allocates each frame it reads anew: with glibc's malloc at a fixed threshold (see `build.workers`) below
# a frame's size, each is given back when freed instead of growing a heap that keeps it.
_ENV = {**os.environ, "SVT_LOG": "1", "MALLOC_MMAP_THRESHOLD_": str(1 << 20)}


@dataclass(frozen=True)
class Frames:
    """Frames as a recipe: `function(*args)` yields `count` frames. Iterating it draws them here; `encode`
    draws them in a worker process instead, beside the encoder they feed. `function` and `args` must pickle (a
    module-level function; paths and plain values, never an open image)."""

    function: Callable[..., Iterable[np.ndarray]]
    args: tuple[Any, ...]
    count: int

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(self.function(*self.args))


@functools.cache
def ffmpeg() -> str:
    """The bundled ffmpeg binary; imported late so that importing the package stays cheap."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class MediaInfo:
    """What ffmpeg says a file holds, after decoding all of it."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    frames: int
    duration: float
    has_audio: bool


def _run(args: list[str], what: str, stdin_frames: Iterable[np.ndarray] | None = None) -> str:
    """Run ffmpeg, feeding frames if given, and return its stderr; a failure becomes a MediaError."""
    proc = subprocess.Popen(
        [ffmpeg(), "-hide_banner", "-nostdin" if stdin_frames is None else "-y", *args],
        stdin=subprocess.PIPE if stdin_frames is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_ENV,
    )
    # stderr is drained on a thread so that a chatty ffmpeg never blocks while frames are written.
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        if stdin_frames is not None:
            assert proc.stdin is not None
            for frame in stdin_frames:
                # The array's own memory goes to the pipe, not a copy of it as bytes; and it is not kept while the
                # next frame is drawn.
                proc.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).data)
                del frame
            proc.stdin.close()
    except BrokenPipeError:
        pass
    except BaseException:
        proc.kill()
        raise
    finally:
        code = proc.wait()
        reader.join()
    stderr = b"".join(chunks).decode("utf-8", "replace")
    if code != 0:
        last = [line for line in stderr.strip().splitlines() if line.strip()][-3:]
        raise MediaError(f"ffmpeg failed to {what}: {' / '.join(last) or f'exit code {code}'}")
    return stderr


def _feed(frames: Iterable[np.ndarray], size: tuple[int, int], fps: float, outputs: list[str], what: str) -> str:
    """Run ffmpeg on `frames` of `size`, in the layout the first frame shows (I420 or RGB), writing `outputs`."""
    width, height = size
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise MediaError("no frames to encode")
    if first.shape == yuv.shape(size):
        pix_fmt = yuv.PIX_FMT
    elif first.shape == (height, width, 3):
        pix_fmt = "rgb24"
    else:
        raise MediaError(f"a frame of shape {first.shape} is neither I420 nor RGB of {width}x{height}")
    args = ["-loglevel", "error", "-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{width}x{height}"]
    return _run([*args, "-r", f"{fps:g}", "-i", "-", *outputs], what, itertools.chain([first], frames))


def encode(
    frames: Iterable[np.ndarray], size: tuple[int, int], fps: float, output: str, dest: Path, count: int = 0
) -> MediaInfo:
    """Encode RGB frames of `size` into `dest` as `output` (video, gif, webp, avif, or the video codec av1), then
    probe what was written.

    With the frame `count` known, a video's last frames get three times the bits: a loop restarts on a fresh key
    frame, and frames that drifted less from the picture meet it with less of a visible refresh (it halves the
    seam that tests/test_quality.py measures, for about a third more bytes)."""
    return encode_all(frames, size, fps, [(output, dest)], count)[0]


def encode_all(
    frames: Iterable[np.ndarray], size: tuple[int, int], fps: float, targets: Sequence[tuple[str, Path]], count: int = 0
) -> list[MediaInfo]:
    """Encode the same frames into each (kind, file) of `targets` at once: one ffmpeg reads them once and runs an
    encoder per file (a video's AV1 and H.264 sources), so a provider's frames are drawn or decoded only once.
    Each file is probed and checked; the probes are returned in the order of `targets`."""
    count = count or (frames.count if isinstance(frames, Frames) else 0)
    args: list[str] = []
    for kind, dest in targets:
        # Each file takes the input's video; a filter graph (GIF's palette) takes it by itself.
        own_graph = "-filter_complex" in _ENCODE_ARGS[kind]
        args += [] if own_graph else ["-map", "0:v"]
        if kind == "video":  # by the size first: a `-crf` in `_ENCODE_ARGS` (a benchmark's) comes later and wins
            args += x264.args(size, count)
        args += _ENCODE_ARGS[kind]
        args += [*_BITEXACT, "-f", KINDS[kind].muxer, str(dest)]
    what = f"encode {' and '.join(kind for kind, _ in targets)}"
    if isinstance(frames, Frames) and _cores() > 1:
        from ..build.workers import run_in_process

        run_in_process(_feed, frames, size, fps, args, what)
    else:
        _feed(frames, size, fps, args, what)
    infos = []
    for kind, dest in targets:
        # The file our own encoder just wrote: its packets are counted, not decoded (`probe` decodes a download).
        info = _probe(dest, decode=KINDS[kind].muxer != "mp4")
        check(info, kind, size)
        infos.append(info)
    return infos


def _cores() -> int:
    from ..build.workers import cores

    return cores()


def check(info: MediaInfo, output: str, size: tuple[int, int] | None = None) -> None:
    """Refuse a file that is not the animation it should be, so that it is never cached or served."""
    if info.codec != KINDS[output].codec:
        raise MediaError(f"expected {KINDS[output].codec} but the file holds {info.codec}")
    if info.frames < 2:
        raise MediaError(f"the animation has {info.frames} frame(s)")
    if size and (info.width, info.height) != size:
        raise MediaError(f"expected {size[0]}x{size[1]} but the file is {info.width}x{info.height}")
    if output in ("video", "av1") and (info.pix_fmt != "yuv420p" or info.has_audio):
        raise MediaError(f"the video is {info.pix_fmt}{' with audio' if info.has_audio else ''}, not silent yuv420p")


_STREAM = re.compile(r"Stream #0:\d+.*?: Video: (\w+)[^,]*, (\w+)[^,]*(?:\([^)]*\))?[^,]*, (\d+)x(\d+)")
_FPS = re.compile(r"([\d.]+) (?:fps|tbr)")
_DURATION = re.compile(r"Duration: (\d+):(\d+):([\d.]+)")
_FRAMES = re.compile(r"frame=\s*(\d+)")


def probe(path: Path) -> MediaInfo:
    """Decode the whole file (no ffprobe ships with imageio-ffmpeg) and read codec, size, frames and audio.

    A download cut short still opens, so the decoded frame count is checked against the stated duration too.
    """
    return _probe(path, decode=True)


def _probe(path: Path, decode: bool) -> MediaInfo:
    if not path.is_file() or path.stat().st_size == 0:
        raise MediaError(f"{path.name} is missing or empty")
    # An animated AVIF holds its still (the primary image) first and the animation second: the animation is read.
    with open(path, "rb") as file:
        stream_index = 1 if file.read(12)[8:12] == b"avis" else 0
    copy = [] if decode else ["-c", "copy"]
    stderr = _run(["-i", str(path), "-map", f"0:v:{stream_index}", *copy, "-f", "null", "-"], f"read {path.name}")
    header = stderr.split("Stream mapping:")[0]
    streams = list(_STREAM.finditer(header))
    if len(streams) <= stream_index:
        raise MediaError(f"{path.name} holds no video stream")
    stream = streams[stream_index]
    line = header[stream.start() :].splitlines()[0]
    fps_match = _FPS.search(line)
    frames = [int(n) for n in _FRAMES.findall(stderr)]
    duration_match = _DURATION.search(header)
    duration = (
        int(duration_match[1]) * 3600 + int(duration_match[2]) * 60 + float(duration_match[3])
        if duration_match
        else 0.0
    )
    info = MediaInfo(
        codec=stream[1],
        pix_fmt=stream[2],
        width=int(stream[3]),
        height=int(stream[4]),
        fps=float(fps_match[1]) if fps_match else 0.0,
        frames=frames[-1] if frames else 0,
        duration=duration,
        has_audio=" Audio: " in header,
    )
    expected = info.duration * info.fps
    if expected >= 4 and info.frames < 0.9 * expected - 1:
        raise MediaError(f"{path.name} is cut short: {info.frames} of about {expected:.0f} frames decode")
    return info


def decode(path: Path, size: tuple[int, int], fps: float | None = None) -> Iterator[np.ndarray]:
    """Frames of a video file, scaled to `size` (and resampled to `fps` if given), as I420 arrays."""
    width, height = size
    vf = f"scale={width}:{height}:flags=lanczos,setsar=1" + (f",fps={fps:g}" if fps else "")
    proc = subprocess.Popen(
        [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:v:0",
         "-vf", vf, "-f", "rawvideo", "-pix_fmt", yuv.PIX_FMT, "-"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.stdout is not None
    shape = yuv.shape(size)
    frame_bytes = shape[0] * shape[1]
    try:
        while len(raw := proc.stdout.read(frame_bytes)) == frame_bytes:
            yield np.frombuffer(raw, dtype=np.uint8).reshape(shape)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
