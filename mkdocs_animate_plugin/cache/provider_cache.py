"""`ProviderCache`: the corner of the cache a provider may keep things in (texts, blobs, claims, costs), here and,
with `cache_url`, in the shared store under the same names."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..disk import temp_beside
from .entries import json_dict
from .layout import CLAIMS, CLIPS, COSTS, INDEX, LEGACY_PROVIDERS, LEGACY_TEXTS, TEXTS

if TYPE_CHECKING:
    import diskcache

    from .shared import Remote


class ProviderCache:
    """What a provider may keep in the cache, under its own name, and nothing else:

    - texts: small strings by key (the motion prompts a vision model wrote);
    - blobs: files by key (the paid clips as downloaded), kept by an atomic rename from a temporary file;
    - claims: small JSON records by key, claimed atomically: between builds that share the cache, of two claims of
      one key only one succeeds (the journal of paid generations, which survives a build killed at any point);
    - costs: what each paid clip cost, as the provider reported it (`{"usd": ..., ...}`), kept with the cache.
    """

    def __init__(self, index: diskcache.Cache, root: Path, remote: Remote | None, provider: str) -> None:
        """The corner of `provider` in the cache folder `root` with its `index`, and in the shared store `remote`
        (`cache_url`) under the same names; what this build did there decides what `release` may delete."""
        self._index = index
        legacy = provider in LEGACY_PROVIDERS
        self._texts = f"{LEGACY_TEXTS}/" if legacy else f"{TEXTS}/{provider}/"
        self._claims = f"{CLAIMS}/" if legacy else f"{CLAIMS}/{provider}/"
        self.folder = root / CLIPS if legacy else root / CLIPS / provider
        self._remote = remote
        self._shared_folder = self.folder.relative_to(root).as_posix()
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
        return temp_beside(self.folder / f"{key}.{ext}")

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
        if (
            before
            and isinstance(before.get("usd"), (int, float))
            and before.get("generation") != record.get("generation")
        ):
            record = {**record, "usd": before["usd"] + record["usd"]}
        self._index.set(self._costs + key, json.dumps(record))

    def cost(self, key: str) -> dict[str, Any] | None:
        raw = self._index.get(self._costs + key)
        return None if raw is None else json_dict(raw)
