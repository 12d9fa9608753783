"""CI accuracy gate: figures on our committed gold sets must not fall below the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder import evaluate as ev
from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.store import Store

DATA = Path(__file__).parent / "data"
FLOORS = json.loads((DATA / "accuracy_floors.json").read_text())


ROOT = Path(__file__).resolve().parents[1]


def measure(name: str, tmp_path: Path) -> dict[str, float]:
    """The figures `eventcoder evaluate` reports for one committed gold set (a name under tests/data,
    or a path from the project root such as eval/news/test.json)."""
    path = DATA / name if (DATA / name).exists() else ROOT / name
    gold = ev.load_gold(path)
    if ev.is_news_gold(gold):
        corpus = path.parent / gold["corpus"]
        if not corpus.exists():
            pytest.skip(f"the news gold's articles are in the team's reference data at {corpus.resolve()}")
        ids = {ev.gold_name(d["file"]) for d in gold["documents"]}
        with Store(tmp_path / "gate.duckdb") as store:
            LocalEngine().run([ev.news_corpus_subset(corpus, ids, tmp_path / "articles.jsonl")], store)
            return ev.score_news_store(gold, store).to_dict()
    if ev.is_document_gold(gold):
        with Store(tmp_path / "gate.duckdb") as store:
            LocalEngine().run([sample_corpus_path()], store)
            return ev.score_document_store(gold, store).to_dict()
    records = ev.load_sentence_gold(gold)
    return ev.score_sentences(records, ev.code_sentence_records(records, LocalEngine())).to_dict()


@pytest.mark.parametrize("name", [k for k in FLOORS if not k.startswith("_")])
def test_accuracy_does_not_drop_below_floor(name, tmp_path):
    figures = measure(name, tmp_path)
    below = {k: (figures[k], floor) for k, floor in FLOORS[name].items() if figures[k] + 1e-9 < floor}
    assert not below, f"{name}: figures below their floors (measured, floor): {below}"
