"""The AI/ML API provider through real builds against the stand-in API on 127.0.0.1 (real HTTP, real clips)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import lxml.html
import pytest

from mkdocs_animate_plugin.video import media

from .conftest import picture
from .standin import KEY, PROMPT


def animated(built, page: str = "index.html") -> list[str]:
    """The alt texts of the images that became animations on a page."""
    tree = lxml.html.fromstring(built.html(page))
    return [el.get("alt") for el in tree.xpath("//img[@data-animate-src]")]


def test_request_shapes_auth_and_a_clip(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "Cats sleep a lot.\n\n![A sleepy cat](img/cat.png)\n\nThey purr when happy.\n")
    built = paid_site.build()
    assert animated(built) == ["A sleepy cat"]
    (chat,) = [c for c in standin.calls if c["endpoint"] == "chat"]
    assert chat["headers"]["authorization"] == f"Bearer {KEY}"
    assert chat["body"]["model"] == "gpt-4o" and chat["body"]["max_tokens"] == 300
    system, user = chat["body"]["messages"]
    assert system["role"] == "system" and "child" in system["content"]
    assert "no distortion" in system["content"] and "suits_motion" in system["content"], "the verdict, same call"
    text, image = user["content"]
    assert "A sleepy cat" in text["text"] and "They purr when happy." in text["text"]
    assert image["image_url"]["url"].startswith("data:image/jpeg;base64,")
    (create,) = [c for c in standin.calls if c["endpoint"] == "create"]
    body = create["body"]
    assert body["model"] == "klingai/video-v3-standard-image-to-video", "the default: a current Kling with an end frame"
    assert body["prompt"] == PROMPT and body["duration"] == 5
    assert body["image_url"].startswith("data:image/jpeg;base64,")
    assert body["tail_image_url"] == body["image_url"], "loop: auto uses the model's end frame"
    assert body["generate_audio"] is False and "child" not in body["negative_prompt"]
    assert "distorted face" in body["negative_prompt"]
    assert create["headers"]["authorization"] == f"Bearer {KEY}"
    (download,) = [c for c in standin.calls if c["endpoint"] == "download"]
    assert "authorization" not in download["headers"], "the CDN link is fetched without the key"
    src = (
        lxml.html.fromstring(built.html("index.html"))
        .xpath("//img[@data-animate-type='video/mp4']")[0]
        .get("data-animate-src")
    )
    info = media.probe(built.site / src)
    assert (info.codec, info.width, info.height, info.has_audio) == ("h264", 160, 120, False)
    assert "1 new paid clip(s), $0.42 spent" in built.summary, "credits_used: 840,000 credits = $0.42"


def test_prompt_attribute_skips_the_vision_call(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", '![cat](img/cat.png){ data-animate-prompt="The cat blinks slowly." }\n')
    built = paid_site.build()
    assert animated(built) == ["cat"]
    assert standin.count("chat") == 0
    (create,) = [c for c in standin.calls if c["endpoint"] == "create"]
    assert create["body"]["prompt"] == "The cat blinks slowly."


def test_one_generation_per_image_however_often_shown(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![a](img/cat.png)\n")
    paid_site.page("one.md", "![b](img/cat.png)\n\n![c](img/cat.png){ data-animate-output=gif }\n")
    paid_site.page("two/three.md", "![d](../img/cat.png){ data-animate-output=webp }\n")
    built = paid_site.build()
    assert animated(built) == ["a"] and animated(built, "two/three/index.html") == ["d"]
    assert animated(built, "one/index.html") == ["b", "c"], "every image of every page is animated"
    assert "4 image(s) animated" in built.summary
    assert standin.count("create") == 1 and standin.count("chat") == 1 and standin.count("download") == 1
    assert "1 new paid clip(s)" in built.summary


def test_max_new_caps_paid_generations(paid_site, standin):
    paid_site.configure(max_new=2)
    for seed in range(3):
        paid_site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    paid_site.page("index.md", "\n\n".join(f"![{seed}](img/{seed}.png)" for seed in range(3)))
    built = paid_site.build()
    assert animated(built) == ["0", "1"]
    assert standin.count("create") == 2
    (warning,) = [w for w in built.warnings if "max_new" in w]
    assert "1 image(s) were left still: max_new allows 2" in warning
    again = paid_site.build()  # the next build makes the rest
    assert animated(again) == ["0", "1", "2"] and standin.count("create") == 3


def test_warm_rebuild_makes_no_call(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    paid_site.build()
    calls = len(standin.calls)
    built = paid_site.build()
    assert animated(built) == ["cat"]
    assert len(standin.calls) == calls
    assert "(0 new, 1 from cache)" in built.summary and "0 new paid clip(s), $0.00 spent" in built.summary


def test_changing_the_output_reuses_the_paid_clip(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    paid_site.build()
    paid_site.configure(output="webp", width=128)
    built = paid_site.build()
    assert animated(built) == ["cat"]
    assert standin.count("create") == 1 and standin.count("download") == 1


def test_kill_9_mid_generation_resumes_without_paying_again(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.latency = 600
    env = {**os.environ, "AIMLAPI_API_KEY": KEY}
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(paid_site.root / "mkdocs.yml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while standin.count("poll") < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert standin.count("poll") >= 1, "the build should be waiting on its generation"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert standin.count("create") == 1
    standin.latency = 0
    built = paid_site.build()
    assert animated(built) == ["cat"]
    assert standin.count("create") == 1, "the next build polls the journaled id and submits nothing again"
    assert "0 new paid clip(s)" in built.summary


@pytest.mark.parametrize(
    ("endpoint", "fault", "heals_without_new_payment"),
    [
        ("create", 400, False),
        ("poll", "error", False),
        ("download", "truncate", True),
        ("download", "html", True),
        ("download", 404, False),
    ],
)
def test_each_fault_leaves_the_build_green_and_a_rebuild_heals(
    paid_site, standin, endpoint, fault, heals_without_new_payment
):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.fail(endpoint, fault)
    built = paid_site.build()
    assert animated(built) == []
    (warning,) = built.warnings
    assert warning.startswith("animate: Couldn't animate 'img/cat.png' in 'index.md': ")
    assert "1 failed" in built.summary
    assert 'src="img/cat.png"' in built.html("index.html")
    creates = standin.count("create")
    healed = paid_site.build()
    assert animated(healed) == ["cat"] and healed.warnings == []
    assert standin.count("create") == creates + (0 if heals_without_new_payment else 1)


@pytest.mark.parametrize(("endpoint", "faults"), [("create", (429, 429)), ("chat", (500,)), ("poll", (503,))])
def test_busy_and_server_errors_are_retried(paid_site, standin, endpoint, faults):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.fail(endpoint, *faults)
    built = paid_site.build()
    assert animated(built) == ["cat"] and built.warnings == []
    assert standin.count(endpoint) >= len(faults) + 1


def test_a_refused_key_stops_every_call_with_one_warning(paid_site, standin, monkeypatch):
    monkeypatch.setenv("AIMLAPI_API_KEY", "sk-wrong")
    paid_site.configure(concurrency=1)
    for seed in range(3):
        paid_site.image(f"img/{seed}.png", picture(400, 300, seed=seed))
    paid_site.page("index.md", "\n\n".join(f"![{seed}](img/{seed}.png)" for seed in range(3)))
    built = paid_site.build()
    assert animated(built) == []
    assert len(standin.calls) == 1, "no call after the first 401"
    (warning,) = built.warnings
    assert "the API key was refused (401" in warning and "no further provider call" in warning
    assert "3 failed" in built.summary
    assert "sk-wrong" not in warning


def test_strict_build_fails_cleanly_on_a_failed_generation(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.fail("poll", "error")
    result = paid_site.run("build", "--strict", env={**os.environ, "AIMLAPI_API_KEY": KEY})
    assert result.returncode == 1
    assert "generation gen-0001 failed: injected failure" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_key_is_never_written_anywhere(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n\n![dog](img/missing.png)\n")
    standin.fail("create", 400)
    result = paid_site.run("build", "--verbose", env={**os.environ, "AIMLAPI_API_KEY": KEY})
    paid_site.run("build", env={**os.environ, "AIMLAPI_API_KEY": KEY})
    assert KEY not in result.stdout + result.stderr
    for folder in (paid_site.cache, paid_site.root / "site"):
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert files
        for path in files:
            assert KEY.encode() not in path.read_bytes(), path


def cat_cached_dog_new(paid_site, standin) -> int:
    """A site whose cat is cached and whose dog is new; returns the provider calls made so far."""
    paid_site.image("img/cat.png", picture(400, 300, seed=1))
    paid_site.image("img/dog.png", picture(400, 300, seed=2))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    paid_site.build()
    paid_site.page("index.md", "![cat](img/cat.png)\n\n![dog](img/dog.png)\n")
    return len(standin.calls)


def test_offline_uses_only_the_cache(paid_site, standin, monkeypatch):
    calls = cat_cached_dog_new(paid_site, standin)
    paid_site.configure(offline=True)
    monkeypatch.delenv("AIMLAPI_API_KEY")  # CI without the key
    built = paid_site.build()
    assert animated(built) == ["cat"]
    assert len(standin.calls) == calls
    assert "not cached (offline): 1" in built.summary and built.warnings == []


def test_serve_shows_only_cached_animations(paid_site, standin):
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    built = paid_site.build(command="serve")
    assert animated(built) == [] and standin.calls == []
    assert "not cached yet (serve): 1" in built.summary and built.warnings == []
    paid_site.configure(serve="generate")
    assert animated(paid_site.build(command="serve")) == ["cat"]


def test_without_a_key_the_build_uses_the_cache_and_warns(paid_site, standin, monkeypatch):
    calls = cat_cached_dog_new(paid_site, standin)
    env = {k: v for k, v in os.environ.items() if k != "AIMLAPI_API_KEY"}  # a pull request from a fork
    result = paid_site.run("build", env=env)
    assert result.returncode == 0, result.stderr
    assert "the aimlapi provider needs an API key" in result.stderr and "uses only cached animations" in result.stderr
    assert len(standin.calls) == calls
    html = (paid_site.root / "site" / "index.html").read_text()
    assert html.count("data-animate-src=") == 1 and 'src="img/dog.png"' in html
    strict = paid_site.run("build", "--strict", env=env)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr


def test_a_duration_the_model_does_not_make_becomes_the_nearest_with_one_info_line(paid_site, standin):
    paid_site.configure(duration=7, video_model="kling-video/v1.6/pro/image-to-video")
    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    built = paid_site.build(strict=True)  # an info line: strict mode has nothing to fail on
    (body,) = [c["body"] for c in standin.calls if c["endpoint"] == "create"]
    assert body["duration"] == 5 and standin.refusals == [] and built.warnings == []
    said = "kling-video/v1.6/pro/image-to-video makes clips of 5, 10 seconds, not 7: its clips are 5 seconds long"
    assert [line for line in built.infos if "not 7" in line] == [f"animate: {said}"]


def test_a_terminal_shows_live_progress(paid_site, standin):
    import pty

    paid_site.image("img/cat.png", picture(400, 300))
    paid_site.page("index.md", "![cat](img/cat.png)\n")
    standin.latency = 2.5
    leader, follower = pty.openpty()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(paid_site.root / "mkdocs.yml")],
        stdout=follower, stderr=follower, env={**os.environ, "AIMLAPI_API_KEY": KEY},
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    build.wait()
    os.close(leader)
    text = seen.decode(errors="replace")
    assert build.returncode == 0
    assert "animate: 0 of 1 animation(s) made, 0 failed, 0m 0" in text  # while the clip is made
    assert "\r\x1b[K" in text  # one line, rewritten in place
    assert "1 image(s) animated" in text
