"""The AI/ML API: a vision model writes the motion prompt, an image-to-video model makes the clip. Real money: pay once.

    prompt   openai client -> {base_url}/v1/chat/completions          cached by image, model and instructions,
                                                                      with its verdict: does motion suit the picture?
    clip     httpx -> POST {base_url}/v2/video/generations            id journaled before any wait
             httpx -> GET  {base_url}/v2/video/generations?generation_id=...   until completed or error
             httpx -> GET  video.url (public CDN, no key sent)         probed, then kept: never fetched again

A build killed at any point resumes on the next one from the journal: it polls the ids it has and submits nothing
again. 429 and 5xx are retried with exponential backoff and jitter (Retry-After respected); 401 (a refused key)
and 403 (out of credits) stop every call for the rest of the build. Each model's request carries only the fields
its line in `models.MODELS` names (an unknown field is a 400); what a clip cost (`meta.usage.credits_used`) is kept
in the clip's cost record.

What it keeps is in its corner of the cache (`cache.ProviderCache`): the prompts as texts, the clips as blobs, and
the journal as claims. Nothing heavy is imported at the top (httpx, asyncio, numpy through `media`): MkDocs reads
this module's options while it loads the configuration of every build, this provider's or not.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import get_plugin_logger

from ..errors import AnimateError, MediaError, NotSuited, ProviderAuthError, ProviderError
from . import models
from .base import AnimationRequest, Clip, Provider

if TYPE_CHECKING:
    import asyncio

    import httpx

    from .. import media

log = get_plugin_logger("animate")

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
# Some answers say "succeeded" for a finished generation; every state that is neither finished nor failed is running.
DONE, FAILED = ("completed", "succeeded", "success"), ("error", "failed")
PROMPT_FORMAT = 2  # the vision call's answer: a prompt and a verdict (1: the prompt alone)
DEFAULT_INSTRUCTIONS = (
    "You write motion prompts for an image-to-video model that animates illustrations in a children's "
    "encyclopedia. Look at the image and the text around it and describe, in one or two plain sentences, a "
    "gentle, calm five-second scene: small natural movements of the subject and its surroundings (breathing, "
    "blinking, leaves swaying, water rippling, steam rising), a slow steady camera, nothing frightening, no new "
    "objects, no text, no cuts. Answer with the prompt only, no preamble."
)
# Added to any instructions: what the picture may become, and the answer's shape (the verdict and the prompt in one call).
RULES = (
    "Whatever you write must be safe for young children: nothing frightening, violent or sudden; faces, hands and "
    "bodies keep their shape and proportions (no distortion, no morphing); no new objects, no text.\n"
    "First judge whether gentle motion suits this picture. A photograph or an illustration (painted, drawn, "
    "rendered, a cartoon) suits it; a diagram, chart, plot, map drawn as lines, screenshot, text, table, logo, "
    "badge or QR code does not. Answer with one JSON object and nothing else: "
    '{"suits_motion": true or false, "reason": "a few words", "prompt": "the motion prompt (write one even '
    'when motion does not suit the picture)"}'
)
# The prompt of a picture the vision model found unsuited, animated all the same (`select: all`, `data-animate`)
# when it wrote none.
STILL_PROMPT = "A very slow, steady camera push toward the middle of the picture; nothing in it moves or changes."


class AimlapiOptions(base.Config):
    """The AI/ML API's options, flat beside the plugin's own (`video_model: ...`), as they always were."""

    api_key = c.Optional(c.Type(str))  # default: the AIMLAPI_API_KEY environment variable
    base_url = c.Type(str, default="https://api.aimlapi.com")
    prompt_model = c.Type(str, default="gpt-4o")
    video_model = c.Type(str, default=models.DEFAULT_MODEL)
    instructions = c.Type(str, default=DEFAULT_INSTRUCTIONS)
    # Sent where the model takes a negative prompt; an empty string sends none.
    negative_prompt = c.Type(str, default=models.NEGATIVE_PROMPT)


# The longest side sent (the model schemas' limits: JPEG or PNG, 300 px a side at least, aspect 1:2.5 to 2.5:1).
MAX_SIDE = 1920
PROMPT_SIDE = 1024  # the vision model needs no more to describe a picture


class AimlapiProvider(Provider):
    name = "aimlapi"
    paid = True
    options = AimlapiOptions

    def __init__(self, settings, cache) -> None:
        super().__init__(settings, cache)
        self.model = models.model(self.options.video_model)
        if self.model.durations and settings.duration not in self.model.durations:
            allowed = ", ".join(map(str, self.model.durations))
            raise AnimateError(f"{self.options.video_model} makes clips of {allowed} seconds, not {settings.duration}")
        if self.model is models.UNKNOWN:
            log.info(
                f"The video model {self.options.video_model} is not in the plugin's model table: it is sent the "
                "common fields only, and its loop is closed by a crossfade"
            )
        self.base_url = self.options.base_url.rstrip("/")
        self._key = settings.api_key
        self._http: httpx.AsyncClient | None = None
        self._chat: Any = None
        self._running: dict[str, asyncio.Future[tuple[Path, media.MediaInfo]]] = {}
        self.submitted = 0  # new paid generations this build
        self._mine: set[str] = set()  # their keys
        self._costs: dict[str, tuple[float, bool]] = {}  # key -> (US dollars, reported by the provider)

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
        return make_key(
            {
                "image": request.image_sha256,
                "model": options.prompt_model,
                "text": options.instructions,
                "format": PROMPT_FORMAT,
            }
        )

    def paid_key(self, request: AnimationRequest) -> str:
        """The paid clip's identity: known before any call, so that the budget and the plan can count it."""
        from ..cache import make_key

        prompt = request.prompt or {"model": self.options.prompt_model, "instructions": self.options.instructions}
        payload = {
            "image": request.image_sha256,
            "video_model": self.options.video_model,
            "prompt": prompt,
            "duration": request.duration,
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

    def _left_still(self, request: AnimationRequest) -> bool:
        if request.prompt or request.opted_in or getattr(self.settings, "select", "auto") != "auto":
            return False
        cached = self.cache.get_text(self._prompt_key(request))
        return bool(cached) and not _recalled(cached)[1]

    def _loops(self, request: AnimationRequest) -> bool:
        """The model closes the loop (its end frame or its loop flag), so the pipeline has nothing to close."""
        return self.model.loops(request.loop == "auto")

    def estimate(self) -> float | None:
        """US dollars a new clip is expected to cost: the model's price where the table knows it (else None:
        the `cost_per_clip` option)."""
        return self.model.estimate(self.settings.duration)

    # --- the work ------------------------------------------------------------------------------------------

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
            fps=info.fps, path=path, count=info.frames, loop_closed=self._loops(request), cost=cost,
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
                generation = await self._submit(request, prompt)
            except BaseException:
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

    async def _judged_prompt(self, request: AnimationRequest) -> str:
        """The vision model's prompt; a picture it judged unsuited to motion is left still (`NotSuited`) where
        the editor's rules decide (`select: auto`), before anything is paid."""
        prompt, suited, reason = await self._prompt(request)
        if not suited and getattr(self.settings, "select", "auto") == "auto" and not request.opted_in:
            raise NotSuited(f"the vision model judged that motion does not suit it ({reason or 'no reason given'})")
        if not prompt and not suited:
            return STILL_PROMPT
        if not prompt:
            raise ProviderError("the prompt model gave an empty prompt")
        return prompt

    async def _prompt(self, request: AnimationRequest) -> tuple[str, bool, str]:
        """(prompt, whether gentle motion suits the picture, why not): asked once, then read from the cache."""
        import asyncio

        key = self._prompt_key(request)
        cached = self.cache.get_text(key)
        if cached:
            return _recalled(cached)
        import openai

        if self._chat is None:
            self._chat = openai.AsyncOpenAI(
                api_key=self._key, base_url=f"{self.base_url}/v1", max_retries=RETRIES, timeout=120
            )
        image = await asyncio.to_thread(data_url, request.image, PROMPT_SIDE, 0, None)
        context = request.context or "(no text around the image)"
        try:
            answer = await self._chat.chat.completions.create(
                model=self.options.prompt_model,
                max_tokens=300,
                messages=[
                    {"role": "system", "content": f"{self.options.instructions}\n\n{RULES}"},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": f"The text around the image: {context}"},
                            {"type": "image_url", "image_url": {"url": image}},
                        ],
                    },
                ],
            )
        except openai.AuthenticationError as error:
            raise ProviderAuthError(self._safe(f"the API key was refused ({error.status_code})")) from None
        except openai.PermissionDeniedError as error:
            raise ProviderAuthError(self._safe(f"the API key was refused ({error.status_code}): {OUT_OF_CREDITS}")) from None
        except openai.APIStatusError as error:
            raise ProviderError(self._safe(f"the prompt model answered {error.status_code}: {error.message}")) from None
        except openai.APIError as error:
            raise ProviderError(self._safe(f"the prompt model could not be reached: {error}")) from None
        text = (answer.choices[0].message.content or "").strip() if answer.choices else ""
        if not text:
            raise ProviderError("the prompt model gave an empty prompt")
        prompt, suited, reason = parse_answer(text)
        if suited and not prompt:
            raise ProviderError("the prompt model gave an empty prompt")
        self.cache.set_text(key, json.dumps({"prompt": prompt, "suited": suited, "reason": reason}))
        return prompt, suited, reason

    async def _submit(self, request: AnimationRequest, prompt: str) -> str:
        import asyncio

        image = await asyncio.to_thread(data_url, request.image, MAX_SIDE, self.model.min_side, self.model.max_aspect)
        body = models.request_body(
            self.options.video_model, image, prompt, request.duration, loop=request.loop == "auto",
            take=request.take, negative=self.options.negative_prompt or None,
        )
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
                 "seconds": self.settings.duration, "at": time.time()},
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
            if response.status_code == 401:
                raise ProviderAuthError(f"the API key was refused (401 from {method} {path}){_request_id(response)}")
            if response.status_code == 403:
                raise ProviderAuthError(
                    f"the API key was refused (403 from {method} {path}): {OUT_OF_CREDITS}{_request_id(response)}"
                )
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == RETRIES:
                    raise ProviderError(
                        self._safe(
                            f"{method} {path} answered {response.status_code} after {RETRIES + 1} tries: "
                            f"{_message(response)}{_request_id(response)}"
                        )
                    )
                await asyncio.sleep(backoff(attempt, response.headers.get("retry-after")))
                continue
            if response.status_code >= 400:
                raise ProviderError(
                    self._safe(
                        f"{method} {path} was refused ({response.status_code}): {_message(response)}"
                        f"{_request_id(response)}"
                    )
                )
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


