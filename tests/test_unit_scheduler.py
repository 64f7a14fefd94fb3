"""The scheduler in-process: one run per key, at most `concurrency` jobs in their slot at once, close cancels."""

from __future__ import annotations

import asyncio
import threading
import time

from mkdocs_animate_plugin.build.scheduler import Scheduler


def test_the_same_key_runs_once():
    scheduler: Scheduler[int] = Scheduler(2)
    runs = []

    async def job() -> int:
        runs.append(1)
        return 42

    first, second = scheduler.submit("k", job), scheduler.submit("k", job)
    assert first is second and first.result(timeout=10) == 42 and runs == [1]
    scheduler.done("hit", 7)
    assert scheduler.known("hit").result() == 7 and scheduler.submit("hit", job).result() == 7
    scheduler.close()


def test_a_warm_build_never_starts_the_loop():
    scheduler: Scheduler[int] = Scheduler(2)
    scheduler.done("k", 1)
    assert not scheduler.started
    scheduler.close()


def test_at_most_concurrency_jobs_hold_a_slot():
    scheduler: Scheduler[int] = Scheduler(2)
    inside, most = 0, 0
    lock = threading.Lock()

    def job_for(n: int):
        async def job() -> int:
            nonlocal inside, most
            async with scheduler.slot():
                with lock:
                    inside += 1
                    most = max(most, inside)
                await asyncio.sleep(0.02)
                with lock:
                    inside -= 1
            return n

        return job

    futures = [scheduler.submit(str(n), job_for(n)) for n in range(8)]
    assert [f.result(timeout=10) for f in futures] == list(range(8))
    assert most == 2
    scheduler.close()


def test_close_cancels_what_has_not_finished():
    scheduler: Scheduler[int] = Scheduler(1)
    started = threading.Event()

    async def slow() -> int:
        started.set()
        await asyncio.sleep(60)
        return 1

    future = scheduler.submit("slow", slow)
    assert started.wait(10)
    begun = time.monotonic()
    scheduler.close()
    assert future.cancelled() or future.done()
    assert time.monotonic() - begun < 10 and not scheduler.started
