"""`Memo`: what the last build found, kept under one name in the index (and, for the shared ones, in the store)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import diskcache

from .layout import INDEX, MEMO

if TYPE_CHECKING:
    from .shared import Remote


class Memo:
    """What the last build found, under one name: a record of the index read once when a build starts and written
    once when it ends (if anything changed), holding what this build used. A warm build looks things up here
    instead of reading files or the index one by one. It is a hint that saves work, never a decision: whatever is
    taken from it is checked against the files, and a memo that is missing or stale only costs time."""

    def __init__(self, index: diskcache.Cache, name: str, remote: Remote | None = None, seed: bool = False) -> None:
        self._index, self._key = index, f"{MEMO}{name}"
        self._remote = remote  # a shared memo is written back there, and (`seed`) read from there by a new cache
        self._seeded = False
        raw = index.get(self._key)
        if raw is None and seed and remote and f"{INDEX}/{self._key}" in (remote.names(f"{INDEX}/{MEMO}") or ()):
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
