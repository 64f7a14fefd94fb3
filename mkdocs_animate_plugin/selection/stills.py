"""What each still image of a build is (its size as shown, its format, the hash of its bytes), read from the file as
rarely as possible: a warm build must cost next to nothing beside a build without the plugin.

Two memos of the cache (`cache.Memo`: what the last build found) make that so:

- headers, by the image's sha256: the size and format read from the header of an image with those bytes. They
  travel with the cache, so a CI runner that restores it hashes each image but opens none with Pillow.
- stamps, by a hash of the image's path (never the path itself): the file's size, modification and change times
  and inode when it was hashed, and the hash. While all four are as they were, the file is not read at all. A
  copied cache or a fresh checkout misses these (new change times), which only means hashing again.
"""

from __future__ import annotations

import hashlib
import os
import stat as st
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import disk
from ..cache import Store
from ..errors import ImageProblem, MissingImage

if TYPE_CHECKING:
    from .pixels import Kind

# A file changed less than this long ago may change again within the same clock tick, unseen by its stamp.
_SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Still:
    """A still image as a browser shows it (size after EXIF orientation), and the hash that keys its animations."""

    width: int
    height: int
    format: str
    sha256: str
    moving: bool = False  # it has frames of its own (GIF, WebP, APNG)


class Stills:
    """The stills of one build, each looked at once however many pages show it."""

    def __init__(self, store: Store) -> None:
        self._stamps = store.memo("stamps")
        self._headers = store.memo("headers")
        self._kinds = store.memo("kinds")
        self._judged: dict[str, Kind] = {}  # by sha256: judged ahead in this build (the memo holds the last build's)
        self._seen: dict[str, Still | ImageProblem] = {}

    def get(self, path: str) -> Still | ImageProblem:
        if path not in self._seen:
            try:
                self._seen[path] = self._read(path)
            except ImageProblem as problem:
                self._seen[path] = problem
        return self._seen[path]

    def _read(self, path: str) -> Still:
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is None or not st.S_ISREG(stat.st_mode):
            raise MissingImage("no such file in the site")
        stamp_key = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        settled = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > _SETTLED_NS
        known = self._stamps.get(stamp_key)
        if isinstance(known, list) and len(known) == 5 and known[:4] == stamp:
            digest = known[4]
        else:
            digest = disk.sha256(Path(path))
        header = self._headers.get(digest)
        if not (isinstance(header, list) and len(header) == 4):  # absent, or written by another version
            from ..video import picture

            info = picture.probe(Path(path))
            header = [info.width, info.height, info.format, info.moving]
        if settled:  # what is remembered must not have changed while it was read
            self._stamps.put(stamp_key, [*stamp, digest])
            self._headers.put(digest, header)
        width, height, fmt, moving = header
        return Still(width, height, fmt, digest, bool(moving))

    def kind(self, path: str, still: Still) -> Kind:
        """What the picture is (photograph, screenshot, chart, ...), judged from a small copy of its pixels once
        per image: the verdict is remembered by the image's hash, like its header, and travels with the cache."""
        kind = self._judged.get(still.sha256) or self._known(still) or judge(Path(path))
        self._remember(still, kind)
        return kind

    def judge_ahead(self, paths: list[str]) -> None:
        """With the `text` extra, judge at once, in a process of its own, each still of `paths` not judged yet.
        Its model then never loads in the build's process, where it would stay beside the encoders for the whole
        build (about 45 MB, and 30-60 MB more while it reads a picture). A picture that cannot be read is left
        to `kind`, which says why."""
        from ..build.workers import run_once
        from . import lettering

        if lettering.model() is None:
            return
        todo = {}
        for path in paths:
            still = self.get(path)
            if isinstance(still, Still) and not still.moving and still.sha256 not in todo and not self._known(still):
                todo[still.sha256] = (path, still)
        if todo:
            kinds = run_once(judge_all, [path for path, _ in todo.values()])
            for (_, still), kind in zip(todo.values(), kinds):
                if kind is not None:
                    self._judged[still.sha256] = kind
                    self._remember(still, kind)  # remembered whether a page shows it or not: not judged again

    def _known(self, still: Still) -> Kind | None:
        """The verdict remembered for these bytes, by these rules and signals (the `text` extra installed or not)."""
        from . import lettering, pixels
        from .rules import VERSION

        known = self._kinds.get(still.sha256)
        if isinstance(known, list) and len(known) == 4 and known[0] == VERSION and known[3] == lettering.signature():
            return pixels.Kind(str(known[1]), bool(known[2]))
        return None

    def _remember(self, still: Still, kind: Kind) -> None:
        from . import lettering
        from .rules import VERSION

        self._kinds.put(still.sha256, [VERSION, kind.name, kind.animate, lettering.signature()])


def judge(path: Path) -> Kind:
    """What the picture at `path` is: its pixels, and its lettering where the `text` extra is installed."""
    from ..video import picture
    from . import lettering, pixels

    return pixels.kind_of(picture.load(path, pixels.SAMPLE_WIDTH), lambda: lettering.regions(path))


def judge_all(paths: list[str]) -> list[Kind | None]:
    """`judge` for each of `paths`, in one go (None for a picture that cannot be read)."""
    kinds: list[Kind | None] = []
    for path in paths:
        try:
            kinds.append(judge(Path(path)))
        except ImageProblem:
            kinds.append(None)
    return kinds


def even_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    """The animation's size: at most `max_width` wide, never upscaled, even sides (yuv420p needs them)."""
    out_w = max(2, min(max_width, width))
    out_h = max(2, round(height * out_w / width))
    return max(2, out_w - out_w % 2), out_h - out_h % 2
