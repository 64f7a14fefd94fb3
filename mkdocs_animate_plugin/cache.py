"""The cache: every made animation, keyed by what it was made from, so a rebuild costs nothing.

    cache_dir/
      animations/<key>.<ext>    plain files, written to a temporary name and renamed: never half a file
      clips/[<provider>/]<key>.<ext>   what providers keep (the paid clips, as downloaded)
      index/                    diskcache (sqlite): a small record per animation (`anim/<key>`), the memos of what
                                the last build found (`memo/<name>`: hints for a fast warm build), and what providers
                                keep there: texts (`text/<provider>/<key>`), claims (`journal/<provider>/<key>`)
                                and what paid clips cost (`cost/<provider>/<key>`)

This module alone knows the layout. Providers see only their own corner of it, through `ProviderCache`. The AI/ML
API's records predate that corner and keep their places (`clips/<key>.mp4`, `prompt/<key>`, `journal/<key>`), so
a cache written before it is used as it is.

With `cache_url`, an S3-compatible store (`remote.Remote`) is the second level, under the same names: a miss here
is looked for there, and what a build makes or downloads is uploaded.

    s3://bucket/prefix/
      animations/<key>.<ext>    the file; its record (size, frames, rate) and the sha256 of its bytes as metadata
      clips/[<provider>/]<key>.<ext>   the kept paid clips
      index/<name>              one object per shared record of the index: the providers' texts and claims (the
                                claim made with `If-None-Match: *`, so one machine pays), and the memos that hold
                                nothing of one machine (`memo/headers`, `memo/kinds`: by the image's hash)

Keys are hashes of explicit inputs (the image's bytes and the normalised settings), never of paths, dates or
machine names, so the folder can move to another checkout, runner or user and still be used as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import diskcache

from .errors import CacheError
from .outputs import BY_EXT

if TYPE_CHECKING:
    from .media import MediaInfo
    from .remote import Remote

KEY_LENGTH = 20
# The first bytes of each kind of file: a record is only trusted if its file still starts like one.


# One encoder for every key (`json.dumps` with options builds a new one per call: a warm build makes a key per image).
_KEY_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def make_key(payload: dict[str, Any]) -> str:
    """A short, stable key: the sha256 of the inputs as sorted JSON."""
    return hashlib.sha256(_KEY_JSON.encode(payload).encode()).hexdigest()[:KEY_LENGTH]


def _stamp(path: str | Path) -> list[int] | None:
    """A file's inode, size and modification time: while they are as they were, so are its bytes (a rewrite or a
    replacement changes them; linking it into a site changes only its change time, which is not part of it)."""
    try:
        return _stamp_of(os.stat(path))
    except OSError:
        return None


def _stamp_of(stat: os.stat_result) -> list[int]:
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _entry(fields: object) -> Entry | None:
    """An entry from its record, or None for one written by another version."""
    try:
        return Entry(**fields) if isinstance(fields, dict) else None
    except TypeError:
        return None


def _json_dict(raw: object) -> dict[str, Any]:
    try:
        value = json.loads(raw) if isinstance(raw, (str, bytes)) else None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# The memos that hold nothing of one machine (no path, stamp or inode: records by the image's hash), shared in the store.
SHARED_MEMOS = frozenset({"headers", "kinds"})
INDEX = "index"  # the store's folder of the index's records


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@dataclass(frozen=True)
class Entry:
    """One cached animation: its file (relative to the cache), and what the probe said of it when it was made."""

    key: str
    file: str
    bytes: int
    width: int
    height: int
    frames: int
    fps: float
    created: float

    @property
    def ext(self) -> str:
        return self.file.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Stats:
    """What `Store.stats` counts: (files, bytes) pairs."""

    animations: dict[str, tuple[int, int]]  # by extension
    clips: tuple[int, int]  # the files providers keep
    prompts: int  # the texts providers keep
    journal: int  # claims: paid generations in progress
    index_bytes: int
    spent: tuple[int, float] = (0, 0.0)  # paid clips whose cost the provider reported, and the US dollars


class Memo:
    """What the last build found, under one name: a record of the index read once when a build starts and written
    once when it ends (if anything changed), holding what this build used. A warm build looks things up here
    instead of reading files or the index one by one. It is a hint that saves work, never a decision: whatever is
    taken from it is checked against the files, and a memo that is missing or stale only costs time."""

    def __init__(self, index: diskcache.Cache, name: str, remote: Remote | None = None, seed: bool = False) -> None:
        self._index, self._key = index, f"memo/{name}"
        self._remote = remote  # a shared memo is written back there, and (`seed`) read from there by a new cache
        self._seeded = False
        raw = index.get(self._key)
        if raw is None and seed and remote and f"{INDEX}/{self._key}" in (remote.names(f"{INDEX}/memo/") or ()):
            body, _ = remote.read(f"{INDEX}/{self._key}")
            raw = body.decode("utf-8", "replace") if body is not None else None
            self._seeded = raw is not None  # to be written to this cache as it is, not only if it changed
        try:
            old = json.loads(raw or "{}")
        except (TypeError, ValueError):
            old = {}
        self._old: dict[str, Any] = old if isinstance(old, dict) else {}
        self._new: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        value = self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value

    def save(self) -> None:
        """Keep only what this build used, so the record never grows beyond the site."""
        changed = self._new != self._old
        if self._new and (changed or self._seeded):
            body = json.dumps(self._new, separators=(",", ":"))
            try:
                self._index.set(self._key, body)
            except diskcache.Timeout:
                pass  # another build holds the index: the next build finds less remembered, and reads more
            # Shared only when this build learnt something (a build that used less would shrink it for everyone).
            if self._remote is not None and not self._new.keys() <= self._old.keys():
                self._remote.write(f"{INDEX}/{self._key}", body.encode())


class Store:
    """The cache folder. One instance per build; safe to use from several threads."""

    def __init__(self, root: Path, index: Path | None = None, remote: Remote | None = None) -> None:
        self.root = root
        self.remote = remote  # the shared second level (`cache_url`), or None
        self._shared: dict[str, str] | None = None  # key -> name of the animations in the store, listed once
        self.files = root / "animations"
        self._folder = os.fspath(self.files)
        self._scratch: Path | None = None
        try:
            if index is None:
                self.files.mkdir(parents=True, exist_ok=True)
            self.index = diskcache.Cache(str(index or root / "index"))
        except (OSError, diskcache.core.Timeout) as error:
            raise CacheError(f"the cache folder {root} cannot be used: {error}") from None
        self._memos: dict[str, Memo] = {}
        # A cache that has never finished a build starts from the shared memos; a used one never asks for them.
        self._new_cache = remote is not None and self.index.get("memo/entries") is None
        self._recent = self.memo("entries")  # the records of the animations the last build used

    @classmethod
    def snapshot(cls, root: Path, remote: Remote | None = None) -> Store:
        """A read-only view for dry runs: the index is copied (it is small) so that not a byte of the cache
        changes, not even sqlite's own bookkeeping."""
        scratch = Path(tempfile.mkdtemp(prefix="animate-plan-"))
        if (root / "index").is_dir():
            shutil.copytree(root / "index", scratch / "index")
        store = cls(root, index=scratch / "index", remote=remote)
        store._scratch = scratch
        return store

    def memo(self, name: str) -> Memo:
        """The memo `name`, written back when the store is closed."""
        if name not in self._memos:
            shared = name in SHARED_MEMOS
            self._memos[name] = Memo(self.index, name, self.remote if shared else None, shared and self._new_cache)
        return self._memos[name]

    def close(self) -> None:
        for memo in self._memos.values():
            memo.save()
        if self.remote is not None:
            self.remote.close()  # the uploads still in flight
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
            entry, stamp = _entry(recent.get("entry")), recent.get("stamp")
            if entry is not None and stamp and stamp == _stamp(self.path(entry)):
                return entry, None  # the very file that was checked before: not read again
        raw = self.index.get(f"anim/{key}")  # the record itself decides
        entry = _entry(json.loads(raw)) if raw else None
        if entry is None:
            return None, None
        problem, stamp = self._check(entry)
        if problem and not repair:
            return None, None
        if problem:
            self.index.delete(f"anim/{key}")
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
        return self.files / f".{key}.{os.getpid()}.{time.monotonic_ns()}.tmp.{ext}"

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
        self.index.set(f"anim/{key}", json.dumps(asdict(entry)))
        self._recent.put(key, {"entry": asdict(entry), "stamp": _stamp(final)})
        if self.remote is not None:  # shared in the background, with its record; never over a copy already there
            record = {k: v for k, v in asdict(entry).items() if k not in ("key", "file", "bytes")}
            self.remote.write(f"{ANIMATIONS}/{final.name}", final, {"entry": json.dumps(record)}, exclusive=True)
        return entry

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
            fields = _json_dict(meta.get("entry"))
            entry = _entry({**fields, "key": key, "file": f"{key}.{ext}", "bytes": temp.stat().st_size})
            if entry is None or ext not in BY_EXT:
                self.remote.delete(name)
                return None, f"{name} in the store has no usable record"
            os.replace(temp, self.path(entry))
            problem, stamp = self._check(entry)
            if problem:
                _unlink(self.path(entry))
                self.remote.delete(name)
                return None, f"{name} in the store was damaged: {problem}"
            self.index.set(f"anim/{key}", json.dumps(asdict(entry)))
            self._recent.put(key, {"entry": asdict(entry), "stamp": stamp})
            return entry, None
        finally:
            temp.unlink(missing_ok=True)

    # --- what the cache holds, and trimming it ---------------------------------------------------------------

    def entries(self) -> list[Entry]:
        found = (_entry(json.loads(self.index[k])) for k in list(self.index.iterkeys()) if k.startswith("anim/"))
        return [entry for entry in found if entry is not None]

    def clips(self) -> list[Path]:
        """The files providers keep, every provider's."""
        folder = self.root / CLIPS
        return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []

    def count(self, *prefixes: str) -> int:
        return sum(1 for k in self.index.iterkeys() if k.startswith(prefixes))

    def stats(self) -> Stats:
        """What the cache holds: animations by extension, kept clips, prompts, open generations, the index."""
        by_ext: dict[str, list[int]] = {}
        for entry in self.entries():
            count_bytes = by_ext.setdefault(entry.ext, [0, 0])
            count_bytes[0] += 1
            count_bytes[1] += entry.bytes
        clips = self.clips()
        index = self.root / "index"
        return Stats(
            animations={ext: (n, size) for ext, (n, size) in by_ext.items()},
            clips=(len(clips), sum(c.stat().st_size for c in clips)),
            prompts=self.count(f"{TEXTS}/", f"{LEGACY_TEXTS}/"),
            journal=self.count(f"{CLAIMS}/"),
            spent=self._spent(),
            index_bytes=sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) if index.is_dir() else 0,
        )

    def _spent(self) -> tuple[int, float]:
        """The cost records of every provider: how many, and their US dollars."""
        count, usd = 0, 0.0
        for key in list(self.index.iterkeys()):
            if key.startswith(f"{COSTS}/"):
                record = _json_dict(self.index.get(key))
                if isinstance(record.get("usd"), (int, float)):
                    count, usd = count + 1, usd + record["usd"]
        return count, usd

    def prune(self, keep: set[str] | None, keep_clips: set[str] | None, older_than: float | None) -> tuple[int, int]:
        """Remove the animations and kept clips not in `keep` / `keep_clips` (None: keep all), or made more than
        `older_than` days ago, and the temporary files of killed builds; the count and bytes removed."""
        cutoff = time.time() - (older_than or 0) * 86400
        removed = freed = 0
        for entry in self.entries():
            if (keep is not None and entry.key not in keep) or (older_than is not None and entry.created < cutoff):
                freed, removed = freed + entry.bytes, removed + 1
                self.remove(entry)
        for clip in self.clips():
            stat = clip.stat()
            if (keep_clips is not None and clip.stem not in keep_clips) or (older_than is not None and stat.st_mtime < cutoff):
                freed, removed = freed + stat.st_size, removed + 1
                clip.unlink()
        self.remove_stale_temps()
        return removed, freed

    def remove(self, entry: Entry) -> None:
        """Forget the record first, then the file: a reader never finds a record without its file."""
        self.index.delete(f"anim/{entry.key}")
        _unlink(self.path(entry))

    def remove_stale_temps(self, older_than: float = 86400) -> None:
        """Temporary files left by a killed build (a finished write renames its file at once)."""
        now = time.time()
        for folder in (self.files, self.root / CLIPS):
            for temp in folder.rglob(".*.tmp.*") if folder.is_dir() else ():
                if now - temp.stat().st_mtime > older_than:
                    temp.unlink(missing_ok=True)

    # --- what providers keep ----------------------------------------------------------------------------------

    def provider_cache(self, provider: str) -> ProviderCache:
        """The corner of the cache that the provider named `provider` may use."""
        return ProviderCache(self, provider)