OUT_OF_CREDITS = "the account is out of credits (top it up at aimlapi.com)"


def credits_used(answer: dict[str, Any]) -> float | None:
    """`meta.usage.credits_used` of an answer, if it carries a number there."""
    meta = answer.get("meta")
    usage = meta.get("usage") if isinstance(meta, dict) else None
    credits = usage.get("credits_used") if isinstance(usage, dict) else None
    return float(credits) if isinstance(credits, (int, float)) and not isinstance(credits, bool) else None


def parse_answer(text: str) -> tuple[str, bool, str]:
    """(prompt, suits motion, reason) from the vision model's answer: the JSON object it was asked for (bare or
    fenced, anywhere in the text), else a first line that says yes or no with the prompt below it, else the whole
    text as the prompt of a picture that suits motion."""
    found = re.search(r"\{.*\}", text, re.DOTALL)
    if found:
        try:
            data = json.loads(found.group(0))
        except ValueError:
            data = None
        if isinstance(data, dict):
            verdict = data.get("suits_motion", data.get("suited", data.get("suitable", True)))
            if isinstance(verdict, str):
                verdict = verdict.strip().lower() not in ("no", "false", "0", "")
            return str(data.get("prompt") or "").strip(), bool(verdict), str(data.get("reason") or "").strip()
    first, _, rest = text.strip().partition("\n")
    head = re.sub(r"[*_#`]", "", first).strip()  # a first line in Markdown: **NO**: ...
    word = re.match(r"(?i)(yes|no)\b[\s:,.;-]*(.*)", head)
    if word:
        suited = word.group(1).lower() == "yes"
        said = word.group(2).strip()
        prompt = rest.strip() or (said if suited else "")
        return prompt, suited, "" if suited else said
    return text.strip(), True, ""


