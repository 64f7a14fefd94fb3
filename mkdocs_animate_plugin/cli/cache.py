"""`mkdocs-animate cache stats|prune|clear`: what the cache holds, and trimming it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import click

from ..cache import layout
from .common import load_settings, main
from .plan import dry_run


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
    from ..cache import Store
    from ..video.outputs import OUTPUTS

    root = _cache_root(config_file, cache_dir)
    if not layout.exists(root):
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
    clips, usd = stats.spent
    click.echo(f"spent: ${usd:.2f} on {clips} paid clip(s), as the provider reported it")
    click.echo(f"index: {_size(stats.index_bytes)}")


@cache.command()
@_cache_option
@click.option("--older-than", type=click.FloatRange(min=0), metavar="DAYS",
              help="Remove what was made more than DAYS ago instead of what the site does not use.")  # fmt: skip
def prune(config_file: Path, cache_dir: Path | None, older_than: float | None) -> None:
    """Remove what no page of the site uses (a dry run of the site finds out), or what is older than DAYS."""
    from ..cache import Store

    root = _cache_root(config_file, cache_dir)
    if not layout.exists(root):
        click.echo(f"{root}: empty (no cache yet)")
        return
    keep: set[str] | None = None
    clips: set[str] | None = None
    if older_than is None:
        rows, planner = dry_run(config_file, {})
        keep = {key for row in rows for key in row.files}
        if planner.provider.paid:
            clips = {r.clip for r in rows if r.clip}
        else:  # planned with a free provider (no key here): the paid clips are not its to judge, and cost money
            click.echo(f"paid clips kept: this configuration plans with the {planner.provider.name} provider")
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
