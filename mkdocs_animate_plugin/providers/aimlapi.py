"""The AI/ML API: a vision model writes the motion prompt, Kling makes the clip. Real money: pay once.

    prompt   openai client -> {base_url}/v1/chat/completions          cached by image, model and instructions
    clip     httpx -> POST {base_url}/v2/video/generations            id journaled before any wait
             httpx -> GET  {base_url}/v2/video/generations?generation_id=...   until completed or error
             httpx -> GET  video.url (public CDN, no key sent)         probed, then kept: never fetched again

A build killed at any point resumes on the next one from the journal: it polls the ids it has and submits nothing
again. 429 and 5xx are retried with exponential backoff and jitter (Retry-After respected); 401/403 stops every
call for the rest of the build.

What it keeps is in its corner of the cache (`cache.ProviderCache`): the prompts as texts, the clips as blobs, and
the journal as claims. Nothing heavy is imported at the top (httpx, asyncio, numpy through `media`): MkDocs reads
this module's options while it loads the configuration of every build, this provider's or not.
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..errors import AnimateError, MediaError, ProviderAuthError, ProviderError
from .base import AnimationRequest, Clip, Provider

if TYPE_CHECKING:
    import asyncio

    import httpx

    from .. import media

VERSION = 1
RETRIES = 5  # attempts after the first, for 429, 5xx and dropped connections
BACKOFF = 1.0  # seconds before the first retry; doubled each time, with jitter
MAX_WAIT = 120.0  # the longest pause between two tries, whatever Retry-After says
# Polls start every second (a short clip is seen at once) and slow down to the provider's 10 s for the usual
# one to seven minutes: (seconds since the first poll, pause) pairs.
POLL_STEPS = ((10, 1.0), (30, 2.0), (120, 5.0))
POLL_MAX = 10.0
MAX_DOWNLOAD = 500 * 1024 * 1024
CLAIM_SECONDS = 300  # a claim this old with no generation id was left by a build that died before submitting
JOURNAL_DAYS = 2  # a generation older than this is not polled again: its video link has long expired
DONE, FAILED = ("completed",), ("error", "failed")


@dataclass(frozen=True)
class Model:
    """What differs between image-to-video models: keep one line per model here."""

    end_frame: str | None = None  # the field that sets the last frame (a loop closed by the model)
    durations: tuple[int, ...] | None = None  # None: any the option allows
    audio_field: bool = False  # the model makes sound unless told not to


KLING_16 = Model(end_frame="tail_image_url", durations=(5, 10))
MODELS: dict[str, Model] = {
    "kling-video/v1.6/pro/image-to-video": KLING_16,
    "kling-video/v1.6/standard/image-to-video": KLING_16,
    "kling-video/v2.1/pro/image-to-video": Model(durations=(5, 10)),
    "kling-video/v2.1/standard/image-to-video": Model(durations=(5, 10)),
    "klingai/v2.5-turbo/pro/image-to-video": Model(durations=(5, 10)),
    "klingai/video-v2-6-pro-image-to-video": Model(durations=(5, 10), audio_field=True),
    "klingai/video-v3-pro-image-to-video": Model("tail_image_url", tuple(range(3, 16)), audio_field=True),
    "klingai/video-v3-standard-image-to-video": Model("tail_image_url", tuple(range(3, 16)), audio_field=True),
    "klingai/video-o1-image-to-video": Model("last_image_url", (5, 10)),
}
DEFAULT_INSTRUCTIONS = (
    "You write motion prompts for an image-to-video model that animates illustrations in a children's "
    "encyclopedia. Look at the image and the text around it and describe, in one or two plain sentences, a "
    "gentle, calm five-second scene: small natural movements of the subject and its surroundings (breathing, "
    "blinking, leaves swaying, water rippling, steam rising), a slow steady camera, nothing frightening, no new "
    "objects, no text, no cuts. Answer with the prompt only, no preamble."
)


class AimlapiOptions(base.Config):
    """The AI/ML API's options, flat beside the plugin's own (`video_model: ...`), as they always were."""

    api_key = c.Optional(c.Type(str))  # default: the AIMLAPI_API_KEY environment variable
    base_url = c.Type(str, default="https://api.aimlapi.com")
    prompt_model = c.Type(str, default="gpt-4o")
    video_model = c.Type(str, default="kling-video/v1.6/pro/image-to-video")
    instructions = c.Type(str, default=DEFAULT_INSTRUCTIONS)


# Image limits the model schemas state (JPEG or PNG, 300 px a side at least, aspect between 1:2.5 and 2.5:1).
MIN_SIDE, MAX_SIDE, MAX_ASPECT = 300, 1920, 2.5
PROMPT_SIDE = 1024  # the vision model needs no more to describe a picture


class AimlapiProvider(Provider):
    name = "aimlapi"
    paid = True
    options = AimlapiOptions

    def __init__(self, settings, cache) -> None:
        super().__init__(settings, cache)
        self.model = MODELS.get(self.options.video_model, Model())
        if self.model.durations and settings.duration not in self.model.durations:
            allowed = ", ".join(map(str, self.model.durations))
            raise AnimateError(f"{self.options.video_model} makes clips of {allowed} seconds, not {settings.duration}")
        self.base_url = self.options.base_url.rstrip("/")
        self._key = settings.api_key
        self._http: httpx.AsyncClient | None = None
        self._chat: Any = None
        self._running: dict[str, asyncio.Future[tuple[Path, media.MediaInfo]]] = {}
        self.submitted = 0  # new paid generations this build

    def ready(self) -> None:
        if not self._key:
            raise AnimateError(
                "the aimlapi provider needs an API key (the AIMLAPI_API_KEY environment variable or the api_key "
                "option); set offline: true to use only what is cached without this warning"
            )

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": VERSION, "video_model": self.options.video_model}

    # --- what costs money ----------------------------------------------------------------------------------

    def _prompt_key(self, request: AnimationRequest) -> str:
        from ..cache import make_key

        options = self.options
        return make_key({"image": request.image_sha256, "model": options.prompt_model, "text": options.instructions})

    def paid_key(self, request: AnimationRequest) -> str:
        """The paid clip's identity: known before any call, so that the budget and the plan can count it."""
        from ..cache import make_key

        prompt = request.prompt or {"model": self.options.prompt_model, "instructions": self.options.instructions}
        return make_key(
            {
                "image": request.image_sha256,
                "video_model": self.options.video_model,
                "prompt": prompt,
                "duration": request.duration,
                "take": request.take,
                "end_frame": self._end_frame(request),
            }
        )

    def _end_frame(self, request: AnimationRequest) -> bool:
        return request.loop == "auto" and self.model.end_frame is not None

    # --- the work ------------------------------------------------------------------------------------------

    async def animate(self, request: AnimationRequest) -> Clip:
        import asyncio

        key = self.paid_key(request)
        # Two outputs of one image (a GIF and a video) share one paid clip: the second waits for the first.
        if key not in self._running:
            self._running[key] = asyncio.ensure_future(self._clip(request, key))
        path, info = await asyncio.shield(self._running[key])
        return Clip(fps=info.fps, path=path, count=info.frames, loop_closed=self._end_frame(request))

    async def _clip(self, request: AnimationRequest, key: str) -> tuple[Path, media.MediaInfo]:
        """The paid clip, kept or made, and what its probe said (each file is probed once)."""
        import asyncio

        path = self.cache.blob(key)
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
                prompt = request.prompt or await self._prompt(request)
                generation = await self._submit(request, prompt)
            except BaseException:
                self.cache.release(key)  # nothing was paid: free the claim
                raise
            # Written before any wait: a build killed from here on resumes polling this id, and pays nothing more.
            self.cache.update_claim(key, {"id": generation, "submitted": time.time()})
        url = await self._poll(key, generation)
        if path.is_file():  # another build sharing the cache fetched it meanwhile
            info = await asyncio.to_thread(probe_clip, path)
        else:
            info = await self._download(url, key)
        self.cache.release(key)
        return path, info

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

    async def _prompt(self, request: AnimationRequest) -> str:
        import asyncio

        key = self._prompt_key(request)
        cached = self.cache.get_text(key)
        if cached:
            return cached
        import openai

        if self._chat is None:
            self._chat = openai.AsyncOpenAI(
                api_key=self._key, base_url=f"{self.base_url}/v1", max_retries=RETRIES, timeout=120
            )
        image = await asyncio.to_thread(data_url, request.image, PROMPT_SIDE, 0)
        context = request.context or "(no text around the image)"
        try:
            answer = await self._chat.chat.completions.create(
                model=self.options.prompt_model,
                max_tokens=200,
                messages=[
                    {"role": "system", "content": self.options.instructions},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": f"The text around the image: {context}"},
                            {"type": "image_url", "image_url": {"url": image}},
                        ],
                    },
                ],
            )
        except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
            raise ProviderAuthError(self._safe(f"the API key was refused ({error.status_code})")) from None
        except openai.APIStatusError as error:
            raise ProviderError(self._safe(f"the prompt model answered {error.status_code}: {error.message}")) from None
        except openai.APIError as error:
            raise ProviderError(self._safe(f"the prompt model could not be reached: {error}")) from None
        text = (answer.choices[0].message.content or "").strip() if answer.choices else ""
        if not text:
            raise ProviderError("the prompt model gave an empty prompt")
        self.cache.set_text(key, text)
        return text

    async def _submit(self, request: AnimationRequest, prompt: str) -> str:
        import asyncio

        image = await asyncio.to_thread(data_url, request.image, MAX_SIDE, MIN_SIDE)
        body: dict[str, Any] = {
            "model": self.options.video_model,
            "image_url": image,
            "prompt": prompt,
            "duration": str(request.duration),
        }
        if self._end_frame(request):
            body[self.model.end_frame] = image  # type: ignore[index]
        if self.model.audio_field:
            body["generate_audio"] = False
        answer = await self._call("POST", "/v2/video/generations", json=body)
        generation = answer.get("id") or answer.get("generation_id")
        if not generation:
            raise ProviderError(f"the provider accepted the generation but gave no id: {str(answer)[:200]}")
        self.submitted += 1
        return str(generation)

    async def _poll(self, key: str, generation: str) -> str:
        import asyncio

        started = time.monotonic()
        while True:
            answer = await self._call("GET", "/v2/video/generations", params={"generation_id": generation})
            status = str(answer.get("status", "")).lower()
            if status in DONE:
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

    # --- HTTP with the provider's rules --------------------------------------------------------------------

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        import asyncio

        import httpx

        if self._http is None:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self._key}"},
                timeout=httpx.Timeout(60, connect=15),
            )
        for attempt in range(RETRIES + 1):
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as error:
                if attempt == RETRIES:
                    raise ProviderError(f"{method} {path} could not reach the provider: {type(error).__name__}") from None
                await asyncio.sleep(backoff(attempt))
                continue
            if response.status_code in (401, 403):
                raise ProviderAuthError(f"the API key was refused ({response.status_code} from {method} {path})")
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == RETRIES:
                    raise ProviderError(f"{method} {path} answered {response.status_code} after {RETRIES + 1} tries")
                await asyncio.sleep(backoff(attempt, response.headers.get("retry-after")))
                continue
            if response.status_code >= 400:
                raise ProviderError(self._safe(f"{method} {path} was refused ({response.status_code}): {_message(response)}"))
            try:
                return response.json()
            except ValueError:
                raise ProviderError(f"{method} {path} answered {response.status_code} with no JSON") from None
        raise AssertionError("unreachable")

    def _safe(self, text: str) -> str:
        """Whatever the provider echoes back, the key never leaves in a message."""
        return text.replace(self._key, "***") if self._key else text

    async def aclose(self) -> None:
        for task in self._running.values():
            task.cancel()
        if self._http is not None:
            await self._http.aclose()
        if self._chat is not None:
            await self._chat.close()


