"""The `mkdocs-animate` command: the plugin's pipeline for any web page or built site, a dry run, the cache.

Every option of the plugin is an option here too (`--min-width 400`, `--output gif`, `--offline`), checked by the
same validation; `-f mkdocs.yml` reads them from a site's configuration first.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click
import yaml

from .config import AnimateConfig, Settings

log = logging.getLogger("mkdocs.plugins.animate")
# Options that make no sense on a command line: the key belongs in the environment (a command line is visible to
# every user of the machine), and `enabled` is what running the command means.
_NOT_FLAGS = {"api_key", "enabled", "serve"}


class _Counter(logging.Handler):
    """Prints MkDocs-style lines on stderr and counts warnings, for --strict."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.warnings = 0
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += record.levelno >= logging.WARNING
        click.echo(self.format(record), err=True)


def _logging(level: int = logging.INFO) -> _Counter:
    handler = _Counter()
    root = logging.getLogger("mkdocs")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    return handler


def plugin_options(command: Callable) -> Callable:
    """Add `--name` for each plugin option (booleans as `--name/--no-name`, lists repeated)."""
    for name, option in reversed(AnimateConfig._schema):
        if name in _NOT_FLAGS:
            continue
        flag = "--" + name.replace("_", "-")
        default = getattr(option, "default", None)
        if option.__class__.__name__ == "Type" and getattr(option, "_type", None) is bool:
            decorator = click.option(f"{flag}/--no-{flag[2:]}", name, default=None, help=f"(plugin option {name})")
        elif name in ("include", "exclude"):
            decorator = click.option(flag, name, multiple=True, help="glob of pages; repeat for more")
        else:
            shown = default if name != "instructions" else "built-in text"
            decorator = click.option(flag, name, default=None, metavar="VALUE", help=f"default: {shown}")
        command = decorator(command)
    return command


def config_file_option(command: Callable) -> Callable:
    return click.option(
        "-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read the animate plugin's options from this mkdocs.yml first.",
    )(command)  # fmt: skip


def _overrides(options: dict) -> dict:
    """The options given on the command line, as YAML would read them (`300` a number, `gif` a word)."""
    given = {}
    for name, value in options.items():
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            given[name] = list(value)
        elif isinstance(value, str):
            try:
                given[name] = yaml.safe_load(value) if value.strip() else value
            except yaml.YAMLError:
                given[name] = value
            if name in ("instructions", "base_url", "prompt_model", "video_model", "cache_dir", "depth_model"):
                given[name] = value
        else:
            given[name] = value
    return given


def load_plugin_config(config_file: Path | None, options: dict) -> tuple[AnimateConfig, str | None]:
    """The plugin's options from mkdocs.yml (if given) with the command line's on top, validated."""
    raw: dict = {}
    path = None
    if config_file is not None:
        from mkdocs.config import load_config
        from mkdocs.exceptions import ConfigurationError

        try:
            mkdocs_config = load_config(str(config_file))
        except ConfigurationError as error:
            raise click.ClickException(f"{config_file}: {error}") from None
        plugin = mkdocs_config.plugins.get("animate")
        if plugin is not None:
            raw = {k: v for k, v in plugin.config.items() if v is not None}
        path = mkdocs_config.config_file_path
    raw.update(_overrides(options))
    config = AnimateConfig(config_file_path=path)
    config.load_dict(raw)
    errors, _ = config.validate()
    if errors:
        key, error = errors[0]
        raise click.BadParameter(str(error), param_hint=f"--{key.replace('_', '-')}")
    return config, path


def load_settings(config_file: Path | None, options: dict) -> Settings:
    config, path = load_plugin_config(config_file, options)
    return Settings.from_config(config, path)


def _pipeline(settings: Settings, site_dir: Path):
    from .errors import AnimateError
    from .pipeline import Pipeline

    try:
        return Pipeline(settings, site_dir)
    except AnimateError as error:
        raise click.ClickException(str(error)) from None


def _finish(pipeline, counter: _Counter, strict: bool) -> None:
    summary = pipeline.close()
    log.info(f"animate: {summary.line()}")
    if strict and counter.warnings:
        raise click.ClickException(f"{counter.warnings} warning(s) in strict mode")


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Replace a file whole or not at all: a killed run never leaves half a page."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding=encoding, errors="surrogateescape")
    os.replace(temp, path)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="mkdocs-animate-plugin")
def main() -> None:
    """Animate the content images of a web page, a built site or a MkDocs project, as the plugin does."""


# --- page ---------------------------------------------------------------------------------------------------


