"""Cold builds: the local animator draws in worker processes, one per core, streaming its frames to the encoder.

Small clips (160 px, 1 s): what is asserted is what a user would check (more than one process drew, frames do not
pile up, the same image gives the same bytes), never a timing. Full-size figures are benchmarks/cold_build.py's.
"""

from __future__ import annotations

import os
import resource
import threading
import time
import weakref
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mkdocs_animate_plugin.build import workers
from mkdocs_animate_plugin.errors import ImageProblem
from mkdocs_animate_plugin.providers.base import AnimationRequest
from mkdocs_animate_plugin.providers.local.provider import draw
from mkdocs_animate_plugin.video import media

SIZE = (160, 120)
MANY_CORES = pytest.mark.skipif(workers.cores() < 2, reason="one core: nothing to spread the drawing over")


def _request(image: Path, **changes) -> AnimationRequest:
    fields = dict(
        image=image, image_sha256="", image_width=640, image_height=480, width=SIZE[0], height=SIZE[1], fps=24,
        duration=1, loop="auto", output="video",
    )  # fmt: skip
    return AnimationRequest(**{**fields, **changes})


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    ramp = np.linspace(0, 255, 640, dtype=np.float32)[None, :, None]
    pixels = np.clip(ramp * [1.0, 0.6, 0.3] + rng.normal(0, 25, (480, 640, 3)), 0, 255).astype(np.uint8)
    path = tmp_path / "photo.jpg"
    Image.fromarray(pixels).save(path, quality=90)
    return path


# --- recipes run in the workers (module level, so that a worker process can import them) ---------------------


def _meet(folder: str, count: int, frames: int) -> list[np.ndarray]:
    """Say which process draws, then wait (up to 60 s) until `count` processes draw at once."""
    Path(folder, str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(os.listdir(folder)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [np.full((SIZE[1], SIZE[0], 3), 128, dtype=np.uint8) for _ in range(frames)]


def _tracked(frames: int, most: int):
    """Frames that count how many of them are alive; more than `most` at once is an error."""
    alive = [0]

    def gone() -> None:
        alive[0] -= 1

    for index in range(frames):
        frame = np.full((SIZE[1], SIZE[0], 3), index * 5 % 256, dtype=np.uint8)
        alive[0] += 1
        weakref.finalize(frame, gone)
        if alive[0] > most:
            raise AssertionError(f"{alive[0]} frames alive at once")
        yield frame
        del frame


# --- the tests -------------------------------------------------------------------------------------------------


@MANY_CORES
def test_clips_are_drawn_in_several_processes_at_once(tmp_path: Path) -> None:
    """Two clips encoded at once are drawn by two worker processes at the same time, neither of them this one."""
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    errors: list[BaseException] = []

    def encode(name: str) -> None:
        try:
            frames = media.Frames(_meet, (str(meeting), 2, 12), 12)
            media.encode(frames, SIZE, 24, "video", tmp_path / name)
        except BaseException as error:  # noqa: BLE001  reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=encode, args=(f"{n}.mp4",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    drawers = {int(name) for name in os.listdir(meeting)}
    assert len(drawers) == 2 and os.getpid() not in drawers


def test_frames_are_streamed_not_gathered(tmp_path: Path) -> None:
    """The encoder takes each frame before the next is drawn, here and in a worker: at most two are alive."""
    media.encode(_tracked(48, 2), SIZE, 24, "video", tmp_path / "here.mp4")
    media.encode(media.Frames(_tracked, (48, 2), 48), SIZE, 24, "video", tmp_path / "worker.mp4")
    assert media.probe(tmp_path / "worker.mp4").frames == 48


@pytest.mark.parametrize("motion", ["parallax", "kenburns"])
def test_a_worker_draws_the_same_bytes_as_this_process(tmp_path: Path, photo: Path, motion: str) -> None:
    """Where a clip is drawn changes nothing: the same image and settings give the same file."""
    clip = draw(_request(photo), motion)
    media.encode(clip.frames, SIZE, 24, "video", tmp_path / "worker.mp4")  # a recipe: drawn in a worker
    media.encode(iter(list(clip.frames)), SIZE, 24, "video", tmp_path / "here.mp4", clip.count)  # drawn here
    again = draw(_request(photo), motion)
    media.encode(again.frames, SIZE, 24, "video", tmp_path / "again.mp4")
    worker = (tmp_path / "worker.mp4").read_bytes()
    assert worker == (tmp_path / "here.mp4").read_bytes() == (tmp_path / "again.mp4").read_bytes()


def test_an_unreadable_still_is_reported_from_the_worker(tmp_path: Path, photo: Path) -> None:
    """A still that only fails as it is decoded (cut short) says so, as the same error, from the worker."""
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(photo.read_bytes()[:2000])
    with pytest.raises(ImageProblem, match="cannot be decoded"):
        media.encode(draw(_request(cut), "parallax").frames, SIZE, 24, "video", tmp_path / "cut.mp4")


@MANY_CORES
def test_a_cold_build_draws_on_several_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real build of several photos starts one worker per core (up to the number of clips), and the drawing and
    encoding are CPU time of those child processes; when the build ends, no worker is left running."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    workers.stop_workers()  # the workers earlier tests left idle: this build starts its own
    started: list[workers._Worker] = []
    original = workers._Worker.__init__

    def counted(self) -> None:
        original(self)
        started.append(self)

    monkeypatch.setattr(workers._Worker, "__init__", counted)
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = np.random.default_rng(5)
    for index in range(4):
        base = np.linspace(0, 255, 400, dtype=np.float32)[None, :, None] * rng.uniform(0.3, 1.0, 3)
        pixels = np.clip(base + rng.normal(0, 30, (300, 400, 3)), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(docs / f"p{index}.jpg", quality=90)
    (docs / "index.md").write_text("".join(f"![Photo {n}](p{n}.jpg)\n\n" for n in range(4)))
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Cold\nplugins:\n  - animate:\n      provider: local\n      width: 160\n      duration: 1\n"
        "      select: all\n"  # nothing judged: with the text extra, judging takes a process of its own
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    build(load_config(str(tmp_path / "mkdocs.yml")))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert len(list((tmp_path / "site" / "assets" / "animate").glob("*.mp4"))) == 4
    assert len(started) == min(4, workers.cores()) >= 2
    assert all(worker.proc.returncode is not None for worker in started)  # stopped and reaped
    children = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert children > 0.2  # the workers' drawing and their ffmpeg's encoding, counted once they were reaped