# The index's and the folder's names for what providers keep. The AI/ML API's predate the per-provider corners.
ANIMATIONS = "animations"
CLIPS, TEXTS, CLAIMS, COSTS = "clips", "text", "journal", "cost"
LEGACY_TEXTS = "prompt"
LEGACY_PROVIDERS = frozenset({"aimlapi"})


class ProviderCache:
    """What a provider may keep in the cache, under its own name, and nothing else:

    - texts: small strings by key (the motion prompts a vision model wrote);
    - blobs: files by key (the paid clips as downloaded), kept by an atomic rename from a temporary file;
    - claims: small JSON records by key, claimed atomically: between builds that share the cache, of two claims of
      one key only one succeeds (the journal of paid generations, which survives a build killed at any point);
    - costs: what each paid clip cost, as the provider reported it (`{"usd": ..., ...}`), kept with the cache.
    """

    def __init__(self, store: Store, provider: str) -> None:
        self._index = store.index
        legacy = provider in LEGACY_PROVIDERS
        self._texts = f"{LEGACY_TEXTS}/" if legacy else f"{TEXTS}/{provider}/"
        self._claims = f"{CLAIMS}/" if legacy else f"{CLAIMS}/{provider}/"
        self.folder = store.root / CLIPS if legacy else store.root / CLIPS / provider
        # The store (`cache_url`): the same names. What this build did there decides what `release` may delete.
        self._remote = store.remote
        self._shared_folder = self.folder.relative_to(store.root).as_posix()
        self._looked: set[str] = set()  # blobs looked for in the store (once a build)
        self._pulled: set[str] = set()  # blobs downloaded from it
        self._lost: set[str] = set()  # keys whose claim in the store is another build's
        self._kept: set[str] = set()  # blobs this build kept
        self._costs = f"{COSTS}/{provider}/"

    # --- texts

    def get_text(self, key: str) -> str | None:
        value = self._index.get(self._texts + key)
        if value is None and self._listed(f"{INDEX}/{self._texts}", key):
            body, _ = self._remote.read(f"{INDEX}/{self._texts}{key}")  # type: ignore[union-attr]
            if body is not None:
                value = body.decode("utf-8", "replace")
                self._index.set(self._texts + key, value)
        return value

    def set_text(self, key: str, value: str) -> None:
        self._index.set(self._texts + key, value)
        if self._remote is not None:
            self._remote.write(f"{INDEX}/{self._texts}{key}", value.encode())

    def delete_text(self, key: str) -> None:
        self._index.delete(self._texts + key)
        if self._remote is not None:
            self._remote.delete(f"{INDEX}/{self._texts}{key}")

    def _listed(self, folder: str, name: str) -> bool:
        """Whether the store's listing of `folder` (once a build) has `name`."""
        return self._remote is not None and f"{folder}{name}" in (self._remote.names(folder) or ())

    # --- blobs

    def blob(self, key: str, ext: str = "mp4") -> Path:
        """Where the file kept under `key` is (whether or not it is there yet); one the store has and this cache
        has not is downloaded first."""
        path = self.folder / f"{key}.{ext}"
        name = f"{self._shared_folder}/{key}.{ext}"
        if name not in self._looked and not path.is_file() and self._listed(f"{self._shared_folder}/", f"{key}.{ext}"):
            self._pull(name, path, key, ext)
        self._looked.add(name)
        return path

    def is_kept(self, key: str, ext: str = "mp4") -> bool:
        """Kept here, or in the store (fetched when it is used)."""
        path = self.folder / f"{key}.{ext}"
        return path.is_file() or self._listed(f"{self._shared_folder}/", f"{key}.{ext}")

    def _pull(self, name: str, path: Path, key: str, ext: str) -> None:
        assert self._remote is not None
        temp = self.blob_temp(key, ext)
        try:
            meta, _ = self._remote.download(name, temp)
            if meta is not None:
                os.replace(temp, path)
                self._pulled.add(name)
        finally:
            temp.unlink(missing_ok=True)

    def blob_temp(self, key: str, ext: str = "mp4") -> Path:
        """Where to write a file before `keep`: the same folder (so the rename is atomic), a name no reader takes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f".{key}.{os.getpid()}.{time.monotonic_ns()}.tmp.{ext}"

    def keep(self, key: str, temp: Path, ext: str = "mp4") -> Path:
        """Move a finished file into place: a reader sees the whole file or none."""
        final = self.folder / f"{key}.{ext}"
        os.replace(temp, final)
        self._kept.add(key)
        if self._remote is not None:
            self._remote.write(f"{self._shared_folder}/{final.name}", final, exclusive=True)
        return final

    def drop(self, key: str, ext: str = "mp4") -> None:
        """Forget a kept file found unusable; one that came from the store this build is deleted there too."""
        name = f"{self._shared_folder}/{key}.{ext}"
        (self.folder / f"{key}.{ext}").unlink(missing_ok=True)
        self._looked.add(name)
        if name in self._pulled and self._remote is not None:
            self._remote.delete(name)

    # --- claims

    def claim(self, key: str, record: dict[str, Any]) -> bool:
        """Claim `key` with `record`, unless it is claimed already: atomic, across processes sharing the cache,
        and with a store, across machines (a conditional write, `If-None-Match: *`: one machine wins). The winner
        first looks again in the store for the blob: if another machine finished it meanwhile, it is fetched, and
        the caller finds it kept."""
        if not self._index.add(self._claims + key, json.dumps(record)):
            return False
        if self._remote is None:
            return True
        made = self._remote.create(f"{INDEX}/{self._claims}{key}", json.dumps(record).encode())
        if made is False:  # another machine's: its record (and soon its generation id) is read from the store
            self._index.delete(self._claims + key)
            self._lost.add(key)
            return False
        self._lost.discard(key)
        if made:
            for name in self._remote.names(f"{self._shared_folder}/{key}.", fresh=True) or ():
                ext = name.rsplit(".", 1)[-1]
                if name not in self._pulled:
                    self._pull(name, self.folder / f"{key}.{ext}", key, ext)
        return True

    def claimed(self, key: str) -> dict[str, Any] | None:
        """The record of the claim on `key`, or None when there is none (one that cannot be read is empty). Where
        another machine holds the claim, its record in the store, read afresh each time: it is waited on for the
        generation id it will hold, which this build then polls itself."""
        raw = self._index.get(self._claims + key)
        if raw is None and self._remote is not None:
            name = f"{INDEX}/{self._claims}{key}"
            if key in self._lost:
                body, _ = self._remote.read(name)
                raw = body.decode("utf-8", "replace") if body is not None else None
            elif self._listed(f"{INDEX}/{self._claims}", key):
                raw = "{}"  # being paid for elsewhere (the record is read when it is waited on)
        if raw is None:
            return None
        try:
            record = json.loads(raw)
        except (TypeError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def update_claim(self, key: str, record: dict[str, Any]) -> None:
        """Write the claim's record (the generation id, before any wait): here, and in the store at once, where
        another machine that lost the claim waits for it."""
        self._index.set(self._claims + key, json.dumps(record))
        if self._remote is not None:
            self._remote.write(f"{INDEX}/{self._claims}{key}", json.dumps(record).encode(), wait=True)

    def release(self, key: str) -> None:
        """End the claim: here, and in the store, unless it is another machine's whose clip this build fetched
        itself (that machine ends it; a claim left by a machine that died ends by a lifecycle rule, or by the
        provider's own rules for old and abandoned claims, which release it to take it over)."""
        self._index.delete(self._claims + key)
        if self._remote is not None and not (key in self._lost and key in self._kept):
            self._remote.delete(f"{INDEX}/{self._claims}{key}")
        self._lost.discard(key)

    # --- costs

    def set_cost(self, key: str, record: dict[str, Any]) -> None:
        """Record what the clip `key` cost (`usd`, and whatever else the provider says); a clip paid for again
        (its link expired before it was fetched) adds to what it cost."""
        before = self.cost(key)
        if before and isinstance(before.get("usd"), (int, float)) and before.get("generation") != record.get("generation"):
            record = {**record, "usd": before["usd"] + record["usd"]}
        self._index.set(self._costs + key, json.dumps(record))

    def cost(self, key: str) -> dict[str, Any] | None:
        raw = self._index.get(self._costs + key)
        return None if raw is None else _json_dict(raw)
