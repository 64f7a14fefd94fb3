"""What the index holds: the keys (short hashes of explicit inputs) and the record of one animation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

KEY_LENGTH = 20

# One encoder for every key (`json.dumps` with options builds a new one per call: a warm build makes a key per image).
_KEY_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def make_key(payload: dict[str, Any]) -> str:
    """A short, stable key: the sha256 of the inputs as sorted JSON."""
    return hashlib.sha256(_KEY_JSON.encode(payload).encode()).hexdigest()[:KEY_LENGTH]


def entry_of(fields: object) -> Entry | None:
    """An entry from its record, or None for one written by another version."""
    try:
        return Entry(**fields) if isinstance(fields, dict) else None
    except TypeError:
        return None


def json_dict(raw: object) -> dict[str, Any]:
    """A JSON object read from the index or the store; {} for anything else (a record never fails a build)."""
    try:
        value = json.loads(raw) if isinstance(raw, (str, bytes)) else None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


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
