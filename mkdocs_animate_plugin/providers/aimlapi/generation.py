"""The paid generation: the journal's claim (one build pays, the others wait), the submit, the polls until the
clip is done, its cost, and its download, bounded and probed before it is kept."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from ...errors import MediaError, ProviderError
from .. import models
from ..base import AnimationRequest
from .files import data_url, probe_clip

if TYPE_CHECKING:
    from ...video import media

# Polls start every second (a short clip is seen at once) and slow down to the provider's 10 s for the usual
# one to seven minutes: (seconds since the first poll, pause) pairs.
POLL_STEPS = ((10, 1.0), (30, 2.0), (120, 5.0))
POLL_MAX = 10.0
MAX_DOWNLOAD = 500 * 1024 * 1024
CLAIM_SECONDS = 300  # a claim this old with no generation id was left by a build that died before submitting
JOURNAL_DAYS = 2  # a generation older than this is not polled again: its video link has long expired
# Some answers say "succeeded" for a finished generation; every state that is neither finished nor failed is running.
DONE, FAILED = ("completed", "succeeded", "success"), ("error", "failed")
# The longest side sent (the model schemas' limits: JPEG or PNG, 300 px a side at least, aspect 1:2.5 to 2.5:1).
MAX_SIDE = 1920


class Generating:
    """Submit, poll, download (a mixin of `AimlapiProvider`, which calls them through `_call`)."""

    options: Any
    settings: Any
    cache: Any
    model: models.Model
    duration: int
    submitted: int
    _mine: set[str]
    _claims: dict[str, dict]  # the claims this build made, as it made them
    _costs: dict[str, tuple[float, bool]]

    async def _claim(self, key: str) -> str | None:
        """The generation id to wait on, or None when this build is the one to submit.

        The journal entry is also the lock between builds that share the cache: `add` is atomic in sqlite, so
        of two builds only one claims a key; the other waits for the id the first one records, and pays nothing.
        A claim with no id after CLAIM_SECONDS is a build that died before it could submit: it is taken over."""
        import asyncio

        mine = {"id": None, "claimed": time.time(), "pid": os.getpid()}
        waited = 0.0
        while True:
            if self.cache.claim(key, mine):
                self._claims[key] = mine
                return None
            record = self.cache.claimed(key)
            if record is None:
                continue  # released between the two calls: try again
            if record.get("id"):
                if time.time() - record.get("submitted", 0) > JOURNAL_DAYS * 86400:
                    self.cache.release(key)  # its video link has long expired
                    continue
                return str(record["id"])
            if time.time() - record.get("claimed", 0) > CLAIM_SECONDS or waited > self.settings.timeout:
                self.cache.release(key)
                continue
            await asyncio.sleep(1.0)
            waited += 1.0

    def _holds(self, key: str) -> bool:
        """Whether this build's claim on `key` still stands: a build slow to submit (a long vision call) may have
        had it taken over as abandoned, and must then not pay too."""
        record = self.cache.claimed(key)
        mine = self._claims.get(key)
        return bool(record and mine and all(record.get(name) == mine[name] for name in ("claimed", "pid")))

    async def _submit(self, request: AnimationRequest, prompt: str) -> str:
        import asyncio

        image = await asyncio.to_thread(data_url, request.image, MAX_SIDE, self.model.min_side, self.model.max_aspect)
        body = models.request_body(
            self.model,
            image,
            prompt,
            self.duration,
            loop=request.loop == "auto",
            take=request.take,
            negative=self.options.negative_prompt or None,
        )
        answer = await self._call("POST", self.model.endpoint, json=body)
        generation = answer.get("id") or answer.get("generation_id")
        if not generation:
            raise ProviderError(self._safe(f"the provider accepted the generation but gave no id: {str(answer)[:200]}"))
        self.submitted += 1
        return str(generation)

    async def _poll(self, key: str, generation: str) -> str:
        import asyncio

        started = time.monotonic()
        while True:
            answer = await self._call("GET", "/v2/video/generations", params={"generation_id": generation})
            status = str(answer.get("status", "")).lower()
            if status in DONE:
                self._record_cost(key, generation, answer)
                url = (answer.get("video") or {}).get("url")
                if not url:
                    self.cache.release(key)
                    raise ProviderError(f"generation {generation} completed without a video link")
                return url
            if status in FAILED:
                self.cache.release(key)  # failed: a later build submits it again
                error = answer.get("error") or {}
                message = error.get("message") if isinstance(error, dict) else str(error)
                raise ProviderError(self._safe(f"generation {generation} failed: {message or status}"))
            elapsed = time.monotonic() - started
            await asyncio.sleep(next((pause for until, pause in POLL_STEPS if elapsed < until), POLL_MAX))

    def _record_cost(self, key: str, generation: str, answer: dict[str, Any]) -> None:
        """What the finished generation cost, into the clip's cost record (for `cache stats` and the gallery)
        and, for a clip this build paid for, into the build's summary; the model's estimate where it says nothing."""
        credits = credits_used(answer)
        if credits is not None:
            usd = credits / models.CREDITS_PER_USD
            self.cache.set_cost(
                key,
                {"usd": usd, "credits": credits, "model": self.options.video_model, "generation": generation,
                 "seconds": self.duration, "at": time.time()},
            )  # fmt: skip
            if key in self._mine:
                self._costs[key] = (usd, True)
        elif key in self._mine:
            estimate = self.estimate()
            if estimate is not None:
                self._costs[key] = (estimate, False)

    async def _download(self, url: str, key: str) -> media.MediaInfo:
        """Fetch the clip (without the key: the link is public), bounded in size, and probe it before keeping it."""
        import asyncio

        import httpx

        if not url.startswith(("https://", "http://")):
            raise ProviderError(f"the video link is not http(s): {url[:80]}")
        temp = self.cache.blob_temp(key)
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(120, connect=15), follow_redirects=True) as cdn:
                async with cdn.stream("GET", url) as response:
                    if response.status_code in (403, 404, 410):
                        # The link has expired: forget the id, so that the next build makes the clip again.
                        self.cache.release(key)
                    if response.status_code != 200:
                        raise ProviderError(f"the clip download answered {response.status_code}")
                    size = 0
                    with temp.open("wb") as file:
                        async for chunk in response.aiter_bytes():
                            size += len(chunk)
                            if size > MAX_DOWNLOAD:
                                raise ProviderError(f"the clip download is over {MAX_DOWNLOAD >> 20} MB")
                            file.write(chunk)
            try:
                info = await asyncio.to_thread(probe_clip, temp)
            except MediaError as error:
                raise ProviderError(f"the downloaded clip is not a usable video: {error}") from None
            self.cache.keep(key, temp)
            return info
        except httpx.HTTPError as error:
            raise ProviderError(f"the clip download failed: {type(error).__name__}") from None
        finally:
            temp.unlink(missing_ok=True)


def credits_used(answer: dict[str, Any]) -> float | None:
    """`meta.usage.credits_used` of an answer, if it carries a number there."""
    meta = answer.get("meta")
    usage = meta.get("usage") if isinstance(meta, dict) else None
    credits = usage.get("credits_used") if isinstance(usage, dict) else None
    return float(credits) if isinstance(credits, (int, float)) and not isinstance(credits, bool) else None
