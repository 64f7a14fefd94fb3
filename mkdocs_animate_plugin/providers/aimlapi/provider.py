"""The AI/ML API provider: its options, its keys (what is paid once), and `animate`, wiring the prompt, the
generation and the HTTP client together."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import get_plugin_logger

from ...errors import AnimateError, MediaError, ProviderError
from .. import models
from ..base import AnimationRequest, Clip, Provider
from .client import Http
from .files import probe_clip
from .generation import Generating
from .prompt import DEFAULT_INSTRUCTIONS, Prompting

if TYPE_CHECKING:
    import asyncio

    import httpx

    from ...video import media

log = get_plugin_logger("animate")

VERSION = 1


class VideoModel(c.Type):
    """An id of the model table; another is an error at load time that names the closest ids."""

    def __init__(self) -> None:
        super().__init__(str, default=models.DEFAULT_MODEL)

    def run_validation(self, value: object) -> str:
        import difflib

        value = super().run_validation(value)
        if value not in models.MODELS:
            # The ids most like it, else those that contain it (`kling`, `veo`).
            close = difflib.get_close_matches(value, list(models.MODELS), n=3, cutoff=0.6)
            close = close or [name for name in models.MODELS if value.lower() in name][:3]
            hint = f"; the closest: {', '.join(close)}" if close else ""
            raise base.ValidationError(
                f"{value!r} is not an image-to-video model of the AI/ML API the plugin knows{hint} "
                "(`mkdocs-animate models` lists them all)"
            )
        return value


KEY_ENV = "AIMLAPI_API_KEY"  # where the key is read from when the api_key option is not set


class AimlapiOptions(base.Config):
    """The AI/ML API's options, flat beside the plugin's own (`video_model: ...`), as they always were."""

    api_key = c.Optional(c.Type(str))  # default: the AIMLAPI_API_KEY environment variable
    base_url = c.Type(str, default="https://api.aimlapi.com")
    prompt_model = c.Type(str, default="gpt-4o")
    video_model = VideoModel()
    instructions = c.Type(str, default=DEFAULT_INSTRUCTIONS)
    # Sent where the model takes a negative prompt; an empty string sends none.
    negative_prompt = c.Type(str, default=models.NEGATIVE_PROMPT)


class AimlapiProvider(Prompting, Generating, Http, Provider):
    """A vision model writes the prompt, an image-to-video model makes the clip; each paid for once."""

    name = "aimlapi"
    paid = True
    options = AimlapiOptions

    def __init__(self, settings, cache) -> None:
        super().__init__(settings, cache)
        self.model = models.MODELS[self.options.video_model]  # an id of the table: checked at load time
        self.duration = self.model.nearest(settings.duration)  # what is asked of the model
        if self.duration != settings.duration:
            log.info(
                f"{self.model.id} makes clips of {models.durations_text(self.model)} seconds, not "
                f"{settings.duration}: its clips are {self.duration} seconds long"
            )
        elif self.model.duration_type is None:
            log.info(f"{self.model.id} is not told a duration: its clips are as long as it makes them")
        self.base_url = self.options.base_url.rstrip("/")
        self._key = settings.api_key
        self._http: httpx.AsyncClient | None = None
        self._chat: Any = None
        self._running: dict[str, asyncio.Future[tuple[Path, media.MediaInfo]]] = {}
        self.submitted = 0  # new paid generations this build
        self._mine: set[str] = set()  # their keys
        self._claims: dict[str, dict] = {}
        self._costs: dict[str, tuple[float, bool]] = {}  # key -> (US dollars, reported by the provider)

    def ready(self) -> None:
        if not self._key:
            raise AnimateError(
                "the aimlapi provider needs an API key (the AIMLAPI_API_KEY environment variable or the api_key "
                "option); set offline: true to use only what is cached without this warning"
            )

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": VERSION, "video_model": self.options.video_model}

    def paid_key(self, request: AnimationRequest) -> str:
        """The paid clip's identity: known before any call, so that the budget and the plan can count it."""
        from ...cache import make_key

        prompt = request.prompt or {"model": self.options.prompt_model, "instructions": self.options.instructions}
        payload = {
            "image": request.image_sha256,
            "video_model": self.options.video_model,
            "prompt": prompt,
            "duration": self.duration,
            "take": request.take,
            "end_frame": self._loops(request),
        }
        if self.model.negative and self.options.negative_prompt != models.NEGATIVE_PROMPT:
            # A negative prompt of the author's own makes another clip. The default one is left out of the key, so
            # that the clips Kling 1.6 made before it was sent are still found.
            payload["negative"] = self.options.negative_prompt
        return make_key(payload)

    def needs_payment(self, request: AnimationRequest) -> str | None:
        """As any paid provider's, except a picture the vision model already found unsuited: it will be left
        still without a paid call, so it takes no place in `max_new`."""
        if self._left_still(request):
            return None
        return super().needs_payment(request)

    def _loops(self, request: AnimationRequest) -> bool:
        """The model closes the loop (its end frame or its loop flag), so the pipeline has nothing to close."""
        return self.model.loops(request.loop == "auto")

    def estimate(self) -> float | None:
        """US dollars a new clip is expected to cost: the model's price where the table knows it (else None:
        the `cost_per_clip` option)."""
        return self.model.estimate(self.duration)

    async def animate(self, request: AnimationRequest) -> Clip:
        import asyncio

        key = self.paid_key(request)
        # Two outputs of one image (a GIF and a video) share one paid clip: the second waits for the first.
        if key not in self._running:
            self._running[key] = asyncio.ensure_future(self._clip(request, key))
        path, info = await asyncio.shield(self._running[key])
        # What a clip paid in this build cost, given once: to the first animation made from it.
        cost, reported = self._costs.pop(key, (None, False))
        return Clip(
            fps=info.fps,
            path=path,
            count=info.frames,
            loop_closed=self._loops(request),
            cost=cost,
            cost_reported=reported,
        )

    async def _clip(self, request: AnimationRequest, key: str) -> tuple[Path, media.MediaInfo]:
        """The paid clip, kept or made, and what its probe said (each file is probed once)."""
        import asyncio

        path = await asyncio.to_thread(self.cache.blob, key)  # may fetch the clip from a shared store
        if path.is_file():
            try:
                return path, await asyncio.to_thread(probe_clip, path)
            except MediaError:
                self.cache.drop(key)
        generation = await self._claim(key)
        if generation is None and path.is_file():
            self.cache.release(key)  # another build finished it while this one waited
            return path, await asyncio.to_thread(probe_clip, path)
        if generation is None:
            try:
                prompt = request.prompt or await self._judged_prompt(request)
                if not self._holds(key):
                    raise ProviderError("another build took over this clip's claim while the prompt was written")
                generation = await self._submit(request, prompt)
            except BaseException:
                if self._holds(key):
                    self.cache.release(key)  # nothing was paid: free the claim
                raise
            # Written before any wait: a build killed from here on resumes polling this id, and pays nothing more.
            self.cache.update_claim(key, {"id": generation, "submitted": time.time()})
            self._mine.add(key)
        url = await self._poll(key, generation)
        if path.is_file():  # another build sharing the cache fetched it meanwhile
            info = await asyncio.to_thread(probe_clip, path)
        else:
            info = await self._download(url, key)
        self.cache.release(key)
        return path, info

    async def aclose(self) -> None:
        for task in self._running.values():
            task.cancel()
        if self._http is not None:
            await self._http.aclose()
        if self._chat is not None:
            await self._chat.close()
