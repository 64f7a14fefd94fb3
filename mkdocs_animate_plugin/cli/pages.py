"""`mkdocs-animate page` and `mkdocs-animate site`: the pipeline on a page from anywhere, or on a built site."""

from __future__ import annotations

import posixpath
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..disk import write_whole
from ..errors import ProjectError
from .common import config_file_option, finish, load_settings, log, main, open_pipeline, plugin_options, start_logging

_CONTENT_HELP = (
    "CSS selector of the content (default: article, [role=main] or main; without them the body less its header, "
    "nav, aside and footer)."
)


@main.command()
@click.argument("source")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html and everything it uses.")  # fmt: skip
@click.option("--content", metavar="SELECTOR", help=_CONTENT_HELP)
@click.option("--strict", is_flag=True, help="Exit with an error if anything was warned about.")
@config_file_option
@plugin_options
def page(source: str, out: Path, content: str | None, strict: bool, config_file: Path | None, **options) -> None:
    """Save SOURCE (an http(s) URL, or an HTML, Markdown, Word .docx or EPUB file) into OUT with its images animated.

    OUT/index.html keeps the page's text; every image, stylesheet and script it uses is saved beside it, and every
    reference is relative to OUT, so the folder opens with no server. An EPUB gives one page: every chapter in
    reading order. Word and EPUB need the `documents` extra."""
    from ..selection.discover import content_areas
    from .localize import Fetcher, FetchError, Saver, localize
    from .sources import SourceError, read_source

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = start_logging()
    _say_cache(settings, config_file, options)
    fetcher = Fetcher()
    try:
        with tempfile.TemporaryDirectory(prefix="mkdocs-animate-") as scratch:
            try:
                text, base = read_source(source, Path(scratch), fetcher.get)
            except FetchError as error:
                raise click.ClickException(f"couldn't fetch the page: {error}") from None
            except SourceError as error:
                raise click.ClickException(str(error)) from None
            out.mkdir(parents=True, exist_ok=True)
            saver = Saver(out, fetcher, local_files=urlsplit(base).scheme not in ("http", "https"))
            text = localize(text, base, saver)
        for problem in saver.problems:
            log.warning(f"animate: couldn't save {problem}; the page keeps the original address")
        pipeline = open_pipeline(settings, out)
        try:

            def resolve(src: str) -> Path | None:
                path = urlsplit(src).path
                local = (out / path).resolve()
                return local if not path.startswith("/") and local.is_relative_to(out.resolve()) else None

            marked = pipeline.plan_page(text, source, "", resolve, content=areas)
            write_whole(out / "index.html", pipeline.finish_page(marked, source, ""), errors="surrogateescape")
            if areas.how == "none":
                log.warning(f"animate: found no content in '{source}': {_NO_CONTENT}")
            elif areas.how == "body":
                log.info(f"animate: {_NO_LANDMARK}")
        finally:
            finish(pipeline, counter, strict)
    finally:
        fetcher.close()
    click.echo(f"Saved {out / 'index.html'}", err=True)


_NO_LANDMARK = (
    "the page has no <article>, [role=main] or <main>: its content is taken to be its <body> less header, nav, "
    "aside and footer (--content SELECTOR says otherwise)"
)
_NO_CONTENT = "give --content SELECTOR (a CSS selector of the content) to say where it is"


def _say_cache(settings, config_file: Path | None, options: dict) -> None:
    """Without a project the cache is the user's: one line says where, since nothing else will."""
    if config_file is None and not options.get("cache_dir"):
        log.info(f"animate: cache in {settings.cache_dir} (--cache-dir for another)")


def _areas(content: str | None, content_areas):
    try:
        return content_areas(content)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--content") from None


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--content", metavar="SELECTOR", help=_CONTENT_HELP)
@click.option(
    "--base-path", default="/", show_default=True, help="The path the site is served under, for root-relative URLs."
)
@click.option("--strict", is_flag=True, help="Exit with an error if anything was warned about.")
@config_file_option
@plugin_options
def site(
    site_dir: Path, content: str | None, base_path: str, strict: bool, config_file: Path | None, **options
) -> None:
    """Animate every HTML page of SITE_DIR, a site already built by any generator, in place.

    Only the content's images change; text, links, other files and theme images stay byte for byte. Running it
    again changes nothing more. With -f mkdocs.yml or zensical.toml, the project's options are read and its
    pages' front matter `animate: false` is honoured (Zensical, which ignores MkDocs plugins: `zensical build`,
    then `mkdocs-animate site site -f zensical.toml`)."""
    from ..markup.publish import ASSET_DIR
    from ..selection.discover import content_areas, site_path
    from ..selection.rules import page_excluded

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = start_logging()
    root = site_dir.resolve()
    opted_out = _opted_out(config_file, root)
    if config_file is None:
        _say_cache(settings, config_file, options)
    pages = sorted(p for p in root.rglob("*.htm*") if p.suffix in (".html", ".htm"))
    found_by: Counter = Counter()
    outside = 0
    pipeline = open_pipeline(settings, root)
    try:
        planned = []
        for path in pages:
            label = path.relative_to(root).as_posix()
            if label.startswith(ASSET_DIR + "/"):
                continue
            page_dir = posixpath.dirname(label)
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            areas.how = None
            if label in opted_out:
                pipeline.skip_page(text, "page opted out", content=areas)
                continue
            if page_excluded(label, settings.include, settings.exclude):
                pipeline.skip_page(text, "page excluded", content=areas)
                continue

            def resolve(src: str, page_dir: str = page_dir) -> Path | None:
                found = site_path(src, page_dir, base_path)
                return root / found if found else None

            marked = pipeline.plan_page(text, label, page_dir, resolve, content=areas)
            found_by[areas.how or "no image"] += 1
            outside += areas.outside if areas.how else 0
            planned.append((path, label, page_dir, text, marked))
        for path, label, page_dir, original, marked in planned:
            finished = pipeline.finish_page(marked, label, page_dir)
            if finished != original:
                write_whole(path, finished, errors="surrogateescape")
        log.info(f"animate: {_pages_line(len(planned), found_by, outside, content)}")
    finally:
        finish(pipeline, counter, strict)


def _opted_out(config_file: Path | None, root: Path) -> set[str]:
    """The built pages whose source says `animate: false`, where the project is given; else a hint where one is."""
    from .project import beside, read_project

    if config_file is not None:
        try:
            return read_project(config_file).opted_out()
        except ProjectError as error:
            raise click.ClickException(str(error)) from None
    found = beside(root)
    if found is not None:
        log.info(
            f"animate: {found} could be read for this site's options and its pages' `animate: false`: give -f {found}"
        )
    return set()


def _pages_line(read: int, found_by: Counter, outside: int, selector: str | None) -> str:
    """How the content of the pages was found, so a user knows when to give --content."""
    with_images = read - found_by["no image"]
    line = f"{read} page(s) read, {with_images} with images"
    if selector:
        line += f"; content by --content {selector!r} in {found_by['selector']}"
    else:
        line += f"; content in <article>, [role=main] or <main> in {found_by['landmark']}"
        line += f", no such landmark (the <body> less header, nav, aside and footer) in {found_by['body']}"
    line += f"; no content found in {found_by['none']}"
    if found_by["none"]:
        line += " (give --content SELECTOR)"
    line += f"; {outside} image(s) outside the content left alone"
    return line
