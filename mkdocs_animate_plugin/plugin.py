"""The MkDocs hooks, and nothing else: they hand pages to the pipeline and turn its problems into MkDocs' terms."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .config import AnimateConfig, Settings, load
from .errors import AnimateError

if TYPE_CHECKING:
    from .build.pipeline import Pipeline
    from .build.render import Shard

log = get_plugin_logger("animate")


class AnimatePlugin(BasePlugin[AnimateConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        # Set by `mkdocs-animate plan` for the builds it runs: the pipeline decides as in a build and makes nothing.
        self.dry_run = False
        # Set by `mkdocs-animate render`: that shard's animations are made into the cache, and no site is written.
        self.shard: Shard | None = None
        self.pipeline: Pipeline | None = None
        self.last: Pipeline | None = None  # the last build's, for the command to read
        self.files_by_url: dict[str, str] = {}

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[Any, Any]:
        """As MkDocs loads a plugin's options, with a third-party provider's own validated under its name."""
        self.config = AnimateConfig(config_file_path=config_file_path)
        return load(self.config, options)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> None:
        self._close()
        if not self.config.enabled:
            return
        # Imported only now: with `enabled: false` the plugin costs nothing, not even its imports.
        from .build.pipeline import Pipeline
        from .selection.styles import SiteStyles, site_sheets

        sheets = site_sheets(config.docs_dir, [str(css) for css in config.extra_css], config.theme.dirs)
        styles = SiteStyles(sheets, config.theme.name)
        settings = Settings.from_config(self.config, config.config_file_path, config.docs_dir, styles)
        serving = self.serving and self.config.serve == "cache"
        try:
            if self.shard is not None:
                from .build.render import Renderer

                self.pipeline = Renderer(settings, Path(config.site_dir), serving=serving, shard=self.shard)
            else:
                self.pipeline = Pipeline(settings, Path(config.site_dir), serving=serving, dry_run=self.dry_run)
        except AnimateError as error:
            raise PluginError(f"Plugin 'animate': {error}") from None
        self.site_prefix = urlsplit(config.site_url or "").path or "/"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> None:
        if self.pipeline:
            # Images are found by the URL a page uses, which is where MkDocs writes the file.
            self.files_by_url = {f.dest_uri: f.abs_src_path for f in files if f.abs_src_path}
            try:
                self.pipeline.judge_ahead(self.files_by_url.values())
            except AnimateError as error:
                raise PluginError(f"Plugin 'animate': {error}") from None

    # Late, so that other plugins have added or changed their images first.
    @event_priority(-50)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.pipeline:
            return html
        from .selection.discover import site_path
        from .selection.rules import page_excluded

        source = page.file.src_uri
        if page.meta.get("animate") is False:
            self.pipeline.skip_page(html, "page opted out")
            return html
        if page_excluded(source, self.config.include, self.config.exclude):
            self.pipeline.skip_page(html, "page excluded")
            return html
        page_dir = posixpath.dirname(page.file.dest_uri)

        def resolve(src: str) -> str | None:
            path = site_path(src, page_dir, self.site_prefix)
            return self.files_by_url.get(path) if path else None

        return self.pipeline.plan_page(html, source, page_dir, resolve)

    @event_priority(-50)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.pipeline:
            return output
        page_dir = posixpath.dirname(page.file.dest_uri)
        try:
            return self.pipeline.finish_page(output, page.file.src_uri, page_dir)
        except AnimateError as error:
            raise PluginError(f"Plugin 'animate': {error}") from None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.pipeline:
            summary = self._close()
            if summary:
                log.info(summary.line())

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def on_shutdown(self) -> None:
        self._close()

    def _close(self):
        pipeline, self.pipeline = self.pipeline, None
        if pipeline is None:
            return None
        self.last = pipeline
        return pipeline.close()
