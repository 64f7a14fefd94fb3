"""`mkdocs-animate render`: a site's animations made into the cache (one shard of them, or all), no site written."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import build_as, log, main, plugin_options, site_config_option

if TYPE_CHECKING:
    from ..build.render import Shard


def _shard(context: click.Context, parameter: click.Parameter, value: str | None) -> Shard | None:
    from ..build.render import Shard

    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command()
@site_config_option
@click.option("--shard", metavar="K/N", callback=_shard,
              help="Make only shard K of N (K from 1): every runner of a CI matrix gets the same split.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Exit with an error on a warning, as `mkdocs build --strict`.")
@plugin_options
def render(config_file: Path, shard: Shard | None, strict: bool, **options) -> None:
    """Make the site's animations into the cache and its shared level (cache_url), and write no site.

    With --shard K/N, only the animations of shard K of N: N runners at once make every animation once between them,
    and the publishing build after them finds all of them in the shared cache. Progress, summary and exit status are
    a build's; images of other shards are left to them (not made, not failures)."""
    from ..build.render import Shard

    quiet = logging.getLogger("mkdocs.commands")  # no "building to" a folder that is thrown away
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        renderer = build_as(config_file, options, "animate-render-", strict=strict, shard=shard or Shard.whole())
    finally:
        quiet.setLevel(level)
    log.info(f"animate: {renderer.line()}")
