"""The AI/ML API's model table comes from the provider's own request schemas (tools/models_from_schemas.py), and
every request the plugin can send is valid against its model's published schema: for every model in the table, every
duration the `duration` option allows (so each the model makes) and both loop settings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import httpx
import pytest

from mkdocs_animate_plugin.providers import models

from .standin import KEY, SCHEMAS, SCHEMAS_FILE, problem

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="
PROMPT = "The grass sways in a light breeze while the cat slowly blinks. " * 60  # longer than any model takes


def tool():
    spec = importlib.util.spec_from_file_location("models_from_schemas", ROOT / "tools" / "models_from_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the table is the schemas' ---------------------------------------------------------------------------------


def test_the_committed_table_is_what_the_tool_makes_from_the_schemas():
    made = tool().table(json.loads(SCHEMAS_FILE.read_text(encoding="utf-8")))
    committed = ROOT / "mkdocs_animate_plugin" / "providers" / "aimlapi" / "models.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == made, "run python tools/models_from_schemas.py"
    assert set(made["models"]) | set(made["excluded"]) == set(SCHEMAS), "every published model is used or explained"
    assert set(made["models"]) == set(models.MODELS)


def test_the_tool_reads_a_checkout_of_the_api_docs_as_the_schemas_file_holds_them(tmp_path):
    """Each model's schema written back as the api-docs repository publishes it (one OpenAPI file per model), with
    Kling 1.6 Pro documented a second time on the vendor path, as the repository does: the same table."""
    published = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))
    other = SCHEMAS["kling-video/v1.5/pro/image-to-video"]["schema"]  # on the vendor path, with another body
    model = {"type": "string", "enum": ["kling-video/v1.6/pro/image-to-video"]}
    twice = {"file": "docs/api-references/video-models/Kling-AI/kling-video-image-to-video.json",
             "path": "/v2/generate/video/kling/generation",
             "schema": {**other, "properties": {**other["properties"], "model": model}}}  # fmt: skip
    for entry in [twice, *SCHEMAS.values()]:
        body = {"requestBody": {"content": {"application/json": {"schema": entry["schema"]}}}}
        target = tmp_path / entry["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"openapi": "3.0.0", "paths": {entry["path"]: {"post": body}}}))
    (tmp_path / "docs" / "api-references" / "video-models" / "notes.json").write_text("version https://git-lfs")
    generator = tool()
    assert generator.collect(tmp_path)["models"] == published["models"]


def test_the_readmes_model_table_is_generated_from_the_same_data():
    generator = tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    data = generator.table(json.loads(SCHEMAS_FILE.read_text(encoding="utf-8")))
    assert generator.with_block(readme, generator.readme_block(data)) == readme, "run tools/models_from_schemas.py"
    assert f"| `{models.DEFAULT_MODEL}` (default) | end frame tail_image_url | 3–15 |" in readme


def test_the_committed_schemas_are_the_shared_ones_where_those_are_beside_the_clone():
    shared = ROOT.parent / "shared" / "aimlapi" / "video-request-schemas.json"
    if not shared.is_file():
        pytest.skip("no ../shared beside this clone")
    assert SCHEMAS_FILE.read_bytes() == shared.read_bytes()


def test_the_default_loops_by_its_end_frame_without_sound_and_makes_five_seconds():
    line = models.MODELS[models.DEFAULT_MODEL]
    assert line.end_frame == "tail_image_url" and line.audio == "generate_audio" and 5 in line.durations
    body = models.request_body(line, IMAGE, "p", 5, loop=True, take=1, negative=None)
    assert body["tail_image_url"] == IMAGE and body["generate_audio"] is False and body["duration"] == 5


# --- every request the plugin can send ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_every_request_is_valid_against_the_models_published_schema(name):
    line = models.MODELS[name]
    for seconds in range(1, 31):  # every `duration` the option allows: each one the model makes among them
        made = line.nearest(seconds)
        assert made in line.durations or not line.durations
        for loop in (True, False):
            for negative in (models.NEGATIVE_PROMPT * 3, None):
                body = models.request_body(line, IMAGE, PROMPT, made, loop=loop, take=3, negative=negative)
                assert problem(body, line.endpoint) is None, (seconds, loop, negative is None)
                asked = body.get(line.loop_flag) is True or body.get(line.end_frame) == IMAGE
                assert asked == line.loops(loop), "the model is asked to loop exactly when the pipeline relies on it"
    assert line.prompt_max <= 2000 and len(body["prompt"]) == line.prompt_max


def test_a_duration_the_model_does_not_make_becomes_the_nearest_the_shorter_on_a_tie():
    kling = models.MODELS["kling-video/v1.6/pro/image-to-video"]
    veo = models.MODELS["google/veo-3.1-first-last-image-to-video"]
    assert [kling.nearest(s) for s in (1, 5, 7, 8, 30)] == [5, 5, 5, 10, 10]
    assert [veo.nearest(s) for s in (3, 5, 7, 10)] == [4, 4, 6, 8]


def test_the_stand_in_refuses_what_the_schema_refuses_with_the_providers_400(standin):
    base = {"model": "kling-video/v1.6/pro/image-to-video", "image_url": IMAGE, "prompt": "p", "duration": 5}
    headers = {"Authorization": f"Bearer {KEY}"}
    url = f"{standin.base_url}/v2/video/generations"
    assert httpx.post(url, json=base, headers=headers).status_code == 201
    for wrong in ({"duration": "5"}, {"duration": 7}, {"seed": 3}, {"generate_audio": False}):
        answer = httpx.post(url, json={**base, **wrong}, headers=headers)
        assert answer.status_code == 400, wrong
        error = answer.json()
        assert set(error) == {"message", "path", "requestId", "statusCode", "timestamp"}
        assert (error["message"], error["statusCode"]) == ("Body validation error!", 400)
        assert next(iter(wrong)) in standin.refusals[-1]
