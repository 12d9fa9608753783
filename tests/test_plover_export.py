"""PLOVER JSON export (`export events --format plover`) and the dyadic table's documented columns."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventcoder import plover
from eventcoder.cli import app
from eventcoder.models import Actor, Article, Event, Mention, Place
from eventcoder.store import DYAD_COLUMNS, Store

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[1] / "docs" / "formats.md"

#: Field names of the PLOVER manual (draft 2.0, 2024), Tables 6.1 and 6.4 (top level) and 6.2, 6.3,
#: 6.5, 6.6 (objects), typed here again so that a changed constant in eventcoder.plover fails a test.
MANUAL_EVENT_FIELDS = {
    "id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment", "dead", "injured", "arrested",
}
MANUAL_OBJECT_FIELDS = {
    "actor": {"code", "sector", "entity_text", "identifier_id", "identifier_text", "religion", "ethnicity",
              "office", "gender", "age"},
    "text_info": {"sequence", "start", "end", "text_story"},
    "cite_info": {"corpus", "citation", "url", "title", "language", "publication", "license", "copyright",
                  "coder", "codebook", "version"},
    "event_loc": {"extracted_place", "resolved_place", "geonameid", "lat", "lon", "city", "district", "province",
                  "country", "country_code", "feature_class", "feature_code", "resolution"},
}
MANUAL_OBJECT_FIELDS["recipient"] = MANUAL_OBJECT_FIELDS["actor"]


def test_the_field_constants_are_the_manuals() -> None:
    assert set(plover.EVENT_FIELDS) | set(plover.SIZE_FIELDS) == MANUAL_EVENT_FIELDS
    assert set(plover.ENTITY_FIELDS) == MANUAL_OBJECT_FIELDS["actor"]
    assert set(plover.TEXT_INFO_FIELDS) == MANUAL_OBJECT_FIELDS["text_info"]
    assert set(plover.CITE_INFO_FIELDS) == MANUAL_OBJECT_FIELDS["cite_info"]
    assert set(plover.LOCATION_FIELDS) == MANUAL_OBJECT_FIELDS["event_loc"]
    assert len(plover.EVENT_TYPES) == 16 and set(plover.MODES) <= set(plover.EVENT_TYPES)
    assert len(plover.CONTEXTS) == 37 and "pro_democracy" in plover.CONTEXTS
    assert plover.plover_mode("ASSAULT", "assassinate") == "targeted"
    assert plover.plover_mode("COERCE", "ban") == "restrict" and plover.plover_mode("RETREAT", "return") is None
    assert plover.plover_score("CONSULT", "visit") == 4 and plover.plover_score("CONSULT", None) == 2.5


def _check_record(rec: dict) -> None:
    """Every name is the manual's, and the values have the manual's shapes."""
    assert set(rec) <= MANUAL_EVENT_FIELDS, set(rec) - MANUAL_EVENT_FIELDS
    for required in plover.REQUIRED_EVENT_FIELDS:
        assert required in rec
    for key, names in MANUAL_OBJECT_FIELDS.items():
        values = rec.get(key)
        for obj in values if isinstance(values, list) else [values] if values else []:
            assert set(obj) <= names, (key, set(obj) - names)
    date.fromisoformat(rec["date"])
    if "enddate" in rec:
        assert date.fromisoformat(rec["enddate"]) >= date.fromisoformat(rec["date"])
    assert len(rec["event"]) == 1 and rec["event"][0] in plover.EVENT_TYPES
    etype = rec["event"][0]
    assert rec["quad_code"] == plover.EVENT_TYPES[etype]
    for mode in rec.get("mode", []):
        assert mode in plover.MODES[etype], (etype, mode)
    assert set(rec.get("context", [])) <= plover.CONTEXTS
    assert isinstance(rec["has_event"], bool) and isinstance(rec["event_scale"], int | float)
    for key in ("dead", "injured"):
        assert key not in rec or (isinstance(rec[key], int) and rec[key] >= 0)
    if "coded_date" in rec:
        date.fromisoformat(rec["coded_date"])
        assert re.fullmatch(r"\d\d:\d\d:\d\d", rec["coded_time"])


def _hand_db(path: Path) -> Path:
    a = Actor("gunmen", "Unidentified attackers (Afghanistan)", "AFG", "UAF")
    b = Actor("soldiers", "soldiers", "AFG", "MIL")
    kabul = Place("Kabul", "AFG", "13", 34.53, 69.17, 1138958, "city", "Kabul", None, "P", "PPLC")
    m = Mention(mention_id="m1", article_id="x", sentence="A car bomb killed 12 soldiers in Kabul on Monday.",
                char_start=0, char_end=49, trigger="killed", event_type="ASSAULT", mode="massacre", source=[a],
                target=[b], date="2021-05-31", date_end="2021-05-31", date_precision="day", date_basis="relative",
                location=kabul, event_id="e1", context=["military"], killed=12, coder_version="0.1.0+abcd1234",
                coded_at="2021-06-02T08:30:00Z")
    e = Event("e1", "ASSAULT", "massacre", [a], [b], "2021-05-31", "2021-05-31", "day", "relative", kabul, "190",
              -10.0, 4, 0.9, 1, 1, ["m1"], 1, context=["military", "not-a-context"], killed=12)
    with Store(path) as store:
        store.write_batch([Article("x", "text", title="Blast", published="2021-06-01", source="Wire",
                                   url="https://example.org/x", content_hash="h", language="en")], [m], [])
        store.replace_events([e], [m])
    return path


def test_plover_export_of_a_hand_made_event(tmp_path: Path) -> None:
    db = _hand_db(tmp_path / "h.duckdb")
    result = runner.invoke(app, ["export", "events", "--db", str(db), "--format", "plover"])
    assert result.exit_code == 0, result.output
    (rec,) = [json.loads(line) for line in result.output.splitlines()]
    _check_record(rec)
    assert rec["id"] == "e1" and rec["date"] == "2021-05-31" and rec["event"] == ["ASSAULT"]
    assert rec["mode"] == ["targeted"] and rec["context"] == ["military"] and rec["dead"] == 12
    assert rec["actor"] == [{"code": "AFG", "sector": "UAF", "entity_text": "gunmen",
                             "identifier_text": "Unidentified attackers (Afghanistan)"}]
    assert rec["event_loc"]["province"] == "Kabul" and rec["event_loc"]["feature_code"] == "PPLC"
    assert rec["event_loc"]["resolution"] == 4 and rec["event_loc"]["country"] == "Afghanistan"
    assert rec["text_info"] == {"sequence": 0, "start": 0, "end": 49}
    assert rec["cite_info"]["url"] == "https://example.org/x" and rec["cite_info"]["language"] == "en"
    assert rec["coded_date"] == "2021-06-02" and rec["coded_time"] == "08:30:00"
    assert rec["coder"] == "eventcoder 0.1.0+abcd1234" and rec["event_scale"] == -9.5


def test_plover_is_for_events_only(tmp_path: Path) -> None:
    db = _hand_db(tmp_path / "h.duckdb")
    result = runner.invoke(app, ["export", "mentions", "--db", str(db), "--format", "plover"])
    assert result.exit_code == 1 and "plover exports events" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample coded once per session (the web API tests share the same file)."""
    db = tmp_path_factory.getbasetemp() / "web-sample" / "sample.duckdb"
    if not db.exists():
        db.parent.mkdir(exist_ok=True)
        result = runner.invoke(app, ["run", "--db", str(db), "--quiet"])
        assert result.exit_code == 0, result.output
    return db


