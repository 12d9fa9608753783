"""Exclusive advisory file locks (POSIX ``flock``) taken within a time limit.

The run lock (``DB.lock``, store.py) and the corrections journal's lock (``DB.corrections.lock``,
corrections.py) both poll a non-blocking ``flock`` until it is granted or their wait runs out.
"""

from __future__ import annotations

import time
from typing import IO


def flock_within(fh: IO[str], wait: float, poll: float) -> bool:
    """Take an exclusive ``flock`` on ``fh``, trying every ``poll`` seconds for up to ``wait``
    seconds; True once held, False when the wait ran out (``fh`` is left open either way).
    Raises ImportError where there is no ``fcntl`` (Windows)."""
    import fcntl

    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
