"""Which coder made a mention: the package version plus a short hash of the shipped data files.

Two installs with the same ``__version__`` but different lexicons, dictionaries or trained models
(a local edit of ``data/triggers.tsv``, a retrained ``data/type_model.json``) code differently, so
``Mention.coder_version`` is ``"<version>+<hash>"``: the first 8 hex digits of the SHA-256 of every
file under ``eventcoder/data`` (names and bytes, in name order). It is computed once per process.
User dictionaries passed at run time are not part of it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources

from eventcoder import __version__


@lru_cache(maxsize=1)
def data_hash() -> str:
    """First 8 hex digits of the SHA-256 over the names and contents of the shipped data files."""
    digest = hashlib.sha256()
    root = resources.files("eventcoder") / "data"
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode("utf-8") + b"\0")
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:8]


def coder_version() -> str:
    """``eventcoder.__version__`` plus the data hash, e.g. ``"0.1.0+3f2a9c1d"``."""
    return f"{__version__}+{data_hash()}"


def utc_now() -> str:
    """The current UTC time as ISO 8601 with seconds and a ``Z``: ``"2024-05-01T12:00:00Z"``."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
