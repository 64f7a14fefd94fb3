"""The build-time pipeline shared by the plugin and the command:

    page HTML ─► discover ─► image jobs ─► scheduler (cache hit, or provider ─► media ─► cache) ─► rewrite

`plan_page` runs while pages render: it finds the images, looks each up in the cache and puts a cached animation in
place at once; an image still to be made gets a job and a mark. `finish_page` runs as each page is written: it
waits for that page's jobs, puts their animations in place of the marks, and links the pause script and style.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from . import rewrite
from .cache import Entry, Store, make_key
from .config import Settings
from . import select
from .discover import KEY_ATTRIBUTE, VERSION, Candidate, find_images
from .errors import AnimateError, ImageProblem, MissingImage, ProviderAuthError
from .markup import Tag, img_tags, marked_tags, splice
from .progress import Progress
from .providers import provider_class
from .providers.base import AnimationRequest, Clip, Provider
from .scheduler import Scheduler
from .stills import Still, Stills, even_size

log = get_plugin_logger("animate")

ASSET_DIR = "assets/animate"
ASSETS = Path(__file__).parent / "assets"  # the pause script and style, shipped with the package
VIDEO_FPS = 24  # the rate the local animator draws video at; remote clips keep their own
CACHE_FORMAT = 1  # part of every key: bump when the way animations are made changes for every provider
PLANNING_SETTINGS = ("width", "output", "fps", "duration", "loop", "select", "min_width", "min_height")
SELECT_VERSION = 2  # of the rules in `select` and the pixel judgement: part of the key of a page's record


@dataclass(frozen=True)
class Outcome:
    """What became of one animation: made now, found in the cache, skipped (budget, offline) or failed."""

    status: str  # "new", "cached", "skipped", "failed"
    entry: Entry | None = None
    reason: str = ""
    quiet: bool = False  # a failure already reported once (all calls stopped after a refused key)


@dataclass
class Summary:
    """The counts of the one line printed at the end of a build."""

    animated: int = 0
    new: set[str] = field(default_factory=set)
    cached: set[str] = field(default_factory=set)
    skipped: Counter = field(default_factory=Counter)
    failed: int = 0
    cost_per_clip: float = 0.0
    paid: bool = False
    paid_clips: int = 0  # new paid generations started

    def line(self) -> str:
        text = (
            f"{self.animated} image(s) animated from {len(self.new) + len(self.cached)} animation(s) "
            f"({len(self.new)} new, {len(self.cached)} from cache)"
        )
        if self.skipped:
            reasons = ", ".join(f"{reason}: {count}" for reason, count in self.skipped.most_common())
            text += f"; {sum(self.skipped.values())} left still ({reasons})"
        text += f"; {self.failed} failed"
        if self.paid:
            text += f"; {self.paid_clips} new paid clip(s), estimated cost ${self.paid_clips * self.cost_per_clip:.2f}"
        return text


Resolver = Callable[[str], "str | os.PathLike[str] | None"]  # a page's image URL -> its file, if in the site


@dataclass(frozen=True)
class PlanRow:
    """One image of a dry run: what a build would do with it, and why."""

    page: str
    src: str
    state: str  # "cached", "new" or "skipped"
    detail: str = ""
    key: str | None = None
    paid: str | None = None  # the paid generation it would start
    clip: str | None = None  # the kept clip it uses (paid providers keep what they downloaded)


@dataclass
class PageLog:
    """What planning one page did, kept so that a later build can do it again without the work: where nothing it
    depends on changed (the page's text and folder, the settings, each image's file and cached animation), the
    page gets the same edits. Only pages that are wholly settled at once, with no warning, are replayed."""

    edits: list[list] = field(default_factory=list)  # [start, end, markup]
    images: list = field(default_factory=list)  # [src, path, sha256, key, [file, width, height]] per animation
    skipped: Counter = field(default_factory=Counter)  # reasons for the images left still, for the summary
    replayable: bool = True

    def shown(self, candidate: Candidate, path: str, still: Still, key: str, entry: Entry, markup: str) -> None:
        self.edits.append([candidate.tag.start, candidate.tag.end, markup])
        self.images.append([candidate.src, path, still.sha256, key, [entry.file, entry.width, entry.height]])

    def memo(self, candidates: list[Candidate]) -> dict:
        """What to remember: what discovery found, and what to replay (lists and plain dicts, as they come back
        from the memo, so that an unchanged page leaves the memo unchanged)."""
        replay = {"edits": self.edits, "images": self.images, "skipped": dict(self.skipped)}
        return {"found": [candidate.recall for candidate in candidates], "replay": replay if self.replayable else None}


class Pipeline:
    """One build: its cache, its provider, its scheduler and its counts."""

    def __init__(self, settings: Settings, site_dir: Path, *, generate: bool = True, plan: bool = False) -> None:
        self.settings = settings
        self.site_dir = site_dir
        # Without `generate` (offline, or `mkdocs serve` showing only what is cached) the provider is never called.
        self.generate = generate and not settings.offline and not plan
        # A dry run reads a snapshot of the cache and records what a build would do, touching nothing.
        self.plan: list[PlanRow] | None = [] if plan else None
        self.store = Store.snapshot(settings.cache_dir) if plan else Store(settings.cache_dir)
        self.provider: Provider = provider_class(settings.provider)(settings, self.store)
        if self.generate:
            try:
                self.provider.ready()
            except AnimateError as error:
                # A fork's pull request has no key: it shows what the cache has rather than failing the build.
                log.warning(f"{error}; this build uses only cached animations")
                self.generate = False
        self.identity = self.provider.identity()
        self.scheduler: Scheduler[Outcome] = Scheduler(settings.concurrency)
        self.progress = Progress()
        self.summary = Summary(cost_per_clip=settings.cost_per_clip, paid=self.provider.paid)
        self.stills = Stills(self.store)
        self._page_logs = self.store.memo("pages")  # by page text, folder and settings: what planning found and did
        # Whatever else decides what planning does with a page: part of the key of its log.
        self._fingerprint = make_key(
            {
                "format": CACHE_FORMAT,
                "discover": VERSION,
                "select": SELECT_VERSION,
                "provider": self.identity,
                **{name: getattr(settings, name) for name in PLANNING_SETTINGS},
            }
        )
        self._pages: dict[str, list[str]] = {}  # key -> pages that show it, for warnings
        self._sources: dict[str, str] = {}  # key -> the image as a page names it
        self._still_sizes: dict[str, tuple[int, int]] = {}
        self._warned: set[str] = set()
        self._copied: set[str] = set()  # animation keys already put into the site
        self._waiting: set[str] = set()  # pages with marked images, whose jobs `finish_page` waits for
        self._animated: set[str] = set()  # pages that show an animation, and need the pause script and style
        self._asset_dir: str | None = None  # the site's folder of animations, once it is written
        self._paid: set[str] = set()  # the paid generations this build starts
        self._over_budget = 0
        self._auth_failed: str | None = None

    # --- while pages render --------------------------------------------------------------------------------

    def plan_page(self, text: str, page: str, page_dir: str, resolve: Resolver, *, content=None) -> str:
        """Put each image's cached animation in place, and submit a job for (and mark) each image to be made;
        the text is otherwise untouched. `page_dir` is the page's folder in the site, for relative URLs."""
        # A page is remembered by its text, its folder and the settings; a dry run, or a whole built page
        # (`content`), is planned afresh.
        memo_key = None
        if content is None and self.plan is None:
            identity = f"{self._fingerprint}\0{page_dir}\0{text}".encode("utf-8", "surrogateescape")
            memo_key = hashlib.blake2b(identity, digest_size=16).hexdigest()
        known = self._page_logs.get(memo_key) if memo_key else None
        known = known if isinstance(known, dict) else {}
        if known.get("replay"):
            replayed = self._replay(known["replay"], text, page, resolve)
            if replayed is not None:
                return replayed
        try:
            candidates = find_images(text, content, known.get("found"))
        except ValueError as error:
            log.warning(f"Couldn't look for images in '{page}': {error}; the page is left as it is")
            return text
        record = PageLog()
        for candidate in candidates:
            planned = self._plan_image(candidate, page, resolve, record)
            if planned is None or self.plan is not None:
                continue
            key, path, still = planned
            future = self.scheduler.known(key)
            if future is not None and future.done():  # a cache hit (or an image left still): settled now
                outcome = future.result()
                markup = self._settle(key, outcome, candidate.tag, text, page, page_dir)
                if markup and outcome.entry:
                    record.shown(candidate, path, still, key, outcome.entry, markup)
                else:
                    record.replayable = False  # left still for a reason of this build (offline, budget, failure)
            else:
                record.edits.append(list(rewrite.mark(candidate.tag, key)))
                record.replayable = False
                self._waiting.add(page)
        if memo_key:
            self._page_logs.put(memo_key, record.memo(candidates))
        return splice(text, record.edits)

    def _replay(self, replay: dict, text: str, page: str, resolve: Resolver) -> str | None:
        """The page as the last build made it, if each of its images still resolves to the same file with the
        same bytes and its animation is still in the cache as it was; else None, and the page is planned."""
        found = []
        try:
            for src, path, sha256, key, shown in replay["images"]:
                resolved = resolve(src)
                still = self.stills.get(path) if resolved and os.fspath(resolved) == path else None
                if not isinstance(still, Still) or still.sha256 != sha256:
                    return None
                entry = self._cached(key)
                if entry is None or [entry.file, entry.width, entry.height] != shown:
                    return None
                found.append((src, key, still, entry))
            edits = [[int(start), int(end), str(markup)] for start, end, markup in replay["edits"]]
            skipped = Counter({str(reason): int(count) for reason, count in replay["skipped"].items()})
        except (TypeError, ValueError, KeyError, AttributeError):  # a record written by another version
            return None
        for src, key, still, entry in found:
            self._note(key, page, src, still)
            outcome = Outcome("cached", entry)
            if self.scheduler.known(key) is None:
                self.scheduler.done(key, outcome)
            self._show(key, outcome, page)
        self.summary.skipped.update(skipped)
        return splice(text, edits)

    def skip_page(self, text: str, reason: str) -> None:
        """Count the images of a page that is left alone as a whole (front matter, include/exclude)."""
        self.summary.skipped[reason] += sum(1 for _ in img_tags(text))

    def _plan_image(
        self, candidate: Candidate, page: str, resolve: Resolver, record: PageLog
    ) -> tuple[str, str, Still] | None:
        """The key of the animation an image gets, with its file and what it is; None for an image left still."""
        settings = self.settings
        src = candidate.src
        for problem in candidate.problems:
            log.warning(f"Image '{src}' in '{page}': {problem}; the attribute is ignored")
            record.replayable = False  # a later build must warn again
        decision = select.by_markup(src, candidate.opted_in, candidate.opted_out, candidate.in_link, settings.select)
        if decision:
            return self._skip(page, src, record, decision.reason)
        found = resolve(src)
        path = os.fspath(found) if found else None
        still = self.stills.get(path) if path else MissingImage("no such file in the site")
        if isinstance(still, ImageProblem):
            return self._skip(page, src, record, still.reason, str(still), warn=True)
        try:
            decision = select.by_picture(
                candidate.tag.attrs,
                (still.width, still.height),
                still.moving,
                candidate.opted_in,
                settings.select,
                (settings.min_width, settings.min_height),
                lambda: astuple(self.stills.kind(path, still)),
            )
        except ImageProblem as problem:
            return self._skip(page, src, record, problem.reason, str(problem), warn=True)
        if not decision.animate:
            return self._skip(page, src, record, decision.reason, decision.detail, warn=decision.warn)
        output = candidate.output or settings.output
        clip_width = select.clip_width(settings.width, candidate.tag.attrs, (still.width, still.height))
        width, height = even_size(still.width, still.height, clip_width)
        fps = VIDEO_FPS if output == "video" else settings.fps
        key = make_key(
            {
                "format": CACHE_FORMAT,
                "image": still.sha256,
                "provider": self.identity,
                "prompt": candidate.prompt,
                "duration": settings.duration,
                "loop": settings.loop,
                "take": candidate.take,
                "output": output,
                "size": [width, height],
                "fps": fps if output != "video" else None,
            }
        )

        def request() -> AnimationRequest:
            """Built only for an image to be made (or planned): its context is read from the page only then."""
            return AnimationRequest(
                image=Path(path),
                image_sha256=still.sha256,
                image_width=still.width,
                image_height=still.height,
                width=width,
                height=height,
                fps=fps,
                duration=settings.duration,
                loop=settings.loop,
                output=output,
                take=candidate.take,
                prompt=candidate.prompt,
                context=candidate.context,
            )

        self._note(key, page, src, still)
        self._submit(key, request)
        if self.plan is not None:
            outcome = self.scheduler.known(key).result()  # type: ignore[union-attr]
            state = {"cached": "cached", "planned": "new"}.get(outcome.status, outcome.status)
            planned = request()
            clip = getattr(self.provider, "generation_key", lambda request: None)(planned)
            paid = self.provider.needs_payment(planned)
            self.plan.append(PlanRow(page, src, state, outcome.reason, key, paid, clip))
        return key, path, still

    def _note(self, key: str, page: str, src: str, still: Still) -> None:
        """Where an animation is shown, for its warnings, and the still's size, for its markup."""
        self._pages.setdefault(key, []).append(page)
        self._sources.setdefault(key, src)
        self._still_sizes[key] = (still.width, still.height)

    def _skip(
        self, page: str, src: str, record: PageLog, reason: str, problem: str | None = None, warn: bool = False
    ) -> None:
        """Count (and in a dry run, list) an image left still; a real problem is a warning naming page and image."""
        if warn:
            log.warning(f"Couldn't animate '{src}' in '{page}': {problem}")
            record.replayable = False
        self.summary.skipped[reason] += 1
        record.skipped[reason] += 1
        if self.plan is not None:
            self.plan.append(PlanRow(page, src, "skipped", f"{reason}: {problem}" if problem else reason))
        return None

    def _submit(self, key: str, make_request: Callable[[], AnimationRequest]) -> None:
        if self.scheduler.known(key):
            return
        entry = self._cached(key)
        if entry:
            self.scheduler.done(key, Outcome("cached", entry))
        elif self.plan is not None:
            self.scheduler.done(key, Outcome("planned", reason=f"to make with {self.provider.name}"))
        elif not self.generate:
            self.scheduler.done(key, Outcome("skipped", reason="not cached (offline)"))
        else:
            request = make_request()
            paid = self.provider.needs_payment(request)
            if paid and paid not in self._paid and len(self._paid) >= self.settings.max_new:
                self._over_budget += 1
                self.scheduler.done(key, Outcome("skipped", reason="over max_new"))
                return
            if paid:
                self._paid.add(paid)
            self.progress.add()
            self.scheduler.submit(key, lambda: self._produce(key, request))

    def _cached(self, key: str) -> Entry | None:
        entry, damage = self.store.get(key, repair=self.plan is None)
        if damage:
            log.warning(f"Cached animation {key} was dropped ({damage}); it is made again")
        return entry

    async def _produce(self, key: str, request: AnimationRequest) -> Outcome:
        import asyncio  # only a build that makes something needs the event loop's machinery

        async with self.scheduler.slot():
            self.progress.start()
            try:
                if self._auth_failed:  # checked once a slot is free: a refused key stops every later call
                    return Outcome("failed", reason=self._auth_failed, quiet=True)
                clip = await asyncio.wait_for(self.provider.animate(request), self.settings.timeout)
            except ProviderAuthError as error:
                quiet = self._auth_failed is not None
                self._auth_failed = f"{error}; no further provider call is made in this build"
                return Outcome("failed", reason=self._auth_failed, quiet=quiet)
            except AnimateError as error:
                return Outcome("failed", reason=str(error))
            except TimeoutError:
                return Outcome("failed", reason=f"no clip after the timeout of {self.settings.timeout:g} s")
            finally:
                self.progress.finish()
        try:
            async with self.scheduler.workers():
                entry = await asyncio.to_thread(self._encode, key, request, clip)
        except AnimateError as error:
            return Outcome("failed", reason=str(error))
        return Outcome("new", entry)

    def _encode(self, key: str, request: AnimationRequest, clip: Clip) -> Entry:
        """Close the loop where the provider did not, encode, probe and store; a failed file never stays."""
        from . import media  # numpy and ffmpeg: only when something is made

        size = (request.width, request.height)
        fps = float(request.fps if request.output != "video" or clip.frames is not None else clip.fps)
        if clip.frames is not None:
            frames = clip.frames
        elif clip.path is not None:
            frames = media.decode(clip.path, size, fps if request.output != "video" else None)
        else:
            raise AnimateError(f"the {self.provider.name} provider returned neither frames nor a file")
        count = clip.count
        if not clip.loop_closed and request.loop != "none":
            mode = "crossfade" if request.loop == "auto" else request.loop
            frames = media.close_loop(frames, mode, fps)
            count = media.looped_count(count, mode, fps)
        temp = self.store.temp_path(key, media.EXTENSIONS[request.output])
        try:
            info = media.encode(frames, size, fps, request.output, temp, count)
            return self.store.put(key, temp, info)
        finally:
            temp.unlink(missing_ok=True)

    # --- as pages are written ------------------------------------------------------------------------------

    def finish_page(self, text: str, page: str, page_dir: str) -> str:
        """Wait for the page's jobs, put their animations in place of the marks (or give back the stills), and
        link the pause script and style if the page shows any animation."""
        if page in self._waiting:
            edits = []
            for tag in marked_tags(text):
                key = tag.get(KEY_ATTRIBUTE)
                future = self.scheduler.known(key) if key else None
                if future is not None:
                    markup = self._settle(key, future.result(), tag, text, page, page_dir)
                    edits.append((tag.start, tag.end, markup) if markup else rewrite.unmark(text, tag))
            text = splice(text, edits)
        if page in self._animated:
            assets = _up_to_root(page_dir) + ASSET_DIR
            text = rewrite.add_assets(text, f"{assets}/{rewrite.CSS_FILE}", f"{assets}/{rewrite.JS_FILE}")
        return text

    def _settle(self, key: str, outcome: Outcome, tag: Tag, text: str, page: str, page_dir: str) -> str | None:
        """The markup of an image whose outcome is known: its animation (put into the site), or None where it
        stays still. Either way it is counted, and a failure is warned about once."""
        entry = outcome.entry
        if entry is None:
            self._count_still(key, outcome, page)
            return None
        self._show(key, outcome, page)
        url = f"{_up_to_root(page_dir)}{ASSET_DIR}/{entry.file}"
        return rewrite.animated(tag, text, url, entry.ext, (entry.width, entry.height), self._still_sizes.get(key))

    def _count_still(self, key: str, outcome: Outcome, page: str) -> None:
        if outcome.status == "failed":
            self.summary.failed += 1
            if key not in self._warned and not outcome.quiet:
                self._warned.add(key)
                others = len(self._pages.get(key, [])) - 1
                also = f" (and {others} other page(s))" if others > 0 else ""
                log.warning(f"Couldn't animate '{self._sources.get(key)}' in '{page}'{also}: {outcome.reason}")
        else:
            self.summary.skipped[outcome.reason] += 1

    def _show(self, key: str, outcome: Outcome, page: str) -> None:
        """Count an animation shown on a page, and put its file into the site (once)."""
        self.summary.animated += 1
        (self.summary.new if outcome.status == "new" else self.summary.cached).add(key)
        self._copy(outcome.entry)  # type: ignore[arg-type]
        self._animated.add(page)

    def _copy(self, entry: Entry) -> None:
        """Each animation is put into the site once, however many pages show it: a hard link where the cache and
        the site share a disk (no bytes copied: it is what keeps a warm build fast), else a copy."""
        if entry.key in self._copied:
            return
        source, target = self.store.path(entry), os.path.join(self._asset_folder(), entry.file)
        try:
            try:
                os.link(source, target)
            except FileExistsError:  # left by an earlier build into the same folder (`--dirty`, `serve`)
                os.unlink(target)
                os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError as error:
                raise AnimateError(f"couldn't copy {entry.file} into the site: {error}") from None
        self._copied.add(entry.key)

    def _asset_folder(self) -> str:
        """The site's folder of animations, with the pause script and style: written once per build."""
        if self._asset_dir is None:
            folder = self.site_dir / ASSET_DIR
            folder.mkdir(parents=True, exist_ok=True)
            for name in (rewrite.CSS_FILE, rewrite.JS_FILE):
                shutil.copyfile(ASSETS / name, folder / name)
            self._asset_dir = os.fspath(folder)
        return self._asset_dir

    # --- at the end ----------------------------------------------------------------------------------------

    def close(self) -> Summary:
        """Stop the scheduler, release the provider and the cache, and say what happened."""
        self.summary.paid_clips = self.provider.submitted
        if self._over_budget:
            log.warning(
                f"{self._over_budget} image(s) were left still: max_new allows {self.settings.max_new} new paid "
                "generation(s) per build; the next build makes more"
            )
        self.progress.close()
        try:
            if self.scheduler.started:
                self.scheduler.call(self.provider.aclose())
        finally:
            self.scheduler.close()
            self.store.close()
        return self.summary


def _up_to_root(page_dir: str) -> str:
    """The relative URL from a page's folder (a site path such as "animals/cat") back to the site's root."""
    return "../" * (page_dir.count("/") + 1) if page_dir else ""