def probe_clip(path: Path) -> media.MediaInfo:
    """A clip is usable when all of it decodes as video with some frames; its codec and pixel format are the
    model's business (the animation is encoded afresh)."""
    from .. import media

    info = media.probe(path)
    if info.frames < 2 or not info.fps:
        raise MediaError(f"{path.name} has {info.frames} frame(s)")
    return info


def backoff(attempt: int, retry_after: str | None = None) -> float:
    """Seconds before the next try: the server's Retry-After if it gave one, else 1, 2, 4... s with jitter."""
    if retry_after:
        try:
            return min(MAX_WAIT, max(0.0, float(retry_after)))
        except ValueError:
            when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
            if when is not None:
                return min(MAX_WAIT, max(0.0, when.timestamp() - time.time()))
    return min(MAX_WAIT, BACKOFF * 2**attempt * (0.5 + random.random()))


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        error = body.get("error") or body.get("message") or body
        if isinstance(error, dict):
            error = error.get("message") or error
        return str(error)[:300]
    return str(body)[:300]


def data_url(path: Path, max_side: int, min_side: int) -> str:
    """The image as a JPEG data URL the model accepts: no side over `max_side`, none under `min_side`."""
    import base64
    import io

    from .. import images

    image = images.load(path, max_side)
    if image.height > max_side:
        image = image.resize((max(1, round(image.width * max_side / image.height)), max_side))
    aspect = image.width / image.height
    if aspect > MAX_ASPECT or aspect < 1 / MAX_ASPECT:
        raise ProviderError(f"the image's aspect ratio {image.width}:{image.height} is beyond 1:2.5 to 2.5:1")
    if min_side and min(image.size) < min_side:
        # The model refuses small images; a larger copy is sent, and the animation keeps the still's own size.
        scale = min_side / min(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
