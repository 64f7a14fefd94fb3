"""`mkdocs-animate plan`: a dry run of a MkDocs site, the plan alone on standard output."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ..cache import layout
from .common import build_as, main, plugin_options, site_config_option


@main.command()
@site_config_option
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own log lines too (on stderr).")
@plugin_options
def plan(config_file: Path, verbose: bool, **options) -> None:
    """A dry run: each image a build would animate, whether it is cached, why others stay still, and the cost.

    Makes no provider call and writes nothing to the cache. Standard output gets the plan and nothing else."""
    rows, pipeline = dry_run(config_file, options, logging.INFO if verbose else logging.WARNING)
    current = None
    for row in rows:
        if row.page != current:
            current = row.page
            click.echo(row.page)
        detail = f" ({row.detail})" if row.detail and row.state != "skipped" else ""
        state = f"{row.state}: {row.detail}" if row.state == "skipped" else row.state + detail
        held = f"; kept still: {row.held}" if row.held else ""
        click.echo(f"  {row.src:50} {state}{held}")
    settings = pipeline.settings
    new = {r.key for r in rows if r.state == "new"}
    cached = {r.key for r in rows if r.state == "cached"}
    paid = {r.paid for r in rows if r.state == "new" and r.paid}
    still = sum(1 for r in rows if r.state == "skipped" or r.held)
    line = (
        f"{len(rows) - still} image(s) to animate: {len(cached)} animation(s) cached, {len(new)} to make"
        f"; {still} left still"
    )
    if pipeline.provider.paid:
        per_clip = pipeline.provider.estimate()
        per_clip = settings.cost_per_clip if per_clip is None else per_clip
        line += f"; {len(paid)} paid generation(s), estimated ${len(paid) * per_clip:.2f}"
        spent = _spent(settings, {r.clip for r in rows if r.state == "cached" and r.clip})
        if spent:
            line += f"; ${sum(spent):.2f} spent on {len(spent)} clip(s) already made"
        if len(paid) > settings.max_new:
            builds = -(-len(paid) // max(1, settings.max_new))
            line += f" (max_new {settings.max_new} a build: {builds} builds)"
    click.echo(line)


def _spent(settings, clips: set[str]) -> list[float]:
    """What the paid clips among `clips` cost, as the provider reported it (from a snapshot: nothing written)."""
    from ..cache import Store

    if not clips or not layout.exists(settings.cache_dir):
        return []
    store = Store.snapshot(settings.cache_dir)
    try:
        costs = [store.provider_cache(settings.provider).cost(clip) for clip in clips]
    finally:
        store.close()
    return [c["usd"] for c in costs if c and isinstance(c.get("usd"), (int, float))]


def dry_run(config_file: Path, options: dict, level: int = logging.WARNING):
    """Render the site into a temporary folder with the plugin's pipeline in its dry run, and return the rows it
    wrote down and the pipeline."""
    pipeline = build_as(config_file, options, "animate-plan-", level, dry_run=True)
    return pipeline.rows, pipeline
