"""The AI/ML API's image-to-video models, one line each: what differs between them in the request they accept.

Every model is served by the same `POST /v2/video/generations`; they differ in a few fields, and a field a model
does not know is refused with a 400 "Body validation error!". So a request is built from the model's line and
carries only the fields that line names. Sources: `shared/PROVIDER-API.md` ("The catalogue today", the line
given in `source`) and, where it says more, the model's schema in the provider's api-docs repository.

A model that is not here still works: the common fields only (`model`, `image_url`, `prompt`, `duration`), the
loop closed by a crossfade, and one info line that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROMPT_LIMIT = 2000  # characters: the catalogue's limit for every model
CREDITS_PER_USD = 2_000_000  # `meta.usage.credits_used` in US dollars
# A sensible default for the models that take a negative prompt: what a children's encyclopedia never shows.
NEGATIVE_PROMPT = (
    "frightening, scary, violent, aggressive, blood, distorted face, deformed body, extra limbs, melting, "
    "morphing, sudden movement, camera shake, flicker, text, watermark, blur"
)


@dataclass(frozen=True)
class Model:
    """What one image-to-video model accepts, and how the plugin makes a loop with it."""

    durations: tuple[int, ...]  # the clip lengths it makes, in seconds
    end_frame: str | None = None  # the field that sets the last frame
    loop_end: bool = True  # the start image sent there too makes the clip come back to where it began
    end_required: bool = False  # the model refuses a request without its end frame
    loop_flag: str | None = None  # a field that makes the model loop the clip itself (Luma's `loop: true`)
    audio: str | None = None  # the field that turns sound off
    audio_default: bool = False  # it makes sound unless told not to
    seed: str | None = None  # the field a take number is sent in, for a reproducible take
    negative: str | None = None  # the field for what the clip must not show
    duration_text: bool = False  # the duration is sent as a string ("5"), as the model's examples do
    max_aspect: float = 2.5  # the widest (and, inverted, tallest) picture it takes
    min_side: int = 300  # pixels, the shorter side at least
    fields: frozenset[str] = field(default_factory=frozenset)  # other fields it accepts (sent by no default)
    usd_per_second: float | None = None  # an estimate of its price, where a source gives one
    source: str = ""  # where this line comes from

    def accepted(self) -> frozenset[str]:
        """Every field this model's request may carry."""
        named: set[str | None] = {self.end_frame, self.loop_flag, self.audio, self.seed, self.negative}
        return frozenset({"model", "image_url", "prompt", "duration", *self.fields} | (named - {None}))

    @property
    def native_loop(self) -> bool:
        """The model closes the loop itself: with its loop flag, or with the start image as its end frame."""
        return bool(self.loop_flag or (self.end_frame and self.loop_end))

    def loops(self, wanted: bool) -> bool:
        """Whether the clip comes back to its first frame: asked for (`loop: auto`), or an end frame the model
        requires (which is the start image: the picture stays where it is)."""
        return (wanted and self.native_loop) or bool(self.end_frame and self.end_required)

    def estimate(self, seconds: int) -> float | None:
        return None if self.usd_per_second is None else round(self.usd_per_second * seconds, 2)


UNKNOWN = Model(durations=(), source="not in the table: common fields only, loop by crossfade")

_KLING_OLD: dict[str, Any] = {"duration_text": True, "durations": (5, 10)}  # the `kling-video/...` paths: "5" as a string
_SRC = "shared/PROVIDER-API.md line"

