"""The AI/ML API's image-to-video models through real builds against the stand-in (which checks each body against
its model's published schema, as the provider does: an invalid field is a 400), one model of each request shape
(its end frame, loop flag, audio switch, duration type, endpoint), and the seam of the loop each one makes; then the
provider's other documented behaviours: the verdict on motion, the true cost, 403 and 400, takes as seeds. Every
model's every request is checked against its schema in test_schemas.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mkdocs_animate_plugin.providers import models
from mkdocs_animate_plugin.providers.aimlapi.prompt import parse_answer
from mkdocs_animate_plugin.video import media

from .conftest import picture
from .standin import KEY, PROMPT
from .test_quality import seam


def _shapes() -> dict[str, models.Model]:
    """One model per request shape, the default first: what differs between models in what a build sends."""
    shapes: dict[tuple, models.Model] = {}
    for line in sorted(models.MODELS.values(), key=lambda line: line.id != models.DEFAULT_MODEL):
        shape = (line.end_frame, line.end_required, line.loop_flag, line.audio, line.duration_type, line.endpoint)
        shapes.setdefault(shape, line)
    return {line.id: line for line in shapes.values()}


SHAPES = _shapes()


def creates(standin) -> list[dict]:
    return [c["body"] for c in standin.calls if c["endpoint"] == "create"]


def animations(built, page: str = "index.html") -> list[str]:
    """The animation files a page shows (counted by their URLs, whatever the markup around them)."""
    import re

    return re.findall(r"assets/animate/[0-9a-f]+\.(?:mp4|gif|webp)", built.html(page))


def kept_clip(site) -> media.MediaInfo:
    (clip,) = [p for p in (site.cache / "clips").rglob("*.mp4") if not p.name.startswith(".")]
    return clip


# --- the vision answer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('{"suits_motion": true, "reason": "a photo", "prompt": "Leaves sway."}', ("Leaves sway.", True, "a photo")),
        ('```json\n{"suits_motion": false, "reason": "a bar chart", "prompt": ""}\n```', ("", False, "a bar chart")),
        ('Sure: {"suits_motion": "no", "reason": "text", "prompt": ""}', ("", False, "text")),
        ("YES\nThe cat blinks.", ("The cat blinks.", True, "")),
        ("**No**: a screenshot of a form", ("", False, "a screenshot of a form")),
        ("yes: The cat blinks.", ("The cat blinks.", True, "")),
        ("The cat blinks slowly.", ("The cat blinks slowly.", True, "")),
        ("Nothing moves fast here; the boat rocks.", ("Nothing moves fast here; the boat rocks.", True, "")),
    ],
)
def test_the_vision_answer_is_read_whatever_its_shape(answer, expected):
    assert parse_answer(answer) == expected


# --- every model, through a build ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_of_request_is_accepted_and_its_loop_has_no_seam(paid_site, standin, name):
    line = SHAPES[name]
    paid_site.configure(video_model=name, duration=min(line.durations, default=5))
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png){ data-animate-take=3 }\n")
    built = paid_site.build()
    assert standin.refusals == [] and built.warnings == []
    (body,) = creates(standin)
    assert set(body) <= set(line.fields)
    # The loop the model makes: its loop flag where it has one, else the start image as its end frame.
    if line.loop_flag:
        assert body[line.loop_flag] is True and (line.end_frame not in body or line.end_required)
    elif line.end_frame:
        assert body[line.end_frame] == body["image_url"]
    # Silent: the flag where the model has one; a seed from the take where it takes one.
    assert body.get(line.audio, False) is False and (line.audio in body) == bool(line.audio)
    assert body.get("seed") == (3 if line.seed else None)
    assert ("negative_prompt" in body) == bool(line.negative)
    # The duration as the schema types it; a model that takes none is not sent one, and one line says so.
    seconds = min(line.durations, default=5)
    assert body.get("duration") == {"integer": seconds, "string": str(seconds), None: None}[line.duration_type]
    told = [info for info in built.infos if "is not told a duration" in info]
    assert len(told) == (line.duration_type is None) and ("duration" in body) == bool(line.duration_type)
    # The seam: the clip as the model made it loops only where it was asked to; what the page shows always does.
    (shown,) = animations(built)
    jump, step = seam(built.site / shown)
    assert step > 0.01, "the picture moves"
    # A video restarts on a fresh key frame: its grain may change on top of a step (about 0.9 here), a jump of
    # the picture may not (about 4.7 with nothing closing the loop, see the next test).
    assert jump <= step + 1.8, f"{name}: seam {jump:.2f} against steps of {step:.2f}"
    raw_jump, raw_step = seam(kept_clip(paid_site))
    if line.native_loop:
        assert raw_jump <= raw_step + 1.8, f"{name}: the model's own loop ({raw_jump:.2f} vs {raw_step:.2f})"
    else:
        assert raw_jump > 4 * raw_step, f"{name}: the model's clip pans away ({raw_jump:.2f} vs {raw_step:.2f})"
    assert "$0.42 spent" in built.summary


def test_loop_none_sends_no_end_frame_and_the_seam_shows(paid_site, standin):
    paid_site.configure(loop="none")
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    built = paid_site.build()
    (body,) = creates(standin)
    assert "tail_image_url" not in body
    (shown,) = animations(built)
    jump, step = seam(built.site / shown)
    assert jump > 4 * step and jump > step + 1.8, "nothing closed the loop: the measure sees the jump (about 4.7)"


def test_an_unknown_video_model_stops_the_build_naming_the_closest_ids(paid_site, standin):
    paid_site.configure(video_model="klingai/video-v3-standard-image-to-vid")
    paid_site.page("index.md", "# Home\n")
    result = paid_site.run("build", env={**os.environ, "AIMLAPI_API_KEY": KEY})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "'klingai/video-v3-standard-image-to-vid' is not an image-to-video model" in result.stderr
    assert "the closest: klingai/video-v3-standard-image-to-video, " in result.stderr
    assert "mkdocs-animate models" in result.stderr and standin.calls == []


def test_sound_is_turned_off_where_the_model_has_the_flag(paid_site, standin):
    paid_site.configure(video_model="klingai/video-v2-6-pro-image-to-video")
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    paid_site.build()
    (body,) = creates(standin)
    assert body["generate_audio"] is False
    assert not media.probe(kept_clip(paid_site)).has_audio


def test_each_take_is_its_own_seed_and_the_same_take_is_the_same_clip(paid_site, standin):
    paid_site.configure(video_model="bytedance/seedance-1-0-pro-fast")
    paid_site.image("img/moon.png", picture(400, 300))
    paid_site.page("index.md", "![a](img/moon.png)\n\n![b](img/moon.png){ data-animate-take=2 }\n")
    paid_site.build()
    assert sorted(body["seed"] for body in creates(standin)) == [1, 2]
    paid_site.build()
    assert len(creates(standin)) == 2, "a take is reproducible: asked for again, it is the cached clip"


# --- does motion suit this picture? ----------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["json", "lines"])
def test_a_picture_the_vision_model_finds_unsuited_stays_still_and_is_asked_once(paid_site, standin, answer):
    standin.answer = answer
    paid_site.configure(select="auto")
    paid_site.image("img/cat.png", picture(400, 300, seed=1))
    paid_site.image("img/rain.png", picture(400, 300, seed=2))
    paid_site.page("index.md", "![A cat](img/cat.png)\n\n![A chart of the rain in May](img/rain.png)\n")
    built = paid_site.build()
    assert len(animations(built)) == 1 and built.warnings == []
    assert "not suited: 1" in built.summary and "0 failed" in built.summary
    assert standin.count("chat") == 2 and standin.count("create") == 1, "nothing paid for the chart"
    paid_site.configure(max_new=0)  # the chart takes no place in the budget: it will not be paid for
    again = paid_site.build()
    assert "not suited: 1" in again.summary and standin.count("chat") == 2, "the verdict is cached with the prompt"
    assert again.warnings == [] and "max_new" not in again.summary
    paid_site.configure(
        select="all", max_new=20
    )  # the author asked for every image: the verdict is not theirs to follow
    everything = paid_site.build()
    assert len(animations(everything)) == 2 and standin.count("chat") == 2


# --- errors the provider documents ------------------------------------------------------------------------------


def test_out_of_credits_stops_every_call_with_one_warning_that_says_so(paid_site, standin):
    paid_site.configure(concurrency=1)
    for seed in range(3):
        paid_site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    paid_site.page("index.md", "\n\n".join(f"![{seed}](img/{seed}.png)" for seed in range(3)))
    standin.fail("create", 403)
    built = paid_site.build()
    assert animations(built) == [] and standin.count("create") == 1
    (warning,) = built.warnings
    assert "out of credits" in warning and "requestId req-" in warning and "no further provider call" in warning
    assert "3 failed" in built.summary


def test_a_refused_body_quotes_the_providers_message_and_request_id(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.fail("create", 400)
    built = paid_site.build()
    (warning,) = built.warnings
    assert "was refused (400): Body validation error! (requestId req-" in warning


# --- the true cost ----------------------------------------------------------------------------------------------


def test_the_cost_reported_is_kept_and_shown_by_plan_and_cache_stats(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    built = paid_site.build()
    assert "1 new paid clip(s), $0.42 spent" in built.summary
    env = {**os.environ, "AIMLAPI_API_KEY": KEY}
    config = str(paid_site.root / "mkdocs.yml")
    run = [sys.executable, "-m", "mkdocs_animate_plugin.cli"]
    stats = subprocess.run([*run, "cache", "stats", "-f", config], check=False, capture_output=True, text=True, env=env)
    assert "spent: $0.42 on 1 paid clip(s)" in stats.stdout, stats.stderr
    plan = subprocess.run([*run, "plan", "-f", config], check=False, capture_output=True, text=True, env=env)
    assert "$0.42 spent on 1 clip(s) already made" in plan.stdout, plan.stderr


@pytest.mark.parametrize(
    ("model", "estimate"),
    [("klingai/video-v3-standard-image-to-video", "$0.30"), ("kling-video/v1.6/pro/image-to-video", "$0.49")],
)
def test_without_a_reported_cost_the_estimate_is_the_models_else_cost_per_clip(paid_site, standin, model, estimate):
    standin.credits = None
    paid_site.configure(video_model=model, cost_per_clip=0.3)
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    built = paid_site.build()
    assert f"1 new paid clip(s), estimated {estimate}" in built.summary
    assert PROMPT in creates(standin)[0]["prompt"]
