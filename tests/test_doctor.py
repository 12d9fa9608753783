"""`eventcoder doctor` and `--version`: what is installed, what is absent and how to add it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder import __version__
from eventcoder.cli import app
from eventcoder.doctor import checks, chromium_path

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"eventcoder {__version__}"


def test_doctor_lists_every_part_and_how_to_add_the_absent_ones() -> None:
    found = {c.name: c for c in checks()}
    for name in ("spaCy English model", "Spark engine (pyspark)", "Java for Spark", "browser tests: Chromium",
                 "place index cache"):
        assert name in found
    assert found["spaCy English model"].ok and found["spaCy English model"].required
    for c in found.values():
        assert c.ok or c.fix, f"{c.name} is absent and says nothing on how to add it"
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in found:
        assert name in result.output


def test_chromium_is_found_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("CHROMIUM", str(fake))
    assert chromium_path() == str(fake)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium_path() is None
    assert os.environ["PATH"] == str(tmp_path)
