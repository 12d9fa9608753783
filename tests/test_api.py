"""The Python API (issue #18): eventcoder.code / run / open and the table readers."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

import eventcoder
from eventcoder.errors import EventcoderError
from eventcoder.models import Actor, Event
from eventcoder.store import DYAD_COLUMNS, EXPORT_COLUMNS

ARTICLES = [
    {"id": "x1", "date": "2014-03-01", "title": "Talks in London",
     "text": "The US Secretary of State met the British Prime Minister in London on Friday. "
             "Turkish troops shelled the Syrian town of Afrin on Tuesday."},
    {"id": "x2", "date": "2021-10-27", "title": "Baku",
     "text": "Azerbaijan and Turkey signed a defence agreement in Baku on Monday."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> tuple[Path, object]:
    d = tmp_path_factory.mktemp("api")
    corpus = d / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    path = d / "api.duckdb"
    summary = eventcoder.run(corpus, db=path)
    return path, summary


def test_import_is_cheap():
    code = "import sys, eventcoder; print(sorted(m for m in ('spacy', 'duckdb', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert set(eventcoder.__all__) <= set(dir(eventcoder))
    with pytest.raises(AttributeError):
        eventcoder.no_such_function  # noqa: B018


def test_code_returns_typed_events_as_the_cli_prints_them():
    events = eventcoder.code("The US Secretary of State met the British Prime Minister in London.",
                             date="2018-06-01")
    assert events and all(isinstance(e, Event) for e in events)
    assert all(isinstance(a, Actor) for a in events[0].source + events[0].target)
    assert [a.name for a in events[0].source + events[0].target] == ["Mike Pompeo", "Theresa May"]
    assert events[0].date == "2018-06-01" and events[0].event_type == "CONSULT"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"text": "Talks were held.", "date": "1 March 2014"}, "date must be YYYY-MM-DD"),
    ({"text": "   "}, "no text to code"),
])
def test_code_rejects_bad_input_with_typed_errors(kwargs, message):
    with pytest.raises(EventcoderError, match=message):
        eventcoder.code(**kwargs)


def test_run_codes_into_the_database_and_returns_the_summary(db):
    _, summary = db
    assert summary.articles_new == 2 and summary.events_total >= 2


def test_open_reads_the_tables_as_arrow(db):
    path, summary = db
    with eventcoder.open(path) as d:
        events = d.events()
        mentions = d.mentions(as_="arrow")
        dyads = d.dyads()
        assert isinstance(events, pa.Table) and events.column_names == EXPORT_COLUMNS["events"]
        assert events.num_rows == summary.events_total
        assert mentions.column_names == EXPORT_COLUMNS["mentions"] and mentions.num_rows == summary.mentions_total
        assert dyads.column_names == DYAD_COLUMNS and dyads.num_rows >= events.num_rows
        assert d.articles().num_rows == 2 and d.rejects().num_rows == 0
        # actors are nested structs with their stable id
        names = {a["name"]: a["actor_id"] for row in events.column("source").to_pylist() for a in row}
        assert names["John Kerry"] == "person:JOHN_KERRY"
        assert d.query("SELECT count(*) AS n FROM events WHERE date >= ?", ["2021-01-01"]).column("n")[0].as_py() >= 1


def test_read_functions_equal_the_database_methods(db):
    path, _ = db
    with eventcoder.open(path) as d:
        assert eventcoder.read_events(path).equals(d.events())
        assert eventcoder.read_mentions(path).equals(d.mentions())
        assert eventcoder.read_dyads(path).equals(d.dyads())


def test_pandas_output(db, monkeypatch):
    path, summary = db
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(eventcoder.api.MissingDependency, match="needs pandas"):
            eventcoder.read_events(path, as_="pandas")
        return
    frame = eventcoder.read_events(path, as_="pandas")
    assert list(frame.columns) == EXPORT_COLUMNS["events"] and len(frame) == summary.events_total
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(eventcoder.api.MissingDependency, match="needs pandas"):
        eventcoder.read_events(path, as_="pandas")


def test_unknown_format_and_missing_database_are_typed_errors(db, tmp_path):
    path, _ = db
    with pytest.raises(EventcoderError, match="as_ must be 'arrow' or 'pandas'"):
        eventcoder.read_events(path, as_="excel")  # type: ignore[arg-type]
    with pytest.raises(EventcoderError, match="no database at"):
        eventcoder.open(tmp_path / "nope.duckdb")
