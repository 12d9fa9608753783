"""Actors over time (issue #18): dated roles, offices resolved to their holder on the event's date,
people with the role they held then, and stable actor ids."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from eventcoder.engines.local import LocalEngine, code_text
from eventcoder.models import Actor
from eventcoder.pipeline.roles import (
    Role,
    RoleBook,
    office_id,
    person_id,
    resolve_actors,
    slug,
    title_office,
)

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
MEETING = "The US Secretary of State met the British Prime Minister in London."


@pytest.fixture(scope="module")
def engine(nlp) -> LocalEngine:
    return LocalEngine(nlp=nlp)


def _actors(events) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(a.name, a.country, a.sector, a.actor_id) for e in events for a in e.source + e.target]


# ---------------------------------------------------------------- the issue's examples, end to end


@pytest.mark.parametrize(("day", "names"), [
    ("2014-03-01", ["John Kerry", "David Cameron"]),
    ("2018-06-01", ["Mike Pompeo", "Theresa May"]),
])
def test_offices_resolve_to_their_holder_on_the_day(engine, day, names):
    _, _, events = code_text(MEETING, published=day, engine=engine)
    assert [(n, c) for n, c, _, _ in _actors(events)] == [(names[0], "USA"), (names[1], "GBR")]
    assert [aid for *_, aid in _actors(events)] == [person_id(n) for n in names]
    assert all(a.text.endswith(("Secretary of State", "Prime Minister")) for e in events for a in e.source + e.target)


def test_office_without_a_holder_that_day_stays_generic(engine):
    # On 2019-03-01 the US had only an acting Secretary of Defense: no holder in the data, no guess.
    _, _, events = code_text("The US Secretary of Defense met the Turkish defence minister in Ankara.",
                             published="2019-03-01", engine=engine)
    got = _actors(events)
    assert got[0] == ("US Secretary of Defense", "USA", "GOV", office_id("USA", "DEFENCE_MINISTER"))
    assert got[1] == ("Hulusi Akar", "TUR", "GOV", person_id("Hulusi Akar"))


def test_mention_date_wins_over_publication_date(engine):
    # published in 2018, but the meeting is dated 2014 in the sentence itself
    _, mentions, _ = code_text("The US Secretary of State met the British Prime Minister in London on 3 March 2014.",
                               published="2018-06-01", engine=engine)
    assert mentions and mentions[0].date == "2014-03-03"
    assert [a.name for a in mentions[0].source + mentions[0].target] == ["John Kerry", "David Cameron"]


def test_office_phrases_of_other_shapes(engine):
    _, _, events = code_text("Azerbaijan's foreign minister met the president of France in Paris.",
                             published="2016-03-01", engine=engine)
    assert [n for n, *_ in _actors(events)] == ["Elmar Mammadyarov", "Francois Hollande"]
    _, _, events = code_text("Azerbaijan's foreign minister met the president of France in Paris.",
                             published="2021-03-01", engine=engine)
    assert [n for n, *_ in _actors(events)] == ["Jeyhun Bayramov", "Emmanuel Macron"]


def test_offices_before_the_hand_kept_years_come_from_the_phoenix_data(engine):
    _, _, events = code_text(MEETING, published="1988-06-01", engine=engine)
    assert [n for n, *_ in _actors(events)] == ["George Shultz", "Margaret Thatcher"]


def test_former_and_deputy_offices_are_not_the_office(engine):
    _, _, events = code_text("The former British prime minister met the US deputy secretary of state in London.",
                             published="2018-06-01", engine=engine)
    names = [n for n, *_ in _actors(events)]
    assert "Theresa May" not in names and "Mike Pompeo" not in names


def test_every_dictionary_actor_has_a_stable_id(engine):
    text = "Turkey and NATO held talks with Ilham Aliyev in Baku on Monday."
    first = _actors(code_text(text, published="2021-05-03", engine=engine)[2])
    again = _actors(code_text(text, published="2021-05-03", engine=LocalEngine(nlp=engine.nlp))[2])
    assert first == again
    assert {aid for *_, aid in first} >= {"country:TUR", "org:NAT", "person:ILHAM_ALIYEV"}


# ---------------------------------------------------------------- the role book


def _book(*rows: tuple) -> RoleBook:
    return RoleBook([Role(*r) for r in rows])


def test_holder_is_whoever_covers_the_day_end_exclusive():
    book = _book(("person:A", "A", "XXX", "GOV", "PRESIDENT", "2000-01-01", "2005-01-01", "phoenix"),
                 ("person:B", "B", "XXX", "GOV", "PRESIDENT", "2005-01-01", "", "extra"))
    assert book.holder("XXX", "PRESIDENT", "2004-12-31").name == "A"
    assert book.holder("XXX", "PRESIDENT", "2005-01-01").name == "B"
    assert book.holder("XXX", "PRESIDENT", "1999-12-31") is None
    assert book.holder("XXX", "PRIME_MINISTER", "2004-12-31") is None


def test_two_holders_from_equal_sources_give_no_holder_and_hand_kept_rows_win():
    book = _book(("person:A", "A", "XXX", "GOV", "PRESIDENT", "2000-01-01", "2006-01-01", "phoenix"),
                 ("person:B", "B", "XXX", "GOV", "PRESIDENT", "2005-01-01", "2010-01-01", "phoenix"))
    assert book.holder("XXX", "PRESIDENT", "2005-06-01") is None
    book = book.with_roles([Role("person:C", "C", "XXX", "GOV", "PRESIDENT", "2005-03-01", "", "user")])
    assert book.holder("XXX", "PRESIDENT", "2005-06-01").name == "C"


def test_a_person_takes_the_role_held_that_day():
    book = _book(("person:K", "K", "USA", "LEG", None, "1985-01-03", "2013-02-01", "phoenix"),
                 ("person:K", "K", "USA", "GOV", "FOREIGN_MINISTER", "2013-02-01", "2017-01-20", "extra"))
    kerry = Actor("Kerry", "K", "USA", "GOV", "person:K")
    assert resolve_actors([kerry], "2010-06-01", book)[0].sector == "LEG"
    assert resolve_actors([kerry], "2015-06-01", book)[0].sector == "GOV"
    assert resolve_actors([kerry], "2020-06-01", book)[0] == kerry  # no dated role: as the dictionary says
    assert kerry.sector == "GOV"  # copied, never changed in place


def test_resolve_actors_leaves_other_actors_and_undated_mentions_alone():
    book = _book(("person:A", "A", "XXX", "GOV", "PRESIDENT", "2000-01-01", "", "extra"))
    office = Actor("the XXX president", "XXX president", "XXX", "GOV", office_id("XXX", "PRESIDENT"))
    country = Actor("XXX", "Xland", "XXX", None, "country:XXX")
    assert resolve_actors([office, country], None, book) == [office, country]
    assert resolve_actors([office, country], "2001-01-01", book) == [
        Actor("the XXX president", "A", "XXX", "GOV", "person:A"), country]


def test_titles_name_offices_some_only_in_one_country():
    assert title_office("Prime Minister") == "PRIME_MINISTER"
    assert title_office("minister of defence") == title_office("defense secretary") == "DEFENCE_MINISTER"
    assert title_office("Secretary of State", "USA") == "FOREIGN_MINISTER"
    assert title_office("Secretary of State", "GBR") is None
    assert title_office("chancellor", "DEU") == "CHANCELLOR" and title_office("chancellor", "GBR") is None
    assert title_office("Secretary-General") == "SECRETARY_GENERAL"
    assert title_office("deputy prime minister") is None
    assert slug("Zakir Həsənov") == "ZAKIR_HASANOV" and slug("Recep Tayyip Erdoğan") == "RECEP_TAYYIP_ERDOGAN"


def test_shipped_roles_hold_the_issues_examples():
    book = RoleBook.default()
    assert book.holder("USA", "FOREIGN_MINISTER", "2014-03-01").name == "John Kerry"
    assert book.holder("GBR", "PRIME_MINISTER", "2014-03-01").name == "David Cameron"
    assert book.holder("USA", "FOREIGN_MINISTER", "2018-06-01").name == "Mike Pompeo"
    assert book.holder("GBR", "PRIME_MINISTER", "2018-06-01").name == "Theresa May"
    # offices of many countries, not a list of four people
    assert len({c for c, _ in book.offices()}) >= 20


# ---------------------------------------------------------------- scripts/build_roles.py


PHOENIX = """\
# A made-up dictionary in the Phoenix layout
XLAND_ [XXX]
+XLANDER_
# Presidents
ANNA_ALPHA_  # CountryInfo.txt
	[XXXELI 700101-800101]
	[XXXGOV 800101-900101]