def _recalled(cached: str) -> tuple[str, bool, str]:
    """A cached answer: the record this version writes, or a prompt alone (suits motion) as older ones kept."""
    try:
        record = json.loads(cached)
    except ValueError:
        record = None
    if isinstance(record, dict) and "prompt" in record:
        return str(record["prompt"]), bool(record.get("suited", True)), str(record.get("reason", ""))
    return cached, True, ""


def _request_id(response: httpx.Response) -> str:
    """"; requestId ..." when the error body carries one: what the provider's support asks for."""
    try:
        body = response.json()
    except ValueError:
        return ""
    found = body.get("requestId") or body.get("request_id") if isinstance(body, dict) else None
    return f" (requestId {found})" if isinstance(found, (str, int)) and found else ""


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


def data_url(path: Path, max_side: int, min_side: int, max_aspect: float | None = 2.5) -> str:
    """The image as a JPEG data URL the model accepts: no side over `max_side`, none under `min_side`, an aspect
    ratio within `max_aspect` (None: any)."""
    import base64
    import io

    from .. import images

    image = images.load(path, max_side)
    if image.height > max_side:
        image = image.resize((max(1, round(image.width * max_side / image.height)), max_side))
    aspect = image.width / image.height
    if max_aspect and (aspect > max_aspect or aspect < 1 / max_aspect):
        raise ProviderError(
            f"the image's aspect ratio {image.width}:{image.height} is beyond what the model takes "
            f"(1:{max_aspect:g} to {max_aspect:g}:1)"
        )
    if min_side and min(image.size) < min_side:
        # The model refuses small images; a larger copy is sent, and the animation keeps the still's own size.
        scale = min_side / min(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
