"""`mkdocs-animate render`: a build that makes animations and shows none, for one shard of the site or all of it.

Every runner of a CI matrix computes the same split without talking to the others: an animation belongs to shard
K of N when the number its clip's key spells is K-1 modulo N. The clip's key, not the animation's: the encodings of
one clip (two sizes, two outputs) stay on one runner, which pays for the clip once and encodes it twice, where
two runners would both wait on one paid generation. What a shard makes goes into the cache and its shared level
(`cache_url`), where the publishing build finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..markup.publish import Publisher
from ..selection.rules import LeftStill
from .jobs import Job
from .pipeline import Pipeline
from .produce import Producer
from .summary import Outcome

OTHER_SHARD = "another shard's"  # the reason an image is left to another runner, as the summary counts it
SHARED = "shared"  # the status of an animation the shared store has: counted as cached, never downloaded


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1 to `count`) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N`, as a CI matrix gives it (GitLab's CI_NODE_INDEX/CI_NODE_TOTAL count from 1 too)."""
        found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not found:
            raise ValueError(f"expected K/N (such as 2/4), not {text!r}")
        index, count = int(found[1]), int(found[2])
        if not 1 <= index <= count:
            raise ValueError(f"K must be from 1 to N in K/N, not {text!r}")
        return cls(index, count)

    @classmethod
    def whole(cls) -> Shard:
        """The whole site, as one shard (a render without `--shard`)."""
        return cls(1, 1)

    def owns(self, key: str) -> bool:
        """Whether the clip of key `key` (hex sha256, uniformly spread) is this shard's."""
        return int(key, 16) % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


class ShardProducer(Producer):
    """A producer that makes only its shard's animations, and shares what it finds only in its own cache."""

    def __init__(self, *args, shard: Shard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.shard = shard
        self.owned: set[str] = set()
        self.others: set[str] = set()

    def submit(self, job: Job) -> None:
        if self.scheduler.known(job.key):
            return
        if not self.shard.owns(job.clip):
            self.others.add(job.key)
            self.scheduler.done(job.key, Outcome("skipped", still=LeftStill(OTHER_SHARD)))  # not made, not a failure
            return
        self.owned.add(job.key)
        if all(self.store.shared(key) for key in job.files) and not self.cached(job.key):
            # In the shared store already: nothing to do here (the publishing build downloads it), not even that.
            self.scheduler.done(job.key, Outcome(SHARED))
            return
        super().submit(job)
        future = self.scheduler.known(job.key)
        if future is not None and future.done() and future.result().status == "cached":
            # In this cache: perhaps made by a run killed before its uploads ended. The store must have it too.
            for key in job.files:
                self.store.share(key)


class _Unpublished(Publisher):
    """A render writes no site: the animations' URLs are worked out as a build's, their files stay in the cache."""

    def put(self, entry) -> None:
        pass


class Renderer(Pipeline):
    """The pipeline of a build, less the site: the plugin hands it the pages as it hands them to a `Pipeline`."""

    def __init__(self, settings: Settings, site_dir: Path, *, serving: bool = False, shard: Shard) -> None:
        self.shard = shard
        super().__init__(settings, site_dir, serving=serving)
        self.publisher = _Unpublished(site_dir, self.store)
        self.writes_record = False  # a render shows no page: what the last build showed (the gallery's) stays

    def _producer(self, still: str | None) -> Producer:
        return ShardProducer(self.settings, self.provider, self.store, still=still, shard=self.shard)

    def _settle(self, key: str, outcome: Outcome, tag, text: str, page: str, page_dir: str) -> str | None:
        if outcome.status == SHARED:  # as a build counts a cached animation, without its file
            self.summary.animated += 1
            self.summary.cached.add(key)
            return None
        return super()._settle(key, outcome, tag, text, page, page_dir)

    def _replay(self, record: dict, text: str, page: str, resolve) -> str | None:
        """Every page is planned afresh: its images go through the shard's producer, which shares local hits."""
        return None

    def line(self) -> str:
        """What this shard was given, beside the build's summary."""
        producer = self.producer
        assert isinstance(producer, ShardProducer)
        mine, theirs = len(producer.owned), len(producer.others)
        which = f"shard {self.shard}" if self.shard.count > 1 else "all shards"
        return f"{which}: {mine} of the site's {mine + theirs} animation(s) are its own"
