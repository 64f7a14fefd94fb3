"""The build-time pipeline shared by the plugin and the command:

    page HTML ─► discover ─► jobs (select, key) ─► producer (cache hit, or provider ─► media ─► cache)
              ─► publish (file into the site) ─► rewrite (markup in place of the still)

`plan_page` runs while pages render: it finds the images, looks each up in the cache and puts a cached animation in
place at once; an image still to be made gets a job and a mark. `finish_page` runs as each page is written: it
waits for that page's jobs, puts their animations in place of the marks, and links the pause script and style.
With `dry_run` (`mkdocs-animate plan`) the same decisions are taken and written down as rows (`dry_run.py`), and
nothing is made, paid, written or published.

Review (review/decisions.py): the review file's retakes move takes on (in `Jobs`); with `publish: approved` an animation
whose clip is not approved keeps the still where it is settled (`_settle`, `_replay`); and at `close` the build's
record of every clip it had an animation for is written into the cache for the gallery.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from ..cache import Store
from ..config import Settings
from ..errors import AnimateError
from ..markup import rewrite
from ..markup.publish import Publisher
from ..markup.tags import Tag, img_tags, marked_tags, splice
from ..providers import provider_class
from ..review.decisions import Review, image_name
from ..review.record import Recorder, model_of
from ..selection.discover import KEY_ATTRIBUTE, find_images, opted_in
from ..selection.rules import LeftStill
from ..selection.stills import Stills
from ..video.outputs import OUTPUTS, av1_type
from .dry_run import PlanRow, plan_row
from .jobs import Job, Jobs, Resolver, source_key
from .produce import Producer
from .replay import PageLog, PageMemo
from .summary import Outcome, Report, Summary

log = get_plugin_logger("animate")


def open_provider(settings: Settings, store: Store, still: str | None):
    """The build's provider, and why it may make nothing (None: it may): `still` is the build's own reason
    (offline, `mkdocs serve`); without a key (a fork's pull request) a build shows what the cache has rather than
    failing."""
    provider = provider_class(settings.provider)(settings, store.provider_cache(settings.provider))
    if still is None:
        try:
            provider.ready()
        except AnimateError as error:
            log.warning(f"{error}; this build uses only cached animations")
            still = "not cached (no key)"
    return provider, still


class Pipeline:
    """One build: its cache, its provider, its jobs and its counts."""

    def __init__(self, settings: Settings, site_dir: Path, *, serving: bool = False, dry_run: bool = False) -> None:
        """`serving`: under `mkdocs serve` with `serve: cache`, which shows only what is cached. `dry_run`: decide
        as a build does, from a snapshot of the cache, and keep the decisions in `rows` instead of acting on them."""
        self.settings = settings
        self.dry_run = dry_run
        self.writes_record = not dry_run  # the record of what the build showed, for the gallery
        self.rows: list[PlanRow] = []
        self.store = Store.open(settings.cache_dir, settings.cache_url, snapshot=dry_run)
        still = "not cached (offline)" if settings.offline else "not cached yet (serve)" if serving else None
        still = "planned" if dry_run else still
        self.provider, still = open_provider(settings, self.store, still)
        self.stills = Stills(self.store)
        self.review = Review.load(settings.review_file)
        for problem in self.review.problems:
            log.warning(problem)
        identity = self.provider.identity()
        self.jobs = Jobs(settings, identity, self.stills, self.review, settings.docs_dir or site_dir)
        self.recorder = Recorder(
            self.review, self.store.root, model=model_of(identity), paid=self.provider.paid, cost=settings.cost_per_clip
        )
        self._jobs: dict[str, tuple[Job, str, str | None]] = {}  # key -> its job, image URL and prompt attribute
        self.producer = self._producer(still)
        self.publisher = Publisher(site_dir, self.store)
        self.summary = Summary(cost_per_clip=settings.cost_per_clip, paid=self.provider.paid)
        self.report = Report(self.summary)
        self.memo = PageMemo(self.store, self.jobs.fingerprint())
        self._waiting: set[str] = set()  # pages with marked images, whose jobs `finish_page` waits for
        self._animated = False  # whether any page shows an animation
        self._types: dict[str, str] = {}  # an AV1 file's MIME type with its codec, by file name

    def _producer(self, still: str | None) -> Producer:
        """What makes the animations: all of them here; a shard's alone in `mkdocs-animate render` (render.py)."""
        return Producer(self.settings, self.provider, self.store, still=still)

    # --- while pages render --------------------------------------------------------------------------------

    def judge_ahead(self, paths: Iterable[str]) -> None:
        """`select: auto`'s verdict on each picture among `paths` (the site's files), made before the first page is
        planned, with the `text` extra in one process of its own (`Stills.judge_ahead`)."""
        if self.settings.select == "auto":
            pictures = [path for path in paths if (mimetypes.guess_type(path)[0] or "").startswith("image/")]
            self.stills.judge_ahead(pictures)

    def plan_page(self, text: str, page: str, page_dir: str, resolve: Resolver, *, content=None) -> str:
        """Put each image's cached animation in place, and submit a job for (and mark) each image to be made;
        the text is otherwise untouched. `page_dir` is the page's folder in the site, for relative URLs. A whole
        built page (`content` picks its content) is planned afresh; MkDocs' page content is remembered."""
        memo_key = self.memo.key(text, page_dir) if content is None and not self.dry_run else None
        known = self.memo.recall(memo_key) if memo_key else {}
        if known.get("replay"):
            replayed = self._replay(known["replay"], text, page, resolve)
            if replayed is not None:
                return replayed
        try:
            candidates = find_images(text, content, known.get("found"), self.settings.styles)
        except ValueError as error:
            log.warning(f"Couldn't look for images in '{page}': {error}; the page is left as it is")
            return text
        record = PageLog()
        for candidate in candidates:
            for problem in candidate.problems:
                log.warning(f"Image '{candidate.src}' in '{page}': {problem}; the attribute is ignored")
                record.replayable = False  # a later build must warn again
            job = self.jobs.look(candidate, resolve)
            if isinstance(job, LeftStill):
                if self.dry_run:
                    detail = f"{job.reason}: {job.detail}" if job.detail else job.reason
                    self.rows.append(PlanRow(page, candidate.src, "skipped", detail))
                self.report.still(page, candidate.src, job)
                record.skipped[job.reason] += 1
                record.replayable = record.replayable and not job.warn
                continue
            if self.dry_run:
                held = self._held(job.clip)
                self.rows.append(plan_row(page, candidate.src, job, self.store, self.provider, held))
                continue
            self._note(job, page, candidate.src, candidate.prompt)
            self.producer.submit(job)
            future = self.producer.scheduler.known(job.key)
            if future is not None and future.done():  # a cache hit (or an image left still): settled now
                outcome = future.result()
                markup = self._settle(job.key, outcome, candidate.tag, text, page, page_dir)
                if markup and outcome.entry:
                    record.shown(candidate, job.path, job.still, job.key, outcome.entry, markup)
                else:
                    record.replayable = False  # left still for a reason of this build (offline, budget, failure)
            else:
                record.edits.append(list(rewrite.mark(candidate.tag, job.key)))
                record.replayable = False
                self._waiting.add(page)
        if memo_key:
            self.memo.remember(memo_key, record, candidates)
        return splice(text, record.edits)

    def _replay(self, record: dict, text: str, page: str, resolve: Resolver) -> str | None:
        replay = self.memo.replay(record, resolve, self.stills, self.producer.cached)
        if replay is None:
            return None
        clips = [self.recorder.known(key) for _, key, _, _ in replay.shown]
        if any(clip is None or self._held(clip["key"]) for clip in clips):
            return None  # planned afresh: a decision changed, or the last record does not know the clip
        sources = [self._sources(key, entry) for _, key, _, entry in replay.shown]
        if any(found is None for found in sources):
            return None  # a video's other source is no longer cached: made again
        try:  # every file into the site first: one the site cannot take sends the page to planning, which warns
            for found, (_, _, _, entry) in zip(sources, replay.shown):
                for file in (*(found or ()), entry):
                    self.publisher.put(file)
        except AnimateError:
            return None
        scheduler = self.producer.scheduler
        for (src, key, still, entry), clip in zip(replay.shown, clips):
            self.recorder.shown(clip, key, entry.file, entry.created, page, False)
            self.report.note(key, page, src)
            outcome = Outcome("cached", entry)
            if scheduler.known(key) is None:
                scheduler.done(key, outcome)
            self.report.settled(key, outcome, page)
            self._animated = True
        self.summary.skipped.update(replay.skipped)
        return splice(text, replay.edits)

    def skip_page(self, text: str, reason: str, *, content=None) -> None:
        """Count the images of a page that is left alone as a whole (front matter, include/exclude): those of
        its content, where `content` picks it from a whole built page."""
        try:
            count = len(find_images(text, content)) if content else sum(1 for _ in img_tags(text))
        except ValueError:  # a page too broken to pair its images: it is left alone all the same
            count = sum(1 for _ in img_tags(text))
        self.summary.skipped[reason] += count

    def _note(self, job: Job, page: str, src: str, prompt: str | None) -> None:
        self.report.note(job.key, page, src)
        self._jobs.setdefault(job.key, (job, src, prompt))

    def _still_size(self, key: str) -> tuple[int, int] | None:
        """The still's size, for the markup: every image of one key is the same image."""
        known = self._jobs.get(key)
        return (known[0].still.width, known[0].still.height) if known else None

    def _held(self, clip: str) -> str | None:
        """Why an animation of `clip` keeps the still under `publish: approved` (None: it is published)."""
        if self.settings.publish != "approved":
            return None
        state = self.review.state(clip)
        return None if state == "approved" else "rejected" if state == "rejected" else "awaiting review"

    def _review(self, key: str, outcome: Outcome, page: str) -> str | None:
        """Record an animation for the gallery; the reason it keeps the still (counted), if it is held back."""
        known = self._jobs.get(key)
        if known is None or outcome.entry is None:
            return None
        job, src, prompt = known
        clip = {
            "key": job.clip,
            "image": image_name(job.path, self.review.root),
            "image_sha256": job.still.sha256,
            "src": src,
            "take": job.take,
            "page_take": job.page_take,
            "prompt": prompt,
        }
        entry, new = outcome.entry, outcome.status == "new"
        self.recorder.shown(clip, key, entry.file, entry.created, page, new)
        held = self._held(job.clip)
        if held:
            (self.summary.new if new else self.summary.cached).add(key)
            self.summary.skipped[held] += 1
        return held

    def _settle(self, key: str, outcome: Outcome, tag: Tag, text: str, page: str, page_dir: str) -> str | None:
        """The markup of an image whose outcome is known: its animation (put into the site), or None where it
        stays still (or is held back for review). Either way it is counted."""
        if self._review(key, outcome, page):
            return None
        entry = outcome.entry
        if entry is not None:
            try:
                url = self.publisher.url(entry, page_dir)
                others = self._sources(key, entry) or ()  # one dropped since it was looked up: the H.264 alone
                sources = [(self.publisher.url(source, page_dir), self._type(source)) for source in others]
            except AnimateError as error:  # the site's folder cannot take the file (a full disk): the still stays
                outcome, entry = Outcome("failed", reason=str(error)), None
        self.report.settled(key, outcome, page)
        if entry is None:
            return None
        self._animated = True
        return rewrite.animated(
            tag,
            text,
            url,
            entry.ext,
            (entry.width, entry.height),
            self._still_size(key),
            sources=sources,
            clip=self._jobs[key][0].clip,
            minimum=None if opted_in(tag) else (self.settings.min_width, self.settings.min_height),
        )

    def _sources(self, key: str, entry) -> list | None:
        """A video's cached sources in its other codecs (`video_codecs`), best first; None if one is missing."""
        if entry.ext != OUTPUTS["video"].ext:
            return []
        found = [self.producer.cached(source_key(key, codec)) for codec in self.settings.video_codecs[:-1]]
        return None if None in found else found

    def _type(self, entry) -> str:
        """The MIME type of a video's AV1 source, with its codec as the file's header names it: read once per file,
        however many pages show it."""
        if entry.file not in self._types:
            with open(self.store.path(entry), "rb") as file:
                self._types[entry.file] = av1_type(file.read(65536)) or "video/mp4"
        return self._types[entry.file]

    # --- as pages are written ------------------------------------------------------------------------------

    def finish_page(self, text: str, page: str, page_dir: str) -> str:
        """Wait for the page's jobs, put their animations in place of the marks (or give back the stills), and
        link the pause script and style if the site shows any animation."""
        self.producer.progress.counted()  # every page is planned before the first is written: the total is known
        if page in self._waiting:
            edits = []
            for tag in marked_tags(text, KEY_ATTRIBUTE):
                key = tag.get(KEY_ATTRIBUTE)
                future = self.producer.scheduler.known(key) if key else None
                if future is not None:
                    markup = self._settle(key, future.result(), tag, text, page, page_dir)
                    edits.append((tag.start, tag.end, markup) if markup else rewrite.unmark(text, tag))
            text = splice(text, edits)
        if self._animated or self._waiting:
            # Every page links them, not only those that show an animation: a visitor who arrives on any page and
            # goes on by instant navigation (mkdocs-material's `navigation.instant`) keeps the script that sets
            # up the next page's animations. Every page is planned before the first is written.
            text = self.publisher.link_assets(text, page_dir)
        return text

    # --- at the end ----------------------------------------------------------------------------------------

    def close(self) -> Summary:
        """Stop the work, release the provider and the cache, and say what happened."""
        self.summary.paid_clips = self.provider.submitted
        try:
            self.producer.close()
        finally:
            try:
                if self.writes_record:
                    self.recorder.write(self.provider)
            finally:
                self.store.close()
        return self.summary
