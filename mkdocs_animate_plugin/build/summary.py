"""What a build did with each image, counted for the one summary line, and its problems warned about once each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

if TYPE_CHECKING:
    from ..cache import Entry
    from ..selection.rules import LeftStill

log = get_plugin_logger("animate")


@dataclass(frozen=True)
class Outcome:
    """What became of one animation: made now, found in the cache, skipped (budget, offline) or failed."""

    status: str  # "new", "cached", "skipped", "failed"
    entry: Entry | None = None
    reason: str = ""  # for a failure: what went wrong
    quiet: bool = False  # a failure already reported once (all calls stopped after a refused key)
    still: LeftStill | None = None  # for a skip: why the image is left still
    cost: float | None = None  # US dollars of the clip it paid for in this build (see `providers.base.Clip`)
    cost_reported: bool = False  # the provider reported it (else it is the provider's estimate)


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
    spent: float = 0.0  # US dollars the provider reported for them
    reported: int = 0  # how many of them it reported on
    estimate: float = 0.0  # the provider's own estimates for some of the others
    estimated: int = 0  # how many

    def cost(self) -> str:
        """What the new paid clips cost: what the provider reported, and an estimate only for those it did not
        report on (the provider's, else `cost_per_clip`)."""
        if not self.paid_clips:
            return "$0.00 spent"
        rest = max(0, self.paid_clips - self.reported - self.estimated)
        guess = self.estimate + rest * self.cost_per_clip
        if self.reported and self.reported >= self.paid_clips:
            return f"${self.spent:.2f} spent"
        if not self.reported:
            return f"estimated ${guess:.2f}"
        return f"${self.spent:.2f} spent, estimated ${guess:.2f} more"

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
            text += f"; {self.paid_clips} new paid clip(s), {self.cost()}"
        return text


class Report:
    """Where each animation is shown (for its warnings) and the build's counts."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self._pages: dict[str, list[str]] = {}  # key -> pages that show it
        self._sources: dict[str, str] = {}  # key -> the image as a page names it
        self._warned: set[str] = set()
        self._costed: set[str] = set()

    def note(self, key: str, page: str, src: str) -> None:
        self._pages.setdefault(key, []).append(page)
        self._sources.setdefault(key, src)

    def still(self, page: str, src: str, left: LeftStill) -> None:
        """An image left still before any work: counted under its reason, and a warning where the author can act."""
        if left.warn:
            log.warning(f"Couldn't animate '{src}' in '{page}': {left.detail}")
        self.summary.skipped[left.reason] += 1

    def settled(self, key: str, outcome: Outcome, page: str) -> None:
        """Count an image whose work is done: shown, left still, or failed (warned about once per animation)."""
        if outcome.cost is not None and key not in self._costed:  # once per animation, however many pages show it
            self._costed.add(key)
            if outcome.cost_reported:
                self.summary.spent += outcome.cost
                self.summary.reported += 1
            else:
                self.summary.estimate += outcome.cost
                self.summary.estimated += 1
        if outcome.entry is not None:
            self.summary.animated += 1
            (self.summary.new if outcome.status == "new" else self.summary.cached).add(key)
        elif outcome.status == "failed":
            self.summary.failed += 1
            self._warn(key, page, outcome.reason, outcome.quiet)
        elif outcome.still is not None:
            self.summary.skipped[outcome.still.reason] += 1
            self._warn(key, page, outcome.still.detail, not outcome.still.warn)

    def _warn(self, key: str, page: str, problem: str, quiet: bool) -> None:
        """One warning per animation, however many pages show it."""
        if key not in self._warned and not quiet:
            self._warned.add(key)
            others = len(self._pages.get(key, [])) - 1
            also = f" (and {others} other page(s))" if others > 0 else ""
            log.warning(f"Couldn't animate '{self._sources.get(key)}' in '{page}'{also}: {problem}")
