"""What the cache holds (`cache stats`) and trimming it (`cache prune`): a part of `Store`."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .entries import Entry, entry_of, json_dict
from .layout import ANIM, CLAIMS, CLIPS, COSTS, INDEX, LEGACY_TEXTS, TEXTS

if TYPE_CHECKING:
    import diskcache


@dataclass(frozen=True)
class Stats:
    """What `Store.stats` counts: (files, bytes) pairs."""

    animations: dict[str, tuple[int, int]]  # by extension
    clips: tuple[int, int]  # the files providers keep
    prompts: int  # the texts providers keep
    journal: int  # claims: paid generations in progress
    index_bytes: int
    spent: tuple[int, float] = (0, 0.0)  # paid clips whose cost the provider reported, and the US dollars


class Upkeep:
    """Counting and pruning (a part of `Store`, which has the folders and the index)."""

    root: Path
    files: Path
    index: diskcache.Cache

    def entries(self) -> list[Entry]:
        found = (entry_of(json.loads(self.index[k])) for k in list(self.index.iterkeys()) if k.startswith(ANIM))
        return [entry for entry in found if entry is not None]

    def clips(self) -> list[Path]:
        """The files providers keep, every provider's."""
        folder = self.root / CLIPS
        return (
            sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
            if folder.is_dir()
            else []
        )

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
        index = self.root / INDEX
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
                record = json_dict(self.index.get(key))
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
            try:
                stat = clip.stat()
            except FileNotFoundError:  # removed meanwhile by a build sharing the cache
                continue
            if (keep_clips is not None and clip.stem not in keep_clips) or (
                older_than is not None and stat.st_mtime < cutoff
            ):
                freed, removed = freed + stat.st_size, removed + 1
                clip.unlink(missing_ok=True)
        self.remove_stale_temps()
        return removed, freed

    def remove_stale_temps(self, older_than: float = 86400) -> None:
        """Temporary files left by a killed build (a finished write renames its file at once)."""
        now = time.time()
        for folder in (self.files, self.root / CLIPS):
            for temp in folder.rglob(".*.tmp.*") if folder.is_dir() else ():
                with contextlib.suppress(FileNotFoundError):  # a build sharing the cache finished it meanwhile
                    if now - temp.stat().st_mtime > older_than:
                        temp.unlink()
