"""Run limits: maximum article size, maximum file size and a per-run time budget, with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.engines.local import LocalEngine
from eventcoder.store import Store

runner = CliRunner()
STORIES = [
    "Turkish President Erdogan met Azerbaijani President Aliyev in Baku on October 5, 2021.",
    "Armenia accused Azerbaijan of shelling border villages on October 6, 2021.",
    "Russia and Ukraine held talks in Minsk on October 7, 2021 about the ceasefire.",
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for i, text in enumerate(STORIES):
        (d / f"{i}.txt").write_text(text)
    (d / "big.txt").write_text("Turkey and Azerbaijan held talks. " * 200)  # 6,800 bytes
    return d


@pytest.fixture(scope="module")
def engine(nlp) -> LocalEngine:  # noqa: ANN001
    return LocalEngine(nlp=nlp)


def test_article_and_file_limits_become_reject_rows(engine: LocalEngine, corpus: Path) -> None:
    with Store(":memory:") as store:
        summary = engine.run([corpus], store, max_article_chars=5_000, max_file_bytes=1_000_000)
        assert [r.reason for r in summary.rejects] == ["article too large: 6800 chars > limit 5000"]
        summary = engine.run([corpus], store, max_file_bytes=1_000)
        reasons = sorted(r["reason"] for r in store.query("SELECT reason FROM rejects"))
        assert reasons == ["article too large: 6800 chars > limit 5000", "file too large: 6800 bytes > limit 1000"]
        assert store.counts()["articles"] == 3


def test_time_budget_stops_after_a_committed_batch_and_a_rerun_continues(engine: LocalEngine, corpus: Path) -> None:
    with Store(":memory:") as store:
        first = engine.run([corpus], store, batch_size=1, time_budget=0)
        assert first.stopped_early and first.articles_new == 1 and first.articles_pending == 3
        counts = store.counts()
        assert counts["articles"] == 1
        assert store.query("SELECT count(*) AS n FROM mentions WHERE event_id IS NULL")[0]["n"] == 0  # merged
        second = engine.run([corpus], store, batch_size=1)
        assert not second.stopped_early
        assert second.articles_unchanged == 1 and second.articles_new == 3
        assert store.counts()["articles"] == 4


def test_cli_limits_and_budget_messages(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--batch-size", "1", "--time-budget", "0",
                                 "--max-file-mb", "0.005", "--max-article-chars", "100"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "time budget of 0 s used up: stopped after a committed batch with 2 new articles left; " \
           "re-run the same command to continue" in out
    assert "file too large: 6800 bytes > limit 5000" in out
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--max-article-chars", "100"])
    assert result.exit_code == 0 and "time budget" not in result.output
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 3
        reasons = sorted(r["reason"] for r in store.query("SELECT reason FROM rejects"))
        assert reasons == ["article too large: 6800 chars > limit 100", "file too large: 6800 bytes > limit 5000"]


def test_limits_have_settings_defaults() -> None:
    from eventcoder import settings

    assert settings.MAX_ARTICLE_CHARS > 0 and settings.MAX_FILE_BYTES > 0
    assert settings.RUN_TIME_BUDGET_SECONDS is None
    result = runner.invoke(app, ["run", "--help"])
    for opt in ("--max-article-chars", "--max-file-mb", "--time-budget", "--wait"):
        assert opt in result.output
