"""A live line on a terminal while animations are made: queued, in flight, done, and the time so far.

Only when stderr is a terminal (a CI log gets the summary line alone), and only while there is work."""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, interval: float = 1.0) -> None:
        self.queued = self.running = self.done = 0
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._interval = interval
        self._enabled = sys.stderr.isatty()

    def add(self) -> None:
        with self._lock:
            self.queued += 1
        if self._enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="animate-progress", daemon=True)
            self._thread.start()

    def start(self) -> None:
        with self._lock:
            self.queued -= 1
            self.running += 1

    def finish(self) -> None:
        with self._lock:
            self.running -= 1
            self.done += 1

    def line(self) -> str:
        seconds = int(time.monotonic() - self._started)
        return (
            f"animate: {self.queued} queued, {self.running} in progress, {self.done} done "
            f"({seconds // 60}m {seconds % 60:02d}s)"
        )

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            sys.stderr.write("\r\033[K" + self.line())
            sys.stderr.flush()

    def close(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._thread = None
