"""The `mkdocs-animate` command: the plugin's pipeline for any web page or built site, a dry run, the cache.

Every option of the plugin is an option here too (`--min-width 400`, `--output gif`, `--offline`), checked by the
same validation; `-f mkdocs.yml` reads them from a site's configuration first.
"""

from . import cache, models, pages, plan, render, review  # noqa: F401  (each adds its subcommands to `main`)
from .common import main

__all__ = ["main"]
