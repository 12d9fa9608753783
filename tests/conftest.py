"""Shared fixtures: the spaCy model once per session, and the location of ../shared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def require_shared(*parts: str) -> Path:
    """The path inside ../shared, or skip the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the team's reference data at {path} (not shipped with the package)")
    return path


def load_script(relative: str, name: str) -> ModuleType:
    """A script of this repository (``scripts/``, ``benchmarks/``) loaded as a module from its path, and
    registered under ``name`` (so that worker processes can find its functions)."""
    path = Path(__file__).resolve().parents[1] / relative
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def nlp():
    from eventcoder.pipeline.nlp import load_nlp

    return load_nlp()
