"""benchmarks/crossfit.py: folds by article, the fold gold files, and settings overrides (the training
and scoring themselves need ../shared and minutes; they are run by hand, docs/accuracy.md)."""

from __future__ import annotations

import json

import pytest

from conftest import load_script
from eventcoder import settings
from eventcoder.evaluate import news_gold_subset


@pytest.fixture(scope="module")
def crossfit():
    return load_script("benchmarks/crossfit.py", "crossfit_bench")


def test_folds_split_the_training_articles_evenly_and_reproducibly(crossfit) -> None:
    folds = crossfit.folds_of(2)
    gold = json.loads(crossfit.TRAIN.read_text(encoding="utf-8"))
    assert set(folds) == {d["file"] for d in gold["documents"]}
    sizes = [sum(1 for f in folds.values() if f == k) for k in (0, 1)]
    assert abs(sizes[0] - sizes[1]) <= 1
    assert crossfit.folds_of(2) == folds and set(crossfit.folds_of(3).values()) == {0, 1, 2}


def test_a_fold_gold_keeps_only_its_articles_events(crossfit, tmp_path) -> None:
    folds = crossfit.folds_of(2)
    keep = {a for a, f in folds.items() if f == 0}
    sub = json.loads(news_gold_subset([crossfit.TRAIN], keep, tmp_path / "g.json").read_text(encoding="utf-8"))
    assert {d["file"] for d in sub["documents"]} == keep
    assert sub["events"] and all(e["docs"][0] in keep for e in sub["events"])
    assert sub["corpus"].endswith("guardian_sdf_sample.jsonl") and sub["corpus"].startswith("/")


def test_settings_are_overridden_by_literal_and_unknown_names_refused(crossfit, monkeypatch) -> None:
    monkeypatch.setattr(settings, "PREFILTER_MODEL_MARGIN", settings.PREFILTER_MODEL_MARGIN)
    crossfit.override(["PREFILTER_MODEL_MARGIN=-0.2"])
    assert settings.PREFILTER_MODEL_MARGIN == -0.2
    with pytest.raises(SystemExit, match="no setting"):
        crossfit.override(["NO_SUCH_SETTING=1"])