@main.command()
@click.argument("source")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html and everything it uses.")  # fmt: skip
@click.option("--content", metavar="SELECTOR", help="CSS selector of the content (default: article, [role=main], main).")
@click.option("--strict", is_flag=True, help="Exit with an error if anything was warned about.")
@config_file_option
@plugin_options
def page(source: str, out: Path, content: str | None, strict: bool, config_file: Path | None, **options) -> None:
    """Save SOURCE (an http(s) URL, an HTML file or a Markdown file) into OUT with its images animated.

    OUT/index.html keeps the page's text; every image, stylesheet and script it uses is saved beside it, and every
    reference is relative to OUT, so the folder opens with no server."""
    from .discover import content_areas
    from .localize import Fetcher, FetchError, Saver, localize

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = _logging()
    fetcher = Fetcher()
    try:
        text, base = _read_source(source, fetcher, FetchError)
        out.mkdir(parents=True, exist_ok=True)
        saver = Saver(out, fetcher)
        text = localize(text, base, saver)
        for problem in saver.problems:
            log.warning(f"animate: couldn't save {problem}; the page keeps the original address")
        pipeline = _pipeline(settings, out)
        try:

            def resolve(src: str) -> Path | None:
                path = urlsplit(src).path
                local = (out / path).resolve()
                return local if not path.startswith("/") and local.is_relative_to(out.resolve()) else None

            marked = pipeline.plan_page(text, source, "", resolve, content=areas)
            _write(out / "index.html", pipeline.finish_page(marked, source, ""))
        finally:
            _finish(pipeline, counter, strict)
    finally:
        fetcher.close()
    click.echo(f"Saved {out / 'index.html'}", err=True)


def _areas(content: str | None, content_areas):
    try:
        return content_areas(content)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--content") from None


def _read_source(source: str, fetcher, fetch_error) -> tuple[str, str]:
    """The page's HTML and its own URL (what relative references are read against)."""
    scheme = urlsplit(source).scheme
    if len(scheme) > 1 and scheme not in ("http", "https", "file"):
        raise click.ClickException(f"{source}: expected an http(s) URL, an .html file or a .md file")
    if scheme in ("http", "https"):
        try:
            data, final, _ = fetcher.get(source)
        except fetch_error as error:
            raise click.ClickException(f"couldn't fetch the page: {error}") from None
        return data.decode("utf-8", "replace"), final
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such file: {source}")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".md", ".markdown"):
        text = _markdown_page(text)
    elif path.suffix.lower() not in (".html", ".htm", ".xhtml"):
        raise click.ClickException(f"{source}: expected an http(s) URL, an .html file or a .md file")
    return text, path.resolve().as_uri()


def _markdown_page(text: str) -> str:
    """A Markdown file as a plain page (`assets/page.html`), with the extensions the plugin's attributes need."""
    import html
    import string

    import markdown

    body = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "fenced_code"])
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), "Page")
    template = string.Template((Path(__file__).parent / "assets" / "page.html").read_text(encoding="utf-8"))
    return template.substitute(title=html.escape(title), body=body)


# --- site ---------------------------------------------------------------------------------------------------


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--content", metavar="SELECTOR", help="CSS selector of the content (default: article, [role=main], main).")
@click.option("--base-path", default="/", show_default=True, help="The path the site is served under, for root-relative URLs.")
@click.option("--strict", is_flag=True, help="Exit with an error if anything was warned about.")
@config_file_option
@plugin_options
def site(site_dir: Path, content: str | None, base_path: str, strict: bool, config_file: Path | None, **options) -> None:
    """Animate every HTML page of SITE_DIR, a site already built by any generator, in place.

    Only the content's images change; text, links, other files and theme images stay byte for byte. Running it
    again changes nothing more."""
    from .discover import content_areas, site_path
    from .publish import ASSET_DIR
    from .select import page_excluded

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = _logging()
    root = site_dir.resolve()
    pages = sorted(p for p in root.rglob("*.htm*") if p.suffix in (".html", ".htm"))
    pipeline = _pipeline(settings, root)
    try:
        planned = []
        for path in pages:
            label = path.relative_to(root).as_posix()
            if label.startswith(ASSET_DIR + "/"):
                continue
            page_dir = posixpath.dirname(label)
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if page_excluded(label, settings.include, settings.exclude):
                pipeline.skip_page(text, "page excluded")
                continue

            def resolve(src: str, page_dir: str = page_dir) -> Path | None:
                found = site_path(src, page_dir, base_path)
                return root / found if found else None

            marked = pipeline.plan_page(text, label, page_dir, resolve, content=areas)
            planned.append((path, label, page_dir, text, marked))
        for path, label, page_dir, original, marked in planned:
            finished = pipeline.finish_page(marked, label, page_dir)
            if finished != original:
                _write(path, finished)
    finally:
        _finish(pipeline, counter, strict)


# --- plan ---------------------------------------------------------------------------------------------------


