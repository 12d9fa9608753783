"""Offline geocoding: the gazetteer's choices, each rule of ``resolve_place``, and the accuracy floor on
the hand-written sentences in ``tests/data/place_mentions.jsonl``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from eventcoder.models import Place
from eventcoder.pipeline.places import (
    Gazetteer,
    PlaceContext,
    load_city_table,
    normalize_name,
    place_mentions,
    resolve_place,
    split_generic,
)

DATA = Path(__file__).parent / "data" / "place_mentions.jsonl"
PKG_DATA = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "data"
ACCURACY_FLOOR = 0.95


@pytest.fixture(scope="module")
def pipeline():
    from eventcoder.pipeline.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def first_sentence(pipeline, text: str):
    return next(pipeline(text).sents)


def resolve(pipeline, gaz, text: str, countries=(), dateline: str | None = None) -> Place | None:
    return resolve_place(first_sentence(pipeline, text), PlaceContext(list(countries), dateline), gaz)


def is_right(got: Place | None, expected: dict | None) -> bool:
    if expected is None:
        return got is None
    if got is None or got.country != expected["country"] or got.precision != expected["precision"]:
        return False
    if expected["geonameid"] is not None:
        return got.geonameid == expected["geonameid"]
    return normalize_name(got.name) == normalize_name(expected["name"])


# --- the accuracy floor ------------------------------------------------------------------------------


def test_place_mentions_file_is_big_and_covers_the_hard_cases():
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 100
    assert sum(r["expected"] is None for r in rows) >= 15
    text = " ".join(r["sentence"] for r in rows)
    for needle in ("Georgia", "Zangilan", "Nakhchivan", "Karabakh", "Idlib province", "Donbas",
                   "Paris, Texas", "Tripoli, Lebanon", "Turkish"):
        assert needle in text, needle


def test_accuracy_on_place_mentions(pipeline, gaz):
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    failures, wrong_country = [], []
    for r in rows:
        got = resolve(pipeline, gaz, r["sentence"], r["context_countries"])
        exp = r["expected"]
        if not is_right(got, exp):
            failures.append(f"{r['sentence']!r}: expected {exp}, got {got}")
        if exp is not None and got is not None and got.country != exp["country"]:
            wrong_country.append(r["sentence"])
    for line in failures:
        print("FAIL", line)
    accuracy = 1 - len(failures) / len(rows)
    print(f"place accuracy {accuracy:.3f} on {len(rows)} sentences")
    assert accuracy >= ACCURACY_FLOOR
    assert not wrong_country


# --- names and the gazetteer -------------------------------------------------------------------------


def test_normalize_name_folds_case_diacritics_and_punctuation():
    assert normalize_name("Qubadlı") == "qubadli"
    assert normalize_name("Nagorno-Karabakh") == "nagorno karabakh"
    assert normalize_name("U.S.") == "us"
    assert normalize_name("The  Gaza Strip") == "gaza strip"
    assert normalize_name("Culiacán") == "culiacan"


def test_split_generic_strips_level_words_and_reports_the_level():
    assert split_generic("idlib province") == ("idlib", "admin")
    assert split_generic("city of tripoli") == ("tripoli", "city")
    assert split_generic("gaza city") == ("gaza", "city")
    assert split_generic("baku") == ("baku", None)


def test_candidates_are_case_and_diacritics_insensitive(gaz):
    ids = {p.geonameid for p in gaz.candidates("QUBADLI")}
    assert ids == {p.geonameid for p in gaz.candidates("Qubadlı")}
    assert 147305 in ids
    assert gaz.candidates("no such place anywhere") == []


def test_country_has_precision_and_a_point(gaz):
    geo = gaz.country("GEO")
    assert geo is not None and geo.precision == "country" and geo.name == "Georgia"
    assert geo.lat == pytest.approx(41.7, abs=0.5) and geo.lon == pytest.approx(44.8, abs=0.5)
    assert gaz.country("geo") == geo
    assert gaz.country("XXX") is None


def test_lookup_prefers_context_countries(gaz):
    assert gaz.lookup("Georgia", ["AZE", "TUR"]).country == "GEO"
    state = gaz.lookup("Georgia", ["USA"])
    assert (state.country, state.precision, state.admin1) == ("USA", "admin", "GA")
    assert gaz.lookup("Tripoli", ["LBN"]).country == "LBN"
    assert gaz.lookup("Tripoli", ["LBY"]).country == "LBY"
    assert gaz.lookup("Tripoli", ["SYR"]).country == "LBN"  # a neighbour of the context country


def test_context_bonus_follows_the_country_s_salience(gaz):
    # the USA named in passing in a story about Syria and Russia: Geneva is the Swiss city of 200,000,
    # not a town of 20,000 in Illinois; in a story about the USA too, since that town is ten times smaller
    # (PLACE_KNOWN_CITY_RATIO), unless the text names its state
    assert gaz.lookup("Geneva", ["SYR", "RUS", "USA"]).country == "CHE"
    assert gaz.lookup("Geneva", ["USA"]).country == "CHE"
    assert gaz.lookup("Geneva", ["USA"], within=[gaz.lookup("Illinois", ["USA"])]).country == "USA"
    assert gaz.lookup("Manchester", ["SYR", "RUS", "USA"]).country == "GBR"
    assert gaz.lookup("Tripoli", ["LBN", "SYR"]).country == "LBN"  # the most salient country keeps its town
    # a neighbour of a minor context country no longer outweighs a town in a more salient one
    assert gaz.lookup("Cambridge", ["SYR", "RUS", "USA"]).country == "USA"


def test_lookup_without_context_prefers_bigger_primary_names(gaz):
    paris = gaz.lookup("Paris")
    assert (paris.country, paris.geonameid) == ("FRA", 2988507)
    assert gaz.lookup("Vienna", ["IRN", "USA"]).country == "AUT"  # a capital beats a small namesake
    assert gaz.lookup("Washington").precision == "city"


def test_lookup_level_words_pick_region_or_city(gaz):
    assert gaz.lookup("Idlib province", ["SYR"]).precision == "admin"
    assert gaz.lookup("Idlib", ["SYR"]).precision == "city"
    assert gaz.lookup("Gaza City", ["PSE"]).precision == "city"
    assert gaz.lookup("Gaza", ["PSE"]).name == "Gaza Strip"
    assert gaz.lookup("Nakhchivan", ["AZE"]).precision == "admin"


def test_lookup_within_a_container(gaz):
    texas = gaz.candidates("Texas")
    paris = gaz.lookup("Paris", within=texas)
    assert (paris.country, paris.admin1) == ("USA", "TX")


def test_a_small_namesake_does_not_outrank_a_city_the_world_knows(gaz):
    """An article led by American actors still means Paris, France and Geneva, Switzerland; the text can name
    the small one ("Paris, Texas"), and a sizeable namesake in the article's country keeps its place."""
    for name, country in (("Paris", "FRA"), ("Geneva", "CHE"), ("Athens", "GRC")):
        place = gaz.lookup(name, ["USA", "SYR"])
        assert place is not None and place.country == country, name
    texas = gaz.lookup("Texas", ["USA"])
    assert gaz.lookup("Paris", ["USA"], within=[texas]).country == "USA"
    assert gaz.lookup("Tripoli", ["LBN"]).country == "LBN"


