"""Cold build: a site of 300 pages / 600 photos (a quarter of them 4032x3024) built from an empty cache at
`width: auto`, so most clips are 1280 px wide.

    python benchmarks/cold_build.py [--pages 300] [--duration 5] [--keep DIR] [--plugin-path DIR]
    python benchmarks/cold_build.py --profile [IMAGE]

Prints the wall time, CPU seconds over wall seconds (and against the cores the build may use), and the peak memory
of the build's whole process tree: the sum of its processes' resident memory (RSS, which counts a page shared by
several processes in each of them) and of their proportional shares (PSS), sampled every 0.1 s; the physical
memory the tree held, each page once, shared or not (as root, from /proc/PID/pagemap, every second); what the PSS
peak was made of; the largest process of each kind (sampled: `ru_maxrss` would count this process's own memory in
the child forked to run the build); and the time per animation. `--plugin-path` builds with another checkout of
the plugin (put first on PYTHONPATH): the way to measure before and after a change. `--profile` prints CPU seconds
per clip at 640 and 1280 px for each motion, drawing and encoding on one core, then the bytes of each clip.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from warm_build import ENV, ROOT, make_site  # noqa: E402  the same pages and photos as the warm build

# The sizes photos come in, in turn: a phone camera's, a downscaled export, a web-sized one, a small one.
SIZES = ((4032, 3024), (2048, 1536), (1600, 1200), (1024, 768))


def camera_photo(source: Path, size: tuple[int, int], rng: np.random.Generator, dest: Path, grain: int = 5) -> None:
    """`source` enlarged to a camera's `size`, with a camera's fine grain (a standard deviation of `grain` levels),
    saved as a JPEG at `dest`."""
    image = np.asarray(Image.open(source).convert("RGB").resize(size, Image.Resampling.BICUBIC), dtype=np.int16)
    noise = rng.normal(0, grain, (size[1], size[0], 1)).astype(np.int16)
    Image.fromarray(np.clip(image + noise, 0, 255).astype(np.uint8)).save(dest, quality=88)


def make_cold_site(root: Path, pages: int, duration: int) -> None:
    """The warm build's site, its photos enlarged to camera sizes (with a camera's fine grain, so that the encoder
    sees detail at every size, not a smooth enlargement), built at `width: auto`."""
    make_site(root, pages, 640, duration)
    rng = np.random.default_rng(11)
    for index, path in enumerate(sorted((root / "docs" / "img").glob("p*.jpg"))):
        camera_photo(path, SIZES[index % len(SIZES)], rng, path)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][0]["animate"]["width"] = "auto"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as file:
                    queue.extend(int(child) for child in file.read().split())
        except OSError:
            pass
    return found


def _memory(pid: int) -> tuple[int, int]:
    """Resident and proportional memory of one process, in bytes."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