@main.command()
@click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default="mkdocs.yml", show_default=True, help="The site's mkdocs.yml.")  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own log lines too (on stderr).")
@plugin_options
def plan(config_file: Path, verbose: bool, **options) -> None:
    """A dry run: each image a build would animate, whether it is cached, why others stay still, and the cost.

    Makes no provider call and writes nothing to the cache. Standard output gets the plan and nothing else."""
    rows, planner = _dry_run(config_file, options, logging.INFO if verbose else logging.WARNING)
    current = None
    for row in rows:
        if row.page != current:
            current = row.page
            click.echo(row.page)
        detail = f" ({row.detail})" if row.detail and row.state != "skipped" else ""
        state = f"{row.state}: {row.detail}" if row.state == "skipped" else row.state + detail
        click.echo(f"  {row.src:50} {state}")
    settings = planner.settings
    new = {r.key for r in rows if r.state == "new"}
    cached = {r.key for r in rows if r.state == "cached"}
    paid = {r.paid for r in rows if r.state == "new" and r.paid}
    still = sum(1 for r in rows if r.state == "skipped")
    line = (
        f"{len(rows) - still} image(s) to animate: {len(cached)} animation(s) cached, {len(new)} to make"
        f"; {still} left still"
    )
    if planner.provider.paid:
        line += f"; {len(paid)} paid generation(s), estimated ${len(paid) * settings.cost_per_clip:.2f}"
        if len(paid) > settings.max_new:
            builds = -(-len(paid) // max(1, settings.max_new))
            line += f" (max_new {settings.max_new} a build: {builds} builds)"
    click.echo(line)


def _dry_run(config_file: Path, options: dict, level: int = logging.WARNING):
    """Render the site into a temporary folder with the plugin handing its pages to a `Planner`, and return
    what it recorded."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    config_plugin, _ = load_plugin_config(config_file, options)
    try:
        config = load_config(str(config_file))
    except ConfigurationError as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    plugin = config.plugins.get("animate")
    if plugin is None:
        raise click.ClickException(f"{config_file} does not use the animate plugin")
    from .planner import Planner

    plugin.config = config_plugin
    plugin.host_class = Planner
    _logging(level)
    with tempfile.TemporaryDirectory(prefix="animate-plan-") as folder:
        config["site_dir"] = folder
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except Abort as error:
            raise click.ClickException(str(error)) from None
        finally:
            config.plugins.on_shutdown()
    planner = plugin.last
    if planner is None:
        raise click.ClickException("the animate plugin is disabled in this configuration")
    return planner.rows, planner


# --- cache --------------------------------------------------------------------------------------------------


@main.group()
def cache() -> None:
    """What the cache holds, and how to trim it."""


def _cache_option(command: Callable) -> Callable:
    command = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                           help="The cache folder (default: the plugin's, from -f mkdocs.yml).")(command)  # fmt: skip
    return click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default="mkdocs.yml",
                        show_default=True, help="The site's mkdocs.yml.")(command)  # fmt: skip


def _cache_root(config_file: Path, cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    if not config_file.is_file():
        raise click.ClickException(f"no {config_file} here: give -f mkdocs.yml or --cache-dir")
    return load_settings(config_file, {}).cache_dir


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return str(count)


@cache.command()
@_cache_option
def stats(config_file: Path, cache_dir: Path | None) -> None:
    """Entries and bytes, by kind."""
    from .cache import Store
    from .outputs import OUTPUTS

    root = _cache_root(config_file, cache_dir)
    if not (root / "index").is_dir():
        click.echo(f"{root}: empty (no cache yet)")
        return
    store = Store.snapshot(root)
    try:
        stats = store.stats()
    finally:
        store.close()
    click.echo(f"cache: {root}")
    count = sum(n for n, _ in stats.animations.values())
    click.echo(f"animations: {count}, {_size(sum(size for _, size in stats.animations.values()))}")
    for output in OUTPUTS.values():
        n, size = stats.animations.get(output.ext, (0, 0))
        click.echo(f"  {output.name:6} {n:5}  {_size(size)}")
    click.echo(f"clips kept (paid, as downloaded): {stats.clips[0]}, {_size(stats.clips[1])}")
    click.echo(f"prompts: {stats.prompts}; generations in progress: {stats.journal}")
    click.echo(f"index: {_size(stats.index_bytes)}")


@cache.command()
@_cache_option
@click.option("--older-than", type=click.FloatRange(min=0), metavar="DAYS",
              help="Remove what was made more than DAYS ago instead of what the site does not use.")  # fmt: skip
def prune(config_file: Path, cache_dir: Path | None, older_than: float | None) -> None:
    """Remove what no page of the site uses (a dry run of the site finds out), or what is older than DAYS."""
    from .cache import Store

    root = _cache_root(config_file, cache_dir)
    if not (root / "index").is_dir():
        click.echo(f"{root}: empty (no cache yet)")
        return
    keep: set[str] | None = None
    clips: set[str] | None = None
    if older_than is None:
        rows, _ = _dry_run(config_file, {})
        keep = {r.key for r in rows if r.key}
        clips = {r.clip for r in rows if r.clip}
    store = Store(root)
    try:
        removed, freed = store.prune(keep, clips, older_than)
    finally:
        store.close()
    click.echo(f"removed {removed} file(s), {_size(freed)}")


@cache.command()
@_cache_option
@click.option("--yes", is_flag=True, help="Do not ask.")
def clear(config_file: Path, cache_dir: Path | None, yes: bool) -> None:
    """Remove the whole cache (paid clips too: they would be paid for again)."""
    root = _cache_root(config_file, cache_dir)
    if not root.exists():
        click.echo(f"{root}: nothing to clear")
        return
    if not yes and not click.confirm(f"Remove {root}, with every animation and paid clip in it?"):
        raise click.ClickException("nothing removed")
    shutil.rmtree(root)
    click.echo(f"removed {root}")


if __name__ == "__main__":
    sys.exit(main())
