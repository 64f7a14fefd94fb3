"""`Store`: the cache folder and the animations in it, checked before they are trusted, with the shared store
(`cache_url`, `shared.Remote`) as its second level: a miss here is looked for there, and what a build makes is
uploaded."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import diskcache

from ..disk import temp_beside
from ..errors import CacheError
from ..video.outputs import BY_EXT
from .entries import Entry, entry_of, json_dict
from .layout import ANIM, ANIMATIONS, INDEX, MEMO, SHARED_MEMOS
from .memo import Memo
from .provider_cache import ProviderCache
from .upkeep import Upkeep

if TYPE_CHECKING:
    from ..video.media import MediaInfo
    from .shared import Remote


def _stamp(path: str | Path) -> list[int] | None:
    """A file's inode, size and modification time: while they are as they were, so are its bytes (a rewrite or a
    replacement changes them; linking it into a site changes only its change time, which is not part of it)."""
    try:
        return _stamp_of(os.stat(path))
    except OSError:
        return None


def _stamp_of(stat: os.stat_result) -> list[int]:
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class Store(Upkeep):
    """The cache folder. One instance per build; safe to use from several threads."""

    def __init__(self, root: Path, index: Path | None = None, remote: Remote | None = None) -> None:
        self.root = root
        self.remote = remote  # the shared second level (`cache_url`), or None
        self._shared: dict[str, str] | None = None  # key -> name of the animations in the store, listed once
        self.files = root / ANIMATIONS
        self._folder = os.fspath(self.files)
        self._scratch: Path | None = None
        try:
            if index is None:
                self.files.mkdir(parents=True, exist_ok=True)
            self.index = diskcache.Cache(str(index or root / INDEX))
        except (OSError, diskcache.core.Timeout) as error:
            raise CacheError(f"the cache folder {root} cannot be used: {error}") from None
        self._memos: dict[str, Memo] = {}
        # A cache that has never finished a build starts from the shared memos; a used one never asks for them.
        self._new_cache = remote is not None and self.index.get(f"{MEMO}entries") is None
        self._recent = self.memo("entries")  # the records of the animations the last build used

    @classmethod
    def open(cls, root: Path, url: str | None, *, snapshot: bool = False) -> Store:
        """A build's cache in `root`, with the shared store at `url` (`cache_url`) as its second level; as a
        `snapshot` for a dry run, with the shared store looked at and never written to."""
        from .shared import Remote

        if snapshot:
            return cls.snapshot(root, Remote(url, read_only=True) if url else None)
        store = cls(root, remote=Remote(url) if url else None)
        store.remove_stale_temps()  # what a killed build left half-written
        return store

    @classmethod
    def snapshot(cls, root: Path, remote: Remote | None = None) -> Store:
        """A read-only view for dry runs: the index is copied (it is small) so that not a byte of the cache
        changes, not even sqlite's own bookkeeping."""
        scratch = Path(tempfile.mkdtemp(prefix="animate-plan-"))
        if (root / INDEX).is_dir():
            shutil.copytree(root / INDEX, scratch / INDEX)
        store = cls(root, index=scratch / INDEX, remote=remote)
        store._scratch = scratch
        return store

    def memo(self, name: str) -> Memo:
        """The memo `name`, written back when the store is closed."""
        if name not in self._memos:
            shared = name in SHARED_MEMOS
            self._memos[name] = Memo(self.index, name, self.remote if shared else None, shared and self._new_cache)
        return self._memos[name]

    def close(self) -> None:
        try:
            for memo in self._memos.values():
                memo.save()
            if self.remote is not None:
                self.remote.close()  # the uploads still in flight
        finally:
            self.index.close()
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)

    # --- animations ------------------------------------------------------------------------------------------

    def path(self, entry: Entry) -> str:
        """Where the entry's file is: a plain string, as it is joined for every image of every build."""
        return f"{self._folder}/{entry.file}"

    def get(self, key: str, repair: bool = True) -> tuple[Entry | None, str | None]:
        """The entry for `key` if its file matches its record; a damaged one is dropped (unless `repair` is
        off, for a dry run) and the reason returned."""
        recent = self._recent.get(key)  # {"entry": record, "stamp": the file's [inode, size, mtime] when checked}
        if isinstance(recent, dict):
            entry, stamp = entry_of(recent.get("entry")), recent.get("stamp")
            if entry is not None and stamp and stamp == _stamp(self.path(entry)):
                return entry, None  # the very file that was checked before: not read again
        raw = self.index.get(f"{ANIM}{key}")  # the record itself decides
        entry = entry_of(json.loads(raw)) if raw else None
        if entry is None:
            return None, None
        problem, stamp = self._check(entry)
        if problem and not repair:
            return None, None
        if problem:
            self.index.delete(f"{ANIM}{key}")
            _unlink(self.path(entry))
            return None, problem
        self._recent.put(key, {"entry": asdict(entry), "stamp": stamp})
        return entry, None

    def _check(self, entry: Entry) -> tuple[str | None, list[int] | None]:
        """What is wrong with the entry's file, if anything, and the stamp of the file as it was checked (taken
        before its bytes are read, so that a later change shows)."""
        try:
            fd = os.open(self.path(entry), os.O_RDONLY)
        except OSError:
            return f"its file {entry.file} is missing", None
        try:
            stat = os.fstat(fd)
            head = os.read(fd, 16)
        except OSError as error:
            return f"its file {entry.file} cannot be read ({error.strerror})", None
        finally:
            os.close(fd)
        if stat.st_size != entry.bytes:
            return f"its file {entry.file} has {stat.st_size} bytes, not the {entry.bytes} it was written with", None
        offset, magic = BY_EXT[entry.ext].signature if entry.ext in BY_EXT else (0, b"?")
        if head[offset : offset + len(magic)] != magic:
            return f"its file {entry.file} is not a {entry.ext} file", None
        return None, _stamp_of(stat)

    def temp_path(self, key: str, ext: str) -> Path:
        """Where to write before `put`: same folder (so the rename is atomic), a name no reader looks for."""
        return temp_beside(self.files / f"{key}.{ext}")

    def put(self, key: str, temp: Path, ext: str, info: MediaInfo) -> Entry:
        """Move a probed file into place, then record it: a reader never sees a record without its whole file."""
        final = self.files / f"{key}.{ext}"
        os.replace(temp, final)
        entry = Entry(
            key=key,
            file=final.name,
            bytes=final.stat().st_size,
            width=info.width,
            height=info.height,
            frames=info.frames,
            fps=info.fps,
            created=time.time(),
        )
        self.index.set(f"{ANIM}{key}", json.dumps(asdict(entry)))
        self._recent.put(key, {"entry": asdict(entry), "stamp": _stamp(final)})
        self._upload(entry)
        return entry

    def _upload(self, entry: Entry) -> None:
        """Share the animation in the background, with its record; never over a copy already there."""
        if self.remote is not None:
            record = {k: v for k, v in asdict(entry).items() if k not in ("key", "file", "bytes")}
            name, meta = f"{ANIMATIONS}/{entry.file}", {"entry": json.dumps(record)}
            self.remote.write(name, Path(self.path(entry)), meta, exclusive=True)

    # --- the shared second level -----------------------------------------------------------------------------

    def shared(self, key: str) -> bool:
        """Whether the store has the animation `key` (by its listing, read once per build when first asked)."""
        return self._shared_name(key) is not None

    def _shared_name(self, key: str) -> str | None:
        if self.remote is None:
            return None
        if self._shared is None:
            names = self.remote.names(f"{ANIMATIONS}/") or ()
            self._shared = {name[len(ANIMATIONS) + 1 :].split(".", 1)[0]: name for name in names}
        return self._shared.get(key)

    def share(self, key: str) -> None:
        """Upload the animation `key` from this cache unless the store has it (a run killed before its uploads
        ended left it here alone)."""
        if self.remote is not None and not self.shared(key):
            entry, _ = self.get(key)
            if entry is not None:
                self._upload(entry)

    def fetch(self, key: str) -> tuple[Entry | None, str | None]:
        """The animation `key` from the store into this cache, its bytes checked against their sha256 and its file
        as a local one is; or None, and what was wrong with the copy in the store (which is deleted from it)."""
        name = self._shared_name(key)
        if name is None or self.remote is None:
            return None, None
        ext = name.rsplit(".", 1)[-1]
        temp = self.temp_path(key, ext)
        try:
            meta, problem = self.remote.download(name, temp)
            if meta is None:
                return None, problem
            fields = json_dict(meta.get("entry"))
            entry = entry_of({**fields, "key": key, "file": f"{key}.{ext}", "bytes": temp.stat().st_size})
            if entry is None or ext not in BY_EXT:
                self.remote.delete(name)
                return None, f"{name} in the store has no usable record"
            os.replace(temp, self.path(entry))
            problem, stamp = self._check(entry)
            if problem:
                _unlink(self.path(entry))
                self.remote.delete(name)
                return None, f"{name} in the store was damaged: {problem}"
            self.index.set(f"{ANIM}{key}", json.dumps(asdict(entry)))
            self._recent.put(key, {"entry": asdict(entry), "stamp": stamp})
            return entry, None
        finally:
            temp.unlink(missing_ok=True)

    def remove(self, entry: Entry) -> None:
        """Forget the record first, then the file: a reader never finds a record without its file."""
        self.index.delete(f"{ANIM}{entry.key}")
        _unlink(self.path(entry))

    # --- what providers keep ----------------------------------------------------------------------------------

    def provider_cache(self, provider: str) -> ProviderCache:
        """The corner of the cache that the provider named `provider` may use."""
        return ProviderCache(self.index, self.root, self.remote, provider)