def test_the_un_is_no_town_and_its_council_sits_in_new_york(gaz):
    assert gaz.lookup_untagged("UN", ["SYR", "TUR"]) is None  # not Un, a town in India
    seat = gaz.curated("the UN Security Council")
    assert seat is not None and seat.country == "USA" and seat.precision == "city"
    assert gaz.curated("United Nations General Assembly") == seat


def test_nationality_words_are_not_places(gaz):
    assert gaz.lookup("Turkish") is None
    assert gaz.lookup("Azerbaijani") is None


def test_a_point_of_the_compass_is_no_town(pipeline, gaz):
    """GeoNames has towns called North East (Pennsylvania, Maryland); "the North East of Syria" is in Syria."""
    assert gaz.lookup("North East", ["USA"]) is None and gaz.lookup_untagged("Northeast", ["USA"]) is None
    place = resolve(pipeline, gaz, "The family travelled from the Caribbean to the North East of Syria last year.",
                    ["USA", "SYR"])
    assert place is not None and place.country == "SYR"


def test_the_end_of_a_hyphenated_word_is_no_place_of_its_own(pipeline, gaz):
    """"Mar-a-Lago" holds no Lago (nor Largo, Florida, whose other names include it); "Exxon-Mobil" no Mobile;
    a whole hyphenated name the gazetteer knows is still found, and "the Syria-Turkey border" keeps Turkey."""
    ctx = PlaceContext(["USA", "SYR", "TUR"])
    sent = first_sentence(pipeline, "Officials flew to Mar-a-Lago after a meeting with Exxon-Mobil executives.")
    names = {(s.text, p.country) for s, p in place_mentions(sent, ctx, gaz)}
    assert not any(country == "USA" and text in ("Lago", "Mobil") for text, country in names), names
    assert gaz.lookup_untagged("Lago", ["USA"]) is not None  # the rule is the hyphen's, not the name's
    names = {(s.text, p.country) for s, p in place_mentions(
        first_sentence(pipeline, "Shelling continued along the Syria-Turkey border on Monday."), ctx, gaz)}
    assert ("Turkey", "TUR") in names and ("Syria", "SYR") in names


