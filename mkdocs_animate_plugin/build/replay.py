"""What planning did with each page, remembered so that a warm build can do it again without the work.

A page is remembered by its text, its folder and the build's fingerprint (settings and provider). Where nothing
it depends on changed (each image resolves to the same file with the same bytes, each animation is still in the
cache as it was), the page gets the same edits without being parsed. Only pages that were wholly settled at once,
with no warning, are replayed, so warnings repeat on every build.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..cache import Entry, Store
from ..selection.discover import Candidate
from ..selection.stills import Still, Stills
from .jobs import Resolver


@dataclass
class PageLog:
    """What planning one page did."""

    edits: list[list] = field(default_factory=list)  # [start, end, markup]
    images: list = field(default_factory=list)  # [src, path, sha256, key, [file, width, height]] per animation
    skipped: Counter = field(default_factory=Counter)  # reasons for the images left still, for the summary
    replayable: bool = True

    def shown(self, candidate: Candidate, path: str, still: Still, key: str, entry: Entry, markup: str) -> None:
        self.edits.append([candidate.tag.start, candidate.tag.end, markup])
        self.images.append([candidate.src, path, still.sha256, key, [entry.file, entry.width, entry.height]])

    def memo(self, candidates: list[Candidate]) -> dict:
        """What to remember: what discovery found, and what to replay (lists and plain dicts, as they come back
        from the memo, so that an unchanged page leaves the memo unchanged)."""
        replay = {"edits": self.edits, "images": self.images, "skipped": dict(self.skipped)}
        return {"found": [candidate.recall for candidate in candidates], "replay": replay if self.replayable else None}


@dataclass(frozen=True)
class Replay:
    """A page as the last build made it: its edits, its animations (src, key, still, entry) and its stills."""

    edits: list
    shown: list[tuple[str, str, Still, Entry]]
    skipped: Counter


class PageMemo:
    def __init__(self, store: Store, fingerprint: str) -> None:
        self._logs = store.memo("pages")
        self._fingerprint = fingerprint

    def key(self, text: str, page_dir: str) -> str:
        identity = f"{self._fingerprint}\0{page_dir}\0{text}".encode("utf-8", "surrogateescape")
        return hashlib.blake2b(identity, digest_size=16).hexdigest()

    def recall(self, key: str) -> dict:
        known = self._logs.get(key)
        return known if isinstance(known, dict) else {}

    def remember(self, key: str, record: PageLog, candidates: list[Candidate]) -> None:
        self._logs.put(key, record.memo(candidates))

    @staticmethod
    def replay(record: dict, resolve: Resolver, stills: Stills, cached: Callable[[str], Entry | None]) -> Replay | None:
        """The page's record, if each of its images still resolves to the same file with the same bytes and
        its animation is still in the cache as it was; else None, and the page is planned."""
        shown = []
        try:
            for src, path, sha256, key, kept in record["images"]:
                resolved = resolve(src)
                still = stills.get(path) if resolved and os.fspath(resolved) == path else None
                if not isinstance(still, Still) or still.sha256 != sha256:
                    return None
                entry = cached(key)
                if entry is None or [entry.file, entry.width, entry.height] != kept:
                    return None
                shown.append((src, key, still, entry))
            edits = [[int(start), int(end), str(markup)] for start, end, markup in record["edits"]]
            skipped = Counter({str(reason): int(count) for reason, count in record["skipped"].items()})
        except (TypeError, ValueError, KeyError, AttributeError):  # a record written by another version
            return None
        return Replay(edits, shown, skipped)
