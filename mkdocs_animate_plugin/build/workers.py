"""The worker processes: CPU work that Python's GIL would serialize (the local animator's drawing, with the
encoder it feeds) runs in them, one per core, through `run_in_process`.

As many workers as cores, started on first use (a warm build starts none) and kept for the build. Each is a fresh
interpreter (`python -c`, small: numpy and Pillow, never MkDocs and the pages) that runs one task at a time, sent and
answered as pickles over its stdin and stdout. Not multiprocessing's spawn: that imports the caller's main script
again in every worker, which breaks a build script without an `if __name__` guard. Not a fork: a fork copies a
build's threads' locks mid-use. The workers are this process's children, so their CPU time (and their ffmpeg's)
counts as the build's.
"""

from __future__ import annotations

import atexit
import os
import struct
import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import AnimateError

T = TypeVar("T")


def cores() -> int:
    """The cores this process may use: its CPU affinity (a container's or `taskset`'s limit), else the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


_HEADER = struct.Struct("<Q")


class _Worker:
    def __init__(self) -> None:
        import subprocess  # here: a warm build starts no worker

        # The worker finds the package as this process does, whatever put it on the path. glibc's malloc, left to
        # itself, raises the size from which a block gets a mapping of its own (returned when freed) to the largest
        # block freed so far: after one decoded camera photo, every frame-sized array would come from a heap that
        # keeps what was freed, for the rest of the build. A fixed size keeps that heap small (other C libraries
        # ignore the variable; benchmarks/cold_build.py measures it).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        env["MALLOC_MMAP_THRESHOLD_"] = str(4 << 20)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mkdocs_animate_plugin.build.workers import _serve; _serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )  # fmt: skip

    def call(self, function: Callable[..., T], args: tuple) -> T:
        import pickle

        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            _send(self.proc.stdin, (function, args))
            ok, value = _receive(self.proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.stop()
            name = getattr(function, "__name__", "its task")
            raise AnimateError(f"a worker process died running {name} (out of memory?)") from None
        if ok:
            return value
        raise value

    def stop(self) -> None:
        import subprocess

        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()  # the worker's loop ends at the end of its input
            except OSError:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _send(stream, value: object) -> None:
    import pickle

    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream) -> tuple:
    import pickle

    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    return pickle.loads(stream.read(_HEADER.unpack(header)[0]))


def _serve() -> None:
    """A worker's loop: run each task it is sent and send back its result, or the exception it raised. It ends
    when its input does (the build closed it, or ended), or quietly on Ctrl-C, which stops the build too."""
    import pickle

    _end_with_parent()
    channel_in, channel_out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the channel
    try:
        while True:
            try:
                function, args = _receive(channel_in)
            except EOFError:
                return
            try:
                answer: tuple = (True, function(*args))
            except Exception as error:  # handed to the caller, which raises it
                answer = (False, error)
            try:
                _send(channel_out, answer)
            except (pickle.PicklingError, TypeError, AttributeError):
                _send(channel_out, (False, AnimateError(f"{type(answer[1]).__name__}: {answer[1]}")))
    except (KeyboardInterrupt, BrokenPipeError):
        return


def _end_with_parent() -> None:
    """A worker stops within a second of the build that started it being killed, not after its clip: it watches
    for the build to be gone (it is then adopted by another process). Its ffmpeg then reads the end of its input."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="animate-parent-watch", daemon=True).start()


_idle: list[_Worker] = []
_started = 0
_users = 0
_lock = threading.Condition()


def run_in_process(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` in a worker process (a module-level function, arguments that pickle), waited for; its
    exception is raised here. At most one task per core runs at once; more wait for a free worker."""
    global _started
    with _lock:
        while not _idle and _started >= cores():
            _lock.wait()
        if _idle:
            worker = _idle.pop()
        else:
            _started += 1
            worker = None
    try:
        worker = worker or _Worker()
        result = worker.call(function, args)
    except BaseException:
        if worker is not None and worker.proc.poll() is not None:
            worker = None  # dead: another is started when needed
        raise
    finally:
        with _lock:
            if worker is not None:
                _idle.append(worker)
            else:
                _started -= 1
            _lock.notify()
    return result


def run_once(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` in a worker process of its own, stopped once it has answered: for work whose memory must
    be gone when it is done (the `text` extra's model). It does not count against the workers of `run_in_process`."""
    worker = _Worker()
    try:
        return worker.call(function, args)
    finally:
        worker.stop()


def hold() -> None:
    """A scheduler starts using the workers."""
    global _users
    with _lock:
        _users += 1


def release() -> None:
    """The last scheduler to close stops the idle workers (every task was waited for by then)."""
    global _users
    with _lock:
        _users = max(0, _users - 1)
        if _users:
            return
    stop_workers()


def stop_workers() -> None:
    global _started
    with _lock:
        workers = list(_idle)
        _idle.clear()
        _started -= len(workers)
    for worker in workers:
        worker.stop()


atexit.register(stop_workers)