MODELS: dict[str, Model] = {
    # --- Kling: the vendor path's models (`kling-video/...`), two generations old -----------------------------
    "kling-video/v1.6/pro/image-to-video": Model(
        **_KLING_OLD, end_frame="tail_image_url", negative="negative_prompt", fields=frozenset({"cfg_scale"}),
        usd_per_second=0.098, source=f"{_SRC} 95 (fields: lines 40-45; $0.49 a 5 s clip: line 85)",
    ),
    "kling-video/v1.6/standard/image-to-video": Model(
        **_KLING_OLD, negative="negative_prompt", fields=frozenset({"cfg_scale"}), source=f"{_SRC} 96",
    ),
    "kling-video/v2.1/standard/image-to-video": Model(
        **_KLING_OLD, negative="negative_prompt", fields=frozenset({"cfg_scale"}), source=f"{_SRC} 96",
    ),
    "kling-video/v2.1/pro/image-to-video": Model(
        **_KLING_OLD, negative="negative_prompt", fields=frozenset({"cfg_scale"}), source=f"{_SRC} 96",
    ),
    "klingai/v2.5-turbo/pro/image-to-video": Model(
        durations=(5, 10), negative="negative_prompt", fields=frozenset({"cfg_scale"}), source=f"{_SRC} 96",
    ),
    # --- Kling: the current models (`klingai/...`): sound on unless told not to --------------------------------
    "klingai/video-v2-6-pro-image-to-video": Model(
        durations=(5, 10), audio="generate_audio", audio_default=True, negative="negative_prompt",
        fields=frozenset({"cfg_scale"}), source=f"{_SRC} 97",
    ),
    "klingai/video-v3-standard-image-to-video": Model(
        durations=tuple(range(3, 16)), end_frame="tail_image_url", audio="generate_audio", audio_default=True,
        negative="negative_prompt", fields=frozenset({"cfg_scale"}),
        source=f"{_SRC} 98 (schema: api-docs Kling-AI/video-v3-standard-image-to-video.json)",
    ),
    "klingai/video-v3-pro-image-to-video": Model(
        durations=tuple(range(3, 16)), end_frame="tail_image_url", audio="generate_audio", audio_default=True,
        negative="negative_prompt", fields=frozenset({"cfg_scale"}), source=f"{_SRC} 98",
    ),
    "klingai/video-o1-image-to-video": Model(durations=(5, 10), end_frame="last_image_url", source=f"{_SRC} 99"),
    # --- Seedance: an end frame and a seed ------------------------------------------------------------------
    "bytedance/seedance-1-0-pro": Model(
        durations=(5, 10), end_frame="last_image_url", seed="seed",
        fields=frozenset({"resolution", "camerafixed", "watermark"}), source=f"{_SRC} 100, 107",
    ),
    "bytedance/seedance-1-0-pro-fast": Model(
        durations=(5, 10), end_frame="last_image_url", seed="seed",
        fields=frozenset({"resolution", "camerafixed", "watermark"}),
        source=f"{_SRC} 100, 107 (schema: api-docs ByteDance/seedance-1-0-pro-fast.json)",
    ),
    # --- Luma Ray: the model loops the clip itself --------------------------------------------------------
    "luma/ray-2": Model(durations=(5, 9), loop_flag="loop", fields=frozenset({"aspect_ratio", "resolution"}),
                        source=f"{_SRC} 101 (5 or 9 s: Luma's own reference)"),
    "luma/ray-flash-2": Model(durations=(5, 9), loop_flag="loop", fields=frozenset({"aspect_ratio", "resolution"}),
                              source=f"{_SRC} 101"),
    # Ray 3.2 has an end frame too, but Luma's loop cannot be combined with one: the loop flag is the better loop.
    "luma/ray-3.2": Model(durations=(5,), end_frame="last_image_url", loop_end=False, loop_flag="loop",
                          fields=frozenset({"aspect_ratio", "resolution"}), source=f"{_SRC} 101"),
    # --- Veo 3.1 first-last: 8 s only, its last frame required, sound on by default ----------------------------
    "google/veo-3.1-first-last-image-to-video": Model(
        durations=(8,), end_frame="last_image_url", end_required=True, audio="generate_audio", audio_default=True,
        fields=frozenset({"aspect_ratio", "resolution"}),
        source=f"{_SRC} 102 (schema: api-docs Google/veo-3.1-first-last-image-to-video.json)",
    ),
    # --- Hailuo: an end frame, 6 or 10 s ----------------------------------------------------------------------
    "minimax/hailuo-02": Model(
        durations=(6, 10), end_frame="last_image_url", fields=frozenset({"resolution", "enhance_prompt"}),
        source=f"{_SRC} 103 (schema: api-docs MiniMax/hailuo-02.json)",
    ),
}

# A current Kling model with an end frame (a loop made by the model), sound turned off by a documented flag,
# clips of 3 to 15 s, and the cheaper of the two v3 models.
DEFAULT_MODEL = "klingai/video-v3-standard-image-to-video"


def model(name: str) -> Model:
    return MODELS.get(name, UNKNOWN)


def request_body(
    name: str, image: str, prompt: str, duration: int, *, loop: bool, take: int, negative: str | None
) -> dict[str, Any]:
    """The body of a generation request for model `name`: only the fields it accepts.

    `loop`: ask the model to come back to its first frame (its loop flag, or the start image as its end frame);
    `take`: the take number, sent as the seed where the model takes one; `negative`: the negative prompt."""
    line = model(name)
    body: dict[str, Any] = {
        "model": name,
        "image_url": image,
        "prompt": prompt[:PROMPT_LIMIT],
        "duration": str(duration) if line.duration_text or line is UNKNOWN else duration,
    }
    if loop and line.loop_flag:
        body[line.loop_flag] = True
    elif (loop and line.end_frame and line.loop_end) or line.end_required:
        body[line.end_frame] = image  # type: ignore[index]
    if line.audio:
        body[line.audio] = False  # the clips are shown muted; sound would only cost more
    if line.seed:
        body[line.seed] = take
    if line.negative and negative:
        body[line.negative] = negative
    return body
