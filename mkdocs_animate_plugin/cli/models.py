"""`mkdocs-animate models`: the AI/ML API's image-to-video models the plugin can use, so that a user chooses one
without reading code (the same table as the README's, from the same data)."""

from __future__ import annotations

import json

import click

from .common import main


@main.command("models")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object a line: the columns, whether it is the default, its endpoint.",
)
def models_command(as_json: bool) -> None:
    """List each `video_model`: how its loop is made (its end frame, its loop flag, or a crossfade), the clip
    lengths it makes, its sound switch, its seed and negative prompt, and a price estimate where one is known."""
    from ..providers import models

    if as_json:
        for line in models.MODELS.values():
            row = dict(zip(models.COLUMNS, models.describe(line), strict=True))
            click.echo(json.dumps({**row, "default": line.id == models.DEFAULT_MODEL, "endpoint": line.endpoint}))
        return
    rows = [list(models.COLUMNS)]
    rows += [models.describe(line) for line in models.MODELS.values()]
    for row in rows[1:]:
        row[0] += " (default)" if row[0] == models.DEFAULT_MODEL else ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(models.COLUMNS))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo(f"\n{len(rows) - 1} models; the default: {models.DEFAULT_MODEL}. Set one with `video_model:`.")