def _frames(pid: int) -> np.ndarray:
    """The physical page numbers of a process's resident pages, from /proc/PID/pagemap (as root; otherwise the
    kernel gives zeros, and the distinct count below is not made)."""
    found = []
    try:
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
            for line in maps:
                if line.rstrip().endswith("[vsyscall]"):
                    continue
                start, end = (int(value, 16) for value in line.split()[0].split("-"))
                pagemap.seek(start // 4096 * 8)
                entries = np.frombuffer(pagemap.read((end - start) // 4096 * 8), dtype=np.uint64)
                present = entries[(entries >> np.uint64(63)) == 1]
                found.append(present & np.uint64((1 << 55) - 1))
    except OSError:
        pass
    return np.concatenate(found) if found else np.empty(0, dtype=np.uint64)


def _distinct(pids: list[int]) -> int:
    """Bytes of physical memory the processes hold together: each resident page once, shared or not."""
    frames = np.unique(np.concatenate([_frames(pid) for pid in pids]))
    return 0 if len(frames) and frames[0] == 0 else len(frames) * 4096


def _kind(pid: int, root: int) -> str:
    """What a process of the build is: the build itself, a drawing worker, or an ffmpeg."""
    if pid == root:
        return "build"
    try:
        with open(f"/proc/{pid}/comm") as file:
            return "ffmpeg" if "ffmpeg" in file.read() else "worker"
    except OSError:
        return "gone"


class Sampler(threading.Thread):
    """Samples the memory of a process tree until told to stop: the peak of the sums, how many processes, and what
    the peak was made of (MB of PSS per kind of process, with how many of each)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.rss = self.pss = self.processes = 0
        self.parts: dict[str, tuple[int, int]] = {}
        self.largest: dict[str, int] = {}  # the largest resident memory of one process of each kind, at any time
        self.distinct = 0  # the most physical memory the tree held, each page once: sampled every second

    def run(self) -> None:
        ticks = 0
        while not self.stop.wait(0.1):
            pids = _tree(self.pid)
            ticks += 1
            if ticks % 10 == 0:
                self.distinct = max(self.distinct, _distinct(pids))
            sizes = [_memory(pid) for pid in pids]
            self.rss = max(self.rss, sum(rss for rss, _ in sizes))
            self.processes = max(self.processes, len(pids))
            kinds = [_kind(pid, self.pid) for pid in pids]
            for kind, (rss, _) in zip(kinds, sizes):
                self.largest[kind] = max(self.largest.get(kind, 0), rss)
            if sum(pss for _, pss in sizes) > self.pss:
                self.pss = sum(pss for _, pss in sizes)
                parts: dict[str, tuple[int, int]] = {}
                for kind, (_, pss) in zip(kinds, sizes):
                    total, count = parts.get(kind, (0, 0))
                    parts[kind] = (total + pss, count + 1)
                self.parts = parts


def _machine() -> tuple[int, int]:
    """Jiffies the whole machine spent idle (idle and iowait) and in all, from /proc/stat."""
    with open("/proc/stat") as file:
        values = [int(value) for value in file.readline().split()[1:]]
    return values[3] + values[4], sum(values[:8])


def cold_build(root: Path, plugin_path: Path | None) -> dict[str, float]:
    env = dict(ENV)
    if plugin_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugin_path), env.get("PYTHONPATH")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    idle_before, total_before = _machine()
    started = time.perf_counter()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=root,  # not this checkout's folder, which `python -m` would put before `--plugin-path`
    )  # fmt: skip
    sampler = Sampler(build.pid)
    sampler.start()
    _, log = build.communicate()
    wall = time.perf_counter() - started
    idle_after, total_after = _machine()
    sampler.stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if build.returncode:
        raise SystemExit(f"the build failed:\n{log}")
    summary = next((line for line in log.splitlines() if "animation(s)" in line), "")
    print(f"  {summary.strip()}")
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rss": sampler.rss,
        "pss": sampler.pss,
        "processes": sampler.processes,
        "parts": sampler.parts,
        "by_kind": sampler.largest,
        "distinct": sampler.distinct,
        # On a machine shared with other work, the build cannot have the cores the others are using: how much
        # of the machine stayed idle says whether the build could have used more.
        "idle": (idle_after - idle_before) / max(1, total_after - total_before),
    }


def profile(image: Path, duration: int) -> None:
    """CPU seconds per clip on one core (drawing in this process, encoding in its ffmpeg), at 640 and 1280 px."""
    from mkdocs_animate_plugin.providers.base import AnimationRequest
    from mkdocs_animate_plugin.providers.local.provider import draw
    from mkdocs_animate_plugin.selection import stills
    from mkdocs_animate_plugin.video import media, x264
    from mkdocs_animate_plugin.video import picture as images

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    still = images.probe(image)
    print(f"{image.name} ({still.width}x{still.height}), {duration} s at 24 fps, one core:")
    with tempfile.TemporaryDirectory() as folder:
        for motion in ("parallax", "kenburns"):
            per_width = {}
            for width in (640, 1280):
                size = stills.even_size(still.width, still.height, width)
                request = AnimationRequest(
                    image=image, image_sha256="", image_width=still.width, image_height=still.height,
                    width=size[0], height=size[1], fps=24, duration=duration, loop="auto", output="video",
                )  # fmt: skip
                start = cpu()
                frames = list(draw(request, motion).frames)  # drawn here, in this process
                drawn = cpu()
                dest = Path(folder) / f"{motion}{width}.mp4"
                media.encode(iter(frames), size, 24, "video", dest, len(frames))  # a plain iterator: in-process
                total = cpu() - start
                per_width[width] = total
                print(
                    f"  {motion:8} {size[0]}x{size[1]}: {total:5.2f} CPU s (drawing {drawn - start:4.2f}, encoding "
                    f"and probing {total - (drawn - start):4.2f}, x264 {x264.preset(size)}), "
                    f"{dest.stat().st_size / 1024:.0f} KiB"
                )
            print(f"  {motion:8} 1280 px / 640 px: {per_width[1280] / per_width[640]:.2f}x (the target is within 2.5x)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="make the site here (its cache is emptied before the build)")
    parser.add_argument("--plugin-path", type=Path, help="a checkout of the plugin to build with instead")
    parser.add_argument("--profile", nargs="?", const=ROOT / "example_site/docs/img/rocket.jpg", type=Path)
    args = parser.parse_args()
    if args.plugin_path:  # for --profile, which draws and encodes in this process
        sys.path.insert(0, str(args.plugin_path))
    if args.profile:
        with tempfile.TemporaryDirectory() as folder:
            big = Path(folder) / "photo.jpg"  # the example photo at a camera's size
            Image.open(args.profile).convert("RGB").resize(SIZES[0], Image.Resampling.LANCZOS).save(big, quality=90)
            profile(big, args.duration)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = args.keep or Path(folder)
        if not (root / "mkdocs.yml").exists():
            make_cold_site(root, args.pages, args.duration)
        subprocess.run(["rm", "-rf", str(root / ".cache"), str(root / "site")], check=True)
        cores = len(os.sched_getaffinity(0))
        load = os.getloadavg()
        print(f"cold build: {args.pages} pages, {args.pages * 2} photos, width: auto, {args.duration} s clips, "
              f"{cores} cores; load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
        result = cold_build(root, args.plugin_path)
        made = len(list((root / ".cache" / "plugin" / "animate" / "animations").glob("*")))
        load = os.getloadavg()
        busy = result["cpu"] / result["wall"]
        print(f"  wall {result['wall']:.1f} s; CPU {result['cpu']:.1f} s; CPU/wall {busy:.2f} "
              f"({100 * busy / cores:.0f}% of {cores} cores); the machine was idle {100 * result['idle']:.0f}% of "
              "the time (other work took the rest)")  # fmt: skip
        print(
            f"  peak memory of the build's process tree: {result['rss'] / 2**20:.0f} MB resident (sum of RSS), "
            f"{result['pss'] / 2**20:.0f} MB proportional (sum of PSS), at most {result['processes']} processes"
        )
        if result["distinct"]:
            print(f"  peak physical memory of the tree, each page once (sampled every second): "
                  f"{result['distinct'] / 2**20:.0f} MB")  # fmt: skip
        parts = ", ".join(f"{kind} {pss / 2**20:.0f} MB ({count})" for kind, (pss, count) in result["parts"].items())
        print(f"  at the peak (PSS by process, how many): {parts}")
        largest = ", ".join(f"{kind} {rss / 2**20:.0f} MB" for kind, rss in result["by_kind"].items() if kind != "gone")
        print(f"  the largest process of each kind, at any time (RSS): {largest}")
        if made:
            print(f"  {made} animations: {result['wall'] / made:.2f} s wall and {result['cpu'] / made:.2f} CPU s each")
        print(f"  load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
