"""Shared fixtures: the spaCy model once per session, and the location of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def require_shared(*parts: str) -> Path:
    """The path inside ../shared, or skip the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the team's reference data at {path} (not shipped with the package)")
    return path


@pytest.fixture(scope="session")
def nlp():
    from eventcoder.pipeline.nlp import load_nlp

    return load_nlp()
