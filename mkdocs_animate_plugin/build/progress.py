"""Progress while animations are made: an animation counts as made when its file is in the cache.

On a terminal, a live line (rewritten each second); with output piped (a CI log), a plain line through MkDocs'
logger every `LOG_EVERY` seconds. Nothing at all while there is no work, so a warm build prints only its summary.
The line starts once every page is planned (`counted`): its total is then what the build makes, and never grows,
though the work starts as soon as the first page is planned.
"""

from __future__ import annotations

import sys
import threading
import time

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("animate")

LOG_EVERY = 30.0  # seconds between two progress lines in a piped log


class Progress:
    def __init__(self, interval: float | None = None) -> None:
        self.total = self.made = self.failed = 0
        self._lock = threading.Lock()
        self._started: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._counted = False
        self._live = sys.stderr.isatty()
        self._interval = interval or (1.0 if self._live else LOG_EVERY)

    def add(self) -> None:
        """One more animation to make; the first starts the clock."""
        with self._lock:
            self.total += 1
            if self._started is None:
                self._started = time.monotonic()
        if self._counted:  # one found only now (a copy in the shared store that could not be used)
            self._report()

    def counted(self) -> None:
        """Every animation to make has been added: the reporting starts, if there is work."""
        self._counted = True
        if self.total:
            self._report()

    def _report(self) -> None:
        with self._lock:  # `add` may run on the scheduler's thread
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="animate-progress", daemon=True)
        self._thread.start()

    def done(self, made: bool) -> None:
        """An animation is in the cache (`made`), or will not be (failed)."""
        with self._lock:
            if made:
                self.made += 1
            else:
                self.failed += 1

    def line(self) -> str:
        with self._lock:
            made, failed, total, started = self.made, self.failed, self.total, self._started
        elapsed = time.monotonic() - (started or time.monotonic())
        text = f"{made} of {total} animation(s) made, {failed} failed, {_duration(elapsed)}"
        finished = made + failed
        if 0 < finished < total:
            text += f", about {_duration(elapsed / finished * (total - finished))} left"
        return text

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self._live:
                sys.stderr.write("\r\033[Kanimate: " + self.line())
                sys.stderr.flush()
            else:
                log.info(self.line())

    def close(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            if self._live:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
            self._thread = None


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m {seconds % 60:02d}s"
