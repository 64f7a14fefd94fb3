"""The AI/ML API's image-to-video models, as the provider's own request schemas describe them.

The table is data, `aimlapi/models.json`, written by `tools/models_from_schemas.py` from the schemas the provider
publishes (never typed by hand): per model its endpoint, every field it accepts, the required ones, and the fields
the plugin fills (end frame, loop flag, seed, negative prompt, audio switch). A request is built from its model's
line only, so it carries no field the model does not accept, and a duration of the type and value the schema asks.
A model not in the table is a configuration error (`mkdocs-animate models` lists them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

CREDITS_PER_USD = 2_000_000  # `meta.usage.credits_used` in US dollars
# A sensible default for the models that take a negative prompt: what a children's encyclopedia never shows.
NEGATIVE_PROMPT = (
    "frightening, scary, violent, aggressive, blood, distorted face, deformed body, extra limbs, melting, "
    "morphing, sudden movement, camera shake, flicker, text, watermark, blur"
)
# Kling v3 Standard: the start image as its end frame (the model closes the loop), sound turned off by its
# `generate_audio`, clips of 3 to 15 s (5 included), and the cheaper of the two Kling v3 models.
DEFAULT_MODEL = "klingai/video-v3-standard-image-to-video"
COLUMNS = ("video_model", "loop by", "durations (s)", "sound", "seed", "negative prompt", "price estimate")


@dataclass(frozen=True)
class Model:
    """What one image-to-video model accepts (its schema's fields), and which of them the plugin fills."""

    id: str
    endpoint: str
    fields: dict[str, Any] = field(compare=False)  # every field it accepts: its schema, descriptions left out
    durations: tuple[int, ...]  # the clip lengths it makes, in seconds; empty: any (or no duration field)
    duration_type: str | None  # the duration's JSON type ("integer", "string"); None: it takes no duration
    prompt_max: int
    end_frame: str | None = None  # the field that sets the last frame
    end_required: bool = False  # the model refuses a request without its end frame
    loop_flag: str | None = None  # a field that makes the model loop the clip itself (Luma's `loop: true`)
    audio: str | None = None  # the field that turns sound on or off
    audio_default: bool | None = None  # what the model does with sound unless told
    seed: str | None = None  # the field a take number is sent in, for a reproducible take
    negative: str | None = None  # the field for what the clip must not show
    negative_max: int | None = None
    usd_per_second: float | None = None  # hand-kept: an estimate of its price, where a source gives one
    max_aspect: float = 2.5  # the widest (and, inverted, tallest) picture it takes (the v3 turbo schemas)
    min_side: int = 300  # pixels, the shorter side at least

    @classmethod
    def from_data(cls, name: str, data: dict[str, Any]) -> Model:
        """A line of `models.json`."""
        given = {key: value for key, value in data.items() if key in _LOADED}
        return cls(id=name, durations=tuple(data["durations"]), **given)

    @property
    def native_loop(self) -> bool:
        """The model closes the loop itself: with its loop flag, or with the start image as its end frame."""
        return bool(self.loop_flag or self.end_frame)

    def loops(self, wanted: bool) -> bool:
        """Whether the clip comes back to its first frame: asked for (`loop: auto`), or an end frame the model
        requires (which is the start image: the picture stays where it is)."""
        return (wanted and self.native_loop) or self.end_required

    def nearest(self, seconds: int) -> int:
        """The clip length the model makes that is closest to `seconds` (on a tie the shorter: it costs less)."""
        if not self.durations:
            return seconds
        return min(self.durations, key=lambda made: (abs(made - seconds), made))

    def estimate(self, seconds: int) -> float | None:
        return None if self.usd_per_second is None else round(self.usd_per_second * seconds, 2)


# The keys of a line of models.json that a Model takes as they are (its other keys, the schema's required fields and
# where the hand-kept values come from, are for the reader of the file).
_LOADED = {f.name for f in fields(Model)} - {"id", "durations"}


def _load() -> dict[str, Model]:
    text = resources.files(__package__).joinpath("aimlapi", "models.json").read_text(encoding="utf-8")
    return {name: Model.from_data(name, data) for name, data in json.loads(text)["models"].items()}


MODELS: dict[str, Model] = _load()


def request_body(
    line: Model, image: str, prompt: str, duration: int, *, loop: bool, take: int, negative: str | None
) -> dict[str, Any]:
    """The body of a generation request for the model `line`: only the fields its schema names.

    `duration`: one the model makes (`Model.nearest`); `loop`: ask the model to come back to its first frame (its
    loop flag, or the start image as its end frame); `take`: the take number, sent as the seed where the model
    takes one; `negative`: the negative prompt."""
    body: dict[str, Any] = {"model": line.id, "image_url": image, "prompt": prompt[: line.prompt_max]}
    if line.duration_type is not None:
        body["duration"] = str(duration) if line.duration_type == "string" else duration
    if loop and line.loop_flag:
        body[line.loop_flag] = True
    elif line.end_frame and (loop or line.end_required):
        body[line.end_frame] = image
    if line.audio:
        body[line.audio] = False  # the clips are shown muted; sound would only cost more
    if line.seed:
        body[line.seed] = take
    if line.negative and negative:
        body[line.negative] = negative[: line.negative_max]
    return body


def durations_text(line: Model) -> str:
    """The clip lengths a model makes, as a reader wants them: `3–15`, `5, 10`, `any`."""
    made = line.durations
    if not made:
        return "any" if line.duration_type else "its own"
    if len(made) > 2 and made == tuple(range(made[0], made[-1] + 1)):
        return f"{made[0]}–{made[-1]}"
    return ", ".join(map(str, made))


def describe(line: Model) -> list[str]:
    """One model as the `models` command and the README show it, a cell per column of `COLUMNS`."""
    if line.loop_flag:
        loop = f"{line.loop_flag}: true"
    elif line.end_frame:
        loop = f"end frame {line.end_frame}" + (" (required)" if line.end_required else "")
    else:
        loop = "crossfade"
    default = "on" if line.audio_default else "off"
    sound = f"off ({line.audio}; default {default})" if line.audio else "no switch"
    price = f"${line.estimate(5):.2f} / 5 s" if line.usd_per_second is not None else ""
    return [line.id, loop, durations_text(line), sound, line.seed or "", line.negative or "", price]
