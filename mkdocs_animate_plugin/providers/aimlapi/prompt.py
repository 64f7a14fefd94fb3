"""The vision call: one question to the prompt model gives the motion prompt and its verdict (does gentle motion
suit the picture?), cached by image, model and instructions, so that it is asked once."""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import NotSuited, ProviderAuthError, ProviderError
from ..base import AnimationRequest
from .client import OUT_OF_CREDITS, RETRIES
from .files import data_url

PROMPT_FORMAT = 2  # the vision call's answer: a prompt and a verdict (1: the prompt alone)
DEFAULT_INSTRUCTIONS = (
    "You write motion prompts for an image-to-video model that animates illustrations in a children's "
    "encyclopedia. Look at the image and the text around it and describe, in one or two plain sentences, a "
    "gentle, calm five-second scene: small natural movements of the subject and its surroundings (breathing, "
    "blinking, leaves swaying, water rippling, steam rising), a slow steady camera, nothing frightening, no new "
    "objects, no text, no cuts. Answer with the prompt only, no preamble."
)
# Added to any instructions: what the picture may become, and the answer's shape (the verdict and the prompt in
# one call).
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
PROMPT_SIDE = 1024  # the vision model needs no more to describe a picture


class Prompting:
    """The prompt and its verdict (a mixin of `AimlapiProvider`)."""

    options: Any
    settings: Any
    cache: Any
    base_url: str
    _key: str | None
    _chat: Any

    def _prompt_key(self, image_sha256: str) -> str:
        from ...cache import make_key

        options = self.options
        return make_key(
            {
                "image": image_sha256,
                "model": options.prompt_model,
                "text": options.instructions,
                "format": PROMPT_FORMAT,
            }
        )

    def written_prompt(self, image_sha256: str) -> str | None:
        """The prompt the vision model wrote for the image, for the review gallery (None: it wrote none yet)."""
        cached = self.cache.get_text(self._prompt_key(image_sha256))
        return _recalled(cached)[0] if cached else None

    def _left_still(self, request: AnimationRequest) -> bool:
        if request.prompt or request.opted_in or getattr(self.settings, "select", "auto") != "auto":
            return False
        cached = self.cache.get_text(self._prompt_key(request.image_sha256))
        return bool(cached) and not _recalled(cached)[1]

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

        key = self._prompt_key(request.image_sha256)
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
            raise ProviderAuthError(
                self._safe(f"the API key was refused ({error.status_code}): {OUT_OF_CREDITS}")
            ) from None
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
