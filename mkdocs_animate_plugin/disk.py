"""Files written whole or not at all, and the content hash: each done once, here, for the cache, the review file,
the build's record and the pages the command writes."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path


def temp_beside(path: Path) -> Path:
    """Where to write `path` before it is renamed into place: the same folder (so the rename is atomic), a name no
    reader looks for (`.NAME.PID.NS.tmp.EXT`, which `cache prune` and a later build clear if a run was killed)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.{time.monotonic_ns()}.tmp{path.suffix}")


def write_whole(path: Path, data: str | bytes, *, encoding: str = "utf-8", errors: str = "strict") -> None:
    """Replace `path` whole or not at all: a reader, or a run killed mid-write, never sees half a file."""
    temp = temp_beside(path)
    try:
        if isinstance(data, str):
            temp.write_text(data, encoding=encoding, errors=errors)
        else:
            temp.write_bytes(data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def sha256(source: Path | bytes) -> str:
    """The hex sha256 of a file's bytes (read in chunks: a camera photo is never held twice) or of bytes given."""
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with open(source, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
