"""One site-wide queue: identical work is done once, at most `concurrency` jobs run at a time, and pages wait only
for their own images.

MkDocs renders every page's content before it writes any page, so jobs are submitted while pages render and
collected when they are written. The jobs are coroutines on an event loop in a thread of its own (the network
providers are async); their CPU work runs in the worker processes of `workers.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from . import workers

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures

T = TypeVar("T")


class Resolved(Generic[T]):
    """The result of work that was never queued (a cache hit, a skip): as a future's, without its lock, since a
    warm build has one per image."""

    def __init__(self, value: T) -> None:
        self.value = value

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> T:
        return self.value

    def cancel(self) -> bool:
        return False


class Scheduler(Generic[T]):
    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self._futures: dict[str, concurrent.futures.Future[T] | Resolved[T]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._slots: asyncio.Semaphore | None = None
        self._cpu: asyncio.Semaphore | None = None

    def _start(self) -> asyncio.AbstractEventLoop:
        import asyncio  # a warm build, all from the cache, never starts the loop

        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._slots = asyncio.Semaphore(self.concurrency)
            # CPU work at once: one per core, and never more than `concurrency` (for the local animator the
            # drawing is the generation).
            self._cpu = asyncio.Semaphore(min(workers.cores(), self.concurrency))
            workers.hold()
            self._thread = threading.Thread(target=self._loop.run_forever, name="animate-scheduler", daemon=True)
            self._thread.start()
        return self._loop

    def known(self, key: str) -> concurrent.futures.Future[T] | Resolved[T] | None:
        return self._futures.get(key)

    def done(self, key: str, value: T) -> None:
        """Record a result that needed no work (a cache hit, a skip) under `key`."""
        self._futures[key] = Resolved(value)

    def submit(self, key: str, job: Callable[[], Awaitable[T]]) -> concurrent.futures.Future[T] | Resolved[T]:
        """Run `job` once per key; the same key returns the same future. The job takes a `slot()` for the part
        that `concurrency` bounds (the provider's work), so that encoding does not hold a generation slot."""
        if key in self._futures:
            return self._futures[key]
        import asyncio

        future = asyncio.run_coroutine_threadsafe(job(), self._start())
        self._futures[key] = future
        return future

    def slot(self) -> asyncio.Semaphore:
        """One of the `concurrency` places for work in flight (use as `async with scheduler.slot():`)."""
        assert self._slots is not None
        return self._slots

    def cpu(self) -> asyncio.Semaphore:
        """One of the places for CPU work (drawing, encoding): as many as the machine has cores, at most
        `concurrency`."""
        assert self._cpu is not None
        return self._cpu

    def call(self, coroutine: Awaitable[T]) -> T:
        """Run one coroutine on the scheduler's loop and wait for it (for clean-up on that loop)."""
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self._start()).result()  # type: ignore[arg-type]

    @property
    def started(self) -> bool:
        return self._loop is not None

    def close(self) -> None:
        """Cancel what has not run (an interrupted build) and stop the loop's thread."""
        for future in self._futures.values():
            future.cancel()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            assert self._thread is not None
            self._thread.join(timeout=30)
            if not self._loop.is_running():
                self._loop.close()
            self._loop = None
            workers.release()
