"""benchmarks/recall_trace.py: how a gold trigger is matched to the coder's trace, and the test split
refused (the full run needs ../shared and is run by hand, docs/accuracy.md)."""

from __future__ import annotations

import sys

import pytest

from conftest import load_script
from eventcoder.pipeline.coder import NOT_PARSED, TraceEntry


@pytest.fixture(scope="module")
def trace_bench():
    return load_script("benchmarks/recall_trace.py", "recall_trace_bench")


def test_a_gold_trigger_takes_the_fate_of_the_traced_word_inside_it(trace_bench) -> None:
    entries = [TraceEntry(10, "struck", "ASSAULT", "kept"), TraceEntry(40, "talks", "CONSULT", "negated"),
               TraceEntry(60, "They said so.", None, NOT_PARSED), TraceEntry(80, "aid", "AID", "kept")]
    assert trace_bench.classify(entries, 10, 16, "ASSAULT") == "kept, gold type"
    assert trace_bench.classify(entries, 76, 90, "COOPERATE") == "kept, another type"  # "with the aid of"
    assert trace_bench.classify(entries, 40, 45, "CONSULT") == "dropped: negated"
    assert trace_bench.classify(entries, 60, 64, "ACCUSE") is None  # a skipped sentence is no proposal
    assert trace_bench.classify(entries, 100, 110, "ASSAULT") is None


def test_the_test_split_is_refused(trace_bench, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["recall_trace.py", "--gold", "eval/news/test.json"])
    assert trace_bench.main() == 2
    assert "never read" in capsys.readouterr().err
