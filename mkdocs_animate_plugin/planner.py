"""A dry run: what a build would do with each image, from a snapshot of the cache. It offers the pipeline's calls
(`plan_page`, `finish_page`, `skip_page`, `close`) so that MkDocs renders the pages as in a build, but it never
starts the scheduler, never calls a provider and never changes a byte of the cache or the pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from .cache import Store
from .config import Settings
from .discover import find_images
from .jobs import Jobs, Resolver, Skip
from .pipeline import open_provider
from .remote import Remote
from .review import Review
from .stills import Stills

log = get_plugin_logger("animate")


@dataclass(frozen=True)
class PlanRow:
    """One image: what a build would do with it, and why."""

    page: str
    src: str
    state: str  # "cached", "new" or "skipped"
    detail: str = ""
    key: str | None = None
    paid: str | None = None  # the paid generation it would start
    clip: str | None = None  # the kept clip it uses (paid providers keep what they downloaded)
    files: tuple[str, ...] = ()  # the keys of every file its animation is made of (a video's AV1 source too)


class Planner:
    def __init__(self, settings: Settings, site_dir: Path | None = None, *, serving: bool = False) -> None:
        self.settings = settings
        # The shared store is looked at, never written to: a dry run changes nothing anywhere.
        remote = Remote(settings.cache_url, read_only=True) if settings.cache_url else None
        self.store = Store.snapshot(settings.cache_dir, remote=remote)
        self.provider, _ = open_provider(settings, self.store, "planned")
        self.stills = Stills(self.store)
        # The review file's retakes decide which take a build asks for (the pipeline warns about its mistakes).
        self.jobs = Jobs(
            settings, self.provider.identity(), self.stills, Review.load(settings.review_file), settings.docs_dir
        )
        self.rows: list[PlanRow] = []

    def plan_page(self, text: str, page: str, page_dir: str, resolve: Resolver, *, content=None) -> str:
        try:
            candidates = find_images(text, content, styles=self.settings.styles)
        except ValueError as error:
            log.warning(f"Couldn't look for images in '{page}': {error}")
            return text
        for candidate in candidates:
            job = self.jobs.look(candidate, resolve)
            if isinstance(job, Skip):
                detail = f"{job.reason}: {job.detail}" if job.detail else job.reason
                self.rows.append(PlanRow(page, candidate.src, "skipped", detail))
                continue
            files = (job.key, *(key for _, key in job.sources))
            entry, _ = self.store.get(job.key, repair=False)
            shared = entry is None and self.store.shared(job.key)
            request = job.request()
            paid = self.provider.needs_payment(request)
            clip = self.provider.paid_key(request)
            if entry is not None or shared:
                detail = "in the shared cache" if shared else ""
                paid = None if shared else paid
                self.rows.append(PlanRow(page, candidate.src, "cached", detail, job.key, paid, clip, files))
            else:
                detail = f"to make with {self.provider.name}"
                self.rows.append(PlanRow(page, candidate.src, "new", detail, job.key, paid, clip, files))
        return text

    def finish_page(self, text: str, page: str, page_dir: str) -> str:
        return text

    def skip_page(self, text: str, reason: str, *, content=None) -> None:
        """A page left alone as a whole is not listed, as a build does not count its images as work."""

    def close(self) -> None:
        """Nothing to sum up: the plan is the rows (a build's summary would say nothing was animated)."""
        self.store.close()
