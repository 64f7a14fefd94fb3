"""The build's record: every clip the last build had an animation for, shown or held back, and how the gallery
and `--list` show it beside the editor's decisions (decisions.py).

    cache_dir/review-record.json (`RECORD`): each clip with where it is shown, its prompt, model, take and cost.
    It holds no absolute path (the still is named relative to the folder of mkdocs.yml, the animation relative to
    the cache).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..disk import write_whole
from .decisions import PENDING, Review, ReviewError

RECORD = "review-record.json"  # in the cache folder (`Store.root`): what the last build showed


def record_path(cache_root: Path) -> Path:
    return cache_root / RECORD


def model_of(identity: dict[str, Any]) -> str:
    """The provider's model as an editor reads it: the video model, else the provider and its motion."""
    if identity.get("video_model"):
        return str(identity["video_model"])
    motion = identity.get("motion")
    return f"{identity.get('name', '?')} ({motion})" if motion else str(identity.get("name", "?"))


class Recorder:
    """What a build showed, clip by clip, written at its close for the gallery and `--list`."""

    def __init__(self, review: Review, cache_root: Path, *, model: str, paid: bool, cost: float) -> None:
        self.review = review
        self.path = record_path(cache_root)
        self.model = model
        self.paid = paid
        self.cost = cost
        self.previous = read_record(cache_root)
        self._by_animation = {a: clip for clip in self.previous for a in clip.get("animations", ())}
        self._clips: dict[str, dict[str, Any]] = {}

    def known(self, animation: str) -> dict[str, Any] | None:
        """The last build's record of the clip an animation shows (for a page replayed without its jobs)."""
        return self._by_animation.get(animation)

    def shown(self, clip: dict[str, Any], animation: str, file: str, created: float, page: str, new: bool) -> None:
        """`clip`: key, image, image_sha256, take, page_take, prompt (the attribute); the animation of it that
        `page` shows (or would show, where it is held back for review)."""
        row = self._clips.get(clip["key"])
        if row is None:
            row = self._clips[clip["key"]] = {
                "key": clip["key"],
                "image": clip["image"],
                "image_sha256": clip.get("image_sha256"),
                "src": clip.get("src"),
                "take": clip["take"],
                "page_take": clip.get("page_take", 1),
                "prompt": clip.get("prompt"),
                "model": clip.get("model", self.model),
                "cost": clip.get("cost", self.cost if self.paid else 0.0),
                "pages": [],
                "animations": [],
                "animation": file,
                "created": created,
                "new": False,
            }
        if page not in row["pages"]:
            row["pages"].append(page)
        if animation not in row["animations"]:
            row["animations"].append(animation)
        row["created"] = max(row["created"], created)
        row["new"] = row["new"] or new

    def write(self, provider: Any) -> None:
        """The record, whole or not at all; prompts looked up only for clips the last record did not have."""
        before = {clip.get("key"): clip for clip in self.previous}
        rows = []
        for row in self._clips.values():
            if row["prompt"] is None:
                row["prompt"] = before.get(row["key"], {}).get("prompt") or (
                    provider.written_prompt(row["image_sha256"]) if row["image_sha256"] else None
                )
            rows.append(row)
        rows.sort(key=lambda r: (r["image"], r["take"], r["key"]))
        body = {"version": 1, "built": time.time(), "clips": rows}
        try:
            write_whole(self.path, json.dumps(body, indent=1, ensure_ascii=False))
        except OSError:
            pass  # the gallery then shows the record before: never a reason to fail


def read_record(cache_root: Path) -> list[dict[str, Any]]:
    """The clips of the last build's record ([] where there is none, or it cannot be read)."""
    try:
        body = json.loads(record_path(cache_root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    clips = body.get("clips") if isinstance(body, dict) else None
    return [c for c in clips if isinstance(c, dict) and "key" in c and "image" in c] if isinstance(clips, list) else []


def rows(clips: list[dict[str, Any]], review: Review) -> list[dict[str, Any]]:
    """The record's clips as the gallery and `--list` show them: with their state, pending first, newest first."""
    shown = []
    for clip in clips:
        state = review.state(clip["key"])
        retaken = review.retakes.get(clip["image"], 0) > int(clip["take"]) - int(clip.get("page_take", 1))
        pages = list(clip.get("pages") or [])
        shown.append(
            {
                "key": clip["key"],
                "page": pages[0] if pages else None,
                "image": clip["image"],
                "state": state,
                "prompt": clip.get("prompt"),
                "model": clip.get("model"),
                "cost": float(clip.get("cost") or 0.0),
                "pages": pages,
                "take": int(clip["take"]),
                "page_take": int(clip.get("page_take", 1)),
                "retake_asked": retaken,
                "new": bool(clip.get("new")),
                "created": clip.get("created", 0),
                "animation": clip.get("animation"),
            }
        )
    shown.sort(key=lambda r: (r["state"] != PENDING, -float(r["created"] or 0), r["image"], r["take"]))
    return shown


def find(rows_: list[dict[str, Any]], wanted: str) -> list[dict[str, Any]]:
    """The rows `wanted` names: a clip's key, a unique start of one (at least 4 characters), or an image path."""
    exact = [r for r in rows_ if r["key"] == wanted]
    if exact:
        return exact
    by_image = [r for r in rows_ if r["image"] == wanted]
    if by_image:
        return by_image
    if len(wanted) >= 4:
        started = [r for r in rows_ if r["key"].startswith(wanted)]
        if len(started) > 1:
            raise ReviewError(f"{wanted!r} starts {len(started)} keys; give more of it")
        if started:
            return started
    raise ReviewError(f"no animation {wanted!r} in the last build (see --list)")
