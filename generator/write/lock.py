"""One run at a time: builds, ``add`` and ``site`` hold a lock on the project while they write."""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.problems import GeneratorError

LOCK_FILE = ".reading-list.lock"
TIMEOUT_VARIABLE = "READING_LIST_LOCK_TIMEOUT"
# Long enough for a build of 10,000 papers and its MkDocs run (see BENCHMARKS.md).
DEFAULT_TIMEOUT = 900.0
POLL = 0.1
# Roots this process holds the lock of: `site` builds under the lock it already holds (a
# second flock on a new descriptor would wait for itself).
_HELD: dict[str, int] = {}


def _timeout() -> float:
    """Seconds to wait for the lock: READING_LIST_LOCK_TIMEOUT, else the default."""
    text = os.environ.get(TIMEOUT_VARIABLE, "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise GeneratorError(f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds") from None


@contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the project's lock, waiting (with one line saying so) while another run holds it.

    The kernel releases a flock when its holder exits, however it exits: a killed run never
    leaves the project locked, and the lock file itself may stay.
    """
    path = root / LOCK_FILE
    key = os.path.abspath(path)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise GeneratorError(f"{path}: cannot open the lock file ({error.strerror}); runs take "
                             "it so two never write at once: make the project folder writable"
                             ) from None
    try:
        _acquire(handle, path)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def _acquire(handle: int, path: Path) -> None:
    """Take the lock, waiting up to the timeout; GeneratorError when it never comes free."""
    timeout = _timeout()
    deadline = time.monotonic() + timeout
    waiting = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise GeneratorError(
                f"gave up after {timeout:.0f} s: another run (build, add or make site) still "
                f"holds {path}; let it finish or stop it, then run this again "
                f"({TIMEOUT_VARIABLE} sets how long to wait)"
            )
        if not waiting:
            print(f"waiting for another run in this project to finish (it holds {path}; "
                  f"giving up after {timeout:.0f} s)", file=sys.stderr, flush=True)
            waiting = True
        time.sleep(POLL)