BORIS_BETA_
	[XXXGOV 900101-950101]
	[XXXGOV 950101-960101] # Foreign Minister
CARL_GAMMA_
	[XXXGOV 920101-940101]
DORA_DELTA_
	[XXXGOV 850101-870101]
HUGO_THETA_
	[XXXGOV 870101-880101]
# Cabinet
EMIL_EPSILON_
+PRESIDENT_EMIL_EPSILON_
	[XXXGOV >960101]
FRANZ_ZETA_
+DEPUTY_PRIME_MINISTER_FRANZ_ZETA
+PRIME_MINISTER_FRANZ_ZETA_
	[XXXGOV 910101-930101]
	[XXXELI 930101-990101]
"""
HOLDERS = """\
name	country	office	sector	start	end
Gina Eta	XXX	PRESIDENT		2001-01-01
"""


def test_build_roles_reads_offices_from_sections_comments_and_aliases(tmp_path):
    sys.path.insert(0, str(SCRIPTS))
    try:
        from build_roles import build_roles
    finally:
        sys.path.remove(str(SCRIPTS))
    (tmp_path / "Phoenix.Countries.actors.txt").write_text(PHOENIX, encoding="utf-8")
    (tmp_path / "Phoenix.International.actors.txt").write_text("", encoding="utf-8")
    (tmp_path / "holders.tsv").write_text(HOLDERS, encoding="utf-8")
    rows = build_roles(tmp_path, {"XXX": {"xland", "xlander"}}, set(), {"gina eta": "Gina Eta"},
                       holders=tmp_path / "holders.tsv")
    offices = {(s.actor_id, s.office, s.start, s.end) for s, _ in rows if s.office}
    assert offices == {
        ("person:ANNA_ALPHA", "PRESIDENT", "1980-01-01", "1990-01-01"),         # from the section
        ("person:BORIS_BETA", "PRESIDENT", "1990-01-01", "1995-01-01"),
        ("person:BORIS_BETA", "FOREIGN_MINISTER", "1995-01-01", "1996-01-01"),  # from the code's comment
        # from the alias; the open span ends at the last date the file records for the country
        ("person:EMIL_EPSILON", "PRESIDENT", "1996-01-01", "1999-01-01"),
        ("person:FRANZ_ZETA", "PRIME_MINISTER", "1991-01-01", "1993-01-01"),    # "PRIME_MINISTER_", not "DEPUTY_"
        ("person:GINA_ETA", "PRESIDENT", "2001-01-01", ""),                      # hand-kept, still in office
    }
    # Carl Gamma and Dora Delta overlap holders already taken: not holders, and two such entries in a
    # row end the section, so Hugo Theta (who fits) is not read as a president either.
    assert not {"person:CARL_GAMMA", "person:DORA_DELTA", "person:HUGO_THETA"} & {s.actor_id for s, _ in rows}
    # Franz's other role is kept, so his sector can follow the date
    assert ("person:FRANZ_ZETA", "ELI") in {(s.actor_id, s.sector) for s, _ in rows}


# ---------------------------------------------------------------- stored ids


def test_actor_ids_are_stored_and_older_databases_gain_the_field(tmp_path):
    import duckdb

    from eventcoder.models import Event
    from eventcoder.store import MIGRATIONS, Store, event_from_row

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))  # a database made before 0006_actor_ids
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in MIGRATIONS[: [n for n, _ in MIGRATIONS].index("0006_actor_ids")]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    con.execute("INSERT INTO events (event_id, source, target) VALUES "
                "('e0', [{'text': 'Ankara', 'name': 'Turkey', 'country': 'TUR', 'sector': 'GOV'}], [])")
    con.close()
    kerry = Actor("US Secretary of State", "John Kerry", "USA", "GOV", "person:JOHN_KERRY")
    with Store(db) as store:
        old = event_from_row(store.query("SELECT * FROM events")[0])
        assert old.source == [Actor("Ankara", "Turkey", "TUR", "GOV", None)]
        store.replace_events([Event("e1", "CONSULT", None, [kerry], [], "2014-03-01", "2014-03-01", "day",
                                    "publication", None, "040", 1.0, 1, 0.9, 1, 1, [])], [])
        assert event_from_row(store.query("SELECT * FROM events")[0]).source == [kerry]
