"""Values derived from shipped data, kept on disk so each worker process loads them in milliseconds.

Every worker (local or Spark) builds the same structures from the same files: the actor phrase
index, the type model's weights. :func:`cached` stores such a value with :mod:`marshal` in the
cache directory (``$EVENTCODER_CACHE_DIR`` or ``~/.cache/eventcoder``) under a name derived from
what it was built from, so a change of input gives a new file. A missing, unreadable or
malformed file is rebuilt; a cache directory that cannot be written only costs the time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """Where derived data is cached: ``$EVENTCODER_CACHE_DIR``, else ``$XDG_CACHE_HOME/eventcoder``
    or ``~/.cache/eventcoder``."""
    env = os.environ.get("EVENTCODER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventcoder"


def cached(name: str, key: bytes, build: Callable[[], T], valid: Callable[[Any], bool] = lambda _: True) -> T:
    """``build()``'s value, from ``<cache dir>/<name>-<digest of key>.marshal`` when that file holds a
    value ``valid`` accepts, else built and written there (atomically). The value must be made of
    marshal's types (numbers, strings, bytes, tuples, lists, dicts, sets)."""
    path = cache_dir() / f"{name}-{hashlib.sha1(key).hexdigest()[:20]}.marshal"
    try:
        with path.open("rb") as fh:
            value = marshal.load(fh)
        if valid(value):
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            marshal.dump(value, fh)
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
    return value
