"""`mkdocs-animate review`: the gallery of every animation of a site, and the same decisions from a script."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from .common import (
    build_elsewhere,
    load_plugin_config,
    load_settings,
    log,
    main,
    mkdocs_site,
    site_config_option,
    start_logging,
)


@main.command()
@site_config_option
@click.option(
    "--approve",
    multiple=True,
    metavar="KEY|all",
    help="Approve the clip KEY (a key, a unique start of one, or an image path); 'all': every pending one.",
)
@click.option("--reject", multiple=True, metavar="KEY", help="Reject the clip KEY: the site keeps the still.")
@click.option(
    "--retake",
    multiple=True,
    metavar="KEY",
    help="Reject the clip KEY and ask for the next take of its image on the next build (a new clip).",
)
@click.option("--list", "list_", is_flag=True, help="List every animation of the last build with its state.")
@click.option("--json", "as_json", is_flag=True, help="With --list: a JSON array instead of a table.")
@click.option("--port", type=click.IntRange(0, 65535), default=8800, show_default=True,
              help="The gallery's port on 127.0.0.1 (0: any free one).")  # fmt: skip
@click.option("--build/--no-build", "build_first", default=None,
              help="Build the site before reading its record (default: only when there is no record).")  # fmt: skip
def review(
    config_file: Path,
    approve: tuple[str, ...],
    reject: tuple[str, ...],
    retake: tuple[str, ...],
    list_: bool,
    as_json: bool,
    port: int,
    build_first: bool | None,
) -> None:
    """Review every animation of the site beside its still: Approve, Reject or Retake.

    Without options, serves the gallery on 127.0.0.1 and prints its URL; each decision is written into the
    review file (review_file, animate-review.yml beside mkdocs.yml) at once. With publish: approved, only
    approved animations reach the site. The animations are those of the last build (its record in the cache);
    where there is none, the site is built first."""
    from ..review.decisions import Review
    from ..review.record import read_record

    start_logging(logging.INFO)
    settings = load_settings(config_file, {})
    path = settings.review_file
    record = None if build_first else read_record(settings.cache_dir)
    if build_first or (not record and build_first is None):
        if build_first is None:
            click.echo(f"No record of a build in {settings.cache_dir}: building the site first.", err=True)
        _build(config_file)
        record = read_record(settings.cache_dir)
    for problem in Review.load(path).problems:
        log.warning(problem)
    scripted = [("approve", key) for key in approve] + [("reject", key) for key in reject]
    scripted += [("retake", key) for key in retake]
    if scripted:
        _decide(path, record, scripted)
    if list_:
        _list(path, record, as_json)
    if not (scripted or list_):
        _serve(path, record, settings.cache_dir, config_file, port)


def _decide(path: Path, record: list[dict], scripted: list[tuple[str, str]]) -> None:
    """The decisions given on the command line, each written into the review file at once."""
    from ..review.decisions import Review, ReviewError, decide
    from ..review.record import find, rows

    try:
        for action, wanted in scripted:
            listed = rows(record, Review.load(path))
            if action == "approve" and wanted == "all":
                chosen = [r for r in listed if r["state"] == "pending"]
            else:
                chosen = find(listed, wanted)
            for row in chosen:
                state = decide(path, row, action)
                more = " (the next build asks for the next take)" if action == "retake" else ""
                click.echo(f"{state:9} {row['key']}  {row['image']} take {row['take']}{more}")
            if not chosen:
                click.echo(f"nothing pending to {action}")
    except ReviewError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Written to {path}", err=True)


def _list(path: Path, record: list[dict], as_json: bool) -> None:
    from ..review.decisions import Review
    from ..review.record import rows

    listed = rows(record, Review.load(path))
    if as_json:
        fields = ("key", "page", "image", "state", "prompt", "model", "cost", "pages", "take", "new")
        click.echo(json.dumps([{name: row[name] for name in fields} for row in listed], indent=2))
    else:
        _table(listed)


def _serve(path: Path, record: list[dict], cache_dir: Path, config_file: Path, port: int) -> None:
    """The gallery on 127.0.0.1 until Ctrl+C."""
    from ..review.gallery import Gallery

    if not record:
        raise click.ClickException("the build showed no animation: nothing to review")
    gallery = Gallery(path, cache_dir, port=port)
    click.echo(f"Reviewing {len(record)} animation(s) of {config_file}: {gallery.url}  (Ctrl+C to stop)")
    click.echo(f"Decisions are written to {path}", err=True)
    try:
        gallery.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        gallery.close()


def _table(listed: list[dict]) -> None:
    if not listed:
        click.echo("no animation in the last build")
        return
    click.echo(f"{'KEY':20}  {'STATE':8}  {'TAKE':>4}  {'COST':>6}  {'IMAGE':30}  {'PAGE':24}  {'MODEL':28}  PROMPT")
    for row in listed:
        prompt = (row["prompt"] or "—").replace("\n", " ")
        prompt = prompt if len(prompt) <= 60 else prompt[:59] + "…"
        page = row["page"] or ""
        if len(row["pages"]) > 1:
            page += f" (+{len(row['pages']) - 1})"
        click.echo(
            f"{row['key']:20}  {row['state']:8}  {row['take']:>4}  {row['cost']:>6.2f}  {row['image']:30}  "
            f"{page:24}  {row['model'] or '':28}  {prompt}"
        )
    counts = {state: sum(r["state"] == state for r in listed) for state in ("pending", "approved", "rejected")}
    click.echo(", ".join(f"{n} {state}" for state, n in counts.items()))


def _build(config_file: Path) -> None:
    """A real build of the site into a temporary folder (the site's own folder is left as it is): it makes what is
    missing, as `mkdocs build` would, and leaves its record in the cache."""
    load_plugin_config(config_file, {})  # the plugin's options checked first, with the command's wording
    config, _ = mkdocs_site(config_file)
    build_elsewhere(config, "animate-review-")
