"""The `mkdocs-animate` command."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Animate the content images of a web page, a built site or a MkDocs project."""
