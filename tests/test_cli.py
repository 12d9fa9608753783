"""End to end through the CLI on the bundled sample corpus, plus the CLI's error handling."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.store import EXPORT_COLUMNS, Store

runner = CliRunner()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    result = runner.invoke(app, ["run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _events(db):
    with Store(db, read_only=True) as store:
        return store.query("SELECT * FROM events ORDER BY event_id")


def test_run_on_bundled_sample_builds_a_dataset(sample_db):
    with Store(sample_db, read_only=True) as store:
        counts = store.counts()
        assert 20 <= counts["articles"] <= 40
        assert counts["mentions"] >= 40
        assert 20 <= counts["events"] < counts["mentions"]  # merging happened
        types = {r["event_type"] for r in store.query("SELECT DISTINCT event_type FROM events")}
        assert len(types) >= 8
        # every mention belongs to an existing event and every event lists its mentions
        orphans = store.query("SELECT count(*) AS n FROM mentions m LEFT JOIN events e USING (event_id) "
                              "WHERE e.event_id IS NULL")[0]["n"]
        assert orphans == 0
        assert store.query("SELECT sum(n_mentions) AS n FROM events")[0]["n"] == counts["mentions"]
        arts = store.query("SELECT article_id, published, published_basis, text FROM articles")
        assert all(a["published"] is not None for a in arts)
        assert not any("Follow us" in a["text"] for a in arts)


def test_rerun_adds_nothing_and_keeps_event_ids(sample_db):
    before = _events(sample_db)
    result = runner.invoke(app, ["run", "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    after = _events(sample_db)
    assert [e["event_id"] for e in before] == [e["event_id"] for e in after]
    with Store(sample_db, read_only=True) as store:
        assert store.counts()["mentions"] == sum(e["n_mentions"] for e in after)


@pytest.mark.parametrize("table", list(EXPORT_COLUMNS))
def test_export_jsonl_and_csv_follow_the_contract(sample_db, table):
    result = runner.invoke(app, ["export", table, "--db", str(sample_db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if table != "rejects":
        assert rows, f"no {table} exported"
    for row in rows:
        assert list(row) == EXPORT_COLUMNS[table]
    result = runner.invoke(app, ["export", table, "--db", str(sample_db), "--format", "csv"])
    assert result.exit_code == 0
    reader = csv.reader(io.StringIO(result.stdout))
    assert next(reader) == EXPORT_COLUMNS[table]
    assert sum(1 for _ in reader) == len(rows)


def test_export_events_jsonl_values(sample_db):
    result = runner.invoke(app, ["export", "events", "--db", str(sample_db)])
    ev = [json.loads(line) for line in result.stdout.splitlines()]
    for e in ev:
        assert e["event_type"] in {
            "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
            "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
        assert e["quad_class"] in (1, 2, 3, 4)
        assert e["date"] is None or len(e["date"]) == 10
        assert e["date_precision"] in ("day", "month", "year")
        assert e["n_mentions"] == len(e["mention_ids"])
        for a in e["source"] + e["target"]:
            assert set(a) == {"text", "name", "country", "sector", "actor_id"}


def test_export_parquet(sample_db, tmp_path):
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "events", "--db", str(sample_db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column_names == EXPORT_COLUMNS["events"]


def test_timeline_dyad(sample_db):
    result = runner.invoke(app, ["timeline", "--db", str(sample_db), "--dyad", "AZE:TUR"])
    assert result.exit_code == 0, result.output
    assert "AZE" in result.stdout and "TUR" in result.stdout


def test_code_prints_events_with_reasons():
    result = runner.invoke(app, ["code", "Turkish troops shelled the Syrian town of Afrin on Tuesday.",
                                 "--date", "2018-03-01"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    ev = out["events"][0]
    assert ev["event_type"] == "ASSAULT"
    assert ev["source"][0]["country"] == "TUR"
    assert ev["date"] == "2018-02-27"
    assert ev["mentions"][0]["trigger"] == "shelled" and ev["mentions"][0]["rule"]


def test_code_explain_lists_every_word_considered_and_its_fate():
    """--explain: the kept event, a negated act and a wish each appear at their offset with their reason;
    without it there is no such key."""
    text = ("Turkish jets struck Kurdish positions in northern Syria on Monday. Ankara did not attend the talks "
            "in Geneva. The minister wants to join the alliance.")
    result = runner.invoke(app, ["code", text, "--date", "2021-10-05", "--explain"])
    assert result.exit_code == 0, result.output
    considered = {c["word"]: c for c in json.loads(result.stdout)["considered"]}
    assert considered["struck"] == {"start": text.index("struck"), "word": "struck", "event_type": "ASSAULT",
                                    "outcome": "kept"}
    assert considered["attend"]["outcome"] == "negated"
    assert considered["wants"]["outcome"].startswith("a wish of one's own")
    plain = runner.invoke(app, ["code", text, "--date", "2021-10-05"])
    assert "considered" not in json.loads(plain.stdout)


def test_missing_input_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output


def test_unwritable_database_is_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    (tmp_path / "a.txt").write_text("Turkey and Azerbaijan held talks in Baku on Monday.")
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(blocker / "db.duckdb")])
    assert result.exit_code == 1
    assert "cannot open database" in result.output


def test_bad_date_option_is_one_line_error():
    result = runner.invoke(app, ["code", "Turkey met Iran.", "--date", "yesterday"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_every_command_has_help():
    for name in ("run", "export", "timeline", "code", "show", "evaluate"):
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert len(result.stdout.strip().splitlines()) > 3


def test_show_prints_every_supporting_sentence(sample_db):
    with Store(sample_db, read_only=True) as store:
        e = store.query("SELECT event_id, n_mentions FROM events ORDER BY n_mentions DESC, event_id LIMIT 1")[0]
        sentences = [r["sentence"] for r in store.query("SELECT sentence FROM mentions WHERE event_id = ?",
                                                         [e["event_id"]])]
    result = runner.invoke(app, ["show", e["event_id"], "--db", str(sample_db)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert e["n_mentions"] >= 2
    for s in sentences:
        assert s.split()[0] in result.stdout and "rule" in result.stdout
    result = runner.invoke(app, ["show", "ev_missing", "--db", str(sample_db)])
    assert result.exit_code == 1 and "no event" in result.output


def test_export_dyads_gives_a_row_per_source_target_pair(tmp_path):
    from eventcoder.models import Actor, Article, Event, Mention, Place
    from eventcoder.store import DYAD_COLUMNS

    db = tmp_path / "d.duckdb"
    a1, a2, b = Actor("", "Russia", "RUS", "MIL"), Actor("", "Iran", "IRN", "MIL"), Actor("", "Syria", "SYR", "REB")
    m = Mention(mention_id="m1", article_id="x", sentence="s", char_start=0, char_end=1, trigger="t",
                event_type="ASSAULT", mode="aerial", source=[a1, a2], target=[b], date="2018-01-01",
                date_end="2018-01-01", date_precision="day", date_basis="explicit", event_id="e1", sentence_index=3)
    lone = Mention(mention_id="m2", article_id="x", sentence="s", char_start=2, char_end=3, trigger="t",
                   event_type="PROTEST", mode="demo", source=[b], target=[], date="2018-01-02", date_end="2018-01-02",
                   date_precision="day", date_basis="explicit", event_id="e2", sentence_index=5)
    place = Place("Idlib", "SYR", "12", 35.9, 36.6, 169389, "city")
    events = [Event("e1", "ASSAULT", "aerial", [a1, a2], [b], "2018-01-01", "2018-01-01", "day", "explicit", place,
                    "195", -10.0, 4, 0.9, 1, 1, ["m1"], 1),
              Event("e2", "PROTEST", "demo", [b], [], "2018-01-02", "2018-01-02", "day", "explicit", None,
                    "141", -6.5, 4, 0.8, 1, 1, ["m2"], 1)]
    with Store(db) as store:
        store.write_batch([Article("x", "text", published="2018-01-02", source="Wire", content_hash="h")],
                          [m, lone], [])
        store.replace_events(events, [m, lone])
    result = runner.invoke(app, ["export", "dyads", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["source_country"], r["target_country"]) for r in rows] == [("IRN", "SYR"), ("RUS", "SYR"), ("SYR", None)]
    assert list(rows[0]) == DYAD_COLUMNS
    assert rows[0]["story_ids"] == ["x"] and rows[0]["sentences"] == ["x:3"] and rows[0]["publishers"] == ["Wire"]
    assert rows[0]["place_name"] == "Idlib" and rows[0]["latitude"] == 35.9 and rows[0]["quad_class"] == 4
