"""What every subcommand of `mkdocs-animate` shares: the plugin's options as flags, logging as MkDocs logs, and
the pipeline opened and closed the way the plugin does it."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import yaml
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from ..config import AnimateConfig, Settings, load, options_of

log = logging.getLogger("mkdocs.plugins.animate")
# Options that make no sense on a command line: the key belongs in the environment (a command line is visible to
# every user of the machine), and `enabled` is what running the command means.
_NOT_FLAGS = {"api_key", "enabled", "serve"}
_LISTS = {  # list options: the flag is repeated
    "include": "glob of pages",
    "exclude": "glob of pages",
    "exclude_images": "glob of images never animated (relative to docs_dir, or to the site's folder)",
    "exclude_classes": "class whose images are never animated",
}


class _Counter(logging.Handler):
    """Prints MkDocs-style lines on stderr and counts warnings, for --strict."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.warnings = 0
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += record.levelno >= logging.WARNING
        click.echo(self.format(record), err=True)


def start_logging(level: int = logging.INFO) -> _Counter:
    handler = _Counter()
    root = logging.getLogger("mkdocs")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    return handler


def plugin_options(command: Callable) -> Callable:
    """Add `--name` for each plugin option (booleans as `--name/--no-name`, lists repeated)."""
    for name, option in reversed(options_of(AnimateConfig)):
        if name in _NOT_FLAGS:
            continue
        flag = "--" + name.replace("_", "-")
        if isinstance(option.default, bool):
            decorator = click.option(f"{flag}/--no-{flag[2:]}", name, default=None, help=f"(plugin option {name})")
        elif isinstance(option, c.ListOfItems):
            decorator = click.option(flag, name, multiple=True, help=f"{_LISTS.get(name, name)}; repeat for more")
        else:
            shown = {"instructions": "built-in text", "concurrency": "the provider's"}.get(name, option.default)
            decorator = click.option(flag, name, default=None, metavar="VALUE", help=f"default: {shown}")
        command = decorator(command)
    return command


def config_file_option(command: Callable) -> Callable:
    return click.option(
        "-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read the animate plugin's options from this mkdocs.yml or zensical.toml first.",
    )(command)  # fmt: skip


def site_config_option(command: Callable) -> Callable:
    """`-f`: the site a command works on (plan, render, review), which must exist."""
    return click.option(
        "-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.",
    )(command)  # fmt: skip


def user_cache_dir() -> Path:
    """The user's cache folder for the command run without a project: `$XDG_CACHE_HOME/mkdocs-animate`, else the
    platform's (platformdirs). Never the current folder."""
    import platformdirs

    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "mkdocs-animate"
    return platformdirs.user_cache_path("mkdocs-animate", appauthor=False)


def _overrides(options: dict) -> dict:
    """The options given on the command line, each as its option takes it (see `_as_given`)."""
    declared = dict(options_of(AnimateConfig))
    given = {}
    for name, value in options.items():
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            given[name] = list(value)
        elif isinstance(value, str) and name in declared:
            given[name] = _as_given(declared[name], value)
        else:
            given[name] = value
    return given


def _as_given(option: BaseConfigOption, text: str) -> object:
    """A flag's text as it is where the option takes text (a model id, instructions, a path), else as YAML reads
    it (`300` a number, `[av1, h264]` a list)."""
    try:
        option.validate(text)
        return text
    except ValidationError:
        try:
            return yaml.safe_load(text) if text.strip() else text
        except yaml.YAMLError:
            return text
    finally:
        option.reset_warnings()


def load_plugin_config(config_file: Path | None, options: dict) -> tuple[AnimateConfig, str | None]:
    """The plugin's options from mkdocs.yml or zensical.toml (if given) with the command line's on top, validated.

    Without a configuration file (and without `--cache-dir`) the cache is the user's cache folder."""
    raw: dict = {}
    path = None
    if config_file is not None:
        from .project import ProjectError, read_project

        try:
            raw = read_project(config_file).animate
        except ProjectError as error:
            raise click.ClickException(str(error)) from None
        path = str(config_file.resolve())
    given = _overrides(options)
    raw.update(given)
    if config_file is None and "cache_dir" not in given:
        raw["cache_dir"] = str(user_cache_dir())
    config = AnimateConfig(config_file_path=path)
    errors, _ = load(config, raw)
    if errors:
        key, error = errors[0]
        source = f" (in {config_file})" if config_file is not None and key not in given else ""
        raise click.BadParameter(f"{error}{source}", param_hint=f"--{key.replace('_', '-')}")
    return config, path


def load_settings(config_file: Path | None, options: dict) -> Settings:
    config, path = load_plugin_config(config_file, options)
    return Settings.from_config(config, path)


def mkdocs_site(config_file: Path) -> tuple[Any, Any]:
    """The site's MkDocs configuration and its animate plugin, loaded as `mkdocs build` loads them."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(str(config_file))
    except ConfigurationError as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    plugin = config.plugins.get("animate")
    if plugin is None:
        raise click.ClickException(f"{config_file} does not use the animate plugin")
    return config, plugin


def build_elsewhere(config: Any, prefix: str) -> None:
    """Build the site into a temporary folder: the site's own folder is left as it is."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        config["site_dir"] = folder
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except Abort as error:
            raise click.ClickException(str(error)) from None
        finally:
            config.plugins.on_shutdown()


def build_as(
    config_file: Path, options: dict, prefix: str, level: int = logging.INFO, strict: bool = False, **modes: Any
) -> Any:
    """A build of the site into a temporary folder (`strict` as `mkdocs build --strict`), with the command's options
    and the plugin set to `modes` (its `dry_run`, its `shard`) for this build only; the pipeline the build used.
    MkDocs keeps plugin instances for the whole process, so the modes are put back as they were: a later build in
    it must build."""
    config_plugin, _ = load_plugin_config(config_file, options)
    config, plugin = mkdocs_site(config_file)
    if strict:
        config["strict"] = True
    plugin.config = config_plugin
    before = {name: getattr(plugin, name) for name in modes}
    for name, value in modes.items():
        setattr(plugin, name, value)
    plugin.last = None
    start_logging(level)
    try:
        build_elsewhere(config, prefix)
    finally:
        for name, value in before.items():
            setattr(plugin, name, value)
    if plugin.last is None:
        raise click.ClickException("the animate plugin is disabled in this configuration")
    return plugin.last


def open_pipeline(settings: Settings, site_dir: Path):
    from ..build.pipeline import Pipeline
    from ..errors import AnimateError

    try:
        return Pipeline(settings, site_dir)
    except AnimateError as error:
        raise click.ClickException(str(error)) from None


def finish(pipeline, counter: _Counter, strict: bool) -> None:
    summary = pipeline.close()
    log.info(f"animate: {summary.line()}")
    if strict and counter.warnings:
        raise click.ClickException(f"{counter.warnings} warning(s) in strict mode")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="mkdocs-animate-plugin")
def main() -> None:
    """Animate the content images of a web page, a built site or a MkDocs project, as the plugin does."""