def test_plover_export_of_the_sample_uses_only_the_manuals_fields(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.plover.jsonl"
    result = runner.invoke(app, ["export", "events", "--db", str(sample_db), "--format", "plover", "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with Store(sample_db, read_only=True) as store:
        assert len(records) == store.counts()["events"] > 20
    for rec in records:
        _check_record(rec)
    assert any(rec.get("mode") for rec in records) and any(rec.get("context") for rec in records)
    assert any(rec.get("event_loc", {}).get("feature_class") for rec in records)


def _documented_columns(heading: str) -> set[str]:
    """Backquoted names in the first column of the table under ``heading`` in docs/formats.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([a-z_0-9]+)`", line.split("|")[1]))
    return names


def test_every_dyad_column_and_plover_field_is_documented() -> None:
    assert set(DYAD_COLUMNS) <= _documented_columns("## The dyadic table")
    plover_doc = _documented_columns("## PLOVER JSON")
    assert set(plover.EVENT_FIELDS) | set(plover.SIZE_FIELDS) <= plover_doc


def test_dyads_have_the_issues_columns_in_every_format(sample_db: Path, tmp_path: Path) -> None:
    wanted = {"event_id", "event_date", "date_precision", "source_name", "source_country", "source_sector",
              "event_type", "mode", "cameo_code", "goldstein", "quad_class", "target_name", "target_country",
              "target_sector", "story_ids", "sentences", "publishers", "place_name", "admin1", "admin2",
              "place_country", "latitude", "longitude", "feature_code", "feature_class", "context", "killed"}
    assert wanted <= set(DYAD_COLUMNS)
    files = {fmt: tmp_path / f"dyads.{fmt}" for fmt in ("csv", "jsonl", "parquet")}
    for fmt, path in files.items():
        result = runner.invoke(app, ["export", "dyads", "--db", str(sample_db), "--format", fmt, "--out", str(path)])
        assert result.exit_code == 0, result.output
    with files["csv"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    jsonl = [json.loads(line) for line in files["jsonl"].read_text(encoding="utf-8").splitlines()]
    table = pq.read_table(files["parquet"])
    assert list(rows[0]) == list(jsonl[0]) == table.column_names == DYAD_COLUMNS
    assert len(rows) == len(jsonl) == table.num_rows > 20
    placed = [r for r in jsonl if r["place_precision"] == "city"]
    assert placed and all(r["feature_class"] == "P" for r in placed)
    assert any(r["admin1"] and r["admin1_code"] for r in placed)
    assert all(isinstance(r["context"], list) for r in jsonl)
