"""The columns of issue #18 on the tables: migration 0004, coder version and time, PLOVER context,
admin names and GeoNames feature class/code on places."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

from eventcoder.models import Actor, Article, Mention
from eventcoder.pipeline.cameo import _table, plover_context
from eventcoder.pipeline.merge import merge_mentions
from eventcoder.plover import CONTEXTS
from eventcoder.store import MIGRATIONS, Store
from eventcoder.util.version import coder_version, data_hash

NEW_COLUMNS = {
    "articles": {"language"},
    "mentions": {"context", "killed", "injured", "coder_version", "coded_at"},
    "events": {"context", "killed", "injured"},
}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def test_a_database_made_before_the_columns_gets_them(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in MIGRATIONS[:3]:
        assert name < "0004"
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    con.execute("INSERT INTO articles (article_id, text) VALUES ('a1', 'Old text.')")
    con.execute(
        "INSERT INTO mentions (mention_id, event_id, article_id, sentence, sentence_index, char_start, char_end, "
        "trigger, trigger_start, event_type, source, target, location, is_background, confidence, rule) VALUES "
        "('m1', 'e1', 'a1', 'Old text.', 0, 0, 9, 'text', 4, 'CONSULT', [], [], "
        "{'name': 'Baku', 'country': 'AZE', 'admin1': '09', 'lat': 40.4, 'lon': 49.9, 'geonameid': 587084, "
        "'precision': 'city'}, false, 0.5, '')")
    con.close()
    with Store(db) as store:
        for table, cols in NEW_COLUMNS.items():
            assert cols <= _columns(store.con, table), table
        (m,) = store.load_mentions()  # the old row reads back, new fields empty
        assert m.location is not None and m.location.geonameid == 587084 and m.location.admin1_name is None
        assert (m.context, m.killed, m.coder_version, m.coded_at) == ([], None, None, None)
        assert store.query("SELECT name FROM schema_migrations WHERE name = '0004_interop_columns'")
        indexes = store.query("SELECT count(*) AS n FROM duckdb_indexes() WHERE index_name = 'mentions_article'")
        assert indexes[0]["n"] == 1
    with Store(db) as store:
        assert store.migrate() == []


def test_new_fields_round_trip_through_the_store(tmp_path: Path) -> None:
    m = Mention(mention_id="m1", article_id="a1", sentence="s", char_start=0, char_end=1, trigger="killed",
                event_type="ASSAULT", mode=None, source=[Actor("", "A", "AFG", "UAF")], target=[], date="2021-05-31",
                date_end="2021-05-31", date_precision="day", date_basis="explicit", context=["military"], killed=3,
                injured=7, coder_version="0.1.0+abcdef12", coded_at="2021-06-02T08:30:00Z")
    with Store(tmp_path / "t.duckdb") as store:
        store.write_batch([Article("a1", "s", content_hash="h", language="en")], [m], [])
        (back,) = store.load_mentions()
        assert back.to_dict() == m.to_dict()
        assert isinstance(store.query("SELECT coded_at FROM mentions")[0]["coded_at"], datetime)
        (event,) = merge_mentions([back], {})
        assert (event.context, event.killed, event.injured) == (["military"], 3, 7)
        store.replace_events([event], [back])
        row = store.query("SELECT context, killed, injured FROM events")[0]
        assert row == {"context": ["military"], "killed": 3, "injured": 7}
        assert store.query("SELECT language FROM articles")[0]["language"] == "en"


def test_coded_mentions_say_which_coder_made_them_and_when() -> None:
    from eventcoder.engines.local import code_text

    article, mentions, _ = code_text("Turkey and Azerbaijan held talks in Baku on Monday.", published="2021-10-05")
    assert article.language == "en" and mentions
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{8}", coder_version()) and coder_version().endswith(data_hash())
    for m in mentions:
        assert m.coder_version == coder_version()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.coded_at or "")


def test_context_tags_are_the_manuals() -> None:
    tags = {c for e in _table().values() for c in e.context}
    assert tags and tags <= CONTEXTS
    assert plover_context("190") == ["military"]  # conventional military force
    assert plover_context("173") == ["legal"]  # arrest
    assert "pro_democracy" in plover_context("0811")  # the 2021 table's "democracy"
    assert plover_context("176", "cyber") == ["cyber"]  # a cyber mode brings its context (Table 3.10)
    assert plover_context(None) == [] and plover_context("999") == []


def test_places_carry_admin_names_and_feature_codes() -> None:
    from eventcoder.pipeline.places import Gazetteer

    gaz = Gazetteer.default()
    kabul = gaz.lookup("Kabul", ["AFG"])
    assert kabul is not None and (kabul.admin1_name, kabul.feature_class, kabul.feature_code) == ("Kabul", "P", "PPLC")
    herat = gaz.lookup("Herat", ["AFG"])
    assert herat is not None and herat.admin1_name == "Herat" and herat.feature_class == "P"
    assert herat.feature_code is None  # only capitals' codes are known offline
    turkey = gaz.lookup("Turkey", [])
    assert turkey is not None and (turkey.feature_class, turkey.feature_code) == ("A", "PCL")
    texas = gaz.lookup("Texas", ["USA"])
    assert texas is not None and (texas.admin1_name, texas.feature_code) == ("Texas", "ADM1")
    qamishli = gaz.lookup("Qamishli", ["SYR"])
    assert qamishli is not None and qamishli.admin1_name == "Al-Hasakah"
    for place in (kabul, herat, turkey, texas):
        assert place.admin2_name is None  # no second-level names offline (docs/formats.md)
