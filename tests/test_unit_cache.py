"""The cache in-process: `Store` (put, get, damage, repair, stats, prune, temporary files), `Memo`, and the
corner of it a provider sees (`ProviderCache`), with `Provider.needs_payment` derived from it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from mkdocs_animate_plugin.cache import Store
from mkdocs_animate_plugin.providers.base import AnimationRequest, Clip, Provider
from mkdocs_animate_plugin.video.media import MediaInfo

MP4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100
INFO = MediaInfo(
    codec="h264", pix_fmt="yuv420p", width=16, height=16, fps=12.0, frames=12, duration=1.0, has_audio=False
)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "cache")
    yield store
    store.close()


def put(store: Store, key: str, data: bytes = MP4):
    temp = store.temp_path(key, "mp4")
    temp.write_bytes(data)
    return store.put(key, temp, "mp4", INFO)


def test_put_then_get_and_a_new_store_finds_it(store):
    entry = put(store, "k1")
    assert store.get("k1") == (entry, None)
    assert (entry.width, entry.frames, entry.bytes, entry.ext) == (16, 12, len(MP4), "mp4")
    assert not list(store.files.glob(".*.tmp.*")), "the temporary file was renamed into place"
    store.close()
    again = Store(store.root)
    assert again.get("k1") == (entry, None)
    assert again.get("nothing") == (None, None)
    again.close()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: path.unlink(), "is missing"),
        (lambda path: path.write_bytes(MP4[:50]), "has 50 bytes"),
        (lambda path: path.write_bytes(b"GIF89a\0\0" + MP4[8:]), "is not a mp4 file"),
    ],
)
def test_a_damaged_entry_is_dropped_with_its_reason(store, damage, reason):
    entry = put(store, "k1")
    store.close()
    path = Path(store.path(entry))
    damage(path)
    if path.exists():  # a later write shows in the file's stamp (the same clock tick would not: a memo is a hint)
        os.utime(path, (time.time() + 5,) * 2)
    store = Store(store.root)
    found, problem = store.get("k1", repair=False)
    assert found is None and problem is None, "a dry run drops nothing"
    found, problem = store.get("k1")
    assert found is None and reason in problem
    assert store.get("k1") == (None, None), "repaired: the record is gone"
    assert not Path(store.path(entry)).exists()
    store.close()


def test_stats_count_animations_clips_texts_and_claims(store):
    put(store, "a")
    put(store, "b")
    aimlapi, other = store.provider_cache("aimlapi"), store.provider_cache("fade")
    temp = aimlapi.blob_temp("c1")
    temp.write_bytes(b"clip")
    aimlapi.keep("c1", temp)
    aimlapi.set_text("p1", "a prompt")
    other.set_text("p1", "another")
    assert aimlapi.claim("g1", {"id": None}) and other.claim("g1", {"id": None})
    stats = store.stats()
    assert stats.animations == {"mp4": (2, 2 * len(MP4))}
    assert stats.clips == (1, 4) and stats.prompts == 2 and stats.journal == 2


def test_prune_keeps_what_is_used_and_removes_old_temporary_files(store):
    put(store, "used")
    put(store, "unused")
    cache = store.provider_cache("aimlapi")
    for key in ("kept", "dropped"):
        temp = cache.blob_temp(key)
        temp.write_bytes(b"clip")
        cache.keep(key, temp)
    stale, fresh = cache.blob_temp("x"), store.temp_path("y", "mp4")
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    removed, freed = store.prune({"used"}, {"kept"}, None)
    assert (removed, freed) == (2, len(MP4) + 4)
    assert [e.key for e in store.entries()] == ["used"]
    assert cache.is_kept("kept") and not cache.is_kept("dropped")
    assert not stale.exists() and fresh.exists(), "only a killed build's old temporary file goes"
    assert store.prune(None, None, older_than=0) == (2, len(MP4) + 4)


def test_the_layout_is_today_s_for_the_ai_ml_api_and_a_corner_for_others(store):
    aimlapi, other = store.provider_cache("aimlapi"), store.provider_cache("fade")
    assert aimlapi.blob("k") == store.root / "clips" / "k.mp4"
    assert other.blob("k") == store.root / "clips" / "fade" / "k.mp4"
    aimlapi.set_text("k", "prompt")
    aimlapi.claim("k", {"id": "g"})
    assert store.index.get("prompt/k") == "prompt" and json.loads(store.index.get("journal/k")) == {"id": "g"}
    assert other.get_text("k") is None and other.claimed("k") is None, "one provider's corner is not another's"


def test_claims_are_taken_once_updated_and_released(store):
    first, second = store.provider_cache("aimlapi"), Store(store.root).provider_cache("aimlapi")
    assert first.claim("k", {"id": None, "pid": 1})
    assert not second.claim("k", {"id": None, "pid": 2}), "another build sharing the cache cannot claim it"
    first.update_claim("k", {"id": "gen-1"})
    assert second.claimed("k") == {"id": "gen-1"}
    first.release("k")
    assert second.claimed("k") is None and second.claim("k", {"id": None})
    store.index.set("journal/bad", "{not json")
    assert first.claimed("bad") == {}, "an unreadable claim is an empty one, which can be taken over"


def test_memo_reads_once_saves_only_what_was_used_and_keeps_others(store):
    memo = store.memo("m")
    memo.put("a", 1)
    memo.put("b", 2)
    store.close()
    store = Store(store.root)
    memo = store.memo("m")
    assert store.memo("m") is memo
    assert memo.get("a") == 1 and memo.get("missing") is None
    store.index.set("memo/other", json.dumps({"x": 1}))  # another version's record
    store.close()
    store = Store(store.root)
    assert json.loads(store.index.get("memo/m")) == {"a": 1}, "b was not used: it is forgotten"
    assert json.loads(store.index.get("memo/other")) == {"x": 1}
    store.index.set("memo/m", "not json")
    assert store.memo("m").get("a") is None, "a broken record is an empty memo"
    store.close()


def test_a_snapshot_changes_nothing(store):
    put(store, "a")
    store.close()
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()}
    snapshot = Store.snapshot(store.root)
    snapshot.provider_cache("aimlapi").set_text("x", "y")
    snapshot.memo("m").put("k", 1)
    snapshot.close()
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()} == before


class Paid(Provider):
    name = "paid"
    paid = True

    def identity(self):
        return {"name": self.name}

    def paid_key(self, request):
        return f"key-{request.take}"

    async def animate(self, request):
        return Clip(fps=1)


class Settings:
    provider_options = None


def test_needs_payment_is_derived_from_the_paid_key_and_the_cache(store):
    provider = Paid(Settings(), store.provider_cache("paid"))
    request = AnimationRequest(Path("a.png"), "sha", 10, 10, 10, 10, 12, 5, "auto", "video")
    assert provider.needs_payment(request) == "key-1"
    provider.cache.claim("key-1", {"id": None})
    assert provider.needs_payment(request) is None, "being paid for by a build"
    provider.cache.release("key-1")
    temp = provider.cache.blob_temp("key-1")
    temp.write_bytes(b"clip")
    provider.cache.keep("key-1", temp)
    assert provider.needs_payment(request) is None, "kept from an earlier build"
    assert Provider.paid_key(provider, request) is None, "a free provider pays nothing"
