"""diskcache.cached: values built once, then read back; bad files rebuilt; unwritable dirs tolerated."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.util.diskcache import cache_dir, cached


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_value_is_built_once_then_read_from_disk(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict:
        calls.append(1)
        return {(1, 2): [3], "a": (1.5, b"x")}

    assert cache_dir() == cache
    assert cached("thing-v1", b"key", build) == {(1, 2): [3], "a": (1.5, b"x")}
    assert cached("thing-v1", b"key", build) == {(1, 2): [3], "a": (1.5, b"x")}
    assert calls == [1]
    assert len(list(cache.glob("thing-v1-*.marshal"))) == 1
    cached("thing-v1", b"other key", build)  # other inputs, other file
    assert calls == [1, 1] and len(list(cache.glob("thing-v1-*.marshal"))) == 2


def test_broken_or_invalid_files_are_rebuilt(cache: Path) -> None:
    calls: list[int] = []

    def build() -> list:
        calls.append(1)
        return [1, 2]

    cached("thing-v1", b"key", build)
    (path,) = cache.glob("thing-v1-*.marshal")
    path.write_bytes(b"\x00garbage")
    assert cached("thing-v1", b"key", build) == [1, 2] and len(calls) == 2
    assert cached("thing-v1", b"key", build, valid=lambda v: isinstance(v, dict)) == [1, 2] and len(calls) == 3


def test_unwritable_cache_dir_only_costs_the_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(blocker / "cache"))
    assert cached("thing-v1", b"key", lambda: (1,)) == (1,)
    assert cached("thing-v1", b"key", lambda: (2,)) == (2,)  # nothing was kept
