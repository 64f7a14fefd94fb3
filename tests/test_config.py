"""A wrong option stops the build with an error that names it; `enabled: false` changes nothing.

The errors are checked in-process, through MkDocs' own loading of a plugin's configuration (as MkDocs' tests check
theirs); one real build checks that a wrong option gives exit code 1 and no traceback.
"""

from __future__ import annotations

import os

import pytest
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_animate_plugin.config import AnimateConfig, Settings, options_of

from .conftest import picture


def load(tmp_path, **options: object) -> tuple[list[str], list[str], MkDocsConfig]:
    """mkdocs.yml with the plugin's `options`, validated as `mkdocs build` does: (errors, warnings, config)."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"), "plugins": [{"animate": options}]})
    errors, warnings = config.validate()
    return [str(e) for _, e in errors], [str(w) for _, w in warnings], config


UNKNOWN_MODEL = (
    "'luma/ray-3' is not an image-to-video model of the AI/ML API the plugin knows; the closest: luma/ray-3.2 "
    "(`mkdocs-animate models` lists them all)"
)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("provider", "magic", "Expected one of: ('auto', 'aimlapi', 'local') but received: 'magic'"),
        ("output", "mov", "Expected one of: ('video', 'gif', 'webp', 'avif') but received: 'mov'"),
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
        # The providers' own options, declared by them, are named the same way.
        ("video_model", 3, "Expected type: <class 'str'> but received: <class 'int'>"),
        ("video_model", "luma/ray-3", UNKNOWN_MODEL),
        ("base_url", ["x"], "Expected type: <class 'str'> but received: <class 'list'>"),
        ("depth_model", "/missing.onnx", "The path '/missing.onnx' isn't an existing file."),
    ],
)
def test_wrong_value_is_an_error_naming_the_option(tmp_path, option, value, message):
    errors, _, _ = load(tmp_path, **{option: value})
    assert errors == [f"Plugin 'animate' option '{option}': {message}"]


def test_unknown_option_is_reported(tmp_path):
    errors, warnings, _ = load(tmp_path, colour="blue")
    assert errors == []
    assert warnings == ["Plugin 'animate' option 'colour': Unrecognised configuration name: colour"]


def test_today_s_flat_options_keep_working_whatever_the_provider(tmp_path):
    flat = {
        "base_url": "https://example.test/",
        "prompt_model": "m",
        "video_model": "luma/ray-3.2",
        "instructions": "i",
        "api_key": "k",
        "cost_per_clip": 1,
        "local_motion": "kenburns",
    }
    for provider in ("auto", "local", "aimlapi"):
        errors, warnings, config = load(tmp_path, provider=provider, **flat)
        assert (errors, warnings) == ([], [])
        plugin = config.plugins["animate"].config
        assert (plugin.video_model, plugin.local_motion, plugin["base_url"]) == (
            "luma/ray-3.2",
            "kenburns",
            "https://example.test/",
        )


def test_every_option_is_declared_once_and_is_a_command_line_flag():
    from mkdocs_animate_plugin.cli.common import plugin_options

    names = [name for name, _ in options_of(AnimateConfig)]
    assert len(names) == len(set(names))
    assert {"video_model", "prompt_model", "base_url", "instructions", "local_motion", "depth_model"} <= set(names)
    params = {p.name for p in plugin_options(lambda **kw: None).__click_params__}
    assert set(names) - {"api_key", "enabled", "serve"} == params
    # The built-in providers declare their own options; the plugin's config names every one of them.
    from mkdocs_animate_plugin.providers import BUILTIN, provider_class

    for provider in BUILTIN:
        assert {name for name, _ in options_of(provider_class(provider).options)} <= set(names), provider


def test_settings_resolve_auto_the_key_and_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("AIMLAPI_API_KEY", raising=False)
    _, _, config = load(tmp_path, cache_dir="c")
    plugin = config.plugins["animate"].config
    settings = Settings.from_config(plugin, config.config_file_path)
    assert (settings.provider, settings.api_key, settings.cache_dir) == ("local", None, tmp_path / "c")
    assert settings.fps == 12 and settings.provider_options.local_motion == "auto"
    monkeypatch.setenv("AIMLAPI_API_KEY", "sk-secret")
    settings = Settings.from_config(plugin, config.config_file_path)
    assert (settings.provider, settings.api_key) == ("aimlapi", "sk-secret")
    assert "sk-secret" not in repr(settings)
    with pytest.raises(AttributeError):
        settings.colour  # noqa: B018


def test_config_does_not_import_what_a_build_without_work_does_not_need():
    import subprocess
    import sys

    script = (
        "import sys, mkdocs_animate_plugin.config\n"
        "print(sorted(m for m in ('asyncio', 'httpx', 'numpy', 'PIL', 'diskcache') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "[]", result.stderr


def test_wrong_value_stops_a_real_build(site):
    site.page("index.md", "# Home\n")
    site.configure(fps=0)
    result = site.run("build")
    assert result.returncode == 1
    assert "Plugin 'animate' option 'fps': Expected a number of at least 1 but received: 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_defaults_build_with_the_local_provider_without_a_key(site, monkeypatch):
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.configure(provider="auto")
    env = {k: v for k, v in os.environ.items() if k != "AIMLAPI_API_KEY"}
    result = site.run("build", "--strict", env=env)
    assert result.returncode == 0, result.stderr
    assert "1 image(s) animated" in result.stderr
    assert "data-animate-src=" in (site.root / "site" / "index.html").read_text()
