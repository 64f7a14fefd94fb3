"""`mkdocs-animate page` and `mkdocs-animate site`: the pipeline on a page from anywhere, or on a built site."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import click

from .common import (
    config_file_option,
    finish,
    load_settings,
    log,
    main,
    open_pipeline,
    plugin_options,
    start_logging,
    write_whole,
)


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
    from ..discover import content_areas
    from ..localize import Fetcher, FetchError, Saver, localize

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = start_logging()
    fetcher = Fetcher()
    try:
        text, base = _read_source(source, fetcher, FetchError)
        out.mkdir(parents=True, exist_ok=True)
        saver = Saver(out, fetcher)
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
            write_whole(out / "index.html", pipeline.finish_page(marked, source, ""))
        finally:
            finish(pipeline, counter, strict)
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
    from ..discover import content_areas, site_path
    from ..publish import ASSET_DIR
    from ..select import page_excluded

    settings = load_settings(config_file, options)
    areas = _areas(content, content_areas)
    counter = start_logging()
    root = site_dir.resolve()
    pages = sorted(p for p in root.rglob("*.htm*") if p.suffix in (".html", ".htm"))
    pipeline = open_pipeline(settings, root)
    try:
        planned = []
        for path in pages:
            label = path.relative_to(root).as_posix()
            if label.startswith(ASSET_DIR + "/"):
                continue
            page_dir = posixpath.dirname(label)
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if page_excluded(label, settings.include, settings.exclude):
                pipeline.skip_page(text, "page excluded", content=areas)
                continue

            def resolve(src: str, page_dir: str = page_dir) -> Path | None:
                found = site_path(src, page_dir, base_path)
                return root / found if found else None

            marked = pipeline.plan_page(text, label, page_dir, resolve, content=areas)
            planned.append((path, label, page_dir, text, marked))
        for path, label, page_dir, original, marked in planned:
            finished = pipeline.finish_page(marked, label, page_dir)
            if finished != original:
                write_whole(path, finished)
    finally:
        finish(pipeline, counter, strict)
