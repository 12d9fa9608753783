"""Files shipped in the package's ``data/`` directory."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def load_packaged(name: str, read: Callable[[Path], T]) -> T | None:
    """``read`` applied to the shipped ``data/<name>`` (a real path even from a zipped install), or
    None when the package carries no such file (the trained models are optional)."""
    path = resources.files("eventcoder") / "data" / name
    if not path.is_file():
        return None
    with resources.as_file(path) as p:
        return read(p)
