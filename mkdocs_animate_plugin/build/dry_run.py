"""The dry run's rows (`mkdocs-animate plan`): what a build would do with each image, decided by the pipeline's own
calls (`Pipeline(dry_run=True)`), so that a plan and a build never disagree. A row is read from a snapshot of the
cache: nothing is made, paid, written or published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..cache import Store
    from ..providers.base import Provider
    from .jobs import Job


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
    held: str | None = None  # why the build would keep the still although the animation exists (`publish`)


def plan_row(page: str, src: str, job: Job, store: Store, provider: Provider, held: str | None) -> PlanRow:
    """The row of an image that gets an animation: cached (here or in the shared store) or to be made, and
    whether `publish: approved` holds it back."""
    entry, _ = store.get(job.key, repair=False)
    shared = entry is None and store.shared(job.key)
    request = job.request()
    clip = provider.paid_key(request)
    paid = None if shared else provider.needs_payment(request)
    if entry is not None or shared:
        status, why = "cached", "in the shared cache" if shared else ""
    else:
        status, why = "new", f"to make with {provider.name}"
    return PlanRow(page, src, status, why, job.key, paid, clip, job.files, held)
