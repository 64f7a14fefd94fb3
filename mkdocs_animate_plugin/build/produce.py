"""Making the animations a build needs: each looked up in the cache first (then in the shared store, `cache_url`,
fetched in the background); the rest made by the provider (within the paid budget, the timeout, and no further call
once a key was refused), encoded, probed and cached."""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger

from ..cache import Entry, Store
from ..config import Settings
from ..errors import AnimateError, ImageProblem, NotSuited, ProviderAuthError
from ..providers.base import AnimationRequest, Clip, Provider
from ..selection.rules import LeftStill
from ..video.outputs import OUTPUTS
from .jobs import Job
from .progress import Progress
from .scheduler import Scheduler
from .summary import Outcome

log = get_plugin_logger("animate")


class Producer:
    def __init__(self, settings: Settings, provider: Provider, store: Store, *, still: str | None) -> None:
        self.settings = settings
        self.provider = provider
        self.store = store
        self.still = still  # why nothing is made in this build (offline, serve, no key); None: it is
        # Without a `concurrency` option, the provider's own default: the local animator draws one clip per core.
        concurrency = settings.concurrency or provider.default_concurrency
        self.scheduler: Scheduler[Outcome] = Scheduler(concurrency)
        self.progress = Progress()
        self.over_budget = 0
        self._paid: set[str] = set()  # the paid generations this build starts
        self._auth_failed: str | None = None

    def cached(self, key: str) -> Entry | None:
        """The cached animation, if any; one found damaged is dropped (and made again): a repair, not a fault of
        the author's, so an info line that `--strict` lets pass."""
        entry, damage = self.store.get(key)
        if damage:
            log.info(f"Cached animation {key} was dropped ({damage}); it is made again")
        return entry

    def submit(self, job: Job) -> None:
        """Settle the job at once (cached, offline, over budget) or queue its making: once per key."""
        key = job.key
        if self.scheduler.known(key):
            return
        entry = self.cached(key)
        # A video is cached with all its sources, or made again (its AV1 source from the same frames as its H.264).
        if entry and all(self.cached(source) for _, source in job.sources):
            self.scheduler.done(key, Outcome("cached", entry))
            return
        if self.store.shared(key):  # in the shared store: downloaded beside the rest of the work, made if that fails
            self.scheduler.submit(key, lambda: self._fetch(job))
            return
        decided = self._decide(job)
        if isinstance(decided, Outcome):
            self.scheduler.done(key, decided)
        else:
            self.scheduler.submit(key, lambda: self._produce(key, decided, job.sources))

    def _decide(self, job: Job) -> Outcome | AnimationRequest:
        """What becomes of an animation that no cache has: left still (offline, over budget), or made."""
        if self.still:
            return Outcome("skipped", still=LeftStill(self.still))
        request = job.request()
        paid = self.provider.needs_payment(request)
        if paid and paid not in self._paid and len(self._paid) >= self.settings.max_new:
            self.over_budget += 1
            return Outcome("skipped", still=LeftStill("over max_new"))
        if paid:
            self._paid.add(paid)
        self.progress.add()
        return request

    async def _fetch(self, job: Job) -> Outcome:
        """The animation from the shared store (its damage, if any, said by the store); else decided as a miss."""
        import asyncio

        entry, _ = await asyncio.to_thread(self.store.fetch, job.key)
        for _, source in job.sources:  # a video's other sources too, unless this cache has them
            if entry is None or self.cached(source):
                continue
            fetched, _ = await asyncio.to_thread(self.store.fetch, source)
            entry = entry if fetched else None
        if entry is not None:
            return Outcome("cached", entry)
        decided = self._decide(job)
        return decided if isinstance(decided, Outcome) else await self._produce(job.key, decided, job.sources)

    async def _produce(self, key: str, request: AnimationRequest, sources: tuple[tuple[str, str], ...] = ()) -> Outcome:
        outcome = await self._make(key, request, sources)
        self.progress.done(outcome.entry is not None)
        return outcome

    async def _make(self, key: str, request: AnimationRequest, sources: tuple[tuple[str, str], ...]) -> Outcome:
        import asyncio  # only a build that makes something needs the event loop's machinery

        async with self.scheduler.slot():
            try:
                if self._auth_failed:  # checked once a slot is free: a refused key stops every later call
                    return Outcome("failed", reason=self._auth_failed, quiet=True)
                clip = await asyncio.wait_for(self.provider.animate(request), self.settings.timeout)
            except ImageProblem as problem:  # the header read well, the pixels did not (a truncated file)
                return Outcome("skipped", still=LeftStill(problem.reason, str(problem), warn=True))
            except NotSuited as verdict:  # the provider's judgement of the picture: left still, nothing paid
                return Outcome("skipped", still=LeftStill(verdict.reason))
            except ProviderAuthError as error:
                quiet = self._auth_failed is not None
                self._auth_failed = f"{error}; no further provider call is made in this build"
                return Outcome("failed", reason=self._auth_failed, quiet=quiet)
            except AnimateError as error:
                return Outcome("failed", reason=str(error))
            except TimeoutError:  # asyncio's own since Python 3.11, the oldest this package runs on
                reason = f"no clip after the timeout of {self.settings.timeout:g} s"
                if self.provider.paid:  # the journal keeps its id: nothing is paid twice
                    reason += "; the provider goes on making it, and the next build fetches it without paying again"
                return Outcome("failed", reason=reason)
        cost = {"cost": clip.cost, "cost_reported": clip.cost_reported}
        try:
            async with self.scheduler.cpu():
                entry = await asyncio.to_thread(self._encode, key, request, clip, sources)
        except ImageProblem as problem:  # a provider that decodes the still as it draws: the local animator
            return Outcome("skipped", still=LeftStill(problem.reason, str(problem), warn=True), **cost)
        except AnimateError as error:
            return Outcome("failed", reason=str(error), **cost)
        return Outcome("new", entry, **cost)

    def _encode(
        self, key: str, request: AnimationRequest, clip: Clip, sources: tuple[tuple[str, str], ...] = ()
    ) -> Entry:
        """Close the loop where the provider did not, encode, probe and store; a failed file never stays. A video's
        other `sources` (codec, key) are encoded from the same frames, by the same ffmpeg, and stored first."""
        from ..video import loops, media  # numpy and ffmpeg: only when something is made

        size = (request.width, request.height)
        output = OUTPUTS[request.output]
        # A fetched clip plays at its own rate where the output keeps it, else it is resampled to `fps`.
        fps = float(clip.fps if output.clip_rate and clip.frames is None else request.fps)
        if clip.frames is not None:
            frames = clip.frames
        elif clip.path is not None:
            frames = media.decode(clip.path, size, None if output.clip_rate else fps)
        else:
            raise AnimateError(f"the {self.provider.name} provider returned neither frames nor a file")
        count = clip.count
        if not clip.loop_closed and request.loop != "none":
            mode = "crossfade" if request.loop == "auto" else request.loop
            frames = loops.close_loop(frames, mode, fps)
            count = loops.looped_count(count, mode, fps)
        targets = [*((codec, source, self.store.temp_path(source, output.ext)) for codec, source in sources)]
        targets.append((request.output, key, self.store.temp_path(key, output.ext)))
        try:
            infos = media.encode_all(frames, size, fps, [(kind, temp) for kind, _, temp in targets], count)
            entries = [self.store.put(name, temp, output.ext, info) for (_, name, temp), info in zip(targets, infos)]
            return entries[-1]
        finally:
            for _, _, temp in targets:
                temp.unlink(missing_ok=True)

    def close(self) -> None:
        """Say what the budget held back, stop the progress line, release the provider and the scheduler."""
        if self.over_budget:
            log.warning(
                f"{self.over_budget} image(s) were left still: max_new allows {self.settings.max_new} new paid "
                "generation(s) per build; the next build makes more"
            )
        self.progress.close()
        try:
            if self.scheduler.started:
                self.scheduler.call(self.provider.aclose())
        finally:
            self.scheduler.close()
