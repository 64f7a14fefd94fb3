"""A wrong option stops the build with an error that names it; `enabled: false` changes nothing."""

from __future__ import annotations

import pytest

from .conftest import picture


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("provider", "magic", "Expected one of: ('auto', 'aimlapi', 'local') but received: 'magic'"),
        ("output", "mov", "Expected one of: ('video', 'gif', 'webp') but received: 'mov'"),
        ("concurrency", 0, "Expected a number of at least 1 but received: 0"),
        ("width", -640, "Expected 'auto' or a number of pixels of at least 16 but received: -640"),
        ("width", "wide", "Expected 'auto' or a number of pixels of at least 16 but received: 'wide'"),
        ("min_width", -1, "Expected a number of at least 0 but received: -1"),
        ("min_height", "tall", "Expected type: <class 'int'> but received: <class 'str'>"),
        ("loop", "sideways", "Expected one of: ('auto', 'crossfade', 'pingpong', 'none') but received: 'sideways'"),
        ("select", "some", "Expected one of: ('auto', 'all', 'opt-in') but received: 'some'"),
        ("fps", 0, "Expected a number of at least 1 but received: 0"),
        ("fps", 240, "Expected a number of at most 60 but received: 240"),
        ("duration", True, "Expected a number but received: True"),
        ("max_new", -5, "Expected a number of at least 0 but received: -5"),
        ("timeout", 0, "Expected a number of at least 1 but received: 0"),
        ("serve", "always", "Expected one of: ('cache', 'generate') but received: 'always'"),
        ("local_motion", "spin", "Expected one of: ('auto', 'kenburns', 'parallax') but received: 'spin'"),
        ("include", "*.md", "Expected a list of items, but a <class 'str'> was given."),
        ("cost_per_clip", -1, "Expected a number of at least 0 but received: -1"),
    ],
)
def test_wrong_value_stops_the_build_naming_the_option(site, option, value, message):
    site.page("index.md", "# Home\n")
    site.configure(**{option: value})
    result = site.run("build")
    assert result.returncode == 1
    assert f"Plugin 'animate' option '{option}': {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_reported(site):
    site.page("index.md", "# Home\n")
    site.configure(colour="blue")
    result = site.run("build", "--strict")
    assert result.returncode == 1
    assert "Plugin 'animate' option 'colour'" in result.stderr


def test_defaults_build_with_the_local_provider_without_a_key(site, monkeypatch):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.configure(provider="auto")
    env = {k: v for k, v in __import__("os").environ.items() if k != "AIMLAPI_API_KEY"}
    result = site.run("build", "--strict", env=env)
    assert result.returncode == 0, result.stderr
    assert "1 image(s) animated" in result.stderr
    assert "<video" in (site.root / "site" / "index.html").read_text()
