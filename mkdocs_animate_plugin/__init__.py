"""mkdocs-animate-plugin: gentle looping animations for the content images of a MkDocs site.

The package reads as its pipeline: `plugin` (MkDocs' hooks), `config` (the options), `errors` (the one exception
tree); then `selection/` (which pictures), `build/` (jobs, the site-wide scheduler, the cache looked up and filled),
`markup/` (the page), `video/` (ffmpeg, loops, output kinds), `providers/` (local and AI/ML API), `cache/` (with
its shared level), `review/` and `cli/` (the `mkdocs-animate` command).
"""

import sys
from importlib.abc import MetaPathFinder

__version__ = "0.1.0"
__all__ = ["__version__"]

# Modules that moved in 0.2, when the package was grouped by job: an import of the old name says where to look.
MOVED = {
    "discover": "selection.discover", "select": "selection.rules", "pixels": "selection.pixels",
    "stills": "selection.stills", "images": "video.picture", "pipeline": "build.pipeline", "jobs": "build.jobs",
    "produce": "build.produce", "scheduler": "build.scheduler", "pages": "build.replay",
    "planner": "build.pipeline", "progress": "build.progress", "report": "build.summary",
    "rewrite": "markup.rewrite", "publish": "markup.publish", "media": "video.media",
    "loops": "video.loops", "yuv": "video.yuv", "outputs": "video.outputs", "motion": "providers.local.motion",
    "depth": "providers.local.depth", "drawing": "providers.local.drawing", "record": "review.record",
    "gallery": "review.gallery", "remote": "cache.shared",
    "remote_answers": "cache.shared_answers", "cache.records": "cache.entries", "localize": "cli.localize",
    "sources": "cli.sources", "project": "cli.project",
}  # fmt: skip


class _Moved(MetaPathFinder):
    """Turns `import mkdocs_animate_plugin.media` (a third party's provider written for 0.1) into an error that
    names the new place, instead of a bare "No module named"."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        old = name.partition(f"{__name__}.")[2]
        if name.startswith(f"{__name__}.") and old in MOVED:
            raise ModuleNotFoundError(
                f"{name} moved to {__name__}.{MOVED[old]} in mkdocs-animate-plugin 0.2: import it from there",
                name=name,
            )
        return None


sys.meta_path.append(_Moved())