def test_a_name_after_an_arabic_article_is_a_place_where_arabic_names_are(gaz):
    """"al-Roj": "Roj" is also another name of Roy, Utah; after the article only Arabic-speaking lands count."""
    assert gaz.lookup_untagged("Roj", ["USA", "SYR"]) is not None
    assert gaz.lookup_untagged("Roj", ["USA", "SYR"], arabic=True) is None
    bab = gaz.lookup_untagged("Bab", ["SYR", "TUR", "USA"], arabic=True)
    assert bab is not None and bab.country == "SYR"  # "al-Bab"


def test_a_person_standing_as_a_person_is_no_place(pipeline, gaz):
    """"Bali said" (a spokesman) is not Bāli, India; a town NER took for a person is still a place as an object."""
    ctx = PlaceContext(["USA", "SYR", "IND"])
    sent = first_sentence(pipeline, "“The clashes are continuing,” Bali said on Friday.")
    assert [p for s, p in place_mentions(sent, ctx, gaz) if s.text == "Bali"] == []


# --- data files ---------------------------------------------------------------------------------------


def test_places_extra_rows_are_valid(gaz):
    with (PKG_DATA / "places_extra.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 40
    for row in rows:
        assert gaz.country(row["country"]) is not None, row["name"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert row["precision"] in ("city", "admin", "country")
        assert gaz.lookup(row["name"], [row["country"]]).name == row["name"]
    names = {normalize_name(r["name"]) for r in rows}
    for region in ("donbas", "crimea", "gaza strip", "west bank", "kashmir", "tigray", "darfur",
                   "sinai", "golan heights", "kurdistan region", "south ossetia", "abkhazia",
                   "transnistria", "eastern zangazur", "nagorno karabakh", "nakhchivan"):
        assert region in names, region


def test_country_centroids_cover_the_country_table(gaz):
    with (PKG_DATA / "country_centroids.tsv").open(encoding="utf-8", newline="") as fh:
        rows = {r["iso3"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert len(rows) >= 240
    assert float(rows["AZE"]["lat"]) == pytest.approx(40.38, abs=0.1)  # Baku
    assert gaz.country("TUR").lat == float(rows["TUR"]["lat"])


def test_city_table_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "cities500.json"
    source.write_text(json.dumps({
        "1": {"geonameid": 1, "name": "Northtown", "latitude": 10.0, "longitude": 20.0, "countrycode": "AZ",
              "population": 1200, "timezone": "x", "admin1code": "07", "alternatenames": ["Nortown", "Нортаун"]},
        "2": {"geonameid": 2, "name": "Northtown", "latitude": 30.0, "longitude": -90.0, "countrycode": "US",
              "population": 90000, "timezone": "x", "admin1code": "GA", "alternatenames": []},
    }), encoding="utf-8")
    built = load_city_table(source)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    cached = load_city_table(source)
    assert cached.index == built.index and list(cached.geonameid) == [1, 2]
    assert "nortown" in cached.index and all(k.isascii() for k in cached.index)
    small = Gazetteer(cached, [{"name": "Test Valley", "aliases": "the Valley", "country": "AZE",
                                "admin1": "", "lat": "1", "lon": "2", "precision": "admin"}])
    assert small.lookup("Northtown", ["AZE"]).geonameid == 1
    assert small.lookup("Northtown").geonameid == 2
    assert small.lookup("valley").name == "Test Valley"
    assert small.lookup("Nortown").country == "AZE"


# --- resolve_place rules ------------------------------------------------------------------------------


def test_locative_phrase_gives_the_place(pipeline, gaz):
    place = resolve(pipeline, gaz, "The ministers signed the agreement in Ganja on Friday.", ["AZE"])
    assert place is not None and place.name == "Ganja" and place.country == "AZE"


def test_country_as_actor_is_not_a_place(pipeline, gaz):
    assert resolve(pipeline, gaz, "Turkey thanked Azerbaijan for its help.", ["TUR", "AZE"]) is None
    assert resolve(pipeline, gaz, "Baku accused Yerevan of breaking the truce.", ["AZE", "ARM"]) is None


def test_nationality_word_is_never_the_place(pipeline, gaz):
    sent = first_sentence(pipeline, "Turkish and Azerbaijani officers praised the Georgian hosts.")
    assert resolve_place(sent, PlaceContext(["TUR", "AZE"]), gaz) is None
    assert all(span.ent_type_ != "NORP" for span, _ in place_mentions(sent, PlaceContext(["TUR"]), gaz))


def test_source_of_travel_is_not_the_place(pipeline, gaz):
    place = resolve(pipeline, gaz, "The envoy arrived in Tbilisi from Ankara.", ["GEO", "TUR"])
    assert place is not None and place.name == "Tbilisi"


def test_travel_verb_makes_to_a_place(pipeline, gaz):
    place = resolve(pipeline, gaz, "The foreign minister travelled to Tehran for talks.", ["IRN"])
    assert place is not None and place.name == "Tehran"
    assert resolve(pipeline, gaz, "Ankara sent a letter to Baku.", ["TUR", "AZE"]) is None


def test_visited_object_is_a_place(pipeline, gaz):
    place = resolve(pipeline, gaz, "The president visited Aghdam on Monday.", ["AZE"])
    assert place is not None and place.geonameid == 148619


def test_the_place_an_armed_act_noun_hit_is_located(pipeline, gaz):
    """"an assault on X", "strikes on X", "the battle for X": the place hit; an actor after "on" is not."""
    place = resolve(pipeline, gaz, "Turkey announced the launch of the assault on Afrin in January.", ["TUR", "SYR"])
    assert place is not None and place.country == "SYR" and place.precision == "city"
    place = resolve(pipeline, gaz, "Rebels lost the battle for Manbij after a month.", ["SYR"])
    assert place is not None and place.name == "Manbij"
    assert resolve(pipeline, gaz, "Ankara imposed sanctions on Moscow.", ["TUR", "RUS"]) is None


def test_a_possessor_after_a_preposition_is_not_located(pipeline, gaz):
    """"a role in Armenia's offensive": the preposition scopes the offensive, not its possessor."""
    sent = "Their units played a key role in Armenia's offensive on the town."
    assert resolve(pipeline, gaz, sent, ["ARM", "AZE"]) is None
    place = resolve(pipeline, gaz, "Their units fought in Shusha in Armenia's offensive.", ["ARM", "AZE"])
    assert place is not None and place.name == "Shusha"


def test_the_place_troops_are_taken_out_of_is_located(pipeline, gaz):
    """"pulled its troops out of Syria", "the withdrawal from Iraq" locate the act; "refugees from
    Syria" and "a letter from Ankara" do not."""
    place = resolve(pipeline, gaz, "Trump said he was pulling 2,000 troops out of Syria.", ["USA", "SYR"])
    assert place is not None and place.name == "Syria" and place.precision == "country"
    place = resolve(pipeline, gaz, "Obama completed the withdrawal from Iraq in 2011.", ["USA", "IRQ"])
    assert place is not None and place.country == "IRQ"
    assert resolve(pipeline, gaz, "Refugees from Syria asked Germany for help.", ["SYR", "DEU"]) is None
    assert resolve(pipeline, gaz, "Baku received a letter from Ankara.", ["AZE", "TUR"]) is None


def test_outskirts_of_is_located(pipeline, gaz):
    place = resolve(pipeline, gaz, "Shells landed on the outskirts of Ganja overnight.", ["AZE"])
    assert place is not None and place.name == "Ganja"


def test_a_settlement_named_by_its_character_is_located(pipeline, gaz):
    text = "Russia promised to set up the committee at a meeting in the Black Sea resort of Sochi."
    place = resolve(pipeline, gaz, text, ["RUS", "SYR"])
    assert place is not None and place.name == "Sochi"


def test_small_town_missed_by_ner_is_found_in_context_country(pipeline, gaz):
    place = resolve(pipeline, gaz, "Engineers opened a new bridge in liberated Zangilan.", ["AZE"])
    assert place is not None and (place.geonameid, place.country) == (146901, "AZE")


def test_region_word_gives_admin_place(pipeline, gaz):
    place = resolve(pipeline, gaz, "Officials toured farms in Aghdam region.", ["AZE"])
    assert place is not None and (place.precision, place.country) == ("admin", "AZE")


def test_city_state_pair_is_one_mention(pipeline, gaz):
    sent = first_sentence(pipeline, "The rally took place in Atlanta, Georgia, on Saturday.")
    mentions = place_mentions(sent, PlaceContext([]), gaz)
    assert [span.text for span, _ in mentions] == ["Atlanta, Georgia"]
    assert mentions[0][1].admin1 == "GA"
    assert resolve_place(sent, PlaceContext([]), gaz).geonameid == 4180439


def test_place_nearest_the_event_verb_wins(pipeline, gaz):
    text = "After leaving Ankara, the delegation met Azerbaijani officials in Baku."
    place = resolve(pipeline, gaz, text, ["TUR", "AZE"])
    assert place is not None and place.name == "Baku"


def test_explicit_trigger_chooses_among_places(pipeline, gaz):
    sent = first_sentence(pipeline, "Troops trained in Ganja before they paraded in Baku.")
    ctx = PlaceContext(["AZE"])
    paraded = next(t for t in sent if t.lower_ == "paraded")
    assert resolve_place(sent, ctx, gaz).name == "Ganja"
    assert resolve_place(sent, ctx, gaz, trigger=paraded).name == "Baku"


def test_dateline_is_only_a_fallback_from_context(pipeline, gaz):
    text = "BAKU, Oct 5 - The foreign minister criticised the decision."
    assert resolve(pipeline, gaz, text, ["AZE"]) is None
    assert resolve(pipeline, gaz, text, ["AZE"], dateline="BAKU").name == "Baku"
    located = resolve(pipeline, gaz, "The talks resumed in Tbilisi.", ["AZE"], dateline="Baku")
    assert located.name == "Tbilisi"


def test_common_capitalised_word_is_not_a_town(pipeline, gaz):
    sent = first_sentence(pipeline, "The leaders opened the Ganja International Airport on Monday.")
    names = [span.text for span, _ in place_mentions(sent, PlaceContext(["AZE"]), gaz)]
    assert "Airport" not in names


@pytest.mark.parametrize(("text", "word"), [
    ("Many in Congress criticised the decision to leave Syria on Monday.", "Congress"),
    ("Protesters blocked the entrance of King’s Cross station in London on Sunday.", "King"),
    ("Trump pledged on Tuesday to keep the prison at Guantánamo Bay open.", "Bay"),
])
def test_institutions_and_parts_of_names_are_not_towns(pipeline, gaz, text, word):
    # GeoNames has a Congress in Arizona, a King in North Carolina and a Bay in Arkansas
    sent = first_sentence(pipeline, text)
    found = [(span.text, place.name) for span, place in place_mentions(sent, PlaceContext(["USA", "GBR"]), gaz)]
    assert all(word not in (text_, name) for text_, name in found), found


@pytest.mark.parametrize(("text", "name"), [
    ("Kurdish forces detained the women in the al-Hawl camp on Monday.", "al-Hawl"),
    ("Government forces shelled al-Bab on Monday.", "Al Bāb"),
])
def test_a_name_with_a_joined_arabic_article_is_a_place(pipeline, gaz, text, name):
    # the small model tags "al-Hawl" an organisation and "al-Bab" a person: the article is no sign
    # that the name is part of something else
    sent = first_sentence(pipeline, text)
    found = [place.name for _, place in place_mentions(sent, PlaceContext(["SYR"]), gaz)]
    assert name in found, found


def test_seed_story_places(pipeline, gaz):
    from conftest import require_shared

    seed = require_shared("corpus", "seeds", "002_97c819bac85b69e4.txt")
    doc = pipeline(seed.read_text(encoding="utf-8"))
    ctx = PlaceContext(["AZE", "TUR"])
    found = {p.name for s in doc.sents if (p := resolve_place(s, ctx, gaz)) is not None}
    assert {"Georgia", "Nakhchivan"} <= found


def test_city_table_parses_other_json_layouts(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "cities500.json"
    source.write_text(json.dumps({"7": {
        "alternatenames": ["Sample Town"], "geonameid": 7, "name": "Samplegrad", "latitude": 1.0,
        "longitude": 2.0, "countrycode": "GE", "population": 700, "admin1code": "04",
    }}), encoding="utf-8")
    table = load_city_table(source, use_cache=False)
    assert list(table.geonameid) == [7] and table.countries == ["GEO"]
    assert set(table.index) == {"samplegrad", "sample town"}
    assert not (tmp_path / "cache").exists()


def test_landmark_names_lead_to_their_city():
    g = Gazetteer.default()
    white_house = g.lookup("White House", ["USA", "IND"])
    assert white_house is not None and white_house.geonameid == 4140963 and white_house.name == "Washington"
    assert g.lookup("Moscow", ["RUS"]).geonameid == 524901


def test_sentence_entities_are_the_sentence_s_own_entities(nlp) -> None:
    """nlp.sentence_entities reads a sentence's entities off its tokens: the same spans and labels as
    spaCy's ``Span.ents``, which rebuilds every entity of the document on each call."""
    from eventcoder.pipeline.nlp import sentence_entities

    doc = nlp("Turkish troops entered Afrin on Saturday. The United Nations Security Council met in New York "
              "two days later.\nPresident Recep Tayyip Erdogan said Ankara would not stop before March 2018.")
    assert len(list(doc.sents)) == 3
    for sent in doc.sents:
        assert [(e.start, e.end, e.label_) for e in sentence_entities(sent)] == [
            (e.start, e.end, e.label_) for e in sent.ents]
    assert any(e.label_ == "ORG" for e in sentence_entities(list(doc.sents)[1]))


def test_a_city_inside_the_chosen_country_is_the_more_specific_place(pipeline, gaz, monkeypatch):
    from eventcoder import settings

    text = "The engineer died in Iraq when the convoy was caught up in the battle for the city of Mosul."
    sent = first_sentence(pipeline, text)
    died = next(t for t in sent if t.lower_ == "died")
    place = resolve_place(sent, PlaceContext(["IRQ"]), gaz, trigger=died)
    assert place is not None and (place.name, place.precision) == ("Mosul", "city")
    monkeypatch.setattr(settings, "PLACE_PREFER_INNER", False)
    assert resolve_place(sent, PlaceContext(["IRQ"]), gaz, trigger=died).precision == "country"


def test_a_city_in_another_country_does_not_replace_the_event_country(pipeline, gaz):
    text = "The minister died in Syria after he had studied in Paris."
    sent = first_sentence(pipeline, text)
    died = next(t for t in sent if t.lower_ == "died")
    place = resolve_place(sent, PlaceContext(["SYR", "FRA"]), gaz, trigger=died)
    assert place is not None and place.country == "SYR"


@pytest.mark.parametrize("text, name, country", [
    ("The president told reporters in the Oval Office that Iran must free the sailors.", "Washington", "USA"),
    ("The prime minister condemned the attack at Downing Street on Monday.", "London", "GBR"),
])
def test_a_seat_of_government_after_in_or_at_is_its_city(pipeline, gaz, text, name, country):
    """The NER takes "the Oval Office" for an organisation; after "in" or "at" it stands where a place does."""
    place = resolve(pipeline, gaz, text, [country])
    assert place is not None and (place.name, place.country) == (name, country)


def test_an_institution_that_acts_is_no_place(pipeline, gaz):
    assert resolve(pipeline, gaz, "Downing Street condemned the attack on Monday.", ["GBR"]) is None


def test_the_spellings_of_arabic_tell_find_one_town(gaz):
    """"Tel Abyad" in the news is GeoNames' "Tall Abyaḑ"; the other spellings find it too, and a name
    GeoNames spells with "Tel" is found as it is."""
    wanted = gaz.lookup("Tall Abyad", ["SYR"])
    assert wanted is not None and wanted.country == "SYR"
    for spelling in ("Tel Abyad", "Tal Abyad", "Tell Abyad"):
        assert gaz.lookup(spelling, ["SYR", "TUR"]) == wanted
    assert gaz.lookup("Tel Aviv", ["ISR"]).name == "Tel Aviv"
    assert gaz.lookup("Tel Nowhereville", ["SYR"]) is None


def test_a_country_modifying_a_thing_is_its_owner_not_the_place(pipeline, gaz):
    """"at US bases": whose bases, not where; a place noun keeps its country ("on the Syria border"), and
    the thing's own place wins."""
    assert resolve(pipeline, gaz, "Iran fired missiles at US bases on Wednesday.", ["IRN", "USA"]) is None
    place = resolve(pipeline, gaz, "Iran fired missiles at US bases in Iraq on Wednesday.", ["IRN", "USA", "IRQ"])
    assert place is not None and place.country == "IRQ"
    place = resolve(pipeline, gaz, "Turkish troops massed on the Syria border on Monday.", ["TUR", "SYR"])
    assert place is not None and place.country == "SYR"


def test_an_annexed_or_conquered_place_is_where_it_happened(pipeline, gaz):
    place = resolve(pipeline, gaz, "Russia annexed Crimea in 2014.", ["RUS", "UKR"])
    assert place is not None and place.name == "Crimea" and place.country == "UKR"
    place = resolve(pipeline, gaz, "Isis fighters conquered Palmyra in May 2015.", ["SYR"])
    assert place is not None and place.country == "SYR"
